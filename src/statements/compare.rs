//! Comparing statements: what one change adds to or removes from what the policy says.
//!
//! Each version's affirmed practices are indexed ([`Index`]): the kinds of data it processes,
//! who it gives which data to, its purposes, places and kinds of practice, its promises, user
//! controls and contact channels. A change's clauses are then aligned (equal clauses drop out,
//! edited ones pair by similarity) and judged against the *other version as a whole*:
//!
//! * an added or edited clause **broadens** when it affirms a combination the old version never
//!   affirmed (a kind of data, a recipient, data to that recipient, a purpose, a place, a kind
//!   of practice), even when each of its words occurs somewhere in the old text;
//! * a removed or edited clause **broadens** when a promise, a consent condition or a user
//!   control it held is no longer found anywhere in the new version;
//! * a new promise, a dropped practice, an added condition or control **narrow**;
//! * the same statements in other words are neither: a merged paragraph, a moved sentence and a
//!   reworded clause give no delta.

use super::{Clause, DocumentStatements, Polarity, Statement, is_sensitive, is_transfer, name_key};
use crate::diff::Change;
use crate::model::ChangeKind;
use crate::normalize::{age_limits, editorial_key};
use crate::rules::DeltaKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One thing a change did to the statements, with the clause that shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Delta {
    /// What happened.
    pub kind: DeltaKind,
    /// The clause quoted: from the new version, or from the old one for what was removed.
    pub clause: String,
    /// `new` or `old`: which version the clause is from.
    pub side: &'static str,
    /// The practices of the clause.
    pub actions: BTreeSet<String>,
    /// The data concerned (for `new_data`, the new kinds only).
    pub data: BTreeSet<String>,
    /// The recipients concerned (for `new_recipient` the new ones only; for `new_sharing`
    /// those the old version gave no personal information to).
    pub recipients: BTreeSet<String>,
    /// The purposes concerned (for `new_purpose` the new ones only; for `new_sharing` with
    /// recipients the old version already gave personal information to, those it did not
    /// already pursue).
    pub purposes: BTreeSet<String>,
    /// How the clause words what is new or gone, for the reason.
    pub words: Vec<String>,
    /// How the clause words each id it names (`precise_location` → `精确地理位置`), for the
    /// reasons that name the sensitive information concerned.
    #[serde(skip)]
    pub written: BTreeMap<String, String>,
}

impl Delta {
    /// How the clause words vocabulary id `id` (the id itself when it does not name it).
    pub fn written<'a>(&'a self, id: &'a str) -> &'a str {
        self.written.get(id).map_or(id, String::as_str)
    }
}

/// Recipients a general word covers: `third_party` and `partner` include these kinds, so a
/// policy that shares with "partners" does not gain a recipient when it names one. Kinds that
/// change what users expect (advertisers, data brokers, insurers, employers, the public) are
/// never covered by a general word.
const COVERED_BY_GENERAL: [&str; 8] = [
    "third_party",
    "partner",
    "service_provider",
    "affiliate",
    "logistics",
    "payment",
    "sdk",
    "analytics",
];

/// Data a general word covers when it is shared: everything but the sensitive kinds.
fn general_covers(data: &str) -> bool {
    !is_sensitive(data)
}

/// What one version affirms, across its clauses of one kind (unconditional, or under a
/// condition).
#[derive(Debug, Default)]
struct Facts {
    /// Data ids processed in an affirmed practice.
    data: HashSet<String>,
    /// Data items (synonym groups) processed in an affirmed practice.
    items: HashSet<String>,
    /// Recipients given data (class ids, name keys, items of unnamed recipients).
    recipients: HashSet<String>,
    /// (data id, recipient) pairs given away; `*` for a clause with no data or no recipient.
    sharing: HashSet<(String, String)>,
    /// Purposes of affirmed practices.
    purposes: HashSet<String>,
    /// Sensitive data id → the purposes of the affirmed practices on it: sensitive information
    /// is processed only for a purpose stated for it (PIPL art. 28(2), 30), so a purpose the
    /// policy pursues with other information is still new for it.
    sensitive_purposes: HashMap<String, HashSet<String>>,
    /// Purposes of the affirmed practices that give information to others: sharing for
    /// advertising or marketing is a choice of its own (PIPL art. 23, 24; CCPA §1798.120), so
    /// sharing newly for such a purpose is a new purpose of the sharing, even with a recipient
    /// and a purpose the old version already names.
    shared_purposes: HashSet<String>,
    /// Where collected information comes from, besides the user (party classes, `public`).
    sources: HashSet<String>,
    /// Kinds of practice affirmed.
    actions: HashSet<String>,
    /// Data ids sent abroad (`*` for unspecified).
    abroad: HashSet<String>,
    /// (kind of practice, data id) for sales, public disclosure and profiling (`*` for a
    /// clause with no data).
    practised: HashSet<(String, String)>,
}

impl Facts {
    /// What a clause without a practice names: kinds of data, purposes, recipients.
    fn mention(&mut self, s: &Statement) {
        self.data.extend(s.data.iter().cloned());
        self.items.extend(s.items.iter().filter(|i| !i.starts_with("recipient/")).cloned());
        self.purposes.extend(s.purposes.iter().cloned());
        self.recipients.extend(recipient_keys(s));
    }

    fn add(&mut self, s: &Statement) {
        self.data.extend(s.data.iter().cloned());
        self.items.extend(s.items.iter().filter(|i| !i.starts_with("recipient/")).cloned());
        self.purposes.extend(s.purposes.iter().cloned());
        for d in s.data.iter().filter(|d| is_sensitive(d)) {
            self.sensitive_purposes
                .entry(d.clone())
                .or_default()
                .extend(s.purposes.iter().cloned());
        }
        self.actions.extend(s.actions.iter().cloned());
        self.sources.extend(s.sources.iter().cloned());
        for a in s.actions.iter().filter(|a| matches!(a.as_str(), "sell" | "profile" | "disclose"))
        {
            for d in data_or_any(s) {
                self.practised.insert((a.clone(), d));
            }
        }
        if s.actions.contains("abroad") || s.places.contains("abroad") {
            self.abroad.extend(data_or_any(s));
        }
        if s.actions.iter().any(|a| is_transfer(a)) {
            self.shared_purposes.extend(s.purposes.iter().cloned());
            // What goes to advertisers or data brokers goes there for advertising.
            if s.recipients.iter().any(|r| matches!(r.as_str(), "advertiser" | "data_broker")) {
                self.shared_purposes.extend(["advertising".to_string(), "marketing".to_string()]);
            }
            let recipients = recipient_keys(s);
            self.recipients.extend(recipients.iter().cloned());
            let rs = if recipients.is_empty() { vec!["*".to_string()] } else { recipients };
            for d in data_or_any(s) {
                for r in &rs {
                    self.sharing.insert((d.clone(), r.clone()));
                }
            }
        }
    }

    /// Whether recipient `r` (a key) was given data, directly or through a general word that
    /// covers it.
    fn knows_recipient(&self, r: &str) -> bool {
        self.recipients.contains(r)
            || (COVERED_BY_GENERAL.contains(&r)
                && (self.recipients.contains("third_party") || self.recipients.contains("partner")))
    }

    /// Whether data `d` went to recipient `r` (a general recipient or general data covering
    /// it; a clause that names no recipient covers only the ordinary kinds).
    fn knows_sharing(&self, d: &str, r: &str) -> bool {
        let general = COVERED_BY_GENERAL.contains(&r) || r == "*";
        let recipient_ok =
            |x: &str| x == r || (general && matches!(x, "third_party" | "partner" | "*"));
        self.sharing.iter().any(|(od, or)| {
            recipient_ok(or)
                && (od == d
                    || (matches!(od.as_str(), "personal_info" | "*") && general_covers(d))
                    || (od == "sensitive_info" && is_sensitive(d)))
        })
    }
}

/// What one version affirms, promises, offers and names, across all its clauses. Practices
/// stated under a condition (consent, a legal requirement) are kept apart: they do not cover the
/// same practice stated without it.
#[derive(Debug, Default)]
pub struct Index {
    /// Practices affirmed without a consent or legal condition.
    free: Facts,
    /// Practices affirmed under a consent condition (with or without a legal one).
    consented: Facts,
    /// Practices affirmed only as the law requires or permits.
    by_law: Facts,
    /// Promises: negated practices.
    promises: Vec<Statement>,
    /// Controls offered, keyed by what they govern ([`control_keys`]).
    controls: HashSet<String>,
    /// Contact channels.
    channels: HashSet<String>,
    /// Countries and regions named in a clause stating a practice (the ids of
    /// `[destinations]`).
    places: HashSet<String>,
    /// Every clause's text by [`editorial_key`]: a clause found word for word in the other
    /// version restates it.
    texts: HashSet<String>,
    /// Latin words of the version, lower case, a plural `s` dropped.
    words: HashSet<String>,
    /// The version's text in matching form, for names found by pattern and recipients spoken
    /// of.
    text: String,
    /// Clause (section, block, span start) → the SDK record it belongs to, by [`name_key`].
    record_of: HashMap<(usize, usize, usize), String>,
    /// SDK record → its name as written, the data (kinds and items) and purposes it states.
    records: HashMap<String, Record>,
}

/// What the index reads from a clause's text: its [`editorial_key`], its matching form, and the
/// SDK record it opens ([`record_name`]).
#[derive(Debug, Clone)]
pub(crate) struct Forms {
    key: String,
    text: String,
    record: Option<String>,
}

impl Forms {
    /// The forms of one clause's text.
    pub(crate) fn of(text: &str) -> Forms {
        let (key, matching) = crate::normalize::key_and_match_text(text);
        Forms { key, text: matching, record: record_name(text).map(str::to_string) }
    }
}

/// What an SDK record written as prose says: `2、OPPO广告联盟SDK`, then `SDK用途：…` and
/// `收集个人信息类型：…` paragraphs up to the next record or section.
#[derive(Debug, Default)]
struct Record {
    name: String,
    data: HashSet<String>,
    purposes: BTreeSet<String>,
}

/// The SDK a paragraph opens a record for: `2、OPPO广告联盟SDK`, `第三方SDK名称：友盟统计SDK`,
/// `SDK name: Firebase SDK`. `None` for any other paragraph and for table rows.
fn record_name(text: &str) -> Option<&str> {
    // The name must hold `sdk` in any case; only `K` and the Kelvin sign lower-case to `k`.
    if text.contains(" | ") || !text.contains(['k', 'K', '\u{212A}']) {
        return None;
    }
    let t = text.trim().trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    let t = t.trim_start_matches(['、', '.', ')', '）', '(', '（']).trim_start();
    let labels =
        ["第三方sdk名称", "第三方 sdk 名称", "sdk名称", "sdk 名称", "sdk name", "名称", "name"];
    let lower = t.to_lowercase();
    let t = labels
        .iter()
        .find(|l| lower.starts_with(*l))
        .and_then(|l| t.get(l.len()..))
        .map_or(t, |rest| rest.trim_start().trim_start_matches([':', '：']).trim());
    let t = t.trim_end_matches(['。', ';', '；', ':', '：', '.']).trim();
    (t.to_lowercase().contains("sdk")
        && t.chars().count() <= 40
        && !t.contains(['：', ':', '，', ',', '。', '；']))
    .then_some(t)
}

/// Data of a statement as a record keeps it: kinds (not the general ones) and items.
fn record_data(s: &Statement) -> impl Iterator<Item = String> + '_ {
    s.data
        .iter()
        .filter(|d| !matches!(d.as_str(), "personal_info" | "sensitive_info"))
        .cloned()
        .chain(s.items.iter().filter(|i| !i.starts_with("recipient/")).cloned())
}

/// A Latin word as it is looked up in [`Index::words`]: lower case, without a plural `s`.
fn word_key(w: &str) -> String {
    let w = w.to_lowercase();
    match w.strip_suffix("ies") {
        Some(stem) if stem.len() > 2 => format!("{stem}y"),
        _ => w
            .strip_suffix('s')
            .filter(|s| s.len() > 2 && !s.ends_with('s'))
            .unwrap_or(&w)
            .to_string(),
    }
}

