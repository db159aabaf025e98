#!/usr/bin/env python3
# What each picture is asked to draw (the data files and variables passed
# to gnuplot), checked on the data and on the SVG gnuplot wrote: series
# counted per plot element, colours, dash types, texts. One test or more
# per defect of issue 18, each named after what it asserts.
# Usage: pictures.py TCSIM DATA_DIR
import csv
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim, data = os.path.abspath(sys.argv[1]), sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
plots_dir = os.path.join(here, "..", "..", "plots")
scenarios = os.path.join(here, "..", "..", "scenarios")
scenario = os.path.join(data, "plot.yaml")
tmp = tempfile.mkdtemp(prefix="tcsim-pictures-")
ok, run = tap.ok, tap.runner(tcsim)

SVG = "{http://www.w3.org/2000/svg}"
OKABE_ITO = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#8e7a00",
             "#000000"]


def colour(v):
    """'#rrggbb' of "#RRGGBB" or gnuplot's "rgb(  0, 114, 178)", else None."""
    v = (v or "").strip().lower()
    if v.startswith("rgb(") and v.endswith(")"):
        return "#" + "".join("%02x" % int(x) for x in v[4:-1].split(","))
    if re.fullmatch(r"#[0-9a-f]{6}", v):
        return v
    return None


def svg(path):
    return ET.parse(path).getroot()


def texts(root):
    return ["".join(el.itertext()) for el in root.iter(SVG + "text")]


def plot_groups(root):
    """Each plot element gnuplot drew (<g id="gnuplot_plot_N...">) that holds a path or point:
    (stroke colours of its paths, dash arrays, number of point marks, colours of the marks)."""
    out = []
    for g in root.iter(SVG + "g"):
        if not (g.get("id") or "").startswith("gnuplot_plot_"):
            continue
        paths = [p for p in g.iter(SVG + "path") if p.get("d", "").strip()]
        uses = list(g.iter(SVG + "use"))
        if not paths and not uses:
            continue
        out.append(({colour(p.get("stroke")) for p in paths} - {None},
                    {p.get("stroke-dasharray") for p in paths},
                    len(uses), {colour(u.get("color")) for u in uses} - {None}))
    return out


def all_colours(root):
    cs = set()
    for el in root.iter():
        for attr in ("stroke", "fill", "color"):
            c = colour(el.get(attr))
            if c:
                cs.add(c)
        for part in el.get("style", "").split(";"):
            if ":" in part and part.split(":")[0].strip() in ("stroke", "fill", "color"):
                c = colour(part.split(":", 1)[1])
                if c:
                    cs.add(c)
    return cs


def is_grey(c):
    return c[1:3] == c[3:5] == c[5:7]


def read_blocks(path):
    """gnuplot data file: blocks split by two blank lines; (comments, rows)."""
    blocks, cur, head = [], [], []
    for line in open(path):
        line = line.strip()
        if not line:
            if cur or head:
                blocks.append((head, cur))
                cur, head = [], []
            continue
        if line.startswith("#"):
            head.append(line)
        else:
            cur.append(line.split())
    if cur or head:
        blocks.append((head, cur))
    return [b for b in blocks if b[1]]


def png_size(path):
    b = open(path, "rb").read(24)
    return struct.unpack(">II", b[16:24]) if b[:8] == b"\x89PNG\r\n\x1a\n" else None


def scenario_with(extra, name):
    """plot.yaml with lines added at the top level, in the temporary directory."""
    path = os.path.join(tmp, name + ".yaml")
    with open(path, "w") as f:
        f.write(open(scenario).read() + extra)
    return path


# ---- sweeps over two keys with one member left: every value of the second key ----
# The reproducer of the issue: yard-lanes has one station with finite servers
# (lanes); its utilization once showed the first of the four rates only.
d = os.path.join(tmp, "yard-lanes")
r = run(["sweep", "-q", "-r", "3", "-o", d, "--format", "svg", os.path.join(scenarios, "yard-lanes.yaml"),
         "--vary", "stations.lanes.servers=5:8:1", "--vary", "arrivals.0.rate=30:45:5/h"])
