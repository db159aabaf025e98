#!/bin/sh
# Same scenario, seed and build give byte-identical outputs, whatever -j:
# every shipped scenario is run twice with -j 1 and once each with -j 2 and
# -j 4; summary.json, summary.csv and timeseries.csv must match byte for byte.
# Usage: determinism.sh TCSIM SCENARIO_DIR
set -u
tcsim=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
for f in "$dir"/*.yaml; do
    name=$(basename "$f" .yaml)
    for run in a:1 b:1 c:2 d:4; do
        tag=${run%%:*}
        j=${run#*:}
        if ! "$tcsim" run -q -j "$j" -o "$tmp/$name.$tag" "$f"; then
            echo "not ok - $name: run with -j $j failed"
            fail=1
            continue 2
        fi
    done
    for tag in b c d; do
        for out in summary.json summary.csv timeseries.csv; do
            n=$((n + 1))
            if cmp -s "$tmp/$name.a/$out" "$tmp/$name.$tag/$out"; then
                echo "ok $n - $name $out: run $tag identical"
            else
                echo "not ok $n - $name $out: run $tag differs"
                fail=1
            fi
        done
    done
done
echo "1..$n"
exit $fail
