#!/bin/sh
# Like curl's checksrc: functions that invite overflows or hide errors are
# banned from the sources. Use snprintf, strtod/strtoull with checks, GSL's
# generators. Comment lines are skipped (they may name gnuplot's sprintf).
# Usage: banned.sh SOURCE_ROOT
set -u
root=$1
pattern='\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atof|atol|gets|rand|srand|tmpnam|setlocale)[[:space:]]*\('
hits=$(grep -nE "$pattern" "$root"/sim/*.c "$root"/sim/*.h "$root"/include/tcsim/*.h \
    "$root"/tests/*/*.c 2>/dev/null | grep -v 'snprintf\|vsnprintf' |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)')
if [ -n "$hits" ]; then
    echo "not ok 1 - banned functions used:"
    echo "$hits" | sed 's/^/# /'
    echo "1..1"
    exit 1
fi
echo "ok 1 - no banned function in sim/, include/ or tests/"
echo "1..1"
