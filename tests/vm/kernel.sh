#!/bin/bash
# Build (or fetch from the cache) the patched test kernel of one flavour.
#
#   tests/vm/kernel.sh min|debug|static  -> prints the cached kernel dir on stdout
#
# min: accel_sim and the real accel drivers as modules; debug: KASAN, lockdep,
# kmemleak, the real drivers built in with their KUnit suites; static: compile
# only, everything built in: every C file the series touches is compiled with
# W=1 and sparse (C=1) into static.log, read by tests/host/kernel-static.sh.
#
# The dir holds bzImage, .config, vmlinux, key.txt (what the key was made of),
# modroot/lib/modules/RELEASE/ (`make modules_install`: accel_sim.ko and the
# depmod files; the guest sees it as /lib/modules/RELEASE) and src/ (tools/,
# Documentation/, include/uapi/ of the patched tree: the YNL CLI, the specs
# and the kselftest). The key is the sha256 of the linux-source package
# version, kernel-patch/series and every patch it lists, the config
# fragments, the gcc version, the flavour and the layout of this dir; a hit
# costs ~0 s.
#
# On a miss the series is applied with `git am` to a per-flavour working clone
# of the pristine tree; only the files the series touches change, so the
# per-flavour build dir rebuilds incrementally (seconds, not minutes).
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FLAVOUR=${1:-}
check_flavour "$FLAVOUR"

fragments() {
	echo "$REPO/tests/kconfig/base.config"
	case $FLAVOUR in
	min) echo "$REPO/tests/kconfig/drivers-m.config" ;;
	debug) printf '%s\n' "$REPO/tests/kconfig/debug.config" "$REPO/tests/kconfig/drivers-y.config" ;;
	static) printf '%s\n' "$REPO/tests/kconfig/drivers-y.config" "$REPO/tests/kconfig/static.config" ;;
	esac
}

# What a cached kernel dir holds: bump it when build() keeps something new,
# so that older dirs are not taken for complete.
CACHE_LAYOUT="3: bzImage .config vmlinux modroot src series.log | static: .config static.log static-base.log touched.txt"

# Everything the build depends on, as text; its sha256 is the cache key.
key_material() {
	local f p
	echo "layout $CACHE_LAYOUT"
	echo "linux-source $(dpkg-query -W -f='${Version}' "$KSRC_PKG")"
	echo "gcc $(gcc --version | head -n1)"
	[[ $FLAVOUR != static ]] || echo "sparse $(sparse --version 2>&1)"
	echo "flavour $FLAVOUR"
	while read -r f; do
		echo "fragment ${f##*/} $(sha256sum <"$f" | cut -d' ' -f1)"
	done < <(fragments)
	while read -r p; do
		[[ -f $REPO/kernel-patch/$p ]] || die "kernel-patch/series lists missing file $p"
		echo "patch $p $(sha256sum <"$REPO/kernel-patch/$p" | cut -d' ' -f1)"
	done < <(series_patches)
}

# Pristine tree as a git repo, once per linux-source version. Debian's tree
# has a top-level .gitignore of `/*`, hence `add -f`.
pristine_repo() {
	local ver dir t
	ver=$(dpkg-query -W -f='${Version}' "$KSRC_PKG")
	dir=$ACCEL_CACHE/src/$ver
	if [[ ! -f $dir/.done ]]; then
		log "extracting $KSRC_TARBALL (once per version)"
		t=$(now)
		rm -rf "$dir" && mkdir -p "$dir"
		tar -xJf "$KSRC_TARBALL" -C "$dir"
		git -C "$dir/linux-source-6.12" init -q
		git -C "$dir/linux-source-6.12" add -f -A
		git_id -C "$dir/linux-source-6.12" commit -q -m "linux-source-6.12 $ver (pristine)"
		touch "$dir/.done"
		log "pristine tree ready in $(elapsed "$t") s"
	fi
	echo "$dir/linux-source-6.12"
}

git_id() {
	git -c user.name="accelctl test" -c user.email="accelctl-test@localhost" \
		-c commit.gpgsign=false "$@"
}

