//! `redline lint`: every problem in a policy's Markdown, each with a code, a severity, the file,
//! line and column, the source line with the span marked, and a hint.
//!
//! **Structure** problems are errors; they make the file unreliable to diff, release or link:
//!
//! | code | what |
//! | --- | --- |
//! | `invalid-utf8` | the file is not UTF-8 |
//! | `missing-file` | a file `policy/policy.toml` lists does not exist |
//! | `front-matter` | front matter that does not parse or is never closed |
//! | `front-matter-missing` | no front matter at the top of a policy file |
//! | `front-matter-field` | `id`, `title` or `lang` missing or not this file's; a translation without `translation_of` |
//! | `missing-id` | a heading without an explicit `{#id}` (`--fix` adds one) |
//! | `invalid-id` | an id that is not lower-case ASCII letters and digits joined by `-` or `_` |
//! | `duplicate-id` | two headings with one id |
//! | `empty-section` | a heading with neither text nor subsections under it |
//! | `table-header` | a table without a header (rows without a `| --- |` delimiter row) or with an empty header cell |
//! | `table-cells` | a table row with fewer or more cells than its header |
//! | `broken-link` | a link to a section (`#id`), a document or a file that does not exist |
//! | `broken-reference` | a written cross-reference (`见 8.1`, `Section D.4`) to a number no section has |
//! | `translation-ids` | a translation whose section ids differ from the source's |
//!
//! **Content** gaps are warnings unless `policy.toml` lists them in `[documents.lint] required`:
//!
//! | code | what |
//! | --- | --- |
//! | `missing-disclosure` | a disclosure PIPL art. 17 requires was not found (through `redline map`) |
//! | `sensitive-not-highlighted` | a practice clause names sensitive personal information without bold or italics (GB/T 35273 5.5) |
//! | `update-promise-missing` | the update section no longer promises an archive, a prominent notice, or no reduction of rights without consent |
//! | `effective-date-unchanged` | the text changed at `minor` or above since the base but its stated date did not |
//! | `translation-stale` | a source section changed after the matching translated section was last updated |
//! | `control-character` | the file holds a NUL byte (a binary or mis-saved file) |
//! | `config-timezone` | `timezone` in policy/policy.toml is not an IANA time-zone name |

use crate::classify::{StatedDate, heading_categories, stated_dates};
use crate::document::{BlockKind, Document, PREAMBLE_ID, Problem, Section, slugify};
use crate::map::{context_categories, map_document};
use crate::model::Level;
use crate::normalize::{chinese_number, durations, editorial_key, match_text};
use crate::repo::LintConfig;
use crate::rules::Criteria;
use crate::translation::{IdMismatch, StaleSection};
use regex::Regex;
use serde::Serialize;
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::LazyLock;

/// The lint report schema (`--format json`).
pub const LINT_SCHEMA: &str = "redline.lint/1";

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// `lint` exits 1.
    Error,
    /// Reported; the exit code stays 0.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A second place a diagnostic points at (the first use of a duplicated id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// 1-based line in the same file.
    pub line: usize,
    /// 1-based column (chars).
    pub column: usize,
    /// What is there.
    pub label: String,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code (module documentation lists them).
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the repository root (`policy/privacy.zh-CN.md`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in chars.
    pub column: usize,
    /// 1-based column (chars) just after the marked span; equal to `column` for a point.
    pub end_column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Another place involved, if any.
    pub related: Option<Related>,
}

/// The character-column span of `needle` in `line` (1-based, end exclusive), if present.
fn find_span(line: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let at = line.find(needle).or_else(|| line.to_lowercase().find(&needle.to_lowercase()))?;
    let at = floor_boundary(line, at);
    let start = line[..at].chars().count() + 1;
    Some((start, start + needle.chars().count()))
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The lines of a file (LF-split, without line ends), 1-based access.
struct Lines<'a>(Vec<&'a str>);

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines(text.split('\n').collect())
    }

    fn get(&self, line: usize) -> &'a str {
        line.checked_sub(1).and_then(|i| self.0.get(i)).copied().unwrap_or("")
    }

    /// The first line in `from..=to` holding `needle`, with its span.
    fn locate(&self, from: usize, to: usize, needle: &str) -> Option<(usize, usize, usize)> {
        (from..=to.max(from)).find_map(|l| find_span(self.get(l), needle).map(|(a, b)| (l, a, b)))
    }

    /// The span of the whole trimmed line.
    fn whole(&self, line: usize) -> (usize, usize) {
        let text = self.get(line);
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        let len = text.trim_end().chars().count();
        (lead + 1, (len + 1).max(lead + 1))
    }
}

/// Builds diagnostics for one file.
struct Sink<'a> {
    file: &'a str,
    lines: Lines<'a>,
    out: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        Sink { file, lines: Lines::new(text), out: Vec::new() }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        code: &'static str,
        severity: Severity,
        line: usize,
        span: (usize, usize),
        message: String,
        hint: Option<String>,
        related: Option<Related>,
    ) {
        self.out.push(Diagnostic {
            code,
            severity,
            file: self.file.to_string(),
            line,
            column: span.0,
            end_column: span.1.max(span.0),
            message,
            hint,
            related,
        });
    }

    fn at_line(
        &mut self,
        code: &'static str,
        severity: Severity,
        line: usize,
        message: String,
        hint: &str,
    ) {
        let span = self.lines.whole(line);
        self.push(code, severity, line, span, message, Some(hint.to_string()), None);
    }
}

/// What a file is expected to say about itself in its front matter.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// The document id (`privacy`).
    pub id: Option<String>,
    /// The file's language (`zh-CN`).
    pub lang: Option<String>,
    /// For a translation: the source language it translates.
    pub translation_of: Option<String>,
}

/// What the structure checks need besides the file: what its front matter should say, and the
/// documents links may point to.
#[derive(Debug, Default)]
pub struct Context {
    /// The front matter's expected values; `None` outside a policy repository (no front matter
    /// required).
    pub expected: Option<Expected>,
    /// The folder holding the file, for relative links.
    pub dir: Option<std::path::PathBuf>,
    /// Documents of the repository by file name (`sdk.zh-CN.md`), for links into them.
    pub documents: BTreeMap<String, Document>,
}

static WELL_FORMED_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$").unwrap());

/// Whether `id` is a well-formed section id: lower-case ASCII letters and digits, in runs joined
/// by single `-` or `_` (safe in URLs, file names and TOML keys).
pub fn is_well_formed_id(id: &str) -> bool {
    WELL_FORMED_ID.is_match(id)
}

/// Lints the structure of one file (see the module documentation for the codes): `text` is the
/// decoded file, `doc` and `problems` what [`crate::document::parse_lenient`] returned for it.
pub fn check_structure(
    file: &str,
    text: &str,
    doc: &Document,
    problems: &[Problem],
    ctx: &Context,
) -> Vec<Diagnostic> {
    let mut sink = Sink::new(file, text);
    front_matter(&mut sink, doc, problems, ctx);
    ids(&mut sink, doc, problems);
    empty_sections(&mut sink, doc);
    tables(&mut sink, doc);
    links(&mut sink, doc, ctx);
    references(&mut sink, doc);
    sink.out
}

