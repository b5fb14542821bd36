# rp2: eventio.pin_flag owns IO_IRQ_BANK0's vector from its first pin until the soft reset,
# and must give it back before machine.Pin's soft reset re-registers its handler (port_rp2.c):
# rp2's main.c calls machine_pin_deinit() through our __wrap_machine_pin_deinit.
target_link_options(usermod_eventio INTERFACE -Wl,--wrap=machine_pin_deinit)
