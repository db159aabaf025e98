#!/usr/bin/env python3
# tcsim plot with the real gnuplot: every plot kind in PNG, SVG and PDF, the
# numbers behind the pictures, and what happens without gnuplot.
# Usage: plot.py TCSIM DATA_DIR
#
# A PNG must be a valid file (signature, CRC of every chunk, IHDR with the
# size the script asks for, IDAT inflating to exactly height x (1 + row
# bytes)) and non-trivial: it is decoded (all five PNG filters) and must hold
# many colours, among them the exact colours of the series it draws. An SVG
# must parse as XML with an <svg> root, hold many paths and the same series
# colours. The data files gnuplot draws are recomputed here from
# timeseries.csv and trucks.csv.
import hashlib
import math
import os
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
scenario = os.path.join(data, "plot.yaml")
tmp = tempfile.mkdtemp(prefix="tcsim-plot-")
ok, run = tap.ok, tap.runner(tcsim)

BLUE, ORANGE, GREEN, VERMILION = "0072b2", "e69f00", "009e73", "d55e00"  # Okabe-Ito
T975_4 = 2.7764451051977987  # t_{0.975, 4}: 5 replications


def png_decode(path):
    """(width, height, set of colours as 'rrggbb'); raises on an invalid file."""
    b = open(path, "rb").read()
    if b[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, idat, ihdr, end = 8, [], None, False
    while pos < len(b):
        n, = struct.unpack(">I", b[pos:pos + 4])
        typ, chunk = b[pos + 4:pos + 8], b[pos + 8:pos + 8 + n]
        crc, = struct.unpack(">I", b[pos + 8 + n:pos + 12 + n])
        if zlib.crc32(typ + chunk) != crc:
            raise ValueError("bad CRC in chunk %r" % typ)
        if typ == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", chunk)
        elif typ == b"IDAT":
            idat.append(chunk)
        elif typ == b"IEND":
            end = True
            break
        pos += 12 + n
    if not ihdr or not idat or not end:
        raise ValueError("missing IHDR, IDAT or IEND")
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("unexpected format %r" % (ihdr,))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    if len(raw) != h * (stride + 1):
        raise ValueError("IDAT holds %d bytes, expected %d" % (len(raw), h * (stride + 1)))
    prev, colours = bytearray(stride), set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 255
        elif f == 2:
            row = bytearray((a + c) & 255 for a, c in zip(row, prev))
        elif f == 3:
            for i in range(stride):
                row[i] = (row[i] + ((row[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
        elif f == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                c = prev[i - bpp] if i >= bpp else 0
                up = prev[i]
                p = a + up - c
                pa, pb, pc = abs(p - a), abs(p - up), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else up if pb <= pc else c)) & 255
        elif f != 0:
            raise ValueError("unknown filter %d" % f)
        colours.update(row[i:i + 3].hex() for i in range(0, stride, bpp))
        prev = row
    return w, h, colours


def check_png(path, size, must):
    name = os.path.basename(path)
    try:
        w, h, colours = png_decode(path)
    except (OSError, ValueError, zlib.error) as e:
        ok(False, "%s: a valid PNG" % name, e)
        return
    ok((w, h) == size, "%s: valid PNG of %dx%d" % (name, size[0], size[1]), "got %dx%d" % (w, h))
    nbytes = os.path.getsize(path)
    ok(nbytes > 12000 and len(colours) >= 40,
       "%s: non-trivial (%d bytes, %d colours)" % (name, nbytes, len(colours)))
    missing = [c for c in must if c not in colours]
    ok(not missing, "%s: draws the series colours %s" % (name, ", ".join(must)),
       "missing %s" % missing)


SVG = "{http://www.w3.org/2000/svg}"


def check_svg(path, must, text=None):
    name = os.path.basename(path)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        ok(False, "%s: parses as XML" % name, e)
        return
    ok(root.tag == SVG + "svg", "%s: XML with an <svg> root" % name, root.tag)
    paths = root.findall(".//" + SVG + "path")
    colours = set()

    def add(v):  # "#rrggbb" or gnuplot's "rgb(  0, 114, 178)"
        v = v.strip().lower()
        if v.startswith("rgb(") and v.endswith(")"):
            colours.add("#" + "".join("%02x" % int(x) for x in v[4:-1].split(",")))
        elif v.startswith("#"):
            colours.add(v)

    for el in root.iter():
        for attr in ("stroke", "fill"):
            add(el.get(attr, ""))
        for part in el.get("style", "").split(";"):
            if ":" in part and part.split(":")[0].strip() in ("stroke", "fill"):
                add(part.split(":", 1)[1])
    ok(len(paths) >= 10, "%s: non-trivial (%d paths)" % (name, len(paths)))
    missing = [c for c in must if "#" + c not in colours]
    ok(not missing, "%s: draws the series colours %s" % (name, ", ".join(must)),
       "missing %s; has %s" % (missing, sorted(colours)[:30]))
    if text is not None:
        texts = " ".join("".join(el.itertext()) for el in root.iter(SVG + "text"))
        ok(text in texts, "%s: says \"%s\"" % (name, text), texts[:400])


def read_blocks(path):
    """gnuplot data file: blocks separated by two blank lines, '#' comments kept per block."""
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
            continue
        cur.append(line.split())
    if cur or head:
        blocks.append((head, cur))
    return [b for b in blocks if b[1]]


def hashes(d):
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, d)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


# ---- a run with --trace, drawn in every format ----
d1 = os.path.join(tmp, "run")
r = run(["run", "-q", "--trace", "-j", "2", "-o", d1, scenario])
ok(r.returncode == 0, "tcsim run --trace", r.stderr)
r = run(["plot", d1])
pics = ["stations", "road", "time_in_system", "utilization", "throughput"]
ok(r.returncode == 0 and r.stderr == "tcsim: 5 plots in %s/plots/: %s\n"
   % (d1, " ".join(p + ".png" for p in pics)), "tcsim plot DIR: exit 0, lists the 5 pictures",
   r.stderr)
# stations: 3 stations and the total stock in 2 columns of 2 rows under a 118-unit header
sizes = {"stations": (1300, 118 + 240 * 2), "road": (1000, 540), "time_in_system": (1000, 560),
         "utilization": (1000, 560), "throughput": (1000, 580)}
colours = {"stations": [BLUE, ORANGE, VERMILION], "road": [BLUE],
           "time_in_system": [BLUE, ORANGE], "utilization": [BLUE],
           "throughput": [BLUE, GREEN]}
for p in pics:
    check_png(os.path.join(d1, "plots", p + ".png"), sizes[p], colours[p])
ok(sorted(os.listdir(os.path.join(d1, "plots"))) == sorted(["data"] + [p + ".png" for p in pics]),
   "plots/ holds the pictures and data/, no temporary", os.listdir(os.path.join(d1, "plots")))

r = run(["plot", "--format", "svg", d1])
ok(r.returncode == 0, "tcsim plot --format svg", r.stderr)
for p in pics:
    check_svg(os.path.join(d1, "plots", p + ".svg"), colours[p] if p != "road" else [BLUE],
              "Plot check")
r = run(["plot", "--format=pdf", d1])
pdf = open(os.path.join(d1, "plots", "stations.pdf"), "rb").read() if r.returncode == 0 else b""
ok(pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:] and len(pdf) > 5000,
   "tcsim plot --format=pdf: a PDF (%d bytes)" % len(pdf), r.stderr)

# ---- the numbers behind the pictures ----
ts = {}
with open(os.path.join(d1, "timeseries.csv")) as f:
    f.readline()
    for line in f:
        rep, t, st, present, waiting, busy, blocked = line.rstrip("\n").split(",")
        ts.setdefault((st, float(t)), []).append((float(present), float(waiting), float(blocked)))
blocks = read_blocks(os.path.join(d1, "plots", "data", "stations.dat"))
ok([b[0][-1] for b in blocks] == ["# station yard", "# station lanes", "# station gate",
                                  "# total stock (present at all stations and on all roads)"],
   "stations.dat: one block per station, in scenario order, then the total stock",
   [b[0] for b in blocks])
cap = {"yard": 40, "lanes": 8, "gate": 5}
worst, n_cells = 0.0, 0
for (head, rows), st in zip(blocks, ["yard", "lanes", "gate"]):
    for row in rows:
        vals = ts[(st, 30.0 * round(float(row[0]) * 1440 / 30))]  # t in days, %.6g
        for c in range(3):
            v = [x[c] for x in vals]
            m = sum(v) / len(v)
            sd = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))
            ci = T975_4 * sd / math.sqrt(len(v))
            want = (m, max(0.0, m - ci), min(cap[st], m + ci))
            got = tuple(float(x) for x in row[1 + 3 * c:4 + 3 * c])
            for a, b in zip(want, got):
                worst = max(worst, abs(a - b) / max(1.0, abs(a)))
            n_cells += 1
