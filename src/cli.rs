//! The command line, as clap derive types: each field's doc comment is its `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit status:
  0  success (a closed stdout pipe, as with `| head`, is not an error)
  2  an input could not be read (missing file, corrupt gzip: the other inputs are still
     scanned and reported), the reports or the state could not be written, the state file
     is damaged, or the command line is wrong";

/// SMTP reply-code statistics from Postfix and Exim logs.
#[derive(Debug, Parser)]
#[command(name = "mailcodes", version, propagate_version = true, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read logs, count reply codes by class, code, enhanced code, domain and hour, find
    /// persistent 450 failures, say why mail failed, and print a summary (and write the
    /// report set with --out-dir).
    #[command(after_help = concat!(
        "Examples:\n",
        "  mailcodes scan /var/log/mail.log\n",
        "  mailcodes scan -o /var/lib/mailcodes/today /var/log/mail.log /var/log/mail.log.1\n",
        "  zcat /var/log/mail.log.2.gz | mailcodes scan --year 2026 -\n",
        "  mailcodes scan --log-format exim --min-attempts 5 --min-span 6h /var/log/exim4/mainlog\n\n",
        "  mailcodes scan -d yesterday -o /var/lib/mailcodes/{date} /var/log/mail.log.1 /var/log/mail.log\n",
        "  mailcodes scan --state /var/lib/mailcodes/state -o /var/lib/mailcodes/{date} /var/log/mail.log\n\n",
        "Exit status: 0 success; 2 an input could not be read (other inputs are still scanned),\n",
        "the reports or the state could not be written, the state file is damaged, a day\n",
        "folder cannot be added to, or the command line is wrong."
    ))]
    Scan(Box<ScanArgs>),
    /// Explain what a reply code means, when you see it and how to fix it; two codes are
    /// compared side by side.
    #[command(after_help = concat!(
        "Examples:\n",
        "  mailcodes explain 450\n",
        "  mailcodes explain 4.2.2\n",
        "  mailcodes explain 221 450\n",
        "  mailcodes explain --list\n",
        "  mailcodes explain --format json --lang vi 550\n\n",
        "Exit status: 0 success; 2 a malformed code or a wrong command line."
    ))]
    Explain(ExplainArgs),
    /// Print the manual page (roff) of mailcodes or of one of its commands, or write every
    /// page into a folder.
    #[command(after_help = concat!(
        "Examples:\n",
        "  mailcodes man | man -l -\n",
        "  mailcodes man scan > mailcodes-scan.1\n",
        "  mailcodes man --dir target/assets/man"
    ))]
    Man(ManArgs),
    /// Print a completion script for a shell, generated from the same definitions as --help.
    #[command(after_help = concat!(
        "Examples:\n",
        "  mailcodes completions bash > ~/.local/share/bash-completion/completions/mailcodes\n",
        "  mailcodes completions zsh > ~/.zfunc/_mailcodes\n",
        "  mailcodes completions fish > ~/.config/fish/completions/mailcodes.fish"
    ))]
    Completions(CompletionsArgs),
    /// Merge out folders of several hosts (or days) into one report set, exactly as one scan
    /// over all their logs would have written it.
    #[command(after_help = concat!(
        "Examples:\n",
        "  mailcodes merge /srv/mailcodes/mx1 /srv/mailcodes/mx2 -o /srv/mailcodes/all\n",
        "  mailcodes merge --report csv,xlsx -q 2026-11-*/ -o 2026-11\n\n",
        "Exit status: 0 success; 2 a folder without merge.jsonl, a damaged one, one of another\n",
        "schema or hash key, or the reports could not be written."
    ))]
    Merge(MergeArgs),
}

/// Log formats `--log-format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Recognise every line on its own (a syslog file may hold both MTAs).
    Auto,
    /// Postfix lines only.
    Postfix,
    /// Exim lines only.
    Exim,
}