fn recipient_keys(s: &Statement) -> Vec<String> {
    let mut out: Vec<String> = s
        .recipients
        .iter()
        .map(|r| match r.split_once(':') {
            Some((kind, name)) => format!("{kind}:{}", name_key(name)),
            None => r.clone(),
        })
        .collect();
    out.extend(s.items.iter().filter(|i| i.starts_with("recipient/")).cloned());
    out
}

fn data_or_any(s: &Statement) -> Vec<String> {
    if s.data.is_empty() { vec!["*".to_string()] } else { s.data.iter().cloned().collect() }
}

/// Whether a practice depends on consent or a legal requirement.
fn conditioned(s: &Statement) -> bool {
    consented(s) || s.conditions.contains("legal")
}

/// Whether a practice depends on the user's consent.
fn consented(s: &Statement) -> bool {
    s.conditions.contains("consent") || s.conditions.contains("explicit_consent")
}

impl Index {
    /// Indexes every clause of a version.
    pub fn of(statements: &DocumentStatements) -> Index {
        Index::of_with(statements, &mut HashMap::new())
    }

    /// Indexes both versions of a comparison, `(old, new)`, as [`Index::of`] does each. Read
    /// with [`super::extract_indexed`], their clauses' forms are already worked out, and the two
    /// are indexed at once; otherwise a clause text both hold (most of them) is normalised once.
    pub fn of_both(old: &DocumentStatements, new: &DocumentStatements) -> (Index, Index) {
        if old.has_forms() && new.has_forms() {
            return std::thread::scope(|scope| {
                let indexing = scope.spawn(|| Index::of_with(old, &mut HashMap::new()));
                let new = Index::of_with(new, &mut HashMap::new());
                (indexing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), new)
            });
        }
        let mut forms = HashMap::new();
        let old = Index::of_with(old, &mut forms);
        let new = Index::of_with(new, &mut forms);
        (old, new)
    }

    /// [`Index::of`], with `forms`: clause text → what the index reads from it, filled as
    /// clauses are read and looked up first, unless the statements carry their forms.
    fn of_with<'a>(
        statements: &'a DocumentStatements,
        forms: &mut HashMap<&'a str, Forms>,
    ) -> Index {
        let mut ix = Index::default();
        // The SDK record being read, with its section: it runs to the next record or section.
        let mut open: Option<(usize, String)> = None;
        if statements.has_forms() {
            for (c, forms) in statements.clauses.iter().zip(&statements.forms) {
                ix.add(c, &mut open, forms, statements.definitions.contains(&c.section));
            }
            return ix;
        }
        for c in &statements.clauses {
            let forms = forms.entry(c.text.as_str()).or_insert_with(|| Forms::of(&c.text));
            ix.add(c, &mut open, forms, statements.definitions.contains(&c.section));
        }
        ix
    }

    /// Adds one clause, with what its text gives (`forms`); `defines` when its section
    /// defines terms.
    fn add(
        &mut self,
        clause: &Clause,
        open_record: &mut Option<(usize, String)>,
        forms: &Forms,
        defines: bool,
    ) {
        let Forms { key, text, record } = forms;
        let s = &clause.statement;
        if open_record.as_ref().is_some_and(|(section, _)| *section != clause.section) {
            *open_record = None;
        }
        if let Some(name) = record {
            let key = name_key(name);
            self.records.entry(key.clone()).or_default().name = name.to_string();
            *open_record = Some((clause.section, key));
        }
        if let Some((_, key)) = open_record.as_ref() {
            self.record_of.insert((clause.section, clause.block, clause.span.0), key.clone());
            let record = self.records.entry(key.clone()).or_default();
            if s.polarity == Polarity::Affirm {
                record.data.extend(record_data(s));
                record.purposes.extend(s.purposes.iter().cloned());
            }
        }
        if !self.texts.contains(key) {
            self.texts.insert(key.clone());
        }
        self.words.extend(
            text.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .filter(|w| !w.is_empty())
                .map(word_key),
        );
        self.text.push_str(text);
        self.text.push('\n');
        self.channels.extend(s.channels.iter().cloned());
        // A place counts as written where the version says something happens there: `les
        // textes adoptés au sein de l'Union européenne` names a legislator, not a place of data.
        if s.is_practice() {
            self.places.extend(s.places.iter().filter(|p| is_named_place(p)).cloned());
        }
        self.controls.extend(control_keys(clause));
        if !s.is_practice() {
            // A list of data or purposes with no practice word of its own (`Your name and
            // e-mail address;` under "We collect:") still tells the reader what is processed;
            // a definition's examples do not.
            if !defines {
                self.free.mention(s);
            }
            return;
        }
        if s.polarity == Polarity::Negate {
            self.promises.push(s.clone());
            return;
        }
        // What the user gives a doctor or a partner themselves (`您不可避免地要向医务人员披露…`)
        // is no sharing of ours: a later `we send your prescriptions to pharmacies` is new. What
        // they show other users or the public is how the service works, and stays stated.
        if s.given_by_user
            && s.recipients.iter().any(|r| !matches!(r.as_str(), "other_users" | "public"))
        {
            self.free.mention(s);
            return;
        }
        if consented(s) {
            self.consented.add(s);
        } else if s.conditions.contains("legal") {
            self.by_law.add(s);
        } else {
            self.free.add(s);
        }
    }

    /// Whether a recipient found by pattern, not by the lexicon (`recipient/debt collectors`,
    /// `recipient/催收机构`), is named anywhere in this version: such names are read loosely,
    /// so a name the version already uses is no new recipient.
    fn names(&self, key: &str) -> bool {
        let Some(phrase) = key.strip_prefix("recipient/") else { return false };
        let phrase = phrase.trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        if phrase.is_empty() {
            return true;
        }
        if phrase.is_ascii() {
            phrase.rsplit(' ').next().is_some_and(|head| self.words.contains(&word_key(head)))
        } else {
            self.text.contains(phrase)
        }
    }

    /// Whether this version writes the data phrase of a pattern-found item
    /// (`personal_info/licence plate number`, `personal_info/车牌号`) anywhere, a plural `s`
    /// aside: a phrase it never writes names data the version did not speak of.
    /// A phrase that names only the general kinds (`your sensitive data`, `您的个人敏感数据`)
    /// counts as written, and so does a list (`your settings or preferences`) any of whose parts
    /// the version writes.
    fn writes_data(&self, item: &str) -> bool {
        let Some(phrase) = item.strip_prefix("personal_info/") else { return true };
        let phrase = crate::normalize::match_text(phrase);
        if ["sensitive", "personal", "敏感", "个人"].iter().any(|w| phrase.contains(w)) {
            return true;
        }
        phrase
            .split([',', '、', '和', '及', '或'])
            .flat_map(|p| p.split(" and "))
            .flat_map(|p| p.split(" or "))
            .map(|p| p.trim().trim_end_matches('s'))
            .any(|p| p.is_empty() || self.text.contains(p))
    }

    /// Whether this version speaks of recipient `r` of `s` in the words `s` uses (`other users`):
    /// only for the kinds whose naming tells no surprise ([`COVERED_BY_GENERAL`], other users).
    fn speaks_of(&self, s: &Statement, r: &str) -> bool {
        if !(COVERED_BY_GENERAL.contains(&r) || r == "other_users") {
            return false;
        }
        let word = crate::normalize::match_text(s.word(r));
        let word = word.trim();
        !word.is_empty() && word != r && self.text.contains(word)
    }

    /// The SDK record `clause` of this version belongs to.
    fn record(&self, clause: &Clause) -> Option<(&String, &Record)> {
        let key = self.record_of.get(&(clause.section, clause.block, clause.span.0))?;
        Some((key, self.records.get(key)?))
    }

    /// Whether `clause` occurs word for word in this version.
    fn restates(&self, clause: &Clause) -> bool {
        self.texts.contains(&editorial_key(&clause.text))
    }

    /// Whether `text` occurs in this version, also inside a longer clause (a list captured
    /// flat as one paragraph still holds its items).
    fn contains_text(&self, text: &str) -> bool {
        let text = crate::normalize::match_text(text);
        let text = text.trim();
        !text.is_empty() && self.text.contains(text)
    }

    /// Data ids processed in any affirmed practice.
    fn any_data(&self, d: &str) -> bool {
        [&self.free, &self.consented, &self.by_law].iter().any(|f| f.data.contains(d))
    }

    /// Recipients given data in any affirmed practice.
    fn any_recipient(&self, r: &str) -> bool {
        [&self.free, &self.consented, &self.by_law].iter().any(|f| f.recipients.contains(r))
    }

    /// Whether a promise like `s` (a negated practice of the same kind about overlapping data or
    /// recipients) is made.
    /// Whether every practice `s` promises not to do (each action with each kind of data) is
    /// already promised: `we never collect biometric data, and we do not sell your personal
    /// information` is new beside an old `we do not sell your personal information`.
    fn promises_like(&self, s: &Statement) -> bool {
        let data: Vec<Option<&String>> =
            if s.data.is_empty() { vec![None] } else { s.data.iter().map(Some).collect() };
        s.actions.iter().all(|a| {
            data.iter().all(|d| {
                self.promises.iter().any(|p| {
                    p.actions.contains(a)
                        // What a partner may not do is no promise about what we do.
                        && (p.actor == Some("third_party")) == (s.actor == Some("third_party"))
                        && (p.data.is_empty()
                            || p.data.contains("personal_info")
                            || d.is_none_or(|d| p.data.contains(d)))
                        && (s.recipients.is_empty()
                            || p.recipients.is_empty()
                            || p.recipients.iter().any(|r| s.recipients.contains(r)))
                        // A promise against training models on it (`不会将该内容用于模型训练`) is
                        // only like one that names that purpose.
                        && (!s.purposes.contains("ai_training")
                            || p.purposes.contains("ai_training"))
                        // A promise kept once users act (`当您收回同意后，我们将不再处理…`) is
                        // only like one kept on the same act.
                        && (s.controls.is_empty()
                            || p.controls.iter().any(|c| s.controls.contains(c)))
                })
            })
        })
    }
}

/// What a clause lets users control, keyed by what it is about: a table row by its first cell
/// (the permission `相机` can be switched off), a clause by its kinds of data, else the control
/// alone. A control lost for one permission is lost even when another can still be switched off.
fn control_keys(clause: &Clause) -> Vec<String> {
    let s = &clause.statement;
    let about: Vec<String> = match clause.text.split_once(" | ") {
        // A row is about what its first cell names; a long cell names it in its first line
        // (`To develop new services` above its examples), and its examples may change.
        Some((first, _)) => vec![editorial_key(first.lines().next().unwrap_or(first))],
        None if !s.data.is_empty() => s.data.iter().cloned().collect(),
        None => vec![String::new()],
    };
    let row = clause.text.contains(" | ");
    let tools = s
        .channels
        .iter()
        .filter_map(|ch| opt_out_tool(ch, &clause.text))
        .map(|host| format!("opt_out@tool:{host}"));
    s.controls
        .iter()
        .flat_map(|c| {
            // Rights over one's information as a whole (access, correct, delete, withdraw, close
            // the account, complain) are not tied to the data a prose clause happens to name.
            let per_data = row || matches!(c.as_str(), "switch_off" | "opt_out");
            let about: Vec<&str> =
                if per_data { about.iter().map(String::as_str).collect() } else { vec![""] };
            about.into_iter().map(move |a| format!("{c}@{a}"))
        })
        .chain(tools)
        .collect()
}