ok(n_cells == 3 * 3 * 145 and worst < 1e-5,
   "stations.dat: mean and 95 %% band of present/waiting/blocked = recomputed (%d cells, worst "
   "relative error %.2g)" % (n_cells, worst))
# the total stock: present summed over the stations and the road in each
# replication, then the mean and band of those sums
by_rep = {}
with open(os.path.join(d1, "timeseries.csv")) as f:
    f.readline()
    for line in f:
        rep, t, st, present = line.split(",")[:4]
        by_rep[(float(t), rep)] = by_rep.get((float(t), rep), 0.0) + float(present)
worst, top = 0.0, 0.0
for row in blocks[3][1]:
    v = [x for (t, rep), x in by_rep.items() if t == 30.0 * round(float(row[0]) * 1440 / 30)]
    m = sum(v) / len(v)
    ci = T975_4 * math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1)) / math.sqrt(len(v))
    top = max(top, m)
    for a, b in zip((m, max(0.0, m - ci), m + ci), (float(x) for x in row[1:4])):
        worst = max(worst, abs(a - b) / max(1.0, abs(a)))
ok(len(blocks[3][1]) == 145 and len(v) == 5 and worst < 1e-5 and top > 40,
   "stations.dat: total stock = mean and band of the per-replication sums over 3 stations and "
   "the road (145 samples, peak %.1f trucks, worst relative error %.2g)" % (top, worst))
