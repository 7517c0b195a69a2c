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

# The KUnit suites built into the kernel ran at boot; debugfs keeps each
# suite's KTAP. One RESULT per test case of every suite that
# tests/guest/kunit-suites expects of this flavour; a missing suite fails.
run_kunit() {
	local dir=/sys/kernel/debug/kunit suite fl rest line rc=0
	while read -r fl suite rest; do
		[[ -z $fl || $fl == "#"* || $fl != "${ACCEL_FLAVOUR:-}" ]] && continue
		echo "== kunit: $suite"
		if [[ ! -r $dir/$suite/results ]]; then
			echo "RESULT FAIL kunit:$suite:missing (not built in, or KUnit did not run)"
			rc=1
			continue
		fi
		while IFS= read -r line; do
			echo "$line"
			case $line in
			"    not ok "*) echo "RESULT FAIL kunit:$suite:$(tap_desc "${line#    not ok }")"; rc=1 ;;
			"    ok "*) echo "RESULT $(tap_verdict "$line") kunit:$suite:$(tap_desc "${line#    ok }")" ;;
			"not ok "*) echo "RESULT FAIL kunit:$suite:(the suite)"; rc=1 ;;
			esac
		done <"$dir/$suite/results"
	done <tests/guest/kunit-suites
	return "$rc"
}

# The real accel drivers of the series (ivpu, qaic, habanalabs): there is no
# such hardware here, so what runs is their registration. min has them as
# modules: each is loaded (by init.sh), unloaded and loaded again; debug has
# them built in. Either way their PCI driver must be registered.
DRIVERS=(intel_vpu:intel_vpu qaic:qaic habanalabs:habanalabs) # module:pci-driver
run_drivers() {
	local d mod pci rc=0 ok
	for d in "${DRIVERS[@]}"; do
		mod=${d%%:*} pci=${d#*:} ok=1
		echo "== driver: $mod"
		if [[ ${ACCEL_FLAVOUR:-} == min ]]; then
			grep -q "^$mod " /proc/modules || { echo "$mod not loaded at boot"; ok=; }
			[[ -z $ok ]] || modprobe -r "$mod" || { echo "modprobe -r $mod failed"; ok=; }
			[[ -z $ok ]] || ! grep -q "^$mod " /proc/modules || { echo "$mod still loaded"; ok=; }
			[[ -z $ok ]] || modprobe "$mod" || { echo "modprobe $mod failed"; ok=; }
		fi
		[[ -d /sys/bus/pci/drivers/$pci ]] || { echo "no PCI driver $pci"; ok=; }
		if [[ -n $ok ]]; then echo "RESULT PASS driver:$mod:registered"; else
			echo "RESULT FAIL driver:$mod:registered"
			rc=1
		fi
	done
	return "$rc"
}

main() {
	local rc=0 t
	banner
	run_drivers || rc=1
	run_kunit || rc=1
	run_e2e || rc=1
	for t in "${KSELFTESTS[@]}"; do
		run_kselftest "$t" || rc=1
	done
	echo "== suite rc=$rc"
	return "$rc"
}

main
