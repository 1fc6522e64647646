//! Practice categories learned from data, for Chinese: a small linear model that gives each
//! sentence of a policy the CAPP-130 practice categories it describes (multi-label).
//!
//! **What the model reads.** A [`Unit`] is one sentence with its context: the sentence's
//! characters (1- to 3-grams), the headings it sits under (the innermost one, the top-level one
//! and the whole chain, as character bigrams), the sentences before and after it (bigrams) and
//! its position in the policy (tenths). Each group of features is hashed into
//! [`BUCKETS`] buckets ([`features`]) and scaled to unit length, so a long heading chain weighs
//! no more than the sentence. A whole block (a line of plain text, several sentences) is read
//! the same way ([`block_units`]): `redline map` gives categories to blocks, so the model also
//! learns what a block as a whole says. The model knows nothing of the criteria's lexicons:
//! retraining depends only on the corpus and this file.
//!
//! **What it says.** Twelve outputs, each a logistic regression over the same features: one per
//! category of [`CATEGORIES`] and a last one, `practice`, for "the sentence describes some
//! practice at all" (a title, a date or a definition does not). [`Model::predict`] returns the
//! categories whose probability reaches their threshold, and when none does but `practice`
//! does, the one closest to its threshold: a practice sentence always gets a category.
//!
//! **How it is trained** ([`train`]): on the `development` policies of the fixed split only
//! (`tests/capp130_split.toml`), read through a callback, so a test can see every file the
//! trainer asks for. A policy's sentences (`rw_N.jsonl`) are found in its plain text
//! (`rw_N.txt`, outlined by [`crate::map::outline`]) to learn the headings they sit under, exactly
//! as `redline map` sees a policy; each block of that text is an example too, whose targets are
//! the shares of its important sentences that have each category ([`BlockTarget`]). Averaged stochastic gradient descent, in an order drawn from a
//! fixed seed, in one thread; the weights are then quantised to one byte each per output. Every
//! step is deterministic, so the same corpus gives byte-identical weights
//! (`cargo run --release --example train_categories -- CORPUS OUT`). The thresholds are chosen
//! by five-fold cross-validation inside the development part, with folds made of whole policy
//! families (policies sharing a template), so a fold never sees its own template in training.
//!
//! **Inference** is plain Rust over the embedded weights ([`Model::embedded`]), parsed on first
//! use only: commands that do not map a policy never touch them.

// Loops over the outputs index several arrays of the same length at once.
#![allow(clippy::needless_range_loop)]

use crate::document::{Block, Document};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

/// The eleven practice categories of CAPP-130, in the dataset's order (its label indices 0–10),
/// by the ids the criteria use.
pub const CATEGORIES: [&str; 11] = [
    "collection",
    "permissions",
    "sharing",
    "use",
    "storage",
    "security",
    "minors",
    "user_rights",
    "contact",
    "policy_change",
    "operations_stop",
];

/// The dataset's own (Chinese) names of [`CATEGORIES`], in the same order, as they appear in the
/// corpus's `labels` lists.
pub const DATASET_NAMES: [&str; 11] = [
    "数据收集",
    "权限获取",
    "共享、委托、转让、公开（披露）",
    "使用",
    "存储方式",
    "安全措施",
    "特殊人群",
    "数据、权限管理",
    "联系方式",
    "隐私政策的授权、修改与变更",
    "停止运营",
];

/// Number of model outputs: the eleven categories and `practice`.
pub const OUTPUTS: usize = 12;

/// Index of the `practice` output.
const PRACTICE: usize = 11;

/// log2 of the number of hashed feature buckets.
pub const BUCKET_BITS: u32 = 17;

/// Number of hashed feature buckets.
pub const BUCKETS: usize = 1 << BUCKET_BITS;

/// The embedded weights, trained on CAPP-130's development part (see `src/learned/ATTRIBUTION.md`).
static WEIGHTS: &[u8] = include_bytes!("learned/capp130.weights");

/// The magic bytes that open a weights file (the last byte is the format version).
const MAGIC: &[u8; 8] = b"RLCATW\x00\x01";

// ---------------------------------------------------------------------------------------------
// The split and the corpus
// ---------------------------------------------------------------------------------------------

/// The fixed split of the corpus into policies to train on and policies held aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Policy ids (`rw_N`) the model may be trained and tuned on.
    pub development: Vec<String>,
    /// Policy ids only ever measured.
    pub held_aside: Vec<String>,
}

impl Split {
    /// Reads and parses the split file at `path` (see [`Split::parse`]).
    ///
    /// Errors: `PATH: message` for a file that cannot be read or parsed.
    pub fn load(path: &std::path::Path) -> Result<Split, String> {
        std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| Split::parse(&t))
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses a split file (TOML with the string arrays `development` and `held_aside`).
    ///
    /// Errors: a message naming the problem (TOML syntax, a missing or non-string list, an id in
    /// both lists).
    pub fn parse(text: &str) -> Result<Split, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let list = |key: &str| -> Result<Vec<String>, String> {
            table
                .get(key)
                .and_then(|v| v.as_array())
                .ok_or_else(|| format!("`{key}` is not a list"))?
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("`{key}` holds a non-string"))
                })
                .collect()
        };
        let split = Split { development: list("development")?, held_aside: list("held_aside")? };
        if let Some(both) = split.development.iter().find(|d| split.held_aside.contains(d)) {
            return Err(format!("`{both}` is in both parts"));
        }
        Ok(split)
    }
}

