# eventio: the event loop behind asyncio, and its own kernel API.
#
# stats() reports what the Rust core counted: task switches, tasks created and finished,
# idle waits and wake-ups, posted events, and milliseconds awake and asleep.
#
# signal_flag(signum) returns an asyncio.ThreadSafeFlag that the POSIX signal sets.
# test_source(flag, count, period_us) starts a native thread that sets `flag` `count` times,
# `period_us` apart: an interrupt source for tests and benchmarks, with no Python posting.
from _eventio import signal_flag, stats, test_source

__version__ = "0.1.0"
