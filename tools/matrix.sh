#!/bin/sh
# One row of `make test-matrix`: eventio and stock asyncio built against one MicroPython
# version, side by side in build/mp-VERSION/, and that version's tests run on both:
#   upstream   its tests/extmod/asyncio_*.py, on ours and on stock
#   newer      on a version older than 1.26: the tests of 1.26's scheduler fix, taken from the
#              1.28 tree at test time (build/mp-1.28.0/src/tests), on ours
#   py-tests   our py-tests on ours, and their expected output checked against its stock
#   net        tools/net-tests.sh (net_hosted and multi_net asyncio tests, ours with ours and
#              with stock both ways, our stream tests, the idle system call count)
# The builds are MicroPython's own make rules, so a second run rebuilds only what changed.
#
# Usage: tools/matrix.sh VERSION [SOURCE_DIR]   (from the top folder; make passes MAKE, KIT_DIR,
#        RUST_LIB).  The source: SOURCE_DIR if given, else 1.26.1 from Debian unstable's
#        source package, 1.28.0 (or any x.y.z) from KIT_DIR/micropython-x.y.z.tar.xz.  A version
#        whose source cannot be had is skipped with a message, not failed.
#        VERSION "default" is the default build (build/, MICROPY_DIR): only what make test does
#        not run on it already (stock's upstream tests, the newer tests).
set -u
v=$1 src=${2:-}
top=$(pwd)
MAKE=${MAKE:-make}
kit=${KIT_DIR:-$top/../shared/kit}
summary=$top/build/matrix-summary.txt

if [ "$v" = default ]; then
    dir=build
    mpy=${MICROPY_DIR:-build/micropython-src}
    sub=""
else
    dir=build/mp-$v
    mpy=$dir/src
    mkdir -p "$dir"
    if [ -n "$src" ]; then
        ln -sfn "$(realpath "$src")" "$mpy"
    elif [ ! -e "$mpy/py/mpconfig.h" ]; then
        case $v in
        1.26.*)
            # Debian unstable moves on: exit status 3 means it no longer has this version.
            sh tools/fetch-micropython.sh "$dir" sid "$v" "$mpy"
            rc=$?
            if [ $rc = 3 ]; then
                echo "matrix: MicroPython $v skipped: Debian unstable no longer has it" | tee -a "$summary"
                exit 0
            fi
            [ $rc = 0 ] || exit $rc
            ;;
        *)
            tarball=$kit/micropython-$v.tar.xz
            if [ ! -f "$tarball" ]; then
                echo "matrix: MicroPython $v skipped: $tarball not found (or pass its tree)" | tee -a "$summary"
                exit 0
            fi
            rm -rf "$dir/micropython-$v"
            tar -xJf "$tarball" -C "$dir" || exit 1
            # The release tarball has no submodules; the unix Makefile only checks this one.
            mkdir -p "$dir/micropython-$v/lib/micropython-lib"
            touch "$dir/micropython-$v/lib/micropython-lib/README.md"
            ln -sfn "micropython-$v" "$mpy"
            ;;
        esac
    fi
    sub="BUILD=$dir MICROPY_DIR=$mpy RUST_LIB=$RUST_LIB"
fi
real=$(sed -n 's/^#define MICROPY_VERSION_\(MAJOR\|MINOR\|MICRO\) (\{0,1\}\([0-9]*\).*/\2/p' "$mpy/py/mpconfig.h" | paste -sd.)
mkdir -p "$dir/logs"
echo "== matrix: MicroPython $real ($v) in $dir"
# shellcheck disable=SC2086
if ! $MAKE --no-print-directory $sub "$dir/micropython" "$dir/micropython-stock" >"$dir/logs/build.log" 2>&1; then
    tail -30 "$dir/logs/build.log"
    echo "matrix: MicroPython $real: build FAILED (see $dir/logs/build.log)" | tee -a "$summary"
    exit 1
fi

failed=""
compare=""
# run NAME COMMAND...: run a suite, log it, and keep its tally for the summary line.
tally=""
run() {
    name=$1
    shift
    echo "-- $name"
    "$@" >"$dir/logs/$name.log" 2>&1
    rc=$?
    count=$(grep -E '^[0-9]+ tests (passed|failed)|check: [0-9]+ passed' "$dir/logs/$name.log" \
        | sed -E 's/^([0-9]+) tests (passed|failed).*/\2 \1/; s/.*check: ([0-9]+) passed, ([0-9]+) failed.*/passed \1 failed \2/' \
        | awk '{ for (i = 1; i < NF; i += 2) n[$i] += $(i + 1) } END { printf "%d/%d", n["passed"], n["passed"] + n["failed"] }')
    tally="$tally $name $count;"
    if [ $rc != 0 ] && [ -n "$compare" ]; then
        # Stock's own run of the upstream tests is a comparison, not a check of ours: some of
        # those tests time sleeps a few ms apart, and stock fails them too on a busy machine.
        tally="$tally (stock's failures not counted);"
    elif [ $rc != 0 ]; then
        failed="$failed $name"
        tail -30 "$dir/logs/$name.log"
    fi
    grep -E '^(FAIL|[0-9]+ tests (passed|failed|skipped))|check: |^== ' "$dir/logs/$name.log" | sed 's/^/   /'
}
abs=$top/$dir
tests=$mpy/tests
upstream() { (cd "$tests" && MICROPY_MICROPYTHON=$1 python3 ./run-tests.py --result-dir "$abs/results-$2" extmod/asyncio_*.py); }
run upstream-ours upstream "$abs/micropython" ours
compare=1
run upstream-stock upstream "$abs/micropython-stock" stock
compare=
if [ ! -e "$tests/extmod/asyncio_event_queue.py" ]; then
    newer=$top/build/mp-1.28.0/src/tests/extmod
    if [ -e "$newer/asyncio_event_queue.py" ]; then
        run newer-ours sh -c "cd '$tests' && MICROPY_MICROPYTHON='$abs/micropython' python3 ./run-tests.py --result-dir '$abs/results-newer' \
            '$newer/asyncio_event_queue.py' '$newer/asyncio_iterator_event.py' '$newer/asyncio_wait_for_linked_task.py'"
    else
        echo "matrix: the newer tests need build/mp-1.28.0/src (test-matrix makes it first)"
    fi
fi
if [ "$v" != default ]; then
    # shellcheck disable=SC2086
    run py-tests $MAKE --no-print-directory $sub py-test
    # shellcheck disable=SC2086
    run stock-check $MAKE --no-print-directory $sub stock-check
    # shellcheck disable=SC2086
    run net $MAKE --no-print-directory $sub net-test
fi
line="MicroPython $real ($dir):$tally"
[ -n "$failed" ] && line="$line FAILED:$failed"
echo "$line" | tee -a "$summary"
[ -z "$failed" ]