/// Report files `--report` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum ReportKind {
    /// The CSV files: classes, codes, enhanced, domains, hourly, persistent_450, diagnoses,
    /// providers, hosts.
    Csv,
    /// mailcodes.xlsx: every table as a typed sheet, a summary sheet and charts.
    Xlsx,
    /// mailcodes.prom: gauges in the Prometheus text format.
    Prom,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Log files to read, combined; `-` reads standard input. Gzip-compressed files are
    /// recognised by their content, whatever their name. Default: /var/log/mail.log.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write the report set into DIR (created if missing): the CSV files (classes, codes,
    /// enhanced, domains, hourly, persistent_450, diagnoses, providers, hosts), summary.json,
    /// merge.jsonl (for `mailcodes merge`) and what --report adds; the whole set replaces the
    /// old one or none of it does. With `{date}` in DIR, one folder per day: each event goes
    /// to the folder of its own date, and with --state each run adds to the day's folder
    /// (until it holds the whole day). Example: -o /var/lib/mailcodes/{date}
    #[arg(short = 'o', long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    #[command(flatten)]
    pub output: ReportArgs,

    /// Diagnosis rules of your own, tried before the built-in ones: one rule per line,
    /// `diagnosis<TAB>pattern<TAB>conditions` (see the README, "Diagnoses"). A broken rule is
    /// an error naming its line. Example: --rules /etc/mailcodes/rules.tsv
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// The server name for lines that carry none (Exim's mainlog has no host field); lines
    /// with a syslog host keep theirs. Counted in hosts.csv. Example: --host mx1
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,

    /// Also write every outcome as a row of an events table, for DuckDB, Spark or ClickHouse:
    /// Parquet for FILE.parquet, CSV for FILE.csv or FILE.csv.gz (see the README, "Events
    /// table"). Example: --events /var/lib/mailcodes/events/2026-11-28.parquet
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,

    /// Which log format to accept (`--format` is an older name for it). Example: --log-format exim
    #[arg(long = "log-format", alias = "format", value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,

    /// The year of timestamps that carry none (classic syslog `Nov 28 06:25:13`). Default:
    /// inferred, so that no timestamp lies after the file's modification time. Example: --year 2026
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i64).range(1970..=9999))]
    pub year: Option<i64>,

    /// Only accept Postfix lines whose syslog name is NAME (the part before `/daemon`),
    /// for hosts that run several instances. Example: --syslog-name postfix-mx
    #[arg(long, value_name = "NAME")]
    pub syslog_name: Option<String>,

    /// No text summary on stdout (CSV files are still written with --out-dir). Example: -q -o /tmp/report
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads. Default: all cores. Example: -j 1
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Only count events at or after T: YYYY-MM-DD (local midnight), an RFC 3339 date-time
    /// (2026-11-28T06:00:00+01:00), today, yesterday, or a span back from now (24h, 7d).
    /// Example: --since 24h
    #[arg(long, value_name = "T")]
    pub since: Option<String>,

    /// Only count events before T (same forms as --since). Example: --until today
    #[arg(long, value_name = "T")]
    pub until: Option<String>,

    /// One whole day: today or yesterday (or YYYY-MM-DD), as pflogsumm's -d. Example: -d yesterday
    #[arg(short = 'd', long = "day", value_name = "DAY", conflicts_with_all = ["since", "until"])]
    pub day: Option<String>,

    /// Remember in FILE where each log was read up to (and the open persistent-450 evidence),
    /// so the next run reads only what was appended, following logrotate's renames, gzip and
    /// copytruncate. Example: --state /var/lib/mailcodes/state
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Read every file with read() instead of memory-mapping the settled ones (rotated files,
    /// files not modified for 10 minutes; a live log is always read with read()).
    #[arg(long)]
    pub no_mmap: bool,

    /// Bytes per parallel chunk, for tests and benchmarks (default: sized per input).
    #[arg(long, hide = true, value_name = "BYTES", value_parser = chunk_size_arg)]
    pub chunk_size: Option<usize>,

    /// Read the systemd journal of the Postfix and Exim units (`journalctl -o
    /// short-iso-precise`) instead of files, for systems without /var/log/mail.log. --since,
    /// --until and -d are passed on; with --state, the journal cursor is kept in FILE.journal
    /// so each run reads only new entries. Example: --journal --since yesterday
    #[arg(long, conflicts_with = "paths")]
    pub journal: bool,

    /// With --state: how long to wait for another run that holds the state's lock before
    /// giving up with status 2 (after 3 s of waiting, stderr says which run holds it); 0
    /// gives up at once. Example: --lock-timeout 30m
    #[arg(long, value_name = "SPAN", default_value = "10m", value_parser = lock_timeout_arg)]
    pub lock_timeout: u32,

    /// The fleet's hash key for merge.jsonl (see `mailcodes merge`): created when missing.
    /// Default: $MAILCODES_HASH_KEY, else mailcodes.key beside the --out-dir folder.
    /// Example: --hash-key /etc/mailcodes/hash.key
    #[arg(long, value_name = "FILE")]
    pub hash_key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Out folders of `mailcodes scan` or `mailcodes merge` (each holds merge.jsonl).
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,

    /// Write the merged report set (and its own merge.jsonl) into DIR.
    #[arg(short = 'o', long, value_name = "DIR", required = true)]
    pub out_dir: PathBuf,

    #[command(flatten)]
    pub output: ReportArgs,

    /// No summary on stdout.
    #[arg(short, long)]
    pub quiet: bool,

    /// The hash key the folders were written with. Default: $MAILCODES_HASH_KEY, else
    /// mailcodes.key beside the -o folder or beside one of the DIRs.
    #[arg(long, value_name = "FILE")]
    pub hash_key: Option<PathBuf>,
}

