#!/bin/sh
# make threadcheck: the py-tests that use threads, native posting threads or signals, on the
# unstripped firmware under valgrind's two thread checkers (helgrind and drd).  A test fails
# on any reported error left after tools/helgrind.supp (see there what it hides and why), or
# if its output is not its .exp.
#   tools/threadcheck.sh FIRMWARE LOGDIR TEST.py...
here=$(dirname "$(readlink -f "$0")")
fw=$1; logs=$2; shift 2
mkdir -p "$logs"
pass=0; fail=0
# One run under a checker, bounded: a hang ends as exit status 124 instead of stalling CI.
check() {
    timeout 300 valgrind --tool=$1 -q --error-exitcode=99 --num-callers=30 \
        --suppressions="$here/helgrind.supp" "$fw" "$2" >"$3.out" 2>"$3.err"
}
for t in "$@"; do
    name=$(basename "$t" .py)
    for tool in helgrind drd; do
        log="$logs/$name.$tool"
        start=$(date +%s)
        check $tool "$t" "$log"
        rc=$?
        note=""
        # A hang (exit status 124) fails at once.  (The hang once seen here was
        # eventio_interrupt_queue's: its paced source overflowed a 16-slot ring while valgrind
        # stalled the consumer, which then waited for a dropped value; its rings now hold all.)
        # No second run for a differing output: the tests order their output by events, not
        # by time, so a difference under valgrind's slowness is a bug to see.
        secs=$(( $(date +%s) - start ))
        if [ $rc -eq 0 ] && cmp -s "$log.out" "$t.exp"; then
            pass=$((pass + 1)); echo "pass  $tool $name (${secs}s$note)"
        else
            fail=$((fail + 1))
            if [ $rc -eq 99 ]; then why="thread errors, see $log.err"
            elif [ $rc -eq 124 ]; then why="no progress in 300 s"
            elif [ $rc -ne 0 ]; then why="exit status $rc"
            else why="output differs from $t.exp, see $log.out"; fi
            echo "FAIL  $tool $name: $why"
            [ $rc -eq 99 ] && sed -n '1,60p' "$log.err"
        fi
    done
done
echo "threadcheck: $pass passed, $fail failed"
[ $fail -eq 0 ]
