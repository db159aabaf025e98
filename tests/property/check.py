#!/usr/bin/env python3
"""Property test (suite property), as TAP: invariants of summary.json over
the fixed set of random valid scenarios of gen.py.

Each scenario runs three times: in minutes with -j 1 and with -j 2, and in
hours with -j 1. The invariants, each one TAP line naming the scenarios
that break it:
  fractions      every *_fraction and every utilization (mean, min, max) in
                 [0, 1] (a station that never has finite servers has none)
  balance        per class, present_at_warmup + arrived = completed +
                 abandoned + rejected (+ diverted) + present_at_end, on the
                 means (each replication balances exactly; relative 1e-9)
  averages       every time average (in_station, waiting, blocked, road
                 trucks and km) >= 0
  percentiles    time_in_system p50 <= p90 <= p95 <= p99 <= max (mean, min, max)
  min-mean-max   min <= mean <= max for every metric (relative 1e-12 for the
                 rounding of the mean's sum)
  threads        -j 1 and -j 2 write byte-identical summary.json
  units          minutes and hours give the same results once durations are
                 converted (relative 1e-9); the percentiles p50..p99 are left
                 out: their histogram buckets are binary, so scaling by 60
                 moves them by up to a bucket (0.8 %)

usage: check.py TCSIM [N]   (N scenarios, default 500)
"""
import concurrent.futures
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

DURATIONS = {"wait", "sojourn", "stay", "time_in_system", "time_in_system_max", "road_wait",
             "booking_delay"}
PERCENTILES = ("time_in_system_p50", "time_in_system_p90", "time_in_system_p95", "time_in_system_p99")
AVERAGES = {"in_station", "waiting", "blocked", "busy", "trucks", "km"}


def metrics(d):
    """(path, name, {mean, ci95, min, max}) for every metric of a summary."""
    out = []

    def walk(x, path):
        if isinstance(x, dict):
            if "mean" in x and not isinstance(x["mean"], dict):
                out.append((path, path.rsplit(".", 1)[-1], x))
                return
            for k, v in x.items():
                walk(v, path + "." + k)
    for top in ("stations", "classes", "roads"):
        walk(d.get(top, {}), top)
    return out


def vals(m):
    return [m[k] for k in ("mean", "min", "max") if m.get(k) is not None]


def check_summary(d):
    """The failures of one summary, by invariant: {name: [message]}."""
    bad = {"fractions": [], "balance": [], "averages": [], "percentiles": [], "min-mean-max": []}
    ms = metrics(d)
    by_path = {p: m for p, _, m in ms}
    for p, name, m in ms:
        if name.endswith("_fraction") or name == "utilization":
            for v in vals(m):
                if not 0.0 <= v <= 1.0:
                    bad["fractions"].append("%s = %r" % (p, v))
                    break
        if name in AVERAGES:
            for v in vals(m):
                if v < 0.0:
                    bad["averages"].append("%s = %r" % (p, v))
                    break
        if m.get("mean") is not None and m.get("min") is not None and m.get("max") is not None:
            tol = 1e-12 * max(abs(m["min"]), abs(m["max"]))
            if not (m["min"] - tol <= m["mean"] <= m["max"] + tol):
                bad["min-mean-max"].append("%s: min %r mean %r max %r" % (p, m["min"], m["mean"], m["max"]))
        if name == "time_in_system_p50":
            base = p[: -len("_p50")]
            chain = [by_path.get(base + s[len("time_in_system"):]) for s in PERCENTILES] + [by_path.get(base + "_max")]
            for k in ("mean", "min", "max"):
                xs = [c.get(k) for c in chain if c is not None]
                if None in xs or len(xs) != 5:
                    continue
                if any(a > b for a, b in zip(xs, xs[1:])):
                    bad["percentiles"].append("%s %s: %r" % (base, k, xs))
    for cls, c in d.get("classes", {}).items():
        def mean(k):
            v = c.get(k)
            return v.get("mean") if isinstance(v, dict) else None
        ins = [mean("present_at_warmup"), mean("arrived")]
        outs = [mean(k) for k in ("completed", "abandoned", "rejected", "present_at_end")]
        if "diverted" in c:
            outs.append(mean("diverted"))
        if None in ins or None in outs:
            bad["balance"].append("classes.%s: a count of the balance is missing" % cls)
            continue
        a, b = sum(ins), sum(outs)
        if abs(a - b) > 1e-9 * max(abs(a), abs(b), 1.0):
            bad["balance"].append("classes.%s: in %r, out %r" % (cls, a, b))
    return bad


