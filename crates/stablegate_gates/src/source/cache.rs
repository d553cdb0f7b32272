//! The incremental scan cache (as ruff keeps `.ruff_cache/`; stablegate's is
//! outside the project by default, see docs/cache.md): what a pattern or
//! rule-file scan found in each file, and the keys of the findings' lines,
//! kept from one run to the next.
//!
//! An entry is used only for a file whose bytes hash (SHA-256) to the hash
//! stored with it, by a scan whose *plan* is the one that wrote it: the plan
//! fingerprint covers stablegate's version, the cache format, the locked
//! dependency versions (grammars included: `build.rs` hashes `Cargo.lock`),
//! the gate's rules as configured (the patterns, or the rule file's bytes),
//! its language and its `paths`. A changed file is scanned again; a cache
//! written by another version or for other rules is another file and is
//! never read. So the cache changes how long a check takes, never what it
//! finds: the property test in `tests/source/cache.rs` compares cached and
//! uncached outcomes over random edits.
//!
//! One file per plan, `<dir>/scan-<fingerprint>.bin`: a magic line, the
//! entries (path, content hash, encoded outcome: [`super::cache_codec`]) and
//! a SHA-256 of everything before it. A file that is missing, truncated,
//! corrupt or of another format is an empty cache (the scan does all the
//! work and writes a new one); a cache that cannot be written is skipped
//! silently: the cache is an optimisation, never a reason to fail. It is
//! rewritten (atomically) after a scan that added or changed an entry, with
//! the entries of the files that scan saw only. The directory gets a
//! `.gitignore` of `*` and a `CACHEDIR.TAG`, so that it is never committed
//! nor backed up.
//!
//! Only scans of the tree as it is on disk use it (`check`, `audit`,
//! `allow`, …): the theater's mutated views never read or write it.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use stablegate_config::{FindingSource, Gate};

use super::cache_codec::{self, Outcome};

/// Bumped whenever the encoding or what an outcome holds changes.
const FORMAT: &str = "stablegate-scan-cache 4";
const MAGIC: &[u8] = b"stablegate-scan-cache 4\n";

type Hash = [u8; 32];

/// A file a scan saw: its path, its hash and its entry when new or changed.
type Seen = (String, Hash, Option<Vec<u8>>);

/// The largest cache file read (a larger one is ignored and rewritten).
const LIMIT: u64 = 1 << 31;

/// The SHA-256 of a file's bytes.
pub(crate) fn hash(bytes: &[u8]) -> Hash {
    Sha256::digest(bytes).into()
}

/// The cache of one plan: what was loaded, and what this scan found.
pub(crate) struct PlanCache {
    path: PathBuf,
    /// The cache file as read (empty when there was none, intact).
    file: Vec<u8>,
    /// Each file's hash and where its entry lies in `file`.
    loaded: HashMap<String, (Hash, Range<usize>)>,
    /// Every file this scan saw, with its hash and, when new or changed,
    /// its entry (`None`: the loaded one).
    seen: Mutex<Vec<Seen>>,
}

impl PlanCache {
    /// The cache of `gate`'s scan in `dir`; `rules` is what the rules were
    /// compiled from (the patterns, or the rule file's bytes).
    pub(crate) fn open(dir: &Path, gate: &Gate, rules: &[u8]) -> PlanCache {
        let fingerprint = fingerprint(gate, rules);
        let path = dir.join(format!("scan-{fingerprint}.bin"));
        // A regular file of bounded size: whatever else sits at the name (a
        // FIFO, a link to `/dev/zero`) is an empty cache, never a hang.
        let bytes = stablegate_io::read::regular(&path, LIMIT).unwrap_or_default();
        let (file, loaded) = match parse(&bytes) {
            Some(loaded) => (bytes, loaded),
            None => (Vec::new(), HashMap::new()),
        };
        PlanCache {
            path,
            file,
            loaded,
            seen: Mutex::new(Vec::new()),
        }
    }

    /// The outcome cached for `file` when its bytes hash to `hash`.
    pub(crate) fn get(&self, file: &str, hash: &Hash) -> Option<Outcome> {
        let (stored, range) = self.loaded.get(file)?;
        if stored != hash {
            return None;
        }
        let outcome = cache_codec::decode(file, self.file.get(range.clone())?)?;
        self.seen(file, hash, None);
        Some(outcome)
    }

