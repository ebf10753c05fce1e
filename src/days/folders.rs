//! The day folders of `--state` runs: each run merges what it read into what a folder
//! already holds (its `merge.jsonl`, read as `mailcodes merge` reads it), so that after any
//! number of runs a folder holds one pass over its day; every folder is checked before any
//! is written, and no line is merged in twice.
//!
//! The state moves on only after every folder was written, so a run that dies, or cannot
//! write one of its folders, after merging into others leaves the state as it was: the next
//! run reads the same lines again, and merged into those folders once more they would count
//! twice. Hence, for a state of generation G (see [`crate::state::format`]):
//!
//! 1. the folders a run is about to write are listed beside the state (`STATE.days`, with
//!    G), before any is written;
//! 2. before a folder is first merged into from generation G, what it held is kept beside
//!    its reports as `.mailcodes-premerge.G` (a hard link to its `merge.jsonl`; an empty file
//!    when it held none);
//! 3. a run that starts from generation G again (the last one never committed) merges into
//!    those copies instead of `merge.jsonl`, and writes every listed folder again — also one
//!    it has nothing new for, which so goes back to what its copy holds;
//! 4. once the state is saved (generation G+1), the copies and the list are removed; a list
//!    of another generation found by a later run was left by a run that did commit (and
//!    died before cleaning up), and its copies are removed then.

use crate::mergeable::{self, MergeError};
use crate::state::format::{fnv1a, hex, unhex};
use crate::state::sync_dir;
use crate::stats::Stats;
use std::ffi::OsStr;
use std::fmt;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The name a folder's pre-merge copy for generation `g` has.
fn copy_name(g: u64) -> String {
    format!(".mailcodes-premerge.{g}")
}

/// First line of the list of folders beside the state.
const LIST_MAGIC: &str = "mailcodes-days";

/// Why day folders could not be merged into (no folder was written) or kept track of.
#[derive(Debug)]
pub enum FolderError {
    /// A folder or a file in it or beside the state could not be read or written.
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
    /// The place of a day's folder is taken by something that is not a folder.
    NotAFolder(PathBuf),
    /// A folder holds reports but no `merge.jsonl` to merge them with.
    NoSummary(PathBuf),
    /// A folder's `merge.jsonl` is damaged, truncated or of another schema.
    Summary(MergeError),
    /// A folder's `merge.jsonl` was written with another hash key than this run's.
    Key {
        dir: PathBuf,
        found: String,
        want: String,
    },
    /// The list of folders beside the state is damaged.
    List { path: PathBuf, what: &'static str },
}

impl fmt::Display for FolderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nothing = "no day folder was written and the state is unchanged";
        match self {
            FolderError::Io {
                path,
                action,
                source,
            } => write!(
                f,
                "{}: cannot {action}: {}",
                path.display(),
                crate::error::io_words(source)
            ),
            FolderError::NotAFolder(d) => write!(
                f,
                "{}: exists and is not a folder, so this day's reports cannot go there; move it \
                 away ({nothing})",
                d.display()
            ),
            FolderError::NoSummary(d) => write!(
                f,
                "{}: holds reports but no {} to add this run to (written by a mailcodes before \
                 0.1?); move the folder away and scan that day again ({nothing})",
                d.display(),
                mergeable::FILE_NAME
            ),
            FolderError::Summary(MergeError::Damaged(d, what)) => write!(
                f,
                "{}: {} is damaged or truncated ({what}): put back a good copy, or move the \
                 folder away and scan that day again ({nothing})",
                d.display(),
                mergeable::FILE_NAME
            ),
            FolderError::Summary(e) => write!(f, "{e} ({nothing})"),
            FolderError::Key { dir, found, want } => write!(
                f,
                "{}: {} was written with hash key {found}, but this run hashes with {want}: \
                 give the key it was written with (--hash-key FILE), or move the folder away \
                 and scan that day again ({nothing})",
                dir.display(),
                mergeable::FILE_NAME
            ),
            FolderError::List { path, what } => write!(
                f,
                "{}: {what}; it names the day folders a failed run may have written. Move it \
                 away only together with those folders' reports (the next run would count \
                 their lines again)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for FolderError {}

fn io_error<'a>(
    path: &'a Path,
    action: &'static str,
) -> impl FnOnce(io::Error) -> FolderError + 'a {
    move |source| FolderError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// What `dir` held before this run merges into it, as statistics (`None`: nothing, or no
/// folder yet): from the copy kept for `generation` when there is one (a run from this
/// state wrote there and never committed), else from its `merge.jsonl`. Its key must be
/// `key_id`. Reads only.
pub fn base(
    dir: &Path,
    generation: Option<u64>,
    key_id: &str,
) -> Result<Option<Stats>, FolderError> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(dir, "read the day's folder")(e)),
        Ok(m) if !m.is_dir() => return Err(FolderError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {}
    }
    let copy = generation.map(|g| dir.join(copy_name(g)));
    let kept = match copy.as_deref().map(|c| (c, std::fs::metadata(c))) {
        Some((c, Err(e))) if e.kind() != io::ErrorKind::NotFound => {
            return Err(io_error(c, "read")(e))
        }
        Some((c, Ok(m))) => Some((c, m.len())),
        _ => None,
    };
    // The copy is read as the folder's merge.jsonl is, a line at a time.
    let loaded = match kept {
        Some((_, 0)) => return Ok(None),
        Some((c, _)) => mergeable::load_file(dir, c).map_err(FolderError::Summary)?,
        None => match mergeable::load(dir) {
            Ok(l) => l,
            Err(MergeError::Missing(_)) if !dir.join("summary.json").exists() => return Ok(None),
            Err(MergeError::Missing(_)) => return Err(FolderError::NoSummary(dir.to_path_buf())),
            Err(e) => return Err(FolderError::Summary(e)),
        },
    };
    if loaded.key_id != key_id {
        return Err(FolderError::Key {
            dir: dir.to_path_buf(),
            found: loaded.key_id,
            want: key_id.to_string(),
        });
    }
    loaded.stats().map(Some).map_err(FolderError::Summary)
}

