#!/usr/bin/python3
"""procbench report: charts (PNG and SVG, by gnuplot) and an index.html with the numbers.

usage: procbench report [--out DIR] [--history STORE] FILE...

FILE is a procbench results file (JSON, with its raw samples beside it for the CDF) or a
comparison written by `procbench compare --out CMP.json`. The charts present depend on the data:
summary and phases (always), latency CDF (raw samples), sweep (points differing in --rss) with\nits cost model (procbench model),
scaling (points differing in --jobs), comparison (compare files). Default DIR:
plots/out/<first file's name>. The .gp scripts beside this file draw; this file only writes
their data files and the page.
--history STORE adds a trend chart per series of a history store (procbench history: an
SQLite file or a postgresql:// URL): run medians with their CIs in run order, change points
marked, kernels and commits on the axis; files are optional then (default DIR:
plots/out/history).
"""
import errno
import html
import json
import math
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
# A closed pipe (procbench report --help | head) ends us quietly, as it would a C tool.
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
MAX_CDF_POINTS = 1500
MAX_PANEL_SERIES = 6
# What the raw samples may weigh, checked with fstat before a byte is read (the C reader's limit;
# results and comparisons come through procbench validate, which keeps its own).
MAX_SAMPLES_BYTES = 4 << 30     # a raw samples TSV
# A sample lies within 0..2^53 ns (each integer up to it is exact in a double).
MAX_MAGNITUDE = 2 ** 53
# How much of one name or context string a chart or the page shows; the rest is cut to an ellipsis.
SHOWN_LABEL = 100
SHOWN_TEXT = 300
# A raw samples line as the C reader takes it (harness/analysis/samples_read.c).
SAMPLE_LINE = re.compile(rb"([0-9]{1,10})\t([0-9.eE+]{1,63})\t(-|[0-9.eE+]{1,63})\t(-|[0-9.eE+]{1,63})\n")
MAX_SAMPLE_LINE = 256
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


class ReportError(Exception):
    """One line for the user; the report stops, exit 2, and leaves nothing behind."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM: the report stops quietly, leaves nothing behind, exit 128 + signal."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def fail(msg):
    raise ReportError(msg)


# Characters that reorder or break the text around them (bidi controls, line separators).
BIDI_AND_BREAKS = {0x200e, 0x200f, 0x2028, 0x2029, *range(0x202a, 0x202f), *range(0x2066, 0x206a)}


def show(v, limit=SHOWN_TEXT):
    """v as text that is safe to show: control characters, bidi controls and lone surrogates
    (from a JSON "\\ud800" or a file name that is not UTF-8) escaped, cut to limit characters
    with an ellipsis."""
    s = v if isinstance(v, str) else str(v)
    cut = limit is not None and len(s) > limit
    if cut:
        s = s[:limit]
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20 or 0x7f <= o < 0xa0:
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch) or "\\x%02x" % o)
        elif 0xdc80 <= o <= 0xdcff:  # os.fsdecode's escape of a byte that is not UTF-8
            out.append("\\x%02x" % (o - 0xdc00))
        elif 0xd800 <= o <= 0xdfff or o in BIDI_AND_BREAKS:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    return "".join(out) + ("\u2026" if cut else "")


def damaged(path, field, problem):
    fail(f"{show(path)}: {field} is {problem}: the file was changed or damaged")


def procbench_bin():
    exe = os.environ.get("PROCBENCH_BIN")
    if exe and os.access(exe, os.X_OK):
        return exe
    exe = os.path.join(HERE, "..", "build", os.uname().machine, "procbench")
    if os.access(exe, os.X_OK):
        return exe
    fail("cannot find the procbench binary to check the inputs; run make, or run this as "
         "`procbench report`")


KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISDIR, "a folder"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"))


def open_input(path, cap, what, hint, follow=True):
    """The one way this file opens an input: regular files only (a FIFO would block, a device
    never ends), no larger than cap (by fstat, before reading), read without blocking. follow:
    whether a symbolic link is followed (a file the user named: yes; a file named inside the
    data, the samples: no). Returns (binary file object, its identity, its size)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)

    def kind_of(st):
        return next((k for test, k in KINDS if test(st.st_mode)), "of another kind")

    def not_regular(st):
        fail(f"{show(path)} is not a regular file ({kind_of(st)}): {hint}")
    try:
        # A device is refused before it is opened (opening one can do things), a FIFO before a
        # reader could block on it; the fstat below catches a swap in between.
        st = os.stat(path) if follow else os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            not_regular(st)
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno == errno.ELOOP and not follow:
            fail(f"{show(path)} is not a regular file (a symbolic link): {hint}")
        fail(f"cannot read {show(path)} ({e.strerror}): {hint}")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            not_regular(st)
        if st.st_size > cap:
            fail(f"{show(path)} is {st.st_size} bytes, more than the {cap >> 20} MiB a {what} may hold: {hint}")
        f = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    return f, (st.st_dev, st.st_ino), st.st_size


