#!/usr/bin/env bash
# Compare mailcodes with pflogsumm / eximstats and with the I/O floor (rg -c, wc -l) on the
# same generated log, and print a Markdown table ready to paste into BENCHMARKS.md.
#
# Usage: benches/compare.sh [--mta postfix|exim] [--mix bundled] [--size 1G] [--seed 42] [--runs 3]
#                           [--file PATH] [--threads N]
#
#   --mta      log flavour to generate and tools to compare (default: postfix)
#   --mix      generator mix: bundled, normal, deferral, dictionary, delivered, domains,
#              long-replies
#              (default: bundled; see examples/genlog.rs)
#   --size     size of the generated log: 1G, 100M, 512K or bytes (default: 1G)
#   --seed     generator seed (default: 42)
#   --runs     timed runs per fast tool (default: 3); pflogsumm/eximstats always run once
#   --file     benchmark this existing log instead of generating one
#   --threads  pass -j N to mailcodes (default: all cores); -j 1 is always timed too
#
# Environment:
#   BENCH_DIR   where generated logs (and a fetched eximstats) live (default: target/bench)
#   MAILCODES   mailcodes binary (default: target/release/mailcodes, built if missing)
#   EXIMSTATS   eximstats script (default: eximstats on PATH, else
#               $BENCH_DIR/exim4/usr/sbin/eximstats, fetched with `apt-get download`)
#   SLOW_TOOLS  set to 0 to skip pflogsumm and eximstats (~100 s per GB each)
#
# Timing uses hyperfine when installed, else the median of repeated `/usr/bin/time` runs.
# Progress goes to stderr; only the report goes to stdout.

set -euo pipefail

# Paths given by the caller (--file, BENCH_DIR, MAILCODES, EXIMSTATS) are relative to the
# directory the script is started from; everything else to the repository root.
caller_dir=$PWD
repo_root=$(cd "$(dirname "$0")/.." && pwd)

from_caller() {
    case $1 in
        /*) printf '%s' "$1" ;;
        *) printf '%s/%s' "$caller_dir" "$1" ;;
    esac
}

usage() {
    sed -n '4,26p' "$0" | sed 's/^# \{0,1\}//'
}

die() {
    printf 'compare.sh: %s\n' "$*" >&2
    exit 2
}

log() {
    printf '==> %s\n' "$*" >&2
}

# --- arguments -------------------------------------------------------------------------

mta=postfix
size=1G
mix=bundled
seed=42
runs=3
file=
threads=

need_value() {
    [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --mta | --mix | --size | --seed | --runs | --file | --threads)
            need_value "$@"
            opt=${1#--}
            val=$2
            shift 2
            ;;
        --mta=* | --mix=* | --size=* | --seed=* | --runs=* | --file=* | --threads=*)
            opt=${1%%=*}
            opt=${opt#--}
            val=${1#*=}
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            die "unknown argument '$1' (see --help)"
            ;;
    esac
    case $opt in
        mta) mta=$val ;;
        mix) mix=$val ;;
        size) size=$val ;;
        seed) seed=$val ;;
        runs) runs=$val ;;
        file) file=$val ;;
        threads) threads=$val ;;
    esac
done

[[ $mta == postfix || $mta == exim ]] || die "--mta must be postfix or exim, not '$mta'"
[[ $mix =~ ^(bundled|normal|deferral|dictionary|delivered|domains|long-replies)$ ]] \
    || die "--mix must be bundled, normal, deferral, dictionary, delivered, domains or long-replies, not '$mix'"
[[ $size =~ ^[0-9]+[KkMmGg]?$ ]] || die "--size must look like 1G, 100M, 512K or a byte count, not '$size'"
[[ $seed =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer, not '$seed'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$runs'"
[[ -z $threads || $threads =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, not '$threads'"

if [[ -n $file ]]; then
    file=$(from_caller "$file")
fi
bench_dir=target/bench
if [[ -n ${BENCH_DIR:-} ]]; then
    bench_dir=$(from_caller "$BENCH_DIR")
fi
mailcodes_env=
if [[ -n ${MAILCODES:-} ]]; then
    if [[ $MAILCODES != */* ]] && command -v "$MAILCODES" > /dev/null 2>&1; then
        mailcodes_env=$(command -v "$MAILCODES")
    else
        mailcodes_env=$(from_caller "$MAILCODES")
    fi
