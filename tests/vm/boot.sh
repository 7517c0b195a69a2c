#!/bin/bash
# Boot the cached test kernel of one flavour under QEMU (TCG) and run a command
# in the guest, chrooted into the host's / (read-only 9p), cwd = repo root.
#
#   tests/vm/boot.sh min|debug -- /abs/path/to/cmd [ARGS...]
#
# The kernel's modules (KDIR/modroot/lib/modules) are mounted over /lib/modules
# and loaded at boot (all of them: accel_sim), as if built in; the kselftest
# that unloads accel_sim loads it again.
#
# Guest environment: ACCEL_FLAVOUR, ACCEL_REPO (= cwd), KSRC (patched kernel
# tree: tools/, Documentation/, include/uapi/), ACCELCTL (release binary),
# HOME=/tmp, PATH (system dirs only), PYTHONDONTWRITEBYTECODE=1, LANG=C.UTF-8,
# plus any variables named in ACCEL_GUEST_ENV (e.g. "PYTEST_ADDOPTS").
#
# Files: $ACCEL_OUT/$NAME.{console,results,qemu.log} (NAME = ACCEL_RUN_NAME or
# the flavour). Exit status: the command's, or 124 timeout, 125 no result
# marker / kernel panic, 126 kernel splat in the console log (lines printed).
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# What counts as a kernel splat in the console log.
SPLAT_RE='BUG:|WARNING:|KASAN:|Kernel panic|possible circular locking|possible recursive locking|unreferenced object|UBSAN:|general protection'

usage() { die "usage: ${0##*/} min|debug -- /abs/cmd [args...]"; }

# Initramfs: busybox-static, /init, /run.env, /repo.path, /ksrc.path. Built
# per boot (a few ms).
make_initramfs() {
	local out=$1 root
	shift
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,host}
	cp /bin/busybox "$root/bin/busybox"
	install -m 0755 "$REPO/tests/guest/init.sh" "$root/init"
	write_run_env "$@" >"$root/run.env"
	echo "$REPO" >"$root/repo.path"
	readlink -f "$KDIR/src" >"$root/ksrc.path"
	mknod "$root/dev/console" c 5 1
	(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
	rm -rf "$root"
}

# Shell-quoted variables + command for the guest's /init.
write_run_env() {
	local v
	printf 'export %s=%q\n' \
		PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME /tmp LANG C.UTF-8 PYTHONDONTWRITEBYTECODE 1 \
		ACCEL_FLAVOUR "$FLAVOUR" ACCEL_REPO "$REPO" \
		KSRC "$(readlink -f "$KDIR/src")" ACCELCTL "${ACCELCTL:-$ACCELCTL_BIN}"
	for v in ${ACCEL_GUEST_ENV:-}; do
		[[ -v $v ]] && printf 'export %s=%q\n' "$v" "${!v}"
	done
	printf 'export ACCEL_GUEST_CWD=%q\n' "$REPO"
	printf 'set --'
	printf ' %q' "$@"
	printf '\n'
}

# The system QEMU, or the copy tests/deps.sh unpacked when installing it
# would have downgraded another package.
qemu_cmd() {
	local private=$ACCEL_CACHE/qemu
	if ! command -v qemu-system-x86_64 >/dev/null && [[ -x $private/usr/bin/qemu-system-x86_64 ]]; then
		QEMU=("$private/usr/bin/qemu-system-x86_64" -L "$private/usr/share/qemu"
			-L "$private/usr/share/seabios" -L "$private/usr/lib/ipxe/qemu")
	else
		QEMU=(qemu-system-x86_64)
	fi
}

