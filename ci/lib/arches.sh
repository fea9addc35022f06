# Sourced by the kernel scripts (after ci/lib/kernel-scripts.sh): the one table of what differs
# between the architectures a guest can be booted for, and the private apt state that fetches
# Debian packages of any of them without touching the host's dpkg or apt configuration.
#
# pb_arch_set ARCH (x86_64, aarch64 or riscv64) sets:
#   pb_arch         the name procbench's build uses (make ARCH=, build/<arch>/)
#   pb_debarch      Debian's name (amd64, arm64, riscv64)
#   pb_triplet      the GNU triplet (cross compiler prefix, multiarch library folder)
#   pb_karch        the kernel's name (make ARCH= for Kbuild)
#   pb_suite        the Debian release its guest userland and default kernels come from:
#                   bookworm, but trixie for riscv64 (Debian 12 has no riscv64 port)
#   pb_kernel_default  the kernel package a run takes when none is named
#   pb_qemu, pb_qemu_pkg  the system emulator and the Debian package that has it
#   pb_machine      qemu's machine options: arm64's device tree gets no random kaslr-seed
#                   or rng-seed (dtb-randomness=off), so two boots see the same tree
#   pb_cpu          the CPU model under tcg and icount
#   pb_icount_cpu   extra CPU options under icount: x86_64 drops RDRAND/RDSEED (the kernel's
#                   pool is then seeded from the deterministic clock); arm64's generic timer
#                   runs at 1 GHz, so cntvct_el0 (procbench's counter there) ticks once per
#                   instruction, like the x86 TSC under icount (qemu's default 62.5 MHz
#                   ticks once per 16). riscv64's time CSR ticks at the virt machine's fixed
#                   10 MHz timebase (once per 100 instructions): nothing can change it.
#   pb_console      the serial console's device name (console=)
#   pb_firmware     extra qemu options for firmware (riscv64: OpenSBI, -bios default)
#   pb_cross        the cross compiler (empty when the host is this arch)
#   pb_kvm_ok       1 when --mode kvm can work (the host is this arch)
#   pb_image_hint   what a kernel image for this arch is called (for errors)
#   pb_kimage       the image ci/kernel-build makes (a Kbuild target, found in arch/KARCH/boot/)
# Every arch, under icount: -seed 1 (all guest-visible randomness qemu makes, e.g. arm64's
# RNDR, from a fixed seed) and the RTC at a fixed date counting in guest time.
pb_arches="x86_64 aarch64 riscv64"
pb_arch_set() { # arch
	pb_arch=$1 pb_cross="" pb_firmware=() pb_icount_cpu=""
	case $1 in
	x86_64)
		pb_debarch=amd64 pb_triplet=x86_64-linux-gnu pb_karch=x86 pb_suite=bookworm
		pb_kernel_default=linux-image-cloud-amd64
		pb_qemu=qemu-system-x86_64 pb_qemu_pkg=qemu-system-x86
		pb_machine=pc pb_cpu=max pb_icount_cpu=",-rdrand,-rdseed" pb_console=ttyS0
		pb_image_hint="a bzImage (vmlinuz)" pb_kimage=bzImage
		;;
	aarch64)
		pb_debarch=arm64 pb_triplet=aarch64-linux-gnu pb_karch=arm64 pb_suite=bookworm
		pb_kernel_default=linux-image-cloud-arm64
		pb_qemu=qemu-system-aarch64 pb_qemu_pkg=qemu-system-arm
		pb_machine=virt,dtb-randomness=off pb_cpu=max pb_icount_cpu=",cntfrq=1000000000"
		pb_console=ttyAMA0 pb_image_hint="an arm64 Image (vmlinuz, gzip or not)" pb_kimage=Image
		;;
	riscv64)
		pb_debarch=riscv64 pb_triplet=riscv64-linux-gnu pb_karch=riscv pb_suite=trixie
		pb_kernel_default=linux-image-riscv64
		pb_qemu=qemu-system-riscv64 pb_qemu_pkg=qemu-system-misc
		pb_machine=virt pb_cpu=rv64 pb_console=ttyS0 pb_firmware=(-bios default)
		pb_image_hint="a riscv64 Image (vmlinuz)" pb_kimage=Image
		;;
	'') die "--arch needs one of $pb_arches" ;;
	*) die "unknown --arch $(pb_show "$1"): one of $pb_arches" ;;
	esac
	pb_kvm_ok=0
	if [ "$1" = "$(uname -m)" ]; then pb_kvm_ok=1; else pb_cross=$pb_triplet-gcc; fi
}

# The host's own arch, when it is one of the table's.
pb_host_arch() {
	local m
	m=$(uname -m)
	case " $pb_arches " in *" $m "*) echo "$m" ;; *) die "this host is $m: give --arch (one of $pb_arches)" ;; esac
}