road = read_blocks(os.path.join(d1, "plots", "data", "road.dat"))
worst = 0.0
for row in road[0][1]:
    v = [x[0] * 25 / 1000 for x in ts[("road:yard", 30.0 * round(float(row[0]) * 1440 / 30))]]
    worst = max(worst, abs(sum(v) / len(v) - float(row[1])))
ok(len(road) == 1 and len(road[0][1]) == 145 and worst < 1e-5 and
   max(float(r[1]) for r in road[0][1]) > 0.5,
   "road.dat: km = trucks x 25 m, mean across replications (a queue forms)")

tis = {"fruit": [], "general": []}
with open(os.path.join(d1, "trucks.csv")) as f:
    f.readline()
    for line in f:
        x = line.rstrip("\n").split(",")
        if x[-1] == "served" and 720 <= float(x[-2]) < 4320:
            tis[x[1]].append((float(x[-2]) - float(x[3])) / 60)
cdf = read_blocks(os.path.join(d1, "plots", "data", "time_in_system_cdf.dat"))
good = len(cdf) == 2
for (head, rows), c in zip(cdf, ["fruit", "general"]):
    v = sorted(tis[c])
    xs = [float(r[0]) for r in rows]
    fs = [float(r[1]) for r in rows]
    good &= head[-1] == "# class %s (%d trucks)" % (c, len(v))
    good &= abs(xs[-1] - v[-1]) < 1e-5 * v[-1] and fs[-1] == 1 and fs[0] == 0
    good &= xs == sorted(xs) and fs == sorted(fs)
    # every point is on the empirical CDF: F(x) = rank / n
    good &= all(abs(v[int(round(f * len(v))) - 1] - x) < 1e-5 * max(1, x)
                for x, f in zip(xs[1:], fs[1:]))
ok(good, "time_in_system_cdf.dat: the empirical CDF (hours) of served trucks exiting in "
   "[warmup, horizon), per class", [b[0] for b in cdf])

# ---- --gzip: the same distribution from trucks.csv.gz ----
dz = os.path.join(tmp, "gz")
r = run(["run", "-q", "--trace", "--gzip", "-j", "2", "-o", dz, "--plot", scenario])
cdf_path = os.path.join("plots", "data", "time_in_system_cdf.dat")
ok(r.returncode == 0 and not os.path.exists(os.path.join(dz, "trucks.csv")) and
   open(os.path.join(dz, cdf_path), "rb").read() == open(os.path.join(d1, cdf_path), "rb").read(),
   "run --trace --gzip --plot: time_in_system_cdf.dat from trucks.csv.gz, the same bytes",
   r.stderr)

# ---- without trucks.csv the distribution plot says what is missing ----
d2 = os.path.join(tmp, "notrace")
r = run(["run", "-q", "-o", d2, "--plot=svg", scenario])
ok(r.returncode == 0 and sorted(os.listdir(os.path.join(d2, "plots")))
   == sorted(["data"] + [p + ".svg" for p in pics]),
   "tcsim run --plot=svg draws every picture right after the run", r.stderr)
check_svg(os.path.join(d2, "plots", "time_in_system.svg"), [BLUE, ORANGE],
          "trucks.csv not found")

