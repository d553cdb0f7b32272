//! PostgreSQL probes against a real server started here from Debian's
//! `postgresql` binaries on a loopback port: the same probe tests as for
//! SQLite (rows fingerprinted in order, a row edited between runs stops the
//! gate naming the probe and the first differing row), plus a server that
//! is not there (exit 2 before anything is written). Without the binaries
//! the tests print a NOTICE and pass, unless `CI` is set (`.ci/run`
//! installs them). As root, the server runs as the `postgres` user.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::release_fixture::{json, project, ATTEMPT1, CONFIG, ECHO};

/// A running server; stopped (and its files removed) on drop.
struct Server {
    child: Child,
    port: u16,
    bin: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn bin_dir() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .collect();
    candidates.sort();
    candidates
        .into_iter()
        .rev()
        .find(|dir| dir.join("initdb").is_file() && dir.join("postgres").is_file())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// `program args…`, as the `postgres` user when we are root (`setpriv`
/// execs the program itself, so the child's pid is the server's).
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("setpriv");
        command
            .args([
                "--reuid=postgres",
                "--regid=postgres",
                "--init-groups",
                "--",
            ])
            .arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn start() -> Option<Server> {
    let Some(bin) = bin_dir() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "PostgreSQL binaries are missing (CI is set: not skipping)"
        );
        eprintln!("NOTICE: PostgreSQL probe tests skipped: no /usr/lib/postgresql/*/bin/initdb");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    if is_root() {
        let owned = Command::new("chown")
            .args(["-R", "postgres"])
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(owned.success());
    }
    let init = as_server_user(&bin.join("initdb"))
        .args(["-A", "trust", "-U", "tester", "--no-sync", "-D"])
        .arg(&data)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(init.success(), "initdb failed");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = as_server_user(&bin.join("postgres"))
        .arg("-D")
        .arg(&data)
        .args([
            "-p",
            &port.to_string(),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
        ])
        .arg("-k")
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server {
        child,
        port,
        bin,
        _dir: dir,
    };
    let started = Instant::now();
    while server.psql("select 1").is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "postgres did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(server)
}

impl Server {
    fn url(&self) -> String {
        format!("postgres://tester@127.0.0.1:{}/postgres", self.port)
    }

    fn psql(&self, sql: &str) -> Result<String, String> {
        let output = Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-c",
                sql,
                &self.url(),
            ])
            .output()
            .map_err(|err| err.to_string())?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

fn config(url: &str) -> String {
    format!(
        "{CONFIG}\n[[release.rel.probe]]\nname = \"settled\"\nsql = \"select id, status, amount, placed from orders order by id\"\ndatabase = \"{url}\"\nexpect_lines = 2\nbetween_runs = true\n"
    )
}

#[test]
fn postgres_rows_are_fingerprinted_and_an_edited_row_stops_the_gate() {
    let Some(server) = start() else { return };
    server.psql("create table orders (id int, status text, amount numeric, placed date); insert into orders values (1, 'settled', 9.50, '2026-11-20'), (2, 'open', null, '2026-11-21')").unwrap();
    let psql = server.bin.join("psql").display().to_string();
    let edit_in_run_2 = format!(
        "if [ \"$STABLEGATE_STAGE\" = four-run ] && [ \"$STABLEGATE_RUN_NUMBER\" = 2 ]; then\n  '{psql}' -X -q -c \"update orders set status = 'closed' where id = 2\" '{}'\nfi\n",
        server.url()
    );
    let clean = project(&config(&server.url()), ECHO, ECHO);
    let outcome = clean.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let start = std::fs::read_to_string(
        clean
            .path()
            .join(format!("{ATTEMPT1}/probes/start/settled.txt")),
    )
    .unwrap();
    assert_eq!(start, "1|settled|9.50|2026-11-20\n2|open|NULL|2026-11-21\n");
    let edited = project(&config(&server.url()), ECHO, &edit_in_run_2);
    let outcome = edited.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let reason = "probe `settled` changed between before run 2 of stage `four-run` and after run 2 of stage `four-run`: 2 row(s) → 2 row(s); first differing row 2: `2|open|NULL|2026-11-21` → `2|closed|NULL|2026-11-21`";
    assert_eq!(
        json(&edited, &format!("{ATTEMPT1}/state.json"))["reason"],
        reason
    );
}

#[test]
fn a_server_that_is_not_there_is_bad_input_before_anything_is_written() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let project = project(
        &config(&format!(
            "postgres://tester:secret@127.0.0.1:{port}/postgres"
        )),
        ECHO,
        ECHO,
    );
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome.stderr.contains(&format!(
            "postgres://tester@127.0.0.1:{port}/postgres: cannot connect"
        )),
        "{outcome}"
    );
    assert!(!outcome.stderr.contains("secret"));
    assert!(!project.path().join("evidence").exists());
}