fn front_matter(sink: &mut Sink<'_>, doc: &Document, problems: &[Problem], ctx: &Context) {
    let mut malformed = false;
    for p in problems.iter().filter(|p| p.code == "front-matter") {
        malformed = true;
        sink.at_line(
            "front-matter",
            Severity::Error,
            p.line,
            p.message.clone(),
            "front matter is TOML between `+++` lines or YAML between `---` lines, at the very top of the file",
        );
    }
    // A `lang` that is no language tag, wherever the file is (front matter lines count from the
    // opening delimiter on line 1).
    let mut bad_lang = false;
    if let Some(fm) = &doc.front_matter
        && let Some(lang) = fm.fields.get("lang")
        && !crate::repo::is_language_tag(lang)
    {
        bad_lang = true;
        let line = fm
            .raw
            .lines()
            .position(|l| {
                let l = l.trim_start();
                l.strip_prefix("lang").is_some_and(|r| r.trim_start().starts_with(['=', ':']))
            })
            .map_or(1, |i| i + 2);
        let span = find_span(sink.lines.get(line), lang).unwrap_or(sink.lines.whole(line));
        sink.push(
            "front-matter-field",
            Severity::Error,
            line,
            span,
            format!("`lang` is `{lang}`, which is not a language tag"),
            Some("use a BCP 47 tag such as zh-CN, en or zh-Hans-CN".to_string()),
            None,
        );
    }
    let Some(expected) = &ctx.expected else { return };
    let Some(fm) = &doc.front_matter else {
        if !malformed {
            sink.at_line(
                "front-matter-missing",
                Severity::Error,
                1,
                "the file has no front matter".to_string(),
                &format!(
                    "start the file with\n+++\nid = \"{}\"\ntitle = \"…\"\nlang = \"{}\"\n+++",
                    expected.id.as_deref().unwrap_or("…"),
                    expected.lang.as_deref().unwrap_or("…")
                ),
            );
        }
        return;
    };
    let field_line = |name: &str| -> Option<usize> {
        fm.raw.lines().position(|l| {
            let l = l.trim_start();
            l.strip_prefix(name).is_some_and(|r| r.trim_start().starts_with(['=', ':']))
        })
    };
    let mut want: Vec<(&str, Option<String>)> =
        vec![("id", expected.id.clone()), ("title", None), ("lang", expected.lang.clone())];
    if expected.translation_of.is_some() {
        want.push(("translation_of", expected.translation_of.clone()));
    }
    for (name, value) in want {
        match (fm.fields.get(name), value) {
            (None, _) => sink.at_line(
                "front-matter-field",
                Severity::Error,
                fm.end_line,
                format!("the front matter has no `{name}`"),
                &format!(
                    "add a `{name}` line before the closing delimiter{}",
                    match name {
                        "translation_of" => " naming the source language this file translates",
                        "title" => " with the document's title as readers see it",
                        _ => "",
                    }
                ),
            ),
            (Some(found), Some(expected))
                if found != &expected && !(name == "lang" && bad_lang) =>
            {
                let line = field_line(name).map_or(1, |i| i + 2);
                let span = find_span(sink.lines.get(line), found).unwrap_or(sink.lines.whole(line));
                sink.push(
                    "front-matter-field",
                    Severity::Error,
                    line,
                    span,
                    format!("`{name}` is `{found}` but this file is `{expected}`"),
                    Some(format!(
                        "set {name} = \"{expected}\" (policy/policy.toml and the file name decide it)"
                    )),
                    None,
                );
            }
            _ => {}
        }
    }
}

/// The span of the `{#…}` attribute on a heading line, or of the heading text.
fn id_span(line: &str) -> (usize, usize) {
    match line.rfind("{#") {
        Some(at) => {
            let start = line[..at].chars().count() + 1;
            let end = line[at..].find('}').map_or(line.len(), |e| at + e + 1);
            (start, line[..end].chars().count() + 1)
        }
        None => {
            let lead = line.chars().take_while(|c| *c == '#' || c.is_whitespace()).count();
            (lead + 1, line.trim_end().chars().count() + 1)
        }
    }
}

fn ids(sink: &mut Sink<'_>, doc: &Document, problems: &[Problem]) {
    let used: HashSet<String> =
        doc.sections.iter().filter(|s| s.explicit_id).map(|s| s.id.clone()).collect();
    let mut fixes: HashSet<String> = HashSet::new();
    for s in doc.sections.iter().skip(1) {
        let line = sink.lines.get(s.line);
        if !s.explicit_id {
            let id = derive_id(s, &used, &fixes);
            fixes.insert(id.clone());
            let span = id_span(line);
            sink.push(
                "missing-id",
                Severity::Error,
                s.line,
                span,
                format!("heading `{}` has no explicit id", s.heading),
                Some(format!(
                    "add {{#{id}}} at the end of the heading (`redline lint --fix` does it): ids keep a section's history through renumbering, renames and moves"
                )),
                None,
            );
        } else if let Some((attr, meant)) = spaced_attribute(line) {
            sink.push(
                "invalid-id",
                Severity::Error,
                s.line,
                id_span(line),
                format!(
                    "the heading attribute `{attr}` holds a space, so the section id is `{}`, not what follows",
                    s.id
                ),
                Some(format!(
                    "write the id without spaces, e.g. {{#{}}}",
                    suggest_id(&meant, s)
                )),
                None,
            );
        } else if !is_well_formed_id(&s.id) {
            sink.push(
                "invalid-id",
                Severity::Error,
                s.line,
                id_span(line),
                format!("section id `{}` is not well-formed", s.id),
                Some(format!(
                    "use lower-case ASCII letters and digits joined by `-` or `_`, e.g. {{#{}}}",
                    suggest_id(&s.id, s)
                )),
                None,
            );
        }
    }
    for p in problems.iter().filter(|p| p.code == "duplicate-id") {
        let Some((id, first)) = &p.related else { continue };
        let first_span = id_span(sink.lines.get(*first));
        sink.push(
            "duplicate-id",
            Severity::Error,
            p.line,
            id_span(sink.lines.get(p.line)),
            format!("duplicate section id `{id}` (also at line {first})"),
            Some(
                "give one of the two headings another {#id}; ids must be unique in a document"
                    .to_string(),
            ),
            Some(Related {
                line: *first,
                column: first_span.0,
                label: "first used here".to_string(),
            }),
        );
    }
}

/// The `{#…}` attribute block of a heading line and the id the author meant, when a bare word
/// follows the id after a space (`{#my id}`): pulldown-cmark reads `my` as the id and drops the
/// rest. Classes (`.name`) and `key=value` pairs after the id are valid attributes.
fn spaced_attribute(line: &str) -> Option<(&str, String)> {
    let at = line.rfind("{#")?;
    let end = at + line[at..].find('}')?;
    let attr = &line[at..=end];
    let mut words = attr[2..attr.len() - 1].split_whitespace();
    let mut meant = vec![words.next()?];
    meant.extend(words.filter(|w| !w.starts_with(['.', '#']) && !w.contains('=')));
    (meant.len() > 1).then(|| (attr, meant.join("-")))
}

fn suggest_id(id: &str, s: &Section) -> String {
    let ascii: String =
        slugify(id).chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let ascii = ascii.trim_matches('-').to_string();
    if is_well_formed_id(&ascii) { ascii } else { derive_id(s, &HashSet::new(), &HashSet::new()) }
}

