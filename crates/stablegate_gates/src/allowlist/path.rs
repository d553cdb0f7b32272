//! The lexical check that an entry's `file` stays inside the project root.
//!
//! Responsible for what can be decided from the text alone: absolute paths
//! and `..` components. Not responsible for symlinks that lead outside the
//! root: only the filesystem knows, so the caller checks those and tells
//! reconciliation (see `ReconcileInput::escaping_files`).

/// Whether `file` leaves the root by its text: an absolute path (`/x`,
/// `\x`, `C:x`, `//server/x`) or any `..` component (`/` and `\` both
/// separate components, so a path written on Windows is judged the same).
pub fn escapes_root(file: &str) -> bool {
    let absolute = file.starts_with('/') || file.starts_with('\\') || has_drive_prefix(file);
    absolute || file.split(['/', '\\']).any(|component| component == "..")
}

/// Whether `file` is written the way stablegate writes paths: root-relative,
/// `/`-separated, without empty, `.` or `..` components. Keys compare paths
/// as text, so `./src/a.py` or `src\\a.py` would never match a live site.
pub fn is_canonical_path(file: &str) -> bool {
    !file.is_empty()
        && !file.contains('\\')
        && file
            .split('/')
            .all(|component| !component.is_empty() && component != "." && component != "..")
}

fn has_drive_prefix(file: &str) -> bool {
    let bytes = file.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_slash_separated_relative_paths_are_canonical() {
        assert!(is_canonical_path("src/shop/meta.py"));
        assert!(is_canonical_path("a.py"));
        for file in [
            "./src/a.py",
            "src\\a.py",
            "src//a.py",
            "src/./a.py",
            "src/",
            "",
            "/a.py",
        ] {
            assert!(!is_canonical_path(file), "{file}");
        }
    }

    #[test]
    fn parent_components_and_absolute_paths_escape() {
        for file in [
            "../x.py",
            "src/../../x.py",
            "src/..",
            "..",
            "/etc/passwd",
            "\\\\server\\share\\x.py",
            "C:\\x.py",
            "c:x.py",
            "src\\..\\..\\x.py",
        ] {
            assert!(escapes_root(file), "{file}");
        }
    }

    #[test]
    fn relative_paths_inside_the_root_do_not_escape() {
        for file in [
            "src/x.py",
            "./src/x.py",
            "src/..x/y.py",
            "a/b..c.py",
            "src/x:y.py",
            "",
        ] {
            assert!(!escapes_root(file), "{file}");
        }
    }
}
