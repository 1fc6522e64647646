//! The judgement snapshot: the JSON reports of a fixed, representative set of comparisons (every
//! case of `tests/cases.toml` and a few whole-policy pairs), each hashed with the hash of its
//! inputs, kept in `tests/judgement_snapshot.toml`. A release records the engine that judged it
//! (`redline <version>; judgement <JUDGEMENT_VERSION>`), and `verify` calls a disagreement under
//! the same engine tampering; so a change of judgement must change `JUDGEMENT_VERSION`. This test
//! fails when a report changes while the version stays the same.
//!
//! Regenerate (after raising `JUDGEMENT_VERSION` in `src/engine.rs` when a report changed):
//!
//! ```sh
//! UPDATE_JUDGEMENT_SNAPSHOT=1 cargo test --test judgement_snapshot
//! ```
//!
//! The cases are built as `tests/cases.rs` builds them (that file's runner checks their
//! expectations; this one only records what the judgement says).

use redline::document::Document;
use redline::engine::JUDGEMENT_VERSION;
use redline::report::{Side, compare_documents};
use redline::rules::Criteria;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

mod common;

const SNAPSHOT: &str = "tests/judgement_snapshot.toml";
const UPDATE: &str = "UPDATE_JUDGEMENT_SNAPSHOT";

/// The parts of a case that build its texts (its expectations are `tests/cases.rs`'s business).
#[derive(Deserialize)]
struct Cases {
    bases: BTreeMap<String, String>,
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    base: String,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    old_edits: Vec<(String, String)>,
    #[serde(default)]
    edits: Vec<(String, String)>,
    #[serde(default)]
    remove_line_containing: Option<String>,
    #[serde(default)]
    swap_lines: Option<(String, String)>,
    #[serde(default)]
    replace_all_with: Option<String>,
}

/// The `key` line of a finding in a pretty-printed report, with the comma before it.
static FINDING_KEY: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r#",\n *"key": "[^"\n]*"\n"#).unwrap());

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

fn apply(name: &str, text: &str, edits: &[(String, String)]) -> String {
    let mut text = text.to_string();
    for (from, to) in edits {
        let n = text.matches(from.as_str()).count();
        assert_eq!(n, 1, "case `{name}`: edit `{from}` matches {n} times, expected exactly once");
        text = text.replacen(from.as_str(), to, 1);
    }
    text
}

/// The old and new text of a case, as `tests/cases.rs` builds them.
fn build(case: &Case, bases: &BTreeMap<String, String>) -> (String, String) {
    let base = if case.base == "policy" {
        read("policy/privacy.zh-CN.md")
    } else {
        bases[&case.base].trim_start().to_string()
    };
    let old = apply(&case.name, &base, &case.old_edits);
    let mut new = apply(&case.name, &old, &case.edits);
    if let Some(marker) = &case.remove_line_containing {
        new = new
            .lines()
            .filter(|l| !l.contains(marker.as_str()))
            .map(|l| format!("{l}\n"))
            .collect();
    }
    if let Some((a, b)) = &case.swap_lines {
        let mut lines: Vec<String> = new.lines().map(str::to_string).collect();
        let i = lines.iter().position(|l| l.starts_with(a.as_str())).expect("first line to swap");
        let j = lines.iter().position(|l| l.starts_with(b.as_str())).expect("second line to swap");
        lines.swap(i, j);
        new = lines.join("\n") + "\n";
    }
    if let Some(other) = &case.replace_all_with {
        new = bases[other].trim_start().to_string();
    }
    (old, new)
}

/// One comparison: its name, the profile (`repo`: policy/criteria.toml, else built-in), the file
/// name the texts are parsed under, and the two texts.
struct Comparison {
    name: String,
    repo_profile: bool,
    path: &'static str,
    old: String,
    new: String,
}

fn comparisons() -> Vec<Comparison> {
    let cases: Cases = toml::from_str(&read("tests/cases.toml")).unwrap();
    let mut out: Vec<Comparison> = cases
        .case
        .iter()
        .map(|case| {
            let (old, new) = build(case, &cases.bases);
            let repo_profile = match case.profile.as_deref() {
                Some("repo") => true,
                Some("builtin") => false,
                _ => case.base == "policy",
            };
            let path = if case.base == "policy" { "privacy.zh-CN.md" } else { "policy.md" };
            Comparison { name: format!("case {}", case.name), repo_profile, path, old, new }
        })
        .collect();
    // Whole-policy pairs: the real policy in both languages, under both profiles.
    let zh = read("policy/privacy.zh-CN.md");
    let en = read("policy/privacy.en.md");
    let pairs: Vec<(&str, bool, &'static str, String, String)> = vec![
        (
            "policy zh: advertising SDK added",
            true,
            "privacy.zh-CN.md",
            zh.clone(),
            common::add_sdk_row(zh.clone()),
        ),
        (
            "policy zh: advertising SDK added (built-in)",
            false,
            "privacy.zh-CN.md",
            zh.clone(),
            common::add_sdk_row(zh.clone()),
        ),
        (
            "policy zh: contacts permission added",
            true,
            "privacy.zh-CN.md",
            zh.clone(),
            common::major(zh.clone()),
        ),
        (
            "policy zh: two wording changes",
            true,
            "privacy.zh-CN.md",
            zh.clone(),
            common::minor2(common::minor(zh.clone())),
        ),
        (
            "policy zh: half-width punctuation",
            true,
            "privacy.zh-CN.md",
            zh.clone(),
            zh.replace('，', ", ").replace('。', ". "),
        ),
        (
            "policy zh: second half removed",
            true,
            "privacy.zh-CN.md",
            zh.clone(),
            zh.lines().take(zh.lines().count() / 2).map(|l| format!("{l}\n")).collect(),
        ),
        (
            "policy en: second half removed",
            false,
            "privacy.en.md",
            en.clone(),
            en.lines().take(en.lines().count() / 2).map(|l| format!("{l}\n")).collect(),
        ),
        (
            "policy en: sections in reverse order",
            false,
            "privacy.en.md",
            en.clone(),
            reverse_sections(&en),
        ),
    ];
    for (name, repo_profile, path, old, new) in pairs {
        out.push(Comparison { name: name.to_string(), repo_profile, path, old, new });
    }
    out
}

