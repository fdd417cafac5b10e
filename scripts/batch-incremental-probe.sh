#!/usr/bin/env bash
# Measures what an incremental cache seeded from the public stub would save a batch build: the
# CPU (user + sys) of building one exercise's crate and suite as grade-batch does, in a warm job
# slot, (a) without incremental compilation, as grade-batch builds, and (b) incremental, the cache
# restored before each build from a copy made after building the pristine stub. Submissions: the
# reference solution with a trailing comment (what batch-bench.sh makes) and the stub with one
# file of the solution filled in.
#
#   scripts/batch-incremental-probe.sh EXERCISE FILLED_FILE [CGUS=256] [ROUNDS=2]
#   e.g. scripts/batch-incremental-probe.sh 03-value-iteration bellman.rs
#
# Runs in slot 0 of a batch (target/mlings-batch/slot-0, or under $CARGO_TARGET_DIR) made warm by
# one `mlings grade-batch`, with target/release/mlings built (or $MLINGS naming it); the next batch
# resets the slot.
set -euo pipefail
ex=$1
filled=$2
cgus=${3:-256}
rounds=${4:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
slot=$target/mlings-batch/slot-0
mlings=${MLINGS:-$target/release/mlings}
[ -d "$slot/target/debug" ] || { echo "no warm slot at $slot: run grade-batch once" >&2; exit 1; }
[ -x "$mlings" ] || { echo "no $mlings: cargo build --release -p mlings" >&2; exit 1; }
pkg=$(sed -n 's/^name = "\(.*\)"/\1/p' "$slot/exercises/$ex/Cargo.toml" | head -1)
src=$slot/exercises/$ex/src
seed=$(mktemp -d)
trap 'rm -rf "$seed"' EXIT

# Lays a submission over the slot's exercise: stub, sol or one.
lay() {
    rm -rf "$src"
    case $1 in
        stub) cp -r "$root/exercises/$ex/src" "$src" ;;
        sol) cp -r "$root/solutions/$ex/src" "$src" ;;
        one) cp -r "$root/exercises/$ex/src" "$src"; cp "$root/solutions/$ex/src/$filled" "$src/$filled" ;;
    esac
    [ "$1" = stub ] || echo "// student $RANDOM" >> "$src/lib.rs"
}

# Builds as grade-batch does (mlings as the wrapper gives the suite opt-level 0); prints the CPU.
build() {
    local mode=$1 flags=(--config "profile.dev.package.$pkg.debug=0")
    if [ "$mode" = a ]; then
        flags+=(--config "profile.dev.package.$pkg.codegen-units=1")
    else
        flags+=(--config "profile.dev.package.$pkg.codegen-units=$cgus"
            --config profile.dev.incremental=false
            --config "profile.dev.package.$pkg.incremental=true")
    fi
    (
        cd "$slot"
        if [ "$mode" = a ]; then export CARGO_INCREMENTAL=0; else unset CARGO_INCREMENTAL; fi
        export CARGO_TARGET_DIR="$slot/target" RUSTC_WORKSPACE_WRAPPER="$mlings" MLINGS_BATCH_RUSTC=1
        /usr/bin/time -f "%U %S" cargo build -q --profile test --test grade -p "$pkg" "${flags[@]}" 2>&1 |
            tail -1 | awk '{ printf "%.2f", $1 + $2 }'
    )
}

inc=$slot/target/debug/incremental
rm -rf "$inc"
lay stub
build b > /dev/null
cp -a "$inc" "$seed/incremental"
for round in $(seq "$rounds"); do
    for sub in sol one; do
        lay "$sub"
        a=$(build a)
        lay "$sub"
        rm -rf "$inc" && cp -a "$seed/incremental" "$inc"
        b=$(build b)
        echo "$ex $sub round $round: (a) no incremental ${a} s, (b) seeded incremental, $cgus CGUs ${b} s"
    done
done
rm -rf "$inc"
lay stub
