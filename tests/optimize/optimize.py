#!/usr/bin/env python3
# tcsim optimize end to end. Usage: optimize.py TCSIM DATA_DIR
#
# - the fewest servers of an M/M/c (mmc.yaml; Erlang C: c = 7 for a mean
#   wait <= 0.3 h): optimize.json names it, optimize.csv has one row per
#   candidate (c = 4, 5 screened by their load), DIR/best/ is a run's set;
# - -j 1 and -j 2 give byte-identical optimize.json and optimize.csv;
# - an infeasible problem names the closest candidate; a tiny
#   --max-replications says what budget would decide;
# - bad input: exact messages, exit 1 (input) or 2 (usage), nothing written.
import csv
import json
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim, data = os.path.abspath(sys.argv[1]), sys.argv[2]
mmc = os.path.join(data, "mmc.yaml")
tmp = tempfile.mkdtemp(prefix="tcsim-optimize-")
ok, run = tap.ok, tap.runner(tcsim)
VARY = ["--vary", "stations.s.servers=4:10:1"]
FEWEST = VARY + ["--minimize", "stations.s.servers", "--subject-to", "stations.s.wait<=0.3 h"]


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ---- the fewest servers ----
d1, d2 = os.path.join(tmp, "j1"), os.path.join(tmp, "j2")
r = run(["optimize", mmc] + FEWEST + ["-o", d1, "-j", "1"])
ok(r.returncode == 0, "optimize: exit 0", r.stderr)
ok(r.stdout.startswith("best: stations.s.servers=7 (confidence 0.95)\n") and
   "runner-up: stations.s.servers=8\n" in r.stdout,
   "the terminal states the answer, its confidence and the runner-up", r.stdout)
j = json.loads(read(os.path.join(d1, "optimize.json")))
ok(j["best"] == {"stations.s.servers": 7} and j["confidence"] == 0.95 and
   j["runner_up"] == {"stations.s.servers": 8},
   "optimize.json: best c = 7 (Erlang C: Wq(6) = 0.59 h, Wq(7) = 0.16 h), runner-up 8", j)
ok(j["replications"] < j["equal_allocation"],
   "fewer replications than equal allocation (%d < %d)" % (j["replications"],
                                                            j["equal_allocation"]), j)
with open(os.path.join(d1, "optimize.csv"), newline="") as f:
    rows = list(csv.DictReader(f))
ok([x["stations.s.servers"] for x in rows] == [str(c) for c in range(4, 11)],
   "optimize.csv: one row per candidate, in grid order")
ok([x["state"] for x in rows] == ["screened", "screened", "infeasible", "best", "eliminated",
                                 "eliminated", "eliminated"] and
   [x["feasible"] for x in rows[:4]] == ["no", "no", "no", "yes"] and
   rows[0]["replications"] == "0" and rows[0]["why"].startswith("offered load 1.25 >= 1 at s"),
   "optimize.csv: c = 4, 5 screened by load without simulation; 6 infeasible; 7 best",
   [(x["state"], x["feasible"], x["why"]) for x in rows])
ok(sorted(os.listdir(os.path.join(d1, "best"))) ==
   ["complete.json", "datapackage.json", "replications.csv", "scenario.yaml", "summary.csv", "summary.json",
    "timeseries.csv"],
   "DIR/best/ holds the best candidate's outputs as tcsim run writes them")
s = json.loads(read(os.path.join(d1, "best", "summary.json")))
w = float(rows[3]["stations.s.wait.mean"])
ok(s["replications"] == int(rows[3]["replications"]) and
   abs(s["stations"]["s"]["wait"]["mean"] - w) <= 1e-12 * w,
   "best/summary.json: the same replications and mean wait as its optimize.csv row")

r = run(["optimize", mmc] + FEWEST + ["-o", d2, "-j", "2", "-q"])
ok(r.returncode == 0 and r.stdout == "", "-j 2 --quiet: exit 0, nothing printed", r.stderr)
ok(all(read(os.path.join(d1, n)) == read(os.path.join(d2, n))
       for n in ("optimize.json", "optimize.csv")),
   "-j 1 and -j 2: byte-identical optimize.json and optimize.csv")

# A long sequential stage (6 and 10 open to replication 59): with more threads
# replications run ahead in batches, and those after a candidate left are
# never counted, so the files are the same bytes.
LONG = VARY + ["--minimize", "stations.s.wait", "--subject-to", "stations.s.wait<=0.3 h", "-q"]
outs = []
for jn in ("1", "2", "3"):
    dj = os.path.join(tmp, "long" + jn)
    r = run(["optimize", mmc] + LONG + ["-o", dj, "-j", jn])
    outs.append([r.returncode] + [read(os.path.join(dj, n)) if r.returncode == 0 else b""
                                  for n in ("optimize.json", "optimize.csv")])
