//! From scope spans to the qualname of every line.
//!
//! A line's qualname is the innermost named scope whose span holds it. Scopes
//! nest, except that two siblings can share a line (`}; function b() {`);
//! both rules are one: the line belongs to the *last* scope, in source order,
//! whose span holds it (an inner scope comes after its outer one; of two
//! siblings sharing a line, the one starting there wins). Painting scopes in
//! reverse source order, each line once, with a "next unpainted line" forest,
//! makes this linear where painting every span would be quadratic in the
//! nesting depth.

use super::walk::ScopeSpan;

/// The qualname index of every line (`u32::MAX` for `<module>`) and the
/// qualnames the indices point to.
pub(crate) fn assign(scopes: Vec<ScopeSpan>, line_count: usize) -> (Vec<u32>, Vec<String>) {
    let mut qualnames = vec![u32::MAX; line_count];
    // next[i]: the first unpainted line index >= i (line_count: none).
    let mut next: Vec<usize> = (0..=line_count).collect();
    for (index, scope) in scopes.iter().enumerate().rev() {
        let first = scope.start_line.saturating_sub(1).min(line_count);
        let end = scope.end_line.min(line_count);
        let mut line = find(&mut next, first);
        while line < end {
            qualnames[line] = index as u32;
            next[line] = line + 1;
            line = find(&mut next, line + 1);
        }
    }
    let names = scopes.into_iter().map(|s| s.qualname).collect();
    (qualnames, names)
}

/// The root of `i` in the forest, halving paths on the way.
fn find(next: &mut [usize], mut i: usize) -> usize {
    while next[i] != i {
        next[i] = next[next[i]];
        i = next[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start_line: usize, end_line: usize, qualname: &str) -> ScopeSpan {
        ScopeSpan {
            start_line,
            end_line,
            qualname: qualname.to_string(),
        }
    }

    fn names_by_line(scopes: Vec<ScopeSpan>, lines: usize) -> Vec<String> {
        let (indices, names) = assign(scopes, lines);
        indices
            .into_iter()
            .map(|i| names.get(i as usize).cloned().unwrap_or("<module>".into()))
            .collect()
    }

    #[test]
    fn innermost_scope_wins_and_siblings_sharing_a_line_go_to_the_later() {
        let got = names_by_line(
            vec![
                span(2, 8, "A"),
                span(3, 4, "A.f"),
                span(4, 6, "A.g"),
                span(5, 5, "A.g.h"),
            ],
            9,
        );
        assert_eq!(
            got,
            ["<module>", "A", "A.f", "A.g", "A.g.h", "A.g", "A", "A", "<module>"]
        );
    }

    #[test]
    fn deep_nesting_is_linear() {
        let n = 200_000;
        let scopes = (0..n).map(|i| span(i + 1, 2 * n - i, "x")).collect();
        let (indices, _) = assign(scopes, 2 * n);
        assert_eq!(indices[0], 0);
        assert_eq!(indices[n - 1], (n - 1) as u32);
        assert_eq!(indices[n], (n - 1) as u32);
        assert_eq!(indices[2 * n - 1], 0);
    }
}
