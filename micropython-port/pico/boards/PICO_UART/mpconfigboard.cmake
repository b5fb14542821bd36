# The Raspberry Pi Pico (RP2040) as MicroPython's RPI_PICO board, with the REPL on UART0
# (GP0 TX, GP1 RX, 115200 baud) and no USB device (see mpconfigboard.h).  Built out of tree:
#   make -C ports/rp2 BOARD_DIR=<eventio>/micropython-port/pico/boards/PICO_UART
include(${MICROPY_PORT_DIR}/boards/RPI_PICO/mpconfigboard.cmake)
set(MICROPY_BOARD_PINS ${MICROPY_PORT_DIR}/boards/RPI_PICO/pins.csv)
