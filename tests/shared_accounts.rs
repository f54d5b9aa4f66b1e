//! One inbox, many Unix accounts: two editors of one group, each with umask 022, mark the same
//! inbox in turn and at once; an account outside the group gets a one-line error.
//! Needs root (it creates the accounts, and removes them after); skips with a message otherwise.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_copydesk");

/// Test accounts and their group, removed on drop.
struct Accounts {
    group: String,
    users: Vec<String>,
}

impl Accounts {
    fn create() -> Option<Self> {
        let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        let tools = ["useradd", "groupadd", "setpriv"].iter().all(|t| {
            Command::new("sh")
                .args(["-c", &format!("command -v {t}")])
                .output()
                .is_ok_and(|o| o.status.success())
        });
        if !root || !tools {
            eprintln!(
                "not root, or useradd/groupadd/setpriv missing: skipping the shared-accounts test"
            );
            return None;
        }
        let tag = std::process::id() % 100_000;
        let accounts = Self {
            group: format!("cddesk{tag}"),
            users: vec![
                format!("cdayu{tag}"),
                format!("cdmarc{tag}"),
                format!("cdout{tag}"),
            ],
        };
        assert!(
            Command::new("groupadd")
                .arg(&accounts.group)
                .status()
                .expect("groupadd")
                .success()
        );
        for (n, user) in accounts.users.iter().enumerate() {
            let mut cmd = Command::new("useradd");
            cmd.args(["-M", "-s", "/bin/sh"]);
            if n < 2 {
                cmd.args(["-N", "-g", &accounts.group]);
            } else {
                cmd.arg("-U");
            }
            assert!(
                cmd.arg(user).status().expect("useradd").success(),
                "useradd {user}"
            );
        }
        Some(accounts)
    }

    fn gid(&self) -> u32 {
        let out = Command::new("getent")
            .args(["group", &self.group])
            .output()
            .expect("getent");
        String::from_utf8_lossy(&out.stdout)
            .split(':')
            .nth(2)
            .and_then(|g| g.trim().parse().ok())
            .expect("gid")
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for user in &self.users {
            let _ = Command::new("userdel").arg(user).status();
        }
        let _ = Command::new("groupdel").arg(&self.group).status();
    }
}

/// Runs copydesk as `user` with umask 022.
fn as_user(user: &str, inbox: &Path, config: &Path, args: &[&str]) -> std::process::Child {
    let mut script = format!(
        "umask 022; exec {BIN} --inbox '{}' --config '{}' --editor {user}",
        inbox.display(),
        config.display()
    );
    for a in args {
        script.push_str(&format!(" '{a}'"));
    }
    Command::new("setpriv")
        .args([
            "--reuid",
            user,
            "--regid",
            user_group(user).as_str(),
            "--init-groups",
            "--",
            "sh",
            "-c",
            &script,
        ])
        .env("HOME", "/tmp")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("setpriv")
}

fn user_group(user: &str) -> String {
    let out = Command::new("id").args(["-gn", user]).output().expect("id");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Runs copydesk as `user` and expects a refusal: exit 2 and one line on stderr, returned.
fn refused_as(user: &str, inbox: &Path, config: &Path, args: &[&str]) -> String {
    let out = finish(as_user(user, inbox, config, args));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{user}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{user}: {stderr}");
    eprintln!("{user}: {stderr}");
    stderr
}

fn finish(child: std::process::Child) -> Output {
    child.wait_with_output().expect("wait")
}

fn shared_inbox(accounts: &Accounts) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let inbox = dir.path().join("inbox");
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample"),
        &inbox,
    );
    // The recommended setup: the inbox belongs to the desk's group, setgid, group-writable.
    assert!(
        Command::new("chgrp")
            .args(["-R", &accounts.group])
            .arg(&inbox)
            .status()
            .expect("chgrp")
            .success()
    );
    assert!(
        Command::new("chmod")
            .arg("2775")
            .arg(&inbox)
            .status()
            .expect("chmod")
            .success()
    );
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "timezone = \"+07:00\"\n").expect("config");
    (dir, inbox, config)
}

