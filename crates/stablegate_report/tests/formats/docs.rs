//! The documented verdict lists cannot drift from [`Verdict::ALL`]: the
//! summary's `verdicts` map in docs/output-formats.md lists every verdict in
//! the order the JSON output writes them, and its SARIF table names each
//! one (a verdict added to the model fails here until it is documented).

use stablegate_model::Verdict;

fn doc(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn names() -> Vec<&'static str> {
    Verdict::ALL.iter().map(|verdict| verdict.name()).collect()
}

#[test]
fn the_json_example_lists_every_verdict_in_output_order() {
    let text = doc("docs/output-formats.md");
    let start = text
        .find("\"verdicts\":{")
        .expect("the summary's verdicts map");
    let end = start + text[start..].find('}').expect("its end");
    let listed: Vec<&str> = text[start + "\"verdicts\":{".len()..end]
        .split(',')
        .map(|pair| {
            pair.trim()
                .split(':')
                .next()
                .unwrap_or("")
                .trim_matches('"')
        })
        .collect();
    assert_eq!(listed, names());
}

#[test]
fn the_sarif_table_names_every_verdict() {
    let text = doc("docs/output-formats.md");
    let start = text.find("| verdict | `level` |").expect("the SARIF table");
    let table: String = text[start..]
        .lines()
        .take_while(|line| line.starts_with('|'))
        .map(|line| line.split('|').nth(1).unwrap_or(""))
        .collect::<Vec<_>>()
        .join(",");
    let missing: Vec<&str> = names()
        .into_iter()
        .filter(|name| !table.contains(&format!("`{name}`")))
        .collect();
    assert!(missing.is_empty(), "not in the SARIF table: {missing:?}");
}
