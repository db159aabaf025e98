#!/usr/bin/env python3
# tcsim sweep end to end. Usage: sweep.py TCSIM DATA_DIR SCENARIOS_DIR
#
# - sweep.csv has one row per variant, in order (the first --vary
#   outermost), and every KPI cell is byte-identical to the mean and ci95 of
#   summary.csv from a separate `tcsim run --set KEY=VALUE` of that variant;
#   each variant's directory holds byte-identical outputs to that run.
# - the same sweep.csv for -j 1 and -j 3;
# - a bad --vary is a usage error (exit 2), an invalid variant fails before
#   anything runs (exit 1, nothing written);
# - a sweep of the lanes of a shipped scenario from 2 to 12 works and is fast;
# - progress shows on a terminal (through script(1)) and not otherwise.
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim, data, scenarios = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
scenario = os.path.join(data, "crn.yaml")
tmp = tempfile.mkdtemp(prefix="tcsim-sweep-")
ok, run = tap.ok, tap.runner(tcsim)


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


# ---- sweep.csv against separate runs ----
d = os.path.join(tmp, "sw")
r = run(["sweep", "--no-plot", "-r", "4", "-j", "2", "-o", d, "--set", "warmup=6 h",
         "--vary", "stations.lanes.servers=4:5:1", "--vary", "arrivals.0.rate=18/h,21/h",
         scenario])
ok(r.returncode == 0, "tcsim sweep: exit 0", r.stderr)
head, rows = read_csv(os.path.join(d, "sweep.csv"))
want = [("4", "18/h"), ("4", "21/h"), ("5", "18/h"), ("5", "21/h")]
ok(head[:3] == ["variant", "stations.lanes.servers", "arrivals.0.rate"] and
   [tuple(x[1:3]) for x in rows] == want,
   "sweep.csv: a row per variant, the first --vary outermost", [x[:3] for x in rows])
ok([x[0] for x in rows] == ["stations.lanes.servers=%s,arrivals.0.rate=%s" % (a, b.replace("/", "_"))
                            for a, b in want],
   "sweep.csv: the variant column names each variant's directory")
kpis = [h[:-5] for h in head[3::3]]
ok(head[3::3] == [k + ".mean" for k in kpis] and head[4::3] == [k + ".ci95" for k in kpis] and
   head[5::3] == [k + ".n" for k in kpis] and
   len(kpis) == 2 * 5 + 6 + 2 + 7 and "classes.truck.time_in_system_p95" in kpis and
   "network.time_in_system_p95" in kpis and "network.present" in kpis,
   "sweep.csv: a .mean, a .ci95 and a .n column for each of 25 KPIs (p95 and network totals among "
   "them)", head)
ok(sorted(os.listdir(d)) == sorted(["datapackage.json", "sweep.csv"] + [x[0] for x in rows]),
   "DIR holds sweep.csv and one directory per variant (--no-plot: no plots/)", os.listdir(d))

for (lanes, rate), row in zip(want, rows):
    rd = os.path.join(tmp, "run-%s-%s" % (lanes, rate.replace("/", "")))
    r = run(["run", "-q", "-r", "4", "-o", rd, "--set", "warmup=6 h",
             "--set", "stations.lanes.servers=" + lanes, "--set", "arrivals.0.rate=" + rate,
             scenario])
    ok(r.returncode == 0, "tcsim run --set for %s, %s" % (lanes, rate), r.stderr)
    summary = {}
    with open(os.path.join(rd, "summary.csv"), newline="") as f:
        for rec in csv.DictReader(f):  # the path column: the name sweep.csv uses
            if not rec["class"] or rec["scope"] == "class":
                summary[rec["path"]] = (rec["mean"], rec["ci95"], rec["n"])
    bad = [(k, row[3 + 3 * i:6 + 3 * i], summary.get(k)) for i, k in enumerate(kpis)
           if tuple(row[3 + 3 * i:6 + 3 * i]) != summary.get(k)]
    ok(not bad, "variant %s, %s: every sweep.csv cell = summary.csv of the run, byte for byte"
       % (lanes, rate), bad)
    same = all(open(os.path.join(rd, n), "rb").read() ==
               open(os.path.join(d, row[0], n), "rb").read()
               for n in ("summary.json", "summary.csv", "replications.csv", "timeseries.csv",
                         "scenario.yaml"))
    ok(same, "variant %s, %s: its directory = the run's outputs, byte for byte" % (lanes, rate))
# the variants differ where they should, and share random numbers where they may
col = {k: i for i, k in enumerate(head)}
waits = [float(x[col["stations.lanes.wait.mean"]]) for x in rows]
ok(waits[0] > waits[2] and waits[1] > waits[3] and waits[1] > waits[0],
   "more lanes: shorter waits; more trucks: longer waits", waits)
arr = [json.load(open(os.path.join(d, x[0], "summary.json")))["classes"]["truck"]["arrived"]
       for x in rows]
ok(arr[0] == arr[2] and arr[1] == arr[3] and arr[0] != arr[1],
   "variants with the same arrival rate see the same arrivals (common random numbers)", arr)

