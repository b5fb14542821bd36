# The Raspberry Pi Pico with its REPL on UART0 (GP0 TX, GP1 RX, 115200 baud) and no USB
# device: the board the emulator measurements use (rp2040js's USB controller model raises its
# interrupt ~35,000 times a second while a CDC console is attached, which hides idle).
# Otherwise exactly RPI_PICO: the same SDK board, chip and pin names.
set(PICO_BOARD "pico")
set(PICO_PLATFORM "rp2040")
set(MICROPY_BOARD_PINS "${MICROPY_PORT_DIR}/boards/RPI_PICO/pins.csv")
