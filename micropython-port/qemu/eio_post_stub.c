// Stand-in for the eventio core's eio_post(), so the board links without the core.
//
// It is weak, but that alone would not be enough: a linker pulls a member out of a static
// archive only to resolve an undefined symbol, so with this stub present the core's strong
// eio_post in libeventio.a could be silently ignored. The Makefile therefore compiles this
// file only when EVENTIO_LIB is empty.

#include "eio_port_qemu.h"

__attribute__((weak)) int eio_post(uint32_t handle) {
    (void)handle;
    return 0;
}
