#!/bin/bash
# Guest side of tests/demo.sh: create accel_sim devices and show them with
# accelctl (text, one device, JSON) next to the PCI edu device accel_sim binds.
set -uo pipefail

run() {
	echo
	echo "\$ $*"
	"$@"
}

main() {
	local a=${ACCELCTL:?}
	echo "guest kernel $(uname -r), $(nproc) CPUs, NUMA nodes: $(cat /sys/devices/system/node/online)"
	# "ID [NUMA_NODE]"
	run sh -c 'echo "1 0" > /sys/bus/accel_sim/new_device'
	run sh -c 'echo "2 1" > /sys/bus/accel_sim/new_device'
	run sh -c 'echo "3" > /sys/bus/accel_sim/new_device'
	run ls -l /dev/accel/ /sys/class/accel/
	run "$a" dev show
	run "$a" dev show accel0
	run "$a" -j -p dev show
	# QEMU's edu device (1234:11e8) behind the PCIe root port.
	echo
	echo "\$ PCI edu device (1234:11e8)"
	local d
	for d in /sys/bus/pci/devices/*; do
		[[ $(cat "$d/vendor"):$(cat "$d/device") == 0x1234:0x11e8 ]] || continue
		echo "$d: driver=$(basename "$(readlink -f "$d/driver" 2>/dev/null || echo none)")" \
			"numa_node=$(cat "$d/numa_node")" \
			"link=$(cat "$d/current_link_speed" 2>/dev/null) x$(cat "$d/current_link_width" 2>/dev/null)"
		local sub
		for sub in "$d"/accel/accel*; do [[ -e $sub ]] && echo "  accel device: ${sub##*/}"; done
	done
	if command -v lspci >/dev/null; then run lspci -nn -t; fi
	return 0
}

main
