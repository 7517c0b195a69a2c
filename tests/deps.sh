#!/bin/bash
# Install what the test harness needs on a Debian 12 host (idempotent: apt is
# only called for packages that are missing). Rust >= 1.80 comes from the
# toolchain already in $PATH if there is one (rustup), else from bookworm's
# cargo-web / rustc-web packages (bookworm's plain `cargo` is 1.63, too old).
set -euo pipefail

PKGS=(
	linux-source-6.12 qemu-system-x86 qemu-utils busybox-static
	flex bison bc libelf-dev libssl-dev cpio
	python3 python3-yaml python3-jsonschema python3-pytest
	python3-ply python3-git perl
	gcc make git util-linux kmod shellcheck
)

log() { printf '[deps.sh] %s\n' "$*" >&2; }

missing_pkgs() {
	local p
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			echo "$p"
	done
}

apt_install() {
	# Only refresh the lists when apt cannot find a candidate for a package.
	if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
		log "apt-get update"
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "$@"
	fi
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

ensure_cargo() {
	cargo_ok && return 0
	[[ $(id -u) == 0 ]] || { log "need root to install ${RUST_PKGS[*]}"; exit 1; }
	log "no cargo >= 1.80 with clippy and rustfmt in PATH: installing ${RUST_PKGS[*]}"
	DEBIAN_FRONTEND=noninteractive apt_install "${RUST_PKGS[@]}"
	hash -r
	cargo_ok || { log "ERROR: still no usable cargo: $(cargo --version 2>&1)"; exit 1; }
}

main() {
	local miss
	mapfile -t miss < <(missing_pkgs)
	if ((${#miss[@]})); then
		[[ $(id -u) == 0 ]] || { log "need root to install: ${miss[*]}"; exit 1; }
		log "installing: ${miss[*]}"
		DEBIAN_FRONTEND=noninteractive apt_install "${miss[@]}"
	fi
	# Installing bookworm's qemu-system-x86 can remove a newer preinstalled
	# qemu-utils (vm-recipe pitfall 10): check again and put it back.
	if ! dpkg-query -W -f='${Status}\n' qemu-utils 2>/dev/null | grep -q '^install ok installed$'; then
		log "reinstalling qemu-utils"
		DEBIAN_FRONTEND=noninteractive apt_install qemu-utils
	fi
	ensure_cargo
}

main
