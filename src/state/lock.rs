//! The lock that serialises runs sharing a state file (`STATE.lock`), and saying who holds it.
//!
//! The holder writes its process id and start time into the lock file, so a run that has to
//! wait can say, after [`SAY_AFTER`], which run it waits for. It gives up after the timeout
//! (`--lock-timeout`): one hung run must not block every later night. The lock is an `flock`,
//! released by the kernel when its holder exits, however it exits.

use super::Error;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a run waits quietly before saying who holds the lock.
pub const SAY_AFTER: Duration = Duration::from_secs(3);

/// How long a run waits for the lock by default (`--lock-timeout`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// A held lock on `STATE.lock`; released when dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// The lock file of a state file.
pub(crate) fn lock_path(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the lock of `state`, waiting at most `timeout`; after [`SAY_AFTER`] of waiting,
/// `say` is called once with who holds it. The state's folder is created (mode 0700) if
/// missing.
pub fn lock_with_timeout(
    state: &Path,
    timeout: Duration,
    mut say: impl FnMut(&str),
) -> Result<Lock, Error> {
    super::create_parent(state)?;
    let path = lock_path(state);
    let mut file = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|source| Error::Io {
            path: path.clone(),
            action: "create the lock file",
            source,
        })?;
    let started = Instant::now();
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(Error::Io {
                    path,
                    action: "lock",
                    source,
                })
            }
        }
        let waited = started.elapsed();
        if waited >= timeout {
            return Err(Error::LockTimeout {
                path: path.clone(),
                waited: timeout,
                holder: holder(&mut file),
            });
        }
        if waited >= SAY_AFTER && !said {
            said = true;
            let who = holder(&mut file).unwrap_or_else(|| "another run".into());
            say(&format!(
                "{}: waiting for {who} to finish (giving up after {})",
                path.display(),
                crate::time::format_span(timeout.as_secs() as i64)
            ));
        }
        std::thread::sleep(Duration::from_millis(50).min(timeout.saturating_sub(waited)));
    }
    // Ours now: say who we are, for the next one that waits.
    let me = format!(
        "pid {} since {}\n",
        std::process::id(),
        jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ")
    );
    let _ = file
        .set_len(0)
        .and_then(|()| (&file).write_all(me.as_bytes()));
    Ok(Lock { _file: file })
}

/// Who holds the lock, as its holder wrote it ("pid 123 since 2026-…").
fn holder(file: &mut File) -> Option<String> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    use std::io::Seek;
    file.rewind().ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| format!("the run with {line}"))
}

/// Removes temporary files of killed runs in `dir`: those whose name `ours` accepts, that
/// were not modified for `min_age`, and that no live run holds locked (writers lock their
/// temporary files while writing them). Failures are ignored: a leftover is only clutter.
pub(crate) fn remove_stale_temps(dir: &Path, ours: impl Fn(&str) -> bool, min_age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(&ours) {
            continue;
        }
        let old = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= min_age);
        let path = entry.path();
        if !old {
            continue;
        }
        // (DirEntry::metadata does not follow symlinks: only regular files get here, and
        // remove_file would remove a link, never what it points to.)
        let Ok(f) = File::open(&path) else {
            continue;
        };
        if f.try_lock().is_ok() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_times_out_naming_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("sub/state");
        let held = lock_with_timeout(&state, Duration::ZERO, |_| {}).unwrap();
        let mut said = Vec::new();
        let e = lock_with_timeout(&state, Duration::from_millis(100), |s| {
            said.push(s.to_string())
        })
        .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        assert!(said.is_empty(), "said before {SAY_AFTER:?}: {said:?}");
        drop(held);
        lock_with_timeout(&state, Duration::ZERO, |_| {}).unwrap();
    }

    #[test]
    fn only_old_unlocked_temps_of_ours_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        let make = |name: &str, age: std::time::SystemTime| {
            let p = dir.path().join(name);
            let f = File::create(&p).unwrap();
            f.set_modified(age).unwrap();
            f
        };
        make(".mailcodes-state.old", old);
        make(".mailcodes-state.new", std::time::SystemTime::now());
        let held = make(".mailcodes-state.held", old);
        held.lock().unwrap();
        make("state", old);
        remove_stale_temps(
            dir.path(),
            |n| n.starts_with(".mailcodes-state."),
            Duration::from_secs(60),
        );
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [".mailcodes-state.held", ".mailcodes-state.new", "state"]
        );
    }
}