d2 = os.path.join(tmp, "sw-j1")
r = run(["sweep", "-q", "--no-plot", "-r", "4", "-j", "1", "-o", d2, "--set", "warmup=6 h",
         "--vary", "stations.lanes.servers=4:5:1", "--vary", "arrivals.0.rate=18/h,21/h",
         scenario])
ok(r.returncode == 0 and open(os.path.join(d2, "sweep.csv"), "rb").read() ==
   open(os.path.join(d, "sweep.csv"), "rb").read(), "sweep.csv: identical bytes with -j 1 and -j 2")

# ---- the table on stdout ----
r = run(["sweep", "--no-plot", "-r", "2", "-o", os.path.join(tmp, "t"),
         "--vary", "stations.lanes.servers=4,6", scenario])
lines = r.stdout.splitlines()
ok(r.returncode == 0 and len(lines) == 3 and lines[0].split() ==
   ["stations.lanes.servers", "classes.truck.time_in_system", "roads.lanes.km"] and
   lines[1].split()[0] == "4" and lines[2].split()[0] == "6",
   "stdout: a table of the varied values, time in system and road km", r.stdout)

# ---- --vary time_unit: one model in three units, sweep.csv in one unit ----
# The reproducer of a false 60x effect: each variant's times were written in
# its own unit (and plotted with the first one's).
yard = os.path.join(scenarios, "yard-lanes.yaml")
dtu = os.path.join(tmp, "tu")
r = run(["sweep", "--no-plot", "-r", "3", "-o", dtu, "--vary", "time_unit=min,h,s", yard])
ok(r.returncode == 0 and "(times in min)" in r.stderr,
   "--vary time_unit=min,h,s runs and says the unit of its times", r.stderr)
head, rows = read_csv(os.path.join(dtu, "sweep.csv"))
time_cols = [c[:-5] for c in head if c.endswith(".mean") and
             (".wait." in c or ".time_in_system" in c or ".road_wait." in c)]
bad = []
for c in time_cols:
    m0, ci0 = float(rows[0][head.index(c + ".mean")]), float(rows[0][head.index(c + ".ci95")])
    for row in rows[1:]:
        m, ci = float(row[head.index(c + ".mean")]), float(row[head.index(c + ".ci95")])
        # the same model: equal within the CI; a mean to rounding (a percentile
        # is read from a histogram whose bins follow the unit: 21.62 against 21.60)
        exact = not (c.endswith("_p90") or c.endswith("_p95"))
        if abs(m - m0) > max(ci0, 1e-9) or (exact and (abs(m - m0) > 1e-9 * max(1, abs(m0)) or
                                                       abs(ci - ci0) > 1e-9 * max(1, ci0))):
            bad.append((row[1], c, m, m0))
ok(len(time_cols) >= 4 and not bad and rows[0][1] == "min" and float(
   rows[0][head.index("classes.truck.time_in_system.mean")]) > 1,
   "sweep.csv: the three units give the same times (in min, the first row's unit)",
   (time_cols, bad))
# the variant's own summary.csv stays in its unit: 60x the minutes for s
sj = json.load(open(os.path.join(dtu, "time_unit=s", "summary.json")))
tis_s = sj["classes"]["truck"]["time_in_system"]["mean"]
tis_min = float(rows[0][head.index("classes.truck.time_in_system.mean")])
ok(abs(tis_s - 60 * tis_min) < 1e-6 * tis_s,
   "time_unit=s/summary.json keeps seconds: %.6g s = 60 x %.6g min" % (tis_s, tis_min))
lines = r.stdout.splitlines()
ok(len(lines) == 4 and len(set(l.split(None, 1)[1] for l in lines[1:])) == 1,
   "the table on stdout: the same time in system and km for min, h and s", r.stdout)

# ---- errors ----
r = run(["sweep", "--vary", "stations.lanes.servers=5:2:1", "-o", os.path.join(tmp, "e1"),
         scenario])
ok(r.returncode == 2 and r.stderr.startswith(
    "tcsim: --vary \"stations.lanes.servers=5:2:1\": FROM:TO:STEP: expected STEP > 0 and "
    "TO >= FROM\n"), "a bad range: usage error, exit 2", r.stderr)
r = run(["sweep", "-o", os.path.join(tmp, "e2"), scenario])
ok(r.returncode == 2 and "sweep: expected at least one --vary" in r.stderr,
   "no --vary: usage error, exit 2", r.stderr)
e3 = os.path.join(tmp, "e3")
r = run(["sweep", "-o", e3, "--vary", "stations.lanes.servers=3,0,many", scenario])
ok(r.returncode == 1 and "tcsim: variant stations.lanes.servers=0:\n" in r.stderr and
   "tcsim: variant stations.lanes.servers=many:\n" in r.stderr and
   "--set:1: error: stations.lanes.servers" in r.stderr and not os.path.exists(e3),
   "invalid variants: every one reported, exit 1, nothing written", r.stderr)

e4 = os.path.join(tmp, "e4")
r = run(["sweep", "-o", e4, "-s", "7", "-r", "3", "--set", "horizon=2 d",
         "--set", "stations.lanes.servers=-1", "--vary", "arrivals.0.rate=30,40", scenario])
