#!/usr/bin/env bash
# ci/kernel-build without compiling a kernel: every arch's configuration fragment
# (ci/kconfig/ARCH.config) applies to Debian's linux-source-6.1 on top of tinyconfig with no
# option dropped (--config-only: the .config made and checked, nothing built), an option
# whose dependency is off is named, and bad input is one line, exit 2, before any build.
# (Building and booting: tests/test_kernel_bisect_src.sh, where a build cache is present.)
# timeout: 900
# (three --config-only runs, each building the kconfig tools: 100 s with the machine idle)
# lane: guest
set -u
. tests/kernel_setup.sh
for t in make flex bison bc; do
	command -v $t >/dev/null || { echo "skip: $t not installed (ci/install-deps test)"; exit 77; }
done
export PB_KBUILD_CACHE=$tmp/cache

# Bad input, against a stand-in tree: one line, exit 2.
bad_input() { # what, expected text, arguments
	local what=$1 want=$2 rc=0 err
	shift 2
	err=$(ci/kernel-build "$@" 2>&1 >/dev/null) || rc=$?
	[ $rc -eq 2 ] || fail "$what: exit $rc, wanted 2 ($err)"
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "$what: not one line: $err"
	case $err in *"$want"*) ;; *) fail "$what: said '$err', wanted '$want'" ;; esac
}
fake=$tmp/fake
mkdir -p "$fake/kernel" "$fake/arch/x86" "$fake/arch/arm64" "$fake/arch/riscv"
printf 'VERSION = 6\nPATCHLEVEL = 1\n' >"$fake/Makefile"
: >"$fake/Kconfig"
printf 'CONFIG_FOO=y\nthis is not a config line\n' >"$tmp/junk.config"
bad_input "no SRC" "usage" --arch x86_64
bad_input "SRC missing" "not a folder" "$tmp/none"
bad_input "not a kernel tree" "not a kernel source tree" "$tmp"
bad_input "--rev outside git" "not the top of a git work tree" "$fake" --rev HEAD
bad_input "--base" "tinyconfig or defconfig" "$fake" --base allyesconfig
bad_input "--config missing" "not a readable file" "$fake" --config "$tmp/none.config"
bad_input "--config junk" "neither CONFIG_NAME=value" "$fake" --config "$tmp/junk.config"
bad_input "--jobs" "not a whole number" "$fake" --jobs x
bad_input "--arch" "unknown --arch" "$fake" --arch sparc
bad_input "unknown option" "unknown option" "$fake" --frob
bad_input "two trees" "a second SRC" "$fake" "$fake"
bad_input "--out not empty" "not empty" "$fake" --out "$tmp"
bad_input "--config-only --out not empty" "not empty" "$fake" --config-only --out "$tmp"
bad_input "--out under a file" "cannot create it" "$fake" --out "$tmp/junk.config/x"
touch "$fake/.config"
bad_input "built in place" "make mrproper" "$fake"
rm "$fake/.config"
git -C "$fake" init -q && git -C "$fake" -c user.name=t -c user.email=t@t commit -q --allow-empty -m x
bad_input "no such revision" "no revision" "$fake" --rev nosuchrev
bad_input "option-like revision" "not a revision" "$fake" --rev --all
[ ! -d "$tmp/cache/images" ] || [ -z "$(ls "$tmp/cache/images")" ] || fail "a bad-input case left a build"

# The fragments, against the real tree (bench/ktree/make-history's, kept in the shared cache).
if [ ! -f /usr/src/linux-source-6.1.tar.xz ]; then
	echo "skip: no /usr/src/linux-source-6.1.tar.xz (apt-get install linux-source-6.1): the fragments are not checked"
	[ $fails -eq 0 ]
	exit $((fails > 0 ? 1 : 77))
fi
hist=${XDG_CACHE_HOME:-$HOME/.cache}/procbench/ktree-6.1
bench/ktree/make-history "$hist" >/dev/null || { echo "FAIL: bench/ktree/make-history"; exit 1; }
# The three at once (each in its own scratch object tree): the kconfig tools' builds overlap.
pids=() arches=()
for a in x86_64 aarch64 riscv64; do
	cc=gcc
	[ $a = x86_64 ] || cc=$a-linux-gnu-gcc
	if ! command -v $cc >/dev/null; then
		echo "skip $a: $cc not installed (ci/install-deps test)"
		continue
	fi
	# x86_64's through a symlink to the tree: the tree it names, not refused.
	src=$hist
	[ $a != x86_64 ] || { ln -s "$hist" "$tmp/tree-link"; src=$tmp/tree-link; }
	ci/kernel-build "$src" --arch $a --config-only --out "$tmp/cfg-$a" >/dev/null 2>"$tmp/cfg-$a.err" &
	pids+=($!) arches+=($a)
done
for i in "${!pids[@]}"; do
	a=${arches[$i]} rc=0
	wait "${pids[$i]}" || rc=$?
	[ $rc -eq 0 ] || { fail "$a: the fragment does not apply: $(tail -1 "$tmp/cfg-$a.err")"; continue; }
	grep -qx 'CONFIG_MODULES=y' "$tmp/cfg-$a/config" && grep -qx 'CONFIG_FTRACE_SYSCALLS=y' "$tmp/cfg-$a/config" ||
		fail "$a: the .config lacks the guest's options"
	echo "$a: ci/kconfig/$a.config applies: $(grep -c '=y$' "$tmp/cfg-$a/config") options on"
done
# An option whose dependency tinyconfig leaves off (ext4 needs the block layer): named, and
# only it (the fragment before it ends without a newline: its last line is still its own).
printf 'CONFIG_PRINTK=y' >"$tmp/no-newline.config"
printf '# needs CONFIG_BLOCK\nCONFIG_EXT4_FS=y\n' >"$tmp/ext4.config"
rc=0
err=$(ci/kernel-build "$hist" --config-only --config "$tmp/no-newline.config" --config "$tmp/ext4.config" 2>&1 >/dev/null) || rc=$?
[ $rc -eq 2 ] || fail "a dropped option: exit $rc, wanted 2"
case $err in *"did not keep CONFIG_EXT4_FS (a dependency"*) ;; *) fail "a dropped option: said $err" ;; esac
[ -z "$(git -C "$hist" status --porcelain)" ] || fail "the tree was changed"
[ $fails -eq 0 ] && echo ok
exit $((fails > 0))