ok(r.returncode == 0, "sweep of yard-lanes over servers and rate", r.stderr)
root = svg(os.path.join(d, "plots", "sweep_utilization.svg"))
groups = plot_groups(root)
series = [g for g in groups if g[0] & set(OKABE_ITO[:4])]
ok(len(series) == 4 and [sorted(g[0]) for g in series] == [[c] for c in OKABE_ITO[:4]]
   and all(g[2] == 4 for g in series),
   "sweep_utilization.svg (one station, 4 rates): 4 series drawn, each in its colour with 4 "
   "points", groups)
ok(len({frozenset(g[1]) for g in series}) == 4,
   "sweep_utilization.svg: each series its own dash type (none hides under another)",
   [g[1] for g in series])
ok(len({frozenset(g[3]) for g in series}) == 4 and len({g[2] for g in series}) == 1,
   "sweep_utilization.svg: the points of the series are marks of their own colour", series)
blocks = read_blocks(os.path.join(d, "plots", "data", "sweep_utilization.dat"))
ok([b[0][-1] for b in blocks] == ["# stations lanes; %d/h" % x for x in (30, 35, 40, 45)]
   and all(len(b[1]) == 4 for b in blocks),
   "sweep_utilization.dat: a block per rate, 4 server counts each")
# overloaded: offered load rate x E[S] / servers >= 1 (E[S] = 8 min), circled
want = [[1 if rate / 60 * 8 / c >= 1 - 1e-9 else 0 for c in (5, 6, 7, 8)]
        for rate in (30, 35, 40, 45)]
got = [[int(row[3]) for row in b[1]] for b in blocks]
ok(got == want, "sweep_utilization.dat: overloaded where rate x 8 min / servers >= 1 "
   "(40/h at 5 servers, 45/h at 5 and 6)", got)
marks = [g for g in groups if g[3] == {"#000000"}]
ok(sum(g[2] for g in marks) == 3,
   "sweep_utilization.svg: 3 overloaded variants circled", marks)
tx = texts(root)
ok("overloaded (offered load >= 1)" in tx and "servers at lanes" in tx
   and "arrival rate of stream 1:" in tx,
   "sweep_utilization.svg: readable labels (servers at lanes, arrival rate of stream 1) and "
   "the overload mark in the legend", tx[:30])


def text_y(root, s):
    for el in root.iter(SVG + "g"):
        t = el.find(SVG + "text")
        if t is not None and "".join(t.itertext()) == s:
            m = re.search(r"translate\(([\d.]+),([\d.]+)\)", el.get("transform", ""))
            if m:
                return float(m.group(2))
    return None


ok((text_y(root, "30/h") or 1e9) < (text_y(root, "lanes") or 0),
   "sweep_utilization.svg: the legend is above the panel (not over the data)")
# the same with one key: the members in a legend above the panel, not on the data
d1 = os.path.join(tmp, "sweep1")
r = run(["sweep", "-q", "-r", "2", "-o", d1, "--format", "svg", "--vary",
         "stations.lanes.servers=3:5:1", scenario])
root = svg(os.path.join(d1, "plots", "sweep_wait.svg"))
ok(r.returncode == 0 and (text_y(root, "lanes") or 1e9) < 120 and
   not root.findall(".//" + SVG + "g[@id='gnuplot_plot_1']/" + SVG + "text"),
   "sweep_wait.svg with one key: the legend of the members above the panel", r.stderr)

# p95 wherever percentiles are drawn: a sweep plot of time_in_system_p95
rows = list(__import__("csv").DictReader(open(os.path.join(d1, "sweep.csv"))))
b = read_blocks(os.path.join(d1, "plots", "data", "sweep_time_in_system_p95.dat"))
want = [float(rw["classes.fruit.time_in_system_p95.mean"]) for rw in rows]
got = [float(x[1]) for x in b[0][1]]
ok(b[0][0][-1].startswith("# classes fruit") and len(got) == 3 and
   all(abs(g * 60 - w) < 1e-4 * w for g, w in zip(got, want)),
   "sweep_time_in_system_p95.dat: the p95 of sweep.csv in hours (%s)" % got)

