// The Raspberry Pi Pico (RPI_PICO), with the REPL on UART0 instead of USB CDC.
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico (UART REPL)"
#define MICROPY_HW_FLASH_STORAGE_BYTES          (1408 * 1024)

#define MICROPY_HW_ENABLE_UART_REPL             (1)
#define MICROPY_HW_ENABLE_USBDEV                (0)
