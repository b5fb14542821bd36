// Shared by the glue's C files: the loop's root, and the exception types.
#ifndef EVENTIO_GLUE_H
#define EVENTIO_GLUE_H

#include "py/obj.h"
#include "eventio.h"

// The loop state lives on the GC heap, reachable from this root pointer.
eio_loop_t *eventio_loop(void);

// Raise the Python exception matching a negative eio_status_t.
NORETURN void eventio_raise_status(int status);

// The port's side (port_unix.c, or the board's): set-up before the first loop runs, and
// signals as interrupt sources.
void eventio_port_init(void);
void eventio_port_signal_source(int signum, uint32_t handle);
// Start a native thread that posts `handle` `count` times, `period_us` apart.
void eventio_port_test_source(uint32_t handle, uint32_t count, uint32_t period_us);
// Raise OSError unless `stream` can be waited on (it has a stream ioctl).
void eventio_port_check_stream(mp_obj_t stream);

#endif
