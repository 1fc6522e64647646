//! Splitting a block's text into clauses (docs/statements.md "Clauses"), keeping byte spans.

use crate::normalize::is_cjk;

/// Abbreviations whose final dot never ends a sentence (lower case): English, and the German
/// and French ones of legal text (`Art. 6 Abs. 1 lit. f DSGVO`, `z. B.`, `p. ex.`). A single
/// letter with a dot before another (`z. B.`, initials) never ends one either.
const ABBREVIATIONS: [&str; 33] = [
    "e.g.", "i.e.", "etc.", "inc.", "ltd.", "co.", "corp.", "no.", "u.s.", "mr.", "ms.", "dr.",
    "st.", "vs.", "cf.", "p.o.", "art.", "abs.", "lit.", "nr.", "bzw.", "ggf.", "usw.", "inkl.",
    "vgl.", "gem.", "sog.", "evtl.", "z.b.", "d.h.", "u.a.", "ex.", "ca.",
];

/// Contrasts that start a new Chinese clause: the comma stays with the first clause.
const ZH_CONTRASTS: [&str; 5] = ["，但是", "，但", "，而", "，不过", "，然而"];

/// Whether the text is written mostly in CJK characters (among its letters).
pub fn is_chinese(text: &str) -> bool {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        // ASCII and the common ideographs first: `is_alphabetic` is a table lookup.
        if c.is_ascii() {
            latin += usize::from(c.is_ascii_alphabetic());
        } else if matches!(c as u32, 0x4E00..=0x9FFF) || (is_cjk(c) && c.is_alphabetic()) {
            cjk += 1;
        } else if c.is_alphabetic() {
            latin += 1;
        }
    }
    cjk * 2 >= latin && cjk > 0
}

/// How a block's text is laid out, for [`split`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A paragraph, list item or quote: split into sentences and clauses.
    Prose,
    /// A table row read as one record (an SDK or permission table, or a row of short cells):
    /// one clause.
    Row,
    /// A table row whose cells hold paragraphs (a cell of three lines or more, `<br>` inside a
    /// cell, as in a table of purposes with examples): each cell, each line of a cell and each
    /// sentence is a clause of its own, so a promise in one example does not turn the others
    /// into promises. The row's other cells still condition its practices (see
    /// [`crate::statements`]).
    ProseRow,
}

/// The clauses of a block's `text` as byte ranges, trimmed, empty ones (and the bare cell
/// separators of a [`Layout::ProseRow`]) dropped.
pub fn split(text: &str, layout: Layout) -> Vec<(usize, usize)> {
    let mut cuts: Vec<usize> = Vec::new();
    if layout != Layout::Row {
        if layout == Layout::ProseRow || is_record(text) {
            cuts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        }
        if layout == Layout::ProseRow {
            for (i, sep) in text.match_indices(" | ") {
                cuts.extend([i, i + sep.len()]);
            }
        }
        if is_chinese(text) {
            zh_cuts(text, &mut cuts);
        } else {
            en_cuts(text, &mut cuts);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(text.len())) {
        if cut <= start {
            continue;
        }
        if let Some(span) = trimmed(text, start, cut)
            && !text[span.0..span.1].chars().all(|c| c == '|' || c.is_whitespace())
        {
            out.push(span);
        }
        start = cut;
    }
    out
}

/// Whether a block is a record of `label：value` lines (`第三方SDK名称：…` / `收集个人信息类型：…`
/// on lines of their own): at least two of its lines start with a short label and a colon.
fn is_record(text: &str) -> bool {
    text.contains('\n') && text.lines().filter(|l| label_end(l).is_some()).count() >= 2
}

/// The byte offset after the label of a `label：value` line (a label of at most 20 characters
/// with no sentence punctuation, not a web address).
pub fn label_end(line: &str) -> Option<usize> {
    let line_start = line.len() - line.trim_start().len();
    let (i, c) = line.char_indices().find(|(_, c)| matches!(c, '：' | ':'))?;
    let label = line[line_start..i].trim();
    let plain = !label.is_empty()
        && label.chars().count() <= 20
        && !label.contains(['。', '，', ',', '；', ';', '.', '!', '?'])
        && !label.to_ascii_lowercase().ends_with("http")
        && !label.to_ascii_lowercase().ends_with("https");
    plain.then_some(i + c.len_utf8())
}

fn trimmed(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    (lead + trail < piece.len()).then(|| (start + lead, end - trail))
}

/// The longest parenthesis (in bytes) whose punctuation does not end a clause: an aside
/// (`设备标识符（Android如AndroidID、OAID；鸿蒙如ODID。不同的标识符…）`) is part of its clause, an
/// unclosed parenthesis is not allowed to swallow the rest of the block.
const MAX_ASIDE: usize = 600;

fn zh_cuts(text: &str, cuts: &mut Vec<usize>) {
    // Where each parenthesis that closes within MAX_ASIDE bytes opens and closes.
    let mut asides: Vec<(usize, usize)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' => open.push(i),
            '）' | ')' => {
                if let Some(start) = open.pop()
                    && i - start <= MAX_ASIDE
                    && open.is_empty()
                {
                    asides.push((start, i));
                }
            }
            '\n' => open.clear(),
            _ => {}
        }
    }
    let inside = |i: usize| asides.iter().any(|&(a, b)| a < i && i < b);
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';') && !inside(i) {
            cuts.push(i + c.len_utf8());
        }
    }
    for contrast in ZH_CONTRASTS {
        let mut from = 0;
        while let Some(at) = text[from..].find(contrast) {
            let at = from + at;
            // After the comma: the conjunction starts the next clause.
            cuts.push(at + '，'.len_utf8());
            from = at + contrast.len();
        }
    }
}

