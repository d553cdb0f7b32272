//! The stages of a release and the suites their canaries run (SPEC §10.1):
//! validation of `[[release.NAME.stage]]` and `[release.NAME.suite.*]`.
//!
//! Split from [`crate::release`] to keep each file to one concern: here,
//! exactly one action per stage, unique names and reached states, a
//! defined suite per canary with `runs >= 1`, unique scenario ids and
//! parsed timeouts (`http` and `trace` in [`crate::release_http`]), a
//! `junit` suite's command naming `{junit}`, `on_fail` hooks whose
//! `scenario` exists, a `report`'s output a plain file name (its template
//! is compiled by the release crate before an attempt opens).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde_spanned::Spanned;

use crate::error::ConfigError;
use crate::location::push_key;
use crate::raw_release::{RawCanary, RawStage, RawSuite};
use crate::release::{
    is_name, Action, Canary, Cx, OnFail, Report, Scenario, Stage, Suite, DEFAULT_TIMEOUT,
};

/// States the machine uses itself; no stage may reach them.
const RESERVED_STATES: [&str; 5] = ["IDLE", "COMPLETE", "STOPPED", "INTERRUPTED", "RUNNING"];

/// Names an attempt directory uses itself; no canary evidence may take them.
const RESERVED_DIRS: [&str; 7] = [
    "logs",
    "probes",
    "results",
    "junit",
    "reports",
    "state.json",
    "latest.json",
];

pub(crate) fn stages(
    cx: &Cx<'_>,
    raw: &[RawStage],
    suites: &BTreeMap<Spanned<String>, RawSuite>,
) -> Result<Vec<Stage>, ConfigError> {
    let mut stages: Vec<Stage> = Vec::new();
    let mut reached: HashMap<String, usize> = HashMap::new();
    let mut evidence_seen: Vec<String> = Vec::new();
    for (index, stage) in raw.iter().enumerate() {
        let field = |name: &str| format!("stage[{index}].{name}");
        let name = stage.name.get_ref();
        if !is_name(name) {
            return Err(cx.fail(
                stage.name.span(),
                &field("name"),
                format!("stage name `{name}` must match [a-z0-9_-]+"),
            ));
        }
        if stages.iter().any(|seen| &seen.name == name) {
            return Err(cx.fail(
                stage.name.span(),
                &field("name"),
                format!("duplicate stage name `{name}`"),
            ));
        }
        let reaches = stage.reaches.get_ref();
        let shape = !reaches.is_empty()
            && reaches
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !shape || RESERVED_STATES.contains(&reaches.as_str()) {
            let message = format!(
                "state `{reaches}` must match [A-Z0-9_]+ and not be one of {}",
                RESERVED_STATES.join(", ")
            );
            return Err(cx.fail(stage.reaches.span(), &field("reaches"), message));
        }
        if let Some(first) = reached.get(reaches) {
            let message = format!("state `{reaches}` is already reached by stage[{first}]; every stage reaches a state of its own");
            return Err(cx.fail(stage.reaches.span(), &field("reaches"), message));
        }
        reached.insert(reaches.clone(), index);
        let set: Vec<(&str, Range<usize>)> = [
            ("check", stage.check.as_ref().map(Spanned::span)),
            ("canary", stage.canary.as_ref().map(Spanned::span)),
            ("http", stage.http.as_ref().map(Spanned::span)),
            ("report", stage.report.as_ref().map(Spanned::span)),
        ]
        .into_iter()
        .filter_map(|(key, span)| Some((key, span?)))
        .collect();
        if set.len() > 1 {
            let (key, span) = set[1].clone();
            let message = format!(
                "stage `{name}` sets both `{}` and `{key}`; set exactly one of `check`, `canary`, `http` or `report`",
                set[0].0
            );
            return Err(cx.fail(span, &field(key), message));
        }
        let action = match (&stage.check, &stage.canary, &stage.http) {
            _ if stage.report.is_some() => report(cx, &field("report"), stage)?,
            (_, _, Some(http)) => {
                if http.get_ref().is_empty() {
                    return Err(cx.fail(http.span(), &field("http"), "`http` lists no check"));
                }
                Action::Http(crate::release_http::http(
                    cx,
                    &field("http"),
                    http.get_ref(),
                )?)
            }
            (Some(_), Some(_), None) | (None, None, None) => {
                let message = format!(
                    "stage `{name}` has no action; set exactly one of `check`, `canary`, `http` or `report`"
                );
                return Err(cx.fail(stage.name.span(), &field("name"), message));
            }
            (Some(check), None, None) => {
                if check.get_ref().is_empty() {
                    return Err(cx.fail(check.span(), &field("check"), "`check` lists no command"));
                }
                let commands = (check.get_ref().iter().enumerate())
                    .map(|(i, command)| cx.text(command, &field(&format!("check[{i}]"))))
                    .collect::<Result<_, _>>()?;
                Action::Check(commands)
            }
            (None, Some(canary), None) => {
                let canary = self::canary(cx, index, name, canary.get_ref(), suites)?;
                if evidence_seen.contains(&canary.evidence) {
                    let message = format!(
                        "evidence directory `{}` is already used by another canary stage",
                        canary.evidence
                    );
                    return Err(cx.fail(stage.name.span(), &field("canary.evidence"), message));
                }
                evidence_seen.push(canary.evidence.clone());
                Action::Canary(canary)
            }
        };
        let trace = (stage.trace.as_ref())
            .map(|raw| crate::release_http::trace(cx, &field("trace"), raw.get_ref()))
            .transpose()?;
        let on_fail = on_fail(cx, &field("on_fail"), stage, &action)?;
        stages.push(Stage {
            name: name.clone(),
            reaches: reaches.clone(),
            action,
            trace,
            on_fail,
        });
    }
    Ok(stages)
}

