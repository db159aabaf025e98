#!/bin/sh
# Golden baselines: every shipped scenario (SCENARIO_DIR/*.yaml) is run at
# its own seed and replications, and its summary.json must equal
# GOLDEN_DIR/<scenario>.json byte for byte (same build). On a difference,
# `tcsim compare` says whether the change is statistically visible too.
# A scenario without a golden file, or a golden file without a scenario,
# fails with what to do.
# Usage: golden.sh TCSIM SCENARIO_DIR GOLDEN_DIR
set -u
tcsim=$1
scen=$2
gold=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
update="meson compile -C <builddir> update-golden (then commit tests/golden/ and say why in the message)"
for f in "$scen"/*.yaml; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .yaml)
    n=$((n + 1))
    g=$gold/$name.json
    if [ ! -f "$g" ]; then
        echo "not ok $n - $name: no golden file tests/golden/$name.json; create it with: $update"
        fail=1
        continue
    fi
    t0=$(date +%s)
    if ! "$tcsim" run -q -o "$tmp/$name" "$f" 2>"$tmp/err"; then
        sed 's/^/# /' "$tmp/err"
        echo "not ok $n - $name: tcsim run failed"
        fail=1
        continue
    fi
    secs=$(($(date +%s) - t0))
    if cmp -s "$g" "$tmp/$name/summary.json"; then
        echo "ok $n - $name: summary.json identical to tests/golden/$name.json (${secs} s)"
    else
        echo "not ok $n - $name: summary.json differs from tests/golden/$name.json"
        "$tcsim" compare "$g" "$tmp/$name/summary.json" 2>&1 | sed 's/^/# /'
        echo "# if the change is intended: $update"
        fail=1
    fi
done
for g in "$gold"/*.json; do
    [ -e "$g" ] || continue
    name=$(basename "$g" .json)
    if [ ! -f "$scen/$name.yaml" ]; then
        n=$((n + 1))
        echo "not ok $n - tests/golden/$name.json has no scenarios/$name.yaml; remove it with: $update"
        fail=1
    fi
done
echo "1..$n"
exit $fail
