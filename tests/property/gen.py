#!/usr/bin/env python3
"""Random valid scenarios for the property test, seeded so the set is fixed.

Each scenario is drawn once as plain numbers (durations in minutes, rates
per minute) and written twice: with time_unit min and with time_unit h,
every duration and rate converted, so the two files describe the same
network. Constant durations are multiples of 7.5 min (1/8 h), exact in
both units, so ties between events stay ties in both.

usage: gen.py N OUTDIR   writes OUTDIR/sNNN_min.yaml and OUTDIR/sNNN_h.yaml
"""
import os
import random
import sys

SEED = 20261204  # the set is fixed: change it only to draw a new set

DAY = 1440.0


def dist(r):
    """A random service-like distribution, as (kind, params in minutes)."""
    m = r.uniform(2.0, 25.0)
    k = r.choice(["constant", "exponential", "uniform", "triangular", "normal",
                  "lognormal", "gamma", "erlang", "weibull", "empirical"])
    if k == "constant":
        return ("constant", {"value": 7.5 * r.randint(0, 4)})
    if k == "exponential":
        return (k, {"mean": m})
    if k == "uniform":
        return (k, {"min": m * 0.5, "max": m * 1.5})
    if k == "triangular":
        return (k, {"min": m * 0.5, "mode": m, "max": m * 2.0})
    if k in ("normal", "lognormal", "gamma"):
        return (k, {"mean": m, "sd": m * r.uniform(0.1, 1.0)})
    if k == "erlang":
        return (k, {"k": r.randint(1, 4), "mean": m})
    if k == "weibull":
        return (k, {"shape": round(r.uniform(0.6, 3.0), 3), "scale": m})
    return (k, {"values": [7.5 * r.randint(1, 4) for _ in range(3)],
                "weights": [r.randint(1, 5) for _ in range(3)]})


def scenario(i):
    """Scenario i of the set, as a dict of plain numbers."""
    r = random.Random(SEED * 1000003 + i)
    n_st = r.randint(1, 4)
    n_cl = r.randint(1, 3)
    sc = {"horizon": DAY * r.choice([1, 2, 3]),
          "replications": r.choice([2, 3]),
          "seed": r.randint(1, 10**9)}
    sc["warmup"] = 0.0 if r.random() < 0.5 else 60.0 * r.choice([2, 6, 12])
    classes = []
    for c in range(n_cl):
        cl = {"name": "c%d" % c, "priority": r.randint(0, 3)}
        if r.random() < 0.3:
            cl["patience"] = dist(r) if r.random() < 0.5 else ("exponential", {"mean": r.uniform(30, 600)})
        if r.random() < 0.3:
            cl["shelf_life"] = 7.5 * r.randint(4, 200)
        classes.append(cl)
    sc["classes"] = classes
    stations = []
    for s in range(n_st):
        st = {"name": "s%d" % s}
        st["servers"] = "unlimited" if r.random() < 0.2 else r.randint(1, 4)
        if r.random() < 0.4:
            base = 1 if st["servers"] == "unlimited" else st["servers"]
            st["capacity"] = base + r.randint(0, 6)
        if r.random() < 0.5:
            st["when_full"] = r.choice(["wait", "reject"])
        if n_cl > 1 and r.random() < 0.5:
            st["discipline"] = "priority"
        if n_cl > 1 and r.random() < 0.4:
            st["service"] = {cl["name"]: dist(r) for cl in classes}
        else:
            st["service"] = dist(r)
        if r.random() < 0.25:
            st["open"] = r.choice([["06:00-18:00"], ["07:00-11:30", "13:00-19:00"],
                                   ["22:00-06:00"], ["00:00-24:00"]])
        if r.random() < 0.2:
            st["daily_limit"] = r.randint(20, 400)
        if st["servers"] != "unlimited" and r.random() < 0.25:
            st["failures"] = (r.uniform(120, 3000), r.uniform(5, 120))
        later = list(range(s + 1, n_st))
        if not later or r.random() < 0.2:
            st["next"] = "exit"
        elif r.random() < 0.5:
            st["next"] = "s%d" % r.choice(later)
        else:
            targets = r.sample(later, min(len(later), r.randint(1, 2))) + (["exit"] if r.random() < 0.5 else [])
            if len(targets) == 1:
                st["next"] = targets[0] if targets[0] == "exit" else "s%d" % targets[0]
            else:
                w = [r.randint(1, 9) for _ in targets]
                ps = [x / sum(w) for x in w]
                ps[-1] = 1.0 - sum(ps[:-1])
                st["next"] = [("exit" if t == "exit" else "s%d" % t, p) for t, p in zip(targets, ps)]
        stations.append(st)
    sc["stations"] = stations
    sc["arrivals"] = [{"name": "in_%s" % cl["name"], "class": cl["name"],
                       "to": "s%d" % (0 if r.random() < 0.8 else r.randrange(n_st)),
                       "rate": r.uniform(0.02, 0.4) / n_cl} for cl in classes]
    events = []
    for _ in range(r.randint(0, 3)):
        s = r.randrange(n_st)
        t = 60.0 * r.randint(1, int(sc["horizon"] / 60) - 1)
        kind = r.choice(["close", "servers", "rate"])
        if kind == "close":
            events.append(("close", "s%d" % s, t, t + 60.0 * r.randint(1, 12)))
        elif kind == "servers" and stations[s]["servers"] != "unlimited":
            cap = stations[s].get("capacity", 5)
            events.append(("servers", "s%d" % s, t, r.randint(1, min(5, cap))))
        else:
            events.append(("rate", "in_c%d" % r.randrange(n_cl), t, r.choice([0, 0.5, 2])))
    sc["events"] = events
    add_choices(sc, random.Random(SEED * 1000003 + i + 7 * 10**9))
    # Drawn from a stream of their own, so the rest of the set stays as it was.
    ri = random.Random(SEED * 1000003 + i + 7777777)
    initial = []
    if ri.random() < 0.5:
        entries = set()
        for a in sc["arrivals"]:  # a choice gives every member a road
            entries |= set(a["to"]["among"]) if isinstance(a["to"], dict) else {a["to"]}
        for st in stations:
            if ri.random() < 0.6:
                cap = st.get("capacity", 12)
                initial.append(("station", st["name"], "c%d" % ri.randrange(n_cl),
                                ri.randint(0, cap), 7.5 * ri.randint(0, 40)))
            if st["name"] in entries and st.get("when_full") != "reject" and ri.random() < 0.4:
                initial.append(("road", st["name"], "c%d" % ri.randrange(n_cl),
                                ri.randint(1, 20), 7.5 * ri.randint(0, 40)))
    sc["initial"] = initial
    sc["clearance"] = [(ri.randint(1, 10), ri.random() < 0.5)] if initial else []
    return sc


