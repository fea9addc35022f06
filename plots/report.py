#!/usr/bin/python3
"""procbench report: charts (PNG and SVG, by gnuplot) and an index.html with the numbers.

usage: procbench report [--out DIR] FILE...

FILE is a procbench results file (JSON, with its raw samples beside it for the CDF) or a
comparison written by `procbench compare --out CMP.json`. The charts present depend on the data:
summary and phases (always), latency CDF (raw samples), sweep (points differing in --rss),
scaling (points differing in --jobs), comparison (compare files). Default DIR:
plots/out/<first file's name>. The .gp scripts beside this file draw; this file only writes
their data files and the page.
"""
import html
import json
import math
import os
import signal
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
# A closed pipe (procbench report --help | head) ends us quietly, as it would a C tool.
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
MAX_CDF_POINTS = 1500


def fail(msg):
    print(f"procbench report: {msg}", file=sys.stderr)
    sys.exit(2)


def procbench_bin():
    exe = os.environ.get("PROCBENCH_BIN")
    if exe and os.access(exe, os.X_OK):
        return exe
    exe = os.path.join(HERE, "..", "build", os.uname().machine, "procbench")
    if os.access(exe, os.X_OK):
        return exe
    fail("cannot find the procbench binary to check the inputs; run make, or run this as "
         "`procbench report`")


def load(path):
    """Check the file with procbench's own reader (the one compare uses), then load it."""
    r = subprocess.run([procbench_bin(), "validate", "--quiet", path],
                       capture_output=True, text=True, errors="replace")
    if r.returncode != 0:
        msg = (r.stderr.strip().splitlines() or ["procbench validate failed"])[-1]
        fail(msg[len("procbench: "):] if msg.startswith("procbench: ") else msg)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read {path} ({e})")
    if not isinstance(doc, dict):
        fail(f"{path} is neither a procbench results file nor a comparison")
    return ("compare" if "regressed" in doc and "context" not in doc else "results"), doc


def samples_of(path, doc):
    """Round-trip samples (ns) per benchmark index, or {} when the file has none."""
    name = doc["context"].get("samples_file")
    if not name:
        return {}
    # (procbench validate has checked it is a plain name beside the file and pairs with it.)
    full = os.path.join(os.path.dirname(path), name)
    out = {}
    try:
        with open(full, encoding="ascii") as f:
            for line in f:
                if line.startswith("#") or line.startswith("bench\t"):
                    continue
                fields = line.split("\t")
                out.setdefault(int(fields[0]), []).append(float(fields[1]))
    except (OSError, ValueError, IndexError) as e:
        fail(f"cannot use the raw samples {full} ({e})")
    return out


def us(v):
    return "?" if v is None else "%.3f" % (v / 1000)


