#!/bin/sh
# Fetch MicroPython's source from its Debian source package into build/, without touching the
# system's apt configuration: a private deb-src list, private state, signature checked by apt.
# The archive address is read from the system's own apt sources, never written in this repo.
#
# Usage: tools/fetch-micropython.sh BUILD_DIR [SUITE UPSTREAM_VERSION [DEST]]
#   default: trixie's 1.25.0+ds-1 -> BUILD_DIR/micropython-src (a symlink to the tree)
#   e.g. tools/fetch-micropython.sh build/mp-1.26.1 sid 1.26.1 build/mp-1.26.1/src
#   takes whichever Debian revision of UPSTREAM_VERSION the suite has (+ds-N).  Exits 3, with
#   a message, when the suite no longer has that version (unstable moves on).
set -eu
build=$(realpath -m "${1:-build}")
suite=${2:-trixie}
if [ $# -ge 3 ]; then
    upstream=$3+ds
    dest=$(realpath -m "${4:-$build/micropython-src}")
    version=""
else
    upstream=1.25.0+ds
    dest="$build/micropython-src"
    version=1.25.0+ds-1
fi
[ -e "$dest/py/mpconfig.h" ] && exit 0

apt_dir="$build/apt-$suite"
[ "$suite" = trixie ] && apt_dir="$build/apt" # where earlier builds keep it
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
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$apt_dir/sources \
 -o Dir::State::Lists=$apt_dir/lists -o Dir::Cache=$apt_dir/cache -o Debug::NoLocking=1"
tarball="micropython_$upstream.orig.tar.xz"
if [ ! -f "$build/dl/$tarball" ]; then
    # shellcheck disable=SC2086
    apt-get -q $opts update >/dev/null
    if [ -z "$version" ]; then
        # The suite's revision of this upstream version, if it still has it.
        # shellcheck disable=SC2086
        version=$(apt-cache $opts showsrc micropython 2>/dev/null \
            | awk -v up="$upstream" '$1 == "Version:" && index($2, up "-") == 1 { print $2; exit }')
        if [ -z "$version" ]; then
            echo "fetch-micropython: Debian $suite no longer has MicroPython $upstream" >&2
            exit 3
        fi
    fi
    # shellcheck disable=SC2086
    (cd "$build/dl" && apt-get -q $opts source --download-only "micropython=$version" >/dev/null)
fi
tree="$(dirname "$dest")/micropython-$upstream"
rm -rf "$tree.tmp"
mkdir -p "$tree.tmp"
tar -xJf "$build/dl/$tarball" -C "$tree.tmp" --strip-components=1
# The Debian tarball lacks micropython-lib; the unix Makefile only checks that it exists.
mkdir -p "$tree.tmp/lib/micropython-lib"
touch "$tree.tmp/lib/micropython-lib/README.md"
rm -rf "$tree"
mv "$tree.tmp" "$tree"
ln -sfn "$(basename "$tree")" "$dest"
echo "fetch-micropython: MicroPython $upstream ($suite) in $dest"