/// The id `--fix` gives a heading without one: the title's ASCII slug (`How we use data` →
/// `how-we-use-data`); for a title without Latin letters, `section-` and its number
/// (`3.7` → `section-3-7`, `三、` → `section-3`), else `section-` and 8 hex digits of the
/// SHA-256 of its title's [`editorial_key`] (of the trimmed title when that key is empty: a
/// title of punctuation or emoji only). A `-2`, `-3`… suffix keeps it unique among `used` and `taken`. Once
/// written into the file the id never changes again.
pub fn derive_id(s: &Section, used: &HashSet<String>, taken: &HashSet<String>) -> String {
    let slug = slugify(&s.title);
    // `slugify` says `section` for a title without letters or digits (`!!!`, `🎉`): that is no
    // slug of the title, so such a heading gets its number or its hash like any other.
    let has_slug = s.title.chars().any(char::is_alphanumeric);
    let base = if has_slug && is_well_formed_id(&slug) {
        slug
    } else if let Some(n) = s.number.as_deref().and_then(number_key) {
        format!("section-{}", n.to_lowercase().replace('.', "-"))
    } else {
        // Punctuation-only titles have an empty editorial key; hash the title itself then.
        let key = editorial_key(&s.title);
        let key = if key.trim().is_empty() { s.title.trim().to_string() } else { key };
        let digest = sha2::Sha256::digest(key.as_bytes());
        let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
        format!("section-{hex}")
    };
    let mut id = base.clone();
    let mut n = 2;
    while used.contains(&id) || taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// A section number reduced to digits, dots and capital letters (`三、` → `3`, `3.7` → `3.7`,
/// `第八条` → `8`, `D.4` → `D.4`); `None` when nothing is left.
pub fn number_key(number: &str) -> Option<String> {
    let n = number.trim().trim_start_matches('第');
    let n =
        n.trim_end_matches(|c: char| "、.．)）章节条部分篇款:：".contains(c) || c.is_whitespace());
    let n = n.trim_start_matches(['(', '（']);
    let n = n.trim_start_matches(|c: char| {
        c.is_ascii_alphabetic() && n.len() > 2 && n.to_ascii_lowercase().starts_with("section")
    });
    if n.is_empty() {
        return None;
    }
    if let Some(v) = chinese_number(n) {
        return Some(format!("{v}"));
    }
    let key: String = n
        .replace('．', ".")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    key.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.')
        .then_some(key)
        .filter(|k| !k.is_empty())
}

fn empty_sections(sink: &mut Sink<'_>, doc: &Document) {
    let parents: HashSet<usize> = doc.sections.iter().filter_map(|s| s.parent).collect();
    for (i, s) in doc.sections.iter().enumerate().skip(1) {
        if s.blocks.is_empty() && !parents.contains(&i) {
            sink.at_line(
                "empty-section",
                Severity::Error,
                s.line,
                format!("section `{}` is empty", s.heading),
                "write its text under the heading, or remove the heading",
            );
        }
    }
}

/// The cells of a raw table line: `(start column, text)` for each, pipes inside backticks or
/// escaped with `\` not counted.
fn raw_cells(line: &str) -> Vec<(usize, String)> {
    let trimmed = line.trim_end();
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    let mut in_code = false;
    let mut escaped = false;
    let mut col = 0;
    let mut first = true;
    for c in trimmed.chars() {
        col += 1;
        if escaped {
            escaped = false;
            current.push(c);
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                current.push(c);
            }
            '`' => {
                in_code = !in_code;
                current.push(c);
            }
            '|' if !in_code => {
                if !(first && current.trim().is_empty()) {
                    cells.push((cell_start(start, &current), current.trim().to_string()));
                }
                first = false;
                current.clear();
                start = col + 1;
            }
            _ => current.push(c),
        }
    }
    if !current.trim().is_empty() || !trimmed.ends_with('|') {
        cells.push((cell_start(start, &current), current.trim().to_string()));
    }
    cells
}

/// The column of a cell's first character (just after the pipe for an empty cell).
fn cell_start(after_pipe: usize, raw: &str) -> usize {
    if raw.trim().is_empty() {
        after_pipe
    } else {
        after_pipe + raw.chars().take_while(|c| c.is_whitespace()).count()
    }
}

fn tables(sink: &mut Sink<'_>, doc: &Document) {
    let mut table_lines: HashSet<usize> = HashSet::new();
    let mut code_lines: HashSet<usize> = HashSet::new();
    for s in &doc.sections {
        for t in &s.tables {
            table_lines.insert(t.line);
            table_lines.insert(t.line + 1);
        }
        for b in &s.blocks {
            match b.kind {
                BlockKind::TableRow | BlockKind::TableHeader => {
                    table_lines.extend(b.line..=b.end_line);
                }
                BlockKind::Code | BlockKind::Html => code_lines.extend(b.line..=b.end_line),
                _ => {}
            }
        }
        for (t, table) in s.tables.iter().enumerate() {
            let header_line = sink.lines.get(table.line);
            let header = raw_cells(header_line);
            for (k, (col, text)) in header.iter().enumerate() {
                if text.is_empty() {
                    sink.push(
                        "table-header",
                        Severity::Error,
                        table.line,
                        (*col, col + 1),
                        format!("header cell {} of this table is empty", k + 1),
                        Some(
                            "name every column in the header row: rows are read by their header"
                                .to_string(),
                        ),
                        None,
                    );
                }
            }
            for b in s.blocks.iter().filter(|b| b.table == Some(t) && b.kind == BlockKind::TableRow)
            {
                let line = sink.lines.get(b.line);
                let cells = raw_cells(line);
                if cells.len() < header.len() {
                    let end = line.trim_end().chars().count() + 1;
                    sink.push(
                        "table-cells",
                        Severity::Error,
                        b.line,
                        (1, end),
                        format!(
                            "this row has {} cell{} but the header has {}",
                            cells.len(),
                            if cells.len() == 1 { "" } else { "s" },
                            header.len()
                        ),
                        Some(format!(
                            "add the missing cell{} (an empty one is `| |`) so each value stays under its column: {}",
                            if header.len() - cells.len() == 1 { "" } else { "s" },
                            header.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>().join(" | ")
                        )),
                        None,
                    );
                } else if cells.len() > header.len() {
                    let (col, _) = cells[header.len()];
                    sink.push(
                        "table-cells",
                        Severity::Error,
                        b.line,
                        (col, line.trim_end().chars().count() + 1),
                        format!(
                            "this row has {} cells but the header has {}; the extra cells are dropped",
                            cells.len(),
                            header.len()
                        ),
                        Some("remove the extra cells, or add a column to the header and the delimiter row".to_string()),
                        None,
                    );
                }
            }
        }
    }
    // Pipe rows that never became a table: no header or no delimiter row.
    let mut previous = false;
    let first_body = doc.front_matter.as_ref().map_or(1, |f| f.end_line + 1);
    for (i, raw) in sink.lines.0.clone().iter().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        let piped = line >= first_body
            && t.starts_with('|')
            && t.len() > 1
            && !table_lines.contains(&line)
            && !code_lines.contains(&line);
        if piped && !previous {
            let span = sink.lines.whole(line);
            sink.push(
                "table-header",
                Severity::Error,
                line,
                span,
                "these rows are not a table: it has no header and delimiter row".to_string(),
                Some("start a table with a header row, then a delimiter row with one `---` per column (`| --- | --- |`)".to_string()),
                None,
            );
        }
        previous = piped;
    }
}

fn links(sink: &mut Sink<'_>, doc: &Document, ctx: &Context) {
    let ids: HashSet<&str> = doc.sections.iter().map(|s| s.id.as_str()).collect();
    for s in &doc.sections {
        for b in &s.blocks {
            for (text, target) in &b.links {
                let Some(problem) = link_problem(target, &ids, ctx) else { continue };
                let (line, a, e) = sink
                    .lines
                    .locate(b.line, b.end_line, &format!("({target}"))
                    .map(|(l, a, e)| (l, a + 1, e))
                    .unwrap_or_else(|| {
                        let (a, e) = sink.lines.whole(b.line);
                        (b.line, a, e)
                    });
                sink.push(
                    "broken-link",
                    Severity::Error,
                    line,
                    (a, e),
                    format!("link `{text}` points to {problem}"),
                    Some("link to an existing section id (`#id`, see the `{#id}` of its heading) or fix the target".to_string()),
                    None,
                );
            }
        }
    }
}

