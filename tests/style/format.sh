#!/bin/sh
# Every C file follows .clang-format (clang-format 14, Debian 12's).
# Usage: format.sh SOURCE_ROOT; skips (77) when clang-format is missing.
set -u
root=$1
command -v clang-format >/dev/null 2>&1 || { echo "1..0 # SKIP clang-format not installed"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
cd "$root" || exit 1
. "$here/sources.sh"
files=$(c_sources .)
[ -n "$files" ] || { echo "not ok 1 - no C file found"; echo "1..1"; exit 1; }
if clang-format --dry-run --Werror $files 2>/tmp/format.$$; then
    echo "ok 1 - clang-format clean"
    rm -f /tmp/format.$$
    echo "1..1"
    exit 0
fi
echo "not ok 1 - clang-format would change:"
grep -o '^[^:]*:[0-9]*' /tmp/format.$$ | sort -u | head -40 | sed 's/^/# /'
rm -f /tmp/format.$$
echo "1..1"
exit 1
