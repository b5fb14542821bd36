// The `board` module: counters that make idle behaviour measurable from Python, and the
// interrupt-driven event sources that post into the eventio core.
//
//   board.irq_count()            total interrupts taken since boot (or reset_counts())
//   board.irq_counts()           (uart0_rx, timer0, timer1_wrap, deadline)
//   board.wfi_count()            WFI instructions executed
//   board.post_count()           events posted to the core by ISRs
//   board.reset_counts()
//   board.ticks()                64-bit 25 MHz time base (1 tick = 40 ns = 40 insns with
//                                -icount shift=0)
//   board.timer_source(handle, period_us, periodic=False)   arm TIMER0; period_us=0 stops
//   board.uart_rx_source(handle)                            post on UART0 receive; None stops
//   board.hal_wait(timeout_ms)   one masked deadline-or-interrupt WFI wait (-1: no deadline)
//   board.timer0_stamp()         board.ticks() when TIMER0's interrupt was last taken
// With eventio (not in the stock firmware), taking an asyncio.ThreadSafeFlag:
//   board.timer_flag(flag, period_us, periodic=False)  TIMER0's interrupt sets flag; 0 stops
//   board.uart_flag(flag)        UART0 receive interrupt sets flag; None stops

#include "py/runtime.h"
#include "board.h"
#include "hw.h"
#include "eio_port_qemu.h"

static mp_obj_t board_irq_count_fn(void) {
    uint32_t total = 0;
    for (int i = 0; i < BOARD_SRC_COUNT; i++) {
        total += board_irq_count[i];
    }
    return mp_obj_new_int_from_uint(total);
}
static MP_DEFINE_CONST_FUN_OBJ_0(board_irq_count_obj, board_irq_count_fn);

static mp_obj_t board_irq_counts_fn(void) {
    mp_obj_t items[BOARD_SRC_COUNT];
    for (int i = 0; i < BOARD_SRC_COUNT; i++) {
        items[i] = mp_obj_new_int_from_uint(board_irq_count[i]);
    }
    return mp_obj_new_tuple(BOARD_SRC_COUNT, items);
}
static MP_DEFINE_CONST_FUN_OBJ_0(board_irq_counts_obj, board_irq_counts_fn);

static mp_obj_t board_wfi_count_fn(void) {
    return mp_obj_new_int_from_uint(board_wfi_count);
}
static MP_DEFINE_CONST_FUN_OBJ_0(board_wfi_count_obj, board_wfi_count_fn);

static mp_obj_t board_post_count_fn(void) {
    return mp_obj_new_int_from_uint(board_post_count);
}
static MP_DEFINE_CONST_FUN_OBJ_0(board_post_count_obj, board_post_count_fn);

