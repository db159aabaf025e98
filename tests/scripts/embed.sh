#!/bin/sh
# Install tcsim into a scratch directory and build a program against it with
# pkg-config, as another project would. Usage: embed.sh BUILD_DIR SRC_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --no-rebuild >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "not ok 1 - meson install"; exit 1; }
pc=$(find "$tmp/root" -name tcsim.pc | head -n 1)
prefix=$(sed -n 's/^prefix=//p' "$pc")
export PKG_CONFIG_PATH="$(dirname "$pc")"
flags=$(pkg-config --define-variable=prefix="$tmp/root$prefix" --cflags --libs tcsim)
libdir=$(pkg-config --define-variable=prefix="$tmp/root$prefix" --variable=libdir tcsim)
status=0
${CC:-cc} -std=c17 -Wall -Wextra -Werror -o "$tmp/embed" "$src/embed.c" $flags >"$tmp/out" 2>&1 &&
    LD_LIBRARY_PATH="$libdir" "$tmp/embed" >>"$tmp/out" 2>&1 || status=1
sed 's/^/# /' "$tmp/out"
if [ $status -eq 0 ]; then
    echo "ok 1 - a program builds against the installed libtcsim and runs it"
else
    echo "not ok 1 - embedding through pkg-config failed"
fi
echo "1..1"
exit $status
