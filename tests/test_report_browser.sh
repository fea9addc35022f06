#!/usr/bin/env bash
# The report page in a real browser (headless Chromium): every image it references loads,
# every link of its table of contents lands on a heading, and nothing is wider than the window
# (long headings wrap, wide tables scroll in their own box).
set -u
if [ -n "${SAN:-}" ] || [ "$ARCH" != "$(uname -m)" ]; then
	echo "skip: checked once, in the plain native build"
	exit 77
fi
command -v chromium >/dev/null || { echo "skip: chromium not installed (ci/install-deps test installs it)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pb="$B/procbench"
"$pb" --quick --time-budget 0.1 --min-time 0.05 --no-counters --rss 0,1M \
	--filter '^(fork|vfork|execve-fork|thread-pthread|null)$' --out "$tmp/run.json" >/dev/null 2>"$tmp/err" ||
	{ cat "$tmp/err"; exit 1; }
"$pb" --count 10 --no-counters --filter '^(fork|vfork|null)$' --out "$tmp/base.json" >/dev/null 2>&1 ||
	{ echo "base run failed"; exit 1; }
"$pb" compare "$tmp/base.json" "$tmp/run.json" --out "$tmp/cmp.json" >/dev/null 2>&1
[ -s "$tmp/cmp.json" ] || { echo "compare wrote no comparison"; exit 1; }
"$pb" report --out "$tmp/rep" "$tmp/run.json" "$tmp/cmp.json" >/dev/null || exit 1
# A copy of the page, beside it so relative paths resolve, that reports what the browser saw.
probe='<script>addEventListener("load", () => {
  const imgs = [...document.images];
  const ids = new Set([...document.querySelectorAll("[id]")].map(e => e.id));
  const toc = [...document.querySelectorAll("nav a")];
  document.body.setAttribute("data-check", JSON.stringify({
    images: imgs.length,
    broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute("src")),
    toc: toc.length,
    dead: toc.filter(a => !ids.has(a.getAttribute("href").slice(1))).map(a => a.textContent),
    overflow: document.documentElement.scrollWidth - innerWidth }));
});</script>'
/usr/bin/python3 - "$tmp/rep/index.html" "$tmp/rep/_check.html" "$probe" <<'PY' || exit 1
import sys
page = open(sys.argv[1]).read()
assert page.count("</body>") == 1, "index.html has no single </body>"
open(sys.argv[2], "w").write(page.replace("</body>", sys.argv[3] + "</body>"))
PY
dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --window-size=1024,800 \
	--virtual-time-budget=10000 --dump-dom "file://$tmp/rep/_check.html" 2>"$tmp/chromium.err")
check=$(echo "$dom" | grep -o 'data-check="[^"]*"' | sed 's/^data-check="//; s/"$//; s/&quot;/"/g')
[ -n "$check" ] || { echo "chromium reported nothing; its stderr:"; tail -5 "$tmp/chromium.err"; exit 1; }
/usr/bin/python3 - "$check" "$tmp/rep/index.html" <<'PY'
import json, re, sys
c = json.loads(sys.argv[1])
page = open(sys.argv[2]).read()
want = len(re.findall(r"<img ", page))
bad = []
if c["images"] != want or want < 4:
    bad.append(f"the browser saw {c['images']} images, the page has {want} (a results file and a comparison draw at least 4)")
if c["broken"]:
    bad.append(f"images that did not load: {c['broken']}")
if c["toc"] < want or c["dead"]:
    bad.append(f"table of contents: {c['toc']} links, dead: {c['dead']}")
if c["overflow"] > 0:
    bad.append(f"the page is {c['overflow']} px wider than a 1024 px window")
for b in bad:
    print(b)
print(f"chromium: {c['images']} images loaded, {c['toc']} contents links, no overflow" if not bad else "")
sys.exit(1 if bad else 0)
PY
