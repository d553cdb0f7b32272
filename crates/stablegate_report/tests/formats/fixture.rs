//! The report every format test renders: three gates, every verdict.

use stablegate_model::EntryRef;
use stablegate_model::{GateKind, GateOutcome, Item, Suggestion, Verdict};
use stablegate_report::{MemorySources, Report};

pub const ALLOWLIST: &str = "tests/architecture/inline_meta_read_allowlist.yaml";

#[expect(clippy::unnecessary_wraps, reason = "an item's `entry` is an `Option`")]
fn entry(line: usize) -> Option<EntryRef> {
    Some(EntryRef {
        allowlist: ALLOWLIST.to_owned().into(),
        line,
    })
}

fn item(verdict: Verdict, file: &str, line: Option<usize>, qualname: &str, token: &str) -> Item {
    let mut item = Item::new(verdict, file, line, qualname, token);
    item.rule = "inline_meta_read".to_owned().into();
    item.message = "read meta.json through load_meta()".to_owned().into();
    item
}

/// A red code gate with every allowlist verdict, a red gate of entry and
/// parse errors, a green gate with a parse warning, and an empty green gate.
pub fn report() -> Report {
    let mut violation = item(
        Verdict::Violation,
        "src/pkg/loader.py",
        Some(12),
        "Loader.load",
        "meta = json . load ( f )",
    );
    // Rendered "- file: src/pkg/loader.py\n  qualname: Loader.load\n  line: 12\n
    // token: \"meta = json . load ( f )\"\n  rationale: …" from the item's key.
    violation.suggestion = Some(Suggestion::Entry { count: None });
    let mut changed = item(
        Verdict::Changed,
        "src/pkg/loader.py",
        Some(30),
        "Loader.save",
        "json . dump ( meta , f , indent = 2 )",
    );
    changed.more_mut().old_token = Some("json . dump ( meta , f )".to_owned());
    changed.more_mut().entry = entry(9);
    let mut moved = item(
        Verdict::Moved,
        "src/pkg/old.py",
        Some(5),
        "read_meta",
        "return json . load ( f )",
    );
    moved.more_mut().moved_to = Some("src/pkg/new.py".to_owned());
    moved.more_mut().entry = entry(15);
    let mut stale = item(
        Verdict::Stale,
        "src/pkg/schema.py",
        Some(56),
        "SchemaCheck.detect",
        "meta = json . load ( f )",
    );
    stale.more_mut().nearest = Some("meta = json . loads ( text )".to_owned());
    stale.more_mut().entry = entry(21);
    stale.more_mut().rationale = Some("legacy schema probe".to_owned().into());
    let mut count = item(
        Verdict::Count,
        "src/pkg/migrate.py",
        Some(8),
        "migrate",
        "data = json . load ( fh )",
    );
    count.more_mut().expected = Some(2);
    count.more_mut().actual = Some(3);
    count.more_mut().entry = entry(27);
    let mut baseline = item(Verdict::Baseline, ALLOWLIST, Some(1), "", "");
    baseline.more_mut().expected = Some(7);
    baseline.more_mut().actual = Some(6);
    let mut expired = item(
        Verdict::Expired,
        "src/pkg/tmp.py",
        Some(3),
        "<module>",
        "cfg = json . load ( open ( p ) )",
    );
    expired.more_mut().entry = entry(33);
    expired.more_mut().rationale = Some("bootstrap, until #2477 lands".to_owned().into());
    expired.detail = Some("expired on 2026-03-31".to_owned().into());
    let mut ok = item(
        Verdict::Ok,
        "src/pkg/m_0_13.py",
        Some(56),
        "SchemaCheck.detect",
        "meta = json . load ( f )",
    );
    ok.more_mut().entry = entry(3);
    ok.more_mut().rationale = Some(
        "migration reads the raw file, données brutes"
            .to_owned()
            .into(),
    );
    let mut ok_bare = item(
        Verdict::Ok,
        "src/pkg/m_0_14.py",
        Some(7),
        "<module>",
        "raw = json . load ( f )",
    );
    ok_bare.more_mut().entry = entry(39);
    let code = GateOutcome::new(
        "inline_meta_read",
        GateKind::Code,
        vec![
            violation, changed, moved, stale, count, baseline, expired, ok, ok_bare,
        ],
    );

    let mut ambiguous = Item::new(
        Verdict::Ambiguous,
        "src/pkg/loader.py",
        Some(14),
        "Loader.load",
        "meta = json …",
    );
    ambiguous.rule = "no-eval".to_owned().into();
    ambiguous.message = "do not call eval".to_owned().into();
    ambiguous.more_mut().entry = Some(EntryRef {
        allowlist: "gates/no_eval.yaml".to_owned().into(),
        line: 4,
    });
    ambiguous.detail = Some(
        "the truncated token `meta = json …` selects 2 live keys in Loader.load"
            .to_owned()
            .into(),
    );
    let mut invalid = Item::new(
        Verdict::Invalid,
        "src/pkg/util.py",
        None,
        "helper",
        "x=eval(s)",
    );
    invalid.rule = "no-eval".to_owned().into();
    invalid.message = "do not call eval".to_owned().into();
    invalid.more_mut().entry = Some(EntryRef {
        allowlist: "gates/no_eval.yaml".to_owned().into(),
        line: 10,
    });
    invalid.detail = Some(
        "`token` is not in canonical form (`x = eval ( s )`): copy it from `stablegate key`"
            .to_owned()
            .into(),
    );
    let mut parse_error = Item::new(Verdict::ParseError, "src/broken.py", None, "<module>", "");
    parse_error.rule = "no_eval".to_owned().into();
    parse_error.detail = Some(
        "does not parse: invalid syntax at line 3, column 9"
            .to_owned()
            .into(),
    );
    let entries = GateOutcome::new(
        "no_eval",
        GateKind::Code,
        vec![ambiguous, invalid, parse_error],
    );

    let mut warning = Item::new(
        Verdict::ParseWarning,
        "src/odd, name.py",
        None,
        "<module>",
        "",
    );
    warning.rule = "quiet".to_owned().into();
    warning.detail = Some(
        "is not UTF-8 (byte 0xff at offset 17): skipped"
            .to_owned()
            .into(),
    );
    let quiet_ok = Item::new(
        Verdict::Ok,
        "src/quiet.py",
        Some(2),
        "<module>",
        "print ( x )",
    );
    let quiet = GateOutcome::new("quiet", GateKind::Code, vec![warning, quiet_ok]);

    let empty = GateOutcome::new("empty", GateKind::Code, Vec::new());
    Report::new(vec![code, entries, quiet, empty], "0.1.0")
}

/// The source lines the frames show.
pub fn sources() -> MemorySources {
    let mut sources = MemorySources::new();
    let mut loader = vec![String::new(); 30];
    "        meta = json.load(f)  # données".clone_into(&mut loader[11]);
    "        meta = json.loads(text)".clone_into(&mut loader[13]);
    "\tjson.dump(meta, f, indent=2)".clone_into(&mut loader[29]);
    sources.insert("src/pkg/loader.py", loader.join("\n"));
    sources.insert(
        "src/pkg/schema.py",
        "class SchemaCheck:\n".to_owned() + &"\n".repeat(54) + "\n",
    );
    sources.insert(
        "src/pkg/migrate.py",
        "import json\n\n\ndef migrate(fh):\n\n\n\n    data = json.load(fh)\n",
    );
    sources.insert(
        ALLOWLIST,
        "inline_meta_read_baseline: 7\ninline_meta_read:\n",
    );
    sources
}
