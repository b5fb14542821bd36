# The user C modules of eventio, for MicroPython's CMake-based ports (rp2, esp32, zephyr):
#   make -C ports/rp2 BOARD=RPI_PICO USER_C_MODULES=<eventio>/micropython-port/usermod/micropython.cmake \
#        FROZEN_MANIFEST=<a manifest including <eventio>/micropython-port/modules/manifest.py>
# (Make-based ports take USER_C_MODULES=<eventio>/micropython-port/usermod: eventio/micropython.mk.)
include(${CMAKE_CURRENT_LIST_DIR}/eventio/micropython.cmake)
