//! Parsing a policy into a [`Document`]: front matter plus a flat tree of [`Section`]s, each with
//! its [`Block`]s (paragraphs, list items, table rows keyed by their first cell).
//!
//! Accepted input:
//!
//! * Markdown (CommonMark + GFM tables, strikethrough, task lists, footnotes, heading attributes).
//!   A heading starts a section; its explicit `{#id}` is its stable id, otherwise an id is derived
//!   from the title without its number, so renumbering never changes an id. Text before the first
//!   heading belongs to the preamble section (index 0, id [`PREAMBLE_ID`]).
//! * Plain text (`.txt`): every non-empty line is a paragraph of the preamble.
//! * Front matter: TOML between `+++` lines or YAML between `---` lines, only at byte 0. It is
//!   split off before Markdown parsing, so a later `---` can never swallow policy text
//!   (pulldown-cmark issue #1000).
//!
//! [`parse`] stops at the first problem (malformed or unterminated front matter, a duplicate
//! explicit id); [`parse_lenient`] returns every problem and a best-effort document (for `lint`).

use crate::error::{Error, Result};
use crate::normalize::{editorial_key, is_cjk};
use crate::text::LineIndex;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use regex_lite::Regex;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

/// The id of the preamble: the text before the first heading.
pub const PREAMBLE_ID: &str = "_preamble";

/// A parsed policy document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The path or label the document was read from (used in messages).
    pub path: String,
    /// Markdown or plain text.
    pub format: Format,
    /// Front matter, if the file starts with one.
    pub front_matter: Option<FrontMatter>,
    /// Sections in document order; index 0 is the preamble.
    pub sections: Vec<Section>,
    /// The decoded text (LF line endings).
    #[serde(skip)]
    pub text: String,
}

/// How the file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// CommonMark + GFM.
    Markdown,
    /// One paragraph per non-empty line.
    PlainText,
}

/// Front matter at byte 0.
#[derive(Debug, Clone, Serialize)]
pub struct FrontMatter {
    /// `toml` (`+++`) or `yaml` (`---`).
    pub syntax: &'static str,
    /// The text between the delimiter lines.
    pub raw: String,
    /// Top-level scalar fields, rendered as strings (sorted).
    pub fields: BTreeMap<String, String>,
    /// 1-based line of the closing delimiter.
    pub end_line: usize,
}

/// A heading and everything under it up to the next heading.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Stable id: the explicit `{#id}`, or one derived from the title.
    pub id: String,
    /// Whether the id was written in the file.
    pub explicit_id: bool,
    /// The heading as written, number included (`三、我们如何收集和使用您的个人信息`).
    pub heading: String,
    /// The display number as written (`三、`, `3.3.1`, `A.`), if the heading has one.
    pub number: Option<String>,
    /// The heading without its number.
    pub title: String,
    /// Heading level 1–6; 0 for the preamble.
    pub level: u8,
    /// Index of the parent section (the nearest previous heading of a lower level).
    pub parent: Option<usize>,
    /// Paragraphs, list items and table rows, in order.
    pub blocks: Vec<Block>,
    /// Tables in this section; rows point here with [`Block::table`].
    pub tables: Vec<Table>,
    /// 1-based line of the heading (first body line for the preamble).
    pub line: usize,
    /// 1-based last line of the section.
    pub end_line: usize,
}

/// A GFM table's header.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// Header cells as plain text.
    pub header: Vec<String>,
    /// 1-based line of the header row.
    pub line: usize,
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A paragraph (also inside block quotes and footnotes).
    Paragraph,
    /// A list item (its own text; nested items are blocks of their own).
    ListItem,
    /// A table's header row.
    TableHeader,
    /// A table body row, keyed by its first cell.
    TableRow,
    /// A fenced or indented code block.
    Code,
    /// A raw HTML block (comments removed).
    Html,
}

/// A paragraph, list item or table row.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Plain text: markup removed, link text kept, `<br>` as a line break; table cells joined
    /// with ` | `.
    pub text: String,
    /// Table cells as plain text (rows and headers only), padded to the header's width.
    pub cells: Vec<String>,
    /// Index into the section's [`Section::tables`] for rows and headers.
    pub table: Option<usize>,
    /// Text inside emphasis (`*…*`, `**…**`), one entry per emphasised span.
    pub emphasis: Vec<String>,
    /// Links as `(text, target)`.
    pub links: Vec<(String, String)>,
    /// 1-based first line.
    pub line: usize,
    /// 1-based last line.
    pub end_line: usize,
    /// The editorial key of [`Block::text`], computed on first use (see [`Block::key`]).
    #[serde(skip)]
    key: std::sync::OnceLock<String>,
}

