#!/usr/bin/env bash
# Per log, rg's count of outcome lines, an older build and a newer one (with and without the
# report set, two threads and one), taken in turn run after run by benches/alternate.py.
# Prints medians, their ratio to rg and quartiles (the 1 GB table in BENCHMARKS.md).
#
# Usage: benches/interleaved.sh OLD_BINARY NEW_BINARY DIR
#   DIR holds pf-normal.log, pf-deferral.log, ex-normal.log and ex-deferral.log, made with
#   cargo run --release --example genlog -- --mta postfix|exim --mix normal|deferral \
#       --size 1G --seed 42 --output DIR/pf-normal.log   (and so on)
# Environment: RUNS (timed runs per command, default 5).
set -euo pipefail
[[ $# -eq 3 ]] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
old=$1 new=$2 dir=$3
here=$(dirname "$0")
for cmd in rg python3; do
    command -v "$cmd" > /dev/null || { echo "interleaved.sh: $cmd is not installed" >&2; exit 2; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for log in pf-normal pf-deferral ex-normal ex-deferral; do
    case $log in
        pf-*) pat='status=|reject:' ;;
        *) pat='(\x20(=>|->|==|\*\*)\x20|rejected\x20)' ;;
    esac
    echo "## $log ($(uptime | sed 's/.*load/load/'))"
    # Taken in turn, run after run (benches/alternate.py), so that the machine's drift falls
    # on every command alike. alternate.py splits a command as a shell would (quotes, and a
    # backslash escapes outside them), so rg's pattern is quoted; it spells a space \x20.
    python3 "$here/alternate.py" --vs-first "${RUNS:-5}" \
        "rg -c '$pat' $dir/$log.log" \
        "$old scan -q -o $out/a $dir/$log.log" \
        "$new scan -q -o $out/b $dir/$log.log" \
        "$old scan -q $dir/$log.log" \
        "$new scan -q $dir/$log.log" \
        "$old scan -q -j 1 $dir/$log.log" \
        "$new scan -q -j 1 $dir/$log.log"
done