/// The host of an opt-out tool a clause links to (`[NAI unsubscription platform](http://optout.
/// networkadvertising.org/?c=1)`, `youronlinechoices.com/uk/your-ad-choices`,
/// `example.com/privacy/ads-opt-out`): a page where users object to advertising or other
/// processing of their information (GDPR art. 21(2)-(3); CCPA § 1798.120), one way out per
/// industry body or operator. The words `opt out` must stand whole in the host's first label or
/// the path (not in a query, a fragment or another word: `petadoptoutreach.org`), and the clause
/// or the address must be about personal information, advertising, marketing, cookies, tracking
/// or privacy, by whole words (an arbitration opt-out form `For more information` names is a
/// contract term). A code of conduct or a principles page of the same body is none.
fn opt_out_tool<'c>(channel: &'c str, clause: &str) -> Option<&'c str> {
    /// Words that make a clause or an address about personal information, advertising or
    /// privacy, whole (`ads`, not `uploads`) or as the start of a word (`advertis…`).
    const WHOLE: [&str; 16] = [
        "ads",
        "privacy",
        "personal",
        "sale",
        "sell",
        "selling",
        "pi",
        "pii",
        "marketing",
        "track",
        "tracking",
        "tracked",
        "personalised",
        "personalized",
        "personalisation",
        "personalization",
    ];
    const STARTS: [&str; 2] = ["advertis", "cookie"];
    const CJK: [&str; 4] = ["广告", "个性化", "个人信息", "营销"];
    let url = channel.strip_prefix("url:")?;
    let host_end = url.find(['/', '?', '#']).unwrap_or(url.len());
    let host = &url[..host_end];
    let path = url[host_end..].split(['?', '#']).next().unwrap_or("");
    let words: Vec<&str> =
        path.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let named = host.split('.').next() == Some("optout")
        || words.contains(&"optout")
        || words.windows(2).any(|w| w == ["opt", "out"]);
    let industry = host.starts_with("youronlinechoices.")
        || (host == "aboutads.info" && path.starts_with("/choices"));
    if industry {
        return Some(host);
    }
    if !named {
        return None;
    }
    // Read only for an address that names a way out: every clause's links pass through here.
    let clause = clause.to_lowercase();
    let about = clause
        .split(|c: char| !c.is_alphanumeric())
        .chain(url.split(|c: char| !c.is_ascii_alphanumeric()))
        .any(|w| WHOLE.contains(&w) || STARTS.iter().any(|s| w.starts_with(s)))
        || CJK.iter().any(|w| clause.contains(w));
    about.then_some(host)
}

/// Whether a control key is an opt-out tool's ([`opt_out_tool`]).
fn is_tool(key: &str) -> bool {
    key.contains("@tool:")
}

/// The controls lost, net of opt-out tools moved: when `added()` tools on hosts the old version
/// did not link to stand in their place (a new host for the same platform, or another tool),
/// no tool is lost unless more were dropped than added. `added` is counted only when a tool
/// was dropped.
fn net_of_moved_tools(lost: Vec<&String>, added: impl FnOnce() -> usize) -> Vec<&String> {
    let tools_lost = lost.iter().filter(|c| is_tool(c)).count();
    if tools_lost == 0 || tools_lost > added() {
        return lost;
    }
    lost.into_iter().filter(|c| !is_tool(c)).collect()
}

/// How many of `keys` are opt-out tools on hosts the old version did not link to.
fn tools_new_to<'k>(keys: impl Iterator<Item = &'k String>, old: &Index) -> usize {
    keys.filter(|k| is_tool(k) && !old.controls.contains(*k)).count()
}

/// Whether an opt-out tool of clause `o` is still written out in the new version's text without
/// a link (`use the NAI tool at optout.networkadvertising.org`, `visit example.com/opt-out`):
/// its address as the old version linked it, or the host alone when the host is the tool (an
/// `optout.` host; an operator's own host is given for much else).
fn tool_still_written(key: &str, o: &Clause, sides: &Sides<'_>) -> bool {
    let Some((_, host)) = key.split_once("@tool:") else {
        return false;
    };
    let text = &sides.new_index.text;
    (host.starts_with("optout.") && text.contains(host))
        || o.statement
            .channels
            .iter()
            .filter_map(|ch| ch.strip_prefix("url:"))
            .filter(|url| url.starts_with(host))
            .any(|url| text.contains(url))
}

/// A control key as words: the control and what it is about (an opt-out tool by its host).
fn control_word(key: &str, s: &Statement) -> String {
    let (control, about) = key.split_once('@').unwrap_or((key, ""));
    if let Some(host) = about.strip_prefix("tool:") {
        return host.to_string();
    }
    let control = s.word(control).to_string();
    if about.is_empty() { control } else { format!("{control} ({about})") }
}

