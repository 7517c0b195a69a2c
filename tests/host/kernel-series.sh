#!/bin/bash
# Host-side checks of the kernel series in kernel-patch/, as a reviewer would
# run them: it applies to the pristine tree with `git am`, every patch is
# `checkpatch.pl --strict` clean, the generated files are exactly what the
# tree's YNL generator makes of the spec (and ynl-regen.sh leaves the tree
# clean), and the spec in the series is byte-identical to
# netlink-family/accel.yaml, and every C file it touches compiles clean with
# W=1 and sparse. Prints one "RESULT PASS|FAIL <check>" per check.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../vm/lib.sh"

# The YNL tools and spdxcheck need Debian's python3 modules (yaml,
# jsonschema, ply, git), not whatever python3 comes first in $PATH.
export PATH=/usr/bin:/bin:$PATH

FAILED=0
result() {
	if [[ $1 == 0 ]]; then echo "RESULT PASS kernel-series:$2"; else
		echo "RESULT FAIL kernel-series:$2"
		FAILED=1
	fi
}

# A fresh clone of the pristine tree with the series applied.
apply_series() {
	local tree=$1 p
	git clone -q --shared "$(pristine_repo_dir)" "$tree"
	while read -r p; do
		git_id -C "$tree" am -q "$REPO/kernel-patch/$p" || return 1
	done < <(series_patches)
}

pristine_repo_dir() {
	local ver
	ver=$(dpkg-query -W -f='${Version}' "$KSRC_PKG")
	[[ -f $ACCEL_CACHE/src/$ver/.done ]] ||
		die "no pristine tree in $ACCEL_CACHE/src/$ver (run tests/vm/kernel.sh first)"
	echo "$ACCEL_CACHE/src/$ver/linux-source-6.12"
}

git_id() {
	git -c user.name="accelctl test" -c user.email="accelctl-test@localhost" "$@"
}

# checkpatch --strict on every mailed patch. FILE_PATH_CHANGES ("does
# MAINTAINERS need updating?") is ignored: the new files fall under the
# existing F: drivers/accel/ entry, as the cover letter explains.
# UNKNOWN_COMMIT_ID: the Fixes: tag names an upstream commit, and a tree made
# from the linux-source tarball has no upstream history to look it up in.
# Long lines of the YNL-GEN files are not ours to wrap: ynl-gen-c.py writes
# them (as in every generated family upstream) and check_generated holds
# those files to exactly what it writes. Every other report fails.
check_checkpatch() {
	local tree=$1 p rc=0 out
	while read -r p; do
		echo "== checkpatch --strict $p"
		out=$("$tree/scripts/checkpatch.pl" --strict --no-summary --show-types \
			--ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID "$REPO/kernel-patch/$p" |
			awk -v RS= -v ORS='\n\n' \
				'/^(ERROR|WARNING|CHECK):/ && !(/^WARNING:LONG_LINE:/ && /FILE: drivers\/accel\/accel_nl_gen\.[ch]:/)') || true
		if [[ -n $out ]]; then
			echo "$out"
			rc=1
		fi
	done < <(series_patches)
	return "$rc"
}

# Each YNL-GEN file, regenerated from the spec, must be identical.
check_generated() {
	local tree=$1 f params out rc=0
	out=$(mktemp -d)
	while read -r f; do
		read -r -a params < <(git -C "$tree" grep --no-line-number -B1 -h '/\* YNL-GEN' "$f" |
			sed 's@/\*\(.*\)\*/@\1@' | tr '\n' ' ')
		echo "== ynl-gen-c.py --mode ${params[2]} --${params[3]} -> $f"
		(cd "$tree" && tools/net/ynl/ynl-gen-c.py --mode "${params[2]}" \
			"--${params[3]}" --spec "${params[0]}" -o "$out/${f##*/}") || { rc=1; continue; }
		diff -u "$tree/$f" "$out/${f##*/}" || rc=1
	done < <(git -C "$tree" grep -l '^/\* YNL-GEN' -- include/uapi/linux/accel.h drivers/accel)
	rm -rf "$out"
	return "$rc"
}

check_regen_clean() {
	local tree=$1 dirty
	"$tree/tools/net/ynl/ynl-regen.sh" -f >/dev/null
	dirty=$(git -C "$tree" status --porcelain)
	[[ -z $dirty ]] || { echo "ynl-regen.sh changed: $dirty"; return 1; }
}

