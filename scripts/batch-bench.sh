#!/usr/bin/env bash
# Measures `mlings grade-batch` on a generated class: N submissions of every exercise, a mix of
# correct (the reference solutions), partly correct (one exercise left as the stub), broken (does
# not compile), hostile (tries to include the hidden checks: refused) and correct with extra,
# never-called code. Prints the wall-clock time. The hostile corpus of every other kind lives in
# mlings/tests/hostile and runs in `cargo test`.
#
#   scripts/batch-bench.sh [N=100] [JOBS=2]
#
# Runs from the kit root; uses ./target (or $CARGO_TARGET_DIR) like grade-batch itself.
set -euo pipefail
n=${1:-100}
jobs=${2:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
subs="$work/submissions"
for i in $(seq -w 1 "$n"); do
    s="$subs/student-$i/exercises"
    for ex in "$root"/exercises/*/; do
        name=$(basename "$ex")
        mkdir -p "$s/$name"
        cp -r "$root/solutions/$name/src" "$s/$name/src"
        # Every student's code differs: each crate recompiles, as in a real class.
        echo "// student $i" >> "$s/$name/src/lib.rs"
    done
    first=$(ls "$root/exercises" | head -1)
    case $((10#$i % 10)) in
        0) cp -r "$root/exercises/$first/src/." "$s/$first/src/" ;;                       # partial
        1) echo 'pub fn broken( {' >> "$s/$first/src/lib.rs" ;;                            # broken
        2) echo 'pub const H: &str = include_str!("../../../tests/x/hidden.rs");' >> "$s/$first/src/lib.rs" ;;  # hostile, refused
        3) printf '\n#[allow(dead_code)]\nfn spin() -> u64 { let mut n = 0u64; loop { n = n.wrapping_add(1); std::hint::black_box(n); } }\n' >> "$s/$first/src/lib.rs" ;;  # extra code, never called
        *) ;;                                                                              # correct
    esac
done
cd "$root"
cargo build --release -q -p mlings
start=$(date +%s)
cargo run --release -q -p mlings -- grade-batch "$subs" --out "$work/out" --jobs "$jobs" "${@:3}"
end=$(date +%s)
echo "graded $n submissions × $(ls "$root/exercises" | wc -l) exercises in $((end - start)) s (jobs $jobs)"
# Status of the first exercise per student: graded, does not compile, refused…
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ / status$/) { col = i; break } } NR > 1 { print $col }' "$work/out/gradebook.csv" | sort | uniq -c
# Totals: a correct submission earns the full score, the others what their exercises earn.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "total") t = i; if ($i == "max_total") m = i } } NR > 1 { print "total " $t " / " $m }' "$work/out/gradebook.csv" | sort | uniq -c
