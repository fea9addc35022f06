#!/usr/bin/env bash
# ci/kernel-run, ci/kernel-ab, ci/kmod-build and bench/layout-spread refuse a bad kernel, package name, release, number or output folder with one line and exit 2 before apt-get or qemu runs (exit 1 is kernel-ab's "slower"); kernel-bisect's judge never decides a step from fewer boots than --boots.
# lane: guest
set -u
. tests/kernel_setup.sh
# apt-get and qemu stand-ins that only record being called: nothing here may reach them.
mkdir "$tmp/bin"
for t in apt-get qemu-system-x86_64; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/called"\nexit 100\n' "$t" "$tmp" >"$tmp/bin/$t"
	chmod +x "$tmp/bin/$t"
done
export PATH="$tmp/bin:$PATH"
# A stand-in x86 kernel image: only its boot header's magic ("HdrS" at 0x202).
head -c 1024 /dev/zero >"$tmp/file"
printf 'HdrS' | dd of="$tmp/file" bs=1 seek=514 conv=notrunc 2>/dev/null
touch "$tmp/empty"
mkdir "$tmp/full"
touch "$tmp/full/x"
fails=0
# what must appear, then the command
refused() {
	local want=$1 out rc
	shift
	out=$(timeout 60 "$@" 2>&1)
	rc=$?
	if [ $rc -ne 2 ] || [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] || ! printf '%s' "$out" | grep -q -- "$want"; then
		echo "FAIL: $* (exit $rc, wanted 2 and one line with '$want'): $out"
		fails=$((fails + 1))
	fi
	if [ -e "$tmp/called" ]; then
		echo "FAIL: $* reached $(cat "$tmp/called")"
		rm -f "$tmp/called"
		fails=$((fails + 1))
	fi
}
# Fault 14: names that are not Debian package names never reach apt-get as patterns.
refused "is not a regular file" ci/kernel-run --mode icount ..
refused "neither a file nor a Debian package name" ci/kernel-run --mode icount 'x|e'
refused "neither a file nor a Debian package name" ci/kernel-run 'Linux-Image'
refused "neither a file nor a Debian package name" ci/kernel-run 'a'
refused "neither a file nor a Debian package name" ci/kernel-run '-x'
refused "not found" ci/kernel-run "$tmp/no/such/vmlinuz"
refused "is not a kernel tree" ci/kmod-build ..
refused "is not a kernel release" ci/kmod-build 'x|e'
refused "is not a kernel release" ci/kmod-build 'bzImage'
refused "is not a kernel release" ci/kmod-build '6.1 x'
refused "is not a kernel release" ci/kmod-build ''
refused "KERNEL_B '..'\|KERNEL_B .. is not" ci/kernel-ab "$k" ..
refused "KERNEL_A 'x|e'" ci/kernel-ab 'x|e' "$k"
# procbench options that would leave no results file to bring back: refused before a boot.
refused "results file inside the guest.*JSON" ci/kernel-run "$tmp/file" --quick --format csv
refused "results file inside the guest" ci/kernel-run "$tmp/file" -o /tmp/x.json
refused "lists or explains" ci/kernel-run "$tmp/file" --list
refused "does not measure" ci/kernel-run "$tmp/file" compare a b
refused "results file inside the guest" ci/kernel-ab "$tmp/file" "$tmp/file" -- --out=x.json
refused "needs a value" ci/kernel-ab "$tmp/file" "$tmp/file" -- --format
# --tree: checked before anything is built.
refused "not a kernel source tree" ci/kernel-ab --tree "$tmp/full" A B
refused "needs --tree" ci/kernel-run --kconfig "$tmp/empty" "$tmp/file"
# A control character in a refused name is shown escaped, never raw.
out=$(ci/kmod-build $'6.1\e]0;pwned\a' 2>&1)
case $out in *$'\e'* | *$'\a'*) echo "FAIL: a control character reached the terminal raw: $(printf '%q' "$out")"; fails=$((fails + 1)) ;; esac
# Fault 15: usage and setup errors are exit 2, never 1.
refused "exists and is not a folder" ci/kernel-ab "$k" "$k" --out "$tmp/file"
refused "is not empty" ci/kernel-ab "$k" "$k" --out "$tmp/full"
refused "cannot create the --out folder" ci/kernel-ab "$k" "$k" --out "$tmp/file/sub"
refused "--boots 'x'" ci/kernel-ab "$k" "$k" --boots x
refused "--layout 64 is out of range (from 0 to 63)" ci/kernel-run --layout 64 "$tmp/file"
refused "--layout '-1' is not a whole number" ci/kernel-run --layout -1 "$tmp/file"
refused "--layout needs a number" ci/kernel-run --layout
refused "--layouts 1 is out of range (from 2 to 64)" bench/layout-spread --layouts 1 "$tmp/file"
refused "--layouts 'x' is not a whole number" bench/layout-spread --layouts x "$tmp/file"
refused "no KERNEL" bench/layout-spread --out "$tmp/ls"
refused "unknown option '--bogus'" bench/layout-spread --bogus "$tmp/file"
refused "is not empty" bench/layout-spread --out "$tmp/full" "$tmp/file"
refused "exists and is not a folder" bench/layout-spread --out "$tmp/file" "$tmp/file"
refused "cannot create the --out folder" bench/layout-spread --out "$tmp/file/sub" "$tmp/file"
refused "--out needs a folder" bench/layout-spread --out '' "$tmp/file"
refused "--out needs a folder" ci/kernel-ab --out '' "$k" "$k"
refused "KERNEL 'x|e'" bench/layout-spread --out "$tmp/ls" 'x|e'
refused "kernel image '\./nofile' not found\|kernel image ./nofile not found" bench/layout-spread --out "$tmp/ls" ./nofile
refused "results file inside the guest" bench/layout-spread --out "$tmp/ls" "$tmp/file" -o foo
refused "'--layouts' after KERNEL is not a procbench option" bench/layout-spread --out "$tmp/ls" "$tmp/file" --layouts 3
refused "'--layout' after KERNEL is not a procbench option" ci/kernel-run "$tmp/file" --layout 3
refused "'--same-layout' after KERNEL" ci/kernel-ab "$k" "$k" -- --same-layout
refused "--initramfs-only writes the main archive alone" ci/kernel-run --initramfs-only "$tmp/i.img" --layout 2 "$tmp/file"
[ ! -e "$tmp/ls" ] || { echo "FAIL: bench/layout-spread left $tmp/ls after refusing"; fails=$((fails + 1)); }
# Boots of another guest (procbench rebuilt between them: it carries its commit id, and a changed
# initramfs moves the guest's memory layout) are refused in one line (kernel-ab, layout-spread).
printf '{"context": {"git_commit": "aaa", "guest_procbench_sha256": "11", "guest_initramfs_sha256": "22"}}' >"$tmp/r1.json"
printf '{"context": {"git_commit": "bbb-dirty", "guest_procbench_sha256": "12", "guest_initramfs_sha256": "22"}}' >"$tmp/r2.json"
same_guest=(env pb_script=ci/kernel-ab bash -c '. ci/lib/kernel-scripts.sh; pb_same_guest "$@"' _)
refused "boot 2 of kernel A ran another guest procbench than .*(procbench bbb-dirty, there aaa).*not comparable" \
	"${same_guest[@]}" "boot 2 of kernel A" "$tmp/r1.json" "$tmp/r2.json" guest_procbench_sha256
