#!/usr/bin/env python3
# tcsim report on a short run of a shipped scenario whose name and comment
# hold <, & and ": the headline cells equal summary.json's means, the plots
# are inline SVG, nothing refers outside the file, ids are unique, the text
# is escaped; a missing or non-run directory is an error with nothing
# written. Then one chromium launch for a screenshot and one for a PDF.
import csv
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim, scen_dir = os.path.abspath(sys.argv[1]), sys.argv[2]
tmp = tempfile.mkdtemp(prefix="tcsim-report-test-")
ok, run = tap.ok, tap.runner(tcsim)

NAME = 'Fruit <lane> & "co"'
src = open(os.path.join(scen_dir, "priority-lane.yaml")).read()
src = "# Check: a <b> & \"c\" comment\n" + re.sub(r"(?m)^name:.*$", "name: '%s'" % NAME, src, 1)
scen = os.path.join(tmp, "s.yaml")
open(scen, "w").write(src)
d = os.path.join(tmp, "run")
r = run(["run", "-q", "-r", "3", "--set", "horizon=4 d", "-o", d, scen])
ok(r.returncode == 0, "run: exit 0", r.stderr)
r = run(["report", "--scenario", scen, d])
page = os.path.join(d, "report.html")
ok(r.returncode == 0 and os.path.exists(page), "report: exit 0, DIR/report.html", r.stderr)
text = open(page, encoding="utf-8").read()
summary = json.load(open(os.path.join(d, "summary.json")))


class Tables(html.parser.HTMLParser):
    """Rows of the table with id headline: (metric, data value, n); every id; the h1 text."""

    def __init__(self):
        super().__init__()
        self.rows, self.ids, self.h1 = [], [], ""
        self.table = None
        self.cell = None
        self.in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "table":
            self.table = a.get("id")
        if tag == "tr" and self.table == "headline":
            self.rows.append([])
        if tag in ("td", "th") and self.table == "headline":
            self.cell = ""
        if tag == "data" and self.table == "headline" and self.rows:
            self.rows[-1].append(float(a["value"]))
        if tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append(self.cell)
            self.cell = None
        if tag == "table":
            self.table = None
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.in_h1:
            self.h1 += data


p = Tables()
p.feed(text)
net = summary["network"]
rows = {}
units = {}
for row in p.rows[1:]:  # (metric, mean or None, text, n): a metric with no mean shows a dash
    vals = [x for x in row if isinstance(x, float)]
    texts = [x for x in row if isinstance(x, str)]  # metric, unit, mean ± ci, n
    rows[texts[0]] = (texts[0], vals[0] if vals else None, texts[2], texts[-1])
    units[texts[0]] = texts[1]
want = {k for k, v in net.items() if isinstance(v, dict) and "mean" in v}


def same(k):
    m, got = net[k]["mean"], rows[k][1]
    value_ok = (got is None and rows[k][2] == "\u2013") if m is None else \
        got is not None and abs(got - m) <= 1e-12 * max(1, abs(m))
    return value_ok and int(rows[k][3]) == net[k]["n"]


bad = [k for k in want if k not in rows or not same(k)]
ok(len(want) >= 5 and set(rows) == want and not bad,
   "headline: every network metric (%d), its mean and n equal summary.json's" % len(want), bad)
pres = rows.get("present", ["", 0, "", ""])
ok("\u00b1" in pres[2], "headline: present shown as mean \u00b1 ci (%s)" % pres[2])
want_u = {"present": "trucks", "time_in_system_p95": "min", "throughput_per_day": "trucks/d",
          "truck_hours_per_day": "truck-h/d", "abandoned_fraction": "fraction"}
ok(summary["time_unit"] == "min" and all(units.get(k) == u for k, u in want_u.items()),
   "headline units (time unit %s): %s" % (summary["time_unit"], {k: units.get(k) for k in want_u}))
ok(p.h1 == NAME, "the name with <, & and \" renders as text: %r" % p.h1)
ok("# Check: a &lt;b&gt; &amp; &quot;c&quot; comment" in text,
   "the source's comment is shown, escaped")
ok(text.count("<svg") >= 3 and "<?xml" not in text and "<!DOCTYPE svg" not in text,
   "%d inline SVG plots, no XML prologue or DOCTYPE" % text.count("<svg"))
