#!/bin/busybox sh
# /init of the test VM's initramfs (busybox-static only; see tests/vm/boot.sh).
#
# Mounts the host's / (read-only, virtio-9p tag "hostroot") at /host, gives it
# live /proc /sys /dev /sys/kernel/debug, a private writable /tmp /run and the
# test kernel's modules on /lib/modules (tag "modules"), then switch_root's
# into it (not chroot: a chrooted process cannot create a user namespace) and,
# as stage 2 of this same script, loads the kernel's modules with the host's
# modprobe (kmod) and runs the command from /run.env with stdout+stderr on
# ttyS1 (the results file). Ends with
# "ACCELTEST-END rc=N" and powers off through isa-debug-exit. Kernel messages
# go to ttyS0 (the console log).
# shellcheck shell=sh disable=SC1091

if [ "${1:-}" != stage2 ]; then
	/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin
	/bin/busybox --install -s
fi
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say() { echo "accel-init: $*" >/dev/console; }

# Exit qemu: isa-debug-exit at 0xf4 makes qemu exit with (byte << 1) | 1.
# boot.sh reads the real rc from the marker; the byte only has to be non-zero
# on failure.
poweroff_vm() {
	v=$1
	[ "$v" -gt 127 ] && v=127
	# shellcheck disable=SC2059  # the format *is* the octal escape of the byte
	printf "\\$(printf %03o "$v")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	reboot -f # -no-reboot turns this into an exit if the port write failed
}

setup_mounts() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t tmpfs -o mode=1777 tmpfs /tmp
	mkdir -p /dev/pts /dev/shm
	# devtmpfs has no /dev/fd: bash process substitution needs it.
	ln -sf /proc/self/fd /dev/fd
	ln -sf /proc/self/fd/0 /dev/stdin
	ln -sf /proc/self/fd/1 /dev/stdout
	ln -sf /proc/self/fd/2 /dev/stderr
	mount -t devpts devpts /dev/pts
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	# cache=loose: the host tree does not change during a run, and caching
	# dentries and pages makes python imports over 9p several times faster.
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose \
		hostroot /host || return 1
	mount --rbind /proc /host/proc
	mount --rbind /sys /host/sys # includes /sys/kernel/debug
	mount --rbind /dev /host/dev # includes /dev/pts, /dev/shm
	mount -t tmpfs -o mode=1777 tmpfs /host/tmp
	# Writable /run for tools that keep state there (ip netns, lock files).
	mount -t tmpfs -o mode=755 tmpfs /host/run
	# The repo (tag "repo") at its host path, even below the fresh /tmp.
	repo=$(cat /repo.path)
	mkdir -p "/host$repo" 2>/dev/null
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose \
		repo "/host$repo" || return 1
	# The kernel tree (tag "ksrc"), likewise.
	ksrc=$(cat /ksrc.path)
	mkdir -p "/host$ksrc" 2>/dev/null
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose \
		ksrc "/host$ksrc" || return 1
	# The test kernel's modules (tag "modules") over the host's /lib/modules
	# (/lib is a symlink to usr/lib on Debian: the mount lands there).
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose \
		modules /host/lib/modules || return 1
	# What stage 2 needs, on the new root's writable /run.
	cp /init /host/run/accel-init.sh
	cp /run.env /host/run/run.env
}

# kmemleak only reports objects older than ~5 s and needs a scan to find them;
# scan twice (the second pass confirms) and put the report in the console log,
# where boot.sh looks for "unreferenced object".
kmemleak_report() {
	f=/sys/kernel/debug/kmemleak
	[ -w "$f" ] || return 0
	sleep 6
	echo scan >"$f"
	echo scan >"$f"
	cat "$f" >/dev/console
}

# Load every module of the test kernel (modules.order: accel_sim), as if it
# were built in, with the host's kmod (stage 2: the host's root). A module
# that does not load is reported on ttyS1, and the tests that need it fail.
load_modules() {
	dir=/lib/modules/$(uname -r)
	if [ ! -r "$dir/modules.order" ]; then
		say "no $dir/modules.order: no modules loaded"
		echo "accel-init: no $dir/modules.order: no modules loaded" >/dev/ttyS1
		return 0
	fi
	sed -e 's|.*/||' -e 's|\.ko.*||' "$dir/modules.order" | while read -r m; do
		if modprobe "$m" >/dev/console 2>&1; then
			say "modprobe $m"
		else
			say "modprobe $m failed"
			echo "accel-init: modprobe $m failed (see the console log)" >/dev/ttyS1
		fi
	done
}

# shellcheck disable=SC2120,SC2016  # args come from `set --` in /run.env; $@ expands in the inner sh
run_cmd() {
	# /run.env (written by boot.sh, copied to /run by stage 1): exported
	# variables, ACCEL_GUEST_CWD and `set -- CMD ARGS...`.
	. /run/run.env
	/bin/sh -c 'cd "$ACCEL_GUEST_CWD" && exec "$@"' sh "$@" \
		</dev/null >/dev/ttyS1 2>&1
}

finish() {
	rc=$1
	kmemleak_report
	echo "ACCELTEST-END rc=$rc" >/dev/ttyS1
	say "ACCELTEST-END rc=$rc"
	sync
	poweroff_vm "$rc"
}

# Stage 1 (the initramfs /init): mount everything, then switch_root into the
# host's / and run this script again there as stage 2 (still PID 1).
main() {
	if ! setup_mounts; then
		say "mounting the 9p host root failed"
		finish 125
	fi
	exec switch_root /host /bin/busybox sh /run/accel-init.sh stage2
}

stage2() {
	rc=0
	load_modules
	# shellcheck disable=SC2119
	run_cmd || rc=$?
	finish "$rc"
}

if [ "${1:-}" = stage2 ]; then stage2; else main; fi