/// One annotated sentence of the corpus.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// The sentence as annotated.
    pub text: String,
    /// Its categories as a bit set over [`CATEGORIES`].
    pub labels: u16,
    /// Whether the annotators marked it important (the evaluation population).
    pub important: bool,
}

/// One policy of the corpus: its annotated sentences and what the model reads of each.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The policy id (`rw_N`).
    pub id: String,
    /// Its sentences in document order.
    pub sentences: Vec<Labelled>,
    /// The model's input for each sentence (same order).
    pub units: Vec<UnitOwned>,
    /// Each block (a line of the plain text) read whole, as `redline map` reads a block of
    /// several sentences ([`block_units`]), with its targets.
    pub blocks: Vec<BlockTarget>,
}

/// A block read whole, and what it should say: per category, the share of the block's
/// important sentences with a category (the sentences that lie inside it) that have it.
#[derive(Debug, Clone)]
pub struct BlockTarget {
    /// The model's input.
    pub unit: UnitOwned,
    /// Per category of [`CATEGORIES`], the share (0 to 1) of the block's important sentences
    /// with a category that have it.
    pub shares: [f32; 11],
    /// How many important sentences with a category the block holds (0: it describes no
    /// practice that counts).
    pub important: usize,
    /// How many sentences the block holds.
    pub sentences: usize,
}

/// Reads a corpus file by name (`rw_3.jsonl`, `rw_3.txt`): its bytes, or `None` when it does not
/// exist.
pub type Reader<'a> = dyn FnMut(&str) -> Option<Vec<u8>> + 'a;

/// Reads policy `id` through `read`: `id.jsonl` (required) and `id.txt` (optional; without it
/// the sentences themselves, one per line, stand in for the text).
///
/// Errors: a message naming the file and line (missing `.jsonl`, a line that is not a record,
/// an unknown category name).
pub fn read_policy(id: &str, read: &mut Reader<'_>) -> Result<Policy, String> {
    let name = format!("{id}.jsonl");
    let bytes = read(&name).ok_or_else(|| format!("{name}: not found"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8"))?;
    let mut sentences = Vec::new();
    for (n, line) in text.lines().enumerate() {
        #[derive(serde::Deserialize)]
        struct Record {
            text: String,
            labels: Vec<String>,
            important: bool,
        }
        let r: Record = serde_json::from_str(line).map_err(|e| format!("{name}:{}: {e}", n + 1))?;
        let mut labels = 0u16;
        for l in &r.labels {
            let k = DATASET_NAMES
                .iter()
                .position(|d| d == l)
                .ok_or_else(|| format!("{name}:{}: unknown category `{l}`", n + 1))?;
            labels |= 1 << k;
        }
        sentences.push(Labelled { text: r.text, labels, important: r.important });
    }
    let txt = format!("{id}.txt");
    let plain = match read(&txt) {
        Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        None => sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("\n"),
    };
    let doc = crate::document::parse_lenient(&txt, &plain).0;
    let doc = crate::map::outline(&doc);
    let (units, at) = place(&doc, &sentences);
    let mut blocks: Vec<BlockTarget> = block_units(&doc)
        .into_iter()
        .map(|(_, unit)| BlockTarget { unit, shares: [0.0; 11], important: 0, sentences: 0 })
        .collect();
    for (s, at) in sentences.iter().zip(at) {
        let Some(b) = at else { continue };
        blocks[b].sentences += 1;
        if s.important && s.labels != 0 {
            blocks[b].important += 1;
            for k in 0..CATEGORIES.len() {
                if s.labels & (1 << k) != 0 {
                    blocks[b].shares[k] += 1.0;
                }
            }
        }
    }
    for b in &mut blocks {
        if b.important > 0 {
            for v in &mut b.shares {
                *v /= b.important as f32;
            }
        }
    }
    Ok(Policy { id: id.to_string(), sentences, units, blocks })
}

/// Removes whitespace and the punctuation the annotators' sentence splitting changed, so an
/// annotated sentence can be found in the text it came from.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !",，。;；:：、.·•".contains(*c)).collect()
}

/// The longest run of blocks one annotated sentence may span (a flattened table row).
const MAX_SPAN: usize = 40;

/// Where a (squashed) sentence lies among the squashed blocks, searching forward from block
/// `from` and wrapping: the first block that holds it whole, or else the first run of
/// consecutive blocks whose joined text holds it starting inside the run's first block.
/// Returns the first and last block of the run.
pub fn locate(blocks: &[&str], from: usize, text: &str) -> Option<(usize, usize)> {
    if text.is_empty() {
        return None;
    }
    let n = blocks.len();
    let order = || (from..n).chain(0..from.min(n));
    if let Some(k) = order().find(|&k| blocks[k].contains(text)) {
        return Some((k, k));
    }
    for k in order() {
        let mut joined = blocks[k].to_string();
        for end in k + 1..n.min(k + MAX_SPAN) {
            if joined.len() >= blocks[k].len() + text.len() {
                break;
            }
            joined.push_str(blocks[end]);
            if let Some(at) = joined.find(text) {
                if at < blocks[k].len() {
                    return Some((k, end));
                }
                break;
            }
        }
    }
    None
}

/// The model's input for each annotated sentence: the headings of the block that holds it in
/// the outlined `doc`, its neighbours among the annotated sentences, its position. Also
/// returns, for each sentence, the block (index in document order) that holds it whole, if one
/// does.
fn place(doc: &Document, sentences: &[Labelled]) -> (Vec<UnitOwned>, Vec<Option<usize>>) {
    let flat: Vec<(usize, &Block)> = doc
        .sections
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.blocks.iter().map(move |b| (i, b)))
        .collect();
    let squashed: Vec<String> = flat.iter().map(|(_, b)| squash(&b.text)).collect();
    let refs: Vec<&str> = squashed.iter().map(String::as_str).collect();
    let mut pos = 0;
    let mut section = 0;
    let n = sentences.len();
    let mut units = Vec::with_capacity(n);
    let mut at = Vec::with_capacity(n);
    for (k, s) in sentences.iter().enumerate() {
        let found = locate(&refs, pos, &squash(&s.text));
        if let Some((first, last)) = found {
            pos = last;
            section = flat[first].0;
        }
        at.push(found.filter(|(a, b)| a == b).map(|(a, _)| a));
        units.push(UnitOwned {
            text: s.text.clone(),
            headings: headings(doc, section),
            previous: if k > 0 { sentences[k - 1].text.clone() } else { String::new() },
            next: sentences.get(k + 1).map(|s| s.text.clone()).unwrap_or_default(),
            position: k as f32 / n.max(1) as f32,
        });
    }
    (units, at)
}