ext = re.findall(r'(?:src|href)\s*=\s*"(?:https?:|file:|//)[^"]*"', text, re.I)
ext += re.findall(r"<link[^>]*stylesheet|@import|<script", text, re.I)
ext += [u for u in re.findall(r"url\(([^)]*)\)", text) if not u.startswith(("#", "data:"))]
ok(not ext, "no external reference, no script", ext)
dup = sorted({i for i in p.ids if p.ids.count(i) > 1})
ok(len(p.ids) > 10 and not dup, "%d ids, all unique across the document" % len(p.ids), dup)
ok("Only 3 replications" in text, "warning: fewer than 10 replications")

# bad directories: located error, exit 1, nothing written
empty = os.path.join(tmp, "empty")
os.mkdir(empty)
for bad_dir in (os.path.join(tmp, "missing"), empty):
    r = run(["report", bad_dir])
    ok(r.returncode == 1 and bad_dir + ": error: not a tcsim output directory" in r.stderr
       and not os.path.exists(os.path.join(bad_dir, "report.html")),
       "report %s: exit 1, located error, nothing written" % os.path.basename(bad_dir), r.stderr)
ok(os.listdir(empty) == [], "no temporary left in the empty directory", os.listdir(empty))

# -o FILE
other = os.path.join(tmp, "out", "r.html")
os.mkdir(os.path.dirname(other))
r = run(["report", "-o", other, d])
ok(r.returncode == 0 and os.path.getsize(other) > 1000, "report -o FILE writes FILE", r.stderr)

# a sweep directory: sweep.csv as a table, cell for cell
sw = os.path.join(tmp, "sweep")
r = run(["sweep", "-q", "--no-plot", "-r", "2", "--set", "horizon=3 d", "--vary",
         "stations.customs.servers=4:5:1", "-o", sw, scen])
r2 = run(["report", sw])
ok(r.returncode == 0 and r2.returncode == 0, "sweep and its report: exit 0", r.stderr + r2.stderr)


