#!/bin/bash
# Install what the test harness needs on a Debian 12 host (idempotent: apt is
# only called for packages that are missing). Rust >= 1.80 comes from the
# toolchain already in $PATH if there is one (rustup), else from bookworm's
# cargo-web / rustc-web packages (bookworm's plain `cargo` is 1.63, too old).
# Never removes or downgrades an installed package; apt's output goes to
# $ACCEL_OUT/deps-apt.log.
set -euo pipefail

PKGS=(
	linux-source-6.12 busybox-static
	sparse # W=1 + sparse static check of the series (tests/host/kernel-series.sh)
	flex bison bc libelf-dev libssl-dev cpio
	python3 python3-yaml python3-jsonschema python3-pytest
	python3-ply python3-git perl
	gcc make git util-linux kmod shellcheck iproute2
	zsh fish # the completion tests drive the real shells
)

ACCEL_CACHE=${ACCEL_CACHE:-/var/cache/accelctl}
ACCEL_OUT=${ACCEL_OUT:-/tmp/accelctl-test}
APT_LOG=$ACCEL_OUT/deps-apt.log
# QEMU unpacked privately when the system one cannot be installed cleanly
# (tests/vm/boot.sh uses it when there is no qemu-system-x86_64 in PATH).
PRIVATE_QEMU=$ACCEL_CACHE/qemu
QEMU_DEBS=(qemu-system-x86 qemu-system-common qemu-system-data seabios ipxe-qemu)

log() { printf '[deps.sh] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			echo "$p"
	done
}

# Run apt-get quietly into $APT_LOG; show its tail if it fails.
apt_quiet() {
	apt-get "$@" >>"$APT_LOG" 2>&1 && return 0
	tail -n 20 "$APT_LOG" >&2
	die "apt-get $* failed (full log: $APT_LOG)"
}

# Packages an install of "$@" would remove or downgrade (apt's simulation).
apt_casualties() {
	local line re='^Inst ([^ ]+) \[([^]]+)\] \(([^ ]+) '
	apt-get install -s --no-install-recommends "$@" 2>/dev/null | while read -r line; do
		if [[ $line == "Remv "* ]]; then
			line=${line#Remv }
			echo "${line%% *}"
		elif [[ $line =~ $re ]] &&
			dpkg --compare-versions "${BASH_REMATCH[3]}" lt "${BASH_REMATCH[2]}"; then
			echo "${BASH_REMATCH[1]}"
		fi
	done
}

# Install packages, refreshing the lists only when apt cannot find one, and
# refusing anything that would remove or downgrade an installed package.
apt_install() {
	local bad
	bad=$(apt_casualties "$@" | tr '\n' ' ')
	if [[ -z $(apt-get install -s -qq --no-install-recommends "$@" 2>/dev/null) ]]; then
		log "apt-get update"
		apt_quiet update -qq
		bad=$(apt_casualties "$@" | tr '\n' ' ')
	fi
	[[ -z $bad ]] || die "installing $* would remove or downgrade: $bad"
	DEBIAN_FRONTEND=noninteractive apt_quiet install -y -qq --no-install-recommends "$@"
}

# QEMU. Bookworm's qemu-system-x86 conflicts with a newer preinstalled
# qemu-utils (vm-recipe pitfall 10): then its packages are unpacked below
# $PRIVATE_QEMU instead (only their libraries are installed).
ensure_qemu() {
	local bad deps d tmp
	[[ -z ${ACCEL_PRIVATE_QEMU:-} ]] && command -v qemu-system-x86_64 >/dev/null && return 0
	[[ -x $PRIVATE_QEMU/usr/bin/qemu-system-x86_64 ]] && return 0
	bad=$(apt_casualties qemu-system-x86 | tr '\n' ' ')
	if [[ -z $bad && -z ${ACCEL_PRIVATE_QEMU:-} ]]; then
		log "installing qemu-system-x86"
		apt_install qemu-system-x86
		return 0
	fi
	log "installing qemu-system-x86 would remove or downgrade: ${bad:-(ACCEL_PRIVATE_QEMU set)}; unpacking it in $PRIVATE_QEMU instead"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt_quiet download "${QEMU_DEBS[@]}")
	mapfile -t deps < <(apt-cache depends --no-recommends --no-suggests "${QEMU_DEBS[@]}" |
		awk '$1 == "Depends:" && $2 ~ /^lib/ { print $2 }' | sort -u)
	mapfile -t deps < <(missing_pkgs "${deps[@]}")
	((${#deps[@]} == 0)) || apt_install "${deps[@]}"
	rm -rf "$PRIVATE_QEMU.new" && mkdir -p "$PRIVATE_QEMU.new"
	for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$PRIVATE_QEMU.new"; done
	rm -rf "$tmp" "$PRIVATE_QEMU" && mv "$PRIVATE_QEMU.new" "$PRIVATE_QEMU"
	"$PRIVATE_QEMU/usr/bin/qemu-system-x86_64" --version >/dev/null ||
		die "the unpacked QEMU in $PRIVATE_QEMU does not run"
}

RUST_PKGS=(cargo-web rustc-web rust-web-clippy rustfmt-web)

# True if the cargo in $PATH is >= 1.80 and has clippy and rustfmt.
cargo_ok() {
	local v
	command -v cargo >/dev/null || return 1
	v=$(cargo --version | awk '{ print $2 }')
	printf '1.80.0\n%s\n' "${v%%-*}" | sort -V -C || return 1
	cargo clippy --version >/dev/null 2>&1 && cargo fmt --version >/dev/null 2>&1
}

# The guest's root is the host's / (read-only 9p): the test kernel's modules
# are mounted over the host's /lib/modules, which has to exist as a mount
# point. A Debian system with a kernel has it; a container may not.
ensure_modules_dir() {
	[[ -d /lib/modules ]] && return 0
	[[ $(id -u) == 0 ]] || die "need root to create /lib/modules (mount point for the guest's modules)"
	log "creating /lib/modules (empty; the guest mounts the test kernel's modules on it)"
	mkdir -p /lib/modules
}

ensure_cargo() {
	cargo_ok && return 0
	[[ $(id -u) == 0 ]] || die "need root to install ${RUST_PKGS[*]}"
	log "no cargo >= 1.80 with clippy and rustfmt in PATH: installing ${RUST_PKGS[*]}"
	apt_install "${RUST_PKGS[@]}"
	hash -r
	cargo_ok || die "still no usable cargo: $(cargo --version 2>&1)"
}

main() {
	local miss
	mkdir -p "$ACCEL_OUT"
	mapfile -t miss < <(missing_pkgs "${PKGS[@]}")
	if ((${#miss[@]})); then
		[[ $(id -u) == 0 ]] || die "need root to install: ${miss[*]}"
		log "installing ${#miss[@]} packages (log: $APT_LOG): ${miss[*]}"
		apt_install "${miss[@]}"
	fi
	ensure_qemu
	ensure_modules_dir
	ensure_cargo
}

main
