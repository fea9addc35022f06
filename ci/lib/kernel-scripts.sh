# Sourced by ci/kernel-run, ci/kernel-ab, ci/kmod-build and bench/layout-spread (each sets pb_script to its name
# first): what may reach apt-get, how a number from the environment is read, and how the
# scripts end. One copy, so the three cannot drift apart.
#
# Exit status: 0 and 1 are results (kernel-ab's 1 is the gate's "slower"); every usage or
# setup error is 2, including a command that fails where no check named the problem (the ERR
# trap below: set -e alone would exit with the command's status, often 1); SIGINT or SIGTERM
# to the script's pid or its process group stops its children, cleans up and exits 130 or 143.
#
# Children: each long command runs through pb_run, as an asynchronous child the script waits
# for in `wait`, which a trapped signal interrupts at once (bash defers a trap until a
# foreground child ends, and when SIGINT went to the script's pid alone, that child ran on and
# so did the script). Asynchronous children start with SIGINT ignored (POSIX, without job
# control), so a Ctrl-C to the group reaches the script, which stops its child: SIGTERM (a
# script child cleans up in its own trap), SIGKILL after pb_stop_wait seconds (qemu alone
# ends on that Ctrl-C itself; ci/kernel-run reads that as an interruption). They stay in
# the script's process group, so SIGKILL to the group leaves nothing running. A SIGINT
# ignored when the script started stays ignored (a shell cannot trap it): run it with
# `env --default-signal=INT` from a script that starts it in the background.
set -eEuo pipefail
: "${pb_script:?set pb_script before sourcing ci/lib/kernel-scripts.sh}"
# Started from a make recipe (make ARCH=aarch64 check runs the tests that run these), make's
# own variables would reach every make these scripts run: ARCH=aarch64 into the host's build
# and into Kbuild. Each make here is told what it needs.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

# The script's own stderr, kept: a trap can run while a redirection of pb_run's is in force
# (kernel-run sends qemu's stderr to a file in its work folder).
exec {pb_stderr}>&2
die() { printf '%s: %s\n' "$pb_script" "$*" >&"$pb_stderr"; exit 2; }

# A failure set -e would end the script on: exit 2, saying which command (a die in a command
# substitution has said why already, and its subshell's 2 only passes through here).
pb_on_err() { # status, line, command
	[ "$1" -eq 2 ] || printf '%s: line %s: %s failed (exit %s)\n' "$pb_script" "$2" "$3" "$1" >&"$pb_stderr"
	exit 2
}
trap 'pb_on_err $? $LINENO "$BASH_COMMAND"' ERR

