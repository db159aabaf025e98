#!/usr/bin/env python3
# trucks.csv and visits.csv (tcsim run --trace=visits) against summary.json,
# bytes across -j, gzip, and memory as the horizon grows.
# Usage: trace.py TCSIM DATA_DIR
#
# 1. The trace agrees with the summary: from visits.csv and trucks.csv
#    alone, recompute per replication the mean wait at each station, the
#    mean time in system and the mean road wait of each class, with the rule
#    of summary.json (a tally counts when the interval it measures ends at or
#    after warmup and before horizon); their mean, min and max across
#    replications must equal summary.json's, and their ci95 too (Student t).
#    Times have six decimals, each off by at most 5e-7 min, so a difference
#    of two, and a mean of such, by at most 1e-6: that is the tolerance
#    (plus 1e-9 relative for the summation order). Counts are exact: per
#    station the visits that ended in the window (served or abandoned) are
#    departures_all, the abandoned ones abandoned; per class the trucks.csv
#    outcomes in the window are completed, abandoned and rejected.
#    The rows themselves: visits numbered 1, 2, ... per truck, each visit
#    starting at or after the one before left; in order of leave within a
#    replication; an abandoned truck's last visit is abandoned where
#    trucks.csv says; in_warmup is arrive < warmup.
# 2. Both files have the same bytes with -j 1 and -j 2; --gzip writes
#    trucks.csv.gz and visits.csv.gz that decompress (Python's gzip) to
#    exactly those bytes, and removes the uncompressed ones of an earlier run.
# 3. Peak RSS of a --trace=visits run with a 4x longer horizon is at most 10 % more.
# 4. Trucks diverted by a choice show outcome diverted, matching summary.json.
import csv
import gzip
import json
import math
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim, data = sys.argv[1], sys.argv[2]
scenario = os.path.join(data, "trace.yaml")
tmp = tempfile.mkdtemp(prefix="tcsim-trace-")
ok, run = tap.ok, tap.runner(tcsim)
tap.detail_lines = None

# t_{0.975, n-1} for the replication counts used here (GSL's gsl_cdf_tdist_Pinv)
T975 = {4: 3.182446305284263}
ROUND = 1e-6  # two six-decimal roundings


def close(a, b, rel=1e-9, abs_tol=0.0):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= abs_tol + rel * max(1.0, abs(a), abs(b))


def reduce(values):
    """mean, ci95, min, max as tc_stat_reduce computes them."""
    v = [x for x in values if x is not None]
    if not v:
        return None, None, None, None
    n = len(v)
    mean = sum(v) / n
    if n == 1:
        return mean, 0.0, mean, mean
    var = sum((x - mean) ** 2 for x in v) / (n - 1)
    return mean, T975[n] * math.sqrt(var / n), min(v), max(v)


def num(s):
    return float(s) if s != "" else None


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


# ---- 1. the trace against the summary ----
out = os.path.join(tmp, "a")
r = run(["run", "-q", "--trace=visits", "-j", "2", "-o", out, scenario])
ok(r.returncode == 0, "tcsim run --trace=visits succeeds", r.stderr)
summary = json.load(open(os.path.join(out, "summary.json")))
warmup, horizon, n_reps = summary["warmup"], summary["horizon"], summary["replications"]
stations = list(summary["stations"].keys())
classes = list(summary["classes"].keys())

th, trucks = read_csv(os.path.join(out, "trucks.csv"))
ok(th == ["id", "class", "rep", "arrive", "in_warmup", "where", "exit", "outcome"],
   "trucks.csv header: id,class,rep,arrive,in_warmup,where,exit,outcome", th)
vh, visits = read_csv(os.path.join(out, "visits.csv"))
ok(vh == ["rep", "truck", "class", "station", "visit", "arrive", "start", "leave", "outcome",
          "in_warmup"],
   "visits.csv header: rep,truck,class,station,visit,arrive,start,leave,outcome,in_warmup", vh)
tc = {name: i for i, name in enumerate(th)}
vc = {name: i for i, name in enumerate(vh)}

