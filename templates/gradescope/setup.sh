#!/usr/bin/env bash
# Gradescope autograder setup (Ubuntu image): installs Rust and pre-builds the kit, so that
# grading a submission only compiles the student's crates.
set -euo pipefail
apt-get update -q && apt-get install -y -q curl build-essential
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
source "$HOME/.cargo/env"
cd /autograder/source/kit
cargo build --release -p mlings
# Grade the pristine stubs once: builds every suite's dependencies into the scratch kit.
./target/release/mlings gradescope --submission /autograder/source/kit --results /tmp/warmup.json || true
