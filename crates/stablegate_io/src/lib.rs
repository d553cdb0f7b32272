//! The chores every stablegate crate does the same way, done once:
//!
//! - [`read`]: reading a file the configuration or a report names, refusing
//!   what is not a regular file (a FIFO would hang the read, `/dev/zero`
//!   would fill memory), files above a size limit, and paths that lead out of
//!   the project root through a symlink (SPEC §12.6);
//! - [`atomic`]: replacing a file so readers see the old or the new bytes,
//!   never half, and creating evidence files that are never overwritten;
//! - [`process`]: the one runner of commands — own process group, timeout,
//!   capture, killed on signals and at exit;
//! - [`memory`]: returning freed heap pages to the system after a phase
//!   that freed a lot;
//! - [`shell`]: putting values (`{tag}`, `{versions.NAME}`, `{out}`, …) into
//!   shell commands as single words, never as shell syntax.
//!
//! Nothing here knows about gates, allowlists or evidence: callers turn the
//! errors into their own, naming their file and field.

pub mod atomic;
pub mod memory;
#[cfg(unix)]
pub mod process;
pub mod read;
pub mod shell;
