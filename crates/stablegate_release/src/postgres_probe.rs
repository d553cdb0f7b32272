//! `sql` probes against PostgreSQL (`database = "postgres://…"`): the rows
//! of a query, in order, as snapshot lines.
//!
//! The query runs through the simple-query protocol, so every value
//! arrives in PostgreSQL's own text format (`t`/`f` for booleans, ISO dates,
//! `\x…` for bytea) and needs no per-type conversion; `NULL` stands for
//! null and columns are joined by `|`, as for SQLite. The connection is
//! plain TCP or a Unix socket (no TLS), with a 10-second connect timeout
//! unless the URL sets `connect_timeout`, and is read-only in intent: the
//! query runs inside a `READ ONLY` transaction that is rolled back.

use std::str::FromStr;
use std::time::Duration;

use postgres::{Config, NoTls, SimpleQueryMessage};

use crate::probe::ProbeError;

/// The rows of `sql` at `url`.
pub fn rows(sql: &str, url: &str) -> Result<Vec<String>, ProbeError> {
    query(sql, url).map_err(ProbeError::Query)
}

fn query(sql: &str, url: &str) -> Result<Vec<String>, String> {
    let shown = redact(url);
    let mut config =
        Config::from_str(url).map_err(|err| format!("`{shown}` is not a postgres URL: {err}"))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    let mut client = config
        .connect(NoTls)
        .map_err(|err| format!("{shown}: cannot connect: {}", one_line(&err)))?;
    let mut transaction = (client.build_transaction())
        .read_only(true)
        .start()
        .map_err(|err| format!("{shown}: {}", one_line(&err)))?;
    let messages = transaction
        .simple_query(sql)
        .map_err(|err| format!("`{sql}`: {}", one_line(&err)))?;
    let mut lines = Vec::new();
    for message in messages {
        if let SimpleQueryMessage::Row(row) = message {
            let cells: Vec<&str> = (0..row.len())
                .map(|column| row.get(column).unwrap_or("NULL"))
                .collect();
            lines.push(cells.join("|"));
        }
    }
    let _ = transaction.rollback();
    Ok(lines)
}

/// The URL without its password, for messages and evidence.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

fn one_line(err: &postgres::Error) -> String {
    let mut text = err.to_string();
    if let Some(db) = err.as_db_error() {
        text = format!("{}: {}", db.severity(), db.message());
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            redact("postgres://u:secret@127.0.0.1:5432/db"),
            "postgres://u@127.0.0.1:5432/db"
        );
        assert_eq!(redact("postgres://127.0.0.1/db"), "postgres://127.0.0.1/db");
        assert!(rows("select 1", "postgres://u:secret@/db?port=notaport")
            .unwrap_err()
            .to_string()
            .starts_with("`postgres://u@/db?port=notaport` is not a postgres URL"));
    }
}
