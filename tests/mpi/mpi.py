#!/usr/bin/env python3
# tcsim over MPI. Usage: mpi.py TCSIM MPIRUN SCENARIOS_DIR
#
# - `mpirun -n 3 tcsim run` (with -j 1 and -j 2 inside each rank, with
#   fewer replications than ranks, and -n 1) writes summary.json,
#   summary.csv, timeseries.csv and scenario.yaml byte-identical to one
#   process with the same seed, prints the same table and the same totals;
# - `mpirun -n 3 tcsim sweep`, with variants of different replication
#   counts, writes the same sweep.csv and variant directories, and with
#   --quiet no rank prints anything;
# - `mpirun -n 3 tcsim study` (the shipped crisis study: options with
#   different numbers of overrides, a study-level set:) writes the same
#   options.csv, options.json and option directories as -j 2, and prints
#   the same table;
# - the same error as one process when a replication exceeds --max-trucks;
#   --trace is refused under mpirun;
# - a rank that reports a failure (TCSIM_MPI_TEST_FAIL=RANK), a rank that
#   dies without a word (TCSIM_MPI_TEST_CRASH=RANK) and an item over
#   TCSIM_MPI_TIMEOUT end the job with a non-zero exit within a minute,
#   rank 0 naming the rank and the item where it can, and nothing written;
# - `mpirun -n 2 / -n 3 tcsim optimize`, a long sequential stage and a
#   neighbourhood search, write the same bytes as one process.
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim, mpirun, scenarios = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
tmp = tempfile.mkdtemp(prefix="tcsim-mpi-")
# under AddressSanitizer: ignore Open MPI's own leaks at exit, not tcsim's
SUPP = ":".join(x for x in [os.environ.get("LSAN_OPTIONS", ""), "suppressions=" + os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "lsan.supp"), "print_suppressions=0"] if x)
# full stacks, so that leaks in Open MPI's plugins show MPI_Init_thread
ASAN = ":".join(x for x in [os.environ.get("ASAN_OPTIONS", ""), "fast_unwind_on_malloc=0"] if x)
LIMIT = 60  # seconds: a failure must end the job well within this
ok, run = tap.ok, tap.runner(tcsim, timeout=LIMIT)
tap.detail_lines = 30

version = subprocess.run([mpirun, "--version"], capture_output=True, text=True).stdout
openmpi = "Open MPI" in version or "OpenRTE" in version


def mpi(n, args, env=None):
    """mpirun -n N tcsim ARGS; env: extra variables passed to every rank."""
    env = dict(env or {}, LSAN_OPTIONS=SUPP, ASAN_OPTIONS=ASAN)
    cmd = [mpirun, "-n", str(n)]
    if openmpi:
        cmd += ["--oversubscribe"]
        if os.geteuid() == 0:
            cmd += ["--allow-run-as-root"]
        for k in env or {}:
            cmd += ["-x", k]
    full = dict(os.environ, **(env or {}))
    try:
        return subprocess.run(cmd + [tcsim] + args, capture_output=True, text=True,
                              timeout=LIMIT, env=full)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(cmd, "timeout", e.stdout or "", e.stderr or "")


def same_files(a, b, names):
    diff = [n for n in names if not filecmp.cmp(os.path.join(a, n), os.path.join(b, n),
                                                shallow=False)]
    return not diff, diff


def same_tree(a, b):
    """Every file under a and b, byte for byte, and the same names."""
    la, lb = [], []
    for top, out in ((a, la), (b, lb)):
        for root, _, files in os.walk(top):
            out += sorted(os.path.relpath(os.path.join(root, f), top) for f in files)
    if sorted(la) != sorted(lb):
        return False, "different files: %s vs %s" % (sorted(la), sorted(lb))
    return same_files(a, b, la)


TOTALS = re.compile(r"^tcsim: (\d+) replications?, (\d+) trucks, (\d+) events in [0-9.]+ s"
                    r"(?P<ranks> on \d+ ranks)?; outputs in .*/\n$")
RUN_FILES = ["summary.json", "summary.csv", "replications.csv", "timeseries.csv", "scenario.yaml"]

