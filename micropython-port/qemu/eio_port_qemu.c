// Time and the bare masked wait on top of timebase.c, shared by both firmwares (the eventio
// port in port_qemu.c has its own wait with the checks the ABI asks for).

#include "board.h"
#include "hw.h"
#include "eio_port_qemu.h"

uint64_t board_ticks_ms(void) {
    return timebase_ticks() / HW_TICKS_PER_MS;
}

uint64_t board_ticks_us(void) {
    return timebase_ticks() / HW_TICKS_PER_US;
}

void board_hal_wait(int64_t timeout_ms) {
    if (timeout_ms < 0) {
        board_idle_wait(BOARD_NO_TIMEOUT);
    } else if (timeout_ms > 0) {
        // Clamp before scaling to avoid overflow; board_idle_wait clamps to 171 s anyway.
        uint64_t ms = timeout_ms > 200000 ? 200000 : (uint64_t)timeout_ms;
        board_idle_wait(ms * HW_TICKS_PER_MS);
    }
}
