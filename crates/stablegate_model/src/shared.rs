//! [`SharedStr`]: an immutable string whose clones share one allocation.
//!
//! Findings, sites and items repeat the same few strings many times: every
//! finding on a line carries that line's token, every finding of a file its
//! path, every item of a gate its rule and message. A rule matching 10,000
//! times on one 150 KB line would otherwise hold 10,000 copies of the line
//! (SPEC §12.6: memory stays proportional to the input). A `SharedStr` is an
//! `Arc<str>` that reads, compares, orders, hashes, prints and serialises as
//! the `str` it holds, so the model's output is exactly that of `String`.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{Arc, LazyLock};

use serde::{Serialize, Serializer};

/// An immutable, cheaply cloned string (see the module doc). Equality and
/// order are the text's; two clones of one value compare equal without
/// reading the text (a 150 KB token is compared once, not per sort step).
#[derive(Clone)]
pub struct SharedStr(Arc<str>);

/// Hashes the text, as `str` does, so equal texts hash alike whether or not
/// they share an allocation (and a `SharedStr` key is found by `&str`).
impl Hash for SharedStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Eq for SharedStr {}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &Self) -> Ordering {
        if Arc::ptr_eq(&self.0, &other.0) {
            Ordering::Equal
        } else {
            self.0.cmp(&other.0)
        }
    }
}

impl SharedStr {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether two values share one allocation (not merely equal text).
    pub fn ptr_eq(a: &SharedStr, b: &SharedStr) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

/// The one empty string every default shares.
static EMPTY: LazyLock<SharedStr> = LazyLock::new(|| SharedStr(Arc::from("")));

impl Default for SharedStr {
    fn default() -> Self {
        EMPTY.clone()
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        SharedStr(Arc::from(text))
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        SharedStr(Arc::from(text))
    }
}

impl From<&String> for SharedStr {
    fn from(text: &String) -> Self {
        SharedStr::from(text.as_str())
    }
}

impl From<&SharedStr> for SharedStr {
    fn from(text: &SharedStr) -> Self {
        text.clone()
    }
}

impl From<SharedStr> for String {
    fn from(text: SharedStr) -> Self {
        text.0.as_ref().to_owned()
    }
}

macro_rules! eq_with {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for SharedStr {
            fn eq(&self, other: &$other) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<SharedStr> for $other {
            fn eq(&self, other: &SharedStr) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}

eq_with!(str, &str, String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_text_and_compare_as_strings() {
        let a = SharedStr::from("x = a . b");
        let b = a.clone();
        assert!(SharedStr::ptr_eq(&a, &b));
        assert_eq!(a, "x = a . b");
        assert_eq!("x = a . b", a);
        assert_eq!(a, "x = a . b".to_owned());
        let (x, y) = (SharedStr::from("a"), SharedStr::from("b"));
        assert!(x < y);
        assert_eq!(format!("{a} {a:?}"), "x = a . b \"x = a . b\"");
        assert_eq!(SharedStr::default(), "");
    }

    #[test]
    fn serialises_as_the_string() {
        let text = SharedStr::from("é \"q\"");
        assert_eq!(
            serde_json::to_string(&text).unwrap(),
            serde_json::to_string("é \"q\"").unwrap()
        );
    }
}
