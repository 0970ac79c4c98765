#!/usr/bin/python3
"""Run command lines repeatedly and report the median wall time and peak RSS.

    measure.py RUNS LABEL -- CMD [ARG...]    (the literal {i} becomes the run number)

Prints one JSON object: {"label", "runs", "median_ms", "p90_ms", "peak_rss_kib"}.
Each run is one spawn of CMD, timed from spawn to reap.  Peak RSS comes from
five more runs under GNU time (/usr/bin/time -f %M): a child forked by this
Python process would report Python's own resident pages as its peak, while
time(1) is small enough not to skew it.  A command that fails stops the
measurement with its exit status, so broken runs never look fast.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def main() -> int:
    runs = int(sys.argv[1])
    label = sys.argv[2]
    if sys.argv[3] != "--":
        print("usage: measure.py RUNS LABEL -- CMD...", file=sys.stderr)
        return 2
    template = sys.argv[4:]
    times = []
    for i in range(runs):
        argv = [a.replace("{i}", str(i)) for a in template]
        start = time.perf_counter_ns()
        pid = os.posix_spawnp(argv[0], argv, os.environ)
        _, status = os.waitpid(pid, 0)
        elapsed = time.perf_counter_ns() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            print(f"measure: {label}: run {i}: {' '.join(argv)} exited {code}", file=sys.stderr)
            return 1
        times.append(elapsed / 1e6)
    rss = []
    for i in range(runs, runs + 5):
        argv = [a.replace("{i}", str(i)) for a in template]
        out = subprocess.run(["/usr/bin/time", "-f", "%M", "--"] + argv,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if out.returncode != 0:
            print(f"measure: {label}: {' '.join(argv)} exited {out.returncode}: {out.stderr.strip()}",
                  file=sys.stderr)
            return 1
        rss.append(int(out.stderr.strip().splitlines()[-1]))
    times.sort()
    print(json.dumps({
        "label": label,
        "runs": runs,
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[int(len(times) * 0.9) - 1], 2),
        "peak_rss_kib": max(rss),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