/// Why a link target does not resolve, if it does not.
fn link_problem(target: &str, ids: &HashSet<&str>, ctx: &Context) -> Option<String> {
    let external = target.contains("://")
        || target.starts_with("mailto:")
        || target.starts_with("tel:")
        || target.starts_with("//");
    if external || target.is_empty() {
        return None;
    }
    if let Some(id) = target.strip_prefix('#') {
        return (!ids.contains(id)).then(|| format!("`#{id}`, a section that does not exist"));
    }
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let name = path.trim_start_matches("./");
    if let Some(other) = ctx.documents.get(name) {
        return fragment
            .filter(|f| other.section(f).is_none())
            .map(|f| format!("`#{f}` in {name}, a section that does not exist there"));
    }
    let dir = ctx.dir.as_ref()?;
    (!dir.join(path).exists()).then(|| format!("`{path}`, a file that does not exist"))
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:参见|详见|参阅|见)\s*(?:本(?:声明和政策|政策和声明|隐私权?政策|政策|指引|协议)?\s*)?|本(?:声明和政策|政策和声明|隐私权?政策|政策|指引)\s*)第?\s*(\d{1,2}(?:\.\d{1,2})*|[一二三四五六七八九十]{1,3})\s*(?:条|节|章|部分)?|(?i:\bsections?)\s+([A-Z]?\d{1,2}(?:\.\d{1,2})*|[A-Z](?:\.\d{1,2})*)\b(?:\s*(?:—|–|-|to|through|and|or|,)\s*([A-Z]?\d{1,2}(?:\.\d{1,2})*|[A-Z](?:\.\d{1,2})+))?",
    )
    .unwrap()
});

fn references(sink: &mut Sink<'_>, doc: &Document) {
    let numbers: HashSet<String> =
        doc.sections.iter().filter_map(|s| s.number.as_deref().and_then(number_key)).collect();
    if numbers.is_empty() {
        return;
    }
    for s in &doc.sections {
        for b in s.blocks.iter().filter(|b| !matches!(b.kind, BlockKind::Code | BlockKind::Html)) {
            for line in b.line..=b.end_line {
                let raw = sink.lines.get(line);
                for c in REFERENCE.captures_iter(raw) {
                    for g in [c.get(1), c.get(2), c.get(3)].into_iter().flatten() {
                        // A bare Chinese reference needs a unit or a dotted number (`见第八条`,
                        // `见 8.1`), so `见下文` or `见 3 个` do not count.
                        let whole = c.get(0).expect("match");
                        let bare = c.get(1).is_some()
                            && !g.as_str().contains('.')
                            && !whole.as_str().ends_with(['条', '节', '章', '分']);
                        if bare {
                            continue;
                        }
                        let Some(key) = number_key(g.as_str()) else { continue };
                        if numbers.contains(&key) {
                            continue;
                        }
                        let start = raw[..g.start()].chars().count() + 1;
                        sink.push(
                            "broken-reference",
                            Severity::Error,
                            line,
                            (start, start + g.as_str().chars().count()),
                            format!("`{}` refers to section {}, which does not exist", whole.as_str().trim(), g.as_str()),
                            Some("correct the number (sections may have been renumbered), or link to the section by id: [text](#id)".to_string()),
                            None,
                        );
                    }
                }
            }
        }
    }
}

/// Applies the `required` list of `config`: a content diagnostic listed there is an error.
fn severity(config: &LintConfig, code: &str, item: Option<&str>) -> Severity {
    if config.is_required(code, item) { Severity::Error } else { Severity::Warning }
}

/// Lints the content of a policy (the source language): the PIPL art. 17 disclosures, sensitive
/// personal information highlighted, the update section's promises. Lexicons and patterns come
/// from `criteria` (`sensitive`, `data_types`, `identifiers`, `rights`, `retention_context`,
/// `vague_retention`, `indefinite`, `promise_*`; `email`, `phone`, `url`, `company`); a check
/// whose lexicon the criteria lack is skipped.
pub fn check_content(
    file: &str,
    text: &str,
    doc: &Document,
    criteria: &Criteria,
    config: &LintConfig,
) -> Vec<Diagnostic> {
    let mut sink = Sink::new(file, text);
    let map = map_document(doc, criteria);
    let wanted = config.disclosures();
    let first_line = 1;
    let lex = |name: &str| criteria.lexicons.get(name);
    let pattern = |name: &str| criteria.patterns.get(name);
    let section_has = |cat: &str| map.sections.iter().any(|s| s.categories.contains(cat));
    let block_has = |cat: &str| {
        map.sections.iter().any(|s| s.blocks.iter().any(|b| b.categories.contains(cat)))
    };
    let channels = |t: &str| {
        let t = match_text(t);
        ["email", "phone", "url"].iter().any(|p| pattern(p).is_some_and(|re| re.any(&t)))
    };
    let mut missing: Vec<(&str, String, &str)> = Vec::new();
    for d in &wanted {
        let gap: Option<(String, &str)> = match d.as_str() {
            "controller" => pattern("company").and_then(|re| {
                let named = doc.sections.iter().flat_map(|s| &s.blocks).any(|b| {
                    b.kind != BlockKind::TableRow && re.any(&match_text(&b.text))
                });
                (!named).then(|| ("the operator's (controller's) name is not stated".to_string(),
                    "name the company that runs the service, as registered (e.g. in the definitions or contact section)"))
            }),
            "contact" => {
                if !section_has("contact") {
                    Some(("no section tells users how to contact the operator".to_string(),
                        "add a contact section (如何联系我们) with an e-mail address, phone number or postal address"))
                } else if !map.sections_in("contact").any(|s| s.blocks.iter().any(|b| channels(&b.text))) {
                    Some(("the contact section gives no e-mail address, phone number or web address".to_string(),
                        "add at least one contact channel to the contact section"))
                } else {
                    None
                }
            }
            "purposes" => (!block_has("use")).then(|| ("no clause says what personal information is used for".to_string(),
                "describe the purposes of processing (我们如何使用您的个人信息)")),
            "methods" => (!section_has("collection")).then(|| ("no section describes how personal information is collected".to_string(),
                "describe how personal information is collected and processed (我们如何收集您的个人信息)")),
            "data_categories" => {
                let sets: Vec<_> = ["data_types", "identifiers", "sensitive"].iter().filter_map(|n| lex(n)).collect();
                if sets.is_empty() {
                    None
                } else {
                    let named: BTreeSet<String> = map
                        .blocks_in("collection")
                        .flat_map(|(_, b)| {
                            let t = match_text(&b.text);
                            sets.iter().flat_map(|s| s.counts(&t).into_keys().collect::<Vec<_>>()).collect::<Vec<_>>()
                        })
                        .collect();
                    (named.len() < 3).then(|| (format!(
                        "the collection clauses name {} kind{} of personal information",
                        named.len(), if named.len() == 1 { "" } else { "s" }),
                        "list the categories of personal information collected (姓名、手机号、设备信息…)"))
                }
            }
            "retention" => match (lex("retention_context"), lex("vague_retention"), lex("indefinite")) {
                (Some(ctx), vague, indefinite) => {
                    let stated = map.blocks_in("storage").any(|(_, b)| {
                        let t = match_text(&b.text);
                        ctx.any(&t)
                            && (!durations(&b.text).is_empty()
                                || vague.is_some_and(|v| v.any(&t))
                                || indefinite.is_some_and(|v| v.any(&t)))
                    });
                    (!stated).then(|| ("no retention period is stated".to_string(),
                        "say how long personal information is kept, or how that period is determined (PIPL art. 17(1)(2), NDSR art. 21)"))
                }
                _ => None,
            },
            "rights" => {
                let named = lex("rights").is_none_or(|r| map.blocks_in("user_rights").any(|(_, b)| r.any(&match_text(&b.text))));
                (!section_has("user_rights") || !named).then(|| ("no section tells users how to exercise their rights".to_string(),
                    "describe how to access, correct, delete, withdraw consent and close the account (PIPL art. 44-50)"))
            }
            "updates" => (!section_has("policy_change")).then(|| ("no section says how the policy is updated".to_string(),
                "add an update section (本政策如何更新): how changes are announced and when they apply")),
            _ => None,
        };
        if let Some((message, hint)) = gap {
            missing.push((d.as_str(), message, hint));
        }
    }
    for (item, message, hint) in missing {
        let span = sink.lines.whole(first_line);
        sink.push(
            "missing-disclosure",
            severity(config, "missing-disclosure", Some(item)),
            first_line,
            span,
            format!("{message} (PIPL art. 17 disclosure `{item}`)"),
            Some(hint.to_string()),
            None,
        );
    }
    if config.highlight_sensitive() {
        highlight(&mut sink, doc, &map, criteria, config);
    }
    let promises = config.update_promises();
    if !promises.is_empty() {
        update_promises(&mut sink, doc, &map, criteria, config, &promises);
    }
    sink.out
}

