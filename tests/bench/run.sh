#!/bin/bash
# The benchmark (not a test): boots the min test kernel with 1..256 accel_sim
# and netdevsim devices and prints accelctl's wall time and peak RSS next to
# devlink's for the same work (dev show, dev info, health show, param show, --version).
# Figures are under TCG emulation: compare the two tools, not absolute times.
#
#   tests/bench/run.sh        (ACCELCTL=path to use another build;
#                              BENCH_SIZES="1 16", BENCH_RUNS=15)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

main() {
	local timer=tests/bench/timer
	tests/deps.sh
	log "building the static timing helper and accelctl"
	RUSTFLAGS='-C target-feature=+crt-static' cargo build -q --release \
		--manifest-path "$timer/Cargo.toml" --target x86_64-unknown-linux-gnu
	[[ -n ${ACCELCTL:-} ]] || build_accelctl -q
	export BENCH_TIMER=$REPO/$timer/target/x86_64-unknown-linux-gnu/release/bench-timer
	export ACCEL_GUEST_ENV="BENCH_TIMER BENCH_SIZES BENCH_RUNS"
	ACCEL_RUN_NAME=bench ACCEL_TIMEOUT=1800 tests/vm/boot.sh min -- "$REPO/tests/bench/guest.sh"
	sed '/^ACCELTEST-END/d' "$ACCEL_OUT/bench.results"
}

main