impl Block {
    /// The editorial key of the block's text (see [`crate::normalize::editorial_key`]). Computed
    /// on first use: the diff only needs it for blocks whose text differs.
    pub fn key(&self) -> &str {
        self.key.get_or_init(|| editorial_key(&self.text))
    }

    /// The editorial key with the text of every link removed: equal for two blocks that differ
    /// only in their links (targets, generated link text such as `AUTOTITLE`, a URL shown as
    /// its own text).
    pub fn link_key(&self) -> String {
        if self.links.is_empty() {
            return self.key().to_string();
        }
        let mut text = self.text.clone();
        for (link_text, _) in &self.links {
            if let Some(at) = text.find(link_text.as_str())
                && !link_text.is_empty()
            {
                text.replace_range(at..at + link_text.len(), " ");
            }
        }
        editorial_key(&text)
    }
}

impl Block {
    /// The row key: the editorial key of the first cell (rows only).
    pub fn row_key(&self) -> Option<String> {
        (self.kind == BlockKind::TableRow)
            .then(|| editorial_key(self.cells.first().map_or("", |c| c)))
    }
}

/// A problem found while parsing (all of them are errors for [`parse`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable code: `front-matter`, `duplicate-id`.
    pub code: &'static str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, and the fix where it is obvious.
    pub message: String,
    /// For duplicate ids: the id and the line of its first use.
    pub related: Option<(String, usize)>,
}

impl Document {
    /// Reads a policy from raw bytes: decodes (UTF-8, BOM and CRLF handled) and parses.
    ///
    /// Errors: invalid UTF-8, malformed front matter or duplicate explicit ids, naming `path`.
    pub fn from_bytes(path: &str, bytes: &[u8]) -> Result<Document> {
        let text = crate::text::decode(path, bytes)?;
        parse(path, &text)
    }

    /// The section with `id`, if any.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Indices of `index` and its ancestors, innermost first.
    pub fn ancestry(&self, index: usize) -> Vec<usize> {
        let mut out = vec![index];
        let mut cur = self.sections[index].parent;
        while let Some(p) = cur {
            out.push(p);
            cur = self.sections[p].parent;
        }
        out
    }

    /// Headings as written from the top level down to section `index` (empty for the preamble).
    pub fn section_path(&self, index: usize) -> Vec<String> {
        let mut path: Vec<String> = self
            .ancestry(index)
            .into_iter()
            .filter(|&i| i != 0)
            .map(|i| self.sections[i].heading.clone())
            .collect();
        path.reverse();
        path
    }

    /// A front-matter field, if present.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.front_matter.as_ref()?.fields.get(name).map(String::as_str)
    }

    /// The number of real sections (the preamble is not counted).
    pub fn section_count(&self) -> usize {
        self.sections.len() - 1
    }
}

/// Parses `text` read from `path`; `.txt` files are plain text, anything else Markdown.
///
/// Errors: the first [`Problem`] as [`Error::FrontMatter`] or [`Error::DuplicateId`].
pub fn parse(path: &str, text: &str) -> Result<Document> {
    let (doc, problems) = parse_lenient(path, text);
    match problems.into_iter().next() {
        None => Ok(doc),
        Some(p) => Err(match p.related {
            Some((id, first_line)) => {
                Error::DuplicateId { path: path.to_string(), id, first_line, line: p.line }
            }
            None => Error::FrontMatter { path: path.to_string(), line: p.line, message: p.message },
        }),
    }
}