RULES = ["fewest_present", "fewest_waiting", "most_room", "shortest_expected_wait"]


def choice(r, members, classes):
    """A {choose: ...} over members (station names), maybe per class and diverting."""
    ch = {"choose": r.choice(RULES), "among": members}
    if len(classes) > 1 and len(members) > 1 and r.random() < 0.3:
        ch["classes"] = {classes[0]["name"]: r.sample(members, r.randint(1, len(members) - 1))}
    if r.random() < 0.3:
        ch["divert_above"] = r.randint(0, 12)
    if r.random() < 0.2:
        ch["divert_above_wait"] = 7.5 * r.randint(0, 40)
    return ch


def add_choices(sc, r):
    """Routes chosen by the stations' state, drawn from their own stream so
    the rest of each scenario is what it was before choices existed."""
    n_st = len(sc["stations"])
    for s, st in enumerate(sc["stations"]):
        later = list(range(s + 1, n_st))
        if later and r.random() < 0.25:
            members = ["s%d" % t for t in r.sample(later, r.randint(1, len(later)))]
            st["next"] = choice(r, members, sc["classes"])
    for a in sc["arrivals"]:
        if r.random() < 0.25:
            members = ["s%d" % t for t in r.sample(range(n_st), r.randint(1, n_st))]
            a["to"] = choice(r, members, sc["classes"])


def num(x):
    return repr(float(x))


