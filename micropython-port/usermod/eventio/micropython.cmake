# eventio's C glue, its port layer and its Rust core, as a MicroPython user C module for the
# CMake-based ports.  The port's own build cross-compiles the Rust core: the Rust target comes
# from the port's C compiler and flags (tools/rust-target.sh; -DEVENTIO_RUST_TARGET=<triple>
# overrides it), and cargo runs at every build (it rebuilds only what changed; the library's
# time changes only when it did, so the firmware is relinked only then).
#
# The port layer is micropython-port/ports/hal (MicroPython's portable HAL), plus the folder of
# the port being built when there is one (micropython-port/ports/rp2 for ports/rp2), which adds
# what that chip does better; -DEVENTIO_PORT=<name> chooses another folder.
#
# Including this module turns MicroPython's own asyncio C module off (MICROPY_PY_ASYNCIO=0):
# eventio is `asyncio` once the manifest freezes micropython-port/modules/manifest.py in place
# of $(MPY_DIR)/extmod/asyncio.

get_filename_component(EVENTIO_TOP ${CMAKE_CURRENT_LIST_DIR}/../../.. ABSOLUTE)
set(EVENTIO_PORTS_DIR ${EVENTIO_TOP}/micropython-port/ports)

# The glue: every C file here.
file(GLOB EVENTIO_GLUE_SRC ${CMAKE_CURRENT_LIST_DIR}/*.c)

# The port layer.
if(NOT EVENTIO_PORT AND MICROPY_PORT_DIR)
    get_filename_component(EVENTIO_PORT ${MICROPY_PORT_DIR} NAME)
endif()
set(EVENTIO_PORT_SRC ${EVENTIO_PORTS_DIR}/hal/port_hal.c)
if(EVENTIO_PORT AND IS_DIRECTORY ${EVENTIO_PORTS_DIR}/${EVENTIO_PORT} AND NOT EVENTIO_PORT STREQUAL "hal")
    file(GLOB EVENTIO_PORT_EXTRA_SRC ${EVENTIO_PORTS_DIR}/${EVENTIO_PORT}/*.c)
    list(APPEND EVENTIO_PORT_SRC ${EVENTIO_PORT_EXTRA_SRC})
endif()

# The Rust target, from the compiler and its flags (zephyr names the CPU in GCC_M_CPU).
separate_arguments(EVENTIO_C_FLAGS UNIX_COMMAND "${CMAKE_C_FLAGS}")
if(GCC_M_CPU)
    list(APPEND EVENTIO_C_FLAGS -mcpu=${GCC_M_CPU})
endif()
if(NOT EVENTIO_RUST_TARGET)
    execute_process(
        COMMAND ${EVENTIO_TOP}/tools/rust-target.sh ${CMAKE_C_COMPILER} ${EVENTIO_C_FLAGS}
        OUTPUT_VARIABLE EVENTIO_RUST_TARGET
        ERROR_VARIABLE EVENTIO_RUST_TARGET_ERROR
        RESULT_VARIABLE EVENTIO_RUST_TARGET_RESULT
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT EVENTIO_RUST_TARGET_RESULT EQUAL 0)
        message(FATAL_ERROR "${EVENTIO_RUST_TARGET_ERROR}")
    endif()
endif()
message("eventio: port layer ${EVENTIO_PORT_SRC}, Rust target ${EVENTIO_RUST_TARGET}")

# The Rust core.  EVENTIO_CARGO_DIR may be shared between builds (cargo keeps one folder per
# target); by default it is in this build's folder.
if(NOT EVENTIO_CARGO_DIR)
    set(EVENTIO_CARGO_DIR ${CMAKE_BINARY_DIR}/eventio-cargo)
endif()
set(EVENTIO_LIB ${CMAKE_BINARY_DIR}/eventio/libeventio.a)
add_custom_target(eventio_core_build
    COMMAND ${CMAKE_COMMAND} -E env EVENTIO_RUST_TARGET=${EVENTIO_RUST_TARGET}
        ${EVENTIO_TOP}/tools/cargo-firmware.sh ${CMAKE_C_COMPILER} ${EVENTIO_CARGO_DIR} ${EVENTIO_LIB}
        ${EVENTIO_C_FLAGS}
    BYPRODUCTS ${EVENTIO_LIB}
    COMMENT "eventio: the Rust core for ${EVENTIO_RUST_TARGET} (cargo)"
    VERBATIM)
add_library(eventio_core STATIC IMPORTED GLOBAL)
set_target_properties(eventio_core PROPERTIES IMPORTED_LOCATION ${EVENTIO_LIB})
add_dependencies(eventio_core eventio_core_build)

add_library(usermod_eventio INTERFACE)
target_sources(usermod_eventio INTERFACE ${EVENTIO_GLUE_SRC} ${EVENTIO_PORT_SRC})
target_include_directories(usermod_eventio INTERFACE ${CMAKE_CURRENT_LIST_DIR} ${EVENTIO_TOP}/include)
target_compile_definitions(usermod_eventio INTERFACE MICROPY_PY_ASYNCIO=0)
target_link_libraries(usermod_eventio INTERFACE eventio_core)
target_link_libraries(usermod INTERFACE usermod_eventio)
# A callback scheduled while the loop sleeps (micropython.schedule, from another core, thread or
# an interrupt) ends the sleep: MicroPython's scheduler calls eio_notify(), declared by the ABI
# header (it includes only the C library's headers), as micropython.mk does for make ports.
# These definitions reach the whole firmware (py/scheduler.c too): usermod's interface
# properties are the firmware target's.
# (C only: the firmware's assembly files are preprocessed with these flags too.)
target_compile_options(usermod_eventio INTERFACE
    "$<$<COMPILE_LANGUAGE:C>:SHELL:-include ${EVENTIO_TOP}/include/eventio.h>")
target_compile_definitions(usermod_eventio INTERFACE "MICROPY_SCHED_HOOK_SCHEDULED=eio_notify()")
# The qstr and module scan preprocesses with the firmware's own definitions only: it must see
# asyncio off too, or it registers the _asyncio module that is not compiled.
list(APPEND MICROPY_CPP_DEF_EXTRA MICROPY_PY_ASYNCIO=0)

# What a port folder adds to the build, if anything (ports/rp2: a link-time hook).
if(EXISTS ${EVENTIO_PORTS_DIR}/${EVENTIO_PORT}/port.cmake AND NOT EVENTIO_PORT STREQUAL "hal")
    include(${EVENTIO_PORTS_DIR}/${EVENTIO_PORT}/port.cmake)
endif()
