// Included by MicroPython's extmod/modtime.c (MICROPY_PY_TIME_INCLUDEFILE); not compiled alone.

#include "py/obj.h"
#include "board.h"
#include "hw.h"

// time.time(): whole seconds since boot, as the board has no real-time clock.
static mp_obj_t mp_time_time_get(void) {
    return mp_obj_new_int_from_ull(timebase_ticks() / HW_PCLK_HZ);
}
