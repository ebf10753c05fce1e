#!/usr/bin/env python3
"""Runs commands in turn, over and over, and prints each one's median wall time.

Usage: benches/alternate.py [--vs-first] RUNS 'COMMAND A' 'COMMAND B' ...

Each command is split into words as a shell would (`shlex`: quotes group words, but no
shell runs, so no pipes or variables) and run RUNS times, A B C A B C ..., after three
warm-up runs of each (the first must exit with status 0 or 1), with its output thrown away.
Taking the commands in turn rather than one after the other spreads the machine's noise over
all of them alike: the small-log tables of BENCHMARKS.md ("Latest") were measured so, with rg's
count of the outcome lines among the commands, e.g.

    benches/alternate.py 40 "rg -c status=|reject: n18.log" \\
        "OLD scan -q n18.log" "NEW scan -q n18.log"
    benches/alternate.py 40 "rg -c ' (=>|->|==|\\*\\*) |rejected ' e18.log" \\
        "OLD scan -q e18.log" "NEW scan -q e18.log"

With --vs-first, each median is also given as a multiple of the first command's (rg's).
"""
import shlex
import statistics
import subprocess
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    vs_first = args[:1] == ["--vs-first"]
    args = args[1:] if vs_first else args
    if len(args) < 2 or not args[0].isdigit():
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs, commands = int(args[0]), [shlex.split(c) for c in args[1:]]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    for command in commands:
        # A command that fails would be timed failing: the first warm-up run shows its errors.
        # (Exit status 1 is rg's "no line matched", a count of zero.)
        first = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if first.returncode not in (0, 1):
            sys.stderr.write(first.stderr.decode(errors="replace"))
            print(f"alternate.py: exit status {first.returncode}: {shlex.join(command)}", file=sys.stderr)
            return 2
        for _ in range(2):
            subprocess.run(command, **quiet)
    times = [[] for _ in commands]
    for _ in range(runs):
        for command, took in zip(commands, times):
            start = time.perf_counter()
            subprocess.run(command, **quiet)
            took.append((time.perf_counter() - start) * 1000)
    first = statistics.median(times[0])
    for command, took in zip(commands, times):
        took.sort()
        q1, q3 = took[len(took) // 4], took[3 * len(took) // 4]
        median = statistics.median(took)
        ratio = f"  {median / first:5.2f}x" if vs_first else ""
        print(f"{median:9.2f} ms{ratio}  (quartiles {q1:.2f}-{q3:.2f})  {shlex.join(command)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