/// The titles of section `index` and its ancestors, outermost first (the preamble has none).
pub fn headings(doc: &Document, index: usize) -> Vec<String> {
    let mut chain: Vec<String> = doc
        .ancestry(index)
        .into_iter()
        .filter(|&a| a != 0)
        .map(|a| doc.sections[a].title.clone())
        .collect();
    chain.reverse();
    chain
}

/// The model's input for every sentence of a document as `redline map` reads it (plain text
/// already outlined, see [`crate::map::outline`]), in document order, each with the section and
/// block it comes from.
pub fn document_units(doc: &Document) -> Vec<((usize, usize), UnitOwned)> {
    let mut spots: Vec<((usize, usize), &str)> = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        for (j, b) in s.blocks.iter().enumerate() {
            for sentence in crate::map::sentences(&b.text) {
                spots.push(((i, j), sentence));
            }
        }
    }
    units(doc, &spots)
}

/// The model's input for every block of a document (plain text already outlined) read whole:
/// the block's text, the headings it sits under, the blocks before and after it, its position
/// among the blocks. In document order, each with its section and block index.
pub fn block_units(doc: &Document) -> Vec<((usize, usize), UnitOwned)> {
    let flat: Vec<((usize, usize), &str)> = doc
        .sections
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.blocks.iter().enumerate().map(move |(j, b)| ((i, j), b.text.as_str())))
        .collect();
    units(doc, &flat)
}

/// The model's input for each of `spots` (a section and block index with its text, in document
/// order): the text, the headings it sits under, its neighbours and its position among them.
fn units(doc: &Document, spots: &[((usize, usize), &str)]) -> Vec<((usize, usize), UnitOwned)> {
    let n = spots.len();
    let mut chains: HashMap<usize, Vec<String>> = HashMap::new();
    (0..n)
        .map(|k| {
            let ((i, j), text) = spots[k];
            let chain = chains.entry(i).or_insert_with(|| headings(doc, i)).clone();
            (
                (i, j),
                UnitOwned {
                    text: text.to_string(),
                    headings: chain,
                    previous: if k > 0 { spots[k - 1].1.to_string() } else { String::new() },
                    next: spots.get(k + 1).map(|s| s.1.to_string()).unwrap_or_default(),
                    position: k as f32 / n.max(1) as f32,
                },
            )
        })
        .collect()
}

/// One sentence as the model reads it.
#[derive(Debug, Clone, Default)]
pub struct UnitOwned {
    /// The sentence.
    pub text: String,
    /// The titles of the headings it sits under, outermost first.
    pub headings: Vec<String>,
    /// The sentence before it (empty at the start).
    pub previous: String,
    /// The sentence after it (empty at the end).
    pub next: String,
    /// Its position in the policy, 0 (first) to 1 (last).
    pub position: f32,
}

// ---------------------------------------------------------------------------------------------
// Features
// ---------------------------------------------------------------------------------------------

/// Which features a model reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureSet {
    /// The sentence's character 1- to 3-grams only (the baseline).
    Sentence,
    /// The sentence and its context (headings, neighbours, position).
    Context,
}

/// Characters for features: ASCII and full-width forms lower-cased and folded, digits to `0`,
/// white space dropped.
fn normal_chars(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            let c = match c as u32 {
                0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            if c.is_ascii_digit() { '0' } else { c.to_ascii_lowercase() }
        })
        .collect()
}

