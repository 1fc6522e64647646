//! Reading one clause into a [`Statement`].
//!
//! The clause is scanned for the lexicon's terms ([`super::lexicon`]) in its matching form
//! (NFKC, lower case, contractions written out). Position decides the rest:
//!
//! * a clause is cut into **parts** at commas and colons; a negation cue (`不会`, `will not`)
//!   negates the practices after it in its part; `不` / `未` directly before a practice word
//!   negates it;
//! * practice words after a purpose cue in the same part (`用于`, `以便`, `in order to`) name a
//!   purpose, not a practice; `用于` is a practice only when no other practice comes before it;
//!   a practice word followed by `的` is an attribute (`共享的个人信息`), not a practice;
//! * what the user can do (`您可以删除`, `you can delete`) is a control, not our practice;
//!   what the user gives others (`您…向他人提供`) is;
//! * recipients count only beside a practice that gives information away, and not when they are
//!   the clause's subject (`我们的合作伙伴无权…`);
//! * `上述信息`, `such information` stand for the data of the block's earlier clauses;
//! * asking for consent (`征得您的同意`) is a condition, and also the clause's practice when
//!   nothing follows it (`…前会事先征求您的同意`);
//! * a table row is read by its header: an SDK table gives `share` to the SDK and its company,
//!   a permission table `collect` of what the permission reads.

use super::lexicon::{Field, Hit, LEXICON_COMPILED, Lexicon};
use super::{Polarity, Statement, is_transfer};
use crate::document::{Block, BlockKind, Table};
use crate::normalize::{durations, match_text};
use regex::Regex;
use std::sync::LazyLock;

/// A term found in the clause with its entry's field and id.
#[derive(Debug, Clone)]
struct Found<'a> {
    start: usize,
    end: usize,
    field: Field,
    id: &'a str,
    item: &'a str,
}

struct Scan<'a> {
    text: String,
    found: Vec<Found<'a>>,
    /// Byte offsets where parts start (after `,` or `:`).
    part_starts: Vec<usize>,
}

impl<'a> Scan<'a> {
    fn new(lexicon: &'a Lexicon, raw: &str) -> Scan<'a> {
        let text = match_text(raw);
        let found = lexicon
            .scan(&text)
            .into_iter()
            .map(|h: Hit| {
                let e = lexicon.entry(&h);
                Found { start: h.start, end: h.end, field: e.field, id: &e.id, item: &e.item }
            })
            .collect();
        let mut part_starts = vec![0];
        for (i, c) in text.char_indices() {
            if matches!(c, ',' | ':' | '(' | ')') {
                part_starts.push(i + c.len_utf8());
            }
        }
        Scan { text, found, part_starts }
    }

    fn part(&self, at: usize) -> usize {
        self.part_starts.partition_point(|&s| s <= at)
    }

    fn of(&self, field: Field) -> impl Iterator<Item = &Found<'a>> {
        self.found.iter().filter(move |f| f.field == field)
    }

    fn word(&self, f: &Found<'_>) -> String {
        self.text[f.start..f.end].trim().to_string()
    }
}

/// Cues that the user, not the operator, is the subject of what follows (a right or a choice).
const USER_CAN: [&str; 14] = [
    "您可以",
    "您可",
    "您有权",
    "您也可以",
    "您可根据",
    "您从",
    "您主动",
    "请您",
    "you can",
    "you may choose",
    "you have the right",
    "you may also",
    "after you",
    "you choose",
];

/// Cues of a safeguard: the practices after them are what it protects against.
const SAFEGUARD: [&str; 12] = [
    "防止",
    "防范",
    "避免",
    "未经授权",
    "泄露",
    "篡改",
    "prevent",
    "unauthori",
    "against",
    "protect",
    "leak",
    "misuse",
];

/// Cues that a practice is named as a thing (a change, a violation, a kind), not stated.
const NAMED: [&str; 10] = [
    "的行为",
    "的方式",
    "的目的",
    "类型",
    "发生变化",
    "发生变更",
    "violat",
    "change",
    "的主要对象",
    "activities",
];