/// Parses like [`parse`] but never fails: returns the document and every problem found.
pub fn parse_lenient(path: &str, text: &str) -> (Document, Vec<Problem>) {
    let mut problems = Vec::new();
    let format = if path.to_ascii_lowercase().ends_with(".txt") {
        Format::PlainText
    } else {
        Format::Markdown
    };
    let (front_matter, body_start) = split_front_matter(text, &mut problems);
    let index = LineIndex::new(text);
    let body_line = index.line(body_start);
    let preamble = Section {
        id: PREAMBLE_ID.to_string(),
        explicit_id: true,
        heading: String::new(),
        number: None,
        title: String::new(),
        level: 0,
        parent: None,
        blocks: Vec::new(),
        tables: Vec::new(),
        line: body_line,
        end_line: body_line,
    };
    let mut doc = Document {
        path: path.to_string(),
        format,
        front_matter,
        sections: vec![preamble],
        text: text.to_string(),
    };
    match format {
        Format::PlainText => parse_plain(&mut doc, body_start, &index),
        Format::Markdown => MarkdownBuilder::new(&mut doc, body_start, &index).run(),
    }
    for (id, first_line, line) in duplicate_ids(&doc) {
        problems.push(Problem {
            code: "duplicate-id",
            line,
            column: 1,
            message: format!("duplicate section id `{id}` (also at line {first_line})"),
            related: Some((id, first_line)),
        });
    }
    let last_line = index.line(text.len().saturating_sub(1)).max(body_line);
    let lines: Vec<usize> = doc.sections.iter().map(|s| s.line).collect();
    for (i, section) in doc.sections.iter_mut().enumerate() {
        section.end_line =
            lines.get(i + 1).map_or(last_line, |&next| next.saturating_sub(1).max(section.line));
    }
    (doc, problems)
}

fn parse_plain(doc: &mut Document, body_start: usize, index: &LineIndex) {
    let mut offset = body_start;
    for line in doc.text[body_start..].split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let n = index.line(offset);
            doc.sections[0].blocks.push(make_block(
                BlockKind::Paragraph,
                trimmed.to_string(),
                n,
                n,
            ));
        }
        offset += line.len();
    }
}

fn make_block(kind: BlockKind, text: String, line: usize, end_line: usize) -> Block {
    Block {
        kind,
        text,
        cells: Vec::new(),
        table: None,
        emphasis: Vec::new(),
        links: Vec::new(),
        line,
        end_line,
        key: std::sync::OnceLock::new(),
    }
}

/// Splits front matter at byte 0. Returns it (when well-formed) and the byte where the body starts.
fn split_front_matter(text: &str, problems: &mut Vec<Problem>) -> (Option<FrontMatter>, usize) {
    let first_line = text.lines().next().unwrap_or("");
    let (syntax, closers): (&'static str, &[&str]) = match first_line.trim_end() {
        "+++" => ("toml", &["+++"]),
        "---" => ("yaml", &["---", "..."]),
        _ => return (None, 0),
    };
    let content_start = (first_line.len() + 1).min(text.len());
    let mut offset = content_start;
    for (line_no, line) in (2..).zip(text[content_start..].split_inclusive('\n')) {
        if closers.contains(&line.trim_end()) {
            let raw = text[content_start..offset].to_string();
            let body_start = offset + line.len();
            return match parse_fields(syntax, &raw) {
                Ok(fields) => {
                    (Some(FrontMatter { syntax, raw, fields, end_line: line_no }), body_start)
                }
                Err((line, message)) => {
                    problems.push(Problem {
                        code: "front-matter",
                        line: line + 1,
                        column: 1,
                        message: format!(
                            "malformed {} front matter: {message}",
                            syntax.to_uppercase()
                        ),
                        related: None,
                    });
                    (None, body_start)
                }
            };
        }
        offset += line.len();
    }
    let delimiter = first_line.trim_end();
    problems.push(Problem {
        code: "front-matter",
        line: 1,
        column: 1,
        message: format!(
            "front matter opened with `{delimiter}` is never closed; add a `{delimiter}` line after it"
        ),
        related: None,
    });
    (None, 0)
}

/// Parses front-matter fields; on error returns the 1-based line inside `raw` and a message.
fn parse_fields(
    syntax: &str,
    raw: &str,
) -> std::result::Result<BTreeMap<String, String>, (usize, String)> {
    let mut fields = BTreeMap::new();
    if syntax == "toml" {
        let table: toml::Table = toml::from_str(raw).map_err(|e| {
            let line = e.span().map_or(1, |s| crate::text::line_col(raw, s.start).0);
            (line, e.message().trim().replace('\n', " "))
        })?;
        for (k, v) in table {
            let value = match v {
                toml::Value::String(s) => s,
                other => other.to_string(),
            };
            fields.insert(k, value);
        }
    } else {
        let docs = yaml_rust2::YamlLoader::load_from_str(raw)
            .map_err(|e| (e.marker().line().max(1), e.info().to_string()))?;
        if let Some(yaml_rust2::Yaml::Hash(hash)) = docs.first() {
            for (k, v) in hash {
                if let (Some(k), Some(v)) = (k.as_str(), yaml_scalar(v)) {
                    fields.insert(k.to_string(), v);
                }
            }
        } else if let Some(doc) = docs.first()
            && !doc.is_null()
        {
            return Err((1, "expected `key: value` pairs".to_string()));
        }
    }
    Ok(fields)
}

