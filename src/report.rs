//! The report of one comparison: the serialisable `redline.report/1` struct (README "The JSON report") and
//! its text and Markdown renderings.

use crate::classify::{Classification, Finding, Statements, classify, classify_read};
use crate::diff::{DocumentDiff, Evidence, Segment, SegmentOp, diff};
use crate::document::{Document, PREAMBLE_ID};
use crate::error::Result;
use crate::model::{Bump, ChangeKind, Decision, Level, Qualifier};
use crate::rules::Criteria;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The report schema this crate writes.
pub const REPORT_SCHEMA: &str = "redline.report/1";

/// One side of a comparison, as given on the command line or found in the archive.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Side {
    /// Human label: a version, `working tree`, a revision, or the path.
    pub label: String,
    /// The released version, when the side is one.
    pub version: Option<String>,
    /// The git revision as given, for `REV:PATH` inputs.
    pub rev: Option<String>,
    /// The path (inside the revision for `REV:PATH`).
    pub path: String,
}

impl Side {
    /// A file in the working tree or anywhere on disk.
    pub fn file(path: &str) -> Side {
        Side { label: path.to_string(), version: None, rev: None, path: path.to_string() }
    }

    /// How the side is named in messages: `REV:PATH` or the path.
    pub fn display(&self) -> String {
        match &self.rev {
            Some(rev) => format!("{rev}:{}", self.path),
            None => self.path.clone(),
        }
    }
}

/// The bytes of one side.
#[derive(Debug, Clone)]
pub struct Input {
    /// Where they came from.
    pub side: Side,
    /// The raw file content.
    pub bytes: Vec<u8>,
}

/// One row of the report's `changes` list.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeSummary {
    /// The section id.
    pub section: String,
    /// The change kind.
    pub kind: ChangeKind,
    /// The change's level.
    pub level: Level,
    /// 1-based line in the old file.
    pub old_line: Option<usize>,
    /// 1-based line in the new file.
    pub new_line: Option<usize>,
    /// Why the change is editorial, when it is (`normalized`, `moved`, …).
    pub evidence: Option<Evidence>,
}

/// Counts of changes per level.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ByLevel {
    /// Editorial changes.
    pub editorial: usize,
    /// Minor changes.
    pub minor: usize,
    /// Major changes.
    pub major: usize,
    /// Re-consent changes.
    pub reconsent: usize,
}

/// Sizes.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Sections in the old document (the preamble not counted).
    pub sections_old: usize,
    /// Sections in the new document.
    pub sections_new: usize,
    /// Number of changes.
    pub changes: usize,
    /// Changes per level.
    pub by_level: ByLevel,
}

/// The report: `redline.report/1`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Always [`REPORT_SCHEMA`].
    pub schema: &'static str,
    /// The document id.
    pub document: String,
    /// The old side.
    pub base: Side,
    /// The new side.
    pub head: Side,
    /// The release level.
    pub level: Level,
    /// The version bump it requires.
    pub bump: Bump,
    /// Union of the findings' qualifiers.
    pub qualifiers: BTreeSet<Qualifier>,
    /// Level is `reconsent`.
    pub reconsent_required: bool,
    /// Level is `major` or `reconsent`.
    pub notice_required: bool,
    /// Some finding carries `review`.
    pub review_required: bool,
    /// Every change at `minor` or above, and every change a rule matched.
    pub findings: Vec<Finding>,
    /// Every change.
    pub changes: Vec<ChangeSummary>,
    /// Sizes.
    pub stats: Stats,
    /// What the app shows a user of the base version (`none`, `notice`, `reconsent`).
    pub decision: Decision,
    /// The criteria profile used (its name and where it came from).
    pub profile: String,
    /// Observations that are not changes (dates not bumped, short notice).
    pub notices: Vec<String>,
}

/// A finished comparison: both documents, their diff, the classification and the report.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The old document.
    pub old: Document,
    /// The new document.
    pub new: Document,
    /// Their diff.
    pub diff: DocumentDiff,
    /// Its classification.
    pub classification: Classification,
    /// The report.
    pub report: Report,
}