# ---- a metric undefined in every variant is not "0 in every variant" ----
d2 = os.path.join(tmp, "handmade")
os.makedirs(d2)
with open(os.path.join(d2, "sweep.csv"), "w") as f:
    f.write("variant,stations.a.servers,"
            "stations.x.wait.mean,stations.x.wait.ci95,stations.y.wait.mean,stations.y.wait.ci95,"
            "stations.z.wait.mean,stations.z.wait.ci95,"
            "stations.x.utilization.mean,stations.x.utilization.ci95\n"
            "v1,1,5,1,0,0,,,1,0\n"
            "v2,2,3,1,0,0,,,0.5,0.01\n")
r = run(["plot", "--format", "svg", d2])
root = svg(os.path.join(d2, "plots", "sweep_wait.svg"))
ok(r.returncode == 0 and
   "not shown: y (0 in every variant); z (undefined in every variant)" in texts(root),
   "a member undefined in every variant is said to be undefined, one at 0 to be 0",
   (r.stderr, texts(root)[:12]))
blocks = read_blocks(os.path.join(d2, "plots", "data", "sweep_utilization.dat"))
ok([x[3] for x in blocks[0][1]] == ["1", "0"],
   "without the variants' scenarios, busy >= 99.5 %% marks a variant overloaded", blocks)

# ---- road.png decides from max_trucks, not from the samples ----
d3 = os.path.join(tmp, "daily")
r = run(["run", "-q", "-o", d3, "--set", "sample_every=1d", "--plot=svg", scenario])
most = json.load(open(os.path.join(d3, "summary.json")))["roads"]["yard"]["max_trucks"]["max"]
road = read_blocks(os.path.join(d3, "plots", "data", "road.dat"))
tx = " ".join(texts(svg(os.path.join(d3, "plots", "road.svg"))))
ok(r.returncode == 0 and most > 10 and all(float(x[1]) == 0 for x in road[0][1]) and
   ("a road queue of up to %g trucks formed and cleared between samples" % most) in tx and
   "no road queue formed" not in tx,
   "road.svg: daily samples all 0 but max_trucks %g: says a queue of up to %g trucks formed "
   "between samples" % (most, most), tx[:300])
d4 = os.path.join(tmp, "quiet")
r = run(["run", "-q", "-o", d4, "--set", "arrivals.0.rate=1/h", "--set", "arrivals.1.rate=1/h",
         "--plot=svg", scenario])
most = json.load(open(os.path.join(d4, "summary.json")))["roads"]["yard"]["max_trucks"]["max"]
tx = " ".join(texts(svg(os.path.join(d4, "plots", "road.svg"))))
ok(r.returncode == 0 and most == 0 and "no road queue formed in any replication" in tx,
   "road.svg: max_trucks 0 in every replication: no road queue formed", tx[:300])

# ---- sample times printed rounded (4 h in days is 0.166667) are still samples ----
d5 = os.path.join(tmp, "days")
r = run(["run", "-q", "-o", d5, "--set", "time_unit=d", "--set", "sample_every=4 h", "--plot=svg",
         scenario])
rows = list(csv.DictReader(open(os.path.join(d5, "timeseries.csv")))) if r.returncode == 0 else []
reps = sorted({x["rep"] for x in rows})
want = [sum(float(x["present"]) for x in rows if x["station"] == "yard" and x["t"] == t) / len(reps)
        for t in ("0.166667", "0.333333")]
yard = read_blocks(os.path.join(d5, "plots", "data", "stations.dat"))[0][1] if r.returncode == 0 else []
ok(r.returncode == 0 and len(yard) > 2 and [x[0] for x in yard[1:3]] == ["0.166667", "0.333333"]
   and all(abs(float(x[1]) - w) < 1e-5 * max(1, w) for x, w in zip(yard[1:3], want)),
   "time unit d, samples every 4 h (t printed 0.166667): plotted, yard present at 4 h and 8 h "
   "= the mean over replications of timeseries.csv (%s)" % want, (r.stderr, yard[:3]))

