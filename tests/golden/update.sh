#!/bin/sh
# Regenerates the golden baselines: GOLDEN_DIR/<scenario>.json = the
# summary.json of SCENARIO_DIR/<scenario>.yaml at its own seed, and
# GOLDEN_DIR/studies/<study>.json = the options.json of
# SCENARIO_DIR/studies/<study>.yaml; removes
# golden files whose scenario is gone. Run through the build so that the
# tcsim just built is used: meson compile -C <builddir> update-golden.
# Usage: update.sh TCSIM SCENARIO_DIR GOLDEN_DIR
set -eu
tcsim=$1
scen=$2
gold=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# update KIND FILE: as in golden.sh, run: summary.json, study: options.json.
update() {
    kind=$1
    f=$2
    name=$(basename "$f" .yaml)
    if [ "$kind" = run ]; then rel=$name.json out=summary.json; else rel=studies/$name.json out=options.json; fi
    "$tcsim" "$kind" -q -o "$tmp/$kind-$name" "$f"
    g=$gold/$rel
    if [ ! -f "$g" ]; then
        echo "new       tests/golden/$rel"
    elif cmp -s "$g" "$tmp/$kind-$name/$out"; then
        echo "unchanged tests/golden/$rel"
        return
    else
        echo "updated   tests/golden/$rel:"
        if [ "$kind" = run ]; then
            "$tcsim" compare "$g" "$tmp/$kind-$name/$out" | sed 's/^/    /' || true
        fi
    fi
    mkdir -p "$(dirname "$g")"
    cp "$tmp/$kind-$name/$out" "$g"
}
for f in "$scen"/*.yaml; do
    [ -e "$f" ] && update run "$f"
done
for f in "$scen"/studies/*.yaml; do
    [ -e "$f" ] && update study "$f"
done
for g in "$gold"/*.json; do
    [ -e "$g" ] || continue
    name=$(basename "$g" .json)
    if [ ! -f "$scen/$name.yaml" ]; then
        rm "$g"
        echo "removed   tests/golden/$name.json (no scenarios/$name.yaml)"
    fi
done
for g in "$gold"/studies/*.json; do
    [ -e "$g" ] || continue
    name=$(basename "$g" .json)
    if [ ! -f "$scen/studies/$name.yaml" ]; then
        rm "$g"
        echo "removed   tests/golden/studies/$name.json (no scenarios/studies/$name.yaml)"
    fi
done
