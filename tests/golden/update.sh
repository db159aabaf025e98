#!/bin/sh
# Regenerates the golden baselines: GOLDEN_DIR/<scenario>.json = the
# summary.json of SCENARIO_DIR/<scenario>.yaml at its own seed; removes
# golden files whose scenario is gone. Run through the build so that the
# tcsim just built is used: meson compile -C <builddir> update-golden.
# Usage: update.sh TCSIM SCENARIO_DIR GOLDEN_DIR
set -eu
tcsim=$1
scen=$2
gold=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$scen"/*.yaml; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .yaml)
    "$tcsim" run -q -o "$tmp/$name" "$f"
    g=$gold/$name.json
    if [ ! -f "$g" ]; then
        echo "new       tests/golden/$name.json"
    elif cmp -s "$g" "$tmp/$name/summary.json"; then
        echo "unchanged tests/golden/$name.json"
        continue
    else
        echo "updated   tests/golden/$name.json:"
        "$tcsim" compare "$g" "$tmp/$name/summary.json" | sed 's/^/    /' || true
    fi
    cp "$tmp/$name/summary.json" "$g"
done
for g in "$gold"/*.json; do
    [ -e "$g" ] || continue
    name=$(basename "$g" .json)
    if [ ! -f "$scen/$name.yaml" ]; then
        rm "$g"
        echo "removed   tests/golden/$name.json (no scenarios/$name.yaml)"
    fi
done