class Staged:
    """Every output is written under a temporary name, then renamed into place at the end:
    a failed report (ENOSPC, a gnuplot error) leaves the previous one as it was."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.pending = []  # (tmp, final)

    def path(self, name):
        final = os.path.join(self.out_dir, name)
        tmp = os.path.join(self.out_dir, f".{name}.tmp.{os.getpid()}")
        self.pending.append((tmp, final))
        return tmp

    def commit(self):
        for tmp, final in self.pending:
            if os.path.exists(tmp):
                os.replace(tmp, final)
        self.pending = []

    def discard(self):
        for tmp, _ in self.pending:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.pending = []


def gnuplot(script, stage, stem, **vars_):
    for term in ("png", "svg"):
        # Values travel as arguments and become gnuplot strings or numbers, never code.
        keys, vals = ["s:outfile", "s:term"], [stage.path(stem + "." + term), term]
        for k, v in vars_.items():
            keys.append(("s:" if isinstance(v, str) else "n:") + k)
            vals.append(str(v))
        assert len(vals) <= 8, "gnuplot -c passes at most 9 arguments"
        r = subprocess.run(["gnuplot", "-c", os.path.join(HERE, script), " ".join(keys)] + vals,
                           capture_output=True, text=True, errors="replace")
        if r.returncode != 0:
            fail(f"gnuplot failed on {script}: {r.stderr.strip().splitlines()[-1:]}")


def subtitle_of(ctx):
    env = ctx.get("environment", {})
    if ctx.get("time_base") == "instructions":
        # Instruction time: the counter's "GHz" is an artefact of qemu icount, not a clock.
        return "kernel %s (%s), time base: guest instructions under qemu icount (1 ns = 1 instruction), %s" % (
            ctx.get("kernel_release", "?"), ctx.get("arch", "?"), ctx.get("date", "?"))
    return "kernel %s on %s (%s, %s), %s at %.3f GHz, %s" % (
        ctx.get("kernel_release", "?"), ctx.get("host_name", "?"), ctx.get("arch", "?"),
        env.get("cpu_model", "?"), ctx.get("counter", {}).get("source", "?"),
        ctx.get("counter", {}).get("hz", 0) / 1e9, ctx.get("date", "?"))


def label(b):
    s = b["name"]
    if b.get("ops_per_sample", 1) > 1:
        s += " (per exec)" if "exec" in b["name"] else " (per creation)"
    return s


def write_blocks(path, blocks):
    with open(path, "w", encoding="utf-8") as f:
        for rows in blocks:
            f.write("\n".join(" ".join(str(x) for x in r) for r in rows) + "\n\n\n")


def results_charts(path, doc, stage, charts, tables):
    ctx, benches = doc["context"], doc["benchmarks"]
    sub = subtitle_of(ctx)
    stem = os.path.splitext(os.path.basename(path))[0]
    ok = [b for b in benches if b.get("status") == "ok"]

    dat = stage.path(f"{stem}.summary.dat")
    with open(dat, "w", encoding="utf-8") as f:
        f.write("# index name median ci_lo ci_hi p99 parent child (microseconds)\n")
        for i, b in enumerate(benches):
            ph = b.get("phases", {})
            rt = ph.get("round_trip", {})
            lab = label(b) + ("" if b.get("status") == "ok" else " (%s)" % b.get("status"))
            f.write(" ".join([str(i), '"%s"' % lab.replace('"', ""), us(rt.get("p50")),
                              us(rt.get("ci_lo")), us(rt.get("ci_hi")), us(rt.get("p99")),
                              us(ph.get("parent_return", {}).get("p50")),
                              us(ph.get("child_running", {}).get("p50"))]) + "\n")
    if ok:
        gnuplot("summary.gp", stage, f"{stem}.summary", datafile=dat, subtitle=sub)
        charts.append((f"{stem}.summary", "Median round trip per benchmark, 95% CI whiskers, p99 and the earlier phases"))
        gnuplot("phases.gp", stage, f"{stem}.phases", datafile=dat, subtitle=sub)
        charts.append((f"{stem}.phases", "Phases of one creation (medians)"))

    samples = samples_of(path, doc)
    if samples:
        blocks, titles = [], []
        for i, b in enumerate(benches):
            xs = sorted(samples.get(i, []))
            if len(xs) < 2:
                continue
            step = max(1, len(xs) // MAX_CDF_POINTS)
            pts = [(xs[k] / 1000, (k + 1) / len(xs)) for k in range(0, len(xs), step)]
            pts.append((xs[-1] / 1000, 1.0))
            blocks.append(pts)
            titles.append(b["name"])
        if blocks:
            dat = stage.path(f"{stem}.cdf.dat")
            write_blocks(dat, blocks)
            gnuplot("cdf.gp", stage, f"{stem}.cdf", datafile=dat, titles=" ".join(titles),
                    nblocks=len(blocks), subtitle=sub)
            charts.append((f"{stem}.cdf", "Round-trip latency distribution (CDF, log x)"))

    # Sweep: series of points that differ only in RSS.
    series = {}
    for b in ok:
        p = b.get("params", {})
        if not p.get("rss_bytes"):
            continue
        rest = b["name"].split("/")
        rest = "/".join(x for x in rest[1:] if not x.startswith("rss:") and x != "touch")
        key = "%s%s:%s" % (b["method"], "/" + rest if rest else "", "touched" if p.get("touch") else "untouched")
        rt = b["phases"]["round_trip"]
        series.setdefault(key, []).append((p["rss_bytes"] / 2**20, rt["p50"] / 1000,
                                           rt.get("ci_lo", rt["p50"]) / 1000, rt.get("ci_hi", rt["p50"]) / 1000))
    series = {k: sorted(v) for k, v in series.items() if len(v) >= 2}
    if series:
        dat = stage.path(f"{stem}.sweep.dat")
        keys = sorted(series, key=lambda k: (k.endswith(":untouched"), k))
        write_blocks(dat, [series[k] for k in keys])
        gnuplot("sweep.gp", stage, f"{stem}.sweep", datafile=dat, titles=" ".join(keys),
                nblocks=len(keys), ntouched=sum(not k.endswith(":untouched") for k in keys),
                subtitle=sub)
        charts.append((f"{stem}.sweep", "Creation cost against parent memory (log-log, CI bands)"))

    scal = {}
    for b in ok:
        p = b.get("params", {})
        rest = "/".join(x for x in b["name"].split("/")[1:] if not x.startswith("jobs:"))
        key = b["method"] + ("/" + rest if rest else "")
        scal.setdefault(key, []).append((p.get("jobs", 1), round(b.get("creations_per_s", 0))))
    scal = {k: sorted(v) for k, v in scal.items() if len({j for j, _ in v}) >= 2}
    if scal:
        dat = stage.path(f"{stem}.scaling.dat")
        keys = sorted(scal)
        write_blocks(dat, [scal[k] for k in keys])
        gnuplot("scaling.gp", stage, f"{stem}.scaling", datafile=dat, titles=" ".join(keys),
                nblocks=len(keys), subtitle=sub)
        charts.append((f"{stem}.scaling", "Creations per second against parallel creators"))

    rows = []
    for b in benches:
        if b.get("status") != "ok":
            rows.append([b["name"], b.get("status"), "", "", "", "", "", "", "", b.get("skip_reason") or b.get("error_message", "")])
            continue
        ph = b["phases"]
        rt = ph["round_trip"]
        ci = "[%.2f, %.2f]" % (rt["ci_lo"] / 1000, rt["ci_hi"] / 1000) if "ci_lo" in rt else ""
        rows.append([b["name"], "ok", b["iterations"], "%.2f" % (rt["p50"] / 1000), ci, "%.2f" % (rt["p99"] / 1000),
                     "%.2f" % (ph["parent_return"]["p50"] / 1000) if "parent_return" in ph else "-",
                     "%.2f" % (ph["child_running"]["p50"] / 1000) if "child_running" in ph else "-",
                     "%.2f" % (b["cpu_time"] / 1000),
                     ("per exec" if "exec" in b["name"] else "per creation") if b.get("ops_per_sample", 1) > 1 else ""])
    crows = []
    for b in ok:
        c = b.get("counters")
        if not c:
            continue
        row = [b["name"]]
        for k in ("task-clock", "page-faults", "context-switches", "cpu-migrations", "cycles:k", "instructions:k"):
            m = c.get(k, {})
            row.append("%.2f" % m["per_creation"] if m.get("available") else "n/a")
        ps = b.get("perf_stat", {}).get("events", {})
        row.append(", ".join("%s %.3g" % (k, v["per_creation"]) for k, v in ps.items() if v.get("available")) or "")
        crows.append(row)
    if crows:
        why = sorted({m.get("reason") for b in ok for m in b.get("counters", {}).values()
                      if isinstance(m, dict) and m.get("available") is False})
        tables.append(("Counters per creation (perf_event_open, inherited by children)" +
                       (" - unavailable: " + "; ".join(why) if why else ""),
                       ["benchmark", "task-clock ns", "page-faults", "ctx switches", "migrations",
                        "cycles:k", "instructions:k", "perf stat (timed batches only)"], crows))
    tables.append(("Results: " + os.path.basename(path) + " (" + sub + ")",
                   ["benchmark", "status", "n", "median us", "95% CI us", "p99 us", "parent us", "child us", "cpu us", "note"],
                   rows))


def compare_charts(path, doc, stage, charts, tables):
    stem = os.path.splitext(os.path.basename(path))[0]
    rows = doc["benchmarks"]
    thr = doc.get("threshold", 0.02)
    sub = "%s -> %s, threshold %g%%, alpha %g, time base: %s" % (
        doc.get("base"), doc.get("new"), thr * 100, doc.get("alpha", 0.05),
        "guest instructions (qemu icount)" if doc.get("time_base") == "instructions" else "wall time")
    # A ratio compare could not compute is null: it is listed, not drawn.
    drawn = [r for r in rows if None not in (r["ratio"], r["ratio_ci_lo"], r["ratio_ci_hi"])]
    if drawn:
        dat = stage.path(f"{stem}.compare.dat")
        colour = {"slower": 0xC03030, "faster": 0x30A050}
        with open(dat, "w", encoding="utf-8") as f:
            for i, r in enumerate(drawn):
                f.write('%d "%s" %g %g %g %d\n' % (i, r["name"].replace('"', ""), r["ratio"], r["ratio_ci_lo"],
                                                   r["ratio_ci_hi"], colour.get(r["verdict"], 0x4878A8)))
        lo = min([r["ratio_ci_lo"] for r in drawn] + [1 - thr])
        hi = max([r["ratio_ci_hi"] for r in drawn] + [1 + thr])
        gnuplot("compare.gp", stage, f"{stem}.compare", datafile=dat, threshold=thr, nrows=len(drawn),
                ymin=lo / 1.1, ymax=hi * 1.1, subtitle=sub)
        charts.append((f"{stem}.compare", "NEW / BASE per benchmark with 95% CI"))

    def num(v, fmt, scale=1):
        return "?" if v is None else fmt % (v / scale)

    tables.append(("Comparison: " + sub,
                   ["benchmark", "base us", "new us", "new/base", "95% CI", "p (Holm)", "verdict"],
                   [[r["name"], num(r["base_median_ns"], "%.2f", 1000), num(r["new_median_ns"], "%.2f", 1000),
                     num(r["ratio"], "%.4f"), "[%s, %s]" % (num(r["ratio_ci_lo"], "%.4f"), num(r["ratio_ci_hi"], "%.4f")),
                     num(r["p_holm"], "%.2g"), r["verdict"]] for r in rows]))


def page(stage, charts, tables):
    h = ["<!doctype html><html><head><meta charset='utf-8'><title>procbench report</title>",
         "<style>body{font-family:sans-serif;max-width:1300px;margin:auto}table{border-collapse:collapse;margin:1em 0}"
         "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
         "img{max-width:100%}</style></head><body><h1>procbench report</h1>"]
    for stem, title in charts:
        url = html.escape(urllib.parse.quote(stem), quote=True)
        h.append(f"<h2>{html.escape(title)}</h2><a href='{url}.svg'><img src='{url}.png' alt='{html.escape(title)}'></a>")
    for title, head, rows in tables:
        h.append(f"<h2>{html.escape(title)}</h2><table><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr>")
        for r in rows:
            h.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>")
        h.append("</table>")
    h.append("</body></html>")
    with open(stage.path("index.html"), "w", encoding="utf-8") as f:
        f.write("\n".join(h))


def main(argv):
    out_dir = None
    files = []
    it = iter(argv)
    for a in it:
        if a == "--out":
            out_dir = next(it, None) or fail("--out needs a folder")
        elif a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        elif a.startswith("-"):
            fail(f"unknown option '{a}' (see procbench report --help)")
        else:
            files.append(a)
    if not files:
        fail("needs at least one results or comparison file (see procbench report --help)")
    docs = [(f, *load(f)) for f in files]
    if not out_dir:
        out_dir = os.path.join(HERE, "out", os.path.splitext(os.path.basename(files[0]))[0])
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        fail(f"cannot make the folder {out_dir} ({e.strerror}); pick another --out")
    charts, tables = [], []
    stage = Staged(out_dir)
    path = files[0]
    try:
        for path, kind, doc in docs:
            (results_charts if kind == "results" else compare_charts)(path, doc, stage, charts, tables)
        page(stage, charts, tables)
        stage.commit()
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, ZeroDivisionError) as e:
        stage.discard()
        fail(f"{path}: malformed results ({type(e).__name__}: {e}); the file was changed or damaged")
    except OSError as e:
        stage.discard()
        fail(f"cannot write the report in {out_dir} ({e.strerror or e}); the previous report is kept")
    finally:
        stage.discard()
    print(os.path.join(out_dir, "index.html"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