/// The clause pairs of a change: (old, new), either side absent for a removed or added clause.
fn align<'a>(
    old: &'a [Clause],
    new: &'a [Clause],
) -> Vec<(Option<&'a Clause>, Option<&'a Clause>)> {
    let okeys: Vec<String> = old.iter().map(|c| editorial_key(&c.text)).collect();
    let nkeys: Vec<String> = new.iter().map(|c| editorial_key(&c.text)).collect();
    let mut used_old = vec![false; old.len()];
    let mut used_new = vec![false; new.len()];
    // Equal clauses say the same: they drop out.
    for (j, nk) in nkeys.iter().enumerate() {
        if let Some(i) = (0..old.len()).find(|&i| !used_old[i] && okeys[i] == *nk) {
            used_old[i] = true;
            used_new[j] = true;
        }
    }
    let mut out = Vec::new();
    // Edited clauses pair by similarity, best first.
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, ok) in okeys.iter().enumerate().filter(|(i, _)| !used_old[*i]) {
        for (j, nk) in nkeys.iter().enumerate().filter(|(j, _)| !used_new[*j]) {
            let sim = crate::diff::similarity(ok, nk);
            if sim >= 0.4 {
                candidates.push((sim, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in candidates {
        if !used_old[i] && !used_new[j] {
            used_old[i] = true;
            used_new[j] = true;
            out.push((Some(&old[i]), Some(&new[j])));
        }
    }
    for (i, c) in old.iter().enumerate() {
        if !used_old[i] {
            out.push((Some(c), None));
        }
    }
    for (j, c) in new.iter().enumerate() {
        if !used_new[j] {
            out.push((None, Some(c)));
        }
    }
    out
}

fn delta(kind: DeltaKind, clause: &Clause, side: &'static str) -> Delta {
    Delta {
        kind,
        clause: clause.text.clone(),
        side,
        actions: clause.statement.actions.clone(),
        data: BTreeSet::new(),
        recipients: BTreeSet::new(),
        purposes: BTreeSet::new(),
        words: Vec::new(),
        written: clause.statement.words.clone(),
    }
}

/// The two versions' statements and indexes, computed once per comparison.
pub struct Sides<'a> {
    /// The old version's clauses.
    pub old: &'a DocumentStatements,
    /// The new version's clauses.
    pub new: &'a DocumentStatements,
    /// What the old version says as a whole.
    pub old_index: &'a Index,
    /// What the new version says as a whole.
    pub new_index: &'a Index,
    /// For each old section, the new section it was paired with.
    pub old_to_new: &'a [Option<usize>],
}

/// What `change` does to the statements.
pub fn deltas(change: &Change, sides: &Sides<'_>) -> Vec<Delta> {
    let old = block_clauses(sides.old, change.old_section, change.old_block);
    let new = block_clauses(sides.new, change.new_section, change.new_block);
    let mut out = Vec::new();
    channel_deltas(old, new, sides, &mut out);
    region_deltas(change, sides, &mut out);
    let editorial = change.evidence.is_some();
    if editorial
        || matches!(
            change.kind,
            ChangeKind::BlockMoved
                | ChangeKind::SectionMoved
                | ChangeKind::RowsReordered
                | ChangeKind::SectionRenumbered
                | ChangeKind::MetadataModified
                | ChangeKind::FormattingModified
        )
    {
        return out;
    }
    for (o, n) in align(old, new) {
        match (o, n) {
            (None, Some(n)) if sides.old_index.restates(n) => {}
            (None, Some(n)) => added(None, n, sides, &mut out),
            (Some(o), None) => removed(o, sides, &mut out),
            (Some(o), Some(n)) => {
                let mut here = Vec::new();
                edited(o, n, sides, &mut here);
                added(Some(o), n, sides, &mut here);
                // A legal limit dropped from the clause is one finding, whether the clause or
                // the whole old version shows it.
                let mut limit_seen = false;
                here.retain(|d| {
                    d.kind != DeltaKind::LimitRemoved || !std::mem::replace(&mut limit_seen, true)
                });
                out.append(&mut here);
                removed_parts(o, n, sides, &mut out);
            }
            (None, None) => {}
        }
    }
    out
}

/// The clauses of a change's block on one side (none for a heading or a missing side).
fn block_clauses(st: &DocumentStatements, s: Option<usize>, b: Option<usize>) -> &[Clause] {
    match (s, b) {
        (Some(s), Some(b)) => st.of_block(s, b),
        _ => &[],
    }
}

/// Words of a clause about reaching the operator: a web address in such a clause is a contact
/// channel (a form, a complaint page); elsewhere it is a link.
const CONTACT_WORDS: [&str; 32] = [
    "联系",
    "投诉",
    "举报",
    "客服",
    "邮箱",
    "电话",
    "反馈",
    "申诉",
    "个人信息保护负责人",
    "数据保护官",
    "contact",
    "complain",
    "complaint",
    "e-mail",
    "email",
    "call",
    "reach us",
    "write to",
    "questions",
    "data protection officer",
    "dpo",
    "request",
    "customer service",
    "support",
    "inquiry",
    "inquiries",
    "enquiry",
    "enquiries",
    "kontakt",
    "anfrage",
    "datenschutzbeauftragte",
    "délégué à la protection",
];

/// A channel as the place a reader gets to: an e-mail address or phone number as written, a
/// postal address whatever its case, a web address by its site
/// (`support.example.com/contact?tags=x` and `support.example.com/request` are the operator's
/// one support site; a help page that moved on it is the same channel). A form is keyed by its
/// host instead: see [`form_key`].
fn channel_key(channel: &str) -> String {
    if channel.starts_with("post:") {
        return channel.to_lowercase();
    }
    match channel.strip_prefix("url:") {
        Some(url) => {
            let host = url.split(['/', '?', '#']).next().unwrap_or(url);
            let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
            // The registrable domain: the last two labels, three under a two-letter country code
            // with a generic second level (example.com.cn, example.co.uk).
            let keep = match labels.as_slice() {
                [.., second, last]
                    if last.len() == 2
                        && matches!(
                            *second,
                            "com" | "co" | "org" | "net" | "gov" | "edu" | "ac"
                        ) =>
                {
                    3
                }
                _ => 2,
            };
            format!("url:{}", labels[labels.len().saturating_sub(keep)..].join("."))
        }
        None => channel.to_string(),
    }
}

/// Whether a clause offers a form to fill in (`contact form`, `request form`, `our online
/// form`, `Anfrageformular`, `formulaire`, `表单`). A form in the sense of a shape (`in any
/// form`, `in electronic form`, `in schriftlicher Form`, `in the form of`) is none.
fn names_form(text: &str) -> bool {
    const FORMS: [&str; 5] = ["formular", "formulaire", "formulario", "formulier", "表单"];
    /// Words before `form` that make it one to fill in.
    // (Not `a` / `the`: `in a form that is structured`, `in the form set out in Annex 1`.)
    const BEFORE: [&str; 16] = [
        "contact",
        "request",
        "requests",
        "web",
        "online",
        "our",
        "specific",
        "dedicated",
        "feedback",
        "complaint",
        "support",
        "inquiry",
        "enquiry",
        "privacy",
        "submission",
        "opt-out",
    ];
    if FORMS.iter().any(|w| text.contains(w)) || text.contains("webform") {
        return true;
    }
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(3)
        .any(|w| matches!(w[1], "form" | "forms") && BEFORE.contains(&w[0]) && w[2] != "of")
        || words.ends_with(&["form"])
            && words.len() >= 2
            && BEFORE.contains(&words[words.len() - 2])
}

/// Whether the form at `form` (a [`form_key`]) in a clause's `text` ([`match_text`] form) is a
/// supervisory authority's (`lodge a complaint with the Information Commissioner's Office using
/// its online form at …`): an authority is named before its address. One named after it (`use
/// our online form at … or lodge a complaint with your supervisory authority`, `在…主管部门规定的
/// 期限内答复`) leaves the form the operator's.
///
/// [`match_text`]: crate::normalize::match_text
fn regulators_form(text: &str, form: &str) -> bool {
    let host = form.strip_prefix("form:").unwrap_or(form);
    let at = text.find(host).unwrap_or(text.len());
    // `Before contacting a supervisory authority, please contact us using our online form`:
    // the operator speaking of itself after the authority's name makes the form its own.
    regulator_at(&text[..at]).is_some_and(|r| {
        let after = &text[r..at];
        !["our ", " us ", " us,", "我们"].iter().any(|w| after.contains(w))
    })
}

/// Where a text last names a supervisory authority: a Latin word whole (`regulator`, not
/// `regulatory`).
fn regulator_at(text: &str) -> Option<usize> {
    const REGULATORS: [&str; 13] = [
        "supervisory authorit",
        "data protection authorit",
        "commissioner",
        "regulator",
        "cnil",
        "aufsichtsbehörde",
        "datenschutzbehörde",
        "autorité de contrôle",
        "autorité de protection",
        "监管部门",
        "监管机构",
        "网信部门",
        "主管部门",
    ];
    REGULATORS
        .iter()
        .flat_map(|w| {
            text.match_indices(w).filter(move |(at, _)| {
                // `supervisory authorit…` and `data protection authorit…` end inside a word.
                let end = at + w.len();
                w.ends_with("authorit")
                    || !w.is_ascii()
                    || !text[end..].starts_with(|c: char| c.is_alphanumeric())
            })
        })
        .map(|(at, _)| at)
        .max()
}

/// A form's web address by its host, as a channel of its own kind (`form:`): a form moved to
/// another host (a ticketing service, the customer area: `formulaires.services.example.fr/1770`
/// → `espace-client.example.fr/demande-donnees`) is another way in, one moved on the same host
/// is the same support site (`support.example.com/contact` → `support.example.com/request`).
/// A form is not a web page to read: a web form dropped for an e-mail address the policy already
/// gave (`submit a request via our website Contact form` → `by emailing support@…`) leaves users
/// without a form even where other web addresses remain.
fn form_key(channel: &str) -> String {
    let url = channel.strip_prefix("url:").unwrap_or(channel);
    format!("form:{}", url.split(['/', '?', '#']).next().unwrap_or(url))
}

/// The site of a channel keyed by [`channel_key`] or [`form_key`]: a form's host as a web
/// address of its registrable domain, any other channel as it is.
fn site_key(channel: &str) -> String {
    match channel.strip_prefix("form:") {
        Some(host) => channel_key(&format!("url:{host}")),
        None => channel_key(channel),
    }
}

/// The matching text of a clause about contacting the operator (only then is a web address in
/// it a channel); none for any other clause.
fn contact_text(c: &Clause) -> Option<String> {
    // Only a clause with a web address needs its wording read.
    if !c.statement.channels.iter().any(|ch| ch.starts_with("url:")) {
        return None;
    }
    let text = crate::normalize::match_text(&c.text);
    // A page of answers (`See our Help Centre FAQ for common questions`) is no way to reach
    // the operator unless the clause also names one.
    let answers = ["faq", "answers to", "common questions"].iter().any(|w| text.contains(w))
        && !names_contact_route(&text);
    (!answers && CONTACT_WORDS.iter().any(|w| text.contains(w))).then_some(text)
}

/// The hosts of web addresses that clauses about contacting the operator offer as a form, in
/// either version: every address on such a host is keyed the same way on both sides, whatever
/// the words beside it became (`our specific form` → `this link`) and whichever of its pages
/// the form is.
fn forms<'c>(clauses: impl Iterator<Item = &'c Clause>) -> HashSet<String> {
    form_clauses(clauses)
        .flat_map(|(c, text)| {
            c.statement
                .channels
                .iter()
                .filter(|ch| ch.starts_with("url:"))
                .map(|ch| form_key(ch))
                .filter(move |form| !regulators_form(&text, form))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The clauses about contacting the operator that offer a form, each with its matching text
/// ([`contact_text`]).
fn form_clauses<'c>(
    clauses: impl Iterator<Item = &'c Clause>,
) -> impl Iterator<Item = (&'c Clause, String)> {
    clauses.filter_map(|c| contact_text(c).filter(|text| names_form(text)).map(|text| (c, text)))
}

/// The channels of a clause that are contact channels, by [`channel_key`]: every e-mail address
/// and phone number, and web sites named in a clause about contacting the operator (by the
/// host, [`form_key`], when either version offers an address on that host as a form).
fn contact_channels<'c>(
    c: &'c Clause,
    forms: &'c HashSet<String>,
) -> impl Iterator<Item = String> + 'c {
    let contact = contact_text(c).is_some();
    c.statement.channels.iter().filter(move |ch| contact || !ch.starts_with("url:")).map(
        move |ch| {
            let host = form_key(ch);
            if ch.starts_with("url:") && forms.contains(&host) { host } else { channel_key(ch) }
        },
    )
}

/// Contact channels the change removes from, or adds to, the policy as a whole. A channel
/// removed is a way to reach the operator lost unless the policy still offers one of the same
/// kind: a postal address dropped beside a web form and a phone line leaves letter writers
/// without an address; one that gives way to a channel the policy did not have before is
/// replaced.
fn channel_deltas(old: &[Clause], new: &[Clause], sides: &Sides<'_>, out: &mut Vec<Delta>) {
    // A change whose clauses name no channel neither drops nor adds one: the whole-document
    // reading below is only for changes that do.
    if old.iter().chain(new).all(|c| c.statement.channels.is_empty()) {
        return;
    }
    let forms = forms(sides.old.clauses.iter().chain(sides.new.clauses.iter()));
    let forms = &forms;
    let in_new: HashSet<String> =
        sides.new.clauses.iter().flat_map(|c| contact_channels(c, forms)).collect();
    let in_old: HashSet<String> =
        sides.old.clauses.iter().flat_map(|c| contact_channels(c, forms)).collect();
    let gone: Vec<(&Clause, String)> = old
        .iter()
        .flat_map(|c| contact_channels(c, forms).map(move |ch| (c, ch)))
        .filter(|(_, ch)| !in_new.contains(ch))
        .collect();
    let mut came: Vec<(&Clause, String)> = new
        .iter()
        .flat_map(|c| contact_channels(c, forms).map(move |ch| (c, ch)))
        .filter(|(_, ch)| !in_old.contains(ch))
        .collect();
    // A form's page new to the policy on a site it already named (a link put on the words
    // `formulaire de contact`) adds no way in unless it takes the place of an old channel of
    // its kind (an e-mail address dropped beside it is no form replaced).
    let gone_kinds: HashSet<&str> = gone.iter().map(|(_, ch)| channel_kind(ch)).collect();
    let old_sites: HashSet<String> = in_old.iter().map(|ch| site_key(ch)).collect();
    came.retain(|(_, ch)| {
        gone_kinds.contains(channel_kind(ch)) || !old_sites.contains(&site_key(ch))
    });
    let word = |(_, ch): &(&Clause, String)| channel_word(ch);
    if let Some((clause, _)) = came.first() {
        // A channel the edited clauses drop for one new to the policy, of the same kind, is
        // replaced there even when the policy still names it elsewhere: whoever follows this
        // route (`contact the Data Protection Officer`) now reaches the new one.
        let here: HashSet<String> = new.iter().flat_map(|c| contact_channels(c, forms)).collect();
        let came_kinds: HashSet<&str> = came.iter().map(|(_, ch)| channel_kind(ch)).collect();
        let gone = if gone.is_empty() {
            old.iter()
                .filter(|c| names_contact_route(&crate::normalize::match_text(&c.text)))
                .flat_map(|c| contact_channels(c, forms).map(move |ch| (c, ch)))
                .filter(|(_, ch)| !here.contains(ch) && came_kinds.contains(channel_kind(ch)))
                .collect()
        } else {
            gone
        };
        let kind =
            if gone.is_empty() { DeltaKind::ChannelAdded } else { DeltaKind::ChannelReplaced };
        let mut d = delta(kind, clause, "new");
        let came: Vec<String> = came.iter().map(word).collect();
        let gone: Vec<String> = gone.iter().map(word).collect();
        d.words = if gone.is_empty() {
            came
        } else {
            vec![format!("{} → {}", gone.join(", "), came.join(", "))]
        };
        out.push(d);
    } else if !gone.is_empty() && !new.iter().any(|c| crate::normalize::has_template(&c.text)) {
        // The policy still offers a channel of the same kind (an e-mail address for an e-mail
        // address, a site for a site): a user who wrote there still reaches the operator. A
        // template placeholder in its place (`{{ site.data.variables.contact.report_abuse }}`)
        // is filled in when the policy is published: what it gives cannot be read here.
        // An address the page hides from harvesters (`[email protected]`, written by the
        // site's e-mail protection in place of the address) is there but cannot be read.
        let mut kinds: HashSet<&str> = in_new.iter().map(|ch| channel_kind(ch)).collect();
        let hidden = |t: &str| {
            t.split_whitespace().collect::<Vec<_>>().join(" ").contains("email protected")
        };
        if new.iter().any(|c| hidden(&c.text)) {
            kinds.insert("email");
        }
        // A channel of the same kind that the old version did not have, anywhere in the new one
        // (`209 S Stephanie Street` gone from one block, `P.O. Box 60989` added in another):
        // the channel was replaced.
        let mut fresh: Vec<&String> = in_new.iter().filter(|ch| !in_old.contains(*ch)).collect();
        fresh.sort();
        // Otherwise a channel is lost when no channel of its kind remains. A form is a web
        // channel of its own: a web page gone while a form remains leaves a way in; a form gone
        // leaves one only while another form remains, while the new version still gives the
        // form's own page, or when a contact clause gives a web address new to the policy on
        // the form's site (a help centre in the form's place).
        if kinds.contains("form") {
            kinds.insert("url");
        }
        // A form's own page (the address in a clause that offers it) still given in the new
        // version, in any clause (`To make a request, use our web form at …/dsar` → `To
        // exercise these rights, use the form at …/dsar`); another page of its host (`This
        // policy applies to https://www.example.com`) is no form.
        let old_form_pages: Vec<&String> = form_clauses(sides.old.clauses.iter())
            .flat_map(|(c, _)| c.statement.channels.iter())
            .filter(|ch| ch.starts_with("url:"))
            .collect();
        let new_pages: HashSet<&String> =
            sides.new.clauses.iter().flat_map(|c| c.statement.channels.iter()).collect();
        let old_pages: HashSet<&String> =
            sides.old.clauses.iter().flat_map(|c| c.statement.channels.iter()).collect();
        // A web address new to the policy, in a clause about contacting the operator, on the
        // form's site (`our online request form at privacy.example.com/dsar` → `our privacy
        // centre at privacycentre.example.com`), even where the site was named before.
        let new_contact_pages: Vec<&String> = sides
            .new
            .clauses
            .iter()
            .filter(|c| contact_text(c).is_some())
            .flat_map(|c| c.statement.channels.iter())
            .filter(|ch| ch.starts_with("url:") && !old_pages.contains(ch))
            .collect();
        let form_kept = |form: &str| {
            old_form_pages.iter().any(|p| form_key(p) == form && new_pages.contains(*p))
                || new_contact_pages.iter().any(|p| channel_key(p) == site_key(form))
        };
        let mut replaced: Vec<(&Clause, String)> = Vec::new();
        let mut lost: Vec<&(&Clause, String)> = Vec::new();
        for gone_channel @ (clause, ch) in &gone {
            match fresh.iter().find(|f| channel_kind(f) == channel_kind(ch)) {
                Some(to) => {
                    replaced.push((*clause, format!("{} → {}", channel_word(ch), channel_word(to))))
                }
                None if channel_kind(ch) == "form" && form_kept(ch) => {}
                None if !kinds.contains(channel_kind(ch)) => lost.push(gone_channel),
                None => {}
            }
        }
        if let Some((clause, _)) = replaced.first() {
            let mut d = delta(DeltaKind::ChannelReplaced, clause, "old");
            d.words = replaced.into_iter().map(|(_, w)| w).collect();
            out.push(d);
        }
        if let Some((clause, _)) = lost.first() {
            let mut d = delta(DeltaKind::ChannelRemoved, clause, "old");
            d.words = lost.iter().map(|x| word(x)).collect();
            out.push(d);
        }
    }
}

/// A country or region dropped from a heading that says whom its section is for (`If you live
/// in the European Economic Area or Switzerland:` → `… Area:`, tinder 025→026 and 029→030),
/// over a section that gives contact channels: users there are no longer told to write to the
/// channels under it, a channel removed for them. Only when the heading lost words and gained
/// none (a region written in other words, `Canada` → `North America`, may be a wider
/// audience), and not when the section's text still names the region.
fn region_deltas(change: &Change, sides: &Sides<'_>, out: &mut Vec<Delta>) {
    if change.kind != ChangeKind::SectionRenamed {
        return;
    }
    let (Some(os), Some(old_heading), Some(new_heading)) =
        (change.old_section, change.old.as_deref(), change.new.as_deref())
    else {
        return;
    };
    let audience = |h: &str| {
        let h = h.to_lowercase();
        AUDIENCE_WORDS.iter().any(|w| h.contains(w))
    };
    if !audience(old_heading) || !audience(new_heading) {
        return;
    }
    let (before, after) =
        (super::extract::regions(old_heading), super::extract::regions(new_heading));
    // Only words taken out (`… Area or Switzerland:` → `… Area:`): a region written in other
    // words (`Canada` → `North America`) may be a wider audience the lexicon does not name.
    let old_words: HashSet<String> = word_tokens(old_heading).collect();
    if !after.is_subset(&before) || !word_tokens(new_heading).all(|w| old_words.contains(&w)) {
        return;
    }
    let dropped: Vec<&str> = before.difference(&after).copied().collect();
    let still_named = |region: &str| {
        sides
            .new
            .clauses
            .iter()
            .filter(|c| Some(c.section) == change.new_section)
            .any(|c| super::extract::regions(&c.text).contains(region))
    };
    if dropped.is_empty() || dropped.iter().all(|r| still_named(r)) {
        return;
    }
    let forms = forms(sides.old.clauses.iter().chain(sides.new.clauses.iter()));
    if let Some(anchor) = sides
        .old
        .clauses
        .iter()
        .filter(|c| c.section == os)
        .find(|c| contact_channels(c, &forms).next().is_some())
    {
        let mut d = delta(DeltaKind::ChannelRemoved, anchor, "old");
        d.words = vec![format!("{} → {}", old_heading.trim(), new_heading.trim())];
        out.push(d);
    }
}

/// Words of a heading that says whom its section is for (`If you live in …`, `Residents of …`).
const AUDIENCE_WORDS: [&str; 16] = [
    "live in",
    "located in",
    "reside",
    "resident",
    "users in",
    "users of",
    "users from",
    "if you are in",
    "vous résidez",
    "vous vivez",
    "wohnst",
    "wohnen",
    "ansässig",
    "居住",
    "地区用户",
    "境内用户",
];

/// The words of `text`, lower-cased: the redline tokens ([`crate::diff::tokens`]: Latin words
/// whole, CJK characters one by one) that are letters or digits.
fn word_tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    crate::diff::tokens(text)
        .into_iter()
        .filter(|t| t.starts_with(char::is_alphanumeric))
        .map(str::to_lowercase)
}

/// Whether a clause names a way to reach the operator (`contact`, `Data Protection Officer`,
/// `write to`, `联系`, `投诉`, `kontaktieren`, `contacter`), not only a page it links to (`Our
/// FAQ answers common questions`). `text` is the clause's matching text
/// ([`match_text`](crate::normalize::match_text)), which [`contact_text`] has already made.
fn names_contact_route(text: &str) -> bool {
    const ROUTES: [&str; 21] = [
        "submit your request",
        "submit a request",
        "send it to",
        "send your request",
        "email us",
        "e-mail us",
        "提交",
        "contact",
        "data protection officer",
        "dpo",
        "write to",
        "reach us",
        "complain",
        "联系",
        "投诉",
        "举报",
        "kontakt",
        "datenschutzbeauftragt",
        "écrire",
        "délégué",
        "réclamation",
    ];
    ROUTES.iter().any(|r| text.contains(r))
}

/// The kind of a channel: `email`, `phone`, `post`, `url` or `form`.
fn channel_kind(channel: &str) -> &str {
    channel.split_once(':').map_or(channel, |(kind, _)| kind)
}

fn channel_word(channel: &str) -> String {
    channel.split_once(':').map_or(channel, |(_, v)| v).to_string()
}

/// Broadenings an added (or edited) clause brings, judged against the old version as a whole;
/// a new promise narrows.
fn added(paired: Option<&Clause>, n: &Clause, sides: &Sides<'_>, out: &mut Vec<Delta>) {
    let s = &n.statement;
    sdk_record(n, sides, out);
    listed_recipient(n, sides, out);
    // A list of data or purposes that was closed and is now open (`only to support Find My` →
    // `only to support services such as Find My`), in a practice or in a list item under one.
    // A list the old block already left open in another clause (split differently) was not
    // closed.
    if let Some(o) = paired
        && s.open
        && s.polarity == Polarity::Affirm
        && !sides.old.of_block(o.section, o.block).iter().any(|c| c.statement.open)
        && (!s.data.is_empty() || !s.purposes.is_empty())
    {
        let mut d = delta(DeltaKind::Opened, n, "new");
        d.data = s.data.clone();
        d.purposes = s.purposes.clone();
        out.push(d);
    }
    let old = sides.old_index;
    if paired.is_none()
        && !s.is_practice()
        && s.polarity == Polarity::Affirm
        && let Some(lead) = lead_in(sides.new, n)
        && lead.statement.waives_consent
    {
        // A new case in a list of cases in which information is processed without consent
        // (`以下情形中…无需征得您的授权同意：` … `12、为开展商业推广活动所必需的；`).
        let mut d = delta(DeltaKind::ConditionRemoved, n, "new");
        d.actions = lead.statement.actions.clone();
        d.data = lead.statement.data.clone();
        d.words = vec![list_item_text(&n.text).to_string()];
        out.push(d);
        return;
    }
    if !s.is_practice() && s.polarity == Polarity::Affirm && !s.purposes.is_empty() {
        // A way out of a practice the old version never states (`To opt out of cookies that
        // deliver targeted advertising via ad groups we work with, …`; wolfram 015→016)
        // discloses that practice: its purpose is new.
        let facts = [&old.free, &old.consented, &old.by_law];
        let new_purposes: BTreeSet<String> = s
            .purposes
            .iter()
            .filter(|p| !facts.iter().any(|f| f.purposes.contains(*p)))
            .cloned()
            .collect();
        if !new_purposes.is_empty() && !s.controls.is_empty() {
            let mut d = delta(DeltaKind::NewPurpose, n, "new");
            d.words = new_purposes.iter().map(|p| s.word(p).to_string()).collect();
            d.purposes = new_purposes;
            d.data = s.data.clone();
            out.push(d);
        }
    }
    if !s.is_practice() {
        // A short item naming data with no practice word of its own (`12、月经周期、基础体温；`
        // in a list under "we collect") adds the kinds of data it names, and so does an edited
        // row of a table introduced as a table of data (`Les données personnelles collectées …
        // sont regroupées sous les catégories suivantes :`; orange 012→013: `Etat civil` →
        // `Civilité, date et lieu de naissance`), beyond what its old version named. A row
        // whose cells say `No` and never `Yes` (a category not collected) adds none. A row
        // added to a table is read as any other clause: GitHub adds a table of the sensitive
        // categories it "may" collect (privacy-statement 038→039) and labels the change not
        // material.
        let row = n.text.contains(" | ") && table_lead(sides.new, n).is_some();
        let cells: Vec<String> = if row {
            n.text.split(" | ").skip(1).map(|c| c.trim().to_lowercase()).collect()
        } else {
            Vec::new()
        };
        let says_no = cells
            .iter()
            .any(|c| matches!(c.as_str(), "no" | "no." | "否" | "non" | "nein" | "none" | "n/a"))
            && !cells.iter().any(|c| matches!(c.as_str(), "yes" | "yes." | "是" | "oui" | "ja"));
        // A definition's examples (`(3) 个人财产信息(包括…虚拟币…)`) name what a word means,
        // not what is processed.
        let defines = sides.new.definitions.contains(&n.section);
        if s.polarity == Polarity::Affirm
            && !s.data.is_empty()
            && !says_no
            && !defines
            && (without_asides(&n.text).chars().count() <= 60 || (paired.is_some() && row))
        {
            let mut before = Facts::default();
            if row && let Some(o) = paired {
                before.mention(&o.statement);
            }
            // In an edited row only the words the edit brings can name new data (`Face
            // Geometry Data` → `Face Data` names nothing new, though only the new wording is a
            // term the lexicon knows).
            let brought: Option<HashSet<String>> = paired.filter(|_| row).map(|o| {
                let was: HashSet<String> = word_tokens(&o.text).collect();
                word_tokens(&n.text).filter(|w| !was.contains(w)).collect()
            });
            out.extend(
                novelty(s, n, &[&old.free, &old.consented, &old.by_law, &before], old)
                    .into_iter()
                    .filter(|d| d.kind == DeltaKind::NewData)
                    .filter(|d| {
                        brought.as_ref().is_none_or(|b| {
                            d.words.iter().flat_map(|w| word_tokens(w)).any(|t| b.contains(&t))
                        })
                    }),
            );
        }
        return;
    }
    if s.polarity == Polarity::Negate {
        // A promise added beside one the old version already makes restates or narrows it;
        // either way it never widens what the policy allows. An edited promise is no new one.
        let already = paired.is_some_and(|o| o.statement.polarity == Polarity::Negate);
        if !already {
            let mut d = delta(DeltaKind::PromiseAdded, n, "new");
            d.data = s.data.clone();
            d.recipients = s.recipients.clone();
            out.push(d);
        }
        return;
    }
    // Under a condition that takes the data out of personal information, nothing new is
    // disclosed; de-identified data are still personal information.
    if s.conditions.contains("anonymised") && !only_deidentified(&n.text) {
        return;
    }
    let loose = novelty(s, n, &[&old.free, &old.consented, &old.by_law], old);
    // A practice the old version allowed only with consent, or only as the law requires, now
    // stated without that condition: consent removed when the old version's consented
    // practices cover it (consent wins over a twin stated as the law requires), else a legal
    // limit removed. What the user chooses to do (`if you choose to disclose … in a public
    // area`) needs no consent of the user's own.
    if !conditioned(s) && loose.is_empty() && !users_own_act(&n.text) {
        let strict = novelty(s, n, &[&old.free], old);
        let kind = if novelty(s, n, &[&old.free, &old.consented], old).is_empty() {
            DeltaKind::ConditionRemoved
        } else {
            DeltaKind::LimitRemoved
        };
        let limit_kept = kind == DeltaKind::LimitRemoved && block_states_limit(sides, n);
        if let Some(first) = strict.first().filter(|_| !limit_kept) {
            let mut d = delta(kind, n, "new");
            d.data = first.data.clone();
            d.recipients = first.recipients.clone();
            d.words = first.words.clone();
            out.push(d);
        }
    }
    out.extend(loose);
}

/// A text without its bracketed asides (`Ihre religiös begründete Ernährungsweise (z. B. halal
/// oder koscher)` → `Ihre religiös begründete Ernährungsweise`): how long an item is, apart
/// from its examples.
fn without_asides(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A party named at the start of a list item under a lead-in that gives information away (`We
/// share your information only with the service providers listed below:` … `Zendesk, which
/// provides our customer support tools.`) receives that information: a name the old version
/// never writes is a new recipient, of the lead-in's data and the item's.
fn listed_recipient(n: &Clause, sides: &Sides<'_>, out: &mut Vec<Delta>) {
    let Some(lead) = item_lead(sides.new, n) else { return };
    let ls = &lead.statement;
    if ls.polarity != Polarity::Affirm || !ls.actions.iter().any(|a| is_transfer(a)) {
        return;
    }
    let item = list_item_text(&n.text);
    // `Canada: Digital Advertising Alliance of Canada` labels an item; it names no party.
    if item.contains([':', '：']) {
        return;
    }
    let end = item
        .find([',', '(', ';', '，', '（', '；', '、'])
        .or_else(|| item.find(" – ").or_else(|| item.find(" - ")).or_else(|| item.find(" — ")))
        .unwrap_or(item.len());
    let name = item[..end]
        .trim()
        .trim_end_matches(['.', '。'])
        .trim_matches(['(', ')', '（', '）', '[', ']']);
    // A name capitalises every word but its joiners (`Amazon Web Services`, `Hetzner Online
    // GmbH`); `Service providers` is a kind of recipient, which the lexicon reads.
    let capitalised = name.split_whitespace().all(|w| {
        w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || matches!(w, "&" | "and" | "of" | "de" | "du" | "und" | "von")
    });
    if name.is_empty()
        || name.chars().count() > 50
        || name.split_whitespace().count() > 5
        || !(capitalised || name.contains("公司"))
        || n.statement.polarity == Polarity::Negate
        || !n.statement.recipients.is_empty()
        || sides.old_index.text.contains(&crate::normalize::match_text(name))
    {
        return;
    }
    let mut d = delta(DeltaKind::NewRecipient, n, "new");
    d.words = vec![name.to_string()];
    d.recipients = [format!("org:{name}")].into();
    d.data = ls.data.union(&n.statement.data).cloned().collect();
    d.purposes = n.statement.purposes.clone();
    out.push(d);
}

/// The paragraph ending in a colon that introduces the list item `item` (a bullet or a
/// number): the nearest block before it in its section, past the other short items.
fn item_lead<'a>(st: &'a DocumentStatements, item: &Clause) -> Option<&'a Clause> {
    for b in (item.block.saturating_sub(30)..item.block).rev() {
        let clauses = st.of_block(item.section, b);
        let last = clauses.last()?;
        if last.text.trim_end().ends_with([':', '：']) {
            return Some(last);
        }
        if clauses.len() > 2 || clauses.iter().map(|c| c.text.len()).sum::<usize>() > 300 {
            return None;
        }
    }
    None
}