refused "cannot read its results" "${same_guest[@]}" "boot 2 of kernel A" "$tmp/r1.json" "$tmp/none.json" guest_procbench_sha256
out=$("${same_guest[@]}" "boot 2" "$tmp/r1.json" "$tmp/r2.json" guest_initramfs_sha256 2>&1) ||
	{ echo "FAIL: pb_same_guest refused the same initramfs: $out"; fails=$((fails + 1)); }
# Paths are the caller's: a relative KERNEL and --out from another folder.
mkdir "$tmp/cwd"
out=$(cd "$tmp/cwd" && timeout 60 "$OLDPWD/bench/layout-spread" --out rel ../file -o x 2>&1)
[ ! -e "$tmp/cwd/rel" ] && [ ! -e rel ] && printf '%s' "$out" | grep -q "results file inside the guest" ||
	{ echo "FAIL: bench/layout-spread from another folder: $out"; fails=$((fails + 1)); }
refused "--threshold '0'" ci/kernel-ab "$k" "$k" --threshold 0
refused "--threshold '5%'" ci/kernel-ab "$k" "$k" --threshold 5%
refused "gives each boot its own" ci/kernel-ab "$k" "$k" -- --run-id 0123456789abcdef
refused "procbench options go after --" ci/kernel-ab "$k" "$k" --bogus
refused "exists and is not a folder" env PB_KERNEL_OUT="$tmp/file" ci/kernel-run "$tmp/file"
# Fault 16: every numeric knob is checked, once, before a boot.
refused "PB_KERNEL_TIMEOUT 'abc' is not a whole number" env PB_KERNEL_TIMEOUT=abc ci/kernel-run "$tmp/file"
refused "PB_KERNEL_TIMEOUT 0 is out of range" env PB_KERNEL_TIMEOUT=0 ci/kernel-run "$tmp/file"
refused "PB_QEMU_MEM '1G'" env PB_QEMU_MEM=1G ci/kernel-run "$tmp/file"
refused "PB_GUEST_BASELINE '5; reboot'" env PB_GUEST_BASELINE='5; reboot' ci/kernel-run "$tmp/file"
refused "PB_KMOD 'no'" env PB_KMOD=no ci/kernel-run "$tmp/file"
refused "unknown mode 'bogus'" env PB_QEMU_ACCEL=bogus ci/kernel-run "$tmp/file"
# Architectures: one the table lacks, an image of another arch than --arch, kvm for a foreign
# arch, a file that is no kernel image.
refused "unknown --arch 'sparc64'" ci/kernel-run --arch sparc64 "$tmp/file"
refused "unknown --arch 'arm'" ci/kernel-ab "$k" "$k" --arch arm
refused "unknown --arch 'mips'" ci/kmod-build --arch mips 6.1.0-57-cloud-amd64
refused "unknown --arch 'x'" ci/sysroot x
refused "--arch needs one of" ci/kernel-run --arch '' "$tmp/file"
refused "--arch needs one of" ci/kernel-ab --arch '' "$k" "$k"
refused "--arch needs one of" ci/kmod-build --arch '' 6.1.0-57-cloud-amd64
refused "an empty KERNEL" ci/kernel-ab '' "$k" "$k"
# The foreign arches' refusals need their emulator and cross compiler (ci/install-deps test).
if command -v qemu-system-aarch64 >/dev/null && command -v qemu-system-riscv64 >/dev/null &&
	command -v aarch64-linux-gnu-gcc >/dev/null && command -v riscv64-linux-gnu-gcc >/dev/null; then
	refused "is an x86_64 kernel, not aarch64: give --arch x86_64" ci/kernel-run --arch aarch64 "$tmp/file"
	refused "is an x86_64 kernel, not riscv64" ci/kernel-run --arch riscv64 "$tmp/file"
	refused "--mode kvm boots only the host's arch" ci/kernel-run --arch aarch64 --mode kvm "$tmp/file"
	refused "KERNEL_A .* is an x86_64 kernel, not aarch64" ci/kernel-ab --arch aarch64 "$tmp/file" "$tmp/file" --out "$tmp/ab-out"
	refused "--mode kvm boots only the host's arch" ci/kernel-ab --arch riscv64 --mode kvm "$tmp/file" "$tmp/file" --out "$tmp/ab-out"
	[ ! -e "$tmp/ab-out" ] || { echo "FAIL: a refused kernel-ab made its --out folder"; fails=$((fails + 1)); }
