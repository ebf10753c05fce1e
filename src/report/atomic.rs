//! Writing a run's report files as one set: either every file of the run replaces the old
//! one, or none does.
//!
//! 1. Every target is checked first (a folder where a CSV should be is an error before
//!    anything is touched).
//! 2. Every file is written to a temporary file in the target folder (`.NAME.XXXXXX.tmp`,
//!    locked while written) and flushed to disk. New files follow the umask; a file that
//!    replaces an existing one keeps that file's mode.
//! 3. A journal (`.mailcodes-reports.XXXXXX.commit`, locked while it is in use) lists the
//!    renames, ends with an `end` line, and is flushed with the folder.
//! 4. Existing targets get a hard-linked backup; the temporary files are renamed into place;
//!    the folder is flushed; the journal and backups are removed.
//!
//! A file too big to hold in memory (`merge.jsonl` of millions of recipients) is written by a
//! callback straight into its temporary file ([`stage_streamed`]), possibly before the rest of
//! the set is ready, and joins the set's commit ([`write_set_with`]) like the others: until
//! then it is only a temporary file, removed if the set is not completed.
//!
//! If a rename fails, the ones already done are undone from the backups, so the old set is
//! back. If the process is killed between two renames, the journal is left behind, complete;
//! the next run that writes into that folder finishes the renames first (roll forward), so the
//! folder again holds one whole set. A journal without its `end` line was cut before any
//! rename began and is dropped. Temporary files of killed runs older than
//! [`crate::state::STALE_AFTER`] and not locked are removed.

use crate::state::{lock::remove_stale_temps, sync_dir, STALE_AFTER};
use std::fmt;
use std::fs::{self, File, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Why a report set could not be written. In every case no report file was replaced.
#[derive(Debug)]
pub enum Error {
    /// `--out-dir` is a symbolic link to something that does not exist.
    DanglingSymlink { dir: PathBuf, target: PathBuf },
    /// `--out-dir` (or a folder above it) exists and is not a folder.
    NotADirectory { dir: PathBuf },
    /// A report's place is taken by something that is not a file (a folder, a socket).
    NotAFile { path: PathBuf },
    /// A file or the folder could not be created, written or renamed.
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::DanglingSymlink { dir, target } => write!(
                f,
                "{} is a symbolic link to {}, which does not exist: create that folder, or give \
                 another --out-dir",
                dir.display(),
                target.display()
            ),
            Error::NotADirectory { dir } => write!(
                f,
                "{} exists and is not a folder: give another --out-dir",
                dir.display()
            ),
            Error::NotAFile { path } => write!(
                f,
                "{} is not a regular file, so it cannot be replaced by a report; move it away. \
                 No report was replaced",
                path.display()
            ),
            Error::Io {
                path,
                action,
                source,
            } => write!(
                f,
                "{}: cannot {action}: {}. No report was replaced",
                path.display(),
                crate::input::describe(source)
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        io::Error::other(e)
    }
}

const JOURNAL_PREFIX: &str = ".mailcodes-reports.";
const JOURNAL_SUFFIX: &str = ".commit";

fn io_err<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(io::Error) -> Error + 'a {
    move |source| Error::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// Writes every `(file name, contents)` into `dir` (created if missing) as one set; see the
/// module documentation.
pub fn write_atomically<N: AsRef<str>>(dir: &Path, files: &[(N, Vec<u8>)]) -> io::Result<()> {
    let files: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_ref(), b.clone())).collect();
    write_set(dir, &files).map_err(io::Error::from)
}