# Working clone for this flavour, reset to pristine, then the series via git am
# (proves the series applies as mailed). Checkout keeps untouched files' mtimes.
patched_tree() {
	local pristine=$1 src=$2 p
	if [[ ! -d $src/.git ]]; then
		rm -rf "$src"
		git clone -q --shared "$pristine" "$src"
	fi
	git -C "$src" am --abort >/dev/null 2>&1 || true
	git -C "$src" fetch -q origin
	git -C "$src" checkout -q -f --detach origin/HEAD
	git -C "$src" clean -q -f -d
	while read -r p; do
		log "git am $p"
		git_id -C "$src" am -q "$REPO/kernel-patch/$p" ||
			die "kernel-patch/$p does not apply with git am (see above)"
	done < <(series_patches)
}

# tinyconfig + fragments + olddefconfig, then check every value the fragments
# set made it into .config (Kconfig silently drops unmet dependencies).
configure() {
	local src=$1 build=$2 mapfile_frags
	mapfile -t mapfile_frags < <(fragments)
	make -C "$src" O="$build" ARCH=x86_64 tinyconfig
	(cd "$build" && "$src/scripts/kconfig/merge_config.sh" -m -O "$build" \
		"$build/.config" "${mapfile_frags[@]}")
	make -C "$src" O="$build" ARCH=x86_64 olddefconfig
}