else
	echo "note: qemu-system-aarch64/riscv64 or a cross compiler missing: the foreign-arch refusals not checked"
fi
refused "is not a kernel image of" ci/kernel-run "$tmp/empty"
refused "is not a kernel image of" ci/kernel-run "$tmp/full/x"
# Damaged compressed images: one line each, nothing unpacked past a cap.
printf 'not gzip at all' | gzip -c | head -c 12 >"$tmp/trunc.gz"
refused "its gzip data is damaged" ci/kernel-run "$tmp/trunc.gz"
printf 'MZ\0\0zimg' >"$tmp/zboot-short"
refused "its EFI zboot header is damaged" ci/kernel-run "$tmp/zboot-short"
{ printf 'MZ\0\0zimg'; printf '\377\377\377\177\001\0\0\0'; head -c 40 /dev/zero; } >"$tmp/zboot-far"
refused "its EFI zboot header is damaged" ci/kernel-run "$tmp/zboot-far"
# --initramfs-only needs a file it can write, checked before anything is built.
refused "--initramfs-only needs a file to write" ci/kernel-run --initramfs-only '' "$tmp/file"
refused "is a folder: name a file" ci/kernel-run --initramfs-only "$tmp/full" "$tmp/file"
refused "its folder is missing or not writable" ci/kernel-run --initramfs-only "$tmp/no/such/x.gz" "$tmp/file"
refused "'sid' is not a Debian release this script fetches from" ci/kernel-run linux-image-arm64/sid
refused "'Trixie' is not a Debian release" ci/kernel-run linux-image-arm64/Trixie
refused "kernel image 'Linux/trixie' not found" ci/kernel-run Linux/trixie
# compare takes a side's runs as a comma-separated list: a comma in --out is refused before a
# build or a boot (kernel-ab, kernel-bisect), and the folder is not made.
refused "has a comma in its path" ci/kernel-ab "$k" "$k" --out "$tmp/a,b"
git -C "$tmp" init -q kt && git -C "$tmp/kt" -c user.name=t -c user.email=t@t commit -q --allow-empty -m c0 &&
	git -C "$tmp/kt" -c user.name=t -c user.email=t@t commit -q --allow-empty -m c1