fn ids(inbox: &Path, config: &Path) -> Vec<String> {
    let out = Command::new(BIN)
        .args(["list", "--format", "json", "--inbox"])
        .arg(inbox)
        .arg("--config")
        .arg(config)
        .output()
        .expect("list");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn two_accounts_of_one_group_mark_in_turn_and_at_once() {
    let Some(accounts) = Accounts::create() else {
        return;
    };
    let (_dir, inbox, config) = shared_inbox(&accounts);
    let ids = ids(&inbox, &config);
    let (ayu, marc, outsider) = (&accounts.users[0], &accounts.users[1], &accounts.users[2]);

    // In turn: ayu creates the state, marc must be able to replace it.
    for (user, id) in [(ayu, &ids[0]), (marc, &ids[1]), (ayu, &ids[2])] {
        let out = finish(as_user(
            user,
            &inbox,
            &config,
            &["mark", id, "--as", "verified"],
        ));
        assert!(
            out.status.success(),
            "{user}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // At once: eight marks from both accounts.
    let children: Vec<_> = (3..11)
        .map(|n| {
            as_user(
                if n % 2 == 0 { ayu } else { marc },
                &inbox,
                &config,
                &["mark", &ids[n], "--as", "needs-review"],
            )
        })
        .collect();
    for child in children {
        let out = finish(child);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let state_path = inbox.join(".copydesk/state.toml");
    let state: toml::Table = std::fs::read_to_string(&state_path)
        .expect("state")
        .parse()
        .expect("parses");
    let articles = state["articles"].as_table().expect("articles");
    assert_eq!(articles.len(), 11, "every mark kept");
    assert_eq!(
        articles[ids[1].as_str()]["editor"].as_str(),
        Some(marc.as_str())
    );
    for path in [
        inbox.join(".copydesk"),
        state_path.clone(),
        inbox.join(".copydesk/state.toml.lock"),
    ] {
        let meta = std::fs::metadata(&path).expect("meta");
        assert_eq!(
            meta.gid(),
            accounts.gid(),
            "{} keeps the desk's group",
            path.display()
        );
        assert_eq!(
            meta.mode() & 0o060,
            0o060,
            "{} is group-writable: {:o}",
            path.display(),
            meta.mode()
        );
        assert_eq!(
            meta.mode() & 0o002,
            0,
            "{} is not world-writable",
            path.display()
        );
    }

    // Outside the group: one line naming the file and the permission; nothing changes.
    let before = std::fs::read(&state_path).expect("state");
    let mark = ["mark", &ids[20], "--as", "verified"];
    let stderr = refused_as(outsider, &inbox, &config, &mark);
    assert!(stderr.contains("state.toml") && stderr.contains("permission denied"));
    assert_eq!(std::fs::read(&state_path).expect("state"), before);
    let out = finish(as_user(outsider, &inbox, &config, &["list"]));
    assert!(out.status.success(), "reading still works for the outsider");

    // A write-protected state file freezes the desk, though the folder would let a save
    // rename a new file over it (helper 28).
    let mode = std::fs::metadata(&state_path).expect("meta").permissions();
    std::fs::set_permissions(&state_path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let stderr = refused_as(ayu, &inbox, &config, &mark);
    assert!(stderr.contains("state.toml': cannot write it: it is write-protected"));
    assert_eq!(std::fs::read(&state_path).expect("state"), before);
    std::fs::set_permissions(&state_path, mode).expect("chmod back");

    // So does a folder where no new file can be made (helper 32): said before anything.
    let folder = inbox.join(".copydesk");
    let folder_mode = std::fs::metadata(&folder).expect("meta").permissions();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let stderr = refused_as(ayu, &inbox, &config, &mark);
    assert!(stderr.contains("cannot write files beside it: permission denied"));
    std::fs::set_permissions(&folder, folder_mode).expect("chmod back");
    assert_eq!(std::fs::read(&state_path).expect("state"), before);
}