verify_config() {
	local config=$1 missing=() line sym val
	local -A want=()
	local -a order=()
	shift
	# The last fragment that sets a symbol wins, as in merge_config.sh.
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			sym=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set ]]; then
			sym=${BASH_REMATCH[1]} val=n
		else
			continue
		fi
		[[ -v want[$sym] ]] || order+=("$sym")
		want[$sym]=$val
	done < <(cat "$@")
	for sym in "${order[@]}"; do
		val=${want[$sym]}
		if [[ $val == n ]]; then
			grep -Eq "^$sym=[ym]$" "$config" || continue
		else
			grep -qxF "$sym=$val" "$config" && continue
		fi
		missing+=("$sym=$val")
	done
	((${#missing[@]} == 0)) || die "config options not in the final .config: ${missing[*]}"
}

build() {
	local out=$1 pristine work src build frags t
	work=$ACCEL_CACHE/work/$FLAVOUR
	src=$work/src build=$work/build
	mkdir -p "$work"
	pristine=$(pristine_repo)
	patched_tree "$pristine" "$src"
	mapfile -t frags < <(fragments)
	configure "$src" "$build"
	verify_config "$build/.config" "${frags[@]}"
	if [[ $FLAVOUR == static ]]; then
		static_check "$src" "$build" "$out"
		return
	fi
	t=$(now)
	log "make bzImage modules ($FLAVOUR, -j$(nproc))"
	make -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" bzImage modules
	log "built in $(elapsed "$t") s"
	install -m 0644 "$build/arch/x86/boot/bzImage" "$build/.config" "$build/vmlinux" "$out/"
	install_modules "$src" "$build" "$out/modroot"
	mkdir -p "$out/src"
	git -C "$src" archive HEAD tools Documentation include/uapi | tar -x -C "$out/src"
	git -C "$src" log --oneline origin/HEAD..HEAD >"$out/series.log"
}

# Compile every C file the series adds or changes (outside tools/) with W=1
# and sparse, whole-directory objects first removed so that each is compiled
# again (a warning is printed only when a file is compiled). The log and the
# list of touched files (C and headers) go to the cached dir; the verdicts are
# tests/host/kernel-static.sh's. A touched file this config does not build is
# a make error, so the config cannot silently skip one. The pristine versions
# of the changed files are compiled first into static-base.log: warnings they
# already had are not the series'.
static_check() {
	local src=$1 build=$2 out=$3 f rc=0 t
	local -a objs=() mods=() mobjs=()
	git -C "$src" diff --name-only --diff-filter=AM origin/HEAD HEAD -- '*.[ch]' ':!tools' >"$out/touched.txt"
	mapfile -t mods < <(git -C "$src" diff --name-only --diff-filter=M origin/HEAD HEAD -- '*.c' ':!tools')
	for f in "${mods[@]}"; do mobjs+=("${f%.c}.o"); done
	while read -r f; do
		[[ $f == *.c ]] || continue
		objs+=("${f%.c}.o")
		rm -f "$build/${f%.c}.o"
	done <"$out/touched.txt"
	install -m 0644 "$build/.config" "$out/"
	git -C "$src" log --oneline origin/HEAD..HEAD >"$out/series.log"
	t=$(now)
	log "make prepare; make W=1 C=1 on ${#objs[@]} objects (static, -j$(nproc))"
	# W=1 for prepare too: its objects (bounds, asm-offsets) keep one command line.
	make -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" W=1 prepare
	# The pristine versions of the C files the series changes: what they
	# already warn about is not the series' (static-base.log).
	if ((${#mods[@]})); then
		git -C "$src" checkout -q origin/HEAD -- "${mods[@]}"
		make -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" -k W=1 C=1 "${mobjs[@]}" \
			>"$out/static-base.log" 2>&1 || true
		git -C "$src" checkout -q HEAD -- "${mods[@]}"
	fi
	touch "$out/static-base.log"
	make -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" -k W=1 C=1 "${objs[@]}" \
		>"$out/static.log" 2>&1 || rc=$?
	log "compiled in $(elapsed "$t") s (make rc=$rc)"
	echo "make rc=$rc" >>"$out/static.log"
}

# The modules (accel_sim) into $3/lib/modules/RELEASE, with depmod's files
# (modules_install runs the host's depmod on them). The `build` symlink
# would point into the work tree: the cached dir stands on its own.
install_modules() {
	local src=$1 build=$2 root=$3 rel
	rel=$(make -s -C "$src" O="$build" ARCH=x86_64 kernelrelease)
	rm -rf "$root"
	make -C "$src" O="$build" ARCH=x86_64 INSTALL_MOD_PATH="$root" modules_install
	rm -f "$root/lib/modules/$rel/build" "$root/lib/modules/$rel/source"
	[[ -s $root/lib/modules/$rel/modules.dep ]] ||
		die "modules_install left no $root/lib/modules/$rel/modules.dep (is depmod installed?)"
	log "modules of $rel: $(cd "$root/lib/modules/$rel" && find kernel -name '*.ko*' -printf '%f ')"
}

# Wait for the build (pid $1), printing every minute how far it got (compiled
# files in its log $2, started at $3), so a cold build is not ten silent
# minutes. Returns the build's exit status.
wait_with_progress() {
	local pid=$1 logf=$2 t=$3 n i=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		((++i % 30 == 0)) || continue
		n=$(grep -c '^  CC ' "$logf" || true)
		log "building $FLAVOUR kernel: $n files compiled, $(elapsed "$t") s"
	done
	wait "$pid"
}

main() {
	local key dir logf t
	mkdir -p "$ACCEL_CACHE/kernel" "$ACCEL_OUT"
	key=$(key_material | sha256sum | cut -d' ' -f1)
	dir=$ACCEL_CACHE/kernel/$key
	[[ -f $dir/.complete ]] && { echo "$dir"; return; }
	# One builder per flavour at a time (the work tree is shared).
	exec 9>"$ACCEL_CACHE/kernel/.lock-$FLAVOUR"
	flock 9
	[[ -f $dir/.complete ]] && { echo "$dir"; return; }
	logf=$ACCEL_OUT/kernel-$FLAVOUR.log
	log "cache miss for $FLAVOUR ($key), building; log: $logf"
	rm -rf "$dir" && mkdir -p "$dir"
	key_material >"$dir/key.txt"
	t=$(now)
	log "a cold build took 9 min (min) / 8 min (debug) / 1 min (static) on 2 cores under load; later ones are incremental"
	(build "$dir") >"$logf" 2>&1 &
	if ! wait_with_progress $! "$logf" "$t"; then
		tail -n 60 "$logf" >&2
		die "kernel build ($FLAVOUR) failed; full log: $logf"
	fi
	touch "$dir/.complete"
	log "kernel $FLAVOUR ready in $(elapsed "$t") s"
	echo "$dir"
}

main