/// Whether every sentence or list item of clause `n` occurs in the old version's text: list
/// items re-flowed into one clause, or sentences joined, say what the old version said, so the
/// kinds of information and the purposes they now stand beside are no new pairing.
fn restates(n: &Clause, old: &Index) -> bool {
    let forms = Forms::of(&n.text);
    let mut pieces = forms
        .text
        .split(['*', '•', '。', ';', '；'])
        .flat_map(|p| p.split(". "))
        .map(str::trim)
        .filter(|p| p.chars().count() >= 12)
        .peekable();
    pieces.peek().is_some() && pieces.all(|p| old.text.contains(p))
}

/// Whether the clause right after new clause `n` in its block states a legal limit on its own
/// (`…, but only as required by law.`, `We do so only as required by law.`): the limit still
/// bounds `n`. The legal-basis cell of a table row further on names a basis, not a limit.
fn block_states_limit(sides: &Sides<'_>, n: &Clause) -> bool {
    sides
        .new
        .of_block(n.section, n.block)
        .iter()
        .filter(|c| c.span.0 >= n.span.1)
        .min_by_key(|c| c.span.0)
        // The next sentence of the same paragraph (one space between), not the next cell
        // (` | `) or line of a row.
        .is_some_and(|c| {
            !c.statement.is_practice()
                && c.statement.conditions.contains("legal")
                && c.span.0 - n.span.1 <= 1
        })
}

