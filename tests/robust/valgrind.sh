#!/bin/sh
# Memory checks with valgrind memcheck: "tcsim run -r 2" on every shipped
# scenario, one process each, then one "tcsim validate" over every case of
# the bad-input catalogue (error paths are where leaks hide). Any memcheck
# error, or a definite or indirect leak, fails (exit code 99 and a report in
# the log). Prints TAP; exits 77 (skip) when valgrind is not installed or
# tcsim was built with AddressSanitizer.
# Usage: valgrind.sh TCSIM SCENARIOS_DIR [CLI_CASES_DIR]
set -u
if ! command -v valgrind >/dev/null 2>&1; then
    echo "1..0 # SKIP valgrind not installed"
    exit 77
fi
tcsim=$1
case $tcsim in
/*) ;;
*) tcsim=$(pwd)/$tcsim ;;
esac
# AddressSanitizer and valgrind cannot share a process (build-san: -Db_sanitize=address).
if grep -qa __asan_init "$tcsim"; then
    echo "1..0 # SKIP an AddressSanitizer build cannot run under valgrind"
    exit 77
fi
scen=$2
cases=${3:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcsim-vg.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
memcheck() { # memcheck LOG COMMAND...: the options of the "valgrind" test setup
    log=$1
    shift
    valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        -q --log-file="$log" "$@"
}
n=0
fail=0
report() { # report DESCRIPTION RC EXPECTED_RC LOG
    n=$((n + 1))
    if [ "$2" -eq "$3" ] && [ ! -s "$4" ]; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1 (exit $2, expected $3)"
        sed 's/^/# /' "$4" | head -60
        fail=1
    fi
}
for f in "$scen"/*.yaml; do
    name=$(basename "$f" .yaml)
    memcheck "$tmp/$name.log" "$tcsim" run -q -r 2 "$f" -o "$tmp/out/$name" 2>"$tmp/err"
    report "run -r 2 $name" $? 0 "$tmp/$name.log"
done
if [ -n "$cases" ]; then
    # Inside the directory, as the catalogue runs, so that trace paths resolve.
    (cd "$cases" && memcheck "$tmp/cli.log" "$tcsim" validate ./*.yaml) >/dev/null 2>&1
    report "validate every catalogue case ($(ls "$cases"/*.yaml | wc -l) files)" $? 1 "$tmp/cli.log"
fi
echo "1..$n"
exit $fail
