// The board's time and wait primitives as the eventio port uses them, and the two ABI
// functions the ISRs call.  The eventio port itself (eio_port_wait, eio_port_poll, ...) is
// port_qemu.c, per include/eventio.h; this header only repeats what the board's ISRs need so
// that the stock build (no eventio core) compiles too.
#ifndef EVENTIO_PORT_QEMU_H
#define EVENTIO_PORT_QEMU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Milliseconds / microseconds since boot, monotonic, 64-bit. Any context.
uint64_t board_ticks_ms(void);
uint64_t board_ticks_us(void);

// One masked idle wait: arm the one-shot deadline for timeout_ms (< 0: none), WFI. Called
// with PRIMASK set; returns with it still set. timeout_ms == 0 returns at once.
void board_hal_wait(int64_t timeout_ms);

// From include/eventio.h: post an event (O(1), ISR-safe, coalescing). Without the core, a
// weak stub accepts and drops it (eio_post_stub.c).
int eio_post(uint32_t handle);

#ifdef __cplusplus
}
#endif

#endif // EVENTIO_PORT_QEMU_H
