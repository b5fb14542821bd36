// What the rp2 port (RP2040, RP2350) adds to the portable HAL port (../hal/port_hal.c):
//
// - The wake is __sev(): it sets the event register of both cores, so the loop's WFE (the
//   port's MICROPY_INTERNAL_WFE) ends at once even when the post comes from Python on core 1
//   (_thread), and a WFE not yet entered returns immediately (no lost wake-up).  A post from
//   an interrupt handler needs it only for the same reason: the handler's exception return
//   already sets core 0's event register.
// - A native GPIO interrupt source, eventio.pin_flag(pin, trigger): the GPIO interrupt posts
//   the flag's mailbox handle itself, with no Python, no scheduler and no allocation, so an
//   edge reaches the waiting task in the time of one interrupt and one task switch.
// - eventio.test_source(flag, count, period_us): a repeating hardware alarm (the pico-sdk's
//   default alarm pool) posting from its interrupt, for tests and benchmarks.
//
// The critical section is the HAL port's, MICROPY_BEGIN_ATOMIC_SECTION: on rp2 with threads
// that is mp_thread_begin_atomic_section(), interrupts off plus the atomic mutex on a hardware
// spinlock while core 1 runs, so it excludes interrupts on this core and the other core.

#include "py/mphal.h"
#include "py/runtime.h"
#include "glue.h"

#include "hardware/gpio.h"
#include "hardware/structs/io_bank0.h"
#include "hardware/structs/scb.h"
#include "hardware/irq.h"
#include "hardware/sync.h"
#include "hardware/timer.h"
#include "pico/time.h"

void eventio_port_wake_cpu(void) {
    __sev();
}

// ---- The timed wait: a hardware alarm of our own ------------------------------------------
//
// The port's mp_event_wait_ms() sleeps through the pico-sdk's best_effort_wfe_or_timeout(),
// which adds an alarm-pool entry per wait (taking the pool's interrupt at once to insert it, so
// that first WFE returns immediately) and cancels it after the wake-up (~270 cycles between a
// GPIO edge and its task).  Here the loop's deadline is one hardware alarm's target: set it,
// WFE; the alarm's interrupt ends the WFE (its exception return sets the event register, and
// so does any other interrupt).  An alarm left set by a wait that ended early fires later
// and only ends a WFE, which port_hal.c's wait loop takes up again.  Alarm 0: the port uses 1
// (lightsleep, claimed while sleeping), 2 (its soft timer) and 3 (the pico-sdk's alarm pool);
// if something else claimed it, the port's own wait is used.

#define WAKE_ALARM 0

static int8_t wake_alarm_state; // 0: not yet looked at; 1: ours; -1: taken by something else

static void wake_alarm_fired(uint alarm_num) {
    (void)alarm_num; // taking the interrupt is what ends the WFE
}

void eventio_port_wait_ms(uint32_t ms) {
    if (wake_alarm_state == 0) {
        if (hardware_alarm_is_claimed(WAKE_ALARM)) {
            wake_alarm_state = -1;
        } else {
            hardware_alarm_claim(WAKE_ALARM);
            hardware_alarm_set_callback(WAKE_ALARM, wake_alarm_fired);
            wake_alarm_state = 1;
        }
    }
    if (wake_alarm_state < 0) {
        mp_event_wait_ms(ms);
        return;
    }
    mp_event_handle_nowait();
    // false: set, and not yet reached (an alarm firing between here and the WFE leaves the
    // event register set, so the WFE returns at once).
    if (!hardware_alarm_set_target(WAKE_ALARM, make_timeout_time_ms(ms))) {
        __wfe();
    }
}