/// FNV-1a over a namespace byte and characters.
fn hash(namespace: u8, chars: &[char]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    eat(namespace);
    for c in chars {
        for b in (*c as u32).to_le_bytes() {
            eat(b);
        }
    }
    // Fold the high bits in, then keep BUCKET_BITS.
    ((h ^ (h >> 29) ^ (h >> 47)) as u32) & (BUCKETS as u32 - 1)
}

/// Adds the n-grams (`min..=max` chars, with `^`/`$` marking the ends) of `text` under
/// `namespace`, scaled so the group has unit length times `weight`.
fn ngrams(
    out: &mut Vec<(u32, f32)>,
    namespace: u8,
    text: &str,
    min: usize,
    max: usize,
    weight: f32,
) {
    let mut chars = vec!['^'];
    chars.extend(normal_chars(text));
    chars.push('$');
    let start = out.len();
    for n in min..=max {
        if chars.len() < n {
            continue;
        }
        for w in chars.windows(n) {
            out.push((hash(namespace + n as u8, w), 1.0));
        }
    }
    let count = out.len() - start;
    if count > 0 {
        let v = weight / (count as f32).sqrt();
        for f in &mut out[start..] {
            f.1 = v;
        }
    }
}

/// The weight of each heading group (innermost, top-level; the chain 0.7 of it) against the
/// sentence's 1.0, chosen by cross-validation on the development part (1.0, 0.7, 0.5, 0.35 and
/// 0.25 tried: 0.808, 0.815, 0.818, 0.820, 0.820 macro-F1).
pub const HEADING_WEIGHT: f32 = 0.25;

/// The weight of each neighbouring sentence's group (0.25, 0.5 and 0.8 tried).
pub const NEIGHBOUR_WEIGHT: f32 = 0.5;

/// The hashed features of `unit` under `set`: `(bucket, value)` pairs, sorted by bucket with
/// duplicates summed.
pub fn features(unit: &UnitOwned, set: FeatureSet) -> Vec<(u32, f32)> {
    let (hw, nw) = (HEADING_WEIGHT, NEIGHBOUR_WEIGHT);
    let mut out = Vec::new();
    ngrams(&mut out, 0, &unit.text, 1, 3, 1.0);
    if set == FeatureSet::Context {
        if let Some(inner) = unit.headings.last() {
            ngrams(&mut out, 10, inner, 1, 2, hw);
        } else {
            out.push((hash(20, &['-']), hw));
        }
        if let Some(top) = unit.headings.first() {
            ngrams(&mut out, 20, top, 1, 2, hw);
        }
        let chain = unit.headings.join("|");
        if !chain.is_empty() {
            ngrams(&mut out, 30, &chain, 2, 2, 0.7 * hw);
        }
        ngrams(&mut out, 40, &unit.previous, 2, 2, nw);
        ngrams(&mut out, 50, &unit.next, 2, 2, nw);
        let tenth = ((unit.position * 10.0) as u32).min(9);
        out.push((hash(60, &[char::from_digit(tenth, 10).unwrap_or('9')]), 0.5));
    }
    out.push((hash(99, &['b']), 1.0));
    out.sort_by_key(|f| f.0);
    let mut merged: Vec<(u32, f32)> = Vec::with_capacity(out.len());
    for (b, v) in out {
        match merged.last_mut() {
            Some(last) if last.0 == b => last.1 += v,
            _ => merged.push((b, v)),
        }
    }
    merged
}

// ---------------------------------------------------------------------------------------------
// Arithmetic that gives the same bits everywhere
// ---------------------------------------------------------------------------------------------

/// e^x from IEEE basic operations only (range reduction to 2^k · 2^f and a degree-10 Taylor
/// polynomial for 2^f), so training gives the same bits on every platform whatever its libm.
fn exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let y = x * std::f64::consts::LOG2_E;
    let k = y.round();
    let f = (y - k) * std::f64::consts::LN_2; // |f| <= ln2 / 2
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=12 {
        term = term * f / f64::from(n);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// The logistic function, deterministic (see [`exp`]).
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + exp(-z))
    } else {
        let e = exp(z);
        e / (1.0 + e)
    }
}

/// A seeded pseudo-random generator (SplitMix64) for the training order.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A Fisher–Yates shuffle of `v`.
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

/// A trained model: quantised weights over the hashed features, biases and thresholds.
#[derive(Debug, Clone)]
pub struct Model {
    /// Which features it reads.
    pub set: FeatureSet,
    /// Per output: the value of one quantum of its weights.
    scales: [f32; OUTPUTS],
    /// Per output: the bias.
    bias: [f32; OUTPUTS],
    /// `BUCKETS × OUTPUTS` weights, bucket-major, one signed byte (two's complement) each;
    /// borrowed from the binary for the embedded model.
    weights: Cow<'static, [u8]>,
    /// Per output: the probability from which it is predicted.
    pub thresholds: [f32; OUTPUTS],
}

static EMBEDDED: LazyLock<Model> = LazyLock::new(|| {
    let mut m = Model::from_bytes(WEIGHTS).expect("the embedded weights are well-formed");
    m.weights = Cow::Borrowed(&WEIGHTS[WEIGHTS.len() - BUCKETS * OUTPUTS..]);
    m
});

