//! Twin ids follow their decisions.
//!
//! Two files that declare the same id (or share a stem: `story.txt` and `story.md`) list as
//! `same` and `same~2`, in the order the index reads them. That order alone would hand the
//! second file `same` once the first goes, or push the first to `same~2` when a file that
//! sorts before it arrives, and the decision made on it would no longer show. A decision
//! records its file whenever its id does not name it, so the state says which id each file
//! was decided under: here every article of a twin family takes back that id, and the others
//! share out what is left.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;

use super::{Entry, State};
use crate::inbox::{Article, Location};

/// What the index's warning on a twin says (`id 'x' is used twice; this one is 'x~2'`).
const USED_TWICE: &str = " is used twice";
/// What the warning on a twin that took back its decision's id says.
const DECIDED_UNDER: &str = ", the id it was decided under";

/// An id without the `~2` a twin gets (`same~2` → `same`).
pub fn twin_base(id: &str) -> &str {
    match id.rsplit_once('~') {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => id,
    }
}

/// The articles (by position) that must take another id so that each twin shows the decision
/// made on its own file, with their new ids. Empty, and cheap, when no twin was decided and
/// no article is a twin.
pub fn twin_renames<A: Borrow<Article>, B: Borrow<Article>>(
    articles: &[A],
    state: &State,
    before: &[B],
) -> Vec<Rename> {
    let families = families(articles, state);
    if families.is_empty() {
        return Vec::new();
    }
    // A file declaring `x~2` itself is one of the family too: a twin decided under that id
    // keeps it (helper 36: the newcomer took it, and the next mark on it replaced that
    // decision).
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        let base = twin_base(&a.borrow().id);
        if families.contains(base) {
            members.entry(base).or_default().push(i);
        }
    }
    let had = ids_before(before, &families);
    let all: HashSet<&str> = articles.iter().map(|a| &*a.borrow().id).collect();
    let mut renames = Vec::new();
    for (base, at) in members {
        let family: Vec<&Article> = at.iter().map(|&i| articles[i].borrow()).collect();
        let ids = share_out(base, &family, state, &all, &had);
        for ((a, id), &index) in family.iter().zip(ids).zip(&at) {
            if *a.id != *id {
                let alone = family.len() == 1;
                renames.push(Rename { index, id, alone });
            }
        }
    }
    renames.sort_unstable_by_key(|r| r.index);
    renames
}

/// An article that takes another id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    /// Its position in the articles given.
    pub index: usize,
    pub id: String,
    /// No other article of its family is in the inbox now.
    pub alone: bool,
}

/// Gives articles the new ids of [`twin_renames`], each with a warning that says why, and puts
/// them back in the list's order (newest first, then by id). Returns the renames as
/// `(old id, new id)`.
///
/// `before` is the list this one replaces (a screen's), whose ids undecided twins keep, so
/// that a file arriving does not move the cursor, a note being typed or the new-article mark
/// to another file (helper 36); empty for the first list.
///
/// Then decisions follow their articles to other folders ([`follow_moved_files`]).
pub fn settle_twins(
    articles: &mut [Arc<Article>],
    state: &mut State,
    before: &[Arc<Article>],
) -> Vec<(String, String)> {
    let renames = twin_renames(articles, state, before);
    let renamed = apply(articles, renames, Arc::make_mut);
    follow_moved_files(articles, state);
    renamed
}

/// [`settle_twins`] for articles owned outright (the command line's inbox).
pub fn settle_owned_twins(articles: &mut [Article], state: &mut State) {
    let renames = twin_renames(articles, state, &[] as &[Article]);
    apply(articles, renames, |a| a);
    follow_moved_files(articles, state);
}

