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
MAX_PANEL_SERIES = 6
# Families of methods, each a panel (or several) of the CDF chart, by name prefix.
FAMILIES = [("process creation", ("fork", "vfork", "clone")),
            ("exec", ("posix_spawn", "execve")),
            ("pidfd", ("pidfd",)),
            ("threads", ("thread",)),
            ("io_uring", ("uring",)),
            ("kernel threads (in the kernel, by the procbench-kthread module)", ("kthread",)),
            ("measurement floor (null: no creation)", ("null",))]
# A point's parameters at their defaults: left out of series names.
PARAM_DEFAULTS = {"thp": "default", "threads": 0, "fds": 0, "fds_cloexec": False,
                  "mem_node": -1, "pin": "same-cpu", "jobs": 1}


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


def family_of(method):
    for name, prefixes in FAMILIES:
        if method.startswith(prefixes):
            return name
    return "other"


def point_key(b, drop):
    """The method and the parameters that differ from the defaults, but those in drop."""
    p = b.get("params", {})
    parts = [b["method"]]
    for k, default in PARAM_DEFAULTS.items():
        if k not in drop and p.get(k, default) != default:
            parts.append(k if p[k] is True else "%s:%s" % (k, p[k]))
    if "rss_bytes" not in drop and p.get("rss_bytes"):
        parts.append("rss:%dK" % (p["rss_bytes"] // 1024) + ("/touch" if p.get("touch") else ""))
        if p.get("vmas", 0) > 1:
            parts.append("vmas:%d" % p["vmas"])
    return "/".join(parts)


def cdf_chart(stem, benches, samples, stage, sub, charts):
    """CDFs as small multiples: a panel per family, at most six series a panel."""
    series = {}
    for i, b in enumerate(benches):
        xs = sorted(samples.get(i, []))
        if len(xs) < 2:
            continue
        step = max(1, len(xs) // MAX_CDF_POINTS)
        pts = [(xs[k] / 1000, (k + 1) / len(xs)) for k in range(0, len(xs), step)]
        pts.append((xs[-1] / 1000, 1.0))
        series.setdefault(family_of(b["method"]), []).append((b["name"], pts))
    blocks, titles, counts, panels = [], [], [], []
    for fam in [f for f, _ in FAMILIES] + ["other"]:
        members = series.get(fam, [])
        parts = math.ceil(len(members) / MAX_PANEL_SERIES)
        for k in range(parts):
            chunk = members[k * MAX_PANEL_SERIES:(k + 1) * MAX_PANEL_SERIES]
            # One word to gnuplot's word(): in double quotes.
            panels.append('"%s%s"' % (fam, " (%d of %d)" % (k + 1, parts) if parts > 1 else ""))
            counts.append(str(len(chunk)))
            for name, pts in chunk:
                titles.append(name)
                blocks.append(pts)
    if not blocks:
        return
    dat = stage.path(f"{stem}.cdf.dat")
    write_blocks(dat, blocks)
    gnuplot("cdf.gp", stage, f"{stem}.cdf", datafile=dat, titles=" ".join(titles),
            counts=" ".join(counts), panels=" ".join(panels), subtitle=sub)
    charts.append((f"{stem}.cdf", "Round-trip latency distribution (CDF, log x), by family"))


def trace_charts(stem, ctx, ok, stage, sub, charts, tables):
    """--trace: a timeline per traced benchmark and one table of every phase."""
    t = ctx.get("trace")
    if not t:
        return
    if t.get("status") != "on":
        tables.append(("Kernel phases (--trace): skipped: " + t.get("reason", "?"), ["benchmark"], []))
        return
    rows = []
    for n, b in enumerate(ok):
        kt = b.get("kernel_trace", {})
        if kt.get("status") != "ok":
            rows.append([b["name"], "not traced: " + kt.get("reason", "?")] + [""] * 6)
            continue
        phases = [p for p in kt.get("phases", []) if "summary" in p and "starts_at_ns" in p]
        checks = ("%d stamp checks passed" % kt["stamp_checks_passed"] if "stamp_checks_passed" in kt
                  else kt.get("stamp_checks", ""))
        rows.append([b["name"], "%d traced, %d matched, %s, %d events lost; traced round trip %.2f us = %.2fx untraced"
                     % (kt.get("traced_samples", 0), kt.get("matched", 0), checks, kt.get("events_lost", 0),
                        kt.get("traced_round_trip_ns", 0) / 1000, kt.get("inflation", 0))] + [""] * 6)
        for p in kt.get("phases", []):
            s = p.get("summary")
            ci = "[%.2f, %.2f]" % (s["ci_lo"] / 1000, s["ci_hi"] / 1000) if s and "ci_lo" in s else ""
            rows.append(["", p["name"], "%.2f" % (s["p50"] / 1000) if s else "-", ci,
                         "%.2f" % (s["p99"] / 1000) if s else "-",
                         "%.2f" % (p["starts_at_ns"] / 1000) if "starts_at_ns" in p else "-", p.get("n", 0),
                         p.get("what", "")])
        if not phases:
            continue
        dat = stage.path(f"{stem}.timeline{n}.dat")
        with open(dat, "w", encoding="utf-8") as f:
            for i, p in enumerate(phases):
                lane = {"parent": 0, "child": 1, "user": 2}.get(p.get("task"), 0)
                f.write('%d "%s" %g %g %d\n' % (i, p["name"].replace('"', ""), p["starts_at_ns"] / 1000,
                                                  p["summary"]["p50"] / 1000, lane))
        gnuplot("timeline.gp", stage, f"{stem}.timeline{n}", datafile=dat, nrows=len(phases),
                title=b["name"], subtitle=sub)
        charts.append((f"{stem}.timeline{n}", "%s: kernel phases on one time axis (medians, --trace on the %s clock)"
                       % (b["name"], t.get("clock", "?"))))
    tables.append(("Kernel phases (--trace, tracefs on the %s clock; traced batches of their own), microseconds"
                   % t.get("clock", "?"),
                   ["benchmark", "phase", "median", "95% CI", "p99", "starts at", "n", "what"], rows))


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
        cdf_chart(stem, benches, samples, stage, sub, charts)
    trace_charts(stem, ctx, ok, stage, sub, charts, tables)

    # Sweep: series of points that differ only in RSS.
    series = {}
    for b in ok:
        p = b.get("params", {})
        if not p.get("rss_bytes"):
            continue
        key = "%s:%s" % (point_key(b, ("rss_bytes",)), "touched" if p.get("touch") else "untouched")
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
        key = point_key(b, ("jobs",))
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
                   ["benchmark", "base us", "new us", "new/base", "95% CI", "p (Holm)", "runs", "detects", "verdict"],
                   [[r["name"], num(r["base_median_ns"], "%.2f", 1000), num(r["new_median_ns"], "%.2f", 1000),
                     num(r["ratio"], "%.4f"), "[%s, %s]" % (num(r["ratio_ci_lo"], "%.4f"), num(r["ratio_ci_hi"], "%.4f")),
                     num(r["p_holm"], "%.2g"), "%s/%s" % (r.get("runs_base", "?"), r.get("runs_new", "?")),
                     ">" + num(r.get("mde"), "%.1f%%", 0.01) if r.get("mde") is not None else "-",
                     "%s (%s)" % (r["verdict"], r.get("why", ""))] for r in rows]))
    compare_phase_table(rows, tables)


def compare_phase_table(rows, tables):
    prow = []
    for r in rows:
        for k, p in enumerate(r.get("kernel_phases", [])):
            prow.append([r["name"] if k == 0 else "",
                         p["phase"], "%.2f" % (p["base_ns"] / 1000) if p["base_ns"] is not None else "?",
                         "%.2f" % (p["new_ns"] / 1000) if p["new_ns"] is not None else "?",
                         "%.4f" % p["ratio"] if p["ratio"] is not None else "?",
                         "[%s, %s]" % tuple("%.4f" % v if v is not None else "?" for v in (p["ratio_ci_lo"], p["ratio_ci_hi"])),
                         p["moved"], p.get("ci_method", "")])
    if prow:
        tables.append(("Kernel phases, BASE vs NEW (--trace: where a change is; never the verdict)",
                       ["benchmark", "phase", "base us", "new us", "new/base", "95% CI", "moved", "interval from"], prow))


def context_rows(kind, doc):
    """The facts a reader needs before any number: where, what kernel, what clock."""
    if kind != "results":
        rows = [("base", doc.get("base")), ("new", doc.get("new")),
                ("time base", doc.get("time_base", "wall")),
                ("threshold", "%g%%" % (doc.get("threshold", 0.02) * 100)),
                ("alpha", "%g (Holm)" % doc.get("alpha", 0.05))]
        g = doc.get("gate")
        if isinstance(g, dict) and g.get("mde_median") is not None:
            need = ", ".join("+%g%%: %s" % (float(k) * 100, v) for k, v in g.get("runs_needed", {}).items()
                             if v is not None)
            rows.append(("what the runs see", "%s and %s runs, between-run spread %.2f%%; changes under %.1f%% "
                         "cannot be told from noise (%g%% power); runs a side to detect %s" % (
                             g.get("runs_base"), g.get("runs_new"), 100 * g["between_run_sd_median"],
                             100 * g["mde_median"], 100 * g.get("power", 0.8), need or "-")))
        return rows
    ctx = doc["context"]
    env, cnt, cr = ctx.get("environment", {}), ctx.get("counter", {}), ctx.get("creator", {})
    instr = ctx.get("time_base") == "instructions"
    return [("machine", "%s: %s, %s CPUs%s" % (ctx.get("host_name", "?"), env.get("cpu_model", "?"),
                                                ctx.get("num_cpus", "?"),
                                                ", virtualized" if env.get("hypervisor") else "")),
            ("kernel", "%s (%s)" % (ctx.get("kernel_release", "?"), ctx.get("arch", "?"))),
            ("counter", "%s%s" % (cnt.get("source", "?"), "" if instr else " at %.3f GHz" % (cnt.get("hz", 0) / 1e9))),
            ("time base", "guest instructions under qemu icount (1 ns = 1 instruction)" if instr else "wall time"),
            ("creator", "%s, %s KiB mapped, %s mappings" % (cr.get("linkage", "?"), cr.get("vm_size_kib", "?"),
                                                           cr.get("mappings", "?"))),
            ("taken", "%s by procbench %s (%s)" % (ctx.get("date", "?"), ctx.get("procbench_version", "?"),
                                                   ctx.get("git_commit", "?")))] + trace_row(ctx)


def trace_row(ctx):
    t = ctx.get("trace")
    if not isinstance(t, dict):
        return []
    if t.get("status") != "on":
        return [("kernel trace", "skipped: %s" % t.get("reason", "?"))]
    return [("kernel trace", "--trace: tracefs on the %s clock, %s" % (
        t.get("clock", "?"), "every stamp checked against the kernel's events" if t.get("stamps_checked")
        else "stamps mapped onto it, not checked"))]


STYLE = """
body{font-family:system-ui,sans-serif;max-width:1280px;margin:0 auto;padding:0 1em 3em;color:#222;line-height:1.4}
h1{font-size:1.6em;margin:.8em 0 .3em}
h2{font-size:1.3em;margin:1.6em 0 .4em;border-bottom:2px solid #0072B2;padding-bottom:.2em}
h3{font-size:1.05em;margin:1.2em 0 .3em}
h1,h2,h3{overflow-wrap:anywhere}
nav{background:#f4f6f8;border:1px solid #dde;padding:.5em 1.2em;margin:1em 0}
nav ul{margin:.2em 0;padding-left:1.2em}
dl.context{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:.5em 0}
dl.context dt{font-weight:600}
dl.context dd{margin:0;overflow-wrap:anywhere}
figure{margin:.5em 0 1.5em}
figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#555}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:right;white-space:nowrap}
td:first-child,th:first-child,td:last-child{text-align:left}
td:last-child{white-space:normal}
th{background:#f4f6f8}
tr:nth-child(even) td{background:#fafafa}
"""


def page(stage, sections):
    esc = html.escape
    h = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
         "<meta name='viewport' content='width=device-width, initial-scale=1'>",
         "<title>procbench report</title><style>" + STYLE + "</style></head><body>",
         "<h1>procbench report</h1><nav><strong>Contents</strong><ul>"]
    for n, sec in enumerate(sections):
        h.append(f"<li><a href='#s{n}'>{esc(sec['title'])}</a><ul>")
        for k, (_, title) in enumerate(sec["charts"]):
            h.append(f"<li><a href='#s{n}c{k}'>{esc(title)}</a></li>")
        for k, (title, _, _) in enumerate(sec["tables"]):
            h.append(f"<li><a href='#s{n}t{k}'>{esc(title.split(':')[0])}</a></li>")
        h.append("</ul></li>")
    h.append("</ul></nav>")
    for n, sec in enumerate(sections):
        h.append(f"<h2 id='s{n}'>{esc(sec['title'])}</h2><dl class='context'>")
        h.extend(f"<dt>{esc(k)}</dt><dd>{esc(str(v))}</dd>" for k, v in sec["context"])
        h.append("</dl>")
        for k, (stem, title) in enumerate(sec["charts"]):
            url = esc(urllib.parse.quote(stem), quote=True)
            h.append(f"<h3 id='s{n}c{k}'>{esc(title)}</h3><figure><a href='{url}.svg'>"
                     f"<img src='{url}.png' alt='{esc(title)}'></a>"
                     f"<figcaption>PNG; click for the SVG</figcaption></figure>")
        for k, (title, head, rows) in enumerate(sec["tables"]):
            h.append(f"<h3 id='s{n}t{k}'>{esc(title)}</h3><div class='scroll'><table><tr>" +
                     "".join(f"<th>{esc(c)}</th>" for c in head) + "</tr>")
            for r in rows:
                h.append("<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in r) + "</tr>")
            h.append("</table></div>")
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
    sections = []
    stage = Staged(out_dir)
    path = files[0]
    try:
        for path, kind, doc in docs:
            sec = {"title": ("Results: " if kind == "results" else "Comparison: ") + os.path.basename(path),
                   "context": context_rows(kind, doc), "charts": [], "tables": []}
            (results_charts if kind == "results" else compare_charts)(path, doc, stage, sec["charts"],
                                                                      sec["tables"])
            sections.append(sec)
        page(stage, sections)
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