impl Model {
    /// The model embedded in the binary (parsed on first use).
    pub fn embedded() -> &'static Model {
        &EMBEDDED
    }

    /// The probabilities of the [`OUTPUTS`] outputs for `unit`.
    pub fn probabilities(&self, unit: &UnitOwned) -> [f32; OUTPUTS] {
        let feats = features(unit, self.set);
        let mut z = [0f32; OUTPUTS];
        for (b, v) in feats {
            let row = &self.weights[b as usize * OUTPUTS..(b as usize + 1) * OUTPUTS];
            for k in 0..OUTPUTS {
                z[k] += f32::from(row[k] as i8) * v;
            }
        }
        let mut p = [0f32; OUTPUTS];
        for k in 0..OUTPUTS {
            p[k] = sigmoid(f64::from(z[k] * self.scales[k] + self.bias[k])) as f32;
        }
        p
    }

    /// The categories (bit set over [`CATEGORIES`]) of a sentence with these probabilities:
    /// every category at or above its threshold; when none is and `always` is true or the
    /// `practice` output reaches its threshold, the category nearest its threshold.
    pub fn decide(&self, p: &[f32; OUTPUTS], always: bool) -> u16 {
        let mut set = 0u16;
        for k in 0..CATEGORIES.len() {
            if p[k] >= self.thresholds[k] {
                set |= 1 << k;
            }
        }
        if set == 0 && (always || p[PRACTICE] >= self.thresholds[PRACTICE]) {
            let best = (0..CATEGORIES.len())
                .max_by(|&a, &b| {
                    (p[a] / self.thresholds[a])
                        .total_cmp(&(p[b] / self.thresholds[b]))
                        .then(b.cmp(&a))
                })
                .unwrap_or(0);
            set |= 1 << best;
        }
        set
    }

    /// Whether a sentence with these probabilities describes a practice at all.
    pub fn practice(&self, p: &[f32; OUTPUTS]) -> bool {
        p[PRACTICE] >= self.thresholds[PRACTICE]
    }

    /// The categories of one sentence in context (see [`Model::decide`]; a sentence the
    /// `practice` output rejects gets none).
    pub fn predict(&self, unit: &UnitOwned) -> u16 {
        self.decide(&self.probabilities(unit), false)
    }

    /// The weights file: [`MAGIC`], the shape (`BUCKET_BITS`, `OUTPUTS` as little-endian
    /// `u32`), the feature set (one byte), per output its scale, bias and threshold
    /// (little-endian `f32`), then the bucket-major weights (one signed byte each).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.weights.len() + 256);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&BUCKET_BITS.to_le_bytes());
        out.extend_from_slice(&(OUTPUTS as u32).to_le_bytes());
        out.push(match self.set {
            FeatureSet::Sentence => 0,
            FeatureSet::Context => 1,
        });
        for k in 0..OUTPUTS {
            out.extend_from_slice(&self.scales[k].to_le_bytes());
            out.extend_from_slice(&self.bias[k].to_le_bytes());
            out.extend_from_slice(&self.thresholds[k].to_le_bytes());
        }
        out.extend_from_slice(&self.weights);
        out
    }

    /// Reads a weights file written by [`Model::to_bytes`].
    ///
    /// Errors: a message when the magic, the shape or the length do not match this build.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let head = MAGIC.len() + 4 + 4 + 1;
        let body = head + OUTPUTS * 12;
        let end = body + BUCKETS * OUTPUTS;
        if bytes.len() != end || &bytes[..MAGIC.len()] != MAGIC {
            return Err(format!(
                "not a weights file of this build ({} bytes; expected {end})",
                bytes.len()
            ));
        }
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let f32_at = |at: usize| f32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        if u32_at(8) != BUCKET_BITS || u32_at(12) != OUTPUTS as u32 {
            return Err("weights of another shape".to_string());
        }
        let set = match bytes[16] {
            0 => FeatureSet::Sentence,
            1 => FeatureSet::Context,
            other => return Err(format!("unknown feature set {other}")),
        };
        let mut scales = [0f32; OUTPUTS];
        let mut bias = [0f32; OUTPUTS];
        let mut thresholds = [0f32; OUTPUTS];
        for k in 0..OUTPUTS {
            let at = head + k * 12;
            scales[k] = f32_at(at);
            bias[k] = f32_at(at + 4);
            thresholds[k] = f32_at(at + 8);
        }
        let weights = Cow::Owned(bytes[body..end].to_vec());
        Ok(Model { set, scales, bias, weights, thresholds })
    }
}

// ---------------------------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------------------------

/// The learning settings. [`Settings::default`] holds the ones chosen by cross-validation on the
/// development part.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Which features to read.
    pub set: FeatureSet,
    /// Passes over the training sentences.
    pub epochs: usize,
    /// The initial learning rate.
    pub rate: f64,
    /// L2 penalty per step.
    pub l2: f64,
    /// Seed of the training order.
    pub seed: u64,
    /// The weight of each block read whole ([`BlockTarget`]) in the loss, against a sentence's
    /// 1 (0: blocks are not trained on). 1 was chosen by cross-validation of `redline map` on
    /// the development part (0, 0.5, 1 and 2 tried: 0.778, 0.781, 0.784, 0.780 macro-F1 out of
    /// fold, with the map's block vote); it also lifts the per-sentence figure (0.820 to 0.825).
    pub blocks: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            set: FeatureSet::Context,
            epochs: 8,
            rate: 2.0,
            l2: 1e-6,
            seed: 2023,
            blocks: 1.0,
        }
    }
}