/// Conditional openings: `如果您不提供…` describes a consequence, not a practice.
const CONDITIONAL: [&str; 8] =
    ["如果", "如您", "若您", "如", "if you", "if we", "when you", "in the event"];

/// Practices the user performs that are still practices of the policy (giving information to
/// others or to us).
fn user_practice(action: &str) -> bool {
    matches!(action, "share" | "disclose" | "collect" | "sell")
}

/// Reads one clause (`raw`, as written) of `block`; `earlier` are the statements of the
/// block's earlier clauses (for `上述信息`, `such information`).
pub fn extract_clause(
    raw: &str,
    block: &Block,
    table: Option<&Table>,
    earlier: &[Statement],
) -> Statement {
    let lexicon = &*LEXICON_COMPILED;
    match (block.kind, table) {
        (BlockKind::TableHeader, _) => return Statement::default(),
        (BlockKind::TableRow, Some(table)) => {
            if let Some(s) = table_row(lexicon, block, table) {
                return s;
            }
        }
        _ => {}
    }
    let scan = Scan::new(lexicon, raw);
    let mut s = Statement::default();
    let text = &scan.text;
    let ignored: Vec<(usize, usize)> = scan.of(Field::Ignore).map(|f| (f.start, f.end)).collect();
    let _ = ignored;

    // Practices.
    let cues: Vec<&Found<'_>> = scan.of(Field::PurposeCue).collect();
    let negations: Vec<&Found<'_>> = scan.of(Field::Negation).collect();
    let prefixes: Vec<&Found<'_>> = scan.of(Field::NegationPrefix).collect();
    let actions: Vec<&Found<'_>> = scan.of(Field::Action).collect();
    let conditional_start = CONDITIONAL
        .iter()
        .any(|c| text.trim_start_matches(|ch: char| !ch.is_alphanumeric()).starts_with(c));
    let data_parts: Vec<usize> = scan
        .found
        .iter()
        .filter(|f| matches!(f.field, Field::Data | Field::Anaphora | Field::Object))
        .map(|f| scan.part(f.start))
        .collect();
    let mut kept: Vec<(&Found<'_>, bool)> = Vec::new();
    for a in &actions {
        let part = scan.part(a.start);
        let word = &text[a.start..a.end];
        // An attribute, not a practice: 共享的个人信息, 共享、转让或公开披露的主要对象.
        if attribute(text, a, &actions) {
            continue;
        }
        // 用于 is a practice only when no practice comes before it.
        let is_yongyu = matches!(word, "用于" | "用来" | "用以");
        if is_yongyu && !kept.is_empty() {
            continue;
        }
        // Inside a purpose phrase (after 为了 / 以便 / in order to, before 而 or a comma): a
        // purpose, unless personal information follows as its object.
        let in_purpose = !is_yongyu
            && cues.iter().any(|c| {
                c.end <= a.start
                    && scan.part(c.start) == part
                    && !text[c.end..a.start].contains('而')
            });
        let object_follows = scan.found.iter().any(|f| {
            matches!(f.field, Field::Data | Field::Anaphora)
                && f.start >= a.end
                && scan.part(f.start) == part
        });
        if in_purpose && !object_follows {
            continue;
        }
        // Asking for consent is handled with the conditions.
        if a.id == "consent" {
            continue;
        }
        // What a safeguard protects against (`防止…未经授权访问、公开披露、使用`), and a practice
        // named as the subject of a change or a violation (`处理个人信息的行为违反…`,
        // `个人信息的使用方式发生变化`), is not a practice the policy states.
        let part_end = scan.part_starts.get(part).copied().unwrap_or(text.len()).max(a.end);
        let part_text = &text[scan.part_starts[part - 1]..part_end];
        let guarded = SAFEGUARD
            .iter()
            .any(|g| part_text.find(g).is_some_and(|at| scan.part_starts[part - 1] + at < a.start));
        let named = NAMED.iter().any(|n| text[a.end..part_end].contains(n));
        if guarded || named {
            continue;
        }
        let before = &text[scan.part_starts[part - 1]..a.start];
        let gives = word.contains("提供") || word.contains("provide");
        let right_before = before.trim_end();
        let user_subject = USER_CAN.iter().any(|u| before.contains(u))
            || starts_with_user(before)
            || ["您", "您在", "you", "users"].iter().any(|u| right_before.ends_with(u));
        // 获取明确同意, obtain consent: consent is asked for, nothing is collected.
        let after: String = text[a.end..].chars().take(6).collect();
        if a.id == "collect"
            && ["同意", "授权", "许可", "consent", "authori"].iter().any(|c| after.contains(c))
        {
            continue;
        }
        if user_subject
            && !(matches!(a.id, "share" | "disclose" | "sell") || (a.id == "collect" && gives))
        {
            continue;
        }
        // Using and processing are practices on personal information: one must be named, and
        // come before any tool (`使用…安全防护措施保护您的个人信息` uses a measure).
        if a.id == "use" && !is_yongyu {
            let next = |field: Field| {
                scan.found
                    .iter()
                    .filter(|f| f.field == field && f.start >= a.end && scan.part(f.start) == part)
                    .map(|f| f.start)
                    .min()
            };
            let tool = next(Field::Tool);
            let object =
                [Field::Data, Field::Anaphora, Field::Object].into_iter().filter_map(next).min();
            let earlier_object = scan.found.iter().any(|f| {
                matches!(f.field, Field::Data | Field::Anaphora | Field::Object)
                    && f.end <= a.start
                    && scan.part(f.start) == part
            });
            let uses_tool = tool.is_some_and(|t| object.is_none_or(|o| t < o));
            if uses_tool || (object.is_none() && !earlier_object) {
                continue;
            }
        }
        let negated = negations.iter().any(|n| n.end <= a.start && scan.part(n.start) == part)
            || prefixes.iter().any(|p| p.end == a.start);
        // "If you do not provide …": a consequence, not a practice.
        if negated && conditional_start && (user_subject || gives || a.id == "collect") {
            continue;
        }
        kept.push((a, negated));
    }
    // 向关联公司提供 / provide … to partners: giving to a named recipient.
    let recipients: Vec<&Found<'_>> = scan.of(Field::Recipient).collect();
    for r in &recipients {
        let before = &text[scan.part_starts[scan.part(r.start) - 1]..r.start];
        let after = &text[r.end..];
        let near: String = before.chars().rev().take(4).collect();
        let zh_give =
            near.contains('向') && after.chars().take(12).collect::<String>().contains("提供");
        let en_give = (before.contains("provide") || before.contains("send"))
            && (before.trim_end().ends_with(" to") || before.trim_end().ends_with(" with"));
        if (zh_give || en_give) && !kept.iter().any(|(a, _)| is_transfer(a.id)) {
            let negated = negations
                .iter()
                .any(|n| n.end <= r.start && scan.part(n.start) == scan.part(r.start));
            s.actions.insert("share".to_string());
            if negated {
                s.polarity = Polarity::Negate;
            }
        }
    }
    // Not notifying or not asking again does not make a clause a promise when it states a
    // practice (`…共享…，无需另行向您通知`).
    let procedural = |id: &str| matches!(id, "notify" | "consent");
    let substantive_negated = kept.iter().any(|(a, n)| *n && !procedural(a.id));
    let substantive_affirmed = kept.iter().any(|(a, n)| !*n && !procedural(a.id));
    let any_negated =
        substantive_negated || (!substantive_affirmed && kept.iter().any(|(_, n)| *n));
    for (a, negated) in &kept {
        if any_negated != *negated || (any_negated && substantive_negated && procedural(a.id)) {
            continue;
        }
        s.actions.insert(a.id.to_string());
        s.words.entry(a.id.to_string()).or_insert_with(|| scan.word(a));
        if a.id == "disclose"
            && (text[a.start..a.end].contains("公开") || text[a.start..a.end].contains("public"))
        {
            s.recipients.insert("public".to_string());
        }
    }
    if any_negated {
        s.polarity = Polarity::Negate;
    }

    // Consent asked for: a condition; the practice too when nothing follows it.
    static ASK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(征得|征求|取得|获得|得到)[^,.;。]{0,6}(同意|授权|许可)|(ask for|seek|obtain|request)[a-z' ]{0,20}(consent|authori[sz]ation)").unwrap()
    });
    for m in ASK.find_iter(text) {
        // 无需征得您的同意, 未征得您的明确同意, 很难得到本人同意: no consent is asked for.
        let lead =
            &text[text[..m.start()].char_indices().rev().nth(5).map_or(0, |(i, _)| i)..m.start()];
        if ["无需", "不需", "未", "很难", "难以", "without", "not"].iter().any(|n| lead.contains(n))
        {
            continue;
        }
        s.conditions.insert("consent".to_string());
        if ["除", "after", "在"].iter().any(|n| lead.contains(n)) {
            continue;
        }
        let rest = text[m.end()..].trim_start();
        let after_it = rest.starts_with('后')
            || rest.starts_with("的情况下")
            || rest.starts_with("after")
            || rest.starts_with(',');
        let asked = text[..m.start()].contains("会")
            || text[..m.start()].contains("将")
            || text[..m.start()].contains("will");
        if !after_it && asked && !rest.starts_with("的") {
            s.actions.insert("consent".to_string());
        }
    }

    // Data, with anaphora.
    for d in scan.of(Field::Data) {
        s.data.insert(d.id.to_string());
        s.items.insert(format!("{}/{}", d.id, d.item));
        s.words.entry(d.id.to_string()).or_insert_with(|| scan.word(d));
    }
    if scan.of(Field::Anaphora).next().is_some()
        && let Some(prev) = earlier.iter().rev().find(|e| !e.data.is_empty())
    {
        s.data.extend(prev.data.iter().cloned());
        s.items.extend(prev.items.iter().cloned());
        for (k, v) in &prev.words {
            s.words.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }

    // Recipients: beside a practice that gives information away (in its part, outside purpose
    // phrases), not the clause's subject.
    let gives = s.actions.iter().any(|a| is_transfer(a));
    let transfer_parts: Vec<usize> =
        kept.iter()
            .filter(|(a, _)| is_transfer(a.id))
            .map(|(a, _)| scan.part(a.start))
            .chain(
                s.actions.contains("share").then_some(0).into_iter().flat_map(|_| {
                    recipients.iter().map(|r| scan.part(r.start)).collect::<Vec<_>>()
                }),
            )
            .collect();
    let scopes = purpose_scopes(&scan, kept.iter().map(|(a, _)| a.start).min());
    if gives {
        let first_action = kept.iter().map(|(a, _)| a.start).min().unwrap_or(text.len());
        for r in &recipients {
            let in_scope = transfer_parts.contains(&scan.part(r.start))
                && !scopes
                    .iter()
                    .any(|(a, b)| r.start >= *a && r.end <= *b && *a > first_action.min(*a));
            if !in_scope {
                continue;
            }
            let before = &text[..r.start];
            let subject = r.start < first_action
                && !before.ends_with('与')
                && !before.ends_with('向')
                && !before.ends_with('给')
                && !before.ends_with("with ")
                && !before.ends_with("to ")
                && !before.contains("与")
                && !before.contains("向")
                && !before.contains("给")
                && (before.trim().is_empty()
                    || before.trim_end().ends_with("我们的")
                    || before.trim_end().ends_with("our"));
            if subject {
                s.actor = Some("third_party");
                continue;
            }
            s.recipients.insert(r.id.to_string());
            // 提供广告、分析服务的合作伙伴: advertisers and analytics providers.
            let w = scan.word(r);
            if r.id == "advertiser" && (w.contains("分析") || w.contains("analytics")) {
                s.recipients.insert("analytics".to_string());
            }
            s.words.entry(r.id.to_string()).or_insert(w);
        }
        for name in organisations(raw) {
            s.recipients.insert(format!("org:{name}"));
        }
    }

    // Purposes: only inside purpose phrases.
    let first_action = kept.iter().map(|(a, _)| a.start).min();
    for (from, to) in purpose_scopes(&scan, first_action) {
        for p in scan.of(Field::Purpose).filter(|p| p.start >= from && p.end <= to) {
            s.purposes.insert(p.id.to_string());
            s.words.entry(p.id.to_string()).or_insert_with(|| scan.word(p));
        }
    }
    for c in scan.of(Field::Condition) {
        // A condition denied (`未征得您的明确同意`, `无需…同意`) is no condition.
        let lead =
            &text[text[..c.start].char_indices().rev().nth(5).map_or(0, |(i, _)| i)..c.start];
        if ["无需", "不需", "未", "很难", "难以"].iter().any(|n| lead.contains(n)) {
            continue;
        }
        s.conditions.insert(c.id.to_string());
    }
    // Anonymisation conditions a practice; on its own it describes information.
    if kept.is_empty() {
        s.conditions.remove("anonymised");
    }
    // Asking for consent as the clause's only act is not a condition of it.
    if s.actions.len() == 1 && s.actions.contains("consent") {
        s.conditions.remove("consent");
    }
    if s.conditions.contains("explicit_consent") {
        s.conditions.remove("consent");
    }
    for p in scan.of(Field::Place) {
        s.places.insert(p.id.to_string());
    }
    for c in scan.of(Field::Control) {
        s.controls.insert(c.id.to_string());
    }
    s.open = scan.of(Field::Open).next().is_some();
    s.durations = durations(raw);
    s.channels = channels(raw, block);
    s.actor = s.actor.or_else(|| actor(&scan));
    s.modality = modality(text);
    s
}

/// Whether practice word `a` is an attribute: followed by `的` directly or at the end of a chain
/// of practice words joined by `、`, `或`, `和`, `及` (`共享、转让或公开披露的对象`).
fn attribute(text: &str, a: &Found<'_>, actions: &[&Found<'_>]) -> bool {
    let mut end = a.end;
    loop {
        let rest = &text[end..];
        if rest.starts_with('的') {
            return !rest.starts_with("的同意");
        }
        let Some(sep) =
            ["、", "或者", "或", "和", "及", "与"].iter().find(|s| rest.starts_with(**s))
        else {
            return false;
        };
        let next = end + sep.len();
        match actions.iter().find(|x| x.start == next) {
            Some(x) => end = x.end,
            None => return false,
        }
    }
}

