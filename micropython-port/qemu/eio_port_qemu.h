// Port HAL that the eventio core calls on the mps2-an385 board.
// (Provisional home: these prototypes are meant to move into include/eventio.h.)
#ifndef EVENTIO_PORT_QEMU_H
#define EVENTIO_PORT_QEMU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Milliseconds since boot, monotonic, 64-bit (never wraps in practice). Any context.
uint64_t eio_port_ticks_ms(void);

// Microseconds since boot, monotonic, 64-bit. Any context.
uint64_t eio_port_ticks_us(void);

// The idle wait. The core calls it with interrupts masked (PRIMASK=1), after it has checked
// that no event is pending and no task is ready. It arms the one-shot deadline timer for
// now + timeout_ms (timeout_ms < 0: no deadline, only an interrupt ends the wait), executes
// WFI and returns, still masked; the core then unmasks and the ISR that ended the wait runs.
// An event posted after the core's check leaves its interrupt pending, and a pending
// interrupt ends WFI even with PRIMASK set, so nothing is lost. No periodic interrupt is used.
// timeout_ms == 0 returns at once. Waits longer than ~171 s return early; the core waits again.
void eio_port_wait(int64_t timeout_ms);

// Called by an ISR after it posted an event. Empty on this board: the core only sleeps in
// eio_port_wait(), i.e. in WFI, and an interrupt is by itself what ends WFI; there is no
// other thread or sleeping context to signal.
void eio_port_wake(void);

// Provided by the eventio core: post the event identified by handle (O(1), ISR-safe,
// coalescing). Returns nonzero if the post was accepted. The board has a weak stub returning
// 0, compiled only when no core library is linked (see Makefile, EVENTIO_LIB).
int eio_post(uint32_t handle);

#ifdef __cplusplus
}
#endif

#endif // EVENTIO_PORT_QEMU_H
