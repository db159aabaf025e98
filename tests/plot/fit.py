#!/usr/bin/env python3
# tcsim fit --plot / --report: what fit.png is asked to draw (the data files
# and the variables handed to gnuplot, recorded by a gnuplot wrapper on
# PATH), best/ against fit.csv, the picture not blank, the report holding
# the fit picture and fit.json's values, --plot=bmp refused.
import csv
import json
import os
import stat
import struct
import subprocess
import sys
import tempfile
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim, fitdata = os.path.abspath(sys.argv[1]), sys.argv[2]
scenario = os.path.join(fitdata, "cnet.yaml")  # time_unit min, 1 d, two classes, one gate
tmp = tempfile.mkdtemp(prefix="tcsim-fitplot-")
ok = tap.ok

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


def blocks(path):
    """gnuplot blocks (two blank lines apart): rows of fields, comments after '#' dropped."""
    out = []
    for b in open(path).read().split("\n\n\n"):
        out.append([ln.split("#")[0].split() for ln in b.splitlines()
                    if ln.strip() and not ln.startswith("#")])
    return out


# a gnuplot on PATH that records the variables (-e) of each call, then runs the real one
real = subprocess.run(["sh", "-c", "command -v gnuplot"], capture_output=True, text=True).stdout.strip()
if not real:
    tap.skip("fit plot", "gnuplot not installed")
    sys.exit(tap.done())
bindir, log = os.path.join(tmp, "bin"), os.path.join(tmp, "gnuplot.log")
os.mkdir(bindir)
wrap = os.path.join(bindir, "gnuplot")
with open(wrap, "w") as f:
    f.write('#!/bin/sh\nfor a in "$@"; do printf "%%s\\n" "$a" >> "%s"; done\nexec "%s" "$@"\n'
            % (log, real))
os.chmod(wrap, stat.S_IRWXU)
env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))


def run(args):
    return subprocess.run([tcsim] + args, capture_output=True, text=True, env=env)


obs = os.path.join(tmp, "obs.csv")
with open(obs, "w") as f:
    f.write("time,metric,value\n"
            "96,gate.present,1\n200,gate.present,2\n304,gate.present,2\n"
            "400,gate.present,2\n600,gate.present,2\n"
            "40,fruit@gate.present+other@gate.present,1\n"
            "104,gate.departures_per_day,80\n")
d = os.path.join(tmp, "fit")
P = ["--param", "stations.gate.service*=0.9:1.1"]
r = run(["fit", scenario, "--observed", obs] + P + ["-r", "3", "--holdout", "250:450", "-o", d,
                                                    "--plot", "-q"])
ok(r.returncode == 0, "fit --plot: exit 0", r.stderr)
rows = list(csv.DictReader(open(os.path.join(d, "fit.csv"))))
pd = os.path.join(d, "plots", "data")

# the points handed to gnuplot are fit.csv's cells
pts = [row for b in blocks(os.path.join(pd, "fit_points.dat")) for row in b]
metrics = []
for row in rows:
    if row["metric"] not in metrics:
        metrics.append(row["metric"])
want = [[row["observed"], row["simulated"], row["ci95"] or "NaN", row["in_holdout"]]
        for m in metrics for row in rows if row["metric"] == m]
ok([p[1:] for p in pts] == want, "fit_points.dat: observed, simulated, ci95, in_holdout exactly "
   "fit.csv's cells, grouped by metric (%d rows)" % len(want), (pts, want))
ok([float(p[0]) * 60 for p in pts] == [float(row["time"]) for m in metrics for row in rows
                                       if row["metric"] == m] or
   all(abs(float(p[0]) * 60 - float(q)) < 1e-3 for p, q in
       zip(pts, [row["time"] for m in metrics for row in rows if row["metric"] == m])),
   "the points are at the observed times (hours on the axis)")

# the curve at each observed time is fit.csv's simulated mean (a sample time: exact)
curve = blocks(os.path.join(pd, "fit_curve.dat"))
bad = []
for row in rows:
    c = curve[metrics.index(row["metric"])]
    at = [x for x in c if abs(float(x[0]) * 60 - float(row["time"])) < 1e-3]
    if not at or float("%.6g" % float(row["simulated"])) != float(at[0][1]):
        bad.append((row, at))
ok(not bad and len(curve) == len(metrics), "fit_curve.dat: one block per metric (%d); at every "
   "observed time its mean is fit.csv's simulated value to %%.6g" % len(metrics), bad)

