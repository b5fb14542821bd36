#!/bin/sh
# Issue 7, item 4: while an asyncio server waits for a connection and nothing else is due, the
# process must make one blocking wait, not a poll loop.
#
# Runs the same server script on our firmware and on stock MicroPython under `strace -f -C`
# (-C: the -c summary plus the call log).  The server prints "waiting" once it listens and its
# main task waits on an Event that only the connection handler sets, which prints "accepted".
# A client connects 2 s after "waiting" appears.  Counted: the poll-type system calls
# (poll, ppoll, epoll_wait, epoll_pwait, epoll_pwait2, select, pselect6) that start between the
# write of "waiting" and the write of "accepted", in any thread, and how many of them could
# block (a timeout other than zero).  Ours must make at most 2 there (one blocking wait, plus
# at most one non-blocking check at its start or end); stock's numbers are printed beside.
#
# Usage: tools/idle-syscalls.sh OURS STOCK [PORT]   (loopback only; tools/net-tests.sh runs it
# inside its private network namespace)
set -eu
ours=$1 stock=$2 port=${3:-8299}
command -v strace >/dev/null || { echo "idle-syscalls: strace is not installed"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
calls=poll,ppoll,epoll_wait,epoll_pwait,epoll_pwait2,select,_newselect,pselect6

cat > "$work/server.py" <<'EOF'
import asyncio, sys

PORT = int(sys.argv[1])
done = asyncio.Event()


async def handler(reader, writer):
    print("accepted")
    print("got", await reader.read(10))
    writer.close()
    await writer.wait_closed()
    done.set()


async def main():
    server = await asyncio.start_server(handler, "127.0.0.1", PORT)
    print("waiting")
    await done.wait()  # nothing else is due: no timer, no other task
    server.close()
    await server.wait_closed()
    print("closed")


asyncio.run(main())
EOF

cat > "$work/client.py" <<'EOF'
import socket, sys, time

out, port = sys.argv[1], int(sys.argv[2])
for _ in range(300):  # up to 30 s for the server to start listening (strace slows it)
    try:
        if "waiting" in open(out).read():
            break
    except OSError:
        pass
    time.sleep(0.1)
else:
    sys.exit("idle-syscalls: the server never printed 'waiting'")
time.sleep(2)
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(b"hi")
s.recv(10)  # until the server closes
s.close()
EOF

cat > "$work/count.py" <<'EOF'
# Count the poll-type calls between the write of "waiting" and the write of "accepted".
import re, sys

POLL = re.compile(r"^\d+\s+(poll|ppoll|epoll_wait|epoll_pwait2?|select|_newselect|pselect6)\((.*)")
log = open(sys.argv[1]).read().splitlines()
state, total, blocking, longest = "before", 0, 0, 0.0
for line in log:
    if state == "before":
        if re.search(r'write\(1, "waiting"', line):
            state = "waiting"
        continue
    if re.search(r'write\(1, "accepted"', line):
        state = "after"
        break
    m = POLL.match(line)
    if not m or "resumed>" in line:
        continue
    name, args = m.groups()
    total += 1
    args = args.split(" <unfinished")[0].split(") = ")[0]
    # Whether it may block, from its timeout argument: poll and epoll_wait take milliseconds,
    # last (0: no wait); epoll_pwait takes them fourth (third number); ppoll, pselect6, select and
    # epoll_pwait2 take a time struct (all zero: no wait; NULL: no limit).
    if name in ("poll", "epoll_wait", "epoll_pwait"):
        ms = re.findall(r"(?:^|,\s*)(-?\d+)(?=,|$)", args)
        nonzero = not ms or ms[-1 if name != "epoll_pwait" else 2] != "0"
    else:
        nonzero = not re.search(r"\{tv_sec=0, tv_(n|u)sec=0\}", args)
    blocking += nonzero
    d = re.search(r"<(\d+\.\d+)>\s*$", line)
    if d:
        longest = max(longest, float(d.group(1)))
if state != "after":
    sys.exit("idle-syscalls: markers not found in the strace log")
print(total, blocking, "%.2f" % longest)
EOF

run() { # name binary -> "total blocking longest", and the whole-run summary line
    name=$1 bin=$2
    : > "$work/$name.out"
    timeout 60 strace -f -C -T -o "$work/$name.strace" -e trace=$calls,write \
        "$bin" "$work/server.py" "$port" > "$work/$name.out" 2>&1 &
    spid=$!
    timeout 40 python3 "$work/client.py" "$work/$name.out" "$port"
    wait $spid
    if ! grep -q closed "$work/$name.out"; then
        echo "idle-syscalls: the server on $name did not finish:"; cat "$work/$name.out"; exit 1
    fi
    python3 "$work/count.py" "$work/$name.strace"
}

set -- $(run ours "$ours"); o_total=$1 o_block=$2 o_long=$3
set -- $(run stock "$stock"); s_total=$1 s_block=$2 s_long=$3
wholerun() { # poll-type calls over the whole run, from strace's -c summary
    awk '$NF ~ /^(poll|ppoll|epoll_wait|epoll_pwait2?|select|_newselect|pselect6)$/ { n += $4 } END { print n + 0 }' "$work/$1.strace"
}
echo "idle wait for a connection (~2 s), poll-type system calls while waiting:"
printf '  %-6s %s calls, %s of them blocking, longest %s s  (whole run: %s)\n' \
    ours "$o_total" "$o_block" "$o_long" "$(wholerun ours)" \
    stock "$s_total" "$s_block" "$s_long" "$(wholerun stock)"
if [ "$o_total" -le 2 ] && [ "$o_block" -le 1 ] && [ "$o_block" -ge 1 ]; then
    echo "idle-syscalls: ok (ours makes one blocking wait)"
else
    echo "idle-syscalls: FAIL: ours made $o_total poll-type calls ($o_block blocking) while idle"
    exit 1
fi