# ---- stations: lines (no mixed shades), total stock, points when samples are few ----
root = svg(os.path.join(d3, "plots", "stations.svg"))
fills = set()
for el in root.iter():
    c = colour(el.get("fill"))
    if c and el.tag == SVG + "path":
        fills.add(c)
ok(not (fills & set(OKABE_ITO[:4])),
   "stations.svg: no area filled in a series colour (overlaps would show colours not in the "
   "legend)", fills)
pts = sum(g[2] for g in plot_groups(root))
# 4 daily samples (0, 1, 2, 3 d): present, waiting, blocked at 3 stations and the total
ok(pts == 4 * (3 * 3 + 1),
   "stations.svg with daily samples: a point at each sample (%d = 4 samples x 10 series)" % pts)
ok("total stock: present at all stations and on all roads" in texts(root),
   "stations.svg: a total-stock panel")
ok(sum(g[2] for g in plot_groups(svg(os.path.join(d3, "plots", "road.svg")))) == 4,
   "road.svg with daily samples: a point at each of the 4 samples")
root = svg(os.path.join(d4, "plots", "stations.svg"))  # 30-min samples: 145
ok(sum(g[2] for g in plot_groups(root)) == 0, "stations.svg with 145 samples: lines, no points")

# ---- time axes: dates with start_date; closures shaded, events marked ----
dated = scenario_with("start_date: 2026-12-07T00:00+07:00\n"
                      "events:\n"
                      "  - {station: lanes, close: 2026-12-08T06:00, reopen: 2026-12-08T10:00}\n"
                      "  - {station: gate, at: 2026-12-09T12:00, servers: 4}\n", "dated")
dated = dated.replace(".yaml", "") + ".yaml"
txt = open(dated).read().replace("    next: exit\n", "    next: exit\n    open: [\"05:00-23:00\"]\n")
open(dated, "w").write(txt)
d5 = os.path.join(tmp, "dated")
r = run(["run", "-q", "-r", "2", "-o", d5, "--plot=svg", dated])
ok(r.returncode == 0, "a run with start_date, a closure, an event and opening hours", r.stderr)
if r.returncode == 0:
    root = svg(os.path.join(d5, "plots", "stations.svg"))
    tx = texts(root)
    ok(all(x in tx for x in ("07 Dec", "08 Dec", "09 Dec", "10 Dec")) and "date (UTC+7:00)" in tx,
       "stations.svg: the time axis in dates (07 Dec .. 10 Dec, UTC+7:00)",
       [t for t in tx if "Dec" in t or "date" in t])
    cl = read_blocks(os.path.join(d5, "plots", "data", "closures.dat"))
    by = {b[0][-1]: [(float(x[0]), float(x[1])) for x in b[1]] for b in cl}
    # days: the gate shut 23:00-05:00 each night; lanes 06:00-10:00 on day 1
    # (joined across midnight)
    gate = [(0, 5 / 24)] + [(k + 23 / 24, k + 1 + 5 / 24) for k in range(2)] + [(2 + 23 / 24, 3)]
    ok(len(by.get("# station gate", [])) == 4 and all(
        abs(a - c) < 1e-5 and abs(b - e) < 1e-5 for (a, b), (c, e) in zip(by["# station gate"], gate)),
       "closures.dat: the gate outside 05:00-23:00 every day (in days)", by.get("# station gate"))
    ok([(round(a, 5), round(b, 5)) for a, b in by.get("# station lanes", [])]
       == [(round(1 + 6 / 24, 5), round(1 + 10 / 24, 5))],
       "closures.dat: the lanes closed 06:00-10:00 on 08 Dec", by.get("# station lanes"))
    ev = [float(x[0]) for b in read_blocks(os.path.join(d5, "plots", "data", "events.dat"))
          for x in b[1]]
    ok(ev == [2.5], "events.dat: the server change at 09 Dec 12:00 = day 2.5", ev)
    ok("station closed" in tx and "event" in tx, "stations.svg: closures and events in the legend")
    tr = texts(svg(os.path.join(d5, "plots", "road.svg")))
    ok("07 Dec" in tr and "station closed" not in tr and "event" in tr,
       "road.svg: dates; the yard the road leads to is never closed; the event marked", tr[:40])

