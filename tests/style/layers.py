#!/usr/bin/env python3
"""The layering of sim/ (docs/design.md), checked two ways, as TAP:

1. includes: a file in sim/LAYER/ includes only headers of its own layer or
   of layers below it (public headers in include/tcsim/ belong to the layer
   that implements them); a public header includes only public headers.
2. calls: from the symbols of the built layer archives (nm), no object file
   calls into a layer above its own, and no two files call each other,
   directly or round a longer loop (a call cycle hides which one is the
   helper).

Usage: layers.py SOURCE_ROOT BUILD_ROOT
"""
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

LAYERS = ["base", "model", "engine", "run", "output", "plot", "mpi", "cli"]
RANK = {name: i for i, name in enumerate(LAYERS)}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

src, build = sys.argv[1], sys.argv[2]
ok = tap.ok
tap.detail_lines = None


def public_owner():
    """Public header -> the layer of the .c file that implements it."""
    owner = {}
    for layer in LAYERS:
        folder = os.path.join(src, "sim", layer)
        for f in os.listdir(folder) if os.path.isdir(folder) else []:
            if f.endswith(".c"):
                owner.setdefault(f[:-2] + ".h", layer)
    return owner


def check_includes():
    owner = public_owner()
    bad = []
    pub_dir = os.path.join(src, "include", "tcsim")
    for h in sorted(os.listdir(pub_dir)):
        if h not in owner:
            bad.append(f"include/tcsim/{h}: no sim/LAYER/{h[:-2]}.c implements it")
        for inc in INCLUDE.findall(open(os.path.join(pub_dir, h)).read()):
            if not inc.startswith("tcsim/"):
                bad.append(f"include/tcsim/{h}: a public header includes internal \"{inc}\"")
    for layer in LAYERS:
        folder = os.path.join(src, "sim", layer)
        for f in sorted(os.listdir(folder)):
            if not f.endswith((".c", ".h")):
                continue
            for inc in INCLUDE.findall(open(os.path.join(folder, f)).read()):
                head = inc.split("/")[0]
                if inc.startswith("tcsim/"):
                    target = owner.get(inc[6:])
                elif head in RANK:
                    target = head
                else:
                    continue  # tc_config.h
                if target is None:
                    bad.append(f"sim/{layer}/{f}: \"{inc}\" is no header of this project")
                elif RANK[target] > RANK[layer]:
                    bad.append(f"sim/{layer}/{f}: includes \"{inc}\" of layer {target}, above {layer}")
    ok(not bad, "every #include points down the layers or across one", bad)


def archive_symbols(path):
    """{member: (defined, undefined)} of a static library."""
    out = subprocess.run(["nm", "-A", path], capture_output=True, text=True, check=True).stdout
    members = {}
    for line in out.splitlines():
        m = re.match(r"^[^:]+:([^:]+\.o):\s*(?:[0-9a-f]+)?\s+([A-Za-z])\s+(\S+)$", line)
        if not m:
            continue
        obj, kind, sym = m.groups()
        d, u = members.setdefault(obj, (set(), set()))
        if kind == "U":
            u.add(sym)
        elif kind.isupper():
            d.add(sym)
    return members


def check_calls():
    files = {}  # "layer/file.c" -> (defined, undefined)
    for layer in LAYERS:
        lib = os.path.join(build, "sim", f"libtcsim-{layer}.a")
        if not os.path.exists(lib):
            if layer == "mpi":
                continue  # a build without MPI
            ok(False, f"calls: {lib} not built")
            return
        for obj, syms in archive_symbols(lib).items():
            name = re.sub(r"^.*?_([a-z0-9_]+)\.c\.o$", r"\1.c", obj)
            files[f"{layer}/{name}"] = syms
    where = {}
    for f, (d, _) in files.items():
        for s in d:
            where[s] = f
    edges = {f: set() for f in files}
    up = []
    for f, (_, u) in files.items():
        for s in u:
            g = where.get(s)
            if g is None or g == f:
                continue
            edges[f].add(g)
            if RANK[g.split("/")[0]] > RANK[f.split("/")[0]]:
                up.append(f"sim/{f} calls {s} of sim/{g}, a layer above")
    ok(not up, "no file calls into a layer above its own", sorted(set(up)))
    ok(len(files) > 30, f"calls: read the symbols of {len(files)} object files")

    # Tarjan's strongly connected components: any of size > 1 is a call cycle.
    index, low, stack, on, cycles = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(files):
        if v not in index:
            visit(v)
    details = []
    for comp in cycles:
        details.append("cycle: " + " <-> ".join(f"sim/{c}" for c in sorted(comp)))
        for a in sorted(comp):
            for b in sorted(edges[a] & set(comp)):
                calls = sorted(files[a][1] & files[b][0])
                details.append(f"  sim/{a} -> sim/{b}: {', '.join(calls[:6])}")
    ok(not cycles, "no call cycle between files", details)


check_includes()
check_calls()
sys.exit(tap.done())