/// Keeps what `dir` holds now as its copy for `generation`, unless one is kept already
/// (which holds what the folder held before the first run from that generation). The
/// folder is made if missing; the copy is on disk before this returns.
pub fn keep_copy(dir: &Path, generation: u64) -> Result<(), FolderError> {
    let copy = dir.join(copy_name(generation));
    if copy.symlink_metadata().is_ok() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(io_error(dir, "create the day's folder"))?;
    let summary = dir.join(mergeable::FILE_NAME);
    match std::fs::hard_link(&summary, &copy) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let file = std::fs::File::create(&copy).map_err(io_error(&copy, "create"))?;
            file.sync_all().map_err(io_error(&copy, "flush"))?;
        }
        // A file system without hard links: a copy, complete before it gets its name.
        Err(_) => {
            let bytes = std::fs::read(&summary).map_err(io_error(&summary, "read"))?;
            write_whole(dir, &copy, &bytes)?;
        }
    }
    sync_dir(dir).map_err(io_error(dir, "flush the day's folder"))
}

/// Removes the copy of `generation` from `dir`, if any.
fn drop_copy(dir: &Path, generation: u64) -> io::Result<()> {
    match std::fs::remove_file(dir.join(copy_name(generation))) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Writes `bytes` to `path` through a flushed temporary file in `dir`, renamed into place.
fn write_whole(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), FolderError> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".mailcodes-state.")
        .tempfile_in(dir)
        .map_err(io_error(path, "write"))?;
    tmp.write_all(bytes).map_err(io_error(path, "write"))?;
    tmp.as_file().sync_all().map_err(io_error(path, "flush"))?;
    tmp.persist(path)
        .map_err(|e| io_error(path, "replace")(e.error))?;
    sync_dir(dir).map_err(io_error(dir, "flush the folder"))
}

/// The folders that runs from one generation of a state have written or are about to
/// write (`STATE.days`), and so hold a copy of what they held before.
#[derive(Debug)]
pub struct Pending {
    path: PathBuf,
    generation: u64,
    dirs: Vec<PathBuf>,
}

impl Pending {
    /// The list for the state at `state` and a run from its `generation`. A list left by
    /// a run from another generation (it committed) is removed with its copies.
    pub fn open(state: &Path, generation: u64) -> Result<Pending, FolderError> {
        let mut name = state.as_os_str().to_owned();
        name.push(".days");
        let path = PathBuf::from(name);
        let mut pending = Pending {
            path,
            generation,
            dirs: Vec::new(),
        };
        match read_list(&pending.path)? {
            Some((g, dirs)) if g == generation => pending.dirs = dirs,
            Some((g, dirs)) => {
                for d in &dirs {
                    drop_copy(d, g).map_err(io_error(d, "remove an old pre-merge copy"))?;
                }
                std::fs::remove_file(&pending.path).map_err(io_error(&pending.path, "remove"))?;
            }
            None => {}
        }
        Ok(pending)
    }

