# shellcheck shell=bash disable=SC2034  # variables are used by the sourcing scripts
# Shared helpers for the VM harness scripts (sourced, not executed).

# Repo root, cache and output dirs. Kernels and logs live outside the clone so
# that repeated runs on one machine reuse builds and the tree stays clean.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ACCEL_CACHE=${ACCEL_CACHE:-/var/cache/accelctl}
ACCEL_OUT=${ACCEL_OUT:-/tmp/accelctl-test}
KSRC_PKG=linux-source-6.12
# The accelctl the VM runs: a static, non-PIE build. Static linking spares
# the dynamic loader's relocations and library lookups (over 9p in the
# guest), which made up about half of accelctl's start-up cost, and a fixed
# load address spares static-pie's self-relocation (a fifth of the
# instructions of `accelctl --version`, and copy-on-write faults); the
# target is explicit because crt-static must not reach the host's
# proc-macro crates.
ACCELCTL_TARGET=x86_64-unknown-linux-gnu
ACCELCTL_BIN=$REPO/target/$ACCELCTL_TARGET/release/accelctl
KSRC_TARBALL=/usr/src/linux-source-6.12.tar.xz

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Seconds since the epoch with a fraction, for timing messages.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Patch files named in kernel-patch/series, in order (comments/blank lines
# skipped). A missing series file means an empty series.
series_patches() {
	local series=$REPO/kernel-patch/series line
	[[ -f $series ]] || return 0
	while IFS= read -r line || [[ -n $line ]]; do
		line=${line%%#*}
		line=${line//[[:space:]]/}
		[[ -n $line ]] && printf '%s\n' "$line"
	done <"$series"
}

check_flavour() {
	case ${1:-} in
	min | debug | static) ;;
	*) die "flavour must be 'min', 'debug' or 'static', got '${1:-}'" ;;
	esac
}

# Build $ACCELCTL_BIN (cargo's output on stderr, as for any build step).
build_accelctl() {
	RUSTFLAGS='-C target-feature=+crt-static -C relocation-model=static' \
		cargo build --release --target "$ACCELCTL_TARGET" -p accelctl "$@"
}
