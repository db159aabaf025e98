#!/usr/bin/env python3
# Shared booking pools read back from trucks.csv (tcsim run --trace).
# Usage: pools.py TCSIM
#
# Without punctuality a booked truck arrives inside its slot, so its slot is
# the one holding its arrival in trucks.csv, and the per-slot counts of the
# trace are the bookings of each slot.
# 1. Hand-computed: two traced streams share a pool (slots of 60 min,
#    per_slot 2, per_slot 1 for the slots from 120 on); each truck's slot is
#    worked out below, and booked_waiting (its time average and max),
#    bookings and lead_time follow exactly from the request times (a wish
#    less one slot, not before 0) and the traced arrivals.
# 2. Two Poisson streams overloading a shared pool never put more than the
#    quota into a slot, and since every slot fills, the quota change of an
#    event shows at the exact slot: 10 a slot before 1 d, 5 after; and a new
#    slot length starts at the first slot boundary after its time.
# 3. The same streams with inline bookings of 10 each: each stream keeps its
#    own quota, so a slot holds more than 10 of both.
import json
import math
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

tcsim = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="tcsim-pools-")
ok, run = tap.ok, tap.runner(tcsim)


def write(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def trace_rows(out):
    with open(os.path.join(out, "trucks.csv")) as f:
        header = f.readline().rstrip("\n").split(",")
        col = {name: i for i, name in enumerate(header)}
        return [(int(r[col["rep"]]), r[col["class"]], float(r[col["arrive"]]))
                for r in (line.rstrip("\n").split(",") for line in f)]


# ---- 1. hand-computed ----
# Requests (wish - 60, not before 0) in the order the engine makes them: at
# 0 the streams alternate (each schedules its next request behind the
# other's), then 5 (b 65), 10 (a 70), 15 (a 75), 140 (b 200).
#   wish  stream  slots tried (quota)                 slot
#   10    a       0 (2)                                0
#   15    b       0                                    0  full
#   20    a       0 full, 1 (2)                        1
#   25    b       1                                    1  full
#   30    a       0, 1 full, 2 (1: starts at 120)      2  full
#   65    b       1, 2 full, 3                         3
#   70    a       1 .. 3 full, 4                       4
#   75    a       1 .. 4 full, 5                       5
#   200   b       3 .. 5 full, 6                       6
write("a.csv", "time\n10\n20\n30\n70\n75\n")
write("b.csv", "time\n15\n25\n65\n200\n")
exact = write("exact.yaml", """name: pools exact
horizon: 600
warmup: 0
replications: 3
seed: 41
classes: {a: {}, b: {}}
bookings:
  gate_pool: {slot: 60, per_slot: 2}
arrivals:
  - {class: a, to: gate, trace: a.csv, booking: gate_pool}
  - {class: b, to: gate, trace: b.csv, booking: gate_pool}
stations:
  gate: {servers: unlimited, service: 5}
events:
  - {pool: gate_pool, at: 120, per_slot: 1}
""")
want_slots = {"a": [0, 1, 2, 4, 5], "b": [0, 1, 3, 6]}
requests = {"a": [0, 0, 0, 10, 15], "b": [0, 0, 5, 140]}
out = os.path.join(tmp, "exact")
r = run(["run", "-q", "--trace", "-o", out, exact])
ok(r.returncode == 0, "the hand-computed pool case runs", r.stderr)
rows = trace_rows(out)
summary = json.load(open(os.path.join(out, "summary.json")))
pool = summary["pools"]["gate_pool"]
reps = sorted({rep for rep, _, _ in rows})
ok(len(reps) == 3, "three replications in trucks.csv")
for rep in reps:
    arr = {c: sorted(t for rr, cc, t in rows if rr == rep and cc == c) for c in "ab"}
    slots = {c: [math.floor(t / 60) for t in arr[c]] for c in "ab"}
    ok(slots == want_slots, "rep %d: each truck's slot as computed by hand" % rep,
       "got %s" % slots)
    if slots != want_slots:
        continue
    spans = [(q, t) for c in "ab" for q, t in zip(requests[c], arr[c])]
    area = sum(t - q for q, t in spans)
    events = sorted([(q, 1) for q, _ in spans] + [(t, -1) for _, t in spans],
                    key=lambda e: (e[0], e[1]))  # an arrival before a booking at the same time
    n = peak = 0
    for _, d in events:
        n += d
        peak = max(peak, n)
    with open(os.path.join(out, "replications.csv")) as f:
        vals = {line.split(",")[4]: float(line.rstrip("\n").split(",")[5])
                for line in f if line.startswith("%d,pool," % (rep - 1))}
    got = (vals["booked_waiting"], vals["booked_waiting_max"], vals["bookings"],
           vals["lead_time"])
    want = (area / 600, peak, 9, area / 9)
    ok(all(abs(a - b) <= 1e-9 * max(1, abs(b)) for a, b in zip(got, want)),
       "rep %d: booked_waiting, its max, bookings and lead_time exact" % rep,
       "got %s, want %s" % (got, want))
ok(pool["bookings"]["mean"] == 9, "summary.json: pools.gate_pool.bookings 9")

# ---- 2. overload: quota per slot, and the exact slot of a change ----
over = """name: pools overload
horizon: 3 d
warmup: 0
replications: 3
seed: 42
classes: {a: {}, b: {}}
bookings:
  gate_pool: {slot: 1 h, per_slot: 10}
arrivals:
  - {class: a, to: gate, rate: 8/h, booking: gate_pool}
  - {class: b, to: gate, rate: 6/h, booking: gate_pool}
stations:
  gate: {servers: unlimited, service: 5 min}
events:
%s
"""


def slot_counts(name, events):
    out = os.path.join(tmp, name)
    r = run(["run", "-q", "--trace", "-o", out, write(name + ".yaml", over % events)])
    ok(r.returncode == 0, "%s runs" % name, r.stderr)
    return trace_rows(out) if r.returncode == 0 else []


rows = slot_counts("quota", "  - {pool: gate_pool, at: 1 d, per_slot: 5}")
for rep in sorted({rr for rr, _, _ in rows}):
    cnt, by_class = [0] * 72, [set() for _ in range(72)]
    for rr, c, t in rows:
        if rr == rep:
            cnt[math.floor(t / 60)] += 1
            by_class[math.floor(t / 60)].add(c)
    want = [10] * 24 + [5] * 48
    ok(cnt == want, "rep %d: every slot full, 10 before 1 d and 5 from the slot at 1 d" % rep,
       "got %s" % cnt)
    ok(sum(len(s) == 2 for s in by_class) > 36,
       "rep %d: the two streams share the slots (%d of 72 hold both)"
       % (rep, sum(len(s) == 2 for s in by_class)))

# a new length at 1450 min starts at the next boundary, 1500; per_slot 4 from 1450
# applies to the slots starting at or after it (the slot at 1440 keeps 10)
rows = slot_counts("length", "  - {pool: gate_pool, at: 1450, slot: 30 min, per_slot: 4}")
for rep in sorted({rr for rr, _, _ in rows}):
    def slot(t):
        return math.floor(t / 60) if t < 1500 else 25 + math.floor((t - 1500) / 30)
    n_slots = 25 + (4320 - 1500) // 30
    cnt = [0] * n_slots
    for rr, _, t in rows:
        if rr == rep:
            cnt[slot(t)] += 1
    want = [10] * 25 + [4] * (n_slots - 25)
    ok(cnt == want, "rep %d: 60-min slots of 10 to 1500, then 30-min slots of 4" % rep,
       "got %s" % cnt)

# the same streams with inline bookings of 10 a slot each: a slot holds up to 20
inline = over.replace("booking: gate_pool", "booking: {slot: 1 h, per_slot: 10}") % "  []"
out = os.path.join(tmp, "inline")
r = run(["run", "-q", "--trace", "-o", out,
         write("inline.yaml", inline.replace("bookings:\n  gate_pool: {slot: 1 h, per_slot: 10}\n",
                                             ""))])
ok(r.returncode == 0, "inline bookings run", r.stderr)
rows = trace_rows(out) if r.returncode == 0 else []
for rep in sorted({rr for rr, _, _ in rows}):
    cnt = {}
    for rr, c, t in rows:
        if rr == rep:
            cnt[(c, math.floor(t / 60))] = cnt.get((c, math.floor(t / 60)), 0) + 1
    tot = [sum(v for (c, k), v in cnt.items() if k == s) for s in range(72)]
    ok(max(cnt.values()) <= 10 and max(tot) > 10,
       "rep %d: inline quotas are per stream (at most 10 each, %d in one slot)" % (rep, max(tot)))

status = tap.done()
subprocess.run(["rm", "-rf", tmp])
sys.exit(status)