/// Whether a clause's only word of anonymisation is de-identification (`去标识化的健康数据`,
/// `de-identified health data`, `pseudonymised`): such data can still be linked to a person,
/// so they remain personal information (PIPL art. 73(3)-(4); GDPR recital 26) and their
/// processing is judged as any other.
fn only_deidentified(text: &str) -> bool {
    let text = text.to_lowercase();
    let deidentified = ["去标识", "假名化", "pseudonym", "de-identif", "deidentif"];
    let anonymised = [
        "匿名",
        "汇总",
        "无法识别",
        "不能识别",
        "不会识别",
        "无法复原",
        "身份识别信息",
        "anonym",
        "aggregat",
        "not identify",
        "cannot identify",
        "non-identifiable",
        "agrég",
    ];
    deidentified.iter().any(|w| text.contains(w)) && !anonymised.iter().any(|w| text.contains(w))
}

/// Whether a clause says what the user does with information of their own: `if you choose to
/// disclose … in a public area`, `information that you post`, `您主动公开的信息`. A passive
/// sentence (`your contacts are shared with advertisers`) or one whose subject is the operator
/// is no act of the user's, whoever the clause mentions first.
fn users_own_act(text: &str) -> bool {
    const ACTS: [&str; 14] = [
        "you choose to disclose",
        "you choose to share",
        "you choose to post",
        "you choose to make",
        "you disclose",
        "you post",
        "you publish",
        "you make public",
        "you voluntarily",
        "您主动公开",
        "您自行公开",
        "您主动分享",
        "您自行分享",
        "您选择公开",
    ];
    let lower = text.to_lowercase();
    ACTS.iter().any(|a| lower.contains(a))
}

/// Purposes beyond providing the service a user asked for (GDPR art. 6(4): further processing
/// must be compatible with the purpose of collection): an example that states one states it
/// as new.
const SECONDARY_PURPOSES: [&str; 4] = ["ai_training", "advertising", "marketing", "research"];

/// What a clause that opens with an example marker (`For example, …`, `例如…`) says after the
/// marker, in its [`match_text`](crate::normalize::match_text) form; `None` for any other
/// clause.
fn after_example_marker(c: &Clause) -> Option<String> {
    let t = crate::normalize::match_text(&c.text);
    ["for example", "for instance", "e.g.", "例如", "比如", "举例"]
        .iter()
        .find_map(|w| t.trim_start().strip_prefix(w))
        .map(str::to_string)
}

/// Whether a clause is an illustration (`For example, when you fill out a survey …`, `例如…`):
/// it shows a stated practice at work and, unless it affirms a practice itself, states no
/// purpose of its own.
fn illustrates(c: &Clause) -> bool {
    after_example_marker(c).is_some()
}

/// Whether an illustration goes on with our practice right after its marker (`For example, we
/// may collect …`, `例如，我们会收集…`), not with a scene (`For example, when you …`): the rest
/// of [`after_example_marker`].
fn states_our_practice(rest: &str) -> bool {
    let rest = rest.trim_start_matches([',', '，', ':', '：', ' ']);
    ["we ", "我们"].iter().any(|w| rest.starts_with(w))
}

/// What a clause of an SDK record written as prose adds: a record the old version did not have
/// is a new recipient (its header clause says so once, with the purposes the record states); an
/// existing record that now names data it did not is data given to that SDK.
fn sdk_record(n: &Clause, sides: &Sides<'_>, out: &mut Vec<Delta>) {
    let Some((key, record)) = sides.new_index.record(n) else { return };
    let recipients: BTreeSet<String> = ["sdk".to_string()].into();
    match sides.old_index.records.get(key) {
        None if record_name(&n.text).is_some() => {
            let mut d = delta(DeltaKind::NewRecipient, n, "new");
            d.words = vec![record.name.clone()];
            d.recipients = recipients;
            d.purposes = record.purposes.clone();
            d.data = record.data.iter().filter(|x| !x.contains('/')).cloned().collect();
            out.push(d);
        }
        None => {}
        Some(old) => {
            if n.statement.polarity != Polarity::Affirm {
                return;
            }
            // A purpose the record did not state: the SDK now uses what it receives for more.
            let purposes: BTreeSet<String> = n
                .statement
                .purposes
                .iter()
                .filter(|p| !old.purposes.contains(*p))
                .cloned()
                .collect();
            if !purposes.is_empty() && !illustrates(n) {
                let mut d = delta(DeltaKind::NewPurpose, n, "new");
                d.words = purposes.iter().map(|p| n.statement.word(p).to_string()).collect();
                d.words.push(record.name.clone());
                d.purposes = purposes;
                d.recipients = recipients.clone();
                d.data = record.data.iter().filter(|x| !x.contains('/')).cloned().collect();
                out.push(d);
            }
            let new: Vec<String> =
                record_data(&n.statement).filter(|x| !old.data.contains(x)).collect();
            let items: Vec<&String> = new.iter().filter(|x| x.contains('/')).collect();
            if new.is_empty() {
                return;
            }
            let mut d = delta(DeltaKind::NewSharing, n, "new");
            d.data = new.iter().map(|x| x.split('/').next().unwrap_or(x).to_string()).collect();
            d.words = if items.is_empty() {
                new.iter().map(|x| n.statement.word(x).to_string()).collect()
            } else {
                items
                    .iter()
                    .map(|x| x.split_once('/').map_or(x.as_str(), |(_, w)| w).to_string())
                    .collect()
            };
            d.words.push(record.name.clone());
            d.recipients = recipients;
            d.purposes = n.statement.purposes.clone();
            out.push(d);
        }
    }
}

/// Whether a place id names a country or region (`[destinations]` of the lexicon), not the
/// classes `abroad` and `domestic`.
fn is_named_place(place: &str) -> bool {
    !matches!(place, "abroad" | "domestic")
}

