//! Statements: what each clause of a policy says it does with personal information.
//!
//! A block is split into clauses ([`clauses`]); each clause gets one [`Statement`]: who acts,
//! which practices (collect, use, share, …), affirmed or promised not to happen, which data,
//! recipients, purposes, conditions, places, periods, user controls and contact channels it
//! names. The fields and their vocabulary are documented in `docs/statements.md`; the words
//! behind each id are in `lexicon.toml`. The judgement ([`crate::classify`]) compares statements,
//! not words: [`compare`] lists what a change adds to or removes from what the policy says.

pub mod clauses;
pub mod compare;
mod extract;
pub(crate) mod lexicon;

use crate::document::{BlockKind, Document};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

pub use extract::extract_clause;

/// `text` (lower-cased match text) with its example lists (`such as …`, `e.g. …`, `例如…`)
/// blanked out: an example names a kind, but promises nothing of its own, so a measure that was
/// only ever an example is not a promise that can be withdrawn.
pub(crate) fn without_examples(text: &str) -> std::borrow::Cow<'_, str> {
    let mut lists: Vec<(usize, usize)> =
        extract::example_lists(text).into_iter().map(|(_, a, b)| (a, b)).collect();
    if lists.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    lists.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (a, b) in lists {
        if a >= at {
            out.push_str(&text[at..a]);
            out.push(' ');
            at = b;
        } else if b > at {
            at = b;
        }
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

/// The schema of `redline statements --format json`.
pub const STATEMENTS_SCHEMA: &str = "redline.statements/1";

/// Whether a clause says the practice happens or promises that it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// The practice happens (possibly under conditions).
    #[default]
    Affirm,
    /// A promise that the practice does not happen.
    Negate,
}

/// What a clause says about personal information (docs/statements.md "A statement").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Statement {
    /// Who acts: `we`, `affiliate`, `third_party`, `user`, or `null`.
    pub actor: Option<&'static str>,
    /// Practice ids (`collect`, `share`, …).
    pub actions: BTreeSet<String>,
    /// `affirm`, or `negate` for a promise that the practice does not happen.
    pub polarity: Polarity,
    /// `will`, `may`, `must`, or `null`.
    pub modality: Option<&'static str>,
    /// Kinds of personal information.
    pub data: BTreeSet<String>,
    /// Who receives it (`advertiser`, `org:<name>`, `sdk:<name>`, …).
    pub recipients: BTreeSet<String>,
    /// Where collected information comes from when not from the user: the class of the party
    /// it is obtained from (`third_party`, `partner`, `affiliate`, …), or `public` for public
    /// sources. Left out of JSON when empty.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub sources: BTreeSet<String>,
    /// What it is processed for.
    pub purposes: BTreeSet<String>,
    /// What the practice depends on (`consent`, `legal`, …).
    pub conditions: BTreeSet<String>,
    /// `abroad`, `domestic`.
    pub places: BTreeSet<String>,
    /// Periods named (retention, response times), in days.
    pub durations: Vec<f64>,
    /// What the user can do about it (`withdraw`, `switch_off`, …).
    pub controls: BTreeSet<String>,
    /// Contact channels (`email:…`, `phone:…`, `post:…`, `url:…`).
    pub channels: BTreeSet<String>,
    /// Whether a list is kept open (`包括但不限于`, `such as`).
    pub open: bool,
    /// Whether the clause waives consent: the practice happens without it (`无需征得您的同意`,
    /// `without your consent`, `does not require your consent`).
    #[serde(skip)]
    pub waives_consent: bool,
    /// Whether the information is given away only by the user (`您不可避免地要向医务人员披露…`,
    /// `you may disclose your health information to doctors`): every practice the clause
    /// affirms is the user's giving it to someone, none ours.
    #[serde(skip)]
    pub given_by_user: bool,
    /// The kinds of thing behind the data ids (a synonym group each: `银行流水` is another item
    /// of `financial` than `银行卡`), for telling a new kind of data from a new word.
    #[serde(skip)]
    pub items: BTreeSet<String>,
    /// How the clause words each id it names (`health` → `健康信息`), for reasons.
    #[serde(skip)]
    pub words: BTreeMap<String, String>,
}

impl Statement {
    /// Whether the clause states any practice.
    pub fn is_practice(&self) -> bool {
        !self.actions.is_empty()
    }

