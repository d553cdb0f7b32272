//! The result file a scenario may write (SPEC §10.1): a JSON object
//! `{"status","failure_mode","details"}` at `STABLEGATE_RESULT_FILE` that
//! overrides what the exit code says.
//!
//! Only the documented shape is accepted: `status` is `"pass"` or `"fail"`,
//! `failure_mode` a string or null, `details` any JSON value or null, and no
//! other key. A file that is not that is bad input: the scenario fails with
//! `failure_mode = "invalid_result_file"` and the gate cannot decide
//! (exit 2), because a typo must never read as a verdict either way. So is
//! anything at the path that is not a regular file of at most 16 MiB (a
//! directory, a FIFO, a device, a dangling symlink): [`read`] never opens a
//! FIFO, which would block the run for good.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use stablegate_io::read::{self, ReadError};

/// The largest result file read: 16 MiB.
pub const LIMIT: u64 = 16 << 20;

/// The bytes of the result file at `path`; `None` when nothing is there.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, ReadError> {
    read_present(path, LIMIT)
}

/// The bytes of a file a command was to write at `path` (of at most
/// `limit` bytes); `None` when nothing is there, an error when what is
/// there is not a regular file (never opened if it is a FIFO).
pub fn read_present(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    read::regular(path, limit).map(Some)
}

/// A scenario's verdict as the scenario itself wrote it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultFile {
    pub status: Status,
    #[serde(default)]
    pub failure_mode: Option<String>,
    #[serde(default)]
    pub details: Option<Value>,
}

/// A scenario's status. `skipped` comes only from JUnit reports; a result
/// file may not claim it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Skipped,
}

/// Why a result file is not a verdict.
#[derive(Debug, thiserror::Error)]
pub enum ResultFileError {
    #[error("{SHAPE}: {0}")]
    Shape(serde_json::Error),
    #[error("{SHAPE}: a scenario cannot report itself `skipped`")]
    Skipped,
}

const SHAPE: &str =
    "not the documented JSON object {\"status\": \"pass\"|\"fail\", \"failure_mode\", \"details\"}";

/// Reads a result file's bytes.
pub fn parse(bytes: &[u8]) -> Result<ResultFile, ResultFileError> {
    let file: ResultFile = serde_json::from_slice(bytes).map_err(ResultFileError::Shape)?;
    if file.status == Status::Skipped {
        return Err(ResultFileError::Skipped);
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_object_is_read() {
        let file =
            parse(br#"{"status":"fail","failure_mode":"for_review","details":{"n":1}}"#).unwrap();
        assert_eq!(file.status, Status::Fail);
        assert_eq!(file.failure_mode.as_deref(), Some("for_review"));
        assert_eq!(parse(br#"{"status":"pass"}"#).unwrap().failure_mode, None);
    }

    #[test]
    fn only_a_regular_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("1.json");
        assert!(read(&path).unwrap().is_none());
        std::fs::create_dir(&path).unwrap();
        assert_eq!(
            read(&path).unwrap_err().to_string(),
            "is a directory, not a regular file"
        );
        std::fs::remove_dir(&path).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        assert_eq!(
            read(&path).unwrap_err().to_string(),
            "is a character device, not a regular file"
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            "pass",
            "[]",
            r#"{"status":"ok"}"#,
            r#"{"status":"skipped"}"#,
            r#"{"status":"pass","extra":1}"#,
            r#"{"failure_mode":"x"}"#,
        ] {
            assert!(
                parse(text.as_bytes())
                    .unwrap_err()
                    .to_string()
                    .starts_with("not the documented JSON"),
                "{text}"
            );
        }
    }
}
