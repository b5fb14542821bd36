// The eventio port HAL on mps2-an385: time and the idle wait, on top of timebase.c.

#include "board.h"
#include "hw.h"
#include "eio_port_qemu.h"

uint64_t eio_port_ticks_ms(void) {
    return timebase_ticks() / HW_TICKS_PER_MS;
}

uint64_t eio_port_ticks_us(void) {
    return timebase_ticks() / HW_TICKS_PER_US;
}

void eio_port_wait(int64_t timeout_ms) {
    if (timeout_ms < 0) {
        board_idle_wait(BOARD_NO_TIMEOUT);
    } else if (timeout_ms > 0) {
        // Clamp before scaling to avoid overflow; board_idle_wait clamps to 171 s anyway.
        uint64_t ms = timeout_ms > 200000 ? 200000 : (uint64_t)timeout_ms;
        board_idle_wait(ms * HW_TICKS_PER_MS);
    }
}

void eio_port_wake(void) {
    // Nothing to do: see eio_port_qemu.h.
}