def same_units(dm, dh):
    """Messages where the hours summary differs from the minutes one."""
    msgs = []
    mh = {p: m for p, _, m in metrics(dh)}
    for p, name, m in metrics(dm):
        if name in PERCENTILES:
            continue
        h = mh.get(p)
        if h is None:
            msgs.append("%s missing in hours" % p)
            continue
        f = 60.0 if name in DURATIONS else 1.0
        for k in ("mean", "ci95", "min", "max"):
            a, b = m.get(k), h.get(k)
            if a is None or b is None:
                if a is not b:
                    msgs.append("%s.%s: %r min, %r h" % (p, k, a, b))
                continue
            b *= f
            if abs(a - b) > 1e-9 * max(abs(a), abs(b)) and abs(a - b) > 1e-12:
                msgs.append("%s.%s: %r min, %r h x %g" % (p, k, a, b / f, f))
    return msgs


def run(tcsim, yaml, out, threads):
    r = subprocess.run([tcsim, "run", "-q", "-j", str(threads), yaml, "-o", out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip()
    with open(os.path.join(out, "summary.json"), "rb") as fh:
        return fh.read(), None


def one(tcsim, tmp, i):
    """Runs scenario i three ways; returns {invariant: [messages]}."""
    sc = gen.scenario(i)
    d = os.path.join(tmp, "s%03d" % i)
    os.makedirs(d)
    files = {}
    for unit in ("min", "h"):
        files[unit] = os.path.join(d, unit + ".yaml")
        with open(files[unit], "w") as fh:
            fh.write(gen.emit(sc, unit))
    res = {}
    s1, e1 = run(tcsim, files["min"], os.path.join(d, "j1"), 1)
    s2, e2 = run(tcsim, files["min"], os.path.join(d, "j2"), 2)
    sh, eh = run(tcsim, files["h"], os.path.join(d, "h"), 1)
    if e1 or e2 or eh:
        res["runs"] = ["%s" % (e1 or e2 or eh)]
        shutil.rmtree(d)
        return res
    dm, dh = json.loads(s1), json.loads(sh)
    res.update(check_summary(dm))
    for k, v in check_summary(dh).items():
        res[k] += ["(h) " + x for x in v]
    res["threads"] = [] if s1 == s2 else ["summary.json differs between -j 1 and -j 2"]
    res["units"] = same_units(dm, dh)
    shutil.rmtree(d)
    return res


def main():
    tcsim = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    names = ["runs", "fractions", "balance", "averages", "percentiles", "min-mean-max", "threads", "units"]
    failing = {k: {} for k in names}
    tmp = tempfile.mkdtemp(prefix="tcsim-property.")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
            for i, res in enumerate(ex.map(lambda i: one(tcsim, tmp, i), range(n))):
                for k, v in res.items():
                    if v:
                        failing[k][i] = v
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % len(names))
    rc = 0
    for t, k in enumerate(names, 1):
        f = failing[k]
        what = "%s: %d scenarios" % (k, n) if k != "runs" else "every scenario runs (exit 0)"
        if not f:
            print("ok %d - %s" % (t, what))
            continue
        print("not ok %d - %s: broken by %d of them" % (t, what, len(f)))
        for i, msgs in sorted(f.items())[:5]:
            print("# s%03d (gen.py scenario %d): %s" % (i, i, "; ".join(msgs[:3])))
        rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
