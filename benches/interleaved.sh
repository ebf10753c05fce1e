#!/usr/bin/env bash
# One interleaved hyperfine run per log: rg's count of outcome lines, an older build and a
# newer one, with and without the report set, two threads and one. Prints medians and their
# ratio to rg (the table in BENCHMARKS.md, "Latest").
#
# Usage: benches/interleaved.sh OLD_BINARY NEW_BINARY DIR
#   DIR holds pf-normal.log, pf-deferral.log, ex-normal.log and ex-deferral.log, made with
#   cargo run --release --example genlog -- --mta postfix|exim --mix normal|deferral \
#       --size 1G --seed 42 --output DIR/pf-normal.log   (and so on)
# Environment: RUNS (timed runs per command, default 5).
set -euo pipefail
[[ $# -eq 3 ]] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
old=$1 new=$2 dir=$3
for cmd in hyperfine rg python3; do
    command -v "$cmd" > /dev/null || { echo "interleaved.sh: $cmd is not installed" >&2; exit 2; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for log in pf-normal pf-deferral ex-normal ex-deferral; do
    case $log in
        pf-*) pat='status=|reject:' ;;
        *) pat=' (=>|->|==|\*\*) |rejected ' ;;
    esac
    echo "## $log ($(uptime | sed 's/.*load/load/'))"
    hyperfine -N -w 1 -r "${RUNS:-5}" --export-json "$out/$log.json" \
        -n rg "rg -c '$pat' $dir/$log.log" \
        -n old-o "$old scan -q -o $out/a $dir/$log.log" \
        -n new-o "$new scan -q -o $out/b $dir/$log.log" \
        -n new "$new scan -q $dir/$log.log" \
        -n new-j1 "$new scan -q -j 1 $dir/$log.log" \
        -n old "$old scan -q $dir/$log.log" > /dev/null 2>&1
    python3 - "$out/$log.json" << 'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
rg = next(r["median"] for r in results if r["command"] == "rg")
for r in results:
    print(f"{r['command']:7} median {r['median']:.3f} s  user {r['user']:.3f} s  {r['median'] / rg:.2f}x rg")
PY
done
