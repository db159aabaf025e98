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
import difflib
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
import tdist  # noqa: E402

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
    if scope == "network":
        return js["network"][metric]
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

# ---- a study on the M/M/3 ----
study = os.path.join(data, "mmc-study.yaml")
sd = os.path.join(tmp, "study")
p = run(["study", "-q", "-j", "2", "-o", sd, study])
ok(p.returncode == 0 and p.stdout == "" and p.stderr == "", "study -q: exit 0, silent", p.stderr)
ok(sorted(os.listdir(sd)) == ["base", "datapackage.json", "options.csv", "options.json", "same", "slower"],
   "study writes one directory per option, options.csv and options.json", os.listdir(sd))
head, rows = read_csv(os.path.join(sd, "options.csv"))
ok(head == ["option", "scope", "name", "class", "metric", "mean", "ci95", "diff", "diff_ci95",
            "p_holm"], "options.csv header", head)
by = {}
for r in rows:
    by[(r[0],) + tuple(r[1:5])] = r[5:]
same = [r for r in rows if r[0] == "same"]
ok(same and all(r[7] in ("0", "") and r[8] in ("0", "") and (r[7] == "") == (r[5] == "")
                for r in same),
   "an option identical to the baseline: diff exactly 0 and diff_ci95 0 on every defined "
   "metric (%d metrics)" % len(same), [r for r in same if r[7] not in ("0", "")][:5])
ok(all(r[9] == "" for r in rows if r[0] == "base"), "no p_holm for the baseline")
for metric in ("wait", "in_station"):
    v = by[("slower", "station", "lanes", "", metric)]
    ok(float(v[4]) < 0.05 and float(v[2]) > 0,
       "10 %% longer service: lanes %s moves, diff %s, p_holm %s < 0.05" % (metric, v[2], v[4]))
# the option's directory = a run with the same overrides, byte for byte
rd = os.path.join(tmp, "slower-run")
p = run(["run", "-q", "-o", rd, "--set",
         "stations.lanes.service={dist: exponential, mean: 13.2 min}", mmc])
ok(all(open(os.path.join(rd, n), "rb").read() == open(os.path.join(sd, "slower", n), "rb").read()
       for n in ("summary.json", "summary.csv", "replications.csv", "timeseries.csv")),
   "option slower's outputs = tcsim run --set of the same override, byte for byte")
# options.csv against the options' replications.csv: mean, diff, diff_ci95 recomputed
_, rb = reps_by_metric(os.path.join(sd, "base", "replications.csv"))
_, ro = reps_by_metric(os.path.join(sd, "slower", "replications.csv"))
bad = []
for key in rb:
    v = by[("slower",) + key]
    d = [a - b for a, b in zip(ro[key], rb[key])]
    m, ci = mean_ci(d)
    if not (close(mean_ci(ro[key])[0], num(v[0])) and close(m, num(v[2])) and
            (close(ci, num(v[3])) or (ci == 0 and num(v[3]) == 0))):
        bad.append("%s: %r %r vs %s" % (key, m, ci, v))
ok(not bad, "options.csv: mean, paired diff and diff_ci95 recomputed from replications.csv "
   "to 1e-12", bad)
with open(os.path.join(sd, "options.json")) as f:
    oj = json.load(f)
ok(oj["baseline"] == "base" and [o["name"] for o in oj["options"]] == ["base", "same", "slower"]
   and len(oj["options"][2]["metrics"]) == len(rb), "options.json: baseline, options, metrics")
p1 = run(["study", "-q", "-j", "1", "-o", os.path.join(tmp, "study-j1"), study])
ok(all(open(os.path.join(sd, n), "rb").read() ==
       open(os.path.join(tmp, "study-j1", n), "rb").read() for n in ("options.csv", "options.json")),
   "the same options.csv and options.json for -j 1 and -j 2")
p = run(["study", "-o", os.path.join(tmp, "study-table"), study])
ok(p.returncode == 0 and "trucks present" in p.stdout and " *" in p.stdout,
   "the table shows the trucks present and marks what moved", p.stdout)

# ---- the terminal table, rebuilt here from options.csv ----
# Network headline rows and each class's p95, the baseline's mean ± ci95 and
# each option's paired difference ± ci95 ("*": p_holm < 0.05), cost and CO2
# because the study's set: gives a costs: section; five options do not fit
# in 100 columns, so they come in two panels, each repeating the baseline.
def fmt_cell(mean, ci, scale, signed):
    if mean == "":
        return "-"
    m, c = float(mean) * scale, (float(ci) * scale if ci else float("nan"))
    if not (c > 0) or math.isinf(c):
        return ("%+.4g" if signed else "%.4g") % (0.0 if m == 0 else m)
    d = min(6, max(0, 1 - math.floor(math.log10(c))))
    s = ("%+.*f \u00b1 %.*f" if signed else "%.*f \u00b1 %.*f") % (d, m, d, c)
    if signed and s[0] == "-" and set(s[1:s.index(" ")]) <= set("0."):
        s = "+" + s[1:]
    return s


