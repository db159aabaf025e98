#!/bin/sh
# Golden baselines: every shipped scenario (SCENARIO_DIR/*.yaml) is run at
# its own seed and replications, and its summary.json must equal
# GOLDEN_DIR/<scenario>.json byte for byte (same build). On a difference,
# `tcsim compare` says whether the change is statistically visible too.
# Every shipped study (SCENARIO_DIR/studies/*.yaml) is run likewise and its
# options.json must equal GOLDEN_DIR/studies/<study>.json.
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
# check KIND FILE: runs FILE with `tcsim KIND` and compares its OUT with
# the golden file (run: summary.json in GOLDEN_DIR, study: options.json in
# GOLDEN_DIR/studies).
check() {
    kind=$1
    f=$2
    name=$(basename "$f" .yaml)
    n=$((n + 1))
    if [ "$kind" = run ]; then rel=$name.json out=summary.json; else rel=studies/$name.json out=options.json; fi
    g=$gold/$rel
    if [ ! -f "$g" ]; then
        echo "not ok $n - $name: no golden file tests/golden/$rel; create it with: $update"
        fail=1
        return
    fi
    t0=$(date +%s)
    if ! "$tcsim" "$kind" -q -o "$tmp/$kind-$name" "$f" 2>"$tmp/err"; then
        sed 's/^/# /' "$tmp/err"
        echo "not ok $n - $name: tcsim $kind failed"
        fail=1
        return
    fi
    secs=$(($(date +%s) - t0))
    if cmp -s "$g" "$tmp/$kind-$name/$out"; then
        echo "ok $n - $name: $out identical to tests/golden/$rel (${secs} s)"
    else
        echo "not ok $n - $name: $out differs from tests/golden/$rel"
        if [ "$kind" = run ]; then
            "$tcsim" compare "$g" "$tmp/$kind-$name/$out" 2>&1 | sed 's/^/# /'
        else
            diff "$g" "$tmp/$kind-$name/$out" | head -20 | sed 's/^/# /'
        fi
        echo "# if the change is intended: $update"
        fail=1
    fi
}
for f in "$scen"/*.yaml; do
    [ -e "$f" ] && check run "$f"
done
for f in "$scen"/studies/*.yaml; do
    [ -e "$f" ] && check study "$f"
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
for g in "$gold"/studies/*.json; do
    [ -e "$g" ] || continue
    name=$(basename "$g" .json)
    if [ ! -f "$scen/studies/$name.yaml" ]; then
        n=$((n + 1))
        echo "not ok $n - tests/golden/studies/$name.json has no scenarios/studies/$name.yaml; remove it with: $update"
        fail=1
    fi
done
echo "1..$n"
exit $fail