/// What an affirmed practice says that `facts` (of the old version) do not: new kinds of data,
/// recipients, data given to a recipient, purposes, places and kinds of practice.
fn novelty(s: &Statement, n: &Clause, facts: &[&Facts], old: &Index) -> Vec<Delta> {
    let mut out = Vec::new();
    let new_items: BTreeSet<String> = s
        .items
        .iter()
        .filter(|i| !i.starts_with("recipient/") && !facts.iter().any(|f| f.items.contains(*i)))
        .cloned()
        .collect();
    // Data found by pattern (`your licence plate number`) is of no kind the lexicon knows: it
    // is new when the old version never writes it.
    let unwritten: Vec<&str> = new_items
        .iter()
        .filter(|i| !old.writes_data(i))
        .filter_map(|i| i.strip_prefix("personal_info/"))
        .collect();
    let new_data: BTreeSet<String> = s
        .data
        .iter()
        .filter(|d| match d.as_str() {
            "personal_info" => !unwritten.is_empty(),
            "sensitive_info" => false,
            _ => {
                !facts.iter().any(|f| f.data.contains(*d))
                    || new_items.iter().any(|i| i.starts_with(&format!("{d}/")))
            }
        })
        .cloned()
        .collect();
    // A source the old version never obtained information from (`from data brokers`,
    // `从合作伙伴处获取`); a general word covers the parties it names.
    let new_sources: BTreeSet<String> = s
        .sources
        .iter()
        .filter(|src| {
            !facts.iter().any(|f| {
                f.sources.contains(*src)
                    || (COVERED_BY_GENERAL.contains(&src.as_str())
                        && (f.sources.contains("third_party") || f.sources.contains("partner")))
            })
        })
        .cloned()
        .collect();
    if !new_sources.is_empty() {
        let mut d = delta(DeltaKind::NewSource, n, "new");
        d.words = new_sources.iter().map(|x| s.word(&format!("source/{x}")).to_string()).collect();
        d.data = s.data.clone();
        out.push(d);
    }
    if !new_data.is_empty() {
        let mut d = delta(DeltaKind::NewData, n, "new");
        d.words = new_data
            .iter()
            .flat_map(|x| match x.as_str() {
                "personal_info" => unwritten.iter().map(|w| w.to_string()).collect(),
                _ => vec![s.word(x).to_string()],
            })
            .collect();
        d.data = new_data;
        d.purposes = s.purposes.clone();
        out.push(d);
    }
    // Searched in the whole old text, so asked at most once, and only for sensitive information
    // beside a purpose the old version pursues.
    let restated = std::cell::OnceCell::new();
    let new_purposes: BTreeSet<String> = s
        .purposes
        .iter()
        .filter(|p| {
            let for_sensitive = |d: &String| {
                facts.iter().any(|f| f.sensitive_purposes.get(d).is_some_and(|ps| ps.contains(*p)))
            };
            !facts.iter().any(|f| f.purposes.contains(*p))
                || (s.data.iter().filter(|d| is_sensitive(d)).any(|d| !for_sensitive(d))
                    && !*restated.get_or_init(|| restates(n, old)))
        })
        .cloned()
        .collect();
    // Recipients the old version already gives personal information to.
    let known = |r: &String| facts.iter().any(|f| f.knows_recipient(r));
    if s.actions.iter().any(|a| is_transfer(a) && a != "abroad") {
        // In a table row the company and SDK names are judged by the table rules (a new SDK,
        // a vendor renamed), not as recipients of their own.
        let row = n.text.contains(" | ");
        let keys: Vec<String> =
            recipient_keys(s).into_iter().filter(|r| !row || !r.contains(':')).collect();
        let new_recipients: BTreeSet<String> = keys
            .iter()
            .filter(|r| {
                !(known(r)
                    || old.names(r)
                    || (s.data.iter().all(|d| general_covers(d)) && old.speaks_of(s, r)))
            })
            .cloned()
            .collect();
        if !new_recipients.is_empty() {
            let mut d = delta(DeltaKind::NewRecipient, n, "new");
            d.words = new_recipients.iter().map(|r| recipient_word(s, r)).collect();
            d.recipients = new_recipients;
            d.data = s.data.clone();
            d.purposes = s.purposes.clone();
            out.push(d);
        }
        let rs = if keys.is_empty() { vec!["*".to_string()] } else { keys };
        let mut shared_data = BTreeSet::new();
        let mut shared_to = BTreeSet::new();
        for data in data_or_any(s) {
            for r in &rs {
                // Ordinary information given to a recipient the old version names (found by
                // pattern, or other users in the same words) is no new combination; sensitive
                // information is.
                let named = (old.names(r) || old.speaks_of(s, r)) && general_covers(&data);
                if data != "*" && !named && !facts.iter().any(|f| f.knows_sharing(&data, r)) {
                    shared_data.insert(data.clone());
                    if r != "*" {
                        shared_to.insert(r.clone());
                    }
                }
            }
        }
        // Giving information away for advertising or marketing where the old version never did,
        // whatever the data and the recipient: a new purpose of the sharing (a purpose new to
        // the whole version is judged below).
        let shared_for: BTreeSet<String> = s
            .purposes
            .iter()
            .filter(|p| matches!(p.as_str(), "advertising" | "marketing"))
            .filter(|p| !new_purposes.contains(*p))
            .filter(|p| !facts.iter().any(|f| f.shared_purposes.contains(*p)))
            .cloned()
            .collect();
        if shared_data.is_empty()
            && !shared_for.is_empty()
            && !illustrates(n)
            && !*restated.get_or_init(|| restates(n, old))
        {
            let mut d = delta(DeltaKind::NewPurpose, n, "new");
            d.words = shared_for.iter().map(|p| s.word(p).to_string()).collect();
            d.data = s.data.clone();
            d.purposes = shared_for;
            d.recipients = rs.iter().filter(|r| *r != "*").cloned().collect();
            out.push(d);
        }
        if !shared_data.is_empty() {
            let mut d = delta(DeltaKind::NewSharing, n, "new");
            d.words = shared_data.iter().map(|x| s.word(x).to_string()).collect();
            d.words.extend(shared_to.iter().map(|r| recipient_word(s, r)));
            d.data = shared_data;
            // A recipient the old version already gives personal information to receives
            // more, but is no new recipient, and a purpose the old version already pursues is
            // no new one: more data to an advertiser it already feeds is new sharing, not new
            // sharing for advertising.
            d.purposes = if !shared_to.is_empty() && shared_to.iter().all(known) {
                new_purposes.clone()
            } else {
                s.purposes.clone()
            };
            d.recipients = shared_to.into_iter().filter(|r| !known(r)).collect();
            out.push(d);
        }
    }
    // An example that goes on with a practice of ours (`For example, we may collect publicly
    // available information to help train our AI models`) states a purpose beyond providing
    // the service (training models, advertising, marketing, research) as its own;
    // the purposes of providing the service it only illustrates (`for example, we use your
    // address to deliver your orders`), and one that sets a scene (`For example, when you fill
    // out an interest survey, we learn from it …`) states none.
    let new_purposes: BTreeSet<String> = match after_example_marker(n) {
        None => new_purposes,
        Some(rest)
            if s.polarity == Polarity::Affirm
                && !s.actions.is_empty()
                && states_our_practice(&rest) =>
        {
            new_purposes.into_iter().filter(|p| SECONDARY_PURPOSES.contains(&p.as_str())).collect()
        }
        Some(_) => BTreeSet::new(),
    };
    if !new_purposes.is_empty() {
        let mut d = delta(DeltaKind::NewPurpose, n, "new");
        d.words = new_purposes.iter().map(|p| s.word(p).to_string()).collect();
        d.purposes = new_purposes;
        d.data = s.data.clone();
        out.push(d);
    }
    // Whether the information is kept, used or given somewhere: a place then says where it is.
    let moved = s.actions.iter().any(|a| is_transfer(a) || a == "store" || a == "use");
    if s.actions.contains("abroad") || s.places.contains("abroad") {
        let new_abroad: BTreeSet<String> = data_or_any(s)
            .into_iter()
            .filter(|d| {
                !facts
                    .iter()
                    .any(|f| f.abroad.contains(d) || (f.abroad.contains("*") && !is_sensitive(d)))
            })
            .collect();
        if !new_abroad.is_empty() && moved {
            let mut d = delta(DeltaKind::NewAbroad, n, "new");
            d.data = new_abroad.into_iter().filter(|x| x != "*").collect();
            d.words = d.data.iter().map(|x| s.word(x).to_string()).collect();
            out.push(d);
        }
    }
    let sent_abroad = out.iter().any(|d| d.kind == DeltaKind::NewAbroad);
    if !sent_abroad && moved {
        // A country or region the old version never names, where the information is now kept
        // or sent (`servers in Germany` → `servers in the United States`, `en France` → `dans
        // l'Union européenne`). A clause newly sending information abroad is judged as that;
        // a named place the old version already wrote is no new one.
        let places: BTreeSet<String> = s
            .places
            .iter()
            .filter(|p| is_named_place(p) && !old.places.contains(*p))
            .cloned()
            .collect();
        // Naming a country where the old version only said "abroad" or "other countries"
        // specifies a transfer it already stated; moving data from a place it named to another
        // one, or to a place where it sent nothing abroad, is new.
        let located = !old.places.is_empty() || !facts.iter().any(|f| !f.abroad.is_empty());
        if !places.is_empty() && located {
            let mut d = delta(DeltaKind::NewDestination, n, "new");
            d.words = places.iter().map(|p| s.word(p).to_string()).collect();
            d.data = s.data.clone();
            out.push(d);
        }
    }
    for a in ["sell", "profile", "disclose"] {
        // A kind of practice never stated, or stated before only for other data: profiling on
        // health data is new beside profiling on browsing history.
        let new_sensitive = s.data.iter().any(|d| {
            is_sensitive(d)
                && !facts.iter().any(|f| {
                    f.practised.contains(&(a.to_string(), d.clone()))
                        || f.practised.contains(&(a.to_string(), "sensitive_info".to_string()))
                })
        });
        // Making information public where the old version published none (`Your runs are
        // public by default`) is a new kind of disclosure beside one to authorities.
        let new_public = a == "disclose"
            && s.recipients.contains("public")
            && !facts.iter().any(|f| f.recipients.contains("public"));
        if s.actions.contains(a)
            && (!facts.iter().any(|f| f.actions.contains(a)) || new_sensitive || new_public)
        {
            let mut d = delta(DeltaKind::NewPractice, n, "new");
            d.actions = [a.to_string()].into();
            d.data = s.data.clone();
            d.words = vec![s.word(a).to_string()];
            out.push(d);
        }
    }
    out
}

/// What an edit changes inside one clause: a negation, a consent condition, a control.
fn edited(o: &Clause, n: &Clause, sides: &Sides<'_>, out: &mut Vec<Delta>) {
    let (os, ns) = (&o.statement, &n.statement);
    if os.polarity == Polarity::Negate
        && ns.polarity == Polarity::Affirm
        && ns.is_practice()
        && (os.actions.iter().any(|a| ns.actions.contains(a)) || os.actions.is_empty())
        && !sides.new_index.promises_like(os)
    {
        let mut d = delta(DeltaKind::NegationFlipped, n, "new");
        d.data = ns.data.clone();
        d.recipients = ns.recipients.clone();
        out.push(d);
    }
    // A promise that now leaves out a practice it named (`We do not sell or share your
    // personal information` → `We do not sell …`): the practice left out is no longer
    // promised, unless another clause of the new version still promises it.
    if os.polarity == Polarity::Negate && ns.polarity == Polarity::Negate && ns.is_practice() {
        let mut dropped = os.clone();
        dropped.actions.retain(|a| !ns.actions.contains(a) && a != "notify" && a != "consent");
        if dropped.is_practice() && !sides.new_index.promises_like(&dropped) {
            let mut d = delta(DeltaKind::PromiseRemoved, o, "old");
            d.actions = dropped.actions;
            d.data = os.data.clone();
            d.recipients = os.recipients.clone();
            d.words = d.actions.iter().map(|a| os.word(a).to_string()).collect();
            out.push(d);
        }
    }
    // The youngest age named for children or minors went down (`not intended for children
    // under 16` → `under 13`, `nicht an Kinder unter 16 Jahren` → `auch an Kinder ab 10
    // Jahren`).
    let (old_ages, new_ages) = (age_limits(&o.text), age_limits(&n.text));
    if let (Some(a), Some(b)) = (old_ages.iter().min(), new_ages.iter().min())
        && b < a
    {
        let mut d = delta(DeltaKind::AgeLowered, n, "new");
        d.words = vec![format!("{a} → {b}")];
        out.push(d);
    }
    if consented(os) && !consented(ns) && ns.is_practice() && ns.polarity == Polarity::Affirm {
        let mut d = delta(DeltaKind::ConditionRemoved, n, "new");
        d.data = ns.data.clone();
        d.recipients = ns.recipients.clone();
        out.push(d);
    } else if !consented(os) && consented(ns) && ns.is_practice() {
        out.push(delta(DeltaKind::ConditionAdded, n, "new"));
    }
    // Giving information away only as the law requires or permits, now without that limit
    // (`… or the public as required or permitted by law, including disclosing information to
    // government authorities` → `… or the public, including disclosing …`): the legal duty
    // no longer bounds the disclosure, so it needs a basis of its own.
    // The limit still holds when the block says it in a clause of its own (`We do so only as
    // required by law.`), and when the information is anonymised or given for a legal purpose.
    let gives = |s: &Statement| s.actions.iter().any(|a| is_transfer(a));
    if os.conditions.contains("legal")
        && !ns.conditions.contains("legal")
        && !consented(ns)
        && gives(os)
        && gives(ns)
        && ns.polarity == Polarity::Affirm
        && os.polarity == Polarity::Affirm
        && (!ns.conditions.contains("anonymised") || only_deidentified(&n.text))
        && !ns.purposes.contains("legal")
        && !block_states_limit(sides, n)
    {
        let mut d = delta(DeltaKind::LimitRemoved, n, "new");
        d.actions = ns.actions.clone();
        d.data = ns.data.clone();
        d.recipients = ns.recipients.clone();
        out.push(d);
    }
    let (okeys, nkeys) = (control_keys(o), control_keys(n));
    // In prose the edited clause itself still offering the control keeps it, whatever data the
    // clause now names; a table row keeps it only under the same first cell.
    let row = o.text.contains(" | ");
    let lost: Vec<&String> = okeys
        .iter()
        .filter(|c| !nkeys.contains(*c) && !sides.new_index.controls.contains(*c))
        .filter(|c| {
            // A tool's link dropped while the clause still offers the way out in words and links
            // to no tool (`at [newsletter settings](…/opt-out)` → `in newsletter settings`)
            // keeps it; one dropped beside another body's tool (`the NAI tool or the DAA tool`
            // → `the DAA tool`) does not: each industry body's tool is a way out of its own.
            let keeps = |name: &str| {
                ns.controls.contains(name) && (!is_tool(c) || !nkeys.iter().any(|k| is_tool(k)))
            };
            row || !c.split_once('@').is_some_and(|(name, _)| keeps(name))
        })
        .filter(|c| !tool_still_written(c, o, sides))
        .collect();
    // A tool the edited clause now links to on a new host takes the place of one it dropped.
    let lost = net_of_moved_tools(lost, || tools_new_to(nkeys.iter(), sides.old_index));
    if !lost.is_empty() {
        let mut d = delta(DeltaKind::ControlRemoved, o, "old");
        d.words = lost.iter().map(|c| control_word(c, os)).collect();
        d.data = os.data.clone();
        out.push(d);
    } else if nkeys.iter().any(|c| !okeys.contains(c) && !sides.old_index.controls.contains(c)) {
        out.push(delta(DeltaKind::ControlAdded, n, "new"));
    }
}