run_qemu() {
	local initrd=$1 t=$2 QEMU KSRC_HOST
	qemu_cmd
	KSRC_HOST=$(readlink -f "$KDIR/src")
	MODULES_HOST=$(readlink -f "$KDIR/modroot/lib/modules")
	# The repo and the kernel tree are shared on their own too: the guest's
	# fresh /tmp would hide a clone or a kernel cache below /tmp. The
	# kernel's modules go over the host's /lib/modules (tag "modules").
	# Two NUMA nodes (one CPU and 1 GiB each; one socket per CPU, or the
	# scheduler warns that LLC siblings sit on different nodes); the host root over virtio-9p;
	# the edu test device behind a PCIe root port with a Gen3 x4 link;
	# ttyS0 = kernel console, ttyS1 = test output.
	timeout --foreground -k 10 "$t" "${QEMU[@]}" \
		-machine q35 -accel tcg -smp 2,sockets=2,cores=1,threads=1 -m 2G -nodefaults -display none -no-reboot \
		-object memory-backend-ram,size=1G,id=m0 \
		-object memory-backend-ram,size=1G,id=m1 \
		-numa node,nodeid=0,cpus=0,memdev=m0 \
		-numa node,nodeid=1,cpus=1,memdev=m1 \
		-kernel "$KDIR/bzImage" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 oops=panic" \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		-fsdev local,id=repo,path="${REPO//,/,,}",security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=repo,mount_tag=repo \
		-fsdev local,id=ksrc,path="${KSRC_HOST//,/,,}",security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=ksrc,mount_tag=ksrc \
		-fsdev local,id=modules,path="${MODULES_HOST//,/,,}",security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=modules,mount_tag=modules \
		-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,x-speed=8,x-width=4 \
		-device edu,bus=rp1 \
		-serial "file:$CONSOLE" -serial "file:$RESULTS" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		>"$QEMU_LOG" 2>&1
}

# Print splat lines (with a little context) and return 0 if there are any.
find_splats() {
	local console=$1
	grep -Eq "$SPLAT_RE" "$console" || return 1
	log "kernel splat in $console:"
	grep -E -A 12 "$SPLAT_RE" "$console" | head -n 200 >&2
	return 0
}

# Map qemu's outcome + the logs to the harness exit status.
verdict() {
	local qrc=$1 rc
	if ((qrc == 124 || qrc == 137)); then
		log "TIMEOUT after ${TIMEOUT}s; console tail:"
		tail -n 40 "$CONSOLE" >&2
		find_splats "$CONSOLE" || true
		return 124
	fi
	rc=$(sed -n 's/^ACCELTEST-END rc=\([0-9]*\).*/\1/p' "$RESULTS" | tail -n1)
	if [[ -z $rc ]]; then
		log "no ACCELTEST-END marker (qemu status $qrc; panic?); console tail:"
		tail -n 60 "$CONSOLE" >&2
		tail -n 5 "$QEMU_LOG" >&2
		find_splats "$CONSOLE" || true
		return 125
	fi
	if find_splats "$CONSOLE"; then return 126; fi
	return "$rc"
}

main() {
	local initrd qrc t
	FLAVOUR=${1:-}
	check_flavour "$FLAVOUR"
	[[ $FLAVOUR != static ]] || die "the static flavour is compile-only, not booted"
	[[ ${2:-} == -- && -n ${3:-} ]] || usage
	shift 2
	[[ $1 == /* ]] || die "the guest command must be an absolute host path: $1"
	KDIR=${ACCEL_KERNEL_DIR:-$("$REPO/tests/vm/kernel.sh" "$FLAVOUR")}
	[[ -d $KDIR/modroot/lib/modules ]] ||
		die "$KDIR has no modroot/lib/modules: a kernel dir from before modules (rebuild with tests/vm/kernel.sh)"
	[[ -d /lib/modules ]] ||
		die "no /lib/modules on the host: the guest mounts the kernel's modules there (tests/deps.sh creates it)"
	[[ $FLAVOUR == debug ]] && TIMEOUT=${ACCEL_TIMEOUT:-1800} || TIMEOUT=${ACCEL_TIMEOUT:-900}
	local name=${ACCEL_RUN_NAME:-$FLAVOUR}
	mkdir -p "$ACCEL_OUT"
	CONSOLE=$ACCEL_OUT/$name.console RESULTS=$ACCEL_OUT/$name.results
	QEMU_LOG=$ACCEL_OUT/$name.qemu.log
	rm -f "$CONSOLE" "$RESULTS" "$QEMU_LOG"
	initrd=$ACCEL_OUT/$name.initramfs.cpio.gz
	make_initramfs "$initrd" "$@"
	log "booting $FLAVOUR kernel ($KDIR) -- $*"
	t=$(now)
	qrc=0
	run_qemu "$initrd" "$TIMEOUT" || qrc=$?
	log "guest ran $(elapsed "$t") s; console: $CONSOLE, results: $RESULTS"
	verdict "$qrc"
}

# Allow `source boot.sh` for testing the helpers (find_splats) alone.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
