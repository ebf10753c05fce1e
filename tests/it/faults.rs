//! Fault injection for nightly `--state` runs: runs killed at random moments, logrotate's
//! rotation styles (rename, gzip/xz/zstd compression, delaycompress, copytruncate), appends,
//! and rotations while a run is reading, over both read paths (settled files mapped, and
//! `--no-mmap`). Every line written must be counted exactly once over the runs that
//! committed (discrepancy 0). The same loop runs once more with `-o DIR/{date}`, where the
//! runs add to day folders instead of writing a report each: there the day folders at the
//! end must hold every line once.
//!
//! The random loop is seeded and bounded: `cargo test` runs a short one (a few seconds).
//! A longer soak: `MAILCODES_SOAK_STEPS=2000 MAILCODES_SOAK_SEED=7 cargo test --test it
//! faults -- --nocapture` (any seed; a failure prints the seed and the steps taken).

use crate::cron::{compress, events, scan_state, sent};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// xorshift64*: small, seeded, good enough to pick actions.
struct Rng(u64);

impl Rng {
    /// A generator for `seed` (mixed by splitmix64, so nearby seeds differ).
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// The ways logrotate moves a log away.
#[derive(Debug, Clone, Copy)]
enum Rotation {
    Rename,
    Compress(&'static str),
    DelayCompress,
    CopyTruncate,
}

const ROTATIONS: [Rotation; 6] = [
    Rotation::Rename,
    Rotation::Compress("gz"),
    Rotation::Compress("xz"),
    Rotation::Compress("zst"),
    Rotation::DelayCompress,
    Rotation::CopyTruncate,
];

/// One simulated mail server: its log, the state, and the books.
struct Server {
    dir: PathBuf,
    log: PathBuf,
    state: PathBuf,
    no_mmap: bool,
    /// Day folders (`-o DIR/days/{date}`) instead of a report folder per run.
    days: bool,
    written: u64,
    counted: u64,
    runs: u64,
    history: Vec<String>,
}

impl Server {
    fn new(dir: &Path, no_mmap: bool, days: bool) -> Server {
        Server {
            dir: dir.to_path_buf(),
            log: dir.join("mail.log"),
            state: dir.join("state"),
            no_mmap,
            days,
            written: 0,
            counted: 0,
            runs: 0,
            history: Vec::new(),
        }
    }

    fn write(&mut self, n: u64) {
        let tag = format!("W{}x", self.written);
        let lines = match self.days {
            // Three days, one after the other, so that runs meet more than one folder.
            true => sent(n as usize, &tag).replace(
                "Nov 28 ",
                &format!("Nov {} ", 28 + (self.written / 400).min(2)),
            ),
            false => sent(n as usize, &tag),
        };
        append(&self.log, &lines);
        self.written += n;
        self.note(format!("append {n}"));
    }

    /// Adds a step to the history, also kept in the server's folder: a soak that fails
    /// leaves the folder, and the history there says how it came to be.
    fn note(&mut self, step: String) {
        let mut f = std::fs::File::options()
            .create(true)
            .append(true)
            .open(self.dir.join("history.txt"))
            .unwrap();
        writeln!(f, "{step}").unwrap();
        self.history.push(step);
    }

    fn rotated(&self, suffix: &str) -> PathBuf {
        self.dir.join(format!("mail.log{suffix}"))
    }

    /// Moves the log away. The older rotated files were read whole by an earlier run (the
    /// harness rotates at most once between two runs that committed, as the README asks).
    fn rotate(&mut self, how: Rotation) {
        self.note(format!("rotate {how:?}"));
        let previous = self.rotated(".1");
        for ext in ["", ".gz", ".xz", ".zst"] {
            let _ = std::fs::remove_file(self.rotated(&format!(".1{ext}")));
        }
        match how {
            Rotation::Rename => std::fs::rename(&self.log, &previous).unwrap(),
            Rotation::Compress(ext) => {
                // As logrotate does it: rename, create, compress, remove the plain copy.
                std::fs::rename(&self.log, &previous).unwrap();
                std::fs::File::create(&self.log).unwrap();
                let bytes = std::fs::read(&previous).unwrap();
                std::fs::write(self.rotated(&format!(".1.{ext}")), compress(ext, &bytes)).unwrap();
                std::fs::remove_file(&previous).unwrap();
            }
            Rotation::DelayCompress => {
                std::fs::rename(&self.log, &previous).unwrap();
            }
            Rotation::CopyTruncate => {
                std::fs::copy(&self.log, &previous).unwrap();
                std::fs::File::options()
                    .write(true)
                    .open(&self.log)
                    .unwrap()
                    .set_len(0)
                    .unwrap();
            }
        }
        if !self.log.exists() {
            std::fs::File::create(&self.log).unwrap(); // logrotate's `create`
        }
    }

