#!/usr/bin/env bash
# Measures what watch mode does after a save, per exercise: a source file of the learner's crate is
# edited (a comment line appended, so rustc sees a real change; the file is restored afterwards,
# byte for byte, even when the script is interrupted), then the exercise is re-graded
# exactly as `mlings` does it (`mlings grade N`: rebuild the learner's crate and its grade test,
# run the suite). Prints the median of RUNS timings per exercise.
#
#   scripts/measure-watch.sh [RUNS]        (default 5; run from anywhere inside the kit)
#
# The first grade of each exercise (a cold build) is not counted. Watch mode adds its debounce
# (150 ms) on top of these figures.
set -euo pipefail
runs="${1:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build -q -p mlings
mlings="${CARGO_TARGET_DIR:-$root/target}/debug/mlings"
export MLINGS_ROOT="$root" NO_COLOR=1

for dir in exercises/*/; do
    name="$(basename "$dir")"
    number="${name%%-*}"
    src="$(find "$dir/src" -name '*.rs' | sort | head -n 1)"
    "$mlings" grade "$number" >/dev/null 2>&1 || true # warm: dependencies and the suite built once
    backup="$(mktemp)"
    cp -p "$src" "$backup"
    trap 'cp -p "$backup" "$src"' EXIT INT TERM
    times=()
    for i in $(seq "$runs"); do
        printf '// measure-watch edit %s\n' "$i" >>"$src"
        start=$(date +%s.%N)
        "$mlings" grade "$number" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        times+=("$(awk "BEGIN { print $end - $start }")")
    done
    cp -p "$backup" "$src"
    rm -f "$backup"
    trap - EXIT INT TERM
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-26s save-to-result median %.2f s over %d runs (%s)\n' "$name" "$median" "$runs" "${times[*]}"
done
