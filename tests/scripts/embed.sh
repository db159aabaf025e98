#!/bin/sh
# Install tcsim into a scratch directory and use it as another project
# would, from the installed tree only: every installed header compiles on
# its own, the shared library exports no symbol of the program's layers
# (cli, plot, progress, mpi, verify), and a program built with pkg-config
# runs a scenario. Usage: embed.sh BUILD_DIR SRC_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
status=0
say() { # ok|not ok, description
    n=$((n + 1))
    echo "$1 $n - $2"
    [ "$1" = ok ] || status=1
}
meson install -C "$build" --destdir "$tmp/root" --no-rebuild >"$tmp/install.log" 2>&1 ||
    { sed 's/^/# /' "$tmp/install.log"; echo "not ok 1 - meson install"; echo "1..1"; exit 1; }
pc=$(find "$tmp/root" -name tcsim.pc | head -n 1)
prefix=$(sed -n 's/^prefix=//p' "$pc")
export PKG_CONFIG_PATH="$(dirname "$pc")"
pcv() { pkg-config --define-variable=prefix="$tmp/root$prefix" "$@" tcsim; }
cflags=$(pcv --cflags)
libdir=$(pcv --variable=libdir)
incdir=$(pcv --variable=includedir)

# 1. The installed headers: the public API and nothing else.
headers=$(cd "$incdir/tcsim" && ls)
count=$(echo "$headers" | wc -l)
expected="afile.h compare.h diag.h dist.h engine.h metrics.h output.h runner.h scenario.h series.h sweep.h units.h"
if [ "$(echo $headers)" = "$expected" ]; then
    say ok "the $count installed headers are the public API ($expected)"
else
    say "not ok" "installed headers: $(echo $headers), expected $expected"
fi
bad=""
for h in $headers; do
    printf '#include <tcsim/%s>\n#include <tcsim/%s>\n' "$h" "$h" >"$tmp/one.c"
    ${CC:-cc} -std=c17 -Wall -Wextra -Werror -fsyntax-only $cflags "$tmp/one.c" >"$tmp/one.log" 2>&1 ||
        { bad="$bad $h"; sed 's/^/# /' "$tmp/one.log"; }
done
if [ -z "$bad" ]; then
    say ok "each installed header compiles alone, twice included"
else
    say "not ok" "headers that do not compile alone:$bad"
fi

# 2. The shared library exports the engine, not the program.
so=$(ls "$libdir"/libtcsim.so.* 2>/dev/null | head -n 1)
nm -D --defined-only "$so" | awk '{print $3}' | sed 's/@.*//' | grep '^tc_' >"$tmp/syms"
leaks=$(grep -E '^(tc_cli_|tc_plot_|tc_progress_|tc_mpi_|tc_verify)' "$tmp/syms" || true)
if [ -n "$so" ] && [ -z "$leaks" ] && grep -qx tc_runner_run_opts "$tmp/syms"; then
    say ok "libtcsim exports $(wc -l <"$tmp/syms") symbols, those of the public headers: none of cli, plot, progress, mpi or verify"
else
    say "not ok" "libtcsim exports program symbols: $(echo $leaks | head -c 300)"
fi
if ldd "$so" | grep -q 'libmpi'; then
    say "not ok" "libtcsim links MPI"
else
    say ok "libtcsim does not link MPI"
fi

# 3. A program against the installed tree only.
flags=$(pcv --cflags --libs)
${CC:-cc} -std=c17 -Wall -Wextra -Werror -o "$tmp/embed" "$src/embed.c" $flags >"$tmp/out" 2>&1 &&
    LD_LIBRARY_PATH="$libdir" "$tmp/embed" "$tmp" >>"$tmp/out" 2>&1 && ok=1 || ok=0
sed 's/^/# /' "$tmp/out"
if [ $ok -eq 1 ]; then
    say ok "a program builds against the installed libtcsim, runs a scenario and a sweep"
else
    say "not ok" "embedding through pkg-config failed"
fi
echo "1..$n"
exit $status
