# eventio: the event loop behind asyncio, and its own kernel API.
#
# stats() reports what the Rust core counted: task switches, tasks created and finished,
# idle waits and wake-ups, posted events, and milliseconds awake and asleep.
from _eventio import stats

__version__ = "0.1.0"
