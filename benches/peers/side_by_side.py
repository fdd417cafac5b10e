"""Runs a criterion bench and its numpy peer in turn, several rounds, and prints their ratio.

On a shared machine the load drifts from minute to minute, so a Rust figure and a numpy figure
taken minutes apart compare the load as much as the code. This script interleaves them
(Rust, numpy, Rust, numpy, …), reads each run's median, and prints every round's ratio and the
median ratio over the rounds. For exercise 04's Newton step:

    python benches/peers/side_by_side.py --package logistic-regression-solution \\
        --bench logistic_regression --rust newton_step/reference/100000x32 \\
        --peer logistic_regression.py --numpy newton_step/numpy-sqrt/100000x32 \\
        --numpy newton_step/numpy/100000x32 --rounds 5

Build the bench first (`cargo bench -p … --no-run`); cargo's own target directory is used, or
`$CARGO_TARGET_DIR`. A ratio below 1 means the Rust side is faster.
"""

import argparse
import pathlib
import re
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

UNITS = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "us": 1e-6, "ns": 1e-9}


def seconds(value, unit):
    return float(value) * UNITS[unit]


def rust_median(package, bench, bench_id):
    """criterion's median of `bench_id`: the middle figure of its `time: [low median high]`."""
    out = subprocess.run(
        ["cargo", "bench", "-q", "-p", package, "--bench", bench, "--", f"^{re.escape(bench_id)}$"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(
        re.escape(bench_id) + r"\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", out
    )
    if not found:
        sys.exit(f"no criterion result for {bench_id} in:\n{out}")
    return seconds(*found.groups())


def numpy_medians(script, bench_ids):
    """The medians of `bench_ids` from one run of a peer script (its rows: id, median, …)."""
    out = subprocess.run(
        [sys.executable, str(HERE / script)], check=True, capture_output=True, text=True
    ).stdout
    medians = {}
    for line in out.splitlines():
        fields = line.split()
        if fields and fields[0] in bench_ids:
            medians[fields[0]] = seconds(fields[1], fields[2])
    missing = [b for b in bench_ids if b not in medians]
    if missing:
        sys.exit(f"no result for {missing} in:\n{out}")
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", required=True, help="the solution's crate")
    parser.add_argument("--bench", required=True, help="its bench target")
    parser.add_argument("--rust", required=True, help="criterion id, group/function/size")
    parser.add_argument("--peer", required=True, help="the peer script in benches/peers/")
    parser.add_argument("--numpy", required=True, action="append", help="the peer's row id")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    ratios = {b: [] for b in args.numpy}
    print(f"{'round':>5} {args.rust:>34} " + " ".join(f"{b:>34}" for b in args.numpy))
    for r in range(1, args.rounds + 1):
        rust = rust_median(args.package, args.bench, args.rust)
        peer = numpy_medians(args.peer, args.numpy)
        cells = []
        for b in args.numpy:
            ratios[b].append(rust / peer[b])
            cells.append(f"{peer[b] * 1e3:>10.2f} ms ({rust / peer[b]:.2f}×)".rjust(34))
        print(f"{r:>5} {rust * 1e3:>31.2f} ms " + " ".join(cells), flush=True)
    for b in args.numpy:
        print(f"median ratio {args.rust} / {b}: {statistics.median(ratios[b]):.2f}")


if __name__ == "__main__":
    main()