/// Cues that open a purpose phrase.
const PURPOSE_OPENERS: [&str; 31] = [
    "为了",
    "为便于",
    "为更好",
    "为向您",
    "为确保",
    "为提高",
    "为保障",
    "为完成",
    "为展示",
    "为实现",
    "为使用",
    "为您",
    "以便",
    "便于",
    "用于",
    "用来",
    "以提供",
    "以实现",
    "以确保",
    "以保障",
    "以帮助",
    "目的是",
    "旨在",
    "有助于",
    "才能",
    "in order to",
    "so that",
    "so as to",
    "for the purpose",
    "to help",
    "will help",
];

/// Consequence cues: what follows is the function affected (`将会影响您使用…`, `unable to use`).
const CONSEQUENCE: [&str; 10] = [
    "影响您",
    "影响到您",
    "无法使用",
    "无法正常使用",
    "无法完成",
    "影响您的",
    "unable to",
    "be affected",
    "affect your",
    "cannot be used",
];

/// The byte ranges of a clause's purpose phrases: a leading one (`为了…，` up to the part where
/// the main practice or its subject starts), trailing ones (from a cue after the main practice
/// to the end), and consequences (`…将无法使用支付功能`).
fn purpose_scopes(scan: &Scan<'_>, first_action: Option<usize>) -> Vec<(usize, usize)> {
    let text = &scan.text;
    let mut out = Vec::new();
    let starts_subject = |part_start: usize| {
        let t = text[part_start..].trim_start();
        ["我们", "您", "慧孕育", "we ", "you ", "our ", "your ", "apple", "it "]
            .iter()
            .any(|s| t.starts_with(s))
    };
    let mut cues: Vec<usize> = Vec::new();
    for opener in PURPOSE_OPENERS {
        let mut from = 0;
        while let Some(at) = text[from..].find(opener) {
            cues.push(from + at);
            from += at + opener.len();
        }
    }
    // A leading `to …` / `为…` opens a purpose phrase too.
    let lead = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lead_at = text.len() - lead.len();
    if lead.starts_with("to ") || (lead.starts_with('为') && !lead.starts_with("为您")) {
        cues.push(lead_at);
    }
    for cue in cues {
        let end = match first_action {
            Some(a) if a > cue => {
                // Leading phrase: up to the part where the main clause starts.
                let mut end = a;
                for &p in &scan.part_starts[1..] {
                    if p > cue && p <= a && starts_subject(p) {
                        end = p;
                        break;
                    }
                }
                end
            }
            _ => text.len(),
        };
        out.push((cue, end));
    }
    // A consequence (`如您不提供…，将无法使用…`, `if you do not provide …, your use of … will be
    // affected`): the function affected is what the information serves.
    let conditional = CONDITIONAL.iter().any(|c| lead.starts_with(c));
    for c in CONSEQUENCE {
        if let Some(at) = text.find(c) {
            out.push((if conditional { 0 } else { at }, text.len()));
        }
    }
    out
}

