//! The store on real files: journal, folds, crashes, cache, sharing.
use super::*;
use crate::state::{NoteChange, Status};

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T09:00:00+07:00").expect("time")
}

fn change(id: &str, status: Status) -> Change {
    Change::new(id, status, NoteChange::Keep)
}

#[test]
fn two_stores_on_one_file_keep_both_marks() -> Result<(), StateError> {
    let dir = tempfile::tempdir().map_err(|e| io_error(Path::new("tmp"), "make", &e))?;
    let path = dir.path().join(".copydesk/state.toml");
    let mut ayu = Store::open(&path)?;
    let mut marc = Store::open(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    marc.apply(&[change("b", Status::NeedsReview)], "marc", now())?;
    assert_eq!(marc.state.status_of("a"), Status::Verified);
    assert!(ayu.reload_if_changed()?);
    assert_eq!(ayu.state.status_of("b"), Status::NeedsReview);
    assert!(!ayu.reload_if_changed()?);
    Ok(())
}

/// helper 29, on a filesystem keeping whole seconds: another editor's rewrite came back with
/// the same inode, size and time, and the next save wrote the copy it held over it.
#[test]
fn a_rewrite_that_keeps_inode_size_and_time_is_read_before_the_next_save()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("state.toml");
    let mut ayu = Store::open(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    let mut marc = Store::open(&path)?;
    // bob's save, as such a filesystem leaves it: in place, as long, at the same time.
    let before = fs::metadata(&path)?;
    let text = fs::read_to_string(&path)?;
    let bobs = text.replace("editor = \"ayu\"", "editor = \"bob\"");
    assert_ne!(bobs, text);
    fs::write(&path, &bobs)?;
    File::options()
        .write(true)
        .open(&path)?
        .set_modified(before.modified()?)?;
    assert_eq!(stamp(&path), marc.base, "the stamp cannot tell");
    marc.apply(&[change("b", Status::NeedsReview)], "marc", now())?;
    let after = Store::open(&path)?;
    assert_eq!(after.state.articles["a"].editor, "bob", "bob's save stands");
    assert_eq!(after.state.status_of("b"), Status::NeedsReview);
    Ok(())
}

#[test]
fn a_lock_file_removed_during_a_save_stops_it() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("state.toml");
    let store = Store::open(&path)?;
    let lock = store.lock()?;
    assert!(store.still_locked(&lock).is_ok());
    fs::remove_file(store.lock_path())?;
    let err = store.still_locked(&lock).err().map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("state.toml.lock") && e.contains("nothing saved")),
        "{err:?}"
    );
    // The next save locks the new lock file, which other editors see.
    let mut store = store;
    drop(lock);
    store.apply(&[change("a", Status::Verified)], "ayu", now())?;
    assert!(store.lock_path().exists());
    Ok(())
}

#[test]
fn a_state_file_reached_through_a_link_is_saved_where_the_link_points()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let real = dir.path().join("shared/state.toml");
    let mut desk = Store::open(&real)?;
    desk.apply(&[change("a", Status::Verified)], "ayu", now())?;
    let link = dir.path().join("inbox-state.toml");
    std::os::unix::fs::symlink(&real, &link)?;
    let mut through = Store::open(&link)?;
    through.apply(&[change("b", Status::NeedsReview)], "marc", now())?;
    assert!(
        fs::symlink_metadata(&link)?.file_type().is_symlink(),
        "the link stays"
    );
    desk.apply(&[change("c", Status::Verified)], "ayu", now())?;
    let both = Store::open(&link)?;
    let statuses = ["a", "b", "c"].map(|id| both.state.status_of(id));
    assert_eq!(
        statuses,
        [Status::Verified, Status::NeedsReview, Status::Verified]
    );
    // A link to a state file not made yet (relative, as `ln -s` makes them): made there.
    let dangling = dir.path().join("new-link.toml");
    std::os::unix::fs::symlink("shared/new-state.toml", &dangling)?;
    Store::open(&dangling)?.apply(&[change("d", Status::Verified)], "ayu", now())?;
    assert!(fs::symlink_metadata(&dangling)?.file_type().is_symlink());
    let made = Store::open(&dir.path().join("shared/new-state.toml"))?;
    assert_eq!(made.state.status_of("d"), Status::Verified);
    Ok(())
}