ok(r.returncode == 1 and "--set:2: error: stations.lanes.servers" in r.stderr and
   "--set:1" not in r.stderr and not os.path.exists(e4),
   "--set:N numbers the --set options as written, -s and -r before them or not", r.stderr)

# ---- a shipped scenario: lanes 2 to 12 ----
d4 = os.path.join(tmp, "langson")
t0 = time.monotonic()
r = run(["sweep", "-q", "--no-plot", "-j", "2", "-r", "4", "-o", d4,
         "--vary", "stations.tt_gate.servers=2:12:1",
         os.path.join(scenarios, "langson-normal-2023.yaml")])
secs = time.monotonic() - t0
ok(r.returncode == 0, "sweep of tt_gate.servers 2..12 on langson-normal-2023.yaml", r.stderr)
head, rows = read_csv(os.path.join(d4, "sweep.csv"))
col = {k: i for i, k in enumerate(head)}
km = [float(x[col["roads.tt_yard.km.mean"]]) for x in rows]
ok([x[1] for x in rows] == [str(n) for n in range(2, 13)] and km[0] > 10 and km[-1] == 0 and
   all(a >= b for a, b in zip(km, km[1:])),
   "11 variants; the road queue at Tan Thanh shrinks as lanes are added", km)
hn = {x[col["stations.hn_gate.wait.mean"]] for x in rows}
ok(len(hn) == 1, "Huu Nghi, untouched by Tan Thanh's lanes, has the same numbers in every variant")
ok(secs < 120, "and it is fast: %.1f s for 44 replications of 30 days" % secs)

# ---- interrupted: the finished variants stay, sweep.csv is not written ----
d5 = os.path.join(tmp, "interrupted")
p = subprocess.Popen([tcsim, "sweep", "-q", "--no-plot", "-r", "60", "-o", d5,
                      "--vary", "stations.tt_gate.servers=4:9:1",
                      os.path.join(scenarios, "langson-closure-5d.yaml")],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
first = os.path.join(d5, "stations.tt_gate.servers=4", "summary.json")
t0 = time.monotonic()
while not os.path.exists(first) and p.poll() is None and time.monotonic() - t0 < 300:
    time.sleep(0.02)
p.send_signal(signal.SIGINT)
err = p.communicate()[1]
ok(p.returncode == 130 and err.startswith(
    "tcsim: interrupted in variant stations.tt_gate.servers=5 (1 of 6 done, each in its "
    "directory in %s/); sweep.csv was not written" % d5) and
   os.listdir(d5) == ["stations.tt_gate.servers=4"],
   "SIGINT: exit 130, the finished variant kept, nothing of the interrupted one, no sweep.csv",
   "%s %r %s" % (p.returncode, err, os.listdir(d5) if os.path.exists(d5) else "-"))

# ---- progress on a terminal, and only there ----
script = shutil.which("script")
if script:
    log = os.path.join(tmp, "tty.log")
    cmd = "%s sweep --no-plot -r 3 -o %s --vary stations.lanes.servers=4,5 %s >/dev/null" % (
        tcsim, os.path.join(tmp, "tty"), scenario)
    subprocess.run([script, "-qec", cmd, log], capture_output=True, text=True,
                   stdin=subprocess.DEVNULL)
    text = open(log, errors="replace", newline="").read() if os.path.exists(log) else ""
    ok("\rtcsim: variant 1/2 (stations.lanes.servers=4): 1/6 replications, 3 simulated days"
       in text and "variant 2/2 (stations.lanes.servers=5): 6/6 replications, 18 simulated days"
       in text and "\r\033[K" in text,
       "on a terminal: variant, replications, simulated days, then the line is erased",
       repr(text[-600:]))
    cmd = "%s run -r 3 -o %s %s >/dev/null" % (tcsim, os.path.join(tmp, "tty-run"), scenario)
    subprocess.run([script, "-qec", cmd, log], capture_output=True, stdin=subprocess.DEVNULL)
    text = open(log, errors="replace", newline="").read() if os.path.exists(log) else ""
    ok("\rtcsim: 3/3 replications, 9 simulated days" in text and "about" in text,
       "tcsim run on a terminal: replications, simulated days and the time left", repr(text[-600:]))
    cmd = "%s run -q -r 3 -o %s %s" % (tcsim, os.path.join(tmp, "tty-q"), scenario)
    subprocess.run([script, "-qec", cmd, log], capture_output=True, stdin=subprocess.DEVNULL)
    text = open(log, errors="replace", newline="").read() if os.path.exists(log) else "?"
    ok("replications" not in text, "--quiet on a terminal: no progress", repr(text[-300:]))
else:
    tap.skip("", "script(1) not installed")
r = run(["run", "-r", "3", "-o", os.path.join(tmp, "pipe"), scenario])
ok(r.returncode == 0 and "simulated day" not in r.stderr and "\r" not in r.stderr,
   "stderr not a terminal: no progress line", r.stderr)

status = tap.done()
shutil.rmtree(tmp)
sys.exit(status)