/// Whether a part (the text before a practice word) starts with the user as subject.
fn starts_with_user(before: &str) -> bool {
    let t = before.trim_start_matches(|c: char| !c.is_alphanumeric());
    (t.starts_with('您') && !t.starts_with("您的")) || t.starts_with("you ")
}

fn actor(scan: &Scan<'_>) -> Option<&'static str> {
    let first = scan
        .found
        .iter()
        .find(|f| matches!(f.field, Field::ActorWe | Field::ActorUser | Field::Action))?;
    match first.field {
        Field::ActorWe => Some("we"),
        Field::ActorUser if !scan.text[first.end..].starts_with('的') => Some("user"),
        _ => None,
    }
}

fn modality(text: &str) -> Option<&'static str> {
    const MAY: [&str; 5] = ["可能", "may ", "might ", "could ", "可以"];
    const MUST: [&str; 5] = ["必须", "须", "must ", "shall ", "应当"];
    const WILL: [&str; 4] = ["会", "将", "will ", "would "];
    if MAY.iter().any(|m| text.contains(m)) {
        Some("may")
    } else if MUST.iter().any(|m| text.contains(m)) {
        Some("must")
    } else if WILL.iter().any(|m| text.contains(m)) {
        Some("will")
    } else {
        None
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}").unwrap()
});
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+?86[\- ]?)?1[3-9][0-9]{9}|0[0-9]{2,3}[\- ]?[0-9]{7,8}|400[\- ]?[0-9]{3}[\- ]?[0-9]{4}|\+[0-9]{1,3}[ \-]?\(?[0-9]{1,4}\)?[ \-]?[0-9]{3,4}[ \-]?[0-9]{3,4}|\b1-[0-9]{3}-[0-9]{3}-[0-9]{4}\b").unwrap()
});
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)https?://[^\s)）\]」》<>，。；]+|www\.[a-z0-9\-]+(?:\.[a-z0-9\-]+)+[^\s)）\]」》<>，。；]*").unwrap()
});

