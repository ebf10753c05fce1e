//! Packaging: `mailcodes man`, `mailcodes completions`, the systemd units and cron example in
//! contrib/, and the cargo-deb asset list. Checks that need a tool (`man`, `bash`, `zsh`,
//! `fish`, `systemd-analyze`, `strace`) run where it is installed and are skipped with a
//! message elsewhere.

use crate::scan_cli::mailcodes;
use clap::{CommandFactory, Parser};
use mailcodes::cli::Cli;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn run(args: &[&str]) -> Output {
    let out = mailcodes().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    out
}

fn text(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The installed tool `name`, if any.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!("skipped: {name} is not installed");
    }
    found
}

/// The long options of a subcommand that --help shows.
fn long_options(sub: &str) -> Vec<String> {
    let cmd = Cli::command();
    let sub = cmd.find_subcommand(sub).unwrap().clone();
    sub.get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| a.get_long().map(str::to_string))
        .collect()
}

#[test]
fn man_pages_describe_every_command_and_option() {
    let main = text(&run(&["man"]));
    assert!(main.contains(".TH mailcodes 1"), "{main}");
    for sub in ["scan", "explain", "man", "completions", "merge"] {
        assert!(main.contains(&format!("mailcodes\\-{sub}(1)")), "{sub}");
        let page = text(&run(&["man", sub]));
        assert!(page.contains(&format!(".TH mailcodes-{sub} 1")), "{page}");
        for long in long_options(sub) {
            let roff = format!("\\fB\\-\\-{}\\fR", long.replace('-', "\\-"));
            assert!(page.contains(&roff), "mailcodes-{sub}(1) lacks --{long}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man");
    run(&["man", "--dir", pages.to_str().unwrap()]);
    let mut names: Vec<String> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let want = [
        "mailcodes-completions.1",
        "mailcodes-explain.1",
        "mailcodes-man.1",
        "mailcodes-merge.1",
        "mailcodes-scan.1",
        "mailcodes.1",
    ];
    assert_eq!(names, want);
    assert_eq!(
        std::fs::read_to_string(pages.join("mailcodes.1")).unwrap(),
        main
    );
}

#[test]
fn man_renders_without_warnings() {
    let Some(man) = tool("man") else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("mailcodes-scan.1");
    std::fs::write(&page, run(&["man", "scan"]).stdout).unwrap();
    let out = Command::new(man)
        .args(["--warnings", "-l"])
        .arg(&page)
        .env("MANWIDTH", "80")
        .env("MAN_KEEP_FORMATTING", "0")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // Bold and underline are overstrikes (`X\bX`) when the output is not a terminal.
    let mut shown = String::new();
    for c in String::from_utf8_lossy(&out.stdout).chars() {
        if c == '\u{8}' {
            shown.pop();
        } else {
            shown.push(c);
        }
    }
    assert!(shown.contains("--journal"), "{shown}");
    // The examples and exit statuses of --help follow the options (groff may justify spaces).
    assert!(
        shown.contains("mailcodes scan --state /var/lib/mailcodes/state"),
        "{shown}"
    );
    assert!(shown.contains("status: 0 success"), "{shown}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
}

#[test]
fn completions_for_every_shell_know_every_command_and_option() {
    let shells = ["bash", "zsh", "fish", "elvish", "powershell"];
    for shell in shells {
        let script = text(&run(&["completions", shell]));
        for sub in ["scan", "explain", "man", "completions", "merge"] {
            assert!(script.contains(sub), "{shell}: {sub}");
        }
        for long in long_options("scan") {
            let option = match shell {
                "fish" => format!("-l {long}"),
                _ => format!("--{long}"),
            };
            assert!(script.contains(&option), "{shell}: {option}");
        }
        // Values of --format complete too.
        assert!(
            script.contains("postfix") && script.contains("exim"),
            "{shell}"
        );
    }
    let out = mailcodes().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Syntax check with each shell that is installed.
#[test]
fn completion_scripts_parse_in_their_shells() {
    let checks: [(&str, &str, &[&str]); 3] = [
        ("bash", "bash", &["-n"]),
        ("zsh", "zsh", &["-n"]),
        ("fish", "fish", &["--no-execute"]),
    ];
    for (shell, program, flags) in checks {
        let Some(program) = tool(program) else {
            continue;
        };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("script");
        std::fs::write(&file, run(&["completions", shell]).stdout).unwrap();
        let out = Command::new(program)
            .args(flags)
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {out:?}");
    }
}

/// bash really completes: `mailcodes scan --jo<TAB>` gives `--journal`, `--format <TAB>`
/// the formats.
#[test]
fn bash_completes_options_and_values() {
    let Some(bash) = tool("bash") else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mailcodes.bash");
    std::fs::write(&file, run(&["completions", "bash"]).stdout).unwrap();
    let cases: [(&[&str], &str); 3] = [
        (&["mailcodes", "scan", "--jo"], "--journal"),
        (
            &["mailcodes", "scan", "--log-format", ""],
            "auto postfix exim",
        ),
        (&["mailcodes", "ex"], "explain"),
    ];
    for (words, want) in cases {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let n = words.len();
        let script = format!(
            "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_mailcodes mailcodes '{}' '{}'\necho \"${{COMPREPLY[*]}}\"\n",
            file.display(),
            quoted.join(" "),
            n - 1,
            words[n - 1],
            words[n - 2],
        );
        let out = Command::new(&bash).arg("-c").arg(script).output().unwrap();
        let got = String::from_utf8_lossy(&out.stdout);
        assert_eq!(got.trim(), want, "{words:?}: {out:?}");
    }
}

fn unit(name: &str) -> String {
    std::fs::read_to_string(root("contrib/systemd").join(name)).unwrap()
}

/// The value of the first `Key=` line of a unit (comments skipped).
fn key<'a>(unit: &'a str, key: &str) -> Option<&'a str> {
    unit.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
}

#[test]
fn service_is_hardened_and_runs_a_valid_command() {
    let service = unit("mailcodes.service");
    let table = [
        ("Type", "oneshot"),
        ("StateDirectory", "mailcodes"),
        ("DynamicUser", "yes"),
        ("SupplementaryGroups", "adm"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateNetwork", "yes"),
        ("NoNewPrivileges", "yes"),
        ("CapabilityBoundingSet", ""),
        ("Environment", "MAILCODES_INPUT=/var/log/mail.log"),
    ];
    for (k, v) in table {
        assert_eq!(key(&service, k), Some(v), "{k}");
    }
    // The command line, with $MAILCODES_INPUT as shipped and as the journal alternative,
    // is one that mailcodes accepts, and keeps its state where StateDirectory= is.
    let exec = key(&service, "ExecStart").unwrap();
    for input in ["/var/log/mail.log", "--journal"] {
        let line = exec.replace("$MAILCODES_INPUT", input);
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[0], "/usr/bin/mailcodes");
        let cli = Cli::try_parse_from(&words).unwrap_or_else(|e| panic!("{line}: {e}"));
        let mailcodes::cli::Command::Scan(args) = cli.command else {
            panic!("{line}")
        };
        assert_eq!(
            args.state.as_deref(),
            Some(Path::new("/var/lib/mailcodes/state"))
        );
        assert_eq!(args.journal, input == "--journal");
    }
    let timer = unit("mailcodes.timer");
    assert_eq!(key(&timer, "OnCalendar"), Some("*-*-* 00:10:00"));
    assert_eq!(key(&timer, "Persistent"), Some("true"));
    assert_eq!(key(&timer, "WantedBy"), Some("timers.target"));
}

/// `systemd-analyze verify` on copies of the units that point at the binary under test (the
/// packaged path, /usr/bin/mailcodes, may not exist here), and the offline security score.
#[test]
fn systemd_analyze_accepts_the_units() {
    let Some(analyze) = tool("systemd-analyze") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("mailcodes");
    let service = unit("mailcodes.service").replace("/usr/bin/mailcodes", bin.to_str().unwrap());
    std::fs::write(dir.path().join("mailcodes.service"), service).unwrap();
    std::fs::write(dir.path().join("mailcodes.timer"), unit("mailcodes.timer")).unwrap();
    let out = Command::new(&analyze)
        .args(["verify", "--man=no"])
        .arg(dir.path().join("mailcodes.service"))
        .arg(dir.path().join("mailcodes.timer"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.is_empty(), "{out:?}");
    let out = Command::new(&analyze)
        .args(["security", "--offline=yes", "--no-pager"])
        .arg(dir.path().join("mailcodes.service"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    let Some(score) = report
        .lines()
        .find_map(|l| l.split("mailcodes.service: ").nth(1))
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
    else {
        eprintln!("skipped: this systemd-analyze has no offline security report ({out:?})");
        return;
    };
    assert!(score <= 2.0, "exposure {score}:\n{report}");
}

/// Every system call a scan makes (files, state, journalctl) is allowed by the unit's
/// `SystemCallFilter=@system-service`: traced with strace, checked against systemd's list.
#[test]
fn system_calls_fit_the_service_filter() {
    let (Some(strace), Some(analyze)) = (tool("strace"), tool("systemd-analyze")) else {
        return;
    };
    let allowed = syscall_set(&analyze, "@system-service");
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace");
    let out = Command::new(strace)
        .args(["-f", "-qq", "-o"])
        .arg(&trace)
        .arg(assert_cmd::cargo::cargo_bin("mailcodes"))
        .args(["scan", "--year", "2021", "--state"])
        .arg(dir.path().join("state"))
        .arg("-o")
        .arg(dir.path().join("{date}"))
        .arg(root("fixtures/sample/postfix-mail.log"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    if !out.status.success() {
        eprintln!("skipped: strace cannot trace here ({out:?})");
        return;
    }
    let used: std::collections::BTreeSet<String> = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let call = l.split_once(' ').map_or(l, |(_, rest)| rest).trim_start();
            let name = &call[..call.find('(')?];
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                .then(|| name.to_string())
        })
        .collect();
    assert!(used.contains("openat") || used.contains("open"), "{used:?}");
    let denied: Vec<&String> = used.iter().filter(|s| !allowed.contains(*s)).collect();
    assert!(denied.is_empty(), "not in @system-service: {denied:?}");
}

/// The system calls of a systemd filter set, groups expanded.
fn syscall_set(analyze: &Path, set: &str) -> std::collections::BTreeSet<String> {
    let out = Command::new(analyze)
        .args(["syscall-filter", set])
        .output()
        .unwrap();
    let mut calls = std::collections::BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines().skip(1) {
        let word = line.trim();
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        if word.starts_with('@') {
            calls.extend(syscall_set(analyze, word));
        } else {
            calls.insert(word.to_string());
        }
    }
    calls
}

#[test]
fn cron_example_is_commented_out_and_its_commands_parse() {
    let cron = std::fs::read_to_string(root("contrib/cron/mailcodes")).unwrap();
    let mut jobs = 0;
    for line in cron.lines().filter(|l| !l.trim().is_empty()) {
        assert!(line.starts_with('#'), "an active line: {line}");
        // `#10 0 * * * root mailcodes scan …`
        let job = line[1..].starts_with(|c: char| c.is_ascii_digit());
        let Some(command) = line.split_once(" root ").filter(|_| job).map(|(_, c)| c) else {
            continue;
        };
        let words: Vec<&str> = command.split_whitespace().collect();
        Cli::try_parse_from(&words).unwrap_or_else(|e| panic!("{command}: {e}"));
        jobs += 1;
    }
    assert_eq!(jobs, 3);
}

/// Every asset cargo-deb packages either is in the repository or is written by
/// contrib/build-deb.sh.
#[test]
fn deb_assets_exist_or_are_generated() {
    let manifest = std::fs::read_to_string(root("Cargo.toml")).unwrap();
    let script = std::fs::read_to_string(root("contrib/build-deb.sh")).unwrap();
    let section = manifest
        .split("[package.metadata.deb]")
        .nth(1)
        .expect("a [package.metadata.deb] section");
    let sources: Vec<&str> = section
        .lines()
        .filter_map(|l| l.trim().strip_prefix("[\"")?.split('"').next())
        .collect();
    assert!(sources.len() >= 10, "{sources:?}");
    for source in sources {
        if source == "target/release/mailcodes" {
            continue;
        }
        match source.strip_prefix("target/assets/") {
            Some("man/*.1") => assert!(script.contains("man --dir \"$assets/man\"")),
            Some(generated) => assert!(
                script.contains(&format!("\"$assets/{generated}\"")),
                "{generated} is not written by build-deb.sh"
            ),
            None => assert!(root(source).is_file(), "{source} is missing"),
        }
    }
    for unit in ["mailcodes.service", "mailcodes.timer"] {
        assert!(root("contrib/systemd").join(unit).is_file());
    }
    assert!(section.contains("unit-scripts = \"contrib/systemd\""));
}