# ---- run: the same bytes for any number of ranks and threads ----
langson = os.path.join(scenarios, "langson-normal-2023.yaml")
one = os.path.join(tmp, "one")
r1 = run(["run", langson, "-r", "7", "-o", one])
ok(r1.returncode == 0, "one process: exit 0", r1.stderr)
m1 = TOTALS.match(r1.stderr)
for n, j in ((3, 1), (3, 2), (1, 1)):
    d = os.path.join(tmp, "run-n%d-j%d" % (n, j))
    r = mpi(n, ["run", langson, "-r", "7", "-j", str(j), "-o", d])
    ok(r.returncode == 0, "mpirun -n %d, -j %d: exit 0" % (n, j), r.stderr)
    if r.returncode != 0:
        continue
    same, diff = same_files(one, d, RUN_FILES)
    ok(same, "mpirun -n %d, -j %d: outputs byte-identical to one process" % (n, j), diff)
    ok(r.stdout == r1.stdout, "mpirun -n %d, -j %d: the same table, printed once" % (n, j),
       r.stdout)
    m = TOTALS.match(r.stderr)
    ok(m and m1 and m.group(1, 2, 3) == m1.group(1, 2, 3) and
       (m.group("ranks") == " on %d ranks" % n if n > 1 else m.group("ranks") is None),
       "mpirun -n %d, -j %d: the same replications, trucks and events; ranks named" % (n, j),
       r.stderr)

# fewer replications than ranks
one1, d = os.path.join(tmp, "one-r1"), os.path.join(tmp, "run-r1")
r1b = run(["run", langson, "-r", "1", "-q", "-o", one1])
r = mpi(3, ["run", langson, "-r", "1", "-q", "-o", d])
ok(r1b.returncode == 0 and r.returncode == 0 and same_files(one1, d, RUN_FILES)[0]
   and r.stdout == "" and r.stderr == "",
   "mpirun -n 3, one replication: the same bytes, nothing printed with --quiet", r.stderr)

# ---- sweep: sweep.csv and every variant directory ----
yard = os.path.join(scenarios, "yard-lanes.yaml")
sweep = ["sweep", yard, "--no-plot", "-q", "--vary", "stations.lanes.servers=5,6,7",
         "--vary", "replications=2,5"]
s1, s3 = os.path.join(tmp, "sweep-one"), os.path.join(tmp, "sweep-mpi")
r1 = run(sweep + ["-o", s1])
r = mpi(3, sweep + ["-j", "2", "-o", s3])
ok(r1.returncode == 0 and r.returncode == 0, "sweep: exit 0 for one process and mpirun -n 3",
   r1.stderr + r.stderr)
same, diff = same_tree(s1, s3)
ok(same, "sweep: sweep.csv and the 6 variant directories byte-identical", diff)
ok(len(os.listdir(s3)) == 8, "sweep: 6 variant directories, sweep.csv and datapackage.json", os.listdir(s3))
ok(r.stdout == "" and r.stderr == "", "sweep --quiet under mpirun: no rank prints anything",
   r.stdout + r.stderr)

# ---- optimize: rounds of (candidate, replication) items over the ranks ----
# mmc.yaml of tests/optimize: a sequential stage to replication 59 with two
# candidates open; tandem.yaml: a 30 x 30 grid, so the neighbourhood search
# (its own seed) and then the clean-up, all over the ranks.
odata = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "optimize", "data")
OPT = [("mmc", ["optimize", os.path.join(odata, "mmc.yaml"), "-q",
                "--vary", "stations.s.servers=4:10:1", "--minimize", "stations.s.wait",
                "--subject-to", "stations.s.wait<=0.3 h"], ["optimize.csv", "optimize.json"]),
       ("tandem", ["optimize", os.path.join(odata, "tandem.yaml"), "-q",
                   "--vary", "stations.a.servers=1:30:1", "--vary", "stations.b.servers=1:30:1",
                   "--minimize", "classes.truck.time_in_system",
                   "--subject-to", "stations.a.utilization>=0.66",
                   "--subject-to", "stations.b.utilization>=0.66", "--tolerance", "0.02"],
        ["optimize.csv", "optimize.json", "search.csv"])]
for name, args, files in OPT:
    d1 = os.path.join(tmp, "opt-%s-one" % name)
    r1 = run(args + ["-j", "1", "-o", d1])
    for n, j in ((2, 1), (3, 2)):
        dn = os.path.join(tmp, "opt-%s-%d-%d" % (name, n, j))
        r = mpi(n, args + ["-j", str(j), "-o", dn])
        same = r1.returncode == 0 and r.returncode == 0 and same_files(d1, dn, files)[0]
        best = same and filecmp.cmp(os.path.join(d1, "best", "summary.json"),
                                    os.path.join(dn, "best", "summary.json"), shallow=False)
        ok(same and best and r.stdout == "",
           "optimize %s, mpirun -n %d -j %d: %s and best/summary.json byte-identical to one "
           "process -j 1" % (name, n, j, ", ".join(files)), r1.stderr + r.stderr)

