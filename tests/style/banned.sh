#!/bin/sh
# Like curl's checksrc: functions that invite overflows or hide errors are
# banned from the sources. Use snprintf, strtod/strtoull with checks, GSL's
# generators. Comment lines are skipped (they may name gnuplot's sprintf).
# Usage: banned.sh SOURCE_ROOT
set -u
root=$1
pattern='\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atof|atol|gets|rand|srand|tmpnam|setlocale)[[:space:]]*\('
. "$(dirname "$0")/sources.sh"
files=$(c_sources "$root" | grep -v '^tests/fuzz/corpus/')
[ -n "$files" ] || { echo "not ok 1 - no C file found"; echo "1..1"; exit 1; }
hits=$(cd "$root" && grep -nE "$pattern" $files | grep -v 'snprintf\|vsnprintf' |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)')
if [ -n "$hits" ]; then
    echo "not ok 1 - banned functions used:"
    echo "$hits" | sed 's/^/# /'
    echo "1..1"
    exit 1
fi
echo "ok 1 - no banned function in sim/, include/ or tests/"
echo "1..1"
