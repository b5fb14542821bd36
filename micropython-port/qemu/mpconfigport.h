// MicroPython configuration of the eventio mps2-an385 (Cortex-M3, QEMU) board.

#include <stdint.h>

#define MICROPY_CONFIG_ROM_LEVEL            (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)

#define MICROPY_HW_BOARD_NAME               "eventio-mps2-an385"
#define MICROPY_HW_MCU_NAME                 "Cortex-M3"

// Code generation: Thumb-2 native emitters, as on the stock qemu port.
#define MICROPY_EMIT_THUMB                  (1)
#define MICROPY_EMIT_INLINE_THUMB           (1)
#define MICROPY_MAKE_POINTER_CALLABLE(p)    ((void *)((mp_uint_t)(p) | 1))

#define MICROPY_MALLOC_USES_ALLOCATED_SIZE  (1)
#define MICROPY_MEM_STATS                   (1)
#define MICROPY_ENABLE_GC                   (1)
#define MICROPY_ENABLE_EMERGENCY_EXCEPTION_BUF (1)
#define MICROPY_PERSISTENT_CODE_LOAD        (1)
#define MICROPY_READER_VFS                  (1)
#define MICROPY_VFS                         (1)
#define MICROPY_LONGINT_IMPL                (MICROPY_LONGINT_IMPL_MPZ)
#define MICROPY_FLOAT_IMPL                  (MICROPY_FLOAT_IMPL_FLOAT)
#define MICROPY_WARNINGS                    (1)

// run-tests.py keys its expectations on sys.platform; this board behaves like the qemu port.
#define MICROPY_PY_SYS_PLATFORM             "qemu"
#define MICROPY_PY_SYS_STDIO_BUFFER         (0)

// time and select: what asyncio needs. time is backed by the tickless time base.
#define MICROPY_PY_TIME                     (1)
#define MICROPY_PY_TIME_TIME_TIME_NS        (1)
#define MICROPY_PY_TIME_INCLUDEFILE         "port_modtime.c"
#define MICROPY_PY_SELECT                   (1)
#ifndef MICROPY_PY_ASYNCIO
#define MICROPY_PY_ASYNCIO                  (1)
#endif

#define MICROPY_PY_MACHINE                  (1)
#define MICROPY_PY_MACHINE_INCLUDEFILE      "port_modmachine.c"
#define MICROPY_PY_MACHINE_RESET            (1)

// Waiting for "any event" (select.poll, machine.idle) sleeps in WFI; see timebase.c.
void board_wfe(int timeout_ms);
#define MICROPY_INTERNAL_WFE(TIMEOUT_MS)    board_wfe(TIMEOUT_MS)

// ISRs touch MicroPython state (the scheduler queue, via Ctrl-C), so atomic sections must mask
// interrupts.
static inline uint32_t board_atomic_begin(void) {
    uint32_t primask;
    __asm volatile ("mrs %0, primask\n cpsid i" : "=r" (primask) : : "memory");
    return primask;
}
static inline void board_atomic_end(uint32_t primask) {
    __asm volatile ("msr primask, %0" : : "r" (primask) : "memory");
}
#define MICROPY_BEGIN_ATOMIC_SECTION()      board_atomic_begin()
#define MICROPY_END_ATOMIC_SECTION(state)   board_atomic_end(state)

// Type definitions for the machine.  MicroPython 1.28 derives mp_int_t from intptr_t unless
// the port sets MP_INT_TYPE to MP_INT_TYPE_OTHER (2) and gives the types and their limits;
// earlier versions take the port's typedefs and ignore MP_INT_TYPE.
#define MP_INT_TYPE (2)
#define MP_INT_MAX INT32_MAX
#define MP_INT_MIN INT32_MIN
#define MP_UINT_MAX UINT32_MAX
#define MP_SSIZE_MAX (0x7fffffff)
#define UINT_FMT "%lu"
#define INT_FMT "%ld"
#define HEX_FMT "%lx"
typedef int32_t mp_int_t;   // must be pointer size
typedef uint32_t mp_uint_t; // must be pointer size
typedef long mp_off_t;

#include <alloca.h>

// libm needs a log2 that is not a macro.
#define MP_NEED_LOG2 (1)

#define MP_STATE_PORT MP_STATE_VM
