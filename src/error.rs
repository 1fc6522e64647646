//! The library's error type. Every variant that comes from a file names it, with the line (and
//! column) where one exists, so the binary can print one clear line and exit with code 2.

use std::path::Path;

/// A failure that stops a command: bad input, an unknown revision, an I/O error or a refusal.
///
/// A classification outcome (a `major` change, a lint problem) is never an error; it is data.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong, in words (`no such file`, `permission denied`, …).
        message: String,
    },
    /// A file is not valid UTF-8.
    #[error("{path}:{line}:{column}: invalid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8")]
    InvalidUtf8 {
        /// The file.
        path: String,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column (in chars) of the first invalid byte.
        column: usize,
        /// The first invalid byte.
        byte: u8,
    },
    /// A file holds a NUL byte (a binary or mis-saved file).
    #[error(
        "{path}:{line}:{column}: control character U+{code:04X} in the text; remove it (a policy is plain text)"
    )]
    ControlCharacter {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (in chars).
        column: usize,
        /// The character's code point.
        code: u32,
    },
    /// Front matter that does not parse or is not closed.
    #[error("{path}:{line}: {message}")]
    FrontMatter {
        /// The Markdown file.
        path: String,
        /// 1-based line in the Markdown file (not inside the front matter).
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Two headings carry the same explicit `{#id}`.
    #[error(
        "{path}:{line}: duplicate section id `{id}` (also at line {first_line}); give one of the two headings another {{#id}}"
    )]
    DuplicateId {
        /// The Markdown file.
        path: String,
        /// The id used twice.
        id: String,
        /// Line of the first heading with it.
        first_line: usize,
        /// Line of the second heading with it.
        line: usize,
    },
    /// A TOML file (criteria, policy configuration, release record) is invalid.
    #[error("{path}:{line}:{column}: {message}")]
    Toml {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message (unknown field, wrong type, syntax).
        message: String,
    },
    /// A configuration file parses but says something impossible (an unknown level, a lexicon
    /// that does not exist).
    #[error("{path}: {message}")]
    Config {
        /// The file.
        path: String,
        /// What is wrong, naming the rule or key.
        message: String,
    },
    /// A git revision that does not resolve.
    #[error("unknown git revision `{rev}`")]
    UnknownRevision {
        /// The revision as given.
        rev: String,
    },
    /// A path that is not in the tree of a revision.
    #[error("`{path}` does not exist at revision `{rev}`")]
    MissingAtRevision {
        /// The revision as given.
        rev: String,
        /// The repository-relative path.
        path: String,
    },
    /// Any other git failure (not a repository, shallow history, corrupt object).
    #[error("{0}")]
    Git(String),
    /// The command cannot do what was asked (a refusal, a missing precondition).
    #[error("{0}")]
    Refused(String),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns, in words a user understands.
    pub fn io(path: impl AsRef<Path>, err: &std::io::Error) -> Error {
        let message = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::AlreadyExists => "already exists".to_string(),
            std::io::ErrorKind::IsADirectory => "is a folder, not a file".to_string(),
            std::io::ErrorKind::NotADirectory => {
                "a part of this path is a file, not a folder".to_string()
            }
            std::io::ErrorKind::InvalidData => "is not a readable text file".to_string(),
            _ if crate::fsutil::is_symlink_loop(err) => crate::fsutil::LOOP_MESSAGE.to_string(),
            // Other OS texts without the trailing ` (os error N)`, lower-cased like ours.
            _ => {
                let text = err.to_string();
                let text = match text.rfind(" (os error ") {
                    Some(at) => text[..at].to_string(),
                    None => text,
                };
                let mut chars = text.chars();
                match chars.next() {
                    Some(c) => c.to_lowercase().chain(chars).collect(),
                    None => text,
                }
            }
        };
        Error::Io { path: path.as_ref().display().to_string(), message }
    }

    /// Converts a `toml` deserialisation error into one line naming the file, line and column.
    pub fn toml(path: impl AsRef<Path>, text: &str, err: &toml::de::Error) -> Error {
        let (line, column) = match err.span() {
            Some(span) => crate::text::line_col(text, span.start),
            None => (1, 1),
        };
        Error::Toml {
            path: path.as_ref().display().to_string(),
            line,
            column,
            message: err.message().trim().replace('\n', " "),
        }
    }
}