cs = os.path.join(data, "mmc-costs-study.yaml")
p = run(["study", "-j", "2", "-o", os.path.join(tmp, "study-costs"), cs])
head, rows = read_csv(os.path.join(tmp, "study-costs", "options.csv"))
val = {(r[0], r[1], r[2], r[4]): r for r in rows}
heads = [("trucks present", "network", "", "present", 1),
         ("truck-hours per day", "network", "", "truck_hours_per_day", 1),
         ("p95 time in system, truck", "class", "truck", "time_in_system_p95", 1),
         ("abandoned %", "network", "", "abandoned_fraction", 100),
         ("spoiled %", "network", "", "spoiled_fraction", 100),
         ("throughput per day", "network", "", "throughput_per_day", 1),
         ("cost per day (USD)", "network", "", "cost_per_day", 1),
         ("CO2 per day (kg)", "network", "", "co2_kg_per_day", 1)]
opts = ["base", "slower", "faster", "four-lanes", "two-lanes-fast"]
grid = [["metric", "base (baseline)"] + [o + "  " for o in opts[1:]]]
for label, scope, name, metric, scale in heads:
    b = val[("base", scope, name, metric)]
    line = [label, fmt_cell(b[5], b[6], scale, False)]
    for o in opts[1:]:
        r = val[(o, scope, name, metric)]
        line.append(fmt_cell(r[7], r[8], scale, True) + (" *" if r[9] and float(r[9]) < 0.05 else "  "))
    grid.append(line)
width = [max(len(g[c]) for g in grid) for c in range(len(grid[0]))]
want = ("M/M/3 for the study tests: 5 replications, seed 77, times in min\n"
        "baseline: mean \u00b1 95% half-width. Other options: difference from the baseline (option minus\n"
        "baseline, replication by replication with the same random numbers) \u00b1 95% half-width;\n"
        "* where that difference is significant: paired t test, Holm-adjusted over the option's\n"
        "metrics, p < 0.05.\n")
c = 2
while c < len(width):
    cols, used = [0, 1], width[0] + 2 + width[1]
    while c < len(width) and (len(cols) == 2 or used + 2 + width[c] <= 100):
        used += 2 + width[c]
        cols.append(c)
        c += 1
    want += "\n"
    for g in grid:
        want += (g[0].ljust(width[0]) + "".join(" " * (2 + width[k] - len(g[k])) + g[k]
                                                for k in cols[1:])).rstrip() + "\n"
ok(p.returncode == 0 and p.stdout == want,
   "the study table: network headlines, p95, cost and CO2, marks, two panels, exactly as "
   "rebuilt from options.csv", "\n".join(difflib.unified_diff(want.split("\n"), p.stdout.split("\n"), lineterm="")))
ok(max(len(x) for x in p.stdout.split("\n")) <= 100 and p.stdout.count("\nmetric ") == 2,
   "the table fits in 100 columns: two panels")
ok(any(r[0] == "two-lanes-fast" and r[4] == "cost_per_day" and r[9] and float(r[9]) < 0.05
       for r in rows) and any(x.startswith("cost per day (USD)") and x.endswith(" *")
                              for x in p.stdout.split("\n")),
   "a significant cost change is marked (two fast lanes: fewer server-hours)")

# ---- paired against unpaired on the crisis scenario ----
crisis = os.path.join(tmp, "crisis-study.yaml")
with open(crisis, "w") as f:
    f.write("scenario: %s\nreplications: 10\noptions:\n  - name: today\n"
            "  - name: more-customs\n    set:\n      - stations.tt_customs.servers=12\n"
            % os.path.join(os.path.abspath(scenarios), "langson-crisis-2021.yaml"))
cd = os.path.join(tmp, "crisis")
p = run(["study", "-q", "-j", "2", "-o", cd, crisis])
ok(p.returncode == 0, "the crisis study runs", p.stderr)
if p.returncode == 0:
    _, rb = reps_by_metric(os.path.join(cd, "today", "replications.csv"))
    _, ro = reps_by_metric(os.path.join(cd, "more-customs", "replications.csv"))
    ins = [k for k in rb if k[0] == "station" and k[3] == "in_station" and not k[2]]
    busiest = max(ins, key=lambda k: mean_ci(rb[k])[0])
    paired = mean_ci([a - b for a, b in zip(ro[busiest], rb[busiest])])[1]
    # Welch's half-width with t_{0.975, n-1} (>= the Welch-Satterthwaite df's t: a bound)
    unpaired = math.hypot(mean_ci(ro[busiest])[1], mean_ci(rb[busiest])[1])
    ok(paired < unpaired, "crisis, %s in_station: paired half-width %.4g < unpaired %.4g "
       "(ratio %.2f)" % (busiest[1], paired, unpaired, unpaired / paired))