def emit(sc, unit):
    """The scenario as YAML in time_unit unit ("min" or "h")."""
    f = 1.0 if unit == "min" else 1.0 / 60.0

    def d(x):  # a duration given in minutes
        return "%s %s" % (num(x * f), unit)

    def rate(x):  # a rate given per minute
        return "%s/%s" % (num(x / f), unit)

    def dist_text(dd):
        kind, p = dd
        if kind == "constant":
            return "{dist: constant, value: %s}" % d(p["value"])
        parts = ["dist: %s" % kind]
        for k, v in p.items():
            if k in ("k", "shape"):
                parts.append("%s: %s" % (k, v))
            elif k == "weights":
                parts.append("weights: [%s]" % ", ".join(str(w) for w in v))
            elif k == "values":
                parts.append("values: [%s]" % ", ".join(d(x) for x in v))
            else:
                parts.append("%s: %s" % (k, d(v)))
        return "{%s}" % ", ".join(parts)

    out = ["name: property scenario", "time_unit: %s" % unit,
           "horizon: %s" % d(sc["horizon"]), "warmup: %s" % d(sc["warmup"]),
           "replications: %d" % sc["replications"], "seed: %d" % sc["seed"], "classes:"]
    for cl in sc["classes"]:
        items = ["priority: %d" % cl["priority"]]
        if "patience" in cl:
            items.append("patience: %s" % dist_text(cl["patience"]))
        if "shelf_life" in cl:
            items.append("shelf_life: %s" % d(cl["shelf_life"]))
        out.append("  %s: {%s}" % (cl["name"], ", ".join(items)))
    def choice_text(ch):
        parts = ["choose: %s" % ch["choose"], "among: [%s]" % ", ".join(ch["among"])]
        if "classes" in ch:
            parts.append("classes: {%s}" % ", ".join(
                "%s: [%s]" % (c, ", ".join(m)) for c, m in ch["classes"].items()))
        if "divert_above" in ch:
            parts.append("divert_above: %d" % ch["divert_above"])
        if "divert_above_wait" in ch:
            parts.append("divert_above_wait: %s" % d(ch["divert_above_wait"]))
        return "{%s}" % ", ".join(parts)

    out.append("arrivals:")
    for a in sc["arrivals"]:
        to = choice_text(a["to"]) if isinstance(a["to"], dict) else a["to"]
        out.append("  - {name: %s, class: %s, to: %s, rate: %s}" % (a["name"], a["class"], to, rate(a["rate"])))
    out.append("stations:")
    for st in sc["stations"]:
        out.append("  %s:" % st["name"])
        out.append("    servers: %s" % st["servers"])
        for k in ("capacity", "when_full", "discipline", "daily_limit"):
            if k in st:
                out.append("    %s: %s" % (k, st[k]))
        if isinstance(st["service"], dict):
            out.append("    service:")
            for c, dd in st["service"].items():
                out.append("      %s: %s" % (c, dist_text(dd)))
        else:
            out.append("    service: %s" % dist_text(st["service"]))
        if "open" in st:
            out.append("    open: [%s]" % ", ".join('"%s"' % w for w in st["open"]))
        if "failures" in st:
            up, down = st["failures"]
            out.append("    failures: {mtbf: %s, mttr: %s}" % (d(up), d(down)))
        nx = st["next"]
        if isinstance(nx, dict):
            out.append("    next: %s" % choice_text(nx))
        elif isinstance(nx, str):
            out.append("    next: %s" % nx)
        else:
            out.append("    next:")
            for t, p in nx:
                out.append("      - {to: %s, p: %s}" % (t, repr(p)))
    if sc["events"]:
        out.append("events:")
        for ev in sc["events"]:
            if ev[0] == "close":
                out.append("  - {station: %s, close: %s, reopen: %s}" % (ev[1], d(ev[2]), d(ev[3])))
            elif ev[0] == "servers":
                out.append("  - {station: %s, at: %s, servers: %d}" % (ev[1], d(ev[2]), ev[3]))
            else:
                out.append("  - {arrivals: %s, at: %s, rate_factor: %s}" % (ev[1], d(ev[2]), ev[3]))
    if sc["initial"]:
        out.append("initial:")
        for where, st, cl, n, age in sc["initial"]:
            out.append("  - {%s: %s, class: %s, trucks: %d, age: %s}" % (where, st, cl, n, d(age)))
    for below, pct in sc["clearance"]:
        out.append("clearance: {after: start, below: %s}" % ('"%d %%"' % (10 * below) if pct else below))
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen.py N OUTDIR")
    n, outdir = int(sys.argv[1]), sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    for i in range(n):
        sc = scenario(i)
        for unit in ("min", "h"):
            with open(os.path.join(outdir, "s%03d_%s.yaml" % (i, unit)), "w") as fh:
                fh.write(emit(sc, unit))


if __name__ == "__main__":
    main()
