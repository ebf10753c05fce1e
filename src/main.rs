//! The `mailcodes` binary: parse the command line, run, exit with the status.

use clap::Parser;

fn main() -> std::process::ExitCode {
    mailcodes::alloc::tune();
    let cli = mailcodes::cli::Cli::parse();
    std::process::ExitCode::from(mailcodes::run(cli) as u8)
}