/// The contact channels a clause names: e-mail addresses, phone numbers and web addresses in
/// its text, and the `mailto:` / `tel:` targets of the block's links whose text it contains.
pub(crate) fn channels(raw: &str, block: &Block) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    // The text of a link is not a channel of its own: the target is where a reader gets to
    // (`[privacy@example.com](mailto:dpo@example.org)` reaches dpo@example.org).
    let clause_text = raw;
    let mut raw = std::borrow::Cow::Borrowed(raw);
    for (text, _) in &block.links {
        if !text.is_empty() && raw.contains(text.as_str()) {
            raw = std::borrow::Cow::Owned(raw.replace(text.as_str(), " "));
        }
    }
    let raw: &str = &raw;
    for m in EMAIL.find_iter(raw) {
        out.insert(format!("email:{}", m.as_str().to_lowercase()));
    }
    for m in PHONE.find_iter(raw) {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        out.insert(format!("phone:{digits}"));
    }
    for m in URL.find_iter(raw) {
        out.insert(format!("url:{}", url_key(m.as_str())));
    }
    for (text, target) in &block.links {
        if text.is_empty() || !clause_text.contains(text.as_str()) {
            continue;
        }
        let lower = target.to_lowercase();
        if let Some(address) = lower.strip_prefix("mailto:") {
            out.insert(format!("email:{}", address.split('?').next().unwrap_or(address)));
        } else if let Some(number) = lower.strip_prefix("tel:") {
            out.insert(format!(
                "phone:{}",
                number.chars().filter(char::is_ascii_digit).collect::<String>()
            ));
        } else if lower.starts_with("http") || lower.starts_with("www.") {
            out.insert(format!("url:{}", url_key(&lower)));
        }
    }
    out
}

