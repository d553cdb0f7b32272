//! The tree a gate run reads: the files on disk under the root, with some
//! files replaced or added in memory ([`Overlay`]).
//!
//! `check` reads the disk as it is ([`Tree::disk`]). The theater triad runs
//! the very same gate code over a mutated view of the tree: the mutated files
//! live only in the overlay, so the working tree is never written, even when
//! the process is killed. Which earlier results a mutated run may reuse is
//! the runner's business ([`crate::reuse`]), not the tree's. This module
//! reads files; it decides nothing.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// Files replaced or added in memory, by root-relative `/`-separated path.
#[derive(Debug, Default)]
pub struct Overlay {
    /// The text each file has in this view (already decoded, `\n` line ends).
    pub files: BTreeMap<String, String>,
}

/// A view of the project: the root on disk and an optional overlay.
#[derive(Debug, Clone, Copy)]
pub struct Tree<'a> {
    pub root: &'a Path,
    pub overlay: Option<&'a Overlay>,
}

impl<'a> Tree<'a> {
    /// The tree exactly as it is on disk.
    pub fn disk(root: &'a Path) -> Self {
        Tree {
            root,
            overlay: None,
        }
    }

    /// The same view over another (e.g. canonicalised) spelling of the root.
    pub fn with_root<'b>(&self, root: &'b Path) -> Tree<'b>
    where
        'a: 'b,
    {
        Tree {
            root,
            overlay: self.overlay,
        }
    }

    /// The bytes of a root-relative file in this view.
    pub fn read(&self, file: &str) -> std::io::Result<Cow<'a, [u8]>> {
        if let Some(text) = self.overlay.and_then(|overlay| overlay.files.get(file)) {
            return Ok(Cow::Borrowed(text.as_bytes()));
        }
        std::fs::read(self.root.join(file)).map(Cow::Owned)
    }

    /// The bytes of a root-relative file in this view, read from disk into
    /// `buffer` (its old content replaced, its capacity kept): a scan reads
    /// thousands of files, and reusing one buffer per thread spares a fresh
    /// allocation, and fresh pages, for each.
    pub fn read_into<'b>(&self, file: &str, buffer: &'b mut Vec<u8>) -> std::io::Result<&'b [u8]>
    where
        'a: 'b,
    {
        if let Some(text) = self.overlay.and_then(|overlay| overlay.files.get(file)) {
            return Ok(text.as_bytes());
        }
        buffer.clear();
        std::io::Read::read_to_end(&mut std::fs::File::open(self.root.join(file))?, buffer)?;
        Ok(buffer)
    }

    /// Whether the overlay holds this file.
    pub fn replaces(&self, file: &str) -> bool {
        self.overlay
            .is_some_and(|overlay| overlay.files.contains_key(file))
    }

    /// The files the overlay holds (none for the disk).
    pub fn replaced(&self) -> impl Iterator<Item = &'a str> {
        self.overlay
            .into_iter()
            .flat_map(|overlay| overlay.files.keys().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_files_shadow_the_disk_and_others_are_read_from_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.py"), "on disk\n").unwrap();
        std::fs::write(dir.path().join("b.py"), "b\n").unwrap();
        let mut overlay = Overlay::default();
        overlay.files.insert("a.py".into(), "in memory\n".into());
        overlay.files.insert("new.py".into(), "new\n".into());
        let tree = Tree {
            root: dir.path(),
            overlay: Some(&overlay),
        };
        assert_eq!(&*tree.read("a.py").unwrap(), b"in memory\n");
        assert_eq!(&*tree.read("b.py").unwrap(), b"b\n");
        assert_eq!(&*tree.read("new.py").unwrap(), b"new\n");
        let mut buffer = b"old bytes, longer than the file".to_vec();
        assert_eq!(tree.read_into("b.py", &mut buffer).unwrap(), b"b\n");
        assert_eq!(tree.read_into("a.py", &mut buffer).unwrap(), b"in memory\n");
        assert!(tree.replaces("new.py") && !tree.replaces("b.py"));
        assert_eq!(tree.replaced().collect::<Vec<_>>(), ["a.py", "new.py"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.py")).unwrap(),
            "on disk\n"
        );
        assert!(Tree::disk(dir.path()).read("new.py").is_err());
    }
}