#[test]
fn a_state_file_too_large_to_be_one_is_refused_unread() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("state.toml");
    // Sparse: nothing is written, and nothing may be read.
    File::create(&path)?.set_len(3 << 30)?;
    let err = Store::open(&path)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("state.toml") && err.contains("3072 MiB, more than a state file holds"),
        "{err}"
    );
    Ok(())
}

/// What a save replaced, as the store had it once others' saves were read in: what the
/// screen's undo puts back (helper 33: only the screen's tests built this, by hand).
#[test]
fn a_save_says_what_it_replaced_after_reading_others_saves() -> Result<(), StateError> {
    let dir = tempfile::tempdir().map_err(|e| io_error(Path::new("tmp"), "make", &e))?;
    let path = dir.path().join("state.toml");
    let mut ayu = Store::open(&path)?;
    let mut marc = Store::open(&path)?;
    marc.apply(&[change("a", Status::NeedsReview)], "marc", now())?;
    let applied = ayu.apply_replacing(
        &[change("a", Status::Verified), change("b", Status::Verified)],
        "ayu",
        now(),
    )?;
    assert!(applied.skipped.is_empty());
    let replaced: Vec<(&str, Option<(Status, &str)>)> = applied
        .replaced
        .iter()
        .map(|(id, e)| {
            (
                id.as_str(),
                e.as_ref().map(|e| (e.status, e.editor.as_str())),
            )
        })
        .collect();
    assert_eq!(
        replaced,
        [("a", Some((Status::NeedsReview, "marc"))), ("b", None)]
    );
    Ok(())
}

#[test]
fn a_state_file_grown_too_large_while_open_is_refused_on_reload()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("state.toml");
    let mut store = Store::open(&path)?;
    store.apply(&[change("a", Status::Verified)], "ayu", now())?;
    let big = dir.path().join("big.toml");
    File::create(&big)?.set_len(3 << 30)?;
    fs::rename(&big, &path)?;
    let err = store.reload_if_changed().err().map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("more than a state file holds")),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn a_lock_held_elsewhere_is_seen_as_a_save_in_progress() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("state.toml");
    let mut store = Store::open(&path)?;
    assert!(!store.someone_is_saving(), "no lock file yet");
    store.apply(&[change("a", Status::Verified)], "ayu", now())?;
    assert!(!store.someone_is_saving());
    let held = File::options().write(true).open(store.lock_path())?;
    held.lock()?;
    assert!(store.someone_is_saving());
    // helper 36: the screen's check at open waited 10 s for this lock, then called the screen
    // read-only (the lock timeout) for good.
    store.check_writable()?;
    held.unlock()?;
    assert!(!store.someone_is_saving());
    Ok(())
}

/// CI: eight editors' first saves at once on an inbox with no `.copydesk/` yet; one lost the
/// race to make the folder and was refused ("a file of that name is there").
#[test]
fn first_saves_at_once_all_make_or_find_the_folder() -> Result<(), Box<dyn std::error::Error>> {
    for _ in 0..20 {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(".copydesk/state.toml");
        let start = std::sync::Barrier::new(8);
        std::thread::scope(|s| {
            for n in 0..8 {
                let (path, start) = (&path, &start);
                s.spawn(move || {
                    let mut store = Store::unread(path, None);
                    start.wait();
                    let id = format!("a{n}");
                    store.apply(&[change(&id, Status::Verified)], "e", now())
                });
            }
        });
        assert_eq!(Store::open(&path)?.state.articles.len(), 8);
    }
    Ok(())
}

#[test]
fn new_files_in_a_group_writable_folder_are_group_writable()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o2775))?;
    let path = dir.path().join("state.toml");
    let mut store = Store::open(&path)?;
    store.apply(&[change("a", Status::Verified)], "e", now())?;
    for file in [path.clone(), dir.path().join("state.toml.lock")] {
        let mode = fs::metadata(&file)?.mode() & 0o777;
        assert_eq!(mode & 0o060, 0o060, "{} is {mode:o}", file.display());
        assert_eq!(mode & 0o002, 0, "{} is world-writable", file.display());
    }
    Ok(())
}