/// What a removed clause takes away: a promise or a control no longer made anywhere broadens;
/// a practice no longer stated narrows.
fn removed(o: &Clause, sides: &Sides<'_>, out: &mut Vec<Delta>) {
    let s = &o.statement;
    let new = sides.new_index;
    if let Some(p) = consent_dropped_from(o, sides) {
        let mut d = delta(DeltaKind::ConditionRemoved, o, "old");
        d.actions = p.statement.actions.clone();
        d.data = p.statement.data.clone();
        d.recipients = p.statement.recipients.clone();
        out.push(d);
        return;
    }
    if s.is_practice() && s.polarity == Polarity::Negate {
        if !new.promises_like(s) {
            let mut d = delta(DeltaKind::PromiseRemoved, o, "old");
            d.data = s.data.clone();
            d.recipients = s.recipients.clone();
            out.push(d);
        }
        return;
    }
    let keys = control_keys(o);
    let lost: Vec<&String> = keys
        .iter()
        .filter(|c| !new.controls.contains(*c) && !tool_still_written(c, o, sides))
        .collect();
    // A removed clause's tool may reappear anywhere: on a new host in any clause.
    let lost = net_of_moved_tools(lost, || tools_new_to(new.controls.iter(), sides.old_index));
    if !lost.is_empty() {
        let mut d = delta(DeltaKind::ControlRemoved, o, "old");
        d.words = lost.iter().map(|c| control_word(c, s)).collect();
        d.data = s.data.clone();
        out.push(d);
    } else if !s.is_practice()
        && !new.restates(o)
        && !new.contains_text(list_item_text(&o.text))
        && let Some(lead) = lead_in(sides.old, o)
        && !lead.statement.controls.is_empty()
        && lead.statement.polarity == Polarity::Affirm
        // The item is a case, not a right of its own: it names a tool, or another act of the
        // user's (`4、如果…您主动注销了账号；` under a right to deletion).
        && keys.iter().all(|k| {
            is_tool(k) || !lead.statement.controls.contains(k.split('@').next().unwrap_or(k))
        })
    {
        // One of the cases in which users may exercise a right (`在以下情形中，您可以向我们提出
        // 删除个人信息的请求：` … `5、如果我们永久不再为您提供产品或服务。`) is gone: the right
        // is narrower.
        let mut d = delta(DeltaKind::ControlRemoved, o, "old");
        let right: Vec<&str> =
            lead.statement.controls.iter().map(|c| lead.statement.word(c)).collect();
        d.words = vec![format!("{}: {}", right.join(", "), list_item_text(&o.text))];
        d.data = lead.statement.data.clone();
        out.push(d);
    }
    if s.is_practice() {
        let gone_data = s.data.iter().any(|d| !new.any_data(d));
        let gone_recipient = recipient_keys(s).iter().any(|r| !new.any_recipient(r));
        if gone_data || gone_recipient {
            let mut d = delta(DeltaKind::PracticeRemoved, o, "old");
            d.data = s.data.iter().filter(|d| !new.any_data(d)).cloned().collect();
            out.push(d);
        }
    }
}

/// The practice whose consent condition went with a removed clause: a clause that only asks for
/// an opt-in (`You will be given an opt-in prompt on a per-session basis about this expanded
/// … information collection.`, `上述收集将事先征得您的单独同意。`) and governs the practice the clause
/// before it in its block affirms, when the edit only deletes it: the practice stays word for
/// word, and the new block says nothing the old one did not.
fn consent_dropped_from<'a>(o: &Clause, sides: &Sides<'a>) -> Option<&'a Clause> {
    let s = &o.statement;
    // An opt-in asked for (`opt-in prompt`, `explicit consent`, `单独同意`), not a word about
    // consent in general (`Your consent is not required for this.`, `… not on your consent.`,
    // `You can change your consent choices at any time.`).
    let text = crate::normalize::match_text(&o.text);
    let denies = ["not ", "no ", "never", "without", "不", "无需", "无须", "未"]
        .iter()
        .any(|w| text.contains(w));
    if s.is_practice()
        || !s.conditions.contains("explicit_consent")
        || denies
        || s.polarity != Polarity::Affirm
        || !s.controls.is_empty()
        || sides.new_index.restates(o)
    {
        return None;
    }
    let before = sides.old.of_block(o.section, o.block).iter().rfind(|c| c.span.0 < o.span.0)?;
    let p = &before.statement;
    if !p.is_practice() || p.polarity != Polarity::Affirm || consented(p) {
        return None;
    }
    let key = editorial_key(&before.text);
    let kept = sides.new.clauses.iter().find(|c| editorial_key(&c.text) == key)?;
    // Only a deletion: every clause of the new block stands word for word in the old one, so the
    // condition was not said again in other words (`We will ask for your consent first.`).
    let old_keys: HashSet<String> =
        sides.old.of_block(o.section, o.block).iter().map(|c| editorial_key(&c.text)).collect();
    let block = sides.new.of_block(kept.section, kept.block);
    let deleted_only = block.iter().all(|c| old_keys.contains(&editorial_key(&c.text)));
    let asks = block.iter().any(|c| consented(&c.statement) || !c.statement.controls.is_empty());
    (deleted_only && !asks).then_some(before)
}

/// Whether a paragraph is an item of a list written as paragraphs (`1、…`, `(2）…`, `3. …`).
fn is_list_item(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix(['(', '（']).unwrap_or(t);
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (1..=2).contains(&digits) && t[digits..].starts_with(['、', '.', '．', ')', '）'])
}

/// A list item without its number: `5、如果…` → `如果…`.
fn list_item_text(text: &str) -> &str {
    let t = text.trim_start().trim_start_matches(['(', '（']);
    t.trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['、', '.', '．', ')', '）'])
        .trim()
}

/// The paragraph that introduces the table the row `row` belongs to, when it names personal
/// information, says it is collected or processed ([`PROCESSING_WORDS`]) and ends with a colon
/// (`Les données personnelles collectées par Orange sont regroupées sous les catégories
/// suivantes :`): the nearest block before the table in its section.
fn table_lead<'a>(st: &'a DocumentStatements, row: &Clause) -> Option<&'a Clause> {
    for b in (0..row.block).rev() {
        let clauses = st.of_block(row.section, b);
        let Some(last) = clauses.last() else {
            continue;
        };
        if clauses.iter().all(|c| c.text.contains(" | ") || c.text.trim().is_empty()) {
            continue;
        }
        let lower = last.text.to_lowercase();
        return (last.text.trim_end().ends_with([':', '：'])
            && !last.statement.data.is_empty()
            && PROCESSING_WORDS.iter().any(|w| lower.contains(w)))
        .then_some(last);
    }
    None
}

/// Stems that say information is collected or processed, in a table's introduction (`collected`,
/// `we hold`, `collectées`, `verarbeiten`, `收集`); a contact table (`questions about your
/// personal data: write to`) has none.
const PROCESSING_WORDS: [&str; 16] = [
    "collect",
    "process",
    "we hold",
    "we use",
    "we obtain",
    "gather",
    "traitées",
    "traités",
    "recueill",
    "erhe",
    "verarbeit",
    "收集",
    "处理",
    "使用",
    "获取",
    "采集",
];

/// The paragraph that introduces the list `item` belongs to: the nearest paragraph before it in
/// its section that is no list item and ends with a colon (`在以下情形中，您可以…请求：`).
/// `None` when the clause is no list item or the list has no such lead-in.
fn lead_in<'a>(st: &'a DocumentStatements, item: &Clause) -> Option<&'a Clause> {
    // A numbered case written as a paragraph (`4、…`), or an item of a Markdown list.
    let is_item =
        |c: &Clause| is_list_item(&c.text) || st.list_items.contains(&(c.section, c.block));
    if !is_item(item) {
        return None;
    }
    for b in (0..item.block).rev() {
        let clauses = st.of_block(item.section, b);
        let first = clauses.first()?;
        if is_item(first) {
            continue;
        }
        let last = clauses.last()?;
        return last.text.trim_end().ends_with([':', '：']).then_some(last);
    }
    None
}

/// What an edited clause no longer says: data or recipients dropped from a practice narrow.
fn removed_parts(o: &Clause, n: &Clause, sides: &Sides<'_>, out: &mut Vec<Delta>) {
    let (os, ns) = (&o.statement, &n.statement);
    if !os.is_practice() || os.polarity == Polarity::Negate {
        return;
    }
    let dropped: BTreeSet<String> = os
        .data
        .iter()
        .filter(|d| !ns.data.contains(*d) && !sides.new_index.any_data(d))
        .cloned()
        .collect();
    if !dropped.is_empty() {
        let mut d = delta(DeltaKind::PracticeRemoved, o, "old");
        d.data = dropped;
        out.push(d);
    }
}

fn recipient_word(s: &Statement, key: &str) -> String {
    if let Some(item) = key.strip_prefix("recipient/") {
        return item.to_string();
    }
    if let Some((_, name)) = key.split_once(':') {
        return s
            .recipients
            .iter()
            .find(|r| r.split_once(':').is_some_and(|(_, n)| name_key(n) == name))
            .and_then(|r| r.split_once(':').map(|(_, n)| n.to_string()))
            .unwrap_or_else(|| name.to_string());
    }
    s.word(key).to_string()
}

/// Whether a set of deltas broadens, narrows, both or neither.
pub fn direction(deltas: &[Delta]) -> Option<crate::model::Direction> {
    use crate::model::Direction;
    let broaden = deltas.iter().any(|d| d.kind.broadens());
    let narrow = deltas.iter().any(|d| d.kind.narrows());
    match (broaden, narrow) {
        (true, _) => Some(Direction::Broaden),
        (false, true) => Some(Direction::Narrow),
        _ => None,
    }
}

/// The clauses whose statement has a sensitive kind of data among `data`.
pub fn touches_sensitive(data: &BTreeSet<String>) -> bool {
    data.iter().any(|d| is_sensitive(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statements::{extract, extract_indexed, extract_reusing};

    /// Everything an index holds, in a fixed order (its sets are hash sets).
    fn summary(ix: &Index) -> String {
        fn sorted<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
            let mut v: Vec<T> = items.into_iter().collect();
            v.sort();
            v
        }
        let facts = |f: &Facts| {
            format!(
                "{:?}",
                (
                    sorted(&f.data),
                    sorted(&f.items),
                    sorted(&f.recipients),
                    sorted(&f.sharing),
                    sorted(&f.purposes),
                    sorted(&f.actions),
                    sorted(&f.abroad),
                    sorted(&f.practised),
                )
            )
        };
        let records =
            sorted(ix.records.iter().map(|(k, r)| (k, &r.name, sorted(&r.data), &r.purposes)));
        format!(
            "{}\n{}\n{}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            facts(&ix.free),
            facts(&ix.consented),
            facts(&ix.by_law),
            ix.promises,
            sorted(&ix.controls),
            sorted(&ix.channels),
            sorted(&ix.texts),
            sorted(&ix.words),
            ix.text,
            sorted(&ix.record_of),
            records
        )
    }

    #[test]
    fn indexes_from_forms_read_with_the_clauses_equal_indexes_read_afterwards() {
        for (file, old, new, diff) in crate::statements::tests::policies_with_edits() {
            let old_plain = extract(&old);
            let new_plain = extract_reusing(&new, &old, &old_plain, &diff.new_to_old);
            let old_forms = extract_indexed(&old);
            let new_forms = extract_reusing(&new, &old, &old_forms, &diff.new_to_old);
            assert!(old_forms.has_forms() && new_forms.has_forms(), "{file}");
            assert!(!old_plain.has_forms() && !new_plain.has_forms(), "{file}");
            let (a, b) = Index::of_both(&old_plain, &new_plain);
            let (c, d) = Index::of_both(&old_forms, &new_forms);
            assert!(a.texts.len() > 100, "{file}: {} clause texts", a.texts.len());
            assert_eq!(summary(&a), summary(&c), "{file}: old");
            assert_eq!(summary(&b), summary(&d), "{file}: new");
        }
    }
}
