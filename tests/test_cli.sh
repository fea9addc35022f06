#!/usr/bin/env bash
# Bad command-line input exits 2 with exactly one line naming the problem, and runs nothing.
# scope: controller
set -u
pb="$B/procbench"
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_error() { # pattern, args...
	local pat=$1 out rc lines
	shift
	out=$(cd "$tmp" && "$OLDPWD/$pb" "$@" 2>&1 >/dev/null)
	rc=$?
	out=$(printf '%s\n' "$out" | grep -v '^procbench: warning:')
	lines=$(printf '%s\n' "$out" | grep -c .)
	if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || ! printf '%s' "$out" | grep -q -- "$pat"; then
		echo "procbench $*: rc=$rc, $lines lines: $out (wanted one line matching '$pat')"
		fails=$((fails + 1))
	fi
}

expect_error "unknown option '--bogus'" --bogus
expect_error "unknown option" -Z
expect_error "needs a value" --time-budget
expect_error "--time-budget 'abc'" --time-budget abc
expect_error "--time-budget '-1'" --time-budget -1
expect_error "--format 'xml'" --format xml
expect_error "not a valid regular expression" --filter '('
expect_error "matches no benchmark" --filter 'no-such-benchmark'
expect_error "--cpu 'x'" --cpu x
expect_error "not one of this process's allowed CPUs" --cpu 4095 --filter '^null$'
expect_error "--chain '0'" --chain 0
expect_error "--ci-target" --ci-target 0
expect_error "unexpected argument 'fork'" fork
expect_error "contradict" --no-pin --cpu 0
expect_error "--rss '-1' is not a size" --rss -1
expect_error "--rss '12Q' is not a size" --rss 0,12Q
expect_error "--rss needs at least one value" --rss ,
expect_error "--jobs '0' is not a count in 1..64" --jobs 0
expect_error "--jobs '65'" --jobs 65
expect_error "--pin 'bogus' is not one of none, same-cpu" --pin bogus
expect_error "--pin 'x'" --pin same-cpu,x
expect_error "--touch 'maybe' is not yes, no or both" --touch=maybe
expect_error "--thp 'sometimes'" --thp sometimes
expect_error "--vmas '0'" --vmas 0
expect_error "--threads 'many'" --threads many
expect_error "--fds '-3'" --fds -3
expect_error "--mem-node 'x'" --mem-node x
expect_error "needs more descriptors than ulimit -n" --fds 100000 --filter '^null$'
expect_error "needs --rss of at least 64 pages" --rss 64K --vmas 64 --filter '^null$'
expect_error "--jobs 64 needs 64 allowed CPUs" --jobs 64 --filter '^null$'
expect_error "too costly to compile" --filter "x$(printf '+%.0s' $(seq 50))"
expect_error "--time-base 'cycles' is not wall or instructions" --time-base cycles
expect_error "unknown option '-x'" -xq
expect_error "unknown option '-x'" -qx
expect_error "option '-t' needs a value" -qt
expect_error "--rss '1M,,2M' has an empty value" --rss 1M,,2M
expect_error "--jobs '1,' has an empty value" --jobs 1,
expect_error "more than the .* GiB available here" --rss 4T --touch --filter '^fork$'
expect_error "more than the .* GiB available here" --rss 1T,1T --touch=both --filter '^fork$'
nodes=$(ls -d /sys/devices/system/node/node* 2>/dev/null | wc -l)
if [ "$nodes" -le 7 ]; then
	expect_error "--mem-node 7: this machine's NUMA nodes are 0..$((nodes - 1))" --mem-node 7 --rss 1M --filter '^null$'
fi

# Values are taken whole: trailing junk, blanks, signs, overflow and empty values are errors.
expect_error "--rss '21i' is not a size" --rss 21i
expect_error "--rss '1iK' is not a size" --rss 1iK
expect_error "--rss '99999999999999999999' is not a size" --rss 99999999999999999999
expect_error "--count ' 5'" --count ' 5'
expect_error "--count '+5'" --count +5
expect_error "--count ''" --count ''
expect_error "--cpu '18446744073709551617'" --cpu 18446744073709551617
expect_error "--threads '5x'" --threads 5x
expect_error "--time-budget ' 1'" --time-budget ' 1'
expect_error "--time-budget '0x1p0'" --time-budget 0x1p0
expect_error "--time-budget 'inf'" --time-budget inf
expect_error "--threshold ' 5' is not a percentage" compare --threshold ' 5' a b
expect_error "--alpha '0.05x' is not in" compare --alpha 0.05x a b
# The results format is decided in one place: a --format that disagrees with the --out
# name, a file with console, or --samples where none can be kept is an error, not a choice.
expect_error "--format json and --out 'x.csv' (a .csv name) disagree" --format json --out x.csv
expect_error "--format csv and --out 'x.json' (a .json name) disagree" --format csv --out x.json
expect_error "--format tap and --out 'x.json'" --format tap --out x.json
expect_error "--format console prints the table and writes no file" --format console --out f.json
expect_error "--samples keeps raw samples beside a JSON results file, and --format console" --format console --samples
expect_error "--samples keeps raw samples .* --format csv" --samples --out x.csv
expect_error "--samples keeps raw samples .* --out - is standard output" --samples --out -
# An exec target the user names must be able to run: an error now, not every exec method
# skipped after the run.
expect_error "--exec-target '' is empty" --exec-target ''
expect_error "--exec-target '/tmp' is a folder" --exec-target /tmp
expect_error "--exec-target '/etc/passwd' is not executable" --exec-target /etc/passwd
expect_error "--exec-target '/nonexistent/t' does not exist" --exec-target /nonexistent/t
expect_error "--exec-target '/dev/null' is not a regular file" --exec-target /dev/null
other=$(mktemp -d)
printf '#!/bin/sh\nexit 0\n' >"$other/script"
chmod +x "$other/script"
expect_error "--exec-target '$other/script' is not an ELF program" --exec-target "$other/script"
rm -rf "$other"

[ -z "$(ls -A "$tmp")" ] || { echo "a failed invocation left files: $(ls -A "$tmp")"; fails=$((fails + 1)); }

"$pb" --help | grep -q -- '--filter' || { echo "--help lacks --filter"; fails=$((fails + 1)); }
"$pb" --help | grep -q '%%' && { echo "--help prints a doubled %"; fails=$((fails + 1)); }
"$pb" compare --help | grep -q '%%' && { echo "compare --help prints a doubled %"; fails=$((fails + 1)); }
# compare's counts: a value past 32 bits used to wrap to a valid count.
out=$("$pb" compare --bootstrap 4294967396 a b 2>&1)
[ $? -eq 2 ] && echo "$out" | grep -q "bootstrap '4294967396' is not a count in 100..100000" ||
	{ echo "compare --bootstrap 4294967396: $out"; fails=$((fails + 1)); }
out=$("$pb" compare --bootstrap -500 a b 2>&1)
[ $? -eq 2 ] || { echo "compare --bootstrap -500 accepted"; fails=$((fails + 1)); }
"$pb" --version | grep -q '^procbench ' || { echo "--version"; fails=$((fails + 1)); }
for m in fork fork-raw vfork clone clone-vm-vfork clone3 clone3-settls posix_spawn \
	execve-fork execve-vfork execve-chain; do
	"$pb" --list | grep -q "^$m " || { echo "--list lacks $m"; fails=$((fails + 1)); }
done
[ $fails -eq 0 ]