    /// Records what scanning `file` (bytes hashing to `hash`) gave.
    pub(crate) fn put(&self, file: &str, hash: &Hash, outcome: &Outcome) {
        self.seen(file, hash, Some(cache_codec::encode(outcome)));
    }

    fn seen(&self, file: &str, hash: &Hash, bytes: Option<Vec<u8>>) {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.push((file.to_owned(), *hash, bytes));
    }

    /// Writes the cache back when this scan changed it: the entries of the
    /// files it saw, in path order. Failures are ignored (see the module
    /// doc).
    pub(crate) fn store(self) {
        let mut seen = self
            .seen
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let changed = seen.iter().any(|entry| entry.2.is_some()) || seen.len() != self.loaded.len();
        if !changed {
            return;
        }
        seen.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&u64::try_from(seen.len()).unwrap_or(0).to_le_bytes());
        for (file, hash, bytes) in &seen {
            let bytes = match bytes {
                Some(bytes) => bytes,
                None => match (self.loaded.get(file))
                    .and_then(|(_, range)| self.file.get(range.clone()))
                {
                    Some(bytes) => bytes,
                    None => continue,
                },
            };
            put_bytes(&mut out, file.as_bytes());
            out.extend_from_slice(hash);
            put_bytes(&mut out, bytes);
        }
        let sum: Hash = Sha256::digest(&out).into();
        out.extend_from_slice(&sum);
        if let Some(dir) = self.path.parent() {
            if prepare(dir).is_ok() {
                let _ = stablegate_io::atomic::replace(&self.path, &out);
            }
        }
    }
}

/// The plan's fingerprint, hex.
fn fingerprint(gate: &Gate, rules: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [
        FORMAT,
        env!("CARGO_PKG_VERSION"),
        env!("STABLEGATE_LOCK_HASH"),
        &gate.name,
        &format!("{:?}", super::lang::built_in()),
        &format!("{:?}", gate.language),
        &format!("{:?}", gate.paths),
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    let kind: &[u8] = match &gate.source {
        FindingSource::Patterns(_) => b"patterns",
        FindingSource::RuleFile(_) => b"rule_file",
        FindingSource::Command(_) | FindingSource::Sarif(_) | FindingSource::Detector(_) => {
            b"external"
        }
    };
    hasher.update(kind);
    hasher.update((rules.len() as u64).to_le_bytes());
    hasher.update(rules);
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The entries of a cache file, each with where its outcome lies in
/// `bytes`; `None` when it is not one, intact.
fn parse(bytes: &[u8]) -> Option<HashMap<String, (Hash, Range<usize>)>> {
    let body = bytes.strip_prefix(MAGIC)?;
    let split = body.len().checked_sub(32)?;
    let (body, sum) = body.split_at(split);
    let whole = &bytes[..MAGIC.len() + body.len()];
    if Sha256::digest(whole).as_slice() != sum {
        return None;
    }
    // Offsets are into `bytes`, where the body starts after the magic line;
    // `take` gives the next `len` bytes as where they lie, never past the end.
    let mut at = MAGIC.len();
    let mut take = |len: usize| -> Option<Range<usize>> {
        let end = at.checked_add(len).filter(|&end| end <= whole.len())?;
        let taken = at..end;
        at = end;
        Some(taken)
    };
    let number = |range: Range<usize>| -> Option<usize> {
        usize::try_from(u64::from_le_bytes(whole[range].try_into().ok()?)).ok()
    };
    let count = number(take(8)?)?;
    let mut entries = HashMap::new();
    for _ in 0..count {
        let len = number(take(8)?)?;
        let file = std::str::from_utf8(&whole[take(len)?]).ok()?.to_owned();
        let hash: Hash = whole[take(32)?].try_into().ok()?;
        let len = number(take(8)?)?;
        entries.insert(file, (hash, take(len)?));
    }
    Some(entries)
}

/// Creates the cache directory with its `.gitignore` and `CACHEDIR.TAG`.
fn prepare(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        std::fs::write(
            gitignore,
            "# Created by stablegate: the scan cache is never committed.\n*\n",
        )?;
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by stablegate.\n# For information see https://bford.info/cachedir/\n",
        )?;
    }
    Ok(())
}