/// A web address without scheme, `www.` and trailing slash or dot.
fn url_key(url: &str) -> String {
    let u = url.to_lowercase();
    let u = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://")).unwrap_or(&u);
    let u = u.strip_prefix("www.").unwrap_or(u);
    u.trim_end_matches(['/', '.', ',']).to_string()
}

static COMPANY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{Han}A-Za-z0-9·()（）]{2,30}?(?:有限责任公司|股份有限公司|有限公司)|(?:[A-Z][A-Za-z0-9&'\-]*,? ){1,5}(?:Inc\.|LLC|Ltd\.|Limited|GmbH|Corp\.|Corporation|PLC|plc|Co\., Ltd\.)").unwrap()
});

/// Organisations a text names by their legal name (`…有限公司`, `… Inc.`).
fn organisations(raw: &str) -> Vec<String> {
    COMPANY
        .find_iter(raw)
        .map(|m| {
            let name = m.as_str();
            // Drop a leading verb or preposition glued to a Chinese name.
            let name = name.trim_start_matches(['向', '与', '给', '由', '和', '及']);
            name.trim().to_string()
        })
        .filter(|n| n.chars().count() >= 4)
        .collect()
}

/// A name as an id: trimmed, with a bracketed original in another script dropped
/// (`Umeng Push (友盟推送)` → `Umeng Push`).
fn display_name(cell: &str) -> String {
    strip_translation(cell).to_string()
}