impl Settings {
    /// The baseline: the sentence's character n-grams only.
    pub fn baseline() -> Settings {
        Settings { set: FeatureSet::Sentence, blocks: 0.0, ..Settings::default() }
    }
}

/// One training example.
struct Example {
    feats: Vec<(u32, f32)>,
    /// Bits 0–10: the categories; bit 11: `practice` (any category).
    y: u16,
    /// Whether the sentence has a category (the category outputs learn from these only).
    practice: bool,
    /// Whether it counts in the evaluation (important, with a category).
    scored: bool,
    /// A block's targets for the category outputs, in place of the bits of `y`.
    shares: Option<[f32; 11]>,
    /// Its weight in the loss.
    weight: f64,
}

fn examples(policies: &[&Policy], set: FeatureSet) -> Vec<Example> {
    policies
        .iter()
        .flat_map(|p| {
            p.sentences.iter().zip(&p.units).map(move |(s, u)| {
                let practice = s.labels != 0;
                Example {
                    feats: features(u, set),
                    y: s.labels | if practice { 1 << PRACTICE } else { 0 },
                    practice,
                    scored: practice && s.important,
                    shares: None,
                    weight: 1.0,
                }
            })
        })
        .collect()
}

/// The blocks of `policies` as training examples of weight `weight`: the category outputs
/// learn each block's shares, `practice` whether it holds an important practice sentence.
fn block_examples(policies: &[&Policy], set: FeatureSet, weight: f64) -> Vec<Example> {
    if weight <= 0.0 {
        return Vec::new();
    }
    policies
        .iter()
        .flat_map(|p| {
            p.blocks.iter().map(move |b| Example {
                feats: features(&b.unit, set),
                y: if b.important > 0 { 1 << PRACTICE } else { 0 },
                practice: b.important > 0,
                scored: false,
                shares: Some(b.shares),
                weight,
            })
        })
        .collect()
}

/// Averaged SGD on the logistic loss, the outputs sharing the features. Returns the averaged
/// weights (`BUCKETS × OUTPUTS`, bucket-major) and biases.
fn fit(ex: &[Example], settings: &Settings) -> (Vec<f64>, [f64; OUTPUTS]) {
    let size = BUCKETS * OUTPUTS;
    let mut w = vec![0f64; size];
    let mut u = vec![0f64; size]; // Σ c·Δw, for the average
    let mut b = [0f64; OUTPUTS];
    let mut ub = [0f64; OUTPUTS];
    let mut order: Vec<usize> = (0..ex.len()).collect();
    let mut rng = SplitMix(settings.seed);
    let total = (settings.epochs * ex.len()).max(1) as f64;
    let mut c = 1.0f64;
    for _ in 0..settings.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let e = &ex[i];
            let rate = settings.rate / (1.0 + 8.0 * c / total);
            let mut z = b;
            for &(f, v) in &e.feats {
                let row = &w[f as usize * OUTPUTS..(f as usize + 1) * OUTPUTS];
                for k in 0..OUTPUTS {
                    z[k] += row[k] * f64::from(v);
                }
            }
            let mut g = [0f64; OUTPUTS];
            for k in 0..OUTPUTS {
                if k == PRACTICE || e.practice {
                    let y = match e.shares {
                        Some(shares) if k < PRACTICE => f64::from(shares[k]),
                        _ if e.y & (1 << k) != 0 => 1.0,
                        _ => 0.0,
                    };
                    g[k] = rate * e.weight * (sigmoid(z[k]) - y);
                }
            }
            for &(f, v) in &e.feats {
                let at = f as usize * OUTPUTS;
                let v = f64::from(v);
                for k in 0..OUTPUTS {
                    let step = g[k] * v + rate * settings.l2 * w[at + k];
                    w[at + k] -= step;
                    u[at + k] -= c * step;
                }
            }
            for k in 0..OUTPUTS {
                b[k] -= g[k];
                ub[k] -= c * g[k];
            }
            c += 1.0;
        }
    }
    let avg: Vec<f64> = w.iter().zip(&u).map(|(w, u)| w - u / c).collect();
    let mut bias = [0f64; OUTPUTS];
    for k in 0..OUTPUTS {
        bias[k] = b[k] - ub[k] / c;
    }
    (avg, bias)
}

/// Quantises float weights to one signed byte per weight, per output scale `max |w| / 127`.
fn quantise(w: &[f64], bias: &[f64; OUTPUTS], set: FeatureSet) -> Model {
    let mut max = [0f64; OUTPUTS];
    for (i, x) in w.iter().enumerate() {
        let k = i % OUTPUTS;
        max[k] = max[k].max(x.abs());
    }
    let mut scales = [0f32; OUTPUTS];
    for k in 0..OUTPUTS {
        scales[k] = if max[k] > 0.0 { (max[k] / 127.0) as f32 } else { 1.0 };
    }
    let weights = w
        .iter()
        .enumerate()
        .map(|(i, x)| (x / f64::from(scales[i % OUTPUTS])).round().clamp(-127.0, 127.0) as i8 as u8)
        .collect::<Vec<u8>>()
        .into();
    let mut b = [0f32; OUTPUTS];
    for k in 0..OUTPUTS {
        b[k] = bias[k] as f32;
    }
    Model { set, scales, bias: b, weights, thresholds: [0.5; OUTPUTS] }
}