keys = [(s, r) for s in stations for r in range(1, n_reps + 1)]
wait = {k: [] for k in keys}
dep_all = {k: 0 for k in keys}
aband = {k: 0 for k in keys}
tis = {(c, r): [] for c in classes for r in range(1, n_reps + 1)}
road = {(c, r): [] for c in classes for r in range(1, n_reps + 1)}
counts = {(c, r, o): 0 for c in classes for r in range(1, n_reps + 1)
          for o in ("served", "abandoned", "rejected")}
truck = {}
outcomes = {}
bad_warm = 0
for row in trucks:
    rep, cls, out_ = int(row[tc["rep"]]), row[tc["class"]], row[tc["outcome"]]
    arrive, x = num(row[tc["arrive"]]), num(row[tc["exit"]])
    truck[(rep, row[tc["id"]])] = row
    outcomes[out_] = outcomes.get(out_, 0) + 1
    bad_warm += row[tc["in_warmup"]] != ("1" if arrive < warmup else "0")
    if out_ == "served" and warmup <= x < horizon:
        tis[(cls, rep)].append(x - arrive)
    if x is not None and warmup <= x < horizon:
        counts[(cls, rep, out_)] += 1

last_visit, last_leave, vout = {}, {}, {}
bad_seq = bad_order = 0
prev_leave = {}
for row in visits:
    rep, s, k = int(row[vc["rep"]]), row[vc["station"]], (int(row[vc["rep"]]), row[vc["truck"]])
    a, st, lv = num(row[vc["arrive"]]), num(row[vc["start"]]), num(row[vc["leave"]])
    o = row[vc["outcome"]]
    vout[o] = vout.get(o, 0) + 1
    n = int(row[vc["visit"]])
    bad_seq += n != last_visit.get(k, 0) + 1 or (k in last_leave and a < last_leave[k])
    bad_seq += (st is not None and st < a) or (lv is not None and lv < (st if st is not None else a))
    bad_seq += row[vc["class"]] != truck[k][tc["class"]]
    bad_warm += row[vc["in_warmup"]] != ("1" if a < warmup else "0")
    last_visit[k], last_leave[k] = n, lv
    vout[k] = (s, o)
    if lv is not None:  # ended visits come in order of leave
        bad_order += lv < prev_leave.get(rep, 0.0)
        prev_leave[rep] = lv
        if warmup <= lv < horizon:
            dep_all[(s, rep)] += 1
            aband[(s, rep)] += o == "abandoned"
    else:
        bad_order += o != "present_at_end"
        prev_leave[rep] = math.inf
    if st is not None and warmup <= st < horizon:
        wait[(s, rep)].append(st - a)
    if n == 1 and warmup <= a < horizon:
        road[(truck[k][tc["class"]], rep)].append(a - num(truck[k][tc["arrive"]]))

ok(outcomes.get("served", 0) > 1000 and outcomes.get("abandoned", 0) > 10
   and outcomes.get("in_system", 0) > 0,
   "trucks.csv has served, abandoned and in-system trucks", outcomes)
ok(vout.get("served", 0) > 1000 and vout.get("abandoned", 0) > 10
   and vout.get("present_at_end", 0) > 0,
   "visits.csv has served, abandoned and present_at_end visits",
   {o: v for o, v in vout.items() if isinstance(o, str)})
ok(bad_seq == 0, "visits: numbered 1, 2, ... per truck, each after the last, arrive <= start "
   "<= leave, the class of trucks.csv (%d bad)" % bad_seq)
ok(bad_order == 0, "visits: in order of leave within a replication, present_at_end last "
   "(%d out of order)" % bad_order)
ok(bad_warm == 0, "in_warmup is arrive < warmup in both files (%d bad)" % bad_warm)
bad_where = 0
for k, row in truck.items():
    o, w = row[tc["outcome"]], row[tc["where"]]
    if o == "abandoned" and not w.startswith("road:"):
        bad_where += vout.get(k) != (w, "abandoned")
    elif o == "abandoned":
        bad_where += w[5:] not in stations or k in last_visit
    elif o == "in_system":
        bad_where += w != "" or (k in last_visit and vout[k][1] != "present_at_end")
    else:
        bad_where += (w != "") != (o == "rejected")
ok(bad_where == 0, "trucks.csv where: an abandoned truck's last visit is abandoned there, "
   "road:<station> with no visit, a truck in the system is present_at_end (%d bad)" % bad_where)