fi
eximstats_env=
if [[ -n ${EXIMSTATS:-} ]]; then
    eximstats_env=$(from_caller "$EXIMSTATS")
fi
slow_tools=${SLOW_TOOLS:-1}

cd "$repo_root"

# --- temporary files ---------------------------------------------------------------------

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/mailcodes-bench.XXXXXX")
partial=
cleanup() {
    if [[ -n $partial ]]; then
        rm -f -- "$partial"
    fi
    rm -rf -- "$tmpdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ---------------------------------------------------------------------------

have() {
    command -v "$1" > /dev/null 2>&1
}

# Quote a word for a POSIX shell (hyperfine runs commands with sh -c).
shquote() {
    local s=${1//\'/\'\\\'\'}
    printf "'%s'" "$s"
}

# Quote every argument and join them with spaces.
shjoin() {
    local out='' arg
    for arg in "$@"; do
        out+="${out:+ }$(shquote "$arg")"
    done
    printf '%s' "$out"
}

file_bytes() {
    stat -c %s -- "$1"
}

# Print a floating-point expression, evaluated by awk, with the given printf format
# (arithmetic only: a bare `>` would be an awk output redirection).
calc() {
    local fmt=$1
    shift
    awk "BEGIN { printf \"$fmt\", $* }"
}

# --- the log file ------------------------------------------------------------------------

if [[ -z $file ]]; then
    num=${size%[KkMmGg]}
    case $size in
        *[Kk]) dec=$((num * 1000)) bin=$((num * 1024)) ;;
        *[Mm]) dec=$((num * 1000000)) bin=$((num * 1048576)) ;;
        *[Gg]) dec=$((num * 1000000000)) bin=$((num * 1073741824)) ;;
        *) dec=$num bin=$num ;;
    esac
    [[ $dec -gt 0 ]] || die "--size must be positive"
    if [[ $mix == bundled ]]; then
        file="$bench_dir/$mta-$size-$seed.log"
    else
        file="$bench_dir/$mta-$mix-$size-$seed.log"
    fi
    # The generator stops at a line boundary and K/M/G may be powers of 1000 or 1024:
    # accept anything within 1% of either reading.
    lo=$((dec - dec / 100))
    hi=$((bin + bin / 100 + 4096))
    if [[ -f $file ]] && cur=$(file_bytes "$file") && ((cur >= lo && cur <= hi)); then
        log "using existing $file ($cur bytes)"
    else
        have cargo || die "cargo is needed to generate $file (or pass --file PATH)"
        mkdir -p -- "$bench_dir"
        log "generating $file (mta $mta, size $size, seed $seed)"
        partial="$file.partial"
        rm -f -- "$partial"
        cargo run --release --quiet --example genlog -- \
            --mta "$mta" --mix "$mix" --size "$size" --seed "$seed" --output "$partial" >&2 \
            || die "cargo run --example genlog failed"
        [[ -s $partial ]] || die "genlog wrote nothing to $partial"
        mv -f -- "$partial" "$file"
        partial=
    fi
fi

[[ -f $file && -r $file ]] || die "cannot read log file '$file'"
bytes=$(file_bytes "$file")
[[ $bytes -gt 0 ]] || die "log file '$file' is empty"
mb=$(calc '%.1f' "$bytes / 1000000")

# --- the mailcodes binary ----------------------------------------------------------------

if [[ -n $mailcodes_env ]]; then
    mailcodes=$mailcodes_env
    [[ -x $mailcodes ]] || die "MAILCODES=$mailcodes is not an executable file"
else
    mailcodes=target/release/mailcodes
    if [[ ! -x $mailcodes ]]; then
        have cargo || die "cargo is needed to build $mailcodes (or set MAILCODES)"
        log "building $mailcodes"
        cargo build --release --quiet >&2
    fi
    [[ -x $mailcodes ]] || die "$mailcodes is missing after cargo build"
fi

nthreads=${threads:-$(nproc)}

# --- timing --------------------------------------------------------------------------

time_bin=
if [[ -x /usr/bin/time ]]; then
    time_bin=/usr/bin/time
