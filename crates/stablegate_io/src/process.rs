//! The one place stablegate starts processes (SPEC §12.6): detectors, fresh
//! generators, git, version and probe commands, and every release command.
//!
//! Each command runs in a process group of its own (`process_group(0)`),
//! with standard input closed, and its group is tracked in a registry for as
//! long as stablegate lives. The group is killed (`killpg(SIGKILL)`):
//!
//! - at the command's timeout;
//! - when stablegate receives `SIGINT`, `SIGTERM` or `SIGHUP` (a command in
//!   a group of its own does not get the terminal's signals itself);
//! - when its captured output passes the caller's limit;
//! - when the command's shell has exited but something it started keeps a
//!   captured stream open: after [`GRACE`], so a `sleep 1000 &` cannot hold
//!   stablegate;
//! - when stablegate exits ([`ExitGuard`]), also on an error path or a
//!   panic: a background process a command left running lives at most as
//!   long as stablegate.
//!
//! Signals are handled without doing anything in the handler but writing
//! the signal's number to a pipe: a watcher thread reads it, kills every
//! registered group, and wakes every [`run`] waiting for its command. Then,
//! unless an [`Interruptible`] guard is alive (a release attempt, which
//! seals its evidence first and exits with `128 + signal` itself),
//! stablegate dies of the same signal. Only `SIGKILL` escapes all this: after
//! `kill -9` of stablegate, its commands run on.
//!
//! What a command's exit status means is for the caller; this module only
//! says how it [`Ended`].

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, Once};
use std::thread;
use std::time::{Duration, Instant};

/// How long captured streams may stay open after the command's shell
/// exited before its group is killed, and how long to wait after a kill
/// for the streams to close and the shell to be reaped.
pub const GRACE: Duration = Duration::from_millis(500);

/// Where a stream of the command goes.
#[derive(Debug)]
pub enum Output {
    /// Discarded (`/dev/null`).
    Null,
    /// Into a file the caller opened (a log).
    File(File),
    /// Kept whole in memory, up to `limit` bytes; past it the command is
    /// killed and ends [`Ended::TooMuchOutput`].
    Capture { limit: u64 },
    /// Only the last `keep` bytes are kept (standard error for messages).
    Tail { keep: usize },
}

/// A command to run.
#[derive(Debug)]
pub struct Spec {
    program: OsString,
    args: Vec<OsString>,
    cwd: PathBuf,
    env: Vec<(OsString, OsString)>,
    stdout: Output,
    stderr: Output,
    timeout: Option<Duration>,
}

impl Spec {
    /// `sh -c SCRIPT` in `cwd`.
    pub fn shell(script: &str, cwd: &Path) -> Spec {
        Spec::program("sh", cwd).arg("-c").arg(script)
    }