fn highlight(
    sink: &mut Sink<'_>,
    doc: &Document,
    map: &crate::map::PracticeMap,
    criteria: &Criteria,
    config: &LintConfig,
) {
    let Some(sensitive) = criteria.lexicons.get("sensitive") else { return };
    let practices = ["collection", "sharing", "permissions", "use"];
    let mapped: HashMap<&str, &crate::map::MappedSection> =
        map.sections.iter().map(|s| (s.id.as_str(), s)).collect();
    for (i, s) in doc.sections.iter().enumerate() {
        if context_categories(doc, i, criteria).contains("definitions") {
            continue;
        }
        let Some(m) = mapped.get(s.id.as_str()) else { continue };
        for (b, mb) in s.blocks.iter().zip(&m.blocks) {
            // A contact block names the operator, not a practice (示例健康科技有限公司).
            if !practices.iter().any(|p| mb.categories.contains(*p))
                || mb.categories.contains("contact")
            {
                continue;
            }
            let plain = match_text(&b.text);
            let mut terms: Vec<String> = sensitive.counts(&plain).into_keys().collect();
            terms.sort_by_key(|t| plain.find(t.as_str()).unwrap_or(usize::MAX));
            if terms.is_empty() {
                continue;
            }
            let highlighted = b.emphasis.iter().any(|e| sensitive.any(&match_text(e)));
            if highlighted {
                continue;
            }
            let (line, a, e) = terms
                .iter()
                .filter_map(|t| sink.lines.locate(b.line, b.end_line, t))
                .min()
                .unwrap_or_else(|| {
                    let (a, e) = sink.lines.whole(b.line);
                    (b.line, a, e)
                });
            sink.push(
                "sensitive-not-highlighted",
                severity(config, "sensitive-not-highlighted", None),
                line,
                (a, e),
                format!(
                    "sensitive personal information ({}) is named without highlighting",
                    terms.iter().take(4).cloned().collect::<Vec<_>>().join("、")
                ),
                Some("put it in **bold**: sensitive personal information must stand out where the policy names it (GB/T 35273 5.5; PIPL art. 30)".to_string()),
                None,
            );
        }
    }
}

fn update_promises(
    sink: &mut Sink<'_>,
    doc: &Document,
    map: &crate::map::PracticeMap,
    criteria: &Criteria,
    config: &LintConfig,
    promises: &[String],
) {
    let sections: Vec<&crate::map::MappedSection> = map.sections_in("policy_change").collect();
    if sections.is_empty() {
        return; // `missing-disclosure` (updates) says so.
    }
    let anchor = doc
        .sections
        .iter()
        .find(|s| heading_categories(&s.title, criteria).contains("policy_change"))
        .map(|s| s.line)
        .or_else(|| sections.iter().map(|s| s.line).find(|&l| l > 0))
        .unwrap_or(1);
    let text: String = sections
        .iter()
        .flat_map(|s| s.blocks.iter().map(|b| match_text(&b.text)))
        .collect::<Vec<_>>()
        .join("\n");
    for p in promises {
        let (lexicon, what, hint) = match p.as_str() {
            "archive" => (
                "promise_archive",
                "to archive old versions for users to consult",
                "keep the promise to archive every past version (存档, 供您查阅); redline keeps the archive in archive/",
            ),
            "notice" => (
                "promise_notice",
                "a prominent notice (a popup) for major changes",
                "keep the promise of a prominent notice, such as a popup, for major changes (显著的通知, 弹窗提示)",
            ),
            "no_reduction" => (
                "promise_no_reduction",
                "not to reduce users' rights without their explicit consent",
                "keep the promise 未经您明确同意，我们不会削减您…的权利 (GB/T 35273 Annex D)",
            ),
            _ => continue,
        };
        let Some(set) = criteria.lexicons.get(lexicon) else { continue };
        if set.any(&text) {
            continue;
        }
        let span = sink.lines.whole(anchor);
        sink.push(
            "update-promise-missing",
            severity(config, "update-promise-missing", Some(p)),
            anchor,
            span,
            format!("the update section no longer promises {what}"),
            Some(hint.to_string()),
            None,
        );
    }
}

/// Lints a translation against its source: `translation-ids` for ids that differ (errors) and
/// `translation-stale` for stale sections (warnings unless required).
#[allow(clippy::too_many_arguments)]
pub fn check_translation(
    file: &str,
    text: &str,
    source_file: &str,
    source: &Document,
    ids: &IdMismatch,
    stale: &[StaleSection],
    translation: &Document,
    config: &LintConfig,
) -> Vec<Diagnostic> {
    let mut sink = Sink::new(file, text);
    for (id, line) in &ids.extra {
        let span = id_span(sink.lines.get(*line));
        sink.push(
            "translation-ids",
            Severity::Error,
            *line,
            span,
            format!("section `{id}` is not in the source ({source_file})"),
            Some("a translation has exactly the source's section ids: give this heading the id of the source section it translates, or remove it".to_string()),
            None,
        );
    }
    let last_line = text.lines().count().max(1);
    for (id, source_line) in &ids.missing {
        // Point where its heading belongs: after the translated section that precedes it in
        // the source.
        let line = source
            .sections
            .iter()
            .skip(1)
            .take_while(|s| &s.id != id)
            .filter_map(|s| translation.section(&s.id))
            .last()
            .map_or(1, |t| (t.end_line + 1).min(last_line));
        let span = sink.lines.whole(line);
        sink.push(
            "translation-ids",
            Severity::Error,
            line,
            span,
            format!("section `{id}` ({source_file}:{source_line}) has no translation here"),
            Some(format!("translate the section and give its heading {{#{id}}}")),
            None,
        );
    }
    for s in stale {
        let span = id_span(sink.lines.get(s.line));
        sink.push(
            "translation-stale",
            severity(config, "translation-stale", None),
            s.line,
            span,
            format!(
                "section `{}` is stale: the source ({source_file}:{}) changed in {} after this translation was last updated in {}",
                s.id, s.source_line, s.source_changed, s.translation_changed
            ),
            Some("update the translation of this section (any change to it marks it current)".to_string()),
            None,
        );
    }
    sink.out
}