fi
timer=fallback
if have hyperfine; then
    timer=hyperfine
elif [[ -n $time_bin ]]; then
    timer='time'
fi

# Median (hyperfine) of a hyperfine JSON export: on a shared or virtual machine a few runs
# are slowed by neighbours, and the median is not moved by them as the mean is.
json_median() {
    if have python3; then
        python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
    elif have jq; then
        jq -r '.results[0].median' "$1"
    else
        grep -o '"median": *[0-9.eE+-]*' "$1" | head -n 1 | sed 's/.*: *//'
    fi
}

median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) exit 1
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Time the shell command $1 (output discarded) $2 times, with $3 warmup runs, under the name
# $4 (used for temporary files). Prints seconds. Returns non-zero if the command failed.
# $5 is a file to which /usr/bin/time writes the peak RSS (KB) of the last run, or empty.
time_cmd() {
    local cmd=$1 n=$2 warm=$3 name=$4 memfile=$5 i
    if [[ -n $memfile ]]; then
        cmd="$(shjoin "$time_bin" -f '%M' -o "$memfile") $cmd"
    fi
    case $timer in
        hyperfine)
            local json="$tmpdir/$name.json"
            hyperfine --style basic --warmup "$warm" --runs "$n" --export-json "$json" \
                --command-name "$name" "$cmd" >&2 || return 1
            json_median "$json"
            ;;
        time)
            local tf="$tmpdir/$name.time"
            for ((i = 0; i < warm; i++)); do
                sh -c "$cmd" > /dev/null || return 1
            done
            for ((i = 0; i < n; i++)); do
                "$time_bin" -f '%e %M' -o "$tf" sh -c "$cmd" > /dev/null || return 1
                tail -n 1 "$tf" | awk '{ print $1 }'
            done | median
            ;;
        fallback)
            local t0 t1
            for ((i = 0; i < warm; i++)); do
                sh -c "$cmd" > /dev/null || return 1
            done
            for ((i = 0; i < n; i++)); do
                t0=$EPOCHREALTIME
                sh -c "$cmd" > /dev/null || return 1
                t1=$EPOCHREALTIME
                calc '%.6f\n' "$t1 - $t0"
            done | median
            ;;
    esac
}

# Results, in row order.
names=()
labels=()
shown=()
times=()
peaks=()
notes=()

skip() {
    notes+=("skipped: $*")
    log "skipped: $*"
}

# bench NAME LABEL SLOW DISPLAY-COMMAND ARGV...
# NAME identifies the row, LABEL is shown in the table. SLOW=1: one run, no warmup, and the
# peak memory is taken from that run.
bench() {
    local name=$1 label=$2 slow=$3 display=$4
    shift 4
    local cmd secs peak=- memfile=
    cmd="$(shjoin "$@") > /dev/null"
    local n=$runs warm=1
    if [[ $slow == 1 ]]; then
        n=1
        warm=0
    fi
    cat -- "$file" > /dev/null
    if [[ $slow == 1 && -n $time_bin ]]; then
        memfile="$tmpdir/$name.mem"
    fi
    log "timing $name ($n run(s), $warm warmup)"
    if ! secs=$(time_cmd "$cmd" "$n" "$warm" "$name" "$memfile"); then
        skip "$name failed: $display"
        return 0
    fi
    if [[ -n $time_bin ]]; then
        if [[ -z $memfile ]]; then
            memfile="$tmpdir/$name.mem"
            "$time_bin" -f '%M' -o "$memfile" "$@" > /dev/null || true
        fi
        if [[ -s $memfile ]]; then
            peak=$(tail -n 1 "$memfile" | awk '$1 ~ /^[0-9]+$/ { printf "%.1f", $1 / 1000; ok = 1 } END { if (!ok) print "-" }')
        fi
    fi
    names+=("$name")
    labels+=("$label")
    shown+=("$display")
    times+=("$secs")
    peaks+=("$peak")
}

# Index of the row named $1, or nothing.
row_of() {
    local i
    for i in "${!names[@]}"; do
        if [[ ${names[$i]} == "$1" ]]; then
            printf '%s' "$i"
            return 0
        fi
    done
    return 1
}

