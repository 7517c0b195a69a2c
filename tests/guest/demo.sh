#!/bin/bash
# Guest side of tests/demo.sh: create accel_sim devices and show them with
# accelctl (table, one device, JSON, an error) next to the PCI edu device
# that accel_sim binds to; then their firmware versions, with a stored
# firmware pending activation set through accel_sim's debugfs knobs; then
# a health reporter through an injected error, its dump and recovery; then
# a parameter change that needs a reload, and a firmware activation; then
# a firmware update (image, flash, activation) and self-tests.
set -uo pipefail

# Print a command as typed at a root prompt, then run it.
run() {
	echo
	echo "# $1"
	# Piped, as a log or a script sees it: plain lines, no redrawn progress.
	bash -c "$1" 2>&1 | cat
}

main() {
	cd "$(dirname "$0")/../.." || return 1
	PATH=$(dirname "${ACCELCTL:?}"):$PATH
	# The output goes to a file through a serial tty: no colour codes.
	export PATH NO_COLOR=1
	echo "guest kernel $(uname -r), $(nproc) CPUs, NUMA nodes $(cat /sys/devices/system/node/online)"
	# "ID [NUMA_NODE]"
	run 'echo "1 0" > /sys/bus/accel_sim/new_device'
	run 'echo "2 1" > /sys/bus/accel_sim/new_device'
	run 'echo 3 > /sys/bus/accel_sim/new_device'
	run 'ls /dev/accel/'
	run 'accelctl dev show'
	run 'accelctl dev show accel0'
	run 'accelctl -j -p dev show accel_sim/accel_sim2'
	run 'accelctl -j dev show | head -c 300; echo ...'
	run 'accelctl dev show accel9; echo "exit status $?"'
	run 'accelctl dev show gpu0; echo "exit status $?"'
	run 'echo -e "fw 1.1.0\nfw.mgmt 1.0.0\naccel_sim.sched 0.9.1" > /sys/kernel/debug/accel_sim/accel_sim1/info/stored'
	run 'accelctl dev info accel1'
	run 'accelctl dev info accel0'
	run 'accelctl -j -p dev info accel1'
	run 'accelctl health show accel1'
	run 'accelctl health set accel1 reporter dummy auto_recover false'
	run 'echo "firmware heartbeat lost" > /sys/kernel/debug/accel_sim/accel_sim1/health/dummy_inject'
	# The dump is taken by a work item, right after the report.
	sleep 1
	run 'accelctl health check; echo "exit status $?"'
	run 'accelctl health show accel1 reporter dummy'
	run 'accelctl health dump show accel1 reporter dummy'
	run 'setpriv --reuid=65534 --regid=65534 --clear-groups accelctl health recover accel1 reporter dummy; echo "exit status $?"'
	run 'accelctl health recover accel1 reporter dummy'
	run 'accelctl health check; echo "exit status $?"'
	run 'accelctl health diagnose accel1 reporter dummy'
	run 'accelctl dev param show accel1 name job_timeout_ms'
	run 'accelctl dev param set accel1 name job_timeout_ms value 30000 cmode driverinit'
	run 'accelctl dev param show accel1 name job_timeout_ms'
	run 'accelctl dev param set accel1 name job_timeout_ms value 0 cmode runtime; echo "exit status $?"'
	run 'accelctl dev reload accel1'
	run 'accelctl dev param show accel1 name job_timeout_ms'
	run 'accelctl dev reload accel1 action fw_activate'
	run 'accelctl dev info accel1'
	run 'accelctl -s dev show accel1'
	# A firmware update as an update agent runs it: the image goes into
	# the kernel's firmware search path, here a directory of its own.
	run 'mkdir -p /tmp/fw && echo /tmp/fw > /sys/module/firmware_class/parameters/path'
	run 'tests/e2e/sim_image.py /tmp/fw/sim-fw-1.2.0.bin component fw version 1.2.0 size 262144'
	run 'accelctl dev info accel2'
	run 'echo 512 > /sys/kernel/debug/accel_sim/accel_sim2/flash/speed_kbps     # KiB/s'
	run 'accelctl dev flash accel2 file sim-fw-1.2.0.bin'
	run 'accelctl dev info accel2'
	run 'accelctl dev reload accel2 action fw_activate'
	run 'accelctl dev info accel2'
	run 'accelctl -j dev flash accel2 file sim-fw-1.2.0.bin component fw | sed -n "1,3p;\$p"'
	run 'head -c 1000 /tmp/fw/sim-fw-1.2.0.bin > /tmp/fw/truncated.bin'
	run 'accelctl dev flash accel2 file truncated.bin; echo "exit status $?"'
	run 'accelctl dev selftest show accel2'
	run 'echo fail > /sys/kernel/debug/accel_sim/accel_sim2/selftest/compute_result'
	run 'accelctl dev selftest run accel2; echo "exit status $?"'
	return 0
}

main
