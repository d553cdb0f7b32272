//! Finding one pytest marker in a Python file, and the test nodes pytest
//! would collect there.
//!
//! Decorator structure comes from tree-sitter's Python grammar (through the
//! ast-grep crates the workspace already builds), not from the keys crate's
//! tokenizer: decorators, class bodies, `pytestmark` assignments and call
//! arguments are tree shapes, and comments are nodes with positions, so the
//! trailing comment of a marker line is found without re-lexing strings.
//!
//! A marker is the configured dotted name (`pytest.mark.quarantine`) used
//! as a decorator, bare or called (`@pytest.mark.quarantine(reason="…")`),
//! or as an element of `pytestmark = …` (a list, a tuple, or one value) at
//! module or class level. Test nodes follow pytest's default collection:
//! module-level functions named `test*`, and methods named `test*` of
//! classes named `Test*` (nested `Test*` classes too). A node is marked by
//! its own decorators, its classes' decorators and `pytestmark`, and the
//! module's `pytestmark`. Parametrization is not expanded: one function is
//! one node. Which files are test files is the caller's business.

use ast_grep_core::tree_sitter::StrDoc;
use ast_grep_core::{AstGrep, Node};
use ast_grep_language::SupportLang;

type PyNode<'r> = Node<'r, StrDoc<SupportLang>>;

/// One use of the marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// 1-based line of the marker expression.
    pub line: usize,
    /// What it marks: the dotted qualname of the class or function, or
    /// `<module>` for a module-level `pytestmark`.
    pub on: String,
    /// The trailing comment on the marker's line, without `#`, trimmed.
    pub comment: Option<String>,
    /// The `reason=` argument, when it is a string literal.
    pub argument: Option<String>,
}

/// A test node pytest would collect, with the marks that apply to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestNode {
    /// `TestA::test_b`, the node id without the file.
    pub id: String,
    /// `TestA.test_b`.
    pub qualname: String,
    /// 1-based line of the `def`.
    pub line: usize,
    /// Indexes into [`FileMarks::marks`].
    pub marks: Vec<usize>,
}

/// What one file holds of the marker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileMarks {
    pub marks: Vec<Mark>,
    /// Every collected test node, marked or not.
    pub tests: Vec<TestNode>,
}

/// Scans `source` for `decorator` (a dotted name).
pub fn scan(source: &str, decorator: &str) -> FileMarks {
    let parsed = AstGrep::new(source, SupportLang::Python);
    let root = parsed.root();
    let comments: Vec<(usize, usize, String)> = root
        .dfs()
        .filter(|node| node.kind() == "comment")
        .map(|node| {
            let (row, column) = node.start_pos().byte_point();
            let text = node.text().trim_start_matches('#').trim().to_owned();
            (row, column, text)
        })
        .collect();
    let mut scanner = Scanner {
        decorator: decorator.to_owned(),
        comments,
        out: FileMarks::default(),
    };
    let context = Context {
        path: Vec::new(),
        inherited: Vec::new(),
        collects: true,
        at_module: true,
    };
    scanner.block(&root, &context);
    scanner.out
}

struct Scanner {
    decorator: String,
    comments: Vec<(usize, usize, String)>,
    out: FileMarks,
}

#[derive(Clone)]
struct Context {
    /// Enclosing class names.
    path: Vec<String>,
    /// Marks that apply to everything in this block.
    inherited: Vec<usize>,
    /// Whether pytest collects tests here (the module, or a `Test*` class).
    collects: bool,
    at_module: bool,
}

impl Scanner {
    fn block(&mut self, block: &PyNode<'_>, cx: &Context) {
        let on = if cx.at_module {
            "<module>".to_owned()
        } else {
            cx.path.join(".")
        };
        let mut inherited = cx.inherited.clone();
        for statement in block.children() {
            if statement.kind() != "expression_statement" {
                continue;
            }
            for assignment in statement.children().filter(|n| n.kind() == "assignment") {
                let is_pytestmark = assignment
                    .field("left")
                    .is_some_and(|left| left.kind() == "identifier" && left.text() == "pytestmark");
                if let (true, Some(right)) = (is_pytestmark, assignment.field("right")) {
                    let elements: Vec<PyNode> = match right.kind().as_ref() {
                        "list" | "tuple" | "parenthesized_expression" => {
                            right.named_children().collect()
                        }
                        _ => vec![right],
                    };
                    for element in elements {
                        inherited.extend(self.mark(&element, &on));
                    }
                }
            }
        }
        let inner = Context {
            inherited,
            ..cx.clone()
        };
        for statement in block.children() {
            match statement.kind().as_ref() {
                "decorated_definition" => {
                    let Some(definition) = statement.field("definition") else {
                        continue;
                    };
                    let name = definition
                        .field("name")
                        .map(|n| n.text().into_owned())
                        .unwrap_or_default();
                    let mut on = cx.path.clone();
                    on.push(name);
                    let on = on.join(".");
                    let own: Vec<usize> = statement
                        .children()
                        .filter(|n| n.kind() == "decorator")
                        .filter_map(|decorator| {
                            let expression =
                                decorator.named_children().find(|n| n.kind() != "comment")?;
                            self.mark(&expression, &on)
                        })
                        .collect();
                    self.definition(&definition, own, &inner);
                }
                "function_definition" | "class_definition" => {
                    self.definition(&statement, Vec::new(), &inner);
                }
                _ => {}
            }
        }
    }

