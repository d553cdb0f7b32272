//! What the fuzz targets share: the worker stack the product keys files on,
//! and the small project tree the detector readers check findings against.
//!
//! The targets themselves (`fuzz_targets/*.rs`) each drive one reader along
//! the path the CLI takes. A target panics (so libFuzzer reports a crash)
//! when the reader panics, overflows its stack, or breaks an invariant the
//! target checks; a clean error for bad input is the expected outcome.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Mutex, OnceLock};

/// The stack of a rayon worker (Rust's default for spawned threads), where
/// stablegate keys and reads files in `check`.
pub const WORKER_STACK: usize = 2 * 1024 * 1024;

type Job = Box<dyn FnOnce() + Send>;

/// Runs `job` on a long-lived thread with a [`WORKER_STACK`] stack: a stack
/// overflow there is one the product would hit on its worker threads. (A
/// panic aborts the process through libFuzzer's hook, so it is reported.)
pub fn on_worker_stack<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> T {
    static WORKER: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    let worker = WORKER.get_or_init(|| {
        let (send, receive) = channel::<Job>();
        std::thread::Builder::new()
            .name("worker".into())
            .stack_size(WORKER_STACK)
            .spawn(move || {
                for job in receive {
                    job();
                }
            })
            .expect("spawn the worker thread");
        Mutex::new(send)
    });
    let (send_back, receive_back) = channel();
    let job: Job = Box::new(move || {
        let _ = send_back.send(job());
    });
    worker
        .lock()
        .expect("worker lock")
        .send(job)
        .expect("worker alive");
    receive_back.recv().expect("the worker answers")
}

/// A fixed project root (so seeds can hold absolute `file://` URIs into it):
/// `$TMPDIR/stablegate-fuzz-root`, canonical, holding
///
/// - `src/a.py`: five lines of Python, one with non-ASCII text;
/// - `src/b.py`: two lines without a final newline, `\r\n` ends;
/// - `src/empty.py`: empty;
/// - `src/latin1.py`: not UTF-8 on line 2;
/// - `src/dir/`: a directory;
/// - `src/out.py`: a symlink to a file outside the root;
/// - `report.sarif`: `{}` (a `sarif` gate's file; targets pass the bytes).
pub fn project_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join("stablegate-fuzz-root");
        let write = |path: &str, bytes: &[u8]| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write a fixture file");
        };
        write(
            "src/a.py",
            "import json\n\ndef f(x):\n    return json.loads(x)  # é\nclass C: pass\n".as_bytes(),
        );
        write("src/b.py", b"x = 1\r\ny = 2");
        write("src/empty.py", b"");
        write("src/latin1.py", b"x = 1\ns = '\xe9'\n");
        write("report.sarif", b"{}");
        std::fs::create_dir_all(root.join("src/dir")).expect("mkdir");
        let outside = std::env::temp_dir().join("stablegate-fuzz-outside.py");
        std::fs::write(&outside, b"x = 1\n").expect("write outside");
        let link = root.join("src/out.py");
        if std::fs::symlink_metadata(&link).is_err() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(&outside, &link).expect("symlink");
        }
        root.canonicalize().expect("canonical root")
    })
}

/// The number of lines a location may name in `text`: one per `\n`, plus
/// the last (possibly empty) line.
pub fn line_bound(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

/// The first gate of a configuration text (a fixed, valid one).
pub fn gate_of(config: &str) -> stablegate_config::Gate {
    let loaded = stablegate_config::fuzzing::load_bytes(
        "stablegate.toml",
        config.as_bytes(),
        false,
        Some(""),
    );
    match loaded {
        Ok(Some(mut config)) if !config.gates.is_empty() => config.gates.remove(0),
        other => panic!("the fuzz target's gate does not load: {other:?}"),
    }
}

/// Checks what a `sarif` or `command` source collected from [`project_root`]:
/// findings sorted, root-relative, on lines of their files.
pub fn check_collected(collected: &stablegate_gates::Collected) {
    let root = project_root();
    for pair in collected.findings.windows(2) {
        assert!(
            pair[0].sort_key() <= pair[1].sort_key(),
            "unsorted findings"
        );
    }
    for finding in &collected.findings {
        let file = &finding.file;
        assert!(!file.is_empty() && !file.starts_with('/'), "{finding:?}");
        assert!(
            !file.split('/').any(|part| part == ".." || part == "."),
            "{finding:?}"
        );
        assert!(
            finding.line >= 1 && finding.end_line >= finding.line,
            "{finding:?}"
        );
        let text = std::fs::read_to_string(root.join(file.as_ref() as &str))
            .expect("a finding's file reads");
        let text = text.replace("\r\n", "\n");
        // The line after the last one is the end of the file (SPEC: a
        // finding may sit there, e.g. "no newline at end of file").
        assert!(finding.line <= text.lines().count() + 1, "{finding:?}");
        assert!(finding.offset <= text.len(), "{finding:?}");
    }
}