/// Decisions follow their articles to another folder. A decision records its file when its
/// id does not name it; when that file is gone and the one article under the id now is a file
/// of the same name in another folder (`mt/x.md` moved to `archive/x.md`), the decision is
/// that article's: `state` records it on the new file, in memory, and keeps where it was
/// recorded in [`State::moved`] (the next change on the article writes the move).
///
/// A file renamed, an id two files use now, or a twin's id (`x~2`) is not followed: another
/// file's decision must not show as this one's (a twin that was there all along takes the id
/// when the first file goes; its name is another).
pub fn follow_moved_files<A: Borrow<Article>>(articles: &[A], state: &mut State) {
    let recorded: Vec<(&str, &str)> = state
        .articles
        .iter()
        .filter(|(id, _)| twin_base(id) == id.as_str())
        .filter_map(|(id, e)| Some((id.as_str(), e.file.as_deref()?)))
        .collect();
    if recorded.is_empty() {
        return;
    }
    // Every settle at 100,000 decisions that record their file: 13 ms median, 33 ms with the
    // standard hasher and the names compared before the paths.
    let by_id: rustc_hash::FxHashMap<&str, &Article> = articles
        .iter()
        .map(|a| (&*a.borrow().id, a.borrow()))
        .collect();
    let mut moves: Vec<(String, String, String)> = recorded
        .into_iter()
        .filter_map(|(id, file)| {
            let path = &by_id.get(id)?.location.rel_path;
            let moved = path.as_os_str() != file && Path::new(file).file_name() == path.file_name();
            moved.then(|| {
                (
                    id.to_string(),
                    file.to_string(),
                    path.to_string_lossy().into(),
                )
            })
        })
        .collect();
    if moves.is_empty() {
        return;
    }
    let present: HashSet<&Path> = by_id.values().map(|a| &*a.location.rel_path).collect();
    let twinned: HashSet<&str> = by_id
        .keys()
        .filter(|id| twin_base(id).len() < id.len())
        .map(|id| twin_base(id))
        .collect();
    moves.retain(|(id, from, _)| !present.contains(Path::new(from)) && !twinned.contains(&**id));
    for (id, from, to) in moves {
        if let Some(entry) = state.articles.get_mut(&id) {
            entry.file = Some(to.into());
            state.moved.insert(id, from.into());
        }
    }
}

/// Renames the articles `renames` names (`writable` gives each one to change) and sorts the
/// list again when any was.
fn apply<A: Borrow<Article>>(
    articles: &mut [A],
    renames: Vec<Rename>,
    writable: impl Fn(&mut A) -> &mut Article,
) -> Vec<(String, String)> {
    let mut done = Vec::with_capacity(renames.len());
    for r in renames {
        let a = writable(&mut articles[r.index]);
        done.push((a.id.to_string(), r.id.clone()));
        rename(a, r);
    }
    if !done.is_empty() {
        articles.sort_by(|a, b| crate::inbox::list_order(a.borrow(), b.borrow()));
    }
    done
}

/// The twin families to look at: those with a decision under a twin's id, and those the index
/// made twins in.
fn families<'a, A: Borrow<Article>>(articles: &'a [A], state: &'a State) -> HashSet<&'a str> {
    let decided = state
        .articles
        .iter()
        .filter(|(id, e)| e.file.is_some() && twin_base(id).len() < id.len())
        .map(|(id, _)| twin_base(id));
    let made = articles
        .iter()
        .map(Borrow::borrow)
        .filter(|a| is_twin(a))
        .map(|a| twin_base(&a.id));
    decided.chain(made).collect()
}

/// Whether the article's id was made for a twin (a declared `x~2` is not one).
fn is_twin(a: &Article) -> bool {
    a.warnings().iter().any(|w| is_twin_warning(w))
}

/// Whether a warning says why an article has a twin's id.
pub fn is_twin_warning(warning: &str) -> bool {
    warning.contains(USED_TWICE) || warning.contains(DECIDED_UNDER)
}