class Cells(html.parser.HTMLParser):
    """The text of every cell of the first table, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.n_tables = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.n_tables += 1
        if self.n_tables == 1 and tag == "tr":
            self.rows.append([])
        if self.n_tables == 1 and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


cp = Cells()
if r2.returncode == 0:
    cp.feed(open(os.path.join(sw, "report.html"), encoding="utf-8").read())
want_rows = list(csv.reader(open(os.path.join(sw, "sweep.csv")))) \
    if r.returncode == 0 else None
ok(want_rows is not None and len(want_rows) == 3 and cp.rows == want_rows,
   "the sweep's report holds sweep.csv: header and 2 variants, cell for cell",
   [cp.rows[:2], (want_rows or [])[:2]])

# run --report: the page beside the outputs, the command as typed (before --set split it)
rr = os.path.join(tmp, "run-report")
r = run(["run", "-q", "-r", "2", "--set", "horizon=3 d", "-o", rr, "--report", scen])
t2 = open(os.path.join(rr, "report.html"), encoding="utf-8").read() if r.returncode == 0 else ""
ok("<code>tcsim run -q -r 2 --set horizon=3 d -o %s --report %s</code>" % (rr, scen) in t2
   and "# Check: a &lt;b&gt;" in t2, "run --report: DIR/report.html with the command and the "
   "source's comments", r.stderr)



# the units follow the scenario's time unit: the same run in hours has its waits in h
hd = os.path.join(tmp, "hours")
r = run(["run", "-q", "-r", "2", "--set", "horizon=3 d", "--set", "time_unit=h", "-o", hd,
         "--report", scen])


class StationUnits(html.parser.HTMLParser):
    """(station, metric) -> unit cell of the table with id stations."""

    def __init__(self):
        super().__init__()
        self.inside, self.row, self.cell, self.units = False, None, None, {}

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.inside = dict(attrs).get("id") == "stations"
        if self.inside and tag == "tr":
            self.row = []
        if self.inside and tag == "td":
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        if tag == "tr" and self.row and len(self.row) >= 3:
            self.units[(self.row[0], self.row[1])] = self.row[2]

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def station_units(path):
    su = StationUnits()
    su.feed(open(path, encoding="utf-8").read())
    return su.units


um, uh = station_units(page), station_units(os.path.join(hd, "report.html")) if r.returncode == 0 else {}
ok(um.get(("customs", "wait")) == "min" and uh.get(("customs", "wait")) == "h"
   and um.get(("customs", "utilization")) == uh.get(("customs", "utilization")) == "fraction"
   and uh.get(("customs", "in_station")) == "trucks",
   "station units: customs wait in min, in h with time_unit=h; utilization a fraction, "
   "in_station trucks", [um.get(("customs", "wait")), uh.get(("customs", "wait"))])


# load >= 1: lambda E[S] / c from the scenario's own numbers, lanes at 2 servers overloaded, 3 not
mmc_src = open(os.path.join(scen_dir, "..", "tests", "study", "data", "mmc.yaml")).read()
lam = float(re.search(r"rate: ([0-9.]+)/h", mmc_src).group(1))  # per hour
es = float(re.search(r"lanes:\s*servers: \d+\s*service: {dist: exponential, mean: ([0-9.]+) min}",
                     mmc_src).group(1)) / 60
gate = re.search(r"gate:\s*servers: (\d+)\s*service: {dist: uniform, min: ([0-9.]+) min, max: ([0-9.]+) min}",
                 mmc_src)
rho_gate = lam * (float(gate.group(2)) + float(gate.group(3))) / 2 / 60 / int(gate.group(1))
mmc_path = os.path.join(scen_dir, "..", "tests", "study", "data", "mmc.yaml")
loads = {}
for c in (2, 3):
    ld = os.path.join(tmp, "load%d" % c)
    r = run(["run", "-q", "-r", "2", "--set", "horizon=2 d", "--set", "warmup=0",
             "--set", "stations.lanes.servers=%d" % c, "-o", ld, "--report", mmc_path])
    t = open(os.path.join(ld, "report.html"), encoding="utf-8").read() if r.returncode == 0 else ""
    loads[c] = [(m.group(1), float(m.group(2))) for m in re.finditer(
        r'<li class="warn load">Load \u2265 1 at station <strong>([^<]*)</strong>: offered load '
        r'[^<]*<data value="([^"]*)">', t)]
    loads[c, "few"] = "Only 2 replications" in t
want2 = lam * es / 2
ok(len(loads[2]) == 1 and loads[2][0][0] == "lanes" and abs(loads[2][0][1] - want2) <= 1e-12
   and want2 >= 1 and rho_gate < 1 and loads[2, "few"],
   "lanes at 2 servers: one load warning, lanes at %.4g = %g/h x %g h / 2 (gate %.3g: none), "
   "beside the few-replications warning" % (want2, lam, es, rho_gate), loads[2])
ok(loads[3] == [] and lam * es / 3 < 1 and loads[3, "few"],
   "lanes at 3 servers (load %.3g): no load warning" % (lam * es / 3), loads[3])


class ById(html.parser.HTMLParser):
    """The rows of the table with the given id: per cell (text, data value or None)."""

    def __init__(self, tid):
        super().__init__()
        self.tid, self.rows, self.cell, self.inside, self.val = tid, [], None, False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.inside = a.get("id") == self.tid
        if not self.inside:
            return
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.cell, self.val = "", None
        if tag == "data" and self.cell is not None:
            self.val = float(a["value"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        if tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append((self.cell, self.val))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(path, tid):
    t = ById(tid)
    t.feed(open(path, encoding="utf-8").read())
    return t.rows


def close(a, b):
    return a is None and b is None or a is not None and b is not None and \
        abs(a - b) <= 1e-12 * max(1, abs(b))


# study --report: the options' headline differences equal options.json's, the decision follows p
study = os.path.join(scen_dir, "..", "tests", "study", "data", "mmc-study.yaml")
sd = os.path.join(tmp, "study")
r = run(["study", "-q", "-r", "10", "-o", sd, "--report", study])
ok(r.returncode == 0 and os.path.exists(os.path.join(sd, "report.html")),
   "study --report: exit 0, DIR/report.html", r.stderr)
if r.returncode == 0:
    oj = json.load(open(os.path.join(sd, "options.json")))
    by = {(o["name"], (m["name"] + "." if m["name"] and m["scope"] != "network" else "") + m["metric"]): m
          for o in oj["options"] for m in o["metrics"]}
    base = {k[1]: m for k, m in by.items() if k[0] == oj["baseline"]}
    rows = table(os.path.join(sd, "report.html"), "study")[1:]
    bad, decided = [], 0
    for row in rows:
        key = (row[0][0], row[1][0])
        m = by.get(key)
        if m is None or not (close(row[3][1], base[key[1]]["mean"]) and close(row[4][1], m["mean"])
                             and close(row[5][1], m["diff"]) and close(row[6][1], m["p_holm"])):
            bad.append((key, [c[1] for c in row[3:7]]))
            continue
        want = "no clear difference" if m["p_holm"] is None or m["p_holm"] >= 0.05 or m["diff"] == 0 \
            else ("higher" if m["diff"] > 0 else "lower")
        decided += want != "no clear difference"
        if not row[7][0].startswith(want):
            bad.append((key, row[7][0], want))
    slower = {row[1][0]: row[7][0] for row in rows if row[0][0] == "slower"}
    su = {row[1][0]: row[2][0] for row in rows if row[0][0] == "slower"}
    ok(su.get("truck.time_in_system_p95") == "min" and su.get("present") == "trucks"
       and su.get("throughput_per_day") == "trucks/d",
       "study report units: p95 in min, present in trucks, throughput in trucks/d", su)
    ok(len(rows) == 12 and not bad and decided >= 1 and slower.get("present", "").startswith("higher"),
       "study report: %d rows (2 options x 6 headline metrics): baseline and option means, "
       "difference and Holm p equal options.json; %d decided (slower: present higher, p %.3g)"
       % (len(rows), decided, by.get(("slower", "present"), {}).get("p_holm") or -1), bad)

    spage = open(os.path.join(sd, "report.html"), encoding="utf-8").read()
    h1 = re.search(r"<h1>(.*?)</h1>", spage)
    seed = re.search(r"seed (\d+)", spage)
    ok(h1 and h1.group(1) == html.escape(oj["scenario"]) and seed and int(seed.group(1)) == oj["seed"],
       "study report: titled with options.json's scenario (%s) and reproduced with its seed %s"
       % (h1 and h1.group(1), seed and seed.group(1)))

# optimize --report: the chosen candidate, its confidence and the replications equal optimize.json's
od = os.path.join(tmp, "optimize")
mmc = os.path.join(scen_dir, "..", "tests", "study", "data", "mmc.yaml")
r = run(["optimize", "-q", "-o", od, mmc, "--vary", "stations.lanes.servers=3:5:1", "--minimize",
         "stations.lanes.servers", "--subject-to", "stations.lanes.wait<=1 h", "--confidence", "0.9",
         "--set", "horizon=3d", "--set", "warmup=1d", "--report"])
ok(r.returncode == 0 and os.path.exists(os.path.join(od, "report.html")),
   "optimize --report: exit 0, DIR/report.html", r.stderr)
if r.returncode == 0:
    js = json.load(open(os.path.join(od, "optimize.json")))
    rows = {row[0][0]: row[1] for row in table(os.path.join(od, "report.html"), "optimize")}
    best = rows.get("chosen", ("", None))
    ok(best[0] == "stations.lanes.servers=%d" % js["best"]["stations.lanes.servers"]
       and best[1] == js["best"]["stations.lanes.servers"]
       and close(rows.get("confidence", ("", None))[1], js["confidence"]) and js["confidence"] == 0.9
       and rows.get("replications", ("", None))[1] == js["replications"]
       and rows.get("minimize", ("",))[0] == js["minimize"],
       "optimize report: chosen %s, confidence %s, %s replications as optimize.json states"
       % (best[0], rows.get("confidence", ("", None))[1], rows.get("replications", ("", None))[1]), rows)

def png_pixels(path):
    """Distinct RGB colours of an 8-bit RGB/RGBA PNG (the filters undone)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            bpp = {2: 3, 6: 4}[ctype]
            assert depth == 8
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), w * bpp
    prev, colours = bytearray(stride), set()
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp * 7):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    return w, h, colours


chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("# chromium is not installed: the rendering checks are skipped")
    tap.done()
    sys.exit(77)
base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
        "--v=0", "--no-first-run", "--user-data-dir=" + os.path.join(tmp, "profile")]
url = "file://" + page
shot = os.path.join(tmp, "shot.png")
try:
    c = subprocess.run(base + ["--window-size=1000,1400", "--screenshot=" + shot, url],
                       capture_output=True, text=True, timeout=180)
    console = [ln for ln in c.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    ok(os.path.exists(shot) and not console, "chromium renders it without console messages",
       console or c.stderr)
    if os.path.exists(shot):
        w, h, colours = png_pixels(shot)
        ok(w == 1000 and len(colours) >= 8,
           "screenshot %dx%d not blank: %d colours sampled" % (w, h, len(colours)))
    pdf = os.path.join(tmp, "page.pdf")
    c = subprocess.run(base + ["--no-pdf-header-footer", "--print-to-pdf=" + pdf, url],
                       capture_output=True, text=True, timeout=180)
    body = open(pdf, "rb").read() if os.path.exists(pdf) else b""
    pages = len(re.findall(rb"/Type\s*/Page[^s]", body))
    ok(body[:4] == b"%PDF" and pages >= 1, "print to PDF: %%PDF, %d pages" % pages, c.stderr)
except subprocess.TimeoutExpired as e:
    ok(False, "chromium finished within 180 s", str(e))
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(tap.done())