/// [`write_atomically`] with its typed error.
pub fn write_set(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<(), Error> {
    write_set_with(dir, files, Vec::new())
}

/// A file of a report set already written to its temporary file in the set's folder (see
/// [`stage_streamed`]); removed when dropped before its set is committed.
#[derive(Debug)]
pub struct Staged {
    name: String,
    tmp: tempfile::TempPath,
}

impl Staged {
    /// The report's file name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Writes the report `name` of the set in `dir` (created if missing) by `write`, straight
/// into a temporary file that is flushed to disk, so that its contents never need to be held
/// in memory. The file replaces `name` only when [`write_set_with`] commits the set it is
/// given to. Its mode is set as [`write_set`] sets it: that of the file it replaces, else
/// 0666 less the umask.
pub fn stage_streamed(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&File) -> io::Result<()>,
) -> Result<Staged, Error> {
    prepare_dir(dir)?;
    let mode = existing_mode(&dir.join(name))?;
    let tmp = stage(dir, name, mode, write)?;
    Ok(Staged {
        name: name.to_string(),
        tmp,
    })
}

/// [`write_set`] with files already staged in `dir` ([`stage_streamed`]): every file of
/// `files` and of `staged` replaces its target, or none does.
pub fn write_set_with(
    dir: &Path,
    files: &[(&str, Vec<u8>)],
    staged: Vec<Staged>,
) -> Result<(), Error> {
    prepare_dir(dir)?;
    recover(dir);
    remove_stale_temps(dir, is_temp, STALE_AFTER);
    let (staged_names, staged): (Vec<String>, Vec<_>) =
        staged.into_iter().map(|s| (s.name, s.tmp)).unzip();
    let names: Vec<&str> = files
        .iter()
        .map(|(n, _)| *n)
        .chain(staged_names.iter().map(String::as_str))
        .collect();
    let modes = names
        .iter()
        .map(|name| existing_mode(&dir.join(name)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut temps = Vec::with_capacity(names.len());
    for ((name, contents), mode) in files.iter().zip(&modes) {
        temps.push(stage(dir, name, *mode, |f| {
            let mut f = f;
            f.write_all(contents)
        })?);
    }
    temps.extend(staged);
    let journal = Journal::write(dir, &names, &temps)?;
    let mut backups = Vec::new();
    for (name, mode) in names.iter().zip(&modes) {
        let target = dir.join(name);
        backups.push(match mode {
            Some(_) => Some(backup(dir, name, &target)?),
            None => None,
        });
    }
    for (i, (name, tmp)) in names.iter().zip(&temps).enumerate() {
        let target = dir.join(name);
        if let Err(source) = fs::rename(tmp, &target) {
            roll_back(dir, &names, &backups, i);
            return Err(Error::Io {
                path: target,
                action: "replace it (the reports already replaced were put back)",
                source,
            });
        }
    }
    sync_dir(dir).map_err(io_err(dir, "flush the folder"))?;
    journal.finish();
    for b in backups.into_iter().flatten() {
        let _ = fs::remove_file(b);
    }
    Ok(())
}

/// Temporary and backup files of this writer: `.NAME.EXT.XXXXXX.tmp` for the report
/// formats (`.codes.csv.Ab12Cd.tmp`, `.summary.json.Ab12Cd.tmp`).
fn is_temp(name: &str) -> bool {
    const EXTS: [&str; 5] = [".csv.", ".json.", ".jsonl.", ".xlsx.", ".prom."];
    name.starts_with('.') && name.ends_with(".tmp") && EXTS.iter().any(|e| name.contains(e))
}

/// Creates `dir`, or says clearly why it cannot be a folder.
fn prepare_dir(dir: &Path) -> Result<(), Error> {
    if let Ok(m) = fs::symlink_metadata(dir) {
        if m.file_type().is_symlink() && fs::metadata(dir).is_err() {
            let target = fs::read_link(dir).unwrap_or_default();
            return Err(Error::DanglingSymlink {
                dir: dir.to_path_buf(),
                target,
            });
        }
    }
    match fs::create_dir_all(dir) {
        Ok(()) if dir.is_dir() => Ok(()),
        Ok(()) => Err(Error::NotADirectory {
            dir: dir.to_path_buf(),
        }),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory
            ) =>
        {
            Err(Error::NotADirectory {
                dir: dir.to_path_buf(),
            })
        }
        Err(source) => Err(Error::Io {
            path: dir.to_path_buf(),
            action: "create the folder",
            source,
        }),
    }
}

/// The mode of an existing report file (`None` when there is none); an error when its place
/// is taken by something that is not a file.
fn existing_mode(path: &Path) -> Result<Option<u32>, Error> {
    match fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(Some(m.permissions().mode() & 0o7777)),
        Ok(_) => Err(Error::NotAFile {
            path: path.to_path_buf(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            path: path.to_path_buf(),
            action: "look at it",
            source,
        }),
    }
}

/// Writes one file by `write` to a flushed temporary file in `dir`: mode `mode` if given,
/// else 0666 less the umask.
fn stage(
    dir: &Path,
    name: &str,
    mode: Option<u32>,
    write: impl FnOnce(&File) -> io::Result<()>,
) -> Result<tempfile::TempPath, Error> {
    let target = dir.join(name);
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(io_err(&target, "create a temporary file for it"))?;
    let written = (|| -> io::Result<()> {
        tmp.as_file().lock()?;
        if let Some(m) = mode {
            tmp.as_file().set_permissions(Permissions::from_mode(m))?;
        }
        write(tmp.as_file())?;
        tmp.as_file().sync_all()
    })();
    written.map_err(io_err(&target, "write it"))?;
    Ok(tmp.into_temp_path())
}

/// A hard link to an existing report, to put it back if the set cannot be completed.
fn backup(dir: &Path, name: &str, target: &Path) -> Result<PathBuf, Error> {
    let path = dir.join(format!(".{name}.{}.bak.tmp", std::process::id()));
    let _ = fs::remove_file(&path);
    fs::hard_link(target, &path).map_err(io_err(target, "keep a backup of it"))?;
    Ok(path)
}

/// Undoes the first `done` renames (backups back in place, new files removed) and removes
/// the other backups.
fn roll_back(dir: &Path, names: &[&str], backups: &[Option<PathBuf>], done: usize) {
    for (i, (name, b)) in names.iter().zip(backups).enumerate() {
        let target = dir.join(name);
        let _ = match (b, i < done) {
            (Some(b), true) => fs::rename(b, &target),
            (None, true) => fs::remove_file(&target),
            (Some(b), false) => fs::remove_file(b),
            (None, false) => Ok(()),
        };
    }
    let _ = sync_dir(dir);
}

/// The list of renames of a set being committed, kept until they are all done.
struct Journal {
    file: tempfile::NamedTempFile,
}

impl Journal {
    fn write(dir: &Path, names: &[&str], staged: &[tempfile::TempPath]) -> Result<Journal, Error> {
        let mut file = tempfile::Builder::new()
            .prefix(JOURNAL_PREFIX)
            .suffix(JOURNAL_SUFFIX)
            .tempfile_in(dir)
            .map_err(io_err(dir, "write the journal of the reports"))?;
        let mut text = String::new();
        for (name, tmp) in names.iter().zip(staged) {
            let tmp_name = tmp.file_name().unwrap_or_default().to_string_lossy();
            text.push_str(&format!("{tmp_name}\t{name}\n"));
        }
        text.push_str(&format!("end\t{}\n", names.len()));
        let mut put = || -> io::Result<()> {
            file.as_file().lock()?;
            file.write_all(text.as_bytes())?;
            file.as_file().sync_all()?;
            sync_dir(dir)
        };
        put().map_err(io_err(dir, "write the journal of the reports"))?;
        Ok(Journal { file })
    }

    /// All renames done: the journal goes.
    fn finish(self) {
        let _ = self.file.close();
    }
}

/// Finishes the renames of report sets whose run was killed midway (journals that no live
/// run holds locked).
fn recover(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(JOURNAL_PREFIX) && name.ends_with(JOURNAL_SUFFIX)) {
            continue;
        }
        let path = entry.path();
        let Ok(mut f) = File::open(&path) else {
            continue;
        };
        if f.try_lock().is_err() {
            continue;
        }
        let mut text = String::new();
        if f.read_to_string(&mut text).is_ok() {
            roll_forward(dir, &text);
        }
        let _ = fs::remove_file(&path);
    }
    let _ = sync_dir(dir);
}