/// `effective-date-unchanged`: the text changed at `minor` or above between `base` and `doc`
/// (classified under `criteria`) while the dates it states about itself stayed the same. Nothing
/// when `doc` states no date.
pub fn check_dates(
    file: &str,
    text: &str,
    base: &Document,
    doc: &Document,
    criteria: &Criteria,
    config: &LintConfig,
) -> Vec<Diagnostic> {
    let mut sink = Sink::new(file, text);
    let (updated, effective) = stated_dates(doc);
    let Some((date, block_line)) = effective.or(updated) else { return Vec::new() };
    let dates = |d: &Document| {
        let (u, e) = stated_dates(d);
        (u.map(|x: StatedDate| x.0), e.map(|x: StatedDate| x.0))
    };
    if dates(base) != dates(doc) || base.text == doc.text {
        return Vec::new();
    }
    let diff = crate::diff::diff(base, doc);
    let level = crate::classify::classify(base, doc, &diff, criteria).level;
    if level < Level::Minor {
        return Vec::new();
    }
    let shown = [
        date.to_string(),
        date.strftime("%Y年%-m月%-d日").to_string(),
        date.strftime("%Y年%m月%d日").to_string(),
    ];
    let end = doc
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .find(|b| b.line == block_line)
        .map_or(block_line, |b| b.end_line);
    let (line, a, e) =
        shown.iter().find_map(|d| sink.lines.locate(block_line, end, d)).unwrap_or_else(|| {
            let (a, e) = sink.lines.whole(block_line);
            (block_line, a, e)
        });
    sink.push(
        "effective-date-unchanged",
        severity(config, "effective-date-unchanged", None),
        line,
        (a, e),
        format!(
            "the text changed at level {level} since {} but this date ({date}) did not",
            base.path
        ),
        Some(
            "set the date line to the new version's date: readers and the archive rely on it"
                .to_string(),
        ),
        None,
    );
    sink.out
}

/// Adds a derived `{#id}` (see [`derive_id`]) to every heading of `raw` without one and changes
/// nothing else: not line endings, not other lines, not a byte-order mark. Returns the new text
/// and the `(line, id)` pairs added, or `None` when every heading has an id already. `path`
/// decides Markdown or plain text (plain text has no headings).
pub fn fix_ids(path: &str, raw: &str) -> Option<(String, Vec<(usize, String)>)> {
    fix_ids_with(path, raw, &[])
}

/// [`fix_ids`] for one language of a document whose other languages are `counterparts`: a
/// heading without an id takes the explicit id of the heading at the same place in a
/// counterpart (same position among the headings, same level) when this file does not use that
/// id yet, so the languages keep matching ids (lint's `translation-ids`); otherwise a derived one.
pub fn fix_ids_with(
    path: &str,
    raw: &str,
    counterparts: &[&Document],
) -> Option<(String, Vec<(usize, String)>)> {
    let decoded = crate::text::normalize_line_endings(raw.strip_prefix('\u{feff}').unwrap_or(raw));
    let (doc, _) = crate::document::parse_lenient(path, &decoded);
    let used: HashSet<String> =
        doc.sections.iter().filter(|s| s.explicit_id).map(|s| s.id.clone()).collect();
    let headings = |d: &Document| -> Vec<(u8, bool, String)> {
        d.sections
            .iter()
            .filter(|s| s.id != PREAMBLE_ID)
            .map(|s| (s.level, s.explicit_id, s.id.clone()))
            .collect()
    };
    let others: Vec<Vec<(u8, bool, String)>> = counterparts.iter().map(|d| headings(d)).collect();
    let mut taken = HashSet::new();
    let mut edits: BTreeMap<usize, String> = BTreeMap::new();
    for (k, s) in doc.sections.iter().filter(|s| s.id != PREAMBLE_ID).enumerate() {
        if s.explicit_id {
            continue;
        }
        let reused = others.iter().find_map(|o| {
            o.get(k)
                .filter(|(level, explicit, id)| {
                    *explicit && *level == s.level && !used.contains(id) && !taken.contains(id)
                })
                .map(|(_, _, id)| id.clone())
        });
        let id = reused.unwrap_or_else(|| derive_id(s, &used, &taken));
        taken.insert(id.clone());
        edits.insert(s.line, id);
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(raw.len() + edits.len() * 16);
    for (i, line) in raw.split_inclusive('\n').enumerate() {
        let Some(id) = edits.get(&(i + 1)) else {
            out.push_str(line);
            continue;
        };
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        // Attributes go last, after an ATX closing sequence too (`## Title ## {#id}`), where
        // pulldown-cmark reads them.
        let _ = write!(out, "{} {{#{id}}}", body.trim_end());
        out.push_str(ending);
    }
    let added = edits.into_iter().collect();
    Some((out, added))
}

/// A lint run over several files: the diagnostics, sorted by file, line, column and code, and the
/// texts they point into (for rendering).
#[derive(Debug, Default)]
pub struct LintReport {
    /// Every diagnostic.
    pub diagnostics: Vec<Diagnostic>,
    /// The decoded text of each file linted (by repository-relative path).
    pub sources: BTreeMap<String, String>,
    /// Files checked, in order.
    pub files: Vec<String>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    files: &'a [String],
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

impl LintReport {
    /// Sorts the diagnostics (file order as checked, then line, column, code) and removes exact
    /// repeats.
    pub fn finish(&mut self) {
        let order: HashMap<String, usize> =
            self.files.iter().enumerate().map(|(i, f)| (f.clone(), i)).collect();
        self.diagnostics.sort_by(|a, b| {
            let fa = order.get(&a.file).copied().unwrap_or(usize::MAX);
            let fb = order.get(&b.file).copied().unwrap_or(usize::MAX);
            (fa, &a.file, a.line, a.column, a.code, &a.message)
                .cmp(&(fb, &b.file, b.line, b.column, b.code, &b.message))
        });
        self.diagnostics.dedup();
    }

    /// How many errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// How many warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// `redline.lint/1` JSON: `{schema, files, errors, warnings, diagnostics: [...]}`.
    pub fn to_json(&self) -> String {
        let report = JsonReport {
            schema: LINT_SCHEMA,
            files: &self.files,
            errors: self.errors(),
            warnings: self.warnings(),
            diagnostics: &self.diagnostics,
        };
        let mut s = serde_json::to_string_pretty(&report).expect("a lint report serialises");
        s.push('\n');
        s
    }

    /// GitHub Actions workflow commands, one per diagnostic
    /// (`::error file=…,line=…,col=…,endColumn=…,title=…::message%0Ahint`).
    pub fn to_github(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let mut message = d.message.clone();
            if let Some(h) = &d.hint {
                message.push_str("\nhint: ");
                message.push_str(h);
            }
            let _ = writeln!(
                out,
                "::{} file={},line={},col={},endColumn={},title={}::{}",
                d.severity.as_str(),
                escape_property(&d.file),
                d.line,
                d.column,
                d.end_column,
                escape_property(&format!("redline {}", d.code)),
                escape_data(&message)
            );
        }
        out
    }

    /// Human-readable diagnostics with the source line and the span marked (annotate-snippets),
    /// then a summary line. `color` uses ANSI colours.
    pub fn to_text(&self, color: bool) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level as L, Origin, Renderer, Snippet};
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        let mut out = String::new();
        let mut starts: HashMap<&str, Vec<usize>> = HashMap::new();
        for d in &self.diagnostics {
            let level = match d.severity {
                Severity::Error => L::ERROR,
                Severity::Warning => L::WARNING,
            };
            let title = level.primary_title(d.message.as_str()).id(d.code);
            let group = match self.sources.get(&d.file).filter(|t| !t.is_empty()) {
                Some(text) => {
                    let index = starts.entry(d.file.as_str()).or_insert_with(|| line_starts(text));
                    // Only the lines the annotations are on go to annotate-snippets, so each
                    // diagnostic costs its own lines, not the whole file (linear in the number
                    // of diagnostics). A related place further away gets a snippet of its own.
                    let near = d.related.as_ref().filter(|r| r.line.abs_diff(d.line) <= NEAR_LINES);
                    let (lo, hi) = match near {
                        Some(r) => (r.line.min(d.line), r.line.max(d.line)),
                        None => (d.line, d.line),
                    };
                    let (source, first) = window(text, index, lo, hi);
                    let span = byte_span(source, d.line + 1 - first, d.column, d.end_column);
                    let mut snippet = Snippet::source(source)
                        .line_start(first)
                        .path(d.file.as_str())
                        .annotation(AnnotationKind::Primary.span(span));
                    let mut far = None;
                    if let Some(r) = &d.related {
                        if near.is_some() {
                            let rspan =
                                byte_span(source, r.line + 1 - first, r.column, r.column + 1);
                            snippet = snippet.annotation(
                                AnnotationKind::Context.span(rspan).label(r.label.as_str()),
                            );
                        } else {
                            let (rwindow, rfirst) = window(text, index, r.line, r.line);
                            let rspan =
                                byte_span(rwindow, r.line + 1 - rfirst, r.column, r.column + 1);
                            far = Some(
                                Snippet::source(rwindow)
                                    .line_start(rfirst)
                                    .path(d.file.as_str())
                                    .annotation(
                                        AnnotationKind::Context.span(rspan).label(r.label.as_str()),
                                    ),
                            );
                        }
                    }
                    // The diagnostic's own place first, so `-->` names it.
                    match far {
                        Some(f) => title.element(snippet).element(f),
                        None => title.element(snippet),
                    }
                }
                None => {
                    title.element(Origin::path(d.file.as_str()).line(d.line).char_column(d.column))
                }
            };
            let mut report: Vec<Group<'_>> = vec![group];
            if let Some(h) = &d.hint {
                report.push(Group::with_title(L::HELP.secondary_title(h.as_str())));
            }
            out.push_str(&renderer.render(&report));
            out.push_str("\n\n");
        }
        let _ = writeln!(
            out,
            "{} file{} checked: {} error{}, {} warning{}",
            self.files.len(),
            if self.files.len() == 1 { "" } else { "s" },
            self.errors(),
            if self.errors() == 1 { "" } else { "s" },
            self.warnings(),
            if self.warnings() == 1 { "" } else { "s" }
        );
        out
    }
}