fn yaml_scalar(v: &yaml_rust2::Yaml) -> Option<String> {
    use yaml_rust2::Yaml;
    match v {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:第[一二三四五六七八九十百零〇两0-9]+[章节条部分篇]|[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十百0-9]{1,3}[)）]|[0-9]{1,3}(?:\.[0-9]{1,3})*[.、．)]?|[A-Z][.)]|(?i:section|article|part)[ \t\n]+[0-9A-Z]{1,3}[.:]?)(?:[ \t\n]+|$)|^(?:[一二三四五六七八九十百]+[、.．]|[0-9]{1,3}(?:\.[0-9]{1,3})*[、.．])",
    )
    .unwrap()
});

/// The pulldown-cmark options every Markdown parse uses (sections here, HTML on the site): GFM
/// tables, heading attributes (`{#id}`), strikethrough, task lists and footnotes. Smart punctuation
/// stays off so the text diffed is the text written; front matter is split off before parsing.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// The byte offset where the body starts: after the front matter's closing line, else 0.
pub fn body_start(doc: &Document) -> usize {
    let Some(fm) = &doc.front_matter else { return 0 };
    doc.text.split_inclusive('\n').take(fm.end_line).map(str::len).sum()
}

/// Splits a heading into its display number and title: `三、我们如何…` → (`三、`, `我们如何…`),
/// `3.3.1 您向…` → (`3.3.1`, `您向…`), `A. Definitions` → (`A.`, `Definitions`).
pub fn split_number(heading: &str) -> (Option<String>, String) {
    let heading = heading.trim();
    match NUMBER.find(heading) {
        Some(m) if m.end() < heading.len() => {
            (Some(m.as_str().trim().to_string()), heading[m.end()..].trim().to_string())
        }
        _ => (None, heading.to_string()),
    }
}

/// Derives an id from a title: lower case, letters and digits of any script kept, spaces and
/// dashes become `-`, other punctuation dropped (`Your Rights & Choices` → `your-rights-choices`).
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() && !(is_cjk(c) && !c.is_alphabetic() && !c.is_numeric()) {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "section".to_string() } else { slug }
}

/// An open block being filled by inline events.
struct Open {
    kind: BlockKind,
    text: String,
    start: usize,
    /// Reserved slot in the section's blocks (list items are emitted where they start).
    slot: Option<usize>,
    emphasis: Vec<String>,
    links: Vec<(String, String)>,
    /// Whether a Start(Paragraph) created this block (so End(Paragraph) closes it).
    from_paragraph: bool,
}

struct TableState {
    index: usize,
    in_head: bool,
    row: Vec<String>,
    cell: Option<String>,
    row_start: usize,
    emphasis: Vec<String>,
    links: Vec<(String, String)>,
}

struct HeadingState {
    level: u8,
    id: Option<String>,
    text: String,
    start: usize,
}

struct MarkdownBuilder<'a> {
    doc: &'a mut Document,
    body_start: usize,
    index: &'a LineIndex,
    current: usize,
    open: Vec<Open>,
    table: Option<TableState>,
    heading: Option<HeadingState>,
    emphasis: Vec<String>,
    links: Vec<(String, String)>,
    level_stack: Vec<(u8, usize)>,
}

impl<'a> MarkdownBuilder<'a> {
    fn new(doc: &'a mut Document, body_start: usize, index: &'a LineIndex) -> Self {
        MarkdownBuilder {
            doc,
            body_start,
            index,
            current: 0,
            open: Vec::new(),
            table: None,
            heading: None,
            emphasis: Vec::new(),
            links: Vec::new(),
            level_stack: Vec::new(),
        }
    }

    fn line(&self, body_offset: usize) -> usize {
        self.index.line(self.body_start + body_offset)
    }

    fn run(mut self) {
        let body = self.doc.text[self.body_start..].to_string();
        for (event, range) in Parser::new_ext(&body, markdown_options()).into_offset_iter() {
            self.event(event, range);
        }
        self.assign_derived_ids();
    }

