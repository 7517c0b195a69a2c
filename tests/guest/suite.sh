#!/bin/bash
# The guest test suite, run inside the VM's chroot by tests/vm/boot.sh
# (cwd = repo root). Needs KSRC and ACCELCTL in the environment.
# Prints one "RESULT PASS|FAIL|SKIP <name>" line per test (the e2e conftest
# prints them for pytest; this script for the kselftest); run-all.sh counts
# those lines. Exit status: non-zero if any part failed.
set -euo pipefail

: "${KSRC:?KSRC (patched kernel tree) must be set}"
: "${ACCELCTL:?ACCELCTL (accelctl binary) must be set}"
KSELFTEST_DIR=$KSRC/tools/testing/selftests/drivers/accel
KSELFTESTS=(accel_sim.py health.py core.py params.py reload.py flash.py selftests.py)

# Kernel facts the tests can rely on, for the log.
banner() {
	echo "== guest: $(uname -r) flavour=${ACCEL_FLAVOUR:-?} cpus=$(nproc)"
	echo "== ACCELCTL=$ACCELCTL KSRC=$KSRC"
}

run_e2e() {
	echo "== e2e: python3 -m pytest tests/e2e"
	python3 -m pytest tests/e2e -p no:cacheprovider --color=no -rA
}

# Run one kselftest and turn its TAP lines into RESULT lines.
run_kselftest() {
	local test=$KSELFTEST_DIR/$1 name=${1%.py} rc=0 line last=
	if [[ ! -f $test ]]; then
		echo "RESULT FAIL kselftest:$name:missing ($test)"
		return 1
	fi
	echo "== kselftest: $test"
	while IFS= read -r line; do
		last=$line
		echo "$line"
		case $line in
		"not ok "*) echo "RESULT FAIL kselftest:$name:$(tap_desc "${line#not ok }")" ;;
		"ok "*) echo "RESULT $(tap_verdict "$line") kselftest:$name:$(tap_desc "${line#ok }")" ;;
		esac
	done < <(cd "$KSELFTEST_DIR" && python3 "$test" 2>&1; echo "kselftest-exit $?")
	[[ $last == "kselftest-exit 0" ]] || rc=1
	return "$rc"
}

# "3 desc # SKIP why" -> "desc"
tap_desc() {
	local s=${1#* }
	s=${s%% # *}
	echo "${s#- }"
}

# A TAP "ok ... # SKIP" is a test that did not run.
tap_verdict() {
	case $1 in
	*"# SKIP"* | *"# skip"*) echo SKIP ;;
	*) echo PASS ;;
	esac
}

main() {
	local rc=0 t
	banner
	run_e2e || rc=1
	for t in "${KSELFTESTS[@]}"; do
		run_kselftest "$t" || rc=1
	done
	echo "== suite rc=$rc"
	return "$rc"
}

main