/// Applies the renames of a complete journal (one that ends with its `end` line).
fn roll_forward(dir: &Path, journal: &str) {
    let lines: Vec<&str> = journal.lines().collect();
    let Some((last, renames)) = lines.split_last() else {
        return;
    };
    if *last != format!("end\t{}", renames.len()) {
        return; // cut before any rename began
    }
    for line in renames {
        if let Some((tmp, name)) = line.split_once('\t') {
            let from = dir.join(tmp);
            if !name.contains('/') && from.exists() {
                let _ = fs::rename(from, dir.join(name));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_report_file_of_the_set_has_its_leftovers_recognised() {
        for name in [
            ".classes.csv.a1B2c3.tmp",
            ".summary.json.a1B2c3.tmp",
            ".merge.jsonl.a1B2c3.tmp",
            ".mailcodes.xlsx.a1B2c3.tmp",
            ".mailcodes.prom.a1B2c3.tmp",
        ] {
            assert!(is_temp(name), "{name}");
        }
        for name in ["classes.csv", ".merge.jsonl", "notes.tmp", ".x.txt.a.tmp"] {
            assert!(!is_temp(name), "{name}");
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let files = [("a.csv", b"1\n".to_vec()), ("b.csv", b"2\n".to_vec())];
        write_atomically(dir.path(), &files).unwrap();
        assert_eq!(fs::read(dir.path().join("a.csv")).unwrap(), b"1\n");
        assert_eq!(names(dir.path()), ["a.csv", "b.csv"]);
    }

    #[test]
    fn a_streamed_file_joins_the_set_and_goes_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write_atomically(d, &[("a.csv", b"old a".to_vec())]).unwrap();
        fs::write(d.join("merge.jsonl"), "old m").unwrap();
        fs::set_permissions(d.join("merge.jsonl"), Permissions::from_mode(0o640)).unwrap();
        let write = |f: &File| {
            let mut f = f;
            f.write_all(b"new ")?;
            f.write_all(b"m")
        };
        // Staged, then dropped: nothing replaced, nothing left.
        drop(stage_streamed(d, "merge.jsonl", write).unwrap());
        assert_eq!(names(d), ["a.csv", "merge.jsonl"]);
        // Staged, then the set fails (a folder where b.csv goes): the same.
        let staged = stage_streamed(d, "merge.jsonl", write).unwrap();
        assert_eq!(staged.name(), "merge.jsonl");
        assert_eq!(names(d).len(), 3, "the staged temporary file");
        fs::create_dir(d.join("b.csv")).unwrap();
        let e = write_set_with(d, &[("b.csv", b"b".to_vec())], vec![staged]).unwrap_err();
        assert!(e.to_string().contains("b.csv"), "{e}");
        assert_eq!(fs::read(d.join("merge.jsonl")).unwrap(), b"old m");
        assert_eq!(names(d), ["a.csv", "b.csv", "merge.jsonl"]);
        // Committed with the set: it replaces the old file and keeps its mode.
        fs::remove_dir(d.join("b.csv")).unwrap();
        let staged = stage_streamed(d, "merge.jsonl", write).unwrap();
        write_set_with(d, &[("a.csv", b"new a".to_vec())], vec![staged]).unwrap();
        assert_eq!(fs::read(d.join("merge.jsonl")).unwrap(), b"new m");
        assert_eq!(fs::read(d.join("a.csv")).unwrap(), b"new a");
        let mode = fs::metadata(d.join("merge.jsonl"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(names(d), ["a.csv", "merge.jsonl"]);
        // A folder where the streamed file goes is an error before anything is written.
        fs::create_dir(d.join("x.jsonl")).unwrap();
        let e = stage_streamed(d, "x.jsonl", write).unwrap_err();
        assert!(matches!(e, Error::NotAFile { .. }), "{e}");
    }

    #[test]
    fn a_set_that_cannot_be_completed_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write_atomically(
            d,
            &[("a.csv", b"old a".to_vec()), ("c.csv", b"old c".to_vec())],
        )
        .unwrap();
        fs::create_dir(d.join("b.csv")).unwrap();
        let e = write_set(
            d,
            &[
                ("a.csv", b"new a".to_vec()),
                ("b.csv", b"new b".to_vec()),
                ("c.csv", b"new c".to_vec()),
            ],
        )
        .unwrap_err();
        assert!(e.to_string().contains("b.csv"), "{e}");
        assert_eq!(fs::read(d.join("a.csv")).unwrap(), b"old a");
        assert_eq!(fs::read(d.join("c.csv")).unwrap(), b"old c");
        assert_eq!(names(d), ["a.csv", "b.csv", "c.csv"]);
    }

    #[test]
    fn roll_back_puts_the_old_set_back() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let files = ["a.csv", "b.csv", "c.csv"];
        fs::write(d.join("a.csv"), "old a").unwrap();
        fs::write(d.join("c.csv"), "old c").unwrap();
        let backups = vec![
            Some(backup(d, "a.csv", &d.join("a.csv")).unwrap()),
            None,
            Some(backup(d, "c.csv", &d.join("c.csv")).unwrap()),
        ];
        // a.csv and b.csv were replaced when c.csv failed.
        fs::remove_file(d.join("a.csv")).unwrap();
        fs::write(d.join("a.csv"), "new a").unwrap();
        fs::write(d.join("b.csv"), "new b").unwrap();
        roll_back(d, &files, &backups, 2);
        assert_eq!(fs::read(d.join("a.csv")).unwrap(), b"old a");
        assert_eq!(fs::read(d.join("c.csv")).unwrap(), b"old c");
        assert_eq!(names(d), ["a.csv", "c.csv"]);
    }

    #[test]
    fn a_killed_commit_is_rolled_forward_and_a_cut_journal_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write_atomically(
            d,
            &[("a.csv", b"old a".to_vec()), ("b.csv", b"old b".to_vec())],
        )
        .unwrap();
        // A run killed after renaming a.csv: b.csv's new version is still staged.
        fs::write(d.join("a.csv"), "new a").unwrap();
        fs::write(d.join(".b.csv.XYZ.tmp"), "new b").unwrap();
        fs::write(
            d.join(".mailcodes-reports.1.commit"),
            ".a.csv.ABC.tmp\ta.csv\n.b.csv.XYZ.tmp\tb.csv\nend\t2\n",
        )
        .unwrap();
        // A journal cut before its end line: nothing of it is applied.
        fs::write(d.join(".c.csv.Q.tmp"), "half").unwrap();
        fs::write(
            d.join(".mailcodes-reports.2.commit"),
            ".c.csv.Q.tmp\tc.csv\n",
        )
        .unwrap();
        write_atomically(d, &[("z.csv", b"z".to_vec())]).unwrap();
        assert_eq!(fs::read(d.join("b.csv")).unwrap(), b"new b");
        assert!(!d.join("c.csv").exists());
        assert_eq!(names(d), [".c.csv.Q.tmp", "a.csv", "b.csv", "z.csv"]);
    }

    #[test]
    fn modes_are_kept_and_new_files_follow_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("kept.csv"), "x").unwrap();
        fs::set_permissions(d.join("kept.csv"), Permissions::from_mode(0o640)).unwrap();
        write_atomically(
            d,
            &[("kept.csv", b"y".to_vec()), ("new.csv", b"z".to_vec())],
        )
        .unwrap();
        let mode = |n: &str| fs::metadata(d.join(n)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("kept.csv"), 0o640);
        // The umask of this process, as a file created the ordinary way shows it.
        fs::write(d.join("plain"), "").unwrap();
        assert_eq!(mode("new.csv"), mode("plain"));
    }

    #[test]
    fn a_dangling_symlink_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out");
        std::os::unix::fs::symlink(dir.path().join("missing"), &link).unwrap();
        let e = write_set(&link, &[("a.csv", vec![])]).unwrap_err();
        assert!(matches!(e, Error::DanglingSymlink { .. }), "{e}");
        assert!(e.to_string().contains("missing"), "{e}");
    }
}
