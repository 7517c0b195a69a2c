#!/bin/bash
# Guest side of tests/demo.sh: create accel_sim devices and show them with
# accelctl (table, one device, JSON, an error) next to the PCI edu device
# that accel_sim binds to.
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
	return 0
}

main