/// The text of a cell without a trailing bracket that repeats the name in another script.
fn strip_translation(cell: &str) -> &str {
    for (i, c) in cell.char_indices() {
        if matches!(c, '(' | '（')
            && cell[i + c.len_utf8()..].chars().next().is_some_and(crate::normalize::is_cjk)
            && cell[..i].chars().any(|c| c.is_ascii_alphabetic())
        {
            return cell[..i].trim();
        }
    }
    cell.trim()
}

/// The role of a table column, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Purpose,
    Data,
    Company,
    Control,
    Other,
}

fn column_role(index: usize, header: &str) -> Column {
    let h = match_text(header);
    let has = |terms: &[&str]| terms.iter().any(|t| h.contains(t));
    if index == 0 {
        Column::Name
    } else if has(&["影响", "affect"]) {
        Column::Other
    } else if has(&["关闭", "turned off", "switch", "disable"]) {
        Column::Control
    } else if has(&["目的", "用途", "purpose", "业务功能", "business function"]) {
        Column::Purpose
    } else if has(&[
        "公司",
        "company",
        "运营方",
        "vendor",
        "provider",
        "主体",
        "developer",
        "开发者",
    ]) {
        Column::Company
    } else if has(&["信息", "information", "data", "字段", "collect", "收集"]) {
        Column::Data
    } else {
        Column::Other
    }
}