# ---- time in system: where the x-axis is cut; marks of percentiles not joined ----
# a long tail: service at the lanes lognormal with sd 2 h (mean 9 min)
d6 = os.path.join(tmp, "traced")
r = run(["run", "-q", "--trace", "-o", d6, "--set", "stations.lanes.service.sd=120min",
         "--plot=svg", scenario])
tx = texts(svg(os.path.join(d6, "plots", "time_in_system.svg")))
cut = [t for t in tx if t.startswith("x-axis cut at")]
cdf = open(os.path.join(d6, "plots", "data", "time_in_system_cdf.dat")).read()
xmax = float(re.search(r"# the x-axis ends at ([\d.e+-]+)", cdf).group(1))
tis = []
with open(os.path.join(d6, "trucks.csv")) as f:
    f.readline()
    for line in f:
        x = line.rstrip("\n").split(",")
        if x[-1] == "served" and 720 <= float(x[-2]) < 4320:
            tis.append((float(x[-2]) - float(x[3])) / 60)
beyond = sum(t > xmax for t in tis)
ok(beyond > 0 and cut == ["x-axis cut at %.3g h: %d of %d trucks beyond"
                          % (xmax, beyond, len(tis))],
   "time_in_system.svg: says where the x-axis is cut and how many trucks lie beyond (%s; "
   "recomputed: %d of %d beyond %.4g h)" % (cut, beyond, len(tis), xmax))
d7 = os.path.join(tmp, "untraced")
r = run(["run", "-q", "-o", d7, "--plot=svg", scenario])
root = svg(os.path.join(d7, "plots", "time_in_system.svg"))
dashed = [g for g in plot_groups(root) if any(x for x in g[1])]
ok(r.returncode == 0 and not dashed and "p95" in texts(root),
   "time_in_system.svg without trace: p50..p99 marks (p95 among them), no line joining them",
   dashed)
tx = texts(svg(os.path.join(d7, "plots", "throughput.svg")))
ok("departures per day" in tx and "completed trucks per day" in tx,
   "throughput.svg: each panel its own y label", tx[:20])

# ---- throughput with many stations: the right panel keeps room for its title ----
chain = os.path.join(tmp, "chain.yaml")
with open(chain, "w") as f:
    f.write("name: chain\ntime_unit: min\nhorizon: 1 d\nreplications: 2\nseed: 1\n"
            "arrivals:\n  - {to: s1, rate: 20/h}\nstations:\n")
    for k in range(1, 31):
        f.write("  s%d: {servers: 2, service: 2 min, next: %s}\n"
                % (k, "s%d" % (k + 1) if k < 30 else "exit"))
d8 = os.path.join(tmp, "chain")
r = run(["run", "-q", "-o", d8, "--plot=svg", chain])
root = svg(os.path.join(d8, "plots", "throughput.svg"))
width = float(root.get("viewBox", "0 0 0 0").split()[2])
pos = None
for el in root.iter(SVG + "g"):
    t = el.find(SVG + "text")
    if t is not None and "".join(t.itertext()) == "completed trucks per class":
        m = re.search(r"translate\(([\d.]+),([\d.]+)\)", el.get("transform", ""))
        pos = float(m.group(1)) if m else None
# centred text of 26 characters at 11 px: about 26 x 0.6 x 11 = 172 px wide; with
# 30 stations and one class the right panel was once 100 px wide, its title cut
ok(r.returncode == 0 and pos is not None and pos + 86 < width - 20 and pos - 86 > width / 2,
   "throughput.svg with 30 stations, one class: the right title (centred at %s of %s) fits"
   % (pos, width), r.stderr)