pb_child="" pb_stop_wait=10
pb_stop_child() {
	local pid=$pb_child n=0
	[ -n "$pid" ] || return 0
	pb_child=""
	kill -TERM "$pid" 2>/dev/null || return 0
	while kill -0 "$pid" 2>/dev/null && [ $n -lt $((pb_stop_wait * 10)) ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
# Run a command as the script's one child and wait for it; returns its status.
pb_run() {
	local rc=0
	"$@" {pb_stderr}>&- &
	pb_child=$!
	wait "$pb_child" || rc=$?
	pb_child=""
	return $rc
}
# The script's own cleanup (its work folder) goes in pb_cleanup; it runs on every exit.
pb_cleanup() { :; }
pb_on_exit() {
	local rc=$?
	trap - ERR
	set +e
	pb_stop_child
	pb_cleanup
	exit $rc
}
pb_interrupted=0
pb_on_signal() { # name, number
	trap - ERR
	trap '' INT TERM
	pb_interrupted=1
	echo "$pb_script: interrupted (SIG$1)" >&"$pb_stderr"
	exit $((128 + $2))
}
trap pb_on_exit EXIT
trap 'pb_on_signal INT 2' INT
trap 'pb_on_signal TERM 15' TERM

# A value for the message: quoted, control characters escaped (a name must not retitle or
# clear the terminal).
pb_show() { printf '%s' "${1@Q}"; }

# A whole number from the user (option or environment) in MIN..MAX, or exit 2 naming it.
pb_uint() { # what, value, min, max
	case $2 in
	'' | *[!0-9]*) die "$1 $(pb_show "$2") is not a whole number (from $3 to $4)" ;;
	esac
	[ ${#2} -le 9 ] && [ $((10#$2)) -ge "$3" ] && [ $((10#$2)) -le "$4" ] ||
		die "$1 $2 is out of range (from $3 to $4)"
}

# Debian's rule for a package name (policy 5.6.1): lowercase letters, digits, '+', '-', '.',
# at least two characters, starting with a letter or digit. Anything else never reaches
# apt-get, which reads '..' or 'x|e' as a pattern over the whole archive.
pb_package_name() { # what, value
	[[ $2 =~ ^[a-z0-9][a-z0-9+.-]+$ ]] && [ ${#2} -le 128 ] ||
		die "$1 $(pb_show "$2") is neither a file nor a Debian package name (lowercase letters, digits, + - ., at least 2 characters, starting with a letter or digit)"
}

# A kernel release as uname -r prints Debian's (6.1.0-57-cloud-amd64, 6.12.117+deb12-cloud-amd64):
# VERSION.PATCHLEVEL then what a package name allows, at most 64 characters (uname's field),
# so that linux-headers-RELEASE is a package name.
pb_kernel_release() { # what, value
	[[ $2 =~ ^[0-9]+\.[0-9]+[a-z0-9+.-]*$ ]] && [ ${#2} -le 64 ] ||
		die "$1 $(pb_show "$2") is not a kernel release such as 6.1.0-57-cloud-amd64 (digits.digits, then lowercase letters, digits, + - .)"
}

# KERNEL as ci/kernel-run and ci/kernel-ab take it: a path that exists is an image (it must be
# a readable regular file); anything else must be a Debian package name, or one with the
# Debian release to take it from as apt writes it (linux-image-arm64/trixie): bookworm or
# trixie, the releases whose keys Debian 12's archive keyring holds.
pb_kernel_arg() { # what, value
	if [ -e "$2" ]; then
		[ -f "$2" ] || die "$1 $2 is not a regular file: give a kernel image file or a Debian package name"
		[ -r "$2" ] || die "$1 $2 is not readable"
		return 0
	fi
	if [[ $2 =~ ^[a-z0-9][a-z0-9+.-]+/[^/]*$ ]]; then
		case ${2#*/} in
		bookworm | trixie) ;;
		*) die "$1 $(pb_show "$2"): no kernel image file of that name, and $(pb_show "${2#*/}") is not a Debian release this script fetches from (bookworm, trixie)" ;;
		esac
		pb_package_name "$1" "${2%/*}"
		return 0
	fi
	case "$2" in */*) die "$1: kernel image $(pb_show "$2") not found" ;; esac
	pb_package_name "$1" "$2"
}

# --out FOLDER of a script that fills it: a new folder (made here; its path in pb_out_made, so
# the script can remove it when it ends without results) or an empty, writable one.
# --out for a script that hands its boots' results to procbench compare, which takes a side's
# runs as one comma-separated list of files: a comma in the folder's path would split it
# (found only after every boot).
pb_out_no_comma() { # folder
	local abs=$1
	case $abs in /*) ;; *) abs=$PWD/$abs ;; esac
	case $abs in *,*) die "--out $abs has a comma in its path, and procbench compare takes a side's runs as a comma-separated list: name a folder without one" ;; esac
	return 0
}
pb_out_dir() { # folder
	pb_out_made=""
	if [ -d "$1" ]; then
		[ -r "$1" ] && [ -w "$1" ] && [ -x "$1" ] || die "--out $1 is not writable"
		[ -z "$(ls -A -- "$1")" ] || die "--out $1 is not empty (an earlier run's?): name a new folder, or remove it"
	else
		[ ! -e "$1" ] && [ ! -L "$1" ] || die "--out $1 exists and is not a folder"
		mkdir -p -- "$1" 2>/dev/null || die "cannot create the --out folder $1"
		pb_out_made=$1
	fi
}

# The boot whose results are NEW ran the same guest as REF's, in the keys named
# (ci/kernel-run's guest_procbench_sha256, guest_initramfs_sha256): a procbench rebuilt between
# boots (a commit or an edit in the tree: the binary carries its commit id) changes the
# initramfs and so the guest's memory layout, and its medians with it.
pb_same_guest() { # what, REF r.json, NEW r.json, keys...
	local err
	err=$(/usr/bin/python3 - "$@" 2>/dev/null <<'PY'
import json, sys
what, ref, new = sys.argv[1:4]
a, b = (json.load(open(f))["context"] for f in (ref, new))
for k in sys.argv[4:]:
    if not a.get(k) or a.get(k) != b.get(k):
        name = k.replace("guest_", "").replace("_sha256", "")
        print("%s ran another guest %s than %s (procbench %s, there %s): the tree changed while the boots ran "
              "(a commit or an edit rebuilds procbench, and a changed initramfs moves the guest's memory layout), "
              "so they are not comparable; run again on a tree that stays still" % (
                  what, name, ref, b.get("git_commit", "?"), a.get("git_commit", "?")))
        break
PY
) || die "$1: cannot read its results ($3) or those of $2"
	[ -z "$err" ] || die "$err"
}

# A percentage as procbench compare takes it (in (0, 100)), checked before anything costs a
# build or a boot (kernel-ab, kernel-bisect).
pb_threshold() { # value
	[[ $1 =~ ^([0-9]{1,2}(\.[0-9]*)?|\.[0-9]+)$ && $1 =~ [1-9] ]] ||
		die "--threshold $(pb_show "$1") is not a percentage in (0, 100)"
}

# Whether DIR is the top of a kernel source tree (kernel-build, kernel-ab --tree,
# kernel-bisect): a top Makefile with VERSION, Kconfig and kernel/. Each caller says why not.
pb_is_kernel_tree() { # dir
	[ -f "$1/Makefile" ] && [ -f "$1/Kconfig" ] && [ -d "$1/kernel" ] && grep -q '^VERSION = [0-9]' "$1/Makefile"
}

# procbench options for a run inside a guest (kernel-run, kernel-ab, kernel-bisect): those that
# would leave no results file to bring back are refused before any build or boot: another
# output (-o/--out: the guest's is /out/r.json), another format (-F/--format other than json),
# a listing or help instead of a run, or a subcommand that does not measure.
# procbench (getopt_long) takes a long option by any unambiguous prefix (--form csv): the
# checks match prefixes too.
pb_long_is() { # arg, option name: the arg names it (--NAME, a prefix of it, with or without =)
	local n=${1#--}
	n=${n%%=*}
	[[ $1 == --?* && $2 == "$n"* ]]
}
pb_guest_opts() { # options...
	local a prev="" why="the results file inside the guest is the script's (/out/r.json, brought back over the console)"
	# The scripts' own options after KERNEL would cost a boot before procbench refused them.
	for a in "$@"; do
		case ${a%%=*} in
		--layout | --layouts | --same-layout | --append | --append-a | --append-b | --mode | --arch | --boots | --tree | --kconfig | --initramfs-only | --threshold)
			die "$(pb_show "$a") after KERNEL is not a procbench option: the script's options go before KERNEL" ;;
		esac
	done
	case ${1:-} in compare | report | validate | perf-stat | history | model | perf-stat-merge) die "procbench $1 does not measure: give options of a run (or sweep)" ;; esac
	for a in "$@"; do
		if [ "$prev" = -F ] || { pb_long_is "$prev" format && [[ $prev != *=* ]]; }; then
			[ "$a" = json ] || die "procbench option $prev $(pb_show "$a"): $why, JSON"
			prev=""
			continue
		fi
		case $a in
		-o | -o?*) die "procbench option $(pb_show "$a"): $why" ;;
		-F?*) [ "$a" = -Fjson ] || die "procbench option $(pb_show "$a"): $why, JSON" ;;
		-l | -h) die "procbench option $a lists or explains instead of running: nothing to bring back" ;;
		esac
		if pb_long_is "$a" out; then die "procbench option $(pb_show "$a"): $why"; fi
		if pb_long_is "$a" format && [[ $a == *=* ]] && [ "${a#*=}" != json ]; then die "procbench option $(pb_show "$a"): $why, JSON"; fi
		if pb_long_is "$a" list || pb_long_is "$a" help; then die "procbench option $(pb_show "$a") lists or explains instead of running: nothing to bring back"; fi
		prev=$a
	done
	if [ "$prev" = -F ] || { pb_long_is "$prev" format && [[ $prev != *=* ]]; }; then die "procbench option $prev needs a value (json)"; fi
}
