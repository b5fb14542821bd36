# eventio: the event loop behind asyncio, and its own kernel API.
#
# stats() reports what the Rust core counted: task switches, tasks created and finished,
# idle waits and wake-ups, posted events, and milliseconds awake and asleep.
#
# signal_flag(signum) returns an asyncio.ThreadSafeFlag that the POSIX signal sets.
from _eventio import signal_flag, stats

__version__ = "0.1.0"