    /// Whether the clause states nothing at all.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
            && self.data.is_empty()
            && self.recipients.is_empty()
            && self.purposes.is_empty()
            && self.conditions.is_empty()
            && self.places.is_empty()
            && self.controls.is_empty()
            && self.channels.is_empty()
    }

    /// The words the clause uses for `id`, or the id.
    pub fn word<'a>(&'a self, id: &'a str) -> &'a str {
        self.words.get(id).map_or(id, String::as_str)
    }
}

/// One clause and its statement.
#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    /// Index of its section in the document.
    #[serde(skip)]
    pub section: usize,
    /// Index of its block in the section.
    #[serde(skip)]
    pub block: usize,
    /// Byte range of the clause in the block's text (as redline reads it: markup removed, a
    /// table row's cells joined with ` | `).
    pub span: (usize, usize),
    /// The clause as written.
    pub text: String,
    /// What it says.
    pub statement: Statement,
}

/// Every clause of a document, in document order.
#[derive(Debug, Clone, Default)]
pub struct DocumentStatements {
    /// The clauses.
    pub clauses: Vec<Clause>,
    /// (section, block) → the range of its clauses in [`DocumentStatements::clauses`].
    blocks: BTreeMap<(usize, usize), (usize, usize)>,
    /// What [`compare::Index`] reads from each clause's text, one per clause, when read with
    /// [`extract_indexed`]; empty otherwise.
    forms: Vec<compare::Forms>,
    /// The sections that define terms (`定义`, `Definitions`) and those under them: what their
    /// examples name (`个人敏感信息：包括…个人生物识别信息…`) explains a word, and says nothing of
    /// what the policy processes.
    pub(crate) definitions: BTreeSet<usize>,
    /// (section, block) of every Markdown list item: its text has lost the marker (`1.`, `-`)
    /// that tells a numbered case (`4、`) in a paragraph.
    pub(crate) list_items: BTreeSet<(usize, usize)>,
}

impl DocumentStatements {
    /// Whether each clause's forms were worked out as it was read.
    pub(crate) fn has_forms(&self) -> bool {
        !self.clauses.is_empty() && self.forms.len() == self.clauses.len()
    }

    /// The clauses of block `block` of section `section`.
    pub fn of_block(&self, section: usize, block: usize) -> &[Clause] {
        match self.blocks.get(&(section, block)) {
            Some(&(a, b)) => &self.clauses[a..b],
            None => &[],
        }
    }
}

impl DocumentStatements {
    /// `redline.statements/1` as pretty JSON: the document, then each section that has clauses
    /// with its clauses (line of the block, byte span in the block's text, text, statement).
    pub fn to_json(&self, doc: &Document) -> String {
        let sections: Vec<serde_json::Value> = doc
            .sections
            .iter()
            .enumerate()
            .filter_map(|(i, section)| {
                let clauses: Vec<serde_json::Value> = self
                    .clauses
                    .iter()
                    .filter(|c| c.section == i)
                    .map(|c| {
                        serde_json::json!({
                            "line": section.blocks[c.block].line,
                            "span": [c.span.0, c.span.1],
                            "text": c.text,
                            "statement": c.statement,
                        })
                    })
                    .collect();
                (!clauses.is_empty()).then(|| {
                    serde_json::json!({"id": section.id, "title": section.title, "clauses": clauses})
                })
            })
            .collect();
        let value = serde_json::json!({
            "schema": STATEMENTS_SCHEMA,
            "path": doc.path,
            "lang": doc.field("lang"),
            "sections": sections,
        });
        let mut out = serde_json::to_string_pretty(&value).expect("statements serialise");
        out.push('\n');
        out
    }

    /// A readable listing: each section, then each clause that states something, with its line
    /// and its statement on one line (`collect · data health, device_id · for service`).
    pub fn to_text(&self, doc: &Document) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let mut last = usize::MAX;
        for c in &self.clauses {
            let s = &c.statement;
            if s.is_empty() {
                continue;
            }
            if c.section != last {
                last = c.section;
                let section = &doc.sections[c.section];
                let _ = writeln!(out, "\n{}  #{}", section.heading.trim(), section.id);
            }
            let mut parts: Vec<String> = Vec::new();
            let negated = if s.polarity == Polarity::Negate { "not " } else { "" };
            if !s.actions.is_empty() {
                parts.push(format!("{negated}{}", join(&s.actions)));
            }
            for (label, set) in [
                ("data", &s.data),
                ("to", &s.recipients),
                ("for", &s.purposes),
                ("if", &s.conditions),
                ("place", &s.places),
                ("user can", &s.controls),
                ("contact", &s.channels),
            ] {
                if !set.is_empty() {
                    parts.push(format!("{label} {}", join(set)));
                }
            }
            if s.open {
                parts.push("open list".to_string());
            }
            let text: String = c.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let text = if text.chars().count() > 70 {
                format!("{}…", text.chars().take(69).collect::<String>())
            } else {
                text
            };
            let line = doc.sections[c.section].blocks[c.block].line;
            let _ = writeln!(out, "  {line:>4}  {}\n        {text}", parts.join(" · "));
        }
        out.trim_start().to_string()
    }
}

