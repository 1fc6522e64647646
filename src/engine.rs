//! The identity of the judgement: which redline judged a release. A release record names its
//! engine ([`engine_id`]: the crate version and [`JUDGEMENT_VERSION`]); `verify` judges every
//! release again and treats a disagreement as tampering only when the engine is the same, since
//! a newer judgement may rightly see a change differently.
//!
//! `JUDGEMENT_VERSION` changes whenever the judgement does (what a comparison decides: levels,
//! qualifiers, findings, summaries). `tests/judgement_snapshot.rs` enforces it: it keeps a hash
//! of the JSON reports of a fixed set of comparisons and fails when they change while the version
//! stays the same (DEVELOPERS.md, "The judgement snapshot").

/// The version of the judgement: raise it by one whenever a comparison's report changes for the
/// same inputs (and regenerate the snapshot, DEVELOPERS.md).
pub const JUDGEMENT_VERSION: u32 = 59;

/// The engine id a release records: `redline <crate version>; judgement <JUDGEMENT_VERSION>`
/// (`redline 0.1.0; judgement 1`).
pub fn engine_id() -> String {
    format!("redline {}; judgement {JUDGEMENT_VERSION}", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_id_names_the_crate_and_the_judgement() {
        assert_eq!(
            engine_id(),
            format!("redline {}; judgement {JUDGEMENT_VERSION}", env!("CARGO_PKG_VERSION"))
        );
        assert!(engine_id().starts_with("redline 0."), "{}", engine_id());
    }
}