    fn command(&mut self) -> (Command, PathBuf) {
        self.runs += 1;
        let out = match self.days {
            true => self.dir.join("days").join("{date}"),
            false => self.dir.join(format!("out{}", self.runs)),
        };
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("mailcodes"));
        c.args(["scan", "-q", "--year", "2026", "--state"])
            .arg(&self.state)
            .arg("-o")
            .arg(&out)
            .arg(&self.log)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if self.no_mmap {
            c.arg("--no-mmap");
        }
        (c, out)
    }

    /// Starts a run; `during` happens while it runs; it is killed after `kill_after` (if
    /// given and still running). Returns whether the run committed (moved the state on).
    fn run(&mut self, kill_after: Option<Duration>, during: impl FnOnce(&mut Server)) -> bool {
        let before = std::fs::read(&self.state).ok();
        let (mut cmd, out) = self.command();
        let mut child = cmd.spawn().unwrap();
        during(self);
        if let Some(d) = kill_after {
            std::thread::sleep(d);
            let _ = child.kill();
        }
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        if let Some(code) = o.status.code() {
            assert_eq!(
                code, 0,
                "run {} failed: {err}\n{:?}",
                self.runs, self.history
            );
            assert!(!err.contains("warning"), "{err}\n{:?}", self.history);
        }
        let committed = o.status.success() || std::fs::read(&self.state).ok() != before;
        let mut got = 0;
        if committed && !self.days {
            // The reports are written before the state: a run that moved the state on
            // wrote its reports whole.
            got = if out.exists() { events(&out) } else { 0 };
            self.counted += got;
        }
        self.note(format!(
            "run {} +{got} (of {}) {}",
            self.runs,
            self.written,
            match (o.status.code(), committed) {
                (Some(_), _) => "done",
                (None, true) => "killed after its commit",
                (None, false) => "killed",
            }
        ));
        if !self.days {
            let _ = std::fs::remove_dir_all(out);
        }
        committed
    }

    /// With day folders: the events they hold, which is what the runs counted.
    fn count_days(&mut self) {
        let Ok(folders) = std::fs::read_dir(self.dir.join("days")) else {
            return;
        };
        // The day folders are named by date (`2026-11-28`); the key and the pre-merge
        // copies of a run that failed lie beside them.
        let is_day = |p: &Path| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.len() == 10 && n.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            })
        };
        let days: Vec<PathBuf> = folders
            .map(|f| f.unwrap().path())
            .filter(|p| is_day(p))
            .collect();
        // A batch of lines starting from line 800 is dated on the third day (`write`), and
        // a batch is at most 300 lines: past 1,100 lines there are three days.
        if self.written > 1100 {
            assert_eq!(days.len(), 3, "day folders {days:?}");
        }
        self.counted = days.iter().map(|p| events(p)).sum();
    }
}

/// The random loop over one read path; returns the server's books.
fn soak(no_mmap: bool, days: bool, seed: u64, steps: u64) -> Server {
    let dir = tempfile::tempdir().unwrap().keep();
    let mut rng = Rng::new(seed);
    let mut s = Server::new(&dir, no_mmap, days);
    s.write(5);
    // May logrotate run now? Not before the first run that committed (the state does not
    // know the log yet), and not twice between two runs that committed.
    let mut may_rotate = false;
    for _ in 0..steps {
        let kill = (rng.below(3) == 0).then(|| Duration::from_millis(rng.below(40)));
        match rng.below(6) {
            0 | 1 => {
                let n = 1 + rng.below(300);
                s.write(n);
            }
            2 if may_rotate => {
                let how = ROTATIONS[rng.below(ROTATIONS.len() as u64) as usize];
                s.rotate(how);
                may_rotate = false;
            }
            3 if may_rotate => {
                // logrotate while a run reads (no append until it is done, as logrotate's
                // own copy-then-truncate would lose those lines anyway).
                let how = ROTATIONS[rng.below(ROTATIONS.len() as u64) as usize];
                let pause = Duration::from_millis(rng.below(15));
                s.run(kill, |s| {
                    std::thread::sleep(pause);
                    s.note("during the next run:".into());
                    s.rotate(how);
                });
                may_rotate = false;
            }
            4 => {
                let n = 1 + rng.below(300);
                s.run(kill, |s| {
                    s.note("during the next run:".into());
                    s.write(n)
                });
            }
            _ => {
                may_rotate |= s.run(kill, |_| {});
            }
        }
    }
    // The last nights: runs that are not killed collect everything.
    s.run(None, |_| {});
    s.run(None, |_| {});
    if days {
        s.count_days();
    }
    // The folder goes when the books balance; it stays for a look when they do not.
    if s.written == s.counted {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("kept for a look: {}", dir.display());
    }
    s
}