/// What a run reports and how, shared by `scan` and `merge`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// What to write into --out-dir, comma-separated: csv (the CSV files), xlsx
    /// (mailcodes.xlsx, a typed workbook with charts), prom (mailcodes.prom for
    /// node_exporter's textfile collector). summary.json is always written.
    /// Example: --report csv,xlsx
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "csv",
        value_name = "LIST"
    )]
    pub report: Vec<ReportKind>,

    /// Print the report as one JSON document (the layout of summary.json) on stdout instead
    /// of the text summary.
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,

    /// A recipient is a persistent 450 failure after at least N mailbox 450 replies…
    /// Example: --min-attempts 5
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_attempts: u64,

    /// …whose first and last are at least this far apart: 30m, 1h, 6h, 2d. Example: --min-span 6h
    #[arg(long, value_name = "SPAN", default_value = "1h", value_parser = parse_span_arg)]
    pub min_span: i64,

    /// Rows in each top list of the summary. Example: --top 20
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

fn chunk_size_arg(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 64 => Ok(n),
        _ => Err(format!(
            "'{s}' is not a chunk size: give a number of bytes, at least 64"
        )),
    }
}

/// A lock timeout in seconds (a span, up to 136 years).
fn lock_timeout_arg(s: &str) -> Result<u32, String> {
    let secs = crate::time::parse_span(s).map_err(|e| e.to_string())?;
    u32::try_from(secs).map_err(|_| format!("'{s}' is not a timeout: give 0 or more, like 10m"))
}

fn parse_span_arg(s: &str) -> Result<i64, String> {
    crate::time::parse_span(s).map_err(|e| e.to_string())
}

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Csv,
    Json,
}

/// Languages of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Vietnamese (tiếng Việt); entries without a Vietnamese text are shown in English,
    /// marked as such.
    Vi,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// One code, or two to compare: basic (450), enhanced (4.2.2, or X.2.2 as --list prints it);
    /// or one whole reply in quotes ("550 5.7.1 Service unavailable").
    #[arg(value_name = "CODE", required_unless_present = "list", num_args = 1..=2)]
    pub codes: Vec<String>,

    /// List every known code, one line each.
    #[arg(long, conflicts_with = "codes")]
    pub list: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,

    /// Language of headings and texts.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

/// The pages `mailcodes man` can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManPage {
    Scan,
    Explain,
    Man,
    Completions,
    Merge,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (mailcodes-scan(1), …); without it, mailcodes(1).
    #[arg(value_enum, value_name = "COMMAND", conflicts_with = "dir")]
    pub page: Option<ManPage>,

    /// Write every page (mailcodes.1, mailcodes-scan.1, …) into DIR instead of printing one.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
