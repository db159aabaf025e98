#!/usr/bin/env python3
# Output directories under attack. Usage: outdir.py TCSIM SLOW_RENAME.so SCENARIOS_DIR
#
# - concurrency: 2, then 4 runs of `tcsim run` into one directory at once
#   (different seeds, some with --trace), a few rounds: each exits 0 or
#   fails at once with the lock message (exit 1), and the directory holds
#   one complete, consistent set of a run that exited 0 (the seed of
#   summary.json, scenario.yaml and complete.json the same, every CSV row
#   with its header's field count, trucks.csv's (rep, id) unique); a sweep
#   and a run into one directory: the second is refused;
# - planted symlinks at the old fixed temporary names (.summary.json.tmp,
#   .trucks.1.tmp), at a name of the new pattern and at a final name: the
#   file they point to is unchanged;
# - SIGINT / SIGTERM while the outputs are committed, the renames slowed by
#   the slow_rename shim (LD_PRELOAD): exit 130, the old set or the new set
#   complete, never a mix, no temporary;
# - kill -9 during a traced run leaves temporaries; the next run into the
#   directory removes them.
import csv
import glob
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
from tap import ok, skip  # noqa: E402

tcsim, shim, scenarios = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
scenario = os.path.join(scenarios, "yard-lanes.yaml")
tmp = tempfile.mkdtemp(prefix="tcsim-outdir-")
LOCK_MSG = "tcsim: %s is being written by another tcsim run; nothing was written\n"


def args_for(out, seed, trace, reps=8):
    a = [tcsim, "run", scenario, "-o", out, "-q", "-r", str(reps), "-s", str(seed),
         "--set", "sample_every=1min"]
    return a + (["--trace"] if trace else [])


def start(out, seed, trace, reps=8, env=None):
    return subprocess.Popen(args_for(out, seed, trace, reps), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def temporaries(d):
    """tcsim's temporaries in d (a planted .NAME.tmp is not one of them)."""
    return sorted(n for n in os.listdir(d) if n.endswith(".tmp") and ".tcsim-" in n)


def check_set(d):
    """The set in d: None when complete and consistent, else what is wrong; and its seed."""
    try:
        with open(os.path.join(d, "complete.json")) as f:
            mark = json.load(f)
        with open(os.path.join(d, "summary.json")) as f:
            summary = json.load(f)
        with open(os.path.join(d, "scenario.yaml")) as f:
            yaml_seeds = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("seed:")]
    except (OSError, ValueError) as e:
        return "unreadable: %s" % e, None
    seed = mark["seed"]
    if summary["seed"] != seed or yaml_seeds != [str(seed)]:
        return "seeds differ: complete.json %s, summary.json %s, scenario.yaml %s" % (
            seed, summary["seed"], yaml_seeds), seed
    if summary["replications"] != mark["replications"]:
        return "replications differ", seed
    want = ["summary.json", "summary.csv", "replications.csv", "timeseries.csv", "scenario.yaml"]
    traced = "trucks.csv" in mark["files"]
    if mark["files"] != want + (["trucks.csv"] if traced else []) + ["datapackage.json"]:
        return "complete.json lists %s" % mark["files"], seed
    if not traced and os.path.exists(os.path.join(d, "trucks.csv")):
        return "an old trucks.csv beside an untraced set", seed
    for name in mark["files"]:
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(d, name), newline="") as f:
            rows = csv.reader(f)
            header = next(rows)
            keys = set()
            for i, row in enumerate(rows):
                if len(row) != len(header):
                    return "%s row %d: %d fields, header %d" % (name, i + 2, len(row),
                                                                len(header)), seed
                if name == "trucks.csv":
                    key = (row[0], row[2])
                    if key in keys:
                        return "trucks.csv: id %s of rep %s twice" % key, seed
                    keys.add(key)
    if temporaries(d):
        return "temporaries left: %s" % temporaries(d), seed
    return None, seed


def wait_for(pattern):
    """Until a path matching pattern exists (the lock is taken just after the directory is made)."""
    t0 = time.time()
    while not glob.glob(pattern) and time.time() - t0 < 30:
        time.sleep(0.002)
    time.sleep(0.05)