    /// `program` (looked up in `PATH`) in `cwd`, with no arguments yet.
    pub fn program(program: &str, cwd: &Path) -> Spec {
        Spec {
            program: program.into(),
            args: Vec::new(),
            cwd: cwd.to_owned(),
            env: Vec::new(),
            stdout: Output::Null,
            stderr: Output::Null,
            timeout: None,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Spec {
        self.args.push(arg.into());
        self
    }

    pub fn args<I: IntoIterator<Item = A>, A: Into<OsString>>(mut self, args: I) -> Spec {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Adds a variable to the inherited environment.
    pub fn env(mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> Spec {
        self.env.push((name.into(), value.into()));
        self
    }

    pub fn envs<I, K, V>(mut self, vars: I) -> Spec
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        self.env
            .extend(vars.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    pub fn stdout(mut self, output: Output) -> Spec {
        self.stdout = output;
        self
    }

    pub fn stderr(mut self, output: Output) -> Spec {
        self.stderr = output;
        self
    }

    /// Kills the command's group when it runs longer (`None`: no limit).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Spec {
        self.timeout = timeout;
        self
    }
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// It exited by itself (with a code or by a signal).
    Exited(ExitStatus),
    /// It ran past its timeout; its process group was killed.
    TimedOut(Duration),
    /// Its captured output passed `limit` bytes; its group was killed.
    TooMuchOutput { limit: u64 },
    /// stablegate received `signal`; the group was killed (or, when the
    /// signal came before the command could start, it never ran).
    Interrupted { signal: i32 },
}

impl Ended {
    pub fn success(self) -> bool {
        matches!(self, Ended::Exited(status) if status.success())
    }

    /// The exit code, when it exited with one.
    pub fn code(self) -> Option<i32> {
        match self {
            Ended::Exited(status) => status.code(),
            _ => None,
        }
    }

    /// For messages: `exited with 3`, `killed by signal 9`, `timed out
    /// after 2 s`, …
    pub fn describe(self) -> String {
        match self {
            Ended::Exited(status) => describe_status(status),
            Ended::TimedOut(after) => format!("timed out after {}", duration(after)),
            Ended::TooMuchOutput { limit } => {
                format!("printed more than {limit} bytes and was killed")
            }
            Ended::Interrupted { signal } => {
                format!("was killed: stablegate received {}", signal_name(signal))
            }
        }
    }
}

/// `exited with 3`, `killed by signal 9`.
pub fn describe_status(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        (None, None) => "ended without a status".to_owned(),
    }
}

/// `500 ms`, `30 s`, `10 min`: how durations read in messages.
pub fn duration(duration: Duration) -> String {
    let ms = duration.as_millis();
    if ms.is_multiple_of(60_000) {
        format!("{} min", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// `SIGINT`, `SIGTERM`, `SIGHUP`, or `signal N`.
pub fn signal_name(signal: i32) -> String {
    match signal {
        libc::SIGINT => "SIGINT".to_owned(),
        libc::SIGTERM => "SIGTERM".to_owned(),
        libc::SIGHUP => "SIGHUP".to_owned(),
        other => format!("signal {other}"),
    }
}

/// What a finished command left.
#[derive(Debug)]
pub struct Finished {
    pub ended: Ended,
    pub took: Duration,
    /// Captured standard output ([`Output::Capture`]), else empty.
    pub stdout: Vec<u8>,
    /// Captured standard error ([`Output::Capture`] or [`Output::Tail`]).
    pub stderr: Vec<u8>,
    /// Something the command started kept a captured stream open after the
    /// command ended; it was killed after [`GRACE`] and the stream cut.
    pub held_open: bool,
}

/// Why a command could not be run at all.
#[derive(Debug, thiserror::Error)]
#[error("cannot start `{program}`: {source}")]
pub struct RunError {
    pub program: String,
    pub source: io::Error,
}

/// What the threads of one run report to it.
enum Event {
    Exited(io::Result<ExitStatus>),
    Closed,
    /// A captured stream passed its limit (the limit).
    Overflow(u64),
    Interrupted(i32),
}

/// Every command group stablegate started and may still have members.
struct Registry {
    /// Running commands: group → how to wake its [`run`].
    running: BTreeMap<libc::pid_t, Sender<Event>>,
    /// Groups whose command ended without its group being killed: what it
    /// left in the background is killed when stablegate exits.
    ended: Vec<libc::pid_t>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    running: BTreeMap::new(),
    ended: Vec::new(),
});
/// The first of `SIGINT`, `SIGTERM`, `SIGHUP` received (0: none).
static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// The write end of the self-pipe the handler writes signals to.
static PIPE: AtomicI32 = AtomicI32::new(-1);
/// How many [`Interruptible`] guards are alive.
static INTERRUPTIBLE: AtomicU64 = AtomicU64::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);

fn registry() -> MutexGuard<'static, Registry> {
    // A panic while holding the lock leaves the registry consistent (every
    // change is one insert or remove): keep using it.
    REGISTRY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn kill_group(group: libc::pid_t) {
    if group > 0 {
        // SAFETY: killpg only sends a signal. The group was created by
        // `process_group(0)` for a child of this process; a process group
        // id is not reused while the group has members (POSIX).
        unsafe {
            libc::killpg(group, libc::SIGKILL);
        }
    }
}

extern "C" fn on_signal(signal: libc::c_int) {
    let _ = SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    let fd = PIPE.load(Ordering::SeqCst);
    if fd >= 0 {
        let byte = u8::try_from(signal).unwrap_or(0);
        // SAFETY: write(2) is async-signal-safe; the buffer is a local.
        unsafe {
            libc::write(fd, (&raw const byte).cast(), 1);
        }
    }
}

/// Installs the signal handlers and the watcher thread, once.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let mut fds = [-1; 2];
        // SAFETY: pipe2 fills the two descriptors; close-on-exec keeps them
        // out of every command.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return;
        }
        let (read_end, write_end) = (fds[0], fds[1]);
        PIPE.store(write_end, Ordering::SeqCst);
        let started = thread::Builder::new()
            .name("stablegate-signals".to_owned())
            .spawn(move || watch(read_end));
        if started.is_err() {
            return;
        }
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: the handler only stores to an atomic and calls
            // write(2), both async-signal-safe; SA_RESTART keeps other
            // threads' system calls from failing with EINTR.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
                action.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&raw mut action.sa_mask);
                libc::sigaction(signal, &raw const action, std::ptr::null_mut());
            }
        }
        INSTALLED.store(true, Ordering::SeqCst);
    });
}

