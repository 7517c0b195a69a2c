#!/bin/sh
# Guest side of tests/bench/run.sh: create N accel_sim and N netdevsim
# devices for N in $BENCH_SIZES and time accelctl against devlink doing the
# same work. Prints one table row per (N, command); RSS is the peak of any run.
set -eu
T=${BENCH_TIMER:?}
A=${ACCELCTL:?}
RUNS=${BENCH_RUNS:-15}
have=0

grow() {
	while [ "$have" -lt "$1" ]; do
		have=$((have + 1))
		echo "$have" >/sys/bus/accel_sim/new_device
		echo "$have 1" >/sys/bus/netdevsim/new_device
	done
}

row() {
	n=$1 what=$2
	shift 2
	printf '%-5s %-28s %s\n' "$n" "$what" "$("$T" "$RUNS" "$@")"
}

# 256 accel minors in all: free the one of QEMU's edu device so that 256
# accel_sim devices fit.
for d in /sys/bus/pci/drivers/accel_sim/0000:*; do
	[ -e "$d" ] && echo "${d##*/}" >/sys/bus/pci/drivers/accel_sim/unbind
done

echo "N     command                      median/min/max wall time, peak RSS ($RUNS runs after a warm-up)"
row - "/bin/true" /bin/true
row - "accelctl --version" "$A" --version
row - "devlink -V" devlink -V
for n in ${BENCH_SIZES:-1 16 64 256}; do
	grow "$n"
	row "$n" "accelctl -j dev show" "$A" -j dev show
	row "$n" "devlink -j dev show" devlink -j dev show
	row "$n" "accelctl -j dev info" "$A" -j dev info
	row "$n" "devlink -j dev info" devlink -j dev info
	row "$n" "accelctl -j health show" "$A" -j health show
	row "$n" "devlink -j health show" devlink -j health show
	row "$n" "accelctl -j dev param show" "$A" -j dev param show
	row "$n" "devlink -j dev param show" devlink -j dev param show
done
