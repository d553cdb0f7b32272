//! `MANIFEST.sha256`: the list of every file of a sealed attempt with its
//! SHA-256, in the format `sha256sum` writes and checks.
//!
//! One line per file, `<64 lowercase hex>  <path>`, paths relative to the
//! attempt directory, `/`-separated, sorted bytewise; the manifest does not
//! list itself. `sha256sum -c MANIFEST.sha256` run inside the attempt checks
//! it too. A symbolic link is never followed: it is hashed as the bytes of
//! its target path, so pointing it elsewhere changes its hash. A FIFO, a
//! device or a socket is never opened (a FIFO would block the reader
//! forever): it cannot be hashed, and [`hash_regular`] sets it apart with
//! its kind. Hashing runs in parallel over files (rayon); reading is
//! buffered in 256 KiB blocks.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use stablegate_io::read;

use crate::error::ReleaseError;

/// The manifest's file name, at the top of the attempt directory.
pub const MANIFEST: &str = "MANIFEST.sha256";

/// Relative path → lowercase hex SHA-256.
pub type Hashes = BTreeMap<String, String>;

/// Relative path and kind (`a FIFO`, …) of files that are neither regular
/// files nor symlinks.
pub type Special = Vec<(String, &'static str)>;

/// Every file under `dir` except the manifest, relative and sorted.
pub fn files(dir: &Path) -> Result<Vec<String>, ReleaseError> {
    let mut found = Vec::new();
    walk(dir, "", &mut found)?;
    found.retain(|path| path != MANIFEST);
    found.sort();
    Ok(found)
}

fn walk(dir: &Path, prefix: &str, found: &mut Vec<String>) -> Result<(), ReleaseError> {
    for entry in fs::read_dir(dir).map_err(ReleaseError::io(dir))? {
        let entry = entry.map_err(ReleaseError::io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type().map_err(ReleaseError::io(entry.path()))?;
        if kind.is_dir() {
            walk(&entry.path(), &relative, found)?;
        } else {
            found.push(relative);
        }
    }
    Ok(())
}

/// Hashes every listed file (in parallel); one that is not a regular file
/// or a symlink is an error.
pub fn hash_all(dir: &Path, paths: &[String]) -> Result<Hashes, ReleaseError> {
    paths
        .par_iter()
        .map(|path| Ok((path.clone(), hash_file(&dir.join(path))?)))
        .collect()
}

/// Hashes every listed regular file and symlink (in parallel); the others
/// (FIFOs, devices, sockets) are returned apart, with their kind.
pub fn hash_regular(dir: &Path, paths: &[String]) -> Result<(Hashes, Special), ReleaseError> {
    let results: Vec<(String, Result<String, ReleaseError>)> = paths
        .par_iter()
        .map(|path| (path.clone(), hash_file(&dir.join(path))))
        .collect();
    let mut hashes = Hashes::new();
    let mut special = Vec::new();
    for (path, result) in results {
        match result {
            Ok(hash) => {
                hashes.insert(path, hash);
            }
            Err(ReleaseError::Unreadable {
                source: read::ReadError::NotRegular(kind),
                ..
            }) => special.push((path, kind)),
            Err(err) => return Err(err),
        }
    }
    Ok((hashes, special))
}

/// The SHA-256 of one file (of a symlink: of its target path). Anything but
/// a regular file or a symlink is refused without being opened.
pub fn hash_file(path: &Path) -> Result<String, ReleaseError> {
    let mut hasher = Sha256::new();
    let meta = fs::symlink_metadata(path).map_err(ReleaseError::io(path))?;
    if meta.file_type().is_symlink() {
        let target = fs::read_link(path).map_err(ReleaseError::io(path))?;
        hasher.update(target.as_os_str().as_encoded_bytes());
    } else {
        let unreadable = |source| ReleaseError::Unreadable {
            path: path.to_owned(),
            source,
        };
        if let Some(kind) = read::special_kind(&meta) {
            return Err(unreadable(read::ReadError::NotRegular(kind)));
        }
        let (mut file, _) = read::open_regular(path).map_err(unreadable)?;
        let mut buffer = vec![0; 256 * 1024];
        loop {
            let read = file.read(&mut buffer).map_err(ReleaseError::io(path))?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
    }
    Ok(hex(&hasher.finalize()))
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest's text.
pub fn render(hashes: &Hashes) -> String {
    hashes
        .iter()
        .map(|(path, hash)| format!("{hash}  {path}\n"))
        .collect()
}

/// Reads a manifest; malformed lines are returned as messages.
pub fn parse(text: &str) -> (Hashes, Vec<String>) {
    let mut hashes = Hashes::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let parsed = line.split_once("  ").filter(|(hash, path)| {
            hash.len() == 64
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                && !path.is_empty()
        });
        match parsed {
            Some((hash, path)) if hashes.insert(path.to_owned(), hash.to_owned()).is_none() => {}
            Some((_, path)) => problems.push(format!(
                "{MANIFEST}:{}: `{path}` is listed twice",
                index + 1
            )),
            None => problems.push(format!(
                "{MANIFEST}:{}: not a `<sha256>  <path>` line",
                index + 1
            )),
        }
    }
    (hashes, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sha256_sum_compatible() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a"), b"abc").unwrap();
        assert_eq!(
            hash_file(&dir.path().join("a")).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_fifo_is_set_apart_without_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a"), b"abc").unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join("p"))
            .status()
            .unwrap();
        assert!(made.success());
        let paths = files(dir.path()).unwrap();
        let (hashes, special) = hash_regular(dir.path(), &paths).unwrap();
        assert_eq!(hashes.keys().collect::<Vec<_>>(), ["a"]);
        assert_eq!(special, [("p".to_owned(), "a FIFO")]);
        assert!(hash_file(&dir.path().join("p")).is_err());
    }

    #[test]
    fn a_manifest_round_trips_and_bad_lines_are_named() {
        let hashes = Hashes::from([
            ("logs/a b.txt".to_owned(), "0".repeat(64)),
            ("state.json".to_owned(), "f".repeat(64)),
        ]);
        assert_eq!(parse(&render(&hashes)), (hashes, vec![]));
        let (_, problems) = parse("xyz  a\n");
        assert_eq!(
            problems,
            ["MANIFEST.sha256:1: not a `<sha256>  <path>` line"]
        );
    }

    #[test]
    fn files_are_listed_recursively_without_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("runs")).unwrap();
        fs::write(dir.path().join("runs/run-1.json"), b"{}").unwrap();
        fs::write(dir.path().join("state.json"), b"{}").unwrap();
        fs::write(dir.path().join(MANIFEST), b"").unwrap();
        assert_eq!(
            files(dir.path()).unwrap(),
            ["runs/run-1.json", "state.json"]
        );
    }
}