#[test]
fn a_corrupt_file_is_reported_and_never_overwritten() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("state.toml");
    let corrupt = "version = 1\n[articles.a]\nstatus = \"verified\"\nthis is not toml\n";
    fs::write(&path, corrupt)?;
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(err.contains("state.toml', line 4:"), "{err}");
    let mut store = Store {
        state: State::default(),
        ..Store::open(&dir.path().join("other.toml"))?
    };
    store.path = path.clone();
    assert!(
        store
            .apply(&[change("b", Status::Verified)], "e", now())
            .is_err()
    );
    assert_eq!(fs::read_to_string(&path)?, corrupt);
    Ok(())
}

fn journal_store(path: &Path) -> Result<Store, StateError> {
    let mut store = Store::open(path)?;
    store.set_fold_policy(FoldPolicy {
        journal_from: 0,
        fold_from: u64::MAX,
    });
    Ok(store)
}

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn later(minutes: i64) -> DateTime<FixedOffset> {
    now() + chrono::Duration::minutes(minutes)
}

#[test]
fn at_scale_marks_go_to_the_journal_and_others_read_only_its_end() -> Result<(), StateError> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    let mut marc = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    marc.apply(&[change("b", Status::NeedsReview)], "marc", later(1))?;
    ayu.apply(&[change("c", Status::TranslationSuspect)], "ayu", later(2))?;
    assert!(!path.exists(), "the state file is not rewritten");
    let journal = fs::read_to_string(ayu.journal_path()).expect("journal");
    assert_eq!(journal.matches("[[mark]]").count(), 3, "{journal}");
    let before = marc.tail.map(|t| t.offset);
    assert!(marc.reload_if_changed()?);
    assert!(marc.tail.map(|t| t.offset) > before);
    assert!(!marc.reload_if_changed()?);
    let fresh = Store::open(&path)?;
    for store in [&ayu, &marc, &fresh] {
        assert_eq!(store.state.status_of("a"), Status::Verified);
        assert_eq!(store.state.status_of("b"), Status::NeedsReview);
        assert_eq!(store.state.status_of("c"), Status::TranslationSuspect);
    }
    assert_eq!(fresh.state, ayu.state);
    assert_eq!(fresh.state, marc.state);
    Ok(())
}

#[test]
fn a_condition_is_checked_against_the_journal_written_since() -> Result<(), StateError> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    let mut marc = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    marc.reload_if_changed()?;
    // Ayu's undo expects her own mark; meanwhile Marc decides.
    marc.apply(&[change("a", Status::NeedsReview)], "marc", later(1))?;
    let undo = Change {
        expect: Some(crate::state::Expect {
            editor: "ayu".into(),
            marked_at: now(),
        }),
        ..change("a", Status::Untriaged)
    };
    let skipped = ayu.apply(&[undo], "ayu", later(2))?;
    assert_eq!(skipped, ["a"]);
    assert_eq!(ayu.state.articles["a"].editor, "marc");
    assert_eq!(
        Store::open(&path)?.state.status_of("a"),
        Status::NeedsReview
    );
    Ok(())
}

#[test]
fn a_fold_keeps_unknown_keys_and_the_others_follow() -> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    fs::write(
        &path,
        "version = 2\nsync = \"cms\"\n[articles.a]\nstatus = \"verified\"\neditor = \"e\"\nmarked_at = 2026-11-27T09:00:00Z\npriority = 3\n",
    )?;
    let mut ayu = journal_store(&path)?;
    let mut marc = journal_store(&path)?;
    ayu.apply(&[change("a", Status::NeedsReview)], "ayu", now())?;
    ayu.apply(&[change("b", Status::Verified)], "ayu", later(1))?;
    assert!(ayu.fold()?);
    assert!(!ayu.journal_path().exists());
    let text = fs::read_to_string(&path)?;
    let folded = State::parse(&text).map_err(|p| p.message)?;
    assert_eq!(folded.folded, 2);
    assert_eq!(folded.version, 2);
    assert_eq!(folded.extra["sync"].as_str(), Some("cms"));
    assert_eq!(folded.articles["a"].extra["priority"].as_integer(), Some(3));
    assert_eq!(folded.articles["a"].history.len(), 1);
    assert_eq!(folded.status_of("b"), Status::Verified);
    assert!(marc.reload_if_changed()?);
    assert_eq!(marc.state, ayu.state);
    // Marks after the fold start a new journal that follows on.
    marc.apply(&[change("c", Status::Verified)], "marc", later(2))?;
    assert!(fs::read_to_string(marc.journal_path())?.contains("seq = 3\n"));
    assert!(ayu.reload_if_changed()?);
    assert_eq!(ayu.state, Store::open(&path)?.state);
    Ok(())
}