# ---- concurrency -------------------------------------------------------------
conc = os.path.join(tmp, "conc")
for n_runs in (2, 4):
    for rnd in range(3):
        seeds = [100 * n_runs + 10 * rnd + i + 1 for i in range(n_runs)]
        procs = [start(conc, s, trace=(i % 2 == 1)) for i, s in enumerate(seeds)]
        results = [(p.wait(), p.communicate()) for p in procs]
        winners = [s for s, (rc, _) in zip(seeds, results) if rc == 0]
        clean = all(rc == 0 and err == "" or rc == 1 and err == LOCK_MSG % conc
                    for rc, (_, err) in results)
        what = "%d runs at once, round %d" % (n_runs, rnd + 1)
        ok(clean, what + ": each exits 0 or 1 with the lock message",
           [(rc, err) for rc, (_, err) in results])
        bad, seed = check_set(conc)
        ok(bad is None and seed in winners,
           what + ": one complete set of a run that exited 0 (seed %s, winners %s)"
           % (seed, winners), bad)

# A sweep holds its top directory: a run into it is refused, and the other way round.
sw = os.path.join(tmp, "sweep")
p = subprocess.Popen([tcsim, "sweep", scenario, "--vary", "stations.lanes.servers=2:4:1",
                      "-o", sw, "-q", "--no-plot", "-r", "60"],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wait_for(sw)
r = subprocess.run(args_for(sw, 5, False), capture_output=True, text=True)
rc = p.wait()
ok(r.returncode == 1 and r.stderr == LOCK_MSG % sw and rc == 0,
   "a run into a sweep's directory is refused (exit %d), the sweep ends well (exit %d)"
   % (r.returncode, rc), r.stderr)
ok(not os.path.exists(os.path.join(sw, "summary.json")), "the refused run wrote nothing")
p = start(sw, 6, True, reps=20)
wait_for(sw + "/.trucks.1.tcsim-*.tmp")
r = subprocess.run([tcsim, "sweep", scenario, "--vary", "stations.lanes.servers=2:3:1",
                    "-o", sw, "-q", "--no-plot"], capture_output=True, text=True)
rc = p.wait()
ok(r.returncode == 1 and r.stderr == LOCK_MSG % sw and rc == 0,
   "a sweep into a running run's directory is refused (exit %d)" % r.returncode, r.stderr)

# ---- planted symlinks --------------------------------------------------------
for planted, trace in ((".summary.json.tmp", False), (".trucks.1.tmp", True),
                       (".summary.json.tcsim-1-0000000000000000.tmp", False),
                       ("summary.json", False), ("trucks.csv", True)):
    sl = os.path.join(tmp, "sl")
    shutil.rmtree(sl, ignore_errors=True)
    os.mkdir(sl)
    victim = os.path.join(tmp, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    os.symlink("../victim", os.path.join(sl, planted))
    r = subprocess.run(args_for(sl, 3, trace, reps=2), capture_output=True, text=True)
    with open(victim) as f:
        kept = f.read()
    ok(r.returncode == 0 and kept == "precious\n",
       "a symlink planted at %s: exit %d, the file it points to unchanged" % (planted, r.returncode),
       r.stderr + kept[:200])
    bad, seed = check_set(sl)
    ok(bad is None and seed == 3, "a symlink planted at %s: a complete set of seed 3" % planted, bad)
    if not planted.endswith(".tmp"):
        ok(not os.path.islink(os.path.join(sl, planted)),
           "the symlink at the final name %s was replaced by a regular file" % planted)

# ---- signals during the commit -------------------------------------------------
env = dict(os.environ, LD_PRELOAD=shim, TCSIM_SLOW_RENAME_MS="150")
probe = subprocess.run([tcsim, "--version"], capture_output=True, text=True, env=env)
if probe.returncode != 0 or "AddressSanitizer" in probe.stderr or "ASan" in probe.stderr:
    skip("signals during the commit", "the rename shim cannot be preloaded here "
         "(AddressSanitizer?): " + probe.stderr.strip()[:100])
else:
    sg = os.path.join(tmp, "sig")
    flag = os.path.join(tmp, "renaming")
    outcomes = {"old": 0, "new": 0}
    for sig in (signal.SIGINT, signal.SIGTERM):
        name = signal.Signals(sig).name
        for when in ("renames", "writes", "writes, twice", 0.5, 1.0):
            shutil.rmtree(sg, ignore_errors=True)
            subprocess.run(args_for(sg, 1, True), check=True)  # the old set, seed 1
            if os.path.exists(flag):
                os.unlink(flag)
            p = start(sg, 2, True, reps=12, env=dict(env, TCSIM_SLOW_RENAME_FLAG=flag))
            t0 = time.time()
            while p.poll() is None and time.time() - t0 < 60:
                if when == "renames" and os.path.exists(flag):
                    break
                if (isinstance(when, str) and when.startswith("writes")
                        and glob.glob(os.path.join(sg, ".summary.json.tcsim-*"))):
                    break
                if not isinstance(when, str) and time.time() - t0 >= when:
                    break
                time.sleep(0.002)
            p.send_signal(sig)
            if when == "writes, twice":  # a second signal does not kill a commit
                time.sleep(0.01)
                p.send_signal(sig)
            rc = p.wait()
            err = p.communicate()[1]
            bad, seed = check_set(sg)
            what = "%s during the %s" % (name, when if isinstance(when, str)
                                          else "run at %.1f s" % when)
            ok(rc == 130, what + ": exit 130 (got %d)" % rc, err)
            ok(bad is None and seed in (1, 2),
               what + ": the old or the new set, complete (seed %s)" % seed, bad)
            if seed in (1, 2):
                outcomes["old" if seed == 1 else "new"] += 1
            if when == "renames":
                ok(seed == 2 and "they were committed complete in %s/" % sg in err,
                   what + ": the new set was committed whole, and said so", err)
            else:
                ok(seed == 2 or "nothing was written" in err,
                   what + ": an old set comes with \"nothing was written\"", err)
    print("# outcomes: %d old sets kept, %d new sets committed" % (outcomes["old"], outcomes["new"]))

    # A sweep: SIGTERM while its first variant is renamed: that variant is committed whole,
    # the second does not run, sweep.csv is not written.
    sd = os.path.join(tmp, "sweep-sig")
    if os.path.exists(flag):  # the previous case may have ended before any rename
        os.unlink(flag)
    p = subprocess.Popen([tcsim, "sweep", scenario, "--vary", "stations.lanes.servers=3,4",
                          "-o", sd, "-q", "--no-plot", "-r", "4"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True,
                         env=dict(env, TCSIM_SLOW_RENAME_FLAG=flag))
    wait_for(flag)
    p.send_signal(signal.SIGTERM)
    rc = p.wait()
    err = p.communicate()[1]
    first = os.path.join(sd, "stations.lanes.servers=3")
    bad, seed = check_set(first)
    ok(rc == 130 and bad is None and sorted(os.listdir(sd)) == ["stations.lanes.servers=3"],
       "SIGTERM during a sweep's first commit: exit 130 (got %d), that variant complete, "
       "nothing else" % rc, (bad or "") + err + str(os.listdir(sd)))

# ---- kill -9 -------------------------------------------------------------------
k9 = os.path.join(tmp, "kill9")
os.mkdir(k9)
p = start(k9, 4, True, reps=40)
t0 = time.time()
while not glob.glob(os.path.join(k9, ".trucks.*.tcsim-*.tmp")) and time.time() - t0 < 30:
    time.sleep(0.01)
time.sleep(0.2)
p.send_signal(signal.SIGKILL)
p.wait()
left = temporaries(k9)
ok(len(left) >= 1 and all(n.startswith(".trucks.") for n in left),
   "kill -9 during a traced run leaves its truck temporaries (%d)" % len(left), left)
r = subprocess.run(args_for(k9, 5, False, reps=2), capture_output=True, text=True)
bad, seed = check_set(k9)
ok(r.returncode == 0 and bad is None and seed == 5,
   "the next run into the directory is not blocked and removes them (exit %d)" % r.returncode,
   (bad or "") + r.stderr)

shutil.rmtree(tmp, ignore_errors=True)
sys.exit(tap.done())