fn report(cx: &Cx<'_>, field: &str, stage: &RawStage) -> Result<Action, ConfigError> {
    let Some(raw) = &stage.report else {
        return Err(cx.fail(stage.name.span(), field, "no `report`"));
    };
    let raw = raw.get_ref();
    let template = cx.path(&raw.template, &format!("{field}.template"))?;
    let output = raw.output.get_ref();
    let shape = !output.is_empty()
        && !output.starts_with('.')
        && (output.bytes()).all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
    if !shape {
        let message = format!("`{output}` must be a file name ([A-Za-z0-9_.-]+, not starting with `.`); the report is written to reports/<output> in the attempt");
        return Err(cx.fail(raw.output.span(), &format!("{field}.output"), message));
    }
    let post = (raw.post.as_ref())
        .map(|post| cx.text(post, &format!("{field}.post")))
        .transpose()?;
    Ok(Action::Report(Report {
        template,
        output: output.clone(),
        post,
    }))
}

fn on_fail(
    cx: &Cx<'_>,
    field: &str,
    stage: &RawStage,
    action: &Action,
) -> Result<Vec<OnFail>, ConfigError> {
    let Some(hooks) = &stage.on_fail else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (index, hook) in hooks.get_ref().iter().enumerate() {
        let at = |part: &str| format!("{field}[{index}].{part}");
        let scenario = match &hook.scenario {
            None => None,
            Some(id) => {
                let Action::Canary(canary) = action else {
                    let message = "`scenario` can only match in a canary stage";
                    return Err(cx.fail(id.span(), &at("scenario"), message));
                };
                let known = canary.suite.junit.is_some()
                    || canary
                        .suite
                        .scenarios
                        .iter()
                        .any(|s| Ok(s.id) == u64::try_from(*id.get_ref()));
                let value = u64::try_from(*id.get_ref()).ok().filter(|_| known);
                let message = format!(
                    "suite `{}` has no scenario {}",
                    canary.suite.name,
                    id.get_ref()
                );
                Some(value.ok_or_else(|| cx.fail(id.span(), &at("scenario"), message))?)
            }
        };
        let failure_mode = (hook.failure_mode.as_ref())
            .map(|mode| cx.text(mode, &at("failure_mode")))
            .transpose()?;
        out.push(OnFail {
            scenario,
            failure_mode,
            run: cx.text(&hook.run, &at("run"))?,
        });
    }
    Ok(out)
}

