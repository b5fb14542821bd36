#!/usr/bin/env python3
"""Generate a random, deterministic asyncio program from a seed (the differential fuzzer's
generator; README.md, "The differential fuzzer").

Usage: gen.py SEED [--area NAME ...]    prints the program

What the programs do: a driver task (each run's main) starts a tree of actor tasks and then
takes random steps of its own; actors create children (create_task, await of a coroutine,
gather with and without return_exceptions, wait_for / wait_for_ms), wait on Events, Locks
and ThreadSafeFlags, set and clear them, cancel each other, raise and catch exceptions, and
print a line at every step.  Then the driver cleans up: it sets every Event and flag and
cancels every task left, round after round, until all have finished, and prints how each
ended.  Several runs follow each other, through asyncio.run, Loop.run_until_complete and
Loop.run_forever / stop.

Why the output cannot depend on machine speed: nothing ever waits on the clock.  Every
sleep is sleep(0) / sleep_ms(0), every wait_for timeout is 0 (a sleep(0): the timeout
"fires" in a fixed place of the run queue's order) or 1,000 s (never reached: everything
it waits for ends by events or by the clean-up's cancellations, which need no time).
ThreadSafeFlags are set from tasks only.  So the order of every step is decided by the run
queue's order alone, which both implementations define the same way (FIFO).

What the programs avoid (so that a difference in the output is a bug):
- the deliberate differences listed in the README ("Where stock is wrong, eventio
  differs on purpose"): a task never cancels a task of its own await chain (its ancestors), so no
  cancel is forwarded to the running task; the task that run_until_complete ran is never
  looked at again; a task is gathered or awaited by its creator only, once, while it runs
  (stock raises "can't gather" for a finished task, ours gathers its result as CPython);
- stock's crash on a task awaited twice (it segfaults when a task that ended with an
  exception is awaited once in the turn it ended and then again; ours raises the exception
  again, as CPython): the clean-up does not await a task that another task awaited or
  gathered, it prints 'awaited' for it;
- features stock lacks (Queue, Semaphore, Condition, ...);
- a ThreadSafeFlag waited on by two tasks at once (stock allows one waiter): each flag has
  one owner, a top-level actor, the only task that waits on it (several times, and it may be
  cancelled at its wait or after a set woke it);
- deadlocks that only a cancellation could break, among tasks that are never cancelled
  (nested `async with` takes locks in increasing order; flag owners are never cancelled);
- where stock differs on purpose (README, "Where stock is wrong, eventio differs on
  purpose") or by accident of its implementation, each behind an --area switch, off by
  default:
    tsf-order       more than one ThreadSafeFlag per run: flags set in one turn of the loop
                    wake their waiters in the order of stock's poll map (a hash table keyed
                    by the flags' addresses), in ours in the order of the mailbox's slots:
                    neither is an order a program can rely on
    waitfor-stray   a task cancelled inside wait_for catches the CancelledError and goes
                    on (stock's runner task later cancels it again, or ends its next
                    wait_for with the old result; ours, as CPython, leaves it alone)
    deadlock        run()'s main task left waiting with nothing runnable (ours waits, as
                    MicroPython 1.26+ and CPython; 1.25 returns early; each such program
                    hangs until the runner's 30 s limit)
Areas on by default (they agree; --area accepts them too):
    loop-change     new_event_loop() between runs, with tasks of the old loop left over
    tsf-handoff     a flag waited on more than once by its owner, which may be cancelled
                    (sets before a waiter comes back count as one; a set whose woken waiter
                    is cancelled stays)
"""
import random
import re
import sys

AREAS = ("loop-change", "tsf-handoff", "tsf-order", "waitfor-stray", "deadlock")
ON_BY_DEFAULT = ("loop-change", "tsf-handoff")