# Does the slow tool run at all? Try it on the first lines of the log.
runs_on_sample() {
    local sample="$tmpdir/sample.log"
    [[ -s $sample ]] || head -n 2000 -- "$file" > "$sample"
    "$@" "$sample" > /dev/null 2> "$tmpdir/sample.err"
}

# --- the tools -------------------------------------------------------------------------

log "log: $file ($mb MB), timer: $timer"
cat -- "$file" > /dev/null

outdir="$tmpdir/out"
mkdir -p -- "$outdir"

mc_args=(scan -q --year 2026 -o "$outdir")
mc_disp="mailcodes scan -q --year 2026 -o OUT"
if [[ -n $threads ]]; then
    bench mailcodes mailcodes 0 "$mc_disp -j $threads LOG" "$mailcodes" "${mc_args[@]}" -j "$threads" "$file"
else
    bench mailcodes mailcodes 0 "$mc_disp LOG" "$mailcodes" "${mc_args[@]}" "$file"
fi
bench mailcodes-j1 "mailcodes (1 thread)" 0 "$mc_disp -j 1 LOG" "$mailcodes" "${mc_args[@]}" -j 1 "$file"

# The floors next, so that they run under the same conditions as mailcodes (the slow
# tools take minutes, and the state of a shared machine drifts).
if [[ $mta == postfix ]]; then
    rg_pat='status=|reject:'
else
    rg_pat=' (=>|->|==|\*\*) |rejected '
fi
if have rg; then
    bench rg "rg (floor)" 0 "rg -c '$rg_pat' LOG" rg -c "$rg_pat" "$file"
else
    skip "rg not installed (apt-get install ripgrep)"
fi
if have wc; then
    bench wc "wc -l (floor)" 0 "wc -l LOG" wc -l "$file"
else
    skip "wc not installed"
fi

if [[ $mta == postfix ]]; then
    pflogsumm=
    if have pflogsumm; then
        pflogsumm=$(command -v pflogsumm)
    elif [[ -x /usr/sbin/pflogsumm ]]; then
        pflogsumm=/usr/sbin/pflogsumm
    fi
    if [[ $slow_tools == 0 ]]; then
        skip "pflogsumm (SLOW_TOOLS=0)"
    elif [[ -z $pflogsumm ]]; then
        skip "pflogsumm not installed (apt-get install pflogsumm)"
    elif ! runs_on_sample "$pflogsumm"; then
        skip "pflogsumm does not run: $(head -n 1 "$tmpdir/sample.err")"
    else
        bench pflogsumm pflogsumm 1 "pflogsumm LOG" "$pflogsumm" "$file"
    fi
fi

if [[ $mta == exim ]]; then
    if [[ $slow_tools == 0 ]]; then
        skip "eximstats (SLOW_TOOLS=0)"
    else
        eximstats=
        if [[ -n $eximstats_env ]]; then
            [[ -f $eximstats_env ]] && eximstats=$eximstats_env
        elif have eximstats; then
            eximstats=$(command -v eximstats)
        else
            eximstats=$bench_dir/exim4/usr/sbin/eximstats
            if [[ ! -f $eximstats ]] && have apt-get && have dpkg; then
                log "fetching eximstats: apt-get download exim4-base (not installed)"
                mkdir -p -- "$bench_dir/deb"
                if ! (cd "$bench_dir/deb" && rm -f exim4-base_*.deb \
                    && apt-get download exim4-base >&2 \
                    && dpkg -x exim4-base_*.deb ../exim4); then
                    log "could not fetch exim4-base"
                fi
            fi
            [[ -f $eximstats ]] || eximstats=
        fi
        if [[ -n $eximstats_env && -z $eximstats ]]; then
            skip "eximstats not installed: EXIMSTATS=$eximstats_env is not a file"
        elif [[ -z $eximstats ]]; then
            skip "eximstats not installed (set EXIMSTATS=PATH)"
        elif ! have perl; then
            skip "eximstats: perl not installed"
        elif ! runs_on_sample perl "$eximstats"; then
            skip "eximstats does not run: $(head -n 1 "$tmpdir/sample.err")"
        else
            bench eximstats eximstats 1 "perl eximstats LOG" perl "$eximstats" "$file"
        fi
    fi
fi

# --- report ----------------------------------------------------------------------------