#[test]
fn random_kills_rotations_and_appends_lose_and_double_nothing() {
    let seed = env_u64("MAILCODES_SOAK_SEED", 0x5eed_2026);
    let steps = env_u64("MAILCODES_SOAK_STEPS", 40);
    // MAILCODES_SOAK_PATH=mmap, read or days runs one read path alone.
    let only = std::env::var("MAILCODES_SOAK_PATH").ok();
    for (name, no_mmap, days) in [
        ("mmap", false, false),
        ("read", true, false),
        ("days", false, true),
    ] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let s = soak(no_mmap, days, seed, steps);
        assert_eq!(
            s.counted,
            s.written,
            "seed {seed}, --no-mmap {no_mmap}, day folders {days}: discrepancy {} after {:?}",
            s.counted as i64 - s.written as i64,
            s.history
        );
        eprintln!(
            "faults: seed {seed}, --no-mmap {no_mmap}, day folders {days}: {} runs, {} lines, discrepancy 0",
            s.runs, s.written
        );
    }
}

#[test]
fn copytruncate_while_a_run_reads_a_big_live_file() {
    // Issue 11.2 and 11.3: with --no-mmap the state recorded bytes never read; with the map,
    // the truncation ended the process with SIGBUS.
    for no_mmap in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Server::new(dir.path(), no_mmap, false);
        s.write(5);
        assert!(s.run(None, |_| {}));
        s.write(150_000);
        s.run(None, |s| {
            std::thread::sleep(Duration::from_millis(30));
            s.rotate(Rotation::CopyTruncate);
        });
        s.write(7);
        s.run(None, |_| {});
        assert_eq!(s.counted, s.written, "--no-mmap {no_mmap}: {:?}", s.history);
    }
}

