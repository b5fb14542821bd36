#!/bin/sh
# Unpack MicroPython 1.28.0 with the rp2 port's submodules from the kit, and build picotool
# from the kit, so that the rp2 build runs offline (pico-sdk otherwise downloads picotool).
# Nothing is copied into the repository: everything lands in BUILD_DIR.
# Usage: tools/fetch-pico.sh KIT_DIR BUILD_DIR [MICROPY_DIR]
#   -> BUILD_DIR/micropython-1.28.0 (source + lib/pico-sdk, tinyusb, micropython-lib, mbedtls),
#      unless MICROPY_DIR (a full checkout with submodules) is given
#   -> BUILD_DIR/picotool (installed picotool, built against MICROPY_DIR's pico-sdk; its CMake
#      package in lib/cmake/picotool)
set -eu
kit=$(realpath "$1")
build=$(realpath -m "$2")
src=$(realpath -m "${3:-$build/micropython-1.28.0}")
mkdir -p "$build"

if [ $# -lt 3 ] && [ ! -e "$src/.eventio-unpacked" ]; then
    for f in micropython-1.28.0.tar.xz micropython-1.28.0-submodules-rp2.tar.xz picotool-2.2.0.tar.xz; do
        [ -f "$kit/$f" ] || { echo "fetch-pico: $kit/$f missing (the kit: see its README)" >&2; exit 1; }
    done
    (cd "$kit" && sha256sum --quiet --ignore-missing -c SHA256SUMS) \
        || { echo "fetch-pico: kit checksums do not match" >&2; exit 1; }
    rm -rf "$src"
    tar -xJf "$kit/micropython-1.28.0.tar.xz" -C "$build"
    tar -xJf "$kit/micropython-1.28.0-submodules-rp2.tar.xz" -C "$src"
    touch "$src/.eventio-unpacked"
fi

# picotool, built against the unpacked pico-sdk and installed in the build folder.
pt="$build/picotool"
if [ ! -e "$pt/lib/cmake/picotool/picotoolConfig.cmake" ]; then
    [ -f "$kit/picotool-2.2.0.tar.xz" ] || { echo "fetch-pico: $kit/picotool-2.2.0.tar.xz missing" >&2; exit 1; }
    rm -rf "$build/picotool-2.2.0" "$build/picotool-build"
    tar -xJf "$kit/picotool-2.2.0.tar.xz" -C "$build"
    cmake -S "$build/picotool-2.2.0" -B "$build/picotool-build" -DPICO_SDK_PATH="$src/lib/pico-sdk" \
        -DCMAKE_INSTALL_PREFIX="$pt" -DCMAKE_BUILD_TYPE=Release >"$build/picotool.log" 2>&1 \
        && make -C "$build/picotool-build" -j"${JOBS:-2}" install >>"$build/picotool.log" 2>&1 \
        || { tail -30 "$build/picotool.log"; exit 1; }
    find "$pt" -name picotoolConfig.cmake | grep -q . \
        || { echo "fetch-pico: picotool installed no picotoolConfig.cmake" >&2; exit 1; }
fi