mc_row=$(row_of mailcodes || true)
mc_time=
if [[ -n $mc_row ]]; then
    mc_time=${times[$mc_row]}
fi

# "112.3x slower" / "1.3x faster" for time $1 against mailcodes.
versus() {
    local t=$1
    if [[ -z $mc_time ]] || ! awk -v a="$mc_time" -v b="$t" 'BEGIN { exit !(a > 0 && b > 0) }'; then
        printf 'n/a'
        return
    fi
    awk -v t="$t" -v m="$mc_time" 'BEGIN {
        r = t / m
        if (r >= 1) printf "%.1fx slower", r
        else printf "%.1fx faster", 1 / r }'
}

# Ratio $1 / $2 with two decimals, or nothing if either is missing.
ratio() {
    [[ -n $1 && -n $2 ]] || return 1
    awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) exit 1; printf "%.2f", a / b }'
}

time_of() {
    local i
    i=$(row_of "$1") || return 1
    printf '%s' "${times[$i]}"
}

md_cell() {
    local s=${1//|/\\|}
    printf '%s' "$s"
}

if [[ $timer == hyperfine ]]; then
    how="hyperfine median of $runs run(s) after 1 warmup"
elif [[ $timer == time ]]; then
    how="median of $runs run(s) under /usr/bin/time"
else
    how="median of $runs run(s) (bash \$EPOCHREALTIME)"
fi

echo
# shellcheck disable=SC2016 # the backquotes are Markdown
printf 'Log: `%s` (%s, %s MB; %s bytes, 1 MB = 10^6 bytes), page cache warm.\n' \
    "$(md_cell "$file")" "$mta" "$mb" "$bytes"
printf 'Timing: %s; pflogsumm and eximstats: 1 run, no warmup. LOG = the log, OUT = a temporary directory.\n' "$how"
echo
echo '| tool | command | median s | MB/s | peak MB | vs mailcodes |'
echo '|------|---------|-------:|-----:|--------:|--------------|'
for i in "${!names[@]}"; do
    t=${times[$i]}
    rate=$(awk -v b="$bytes" -v t="$t" 'BEGIN { if (t > 0) printf "%.1f", b / 1000000 / t; else printf "-" }')
    if [[ $i == "$mc_row" ]]; then
        vs="baseline"
    else
        vs=$(versus "$t")
    fi
    # shellcheck disable=SC2016 # the backquotes are Markdown
    printf '| %s | `%s` | %s | %s | %s | %s |\n' \
        "${labels[$i]}" "$(md_cell "${shown[$i]}")" "$(calc '%.3f' "$t")" "$rate" "${peaks[$i]}" "$vs"
done
echo

t1=$(time_of "mailcodes-j1" || true)
if s=$(ratio "$t1" "$mc_time"); then
    echo "- mailcodes speed-up 1 -> $nthreads threads: ${s}x ($(calc '%.3f' "$t1") s -> $(calc '%.3f' "$mc_time") s)"
else
    echo "- mailcodes speed-up 1 -> $nthreads threads: n/a"
fi

t_rg=$(time_of rg || true)
if r=$(ratio "$mc_time" "$t_rg"); then
    verdict=$(awk -v r="$r" 'BEGIN { print (r <= 1.5 ? "met" : "NOT met") }')
    echo "- mailcodes time / rg time: $r (target <= 1.5: $verdict)"
else
    echo "- mailcodes time / rg time: n/a (target <= 1.5)"
fi

if [[ $mta == postfix ]]; then
    slow_name=pflogsumm
else
    slow_name=eximstats
fi
t_slow=$(time_of "$slow_name" || true)
if r=$(ratio "$t_slow" "$mc_time"); then
    verdict=$(awk -v r="$r" 'BEGIN { print (r >= 100 ? "met" : "NOT met") }')
    echo "- $slow_name time / mailcodes time: $r (target >= 100: $verdict)"
else
    echo "- $slow_name time / mailcodes time: n/a (target >= 100)"
fi

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || true)
echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, Linux $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC')"
if [[ -z $time_bin ]]; then
    echo "- peak memory not measured: /usr/bin/time missing (apt-get install time)"
fi
for note in "${notes[@]}"; do
    echo "- $note"
done