static mp_obj_t board_reset_counts_fn(void) {
    // Masked so an ISR cannot increment a counter between its read and the clearing store.
    uint32_t primask = hw_irq_save();
    for (int i = 0; i < BOARD_SRC_COUNT; i++) {
        board_irq_count[i] = 0;
    }
    board_wfi_count = 0;
    board_post_count = 0;
    hw_irq_restore(primask);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_0(board_reset_counts_obj, board_reset_counts_fn);

static mp_obj_t board_ticks_fn(void) {
    return mp_obj_new_int_from_ull(timebase_ticks());
}
static MP_DEFINE_CONST_FUN_OBJ_0(board_ticks_obj, board_ticks_fn);

static mp_obj_t board_timer_source_fn(size_t n_args, const mp_obj_t *args) {
    uint32_t handle = mp_obj_get_int_truncated(args[0]);
    mp_int_t period_us = mp_obj_get_int(args[1]);
    bool periodic = n_args > 2 && mp_obj_is_true(args[2]);
    if (period_us < 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("period_us must be >= 0"));
    }
    board_timer0_source(handle, (uint32_t)period_us, periodic);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(board_timer_source_obj, 2, 3, board_timer_source_fn);

static mp_obj_t board_uart_rx_source_fn(mp_obj_t handle_in) {
    int32_t handle = -1;
    if (handle_in != mp_const_none) {
        mp_int_t h = mp_obj_get_int(handle_in);
        if (h < 0 || h > INT32_MAX) {
            mp_raise_ValueError(MP_ERROR_TEXT("handle out of range"));
        }
        handle = (int32_t)h;
    }
    board_uart_rx_source(handle);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(board_uart_rx_source_obj, board_uart_rx_source_fn);

static mp_obj_t board_hal_wait_fn(mp_obj_t timeout_in) {
    mp_int_t timeout_ms = mp_obj_get_int(timeout_in);
    uint32_t primask = hw_irq_save();
    board_hal_wait(timeout_ms);
    hw_irq_restore(primask);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(board_hal_wait_obj, board_hal_wait_fn);

static mp_obj_t board_timer0_stamp_fn(void) {
    uint32_t primask = hw_irq_save();
    uint64_t t = board_timer0_stamp;
    hw_irq_restore(primask);
    return mp_obj_new_int_from_ull(t);
}
static MP_DEFINE_CONST_FUN_OBJ_0(board_timer0_stamp_obj, board_timer0_stamp_fn);

#if !BOARD_EVENTIO
// Stock firmware: board.timer_callback(cb, period_us, periodic=False) schedules cb(None) from
// TIMER0's interrupt (period_us=0 stops it).
MP_REGISTER_ROOT_POINTER(mp_obj_t board_timer0_callback);

static mp_obj_t board_timer_callback_fn(size_t n_args, const mp_obj_t *args) {
    MP_STATE_PORT(board_timer0_callback) = args[0] == mp_const_none ? MP_OBJ_NULL : args[0];
    mp_obj_t a[3] = { MP_OBJ_NEW_SMALL_INT(0), args[1], n_args > 2 ? args[2] : mp_const_false };
    return board_timer_source_fn(3, a);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(board_timer_callback_obj, 2, 3, board_timer_callback_fn);
#endif

#if BOARD_EVENTIO
// port_qemu.c: the mailbox handle of an asyncio.ThreadSafeFlag (TypeError for anything else).
uint32_t board_flag_handle(mp_obj_t flag);

static mp_obj_t board_timer_flag_fn(size_t n_args, const mp_obj_t *args) {
    mp_obj_t handle = MP_OBJ_NEW_SMALL_INT(board_flag_handle(args[0]));
    mp_obj_t a[3] = { handle, args[1], n_args > 2 ? args[2] : mp_const_false };
    return board_timer_source_fn(3, a);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(board_timer_flag_obj, 2, 3, board_timer_flag_fn);

static mp_obj_t board_uart_flag_fn(mp_obj_t flag) {
    if (flag == mp_const_none) {
        board_uart_rx_source(-1);
    } else {
        board_uart_rx_source((int32_t)board_flag_handle(flag));
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(board_uart_flag_obj, board_uart_flag_fn);
#endif

static const mp_rom_map_elem_t board_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_timer0_stamp), MP_ROM_PTR(&board_timer0_stamp_obj) },
    #if !BOARD_EVENTIO
    { MP_ROM_QSTR(MP_QSTR_timer_callback), MP_ROM_PTR(&board_timer_callback_obj) },
    #endif
    #if BOARD_EVENTIO
    { MP_ROM_QSTR(MP_QSTR_timer_flag), MP_ROM_PTR(&board_timer_flag_obj) },
    { MP_ROM_QSTR(MP_QSTR_uart_flag), MP_ROM_PTR(&board_uart_flag_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_board) },
    { MP_ROM_QSTR(MP_QSTR_irq_count), MP_ROM_PTR(&board_irq_count_obj) },
    { MP_ROM_QSTR(MP_QSTR_irq_counts), MP_ROM_PTR(&board_irq_counts_obj) },
    { MP_ROM_QSTR(MP_QSTR_wfi_count), MP_ROM_PTR(&board_wfi_count_obj) },
    { MP_ROM_QSTR(MP_QSTR_post_count), MP_ROM_PTR(&board_post_count_obj) },
    { MP_ROM_QSTR(MP_QSTR_reset_counts), MP_ROM_PTR(&board_reset_counts_obj) },
    { MP_ROM_QSTR(MP_QSTR_ticks), MP_ROM_PTR(&board_ticks_obj) },
    { MP_ROM_QSTR(MP_QSTR_timer_source), MP_ROM_PTR(&board_timer_source_obj) },
    { MP_ROM_QSTR(MP_QSTR_uart_rx_source), MP_ROM_PTR(&board_uart_rx_source_obj) },
    { MP_ROM_QSTR(MP_QSTR_hal_wait), MP_ROM_PTR(&board_hal_wait_obj) },
    { MP_ROM_QSTR(MP_QSTR_TICKS_PER_US), MP_ROM_INT(HW_TICKS_PER_US) },
};
static MP_DEFINE_CONST_DICT(board_module_globals, board_module_globals_table);

const mp_obj_module_t board_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&board_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_board, board_module);
