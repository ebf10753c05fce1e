//! Integration tests, one binary: parsers over real lines, the CLI over fixtures.

mod cron;
mod explain_cli;
mod parser_real;
mod scan_cli;
mod split;