    fn definition(&mut self, definition: &PyNode<'_>, own: Vec<usize>, cx: &Context) {
        let Some(name) = definition.field("name").map(|n| n.text().into_owned()) else {
            return;
        };
        let mut marks = cx.inherited.clone();
        marks.extend(own);
        let mut path = cx.path.clone();
        path.push(name.clone());
        match definition.kind().as_ref() {
            "function_definition" if cx.collects && name.starts_with("test") => {
                self.out.tests.push(TestNode {
                    id: path.join("::"),
                    qualname: path.join("."),
                    line: definition.start_pos().line() + 1,
                    marks,
                });
            }
            "class_definition" => {
                let collects = cx.collects && name.starts_with("Test");
                if let Some(body) = definition.field("body") {
                    let inner = Context {
                        path,
                        inherited: marks,
                        collects,
                        at_module: false,
                    };
                    self.block(&body, &inner);
                }
            }
            _ => {}
        }
    }

    /// Records `expression` if it is the marker; its index.
    fn mark(&mut self, expression: &PyNode<'_>, on: &str) -> Option<usize> {
        let (name, arguments) = match expression.kind().as_ref() {
            "call" => (expression.field("function")?, expression.field("arguments")),
            "attribute" | "identifier" => (expression.clone(), None),
            _ => return None,
        };
        let written: String = name.text().chars().filter(|c| !c.is_whitespace()).collect();
        if written != self.decorator {
            return None;
        }
        let (start_row, _) = expression.start_pos().byte_point();
        let (end_row, end_column) = expression.end_pos().byte_point();
        let comment = (self.comments.iter())
            .find(|(row, column, _)| *row == end_row && *column >= end_column)
            .map(|(_, _, text)| text.clone());
        let argument = arguments.and_then(|arguments| {
            arguments
                .children()
                .filter(|n| n.kind() == "keyword_argument")
                .find(|n| n.field("name").is_some_and(|name| name.text() == "reason"))
                .and_then(|n| n.field("value"))
                .and_then(|value| string_value(&value))
        });
        self.out.marks.push(Mark {
            line: start_row + 1,
            on: on.to_owned(),
            comment,
            argument,
        });
        Some(self.out.marks.len() - 1)
    }
}

/// The text of a string literal (or of adjacent literals), escapes kept.
fn string_value(node: &PyNode<'_>) -> Option<String> {
    match node.kind().as_ref() {
        "string" => Some(
            node.children()
                .filter(|n| n.kind() == "string_content")
                .map(|n| n.text().into_owned())
                .collect(),
        ),
        "concatenated_string" => node.named_children().map(|n| string_value(&n)).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: &str = "pytest.mark.quarantine";

    fn marked(scan: &FileMarks) -> Vec<(&str, Vec<usize>)> {
        (scan.tests.iter())
            .filter(|test| !test.marks.is_empty())
            .map(|test| {
                let lines = test.marks.iter().map(|&i| scan.marks[i].line).collect();
                (test.id.as_str(), lines)
            })
            .collect()
    }

    #[test]
    fn decorators_bare_called_and_stacked_mark_their_test() {
        let src = "import pytest\n\n@pytest.mark.slow\n@pytest.mark.quarantine  # flaky — #1\ndef test_a():\n    pass\n\n@pytest.mark.quarantine(reason=\"races — #2\")\nasync def test_b():\n    pass\n\ndef test_c():\n    pass\n\n@pytest.mark.quarantine\ndef helper():\n    pass\n";
        let scan = scan(src, Q);
        assert_eq!(marked(&scan), [("test_a", vec![4]), ("test_b", vec![8])]);
        assert_eq!(scan.tests.len(), 3);
        assert_eq!(scan.marks.len(), 3);
        assert_eq!(scan.marks[0].comment.as_deref(), Some("flaky — #1"));
        assert_eq!(scan.marks[1].argument.as_deref(), Some("races — #2"));
        assert_eq!(scan.marks[1].comment, None);
        assert_eq!(scan.marks[2].on, "helper");
    }

    #[test]
    fn class_markers_count_their_test_methods_only() {
        let src = "@pytest.mark.quarantine  # slow — #3\nclass TestA:\n    def test_x(self):\n        pass\n\n    def helper(self):\n        pass\n\n    class TestInner:\n        def test_y(self):\n            pass\n\nclass Helper:\n    pytestmark = pytest.mark.quarantine  # why — #4\n    def test_z(self):\n        pass\n";
        let scan = scan(src, Q);
        assert_eq!(
            marked(&scan),
            [
                ("TestA::test_x", vec![1]),
                ("TestA::TestInner::test_y", vec![1])
            ]
        );
        assert_eq!(scan.marks.len(), 2);
        assert_eq!(scan.marks[1].on, "Helper");
    }

    #[test]
    fn module_pytestmark_as_list_or_single_value_marks_every_test() {
        let list = "pytestmark = [\n    pytest.mark.slow,\n    pytest.mark.quarantine,  # db — #5\n]\n\ndef test_a():\n    pass\n\nclass TestB:\n    def test_c(self):\n        pass\n";
        let scan_list = scan(list, Q);
        assert_eq!(
            marked(&scan_list),
            [("test_a", vec![3]), ("TestB::test_c", vec![3])]
        );
        assert_eq!(scan_list.marks[0].comment.as_deref(), Some("db — #5"));
        assert_eq!(scan_list.marks[0].on, "<module>");
        let single = "pytestmark = pytest.mark.quarantine\n\ndef test_a():\n    pass\n";
        assert_eq!(marked(&scan(single, Q)), [("test_a", vec![1])]);
    }

    #[test]
    fn other_markers_and_lookalikes_are_not_the_marker() {
        let src = "@pytest.mark.quarantined\ndef test_a():\n    pass\n\n@mark.quarantine\ndef test_b():\n    pass\n\nx = pytest.mark.quarantine  # not pytestmark\n";
        let scan = scan(src, Q);
        assert!(scan.marks.is_empty(), "{:?}", scan.marks);
        assert_eq!(scan.tests.len(), 2);
    }
}
