//! The closed enumerations of the report and release contracts (README): levels, bumps, qualifiers, change kinds,
//! directions and decisions. Their serialised spellings are part of the public contract.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How much a change matters, from `none` (identical texts) to `reconsent`.
///
/// Ordered: `None < Editorial < Minor < Major < Reconsent`; a release's level is the maximum of
/// its changes' levels (the highest level wins).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The two texts are identical once decoded, line endings aside.
    #[default]
    None,
    /// No disclosed matter changes (typo, punctuation, move, renumbering, formatting, metadata).
    Editorial,
    /// A disclosed matter changes in a neutral or user-favourable way.
    Minor,
    /// A user-adverse or surprising change: prominent notice before the effective date.
    Major,
    /// The change needs the user's fresh consent (PIPL art. 14(2), 23, 29, 39).
    Reconsent,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 5] =
        [Level::None, Level::Editorial, Level::Minor, Level::Major, Level::Reconsent];

    /// The contract spelling (`"none"`, `"editorial"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Editorial => "editorial",
            Level::Minor => "minor",
            Level::Major => "major",
            Level::Reconsent => "reconsent",
        }
    }

    /// Parses the contract spelling; `None` for anything else.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The version bump this level requires (editorial → patch, minor → minor,
    /// major and reconsent → major).
    pub fn bump(self) -> Bump {
        match self {
            Level::None => Bump::None,
            Level::Editorial => Bump::Patch,
            Level::Minor => Bump::Minor,
            Level::Major | Level::Reconsent => Bump::Major,
        }
    }

    /// What the app must show a user facing a change of this level.
    pub fn decision(self) -> Decision {
        match self {
            Level::Reconsent => Decision::Reconsent,
            Level::Major => Decision::Notice,
            _ => Decision::None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `MAJOR.MINOR.PATCH` component a release must increase.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing changed.
    #[default]
    None,
    /// Editorial changes only.
    Patch,
    /// At most minor changes.
    Minor,
    /// A major or re-consent change.
    Major,
}

impl Bump {
    /// The contract spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A qualifier travels with a level. Ordered as the report lists them, so a
/// `BTreeSet<Qualifier>` serialises in the contract's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// Separate consent (单独同意; PIPL art. 23, 25, 29, 39; NDSR art. 62(7)).
    Separate,
    /// Explicit consent (GDPR art. 9(2)(a)).
    Explicit,
    /// Guardian consent for under-14s (PIPL art. 31).
    Guardian,
    /// A person must decide (uncertain direction, role, basis, or a possibly unlawful change).
    Review,
    /// Must not be published as is (statutory right removed, non-necessary data made mandatory).
    Block,
}

impl Qualifier {
    /// Every qualifier in contract order.
    pub const ALL: [Qualifier; 5] = [
        Qualifier::Separate,
        Qualifier::Explicit,
        Qualifier::Guardian,
        Qualifier::Review,
        Qualifier::Block,
    ];

    /// The contract spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Separate => "separate",
            Qualifier::Explicit => "explicit",
            Qualifier::Guardian => "guardian",
            Qualifier::Review => "review",
            Qualifier::Block => "block",
        }
    }
}

/// What kind of aligned difference a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A section (heading and content) exists only in the new text.
    SectionAdded,
    /// A section exists only in the old text.
    SectionRemoved,
    /// A section moved to another parent or position.
    SectionMoved,
    /// A section's title changed (its id or content identifies it).
    SectionRenamed,
    /// A section's number changed (三、 → 四、, 3.1 → 3.2, J → K).
    SectionRenumbered,
    /// A section's heading changed in a way not covered by the kinds above.
    SectionModified,
    /// A paragraph or list item was added.
    BlockAdded,
    /// A paragraph or list item was removed.
    BlockRemoved,
    /// A paragraph or list item was edited.
    BlockModified,
    /// A paragraph or list item moved, wording unchanged once normalised.
    BlockMoved,
    /// A table row with a new key was added.
    RowAdded,
    /// A table row was removed.
    RowRemoved,
    /// A table row's cells changed.
    RowModified,
    /// The rows of a table were reordered (keys unchanged).
    RowsReordered,
    /// Front matter only.
    MetadataModified,
    /// Bytes differ, parsed content identical: blank lines, trailing newline, wrapping.
    FormattingModified,
}

