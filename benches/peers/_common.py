"""Shared helpers of the numpy peers: one thread, a timer, and criterion-like output.

Import this module before numpy: it pins every BLAS/OpenMP pool to one thread, as the Rust
benches run on one thread.
"""

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"

import statistics  # noqa: E402
import time  # noqa: E402

# The same short budget as the criterion benches (benches/lib.rs): a warm-up, then at least
# `MIN_RUNS` timed runs and about one second of measurement.
WARM_UP_SECONDS = 0.3
MEASURE_SECONDS = 1.0
MIN_RUNS = 10


def measure(run, setup=None):
    """Times `run(state)` where `state = setup()` is rebuilt, untimed, before every run.

    Returns the per-run times in seconds."""
    setup = setup or (lambda: None)
    deadline = time.perf_counter() + WARM_UP_SECONDS
    while time.perf_counter() < deadline:
        run(setup())
    times = []
    started = time.perf_counter()
    while len(times) < MIN_RUNS or time.perf_counter() - started < MEASURE_SECONDS:
        state = setup()
        t0 = time.perf_counter()
        run(state)
        times.append(time.perf_counter() - t0)
    return times


def format_time(seconds):
    """A duration the way criterion prints it: four significant digits and a unit."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            value = seconds / scale
            return f"{value:.4g} {unit}"
    raise AssertionError("unreachable")


def header():
    """The table header; rows come from `report`."""
    print(f"{'id (group/numpy/size)':<44} {'median':>10} {'min':>10} {'runs':>5}  workload")


def report(bench_id, workload, times):
    """One row: `bench_id` mirrors criterion's `group/function/size`, with `numpy` as the function."""
    print(
        f"{bench_id:<44} {format_time(statistics.median(times)):>10} "
        f"{format_time(min(times)):>10} {len(times):>5}  {workload}",
        flush=True,
    )