PRELUDE = '''\
import asyncio
CE = asyncio.CancelledError
ev = [asyncio.Event() for _ in range(%(ne)d)]
lk = [asyncio.Lock() for _ in range(%(nl)d)]
fl = [asyncio.ThreadSafeFlag() for _ in range(%(nf)d)]
T = {}
def nm(e):
    if isinstance(e, CE):
        return 'Cancelled'
    if isinstance(e, BaseException):
        return type(e).__name__ + repr(e.args)
    if isinstance(e, list):
        return [nm(x) for x in e]
    return e
def tname(t):
    for k in T:
        if T[k] is t:
            return k
    return '?'
def handler(loop, ctx):
    print('unretrieved', tname(ctx['future']), nm(ctx['exception']))
def cancel(who, k):
    t = T.get(k)
    if t is None:
        print(who, 'cancel', k, 'absent')
        return
    try:
        print(who, 'cancel', k, t.cancel())
    except RuntimeError as e:
        print(who, 'cancel', k, nm(e))
def done(who, k):
    t = T.get(k)
    print(who, 'done', k, None if t is None else t.done())
async def cleanup(names, owners, awaited):
    for r in range(40):
        left = [k for k in names if k in T and not T[k].done()]
        if not left:
            break
        for e in ev:
            e.set()
        for f in fl:
            f.set()
        for _ in range(4):
            await asyncio.sleep(0)
        if r:
            for k in left:
                if k not in owners and not T[k].done():
                    T[k].cancel()
        for _ in range(4):
            await asyncio.sleep(0)
    for _ in range(4):
        await asyncio.sleep(0)
    print('left', [k for k in names if k in T and not T[k].done()])
    for k in names:
        if k in awaited:
            print('end', k, 'awaited')
        elif k in T and T[k].done():
            try:
                print('end', k, nm(await T[k]))
            except BaseException as e:
                print('end', k, nm(e))
'''


