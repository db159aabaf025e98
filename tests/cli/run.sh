#!/bin/sh
# Black-box catalogue of bad (and good) scenarios, printed as TAP.
# usage: run.sh TCSIM CASES_DIR
# Each case is NAME.yaml with NAME.expect: the exit code on the first line,
# then the exact stderr of "tcsim validate NAME.yaml" run inside CASES_DIR
# (so that file names and trace paths print as they do for a user).
# Fails when any case differs; the difference is shown as TAP comments.
# Set TC_CLI_UPDATE=1 to rewrite the .expect files from the current output
# (then review them with git diff before committing).

if [ $# -ne 2 ]; then
    echo "usage: $0 TCSIM CASES_DIR" >&2
    exit 2
fi
tcsim=$1
dir=$2
case $tcsim in
/*) ;;
*) tcsim=$(pwd)/$tcsim ;;
esac
cd "$dir" || exit 1

tmp=${TMPDIR:-/tmp}/tcsim-cli.$$
mkdir "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

n=0
for f in *.yaml; do
    n=$((n + 1))
done
echo "1..$n"

i=0
failed=0
for f in *.yaml; do
    i=$((i + 1))
    name=${f%.yaml}
    "$tcsim" validate "$f" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "${TC_CLI_UPDATE:-}" = 1 ]; then
        { echo "$rc"; cat "$tmp/err"; } >"$name.expect"
    fi
    if [ ! -f "$name.expect" ]; then
        echo "not ok $i - $name: $name.expect is missing"
        failed=1
        continue
    fi
    want_rc=$(head -n 1 "$name.expect")
    tail -n +2 "$name.expect" >"$tmp/want"
    if [ "$rc" = "$want_rc" ] && cmp -s "$tmp/want" "$tmp/err"; then
        echo "ok $i - $name"
    else
        echo "not ok $i - $name"
        echo "# exit code: expected $want_rc, got $rc"
        diff "$tmp/want" "$tmp/err" | sed 's/^/# /'
        failed=1
    fi
done
exit $failed