refused "has a comma in its path" ci/kernel-bisect --tree "$tmp/kt" --build-cmd true --out "$tmp/c,d" HEAD~1 HEAD
(cd "$tmp" && refused "has a comma in its path" "$OLDPWD/ci/kernel-ab" "$k" "$k" --out "e,f/g")
[ ! -e "$tmp/a,b" ] && [ ! -e "$tmp/c,d" ] && [ ! -e "$tmp/e,f" ] || { echo "FAIL: a refused --out with a comma was made"; fails=$((fails + 1)); }

# kernel-bisect's judge (ci/lib/bisect-judge.py) on compare JSON written here: with --boots N a
# benchmark that ran in fewer than N boots of a side is never decided, whatever its interval.
judge() { # name, want (verdict and a part of the detail), boots, set file's content, then base and new run medians and the interval
	local name=$1 want=$2 boots=$3 set=$4 got
	printf '%s' "$set" >"$tmp/judge.set"
	/usr/bin/python3 - "$tmp/judge.json" "$5" "$6" "$7" "$8" <<'PY'
import json, sys
path, base, new, lo, hi = sys.argv[1:]
b = {"name": "fork", "ratio": (float(lo) + float(hi)) / 2, "ratio_ci_lo": float(lo), "ratio_ci_hi": float(hi),
     "base_run_medians_ns": [float(x) for x in base.split()], "new_run_medians_ns": [float(x) for x in new.split()]}
json.dump({"benchmarks": [b]}, open(path, "w"))
PY
	got=$(/usr/bin/python3 ci/lib/bisect-judge.py "$tmp/judge.json" "$tmp/judge.set" 1 0 "$boots" | tr '\t' ' ')
	case $got in "$want"*) ;; *) echo "FAIL: judge $name: got '$got', wanted '$want...'"; fails=$((fails + 1)) ;; esac
}
judge "2 of 2 boots, beyond" "bad fork 1.0" 2 $'fork\n' "100 100" "103 103" 1.025 1.035
judge "2 of 2 boots, within" "good fork 1.0" 2 $'fork\n' "100 100" "100 100" 0.995 1.005
judge "2 and 1 of 2 boots, beyond" "unclear fork in 2 and 1 of 2 boots" 2 $'fork\n' "100 100" "103" 1.025 1.035
judge "1 and 2 of 3 boots, within" "unclear fork in 1 and 2 of 3 boots" 3 $'fork\n' "100" "100 100" 0.995 1.005
judge "one boot a side, beyond" "bad fork" 1 $'fork\n' "100" "103" 1.025 1.035
judge "GOOD -> BAD with a boot missing: nothing judged" "none" 2 "" "100 100" "103" 1.025 1.035
judge "GOOD -> BAD, 2 of 2: fork judged" "bad fork" 2 "" "100 100" "103 103" 1.025 1.035
[ "$(cat "$tmp/judge.set")" = fork ] || { echo "FAIL: judge: GOOD -> BAD did not name fork as judged"; fails=$((fails + 1)); }
[ $fails -eq 0 ] || exit 1
echo "bad kernels, names, releases, numbers and output folders: one line, exit 2, apt-get and qemu never called"