/// helper 29 #5: a record a newer copydesk wrote lost its unknown keys when this one folded.
#[test]
fn a_journal_holding_a_newer_copydesks_keys_is_read_but_not_folded()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = Store::open(&path)?;
    ayu.set_fold_policy(FoldPolicy {
        journal_from: 0,
        fold_from: 1000,
    });
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    // A newer copydesk's record: its own key, and the check over every line above it.
    let mut record = String::from(
        "[[mark]]\nseq = 2\nid = \"b\"\nstatus = \"needs-review\"\neditor = \"bob\"\n\
         at = 2026-11-27T10:05:00+07:00\nurgency = \"high\"\n",
    );
    record.push_str(&format!(
        "check = \"{:08x}\"\n",
        crc32fast::hash(record.as_bytes())
    ));
    fs::OpenOptions::new()
        .append(true)
        .open(ayu.journal_path())?
        .write_all(record.as_bytes())?;

    // Enough marks to fold many times over: the journal stays, with bob's key.
    for n in 0..40 {
        ayu.apply(
            &[change(&format!("n{n}"), Status::Verified)],
            "ayu",
            later(n),
        )?;
    }
    let journal = fs::read_to_string(ayu.journal_path())?;
    assert!(journal.contains("urgency = \"high\""), "{journal}");
    let warned = ayu.take_warnings();
    assert_eq!(warned.len(), 1, "said once: {warned:?}");
    assert!(
        warned[0]
            .contains("not folded: it holds keys this copydesk does not know (line 9: urgency)"),
        "{warned:?}"
    );
    let fresh = Store::open(&path)?;
    assert_eq!(fresh.state.status_of("b"), Status::NeedsReview);
    assert_eq!(fresh.state.articles.len(), 42);
    Ok(())
}

#[test]
fn a_crash_between_the_fold_steps_neither_loses_nor_repeats_a_mark()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    ayu.apply(&[change("a", Status::NeedsReview)], "ayu", later(1))?;
    let journal = fs::read(ayu.journal_path())?;
    let expected = ayu.state.clone();
    // Crash before the rename: a temporary file beside an untouched state and journal.
    fs::write(dir.path().join(".state.toml.tmp.999"), "half of a state")?;
    assert_eq!(Store::open(&path)?.state.articles, expected.articles);
    // Crash after the rename, before the journal was removed.
    ayu.fold()?;
    fs::write(ayu.journal_path(), &journal)?;
    let reopened = Store::open(&path)?;
    assert_eq!(reopened.state.articles, expected.articles);
    assert_eq!(reopened.state.articles["a"].history.len(), 1);
    // The next mark starts a fresh journal after the folded records.
    let mut marc = journal_store(&path)?;
    marc.apply(&[change("a", Status::Verified)], "marc", later(2))?;
    let text = fs::read_to_string(marc.journal_path())?;
    assert!(
        text.contains("seq = 3\n") && !text.contains("seq = 1\n"),
        "{text}"
    );
    let last = Store::open(&path)?;
    assert_eq!(last.state.articles["a"].history.len(), 2);
    assert_eq!(last.state.articles["a"].editor, "marc");
    Ok(())
}

#[test]
fn a_save_cut_short_is_ignored_with_a_warning_then_cut_off()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    let complete = fs::read(ayu.journal_path())?;
    let torn = "[[mark]]\nseq = 2\nid = \"b\"\nstatus = \"verif";
    let mut file = OpenOptions::new().append(true).open(ayu.journal_path())?;
    file.write_all(torn.as_bytes())?;
    let mut reader = journal_store(&path)?;
    assert_eq!(reader.state.status_of("b"), Status::Untriaged);
    let warnings = reader.take_warnings();
    assert!(
        warnings.len() == 1
            && warnings[0]
                .contains("state.journal.toml', line 9: the last save there was cut short"),
        "{warnings:?}"
    );
    assert_eq!(
        fs::read(ayu.journal_path())?.len(),
        complete.len() + torn.len(),
        "a reader writes nothing"
    );
    ayu.apply(&[change("c", Status::Verified)], "ayu", later(1))?;
    assert_eq!(ayu.take_warnings().len(), 1);
    let text = fs::read_to_string(ayu.journal_path())?;
    assert!(text.starts_with(std::str::from_utf8(&complete)?));
    assert!(
        !text.contains("verif\n") && text.contains("seq = 2\nid = \"c\""),
        "{text}"
    );
    let mut again = Store::open(&path)?;
    assert!(again.take_warnings().is_empty());
    assert_eq!(again.state.status_of("c"), Status::Verified);
    assert!(reader.reload_if_changed()?);
    assert_eq!(reader.state, again.state);
    Ok(())
}

