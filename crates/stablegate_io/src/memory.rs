//! Handing memory the process freed back to the system.
//!
//! A scan builds each file's findings and keys on a worker thread and then
//! moves them into one list for the gate; the per-file buffers are freed,
//! but glibc's allocator keeps the pages of its per-thread arenas for later
//! use. Reconciliation then allocates the items in fresh memory, so those
//! pages only weigh on the resident set. [`release_freed`] returns them.

/// Returns the free pages of the allocator's heaps to the system (glibc's
/// `malloc_trim`; a no-op elsewhere). Costs a walk over the free lists:
/// call it after a phase that freed a lot, not in a loop.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases memory that is free; it takes
    // the allocator's locks like any other call into it.
    unsafe {
        libc::malloc_trim(0);
    }
}