/// A related place at most this many lines from the diagnostic shares its snippet.
const NEAR_LINES: usize = 8;

/// The byte offset where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// Lines `lo..=hi` (1-based, clamped to the file) of `text` without the final line end, and the
/// number of the first.
fn window<'t>(text: &'t str, starts: &[usize], lo: usize, hi: usize) -> (&'t str, usize) {
    let last = starts.len();
    let lo = lo.clamp(1, last);
    let hi = hi.clamp(lo, last);
    let from = starts[lo - 1];
    let to = starts.get(hi).map_or(text.len(), |&next| next - 1);
    (&text[from..to.max(from)], lo)
}

/// The byte range in `text` of chars `column..end_column` (1-based) on `line`, clamped to the
/// line.
fn byte_span(text: &str, line: usize, column: usize, end_column: usize) -> std::ops::Range<usize> {
    let start_of_line: usize =
        text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let line_text = text[start_of_line.min(text.len())..].split('\n').next().unwrap_or("");
    let offset = |col: usize| -> usize {
        line_text.char_indices().nth(col.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i)
    };
    let (a, b) = (offset(column), offset(end_column.max(column + 1)));
    let a = start_of_line + a;
    let b = (start_of_line + b).max(a);
    a.min(text.len())..b.min(text.len())
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Whether `path` is Markdown (anything but `.txt`).
pub fn is_markdown(path: &Path) -> bool {
    !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Reads and parses a file for linting: the decoded text, the document and its parse problems,
/// or the diagnostic that stops it (`missing-file`, `invalid-utf8`).
///
/// Errors (outside): a file that is present but not a regular file of at most 64 MiB (a named
/// pipe, a device, a link loop; [`crate::fsutil::read_regular`]): bad input, not a diagnostic.
fn load(root: &Path, rel: &str) -> crate::Result<Loaded> {
    let path = root.join(rel);
    if crate::fsutil::is_present(&path) && !path.is_dir() {
        crate::fsutil::read_regular(&path, rel)?;
    }
    Ok(load_checked(root, rel))
}

/// A file read for linting: its text, document and parse problems, or the diagnostic that
/// stops it.
type Loaded = std::result::Result<(String, Document, Vec<Problem>), Box<Diagnostic>>;

fn load_checked(root: &Path, rel: &str) -> Loaded {
    let point = |code: &'static str, line: usize, column: usize, message: String, hint: &str| {
        Box::new(Diagnostic {
            code,
            severity: Severity::Error,
            file: rel.to_string(),
            line,
            column,
            end_column: column,
            message,
            hint: Some(hint.to_string()),
            related: None,
        })
    };
    let bytes = crate::fsutil::read_regular(&root.join(rel), rel).map_err(|_| {
        point(
            "missing-file",
            1,
            1,
            "this file is listed in policy/policy.toml but does not exist".to_string(),
            "create it, or remove its language from `translations` in policy/policy.toml",
        )
    })?;
    let text = crate::text::decode(rel, &bytes).map_err(|e| match e {
        crate::Error::InvalidUtf8 { line, column, byte, .. } => point(
            "invalid-utf8",
            line,
            column,
            format!("invalid UTF-8 (byte 0x{byte:02x})"),
            "save the file as UTF-8",
        ),
        crate::Error::ControlCharacter { line, column, code, .. } => point(
            "control-character",
            line,
            column,
            format!("control character U+{code:04X} in the text"),
            "remove it: a policy is plain text (a NUL byte comes from a binary or mis-saved file)",
        ),
        other => point("invalid-utf8", 1, 1, other.to_string(), "save the file as UTF-8"),
    })?;
    let (doc, problems) = crate::document::parse_lenient(rel, &text);
    Ok((text, doc, problems))
}

/// Lints `documents` of `repo`, every language of each: structure (every file), content and
/// stated dates (the source language; `base` gives the version to compare dates with, if any),
/// and translations (ids and staleness, [`crate::translation::history`]).
///
/// Errors: a git failure while reading the history, an unreadable release record.
pub fn lint_repository(
    repo: &crate::repo::PolicyRepo,
    documents: &[&crate::repo::DocumentConfig],
    criteria: &Criteria,
    base: &dyn Fn(&crate::repo::DocumentConfig) -> Option<Document>,
) -> crate::Result<LintReport> {
    let mut report = LintReport::default();
    // The configuration itself: a time zone that does not exist would only fail at release time.
    if let Err(e) = repo.timezone() {
        let rel = "policy/policy.toml";
        let text = std::fs::read_to_string(repo.root.join(rel)).unwrap_or_default();
        let lines = Lines::new(&text);
        let (line, column, end_column) =
            lines.locate(1, text.lines().count(), &repo.config.timezone).unwrap_or((1, 1, 1));
        report.diagnostics.push(Diagnostic {
            code: "config-timezone",
            severity: Severity::Error,
            file: rel.to_string(),
            line,
            column,
            end_column,
            message: match e {
                crate::Error::Toml { message, .. } | crate::Error::Config { message, .. } => {
                    message
                }
                e => e.to_string(),
            },
            hint: Some("use an IANA time-zone name, e.g. timezone = \"Asia/Shanghai\"".to_string()),
            related: None,
        });
        report.sources.insert(rel.to_string(), text);
    }
    // Every document of the repository, for links into other documents.
    let mut all: BTreeMap<String, Document> = BTreeMap::new();
    for d in repo.documents() {
        for (lang, rel) in repo.sources(d) {
            if let Ok((_, doc, _)) = load(&repo.root, &rel)? {
                all.insert(d.file_name(&lang), doc);
            }
        }
    }
    for d in documents {
        let source_rel = repo.source_rel(d, &d.source_language);
        let mut source: Option<Document> = None;
        // Duplicate ids in the source are reported there; comparing a translation's ids with
        // them would report the same mistake again in every translation.
        let mut source_ids_unique = true;
        for (lang, rel) in repo.sources(d) {
            report.files.push(rel.clone());
            let (text, doc, problems) = match load(&repo.root, &rel)? {
                Ok(x) => x,
                Err(diag) => {
                    report.diagnostics.push(*diag);
                    continue;
                }
            };
            let is_source = lang == d.source_language;
            let ctx = Context {
                expected: Some(Expected {
                    id: Some(d.id.clone()),
                    lang: Some(lang.clone()),
                    translation_of: (!is_source).then(|| d.source_language.clone()),
                }),
                dir: Some(repo.root.join("policy")),
                documents: all.clone(),
            };
            report.diagnostics.extend(check_structure(&rel, &text, &doc, &problems, &ctx));
            if is_source {
                source_ids_unique = !problems.iter().any(|p| p.code == "duplicate-id");
                report.diagnostics.extend(check_content(&rel, &text, &doc, criteria, &d.lint));
                if let Some(b) = base(d) {
                    report
                        .diagnostics
                        .extend(check_dates(&rel, &text, &b, &doc, criteria, &d.lint));
                }
                source = Some(doc);
            } else if let Some(src) = &source {
                let ids = if source_ids_unique {
                    crate::translation::compare_ids(src, &doc)
                } else {
                    IdMismatch::default()
                };
                let history = crate::translation::history(repo, d, &lang)?;
                let stale = crate::translation::stale_sections(&history);
                report.diagnostics.extend(check_translation(
                    &rel,
                    &text,
                    &source_rel,
                    src,
                    &ids,
                    &stale,
                    &doc,
                    &d.lint,
                ));
            }
            report.sources.insert(rel, text);
        }
    }
    report.finish();
    Ok(report)
}

/// Lints one file outside a policy repository (or not listed in it): structure and content,
/// without front-matter expectations.
///
/// Errors: the file is present but not a regular file of at most 64 MiB.
pub fn lint_file(
    rel: &str,
    root: &Path,
    criteria: &Criteria,
    config: &LintConfig,
) -> crate::Result<LintReport> {
    let mut report = LintReport { files: vec![rel.to_string()], ..LintReport::default() };
    match load(root, rel)? {
        Err(d) => report.diagnostics.push(*d),
        Ok((text, doc, problems)) => {
            let dir = root.join(rel).parent().map(Path::to_path_buf);
            let ctx = Context { expected: None, dir, documents: BTreeMap::new() };
            report.diagnostics.extend(check_structure(rel, &text, &doc, &problems, &ctx));
            report.diagnostics.extend(check_content(rel, &text, &doc, criteria, config));
            report.sources.insert(rel.to_string(), text);
        }
    }
    report.finish();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse_lenient;

    fn structure(text: &str) -> Vec<Diagnostic> {
        let (doc, problems) = parse_lenient("p.md", text);
        check_structure("p.md", text, &doc, &problems, &Context::default())
    }

    #[test]
    fn text_output_renders_only_the_lines_of_each_diagnostic() {
        let mut text = String::from("# T {#t}\n\n## A {#a}\n\nx\n\n");
        for i in 0..40 {
            text.push_str(&format!("filler {i}\n\n"));
        }
        text.push_str("## B {#a}\n\ny\n\n## C\n\nz\n");
        let mut report = LintReport {
            diagnostics: structure(&text),
            sources: [("p.md".to_string(), text.clone())].into(),
            files: vec!["p.md".to_string()],
        };
        report.finish();
        let out = report.to_text(false);
        // The duplicate at line 87 first, then the far related place at line 3 in its own snippet.
        assert!(out.contains("--> p.md:87:6"), "{out}");
        assert!(out.contains("87 | ## B {#a}"), "{out}");
        assert!(out.contains("::: p.md:3:6"), "{out}");
        assert!(out.contains(" 3 | ## A {#a}"), "{out}");
        assert!(out.contains("91 | ## C"), "{out}");
        assert!(!out.contains("filler"), "no other line is shown: {out}");
        assert_eq!(window("a\nb\nc", &line_starts("a\nb\nc"), 2, 3), ("b\nc", 2));
        assert_eq!(window("a\nb\n", &line_starts("a\nb\n"), 1, 1), ("a", 1));
    }

    #[test]
    fn raw_cells_count_pipes_outside_code() {
        assert_eq!(raw_cells("| a | b |").len(), 2);
        assert_eq!(raw_cells("| a | `x|y` | c").len(), 3);
        assert_eq!(raw_cells("a | b").len(), 2);
        assert_eq!(raw_cells("| a \\| b | c |").len(), 2);
        assert_eq!(raw_cells("| a | |").len(), 2);
    }

    #[test]
    fn number_keys_match_across_styles() {
        assert_eq!(number_key("三、").as_deref(), Some("3"));
        assert_eq!(number_key("3.7").as_deref(), Some("3.7"));
        assert_eq!(number_key("第八条").as_deref(), Some("8"));
        assert_eq!(number_key("D.4").as_deref(), Some("D.4"));
        assert_eq!(number_key("(二)").as_deref(), Some("2"));
    }

    #[test]
    fn derived_ids_are_ascii_and_unique() {
        let (doc, _) = parse_lenient(
            "p.md",
            "## How We Use Data\n\nx\n\n## 三、联系我们\n\ny\n\n## 联系\n\nz\n",
        );
        let none = HashSet::new();
        assert_eq!(derive_id(&doc.sections[1], &none, &none), "how-we-use-data");
        assert_eq!(derive_id(&doc.sections[2], &none, &none), "section-3");
        assert!(derive_id(&doc.sections[3], &none, &none).starts_with("section-"));
        let used: HashSet<String> = ["section-3".to_string()].into();
        assert_eq!(derive_id(&doc.sections[2], &used, &none), "section-3-2");
    }

    #[test]
    fn every_reference_form_resolves_or_is_reported() {
        let text = "## 8. Rights {#rights}\n\n### 8.1 Access {#access}\n\nSee section 8.1 and Section 9.2; 详见第八条，见 8.3。\n";
        let d = structure(text);
        let refs: Vec<(usize, usize, &str)> = d
            .iter()
            .filter(|d| d.code == "broken-reference")
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(refs.len(), 2, "{d:?}");
        assert_eq!((refs[0].0, refs[0].1), (5, 29));
        assert!(refs[0].2.contains("section 9.2"), "{}", refs[0].2);
        assert!(refs[1].2.contains("8.3"), "{}", refs[1].2);
    }

    #[test]
    fn fix_touches_only_heading_lines_and_keeps_line_endings() {
        let raw = "# Policy {#policy}\r\n\r\n## How we use data ##\r\nText.\r\n\r\n## 三、联系\r\nMail.\r\n";
        let (fixed, added) = fix_ids("p.md", raw).unwrap();
        assert_eq!(added, vec![(3, "how-we-use-data".to_string()), (6, "section-3".to_string())]);
        let before: Vec<&str> = raw.split_inclusive('\n').collect();
        let after: Vec<&str> = fixed.split_inclusive('\n').collect();
        assert_eq!(before.len(), after.len());
        for (i, (a, b)) in before.iter().zip(&after).enumerate() {
            if i == 2 {
                assert_eq!(*b, "## How we use data ## {#how-we-use-data}\r\n");
            } else if i == 5 {
                assert_eq!(*b, "## 三、联系 {#section-3}\r\n");
            } else {
                assert_eq!(a, b);
            }
        }
        assert!(fix_ids("p.md", &fixed).is_none(), "a second --fix changes nothing");
    }
}