#[test]
fn damage_inside_the_journal_is_named_and_nothing_is_written()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    ayu.apply(&[change("b", Status::Verified)], "ayu", now())?;
    let damaged = fs::read_to_string(ayu.journal_path())?.replacen("id = \"a\"", "id = \"x\"", 1);
    fs::write(ayu.journal_path(), &damaged)?;
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(
        err.contains("state.journal.toml', line 2: damaged record"),
        "{err}"
    );
    assert!(err.ends_with("(the file was left untouched)"), "{err}");
    assert!(
        ayu.apply(&[change("c", Status::Verified)], "ayu", now())
            .is_err()
    );
    assert!(ayu.fold().is_err());
    assert_eq!(fs::read_to_string(ayu.journal_path())?, damaged);
    assert!(!path.exists());
    Ok(())
}

#[test]
fn the_cache_is_used_when_it_matches_and_rebuilt_when_not() -> Result<(), Box<dyn std::error::Error>>
{
    let dir = dir();
    let cache_dir = dir.path().join("cache");
    let path = dir.path().join("state.toml");
    let mut store = Store::open(&path)?;
    store.apply(&[change("a", Status::Verified)], "ayu", now())?;
    let first = Store::open_with_cache(&path, Some(&cache_dir))?;
    let cache_file = cache::file(&cache_dir, &path);
    assert!(cache_file.exists());
    // A cache for this very file (key and checksum) is what an open gives: here one made to
    // say "needs-review", which the file does not.
    let meta = fs::metadata(&path)?;
    let key = Stamp::of(&meta).cache_key();
    let crc = crc32fast::hash(&fs::read(&path)?);
    let mut planted = first.state.clone();
    planted.apply(&change("a", Status::NeedsReview), "ayu", now());
    cache::store(&cache_dir, &path, key, crc, &planted);
    let cached = Store::open_with_cache(&path, Some(&cache_dir))?;
    assert_eq!(cached.state.status_of("a"), Status::NeedsReview);
    // Same size, same time, same inode, other text (a hand edit in place): the file wins.
    let text = fs::read_to_string(&path)?;
    let mtime = meta.modified()?;
    let edited = text.replace("editor = \"ayu\"", "editor = \"bob\"");
    assert_ne!(edited, text);
    let file = OpenOptions::new().write(true).open(&path)?;
    (&file).write_all(edited.as_bytes())?;
    file.set_modified(mtime)?;
    assert_eq!(Stamp::of(&fs::metadata(&path)?).cache_key(), key);
    let reread = Store::open_with_cache(&path, Some(&cache_dir))?;
    assert_eq!(reread.state.articles["a"].editor, "bob");
    assert_eq!(reread.state.status_of("a"), Status::Verified);
    // And a hand edit that breaks the file is reported, not hidden by the cache.
    let file = OpenOptions::new().write(true).open(&path)?;
    (&file).write_all(edited.replace("\"verified\"", "\"verifieD\"").as_bytes())?;
    file.set_modified(mtime)?;
    assert!(Store::open_with_cache(&path, Some(&cache_dir)).is_err());
    fs::write(&path, &text)?;
    assert_eq!(
        Store::open_with_cache(&path, Some(&cache_dir))?.state,
        first.state
    );
    // A damaged cache is ignored, and rebuilt.
    fs::write(&cache_file, b"not a cache")?;
    assert_eq!(
        Store::open_with_cache(&path, Some(&cache_dir))?.state,
        first.state
    );
    assert_ne!(fs::read(&cache_file)?, b"not a cache");
    // An unwritable cache folder is not an error.
    let blocked = dir.path().join("file-not-folder");
    fs::write(&blocked, "")?;
    assert_eq!(
        Store::open_with_cache(&path, Some(&blocked))?.state,
        first.state
    );
    Ok(())
}