n_road = sum(1 for v in road.values() for x in v if x > 0)
ok(n_road > 10, "some trucks waited on the road (%d)" % n_road)


def per_rep_means(d, key):
    return [sum(d[(key, r)]) / len(d[(key, r)]) if d[(key, r)] else None
            for r in range(1, n_reps + 1)]


def check(label, values, stat, abs_tol):
    mean, ci, lo, hi = reduce(values)
    got = (stat["mean"], stat["ci95"], stat["min"], stat["max"])
    tol = (abs_tol, 2 * T975[n_reps] * abs_tol, abs_tol, abs_tol)
    good = all(close(a, b, abs_tol=t) for a, b, t in zip((mean, ci, lo, hi), got, tol))
    ok(good, label, "from the trace: mean %r ci95 %r min %r max %r\nsummary.json:   %r"
       % (mean, ci, lo, hi, got))


for s in stations:
    check("station %s: wait from visits.csv = summary.json (mean, ci95, min, max; 1e-6)" % s,
          per_rep_means(wait, s), summary["stations"][s]["wait"], ROUND)
    check("station %s: visits ended in the window = departures_all" % s,
          [dep_all[(s, r)] for r in range(1, n_reps + 1)],
          summary["stations"][s]["departures_all"], 0.0)
for c in classes:
    check("class %s: time in system from trucks.csv = summary.json" % c,
          per_rep_means(tis, c), summary["classes"][c]["time_in_system"], ROUND)
    check("class %s: road wait from the first visits = summary.json" % c,
          per_rep_means(road, c), summary["classes"][c]["road_wait"], ROUND)
    for o, m in (("served", "completed"), ("abandoned", "abandoned"), ("rejected", "rejected")):
        check("class %s: trucks.csv outcome %s in the window = %s" % (c, o, m),
              [counts[(c, r, o)] for r in range(1, n_reps + 1)],
              summary["classes"][c][m], 0.0)

# the warm-up rule matters: counting every wait would give another answer
s = stations[1]
all_waits = [float(row[vc["start"]]) - float(row[vc["arrive"]]) for row in visits
             if row[vc["start"]] != "" and row[vc["rep"]] == "1" and row[vc["station"]] == s]
ok(not close(sum(all_waits) / len(all_waits), per_rep_means(wait, s)[0], 1e-6),
   "the warm-up rule changes %s's mean wait (the check above is sharp)" % s)

# ---- 2. the same bytes whatever -j, and gzipped ----
def read_bytes(d, name, opener=open):
    path = os.path.join(d, name)
    return opener(path, "rb").read() if os.path.exists(path) else b""


outs = []
for j in ("1", "2"):
    d = os.path.join(tmp, "j" + j)
    r = run(["run", "-q", "--trace=visits", "-j", j, "-o", d, scenario])
    outs.append([read_bytes(d, n) for n in ("trucks.csv", "visits.csv")] if r.returncode == 0
                else [b"", b""])
ok(outs[0][0] != b"" and outs[0][1] != b"" and outs[0] == outs[1],
   "trucks.csv and visits.csv: identical bytes with -j 1 and -j 2")
ok(outs[0] == [read_bytes(out, "trucks.csv"), read_bytes(out, "visits.csv")],
   "trucks.csv and visits.csv: run -j 2 of part 1 gives the same bytes")
ok(not any(n.startswith(".") for n in os.listdir(os.path.join(tmp, "j2"))),
   "no scratch file is left in the output directory")
d = os.path.join(tmp, "j1")  # over the uncompressed trace of -j 1
r = run(["run", "-q", "--trace=visits", "--gzip", "-j", "2", "-o", d, scenario])
gz = [read_bytes(d, n, gzip.open) for n in ("trucks.csv.gz", "visits.csv.gz")]
sizes = [os.path.getsize(os.path.join(d, n)) if os.path.exists(os.path.join(d, n)) else 0
         for n in ("trucks.csv.gz", "visits.csv.gz")]
ok(r.returncode == 0 and gz == outs[0] and 0 < sizes[1] < len(outs[0][1]) / 3,
   "--gzip: trucks.csv.gz and visits.csv.gz decompress to the same bytes (%d and %d bytes "
   "from %d and %d)" % (sizes[0], sizes[1], len(outs[0][0]), len(outs[0][1])))
