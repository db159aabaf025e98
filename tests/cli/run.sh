#!/bin/sh
# Black-box catalogue of bad (and good) scenarios, printed as TAP.
# usage: run.sh TCSIM CASES_DIR [static|gen|all]
# Each case is NAME.yaml with NAME.expect: the exit code on the first line,
# then the exact stderr of "tcsim validate NAME.yaml" run inside CASES_DIR
# (so that file names and trace paths print as they do for a user).
# A case too big to commit is NAME.gen instead: a sh script run in an empty
# temporary directory that writes NAME.yaml there (and any trace it needs);
# validate then runs in that directory. "static" (the default) runs the
# .yaml cases, "gen" the .gen cases (suite robust: they write 150 MB of
# temporary files), "all" both.
# Every case must also fail (or pass) fast: within TC_CLI_MAX_MS
# milliseconds (default 2000; 10 times that when ASAN_OPTIONS or
# UBSAN_OPTIONS is set, since sanitizer builds run several times slower).
# Fails when any case differs; the difference is shown as TAP comments.
# Set TC_CLI_UPDATE=1 to rewrite the .expect files from the current output
# (then review them with git diff before committing).

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 TCSIM CASES_DIR [static|gen|all]" >&2
    exit 2
fi
tcsim=$1
dir=$2
case ${3:-static} in
static) pattern='*.yaml' ;;
gen) pattern='*.gen' ;;
all) pattern='*.yaml *.gen' ;;
*)
    echo "usage: $0 TCSIM CASES_DIR [static|gen|all]" >&2
    exit 2
    ;;
esac
case $tcsim in
/*) ;;
*) tcsim=$(pwd)/$tcsim ;;
esac
case $dir in
/*) ;;
*) dir=$(pwd)/$dir ;;
esac
cd "$dir" || exit 1

max_ms=${TC_CLI_MAX_MS:-2000}
if [ -n "${ASAN_OPTIONS:-}${UBSAN_OPTIONS:-}" ]; then
    max_ms=$((max_ms * 10))
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcsim-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

n=0
for f in $pattern; do
    [ -e "$f" ] && n=$((n + 1))
done
echo "1..$n"

i=0
failed=0
for f in $pattern; do
    [ -e "$f" ] || continue
    i=$((i + 1))
    name=${f%.*}
    work=$dir
    if [ "$f" = "$name.gen" ]; then
        work=$tmp/gen.$name
        mkdir "$work" || exit 1
        if ! (cd "$work" && sh "$dir/$f"); then
            echo "not ok $i - $name: $f failed"
            failed=1
            continue
        fi
    fi
    t0=$(date +%s%3N)
    (cd "$work" && exec "$tcsim" validate "$name.yaml") >/dev/null 2>"$tmp/err"
    rc=$?
    ms=$(($(date +%s%3N) - t0))
    [ "$work" = "$dir" ] || rm -rf "$work"
    { echo "$rc"; cat "$tmp/err"; } >"$tmp/got"
    if [ "${TC_CLI_UPDATE:-}" = 1 ]; then
        cp "$tmp/got" "$name.expect"
    fi
    if [ ! -f "$name.expect" ]; then
        echo "not ok $i - $name: $name.expect is missing"
        failed=1
    elif cmp -s "$name.expect" "$tmp/got" && [ "$ms" -lt "$max_ms" ]; then
        if [ "$work" = "$dir" ]; then echo "ok $i - $name"; else echo "ok $i - $name ($ms ms)"; fi
    else
        echo "not ok $i - $name"
        [ "$ms" -lt "$max_ms" ] || echo "# took $ms ms, more than $max_ms"
        diff "$name.expect" "$tmp/got" | sed 's/^/# /'
        failed=1
    fi
done
exit $failed
