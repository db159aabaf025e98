#!/bin/sh
# The command line's edges that hostile users found: output that cannot be
# written (> /dev/full) is a failure, never exit 0; -r beyond the limit names
# -r; --max-trucks names the limit reached; the usage lists --max-trucks;
# -- ends the options; -j is bounded.
# Usage: cmdline.sh TCSIM SCENARIO_DIR
set -u
case $1 in /*) tcsim=$1 ;; *) tcsim=$PWD/$1 ;; esac
yl=$2/yard-lanes.yaml
tmp=$(mktemp -d)
small=$tmp/small
trap 'umount "$small" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0
fail=0
check() { # check DESCRIPTION CONDITION...
    n=$((n + 1))
    desc=$1
    shift
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fail=1; sed 's/^/# /' "$tmp/err"; fi
}
has() { grep -qF -- "$1" "$tmp/err"; }

# ---- a full standard output: exit 1 and the reason, for whatever prints
"$tcsim" run -q -r 2 -o "$tmp/base" "$yl" 2>"$tmp/err"
b=$tmp/base/summary.json
full() { # full WANT_RC DESCRIPTION ARGS...: runs tcsim ARGS >/dev/full
    want=$1
    what=$2
    shift 2
    "$tcsim" "$@" >/dev/full 2>"$tmp/err"
    rc=$?
    check "$what >/dev/full: exit $want (got $rc)" [ "$rc" -eq "$want" ]
    check "$what >/dev/full: says so" has "tcsim: write error on standard output: No space left on device"
}
[ -w /dev/full ] || { echo "1..0 # SKIP no /dev/full"; exit 0; }
full 1 "run (the table)" run -r 2 -o "$tmp/r" "$yl"
full 1 "verify" verify
full 1 "validate" validate "$yl"
full 2 "compare (2: no verdict could be given)" compare "$b" "$b"
full 2 "compare --json" compare --json "$b" "$b"
full 1 "--help" --help
full 1 "--version" --version
full 1 "run --help" run --help
full 1 "sweep (the table)" sweep -r 2 --no-plot -o "$tmp/s" --vary seed=1,2 "$yl"
"$tcsim" run -q -r 2 -o "$tmp/q" "$yl" >/dev/full 2>"$tmp/err"
rc=$?
check "run -q prints nothing: exit 0 with >/dev/full (got $rc)" [ "$rc" -eq 0 ]
"$tcsim" verify --quiet >/dev/full 2>"$tmp/err"
rc=$?
check "verify --quiet prints nothing: exit 0 with >/dev/full (got $rc)" [ "$rc" -eq 0 ]

# ---- -r beyond the limit: the error names -r (it said --set:1)
"$tcsim" run -r 100001 -o "$tmp/r2" "$yl" >/dev/null 2>"$tmp/err"
rc=$?
check "-r 100001: usage error, exit 2 (got $rc)" [ "$rc" -eq 2 ]
check "-r 100001: names -r and the limit" has 'tcsim: -r: expected a number of replications from 1 to 100000 (TC_LIMIT_REPLICATIONS in tcsim/limits.h), got "100001"'
check "-r 100001: not blamed on --set:1" sh -c "! grep -q -- '--set:1' '$tmp/err'"
"$tcsim" sweep -r 100001 --vary seed=1,2 -o "$tmp/r3" "$yl" >/dev/null 2>"$tmp/err"
check "sweep -r 100001: names -r" has "tcsim: -r: expected a number of replications from 1 to 100000"

# ---- --max-trucks on a stable model: the limit was reached, the network is not blamed
"$tcsim" run -q -r 1 --max-trucks 5 -o "$tmp/mt" "$yl" 2>"$tmp/err"
rc=$?
check "--max-trucks 5: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--max-trucks 5: says the limit given was reached" has "more than 5 trucks in the system at once (all replications running together): the limit given by --max-trucks was reached."
check "--max-trucks 5: does not blame the network" sh -c "! grep -q 'cannot keep up' '$tmp/err'"
check "--max-trucks 5: nothing written" [ ! -e "$tmp/mt" ]

# ---- usage and --
"$tcsim" run 2>"$tmp/err"
check "the usage lists --max-trucks" has "[--max-trucks N]"
check "the usage says what -- does" has "(-- ends the options: a file after it may start with '-')"
cp "$yl" "$tmp/-dash.yaml"
(cd "$tmp" && "$tcsim" run -q -r 2 -o d1 -- -dash.yaml) 2>"$tmp/err"
check "run -- -dash.yaml: a file name starting with '-'" [ -s "$tmp/d1/summary.json" ]
(cd "$tmp" && "$tcsim" -- validate -- -dash.yaml) >"$tmp/out" 2>"$tmp/err"
check "tcsim -- validate -- FILE" grep -qF -- "-dash.yaml: ok" "$tmp/out"

# ---- -j is bounded (1024)
"$tcsim" run -q -j 1025 -o "$tmp/j" "$yl" 2>"$tmp/err"
rc=$?
check "-j 1025: usage error (got $rc)" [ "$rc" -eq 2 ]
check "-j 1025: says the bound" has 'tcsim: -j: expected a number of threads from 1 to 1024, got "1025"'
"$tcsim" run -q -r 2 -j 1024 -o "$tmp/j2" "$yl" 2>"$tmp/err"
check "-j 1024 is accepted" [ -s "$tmp/j2/summary.json" ]

# ---- --trace takes trucks or visits; --gzip needs --trace
"$tcsim" run -q --trace=all -o "$tmp/tr" "$yl" 2>"$tmp/err"
rc=$?
check "--trace=all: usage error (got $rc)" [ "$rc" -eq 2 ]
check "--trace=all: says what is allowed" has 'tcsim: --trace: expected trucks or visits, got "all"'
"$tcsim" run -q --gzip -o "$tmp/tr" "$yl" 2>"$tmp/err"
rc=$?
check "--gzip without --trace: usage error (got $rc)" [ "$rc" -eq 2 ]
check "--gzip without --trace: says why" has 'tcsim: run: --gzip compresses the trace: it needs --trace'
check "bad --trace / --gzip: nothing written" [ ! -e "$tmp/tr" ]

# ---- a full disk is "No space left on device", naming the file (was "Input/output error")
mkdir "$small"
if mount -t tmpfs -o size=64k tmpfs "$small" 2>/dev/null; then
    "$tcsim" run -q -r 2 -o "$small/out" "$2/langson-normal-2023.yaml" 2>"$tmp/err"
    rc=$?
    check "disk full: exit 1 (got $rc)" [ "$rc" -eq 1 ]
    check "disk full: says no space and names the file" has "tcsim: cannot write '$small/out/replications.csv': No space left on device (no output was written)"
    check "disk full: no file left" [ -z "$(ls -A "$small/out" 2>/dev/null)" ]
    "$tcsim" sweep -q -r 2 --no-plot -o "$small/sw" --vary seed=1,2 "$yl" 2>"$tmp/err"
    check "sweep, disk full: says no space" has "No space left on device"
    umount "$small"
else
    n=$((n + 1))
    echo "ok $n - # SKIP disk full: cannot mount a small tmpfs here (needs root)"
fi

echo "1..$n"
exit $fail
