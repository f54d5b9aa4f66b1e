//! Replays every input of fuzz/regressions/<target>/ through the checks its fuzz target runs
//! (fuzz/src/checks.rs, compiled here on stable Rust), so a crash the fuzzer once found stays
//! fixed in CI. Also runs the seeds of sample/ and tests/fixtures/ through every check.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Runs `check` on `input`, naming the file when it panics.
fn replay(target: &str, check: checks::Check, input: &Path) {
    let bytes = std::fs::read(input).expect("read input");
    if std::panic::catch_unwind(|| check(&bytes)).is_err() {
        panic!("{target} fails on {}", input.display());
    }
}

#[test]
fn every_committed_regression_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (target, check) in checks::TARGETS {
        for input in files_in(&root.join(target)) {
            replay(target, check, &input);
            replayed += 1;
        }
    }
    // Every folder is a known target, so no input is silently skipped.
    for dir in std::fs::read_dir(&root)
        .expect("fuzz/regressions")
        .flatten()
    {
        let name = dir.file_name().to_string_lossy().into_owned();
        assert!(
            name.starts_with('.')
                || name.ends_with(".md")
                || checks::TARGETS.iter().any(|(t, _)| *t == name),
            "fuzz/regressions/{name} is not a fuzz target"
        );
    }
    eprintln!("{replayed} regression inputs replayed");
}

#[test]
fn every_seed_file_passes_every_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![
        root.join("sample"),
        root.join("tests/fixtures/hostile"),
        root.join("tests/fixtures/state"),
    ];
    let mut files = Vec::new();
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = entry.path();
            if entry.file_type().expect("type").is_dir() {
                dirs.push(p);
            } else {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 80, "{}", files.len());
    for input in &files {
        for (target, check) in checks::TARGETS {
            replay(target, check, input);
        }
    }
}