def load(path, inputs):
    """A results file or a comparison as procbench's own reader (the one compare uses) parsed and
    checked it: `procbench validate --format json` prints the document it accepted, so this
    script never parses an input file itself nor keeps rules of its own (every type, range and
    finiteness rule is the reader's, analysis/results_read.c). inputs collects the identities
    of every file read (an output must never replace one)."""
    try:
        r = subprocess.run([procbench_bin(), "validate", "--format", "json", path],
                           stdin=subprocess.DEVNULL, capture_output=True)
    except OSError as e:
        fail(f"cannot run procbench validate ({e.strerror})")
    if r.returncode != 0:
        msg = (r.stderr.decode("utf-8", "replace").strip().splitlines() or ["procbench validate failed"])[-1]
        fail(msg[len("procbench: "):] if msg.startswith("procbench: ") else msg)
    try:
        got = json.loads(r.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        fail(f"procbench validate printed no usable JSON for {show(path)} ({e}): is procbench "
             "older than this report script?")
    inputs[(got["dev"], got["ino"])] = path
    return ("compare" if got["kind"] == "comparison" else "results"), got["document"]


def samples_of(path, doc, inputs):
    """Round-trip samples (ns) per benchmark index, or {} when the file has none."""
    name = doc["context"].get("samples_file")
    if not name:
        return {}
    if not isinstance(name, str) or "/" in name or name in (".", ".."):
        damaged(path, "context.samples_file", "not a plain file name beside it")
    full = os.path.join(os.path.dirname(path), name)
    f, ident, _ = open_input(full, MAX_SAMPLES_BYTES, "raw samples file",
                             "the raw samples travel with their results file", follow=False)
    inputs[ident] = full
    nb, out, lineno = len(doc["benchmarks"]), {}, 0
    with f:
        while True:
            line = f.readline(MAX_SAMPLE_LINE)
            if not line:
                break
            lineno += 1
            if line.startswith(b"#") or line.startswith(b"bench\t"):
                while not line.endswith(b"\n") and line:  # a long comment: read to its end
                    line = f.readline(1 << 16)
                continue
            m = SAMPLE_LINE.fullmatch(line)
            try:
                idx, rt = int(m[1]), float(m[2])
            except (TypeError, ValueError):
                damaged(full, f"line {lineno}", "not a procbench sample line")
            if idx >= nb:
                damaged(full, f"line {lineno}", f"a sample of benchmark {idx}, which the results file has not")
            if not 0 <= rt <= MAX_MAGNITUDE:
                damaged(full, f"the round trip on line {lineno}", "%.6g (a sample is 0 or more and at most 2^53 ns)" % rt)
            out.setdefault(idx, []).append(rt)
    return out


def us(v):
    """Microseconds for a data file; "?" (missing) for none and for 0, which a log axis has not
    (a creation shorter than a coarse counter's tick records 0)."""
    return "?" if v is None or v <= 0 else "%.6g" % (v / 1000)


def log_floor(dat):
    """The power of ten at or below the smallest value of a data file written with us(): where a
    log axis starts, so null's 0.05 us shows beside fork's 100 us."""
    vals = [float(x) for line in open(dat, encoding="ascii") if not line.startswith("#")
            for x in line.split()[1:] if x != "?"]
    pos = [v for v in vals if v > 0]
    return 10.0 ** math.floor(math.log10(min(pos))) if pos else 1.0


def parent_of(path):
    return os.path.dirname(path.rstrip("/")) or "."


class Stage:
    """The report is written into a fresh folder of its own (beside --out, or inside it when it
    exists), then moved into place: a failed or interrupted report leaves nothing behind, and
    the files of an earlier report in --out stay as they were until the new one is whole."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.made = []     # folders above --out that we made, removed again if the report fails
        self.dir = None
        self.into = os.path.isdir(out_dir)
        if not self.into and os.path.lexists(out_dir):
            fail(f"--out {show(out_dir)} is not a folder; name a folder for the report")
        parent = parent_of(out_dir)
        missing, d = [], parent
        while not os.path.isdir(d):
            if os.path.lexists(d) or d in missing:
                fail(f"cannot make the folder {show(out_dir)} ({show(d)} is not a folder); pick another --out")
            missing.append(d)
            d = parent_of(d)
        try:
            for d in reversed(missing):
                os.mkdir(d)
                self.made.append(d)
            self.dir = tempfile.mkdtemp(prefix=".procbench-report.", dir=out_dir if self.into else parent)
            os.mkdir(os.path.join(self.dir, ".vars"))
        except OSError as e:
            self.discard()
            fail(f"cannot write the report in {show(out_dir)} ({e.strerror}); pick another --out")
        except BaseException:  # a signal, between a folder made and its note
            self.discard()
            raise
        self.names = set()

    def path(self, name):
        assert name not in self.names and name != ".vars", name
        self.names.add(name)
        return os.path.join(self.dir, name)

    def scratch(self, name):
        """A file gnuplot reads and the report does not keep."""
        return os.path.join(self.dir, ".vars", name)

    def commit(self, inputs):
        """Move the report into place; refuse (before moving anything) to replace an input."""
        shutil.rmtree(os.path.join(self.dir, ".vars"))
        names = sorted(os.listdir(self.dir))
        if not self.into:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.dir, 0o777 & ~umask)
            try:
                os.rename(self.dir, self.out_dir)
                self.dir = None
                self.made = []
                return
            except OSError as e:
                # Someone made --out meanwhile: then go in beside what it holds.
                if e.errno not in (errno.EEXIST, errno.ENOTEMPTY) or not os.path.isdir(self.out_dir):
                    raise
        for n in names:
            final = os.path.join(self.out_dir, n)
            try:
                st = os.lstat(final)
            except FileNotFoundError:
                continue
            if (st.st_dev, st.st_ino) in inputs:
                fail(f"--out {show(self.out_dir)} holds the input {show(inputs[(st.st_dev, st.st_ino)])}, "
                     f"which the report's {show(n)} would replace; pick another --out")
            if stat.S_ISDIR(st.st_mode):
                fail(f"--out {show(self.out_dir)} holds a folder {show(n)} where the report writes a file; "
                     "pick another --out")
        for n in names:
            os.replace(os.path.join(self.dir, n), os.path.join(self.out_dir, n))
        os.rmdir(self.dir)
        self.dir = None
        self.made = []

    def discard(self):
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
        for d in reversed(self.made):
            try:
                os.rmdir(d)
            except OSError:
                pass
        self.made = []


def gp_value(v):
    """v as a gnuplot literal: a string in double quotes with every byte but ASCII letters and a
    few plain marks as an octal escape (so no value can end the string or start code, and any
    bytes pass whole; digits too, as gnuplot would read one after an escape as part of it), or a
    number."""
    if isinstance(v, str):
        b = v.encode("utf-8", "surrogateescape")
        return '"' + "".join(chr(c) if chr(c).isalpha() and c < 128 or chr(c) in " .,:;_-+/()[]=" else "\\%03o" % c
                             for c in b) + '"'
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ValueError(f"no gnuplot literal for {v!r}")
    return str(v) if isinstance(v, int) else repr(float(v))


def gnuplot(script, stage, stem, **vars_):
    """Draw stem.png and stem.svg with script. Every value reaches gnuplot in a file of
    assignments (gp_value literals; lists become arrays) that the script loads: names are data
    whatever characters they hold, and no value is too long for a command line. The chart comes
    back on gnuplot's stdout and is written here, where a full disk is an error (gnuplot says
    nothing and exits 0 when its own write fails)."""
    for term in ("png", "svg"):
        vf = stage.scratch(f"{stem}.{term}.gp")
        with open(vf, "w", encoding="ascii") as f:
            for k, v in dict(term=term, **vars_).items():
                if isinstance(v, (list, tuple)):
                    f.write(f"array {k}[{max(1, len(v))}]\n")
                    f.writelines(f"{k}[{i}] = {gp_value(x)}\n" for i, x in enumerate(v, 1))
                else:
                    f.write(f"{k} = {gp_value(v)}\n")
        try:
            r = subprocess.run(["gnuplot", "-c", os.path.join(HERE, script), vf], stdin=subprocess.DEVNULL,
                               capture_output=True)
        except OSError as e:
            fail(f"cannot run gnuplot ({e.strerror}); apt-get install gnuplot-nox")
        if r.returncode != 0 or not r.stdout:
            why = (r.stderr.decode("utf-8", "replace").strip().splitlines() or
                   ["exit status %d" % r.returncode if r.returncode else "it drew nothing"])[-1]
            fail(f"gnuplot failed on {script}: {show(why.strip(), 200)}")
        with open(stage.path(f"{stem}.{term}"), "wb") as f:
            f.write(r.stdout)


def subtitle_of(ctx):
    env = ctx.get("environment", {})
    s = lambda k, d=ctx: show(d.get(k, "?"), 80)
    if ctx.get("time_base") == "instructions":
        # Instruction time: the counter's "GHz" is an artefact of qemu icount, not a clock.
        return "kernel %s (%s), time base: guest instructions under qemu icount (1 ns = 1 instruction), %s" % (
            s("kernel_release"), s("arch"), s("date"))
    return "kernel %s on %s (%s, %s), %s at %.3f GHz, %s" % (
        s("kernel_release"), s("host_name"), s("arch"), s("cpu_model", env),
        s("source", ctx.get("counter", {})), ctx.get("counter", {}).get("hz", 0) / 1e9, s("date"))


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
        # A log axis has no 0: samples shorter than the counter's tick raise the curve's start.
        pts = [(xs[k] / 1000, (k + 1) / len(xs)) for k in range(0, len(xs), step) if xs[k] > 0]
        if xs[-1] <= 0:
            continue
        pts.append((xs[-1] / 1000, 1.0))
        series.setdefault(family_of(b["method"]), []).append((b["name"], pts))
    blocks, titles, counts, panels = [], [], [], []
    for fam in [f for f, _ in FAMILIES] + ["other"]:
        members = series.get(fam, [])
        parts = math.ceil(len(members) / MAX_PANEL_SERIES)
        for k in range(parts):
            chunk = members[k * MAX_PANEL_SERIES:(k + 1) * MAX_PANEL_SERIES]
            panels.append(fam + (" (%d of %d)" % (k + 1, parts) if parts > 1 else ""))
            counts.append(len(chunk))
            for name, pts in chunk:
                titles.append(show(name, SHOWN_LABEL))
                blocks.append(pts)
    if not blocks:
        return
    dat = stage.path(f"{stem}.cdf.dat")
    write_blocks(dat, blocks)
    gnuplot("cdf.gp", stage, f"{stem}.cdf", datafile=dat, titles=titles, counts=counts, panels=panels,
            subtitle=sub)
    charts.append((f"{stem}.cdf", "Round-trip latency distribution (CDF, log x), by family"))


def trace_charts(stem, ctx, ok, stage, sub, charts, tables):
    """--trace: a timeline per traced benchmark and one table of every phase."""
    t = ctx.get("trace")
    if not t:
        return
    if t.get("status") != "on":
        tables.append(("Kernel phases (--trace): skipped: " + show(t.get("reason", "?")), ["benchmark"], []))
        return
    rows = []
    for n, b in enumerate(ok):
        kt = b.get("kernel_trace", {})
        if kt.get("status") != "ok":
            rows.append([b["name"], "not traced: " + show(kt.get("reason", "?"))] + [""] * 6)
            continue
        phases = [p for p in kt.get("phases", []) if "summary" in p and "starts_at_ns" in p]
        checks = ("%d stamp checks passed" % kt["stamp_checks_passed"] if "stamp_checks_passed" in kt
                  else show(kt.get("stamp_checks", "")))
        miss = kt.get("unmatched_missing") or {}
        miss = (" (the others lacked: %s)" % show(", ".join("%s in %s" % (k, v) for k, v in sorted(miss.items())))
                if isinstance(miss, dict) and miss else "")
        rows.append([b["name"], "%d traced, %d matched%s, %s, %d events lost; traced round trip %.2f us = %.2fx untraced"
                     % (kt.get("traced_samples", 0), kt.get("matched", 0), miss, checks, kt.get("events_lost", 0),
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
        with open(dat, "w", encoding="ascii") as f:
            for i, p in enumerate(phases):
                lane = {"parent": 0, "child": 1, "user": 2}.get(p.get("task"), 0)
                f.write("%d %r %r %d\n" % (i, p["starts_at_ns"] / 1000, p["summary"]["p50"] / 1000, lane))
        gnuplot("timeline.gp", stage, f"{stem}.timeline{n}", datafile=dat, nrows=len(phases),
                labels=[show(p["name"], SHOWN_LABEL) for p in phases], title=show(b["name"], SHOWN_LABEL),
                subtitle=sub)
        charts.append((f"{stem}.timeline{n}", "%s: kernel phases on one time axis (medians, --trace on the %s clock)"
                       % (show(b["name"], SHOWN_LABEL), show(t.get("clock", "?"), 40))))
    tables.append(("Kernel phases (--trace, tracefs on the %s clock; traced batches of their own), microseconds"
                   % show(t.get("clock", "?"), 40),
                   ["benchmark", "phase", "median", "95% CI", "p99", "starts at", "n", "what"], rows))


def write_blocks(path, blocks):
    with open(path, "w", encoding="ascii") as f:
        for rows in blocks:
            f.write("\n".join(" ".join(repr(x) for x in r) for r in rows) + "\n\n\n")


SWEPT = ("rss_bytes", "touch", "vmas", "threads", "fds")


def model_section(path, stem, ok, stage, sub, charts, tables):
    """A sweep's cost model (procbench model): a table of each method's coefficients with their
    intervals, and a chart of the points against resident memory with the fitted values."""
    by_method = {}
    for b in ok:
        p = b.get("params", {})
        by_method.setdefault(b["method"], set()).add(tuple(repr(p.get(k)) for k in SWEPT))
    if not any(len(v) >= 2 for v in by_method.values()):
        return  # not a sweep: no model to fit
    r = subprocess.run([procbench_bin(), "model", "--format", "json", path], stdin=subprocess.DEVNULL,
                       capture_output=True)
    if r.returncode != 0:
        why = (r.stderr.decode("utf-8", "replace").strip().splitlines() or ["exit status %d" % r.returncode])[-1]
        tables.append(("Cost model (procbench model): not fitted: " + show(why, 300), ["model"], []))
        return
    try:
        models = json.loads(r.stdout)["models"]
    except (ValueError, KeyError) as e:
        fail(f"procbench model printed no usable JSON ({e})")
    rows, blocks, titles = [], [], []
    for m in models:
        if m.get("status") != "ok":
            rows.append([m["name"], "not fitted: " + show(m.get("reason", "?"), 300)] + [""] * 4)
            continue
        for i, t in enumerate(m["terms"]):
            rows.append([m["name"] if i == 0 else "", "%s (ns per %s)" % (t["name"], t["per"]),
                         "%.2f" % t["coefficient_ns"], "[%.2f, %.2f]" % (t["ci_lo"], t["ci_hi"]),
                         ("%.6f" % m["r2"] if m.get("r2") is not None else "undefined") if i == 0 else "",
                         "%.3g" % m["chi2_per_dof"] if i == 0 else ""])
        if any(t["name"] == "per_mib" for t in m["terms"]):
            pts = sorted((x["resident_mib"], x["measured_ns"] / 1000, x["fitted_ns"] / 1000)
                         for x in m["residuals"])
            blocks.append(pts)
            titles.append(show(m["name"], SHOWN_LABEL))
    tables.append(("Cost model (procbench model: weighted least squares over the points, 95% intervals "
                   "from a bootstrap over the raw samples, widened where the line misses the points; "
                   "each regressor the parent's measured shape)",
                   ["model", "term", "coefficient", "95% interval", "R^2", "chi^2/dof"], rows))
    if blocks:
        dat = stage.path(f"{stem}.model.dat")
        write_blocks(dat, blocks)
        gnuplot("model.gp", stage, f"{stem}.model", datafile=dat, titles=titles, nblocks=len(blocks),
                subtitle=sub)
        charts.append((f"{stem}.model", "Cost model: the points (measured medians) and the fitted line "
                       "against the parent's resident memory"))


def results_charts(path, stem, doc, stage, charts, tables, inputs):
    ctx, benches = doc["context"], doc["benchmarks"]
    sub = subtitle_of(ctx)
    ok = [b for b in benches if b.get("status") == "ok"]

    dat = stage.path(f"{stem}.summary.dat")
    labels = []
    with open(dat, "w", encoding="ascii") as f:
        f.write("# index median ci_lo ci_hi p99 parent child (microseconds); the names are the labels array\n")
        for i, b in enumerate(benches):
            ph = b.get("phases", {})
            rt = ph.get("round_trip", {})
            labels.append(show(label(b) + ("" if b.get("status") == "ok" else " (%s)" % b.get("status")), SHOWN_LABEL))
            f.write(" ".join([str(i), us(rt.get("p50")), us(rt.get("ci_lo")), us(rt.get("ci_hi")), us(rt.get("p99")),
                              us(ph.get("parent_return", {}).get("p50")),
                              us(ph.get("child_running", {}).get("p50"))]) + "\n")
    if ok:
        ymin = log_floor(dat)
        gnuplot("summary.gp", stage, f"{stem}.summary", datafile=dat, labels=labels, subtitle=sub, ymin=ymin)
        charts.append((f"{stem}.summary", "Median round trip per benchmark, 95% CI whiskers, p99 and the earlier phases"))
        gnuplot("phases.gp", stage, f"{stem}.phases", datafile=dat, labels=labels, subtitle=sub, ymin=ymin)
        charts.append((f"{stem}.phases", "Phases of one creation (medians)"))

    samples = samples_of(path, doc, inputs)
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
        gnuplot("sweep.gp", stage, f"{stem}.sweep", datafile=dat, titles=[show(k, SHOWN_LABEL) for k in keys],
                nblocks=len(keys), ntouched=sum(not k.endswith(":untouched") for k in keys), subtitle=sub)
        charts.append((f"{stem}.sweep", "Creation cost against parent memory (log-log, CI bands)"))

    model_section(path, stem, ok, stage, sub, charts, tables)

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
        gnuplot("scaling.gp", stage, f"{stem}.scaling", datafile=dat, titles=[show(k, SHOWN_LABEL) for k in keys],
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
        row.append(", ".join("%s %.3g" % (show(k, 40), v["per_creation"]) for k, v in ps.items() if v.get("available")) or "")
        crows.append(row)
    if crows:
        why = sorted({show(m.get("reason")) for b in ok for m in b.get("counters", {}).values()
                      if isinstance(m, dict) and m.get("available") is False})
        tables.append(("Counters per creation (perf_event_open, inherited by children)" +
                       (" - unavailable: " + "; ".join(why) if why else ""),
                       ["benchmark", "task-clock ns", "page-faults", "ctx switches", "migrations",
                        "cycles:k", "instructions:k", "perf stat (timed batches only)"], crows))
    tables.append(("Results: " + show(path) + " (" + sub + ")",
                   ["benchmark", "status", "n", "median us", "95% CI us", "p99 us", "parent us", "child us", "cpu us", "note"],
                   rows))


def compare_charts(path, stem, doc, stage, charts, tables, inputs):
    rows = doc["benchmarks"]
    thr = doc.get("threshold", 0.02)
    sub = "%s -> %s, threshold %g%%, alpha %g, time base: %s" % (
        show(doc.get("base"), 120), show(doc.get("new"), 120), thr * 100, doc.get("alpha", 0.05),
        "guest instructions (qemu icount)" if doc.get("time_base") == "instructions" else "wall time")
    # A ratio compare could not compute is null: it is listed, not drawn.
    drawn = [r for r in rows if None not in (r["ratio"], r["ratio_ci_lo"], r["ratio_ci_hi"])]
    if drawn:
        dat = stage.path(f"{stem}.compare.dat")
        colour = {"slower": 0xC03030, "faster": 0x30A050}
        with open(dat, "w", encoding="ascii") as f:
            f.write("# index ratio ci_lo ci_hi colour; the names are the labels array\n")
            for i, r in enumerate(drawn):
                f.write("%d %r %r %r %d\n" % (i, float(r["ratio"]), float(r["ratio_ci_lo"]), float(r["ratio_ci_hi"]),
                                              colour.get(r["verdict"], 0x4878A8)))
        # The band 1 +- threshold is drawn on a log axis: its floor stays above 0.
        lo = min([r["ratio_ci_lo"] for r in drawn] + [max(1 - thr, 1e-3)])
        hi = max([r["ratio_ci_hi"] for r in drawn] + [1 + thr])
        gnuplot("compare.gp", stage, f"{stem}.compare", datafile=dat, threshold=thr, nrows=len(drawn),
                labels=[show(r["name"], SHOWN_LABEL) for r in drawn], ymin=lo / 1.1, ymax=hi * 1.1, subtitle=sub)
        charts.append((f"{stem}.compare", "NEW / BASE per benchmark with 95% CI"))

    def num(v, fmt, scale=1):
        return "?" if v is None else fmt % (v / scale)

    tables.append(("Comparison: " + sub,
                   ["benchmark", "base us", "new us", "new/base", "95% CI", "p (Holm)", "runs", "detects", "verdict"],
                   [[r["name"], num(r["base_median_ns"], "%.2f", 1000), num(r["new_median_ns"], "%.2f", 1000),
                     num(r["ratio"], "%.4f"), "[%s, %s]" % (num(r["ratio_ci_lo"], "%.4f"), num(r["ratio_ci_hi"], "%.4f")),
                     num(r["p_holm"], "%.2g"), "%s/%s" % (r.get("runs_base", "?"), r.get("runs_new", "?")),
                     ">" + num(r.get("mde"), "%.1f%%", 0.01) if r.get("mde") is not None else "-",
                     "%s (%s)" % (show(r["verdict"], 40), show(r.get("why", "")))] for r in rows]))
    compare_phase_table(rows, tables)
    compare_model_table(doc.get("models", []), tables)


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


def compare_model_table(models, tables):
    """Compare of two sweeps: each cost-model coefficient BASE vs NEW."""
    mrow = []
    fmt = lambda v: "%.1f" % v if v is not None else "?"
    for m in models:
        if m.get("ratio") is not None:
            change = "%.4f [%s, %s]" % (m["ratio"], *("%.4f" % v if v is not None else "?"
                                                     for v in (m.get("ratio_ci_lo"), m.get("ratio_ci_hi"))))
        else:
            change = "difference %s [%s, %s]" % (fmt(m.get("difference_ns")), *map(fmt, m.get("difference_ci") or [None, None]))
        mrow.append([show(m["name"], SHOWN_LABEL), show(m["term"], 40),
                     "%s [%s, %s]" % (fmt(m.get("base_ns")), *map(fmt, m.get("base_ci") or [None, None])),
                     "%s [%s, %s]" % (fmt(m.get("new_ns")), *map(fmt, m.get("new_ci") or [None, None])),
                     change, show(m["verdict"], 40), show(m.get("why", ""), 200)])
    if mrow:
        tables.append(("Cost models, BASE vs NEW (both sides' sweeps fitted as procbench model fits them; ns "
                       "per unit; never the verdict)",
                       ["model", "term", "base [95%]", "new [95%]", "new/base [95%]", "verdict", "why"], mrow))


def run_history(store, cmd):
    """The store as `procbench history CMD --format json` reads it: this script never opens a
    store itself (the schema, the series and the change points are procbench's)."""
    try:
        r = subprocess.run([procbench_bin(), "history", cmd, "--db", store, "--format", "json"],
                           stdin=subprocess.DEVNULL, capture_output=True)
    except OSError as e:
        fail(f"cannot run procbench history ({e.strerror})")
    if r.returncode not in ((0, 1) if cmd == "check" else (0,)):
        msg = (r.stderr.decode("utf-8", "replace").strip().splitlines() or ["procbench history failed"])[-1]
        fail(msg[len("procbench history: "):] if msg.startswith("procbench history: ") else msg)
    try:
        return json.loads(r.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        fail(f"procbench history {cmd} printed no usable JSON ({e}): is procbench older than this script?")


MAX_TREND_CHARTS = 100


def run_name(p, common=()):
    """What tells a run from the one before on the axis: kernel, its command line (less the
    arguments every run of the series has, such as the icount guests' determinism options),
    commit, labels."""
    bits = [p["kernel"]] + [a for a in p["kernel_append"].split() if a not in common] + [p["kernel_commit"]]
    bits += ["%s=%s" % kv for kv in sorted(p["labels"].items()) if kv[0] != "commit"]
    return show(" ".join(b for b in bits if b), 60)


def history_section(store, stage, inputs):
    if not store.startswith(("postgresql://", "postgres://")):
        for f in (store, store + "-journal"):  # the report never writes over its store
            try:
                st = os.stat(f)
                inputs[(st.st_dev, st.st_ino)] = f
            except OSError:
                pass
    series = run_history(store, "show")["series"]
    check = run_history(store, "check")
    cps = {s["id"]: s["change_points"] for s in check["series"]}
    regs = {s["id"]: s["regression"] for s in check["series"]}
    charts, rows = [], []
    for n, s in enumerate(series):
        pts = [p for p in s["points"] if p["median_ns"] is not None]
        where = {p["run"]: k for k, p in enumerate(pts, 1)}
        mine = cps.get(s["id"], [])
        # The parameters that tell this series from the others of its benchmark (procbench's words).
        params = s["distinct_params"]
        name = "%s%s on %s (%s)" % (s["bench"], " " + params if params else "", s["machine"], s["time_base"])
        for c in mine:
            if not c["beyond_threshold"] and not c["regression"]:
                continue  # real, but within the threshold: a segment bound on the chart only
            b, a = c["before"], c["after"]
            ci = "[%.4f, %.4f]" % (c["ratio_ci_lo"], c["ratio_ci_hi"]) if c["ratio_ci_lo"] is not None else "-"
            rows.append([name, str(c["run"]), "%.4f" % c["ratio"], ci, "%.3g%s" % (c["p"], "" if c["p_exact"] else " (shuffles)"),
                         "%d runs, %s" % (b["segment_runs"], run_name(b)), "%d runs, %s" % (a["segment_runs"], run_name(a)),
                         "REGRESSION at the newest runs: x%.4f [%.4f, %.4f] since this run" % (
                             regs[s["id"]]["ratio"], regs[s["id"]]["ratio_ci_lo"], regs[s["id"]]["ratio_ci_hi"])
                         if c["regression"] else ""])
        if not pts or n >= MAX_TREND_CHARTS:
            continue
        stem = "history-%d" % s["id"]
        dat, seg = stage.path(f"{stem}.dat"), stage.path(f"{stem}.seg.dat")
        with open(dat, "w", encoding="ascii") as f:
            f.write("# x median_us ci_lo_us ci_hi_us\n")
            for k, p in enumerate(pts, 1):
                lo = p["ci_lo_ns"] if p["ci_lo_ns"] is not None else p["median_ns"]
                hi = p["ci_hi_ns"] if p["ci_hi_ns"] is not None else p["median_ns"]
                f.write("%d %r %r %r\n" % (k, p["median_ns"] / 1000, lo / 1000, hi / 1000))
        # Segments between change points at the typical (geometric mean) median check reports;
        # without a change point, the series' own.
        bounds = [1] + [where[c["run"]] for c in mine if c["run"] in where] + [len(pts) + 1]
        xs = [where[c["run"]] for c in mine if c["run"] in where and c["beyond_threshold"]]
        with open(seg, "w", encoding="ascii") as f:
            for k in range(len(bounds) - 1):
                if mine:
                    c = mine[min(k, len(mine) - 1)]
                    typ = c["before" if k < len(mine) else "after"]["segment_typical_median_ns"]
                else:
                    typ = math.exp(sum(math.log(p["median_ns"]) for p in pts if p["median_ns"] > 0) /
                                   max(1, sum(1 for p in pts if p["median_ns"] > 0))) if any(p["median_ns"] > 0 for p in pts) else 0
                f.write("%r %r\n%r %r\n\n" % (bounds[k] - 0.4, typ / 1000, bounds[k + 1] - 0.6, typ / 1000))
        common = set.intersection(*(set(p["kernel_append"].split()) for p in pts))
        xt_pos, xt_lab, last = [], [], None
        for k, p in enumerate(pts, 1):
            nm = run_name(p, common)
            if nm != last:
                xt_pos.append(k)
                xt_lab.append(nm)
                last = nm
        unit = "k instructions (guest)" if s["time_base"] == "instructions" else "us"
        gnuplot("trend.gp", stage, stem, datafile=dat, segfile=seg, cps=[x - 0.5 for x in xs] or [0],
                xt_pos=xt_pos or [0], xt_lab=xt_lab or [""], nruns=len(pts), title=show(name, 200),
                subtitle="%d runs; %d change point%s beyond +-%g%% (E-divisive, alpha %g)" % (
                    len(pts), len(xs), "" if len(xs) == 1 else "s", check["threshold"] * 100, check["alpha"]), unit=unit)
        charts.append((stem, "Trend: " + name))
    tables = [("Change points (%s, alpha %g; a regression: at the newest runs, its whole interval beyond +%g%%)" % (
                   check["method"], check["alpha"], check["threshold"] * 100),
               ["series", "first run after", "after/before", "95% CI", "p", "before", "after", ""], rows)]
    # The store as procbench names it: a password in a URL is never shown.
    shown_store = check["store"]
    context = [("store", show(shown_store)), ("series", str(len(series))),
               ("runs", str(sum(s["runs"] for s in series))), ("regression at the newest runs", "yes" if check["regressed"] else "no")]
    if len(series) > MAX_TREND_CHARTS:
        context.append(("charts", "the first %d series of %d" % (MAX_TREND_CHARTS, len(series))))
    return {"title": "History: " + show(shown_store), "context": context, "charts": charts, "tables": tables}


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
    s = lambda d, k: show(d.get(k, "?"), 120)
    return [("machine", "%s: %s, %s CPUs%s" % (s(ctx, "host_name"), s(env, "cpu_model"), s(ctx, "num_cpus"),
                                                ", virtualized" if env.get("hypervisor") else "")),
            ("kernel", "%s (%s)" % (s(ctx, "kernel_release"), s(ctx, "arch"))),
            ("counter", "%s%s" % (s(cnt, "source"), "" if instr else " at %.3f GHz" % (cnt.get("hz", 0) / 1e9))),
            ("time base", "guest instructions under qemu icount (1 ns = 1 instruction)" if instr else "wall time"),
            ("creator", "%s, %s KiB mapped, %s mappings" % (s(cr, "linkage"), s(cr, "vm_size_kib"), s(cr, "mappings"))),
            ("taken", "%s by procbench %s (%s)" % (s(ctx, "date"), s(ctx, "procbench_version"), s(ctx, "git_commit")))
            ] + trace_row(ctx)


def trace_row(ctx):
    t = ctx.get("trace")
    if not isinstance(t, dict):
        return []
    if t.get("status") != "on":
        return [("kernel trace", "skipped: %s" % show(t.get("reason", "?")))]
    return [("kernel trace", "--trace: tracefs on the %s clock, %s" % (
        show(t.get("clock", "?"), 40), "every stamp checked against the kernel's events" if t.get("stamps_checked")
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
    def esc(v, limit=SHOWN_TEXT):
        return html.escape(show(v, limit), quote=True)
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
        h.extend(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in sec["context"])
        h.append("</dl>")
        for k, (stem, title) in enumerate(sec["charts"]):
            url = html.escape(urllib.parse.quote(stem.encode("utf-8")), quote=True)
            h.append(f"<h3 id='s{n}c{k}'>{esc(title)}</h3><figure><a href='{url}.svg'>"
                     f"<img src='{url}.png' alt='{esc(title)}'></a>"
                     f"<figcaption>PNG; click for the SVG</figcaption></figure>")
        for k, (title, head, rows) in enumerate(sec["tables"]):
            h.append(f"<h3 id='s{n}t{k}'>{esc(title, None)}</h3><div class='scroll'><table><tr>" +
                     "".join(f"<th>{esc(c)}</th>" for c in head) + "</tr>")
            for r in rows:
                h.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>")
            h.append("</table></div>")
    h.append("</body></html>")
    with open(stage.path("index.html"), "w", encoding="utf-8") as f:
        f.write("\n".join(h))


def chart_stems(paths):
    """A file-name stem per input, each its own: the base name, or with the folder's name before
    it where two inputs share a base name (ci/kernel-ab's A-1/r.json and B-1/r.json), then
    numbered if still taken; control characters become '_', and a stem is cut to 100 bytes so
    every chart's name fits in NAME_MAX."""
    def clean(s):
        s = "".join(c if c.isprintable() and not 0xd800 <= ord(c) <= 0xdfff else "_" for c in s)
        return s.encode("utf-8")[:100].decode("utf-8", "ignore") or "_"
    bases = [os.path.splitext(os.path.basename(p))[0] for p in paths]
    used, stems = set(), []
    for p, base in zip(paths, bases):
        if bases.count(base) > 1:
            base = os.path.basename(os.path.dirname(os.path.abspath(p))) + "-" + base
        base = stem = clean(base)
        k = 2
        while stem in used:
            stem, k = f"{base}-{k}", k + 1
        used.add(stem)
        stems.append(stem)
    return stems


def report(argv, state):
    out_dir = None
    store = None
    files = []
    it = iter(argv)
    for a in it:
        if a == "--out":
            out_dir = next(it, None) or fail("--out needs a folder")
        elif a == "--history":
            store = next(it, None) or fail("--history needs a store (an SQLite file or a postgresql:// URL)")
        elif a in ("-h", "--help"):
            return __doc__.strip()
        elif a.startswith("-"):
            fail(f"unknown option '{show(a, 80)}' (see procbench report --help)")
        else:
            files.append(a)
    if not files and not store:
        fail("needs at least one results or comparison file, or --history STORE (see procbench report --help)")
    if not shutil.which("gnuplot"):
        fail("gnuplot is not installed (apt-get install gnuplot-nox)")
    inputs = {}  # (st_dev, st_ino) of every file read -> its path
    docs = [(f, *load(f, inputs)) for f in files]
    for f in files:  # a symbolic link the user named is an input too
        try:
            st = os.lstat(f)
            inputs.setdefault((st.st_dev, st.st_ino), f)
        except OSError:
            pass
    if not out_dir:
        out_dir = os.path.join(HERE, "out", chart_stems(files[:1])[0] if files else "history")
    stage = state["stage"] = Stage(out_dir)
    sections = []
    path = files[0] if files else "the history store"
    try:
        if store:
            sections.append(history_section(store, stage, inputs))
        for (path, kind, doc), stem in zip(docs, chart_stems(files)):
            sec = {"title": ("Results: " if kind == "results" else "Comparison: ") + path,
                   "context": context_rows(kind, doc), "charts": [], "tables": []}
            (results_charts if kind == "results" else compare_charts)(path, stem, doc, stage, sec["charts"],
                                                                      sec["tables"], inputs)
            sections.append(sec)
        page(stage, sections)
    except KeyError as e:
        damaged(path, "a field the report needs (%s)" % show(e.args[0] if e.args else "?", 40), "missing")
    except (TypeError, ValueError, AttributeError, IndexError, ZeroDivisionError, OverflowError) as e:
        damaged(path, "a field", f"not what the report can use ({type(e).__name__}: {show(e, 200)})")
    except OSError as e:
        fail(f"cannot write the report in {show(out_dir)} ({e.strerror or e}); the previous report is kept")
    try:
        stage.commit(inputs)
    except OSError as e:
        fail(f"cannot put the report in {show(out_dir)} ({e.strerror or e}); the previous report is kept")
    return show(os.path.join(out_dir, "index.html"), None)


def main(argv):
    """Every way out is one of: the page's path on stdout, exit 0; one line on stderr, exit 2;
    quietly 128 + the signal for SIGINT or SIGTERM. Whatever happened, no stage is left."""
    def on_signal(signum, _frame):
        for s in (signal.SIGINT, signal.SIGTERM):  # one is enough: the clean-up is not interrupted
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)
    for s in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(s) != signal.SIG_IGN:  # a background job's SIGINT stays ignored
            signal.signal(s, on_signal)
    state = {"stage": None}
    msg, code = None, 0
    try:
        text = report(argv, state)
    except Interrupted as e:
        code = 128 + e.signum
    except ReportError as e:
        msg, code = str(e), 2
    except RecursionError:
        msg, code = "an input is nested too deeply to read", 2
    except MemoryError:
        msg, code = "out of memory", 2
    except OSError as e:
        msg, code = f"{e.strerror or e}" + (f": {show(e.filename)}" if e.filename else ""), 2
    except Exception as e:  # a last resort: still one line, never a traceback
        msg, code = f"internal error ({type(e).__name__}: {show(e, 200)}); please report it", 2
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        if state["stage"]:
            state["stage"].discard()
    if code == 0:
        try:
            if sys.stdout is None:  # started with it closed
                raise OSError(errno.EBADF, "it is closed")
            sys.stdout.write(show(text, None) + "\n")  # the page's path as given: escaped
            sys.stdout.flush()
        except OSError as e:
            msg, code = f"cannot write to standard output ({e.strerror})" + (
                "; the report is in place" if state["stage"] else ""), 2
    if msg:
        try:
            sys.stderr.write(f"procbench report: {show(msg, 1000)}\n")
            sys.stderr.flush()
        except (OSError, AttributeError):  # stderr full, or closed (None)
            pass
    # No exit-time flush of a stdout that failed, and no message about it.
    os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
