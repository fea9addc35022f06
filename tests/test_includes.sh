#!/usr/bin/env bash
# The layer rules of harness/README.md, from the sources' own #include lines: arch/ includes
# nothing above it; bench/ and creator/ only the protocol, methods and arch/; protocol/ only
# arch/; analysis/ no controller, reporter or creator; report/ of the controller only its
# record (controller/record.h). tests/test_layers.sh checks the linked programs with nm.
set -u
[ "$ARCH" = "$(uname -m)" ] && [ -z "${SAN:-}" ] || { echo "skip: checked once, in the plain native build"; exit 77; }
fails=0
# folder, then an extended regex that no quoted #include in it may match
forbid() {
	local dir=$1 pat=$2 hits
	hits=$(grep -Hn '^#include "' "$dir"/*.[ch] "$dir"/*/*.[ch] 2>/dev/null | grep -E "$pat")
	if [ -n "$hits" ]; then
		echo "$dir breaks a layer rule:"
		echo "$hits" | sed 's/^/  /'
		fails=$((fails + 1))
	fi
}
forbid arch '"\.\./(\.\./)?(bench|harness)/|"\.\./\.\./(bench|harness)/|"(\.\./)+bench/|"(\.\./)+harness/'
forbid bench '"\.\./harness/(controller|analysis|report|creator)/'
forbid harness/creator '"\.\./(controller|analysis|report)/'
forbid harness/protocol '"\.\./(controller|analysis|report|creator)/|"\.\./\.\./bench/'
forbid harness/analysis '"\.\./(controller|report|creator)/'
forbid harness/report '"\.\./creator/|"\.\./controller/[^r]|"\.\./controller/r[^e]'
# The one controller header a reporter may read is its record.
grep -h '^#include "\.\./controller/' harness/report/*.[ch] | grep -v '"\.\./controller/record\.h"' &&
	{ echo "a reporter includes a controller header other than record.h"; fails=$((fails + 1)); }
echo "include rules checked over $(ls arch/*.[ch] arch/*/*.[ch] bench/*.[ch] harness/*/*.[ch] 2>/dev/null | wc -l) files"
[ $fails -eq 0 ]
