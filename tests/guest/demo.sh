#!/bin/bash
# Guest side of tests/demo.sh: create accel_sim devices and show them with
# accelctl (table, one device, JSON, an error) next to the PCI edu device
# that accel_sim binds to; then their firmware versions, with a stored
# firmware pending activation set through accel_sim's debugfs knobs; then
# a health reporter through an injected error, its dump and recovery; then
# a parameter change that needs a reload, and a firmware activation.
set -uo pipefail

# Print a command as typed at a root prompt, then run it.
run() {
	echo
	echo "# $1"
	bash -c "$1"
}

main() {
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
	return 0
}

main