#[test]
fn a_read_cut_short_moves_the_state_only_past_what_was_read() {
    // Issue 11.2, without timing: the live file is cut in the middle of a line after the
    // plan was made; only the whole lines before the cut count, the state stops there, and
    // the next run finds the rest in the copy (NAME.1).
    use mailcodes::input::MmapChoice;
    use mailcodes::state::{self, State};
    #[allow(unsafe_code)]
    // SAFETY: the files of this test are only truncated while open when they are live files,
    // which are never mapped.
    let choices = [MmapChoice::never(), unsafe { MmapChoice::settled_files() }];
    for mmap in choices {
        let dir = tempfile::tempdir().unwrap();
        let (log, st_path) = (dir.path().join("mail.log"), dir.path().join("st"));
        let all = sent(2000, "C");
        std::fs::write(&log, &all).unwrap();
        let plan = state::plan(&log, None).unwrap();
        let cut = all.len() * 3 / 5 + 7;
        std::fs::File::options()
            .write(true)
            .open(&log)
            .unwrap()
            .set_len(cut as u64)
            .unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let bar = indicatif::ProgressBar::hidden();
        let pipeline = mailcodes::pipeline::Pipeline {
            context: mailcodes::parse::Context {
                year: mailcodes::parse::YearRule::Fixed(2026),
                ..mailcodes::parse::Context::new(0)
            },
            pool: &pool,
            progress: &bar,
            chunk_size: Some(4096),
            mmap,
        };
        let piece = &plan.pieces[0];
        let span = mailcodes::input::Span {
            start: piece.start,
            end: piece.end,
        };
        let got: mailcodes::pipeline::Scanned =
            pipeline.scan_file("mail.log", piece.file.try_clone().unwrap(), span, false);
        let whole = all[..cut].rfind('\n').unwrap() + 1;
        let lines_read = all[..whole].lines().count() as u64;
        assert_eq!((got.consumed, got.stats.events), (whole as u64, lines_read));
        assert!(got.error.is_none());
        // Commit what was read, then logrotate's copytruncate finishes: the copy holds it all.
        let mut st = State::default();
        let key = std::path::absolute(&log).unwrap().display().to_string();
        st.files.insert(key, plan.reached(0, got.consumed));
        st.save(&st_path).unwrap();
        std::fs::write(dir.path().join("mail.log.1"), &all).unwrap();
        std::fs::write(&log, sent(3, "N")).unwrap();
        let out = dir.path().join("out");
        let o = scan_state(&st_path, &out, &[&log]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(lines_read + events(&out), 2003);
    }
}

#[test]
fn the_harness_catches_a_double_count() {
    // The books are not trivially balanced: a run over a state that was removed counts
    // everything again, and the harness sees it.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::new(dir.path(), false, false);
    s.write(10);
    assert!(s.run(None, |_| {}));
    std::fs::remove_file(&s.state).unwrap();
    s.run(None, |_| {});
    assert_eq!(s.counted, 2 * s.written);
}

/// A small tmpfs mounted for one test, unmounted when dropped; `None` (saying so) where this
/// process may not mount (not root, or no CAP_SYS_ADMIN in the container).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            println!("skipped: cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)");
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn resize(&self, size: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(ok.success());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(dir).unwrap().display().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap()) {
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

/// A disk that fills up while the reports, the events table and the state are written: the
/// run fails loudly (exit 2), replaces nothing, leaves no temporary file and does not move
/// the state; once there is room, the next run counts exactly what the failed one did not.
#[test]
fn a_full_disk_replaces_nothing_and_loses_nothing() {
    let Some(disk) = SmallDisk::mount("64k") else {
        return;
    };
    let fixture = |f: &str| crate::scan_cli::fixture(f);
    let logs = tempfile::tempdir().unwrap();
    let exim = logs.path().join("mainlog");
    std::fs::copy(fixture("sample/exim-mainlog"), &exim).unwrap();
    let postfix = logs.path().join("mail.log");
    std::fs::copy(fixture("sample/postfix-mail.log"), &postfix).unwrap();
    let run = |inputs: &[&Path], extra: &[&str]| {
        crate::scan_cli::mailcodes()
            .args(["scan", "-q", "--year", "2021", "--state"])
            .arg(disk.path().join("st"))
            .arg("-o")
            .arg(disk.path().join("out"))
            .args(extra)
            .args(inputs)
            .output()
            .unwrap()
    };
    assert!(run(&[&postfix], &[]).status.success());
    let before = snapshot(disk.path());
    // Room for one report set, not for a second one staged beside it.
    let events = disk.path().join("events.parquet");
    let events_arg = events.to_string_lossy().into_owned();
    let full = run(
        &[&postfix, &exim],
        &["--report", "csv,xlsx,prom", "--events", &events_arg],
    );
    assert_eq!(full.status.code(), Some(2));
    let err = String::from_utf8_lossy(&full.stderr);
    assert!(err.contains("No report was replaced"), "{err}");
    assert!(err.contains("state left unchanged"), "{err}");
    let after: Vec<(String, Vec<u8>)> = snapshot(disk.path())
        .into_iter()
        .filter(|(n, _)| n != "st.lock")
        .collect();
    let before: Vec<(String, Vec<u8>)> =
        before.into_iter().filter(|(n, _)| n != "st.lock").collect();
    assert_eq!(after, before, "a failed run changed or left files");
    // With room again, the next run reads what the failed one could not report: the Exim
    // log, all of it; the Postfix log had nothing new.
    disk.resize("8m");
    assert!(run(&[&postfix, &exim], &[]).status.success());
    let alone = tempfile::tempdir().unwrap();
    crate::scan_cli::mailcodes()
        .args(["scan", "-q", "--year", "2021", "-o"])
        .arg(alone.path())
        .arg(&exim)
        .assert()
        .success();
    let classes = |d: &Path| std::fs::read(d.join("classes.csv")).unwrap();
    assert_eq!(classes(&disk.path().join("out")), classes(alone.path()));
}