fn canary(
    cx: &Cx<'_>,
    index: usize,
    stage: &str,
    raw: &RawCanary,
    suites: &BTreeMap<Spanned<String>, RawSuite>,
) -> Result<Canary, ConfigError> {
    let field = |name: &str| format!("stage[{index}].canary.{name}");
    let runs = *raw.runs.get_ref();
    let runs = u32::try_from(runs)
        .ok()
        .filter(|&runs| runs >= 1)
        .ok_or_else(|| {
            cx.fail(
                raw.runs.span(),
                &field("runs"),
                format!("`runs = {runs}`: a canary needs at least 1 run"),
            )
        })?;
    let evidence = match &raw.evidence {
        None => stage.to_owned(),
        Some(evidence) => {
            let text = evidence.get_ref();
            let shape = !text.is_empty()
                && !text.starts_with('.')
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
            if !shape || RESERVED_DIRS.contains(&text.as_str()) {
                let message = format!("`{text}` must be one directory name ([A-Za-z0-9_.-]+, not starting with `.`) other than {}", RESERVED_DIRS.join(", "));
                return Err(cx.fail(evidence.span(), &field("evidence"), message));
            }
            text.clone()
        }
    };
    let suite_name = raw.suite.get_ref();
    let Some((key, suite)) = suites.iter().find(|(name, _)| name.get_ref() == suite_name) else {
        let known: Vec<&str> = suites.keys().map(|name| name.get_ref().as_str()).collect();
        let message = format!(
            "no suite named `{suite_name}` (suites: {})",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        );
        return Err(cx.fail(raw.suite.span(), &field("suite"), message));
    };
    Ok(Canary {
        suite: self::suite(cx, key, suite)?,
        runs,
        evidence,
    })
}

fn suite(cx: &Cx<'_>, written: &Spanned<String>, raw: &RawSuite) -> Result<Suite, ConfigError> {
    let name = written.get_ref().as_str();
    let mut key = "suite".to_owned();
    push_key(&mut key, name);
    let duration = |value: &Spanned<String>, field: &str| {
        crate::duration::parse(value.get_ref())
            .map_err(|err| cx.fail(value.span(), field, err.to_string()))
    };
    let timeout = match &raw.timeout {
        Some(value) => duration(value, &format!("{key}.timeout"))?,
        None => DEFAULT_TIMEOUT,
    };
    if let Some(junit) = &raw.junit {
        let field = format!("{key}.junit");
        if !raw.scenario.is_empty() {
            let message = format!("suite `{name}` sets both `junit` and `scenario`; set one");
            return Err(cx.fail(junit.span(), &field, message));
        }
        let command = cx.text(&junit.get_ref().command, &format!("{field}.command"))?;
        if !command.contains("{junit}") {
            let message = "the command must name the report it writes as `{junit}` (e.g. `pytest --junitxml {junit}`)";
            return Err(cx.fail(
                junit.get_ref().command.span(),
                &format!("{field}.command"),
                message,
            ));
        }
        return Ok(Suite {
            name: name.to_owned(),
            scenarios: Vec::new(),
            junit: Some(crate::release::Junit {
                command,
                allow_skipped: junit.get_ref().allow_skipped,
                timeout,
            }),
        });
    }
    if raw.scenario.is_empty() {
        return Err(cx.fail(
            written.span(),
            &key,
            format!("suite `{name}` has no scenario"),
        ));
    }
    let mut scenarios: Vec<Scenario> = Vec::new();
    for (index, scenario) in raw.scenario.iter().enumerate() {
        let field = |part: &str| format!("{key}.scenario[{index}].{part}");
        let id = u64::try_from(*scenario.id.get_ref()).map_err(|_| {
            cx.fail(
                scenario.id.span(),
                &field("id"),
                "scenario ids are 0 or more",
            )
        })?;
        if scenarios.iter().any(|seen| seen.id == id) {
            let message = format!("duplicate scenario id {id} in suite `{name}`");
            return Err(cx.fail(scenario.id.span(), &field("id"), message));
        }
        let timeout = match &scenario.timeout {
            Some(value) => duration(value, &field("timeout"))?,
            None => timeout,
        };
        scenarios.push(Scenario {
            id,
            name: cx.text(&scenario.name, &field("name"))?,
            command: cx.text(&scenario.command, &field("command"))?,
            timeout,
        });
    }
    Ok(Suite {
        name: name.to_owned(),
        scenarios,
        junit: None,
    })
}