/// Families of policies sharing a template: policies linked when at least 30 % of the smaller
/// one's sentences of 12 or more characters (squashed) also occur in the other, and families
/// the connected groups. Returns the family (its first member's index) of each policy.
fn families(policies: &[&Policy]) -> Vec<usize> {
    let sets: Vec<BTreeSet<String>> = policies
        .iter()
        .map(|p| {
            p.sentences
                .iter()
                .map(|s| squash(&s.text))
                .filter(|s| s.chars().count() >= 12)
                .collect()
        })
        .collect();
    let mut family: Vec<usize> = (0..policies.len()).collect();
    fn root(f: &mut [usize], mut i: usize) -> usize {
        while f[i] != i {
            i = f[i];
        }
        i
    }
    for a in 0..policies.len() {
        for b in a + 1..policies.len() {
            let shared = sets[a].intersection(&sets[b]).count();
            let smaller = sets[a].len().min(sets[b].len()).max(1);
            if shared * 10 >= smaller * 3 {
                let (ra, rb) = (root(&mut family, a), root(&mut family, b));
                family[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    (0..policies.len()).map(|i| root(&mut family, i)).collect()
}

/// Assigns whole families to `k` folds, largest family first, each to the fold with the fewest
/// sentences so far. Returns the fold of each policy.
fn folds(policies: &[&Policy], k: usize) -> Vec<usize> {
    let family = families(policies);
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, p) in policies.iter().enumerate() {
        *sizes.entry(family[i]).or_default() += p.sentences.len();
    }
    let mut order: Vec<(usize, usize)> = sizes.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut load = vec![0usize; k];
    let mut fold_of: HashMap<usize, usize> = HashMap::new();
    for (fam, size) in order {
        let f = (0..k).min_by_key(|&f| (load[f], f)).unwrap_or(0);
        load[f] += size;
        fold_of.insert(fam, f);
    }
    family.iter().map(|f| fold_of[f]).collect()
}

/// Number of cross-validation folds for the thresholds.
pub const FOLDS: usize = 5;

/// Per-category F1 counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
}

impl Counts {
    /// Adds one prediction against the truth.
    pub fn add(&mut self, predicted: bool, gold: bool) {
        match (predicted, gold) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    /// F1 (0 when there is nothing to find and nothing was predicted).
    pub fn f1(self) -> f64 {
        let d = 2 * self.tp + self.fp + self.fn_;
        if d == 0 { 0.0 } else { 2.0 * self.tp as f64 / d as f64 }
    }
}

/// Per-category counts of predictions against labels.
#[derive(Debug, Default, Clone)]
pub struct Scores {
    /// Counts per category of [`CATEGORIES`].
    pub per: [Counts; 11],
    /// Sentences scored.
    pub sentences: usize,
}

impl Scores {
    /// Adds one sentence's predicted and gold bit sets.
    pub fn add(&mut self, predicted: u16, gold: u16) {
        self.sentences += 1;
        for k in 0..CATEGORIES.len() {
            self.per[k].add(predicted & (1 << k) != 0, gold & (1 << k) != 0);
        }
    }

    /// The mean of the per-category F1.
    pub fn macro_f1(&self) -> f64 {
        self.per.iter().map(|c| c.f1()).sum::<f64>() / self.per.len() as f64
    }

    /// F1 over all categories' counts together.
    pub fn micro_f1(&self) -> f64 {
        let mut all = Counts::default();
        for c in &self.per {
            all.tp += c.tp;
            all.fp += c.fp;
            all.fn_ += c.fn_;
        }
        all.f1()
    }
}

/// What [`train`] found on the way: the cross-validated figures on the development part.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// Development policies read.
    pub policies: usize,
    /// Training sentences (all development sentences).
    pub sentences: usize,
    /// Out-of-fold scores on the development part's important sentences with a category, with
    /// the chosen thresholds.
    pub cross_validated: Scores,
    /// The cross-validation models, each with the ids of the development policies it was not
    /// trained on; they carry the final model's thresholds, so a whole pipeline (`redline map`)
    /// can be measured out of fold on the development part.
    pub folds: Vec<(Model, Vec<String>)>,
}

/// Chooses each output's threshold on out-of-fold probabilities: the category outputs maximise
/// F1 on the scored sentences, `practice` maximises F1 over all sentences.
fn choose_thresholds(probs: &[[f32; OUTPUTS]], ex: &[Example]) -> [f32; OUTPUTS] {
    let mut t = [0.5f32; OUTPUTS];
    for k in 0..OUTPUTS {
        let mut best = (-1.0f64, 0.5f32);
        for step in 2..=90 {
            let cut = step as f32 / 100.0;
            let mut c = Counts::default();
            for (p, e) in probs.iter().zip(ex) {
                if k != PRACTICE && !e.scored {
                    continue;
                }
                c.add(p[k] >= cut, e.y & (1 << k) != 0);
            }
            if c.f1() > best.0 {
                best = (c.f1(), cut);
            }
        }
        t[k] = best.1;
    }
    t
}

/// Trains a model on the `development` policies of `split`, reading each through `read`
/// (`rw_N.jsonl` and, when present, `rw_N.txt`); never asks for a `held_aside` policy.
///
/// Five models, each trained without one fold of whole families, give out-of-fold
/// probabilities that choose the thresholds; the model itself is then fitted on the whole
/// development part. Returns the model and the cross-validated figures. Errors: the first
/// unreadable policy file.
pub fn train(
    split: &Split,
    read: &mut Reader<'_>,
    settings: &Settings,
) -> Result<(Model, TrainReport), String> {
    let policies: Vec<Policy> =
        split.development.iter().map(|id| read_policy(id, read)).collect::<Result<_, _>>()?;
    let refs: Vec<&Policy> = policies.iter().collect();
    let fold = folds(&refs, FOLDS);
    let mut oof: Vec<Vec<[f32; OUTPUTS]>> = vec![Vec::new(); refs.len()];
    let mut fold_models = Vec::with_capacity(FOLDS);
    for f in 0..FOLDS {
        let train: Vec<&Policy> =
            refs.iter().zip(&fold).filter(|x| *x.1 != f).map(|x| *x.0).collect();
        let mut ex = examples(&train, settings.set);
        ex.extend(block_examples(&train, settings.set, settings.blocks));
        let (w, b) = fit(&ex, settings);
        let m = quantise(&w, &b, settings.set);
        for (i, p) in refs.iter().enumerate() {
            if fold[i] == f {
                oof[i] = p.units.iter().map(|u| m.probabilities(u)).collect();
            }
        }
        let ids = refs.iter().zip(&fold).filter(|x| *x.1 == f).map(|x| x.0.id.clone()).collect();
        fold_models.push((m, ids));
    }
    let mut all = examples(&refs, settings.set);
    let sentences = all.len();
    all.extend(block_examples(&refs, settings.set, settings.blocks));
    let (w, b) = fit(&all, settings);
    all.truncate(sentences);
    let mut model = quantise(&w, &b, settings.set);
    let probs: Vec<[f32; OUTPUTS]> = oof.into_iter().flatten().collect();
    model.thresholds = choose_thresholds(&probs, &all);
    let mut cv = Scores::default();
    for (p, e) in probs.iter().zip(&all) {
        if e.scored {
            cv.add(model.decide(p, true), e.y & 0x7FF);
        }
    }
    for (m, _) in &mut fold_models {
        m.thresholds = model.thresholds;
    }
    let report = TrainReport {
        policies: policies.len(),
        sentences: all.len(),
        cross_validated: cv,
        folds: fold_models,
    };
    Ok((model, report))
}

/// Scores `model` on policies: each important sentence with a category, predicted with at least
/// one category (the population has one).
pub fn evaluate(model: &Model, policies: &[Policy]) -> Scores {
    let mut s = Scores::default();
    for p in policies {
        for (sent, unit) in p.sentences.iter().zip(&p.units) {
            if sent.important && sent.labels != 0 {
                s.add(model.decide(&model.probabilities(unit), true), sent.labels);
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_agrees_with_the_platform() {
        for x in [-30.0, -2.5, -0.1, 0.0, 0.3, 1.0, 7.7, 40.0] {
            let (ours, libm) = (exp(x), f64::exp(x));
            assert!(((ours - libm) / libm).abs() < 1e-12, "{x}: {ours} vs {libm}");
        }
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn split_refuses_an_id_in_both_parts() {
        let s = Split::parse("development = [\"rw_1\"]\nheld_aside = [\"rw_2\"]\n").unwrap();
        assert_eq!(s.held_aside, vec!["rw_2"]);
        let err = Split::parse("development = [\"rw_1\"]\nheld_aside = [\"rw_1\"]\n").unwrap_err();
        assert!(err.contains("rw_1"), "{err}");
    }

    #[test]
    fn embedded_weights_round_trip_and_predict_plausibly() {
        let m = Model::embedded();
        assert_eq!(m.to_bytes(), WEIGHTS);
        let unit = |text: &str, heading: &str| UnitOwned {
            text: text.to_string(),
            headings: vec![heading.to_string()],
            ..UnitOwned::default()
        };
        let cats = |u: &UnitOwned| -> Vec<&str> {
            let set = m.decide(&m.probabilities(u), true);
            (0..11).filter(|k| set & (1 << k) != 0).map(|k| CATEGORIES[k]).collect()
        };
        let contact = unit("您可以通过发送邮件至privacy@example.com与我们联系。", "如何联系我们");
        assert!(cats(&contact).contains(&"contact"), "{:?}", cats(&contact));
        let minors =
            unit("若您是未满14周岁的未成年人，请在监护人的陪同下阅读本政策。", "未成年人保护");
        assert!(cats(&minors).contains(&"minors"), "{:?}", cats(&minors));
    }

    #[test]
    fn locate_finds_a_sentence_across_blocks() {
        let blocks = ["一、收集", "我们收集手机号", "用于注册"];
        assert_eq!(locate(&blocks, 0, "手机号用于"), Some((1, 2)));
        assert_eq!(locate(&blocks, 2, "收集手机号"), Some((1, 1)));
        assert_eq!(locate(&blocks, 0, "没有"), None);
    }
}
