//! A private tmux server running one command in a pane of a given size: keys typed, the
//! screen read back. Shared by the end-to-end and the crash tests.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The server; dropping it ends it and what runs in it.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `cmd` in session `s` of a new server on `socket`; `None` without tmux.
    pub fn start(socket: String, cmd: &str, (width, height): (u16, u16)) -> Option<Self> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tmux is not installed: skipping the terminal test");
            return None;
        }
        let tmux = Self { socket };
        let (x, y) = (width.to_string(), height.to_string());
        let out = tmux.run(&["new-session", "-d", "-s", "s", "-x", &x, "-y", &y, cmd]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(tmux)
    }

    /// Runs a tmux command against this server.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Types these keys (tmux key names), one at a time.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "s", k]);
        }
    }

    /// What the pane shows.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "s"]).stdout).into_owned()
    }

    /// Polls the screen until `what` appears: how long it took, or the screen on timeout.
    pub fn wait_for(&self, what: &str, limit: Duration) -> Result<Duration, String> {
        self.poll(what, limit).map(|(took, _)| took)
    }

    /// Polls the screen until `what` appears: the first line holding it, or the screen on
    /// timeout.
    pub fn wait_for_line(&self, what: &str, limit: Duration) -> Result<String, String> {
        let (_, screen) = self.poll(what, limit)?;
        Ok(screen
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_default()
            .to_string())
    }

    fn poll(&self, what: &str, limit: Duration) -> Result<(Duration, String), String> {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return Ok((start.elapsed(), screen));
            }
            if start.elapsed() > limit {
                return Err(screen);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends `signal` (`-TERM`, `-KILL`) to copydesk in the pane (`env` execs it, so the pane's
    /// process is copydesk itself); returns its process id.
    pub fn signal_copydesk(&self, signal: &str) -> String {
        let out = self.run(&["list-panes", "-t", "s", "-F", "#{pane_pid}"]);
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        assert_eq!(comm.trim(), "copydesk", "pane process {pid}");
        let status = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill");
        assert!(status.success(), "kill {signal} {pid}");
        pid
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}