/// `text` with its `## ` sections in reverse order (what precedes the first stays first).
fn reverse_sections(text: &str) -> String {
    let mut parts: Vec<String> = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") {
            parts.push(String::new());
        }
        parts.last_mut().unwrap().push_str(line);
    }
    let head = parts.remove(0);
    parts.reverse();
    head + &parts.concat()
}

/// (input sha256, report sha256) of every comparison, by name.
fn judge_all() -> BTreeMap<String, (String, String)> {
    let repo_text = read("policy/criteria.toml");
    let repo = Criteria::from_str("policy/criteria.toml", &repo_text).unwrap();
    let builtin = Criteria::builtin();
    let mut out = BTreeMap::new();
    for c in comparisons() {
        let criteria = if c.repo_profile { &repo } else { &builtin };
        let a = Document::from_bytes(c.path, c.old.as_bytes()).unwrap();
        let b = Document::from_bytes(c.path, c.new.as_bytes()).unwrap();
        let report =
            compare_documents("privacy", Side::file("old"), Side::file("new"), a, b, criteria)
                .report
                .to_json();
        // A finding's `key` (the last field of each finding) is derived from its rule, section
        // and texts, which the report already holds: it names the judgement, it is not part of
        // it, so the fingerprint leaves it out.
        let report = FINDING_KEY.replace_all(&report, "\n");
        // What the case feeds the judgement: the profile (the repository's criteria text is an
        // input; the built-in profile is part of the judgement), the file name and both texts.
        let profile = if c.repo_profile { repo_text.as_str() } else { "builtin" };
        let input = [profile, c.path, &c.old, &c.new].join("\u{0}");
        let previous = out.insert(
            c.name.clone(),
            (common::sha256(input.as_bytes()), common::sha256(report.as_bytes())),
        );
        assert!(previous.is_none(), "two comparisons are named `{}`", c.name);
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Snapshot {
    judgement: u32,
    sha256: String,
    cases: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    input: String,
    report: String,
}

/// The hash of all reports together, in name order.
fn overall(judged: &BTreeMap<String, (String, String)>) -> String {
    let all: String = judged.iter().map(|(n, (_, r))| format!("{n}\u{0}{r}\n")).collect();
    common::sha256(all.as_bytes())
}

fn snapshot_text(judged: &BTreeMap<String, (String, String)>) -> String {
    let mut out = String::from(
        "# The judgement snapshot (tests/judgement_snapshot.rs): for each comparison, the sha256 of its\n\
         # inputs and of its JSON report. Generated; regenerate with\n\
         #   UPDATE_JUDGEMENT_SNAPSHOT=1 cargo test --test judgement_snapshot\n\
         # after raising JUDGEMENT_VERSION in src/engine.rs when a report changed.\n",
    );
    out.push_str(&format!("judgement = {JUDGEMENT_VERSION}\n"));
    out.push_str(&format!("sha256 = \"{}\"\n\n[cases]\n", overall(judged)));
    for (name, (input, report)) in judged {
        let key = serde_json::to_string(name).unwrap(); // a TOML basic string, escaped alike
        out.push_str(&format!("{key} = {{ input = \"{input}\", report = \"{report}\" }}\n"));
    }
    out
}

#[test]
fn the_judgement_changes_only_with_its_version() {
    assert_eq!(
        FINDING_KEY.replace_all("      },\n      \"key\": \"r/s/0123abcd\"\n    }", "\n"),
        "      }\n    }",
        "the key line is taken out"
    );
    let judged = judge_all();
    let path = root().join(SNAPSHOT);
    let update = std::env::var_os(UPDATE).is_some_and(|v| v == "1");
    let stored: Option<Snapshot> = std::fs::read_to_string(&path)
        .ok()
        .map(|t| toml::from_str(&t).unwrap_or_else(|e| panic!("{SNAPSHOT}: {e}")));
    // Reports that changed for unchanged inputs: a change of judgement.
    let changed: Vec<&str> = match &stored {
        Some(s) => judged
            .iter()
            .filter(|(name, (input, report))| {
                s.cases.get(*name).is_some_and(|e| &e.input == input && &e.report != report)
            })
            .map(|(name, _)| name.as_str())
            .collect(),
        None => Vec::new(),
    };
    let same_version = stored.as_ref().is_some_and(|s| s.judgement == JUDGEMENT_VERSION);
    if same_version && !changed.is_empty() {
        panic!(
            "the judgement changed ({} of {} comparisons report differently: {}); raise JUDGEMENT_VERSION in src/engine.rs (now {JUDGEMENT_VERSION}) and regenerate the snapshot with {UPDATE}=1 cargo test --test judgement_snapshot",
            changed.len(),
            judged.len(),
            changed.join(", ")
        );
    }
    let text = snapshot_text(&judged);
    if update {
        redline::fsutil::write_atomically(&path, SNAPSHOT, text.as_bytes()).unwrap();
        println!("wrote {SNAPSHOT}: judgement {JUDGEMENT_VERSION}, {} comparisons", judged.len());
        return;
    }
    let Some(stored) = stored else {
        panic!(
            "{SNAPSHOT} is missing; create it with {UPDATE}=1 cargo test --test judgement_snapshot"
        );
    };
    assert_eq!(
        stored.judgement, JUDGEMENT_VERSION,
        "JUDGEMENT_VERSION is {JUDGEMENT_VERSION} but {SNAPSHOT} was made for judgement {}; regenerate it with {UPDATE}=1 cargo test --test judgement_snapshot",
        stored.judgement
    );
    let names = |m: &dyn Fn(&str) -> bool| -> Vec<String> {
        judged.keys().filter(|n| m(n)).cloned().collect()
    };
    let new_or_changed_inputs =
        names(&|n| stored.cases.get(n).is_none_or(|e| e.input != judged[n].0));
    let gone: Vec<&String> = stored.cases.keys().filter(|n| !judged.contains_key(*n)).collect();
    assert!(
        new_or_changed_inputs.is_empty() && gone.is_empty(),
        "the comparisons changed (new or edited: {new_or_changed_inputs:?}; gone: {gone:?}), not the judgement of the others; record them with {UPDATE}=1 cargo test --test judgement_snapshot (JUDGEMENT_VERSION stays)"
    );
    assert_eq!(stored.sha256, overall(&judged), "{SNAPSHOT}: the overall sha256 was edited");
    println!("{} comparisons judged as judgement {JUDGEMENT_VERSION} recorded", judged.len());
}

/// The snapshot's format round-trips: what is written parses back to the same hashes.
#[test]
fn the_snapshot_file_round_trips() {
    let mut judged = BTreeMap::new();
    judged.insert("case \"quoted\" name".to_string(), ("a".repeat(64), "b".repeat(64)));
    judged.insert("policy zh: 中文".to_string(), ("c".repeat(64), "d".repeat(64)));
    let parsed: Snapshot = toml::from_str(&snapshot_text(&judged)).unwrap();
    assert_eq!(parsed.judgement, JUDGEMENT_VERSION);
    assert_eq!(parsed.sha256, overall(&judged));
    assert_eq!(parsed.cases["case \"quoted\" name"].report, "b".repeat(64));
    assert_eq!(parsed.cases["policy zh: 中文"].input, "c".repeat(64));
}

/// What a release stores (the texts of the criteria's layers) judges exactly as the criteria
/// loaded from the repository do, so `verify` can judge a release again from its folder.
#[test]
fn stored_criteria_judge_as_the_loaded_ones() {
    let repo = redline::repo::PolicyRepo::open(root()).unwrap();
    let loaded = repo.criteria().unwrap();
    let layers = repo.criteria_layers().unwrap();
    assert_eq!(
        layers.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
        ["builtin", "policy/criteria.toml"]
    );
    let stored = redline::archive::criteria_layers_toml(&layers);
    let stored = redline::archive::parse_criteria_layers("stored", stored.as_bytes()).unwrap();
    let rebuilt = Criteria::from_layers(&stored).unwrap();
    let builtin_only = Criteria::from_layers(&[(
        "builtin".to_string(),
        redline::rules::BUILTIN_CRITERIA.to_string(),
    )])
    .unwrap();
    let builtin = Criteria::builtin();
    let mut compared = 0;
    for c in comparisons() {
        let (a, b) = if c.repo_profile { (&loaded, &rebuilt) } else { (&builtin, &builtin_only) };
        let report = |criteria: &Criteria| {
            let old = Document::from_bytes(c.path, c.old.as_bytes()).unwrap();
            let new = Document::from_bytes(c.path, c.new.as_bytes()).unwrap();
            compare_documents("privacy", Side::file("old"), Side::file("new"), old, new, criteria)
                .report
                .to_json()
        };
        assert_eq!(report(a), report(b), "{}", c.name);
        compared += 1;
    }
    assert!(compared > 50, "{compared}");
}
