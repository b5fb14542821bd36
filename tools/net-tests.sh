#!/bin/sh
# Network tests, run inside a private network namespace where only loopback exists, so that no
# test can reach any other address (run-multitests.py then falls back to 127.0.0.1).
# Also our own stream tests (py-tests/net/), on ours and checked against stock, and the idle
# wait check (tools/idle-syscalls.sh: one blocking system call while a server waits).
# Usage: tools/net-tests.sh MPY_DIR OURS STOCK RESULT_DIR
set -eu
if [ "${EIO_IN_NETNS:-}" != 1 ]; then
    exec unshare --net env EIO_IN_NETNS=1 sh "$0" "$@"
fi
mpy=$1 ours=$2 stock=$3 results=$4
top=$(cd "$(dirname "$0")/.." && pwd)
ip link set lo up
cd "$mpy/tests"
tcp_tests=$(ls multi_net/asyncio_tcp_*.py)
# The option naming an instance and the unix instance's name: "-i micropython" up to 1.27,
# "-t unix" (--test-instance) from 1.28 on.
inst=-i unix=micropython
if python3 ./run-multitests.py --help | grep -q -- --test-instance; then inst=-t unix=unix; fi
echo "== net_hosted asyncio tests on eventio"
MICROPY_MICROPYTHON=$ours python3 ./run-tests.py --result-dir "$results" \
    net_hosted/asyncio_loopback.py net_hosted/asyncio_start_server.py
echo "== multi_net asyncio TCP tests: eventio with eventio"
MICROPY_MICROPYTHON=$ours python3 ./run-multitests.py $inst $unix $inst $unix $tcp_tests
echo "== multi_net asyncio TCP tests: eventio with stock MicroPython, both orders"
MICROPY_MICROPYTHON=$ours python3 ./run-multitests.py -p 2 $inst $unix $inst "exec:$stock" $tcp_tests
echo "== our stream tests (py-tests/net) on eventio"
MICROPY_MICROPYTHON=$ours python3 ./run-tests.py --result-dir "$results" "$top"/py-tests/net/*.py
echo "== our stream tests (py-tests/net): stock MicroPython prints the same"
python3 "$top/tools/check-expected.py" stock "$stock" "$top/py-tests/net"
echo "== idle wait: poll-type system calls while a server waits for a connection"
sh "$top/tools/idle-syscalls.sh" "$ours" "$stock"