impl ChangeKind {
    /// Every change kind in contract order.
    pub const ALL: [ChangeKind; 16] = [
        ChangeKind::SectionAdded,
        ChangeKind::SectionRemoved,
        ChangeKind::SectionMoved,
        ChangeKind::SectionRenamed,
        ChangeKind::SectionRenumbered,
        ChangeKind::SectionModified,
        ChangeKind::BlockAdded,
        ChangeKind::BlockRemoved,
        ChangeKind::BlockModified,
        ChangeKind::BlockMoved,
        ChangeKind::RowAdded,
        ChangeKind::RowRemoved,
        ChangeKind::RowModified,
        ChangeKind::RowsReordered,
        ChangeKind::MetadataModified,
        ChangeKind::FormattingModified,
    ];

    /// The contract spelling (`"row_added"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::SectionAdded => "section_added",
            ChangeKind::SectionRemoved => "section_removed",
            ChangeKind::SectionMoved => "section_moved",
            ChangeKind::SectionRenamed => "section_renamed",
            ChangeKind::SectionRenumbered => "section_renumbered",
            ChangeKind::SectionModified => "section_modified",
            ChangeKind::BlockAdded => "block_added",
            ChangeKind::BlockRemoved => "block_removed",
            ChangeKind::BlockModified => "block_modified",
            ChangeKind::BlockMoved => "block_moved",
            ChangeKind::RowAdded => "row_added",
            ChangeKind::RowRemoved => "row_removed",
            ChangeKind::RowModified => "row_modified",
            ChangeKind::RowsReordered => "rows_reordered",
            ChangeKind::MetadataModified => "metadata_modified",
            ChangeKind::FormattingModified => "formatting_modified",
        }
    }

    /// Parses the contract spelling.
    pub fn parse(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the change adds text that did not exist (its direction is `broaden`).
    pub fn is_addition(self) -> bool {
        matches!(self, ChangeKind::SectionAdded | ChangeKind::BlockAdded | ChangeKind::RowAdded)
    }

    /// Whether the change removes text (its direction is `narrow`).
    pub fn is_removal(self) -> bool {
        matches!(
            self,
            ChangeKind::SectionRemoved | ChangeKind::BlockRemoved | ChangeKind::RowRemoved
        )
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a change widens or narrows what the policy discloses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More data, purposes, recipients, retention; fewer limits.
    Broaden,
    /// Less of those, or a new limit.
    Narrow,
    /// Neither: a move, reorder or rewording with the same scope.
    Neutral,
    /// Both at once, or a criterion swapped for one of unknown scope.
    Unknown,
}

impl Direction {
    /// Every direction in contract order.
    pub const ALL: [Direction; 4] =
        [Direction::Broaden, Direction::Narrow, Direction::Neutral, Direction::Unknown];

    /// The contract spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Broaden => "broaden",
            Direction::Narrow => "narrow",
            Direction::Neutral => "neutral",
            Direction::Unknown => "unknown",
        }
    }
}

/// What the app must do for a user who accepted an earlier version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Nothing to show.
    None,
    /// A prominent notice (popup notice).
    Notice,
    /// A popup requiring agreement before the new processing starts.
    Reconsent,
}

impl Decision {
    /// The contract spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::None => "none",
            Decision::Notice => "notice",
            Decision::Reconsent => "reconsent",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_order_and_bumps_follow_the_contract() {
        assert!(Level::Editorial < Level::Minor && Level::Major < Level::Reconsent);
        assert_eq!(Level::Editorial.bump(), Bump::Patch);
        assert_eq!(Level::Minor.bump(), Bump::Minor);
        assert_eq!(Level::Reconsent.bump(), Bump::Major);
        assert_eq!(Level::Major.decision(), Decision::Notice);
        assert_eq!(Level::Minor.decision(), Decision::None);
    }

    #[test]
    fn spellings_round_trip_through_serde() {
        for kind in ChangeKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(ChangeKind::parse(kind.as_str()), Some(kind));
        }
        for level in Level::ALL {
            assert_eq!(serde_json::to_string(&level).unwrap(), format!("\"{level}\""));
        }
        let qs: std::collections::BTreeSet<_> = [Qualifier::Review, Qualifier::Separate].into();
        assert_eq!(serde_json::to_string(&qs).unwrap(), r#"["separate","review"]"#);
    }
}
