#!/bin/sh
# tcsim run against output directories that cannot be written, as root too
# (permissions do not stop root, so every case fails for everyone): a path
# under a regular file (ENOTDIR), a name too long, /proc, and a file size
# limit (ulimit -f, SIGXFSZ ignored: every write past 512 bytes fails with
# EFBIG, as on a full disk). Each must give exactly one error line, exit 1,
# and leave the directory as it was: earlier outputs byte for byte, no new
# file, no .tmp left over. /dev/full planted at the old fixed temporary
# names (DIR/.NAME.tmp) is never written through: afile creates temporaries
# of its own (O_EXCL, O_NOFOLLOW); a symlink at the final name is simply
# replaced by the rename. Prints TAP.
# Usage: io.sh TCSIM
set -u
tcsim=$1
case $tcsim in
/*) ;;
*) tcsim=$(pwd)/$tcsim ;;
esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcsim-io.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
n=0
fail=0
check() { # check DESCRIPTION COMMAND...: ok when the command succeeds
    n=$((n + 1))
    desc=$1
    shift
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fail=1; fi
}
todo() { # todo DESCRIPTION REASON COMMAND...: a known bug, reported as TODO
    n=$((n + 1))
    desc=$1
    why=$2
    shift 2
    if "$@"; then echo "ok $n - $desc # TODO $why"; else echo "not ok $n - $desc # TODO $why"; fi
}
same() { # same FILE TEXT: the file holds exactly TEXT and a newline
    printf '%s\n' "$2" | cmp -s - "$1"
}
listing() { # listing DIR: every name in DIR, hidden ones too, on one line
    ls -A "$1" | tr '\n' ' '
}

cat >s.yaml <<'YAML'
name: io
horizon: 2 d
replications: 2
arrivals: [{to: gate, rate: 6/h}]
stations:
  gate: {servers: 1, service: {dist: exponential, mean: 6 min}}
YAML
outs='complete.json datapackage.json replications.csv scenario.yaml summary.csv summary.json timeseries.csv '

# A path under a regular file: mkdir says ENOTDIR for everyone.
: >file
"$tcsim" run -q s.yaml -o file/out 2>err
rc=$?
check "under a regular file: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "under a regular file: one clear line" \
    same err "tcsim: cannot write 'file/out': Not a directory (no output was written)"
empty_file() { [ -f "$1" ] && [ ! -s "$1" ]; }
check "under a regular file: the file is untouched" empty_file file
"$tcsim" run -q --trace s.yaml -o file/deeper/out 2>err
rc=$?
check "--trace under a regular file: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--trace under a regular file: one clear line" same err \
    "tcsim: cannot write 'file/deeper/out': Not a directory (no output was written)"

long=$(printf '%0300d' 0)
"$tcsim" run -q s.yaml -o "$long" 2>err
rc=$?
check "a name of 300 bytes: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "a name of 300 bytes: one clear line" \
    same err "tcsim: cannot write '$long': File name too long (no output was written)"
check "a name of 300 bytes: nothing created" [ "$(listing .)" = "err file s.yaml " ]

"$tcsim" run -q s.yaml -o /proc/tcsim-robust/out 2>err
rc=$?
check "under /proc: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "under /proc: one clear line" same err \
    "tcsim: cannot write '/proc/tcsim-robust/out': No such file or directory (no output was written)"

# Earlier outputs (seed 1) in out/, kept aside to compare bytes after each failure.
"$tcsim" run -q s.yaml -o out 2>err
check "a first run writes its outputs" [ "$(listing out)" = "$outs" ]
cp -R out before
unchanged() { # the outputs of the first run, byte for byte, and nothing else
    [ "$(listing out)" = "$outs" ] && for f in $outs; do cmp -s "before/$f" "out/$f" || return 1; done
}

# /dev/full planted at the old fixed temporary names: not tcsim's, never written through.
for name in summary.json scenario.yaml trucks.1; do
    ln -s /dev/full "out/.$name.tmp"
    "$tcsim" run -q -s 7 --trace s.yaml -o out 2>err
    rc=$?
    check "/dev/full planted as .$name.tmp: the run succeeds (got $rc)" [ "$rc" -eq 0 ]
    check "/dev/full planted as .$name.tmp: the link is left as it was" \
        [ "$(readlink "out/.$name.tmp")" = /dev/full ]
    check "/dev/full planted as .$name.tmp: /dev/full is still the device" [ -c /dev/full ]
    check "/dev/full planted as .$name.tmp: the new summary.json is whole" \
        grep -q '"seed": 7,' out/summary.json
    rm "out/.$name.tmp" out/trucks.csv
    cp before/* out/
done

# Writes that fail (EFBIG past ulimit -f): the first temporary of the batch,
# and the per-replication truck files of --trace.
full() { (trap '' XFSZ; ulimit -f 1; exec "$tcsim" "$@"); }
full run -q -s 7 s.yaml -o out 2>err
rc=$?
check "writes failing at summary.json: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "writes failing at summary.json: one clear line" \
    same err "tcsim: cannot write 'out/summary.json': File too large (no output was written)"
check "writes failing at summary.json: earlier outputs intact, no temporary left" unchanged
full run -q -s 7 --trace s.yaml -o out 2>err
rc=$?
check "writes failing in the truck trace: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "writes failing in the truck trace: one clear line" same err \
    "tcsim: cannot write the truck trace in 'out': File too large (no output was written)"
check "writes failing in the truck trace: earlier outputs intact, no temporary left" unchanged

# A symlink at a final name is replaced by the rename, never written through.
mv out/summary.json summary.keep
ln -s /dev/full out/summary.json
"$tcsim" run -q s.yaml -o out 2>err
rc=$?
check "summary.json a symlink to /dev/full: the run succeeds (got $rc)" [ "$rc" -eq 0 ]
replaced() { [ -f out/summary.json ] && [ ! -L out/summary.json ] && cmp -s summary.keep out/summary.json; }
check "summary.json a symlink to /dev/full: replaced by a regular file" replaced
check "summary.json a symlink to /dev/full: /dev/full is still the device" [ -c /dev/full ]

# A final name that is a directory, and a failed --trace run.
rm out/timeseries.csv
mkdir out/timeseries.csv
cp before/summary.json before/summary.csv before/scenario.yaml before/complete.json out/
"$tcsim" run -q -s 7 s.yaml -o out 2>err
rc=$?
check "timeseries.csv a directory: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "timeseries.csv a directory: one clear line" same err \
    "tcsim: cannot write 'out/timeseries.csv': Is a directory (no output was written)"
check "timeseries.csv a directory: earlier summary.json intact" \
    cmp -s before/summary.json out/summary.json
"$tcsim" run -q --trace --max-trucks 5 s.yaml -o new 2>err
rc=$?
check "--trace stopped by --max-trucks: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--trace stopped by --max-trucks: no new directory" [ ! -e new ]

echo "1..$n"
exit $fail