with open(os.path.join(tmp, "long1", "optimize.csv"), newline="") as f:
    lrows = {x["candidate"]: x for x in csv.DictReader(f)}
ok(outs[0][0] == 0 and outs[0] == outs[1] == outs[2] and
   lrows["stations.s.servers=10"]["state"] == "best" and
   int(lrows["stations.s.servers=10"]["replications"]) > 20,
   "a long sequential stage: -j 1, 2, 3 give byte-identical files (c = 10 best after %s "
   "replications)" % lrows["stations.s.servers=10"]["replications"])

# ---- --keep: every simulated candidate's outputs ----
dk = os.path.join(tmp, "keep")
r = run(["optimize", mmc] + FEWEST + ["-o", dk, "-j", "2", "-q", "--keep"])
kept = os.path.join(dk, "candidates")
ok(r.returncode == 0 and sorted(os.listdir(kept)) ==
   sorted("stations.s.servers=%d" % c for c in range(6, 11)),
   "--keep: DIR/candidates/<name>/ for c = 6..10 (4, 5 screened: nothing simulated)",
   [r.stderr, os.listdir(kept) if os.path.isdir(kept) else None])
ok(read(os.path.join(dk, "optimize.csv")) == read(os.path.join(d1, "optimize.csv")),
   "--keep does not change optimize.csv")
same = []
for x in rows[2:]:
    s = json.loads(read(os.path.join(kept, x["candidate"], "summary.json")))
    w = s["stations"]["s"]["wait"]
    same.append(s["replications"] == int(x["replications"]) and
                abs(w["mean"] - float(x["stations.s.wait.mean"])) <= 1e-12 * w["mean"] and
                abs(w["ci95"] - float(x["stations.s.wait.ci95"])) <= 1e-9 * w["ci95"])
ok(all(same) and len(same) == 5,
   "--keep: each candidate's summary.json has its optimize.csv row's replications, mean "
   "and ci95 wait", same)
ok(not os.path.exists(os.path.join(d1, "candidates")), "without --keep: no DIR/candidates/")

# ---- a grid too big to enumerate: neighbourhood search, then the clean-up ----
# tandem.yaml: two M/M/c stations in series, 30 x 30 server counts. The mean
# time in system 2 h + Wq_a + Wq_b falls with servers; utilization 5/c >= 0.66
# allows c <= 7 at each. The optimum is (7, 7), T = 2 + 2 Wq(7) by Erlang C.
def erlang_c_wq(c, a, mu=1.0):
    term, s = 1.0, 1.0
    for k in range(1, c):
        term *= a / k
        s += term
    last = term * a / c * c / (c - a)
    return last / (s + last) / (c * mu - a * mu)


tandem = os.path.join(data, "tandem.yaml")
BIG = ["--vary", "stations.a.servers=1:30:1", "--vary", "stations.b.servers=1:30:1",
       "--minimize", "classes.truck.time_in_system",
       "--subject-to", "stations.a.utilization>=0.66",
       "--subject-to", "stations.b.utilization>=0.66", "--tolerance", "0.02"]
t77 = 2 + 2 * erlang_c_wq(7, 5.0)
found = []
for seed in (1, 2, 3, 4):
    dsd = os.path.join(tmp, "big%d" % seed)
    r = run(["optimize", tandem] + BIG + ["--set", "seed=%d" % seed, "-o", dsd, "-j", "2", "-q"])
    if r.returncode:
        found.append(("exit", r.returncode, r.stderr))
        continue
    j = json.loads(read(os.path.join(dsd, "optimize.json")))
    with open(os.path.join(dsd, "optimize.csv"), newline="") as f:
        best = [x for x in csv.DictReader(f) if x["state"] == "best"]
    t = float(best[0]["classes.truck.time_in_system.mean"]) if best else float("nan")
    ci = float(best[0]["classes.truck.time_in_system.ci95"]) if best else 0
    found.append((j["best"], j["search"]["visited"], j["search"]["seed"], abs(t - t77) <= ci))
ok(all(f[0] == {"stations.a.servers": 7, "stations.b.servers": 7} and f[1] <= 90 and
       f[2] == i + 2 and f[3] for i, f in enumerate(found)),
   "30 x 30 grid, seeds 1-4: the search finds (7, 7) visiting at most 90 of 900 points; its "
   "mean time in system is within its ci95 of Erlang C's %.4f h (search on seed + 1)" % t77,
   found)