#[test]
fn a_journal_made_in_a_group_writable_folder_is_group_writable()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o2775))?;
    let path = dir.path().join("state.toml");
    let mut store = journal_store(&path)?;
    store.apply(&[change("a", Status::Verified)], "e", now())?;
    let mode = fs::metadata(store.journal_path())?.mode() & 0o777;
    assert_eq!(mode & 0o060, 0o060, "{mode:o}");
    assert_eq!(mode & 0o002, 0, "{mode:o}");
    Ok(())
}

#[test]
fn a_large_journal_is_folded_by_the_save_that_fills_it() -> Result<(), StateError> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut store = Store::open(&path)?;
    store.set_fold_policy(FoldPolicy {
        journal_from: 0,
        fold_from: 1000,
    });
    let mut saves = 0;
    while !path.exists() {
        saves += 1;
        store.apply(
            &[change(&format!("n{saves}"), Status::Verified)],
            "e",
            now(),
        )?;
        assert!(saves < 100, "never folded");
    }
    assert!(saves > 1, "folded at once");
    assert!(!store.journal_path().exists());
    assert_eq!(Store::open(&path)?.state.articles.len(), saves);
    Ok(())
}

#[test]
fn another_editors_fold_of_what_we_hold_is_not_read_again() -> Result<(), Box<dyn std::error::Error>>
{
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    let mut marc = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    ayu.fold()?;
    marc.reload_if_changed()?;
    ayu.apply(&[change("b", Status::Verified)], "ayu", later(1))?;
    marc.apply(&[change("c", Status::NeedsReview)], "marc", later(2))?;
    ayu.reload_if_changed()?;
    let loads = marc.loads;
    ayu.fold()?;
    assert!(marc.reload_if_changed()?);
    assert_eq!(
        marc.loads, loads,
        "the folded file was taken without reading it"
    );
    assert_eq!(marc.state, Store::open(&path)?.state);
    // And the two go on: marks after the fold reach both.
    marc.apply(&[change("d", Status::Verified)], "marc", later(3))?;
    assert!(ayu.reload_if_changed()?);
    assert_eq!(ayu.state, Store::open(&path)?.state);
    assert_eq!(ayu.state.status_of("d"), Status::Verified);
    Ok(())
}

#[test]
fn a_hand_edit_folded_by_another_editor_is_read() -> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    let mut marc = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    ayu.fold()?;
    marc.reload_if_changed()?;
    // Someone edits the file by hand; Ayu marks and folds before Marc looks again.
    let text = fs::read_to_string(&path)?;
    fs::write(
        &path,
        text.replace("editor = \"ayu\"", "editor = \"ayu\"\nnote = \"by hand\""),
    )?;
    ayu.apply(&[change("b", Status::Verified)], "ayu", later(1))?;
    ayu.fold()?;
    let loads = marc.loads;
    assert!(marc.reload_if_changed()?);
    assert_eq!(marc.loads, loads + 1, "read again");
    assert_eq!(marc.state.articles["a"].note(), Some("by hand"));
    assert_eq!(marc.state, Store::open(&path)?.state);
    Ok(())
}

#[test]
fn the_next_save_removes_what_a_killed_save_left_behind() -> Result<(), Box<dyn std::error::Error>>
{
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("state.toml");
    let mut store = Store::open(&path)?;
    store.apply(&[change("a", Status::Verified)], "e", now())?;
    // A save SIGKILLed between writing its temporary file and the rename.
    let left = dir.path().join(".state.toml.tmp.99999");
    fs::write(&left, "version = 1\n")?;
    let unrelated = dir.path().join("notes.txt");
    fs::write(&unrelated, "keep me")?;
    store.apply(&[change("b", Status::Verified)], "e", now())?;
    assert!(!left.exists(), "the stale temporary file is gone");
    assert!(unrelated.exists());
    assert_eq!(Store::open(&path)?.state.status_of("b"), Status::Verified);
    Ok(())
}