/// The ids of one family's articles, in their order: first each article's own decision's id,
/// then its current id if still free, then the first free one of `base`, `base~2`, ...
/// An id another article outside the family holds is never given.
fn share_out(
    base: &str,
    family: &[&Article],
    state: &State,
    all: &HashSet<&str>,
    had: &HashMap<&Location, &str>,
) -> Vec<String> {
    let outside = |id: &str| all.contains(id) && family.iter().all(|a| *a.id != *id);
    let decided = decided_ids(base, state);
    let mut given: HashSet<String> = HashSet::new();
    // Items of one file (a feed's items with one guid) cannot be told apart by the file a
    // decision records: they keep their ids (h37: they swapped at every settle).
    let shares_file = |a: &Article| {
        let same = family
            .iter()
            .filter(|b| b.location.rel_path == a.location.rel_path);
        same.count() > 1
    };
    let mut ids: Vec<Option<String>> = family
        .iter()
        .map(|a| {
            if shares_file(a) {
                return None;
            }
            let own = own_decision(a, &decided)?;
            (!outside(own) && given.insert(own.to_string())).then(|| own.to_string())
        })
        .collect();
    // Then the id each had in the list before, while free.
    for (slot, a) in ids.iter_mut().zip(family) {
        let Some(&id) = had.get(&a.location).filter(|_| slot.is_none()) else {
            continue;
        };
        if twin_base(id) == base && !outside(id) && given.insert(id.to_string()) {
            *slot = Some(id.to_string());
        }
    }
    for (slot, a) in ids.iter_mut().zip(family) {
        if slot.is_some() {
            continue;
        }
        let free = std::iter::once(a.id.to_string())
            .chain(std::iter::once(base.to_string()))
            .chain((2u32..).map(|k| format!("{base}~{k}")))
            .find(|id| !outside(id) && !given.contains(id))
            .unwrap_or_default();
        given.insert(free.clone());
        *slot = Some(free);
    }
    ids.into_iter().map(Option::unwrap_or_default).collect()
}

/// The ids the articles of these families had in the list before, by where they are.
fn ids_before<'a, B: Borrow<Article>>(
    before: &'a [B],
    families: &HashSet<&str>,
) -> HashMap<&'a Location, &'a str> {
    before
        .iter()
        .map(Borrow::borrow)
        .filter(|a| families.contains(twin_base(&a.id)))
        .map(|a| (&a.location, &*a.id))
        .collect()
}

/// The decisions under `base` and its twins' ids (`base~2`, ...) that name their file.
/// The first holds no file when `base` is made from a file's path (which it then names).
fn decided_ids<'a>(base: &str, state: &'a State) -> Vec<(&'a str, &'a Entry)> {
    let first = state.articles.get_key_value(base);
    // Every key that begins `base~` ('~' is followed by DEL in byte order).
    let (from, to) = (format!("{base}~"), format!("{base}\u{7f}"));
    let twins = state
        .articles
        .range::<str, _>((Bound::Included(from.as_str()), Bound::Excluded(to.as_str())))
        .filter(|(id, e)| e.file.is_some() && twin_base(id) == base);
    first
        .into_iter()
        .chain(twins)
        .map(|(id, e)| (id.as_str(), e))
        .collect()
}

/// The id this article's own decision is under: its current id when that decision names its
/// file, else the latest decision naming its file.
fn own_decision<'a>(a: &Article, decided: &[(&'a str, &'a Entry)]) -> Option<&'a str> {
    let file = a.location.rel_path.to_string_lossy();
    // A decision under an id made from a path records no file: it is that path's (h37).
    let named = |id: &str| crate::inbox::file_id(&a.location.rel_path) == id;
    let mine = decided.iter().filter(|(id, e)| match e.file.as_deref() {
        Some(f) => f == file,
        None => named(id),
    });
    let mut mine: Vec<&(&str, &Entry)> = mine.collect();
    if let Some((id, _)) = mine.iter().find(|(id, _)| *id == &*a.id) {
        return Some(id);
    }
    mine.sort_by_key(|(_, e)| e.marked_at);
    mine.last().map(|(id, _)| *id)
}

