#!/usr/bin/env python3
# trucks.csv (tcsim run --trace) against summary.json, bytes across -j, and
# memory as the horizon grows. Usage: trace.py TCSIM DATA_DIR
#
# 1. The trace agrees with the summary: from trucks.csv alone, recompute per
#    replication the mean wait at each station, the mean time in system and
#    the mean road wait of each class, with the rule of summary.json (a
#    tally counts when the interval it measures ends at or after warmup and
#    before horizon); their mean, min and max across replications must equal
#    summary.json's to 1e-9 (relative), and their ci95 too (Student t).
# 2. trucks.csv has the same bytes with -j 1 and -j 2.
# 3. Peak RSS of a --trace run with a 4x longer horizon is at most 10 % more.
# 4. Trucks diverted by a choice show outcome diverted, matching summary.json.
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


def close(a, b, rel=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


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


# ---- 1. the trace against the summary ----
out = os.path.join(tmp, "a")
r = run(["run", "-q", "--trace", "-j", "2", "-o", out, scenario])
ok(r.returncode == 0, "tcsim run --trace succeeds", r.stderr)
summary = json.load(open(os.path.join(out, "summary.json")))
warmup, horizon, n_reps = summary["warmup"], summary["horizon"], summary["replications"]
stations = list(summary["stations"].keys())
classes = list(summary["classes"].keys())

with open(os.path.join(out, "trucks.csv")) as f:
    header = f.readline().rstrip("\n").split(",")
    rows = [line.rstrip("\n").split(",") for line in f]
want = ["id", "class", "rep", "arrive"]
for s in stations:
    want += [s + "_arrive", s + "_start", s + "_leave"]
want += ["exit", "outcome"]
ok(header == want, "trucks.csv header: id,class,rep,arrive, 3 columns a station, exit,outcome",
   "got %s" % header)
col = {name: i for i, name in enumerate(header)}

# per replication sums
wait = {(s, r): [] for s in stations for r in range(1, n_reps + 1)}
tis = {(c, r): [] for c in classes for r in range(1, n_reps + 1)}
road = {(c, r): [] for c in classes for r in range(1, n_reps + 1)}
outcomes = {}
entry = stations[0]  # the only entry station of trace.yaml
for row in rows:
    rep, cls = int(row[col["rep"]]), row[col["class"]]
    outcomes[row[-1]] = outcomes.get(row[-1], 0) + 1
    arrive = num(row[col["arrive"]])
    for s in stations:
        a, st = num(row[col[s + "_arrive"]]), num(row[col[s + "_start"]])
        if st is not None and warmup <= st < horizon:
            wait[(s, rep)].append(st - a)
    x = num(row[col["exit"]])
    if row[-1] == "served" and warmup <= x < horizon:
        tis[(cls, rep)].append(x - arrive)
    ya = num(row[col[entry + "_arrive"]])
    if ya is not None and warmup <= ya < horizon:
        road[(cls, rep)].append(ya - arrive)

ok(outcomes.get("served", 0) > 1000 and outcomes.get("abandoned", 0) > 10
   and outcomes.get("in_system", 0) > 0,
   "the trace has served, abandoned and in-system trucks", outcomes)
n_road = sum(1 for v in road.values() for x in v if x > 0)
ok(n_road > 10, "some trucks waited on the road (%d)" % n_road)


def per_rep_means(d, key):
    return [sum(d[(key, r)]) / len(d[(key, r)]) if d[(key, r)] else None
            for r in range(1, n_reps + 1)]


def check(label, values, stat):
    mean, ci, lo, hi = reduce(values)
    got = (stat["mean"], stat["ci95"], stat["min"], stat["max"])
    good = all(close(a, b) for a, b in zip((mean, ci, lo, hi), got))
    ok(good, label, "from the trace: mean %r ci95 %r min %r max %r\nsummary.json:   %r"
       % (mean, ci, lo, hi, got))


for s in stations:
    check("station %s: wait from the trace = summary.json (mean, ci95, min, max)" % s,
          per_rep_means(wait, s), summary["stations"][s]["wait"])
for c in classes:
    check("class %s: time in system from the trace = summary.json" % c,
          per_rep_means(tis, c), summary["classes"][c]["time_in_system"])
    check("class %s: road wait from the trace = summary.json" % c,
          per_rep_means(road, c), summary["classes"][c]["road_wait"])

# the warm-up rule matters: counting every wait would give another answer
s = stations[1]
all_waits = [float(row[col[s + "_start"]]) - float(row[col[s + "_arrive"]])
             for row in rows if row[col[s + "_start"]] != "" and row[col["rep"]] == "1"]
ok(not close(sum(all_waits) / len(all_waits), per_rep_means(wait, s)[0], 1e-6),
   "the warm-up rule changes %s's mean wait (the check above is sharp)" % s)

# ---- 2. the same bytes whatever -j ----
outs = []
for j in ("1", "2"):
    d = os.path.join(tmp, "j" + j)
    r = run(["run", "-q", "--trace", "-j", j, "-o", d, scenario])
    outs.append(open(os.path.join(d, "trucks.csv"), "rb").read() if r.returncode == 0 else b"")
ok(outs[0] != b"" and outs[0] == outs[1], "trucks.csv: identical bytes with -j 1 and -j 2")
ok(outs[0] == open(os.path.join(out, "trucks.csv"), "rb").read(),
   "trucks.csv: run -j 2 of part 1 gives the same bytes")
ok(not any(n.startswith(".") for n in os.listdir(os.path.join(tmp, "j2"))),
   "no scratch file is left in the output directory")


# ---- 3. memory stays flat as the horizon grows ----
def peak_rss_kib(horizon_days):
    d = os.path.join(tmp, "h%d" % horizon_days)
    pid = os.spawnv(os.P_NOWAIT, tcsim, [tcsim, "run", "-q", "--trace", "-r", "2", "-o", d,
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
