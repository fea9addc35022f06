#!/usr/bin/env bash
# procbench.1 documents exactly the options --help lists (procbench's, compare's, history's, model's), the docs
# (README.md, docs/) mention every one and use no other in a procbench command line, and
# `make install` puts a working procbench (run, report, the man page) under DESTDIR/PREFIX.
set -u
if [ -n "${SAN:-}" ] || [ "$ARCH" != "$(uname -m)" ]; then
	echo "skip: checked once, in the plain native build"
	exit 77
fi
fails=0
/usr/bin/python3 - "$B/procbench" <<'PY' || fails=$((fails + 1))
import re, subprocess, sys
pb = sys.argv[1]
def help_opts(*args):
    out = subprocess.run([pb, *args, "--help"], capture_output=True, text=True).stdout
    return {m.group(1) for m in re.finditer(r"^\s{2,}(?:-\w, )?(--[a-z][a-z-]*)", out, re.M)}
roff = open("procbench.1").read()
def man_opts(text):
    opts = set()
    for tag in re.findall(r"^\.TP\n(.*)$", text, re.M):
        m = re.search(r"\\-\\-([a-z][a-z\\-]*)", tag)
        if m:
            opts.add("--" + m.group(1).replace("\\-", "-"))
    return opts
main = roff[roff.index(".SH OPTIONS"):roff.index(".SH SUBCOMMANDS")]
cmp = roff[roff.index(".BI \"compare \""):]
cmp = cmp[cmp.index(".RS"):cmp.index(".RE")]
hist = roff[roff.index(".BI \"history \""):]
hist = hist[hist.index(".RS"):hist.index(".RE")]
mod = roff[roff.index(".BI \"model \""):]
mod = mod[mod.index(".RS"):mod.index(".RE")]
bad = 0
for what, h, m in (("procbench", help_opts(), man_opts(main)), ("compare", help_opts("compare"), man_opts(cmp)),
                   ("history", help_opts("history"), man_opts(hist)), ("model", help_opts("model"), man_opts(mod))):
    if h != m:
        print(f"{what}: only in --help: {sorted(h - m)}; only in the man page: {sorted(m - h)}")
        bad += 1
    else:
        print(f"{what}: {len(h)} options in both")
# The docs (README.md and docs/*.md) in step too: every option --help lists is documented
# there, and every option a procbench command line in them uses is one --help lists.
import glob
docs = {f: open(f).read() for f in ["README.md"] + sorted(glob.glob("docs/*.md"))}
alltext = "\n".join(docs.values())
for what, h in (("procbench", help_opts()), ("compare", help_opts("compare")), ("history", help_opts("history")),
                ("model", help_opts("model"))):
    missing = sorted(o for o in h if not re.search(re.escape(o) + r"(?![a-z-])", alltext))
    if missing:
        print(f"{what}: options --help lists that README.md and docs/ never mention: {missing}")
        bad += 1
known = {None: help_opts(), "sweep": help_opts(), "compare": help_opts("compare"), "history": help_opts("history"),
         "model": help_opts("model")}
for f, text in docs.items():
    for line in text.splitlines():
        m = re.match(r"^\s{4,}(?:\$ )?(?:build/[a-z0-9_]+/)?procbench(?: (sweep|compare|report|validate|perf-stat|history|model))?(\s.*)?$", line)
        if not m or m.group(1) not in known:
            continue
        for o in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", (m.group(2) or "").split("#")[0]):
            if o not in known[m.group(1)]:
                print(f"{f}: '{line.strip()}' uses {o}, which procbench {m.group(1) or ''} --help does not list")
                bad += 1
print("docs: every option documented, every documented command line's options real")
sys.exit(bad)
PY
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s install DESTDIR="$tmp/root" PREFIX=/usr >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
pb="$tmp/root/usr/bin/procbench"
[ -s "$tmp/root/usr/share/man/man1/procbench.1" ] || { echo "man page not installed"; fails=$((fails + 1)); }
(cd "$tmp" && "$pb" --quick --time-budget 0.05 --filter '^vfork$' --no-counters --out r.json >/dev/null 2>&1) ||
	{ echo "installed procbench cannot run"; fails=$((fails + 1)); }
(cd "$tmp" && "$pb" report --out rep r.json >/dev/null 2>err) && [ -s "$tmp/rep/index.html" ] ||
	{ echo "installed procbench report: $(cat "$tmp/err")"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