    fn push_text(&mut self, s: &str) {
        for e in &mut self.emphasis {
            e.push_str(s);
        }
        for (_, t) in &mut self.links {
            t.push_str(s);
        }
        if let Some(h) = &mut self.heading
            && self.open.is_empty()
        {
            h.text.push_str(s);
        } else if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            cell.push_str(s);
        } else if let Some(top) = self.open.last_mut() {
            top.text.push_str(s);
        }
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.push_text(&t)
            }
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.push_text("\n"),
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html),
            Event::FootnoteReference(label) => self.push_text(&format!("[^{label}]")),
            Event::TaskListMarker(done) => self.push_text(if done { "[x] " } else { "[ ] " }),
            Event::Rule => {}
        }
    }

    fn html(&mut self, html: &CowStr<'_>) {
        let lower = html.trim().to_ascii_lowercase();
        if matches!(lower.as_str(), "<br>" | "<br/>" | "<br />") {
            self.push_text("\n");
            return;
        }
        let stripped = crate::normalize::strip_html_comments(html);
        if self.open.last().is_some_and(|o| o.kind == BlockKind::Html) {
            if let Some(top) = self.open.last_mut() {
                top.text.push_str(&stripped);
            }
        } else if !stripped.trim().is_empty() {
            self.push_text(&stripped);
        }
    }

    fn open_block(&mut self, kind: BlockKind, start: usize, from_paragraph: bool) {
        let slot = (kind == BlockKind::ListItem).then(|| {
            let section = &mut self.doc.sections[self.current];
            section.blocks.push(make_block(kind, String::new(), 0, 0));
            section.blocks.len() - 1
        });
        self.open.push(Open {
            kind,
            text: String::new(),
            start,
            slot,
            emphasis: Vec::new(),
            links: Vec::new(),
            from_paragraph,
        });
    }

    fn close_block(&mut self, end: usize) {
        let Some(open) = self.open.pop() else { return };
        let text = tidy(&open.text);
        let line = self.line(open.start);
        let end_line = self.line(end.saturating_sub(1).max(open.start));
        let section = &mut self.doc.sections[self.current];
        let mut block = make_block(open.kind, text, line, end_line);
        block.emphasis = open.emphasis;
        block.links = open.links;
        match open.slot {
            Some(slot) => section.blocks[slot] = block,
            None if !block.text.is_empty() => section.blocks.push(block),
            None => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        match tag {
            Tag::Heading { level, id, .. } if self.open.is_empty() && self.table.is_none() => {
                self.heading = Some(HeadingState {
                    level: level as u8,
                    id: id.map(|s| s.to_string()),
                    text: String::new(),
                    start: range.start,
                });
            }
            Tag::Paragraph => {
                if let Some(top) = self.open.last_mut()
                    && top.kind == BlockKind::ListItem
                {
                    if !top.text.is_empty() {
                        top.text.push('\n');
                    }
                } else {
                    self.open_block(BlockKind::Paragraph, range.start, true);
                }
            }
            Tag::Item => self.open_block(BlockKind::ListItem, range.start, false),
            Tag::CodeBlock(_) => self.open_block(BlockKind::Code, range.start, false),
            Tag::HtmlBlock => self.open_block(BlockKind::Html, range.start, false),
            Tag::Table(_) => {
                let section = &mut self.doc.sections[self.current];
                section.tables.push(Table {
                    header: Vec::new(),
                    line: self.index.line(self.body_start + range.start),
                });
                self.table = Some(TableState {
                    index: section.tables.len() - 1,
                    in_head: false,
                    row: Vec::new(),
                    cell: None,
                    row_start: range.start,
                    emphasis: Vec::new(),
                    links: Vec::new(),
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.in_head = matches!(tag, Tag::TableHead);
                    t.row.clear();
                    t.row_start = range.start;
                }
            }
            Tag::TableCell => {
                if let Some(t) = &mut self.table {
                    t.cell = Some(String::new());
                }
            }
            Tag::Emphasis | Tag::Strong => self.emphasis.push(String::new()),
            Tag::Link { dest_url, .. } => self.links.push((dest_url.to_string(), String::new())),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: std::ops::Range<usize>) {
        match tag {
            TagEnd::Heading(_) if self.heading.is_some() => {
                if let Some(h) = self.heading.take() {
                    self.finish_heading(h);
                }
            }
            TagEnd::Paragraph if self.open.last().is_some_and(|o| o.from_paragraph) => {
                self.close_block(range.end)
            }
            TagEnd::Item | TagEnd::CodeBlock | TagEnd::HtmlBlock => self.close_block(range.end),
            TagEnd::TableCell => {
                if let Some(t) = &mut self.table
                    && let Some(cell) = t.cell.take()
                {
                    t.row.push(tidy(&cell));
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => self.finish_row(range.end),
            TagEnd::Table => self.table = None,
            TagEnd::Emphasis | TagEnd::Strong => {
                if let Some(e) = self.emphasis.pop() {
                    let e = tidy(&e);
                    if !e.is_empty() {
                        if let Some(t) = &mut self.table {
                            t.emphasis.push(e);
                        } else if let Some(top) = self.open.last_mut() {
                            top.emphasis.push(e);
                        }
                    }
                }
            }
            TagEnd::Link => {
                if let Some((url, text)) = self.links.pop() {
                    let link = (tidy(&text), url);
                    if let Some(t) = &mut self.table {
                        t.links.push(link);
                    } else if let Some(top) = self.open.last_mut() {
                        top.links.push(link);
                    }
                }
            }
            _ => {}
        }
    }

    fn finish_row(&mut self, end: usize) {
        let line = self.line(self.table.as_ref().map_or(0, |t| t.row_start));
        let end_line = self.line(end.saturating_sub(1));
        let section = &mut self.doc.sections[self.current];
        let Some(t) = &mut self.table else { return };
        let mut cells = std::mem::take(&mut t.row);
        let kind = if t.in_head {
            section.tables[t.index].header = cells.clone();
            BlockKind::TableHeader
        } else {
            let width = section.tables[t.index].header.len();
            if cells.len() < width {
                cells.resize(width, String::new());
            }
            BlockKind::TableRow
        };
        let mut block = make_block(kind, cells.join(" | "), line, end_line);
        block.cells = cells;
        block.table = Some(t.index);
        block.emphasis = std::mem::take(&mut t.emphasis);
        block.links = std::mem::take(&mut t.links);
        t.in_head = false;
        section.blocks.push(block);
    }

    fn finish_heading(&mut self, h: HeadingState) {
        let heading = tidy(&h.text);
        let (number, title) = split_number(&heading);
        let line = self.line(h.start);
        while self.level_stack.last().is_some_and(|&(level, _)| level >= h.level) {
            self.level_stack.pop();
        }
        let parent = self.level_stack.last().map(|&(_, i)| i);
        let explicit_id = h.id.is_some();
        let id = h.id.unwrap_or_default();
        self.doc.sections.push(Section {
            id,
            explicit_id,
            heading,
            number,
            title,
            level: h.level,
            parent,
            blocks: Vec::new(),
            tables: Vec::new(),
            line,
            end_line: line,
        });
        self.current = self.doc.sections.len() - 1;
        self.level_stack.push((h.level, self.current));
    }

    /// Gives every heading without `{#id}` an id from its title, unique in the document, and
    /// records duplicate explicit ids as problems.
    fn assign_derived_ids(&mut self) {
        let explicit: HashSet<String> =
            self.doc.sections.iter().filter(|s| s.explicit_id).map(|s| s.id.clone()).collect();
        let mut used: HashSet<String> = explicit.clone();
        used.insert(PREAMBLE_ID.to_string());
        for section in self.doc.sections.iter_mut().skip(1).filter(|s| !s.explicit_id) {
            let base = slugify(&section.title);
            let mut id = base.clone();
            let mut n = 1;
            while used.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            used.insert(id.clone());
            section.id = id;
        }
    }
}

/// Collapses runs of spaces (keeping line breaks from `<br>` and hard breaks) and trims.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut space = false;
        for c in line.trim().chars() {
            if c == ' ' || c == '\t' {
                space = true;
            } else {
                if space {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out.trim().to_string()
}

/// Lists duplicate explicit ids: `(id, first line, duplicate line)` in file order.
pub fn duplicate_ids(doc: &Document) -> Vec<(String, usize, usize)> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    for s in doc.sections.iter().skip(1).filter(|s| s.explicit_id) {
        match first.get(s.id.as_str()) {
            Some(&line) => out.push((s.id.clone(), line, s.line)),
            None => {
                first.insert(&s.id, s.line);
            }
        }
    }
    out
}