fn en_cuts(text: &str, cuts: &mut Vec<usize>) {
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            ';' => cuts.push(i + 1),
            '.' | '!' | '?' => {
                let next = text[i + 1..].chars().next();
                if !next.is_some_and(char::is_whitespace) {
                    continue;
                }
                let rest = text[i + 1..].trim_start();
                let starts_sentence = rest.chars().next().is_some_and(|n| {
                    n.is_uppercase()
                        || n.is_ascii_digit()
                        || matches!(n, '"' | '\'' | '“' | '‘' | '(' | '[' | '「' | '《')
                });
                if !starts_sentence {
                    continue;
                }
                if c == '.' {
                    let word_start = text[..i]
                        .char_indices()
                        .rev()
                        .find(|(_, ch)| ch.is_whitespace() || *ch == '(')
                        .map_or(0, |(p, ch)| p + ch.len_utf8());
                    let word = text[word_start..=i].to_lowercase();
                    let letter = |w: &str| {
                        w.chars().count() == 2
                            && w.ends_with('.')
                            && w.chars().next().is_some_and(char::is_alphabetic)
                    };
                    let initial =
                        letter(&word) && letter(rest.split_whitespace().next().unwrap_or(""));
                    if initial || ABBREVIATIONS.contains(&word.as_str()) {
                        continue;
                    }
                }
                cuts.push(i + 1);
            }
            _ => {}
        }
    }
    let mut from = 0;
    while let Some(at) = text[from..].find(", but ") {
        let at = from + at;
        cuts.push(at + 2);
        from = at + 6;
    }
    let _ = bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(text: &str) -> Vec<&str> {
        split(text, Layout::Prose).into_iter().map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn chinese_splits_after_stops_and_before_contrasts() {
        assert_eq!(
            clauses("我们不会分享您的信息，但以下情况除外：1、获得同意后共享。2、依法共享；"),
            vec!["我们不会分享您的信息，", "但以下情况除外：1、获得同意后共享。", "2、依法共享；"]
        );
        assert_eq!(
            clauses("我们会提供统计信息，而不会提供个人信息"),
            vec!["我们会提供统计信息，", "而不会提供个人信息"]
        );
    }

    #[test]
    fn english_splits_sentences_semicolons_and_but() {
        assert_eq!(
            clauses(
                "We collect data, e.g. your name. We use it; we keep it, but we do not sell it."
            ),
            vec![
                "We collect data, e.g. your name.",
                "We use it;",
                "we keep it,",
                "but we do not sell it."
            ]
        );
        assert_eq!(clauses("Apple Inc. One Apple Park"), vec!["Apple Inc. One Apple Park"]);
        assert_eq!(clauses("Visit example.com for more."), vec!["Visit example.com for more."]);
    }

    #[test]
    fn a_table_row_is_one_clause() {
        assert_eq!(split("a | b。c | d", Layout::Row), vec![(0, "a | b。c | d".len())]);
    }

    #[test]
    fn a_row_of_paragraphs_splits_by_cell_line_and_sentence() {
        let row = "To protect users\n\nExamples:\n* We scan links. We never sell data. | IP addresses | Legitimate interests";
        let got: Vec<&str> =
            split(row, Layout::ProseRow).into_iter().map(|(a, b)| &row[a..b]).collect();
        assert_eq!(
            got,
            vec![
                "To protect users",
                "Examples:",
                "* We scan links.",
                "We never sell data.",
                "IP addresses",
                "Legitimate interests"
            ]
        );
    }

    #[test]
    fn german_abbreviations_and_initials_end_no_sentence() {
        assert_eq!(
            clauses(
                "Ihre Ernährungsweise (z. B. halal). Wir verarbeiten sie nach Art. 9 Abs. 2 DSGVO."
            ),
            vec![
                "Ihre Ernährungsweise (z. B. halal).",
                "Wir verarbeiten sie nach Art. 9 Abs. 2 DSGVO."
            ]
        );
    }
}