with open(os.path.join(tmp, "big1", "search.csv"), newline="") as f:
    vis = list(csv.DictReader(f))
path = [(x["stations.a.servers"], x["stations.b.servers"]) for x in vis if x["on_path"] == "yes"]
ok(path[0] == ("15", "15") and path[-1] == ("7", "7") and len(path) == 17 and
   sum(x["final"] == "yes" for x in vis) == 5,
   "search.csv: the path from the centre (15, 15) to (7, 7) in 16 moves, 5 final candidates",
   path)
dsj = os.path.join(tmp, "big1j1")
r = run(["optimize", tandem] + BIG + ["--set", "seed=1", "-o", dsj, "-j", "1", "-q"])
ok(r.returncode == 0 and all(read(os.path.join(dsj, n)) == read(os.path.join(tmp, "big1", n))
                             for n in ("optimize.json", "optimize.csv", "search.csv")),
   "search: -j 1 and -j 2 byte-identical optimize.json, optimize.csv and search.csv")
dsl = os.path.join(tmp, "local")
r = run(["optimize", mmc] + FEWEST + ["--search", "local", "-o", dsl])
j = json.loads(read(os.path.join(dsl, "optimize.json"))) if r.returncode == 0 else {}
ok(r.returncode == 0 and j["best"] == {"stations.s.servers": 7} and
   j["search"]["local_optimum"] == {"stations.s.servers": 7} and j["search"]["visited"] == 3 and
   r.stdout.startswith("search: 3 of 7 points visited, 0 moves from stations.s.servers=7 to "
                       "stations.s.servers=7, 30 replications (seed 2); the best 3 compared\n"),
   "--search local on the small grid: starts at c = 7, sees 6 and 8, stays; best c = 7",
   [r.stdout, r.stderr])
ok(json.loads(read(os.path.join(d1, "optimize.json")))["search"] is None,
   "an enumerated grid: optimize.json's search is null")

# ---- --plot: the data handed to gnuplot ----
if shutil.which("gnuplot"):
    dp = os.path.join(tmp, "plot")
    r = run(["optimize", mmc] + FEWEST + ["-o", dp, "-q", "--plot"])
    dat = os.path.join(dp, "plots", "data", "optimize.dat")
    lines = open(dat).read().splitlines() if os.path.exists(dat) else []
    heads = [x for x in lines if x.startswith("# quantity")]
    pts = [[float(v) for v in x.split()] for x in lines if x and not x.startswith("#")]
    want = [[float(x["stations.s.servers"]), float(x["stations.s.servers.mean"]), 0.0,
             float(x["stations.s.wait.mean"]), float(x["stations.s.wait.ci95"])] for x in rows[2:]]
    close = len(pts) == 5 and all(abs(a - b) <= 1e-5 * max(abs(b), 1e-9)
                                  for p_, w_ in zip(pts, want) for a, b in zip(p_[:5], w_))
    ok(r.returncode == 0 and os.path.exists(os.path.join(dp, "plots", "optimize.png")) and
       heads == ["# quantity 1 stations.s.servers limit NaN",
                 "# quantity 2 stations.s.wait limit 0.3"] and close and
       [p_[5] for p_ in pts] == [1, 3, 0, 0, 0],
       "--plot: optimize.png; its data: c = 6..10 (4, 5 screened), the means and ci95 of "
       "optimize.csv, the limit 0.3 h, c = 6 marked infeasible and 7 best", [r.stderr, lines])
    before = read(dat) if os.path.exists(dat) else b""
    r = run(["plot", dp])
    ok(r.returncode == 0 and read(dat) == before, "tcsim plot DIR redraws the same data",
       r.stderr)
else:
    tap.skip("--plot", "gnuplot is not installed")
    tap.skip("tcsim plot DIR", "gnuplot is not installed")

# ---- infeasible, undecided ----
d = os.path.join(tmp, "inf")
r = run(["optimize", mmc, "--vary", "stations.s.servers=4:7:1", "--minimize",
         "stations.s.servers", "--subject-to", "stations.s.wait<=0.05 h", "-o", d])
ok(r.returncode == 0 and r.stdout.startswith(
    "no candidate meets the constraints; the closest is stations.s.servers=7 "
    "(stations.s.wait: mean "), "infeasible: names the closest candidate (c = 7)", r.stdout)
j = json.loads(read(os.path.join(d, "optimize.json")))
ok(j["best"] is None and j["closest"] == {"stations.s.servers": 7} and
   not os.path.exists(os.path.join(d, "best")),
   "optimize.json: best null, closest c = 7, no best/", j)