class Gen:
    def __init__(self, seed, areas=()):
        self.r = random.Random(seed)
        self.areas = set(areas) | set(ON_BY_DEFAULT)
        self.defs = []  # actor function definitions
        self.wf_actors = set()  # actors that run a wait_for in the task awaiting them
        self.next_id = 0
        self.ne = self.r.randint(1, 3)
        self.nl = self.r.randint(1, 2)
        self.nf = self.r.randint(0, 2 if "tsf-order" in self.areas else 1)

    def chance(self, p):
        return self.r.random() < p

    def new_actor(self, ancestors, owner_of, run_names, depth, cancellable):
        """Define an actor function; return its name.  ancestors: the actors whose await
        chain this one is in (never cancelled by it); owner_of: the flags it alone waits
        on; run_names: every task name of this run (cancel targets are taken from it)."""
        self.next_id += 1
        name = "a%d" % self.next_id
        run_names.append(name)
        body = []
        ctx = {
            "name": name,
            "anc": ancestors + [name],
            "owned": owner_of,
            "run": run_names,
            "depth": depth,
            "step": 0,
            "locks": -1,  # highest lock index held (nesting takes them in increasing order)
            "cancellable": cancellable,
            "children": [],  # tasks this actor created and may await
        }
        self.block(ctx, body, 1, self.r.randint(2, 7))
        if self.waits_for("\n".join(body)):
            self.wf_actors.add(name)
        ret = self.r.choice(["%d" % self.next_id, "'%s'" % name, "None"])
        lines = ["async def %s():" % name]
        lines += body
        if self.chance(0.12):
            lines.append("    raise ValueError('%s')" % name)
        else:
            lines.append("    return %s" % ret)
        self.defs.append("\n".join(lines))
        return name

    def waits_for(self, text):
        # Does this code run a wait_for in its own task: itself, or in a coroutine it awaits
        # (which runs in the same task)?  A task cancelled there that swallows the
        # CancelledError and goes on gets stock's stray cancel later (area waitfor-stray).
        return "wait_for" in text or any(a in self.wf_actors for a in re.findall(r"await (a\d+)\(\)", text))

    def log(self, ctx, ind, what=""):
        ctx["step"] += 1
        return "%sprint('%s', %d%s)" % ("    " * ind, ctx["name"], ctx["step"], what)

    def targets(self, ctx):
        # Cancel targets: tasks of this run outside this actor's await chain; flag owners
        # only with the tsf-handoff area (on by default).
        return [k for k in ctx["run"] if k not in ctx["anc"]
                and (k not in self.owners or "tsf-handoff" in self.areas)]

    def block(self, ctx, out, ind, n):
        for _ in range(n):
            self.stmt(ctx, out, ind)

    def stmt(self, ctx, out, ind):
        r = self.r
        pad = "    " * ind
        kinds = ["sleep", "sleep", "log", "set", "clear", "wait_ev", "lock", "cancel",
                 "done", "raise_caught", "try_cancel", "finally"]
        if ctx["owned"]:
            kinds += ["wait_fl"] * 3
        if not self.nf:
            kinds = [k for k in kinds if k != "wait_fl"]
        if self.nf:
            kinds.append("set_fl")
        if ctx["depth"] < 3 and self.next_id < 14:
            kinds += ["spawn", "spawn", "await_coro", "gather", "wait_for"]
        if ctx["children"]:
            kinds += ["await_child", "await_child"]
        k = r.choice(kinds)
        if k == "sleep":
            out.append(pad + r.choice(["await asyncio.sleep(0)", "await asyncio.sleep_ms(0)"]))
        elif k == "log":
            out.append(self.log(ctx, ind))
        elif k == "set":
            out.append(pad + "ev[%d].set()" % r.randrange(self.ne))
        elif k == "clear":
            out.append(pad + "ev[%d].clear()" % r.randrange(self.ne))
        elif k == "wait_ev":
            i = r.randrange(self.ne)
            out.append(self.log(ctx, ind, ", 'wait ev%d', ev[%d].is_set()" % (i, i)))
            out.append(pad + "print('%s', 'got ev%d', await ev[%d].wait())" % (ctx["name"], i, i))
        elif k == "set_fl":
            out.append(pad + "fl[%d].set()" % r.randrange(self.nf))
        elif k == "wait_fl":
            i = r.choice(ctx["owned"])
            if "tsf-handoff" not in self.areas:
                ctx["owned"] = [j for j in ctx["owned"] if j != i]  # one wait per flag
            out.append(self.log(ctx, ind, ", 'wait fl%d'" % i))
            out.append(pad + "print('%s', 'got fl%d', await fl[%d].wait())" % (ctx["name"], i, i))
        elif k == "lock":
            if ctx["locks"] + 1 >= self.nl or ind > 4:
                out.append(self.log(ctx, ind))
                return
            i = r.randrange(ctx["locks"] + 1, self.nl)
            saved = ctx["locks"]
            ctx["locks"] = i
            if self.chance(0.5):
                out.append(pad + "async with lk[%d]:" % i)
                out.append(self.log(ctx, ind + 1, ", 'in lk%d', lk[%d].locked()" % (i, i)))
                self.block(ctx, out, ind + 1, r.randint(0, 3))
            else:
                out.append(pad + "await lk[%d].acquire()" % i)
                out.append(pad + "try:")
                out.append(self.log(ctx, ind + 1, ", 'has lk%d'" % i))
                self.block(ctx, out, ind + 1, r.randint(0, 3))
                out.append(pad + "finally:")
                out.append(pad + "    lk[%d].release()" % i)
            ctx["locks"] = saved
        elif k == "cancel":
            t = self.targets(ctx)
            if t:
                out.append(pad + "cancel('%s', '%s')" % (ctx["name"], r.choice(t)))
            else:
                out.append(self.log(ctx, ind))
        elif k == "done":
            if ctx["run"]:
                out.append(pad + "done('%s', '%s')" % (ctx["name"], r.choice(ctx["run"])))
        elif k == "raise_caught":
            out.append(pad + "try:")
            self.block(ctx, out, ind + 1, r.randint(0, 2))
            out.append(pad + "    raise %s(%d)" % (r.choice(["ValueError", "KeyError", "OSError"]), ctx["step"]))
            out.append(pad + "except %s as e:" % r.choice(["Exception", "(ValueError, KeyError, OSError)"]))
            out.append(pad + "    print('%s', 'caught', nm(e))" % ctx["name"])
        elif k == "try_cancel":
            # Catch a cancellation at whatever wait the inner block is at; swallow it or not.
            inner = []
            self.block(ctx, inner, ind + 1, r.randint(1, 3))
            swallow = self.chance(0.5)
            if self.waits_for("".join(inner)) and "waitfor-stray" not in self.areas:
                swallow = False
            out.append(pad + "try:")
            out += inner
            out.append(pad + "except CE as e:")
            out.append(pad + "    print('%s', 'cancelled', nm(e))" % ctx["name"])
            if not swallow:
                out.append(pad + "    raise")
        elif k == "finally":
            out.append(pad + "try:")
            self.block(ctx, out, ind + 1, r.randint(1, 3))
            out.append(pad + "finally:")
            out.append(pad + "    print('%s', 'finally', %d)" % (ctx["name"], ctx["step"]))
        elif k == "spawn":
            child = self.new_actor(ctx["anc"], [], ctx["run"], ctx["depth"] + 1, True)
            out.append(pad + "T['%s'] = asyncio.create_task(%s())" % (child, child))
            if self.chance(0.6):
                ctx["children"].append(child)
        elif k == "await_child":
            child = ctx["children"].pop(r.randrange(len(ctx["children"])))
            self.awaited.add(child)
            self.awaiting(ctx, out, ind, "await T['%s']" % child)
        elif k == "await_coro":
            child = self.new_actor(ctx["anc"], [], ctx["run"], ctx["depth"] + 1, True)
            ctx["run"].remove(child)  # runs in this task: not a task of its own
            self.awaiting(ctx, out, ind, "await %s()" % child)
        elif k == "gather":
            args = []
            for _ in range(r.randint(0, 3)):
                if ctx["children"] and self.chance(0.3):
                    child = ctx["children"].pop()
                    self.awaited.add(child)
                    args.append("T['%s']" % child)
                else:
                    child = self.new_actor(ctx["anc"], [], ctx["run"], ctx["depth"] + 1, True)
                    ctx["run"].remove(child)  # a task gather makes: no name
                    args.append("%s()" % child)
            rx = self.chance(0.5)
            self.awaiting(ctx, out, ind, "await asyncio.gather(%s%s)" % (
                "".join(a + ", " for a in args), "return_exceptions=True" if rx else ""))
        elif k == "wait_for":
            child = self.new_actor(ctx["anc"], [], ctx["run"], ctx["depth"] + 1, True)
            ctx["run"].remove(child)
            if self.chance(0.5):
                call = "asyncio.wait_for(%s(), %s)" % (child, r.choice(["0", "1000", "0.0", "1000.0"]))
            else:
                call = "asyncio.wait_for_ms(%s(), %s)" % (child, r.choice(["0", "1000000"]))
            self.awaiting(ctx, out, ind, "await " + call)

    def awaiting(self, ctx, out, ind, expr):
        # An await whose outcome is printed: its result, or the exception it raised.
        pad = "    " * ind
        out.append(pad + "try:")
        out.append(pad + "    print('%s', %d, nm(%s))" % (ctx["name"], ctx["step"], expr))
        out.append(pad + "except %s as e:" % ("Exception" if self.chance(0.7) else "BaseException"))
        out.append(pad + "    print('%s', 'raised', nm(e))" % ctx["name"])
        if "BaseException" in out[-2] and "waitfor-stray" not in self.areas and self.waits_for(expr):
            out.append(pad + "    raise")
        ctx["step"] += 1

    def driver(self, run_no, stop):
        """A run's main task: starts top-level actors, takes random steps, cleans up."""
        r = self.r
        names = []
        self.owners = set()
        self.awaited = set()
        owners_of = {}
        flags = list(range(self.nf))
        r.shuffle(flags)
        tops = []
        for i in range(r.randint(1, 4)):
            owned = [flags.pop()] if flags and self.chance(0.7) else []
            if flags and owned and self.chance(0.3):
                owned.append(flags.pop())
            tops.append(owned)
        # Fresh flags for each run: what a run left in a flag (see tsf-handoff) stays there.
        lines = ["async def main%d():" % run_no,
                 "    fl[:] = [asyncio.ThreadSafeFlag() for _ in fl]"]
        ctx = {"name": "m%d" % run_no, "anc": [], "owned": [], "run": names, "depth": 9,
               "step": 0, "locks": 99, "cancellable": False, "children": []}
        steps = []
        for owned in tops:
            # An owner's name is its id-to-be; mark it before generating its body, so that
            # no actor defined inside it takes it as a cancel target.
            if owned:
                self.owners.add("a%d" % (self.next_id + 1))
            name = self.new_actor([], owned, names, 0, not owned)
            steps.append("    T['%s'] = asyncio.create_task(%s())" % (name, name))
            for _ in range(r.randint(0, 3)):
                kind = r.choice(["sleep", "sleep", "set", "clear", "set_fl", "cancel", "done"])
                if kind == "sleep":
                    steps.append("    await asyncio.sleep(0)")
                elif kind == "set":
                    steps.append("    ev[%d].set()" % r.randrange(self.ne))
                elif kind == "clear":
                    steps.append("    ev[%d].clear()" % r.randrange(self.ne))
                elif kind == "set_fl" and self.nf:
                    steps.append("    fl[%d].set()" % r.randrange(self.nf))
                elif kind == "cancel":
                    t = self.targets(ctx)
                    if t:
                        steps.append("    cancel('m%d', '%s')" % (run_no, r.choice(t)))
                elif kind == "done" and names:
                    steps.append("    done('m%d', '%s')" % (run_no, r.choice(names)))
        lines += steps
        for _ in range(r.randint(0, 6)):
            lines.append("    await asyncio.sleep(0)")
            if self.chance(0.3):
                t = self.targets(ctx)
                if t:
                    lines.append("    cancel('m%d', '%s')" % (run_no, r.choice(t)))
        if "deadlock" in self.areas and self.chance(0.3):
            lines.append("    await ev[%d].wait()" % r.randrange(self.ne))
        lines.append("    await cleanup(%r, %r, %r)" % (names, sorted(self.owners), sorted(self.awaited)))
        if stop:
            lines.append("    asyncio.get_event_loop().stop()")
        if self.chance(0.15):
            lines.append("    raise KeyError('main%d')" % run_no)
        lines.append("    return 'main%d'" % run_no)
        return "\n".join(lines)

    def program(self):
        r = self.r
        runs = []
        mains = []
        for run_no in range(1, r.randint(1, 3) + 1):
            how = r.choice(["run", "run", "ruc", "forever"])
            mains.append(self.driver(run_no, how == "forever"))
            if how == "run":
                call = "print('run', nm(asyncio.run(main%d())))" % run_no
            elif how == "ruc":
                call = "print('ruc', nm(asyncio.get_event_loop().run_until_complete(main%d())))" % run_no
            else:
                call = ("asyncio.create_task(main%d())\n"
                        "    asyncio.get_event_loop().run_forever()\n"
                        "    print('forever')") % run_no
            runs.append("try:\n    %s\nexcept Exception as e:\n    print('run raised', nm(e))" % call)
            if "loop-change" in self.areas and self.chance(0.5):
                runs.append("asyncio.new_event_loop()")
        head = PRELUDE % {"ne": self.ne, "nl": self.nl, "nf": max(self.nf, 1)}
        return "\n".join([head] + self.defs + mains + [
            "asyncio.get_event_loop().set_exception_handler(handler)"] + runs + ["print('end')", ""])


def generate(seed, areas=()):
    return Gen(seed, areas).program()


if __name__ == "__main__":
    args = sys.argv[1:]
    areas = [a for i, a in enumerate(args) if i and args[i - 1] == "--area"]
    for a in areas:
        if a not in AREAS:
            sys.exit("unknown area %s (one of %s)" % (a, ", ".join(AREAS)))
    sys.stdout.write(generate(int(args[0]), areas))