    /// The generation the list is for.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The folders already listed: a run from this generation may have merged into them.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// Adds `dirs` to the list and writes it, before any of them is written.
    pub fn record<'a>(&mut self, dirs: impl Iterator<Item = &'a Path>) -> Result<(), FolderError> {
        for d in dirs {
            if !self.dirs.iter().any(|x| x == d) {
                self.dirs.push(d.to_path_buf());
            }
        }
        let mut text = format!("{LIST_MAGIC}\t1\t{}\n", self.generation);
        for d in &self.dirs {
            text.push_str(&format!("dir\t{}\n", hex(d.as_os_str().as_bytes())));
        }
        let sum = fnv1a(text.as_bytes());
        text.push_str(&format!("end\t{}\t{sum:016x}\n", self.dirs.len()));
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        write_whole(dir, &self.path, text.as_bytes())
    }

    /// After the state was saved: removes the copies of this generation and the list. A
    /// failure is only a warning: the next run, from a newer generation, removes them.
    pub fn finish(self) {
        let mut failed = None;
        for d in &self.dirs {
            if let Err(e) = drop_copy(d, self.generation) {
                failed = Some(io_error(d, "remove its pre-merge copy")(e));
            }
        }
        if failed.is_none() {
            match std::fs::remove_file(&self.path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    failed = Some(io_error(&self.path, "remove")(e));
                }
                _ => {}
            }
        }
        if let Some(e) = failed {
            crate::error::warn(format_args!("{e}; the next run removes it"));
        }
    }
}

/// Reads a list: its generation and folders; `None` when there is none.
fn read_list(path: &Path) -> Result<Option<(u64, Vec<PathBuf>)>, FolderError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path, "read")(e)),
    };
    let damaged = |what| FolderError::List {
        path: path.to_path_buf(),
        what,
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| damaged("not UTF-8 text"))?;
    let body = text.strip_suffix('\n').ok_or(damaged("cut short"))?;
    let (body, end) = body.rsplit_once('\n').ok_or(damaged("cut short"))?;
    let body = &text[..body.len() + 1];
    let mut lines = body.lines();
    let generation = match lines.next().map(|l| l.split('\t').collect::<Vec<_>>()) {
        Some(f) if f.len() == 3 && f[0] == LIST_MAGIC && f[1] == "1" => {
            f[2].parse().map_err(|_| damaged("bad generation"))?
        }
        _ => return Err(damaged("not a list of day folders of this mailcodes")),
    };
    let dirs = lines
        .map(|l| {
            let hexed = l.strip_prefix("dir\t").ok_or(damaged("unknown record"))?;
            let raw = unhex(hexed).ok_or(damaged("bad folder name"))?;
            Ok(PathBuf::from(OsStr::from_bytes(&raw)))
        })
        .collect::<Result<Vec<_>, FolderError>>()?;
    if end != format!("end\t{}\t{:016x}", dirs.len(), fnv1a(body.as_bytes())) {
        return Err(damaged(
            "its checksum does not match: it was changed or cut short",
        ));
    }
    Ok(Some((generation, dirs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_round_trips_and_damage_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let mut p = Pending::open(&state, 4).unwrap();
        assert!(p.dirs().is_empty());
        let a = dir.path().join("2026-11-28");
        let b = dir.path().join("odd\tname\u{e9}");
        p.record([a.as_path(), b.as_path()].into_iter()).unwrap();
        p.record([a.as_path()].into_iter()).unwrap();
        let again = Pending::open(&state, 4).unwrap();
        assert_eq!(again.dirs(), &[a.clone(), b.clone()]);
        let list = dir.path().join("state.days");
        let text = std::fs::read(&list).unwrap();
        for cut in 0..text.len() {
            std::fs::write(&list, &text[..cut]).unwrap();
            assert!(Pending::open(&state, 4).is_err(), "cut at {cut}");
        }
        std::fs::write(&list, &text).unwrap();
        // A newer generation: the run that wrote the list committed; it is cleaned up.
        keep_copy(&a, 4).unwrap();
        assert!(a.join(copy_name(4)).exists());
        let newer = Pending::open(&state, 5).unwrap();
        assert!(newer.dirs().is_empty());
        assert!(!list.exists() && !a.join(copy_name(4)).exists());
    }

    #[test]
    fn the_copy_keeps_what_the_folder_held_first() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("day");
        keep_copy(&d, 1).unwrap();
        assert_eq!(std::fs::read(d.join(copy_name(1))).unwrap(), b"");
        assert!(base(&d, Some(1), "k").unwrap().is_none());
        std::fs::write(d.join(mergeable::FILE_NAME), b"new").unwrap();
        keep_copy(&d, 1).unwrap();
        assert_eq!(std::fs::read(d.join(copy_name(1))).unwrap(), b"");
        // Without a copy for the generation, merge.jsonl is read (here: damaged).
        assert!(matches!(
            base(&d, Some(2), "k"),
            Err(FolderError::Summary(_))
        ));
        drop_copy(&d, 1).unwrap();
        drop_copy(&d, 1).unwrap();
    }
}