# ---- one colour-blind-safe palette (Okabe-Ito) and greys, everywhere ----
bad = {}
for dd in (d, d1, d3, d5, d6, d8):
    for p in os.listdir(os.path.join(dd, "plots")):
        if p.endswith(".svg"):
            extra = all_colours(svg(os.path.join(dd, "plots", p))) - set(OKABE_ITO) - {"#ffffff"}
            extra = {c for c in extra if not is_grey(c)}
            if extra:
                bad[p] = extra
ok(not bad, "every SVG drawn uses Okabe-Ito colours and greys only", bad)

# ---- size: --size WxH (cm, in, px), --dpi N; a PDF fits a page ----
r = run(["plot", "--size", "16x10cm", d7])
ok(r.returncode == 0 and png_size(os.path.join(d7, "plots", "road.png")) == (907, 567),
   "--size 16x10cm: road.png 907x567 px (144 dpi)", png_size(os.path.join(d7, "plots", "road.png")))
r = run(["plot", "--dpi", "288", d7])
ok(r.returncode == 0 and png_size(os.path.join(d7, "plots", "road.png")) == (2000, 1080),
   "--dpi 288: road.png at twice the pixels, 2000x1080",
   png_size(os.path.join(d7, "plots", "road.png")))
r = run(["plot", "--size", "1600x1400px", "--dpi", "288", d7])
ok(r.returncode == 0 and png_size(os.path.join(d7, "plots", "stations.png")) == (1600, 1400)
   and png_size(os.path.join(d7, "plots", "road.png")) == (1600, 1400),
   "--size 1600x1400px --dpi 288: stations.png and road.png 1600x1400 (the pixels asked for)",
   png_size(os.path.join(d7, "plots", "stations.png")))


def pdf_box(path):
    m = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", open(path, "rb").read())
    return (float(m.group(1)), float(m.group(2))) if m else None


r = run(["plot", "--format", "pdf", d7])
boxes = {p: pdf_box(os.path.join(d7, "plots", p + ".pdf"))
         for p in ("stations", "road", "time_in_system", "utilization", "throughput")}
ok(r.returncode == 0 and all(b and abs(b[0] - 16 / 2.54 * 72) < 1 and b[1] < 23 / 2.54 * 72
                             for b in boxes.values()),
   "PDFs 16 cm (453.5 pt) wide and under 23 cm high: within the text of an A4 or Letter page",
   boxes)
r = run(["plot", "--format", "pdf", "--size", "6x4in", d7])
ok(r.returncode == 0 and pdf_box(os.path.join(d7, "plots", "road.pdf")) == (432.0, 288.0),
   "--size 6x4in: road.pdf 432x288 pt", pdf_box(os.path.join(d7, "plots", "road.pdf")))
# type: the layout unit is 1/144 in, the PDF terminal's fonts are in points,
# so no font below 9 in the scripts means no type below 9 pt in a PDF
small = []
for p in os.listdir(plots_dir):
    for k, line in enumerate(open(os.path.join(plots_dir, p)), 1):
        for n in re.findall(r"font '[A-Za-z]*,(\d+(?:\.\d+)?)'", line):
            if float(n) < 9:
                small.append("%s:%d" % (p, k))
ok(not small, "no font under 9 pt in the scripts", small)
r = run(["plot", "--size", "16x10", d7])
ok(r.returncode == 2 and "--size: expected WxH with a unit, cm, in or px" in r.stderr,
   "--size without a unit: a usage error (exit 2)", r.stderr)
r = run(["plot", "--dpi", "20", d7])
ok(r.returncode == 2 and "--dpi: expected a whole number from 50 to 1200, got \"20\"" in r.stderr,
   "--dpi 20: a usage error (exit 2)", r.stderr)
r = run(["run", "-q", "-o", os.path.join(tmp, "x"), "--plot", "--size", "0x3cm", scenario])
ok(r.returncode == 2 and not os.path.exists(os.path.join(tmp, "x")),
   "run --size 0x3cm: a usage error before anything is written", r.stderr)

status = tap.done()
shutil.rmtree(tmp)
sys.exit(status)
