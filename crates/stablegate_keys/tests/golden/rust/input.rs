#![allow(dead_code)]
//! Crate doc: no key.

use std::fmt::{self, Display};

/// A doc comment: no key.
#[derive(Debug, Clone)]
pub struct Wrapper<'a, T: Display> {
    inner: &'a T,
    label: &'static str,
}

impl<'a, T: Display> fmt::Display for Wrapper<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.inner, r#"raw "quoted" # text"#)
    }
}

impl<'a, T: Display> Wrapper<'a, T> {
    pub fn new(inner: &'a T) -> Self {
        let label = r##"a "# inside"##;
        Wrapper { inner, label: "x" }
    }

    pub fn longest<'b>(&self, other: &'b str) -> &'b str where 'a: 'b {
        other
    }
}

pub trait Shape {
    fn area(&self) -> f64;
    fn name(&self) -> String {
        String::from("shape")
    }
}

pub enum Event {
    Click { x: i32, y: i32 },
    Key(char),
}

impl Shape for Box<dyn Shape> {
    fn area(&self) -> f64 {
        (**self).area()
    }
}

macro_rules! square {
    ($x:expr) => {
        $x * $x
    };
}

fn process(items: &[u8]) -> usize {
    let count = |x: &u8| -> usize { usize::from(*x) };
    let c = 'c';
    let b = b'b';
    'outer: for item in items {
        let nested = move || {
            let deeper = || 1;
            deeper()
        };
        if *item == b'#' {
            break 'outer;
        }
        let _ = nested;
    }
    items.iter().map(|x| count(x)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn works() {
        assert_eq!(process(b"ab"), 195);
    }
}
