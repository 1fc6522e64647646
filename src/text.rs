//! Decoding policy files and mapping byte offsets to lines. Offsets are bytes; lines and columns
//! are 1-based, columns counted in chars.

use crate::error::{Error, Result};

/// Decodes a policy file: UTF-8 only (a leading byte-order mark is dropped), CRLF and lone CR
/// line endings become LF so line numbers match every editor.
///
/// Errors: [`Error::InvalidUtf8`] naming `path`, the line and column of the first invalid byte.
pub fn decode(path: &str, bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            if let Some((at, c)) = first_control(text) {
                let (line, column) = line_col_raw(&text[..at]);
                return Err(Error::ControlCharacter {
                    path: path.to_string(),
                    line,
                    column,
                    code: c as u32,
                });
            }
            Ok(normalize_line_endings(text))
        }
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The valid prefix is UTF-8 by definition.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = line_col_raw(prefix);
            Err(Error::InvalidUtf8 {
                path: path.to_string(),
                line,
                column,
                byte: bytes[err.valid_up_to()],
            })
        }
    }
}

/// The 1-based line and column (in chars) just after `prefix`, a prefix of a file not yet
/// decoded: CRLF and lone CR end lines as [`decode`] treats them.
fn line_col_raw(prefix: &str) -> (usize, usize) {
    let prefix = normalize_line_endings(prefix);
    line_col(&prefix, prefix.len())
}

/// The first NUL byte, with its byte offset: the mark of a binary or mis-saved file, as git
/// treats it. Other control characters are left alone: real policies carry them from copy and
/// paste (U+0005 in xuexi's 2021 policy, U+0097 for a mis-decoded dash in Wolfram's), and they
/// are harmless once escaped.
fn first_control(text: &str) -> Option<(usize, char)> {
    text.bytes().position(|b| b == 0).map(|at| (at, '\0'))
}

/// `out` made safe to print on a terminal: every control character but tab and line feed (an
/// escape, U+0005, DEL, a C1 control such as U+0097 or U+009B) is written as `\uXXXX`, so text
/// pasted into a policy cannot move the cursor, clear the screen or retitle the window. The
/// colour sequences redline writes itself (SGR with bold, dim, italic, underline, strike and
/// foreground colours) pass through; a hidden or background colour does not. Inside JSON the
/// `\uXXXX` form is a valid string escape of the same character.
pub fn terminal_safe(out: &str) -> std::borrow::Cow<'_, str> {
    terminal_safe_with(out, true)
}

/// [`terminal_safe`], letting redline's colour sequences through only when `colours` is true:
/// with colour off (`--color never`, a pipe) every escape is written as `\u001b`, so a colour
/// pasted into a policy cannot pass for a deletion. The bidirectional overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), which reorder what a terminal shows, are written as
/// `\uXXXX` too.
pub fn terminal_safe_with(out: &str, colours: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !out.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(out);
    }
    let mut safe = String::with_capacity(out.len() + 16);
    let mut rest = out;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && colours
            && let Some(len) = colour_sequence(rest)
        {
            safe.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if unsafe_char(c) {
            safe.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            safe.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(safe)
}

/// The byte length of an SGR sequence at the start of `s` (`ESC [ 1 ; 31 m`) whose parameters
/// only set weight, italics, underline, strike-through or a foreground colour, else `None`.
fn colour_sequence(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let end = body.find('m')?;
    let params = &body[..end];
    let allowed = |p: &str| {
        p.is_empty()
            || matches!(p.parse::<u8>(), Ok(0..=4 | 9 | 22..=24 | 29 | 31..=37 | 39 | 90..=97))
    };
    (params.len() <= 16
        && params.bytes().all(|b| b.is_ascii_digit() || b == b';')
        && params.split(';').all(allowed))
    .then_some(2 + end + 1)
}

/// Replaces CRLF and lone CR with LF; borrows nothing, allocates only when needed.
pub fn normalize_line_endings(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The 1-based line and column (in chars) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Maps byte offsets to 1-based line numbers quickly (binary search over line starts).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`'s line starts.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn terminal_output_shows_pasted_controls_and_keeps_colours() {
        let out = "\u{1b}[1mredline\u{1b}[0m a\u{1b}[2Jb\u{5}c\u{97}d\te\n\u{1b}[8mhidden\u{1b}[0m";
        assert_eq!(
            terminal_safe(out),
            "\u{1b}[1mredline\u{1b}[0m a\\u001b[2Jb\\u0005c\\u0097d\te\n\\u001b[8mhidden\u{1b}[0m"
        );
        assert!(matches!(terminal_safe("plain 中文\n"), std::borrow::Cow::Borrowed(_)));
        // In JSON the escape is the same character.
        let json = serde_json::to_string("x\u{97}y").unwrap();
        let back: String = serde_json::from_str(&terminal_safe(&json)).unwrap();
        assert_eq!(back, "x\u{97}y");
    }

    #[test]
    fn without_colour_no_escape_passes_and_bidi_overrides_show() {
        // A colour pasted into a policy cannot pass for a deletion when colour is off.
        assert_eq!(terminal_safe_with("a \u{1b}[31mb", false), "a \\u001b[31mb");
        assert_eq!(terminal_safe_with("a \u{1b}[31mb", true), "a \u{1b}[31mb");
        assert_eq!(terminal_safe("name \u{202e}eman"), "name \\u202eeman");
    }
    use super::*;

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = decode("p.md", b"ok\nab\xffc").unwrap_err();
        assert_eq!(err.to_string(), "p.md:2:3: invalid UTF-8 (byte 0xff); save the file as UTF-8");
    }

    #[test]
    fn control_characters_are_bad_input() {
        let err = decode("p.md", b"ok\nab\0c").unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.md:2:3: control character U+0000 in the text; remove it (a policy is plain text)"
        );
        assert!(decode("p.md", b"pasted \x05 control").is_ok());
        assert!(decode("p.md", "mis-decoded \u{97} dash".as_bytes()).is_ok());
        assert_eq!(decode("p.md", b"tab\tand\x0cfeed").unwrap(), "tab\tand\x0cfeed");
    }

    #[test]
    fn lone_cr_and_crlf_count_as_line_ends_in_errors() {
        let err = decode("p.md", b"# T\r\rline3\rli\xffne4\r").unwrap_err();
        assert_eq!(err.to_string(), "p.md:4:3: invalid UTF-8 (byte 0xff); save the file as UTF-8");
        let err = decode("p.md", b"a\r\nb\r\nc\0").unwrap_err();
        assert!(err.to_string().starts_with("p.md:3:2: control character U+0000"), "{err}");
    }

    #[test]
    fn bom_and_crlf_are_decoded_away() {
        assert_eq!(decode("p.md", b"\xEF\xBB\xBFa\r\nb\rc").unwrap(), "a\nb\nc");
    }

    #[test]
    fn line_index_matches_line_col() {
        let text = "a\nbb\n\nccc";
        let index = LineIndex::new(text);
        for offset in 0..text.len() {
            assert_eq!(index.line(offset), line_col(text, offset).0, "offset {offset}");
        }
    }
}
