#!/usr/bin/env bash
# Mutation testing of one exercise's suite: cargo-mutants mutates the learner-written regions of
# the reference solution (the lines between `// BEGIN SOLUTION` and `// END SOLUTION`) and grades
# each mutant with the exercise's own suite (the `grade` test). A mutant the suite does not catch is
# either a gap (add a check or a corpus mistake) or equivalent (docs/authoring.md lists why).
#
#   scripts/mutants.sh NN-topic [cargo-mutants options…]     e.g. scripts/mutants.sh 03-value-iteration
#   scripts/mutants.sh NN-topic --list                       the mutants, without running them
#
# One job, at low priority: the machine may be shared. cargo-mutants builds a copy of the kit; the
# copy's crates have the same artifact names as the kit's in one target directory, so do not build
# the same solution crate in the kit while this runs, and `touch` its sources once it is done.
set -euo pipefail
dir="${1:?usage: scripts/mutants.sh NN-topic [cargo-mutants options…]}"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
manifest="solutions/$dir/exercise.toml"
[ -f "$manifest" ] || { echo "no $manifest" >&2; exit 1; }
package="$(sed -n 's/^package = "\(.*\)"/\1/p' "$manifest")-solution"
files=()
alternatives=()
for file in "solutions/$dir"/src/*.rs; do
    lines="$(awk '/^[[:space:]]*\/\/ BEGIN SOLUTION[[:space:]]*$/ { inside = 1; next }
                  /^[[:space:]]*\/\/ END SOLUTION[[:space:]]*$/ { inside = 0; next }
                  inside { printf "%s%d", sep, NR; sep = "|" }' "$file")"
    [ -n "$lines" ] || continue
    files+=(--file "$file")
    alternatives+=("$(printf '%s' "$file" | sed 's/[.-]/\\&/g'):($lines)")
done
regex="^($(IFS='|'; echo "${alternatives[*]}")):[0-9]+: "
exec nice -n 10 cargo mutants -p "$package" "${files[@]}" -F "$regex" -j 1 -C --test=grade "$@"