#[test]
fn a_state_from_a_newer_copydesk_is_said_so_once_and_kept() -> Result<(), Box<dyn std::error::Error>>
{
    let dir = dir();
    let path = dir.path().join("state.toml");
    let text = "version = 7\nfuture = \"yes\"\n\n[articles.a]\nstatus = \"verified\"\n\
                editor = \"e\"\nmarked_at = 2026-11-27T09:00:00Z\n";
    fs::write(&path, text)?;
    let mut store = Store::open(&path)?;
    let warnings = store.take_warnings();
    assert!(
        warnings.len() == 1 && warnings[0].contains("format version 7, newer than this"),
        "{warnings:?}"
    );
    store.apply(&[change("b", Status::Verified)], "ayu", now())?;
    let saved = fs::read_to_string(&path)?;
    assert!(
        saved.contains("version = 7") && saved.contains("future = \"yes\""),
        "{saved}"
    );
    let mut current = Store::open(&dir.path().join("other.toml"))?;
    assert!(current.take_warnings().is_empty());
    Ok(())
}

#[test]
fn an_unread_store_writes_nothing_until_its_file_reads_and_follows_it_then()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    // A damaged state file, then a damaged journal beside a good (small) state file.
    let corrupt = "version = 1\n[articles.a\nstatus = \"verified\"\n";
    fs::write(&path, corrupt)?;
    let mut store = Store::unread(&path, None);
    let stamp = store.disk_stamp();
    assert!(store.reload_if_changed().is_err());
    assert!(
        store
            .apply(&[change("b", Status::Verified)], "e", now())
            .is_err()
    );
    assert!(store.fold().is_err());
    assert_eq!(fs::read_to_string(&path)?, corrupt);
    assert_eq!(store.disk_stamp(), stamp, "nothing was written");

    // Mended: read on the next look, then saved to as usual.
    fs::write(
        &path,
        "version = 1\n[articles.a]\nstatus = \"verified\"\neditor = \"ayu\"\nmarked_at = 2026-11-27T08:00:00+07:00\n",
    )?;
    assert!(store.reload_if_changed()?);
    assert_eq!(store.state.status_of("a"), Status::Verified);
    assert_ne!(store.disk_stamp(), stamp);
    store.apply(&[change("b", Status::NeedsReview)], "e", now())?;
    assert_eq!(
        Store::open(&path)?.state.status_of("b"),
        Status::NeedsReview
    );

    // Set aside instead: no file is an empty state, and nothing to read.
    let mut aside = Store::unread(&dir.path().join("gone.toml"), None);
    assert!(!aside.reload_if_changed()?);
    Ok(())
}

#[test]
fn an_unread_store_never_writes_over_a_damaged_journal() -> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    // Damage before the last record (a torn last record is a save cut short, and cut off).
    ayu.apply(&[change("b", Status::Verified)], "ayu", now())?;
    let damaged = fs::read_to_string(ayu.journal_path())?.replacen("id = \"a\"", "id = \"x\"", 1);
    fs::write(ayu.journal_path(), &damaged)?;
    assert!(Store::open(&path).is_err());
    let mut store = Store::unread(&path, None);
    store.set_fold_policy(FoldPolicy {
        journal_from: 0,
        fold_from: u64::MAX,
    });
    assert!(
        store
            .apply(&[change("c", Status::Verified)], "e", now())
            .is_err()
    );
    assert!(store.fold().is_err());
    assert_eq!(fs::read_to_string(ayu.journal_path())?, damaged);
    Ok(())
}

#[test]
fn an_open_during_a_fold_sees_every_mark_made_before_it() -> Result<(), StateError> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut marc = journal_store(&path)?;
    marc.apply(&[change("a", Status::Verified)], "marc", now())?;
    marc.fold()?;
    marc.apply(&[change("b", Status::NeedsReview)], "marc", now())?;
    // ayu opens: she reads the state file, then marc folds his journal ("b") into a new state
    // file and removes the journal, then she reads the journal.
    let mut ayu = Store::unread(&path, None);
    let mut folds = 0;
    ayu.load_with(|| {
        if folds == 0 {
            marc.fold().expect("fold");
        }
        folds += 1;
    })?;
    assert_eq!(folds, 2, "the state file was read again");
    assert_eq!(ayu.state.status_of("b"), Status::NeedsReview);
    assert_eq!(ayu.state, Store::open(&path)?.state);
    Ok(())
}

