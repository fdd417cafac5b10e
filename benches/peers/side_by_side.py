"""Runs a criterion bench and its numpy peer in turn, several rounds, and prints their ratio.

On a shared machine the load drifts from minute to minute, so a Rust figure and a numpy figure
taken minutes apart compare the load as much as the code. This script interleaves them
(Rust, numpy, Rust, numpy, …), reads each run's median, and prints every round's ratio and the
median ratio over the rounds. For exercise 04's Newton step:

    python benches/peers/side_by_side.py --package logistic-regression-solution \\
        --bench logistic_regression --rust newton_step/reference/100000x32 \\
        --peer logistic_regression.py --numpy newton_step/numpy-sqrt/100000x32 \\
        --numpy newton_step/numpy/100000x32 --rounds 5

`--baseline` adds another row of the same criterion bench, measured in the same run as
`--rust` (exercise 05's tape against its hand-written backpropagation and PyTorch at once:
`--rust mlp_step/reference/32 --baseline mlp_step/naive/32`).

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


def rust_medians(package, bench, bench_ids):
    """criterion's medians of `bench_ids`, from one run: the middle figure of each
    `time: [low median high]`."""
    pattern = "^(" + "|".join(re.escape(b) for b in bench_ids) + ")$"
    out = subprocess.run(
        ["cargo", "bench", "-q", "-p", package, "--bench", bench, "--", pattern],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    medians = {}
    for bench_id in bench_ids:
        found = re.search(
            re.escape(bench_id) + r"\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", out
        )
        if not found:
            sys.exit(f"no criterion result for {bench_id} in:\n{out}")
        medians[bench_id] = seconds(*found.groups())
    return medians


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
    parser.add_argument(
        "--baseline",
        action="append",
        default=[],
        help="another criterion id of the same bench, measured in the same criterion run "
        "as --rust (for example the naive implementation), to compare --rust with as well",
    )
    parser.add_argument("--peer", required=True, help="the peer script in benches/peers/")
    parser.add_argument("--numpy", required=True, action="append", help="the peer's row id")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    others = args.baseline + args.numpy
    ratios = {b: [] for b in others}
    print(f"{'round':>5} {args.rust:>34} " + " ".join(f"{b:>34}" for b in others))
    for r in range(1, args.rounds + 1):
        medians = rust_medians(args.package, args.bench, [args.rust] + args.baseline)
        medians.update(numpy_medians(args.peer, args.numpy))
        rust = medians[args.rust]
        cells = []
        for b in others:
            ratios[b].append(rust / medians[b])
            cells.append(f"{medians[b] * 1e3:>10.3f} ms ({rust / medians[b]:.2f}×)".rjust(34))
        print(f"{r:>5} {rust * 1e3:>31.3f} ms " + " ".join(cells), flush=True)
    for b in others:
        print(f"median ratio {args.rust} / {b}: {statistics.median(ratios[b]):.2f}")

if __name__ == "__main__":
    main()