# ---- study: options with different numbers of overrides, a study-level set: ----
studies = os.path.join(scenarios, "studies")
study = ["study", os.path.join(studies, "crisis-measures.yaml"), "-r", "3"]
t1, t3 = os.path.join(tmp, "study-one"), os.path.join(tmp, "study-mpi")
r1 = run(study + ["-j", "2", "-o", t1])
r = mpi(3, study + ["-o", t3])
ok(r1.returncode == 0 and r.returncode == 0, "study: exit 0 for -j 2 and mpirun -n 3",
   r1.stderr + r.stderr)
same, diff = same_tree(t1, t3)
ok(same and len(os.listdir(t3)) == 13,
   "study: options.csv, options.json, datapackage.json and the 10 option directories byte-identical", diff)
ok(r.stdout == r1.stdout and "cost per day (USD)" in r.stdout,
   "study: the same table on stdout", r.stdout)

# ---- the errors of one process, and refusals ----
o1, o3 = os.path.join(tmp, "ov-one"), os.path.join(tmp, "ov-mpi")
r1 = run(["run", yard, "-q", "-r", "5", "--max-trucks", "40", "-o", o1])
r = mpi(3, ["run", yard, "-q", "-r", "5", "--max-trucks", "40", "-o", o3])
first = r.stderr.splitlines()[0] if r.stderr else ""
ok(r1.returncode == 1 and r.returncode == 1 and first == r1.stderr.strip()
   and "replication 4 stopped at 6659.74 min" in first and not os.path.exists(o3),
   "--max-trucks exceeded: exit 1 and the same message as one process, nothing written",
   r1.stderr + "\n" + r.stderr)

r = mpi(3, ["run", yard, "-q", "--trace", "-o", os.path.join(tmp, "trace")])
ok(r.returncode == 2 and r.stderr.startswith(
    "tcsim: run: --trace needs a single process (run it without mpirun)\n"),
   "--trace under mpirun: a usage error, once", r.stderr)

# ---- a rank that fails, dies or hangs: an error, not a hang ----
# Ranks made to fail or die exist only in builds with -Dfault_injection.
if os.environ.get("TCSIM_FAULT_INJECTION") == "1":
    d = os.path.join(tmp, "fail")
    r = mpi(3, sweep + ["-o", d], env={"TCSIM_MPI_TEST_FAIL": "2"})
    ok(r.returncode not in (0, "timeout") and re.search(
        r"^tcsim: rank 2 failed on variant stations\.lanes\.servers=[567],replications=[25] "
        r"replication \d+: TCSIM_MPI_TEST_FAIL=2 names this rank \(on [^)]+\); "
        r"sweep\.csv was not written$", r.stderr, re.M) and
       not os.path.exists(os.path.join(d, "sweep.csv")),
       "a rank reporting a failure: exit %s, rank 0 names the rank, variant and replication"
       % r.returncode, r.stderr)

    d = os.path.join(tmp, "crash")
    r = mpi(3, ["run", langson, "-r", "12", "-q", "-o", d], env={"TCSIM_MPI_TEST_CRASH": "1"})
    # the output directory is made (and locked) before the run; mpirun may kill rank 0 before
    # it can remove it again, so an empty directory may stay, never a file
    ok(r.returncode not in (0, "timeout") and (not os.path.exists(d) or os.listdir(d) == []),
       "a rank dying without a word: exit %s within %d s, nothing written" % (r.returncode, LIMIT),
       r.stderr)
else:
    for what in ("a rank reporting a failure", "a rank dying without a word"):
        tap.skip(what, "built without -Dfault_injection")

d = os.path.join(tmp, "timeout")
r = mpi(3, ["run", langson, "-r", "12", "-q", "-o", d], env={"TCSIM_MPI_TIMEOUT": "0.001"})
ok(r.returncode == 1 and re.search(r"^tcsim: rank [12] has run replication \d+ for more than "
                                   r"0\.001 s \(TCSIM_MPI_TIMEOUT\)$", r.stderr, re.M)
   and not os.path.exists(d),
   "an item over TCSIM_MPI_TIMEOUT: exit 1, rank 0 names the rank and the replication",
   r.stderr)

status = tap.done()
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(status)
