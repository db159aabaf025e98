#!/usr/bin/env python3
# summary.csv's n, unit and path: a rare class that arrives in only some
# replications has n = the replications where its metrics are defined (read
# from replications.csv), and mean, ci95, min and max over those alone
# (Student-t half-width computed here); a metric defined nowhere has n 0 and
# empty cells; summary.json holds the same n.
import csv
import json
import math
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim = os.path.abspath(sys.argv[1])
tmp = tempfile.mkdtemp(prefix="tcsim-summary-n-")
ok, run = tap.ok, tap.runner(tcsim)
# t_{0.975, k-1} for the replication counts a rare class can reach here
T975 = {2: 12.706204736, 3: 4.302652730, 4: 3.182446305, 5: 2.776445105, 6: 2.570581836,
        7: 2.446911851, 8: 2.364624252, 9: 2.306004135, 10: 2.262157163, 11: 2.228138852,
        12: 2.200985160, 13: 2.178812830, 14: 2.160368656, 15: 2.144786688}

scen = os.path.join(tmp, "rare.yaml")
with open(scen, "w") as f:
    f.write("""name: A rare class
time_unit: h
horizon: 10
warmup: 0
replications: 15
seed: 3
classes:
  common: {}
  rare: {}
  never: {}
arrivals:
  - {class: common, to: lane, rate: 2/h}
  - {class: rare, to: lane, rate: 0.08/h}
  - {class: never, to: lane, rate: 0.000001/h}
stations:
  lane: {servers: 1, service: {dist: exponential, mean: 0.3}, next: exit}
""")
d = os.path.join(tmp, "out")
r = run(["run", "-q", "-o", d, scen])
ok(r.returncode == 0, "run: exit 0", r.stderr)

reps = {}
with open(os.path.join(d, "replications.csv"), newline="") as f:
    for rec in csv.DictReader(f):
        if rec["scope"] == "class" and rec["metric"] == "time_in_system":
            reps.setdefault(rec["name"], []).append(rec["value"])
rows = {}
with open(os.path.join(d, "summary.csv"), newline="") as f:
    for rec in csv.DictReader(f):
        rows[rec["path"]] = rec
js = json.load(open(os.path.join(d, "summary.json")))

vals = [float(v) for v in reps["rare"] if v != ""]
k = len(vals)
ok(0 < k < 15, "the rare class has a time in system in %d of 15 replications" % k, reps["rare"])
row = rows["classes.rare.time_in_system"]
m = sum(vals) / k
ok(int(row["n"]) == k and js["classes"]["rare"]["time_in_system"]["n"] == k,
   "n = %d in summary.csv and summary.json" % k, row)
ok(math.isclose(float(row["mean"]), m, rel_tol=1e-12), "mean over those %d only: %.6f" % (k, m),
   row["mean"])
if k > 1:
    sd = math.sqrt(sum((v - m) ** 2 for v in vals) / (k - 1))
    ci = T975[k] * sd / math.sqrt(k)
    ok(math.isclose(float(row["ci95"]), ci, rel_tol=1e-6), "ci95 = t(%d) s / sqrt(n) = %.6f"
       % (k - 1, ci), row["ci95"])
ok(float(row["min"]) == min(vals) and float(row["max"]) == max(vals), "min and max over them")
ok(row["unit"] == "h", "unit h (the scenario's time_unit)", row["unit"])
common = rows["classes.common.time_in_system"]
ok(common["n"] == "15", "the common class: n 15", common["n"])
never = rows["classes.never.time_in_system"]
ok(never["n"] == "0" and never["mean"] == never["ci95"] == never["min"] == never["max"] == ""
   and js["classes"]["never"]["time_in_system"]["mean"] is None,
   "a class that never arrives: n 0, empty cells, null in summary.json", never)
sys.exit(tap.done())