/// The watcher: for each signal, kill every group, wake every run, and
/// (outside an [`Interruptible`] section) die of the signal.
fn watch(read_end: libc::c_int) {
    loop {
        let mut byte = 0u8;
        // SAFETY: reads one byte into a local from a descriptor this thread
        // owns.
        let read = unsafe { libc::read(read_end, (&raw mut byte).cast(), 1) };
        if read < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        if read <= 0 {
            return;
        }
        let signal = i32::from(byte);
        {
            let registry = registry();
            for (&group, wake) in &registry.running {
                kill_group(group);
                let _ = wake.send(Event::Interrupted(signal));
            }
            for &group in &registry.ended {
                kill_group(group);
            }
        }
        if INTERRUPTIBLE.load(Ordering::SeqCst) == 0 {
            die_of(signal);
        }
    }
}

/// Ends stablegate as `signal`'s default action would have: restores the
/// default and raises it on the calling thread (delivered before `raise`
/// returns), then waits for the end, so that no other path can exit first
/// with another status.
fn die_of(signal: i32) -> ! {
    // SAFETY: signal(2) and raise(3) only change this process's signal
    // disposition and send it a signal; pause(2) only waits.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
        loop {
            libc::pause();
        }
    }
}

/// The signal stablegate received, if any (`SIGINT`, `SIGTERM`, `SIGHUP`).
pub fn interrupted() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// While alive, `SIGINT`, `SIGTERM` and `SIGHUP` kill the running commands
/// and are remembered ([`interrupted`]) instead of ending stablegate: its
/// holder finishes what must be finished (seal the evidence) and exits with
/// `128 + signal`. A signal that came during the section still ends the
/// process as soon as the last guard is dropped, unless the holder exits
/// first.
pub struct Interruptible(());

impl Interruptible {
    pub fn new() -> Interruptible {
        install();
        INTERRUPTIBLE.fetch_add(1, Ordering::SeqCst);
        Interruptible(())
    }
}

impl Default for Interruptible {
    fn default() -> Self {
        Interruptible::new()
    }
}