fn join(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// The statements of every block of `doc`. A long document is read in two halves at once (each
/// section's statements depend on that section alone).
pub fn extract(doc: &Document) -> DocumentStatements {
    extract_with(doc, false)
}

/// [`extract`], with what the index of a comparison reads from each clause's text (its
/// editorial key and matching form) worked out as it is read, so in two halves at once for a
/// long document.
pub(crate) fn extract_indexed(doc: &Document) -> DocumentStatements {
    extract_with(doc, true)
}

/// The sections of `doc` that define terms: a heading such as `定义`, `释义`, `Definitions`,
/// `Glossary`, `Begriffsbestimmungen` or `Définitions`, and every section under one.
fn definition_sections(doc: &Document) -> BTreeSet<usize> {
    const HEADINGS: [&str; 11] = [
        "定义",
        "释义",
        "名词解释",
        "术语",
        "definitions",
        "definition",
        "glossary",
        "key terms",
        "begriffsbestimmungen",
        "definitionen",
        "définitions",
    ];
    let mut out = BTreeSet::new();
    for (i, section) in doc.sections.iter().enumerate() {
        let title = section.title.trim().trim_start_matches('·').trim().to_lowercase();
        let defines = HEADINGS.contains(&title.as_str());
        if defines || section.parent.is_some_and(|p| out.contains(&p)) {
            out.insert(i);
        }
    }
    out
}

/// [`extract`], with each clause's forms when `forms` is set.
fn extract_with(doc: &Document, forms: bool) -> DocumentStatements {
    let mut out = extract_all(doc, forms);
    out.definitions = definition_sections(doc);
    out
}

/// The statements of every section of `doc`, in two halves at once for a long document.
fn extract_all(doc: &Document, forms: bool) -> DocumentStatements {
    let size = |s: &crate::document::Section| s.blocks.iter().map(|b| b.text.len()).sum::<usize>();
    let total: usize = doc.sections.iter().map(size).sum();
    if total < PARALLEL_BYTES {
        return extract_range(doc, 0..doc.sections.len(), forms);
    }
    // The first section at which half of the text has been passed.
    let mut seen = 0;
    let half = doc
        .sections
        .iter()
        .position(|s| {
            seen += size(s);
            seen * 2 >= total
        })
        .map_or(doc.sections.len(), |i| i + 1);
    let (mut first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| extract_range(doc, half..doc.sections.len(), forms));
        let first = extract_range(doc, 0..half, forms);
        (first, second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let offset = first.clauses.len();
    first.clauses.extend(second.clauses);
    first.forms.extend(second.forms);
    first.blocks.extend(second.blocks.into_iter().map(|(k, (a, b))| (k, (a + offset, b + offset))));
    first
}

/// Text (bytes) above which [`extract`] reads a document in two halves at once: below it a
/// second thread costs more than it saves.
const PARALLEL_BYTES: usize = 16 * 1024;

/// The statements of the sections `range` of `doc`, clauses indexed from 0, with their forms
/// when `forms` is set.
fn extract_range(doc: &Document, range: std::ops::Range<usize>, forms: bool) -> DocumentStatements {
    let mut out = DocumentStatements::default();
    for s in range {
        extract_section(&mut out, s, &doc.sections[s]);
    }
    if forms {
        out.forms = out.clauses.iter().map(|c| compare::Forms::of(&c.text)).collect();
    }
    out
}

/// The statements of every block of `doc`, the new side of a comparison: a section whose
/// content is that of the old section it is paired with (`new_to_old`, from the diff) gets
/// copies of the old section's clauses instead of being read again. The result is the same as
/// [`extract`]'s: a section's statements depend only on its title, blocks and tables.
pub fn extract_reusing(
    doc: &Document,
    old_doc: &Document,
    old: &DocumentStatements,
    new_to_old: &[Option<usize>],
) -> DocumentStatements {
    let mut out = DocumentStatements::default();
    for (s, section) in doc.sections.iter().enumerate() {
        let same = new_to_old
            .get(s)
            .copied()
            .flatten()
            .filter(|&i| same_content(&old_doc.sections[i], section));
        match same {
            Some(i) => {
                let (from, to) = old.section_range(i);
                let base = out.clauses.len();
                for (&(_, b), &(x, y)) in old.blocks.range((i, 0)..(i + 1, 0)) {
                    out.blocks.insert((s, b), (x - from + base, y - from + base));
                }
                out.list_items
                    .extend(old.list_items.range((i, 0)..(i + 1, 0)).map(|&(_, b)| (s, b)));
                out.clauses.extend(
                    old.clauses[from..to].iter().map(|c| Clause { section: s, ..c.clone() }),
                );
                if old.has_forms() {
                    out.forms.extend_from_slice(&old.forms[from..to]);
                }
            }
            None => {
                let start = out.clauses.len();
                extract_section(&mut out, s, section);
                if old.has_forms() {
                    let fresh = out.clauses[start..].iter().map(|c| compare::Forms::of(&c.text));
                    out.forms.extend(fresh);
                }
            }
        }
    }
    out.definitions = definition_sections(doc);
    out
}

/// Whether two sections hold what extraction reads alike: the title, and each block's kind,
/// text, cells, table and links, and the tables' headers (line numbers aside).
fn same_content(a: &crate::document::Section, b: &crate::document::Section) -> bool {
    a.title == b.title
        && a.blocks.len() == b.blocks.len()
        && a.tables.len() == b.tables.len()
        && a.tables.iter().zip(&b.tables).all(|(x, y)| x.header == y.header)
        && a.blocks.iter().zip(&b.blocks).all(|(x, y)| {
            x.kind == y.kind
                && x.table == y.table
                && x.text == y.text
                && x.cells == y.cells
                && x.links == y.links
        })
}

impl DocumentStatements {
    /// The range of section `section`'s clauses in [`DocumentStatements::clauses`].
    fn section_range(&self, section: usize) -> (usize, usize) {
        let mut blocks = self.blocks.range((section, 0)..(section + 1, 0));
        match blocks.next() {
            Some((_, &(from, to))) => (from, blocks.next_back().map_or(to, |(_, &(_, last))| last)),
            None => (0, 0),
        }
    }
}

/// Appends the statements of section `s` of a document to `out`.
fn extract_section(out: &mut DocumentStatements, s: usize, section: &crate::document::Section) {
    // The clauses of the section, then the SDK record each belongs to (its company may come
    // after its data).
    let mut spans: Vec<(usize, (usize, usize))> = Vec::new();
    for (b, block) in section.blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Code | BlockKind::Html) {
            continue;
        }
        let layout = match block.table.map(|t| &section.tables[t]) {
            None => clauses::Layout::Prose,
            // Cells that hold paragraphs (three lines or more): a line added to a short cell
            // does not change how the row is read.
            Some(table)
                if !extract::record_table(table)
                    && block.cells.iter().any(|c| c.matches('\n').count() >= 2) =>
            {
                clauses::Layout::ProseRow
            }
            Some(_) => clauses::Layout::Row,
        };
        spans.extend(clauses::split(&block.text, layout).into_iter().map(|span| (b, span)));
    }
    let records = sdk_records(section, &spans);
    let mut k = 0;
    for (b, block) in section.blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Code | BlockKind::Html) {
            continue;
        }
        let start = out.clauses.len();
        if block.kind == BlockKind::ListItem {
            out.list_items.insert((s, b));
        }
        let table = block.table.map(|t| &section.tables[t]);
        let mut earlier: Vec<Statement> = Vec::new();
        while k < spans.len() && spans[k].0 == b {
            let span = spans[k].1;
            let (record, continued) = records.0[k];
            let record = &records.1[record];
            k += 1;
            let text = &block.text[span.0..span.1];
            let statement = match record {
                Some(r) if table.is_none() => extract::record_clause(text, block, r, continued),
                _ => None,
            }
            .unwrap_or_else(|| extract_clause(text, block, table, &earlier));
            earlier.push(statement.clone());
            out.clauses.push(Clause {
                section: s,
                block: b,
                span,
                text: text.to_string(),
                statement,
            });
        }
        // A row read sentence by sentence keeps the consent its other cells ask for: the
        // condition of a "Legal basis: your consent" cell is every practice's condition. A legal
        // basis such as "legal obligations" names why the row's processing is lawful, not a
        // limit on each practice, so it is not carried over.
        if table.is_some() && out.clauses.len() - start > 1 {
            let row = &mut out.clauses[start..];
            let conditions: BTreeSet<String> = row
                .iter()
                .filter(|c| !c.statement.is_practice())
                .flat_map(|c| c.statement.conditions.iter().cloned())
                .filter(|c| matches!(c.as_str(), "consent" | "explicit_consent" | "opt_out"))
                .collect();
            for c in row.iter_mut().filter(|c| c.statement.is_practice()) {
                c.statement.conditions.extend(conditions.iter().cloned());
            }
        }
        out.blocks.insert((s, b), (start, out.clauses.len()));
    }
}

