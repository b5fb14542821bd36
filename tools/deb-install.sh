#!/bin/sh
# Install the Debian packages that are missing, when run as root; otherwise name them and fail.
# The one place the set-up rules (Makefile's setup, mk/pico.mk's pico-tools) install packages.
#   tools/deb-install.sh WHO PACKAGE...     (WHO prefixes the messages)
who=$1; shift
missing=$(for p in "$@"; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" || echo "$p"; done)
[ -n "$missing" ] || exit 0
missing=$(echo $missing)
if [ "$(id -u)" != 0 ]; then
    echo "$who: please install: $missing" >&2
    exit 1
fi
echo "$who: installing $missing"
# shellcheck disable=SC2086
apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
