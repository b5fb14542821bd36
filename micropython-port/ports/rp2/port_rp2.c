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
// Our shared handler on IO_IRQ_BANK0 runs before machine.Pin's (a higher order priority): it
// acknowledges and posts the edges of the pins it owns, and machine.Pin's handler, which
// acknowledges whatever is pending, sees only the others.  Edges only: a level stays
// pending while it lasts and cannot be acknowledged, so it would repeat the interrupt.

#define PIN_EDGES (GPIO_IRQ_EDGE_RISE | GPIO_IRQ_EDGE_FALL)

static uint64_t pins_owned; // bit n: GPIO n posts pin_handle[n]; changed with the IRQ masked
static uint32_t pin_handle[NUM_BANK0_GPIOS];
static uint8_t pin_trigger[NUM_BANK0_GPIOS];
static bool pin_handler_added;

static void pin_release(uint gpio) {
    gpio_set_irq_enabled(gpio, PIN_EDGES, false);
    pins_owned &= ~(1ull << gpio);
}

static void __not_in_flash_func(eventio_gpio_irq)(void) {
    uint64_t pins = pins_owned;
    while (pins) {
        uint gpio = (uint)__builtin_ctzll(pins);
        pins &= pins - 1;
        uint32_t events = gpio_get_irq_event_mask(gpio) & pin_trigger[gpio];
        if (events) {
            gpio_acknowledge_irq(gpio, events);
            if (eio_post(pin_handle[gpio]) == EIO_E_BAD_HANDLE) {
                pin_release(gpio); // its flag is gone
            }
        }
    }
}

void eventio_port_pin_source(mp_obj_t pin, mp_int_t trigger, uint32_t handle) {
    uint gpio = mp_hal_get_pin_obj(pin);
    if (trigger & ~PIN_EDGES) {
        mp_raise_ValueError(MP_ERROR_TEXT("edges only: Pin.IRQ_RISING and/or Pin.IRQ_FALLING"));
    }
    uint32_t state = MICROPY_BEGIN_ATOMIC_SECTION();
    if (!pin_handler_added) {
        irq_add_shared_handler(IO_IRQ_BANK0, eventio_gpio_irq, PICO_SHARED_IRQ_HANDLER_HIGHEST_ORDER_PRIORITY);
        irq_set_enabled(IO_IRQ_BANK0, true);
        pin_handler_added = true;
    }
    pin_release(gpio);
    if (trigger) {
        pin_handle[gpio] = handle;
        pin_trigger[gpio] = (uint8_t)trigger;
        gpio_acknowledge_irq(gpio, PIN_EDGES); // an edge from before does not count
        pins_owned |= 1ull << gpio;
        gpio_set_irq_enabled(gpio, (uint32_t)trigger, true);
    }
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
    uint32_t state = MICROPY_BEGIN_ATOMIC_SECTION();
    while (pins_owned) {
        pin_release((uint)__builtin_ctzll(pins_owned));
    }
    MICROPY_END_ATOMIC_SECTION(state);
}