/// The SDK record of each clause of `section` (`spans`: block index and byte span): an index
/// into the records returned, where `None` is no record, and whether the clause continues the
/// data line before it on the same line (`…类型：A、B；C、D；`). A record starts at a line naming an SDK
/// on its own (`1、OPPO游戏SDK`, or the section title) or a `第三方SDK名称：` line, goes on over
/// `label：value` lines and bare links, and ends at any other clause.
#[allow(clippy::type_complexity)]
fn sdk_records(
    section: &crate::document::Section,
    spans: &[(usize, (usize, usize))],
) -> (Vec<(usize, bool)>, Vec<Option<extract::SdkRecord>>) {
    use extract::{LabelRole, SdkRecord, record_header, record_label};
    let mut records: Vec<Option<SdkRecord>> = vec![None];
    let mut current = match record_header(&section.title) {
        Some(name) => {
            records.push(Some(SdkRecord { name: Some(name), org: None }));
            1
        }
        None => 0,
    };
    let mut of_clause: Vec<(usize, bool)> = Vec::with_capacity(spans.len());
    // The end of the last data line of a record: (block, byte offset).
    let mut data_line: Option<(usize, usize)> = None;
    for &(b, (x, y)) in spans {
        let block = &section.blocks[b];
        let text = block.text[x..y].trim();
        let continues = current != 0
            && data_line
                .is_some_and(|(db, end)| db == b && end <= x && !block.text[end..x].contains('\n'));
        if continues {
            data_line = Some((b, y));
            of_clause.push((current, true));
            continue;
        }
        data_line = None;
        if block.table.is_some() {
            current = 0;
        } else if let Some(name) = record_header(text) {
            records.push(Some(SdkRecord { name: Some(name), org: None }));
            current = records.len() - 1;
        } else if let Some((role, value)) = record_label(text) {
            let value = text[value..].trim().to_string();
            match role {
                LabelRole::Name => {
                    records.push(Some(SdkRecord { name: Some(value), org: None }));
                    current = records.len() - 1;
                }
                LabelRole::Data => data_line = Some((b, y)),
                LabelRole::Org if current != 0 && !value.is_empty() => {
                    if let Some(r) = records[current].as_mut()
                        && r.org.is_none()
                    {
                        r.org = Some(value);
                    }
                }
                _ => {}
            }
        } else if !(text.starts_with("http") || text.starts_with('[')) {
            current = 0;
        }
        of_clause.push((current, false));
    }
    (of_clause, records)
}

