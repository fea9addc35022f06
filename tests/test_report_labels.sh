#!/usr/bin/env bash
# procbench report: a benchmark name or a context string with spaces, quotes, backslashes, control characters or UTF-8 reaches each chart label, legend and page cell as itself (control characters escaped), never shifting another's label or running as code.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v gnuplot >/dev/null || { echo "skip: gnuplot not installed (apt-get install gnuplot-nox)"; exit 77; }
cd "$tmp" || exit 1
"$pb" --quick --time-budget 0.1 --min-time 0.02 --no-counters --filter '^(fork|fork-raw|vfork|clone|clone3)$' \
	--out run.json >/dev/null 2>err || { cat err; exit 1; }
# Five names in one CDF panel, each hostile in its own way; hostile context strings too.
/usr/bin/python3 - <<'PY' || exit 1
import json
d = json.load(open("run.json"))
names = ["my fork point", 'say "hi", it\'s \\back\\', "tab\there\nnew line", "ünï ✓ 😀 ☃", "#5 ?%s $(touch pwned) `id` ; --"]
ok = [b for b in d["benchmarks"] if b["status"] == "ok"]
assert len(ok) == 5, [b["name"] for b in ok]
for b, n in zip(ok, names):
    b["name"] = b["run_name"] = n
d["context"]["host_name"] = 'host "x" <b>bold</b> & \x1b]0;retitled\x07 \x1b[2J'
d["context"]["kernel_release"] = "6.1 'quoted' \\ back\nline"
d["context"]["environment"]["cpu_model"] = "cpu\twith tab ✓"
json.dump(d, open("run.json", "w"))
PY
"$pb" report --out rep run.json >out 2>err || { echo "report failed: $(cat err)"; exit 1; }
[ ! -e pwned ] || { echo "a name ran as code"; exit 1; }
/usr/bin/python3 - <<'PY'
import re, sys, xml.etree.ElementTree as E
# How the report shows a string: control characters escaped, the rest as it is.
def shown(s):
    return "".join({"\n": "\\n", "\t": "\\t"}.get(c) or ("\\x%02x" % ord(c) if ord(c) < 32 else c) for c in s)
names = ["my fork point", 'say "hi", it\'s \\back\\', "tab\there\nnew line", "ünï ✓ 😀 ☃", "#5 ?%s $(touch pwned) `id` ; --"]
want = [shown(n) for n in names]
bad = []
def texts(svg):
    try:
        return ["".join(t.itertext()) for t in E.parse(svg).getroot().iter() if t.tag.endswith("text")]
    except (OSError, E.ParseError) as e:
        bad.append(f"{svg}: {e}")
        return []
# The CDF's legend: one label per series, in order, each its own benchmark's name.
legend = [t for t in texts("rep/run.cdf.svg") if t in want]
if legend != want:
    bad.append(f"CDF legend labels {legend}, want {want}")
# Summary and phases: each name an x tic label, in order.
for chart in ("summary", "phases"):
    tics = [t for t in texts(f"rep/run.{chart}.svg") if t in want]
    if tics != want:
        bad.append(f"{chart} tic labels {tics}, want {want}")
sub = [t for t in texts("rep/run.summary.svg") if "host" in t]
if not any(shown('host "x" <b>bold</b> & \x1b]0;retitled\x07 \x1b[2J') in t for t in sub):
    bad.append(f"summary subtitle does not show the host name: {sub}")
for f in ("rep/index.html", "rep/run.cdf.svg", "rep/run.summary.svg"):
    raw = open(f, "rb").read()
    ctl = sorted({c for c in raw if c < 32 and c not in (9, 10, 13)})
    if ctl:
        bad.append(f"{f} holds raw control bytes {ctl}")
page = open("rep/index.html", encoding="utf-8").read()
for n in want:
    esc = n.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")
    if f"<td>{esc}</td>" not in page:
        bad.append(f"the page has no cell {esc!r}")
if "&lt;b&gt;bold&lt;/b&gt; &amp; \\x1b]0;retitled\\x07 \\x1b[2J" not in page or "<b>bold" in page:
    bad.append("the host name is not escaped in the page")
if "6.1 &#x27;quoted&#x27; \\ back\\nline" not in page or "cpu\\twith tab ✓" not in page:
    bad.append("kernel_release or cpu_model not shown as themselves")
print("\n".join(bad) or "every label is its own benchmark's name")
sys.exit(1 if bad else 0)
PY
