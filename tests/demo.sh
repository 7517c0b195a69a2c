#!/bin/bash
# THE demo command: build accelctl and the min kernel (cached), boot the VM,
# create three accel_sim devices and show them with accelctl. The guest's
# output is printed here; logs in ${ACCEL_OUT:-/tmp/accelctl-test}/demo.*.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

main() {
	local rc=0
	tests/deps.sh
	# shellcheck disable=SC2119  # no extra cargo options
	build_accelctl
	export ACCEL_RUN_NAME=demo
	tests/vm/boot.sh min -- "$REPO/tests/guest/demo.sh" || rc=$?
	sed '/^ACCELTEST-END/d' "$ACCEL_OUT/demo.results"
	((rc == 0)) || die "demo VM run failed (rc=$rc); console log: $ACCEL_OUT/demo.console"
}

main