/// Compiles the statement lexicon and the contact-channel patterns now instead of at the first
/// clause read, so that a caller can have them compiled on another thread while it parses and
/// diffs.
pub fn prepare() {
    std::sync::LazyLock::force(&lexicon::LEXICON_COMPILED);
    extract::prepare();
    PREPARED.store(true, std::sync::atomic::Ordering::Release);
}

/// Set once [`prepare`] has compiled what reading statements needs.
static PREPARED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether [`prepare`] has finished (on any thread): reading statements then starts at once
/// instead of waiting for the lexicon.
pub fn prepared() -> bool {
    PREPARED.load(std::sync::atomic::Ordering::Acquire)
}

/// The vocabulary ids of a statement field (`actions`, `data`, `recipients`, `purposes`,
/// `conditions`, `controls`, `places`), in the lexicon's order.
pub fn vocabulary_ids(field: &str) -> Vec<&'static str> {
    use lexicon::Field;
    let field = match field {
        "actions" => Field::Action,
        "data" => Field::Data,
        "recipients" => Field::Recipient,
        "purposes" => Field::Purpose,
        "conditions" => Field::Condition,
        "controls" => Field::Control,
        "places" => Field::Place,
        _ => return Vec::new(),
    };
    lexicon::LEXICON_COMPILED
        .ids
        .get(&field)
        .map(|ids| ids.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The sensitive kinds of personal information (PIPL art. 28; GDPR art. 9; the content of
/// private communications).
pub const SENSITIVE_DATA: [&str; 9] = [
    "sensitive_info",
    "id_number",
    "health",
    "biometric",
    "precise_location",
    "financial",
    "communications",
    "children",
    "special",
];

/// Whether data id `id` is a sensitive kind.
pub fn is_sensitive(id: &str) -> bool {
    SENSITIVE_DATA.contains(&id)
}

/// Whether `action` gives personal information to someone else.
pub fn is_transfer(action: &str) -> bool {
    matches!(action, "share" | "entrust" | "transfer" | "disclose" | "sell" | "abroad")
}

/// A name compared after NFKC, lower-casing and removing spaces and commas (`org:Apple Inc.` =
/// `org:apple inc.`).
pub fn name_key(name: &str) -> String {
    // `Mailchimp Inc.` and `Mailchimp, Inc.` are one name.
    crate::normalize::canonical_lower(name)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every clause with its place and statement, and the block ranges, as one comparable text.
    fn dump(st: &DocumentStatements) -> String {
        format!("{:?}\n{:?}", st.clauses, st.blocks)
    }

    #[test]
    fn reading_in_two_halves_gives_what_one_pass_gives() {
        let root = env!("CARGO_MANIFEST_DIR");
        for file in ["policy/privacy.zh-CN.md", "policy/privacy.en.md"] {
            let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
            assert!(text.len() > PARALLEL_BYTES, "{file} is read in two halves");
            let doc = crate::document::parse(file, &text).unwrap();
            let one_pass = extract_range(&doc, 0..doc.sections.len(), false);
            assert_eq!(dump(&extract(&doc)), dump(&one_pass), "{file}");
        }
    }

    /// The repository's two policies, each as (file, old, new, diff): the new one with edits in
    /// a table, in prose, a new section and a heading renamed.
    pub(super) fn policies_with_edits() -> Vec<(
        &'static str,
        crate::document::Document,
        crate::document::Document,
        crate::diff::DocumentDiff,
    )> {
        let root = env!("CARGO_MANIFEST_DIR");
        ["policy/privacy.zh-CN.md", "policy/privacy.en.md"]
            .into_iter()
            .map(|file| {
                let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
                let edited = text
                    .replacen("| 友盟推送 |", "| 穿山甲广告SDK | 用于广告归因 | OAID | 北京巨量引擎网络技术有限公司 | 《穿山甲隐私政策》 |\n| 友盟推送 |", 1)
                    .replacen("。", "，并与广告合作方共享。", 3)
                    .replacen("\n## ", "\n## New section\n\nWe share your location with advertisers.\n\n## ", 1)
                    .replacen("\n### ", "\n### Renamed ", 1);
                assert_ne!(edited, text, "{file}: the edits apply");
                let old = crate::document::parse(file, &text).unwrap();
                let new = crate::document::parse(file, &edited).unwrap();
                let diff = crate::diff::diff(&old, &new);
                (file, old, new, diff)
            })
            .collect()
    }

    #[test]
    fn reusing_unchanged_sections_gives_what_a_fresh_extraction_gives() {
        for (file, old, new, diff) in policies_with_edits() {
            let old_st = extract(&old);
            let reused = extract_reusing(&new, &old, &old_st, &diff.new_to_old);
            let fresh = extract(&new);
            assert!(fresh.clauses.len() > 100, "{file}: {} clauses", fresh.clauses.len());
            assert_eq!(dump(&reused), dump(&fresh), "{file}");
            // Most sections were copied, not read again.
            let copied = (0..new.sections.len())
                .filter(|&s| {
                    diff.new_to_old[s]
                        .is_some_and(|i| same_content(&old.sections[i], &new.sections[s]))
                })
                .count();
            assert!(copied * 2 > new.sections.len(), "{file}: {copied} of {}", new.sections.len());
            assert!(copied < new.sections.len(), "{file}: some sections changed");
        }
    }
}