# A private apt state for one Debian arch and release, under build/apt/DEBARCH-SUITE/: its own
# configuration (APT_CONFIG), sources, package lists, an empty dpkg status and a cache. apt-get
# with it downloads packages of that arch and release; nothing is installed, and the host's
# dpkg and apt configuration are only read (the archive keyring). The lists are refreshed when
# missing or a day old (PB_APT_REFRESH=1: now). Mirrors: PB_DEBIAN_MIRROR (default
# http://deb.debian.org/debian) and PB_DEBIAN_SECURITY (http://deb.debian.org/debian-security).
# Sets pb_apt_dir; pb_apt runs apt-get with that state.
pb_apt_state() { # debarch, suite
	local d=$here/build/apt/$1-$2 mirror sec keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	mirror=${PB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
	sec=${PB_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
	[[ $mirror =~ ^(https?|file):/[^[:space:]\"]*$ ]] || die "PB_DEBIAN_MIRROR $(pb_show "$mirror") is not an http(s):// or file:/ address"
	[[ $sec =~ ^(https?|file):/[^[:space:]\"]*$ ]] || die "PB_DEBIAN_SECURITY $(pb_show "$sec") is not an http(s):// or file:/ address"
	[ -r "$keyring" ] || die "$keyring not found: apt-get install debian-archive-keyring"
	pb_apt_dir=$d
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/etc/parts" "$d/etc/preferences" \
		"$d/etc/conf.d" || die "cannot create $d"
	[ -e "$d/status" ] || : >"$d/status"
	cat >"$d/apt.conf.new" <<-CONF
		APT::Architecture "$1";
		APT::Architectures { "$1"; };
		Dir::State "$d";
		Dir::State::Lists "$d/lists";
		Dir::State::status "$d/status";
		Dir::Cache "$d/cache";
		Dir::Etc::SourceList "$d/sources.list";
		Dir::Etc::SourceParts "$d/etc/parts";
		Dir::Etc::Preferences "$d/etc/preferences.conf";
		Dir::Etc::PreferencesParts "$d/etc/preferences";
		Dir::Etc::Parts "$d/etc/conf.d";
		Dir::Etc::Main "$d/etc/apt.conf";
		Acquire::Languages "none";
		Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";
		APT::Sandbox::User "root";
	CONF
	{
		echo "deb [signed-by=$keyring] $mirror $2 main"
		echo "deb [signed-by=$keyring] $mirror $2-updates main"
		echo "deb [signed-by=$keyring] $sec $2-security main"
	} >"$d/sources.list.new"
	mv -f "$d/apt.conf.new" "$d/apt.conf"
	mv -f "$d/sources.list.new" "$d/sources.list"
	# Fetched lists are kept a day, for the sources they came from (a changed mirror refetches);
	# any list that cannot be fetched is an error (apt-get alone only warns, and exits 0).
	if [ "${PB_APT_REFRESH:-0}" = 1 ] || ! cmp -s "$d/sources.list" "$d/updated" ||
		[ -n "$(find "$d/updated" -mmin +1440 2>/dev/null)" ]; then
		# One fetch at a time per state: the lock is held for the update only (a script and
		# the scripts it starts use one state in turn, never holding it while another waits).
		local lock
		exec {lock}>"$d.lock"
		flock "$lock"
		rm -f "$d/updated"
		echo "$pb_script: fetching Debian's $2 package lists for $1 (a private apt state in ${d#"$here"/})" >&2
		pb_run env APT_CONFIG="$d/apt.conf" apt-get -q -o Debug::NoLocking=1 --error-on=any update >"$d/update.log" 2>&1 ||
			die "cannot fetch Debian's $2 package lists for $1: $({ grep -m1 -E '^(E|Err|W):' "$d/update.log" || tail -1 "$d/update.log"; } | tr -d '\r')"
		cp "$d/sources.list" "$d/updated"
		exec {lock}>&-
	fi
}
pb_apt() { APT_CONFIG="$pb_apt_dir/apt.conf" apt-get -q -o Debug::NoLocking=1 "$@"; }
pb_apt_cache() { APT_CONFIG="$pb_apt_dir/apt.conf" apt-cache "$@"; }

# Whether NAME is a package of the current apt state, exactly: apt-cache and apt-get read a name
# with a '.' in it as a pattern when no package has that name (linux-image-6.1 would match 161
# packages, 36 GB), so only an exact "Package: NAME" passes.
pb_apt_has() { # name
	local out
	out=$(pb_apt_cache show --no-all-versions "$1" 2>/dev/null || true)
	[[ $'\n'$out$'\n' == *$'\nPackage: '"$1"$'\n'* ]]
}

# Download packages (names already checked) into FOLDER with the current apt state; exit 2
# naming what could not be fetched.
pb_apt_download() { # folder, package...
	local dest=$1 rc=0 back=$PWD
	shift
	# pb_run's child, not a subshell's: a signal must find the download to stop.
	cd "$dest"
	pb_run env APT_CONFIG="$pb_apt_dir/apt.conf" apt-get -q -o Debug::NoLocking=1 download "$@" >"$dest/download.log" 2>&1 || rc=$?
	cd "$back"
	[ $rc -eq 0 ] || die "cannot download $* for $(basename "$pb_apt_dir"): $(grep -m1 -E '^E:' "$dest/download.log" || tail -1 "$dest/download.log")"
}

# The arch of a kernel image (used by ci/kernel-run and ci/kernel-ab; the caller's $work is a
# scratch folder, $kernel_arg the name given, for messages), from its header (image_arch; empty when unknown): x86's boot
# header ("HdrS" at 0x202), arm64's and riscv64's Image header (magic "ARM\x64" or "RSC\x05"
# at 0x38), looked at inside a gzip file or an EFI zboot image (qemu 7.2 boots neither a zboot
# image nor, for riscv64, a gzip one: such an image is unpacked into the work folder first,
# and kernel then names the raw Image).
bytes_at() { # file, offset, count: hex, empty past the end
	od -An -tx1 -j"$2" -N"$3" "$1" 2>/dev/null | tr -d ' \n' || true
}
pb_image_arch() { # file
	local f=$1
	image_arch=""
	if [ "$(bytes_at "$f" 0 2)" = 1f8b ]; then
		unpack_image gzip "$f"
		f=$kernel
	elif [ "$(bytes_at "$f" 4 4)" = 7a696d67 ]; then # "zimg"
		unpack_zboot "$f"
		f=$kernel
	fi
	[ "$(bytes_at "$f" 514 4)" = 48647253 ] && image_arch=x86_64 # "HdrS"
	case $(bytes_at "$f" 56 4) in
	41524d64) image_arch=aarch64 ;;
	52534305) image_arch=riscv64 ;;
	esac
	return 0
}
# Unpacked to at most 512 MiB (a kernel Image is tens of MiB): a compressed file that grows
# past that is refused, never left to fill the disk.
unpack_image() { # gzip|zstd|xz, file
	mkdir -p "$work/image"
	local raw=$work/image/Image cap=$((512 << 20)) tool
	case $1 in
	gzip) tool=(gzip -dc) ;;
	zstd) command -v zstd >/dev/null || die "KERNEL $kernel_arg is zstd-compressed: apt-get install zstd"
		tool=(zstd -qdc) ;;
	xz) tool=(xz -dc) ;;
	*) die "KERNEL $kernel_arg: an EFI zboot image compressed with $(pb_show "$1"), which this script cannot unpack" ;;
	esac
	"${tool[0]}" -t <"$2" >/dev/null 2>&1 || die "KERNEL $kernel_arg: its $1 data is damaged"
	"${tool[@]}" <"$2" 2>/dev/null | head -c $((cap + 1)) >"$raw" || true
	[ "$(stat -c %s "$raw")" -le $cap ] || die "KERNEL $kernel_arg unpacks to more than 512 MiB: not a kernel image"
	kernel=$raw
}
# EFI zboot (arm64, riscv64): "zimg" at 4, the payload's offset and size at 8 and 12 (little
# endian), the compression's name at 24.
unpack_zboot() { # file
	local off size comp len
	len=$(stat -L -c %s "$1")
	off=$(od -An -tu4 --endian=little -j8 -N4 "$1" 2>/dev/null | tr -d ' \n' || true)
	size=$(od -An -tu4 --endian=little -j12 -N4 "$1" 2>/dev/null | tr -d ' \n' || true)
	comp=$(od -An -c -j24 -N8 "$1" 2>/dev/null | tr -d ' \n' | sed 's/\\0//g' || true)
	[[ $off =~ ^[0-9]+$ && $size =~ ^[0-9]+$ ]] && [ "$off" -ge 32 ] && [ "$size" -gt 0 ] &&
		[ $((off + size)) -le "$len" ] && [[ $comp =~ ^[a-z0-9]{1,8}$ ]] ||
		die "KERNEL $kernel_arg: its EFI zboot header is damaged (payload offset $(pb_show "$off"), size $(pb_show "$size"), file $len bytes)"
	mkdir -p "$work/image"
	tail -c +"$((off + 1))" "$1" | head -c "$size" >"$work/image/payload"
	unpack_image "$comp" "$work/image/payload"
}

# An image file's arch against the guest's (image_arch from pb_image_arch), or exit 2 saying
# which it is: ci/kernel-run and ci/kernel-ab refuse it alike, before a boot.
pb_image_check() { # what (KERNEL, KERNEL_A, ...), file
	pb_image_arch "$2"
	[ -n "$image_arch" ] || die "$1 $kernel_arg is not a kernel image of $pb_arches (no boot header found): give $pb_image_hint or a Debian package name"
	[ "$image_arch" = "$pb_arch" ] || die "$1 $kernel_arg is an $image_arch kernel, not $pb_arch: give --arch $image_arch, or $pb_image_hint"
}
