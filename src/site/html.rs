//! Policy Markdown to safe HTML: pulldown-cmark with the same options as [`crate::document`], so
//! the sections shown are the sections diffed; heading ids equal section ids; then ammonia removes
//! anything that could run or load code (`<script>`, event attributes, `javascript:` URLs, styles),
//! keeping harmless markup: paragraphs, lists, tables, emphasis, `<br>`, links with safe schemes,
//! and headings with their `id`.

use crate::document::{Document, Format, body_start, markdown_options};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id"]);
    }
    // Markup the renderer itself emits and ammonia's defaults would drop.
    b.add_tags(["del", "ins"]);
    b.rm_tags(["img"]);
    b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
    b
});

/// What a section's id becomes as an HTML id on a page (`device-permissions` →
/// `s-device-permissions`): the page's own ids all start with `rl-` or `finding-`, so a policy
/// heading `{#rl-main}` or `{#finding-1}` can never take the place of one.
pub const SECTION_ID_PREFIX: &str = "s-";

/// Sanitises an HTML fragment: see the module documentation for what survives.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Shifts heading levels so the document's top level becomes `top` (`<h1>` is the page title).
pub(crate) fn level_shift(doc: &Document, top: u8) -> i8 {
    let min = doc.sections.iter().skip(1).map(|s| s.level).min().unwrap_or(top);
    top as i8 - min as i8
}

fn shifted(level: HeadingLevel, shift: i8) -> HeadingLevel {
    let n = (level as i8 + shift).clamp(1, 6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

/// Renders the body of `doc` (front matter excluded) as sanitised HTML.
///
/// Headings that start sections get their section's id (the explicit `{#id}`, or the id
/// [`crate::document`] derived from the title) after [`SECTION_ID_PREFIX`], so `#s-id` links
/// and the table of contents work;
/// their levels are moved by `shift`. Task-list markers become text (`[x]`), never form controls.
pub fn render(doc: &Document, shift: i8) -> String {
    let body = &doc.text[body_start(doc)..];
    if doc.format == Format::PlainText {
        let mut out = String::new();
        let events = body.lines().map(str::trim).filter(|l| !l.is_empty()).flat_map(|line| {
            [Event::Start(Tag::Paragraph), Event::Text(line.into()), Event::End(TagEnd::Paragraph)]
        });
        pulldown_cmark::html::push_html(&mut out, events);
        return out;
    }
    let mut section = 0usize;
    let mut item_depth = 0usize;
    let events = Parser::new_ext(body, markdown_options()).map(|event| match event {
        Event::Start(Tag::Item) => {
            item_depth += 1;
            event
        }
        Event::End(TagEnd::Item) => {
            item_depth -= 1;
            event
        }
        Event::Start(Tag::Heading { level, id, .. }) => {
            let id = if item_depth == 0 {
                section += 1;
                doc.sections.get(section).map(|s| CowStr::from(s.id.clone())).or(id)
            } else {
                id
            }
            .map(|id| CowStr::from(format!("{SECTION_ID_PREFIX}{id}")));
            Event::Start(Tag::Heading {
                level: shifted(level, shift),
                id,
                classes: Vec::new(),
                attrs: Vec::new(),
            })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shifted(level, shift))),
        Event::TaskListMarker(done) => Event::Text(if done { "[x] " } else { "[ ] " }.into()),
        other => other,
    });
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events);
    add_anchors(&wrap_tables(&sanitize(&html)))
}

/// Gives every heading with an `id` a link to itself, so a reader can cite the section: `<h2
/// id="x">Title <a class="anchor" href="#x" aria-labelledby="x">#</a></h2>` (its accessible name
/// is the heading's, in the page's language). Runs on sanitised output, whose headings carry at
/// most an `id`, already escaped.
pub(crate) fn add_anchors(html: &str) -> String {
    static HEADING: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r#"<h([1-6]) id="([^"]*)">"#).unwrap());
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(m) = HEADING.captures(rest) {
        let whole = m.get(0).unwrap();
        let close = format!("</h{}>", &m[1]);
        let Some(end) = rest[whole.end()..].find(&close).map(|e| whole.end() + e) else { break };
        out.push_str(&rest[..end]);
        out.push_str(&format!(
            " <a class=\"anchor\" href=\"#{id}\" aria-labelledby=\"{id}\">#</a>",
            id = &m[2]
        ));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Puts each table in a focusable container that scrolls sideways, so a wide table stays
/// readable on a phone without widening the page (keyboard users can scroll it too). Runs on
/// sanitised output, whose `<table>` tags carry no attributes.
fn wrap_tables(html: &str) -> String {
    html.replace("<table>", "<div class=\"table-wrap\" tabindex=\"0\"><table>")
        .replace("</table>", "</table></div>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    #[test]
    fn headings_carry_section_ids_and_levels_shift() {
        let doc = parse(
            "p.md",
            "+++\ntitle = \"x\"\n+++\n# Top\n\ntext\n\n## Data we collect {#data}\n\n- item\n",
        )
        .unwrap();
        let html = render(&doc, level_shift(&doc, 2));
        // Each heading links to itself (a reader cites it), named by the heading.
        let anchor = |id: &str| {
            format!(" <a class=\"anchor\" href=\"#{id}\" aria-labelledby=\"{id}\">#</a>")
        };
        // Ids carry the section prefix, so no heading takes the place of a page's own id.
        assert!(html.contains(&format!("<h2 id=\"s-top\">Top{}</h2>", anchor("s-top"))), "{html}");
        assert!(
            html.contains(&format!("<h3 id=\"s-data\">Data we collect{}</h3>", anchor("s-data"))),
            "{html}"
        );
        assert!(!html.contains("title ="), "front matter is not body text: {html}");
    }

    #[test]
    fn scripts_event_handlers_and_javascript_urls_are_removed() {
        let src = "## A {#a}\n\nHi <script>alert(1)</script> <b onclick=\"x()\">bold</b> [l](javascript:alert(2)) <a href=\"https://example.com\" onmouseover=\"y()\">ok</a><br>next\n\n<img src=x onerror=alert(3)>\n\n| a | b |\n| - | - |\n| 1<br>2 | <iframe src=\"https://evil\"></iframe> |\n";
        let doc = parse("p.md", src).unwrap();
        let html = render(&doc, 0);
        for bad in [
            "<script",
            "alert(1)",
            "onclick",
            "javascript:",
            "onmouseover",
            "onerror",
            "<iframe",
            "<img",
        ] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
        for good in [
            "<b>bold</b>",
            "<br>",
            "href=\"https://example.com\"",
            "<div class=\"table-wrap\" tabindex=\"0\"><table>",
            "<h2 id=\"s-a\">",
        ] {
            assert!(html.contains(good), "{good} was lost: {html}");
        }
    }

    #[test]
    fn task_markers_are_text() {
        let doc = parse("p.md", "- [x] done\n- [ ] open\n").unwrap();
        let html = render(&doc, 0);
        assert!(html.contains("[x] done") && !html.contains("<input"), "{html}");
    }
}
