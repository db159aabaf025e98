#!/usr/bin/env python3
# datapackage.json in every directory tcsim writes (run plain, traced,
# traced+gzip; sweep and its variant dirs; optimize; fit; study): valid
# JSON, one resource per CSV in the dir and none missing, each schema's
# field names equal to the header in order, every cell of the declared type
# or a declared missing value, seed and replications as asked, and the same
# bytes for the same seed under SOURCE_DATE_EPOCH at -j 1 and -j 2.
import csv
import gzip
import json
import math
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim = os.path.abspath(sys.argv[1])
tests = os.path.abspath(sys.argv[2])
tmp = tempfile.mkdtemp(prefix="tcsim-datapackage-")
os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
ok, run = tap.ok, tap.runner(tcsim)
mmc = os.path.join(tests, "study", "data", "mmc.yaml")
SHORT = ["--set", "horizon=3d", "--set", "warmup=1d"]


def fits(v, t):
    if t in ("any", "string"):
        return True
    if t == "integer":
        try:
            int(v)
            return True
        except ValueError:
            return False
    try:
        float(v)
        return True
    except ValueError:
        return False


def check_dir(d, what, seed=None, reps=None):
    p = os.path.join(d, "datapackage.json")
    if not ok(os.path.isfile(p), what + ": datapackage.json exists"):
        return
    try:
        dp = json.load(open(p))
    except ValueError as e:
        ok(False, what + ": valid JSON", str(e))
        return
    res = {r["path"]: r for r in dp["resources"]}
    csvs = sorted(f for f in os.listdir(d) if f.endswith(".csv") or f.endswith(".csv.gz"))
    ok(sorted(res) == csvs, what + ": resources are the CSVs of the dir", "%s vs %s" % (sorted(res), csvs))
    if seed is not None:
        ok(dp.get("seed") == seed and dp.get("replications") == reps,
           what + ": seed %d, replications %d" % (seed, reps), "%s %s" % (dp.get("seed"), dp.get("replications")))
    ok(dp.get("created") == "2023-11-14T22:13:20Z", what + ": created from SOURCE_DATE_EPOCH", dp.get("created"))
    for name in csvs:
        r = res.get(name)
        if r is None:
            continue
        gz = name.endswith(".gz")
        ok((r.get("compression") == "gz") == gz, what + ": " + name + " compression")
        if "schema" not in r:
            ok(gz, what + ": " + name + " has a schema")
            continue
        fields = r["schema"]["fields"]
        missing = r["schema"]["missingValues"]
        opener = gzip.open if gz else open
        with opener(os.path.join(d, name), "rt", newline="") as f:
            rows = list(csv.reader(f))
        ok(rows and rows[0] == [x["name"] for x in fields], what + ": " + name + " fields = header")
        bad = [(i, c, v) for i, row in enumerate(rows[1:]) for c, v in enumerate(row)
               if v not in missing and not fits(v, fields[c]["type"])]
        ok(not bad, what + ": %s: %d rows, every cell its type or missing" % (name, len(rows) - 1), str(bad[:5]))


d = os.path.join(tmp, "plain")
r = run(["run", "-q", "-r", "3", "-s", "11", "-o", d, mmc] + SHORT)
ok(r.returncode == 0, "run: exit 0", r.stderr)
check_dir(d, "run", 11, 3)
dp = json.load(open(os.path.join(d, "datapackage.json")))
unit = dp.get("time_unit")
per_day = {"min": 1440.0, "h": 24.0, "d": 1.0}.get(unit)
ok(per_day is not None and dp.get("horizon") == 3 * per_day and dp.get("warmup") == per_day,
   "run: horizon 3 d and warm-up 1 d in its time unit", "%s %s %s" % (unit, dp.get("horizon"), dp.get("warmup")))
env = dict(os.environ)
del env["SOURCE_DATE_EPOCH"]
d0 = os.path.join(tmp, "noepoch")
run(["run", "-q", "-r", "2", "-o", d0, mmc] + SHORT, env=env)
ok("created" not in json.load(open(os.path.join(d0, "datapackage.json"))),
   "run without SOURCE_DATE_EPOCH: no created")
d = os.path.join(tmp, "trace")
r = run(["run", "-q", "-r", "2", "-s", "5", "--trace", "-o", d, mmc] + SHORT)
ok(r.returncode == 0, "run --trace: exit 0", r.stderr)
check_dir(d, "run --trace", 5, 2)
d = os.path.join(tmp, "gz")
r = run(["run", "-q", "-r", "2", "-s", "5", "--trace=visits", "--gzip", "-o", d, mmc] + SHORT)
ok(r.returncode == 0, "run --trace=visits --gzip: exit 0", r.stderr)
check_dir(d, "run --trace=visits --gzip", 5, 2)

d = os.path.join(tmp, "sweep")
r = run(["sweep", "-q", "-r", "2", "--no-plot", "-o", d, mmc, "--vary", "stations.lanes.servers=3,4"] + SHORT)
ok(r.returncode == 0, "sweep: exit 0", r.stderr)
check_dir(d, "sweep")
for v in sorted(os.listdir(d)):
    if os.path.isdir(os.path.join(d, v)) and "=" in v:
        check_dir(os.path.join(d, v), "sweep " + v)

d = os.path.join(tmp, "study")
r = run(["study", "-q", "-r", "3", "-o", d, os.path.join(tests, "study", "data", "mmc-study.yaml")])
ok(r.returncode == 0, "study: exit 0", r.stderr)
check_dir(d, "study")

d = os.path.join(tmp, "optimize")
r = run(["optimize", "-q", "-o", d, mmc, "--vary", "stations.lanes.servers=3:5:1",
         "--minimize", "stations.lanes.servers", "--subject-to", "stations.lanes.wait<=1 h"] + SHORT)
ok(r.returncode == 0, "optimize: exit 0", r.stderr)
check_dir(d, "optimize")

fitmmc = os.path.join(tests, "fit", "mmc.yaml")
obs = os.path.join(tmp, "obs.csv")
with open(obs, "w") as f:
    f.write("time,metric,value\n" + "".join("%d,lanes.present.daily_mean,1.33\n" % (24 * k + 12) for k in range(2, 8)))
d = os.path.join(tmp, "fit")
r = run(["fit", "-q", "-o", d, fitmmc, "--observed", obs, "--param", "stations.lanes.service*=0.5:2",
         "-r", "4", "-s", "3", "--set", "horizon=200 h"])
ok(r.returncode == 0, "fit: exit 0", r.stderr)
check_dir(d, "fit", 3, 4)

# same seed, same bytes, any -j
blobs = []
for j in ("1", "2"):
    dj = os.path.join(tmp, "j" + j)
    run(["run", "-q", "-r", "4", "-s", "9", "-j", j, "-o", dj, mmc] + SHORT)
    blobs.append(open(os.path.join(dj, "datapackage.json"), "rb").read())
ok(blobs[0] == blobs[1] and len(blobs[0]) > 0, "datapackage.json byte-identical for -j 1 and -j 2")

sys.exit(tap.done())
