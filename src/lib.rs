//! redline: policy-as-code for privacy policies.
//!
//! A policy lives as structured Markdown in a git repository. The pipeline, one module per stage:
//!
//! ```text
//! bytes ─ text ─> document ─ diff ─> DocumentDiff ─ classify(rules) ─> Report ─> text | markdown | json
//! ```
//!
//! * [`document`] parses Markdown or plain text into sections with stable ids (pulldown-cmark);
//! * [`diff`] aligns sections, blocks and table rows and computes the inline redline (similar);
//! * [`rules`] loads the declarative criteria (`policy/criteria.toml` or the built-in profile);
//! * [`classify`] turns each change into a level with the rule, reason and reference behind it;
//! * [`report`] is the serialisable verdict (`redline.report/1`) and its text/Markdown renderings;
//! * [`archive`] is the append-only, hash-chained record of released versions, [`release`]
//!   appends to it (each release names the [`engine`] that judged it), [`verify`] checks it
//!   and judges its releases again, [`consent`] answers what a user of an older version must see,
//!   [`history`] classifies the git commits that touched a document and [`import`] backfills an
//!   archive from an existing history;
//! * [`map`] tells which data practices each section and block describes (`redline map`), with
//!   the model of [`learned`] for Chinese;
//! * [`lint`] reports every problem in a policy's Markdown with its line, column and a hint;
//!   [`translation`] tracks translations' section ids and stale sections; [`linked`] compares a
//!   document with the documents it links to and pairs sections that moved between documents;
//!   [`init`] scaffolds a policy repository;
//! * [`site`] renders the archive as a static site (tera, ammonia).
//!
//! The library never depends on clap; the `redline` binary maps its results to exit codes.

pub mod archive;
pub mod classify;
pub mod consent;
pub mod diff;
pub mod document;
pub mod engine;
pub mod error;
pub mod fsutil;
pub mod git;
pub mod history;
pub mod import;
pub mod init;
pub mod learned;
pub mod linked;
pub mod lint;
pub mod map;
pub mod model;
pub mod normalize;
pub mod notes;
pub mod release;
pub mod repo;
pub mod report;
pub mod rules;
pub mod site;
pub mod statements;
pub mod text;
pub mod time;
pub mod translation;
pub mod verify;

pub use error::{Error, Result};
pub use model::{Bump, ChangeKind, Decision, Direction, Level, Qualifier};