# ---- network.present, paired against Welch, on a cheap crisis study ----
# The shipped crisis study's hardest case (the raised far-side caps, which
# change the most: the paired noise is largest there), 10 replications
# instead of 20: the paired half-width of the difference in trucks present
# must be at least 3 times narrower than Welch's half-width from the same
# runs (t at the Welch-Satterthwaite df). Measured: 4.39 with 10 replications;
# 4.20 (and 4.2 to 120 over the nine options) in the full study (README).
cheap = os.path.join(tmp, "crisis-cheap.yaml")
with open(cheap, "w") as f:
    f.write("scenario: %s\nreplications: 10\noptions:\n  - name: today\n  - name: caps\n    set:\n"
            "      - stations.tt_gate.daily_limit=267\n      - stations.hn_gate.daily_limit=133\n"
            "      - stations.cm_gate.daily_limit=53\n      - events.7.daily_limit=87\n"
            "      - events.8.daily_limit=33\n"
            % os.path.join(os.path.abspath(scenarios), "langson-crisis-2021.yaml"))
cc = os.path.join(tmp, "crisis-cheap")
p = run(["study", "-q", "-j", "2", "-o", cc, cheap])
ok(p.returncode == 0, "the cheap crisis study runs", p.stderr)
if p.returncode == 0:
    key = ("network", "", "", "present")
    b, o = (reps_by_metric(os.path.join(cc, x, "replications.csv"))[1][key] for x in ("today", "caps"))
    n = len(b)
    paired = mean_ci([x - y for x, y in zip(o, b)])[1]
    v1, v2 = (sum((x - sum(v) / n) ** 2 for x in v) / (n - 1) / n for v in (o, b))
    welch = tdist.t_q975((v1 + v2) ** 2 / (v1 ** 2 / (n - 1) + v2 ** 2 / (n - 1))) * math.sqrt(v1 + v2)
    _, orows = read_csv(os.path.join(cc, "options.csv"))
    dci = [float(r[8]) for r in orows if r[0] == "caps" and tuple(r[1:5]) == key]
    ok(dci and close(dci[0], paired), "options.csv's diff_ci95 of network.present is the paired "
       "half-width recomputed (%.6g)" % paired, dci)
    ok(welch >= 3 * paired, "crisis, raised caps, network.present: Welch half-width %.4g >= 3 x "
       "paired %.4g (ratio %.2f)" % (welch, paired, welch / paired))

# ---- bad study files: located errors, exit 1, nothing written ----
shutil.copy(mmc, os.path.join(tmp, "mmc.yaml"))
bad_cases = [
    ("unknown", "scenario: mmc.yaml\nreplicatons: 5\noptions:\n  - name: a\n",
     'unknown.yaml:2:1: error: unknown key "replicatons"; did you mean "replications"?\n'),
    ("dup", "scenario: mmc.yaml\noptions:\n  - name: a\n  - name: b\n  - name: a\n",
     'dup.yaml:5:11: error: options[2].name: duplicate option name "a", first at line 3\n'),
    ("missing", "scenario: nowhere.yaml\noptions:\n  - name: a\n",
     'missing.yaml:1:11: error: scenario: cannot read "nowhere.yaml": No such file or '
     'directory\n'),
    ("empty", "scenario: mmc.yaml\noptions: []\n",
     "empty.yaml:2:10: error: options: a study needs at least one option\n"),
    ("baseline", "scenario: mmc.yaml\nbaseline: tody\noptions:\n  - name: today\n"
     "  - name: b\n",
     'baseline.yaml:2:11: error: baseline: no option named "tody"; did you mean "today"?\n'),
    ("override", "scenario: mmc.yaml\noptions:\n  - name: today\n  - name: more\n    set:\n"
     "      - stations.lanes.servers=-2\n      - stations.lane.capacity=4\n",
     'override.yaml:6:9: error: option "more": stations.lanes.servers: expected a positive '
     'integer or "unlimited", got "-2"\n'
     'override.yaml:7:9: error: option "more": stations.lane.capacity: no key "lane" in '
     'stations; did you mean "lanes"?\n'),
    ("common", "scenario: mmc.yaml\nset:\n  - \"costs={truck_hour: 1}\"\n  - nokey\noptions:\n"
     "  - name: today\n",
     "common.yaml:4:5: error: set[1]: expected KEY=VALUE, as --set takes it, got \"nokey\"\n"),
    ("common-value", "scenario: mmc.yaml\nset:\n  - \"costs={truck_hour: -1}\"\noptions:\n"
     "  - name: today\n",
     'common-value.yaml:3:5: error: option "today": costs.truck_hour: expected a number >= 0, '
     'got "-1"\n'),
]
for name, text, want in bad_cases:
    with open(os.path.join(tmp, name + ".yaml"), "w") as f:
        f.write(text)
    p = run(["study", "-o", "out-" + name, name + ".yaml"], cwd=tmp)
    ok(p.returncode == 1 and p.stderr == want and p.stdout == "" and
       not os.path.exists(os.path.join(tmp, "out-" + name)),
       "bad study %s: exit 1, the located message, nothing written" % name,
       [p.returncode, p.stderr])

shutil.rmtree(tmp)
sys.exit(tap.done())