/// Parses both inputs, diffs and classifies them under `criteria`.
///
/// Errors: bad input on either side (invalid UTF-8, malformed front matter, duplicate ids),
/// naming that side's file and line.
pub fn compare(
    document: &str,
    base: &Input,
    head: &Input,
    criteria: &Criteria,
) -> Result<Comparison> {
    let old = Document::from_bytes(&base.side.display(), &base.bytes)?;
    let new = Document::from_bytes(&head.side.display(), &head.bytes)?;
    Ok(compare_documents(document, base.side.clone(), head.side.clone(), old, new, criteria))
}

/// Like [`compare`], for documents already parsed.
pub fn compare_documents(
    document: &str,
    base: Side,
    head: Side,
    old: Document,
    new: Document,
    criteria: &Criteria,
) -> Comparison {
    let diff = diff(&old, &new);
    let classification = classify(&old, &new, &diff, criteria);
    assemble(document, base, head, old, new, diff, classification, criteria)
}

/// Two versions parsed and diffed, with their statements read: the part of a comparison that
/// does not depend on the criteria, so it can run while they load (see [`compare_prepared`]).
#[derive(Debug)]
pub struct Prepared {
    old: Document,
    new: Document,
    diff: DocumentDiff,
    statements: Statements,
}

impl Prepared {
    /// Parses `base` and `head`, diffs them and reads their statements, and what the guards and
    /// date notices read from each whole version (on a second thread meanwhile).
    ///
    /// Errors: as [`compare`], a version that cannot be parsed.
    pub fn new(base: &Input, head: &Input) -> Result<Prepared> {
        let old = Document::from_bytes(&base.side.display(), &base.bytes)?;
        let new = Document::from_bytes(&head.side.display(), &head.bytes)?;
        let diff = diff(&old, &new);
        let statements = Statements::read_all(&old, &new, &diff);
        Ok(Prepared { old, new, diff, statements })
    }
}

/// [`compare`] of two prepared versions: the same comparison, judged under `criteria`.
pub fn compare_prepared(
    document: &str,
    base: Side,
    head: Side,
    prepared: Prepared,
    criteria: &Criteria,
) -> Comparison {
    let Prepared { old, new, diff, statements } = prepared;
    let classification = classify_read(&old, &new, &diff, criteria, &statements);
    assemble(document, base, head, old, new, diff, classification, criteria)
}

/// The comparison and its report from the judged diff.
#[allow(clippy::too_many_arguments)]
fn assemble(
    document: &str,
    base: Side,
    head: Side,
    old: Document,
    new: Document,
    diff: DocumentDiff,
    classification: Classification,
    criteria: &Criteria,
) -> Comparison {
    let mut by_level = ByLevel::default();
    let changes: Vec<ChangeSummary> = diff
        .changes
        .iter()
        .zip(&classification.verdicts)
        .map(|(c, v)| {
            match v.level {
                Level::Editorial => by_level.editorial += 1,
                Level::Minor => by_level.minor += 1,
                Level::Major => by_level.major += 1,
                Level::Reconsent => by_level.reconsent += 1,
                Level::None => {}
            }
            let section = match c.new_section {
                Some(s) => new.sections[s].id.clone(),
                None => old.sections[c.old_section.unwrap_or(0)].id.clone(),
            };
            ChangeSummary {
                section,
                kind: c.kind,
                level: v.level,
                old_line: c.old_line,
                new_line: c.new_line,
                evidence: c.evidence,
            }
        })
        .collect();
    let level = classification.level;
    let report = Report {
        schema: REPORT_SCHEMA,
        document: document.to_string(),
        base,
        head,
        level,
        bump: level.bump(),
        qualifiers: classification.qualifiers.clone(),
        reconsent_required: level == Level::Reconsent,
        notice_required: level >= Level::Major,
        review_required: classification
            .findings
            .iter()
            .any(|f| f.qualifiers.contains(&Qualifier::Review)),
        findings: classification.findings.clone(),
        stats: Stats {
            sections_old: old.section_count(),
            sections_new: new.section_count(),
            changes: changes.len(),
            by_level,
        },
        changes,
        decision: level.decision(),
        profile: if criteria.source == "builtin" {
            "builtin".to_string()
        } else {
            format!("{} ({})", criteria.name, criteria.source)
        },
        notices: classification.notices.clone(),
    };
    Comparison { old, new, diff, classification, report }
}

/// The document id of a file outside a policy repository: its name up to the first dot
/// (`privacy` for `privacy.zh-CN.md`).
pub fn document_id_from_path(path: &str) -> String {
    let name = std::path::Path::new(path).file_name().and_then(|n| n.to_str()).unwrap_or(path);
    name.split('.').next().filter(|s| !s.is_empty()).unwrap_or(name).to_string()
}