# ---- a sweep: one and two varied keys ----
d3 = os.path.join(tmp, "sweep")
r = run(["sweep", "-q", "-r", "3", "-o", d3, "--vary", "stations.lanes.servers=3:5:1", scenario])
sw = ["sweep_time_in_system", "sweep_time_in_system_p95", "sweep_wait", "sweep_utilization",
      "sweep_road_km"]
ok(r.returncode == 0 and all(os.path.exists(os.path.join(d3, "plots", p + ".png")) for p in sw),
   "tcsim sweep draws the five sweep plots", r.stderr)
for p in sw:
    # one panel (440 units) under a header with the legend row (105 + 22)
    check_png(os.path.join(d3, "plots", p + ".png"), (1000, 127 + 440),
              [BLUE, ORANGE] if p != "sweep_road_km" else [BLUE])
d4 = os.path.join(tmp, "sweep2")
r = run(["sweep", "-q", "-r", "2", "-o", d4, "--vary", "stations.lanes.servers=3,4",
         "--vary", "stations.gate.servers=2:4:1", "--format", "svg", scenario])
ok(r.returncode == 0, "a sweep with two --vary and --format svg", r.stderr)
check_svg(os.path.join(d4, "plots", "sweep_wait.svg"), [BLUE, ORANGE, GREEN],
          "servers at gate:")

# ---- hostile --vary values are data, never gnuplot code ----
# The reproducer: a value closing gnuplot's quote to run system() once did
# (the legend of a two-key sweep was built with sprintf and eval).
svg_texts = lambda path: ["".join(el.itertext()) for el in ET.parse(path).getroot().iter(SVG + "text")]
# (A line break is no longer a possible value: names reject control characters.)
hostile = ["x';system 'touch pwned';set label 99 'y", 'back\\slash "dq" `touch bq` @x $HOME']
cwd = os.path.join(tmp, "hostile_cwd")
os.makedirs(cwd)
d5 = os.path.join(tmp, "hostile")
r = subprocess.run([tcsim, "sweep", "-q", "-r", "2", "-o", d5, "--format", "svg",
                    "--vary", "stations.lanes.servers=3,4", "--vary", "name=" + ",".join(hostile),
                    scenario], capture_output=True, text=True, cwd=cwd)
ok(r.returncode == 0,
   "a sweep whose values hold quotes, backslashes, ;system, backticks and @", r.stderr)
ok(os.listdir(cwd) == [] and not os.path.exists(os.path.join(d5, "plots", "pwned")),
   "no file created by the values (system, backticks)", os.listdir(cwd))
for p in sw:
    path = os.path.join(d5, "plots", p + ".svg")
    ok(os.path.exists(path), "%s.svg drawn" % p)
    if os.path.exists(path):
        texts = svg_texts(path)
        missing = [h for h in hostile if h not in texts]
        ok(not missing, "%s.svg: the legend shows every value as given" % p,
           "missing %r; texts %r" % (missing, texts[:40]))
# a value with quotes on the x axis (a scenario list): tick labels as given
d5b = os.path.join(tmp, "hostile_x")
r = subprocess.run([tcsim, "sweep", "-q", "-r", "2", "-o", d5b, "--format", "svg", "--vary",
                    "stations.lanes.open=['06:00-22:00'],['07:00-12:00', '13:00-19:00']", scenario],
                   capture_output=True, text=True, cwd=cwd)
ok(r.returncode == 0, "a sweep of a value with quotes and blanks (open hours)", r.stderr)
path = os.path.join(d5b, "plots", "sweep_wait.svg")
texts = svg_texts(path) if os.path.exists(path) else []
ok("['06:00-22:00']" in texts and "['07:00-12:00', '13:00-19:00']" in texts,
   "sweep_wait.svg: the x tick labels are the values as given (quotes, blank kept)", texts[:40])

# ---- errors ----
r = run(["plot", "--format", "gif", d1])
ok(r.returncode == 2 and "--format: expected png, svg or pdf, got \"gif\"" in r.stderr,
   "--format gif: usage error (exit 2)", r.stderr)
r = run(["plot", os.path.join(tmp, "nothing")])
ok(r.returncode == 1 and "holds none of summary.json (tcsim run), sweep.csv (tcsim sweep)" in r.stderr,
   "a directory without outputs: exit 1 and says what is missing", r.stderr)

# ---- where the scripts are found: $TCSIM_PLOTS, then ../share/tcsim/plots next to the program ----
plots_src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "plots")


def restyled(where, colour):
    """a copy of plots/ whose first series colour is colour"""
    shutil.copytree(plots_src, where)
    lib = os.path.join(where, "lib.gp")
    text = open(lib).read()
    open(lib, "w").write(text.replace("'#0072B2'", "'#%s'" % colour, 1))


