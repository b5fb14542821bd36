#!/bin/sh
# Fetch MicroPython's source from its Debian source package into build/, without touching the
# system's apt configuration: a private deb-src list, private state, signature checked by apt.
# The archive address is read from the system's own apt sources, never written in this repo.
# Usage: tools/fetch-micropython.sh BUILD_DIR   -> BUILD_DIR/micropython-src (a symlink to the tree)
set -eu
build=$(realpath -m "${1:-build}")
version=1.25.0+ds-1
upstream=1.25.0+ds
dest="$build/micropython-src"
[ -e "$dest/py/mpconfig.h" ] && exit 0

apt_dir="$build/apt"
mkdir -p "$apt_dir/sources" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$build/dl"
uri=""
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
    [ -n "$uri" ] && break
done
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^(http|https|file):/) { print $i; exit } }' /etc/apt/sources.list)
fi
[ -n "$uri" ] || { echo "fetch-micropython: no Debian archive URI found in the apt sources" >&2; exit 1; }

cat > "$apt_dir/sources/micropython.sources" <<SRC
Types: deb-src
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$apt_dir/sources \
 -o Dir::State::Lists=$apt_dir/lists -o Dir::Cache=$apt_dir/cache -o Debug::NoLocking=1"
# shellcheck disable=SC2086
apt-get -q $opts update >/dev/null
tarball="micropython_$upstream.orig.tar.xz"
if [ ! -f "$build/dl/$tarball" ]; then
    # shellcheck disable=SC2086
    (cd "$build/dl" && apt-get -q $opts source --download-only "micropython=$version" >/dev/null)
fi
rm -rf "$build/micropython-$upstream.tmp"
mkdir -p "$build/micropython-$upstream.tmp"
tar -xJf "$build/dl/$tarball" -C "$build/micropython-$upstream.tmp" --strip-components=1
# The Debian tarball lacks micropython-lib; the unix Makefile only checks that it exists.
mkdir -p "$build/micropython-$upstream.tmp/lib/micropython-lib"
touch "$build/micropython-$upstream.tmp/lib/micropython-lib/README.md"
rm -rf "$build/micropython-$upstream"
mv "$build/micropython-$upstream.tmp" "$build/micropython-$upstream"
ln -sfn "micropython-$upstream" "$dest"
echo "fetch-micropython: MicroPython $upstream in $dest"
