//! A progress line on stderr for commands that wait for a long scan: shown only when stderr is a
//! terminal and the work has taken more than a moment, redrawn at most ten times a second, and
//! erased when done.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Work shorter than this shows nothing.
const QUIET_FOR: Duration = Duration::from_millis(400);
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// A progress line, or nothing when stderr is not a terminal.
pub struct StderrProgress {
    what: &'static str,
    started: Instant,
    last_drawn: Option<Instant>,
    enabled: bool,
}

impl StderrProgress {
    /// A progress line for `what` ("indexing").
    pub fn new(what: &'static str) -> Self {
        Self {
            what,
            started: Instant::now(),
            last_drawn: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    /// Names the work from now on ("detecting languages").
    pub fn relabel(&mut self, what: &'static str) {
        self.what = what;
    }

    /// `done` of `total` items.
    pub fn update(&mut self, done: usize, total: usize) {
        let now = Instant::now();
        let due = self
            .last_drawn
            .is_none_or(|last| now.duration_since(last) >= REDRAW_EVERY);
        if !self.enabled || now.duration_since(self.started) < QUIET_FOR || !due {
            return;
        }
        self.last_drawn = Some(now);
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{} {done}/{total} files ({percent}%)\x1b[K",
            self.what
        );
        let _ = err.flush();
    }

    /// Erases the line if it was drawn.
    pub fn finish(&mut self) {
        if self.last_drawn.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}
