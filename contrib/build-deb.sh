#!/bin/sh
# Builds the Debian package target/debian/mailcodes_VERSION-1_ARCH.deb with cargo-deb
# (`cargo install cargo-deb --locked`): the release binary, the man pages and completion
# scripts it generates itself (`mailcodes man --dir`, `mailcodes completions SHELL`, written
# into target/assets first), README, CHANGELOG, the commented-out /etc/cron.d/mailcodes and
# the systemd units (installed, not enabled). Extra arguments go to `cargo deb`.
set -eu
cd "$(dirname "$0")/.."

cargo build --release --locked
bin="${CARGO_TARGET_DIR:-target}/release/mailcodes"
assets=target/assets
rm -rf "$assets"
mkdir -p "$assets/completions"

"$bin" man --dir "$assets/man"
"$bin" completions bash > "$assets/completions/mailcodes.bash"
"$bin" completions zsh > "$assets/completions/_mailcodes"
"$bin" completions fish > "$assets/completions/mailcodes.fish"
"$bin" completions elvish > "$assets/completions/mailcodes.elv"
"$bin" completions powershell > "$assets/completions/_mailcodes.ps1"

# The binary was just built: --no-build packages exactly that one. --strip drops the debug
# information the release profile keeps for profiling (20 MB -> 3 MB).
cargo deb --no-build --strip "$@"
