#!/usr/bin/env python3
# tcsim run --observed OBS.csv then tcsim plot: where each observed point is
# drawn (the data files the scripts are given, exact values and times), the
# series no plot draws named once in a warning, the points in the pictures,
# and bad observations refused with nothing written.
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim, data = os.path.abspath(sys.argv[1]), sys.argv[2]
scenario = os.path.join(data, "plot.yaml")  # time_unit min, 3 d, yard -> lanes -> gate
tmp = tempfile.mkdtemp(prefix="tcsim-observed-")
ok, run = tap.ok, tap.runner(tcsim)


def blocks(path):
    """gnuplot blocks (two blank lines apart) of 'x y' rows; NaN rows are empty panels."""
    out, cur = [], []
    text = open(path).read().split("\n\n\n")
    for b in text:
        rows = [ln.split("#")[0].split() for ln in b.splitlines()
                if ln.strip() and not ln.startswith("#")]
        out.append([(float(r[0]), float(r[1])) for r in rows if r and r[0] != "NaN"])
    return out


obs = os.path.join(tmp, "obs.csv")
with open(obs, "w") as f:
    f.write("time,metric,value\n"
            "1 d,yard.present,12\n"
            "36 h,yard.present,20\n"
            "2 d,gate.present,4\n"
            "2 d,network.present,33\n"
            "1 d,lanes.departures_per_day,500\n"
            "30 h,road:yard.present,8\n"
            "1 d,fruit@yard.present,3\n"
            "2 d,fruit@yard.present,4\n")
d = os.path.join(tmp, "run")
r = run(["run", "-q", "-r", "3", "-o", d, "--observed", obs, scenario])
ok(r.returncode == 0, "run --observed: exit 0", r.stderr)
ok(open(os.path.join(d, "observed.csv"), "rb").read() == open(obs, "rb").read(),
   "observed.csv is a byte copy of the given file")
r = run(["plot", "--format", "svg", d])
ok(r.returncode == 0, "tcsim plot --format svg: exit 0", r.stderr)
warn = [ln for ln in r.stderr.splitlines() if "not drawn" in ln]
ok(len(warn) == 1 and "fruit@yard.present" in warn[0] and ":8:" in warn[0],
   "the class series no plot draws is named once, at its first row (8)", r.stderr)

pd = os.path.join(d, "plots", "data")
st = blocks(os.path.join(pd, "observed_stations.dat"))
# one block per station panel in scenario order (yard, lanes, gate); times in days
ok(len(st) >= 3 and st[0] == [(1.0, 12.0), (1.5, 20.0)] and st[1] == [] and st[2] == [(2.0, 4.0)],
   "station points: yard at 1 d and 1.5 d (12, 20), none at lanes, gate at 2 d (4)", st)
tot = blocks(os.path.join(pd, "observed_total.dat"))
ok(tot[0] == [(2.0, 33.0)], "network.present on the total-stock panel at 2 d", tot)
rd = blocks(os.path.join(pd, "observed_road.dat"))
ok(rd[0] == [(1.25, 0.2)], "road:yard.present 8 trucks at 30 h = 1.25 d, 0.2 km at 25 m a truck", rd)
thr = [ln.split("#")[0].split() for ln in open(os.path.join(pd, "observed_throughput.dat"))
       if ln.strip() and not ln.startswith("#")]
ok(thr == [["1", "500"]], "departures per day over the bar of station 1 (lanes)", thr)

svg = open(os.path.join(d, "plots", "stations.svg")).read()
ok("observed" in svg, "stations.svg has the 'observed' legend entry")

# bad observations: located errors, all at once, exit 1, nothing written
bad = os.path.join(tmp, "bad.csv")
with open(bad, "w") as f:
    f.write("time,metric,value\n1 d,nowhere.present,3\n9 d,yard.present,1\n")
d2 = os.path.join(tmp, "bad")
r = run(["run", "-q", "-r", "2", "-o", d2, "--observed", bad, scenario])
ok(r.returncode == 1 and "bad.csv:2:" in r.stderr and "bad.csv:3:" in r.stderr
   and not os.path.exists(d2), "unknown station and a time past the horizon: both located, "
   "exit 1, no output directory", r.stderr)
sys.exit(tap.done())