prefix = os.path.join(tmp, "prefix")
os.makedirs(os.path.join(prefix, "bin"))
shutil.copy2(tcsim, os.path.join(prefix, "bin", "tcsim"))
restyled(os.path.join(prefix, "share", "tcsim", "plots"), "123456")
d8 = os.path.join(tmp, "relocated")
shutil.copytree(d1, d8)
r = subprocess.run([os.path.join(prefix, "bin", "tcsim"), "plot", "--format", "svg", d8],
                   capture_output=True, text=True)
ok(r.returncode == 0, "a relocated program (PREFIX/bin/tcsim) draws", r.stderr)
check_svg(os.path.join(d8, "plots", "road.svg"), ["123456"])
restyled(os.path.join(tmp, "mine"), "abcdef")
r = subprocess.run([os.path.join(prefix, "bin", "tcsim"), "plot", "--format", "svg", d8],
                   capture_output=True, text=True,
                   env=dict(os.environ, TCSIM_PLOTS=os.path.join(tmp, "mine")))
ok(r.returncode == 0, "with TCSIM_PLOTS set", r.stderr)
check_svg(os.path.join(d8, "plots", "road.svg"), ["abcdef"])

# ---- a script that fails: nothing drawn is committed, the pictures before stay ----
shutil.copytree(plots_src, os.path.join(tmp, "broken"))
with open(os.path.join(tmp, "broken", "time_in_system.gp"), "a") as f:
    f.write("plot undefined_variable_here\n")
d9 = os.path.join(tmp, "broken-run")
shutil.copytree(d1, d9)
before = {k: v for k, v in hashes(d9).items() if k.startswith("plots/") and k.endswith(".png")}
r = run(["plot", d9], env=dict(os.environ, TCSIM_PLOTS=os.path.join(tmp, "broken")))
after = {k: v for k, v in hashes(d9).items() if k.startswith("plots/") and k.endswith(".png")}
ok(r.returncode == 1 and "time_in_system.gp: error: gnuplot failed (exit status 1)" in r.stderr
   and "undefined_variable_here" in r.stderr and
   r.stderr.endswith("tcsim: no plot was written; the data in %s/ are intact\n" % d9),
   "a failing script: exit 1, gnuplot's message, nothing written", r.stderr)
ok(len(before) == 5 and after == before and
   not [n for n in os.listdir(os.path.join(d9, "plots")) if n.startswith(".")],
   "a failing script: the earlier pictures unchanged, no temporary left")

# ---- gnuplot missing: one line naming the package, exit 1, the data intact ----
d5 = os.path.join(tmp, "nognuplot")
shutil.copytree(d1, d5)
shutil.rmtree(os.path.join(d5, "plots"))
before = hashes(d5)
env = dict(os.environ, PATH=os.path.join(tmp, "empty-path"))
r = run(["plot", d5], env=env)
ok(r.returncode == 1, "without gnuplot on PATH: exit 1", r.returncode)
ok(r.stderr == "tcsim: cannot draw plots: gnuplot is not installed (install the gnuplot-nox "
   "package: apt-get install gnuplot-nox); the data in %s/ are intact\n" % d5,
   "without gnuplot: one line naming gnuplot-nox", r.stderr)
ok(hashes(d5) == before, "without gnuplot: every data file intact, nothing added")
d6 = os.path.join(tmp, "nognuplot-run")
r = run(["run", "-q", "--plot", "-o", d6, scenario], env=env)
ok(r.returncode == 1 and r.stderr.count("\n") == 1 and "gnuplot-nox" in r.stderr and
   sorted(os.listdir(d6)) == ["complete.json", "datapackage.json", "replications.csv", "scenario.yaml",
                              "summary.csv", "summary.json", "timeseries.csv"],
   "run --plot without gnuplot: exit 1, one line, the run's outputs written", r.stderr)
d7 = os.path.join(tmp, "nognuplot-sweep")
r = run(["sweep", "-r", "2", "-o", d7, "--vary", "stations.gate.servers=3,4", scenario], env=env)
ok(r.returncode == 0 and "warning: sweep plots skipped: gnuplot is not installed" in r.stderr and
   os.path.exists(os.path.join(d7, "sweep.csv")) and not os.path.exists(os.path.join(d7, "plots")),
   "sweep without gnuplot: sweep.csv written, a warning, exit 0", r.stderr)

status = tap.done()
shutil.rmtree(tmp)
sys.exit(status)
