#!/bin/sh
# Stress runs (issue: reliability).  Each script prints "what: True/False" lines; a run passes
# when it exits 0 and prints no False.  QUICK=1 runs the small versions (`make stress-quick`).
# With STOCK (stock MicroPython), the cancellation storm also runs there and must print the
# same (it prints only what the program computed, nothing that depends on timing).
# usage: tools/stress.sh FIRMWARE [STOCK]
set -u
fw=$1
stock=${2:-}
cd "$(dirname "$0")/../stress"
if [ "${QUICK:-0}" = 1 ]; then
    runs="deadline_order.py 10000|-X heapsize=64M
cancel_storm.py 1000|
cancel_storm.py 200 gc|
memory_errors.py|-X heapsize=48k
flood.py 1|
leak.py|"
else
    runs="deadline_order.py 100000|-X heapsize=256M
cancel_storm.py 10000|-X heapsize=64M
cancel_storm.py 2000 gc|-X heapsize=16M
memory_errors.py|-X heapsize=48k
memory_errors.py|-X heapsize=32k
flood.py 10|
leak.py|"
fi
passed=0 failed=0
echo "$runs" | while IFS='|' read -r args opts; do
    # shellcheck disable=SC2086
    out=$(timeout 600 "$fw" $opts $args 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && ! echo "$out" | grep -q "False"; then
        echo "pass  $args $opts"
        passed=$((passed + 1))
    else
        echo "FAIL  $args $opts (exit $rc)"
        echo "$out" | sed 's/^/      /'
        failed=$((failed + 1))
    fi
    echo "$passed $failed" > /tmp/eventio-stress-count.$$
done
read -r passed failed < /tmp/eventio-stress-count.$$
rm -f /tmp/eventio-stress-count.$$
if [ -n "$stock" ]; then
    n=2000
    [ "${QUICK:-0}" = 1 ] || n=10000
    ours=$("$fw" -X heapsize=64M cancel_storm.py $n 2>&1)
    theirs=$("$stock" -X heapsize=64M cancel_storm.py $n 2>&1)
    if [ "$ours" = "$theirs" ]; then
        echo "pass  cancel_storm.py $n: same output as stock"
        passed=$((passed + 1))
    else
        echo "FAIL  cancel_storm.py $n: output differs from stock"
        printf 'ours:\n%s\nstock:\n%s\n' "$ours" "$theirs" | sed 's/^/      /'
        failed=$((failed + 1))
    fi
fi
echo "stress: $passed passed, $failed failed"
[ "$failed" = 0 ]