// ---- eventio.pin_flag(pin, trigger) -----------------------------------------------------
//
// Our handler acknowledges and posts the edges of the pins it owns.  Edges only: a level stays
// pending while it lasts and cannot be acknowledged, so it would repeat the interrupt.
//
// It owns IO_IRQ_BANK0's vector from the first pin_flag until the soft reset (with none of
// our pins left, it only passes the interrupt on): machine.Pin's handler (a shared handler
// there, in the pico-sdk's chain) reads the raw status of every GPIO at each interrupt and
// acknowledges each pin whose levels show, ~370 cycles before the interrupt returns and the
// waiting task can run.  Ours passes the interrupt on to that chain only when a pin of
// machine.Pin's is pending.  The vector is given back before machine.Pin's soft reset
// (machine_pin_deinit, wrapped at link time by port.cmake here), because the pico-sdk's
// irq_remove_handler/irq_add_shared_handler expect their chain in it.  Without a RAM vector
// table ours is a shared handler ahead of machine.Pin's instead.

#define PIN_EDGES (GPIO_IRQ_EDGE_RISE | GPIO_IRQ_EDGE_FALL)
#define PIN_REGS count_of(io_bank0_hw->intr) // 8 GPIOs per status register, 4 bits each

// In the layout of the status registers: the events each of our pins posts on (its trigger's
// bits at pin_shift(gpio) of register gpio / 8).  Changed in the atomic section.
static uint32_t owned_events[PIN_REGS];
static uint32_t pin_handle[NUM_BANK0_GPIOS];

static inline uint pin_shift(uint gpio) {
    return gpio % 8 * 4;
}

// In the atomic section (interrupts off on this core, and core 1 excluded), or in the
// interrupt handler.
static void pin_release(uint gpio) {
    gpio_set_irq_enabled(gpio, PIN_EDGES, false);
    owned_events[gpio / 8] &= ~(0xfu << pin_shift(gpio));
}

// The lowest set bit's index: one multiply and a table look-up (the M0+ has no CTZ, and the
// library's takes ~30 cycles with its call).
static inline uint lowest_bit(uint32_t x) {
    static const uint8_t debruijn[32] = {
        0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
        31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9,
    };
    return debruijn[((x & -x) * 0x077CB531u) >> 27];
}

// Acknowledge and post the edges `ours` of status register `r` (not inlined: the caller's
// loop then keeps its few values in registers).
static void __attribute__((noinline)) __not_in_flash_func(post_edges)(uint r, uint32_t ours) {
    io_bank0_hw->intr[r] = ours; // edges are write-1-to-clear
    do {
        uint gpio = r * 8 + lowest_bit(ours) / 4;
        ours &= ~(0xfu << pin_shift(gpio));
        if (eio_post(pin_handle[gpio]) == EIO_E_BAD_HANDLE) {
            pin_release(gpio); // its flag is gone
        }
    } while (ours);
}

// Acknowledge and post the pending edges of our pins; returns whether an interrupt of
// another pin (machine.Pin's) is pending too.
static bool __not_in_flash_func(pin_edges)(void) {
    io_ro_32 *ints = (get_core_num() ? &io_bank0_hw->proc1_irq_ctrl : &io_bank0_hw->proc0_irq_ctrl)->ints;
    uint32_t others = 0;
    for (uint r = 0; r < PIN_REGS; r++) {
        uint32_t pending = ints[r];
        uint32_t ours = pending & owned_events[r];
        others |= pending ^ ours;
        if (ours) {
            post_edges(r, ours);
        }
    }
    return others != 0;
}

#if !PICO_NO_RAM_VECTOR_TABLE
extern void __unhandled_user_irq(void);
static irq_handler_t port_gpio_chain; // what the vector held: the pico-sdk's chain, or nothing

static irq_handler_t *gpio_vector(void) {
    return &((irq_handler_t *)scb_hw->vtor)[VTABLE_FIRST_IRQ + IO_IRQ_BANK0];
}

static void __not_in_flash_func(eventio_gpio_vector)(void) {
    if (pin_edges() && port_gpio_chain != __unhandled_user_irq) {
        port_gpio_chain();
    }
}

// In the atomic section: the vector becomes ours (once).
static void gpio_vector_take(void) {
    if (*gpio_vector() != eventio_gpio_vector) {
        port_gpio_chain = *gpio_vector();
        *gpio_vector() = eventio_gpio_vector;
        __dsb();
    }
}