mark = json.load(open(os.path.join(d, "complete.json")))
ok(not os.path.exists(os.path.join(d, "trucks.csv")) and
   not os.path.exists(os.path.join(d, "visits.csv")) and
   mark["files"][-3:] == ["trucks.csv.gz", "visits.csv.gz", "datapackage.json"],
   "--gzip: the earlier uncompressed trace is gone; complete.json lists the .gz files",
   mark["files"])
r = run(["run", "-q", "--trace", "-j", "2", "-o", d, scenario])
ok(r.returncode == 0 and read_bytes(d, "trucks.csv") == outs[0][0] and
   sorted(n for n in os.listdir(d) if "trucks" in n or "visits" in n) == ["trucks.csv"],
   "--trace alone: the same trucks.csv, and no visits.csv (nor the .gz of before)")


# ---- 3. memory stays flat as the horizon grows ----
def peak_rss_kib(horizon_days):
    d = os.path.join(tmp, "h%d" % horizon_days)
    pid = os.spawnv(os.P_NOWAIT, tcsim, [tcsim, "run", "-q", "--trace=visits", "-r", "2", "-o", d,
                                         "--set", "horizon=%d d" % horizon_days, scenario])
    _, status, usage = os.wait4(pid, 0)
    rows = sum(1 for _ in open(os.path.join(d, "trucks.csv"))) - 1 if status == 0 else 0
    return status, usage.ru_maxrss, rows


s1, m1, n1 = peak_rss_kib(4)
s4, m4, n4 = peak_rss_kib(16)
ok(s1 == 0 and s4 == 0 and n4 > 3.5 * n1,
   "runs of 4 and 16 days: %d and %d trucks in trucks.csv" % (n1, n4))
ok(m4 <= 1.10 * m1, "peak RSS with a 4x horizon: %d KiB vs %d KiB (at most +10 %%)" % (m4, m1))

# ---- 4. diverted trucks in the trace ----
# fewest_present over a and b (1 server, service 10), divert_above 1; the
# hand trace of tests/border/test_choice.c: the trucks arriving at 4, 5 and
# 12 find 2 present at the better station and leave (ids 5, 6 and 9).
d = os.path.join(tmp, "divert")
os.makedirs(d)
with open(os.path.join(d, "in.csv"), "w") as f:
    f.write("time,class\n0,fruit\n1,general\n2,general\n3,fruit\n4,fruit\n5,general\n"
            "10,general\n11,fruit\n12,fruit\n")
with open(os.path.join(d, "divert.yaml"), "w") as f:
    f.write("name: divert\nhorizon: 100\nreplications: 1\nclasses: {fruit: {}, general: {}}\n"
            "arrivals:\n  - {to: {choose: fewest_present, among: [a, b], divert_above: 1}, "
            "trace: in.csv}\n"
            "stations:\n  a: {servers: 1, service: 10}\n  b: {servers: 1, service: 10}\n")
r = run(["run", "-q", "--trace", "-o", os.path.join(d, "out"), os.path.join(d, "divert.yaml")])
ok(r.returncode == 0, "a diverting run with --trace succeeds", r.stderr)
with open(os.path.join(d, "out", "trucks.csv")) as f:
    f.readline()
    got = sorted((int(x[0]), x[1], x[-2], x[-1]) for x in (line.rstrip("\n").split(",") for line in f))
want = [(1, "fruit", "10", "served"), (2, "general", "11", "served"),
        (3, "general", "20", "served"), (4, "fruit", "21", "served"),
        (5, "fruit", "4", "diverted"), (6, "general", "5", "diverted"),
        (7, "general", "30", "served"), (8, "fruit", "31", "served"),
        (9, "fruit", "12", "diverted")]
ok(got == want, "trucks.csv: trucks 5, 6 and 9 diverted when they arrive, the others served",
   "got %s" % got)
sm = json.load(open(os.path.join(d, "out", "summary.json")))
ok([sm["classes"][c]["diverted"]["mean"] for c in ("fruit", "general")] == [2, 1],
   "summary.json: diverted 2 fruit, 1 general, as in the trace")


status = tap.done()
subprocess.run(["rm", "-rf", tmp])
sys.exit(status)