#[test]
fn damage_to_the_last_complete_record_is_refused_not_taken_for_a_cut() -> Result<(), StateError> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    ayu.apply(&[change("b", Status::NeedsReview)], "ayu", now())?;
    let journal = ayu.journal_path();
    let damaged =
        fs::read_to_string(&journal)
            .expect("journal")
            .replacen("id = \"b\"", "id = \"x\"", 1);
    fs::write(&journal, &damaged).expect("write");
    let err = Store::open(&path).expect_err("refused").to_string();
    assert!(err.contains("damaged record"), "{err}");
    assert!(
        ayu.apply(&[change("c", Status::Verified)], "ayu", now())
            .is_err(),
        "the next mark must not cut it off"
    );
    assert_eq!(fs::read_to_string(&journal).expect("journal"), damaged);
    Ok(())
}

#[test]
fn record_numbers_never_wrap_and_a_journal_that_does_not_follow_is_named()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    // journal_folded past what a TOML integer holds: refused, nothing written.
    let huge = "version = 2\njournal_folded = 18446744073709551615\n";
    fs::write(&path, huge)?;
    let err = Store::open(&path).expect_err("refused").to_string();
    assert!(
        err.contains("journal_folded") || err.contains("line 2"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path)?, huge);
    // A journal whose first record is not the one after journal_folded (a state file put back
    // from a copy): named, rather than "changed too often".
    fs::write(&path, "version = 2\njournal_folded = 0\n")?;
    let mut ayu = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    let journal = fs::read_to_string(ayu.journal_path())?;
    fs::write(ayu.journal_path(), journal.replace("seq = 1", "seq = 5"))?;
    let text = fs::read_to_string(ayu.journal_path())?;
    // The record's check covers its lines: recompute it for the changed number.
    let body_start = text.find("[[mark]]").ok_or("no record")?;
    let check_at = text.find("check = ").ok_or("no check")?;
    let crc = crc32fast::hash(&text.as_bytes()[body_start..check_at]);
    let fixed = format!("{}check = \"{crc:08x}\"\n", &text[..check_at]);
    fs::write(ayu.journal_path(), fixed)?;
    let err = Store::open(&path).expect_err("refused").to_string();
    assert!(
        err.contains("state.journal.toml") && err.contains("do not follow the state file"),
        "{err}"
    );
    Ok(())
}

/// A crash can leave the file's new length with a block of zeros before a check line that was
/// written: that last save was never confirmed, and is cut off as one cut short.
#[test]
fn zeros_inside_the_last_record_are_a_save_cut_short() -> Result<(), Box<dyn std::error::Error>> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
    ayu.apply(&[change("b", Status::NeedsReview)], "ayu", now())?;
    let journal = ayu.journal_path();
    let text = fs::read_to_string(&journal)?;
    let b = text.find("id = \"b\"").ok_or("no b")?;
    let zeroed = format!("{}{}{}", &text[..b], "\0".repeat(8), &text[b + 8..]);
    fs::write(&journal, zeroed)?;
    let mut reader = Store::open(&path)?;
    assert_eq!(reader.state.status_of("a"), Status::Verified);
    assert_eq!(reader.state.status_of("b"), Status::Untriaged);
    assert!(reader.take_warnings()[0].contains("cut short"));
    Ok(())
}

/// A decision that followed its file to another folder: the change that records the move
/// goes through the journal, and another editor's store and the fold read it the same way.
#[test]
fn a_move_recorded_in_the_journal_is_followed_by_every_reader_and_the_fold()
-> Result<(), StateError> {
    let dir = dir();
    let path = dir.path().join("state.toml");
    let mut ayu = journal_store(&path)?;
    let decided = Change::decision("x", Status::Verified, NoteChange::Set("call back".into()))
        .on_file("mt/x.md");
    ayu.apply(&[decided], "ayu", now())?;
    let mut marc = journal_store(&path)?;
    let noted = Change::note("x", Status::Verified, NoteChange::Set("called".into()))
        .on_file("archive/x.md")
        .moved_from(Some("mt/x.md"));
    ayu.apply(&[noted], "ayu", later(1))?;
    assert!(marc.reload_if_changed()?);
    assert!(marc.fold()?);
    let fresh = Store::open(&path)?;
    for store in [&ayu, &marc, &fresh] {
        let e = &store.state.articles["x"];
        assert_eq!(e.file.as_deref(), Some("archive/x.md"));
        assert_eq!((e.status, e.note()), (Status::Verified, Some("called")));
    }
    Ok(())
}