/// What a permission reads, by its name.
fn permission_data(name: &str) -> Option<&'static str> {
    let n = match_text(name);
    let has = |terms: &[&str]| terms.iter().any(|t| n.contains(t));
    if has(&["相机", "摄像", "camera", "相册", "照片", "photo", "麦克风", "microphone", "录音"])
    {
        Some("media")
    } else if has(&["精确位置", "精准定位", "precise location", "gps"]) {
        Some("precise_location")
    } else if has(&["位置", "定位", "location"]) {
        Some("location")
    } else if has(&["通讯录", "联系人", "contacts"]) {
        Some("contacts")
    } else if has(&["剪切板", "剪贴板", "clipboard"]) {
        Some("clipboard")
    } else if has(&["日历", "calendar"]) {
        Some("personal_info")
    } else {
        None
    }
}

/// A row of an SDK or permission table; `None` for any other table (read as text).
fn table_row(lexicon: &Lexicon, block: &Block, table: &Table) -> Option<Statement> {
    let header = match_text(&table.header.join(" "));
    let sdk = ["sdk", "第三方", "third party", "third-party", "vendor", "合作方"]
        .iter()
        .any(|t| header.contains(t));
    let permission = ["权限", "permission"].iter().any(|t| header.contains(t));
    if !sdk && !permission {
        return None;
    }
    let mut s = Statement::default();
    let cell_scan = |k: usize| Scan::new(lexicon, block.cells.get(k).map_or("", String::as_str));
    let roles: Vec<Column> =
        table.header.iter().enumerate().map(|(k, h)| column_role(k, h)).collect();
    for (k, role) in roles.iter().enumerate() {
        let cell = block.cells.get(k).map_or("", String::as_str);
        match role {
            Column::Purpose => {
                let scan = cell_scan(k);
                for p in scan.of(Field::Purpose) {
                    s.purposes.insert(p.id.to_string());
                    s.words.entry(p.id.to_string()).or_insert_with(|| scan.word(p));
                }
            }
            Column::Data if sdk => {
                let scan = cell_scan(k);
                for d in scan.of(Field::Data) {
                    s.data.insert(d.id.to_string());
                    s.items.insert(format!("{}/{}", d.id, d.item));
                    s.words.entry(d.id.to_string()).or_insert_with(|| scan.word(d));
                }
            }
            Column::Company if sdk && !cell.trim().is_empty() => {
                s.recipients.insert(format!("org:{}", display_name(cell)));
            }
            Column::Control => {
                let c = match_text(cell);
                if ["是", "可以", "可", "yes"].iter().any(|y| c.starts_with(y)) {
                    s.controls.insert("switch_off".to_string());
                }
            }
            _ => {}
        }
    }
    if s.data.len() > 1 {
        s.data.remove("personal_info");
    }
    let name = block.cells.first().map_or("", String::as_str);
    if sdk {
        s.actions.insert("share".to_string());
        s.recipients.insert("sdk".to_string());
        if !name.trim().is_empty() {
            s.recipients.insert(format!("sdk:{}", display_name(name)));
        }
        s.actor = Some("third_party");
    } else {
        s.actions.insert("collect".to_string());
        if let Some(d) = permission_data(name) {
            s.data.insert(d.to_string());
            s.items.insert(format!("{d}/{}", match_text(name)));
            s.words.insert(d.to_string(), name.trim().to_string());
        }
        s.actor = Some("we");
    }
    s.channels = channels(&block.text, block);
    Some(s)
}
