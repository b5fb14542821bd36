// The RPI_PICO board with its REPL on UART0 and no USB device: a console that raises no
// interrupt while idle (the emulator's USB model interrupts ~35,000 times a second).
#include "boards/RPI_PICO/mpconfigboard.h"

#define MICROPY_HW_ENABLE_UART_REPL             (1)
#define MICROPY_HW_ENABLE_USBDEV                (0)
