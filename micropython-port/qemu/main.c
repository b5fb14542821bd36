// MicroPython entry for the eventio mps2-an385 board: heap, REPL loop, soft reset, GC roots.

#include <stdint.h>
#include <stdlib.h>

#include "py/compile.h"
#include "py/gc.h"
#include "py/mperrno.h"
#include "py/runtime.h"
#if BOARD_EVENTIO
#include "glue.h"
#endif
#include "py/stackctrl.h"
#include "shared/runtime/gchelper.h"
#include "shared/runtime/pyexec.h"
#include "board.h"

#if MICROPY_HEAP_SIZE <= 0
#error MICROPY_HEAP_SIZE must be a positive integer.
#endif

// Bounds of the stack reserved by the linker script.
extern uint32_t _sstack, _estack;

static uint32_t gc_heap[MICROPY_HEAP_SIZE / sizeof(uint32_t)];

int main(void) {
    mp_stack_ctrl_init();
    // Leave headroom for the ISRs, which share the one (main) stack.
    mp_stack_set_limit((char *)&_estack - (char *)&_sstack - 1024);
    gc_init(gc_heap, (char *)gc_heap + sizeof(gc_heap));

    for (;;) {
        mp_init();
        #if !BOARD_EVENTIO
        MP_STATE_PORT(board_timer0_callback) = MP_OBJ_NULL;
        #endif
        #if BOARD_EVENTIO
        // mp_init() leaves root pointers as they were, and gc_sweep_all() freed the previous
        // session's loop and hooks: start the new session without them (the glue makes the
        // loop on first use, and importing asyncio sets the hooks).
        eventio_soft_reset();
        #endif

        for (;;) {
            if (pyexec_mode_kind == PYEXEC_MODE_RAW_REPL) {
                if (pyexec_raw_repl() != 0) {
                    break;
                }
            } else {
                if (pyexec_friendly_repl() != 0) {
                    break;
                }
            }
        }

        mp_printf(&mp_plat_print, "MPY: soft reboot\n");
        // Sources armed by the previous session must not post into the next one.
        board_sources_deinit();
        gc_sweep_all();
        mp_deinit();
    }
}

void gc_collect(void) {
    gc_collect_start();
    gc_helper_collect_regs_and_stack();
    gc_collect_end();
}

void nlr_jump_fail(void *val) {
    board_panic("uncaught NLR", (uint32_t)val);
}

#ifndef NDEBUG
void __assert_func(const char *file, int line, const char *func, const char *expr) {
    (void)func;
    mp_printf(&mp_plat_print, "Assertion '%s' failed, at file %s:%d\n", expr, file, line);
    exit(1);
}
#endif
