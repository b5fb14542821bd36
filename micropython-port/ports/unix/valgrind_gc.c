// Only in the firmware that memcheck and threadcheck run (build/micropython-valgrind, built
// with EVENTIO_VALGRIND=1, which links with -Wl,--wrap=gc_collect_root).
//
// MicroPython's collector scans each thread's C stack conservatively: it reads every word,
// written or not, and marks what looks like a heap pointer.  A word that was never written
// is undefined to memcheck, and the mark derived from it (a shift by the block's low bits)
// makes the allocation table undefined, then the blocks gc_alloc finds in it, then every
// pointer to those blocks: memcheck then reports uses far from the scan, in whatever code
// touches those objects (whether it happens depends on what the stack held).  So the stack
// is made defined for the scan, and given its own definedness back after it: an
// uninitialised local read later is still reported.  Under helgrind and drd the client
// requests do nothing.

#include <stddef.h>
#include <stdint.h>
#include <valgrind/memcheck.h>

void __real_gc_collect_root(void **ptrs, size_t len);

// Definedness of the scanned words, saved across the scan: room for a 512 KiB stack (the
// scan of a larger one is only made defined, not given its definedness back).
static uint8_t saved_vbits[512 * 1024];

void __wrap_gc_collect_root(void **ptrs, size_t len) {
    size_t bytes = len * sizeof(void *);
    int saved = bytes <= sizeof(saved_vbits)
        && VALGRIND_GET_VBITS(ptrs, saved_vbits, bytes) == 1;
    VALGRIND_MAKE_MEM_DEFINED(ptrs, bytes);
    __real_gc_collect_root(ptrs, len);
    if (saved) {
        VALGRIND_SET_VBITS(ptrs, saved_vbits, bytes);
    }
}
