// Board HAL declarations that MicroPython's py/mphal.h does not already provide.
#include <stddef.h>
#include <stdint.h>
#include "shared/runtime/interrupt_char.h"