// In the atomic section: the chain's again.
static void gpio_vector_give_back(void) {
    if (*gpio_vector() == eventio_gpio_vector) {
        *gpio_vector() = port_gpio_chain;
        __dsb();
    }
}
#else
static void __not_in_flash_func(eventio_gpio_irq)(void) {
    (void)pin_edges();
}
static void gpio_vector_take(void) {
    static bool added;
    if (!added) {
        irq_add_shared_handler(IO_IRQ_BANK0, eventio_gpio_irq, PICO_SHARED_IRQ_HANDLER_HIGHEST_ORDER_PRIORITY);
        added = true;
    }
}
static void gpio_vector_give_back(void) {
}
#endif

// Every pin given back, and the vector: after a soft reset the flags are gone.
static void pins_release_all(void) {
    uint32_t state = MICROPY_BEGIN_ATOMIC_SECTION();
    for (uint gpio = 0; gpio < NUM_BANK0_GPIOS; gpio++) {
        if (owned_events[gpio / 8] & (0xfu << pin_shift(gpio))) {
            pin_release(gpio);
        }
    }
    gpio_vector_give_back();
    MICROPY_END_ATOMIC_SECTION(state);
}

// machine.Pin's soft reset (rp2's main.c, before MicroPython's state goes): ours first.
void __real_machine_pin_deinit(void);
void __wrap_machine_pin_deinit(void) {
    pins_release_all();
    __real_machine_pin_deinit();
}

void eventio_port_pin_source(mp_obj_t pin, mp_int_t trigger, uint32_t handle) {
    uint gpio = mp_hal_get_pin_obj(pin);
    if (trigger & ~PIN_EDGES) {
        mp_raise_ValueError(MP_ERROR_TEXT("edges only: Pin.IRQ_RISING and/or Pin.IRQ_FALLING"));
    }
    uint32_t state = MICROPY_BEGIN_ATOMIC_SECTION();
    gpio_vector_take();
    pin_release(gpio);
    if (trigger) {
        pin_handle[gpio] = handle;
        gpio_acknowledge_irq(gpio, PIN_EDGES); // an edge from before does not count
        owned_events[gpio / 8] |= (uint32_t)trigger << pin_shift(gpio);
        gpio_set_irq_enabled(gpio, (uint32_t)trigger, true);
    }
    irq_set_enabled(IO_IRQ_BANK0, true);
    MICROPY_END_ATOMIC_SECTION(state);
}


// ---- eventio.test_source(flag, count, period_us) ----------------------------------------

static repeating_timer_t source_timer;
static volatile bool source_running;
static uint32_t source_handle, source_left, source_next;
static bool source_values;

static bool source_tick(repeating_timer_t *rt) {
    (void)rt;
    if (source_left == 0) {
        source_running = false;
        return false;
    }
    source_left--;
    int r = source_values ? eio_queue_put(source_handle, source_next++) : eio_post(source_handle);
    if (r == EIO_E_BAD_HANDLE || source_left == 0) {
        source_running = false;
        return false; // the flag is gone, or all were posted
    }
    return true;
}

static void test_source_stop(void) {
    if (source_running) {
        cancel_repeating_timer(&source_timer);
        source_running = false;
    }
}

void eventio_port_test_source(uint32_t handle, uint32_t count, uint32_t period_us, bool values) {
    test_source_stop();
    if (count == 0) {
        return;
    }
    source_handle = handle;
    source_left = count;
    source_next = 0;
    source_values = values;
    source_running = true;
    // Negative: `period_us` from one start to the next, whatever the callback takes.
    if (!add_repeating_timer_us(-(int64_t)(period_us ? period_us : 10), source_tick, NULL, &source_timer)) {
        source_running = false;
        mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("no free alarm"));
    }
}

// After a soft reset the flags these sources posted to are gone: stop the test source, and
// give the pins back, so that machine.Pin.irq on them works again.
void eventio_port_soft_reset(void) {
    test_source_stop();
    pins_release_all();
}