impl Drop for Interruptible {
    fn drop(&mut self) {
        INTERRUPTIBLE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Kills every group a command left when dropped: hold one in `main` so that
/// nothing a command started outlives stablegate, whichever way `main`
/// returns (also by a panic's unwinding).
pub struct ExitGuard(());

impl ExitGuard {
    pub fn new() -> ExitGuard {
        ExitGuard(())
    }
}

impl Default for ExitGuard {
    fn default() -> Self {
        ExitGuard::new()
    }
}

impl Drop for ExitGuard {
    fn drop(&mut self) {
        kill_all();
    }
}

/// Kills every group stablegate started that may still have members: the
/// running commands' and what ended commands left behind.
pub fn kill_all() {
    for &group in registry().running.keys() {
        kill_group(group);
    }
    kill_left_behind();
}

/// Kills what commands that ended left running in their groups.
pub fn kill_left_behind() {
    for group in std::mem::take(&mut registry().ended) {
        kill_group(group);
    }
}

/// Runs the command to its end (see the module doc for the ends).
pub fn run(spec: Spec) -> Result<Finished, RunError> {
    install();
    let started = Instant::now();
    let Spec {
        program,
        args,
        cwd,
        env,
        stdout,
        stderr,
        timeout,
    } = spec;
    if INTERRUPTIBLE.load(Ordering::SeqCst) > 0 {
        if let Some(signal) = interrupted() {
            return Ok(Finished {
                ended: Ended::Interrupted { signal },
                took: started.elapsed(),
                stdout: Vec::new(),
                stderr: Vec::new(),
                held_open: false,
            });
        }
    }
    let mut command = Command::new(&program);
    command
        .args(&args)
        .current_dir(&cwd)
        .envs(env)
        .stdin(Stdio::null())
        .process_group(0);
    let (out_stdio, out_keep) = stdio(stdout);
    let (err_stdio, err_keep) = stdio(stderr);
    command.stdout(out_stdio).stderr(err_stdio);
    let (sender, events) = mpsc::channel();
    let fail = |source| RunError {
        program: program.to_string_lossy().into_owned(),
        source,
    };
    // The registry is held across the spawn: a signal's watcher waits for
    // the group to be registered, so no command can start unseen.
    let mut child;
    let group;
    {
        let mut registry = registry();
        child = command.spawn().map_err(fail)?;
        group = libc::pid_t::try_from(child.id()).unwrap_or(0);
        registry.running.insert(group, sender.clone());
    }
    // A signal that came between the check above and the registration: the
    // watcher did not see this group.
    if let Some(signal) = interrupted() {
        kill_group(group);
        let _ = sender.send(Event::Interrupted(signal));
    }
    let mut open = 0;
    let out_buffer = Arc::new(Mutex::new(Vec::new()));
    let err_buffer = Arc::new(Mutex::new(Vec::new()));
    if let (Some(pipe), Some(keep)) = (child.stdout.take(), out_keep) {
        open += 1;
        spawn_reader(pipe, keep, Arc::clone(&out_buffer), sender.clone());
    }
    if let (Some(pipe), Some(keep)) = (child.stderr.take(), err_keep) {
        open += 1;
        spawn_reader(pipe, keep, Arc::clone(&err_buffer), sender.clone());
    }
    let waiter = {
        let sender = sender.clone();
        thread::Builder::new()
            .name("stablegate-wait".to_owned())
            .spawn(move || {
                let _ = sender.send(Event::Exited(child.wait()));
            })
    };
    drop(sender);
    if let Err(source) = waiter {
        kill_group(group);
        registry().running.remove(&group);
        return Err(fail(source));
    }
    let outcome = wait(&events, group, open, started, timeout);
    {
        let mut registry = registry();
        registry.running.remove(&group);
        if !outcome.killed {
            registry.ended.push(group);
        }
    }
    // A signal outside an [`Interruptible`] section ends stablegate (the
    // watcher raises it); the command it killed must not become an error
    // this thread reports and exits with first.
    if INTERRUPTIBLE.load(Ordering::SeqCst) == 0 {
        if let Some(signal) = interrupted() {
            kill_all();
            die_of(signal);
        }
    }
    let take = |buffer: &Arc<Mutex<Vec<u8>>>| {
        std::mem::take(
            &mut *buffer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    };
    let ended = match outcome.ended {
        Some(ended) => ended,
        None => Ended::Exited(outcome.status.map_err(fail)?),
    };
    Ok(Finished {
        ended,
        took: started.elapsed(),
        stdout: take(&out_buffer),
        stderr: take(&err_buffer),
        held_open: outcome.held_open,
    })
}

/// How much of a stream a reader keeps.
#[derive(Debug, Clone, Copy)]
enum Keep {
    All { limit: u64 },
    Tail(usize),
}

fn stdio(output: Output) -> (Stdio, Option<Keep>) {
    match output {
        Output::Null => (Stdio::null(), None),
        Output::File(file) => (Stdio::from(file), None),
        Output::Capture { limit } => (Stdio::piped(), Some(Keep::All { limit })),
        Output::Tail { keep } => (Stdio::piped(), Some(Keep::Tail(keep))),
    }
}

fn spawn_reader(
    mut pipe: impl Read + Send + 'static,
    keep: Keep,
    buffer: Arc<Mutex<Vec<u8>>>,
    events: Sender<Event>,
) {
    let read = move || {
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            let mut kept = buffer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            kept.extend_from_slice(&chunk[..n]);
            match keep {
                Keep::All { limit } if kept.len() as u64 > limit => {
                    kept.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                    drop(kept);
                    let _ = events.send(Event::Overflow(limit));
                    return;
                }
                Keep::Tail(size) if kept.len() > 2 * size.max(1) => {
                    let excess = kept.len() - size;
                    kept.drain(..excess);
                }
                _ => {}
            }
        }
        if let Keep::Tail(size) = keep {
            let mut kept = buffer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let excess = kept.len().saturating_sub(size);
            kept.drain(..excess);
        }
        let _ = events.send(Event::Closed);
    };
    // Without a thread the stream is not read: the command may then block
    // on a full pipe until its timeout, which still ends it.
    let _ = thread::Builder::new()
        .name("stablegate-read".to_owned())
        .spawn(read);
}

/// What [`wait`] saw.
struct Waited {
    status: io::Result<ExitStatus>,
    /// Set when the command did not end by itself.
    ended: Option<Ended>,
    killed: bool,
    held_open: bool,
}

/// Waits for the command's exit and its captured streams' end, killing the
/// group at the timeout, on a signal, on overflow, or when the streams stay
/// open past [`GRACE`] after the exit.
fn wait(
    events: &Receiver<Event>,
    group: libc::pid_t,
    mut open: usize,
    started: Instant,
    timeout: Option<Duration>,
) -> Waited {
    let deadline = timeout.map(|timeout| started + timeout);
    let mut status: Option<io::Result<ExitStatus>> = None;
    let mut ended: Option<Ended> = None;
    let mut killed = false;
    let mut held_open = false;
    // After the exit or a kill: how long the streams (or the reaping) may
    // still take.
    let mut grace: Option<Instant> = None;
    let kill = |ended_as: Option<Ended>, ended: &mut Option<Ended>, killed: &mut bool| {
        kill_group(group);
        *killed = true;
        if ended.is_none() {
            *ended = ended_as;
        }
    };
    loop {
        if status.is_some() && open == 0 {
            break;
        }
        let until = match (deadline.filter(|_| status.is_none() && !killed), grace) {
            (Some(deadline), Some(grace)) => Some(deadline.min(grace)),
            (deadline, grace) => deadline.or(grace),
        };
        let event = match until {
            Some(until) => events.recv_timeout(until.saturating_duration_since(Instant::now())),
            None => events.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match event {
            Ok(Event::Exited(result)) => {
                status = Some(result);
                if open > 0 && grace.is_none() {
                    grace = Some(Instant::now() + GRACE);
                }
            }
            Ok(Event::Closed) => open = open.saturating_sub(1),
            Ok(Event::Overflow(limit)) => {
                open = open.saturating_sub(1);
                kill(
                    Some(Ended::TooMuchOutput { limit }),
                    &mut ended,
                    &mut killed,
                );
                grace.get_or_insert(Instant::now() + GRACE);
            }
            Ok(Event::Interrupted(signal)) => {
                kill(Some(Ended::Interrupted { signal }), &mut ended, &mut killed);
                grace.get_or_insert(Instant::now() + GRACE);
            }
            Err(RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                if status.is_none() && !killed && deadline.is_some_and(|d| now >= d) {
                    let after = timeout.unwrap_or_default();
                    kill(Some(Ended::TimedOut(after)), &mut ended, &mut killed);
                    grace = Some(now + GRACE);
                } else if grace.is_some_and(|g| now >= g) {
                    if killed {
                        // Killed and still not done (a process that left
                        // the group holds the stream, or the shell cannot
                        // be reaped): stop waiting.
                        break;
                    }
                    // The shell exited, a process it started holds a
                    // captured stream: kill it and cut the stream.
                    held_open = true;
                    kill(None, &mut ended, &mut killed);
                    grace = Some(now + GRACE);
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Waited {
        status: status.unwrap_or_else(|| {
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "it could not be reaped after it was killed",
            ))
        }),
        ended,
        killed,
        held_open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Spec {
        Spec::shell(script, &std::env::temp_dir())
    }

    /// Whether any process of `group` is alive (not a zombie).
    pub(crate) fn group_alive(group: &str) -> bool {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return false;
        };
        entries.flatten().any(|entry| {
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            let Some((_, rest)) = stat.rsplit_once(") ") else {
                return false;
            };
            let fields: Vec<&str> = rest.split(' ').collect();
            fields.first() != Some(&"Z") && fields.get(2) == Some(&group)
        })
    }

    #[test]
    fn output_is_captured_with_stdin_closed_and_the_status_kept() {
        let finished = run(sh("cat; echo out; echo err >&2; exit 3")
            .stdout(Output::Capture { limit: 1024 })
            .stderr(Output::Tail { keep: 1024 }))
        .unwrap();
        assert_eq!(finished.stdout, b"out\n");
        assert_eq!(finished.stderr, b"err\n");
        assert_eq!(finished.ended.describe(), "exited with 3");
        assert_eq!(finished.ended.code(), Some(3));
    }

    #[test]
    fn output_goes_to_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = File::create(dir.path().join("out")).unwrap();
        let finished = run(Spec::shell("echo hi", dir.path()).stdout(Output::File(out))).unwrap();
        assert!(finished.ended.success());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("out")).unwrap(),
            "hi\n"
        );
    }

    #[test]
    fn a_timeout_kills_the_whole_process_group() {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let finished = run(Spec::shell("sleep 30 & echo $$ > group; wait", dir.path())
            .timeout(Some(Duration::from_millis(300))))
        .unwrap();
        assert_eq!(finished.ended, Ended::TimedOut(Duration::from_millis(300)));
        assert_eq!(finished.ended.describe(), "timed out after 300 ms");
        assert!(started.elapsed() < Duration::from_secs(5));
        let group = std::fs::read_to_string(dir.path().join("group")).unwrap();
        thread::sleep(Duration::from_millis(100));
        assert!(!group_alive(group.trim()), "the background sleep survived");
    }

    #[test]
    fn a_background_process_holding_the_captured_output_cannot_hold_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let finished = run(
            Spec::shell("echo found; echo $$ > group; sleep 1000 &", dir.path())
                .stdout(Output::Capture { limit: 1024 })
                .stderr(Output::Tail { keep: 1024 })
                .timeout(Some(Duration::from_secs(60))),
        )
        .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert!(finished.ended.success(), "{:?}", finished.ended);
        assert!(finished.held_open);
        assert_eq!(finished.stdout, b"found\n");
        let group = std::fs::read_to_string(dir.path().join("group")).unwrap();
        thread::sleep(Duration::from_millis(100));
        assert!(!group_alive(group.trim()), "the background sleep survived");
    }

    #[test]
    fn output_past_the_limit_kills_the_command() {
        let finished = run(sh("yes")
            .stdout(Output::Capture { limit: 100_000 })
            .timeout(Some(Duration::from_secs(60))))
        .unwrap();
        assert_eq!(finished.ended, Ended::TooMuchOutput { limit: 100_000 });
        assert_eq!(finished.stdout.len(), 100_000);
    }

    #[test]
    fn a_program_that_does_not_exist_is_an_error() {
        let err = run(Spec::program(
            "stablegate-no-such-program",
            &std::env::temp_dir(),
        ))
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot start `stablegate-no-such-program`: "),
            "{err}"
        );
    }

    #[test]
    fn what_a_command_left_running_is_killed_with_the_groups_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let finished = run(Spec::shell("echo $$ > group; sleep 1000 &", dir.path())).unwrap();
        assert!(finished.ended.success());
        let group = std::fs::read_to_string(dir.path().join("group")).unwrap();
        assert!(
            group_alive(group.trim()),
            "the sleep runs on after its shell"
        );
        // Not kill_all: the other tests' commands run in this process too.
        kill_left_behind();
        thread::sleep(Duration::from_millis(100));
        assert!(!group_alive(group.trim()), "the sleep was left running");
    }

    #[test]
    fn durations_read_in_their_largest_whole_unit() {
        assert_eq!(duration(Duration::from_millis(1500)), "1500 ms");
        assert_eq!(duration(Duration::from_secs(2)), "2 s");
        assert_eq!(duration(Duration::from_secs(600)), "10 min");
    }
}