d = os.path.join(tmp, "und")
r = run(["optimize", mmc] + VARY + ["--minimize", "stations.s.wait", "--subject-to",
                                    "stations.s.wait<=0.3 h", "--indifference", "0.001",
                                    "-r", "3", "--max-replications", "4", "-o", d])
j = json.loads(read(os.path.join(d, "optimize.json")))
ok(r.returncode == 0 and r.stdout.startswith("undecided between stations.s.servers=10 and "
                                             "stations.s.servers=9; about ") and
   " more replications each would decide it\n" in r.stdout and j["best"] is None and
   j["more_replications"] >= 1,
   "undecided: names the pair and the replications that would decide it", r.stdout)

# ---- bad input ----
BAD = [
    (VARY + ["--minimize", "stations.s.nosuch"], 1,
     "tcsim: --minimize stations.s.nosuch: no such metric; expected a summary.json path "
     "(stations.<station>.<metric>, stations.<station>.by_class.<class>.<metric>, "
     "classes.<class>.<metric>, roads.<station>.<metric>, network.<metric>) or a --vary key\n"),
    (VARY + ["--minimize", "stations.s.servers", "--subject-to", "stations.x.wait<=1"], 1,
     "tcsim: --subject-to 'stations.x.wait<=1' stations.x.wait: no such metric; expected a "
     "summary.json path (stations.<station>.<metric>, "
     "stations.<station>.by_class.<class>.<metric>, classes.<class>.<metric>, "
     "roads.<station>.<metric>, network.<metric>) or a --vary key\n"),
    (VARY + ["--minimize", "stations.s.servers", "--subject-to", "stations.s.wait<=abc"], 1,
     "tcsim: --subject-to 'stations.s.wait<=abc': \"abc\": expected a duration such as 24 h "
     "or 90 min\n"),
    (VARY + ["--minimize", "stations.s.servers", "--subject-to",
             "stations.s.utilization<=0.9 h"], 1,
     "tcsim: --subject-to 'stations.s.utilization<=0.9 h': \"0.9 h\": expected a number "
     "(this metric is not a duration: no unit)\n"),
    (VARY + ["--minimize", "stations.s.wait", "--indifference", "-1"], 1,
     "tcsim: --indifference \"-1\": expected a duration such as 24 h or 90 min\n"),
    (["--vary", "stations.s.servers=5:4:1", "--minimize", "stations.s.wait"], 2,
     "tcsim: --vary \"stations.s.servers=5:4:1\": FROM:TO:STEP: expected STEP > 0 and "
     "TO >= FROM\n"),
    (VARY + ["--minimize", "stations.s.wait", "--maximize", "stations.s.wait"], 2,
     "tcsim: optimize: give one --minimize or --maximize\n"),
    (VARY + ["--minimize", "stations.s.wait", "--confidence", "1"], 2,
     "tcsim: --confidence: expected a probability between 0.5 and 1 (exclusive), got \"1\"\n"),
    (VARY + ["--minimize", "stations.s.wait", "--confidence", "0.5"], 2,
     "tcsim: --confidence: expected a probability between 0.5 and 1 (exclusive), got "
     "\"0.5\"\n"),
    (VARY + ["--minimize", "stations.s.wait", "--subject-to", "stations.s.wait<1"], 2,
     "tcsim: --subject-to 'stations.s.wait<1': expected METRIC<=VALUE or METRIC>=VALUE\n"),
    (["--minimize", "stations.s.wait"], 2,
     "tcsim: optimize: expected at least one --vary KEY=SPEC\n"),
    (VARY, 2, "tcsim: optimize: expected --minimize METRIC or --maximize METRIC\n"),
    (VARY + ["--minimize", "stations.s.wait", "--search", "greedy"], 2,
     "tcsim: --search: expected grid, local or auto, got \"greedy\"\n"),
    (VARY + ["--minimize", "stations.s.nosuch", "--search", "local"], 1,
     "tcsim: --minimize stations.s.nosuch: no such metric; expected a summary.json path "
     "(stations.<station>.<metric>, stations.<station>.by_class.<class>.<metric>, "
     "classes.<class>.<metric>, roads.<station>.<metric>, network.<metric>) or a --vary key\n"),
]
for args, code, msg in BAD:
    d = os.path.join(tmp, "bad")
    r = run(["optimize", mmc] + args + ["-o", d])
    first = r.stderr.split("usage:")[0] if code == 2 else r.stderr
    ok(r.returncode == code and first == msg and r.stdout == "" and not os.path.exists(d),
       "bad input %s: exit %d, the message, nothing written" % (" ".join(args[2:]), code),
       [r.returncode, r.stderr])

shutil.rmtree(tmp)
sys.exit(tap.done())