# kernel-doc -Wall on every C file and header the series creates or
# changes under drivers/accel/ and include/drm/, and the new docs' kernel-doc
# directives must resolve: undocumented exported functions, parameters or
# return values are warnings here.
check_kernel_doc() {
	local tree=$1 files out base rc=0
	mapfile -t files < <(git -C "$tree" diff --name-only --diff-filter=AM HEAD~"$(series_patches | wc -l)" -- \
		'drivers/accel/*.[ch]' 'include/drm/drm_accel*.h')
	((${#files[@]} > 0)) || { echo "no files to check"; return 1; }
	echo "== kernel-doc -none -Wall ${files[*]}"
	out=$(cd "$tree" && scripts/kernel-doc -none -Wall "${files[@]}" 2>&1) || rc=1
	# What the pristine versions of changed files already warn about (a
	# driver's old comments) is not the series': listed, not counted.
	base=$(kernel_doc_pristine "$tree" "${files[@]}")
	if [[ -n $base ]]; then
		echo "== kernel-doc warnings the pristine files already have (not the series'):"
		echo "$base"
		out=$(grep -vxF -f <(echo "$base") <<<"$(strip_lines <<<"$out")" || true)
		[[ -n $out ]] || rc=0
	fi
	[[ -z $out ]] || { echo "$out"; rc=1; }
	return "$rc"
}

# kernel-doc -Wall of the pristine versions of those of files $2... that
# existed before the series, line numbers stripped.
kernel_doc_pristine() {
	local tree=$1 f tmp base
	shift
	base=HEAD~$(series_patches | wc -l)
	tmp=$(mktemp -d)
	for f in "$@"; do
		git -C "$tree" cat-file -e "$base:$f" 2>/dev/null || continue
		mkdir -p "$tmp/${f%/*}"
		git -C "$tree" show "$base:$f" >"$tmp/$f"
		(cd "$tmp" && "$tree/scripts/kernel-doc" -none -Wall "$f" 2>&1) || true
	done | strip_lines
	rm -rf "$tmp"
}

strip_lines() { sed -E 's/^([^:]+):[0-9]+: /\1: /'; }

# W=1 and sparse on every C file the series touches, compiled built in
# (tests/vm/kernel.sh static: cached with the series): one result per
# touched C file or header, failing on any warning or error in it.
check_static() {
	local dir logf f hits rc=0
	if ! dir=$("$REPO/tests/vm/kernel.sh" static); then
		echo "RESULT FAIL kernel-series:static:build"
		FAILED=1
		return
	fi
	logf=$dir/static.log
	if ! grep -qx 'make rc=0' "$logf"; then
		grep -E "error|Error" "$logf" | head -n 40 || true
		echo "RESULT FAIL kernel-series:static:compile (log $logf)"
		FAILED=1
	fi
	while read -r f; do
		hits=$(static_warnings "$f" "$logf" | grep -vxF -f <(static_warnings "$f" "$dir/static-base.log" | grep ': warning:') || true)
		[[ -z $hits ]] || echo "$hits"
		rc=0; [[ -z $hits ]] || rc=1
		result "$rc" "static:$f"
	done <"$dir/touched.txt"
	echo "== warnings the pristine files already have (not the series'):"
	# (Compiled with the series' headers: a pristine file that no longer
	# compiles with them has errors, which excuse nothing.)
	sed -n 's@^.*/src/\([^:]*\):[0-9:]*: warning@\1: warning@p' "$dir/static-base.log" | sort -u
}

# The warnings and errors of gcc and sparse about file $1 in log $2, as
# "file: warning: text" (no line numbers: the series moves lines).
static_warnings() {
	local re="(^|/)${1//./\\.}:[0-9]+(:[0-9]+)?: "
	grep -E "$re(warning|error)" "$2" | sed -E "s@^.*$re@$1: @" | sort -u || true
}

main() {
	local tree rc
	tree=$(mktemp -d)/linux
	trap 'rm -rf "${tree%/linux}"' EXIT
	rc=0; apply_series "$tree" || rc=$?
	result "$rc" git-am
	((rc == 0)) || exit 1
	rc=0; check_checkpatch "$tree" || rc=$?; result "$rc" checkpatch
	rc=0; check_generated "$tree" || rc=$?; result "$rc" ynl-gen-c
	rc=0; check_regen_clean "$tree" || rc=$?; result "$rc" ynl-regen-clean
	rc=0; check_kernel_doc "$tree" || rc=$?; result "$rc" kernel-doc
	rc=0; cmp "$tree/Documentation/netlink/specs/accel.yaml" "$REPO/netlink-family/accel.yaml" || rc=$?
	result "$rc" spec-identical
	check_static
	exit "$FAILED"
}

main
