#!/bin/bash
# THE test command: host checks, cargo tests, then the VM suite on the min and
# debug kernels. Ends with exactly one line "N passed, M failed"; exits
# non-zero if anything failed. Logs: ${ACCEL_OUT:-/tmp/accelctl-test}.
#
# Development knobs: ACCEL_FLAVOURS="min" (default "min debug"),
# ACCEL_SKIP_CARGO=1 (VM part only). CI sets neither.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

PASSED=0 FAILED=0
FAILURES=()
SUMMARY=()

fail() { FAILED=$((FAILED + 1)); FAILURES+=("$*"); log "FAILED: $*"; }

# Run one step with its output shown and kept in $ACCEL_OUT/<name>.log;
# a failing step counts as one failure.
step() {
	local name=$1 t rc=0
	shift
	log "== $name: $*"
	t=$(now)
	"$@" 2>&1 | tee "$ACCEL_OUT/$name.log" || rc=$?
	SUMMARY+=("$name: rc=$rc, $(elapsed "$t") s")
	((rc == 0)) || { fail "$name (rc=$rc, log $ACCEL_OUT/$name.log)"; return 1; }
}

cargo_checks() {
	step cargo-fmt cargo fmt --all -- --check || true
	step cargo-clippy cargo clippy --all-targets -- -D warnings || true
	cargo_test
	# The VM suite needs the release binary: stop if it does not build.
	step cargo-build build_accelctl
}

# cargo test: add its "test result:" counts to the totals.
cargo_test() {
	local p f rc=0
	step cargo-test cargo test --workspace || rc=$?
	p=$(sed -n 's/^test result: .* \([0-9]*\) passed; \([0-9]*\) failed.*/\1/p' \
		"$ACCEL_OUT/cargo-test.log" | awk '{ s += $1 } END { print s + 0 }')
	f=$(sed -n 's/^test result: .* \([0-9]*\) passed; \([0-9]*\) failed.*/\2/p' \
		"$ACCEL_OUT/cargo-test.log" | awk '{ s += $1 } END { print s + 0 }')
	PASSED=$((PASSED + p)) FAILED=$((FAILED + f))
	SUMMARY+=("cargo test: $p passed, $f failed")
	# A failure that is not a failed test (build error) was counted by step.
	if ((rc != 0 && f > 0)); then
		FAILED=$((FAILED - 1))
		unset 'FAILURES[-1]'
	fi
}

# Add the "RESULT PASS|FAIL|SKIP" lines of a log to the totals (a SKIP is a
# test that did not run: it counts as failed). Sets R_PASS R_FAIL R_SKIP.
count_results() {
	local file=$1 label=$2
	R_PASS=$(grep -c '^RESULT PASS ' "$file" || true)
	R_FAIL=$(grep -c '^RESULT FAIL ' "$file" || true)
	R_SKIP=$(grep -c '^RESULT SKIP ' "$file" || true)
	grep -E '^RESULT (FAIL|SKIP) ' "$file" | sed "s/^/  [$label] /" >&2 || true
	PASSED=$((PASSED + R_PASS)) FAILED=$((FAILED + R_FAIL + R_SKIP))
}

# The series as a reviewer checks it (needs the pristine tree: after a build).
kernel_series() {
	local rc=0 p f
	step kernel-series tests/host/kernel-series.sh || rc=$?
	count_results "$ACCEL_OUT/kernel-series.log" kernel-series
	p=$R_PASS f=$((R_FAIL + R_SKIP))
	SUMMARY+=("kernel-series: $p passed, $f failed")
	# The failing checks already counted themselves.
	if ((rc != 0 && f > 0)); then
		FAILED=$((FAILED - 1))
		unset 'FAILURES[-1]'
	fi
}

# One flavour: kernel (cached), boot running the guest suite, count RESULTs.
vm_suite() {
	local fl=$1 kdir brc=0 res p f s reason
	if ! kdir=$(tests/vm/kernel.sh "$fl"); then
		fail "kernel $fl: build failed (log $ACCEL_OUT/kernel-$fl.log)"
		return
	fi
	ACCEL_KERNEL_DIR=$kdir tests/vm/boot.sh "$fl" -- "$REPO/tests/guest/suite.sh" || brc=$?
	res=$ACCEL_OUT/$fl.results
	touch "$res"
	count_results "$res" "$fl"
	p=$R_PASS f=$R_FAIL s=$R_SKIP
	SUMMARY+=("vm $fl: $p passed, $f failed, $s skipped (counted as failed), boot.sh rc=$brc")
	case $brc in
	0) reason= ;;
	124) reason="timeout" ;;
	125) reason="no result marker / kernel panic" ;;
	126) reason="kernel splat in $ACCEL_OUT/$fl.console" ;;
	*) reason="guest suite exited $brc"
		# Failing tests already counted themselves.
		((f + s == 0)) || reason= ;;
	esac
	[[ -n $reason ]] && fail "vm $fl: $reason"
	((p + f + s > 0)) || fail "vm $fl: no test results at all"
}

main() {
	local fl
	mkdir -p "$ACCEL_OUT"
	step deps tests/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
	if [[ -z ${ACCEL_SKIP_CARGO:-} ]] && ! cargo_checks; then
		FLAVOURS_SKIPPED=1
	fi
	if [[ -z ${FLAVOURS_SKIPPED:-} ]]; then
		for fl in ${ACCEL_FLAVOURS:-min debug}; do
			vm_suite "$fl"
			[[ -n ${SERIES_CHECKED:-} ]] || { kernel_series; SERIES_CHECKED=1; }
		done
	fi
	log "== summary"
	printf '  %s\n' "${SUMMARY[@]}" >&2
	((${#FAILURES[@]} == 0)) || printf '  FAILED: %s\n' "${FAILURES[@]}" >&2
	echo "$PASSED passed, $FAILED failed"
	((FAILED == 0))
}

main
