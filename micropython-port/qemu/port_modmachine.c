// Included by MicroPython's extmod/modmachine.c (MICROPY_PY_MACHINE_INCLUDEFILE); not compiled
// alone.

#include <stdlib.h>
#include "board.h"

static void mp_machine_idle(void) {
    // Sleep until the next interrupt; returns at once if one is already due.
    board_wfe(-1);
}

static void mp_machine_reset(void) {
    // Nothing to reset to under QEMU: end the emulator through semihosting.
    exit(0);
}

static mp_int_t mp_machine_reset_cause(void) {
    return 0;
}
