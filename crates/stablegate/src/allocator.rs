//! Which allocator tree-sitter's C library uses: mimalloc.
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