# best/timeseries.csv: the same numbers, read back independently (gate present, mean over reps)
ts = list(csv.DictReader(open(os.path.join(d, "best", "timeseries.csv"))))
bad = []
for row in rows:
    if row["metric"] != "gate.present":
        continue
    v = [float(x["present"]) for x in ts if x["station"] == "gate" and
         float(x["t"]) == float(row["time"])]
    if len(v) != 3 or float("%.15g" % (sum(v) / 3)) != float(row["simulated"]):
        bad.append((row["time"], v, row["simulated"]))
ok(not bad, "best/timeseries.csv: the mean of gate present over the 3 replications at each "
   "observed time equals fit.csv's simulated value", bad)
fj = json.load(open(os.path.join(d, "fit.json")))
best_sc = open(os.path.join(d, "best", "scenario.yaml")).read()
ok(best_sc == open(os.path.join(d, "scenario.yaml")).read(),
   "best/scenario.yaml is the fitted scenario.yaml")

# the holdout rectangle and the picture
calls = open(log).read().splitlines()
fitvars = [a for a in calls if "fit.gp" not in a and "curve=" in a]
ok(len(fitvars) == 1, "gnuplot drew fit.gp once", calls[:5])
vs = dict(kv.split("=", 1) for kv in fitvars[0].split(";") if "=" in kv) if fitvars else {}
ok(vs.get("hold") == "1" and abs(float(vs.get("hf", "nan")) * 60 - 250) < 1e-3 and
   abs(float(vs.get("ht", "nan")) * 60 - 450) < 1e-3,
   "the holdout rectangle spans 250 to 450 min (hf %s h, ht %s h)" % (vs.get("hf"), vs.get("ht")),
   vs)
ok(vs.get("npan") == str(len(metrics)), "one panel per observed metric (%d)" % len(metrics), vs)
png = os.path.join(d, "plots", "fit.png")
try:
    w, h, cols = png_decode(png)
    ok(w >= 800 and len(cols) > 10, "fit.png %dx%d, %d colours: not blank" % (w, h, len(cols)))
except (OSError, ValueError) as e:
    ok(False, "fit.png decodes", e)
ok(os.path.exists(os.path.join(d, "plots", "stations.png")),
   "the fitted run's usual pictures are drawn beside fit.png")

# --report: the fit picture inline, the fitted values equal to fit.json's
d2 = os.path.join(tmp, "fit2")
r = run(["fit", scenario, "--observed", obs] + P + ["-r", "3", "-o", d2, "--report", "-q"])
ok(r.returncode == 0, "fit --report: exit 0", r.stderr)
html = open(os.path.join(d2, "report.html")).read() if r.returncode == 0 else ""
ok("<figcaption>fit.svg</figcaption>" in html and html.count("<svg") >= 2,
   "report.html holds the fit picture as inline SVG", html[:300])
fj2 = json.load(open(os.path.join(d2, "fit.json"))) if r.returncode == 0 else {"parameters": {}}
vals = [(k, v["value"]) for k, v in fj2["parameters"].items()]
ok(vals and all('data value="%r"' % v in html or 'data value="%s"' % repr(v) in html
                for k, v in vals),
   "the report's parameter table holds fit.json's values exactly: %s" % vals)

# -j 2: the same fit and the same best/
d4 = os.path.join(tmp, "fitj2")
r = run(["fit", scenario, "--observed", obs] + P + ["-r", "3", "-j", "2", "-o", d4, "-q"])
same = r.returncode == 0 and all(
    open(os.path.join(d2, f), "rb").read() == open(os.path.join(d4, f), "rb").read()
    for f in ["fit.csv", "fit.json", "best/timeseries.csv", "best/class_series.csv",
              "best/summary.json"])
ok(same, "-j 2: fit.csv, fit.json and best/'s timeseries, class series, summary the same bytes",
   r.stderr)

# bad input: --plot=bmp refused before anything runs
d3 = os.path.join(tmp, "bad")
r = run(["fit", scenario, "--observed", obs] + P + ["-o", d3, "--plot=bmp"])
ok(r.returncode == 2 and '--plot: expected png, svg or pdf, got "bmp"' in r.stderr
   and not os.path.exists(d3), "--plot=bmp: usage error (exit 2, as run --plot), nothing written",
   r.stderr)
sys.exit(tap.done())
