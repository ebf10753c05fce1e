#!/usr/bin/env python3
"""Runs commands in turn, over and over, and prints each one's median wall time.

Usage: benches/alternate.py RUNS 'COMMAND A' 'COMMAND B' ...

Each command is split on spaces (no shell: quote nothing inside it) and run RUNS times,
A B C A B C ..., after three warm-up runs of each, with its output thrown away. Taking the
commands in turn rather than one after the other spreads the machine's noise over all of
them alike: the small-log tables of BENCHMARKS.md ("Latest") were measured so, with rg's
count of the outcome lines among the commands, e.g.

    benches/alternate.py 40 "rg -c status=|reject: n18.log" \\
        "OLD scan -q n18.log" "NEW scan -q n18.log"
"""
import statistics
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs, commands = int(sys.argv[1]), [c.split() for c in sys.argv[2:]]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    for command in commands:
        for _ in range(3):
            subprocess.run(command, **quiet)
    times = [[] for _ in commands]
    for _ in range(runs):
        for command, took in zip(commands, times):
            start = time.perf_counter()
            subprocess.run(command, **quiet)
            took.append((time.perf_counter() - start) * 1000)
    for command, took in zip(commands, times):
        took.sort()
        q1, q3 = took[len(took) // 4], took[3 * len(took) // 4]
        median = statistics.median(took)
        print(f"{median:9.2f} ms  (quartiles {q1:.2f}-{q3:.2f})  {' '.join(command)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