impl Report {
    /// The report as pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("reports serialise");
        s.push('\n');
        s
    }

    /// One line: level, qualifiers, bump and the required actions.
    pub fn verdict_line(&self) -> String {
        let mut parts = vec![format!("level {}", self.level)];
        if !self.qualifiers.is_empty() {
            parts[0].push_str(&format!(
                " ({})",
                self.qualifiers.iter().map(|q| q.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        parts.push(format!("bump {}", self.bump));
        if self.reconsent_required {
            parts.push("re-consent required (popup asking for agreement)".to_string());
        } else if self.notice_required {
            parts.push("prominent notice required (popup notice)".to_string());
        }
        if self.review_required {
            parts.push("a person must review".to_string());
        }
        if self.qualifiers.contains(&Qualifier::Block) {
            parts.push("must not be published as is".to_string());
        }
        let b = &self.stats.by_level;
        parts.push(format!(
            "{} change{}: {} reconsent, {} major, {} minor, {} editorial",
            self.stats.changes,
            if self.stats.changes == 1 { "" } else { "s" },
            b.reconsent,
            b.major,
            b.minor,
            b.editorial
        ));
        parts.join(" · ")
    }
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const MAGENTA: &str = "\x1b[35m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const STRIKE: &str = "\x1b[9m";
const UNDERLINE: &str = "\x1b[4m";
const RESET: &str = "\x1b[0m";

fn level_style(level: Level) -> &'static str {
    match level {
        Level::Reconsent => MAGENTA,
        Level::Major => RED,
        Level::Minor => YELLOW,
        _ => DIM,
    }
}

/// A side as `label (path)`, or just the path when the label is the path.
fn side_text(side: &Side) -> String {
    let display = side.display();
    if side.label == display || side.label == side.path {
        display
    } else {
        format!("{} ({display})", side.label)
    }
}

/// Shortens `text` to about `max` chars with an ellipsis.
fn clip(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

fn kind_sign(kind: ChangeKind) -> char {
    if kind.is_addition() {
        '+'
    } else if kind.is_removal() {
        '-'
    } else if matches!(
        kind,
        ChangeKind::SectionMoved | ChangeKind::BlockMoved | ChangeKind::RowsReordered
    ) {
        '>'
    } else {
        '~'
    }
}

/// Renders segments as a terminal redline: colours when `color`, `[-…-]`/`{+…+}` otherwise.
pub fn redline_text(segments: &[Segment], color: bool, max: usize) -> String {
    let mut out = String::new();
    let mut budget = max;
    for s in segments {
        if budget == 0 {
            out.push('…');
            break;
        }
        let text = if s.op == SegmentOp::Equal && s.text.chars().count() > 80 {
            let chars: Vec<char> = s.text.chars().collect();
            let head: String = chars[..30].iter().collect();
            let tail: String = chars[chars.len() - 30..].iter().collect();
            format!("{head}…{tail}")
        } else {
            clip(&s.text, budget)
        };
        budget = budget.saturating_sub(text.chars().count());
        match (s.op, color) {
            (SegmentOp::Equal, _) => out.push_str(&text),
            (SegmentOp::Delete, true) => write!(out, "{RED}{STRIKE}{text}{RESET}").unwrap(),
            (SegmentOp::Insert, true) => write!(out, "{GREEN}{UNDERLINE}{text}{RESET}").unwrap(),
            (SegmentOp::Delete, false) => write!(out, "[-{text}-]").unwrap(),
            (SegmentOp::Insert, false) => write!(out, "{{+{text}+}}").unwrap(),
        }
    }
    out
}

impl Comparison {
    /// The readable redline grouped by section, each change with its level and, for findings,
    /// the rule, reason and reference; a one-line verdict at the end.
    pub fn to_text(&self, color: bool) -> String {
        let r = &self.report;
        let (b, d, x) = if color { (BOLD, DIM, RESET) } else { ("", "", "") };
        let mut out = String::new();
        writeln!(
            out,
            "{b}redline{x} {} · {} → {}",
            r.document,
            side_text(&r.base),
            side_text(&r.head)
        )
        .unwrap();
        writeln!(out, "{d}profile: {}{x}", r.profile).unwrap();
        if self.diff.identical {
            writeln!(out, "\nno change: the two texts are identical").unwrap();
        }
        let mut current: Option<(bool, usize)> = None;
        for (c, v) in self.diff.changes.iter().zip(&self.classification.verdicts) {
            let key = match c.new_section {
                Some(s) => (true, s),
                None => (false, c.old_section.unwrap_or(0)),
            };
            if current != Some(key) {
                current = Some(key);
                let doc = if key.0 { &self.new } else { &self.old };
                let path = doc.section_path(key.1);
                let id = &doc.sections[key.1].id;
                let title = if path.is_empty() {
                    "(before the first heading)".to_string()
                } else {
                    path.join(" › ")
                };
                if id == PREAMBLE_ID {
                    writeln!(out, "\n{b}{title}{x}").unwrap();
                } else {
                    writeln!(out, "\n{b}{title}{x}  {d}#{id}{x}").unwrap();
                }
            }
            let lines = match (c.old_line, c.new_line) {
                (Some(o), Some(n)) if o != n => format!("line {o} → {n}"),
                (_, Some(n)) => format!("line {n}"),
                (Some(o), None) => format!("old line {o}"),
                (None, None) => String::new(),
            };
            let style = if color { level_style(v.level) } else { "" };
            let mut head = format!(
                "  {} {} {d}({lines}){x}  {style}{}{x}",
                kind_sign(c.kind),
                c.kind,
                v.level.as_str().to_uppercase()
            );
            if let Some(e) = c.evidence
                && v.level == Level::Editorial
            {
                head.push_str(&format!(
                    " {d}({}){x}",
                    serde_json::to_value(e)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                ));
            }
            if let Some(f) = v.finding.map(|i| &self.classification.findings[i]) {
                if !f.qualifiers.is_empty() {
                    head.push_str(&format!(
                        " {}",
                        f.qualifiers.iter().map(|q| q.as_str()).collect::<Vec<_>>().join(" ")
                    ));
                }
                head.push_str(&format!("  {}", f.rule));
            }
            writeln!(out, "{head}").unwrap();
            if let Some(f) = v.finding.map(|i| &self.classification.findings[i]) {
                writeln!(out, "    {} {d}[{}]{x}", f.reason, f.reference).unwrap();
            }
            let body = match c.kind {
                ChangeKind::BlockAdded | ChangeKind::RowAdded | ChangeKind::SectionAdded => {
                    let t = clip(c.new.as_deref().unwrap_or(""), 300);
                    if color { format!("{GREEN}{t}{RESET}") } else { format!("+ {t}") }
                }
                ChangeKind::BlockRemoved | ChangeKind::RowRemoved | ChangeKind::SectionRemoved => {
                    let t = clip(c.old.as_deref().unwrap_or(""), 300);
                    if color { format!("{RED}{STRIKE}{t}{RESET}") } else { format!("- {t}") }
                }
                ChangeKind::FormattingModified => {
                    "blank lines, wrapping or markup only".to_string()
                }
                ChangeKind::RowsReordered
                | ChangeKind::SectionRenumbered
                | ChangeKind::SectionMoved => format!(
                    "{} → {}",
                    clip(c.old.as_deref().unwrap_or(""), 140),
                    clip(c.new.as_deref().unwrap_or(""), 140)
                ),
                _ if !c.inline.is_empty() => redline_text(&c.inline, color, 600),
                _ => clip(c.new.as_deref().or(c.old.as_deref()).unwrap_or(""), 300),
            };
            for line in body.lines() {
                writeln!(out, "    {line}").unwrap();
            }
        }
        if self.diff.unaligned > 0.0
            && let Some(f) = self
                .classification
                .findings
                .iter()
                .find(|f| f.rule == crate::rules::WHOLESALE_REWRITE)
        {
            writeln!(
                out,
                "\n{b}whole document{x}\n  {} {}  {}\n    {} [{}]",
                f.change,
                f.level.as_str().to_uppercase(),
                f.rule,
                f.reason,
                f.reference
            )
            .unwrap();
        }
        for n in &r.notices {
            writeln!(out, "\nnote: {n}").unwrap();
        }
        let style = if color { level_style(r.level) } else { "" };
        writeln!(out, "\n{b}verdict:{x} {style}{}{x}", r.verdict_line()).unwrap();
        out
    }

    /// The report as Markdown, ready to post as a pull-request comment. Policy text is escaped
    /// (`<`, `>`, `&`, `|`, Markdown punctuation), so nothing in it becomes markup.
    pub fn to_markdown(&self) -> String {
        let r = &self.report;
        let mut out = String::new();
        let quals = if r.qualifiers.is_empty() {
            String::new()
        } else {
            format!(" ({})", r.qualifiers.iter().map(|q| q.as_str()).collect::<Vec<_>>().join(", "))
        };
        writeln!(
            out,
            "## redline: `{}` is **{}**{quals}, bump **{}**\n",
            r.document, r.level, r.bump
        )
        .unwrap();
        writeln!(out, "| | |\n| --- | --- |").unwrap();
        writeln!(
            out,
            "| base | {} (`{}`) |",
            md_escape(&r.base.label),
            r.base.display().replace('`', "'")
        )
        .unwrap();
        writeln!(
            out,
            "| head | {} (`{}`) |",
            md_escape(&r.head.label),
            r.head.display().replace('`', "'")
        )
        .unwrap();
        let yes = |b: bool| if b { "**yes**" } else { "no" };
        writeln!(out, "| re-consent required | {} |", yes(r.reconsent_required)).unwrap();
        writeln!(out, "| notice required | {} |", yes(r.notice_required)).unwrap();
        writeln!(out, "| review required | {} |", yes(r.review_required)).unwrap();
        let b = &r.stats.by_level;
        writeln!(
            out,
            "| changes | {} ({} reconsent, {} major, {} minor, {} editorial) |",
            r.stats.changes, b.reconsent, b.major, b.minor, b.editorial
        )
        .unwrap();
        writeln!(out, "| profile | {} |\n", md_escape(&r.profile)).unwrap();
        if r.findings.is_empty() {
            writeln!(out, "No findings: every change is editorial.").unwrap();
        } else {
            writeln!(out, "### Findings\n").unwrap();
            writeln!(out, "| level | rule | section | change | line | reason | reference |\n| --- | --- | --- | --- | --- | --- | --- |").unwrap();
            for f in &r.findings {
                let q = if f.qualifiers.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({})",
                        f.qualifiers.iter().map(|q| q.as_str()).collect::<Vec<_>>().join(", ")
                    )
                };
                writeln!(
                    out,
                    "| **{}**{q} | `{}` | {} | {} | {} | {} | {} |",
                    f.level,
                    f.rule,
                    md_escape(&f.section_path.last().cloned().unwrap_or_else(|| f.section.clone())),
                    f.change,
                    f.location.line.map_or(String::new(), |l| format!("{} {l}", f.location.side)),
                    md_escape(&f.reason),
                    md_escape(&f.reference)
                )
                .unwrap();
            }
            writeln!(out, "\n<details><summary>Redline of the findings</summary>\n").unwrap();
            for (c, v) in self.diff.changes.iter().zip(&self.classification.verdicts) {
                let Some(f) = v.finding.map(|i| &self.classification.findings[i]) else { continue };
                writeln!(
                    out,
                    "**{}** · {} · `{}`<br>",
                    md_escape(&f.section_path.join(" › ")),
                    f.change,
                    f.rule
                )
                .unwrap();
                let segments = if !c.inline.is_empty() {
                    c.inline.clone()
                } else if c.kind.is_removal() {
                    vec![Segment { op: SegmentOp::Delete, text: c.old.clone().unwrap_or_default() }]
                } else {
                    vec![Segment { op: SegmentOp::Insert, text: c.new.clone().unwrap_or_default() }]
                };
                for s in &segments {
                    let t = md_escape(&s.text).replace('\n', "<br>");
                    match s.op {
                        SegmentOp::Equal => out.push_str(&t),
                        SegmentOp::Insert => write!(out, "<ins>{t}</ins>").unwrap(),
                        SegmentOp::Delete => write!(out, "<del>{t}</del>").unwrap(),
                    }
                }
                out.push_str("\n\n");
            }
            writeln!(out, "</details>\n").unwrap();
        }
        for n in &r.notices {
            writeln!(out, "> **note:** {}\n", md_escape(n)).unwrap();
        }
        writeln!(out, "_{}_", md_escape(&r.verdict_line())).unwrap();
        out
    }
}

/// Escapes text for Markdown and for the HTML GitHub allows in it.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\n' => out.push(' '),
            '*' | '_' | '`' | '[' | ']' | '\\' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
