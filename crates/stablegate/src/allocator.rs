//! Which allocator tree-sitter's C library uses (mimalloc), and how glibc's
//! allocator places large buffers.
//!
//! Parsing is most of what `check` does on a large tree, and tree-sitter
//! makes millions of small, short-lived allocations per run (parse stacks,
//! subtrees freed with each file's tree). On glibc's allocator they took
//! about a tenth of the CPU time of `bench/check.sh`'s everywhere rule;
//! on mimalloc, with its per-thread free lists, the same run takes 10 % less
//! CPU. Rust's own allocations stay on the system allocator: moving them
//! too made that run slower (findings built on one thread and freed on
//! another, and a larger resident set).

/// Installs mimalloc as tree-sitter's allocator. Must run first in
/// `main`, before any tree-sitter object exists.
pub fn tree_sitter_on_mimalloc() {
    // SAFETY: called once, at the start of `main`, before any tree-sitter
    // call and before any other thread exists; the four functions are one
    // allocator family and return memory aligned as `malloc`'s. Grammars'
    // external scanners free what they allocate with their own functions,
    // so memory never crosses families.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: libmimalloc_sys::mi_malloc,
            calloc: libmimalloc_sys::mi_calloc,
            realloc: libmimalloc_sys::mi_realloc,
            free: libmimalloc_sys::mi_free,
        }));
    }
}

/// Keeps every allocation of 128 KiB or more in its own mapping (glibc).
///
/// glibc starts with that threshold but raises it each time such a mapping
/// is freed, up to 32 MiB. After the first large file a scan reads and
/// drops, later file buffers come from the heap instead, between the small
/// strings that live until the report (tokens, paths), and the heap cannot
/// shrink past them. Fixing the threshold took the peak resident set of
/// `bench/check.sh`'s everywhere rule over the stdlib from 313 MB to 281 MB
/// at no cost in time. Other C libraries keep their own policy.
pub fn large_buffers_mapped() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called at the start of `main`, before any other thread
    // exists; `mallopt` only changes a tunable of the allocator.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