/// Gives the article its new id, with a warning in place of the index's one.
fn rename(a: &mut Article, r: Rename) {
    let base = twin_base(&a.id).to_string();
    // Declared as `x~2` itself, not made a twin by the index.
    let declared = (base.len() < a.id.len() && !is_twin(a)).then(|| a.id.to_string());
    let warnings = &mut a.rare_mut().warnings;
    warnings.retain(|w| !is_twin_warning(w));
    let warning = match (declared, r.alone) {
        (Some(own), _) => Some(format!(
            "id '{own}'{USED_TWICE}: another file holds it; this one is '{}'",
            r.id
        )),
        _ if r.id == base => None,
        (None, false) => Some(format!("id '{base}'{USED_TWICE}; this one is '{}'", r.id)),
        (None, true) => Some(format!(
            "id '{base}' shows as '{}'{DECIDED_UNDER} while another file was '{base}'",
            r.id
        )),
    };
    warnings.extend(warning);
    a.id = r.id.into();
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::Path;

    use super::*;
    use crate::inbox::{Inbox, ScanOptions};
    use crate::state::Status;

    type Res = Result<(), Box<dyn std::error::Error>>;

    fn write(dir: &Path, file: &str, id: &str, title: &str) -> std::io::Result<()> {
        let text = format!("---\nid: {id}\ntitle: {title}\n---\n{title} body\n");
        std::fs::write(dir.join(file), text)
    }

    /// The inbox as the command line reads it, its twins settled by `state`.
    fn settled(dir: &Path, state: &State) -> Result<Inbox, Box<dyn std::error::Error>> {
        settled_into(dir, &mut state.clone())
    }

    /// [`settled`], leaving in `state` the decisions that followed their files.
    fn settled_into(dir: &Path, state: &mut State) -> Result<Inbox, Box<dyn std::error::Error>> {
        let mut inbox = Inbox::scan(dir, ScanOptions::default())?;
        settle_owned_twins(&mut inbox.articles, state);
        Ok(inbox)
    }

    fn decided(id: &str, file: &str) -> Result<State, Box<dyn std::error::Error>> {
        let text = format!(
            "version = 2\n[articles.\"{id}\"]\nstatus = \"verified\"\neditor = \"ayu\"\n\
             marked_at = 2026-11-27T09:00:00+07:00\nfile = \"{file}\"\n"
        );
        State::parse(&text).map_err(|e| format!("{e:?}").into())
    }

    fn id_of(inbox: &Inbox, title: &str) -> String {
        let a = inbox.articles.iter().find(|a| &*a.title == title);
        a.map(|a| a.id.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_twin_keeps_its_decision_when_the_first_file_goes() -> Res {
        let dir = tempfile::tempdir()?;
        write(dir.path(), "a.md", "dup", "Alpha")?;
        write(dir.path(), "b.md", "dup", "Bravo")?;
        let state = decided("dup~2", "b.md")?;
        assert_eq!(id_of(&settled(dir.path(), &state)?, "Bravo"), "dup~2");

        std::fs::remove_file(dir.path().join("a.md"))?;
        let bare = Inbox::scan(dir.path(), ScanOptions::default())?;
        assert_eq!(
            id_of(&bare, "Bravo"),
            "dup",
            "the index alone gives it the free id"
        );
        let inbox = settled(dir.path(), &state)?;
        let b = inbox.get("dup~2").ok_or("Bravo is not dup~2")?;
        assert_eq!(state.status_for(b), Status::Verified);
        assert!(inbox.get("dup").is_none());
        assert!(
            b.warnings()
                .iter()
                .any(|w| w.contains("the id it was decided under"))
        );
        Ok(())
    }

    #[test]
    fn a_file_listed_first_does_not_take_a_decided_files_id() -> Res {
        let dir = tempfile::tempdir()?;
        write(dir.path(), "m.md", "dup", "Mike")?;
        let state = decided("dup", "m.md")?;
        write(dir.path(), "a.md", "dup", "Alpha")?;
        let bare = Inbox::scan(dir.path(), ScanOptions::default())?;
        assert_eq!(
            id_of(&bare, "Mike"),
            "dup~2",
            "the index alone gives it the twin's id"
        );

        let inbox = settled(dir.path(), &state)?;
        assert_eq!(id_of(&inbox, "Mike"), "dup");
        assert_eq!(id_of(&inbox, "Alpha"), "dup~2");
        let mike = inbox.get("dup").ok_or("no dup")?;
        assert_eq!(state.status_for(mike), Status::Verified);
        let alpha = inbox.get("dup~2").ok_or("no dup~2")?;
        assert_eq!(state.status_for(alpha), Status::Untriaged);
        assert!(alpha.warnings().iter().any(|w| w.contains("is used twice")));
        Ok(())
    }

    /// helper 36: a file declaring `dup~2` itself took the id a twin was decided under, and
    /// the next mark on it replaced that decision.
    #[test]
    fn a_decided_twin_keeps_its_id_over_a_file_declaring_it() -> Res {
        let dir = tempfile::tempdir()?;
        write(dir.path(), "b.md", "dup", "Bravo")?;
        write(dir.path(), "c.md", "dup~2", "Charlie")?;
        let state = decided("dup~2", "b.md")?;
        let inbox = settled(dir.path(), &state)?;
        assert_eq!(id_of(&inbox, "Bravo"), "dup~2");
        let charlie = inbox.articles.iter().find(|a| &*a.title == "Charlie");
        let charlie = charlie.ok_or("no Charlie")?;
        assert_ne!(&*charlie.id, "dup~2");
        assert!(
            charlie
                .warnings()
                .iter()
                .any(|w| w.contains("id 'dup~2' is used twice: another file holds it")),
            "{:?}",
            charlie.warnings()
        );
        let ids: HashSet<&str> = inbox.articles.iter().map(|a| &*a.id).collect();
        assert_eq!(ids.len(), 2);
        // Undecided, a file keeps the id it declares.
        let inbox = settled(dir.path(), &State::default())?;
        assert_eq!(id_of(&inbox, "Charlie"), "dup~2");
        Ok(())
    }

    #[test]
    fn twins_of_one_stem_follow_their_decisions_too() -> Res {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("story.md"), "# Markdown story\n\nBody.\n")?;
        std::fs::write(dir.path().join("story.txt"), "Text story\n\nBody.\n")?;
        let inbox = settled(dir.path(), &State::default())?;
        let twin = inbox.get("story~2").ok_or("no twin")?;
        let file = twin.location.rel_path.to_string_lossy().into_owned();
        let state = decided("story~2", &file)?;
        let title = twin.title.to_string();

        let other = if file == "story.md" {
            "story.txt"
        } else {
            "story.md"
        };
        std::fs::remove_file(dir.path().join(other))?;
        assert_eq!(id_of(&settled(dir.path(), &state)?, &title), "story~2");
        Ok(())
    }

    /// h37: two items of one feed with one guid both matched the decision on `~2` (it names
    /// the file only), and swapped ids at every settle.
    #[test]
    fn items_of_one_file_keep_their_ids() -> Res {
        let dir = tempfile::tempdir()?;
        let item = |title: &str| {
            format!(
                "<item><title>{title}</title><guid>same-guid</guid><description>{title} text.</description></item>"
            )
        };
        let feed = format!(
            "<rss version=\"2.0\"><channel><title>W</title>{}{}</channel></rss>",
            item("One"),
            item("Two")
        );
        std::fs::write(dir.path().join("wire.xml"), feed)?;
        let bare = Inbox::scan(dir.path(), ScanOptions::default())?;
        let two = id_of(&bare, "Two");
        assert!(two.ends_with("~2"), "{two}");
        let mut state = decided(&two, "wire.xml")?;
        let once = settled(dir.path(), &state)?;
        assert_eq!(id_of(&once, "Two"), two);
        let mut again = once.clone();
        settle_owned_twins(&mut again.articles, &mut state);
        assert_eq!(id_of(&again, "Two"), two);
        Ok(())
    }

    /// h37: a decision under an id made from a file's path records no file, and a newcomer
    /// declaring that id took it, with the decision.
    #[test]
    fn a_decision_under_a_path_id_stays_with_its_file() -> Res {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("story.md"), "# Story\n\nThe story.\n")?;
        let state = State::parse(
            "version = 2\n[articles.story]\nstatus = \"verified\"\neditor = \"ayu\"\n\
             marked_at = 2026-11-27T09:00:00+07:00\n",
        )
        .map_err(|e| format!("{e:?}"))?;
        write(dir.path(), "a.md", "story", "Newcomer")?;
        let bare = Inbox::scan(dir.path(), ScanOptions::default())?;
        assert_eq!(
            id_of(&bare, "Newcomer"),
            "story",
            "the index alone gives it the id"
        );
        let inbox = settled(dir.path(), &state)?;
        assert_eq!(id_of(&inbox, "Story"), "story");
        assert_eq!(id_of(&inbox, "Newcomer"), "story~2");
        Ok(())
    }

    #[test]
    fn a_decision_follows_its_file_to_another_folder_only() -> Res {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("archive"))?;
        write(dir.path(), "archive/story.md", "declared", "Moved")?;
        let mut state = decided("declared", "mt/story.md")?;
        let inbox = settled_into(dir.path(), &mut state)?;
        let a = inbox.get("declared").ok_or("no article")?;
        assert_eq!(state.status_for(a), Status::Verified);
        assert_eq!(
            state.articles["declared"].file.as_deref(),
            Some("archive/story.md")
        );
        assert_eq!(state.moved["declared"].as_ref(), "mt/story.md");
        // Settled again (the screen settles at every refresh), it stays where it came from.
        let again = settled_into(dir.path(), &mut state)?;
        assert_eq!(
            state.status_for(again.get("declared").ok_or("gone")?),
            Status::Verified
        );
        assert_eq!(state.moved["declared"].as_ref(), "mt/story.md");

        // Renamed, it is another file: not followed.
        let mut state = decided("declared", "archive/other-name.md")?;
        let inbox = settled_into(dir.path(), &mut state)?;
        let a = inbox.get("declared").ok_or("no article")?;
        assert_eq!(state.status_for(a), Status::Untriaged);
        assert!(state.moved.is_empty());

        // The file decided on is still there: the decision stays its (twins share out ids).
        write(dir.path(), "story.md", "declared", "Original")?;
        let mut state = decided("declared", "story.md")?;
        let inbox = settled_into(dir.path(), &mut state)?;
        assert_eq!(id_of(&inbox, "Original"), "declared");
        assert_eq!(state.articles["declared"].file.as_deref(), Some("story.md"));
        assert!(state.moved.is_empty());

        // Gone, but two files use the id now: neither is taken for it.
        std::fs::remove_file(dir.path().join("story.md"))?;
        std::fs::create_dir_all(dir.path().join("web"))?;
        write(dir.path(), "web/story.md", "declared", "Another")?;
        let mut state = decided("declared", "story.md")?;
        let inbox = settled_into(dir.path(), &mut state)?;
        assert!(inbox.get("declared~2").is_some());
        assert_eq!(state.articles["declared"].file.as_deref(), Some("story.md"));
        assert!(state.moved.is_empty());
        Ok(())
    }

    #[test]
    fn twin_bases_are_ids_without_a_twins_number() {
        assert_eq!(twin_base("same~2"), "same");
        assert_eq!(twin_base("same~12"), "same");
        assert_eq!(twin_base("same~x"), "same~x");
        assert_eq!(twin_base("same~"), "same~");
        assert_eq!(twin_base("same"), "same");
    }
}
