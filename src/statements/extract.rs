//! Reading one clause into a [`Statement`].
//!
//! The clause is scanned once for the lexicon's terms and markers ([`super::lexicon`]) in its
//! matching form (NFKC, lower case, contractions written out). Position decides the rest:
//!
//! * a clause is cut into **parts** at commas, colons, semicolons and brackets;
//! * **negation** has a scope: a negation cue (`不会`, `will not`, `never`, `no`) negates the
//!   practices after it in its part; `不` / `未` directly before a practice word negates it;
//!   `除非…否则不` and `未经…不` are negations with the exception as a condition; in a
//!   conditional opening (`如果您不提供…`) a negated practice is a consequence, not a promise;
//! * a practice word is **not a stated practice** when it is an attribute (`共享的个人信息`,
//!   `information collected for`), a thing named (`处理个人信息的目的`, `purposes of
//!   processing`, `the collection of`), what a safeguard protects against (`防止…泄露、使用`),
//!   the user's own act or right (`您可以删除`), inside a purpose phrase (`为了…`, `in order
//!   to`), inside a quoted title, or inside a condition with no main clause (`如果我们收集…却未
//!   征得…；`); a practice chained to such a word (`共享、转让或公开披露的`) is read alike;
//! * `提供` / `provide` is sharing when it gives to someone else or gives information, our
//!   collection when the user provides (to us), nothing when a service is provided; what the
//!   user fills in or uploads is our collection;
//! * **purposes** are read only inside purpose phrases (a leading `为了…，`, a trailing `以便…`,
//!   `to improve…`, `for advertising`) and consequences (`将无法使用支付功能`); the generic
//!   words (`服务`, `功能`, `services`) give `service` only where the phrase names nothing more
//!   specific;
//! * **recipients** count beside a practice that gives information away: the lexicon's classes,
//!   and any other noun phrase after `向` / `与` / `给` or `with` / `to` (class `third_party`,
//!   item `recipient/<words>`); `这些合作伙伴`, `these partners` and a recipient left out after
//!   `而` / `and` stand for those of the block's earlier clauses; a recipient that is the
//!   clause's subject (`我们的合作伙伴无权…`) is its actor;
//! * **data** are the lexicon's kinds, `上述信息` / `such information` for the data of the
//!   block's earlier clauses, and any other `您的…信息` / `your … data` noun phrase or item of a
//!   `以下信息：` list (`personal_info`, item `personal_info/<words>`);
//! * asking for consent (`征得您的同意`) is a condition, and the clause's practice when it is its
//!   main predicate (`…前会事先征求您的同意`); a denied condition (`无需…同意`, `without
//!   obtaining your consent`) is none;
//! * a table row is read by its header: an SDK table gives `share` to the SDK and its company,
//!   a permission table `collect` of what the permission reads.

use super::lexicon::{Field, Hit, LEXICON_COMPILED, Lexicon};
use super::{Polarity, Statement, is_transfer};
use crate::document::{Block, BlockKind, Table};
use crate::normalize::{URL, durations, is_cjk, match_text, url_key};
use regex::Regex;
use std::cell::RefCell;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// A term found in the clause with its entry's field and id.
#[derive(Debug, Clone, Copy)]
struct Found<'a> {
    start: usize,
    end: usize,
    field: Field,
    id: &'a str,
    item: &'a str,
}

impl Found<'_> {
    /// A practice word (a lexicon action, `提供`, what the user fills in, `transfer`).
    fn is_verb(&self) -> bool {
        matches!(self.field, Field::Action | Field::Give | Field::UserSupply | Field::TransferVerb)
    }

    /// Something information is (a kind of data, `上述信息`, bare `信息`).
    fn is_object(&self) -> bool {
        matches!(self.field, Field::Data | Field::Anaphora | Field::Object)
    }
}

/// A clause in its matching form, with every term and marker found in it.
struct Scan<'a> {
    text: String,
    /// Terms and markers, by start.
    found: Vec<Found<'a>>,
    /// Byte offsets where parts start (after `,` `:` `;` `(` `)`).
    part_starts: Vec<usize>,
    /// Byte ranges inside quotation or title marks.
    quotes: Vec<(usize, usize)>,
    /// Noun phrases naming personal information the lexicon does not know (`您的车牌号`).
    phrases: Vec<(usize, usize)>,
    /// Named countries and regions, kept apart from `found` so that they change nothing else.
    destinations: Vec<Found<'a>>,
    /// Words the clause writes with a capital, not counting its first word (lower-cased); only
    /// gathered when the clause has a modal verb ([`Scan::party_before_predicate`] reads them
    /// there).
    names: Vec<String>,
}

thread_local! {
    /// The automaton's hits, reused from clause to clause.
    static HITS: RefCell<Vec<Hit>> = const { RefCell::new(Vec::new()) };
}

/// The countries and regions `raw` names (`If you live in the European Economic Area or
/// Switzerland` → `eu`, `switzerland`), by their ids in the lexicon's `[destinations]`.
pub(crate) fn regions(raw: &str) -> std::collections::BTreeSet<&'static str> {
    Scan::new(&LEXICON_COMPILED, raw).destinations.iter().map(|d| d.id).collect()
}

/// The [`match_text`] form of a clause, mapped character by character when the clause is
/// written in ASCII, CJK ideographs and the common full-width and CJK punctuation (the general
/// path runs NFKC over the whole text, the larger part of reading a Chinese clause).
fn matching_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars() {
        let c = match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            '\u{0}'..='\u{7f}' => c,
            '你' | '妳' => '您',
            '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' => c,
            // Full-width ASCII: NFKC gives the ASCII character.
            '\u{FF01}'..='\u{FF5E}' => {
                char::from_u32(c as u32 - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase())
            }
            '\u{3000}' | '\u{A0}' => ' ',
            '。' | '、' | '“' | '”' | '‘' | '《' | '》' | '【' | '】' | '「' | '」' | '『'
            | '』' | '〔' | '〕' | '—' | '·' | '●' | '•' => c,
            _ => return match_text(raw),
        };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            let prev = out.chars().next_back().unwrap_or(' ');
            if !is_cjk(prev) && !is_cjk(c) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    if out.contains('\'') || out.contains("can not") {
        return match_text(raw);
    }
    out
}

/// Who performs a practice word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    We,
    User,
    /// Another party (`合作伙伴取得…`, `those entities have obtained`).
    Other,
    Unknown,
}

/// A conditional opening (`如果…，`, `if …,`): its span, and whether a main clause follows.
#[derive(Debug, Clone, Copy)]
struct Protasis {
    start: usize,
    end: usize,
    main: bool,
}

/// A purpose phrase: its byte range, whether it opens a part, and whether only specific
/// purposes count in it (`for …`).
#[derive(Debug, Clone, Copy)]
struct Scope {
    start: usize,
    /// Where the cue ends (the cue itself is not inside: `用于` may be the practice).
    cue_end: usize,
    end: usize,
    opens_part: bool,
    specific_only: bool,
}

impl<'a> Scan<'a> {
    fn new(lexicon: &'a Lexicon, raw: &str) -> Scan<'a> {
        let text = matching_text(raw);
        let found = HITS.with(|hits| {
            let mut hits = hits.borrow_mut();
            lexicon.scan_into(&text, &mut hits);
            hits.iter()
                .map(|h| {
                    let e = lexicon.entry(h);
                    Found { start: h.start, end: h.end, field: e.field, id: &e.id, item: &e.item }
                })
                .collect()
        });
        // Bare words (`信息`, `服务`) inside a longer term are that term's (`服务提供商`).
        let mut found: Vec<Found<'a>> = found;
        let spans: Vec<(usize, usize, Field)> = found
            .iter()
            .filter(|f: &&Found<'_>| {
                (f.field.layer() == 0 && f.field != Field::Data)
                    || f.field == Field::RecipientAnaphora
            })
            .map(|f| (f.start, f.end, f.field))
            .collect();
        found.retain(|f| {
            let inside = |fields: &dyn Fn(Field) -> bool| {
                spans.iter().any(|&(a, b, g)| {
                    fields(g) && a <= f.start && f.end <= b && (a, b) != (f.start, f.end)
                })
            };
            match f.field {
                // A name of an SDK (`微信SDK`) names no information; nor does the verb
                // `address` (`before you address them`, `to address your concerns`).
                Field::Data => {
                    let sdk = text[f.end..].trim_start().starts_with("sdk");
                    let verb = &text[f.start..f.end] == "address"
                        && verb_address(&text[..f.start], &text[f.end..]);
                    !sdk && !verb
                }
                Field::Object | Field::Tool | Field::GenericService => !inside(&|_| true),
                Field::Anaphora => !inside(&|g| g == Field::RecipientAnaphora),
                _ => true,
            }
        });
        obtained_data(&text, &mut found);
        // In place: most clauses name no country, and `found` is not copied for them.
        let destinations: Vec<Found<'a>> =
            found.extract_if(.., |f| f.field == Field::Destination).collect();
        let mut part_starts = vec![0];
        let mut quotes = Vec::new();
        let mut open: Option<(char, usize)> = None;
        for (i, c) in text.char_indices() {
            match c {
                ',' | ':' | ';' | '(' | ')' => part_starts.push(i + 1),
                '“' | '《' | '「' if open.is_none() => open = Some((c, i)),
                '"' if open.is_none() => open = Some((c, i)),
                '”' | '》' | '」' | '"' => {
                    if let Some((o, at)) = open
                        && matches!((o, c), ('“', '”') | ('《', '》') | ('「', '」') | ('"', '"'))
                    {
                        quotes.push((at, i + c.len_utf8()));
                        open = None;
                    }
                }
                _ => {}
            }
        }
        // Words written with a capital after the first (`Qwant`, `Apple`), in matching form:
        // read only before a modal verb, so only gathered in a clause that has one.
        let names: Vec<String> =
            if found.iter().any(|f| matches!(f.field, Field::May | Field::Must | Field::Will)) {
                raw.split(|c: char| !c.is_alphanumeric() && c != '-')
                    .filter(|w| !w.is_empty())
                    .skip(1)
                    .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
                    .map(str::to_ascii_lowercase)
                    .collect()
            } else {
                Vec::new()
            };
        let mut scan =
            Scan { text, found, part_starts, quotes, phrases: Vec::new(), destinations, names };
        if scan.has(Field::NotSubject) || scan.has(Field::DataList) {
            scan.phrases = data_phrases(&scan);
        }
        scan
    }

    /// Whether information is named at `start` or after it, before `end`: a kind of data, bare
    /// information, an anaphora, or a noun phrase naming personal information.
    fn object_in(&self, start: usize, end: usize) -> bool {
        self.found.iter().any(|f| f.start >= start && f.start < end && f.is_object())
            || self.phrases.iter().any(|&(a, _)| a >= start && a < end)
    }

    /// The index (from 1) of the part byte `at` lies in.
    fn part(&self, at: usize) -> usize {
        self.part_starts.partition_point(|&s| s <= at)
    }

    /// The byte range of part `part`.
    fn part_span(&self, part: usize) -> (usize, usize) {
        (self.part_starts[part - 1], self.part_starts.get(part).copied().unwrap_or(self.text.len()))
    }

    fn of(&self, field: Field) -> impl Iterator<Item = &Found<'a>> + '_ {
        self.found.iter().filter(move |f| f.field == field)
    }

    fn has(&self, field: Field) -> bool {
        self.found.iter().any(|f| f.field == field)
    }

    /// Whether a hit of `field` starts at `at`.
    fn starts_with(&self, at: usize, field: Field) -> Option<&Found<'a>> {
        self.found.iter().find(|f| f.start == at && f.field == field)
    }

    fn word(&self, f: &Found<'_>) -> String {
        self.text[f.start..f.end].trim().to_string()
    }

    fn quoted(&self, at: usize) -> bool {
        self.quotes.iter().any(|&(a, b)| at > a && at < b)
    }

    /// Whether `at` starts its part: only spaces, a list enumerator (first part) and
    /// continuations (`或`, `and`) come before it.
    fn opens_part(&self, at: usize, lead: usize) -> bool {
        let (start, _) = self.part_span(self.part(at));
        let mut i = if start == 0 { lead.min(at) } else { start };
        loop {
            i = skip_spaces(&self.text, i);
            if i >= at {
                return true;
            }
            match self.starts_with(i, Field::Continuation) {
                Some(c) if c.end <= at => i = c.end,
                _ => match FOCUS_ADVERBS.iter().find(|w| self.text[i..at].starts_with(**w)) {
                    Some(w) => i += w.len(),
                    None => return false,
                },
            }
        }
    }

    /// Who performs the practice word at `at`: the nearest subject before it (a pronoun right
    /// after another practice word is its object, not a subject).
    fn subject_before(&self, at: usize) -> Subject {
        let mut candidates: Vec<(usize, Subject)> = Vec::new();
        let mut verb_end = usize::MAX;
        // A French pronoun after another subject with no practice word between is the verb's
        // object (`nous vous envoyons`, `vous nous fournissez`, `nous pouvons vous contacter`).
        let clitic = |f: &Found<'_>, candidates: &[(usize, Subject)], verb_end: usize| {
            matches!(&self.text[f.start..f.end], "vous" | "nous")
                && candidates.last().is_some_and(|&(end, _)| {
                    (verb_end == usize::MAX || verb_end < end)
                        && self.part(end.saturating_sub(1)) == self.part(f.start)
                })
        };
        for (k, f) in self.found.iter().enumerate() {
            if f.end > at {
                if f.start >= at {
                    break;
                }
                continue;
            }
            // `我们关联公司`: a possessive before a party, not a subject.
            let before_party = self.found[k + 1..]
                .iter()
                .take_while(|n| n.start <= f.end)
                .any(|n| n.start == f.end && n.field == Field::Recipient);
            match f.field {
                _ if f.is_verb() => verb_end = f.end,
                Field::SubjectWe | Field::SubjectUser if clitic(f, &candidates, verb_end) => {}
                Field::SubjectWe if !before_party => candidates.push((f.end, Subject::We)),
                Field::SubjectUser
                    if f.start != verb_end && !object_before_conjunction(&self.text[f.end..at]) =>
                {
                    candidates.push((f.end, Subject::User))
                }
                // `您授权我们收集`, `you authorize us to collect`: the user lets us act; we
                // are who collects.
                Field::NotSubject if permits_us(&self.text, f) => {
                    candidates.push((f.end, Subject::We))
                }
                Field::Recipient | Field::RecipientAnaphora if self.party_subject(k, verb_end) => {
                    candidates.push((f.end, Subject::Other))
                }
                _ => {}
            }
        }
        // A subject inside a relative clause (`您选定的数据中心`) is not the practice's; a
        // possessive (`自己的`, `我们的`) closes none.
        let relative = |from: usize| {
            self.text[from..at].char_indices().any(|(i, c)| {
                let at_de = from + i;
                c == '的'
                    && !self
                        .found
                        .iter()
                        .any(|f| f.field == Field::NotSubject && f.start <= at_de && at_de < f.end)
                    && !self.text[..at_de]
                        .ends_with(['己', '您', '们', '其', '他', '她', '它', '人'])
            })
        };
        candidates
            .iter()
            .rev()
            .find(|(end, _)| !relative(*end))
            .map_or(Subject::Unknown, |&(_, s)| s)
    }

    /// Whether the party named by hit `k` is the subject of what follows it: not inside a
    /// longer name, not governed by a preposition or a verb since the last practice word (ending
    /// at `verb_end`), and followed by a predicate (`合作伙伴取得…`, `those entities have
    /// obtained`, `我们的合作伙伴无权…`).
    fn party_subject(&self, k: usize, verb_end: usize) -> bool {
        let f = &self.found[k];
        let text = self.text.as_str();
        // Adverbs listed as parties (`相互分享`, `share with each other`) are no subject.
        if matches!(&text[f.start..f.end], "相互" | "彼此" | "each other" | "one another") {
            return false;
        }
        let inside = self.found.iter().any(|g| {
            g.field == Field::RecipientAnaphora
                && g.start <= f.start
                && f.end <= g.end
                && (g.start, g.end) != (f.start, f.end)
        });
        let (part_start, _) = self.part_span(self.part(f.start));
        let from =
            if verb_end == usize::MAX || verb_end < part_start { part_start } else { verb_end };
        let gap = text[from.min(f.start)..f.start].trim();
        let governed = (from == verb_end
            && gap.split_whitespace().all(|w| {
                matches!(w, "the" | "our" | "these" | "those" | "such" | "its" | "their")
            }))
            || ["向", "与", "给", "同", "对", "从", "由", "被", "通过", "借助"]
                .iter()
                .any(|p| gap.contains(p))
            || gap.split_whitespace().any(|w| {
                matches!(
                    w,
                    "with" | "to" | "for" | "of" | "by" | "from" | "than"
                            // French and German prepositions (`à des annonceurs`, `an Partner`).
                            | "through" | "via" | "using"
                            | "à" | "aux" | "avec" | "pour" | "par" | "an" | "mit" | "für" | "von"
                )
            });
        let rest = text[f.end..].trim_start();
        let predicate = self.found.iter().any(|g| {
            g.start >= f.end
                && g.start <= f.end + rest.len().min(12)
                && (g.is_verb()
                    || matches!(
                        g.field,
                        Field::Ask | Field::Negation | Field::May | Field::Must | Field::Will
                    ))
                && text[f.end..g.start].split_whitespace().count() <= 2
                && text[f.end..g.start].chars().filter(|c| is_cjk(*c)).count() <= 2
        });
        !inside && !governed && predicate
    }

    /// The noun phrase of the party that collects at `at` when it is a third party, an advertiser,
    /// an analytics provider or an SDK (the nearest such subject in the same part): from the start of the part (after
    /// adverbs of place and time) to the end of the party's name.
    fn collecting_party(&self, at: usize) -> Option<(usize, usize)> {
        let (part_start, _) = self.part_span(self.part(at));
        // The party is the subject: followed by its predicate, or opening the part (`微信SDK在特定
        // 情况下会读取…`) with no other subject before the practice word.
        let (_, f) = self.found.iter().enumerate().rev().find(|(k, f)| {
            f.end <= at
                && f.start >= part_start
                && f.field == Field::Recipient
                && (self.party_subject(*k, usize::MAX)
                    || (self.text[part_start..f.start].chars().count() <= 16
                        && !self.found.iter().any(|g| {
                            g.start >= part_start
                                && g.end <= f.start
                                && (g.is_verb()
                                    || matches!(
                                        g.field,
                                        Field::SubjectWe
                                            | Field::SubjectUser
                                            | Field::NotSubject
                                            | Field::Conditional
                                            | Field::PurposeCue
                                            | Field::PurposeLead
                                    ))
                        })
                        && !self.found.iter().any(|g| {
                            g.start >= f.end
                                && g.end <= at
                                && (g.is_verb()
                                    || matches!(g.field, Field::SubjectWe | Field::SubjectUser))
                        })))
        })?;
        if self.found.iter().any(|g| {
            g.start >= f.end
                && g.end <= at
                && matches!(g.field, Field::SubjectWe | Field::SubjectUser)
        }) {
            return None;
        }
        // Partners and affiliates obtaining information (`合作伙伴取得您授权…的信息`) are a source
        // of what we receive, not recipients; any party that receives it (`insurers will
        // receive your health information`) is a recipient.
        if !matches!(f.id, "sdk" | "third_party" | "advertiser" | "analytics")
            && !self.text[at..].starts_with("receiv")
        {
            return None;
        }
        // The phrase starts after the last word that cannot be part of a name.
        let before = &self.text[part_start..f.start];
        let start = ["我们", "时", "后", "中", "的", "了", "会", "将", "also ", "then "]
            .iter()
            .filter_map(|w| before.rfind(w).map(|i| part_start + i + w.len()))
            .max()
            .unwrap_or(part_start);
        Some((skip_spaces(&self.text, start), f.end))
    }

    /// The conditional opening of the clause, if it starts with one.
    fn protasis(&self, lead: usize) -> Option<Protasis> {
        let c = self.of(Field::Conditional).find(|c| {
            c.start >= lead && self.part(c.start) == 1 && self.opens_part(c.start, lead)
        })?;
        for p in 2..=self.part_starts.len() {
            let (s, e) = self.part_span(p);
            let at = skip_spaces(&self.text, s);
            if at >= e {
                continue;
            }
            if self.starts_with(at, Field::Continuation).is_none() {
                return Some(Protasis { start: c.start, end: s, main: true });
            }
        }
        Some(Protasis { start: c.start, end: self.text.len(), main: false })
    }

    /// Whether the part starting at `at` opens a main clause: a subject, a possessive, a kind
    /// of data or a modal verb comes first.
    fn starts_main(&self, at: usize) -> bool {
        let at = skip_spaces(&self.text, at);
        self.found.iter().any(|f| {
            f.start == at
                && (matches!(
                    f.field,
                    Field::SubjectWe
                        | Field::SubjectUser
                        | Field::Data
                        | Field::May
                        | Field::Must
                        | Field::Will
                        | Field::Anaphora
                ) || (f.field == Field::NotSubject
                    && is_possessive(&self.text[f.start..f.end])))
        }) || self.found.iter().enumerate().any(|(k, f)| {
            f.start == at && f.field == Field::Recipient && self.party_subject(k, usize::MAX)
        }) || ["there ", "it ", "this ", "these ", "such ", "they ", "he ", "she "]
            .iter()
            .any(|w| self.text[at..].starts_with(w))
            || self.party_before_predicate(at)
    }

    /// `电商平台可能需要收集…`, `the platform may collect …`, `Qwant may collect …`: a short noun
    /// phrase the lexicon does not know as a party (six ideographs at most, `the` and two words,
    /// or a capitalised name before a modal verb) right before a modal verb or a practice word is
    /// the subject of a main clause.
    fn party_before_predicate(&self, at: usize) -> bool {
        let (_, part_end) = self.part_span(self.part(at));
        // Names of tools and services (`平台`, `platform`) may be part of the phrase.
        let Some(g) = self.found.iter().find(|g| {
            g.start >= at
                && g.start < part_end
                && !matches!(g.field, Field::Tool | Field::GenericService)
        }) else {
            return false;
        };
        if !(g.is_verb() || matches!(g.field, Field::May | Field::Must | Field::Will)) {
            return false;
        }
        let gap = self.text[at..g.start].trim();
        if gap.is_empty() {
            return false;
        }
        let cjk = gap.chars().count() <= 6 && gap.chars().all(is_cjk);
        let words: Vec<&str> = gap.split_whitespace().collect();
        let latin = words.len() <= 3
            && matches!(words[0], "the" | "our" | "each" | "any" | "that" | "those")
            && words.iter().all(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '-'));
        // A name of one word, written with a capital, before a modal verb (`Qwant may need to
        // collect`): the operator, the subject of the main clause. Not a word written in lower
        // case (`parents must review`), a pronoun (`nothing will be sold`) or a joining word.
        let name = words.len() == 1
            && matches!(g.field, Field::May | Field::Must | Field::Will)
            // and the practice after it is one of ours to state (`collect`), not a giving
            // that another party's subject would make sharing (`Admins may provide …`).
            && self
                .found
                .iter()
                .find(|f| f.start > g.end && f.start < part_end && f.is_verb())
                .is_some_and(|f| f.field == Field::Action)
            && words[0].chars().all(|c| c.is_ascii_alphabetic() || c == '-')
            && self.names.iter().any(|n| n == words[0])
            && !matches!(
                words[0],
                "which"
                    | "who"
                    | "whom"
                    | "that"
                    | "what"
                    | "where"
                    | "when"
                    | "and"
                    | "or"
                    | "but"
                    | "also"
                    | "then"
                    | "so"
                    | "as"
                    | "if"
                    | "we"
                    | "you"
                    | "nothing"
                    | "nobody"
                    | "none"
                    | "no-one"
                    | "neither"
            );
        cjk || latin || name
    }

    /// The purpose phrases opened in the clause; mid-part phrases run to the end of the clause
    /// until [`Scan::close_scopes`] ends them at the practice that follows.
    ///
    /// Also returns the cues found inside an earlier phrase: [`nested_purposes`] opens them
    /// once the practices are read.
    fn purpose_scopes(&self, lead: usize) -> (Vec<Scope>, Vec<Scope>) {
        let text = &self.text;
        let mut out: Vec<Scope> = Vec::new();
        let mut nested: Vec<Scope> = Vec::new();
        for f in &self.found {
            if !matches!(
                f.field,
                Field::PurposeCue | Field::PurposeLead | Field::PurposeFor | Field::PurposeFrame
            ) {
                continue;
            }
            let opens_part = self.opens_part(f.start, lead);
            // `pour` before an infinitive (`pour vous envoyer`) is a purpose cue like `afin de`;
            // before a noun (`pour la publicité`) it names a purpose right after it.
            let field = if f.field == Field::PurposeFor
                && &text[f.start..f.end] == "pour"
                && french_infinitive_after(text, f.end)
            {
                Field::PurposeCue
            } else {
                f.field
            };
            let valid = match field {
                Field::PurposeCue => !english_complement(text, f.start),
                Field::PurposeLead => {
                    let next = text[f.end..].trim_start();
                    (opens_part || self.infinitive_after_practice(f))
                        && match &text[f.start..f.end] {
                            "为" => !["您", "其", "他人", "其他", "用户", "我们", "本"]
                                .iter()
                                .any(|p| next.starts_with(p)),
                            // `以为` is "believe", but `以为您提供` is "in order to provide you".
                            "以" => {
                                !["下", "上", "外", "及", "后", "前", "内", "来", "为", "免"]
                                    .iter()
                                    .any(|p| next.starts_with(p))
                                    || ["为您", "为你", "为用户"]
                                        .iter()
                                        .any(|p| next.starts_with(p))
                            }
                            "来" => !["自", "源", "说"].iter().any(|p| next.starts_with(p)),
                            _ => !DETERMINERS.iter().any(|d| {
                                next.starts_with(d)
                                    && !next[d.len()..].starts_with(|c: char| c.is_alphanumeric())
                            }),
                        }
                }
                Field::PurposeFrame if opens_part => {
                    let (_, part_end) = self.part_span(self.part(f.start));
                    out.push(Scope {
                        start: f.start,
                        cue_end: f.end,
                        end: part_end,
                        opens_part: false,
                        specific_only: true,
                    });
                    continue;
                }
                Field::PurposeFor => {
                    let (_, part_end) = self.part_span(self.part(f.start));
                    let end = if &text[f.start..f.end] == "出于" {
                        text[f.end..part_end].find("目的").map_or(part_end, |i| f.end + i)
                    } else {
                        let mut end = (f.end + 32).min(part_end);
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        end
                    };
                    out.push(Scope {
                        start: f.start,
                        cue_end: f.end,
                        end,
                        opens_part: false,
                        specific_only: true,
                    });
                    continue;
                }
                _ => continue,
            };
            // `适用于` (applies to) is no `用于` (used for).
            let applies = &text[f.start..f.end] == "用于" && text[..f.start].ends_with('适');
            if !valid || applies {
                continue;
            }
            let end = if opens_part {
                // Up to the part that opens the main clause.
                self.part_starts
                    .iter()
                    .copied()
                    .find(|&p| p > f.start && self.starts_main(p))
                    .unwrap_or(text.len())
            } else {
                text.len()
            };
            let scope =
                Scope { start: f.start, cue_end: f.end, end, opens_part, specific_only: false };
            if out.iter().any(|s| s.start <= f.start && f.start < s.end && !s.specific_only) {
                nested.push(scope);
            } else {
                out.push(scope);
            }
        }
        (out, nested)
    }

    /// Whether the English `to` of `f` opens an infinitive of purpose after a practice in the
    /// same part (`we use your location to suggest nearby stores`): a practice word that gives
    /// nothing away comes before it, it completes no verb (`ask you to`), and the word after it
    /// is no noun the lexicon knows (`transfer to China`).
    fn infinitive_after_practice(&self, f: &Found<'_>) -> bool {
        let text = self.text.as_str();
        if &text[f.start..f.end] != "to" || english_complement(text, f.start) {
            return false;
        }
        // `related to`, `according to`, `access to`: a preposition.
        let before = text[..f.start].split_whitespace().next_back().unwrap_or("");
        if matches!(
            before,
            "related"
                | "relating"
                | "according"
                | "due"
                | "prior"
                | "up"
                | "access"
                | "subject"
                | "pursuant"
                | "next"
                | "similar"
                | "compared"
                | "addition"
                | "respect"
                | "regard"
                | "reference"
                | "belonging"
                | "available"
                | "applicable"
        ) {
            return false;
        }
        let (part_start, _) = self.part_span(self.part(f.start));
        let next = skip_spaces(text, f.end);
        let word_end = text[next..]
            .find(|c: char| !(c.is_alphanumeric() || c == '-'))
            .map_or(text.len(), |i| next + i);
        next < word_end
            && text[next..word_end].chars().all(|c| c.is_ascii_lowercase())
            && self.found.iter().any(|g| g.is_verb() && g.start >= part_start && g.end <= f.start)
            // After giving away (`sell … to debt collectors`), `to` names the recipient.
            && !self.found.iter().any(|g| {
                g.start >= part_start
                    && g.end <= f.start
                    && (matches!(g.field, Field::Give | Field::TransferVerb)
                        || (g.field == Field::Action && is_transfer(action_id(g.id))))
            })
            && !self.found.iter().any(|g| {
                g.start == next
                    && matches!(
                        g.field,
                        Field::Recipient
                            | Field::RecipientAnaphora
                            | Field::Data
                            | Field::Place
                            | Field::SubjectWe
                            | Field::SubjectUser
                            | Field::NotSubject
                            | Field::Object
                            | Field::Tool
                            | Field::GenericService
                    )
            })
    }

    /// Whether the practice word `a` is inside the purpose phrase `scope` (a mid-part phrase
    /// holds what follows its cue in the same part, unless the practice has its own object:
    /// `为了…向保险公司出售您的信息`).
    fn in_scope(&self, scope: &Scope, a: &Found<'_>) -> bool {
        if scope.specific_only || a.start < scope.cue_end || a.start >= scope.end {
            return false;
        }
        if scope.opens_part {
            return true;
        }
        if self.part(scope.start) != self.part(a.start)
            || self.text[scope.start..a.start].contains('而')
        {
            return false;
        }
        let (_, part_end) = self.part_span(self.part(a.start));
        let object_after = self.object_in(a.end, part_end);
        let object_before = self.object_fronted(scope.start, a.start);
        !(object_after || object_before)
    }

    /// Whether information is fronted by `将` / `把` / `对` between `from` and the practice word at
    /// `at` (`将您的信息共享给…`, `对您的业务数据进行…使用`).
    fn object_fronted(&self, from: usize, at: usize) -> bool {
        let between = &self.text[from..at];
        ["将", "把", "对"].iter().filter_map(|p| between.find(p)).any(|i| {
            self.found.iter().any(|f| f.start >= from + i && f.end <= at && f.is_object())
                || self.phrases.iter().any(|&(a, b)| a >= from + i && b <= at)
        })
    }

    /// Ends each mid-part purpose phrase where the next stated practice starts (at its
    /// preposition: `为了…|向保险公司出售`).
    fn close_scopes(&self, scopes: &mut [Scope], kept: &[Kept]) {
        for scope in scopes.iter_mut().filter(|s| !s.opens_part && !s.specific_only) {
            if let Some(k) = kept.iter().filter(|k| k.start > scope.start).min_by_key(|k| k.start) {
                let between = &self.text[scope.start..k.start];
                let vp = ["向", "将", "把", "与", "给", "对"]
                    .iter()
                    .filter_map(|p| between.rfind(p))
                    .max()
                    .map_or(k.start, |i| scope.start + i);
                scope.end = scope.end.min(vp.max(scope.start));
            }
        }
    }
}

/// Purpose cues found inside an earlier purpose phrase that a practice then ended (`… pour
/// traiter les photos … dans le seul but d'empêcher l'usurpation d'identité`: `pour traiter` is
/// the practice, the rest names its purpose) open a phrase of their own after that practice.
/// They are added once the practices are read, so they only name purposes; a cue still inside
/// a phrase stays part of it. Not after a negation with no affirmed practice between, or in a
/// clause with a negated practice, where the purpose may be the promise's (`… and never use it
/// to send you marketing`).
fn nested_purposes(scan: &Scan<'_>, scopes: &mut Vec<Scope>, nested: Vec<Scope>, kept: &[Kept]) {
    // A negation anywhere before the cue (`never use it to …`, `without sharing it … to …`)
    // may be the cue's.
    if kept.iter().any(|k| k.negated) {
        return;
    }
    let text = scan.text.as_str();
    // A practice the clause affirms between a negation and the cue takes the cue (`… so that
    // it no longer identifies you and use it for the purposes above, such as to analyze …`),
    // unless the negation stands right before it (`… and never use it to …`: the practice's,
    // whatever the practice was read as). `without` blocks the cue whatever follows it
    // (`without sharing it … to …`).
    let negation_before = |at: usize| {
        scan.of(Field::Negation).any(|n| {
            n.start < at
                && !kept.iter().any(|k| {
                    k.start >= n.end
                        && k.end <= at
                        && !text[n.end..k.start]
                            .split_whitespace()
                            .all(|w| matches!(w, "be" | "been" | "ever" | "again" | "also" | "to"))
                })
        }) || ["without", "sans ", "ohne ", "而非", "而不是"].iter().any(|w| text[..at].contains(w))
    };
    let inside_a_phrase =
        |at: usize| scopes.iter().any(|s| !s.specific_only && s.start <= at && at < s.end);
    let mut opened: Vec<Scope> = nested
        .into_iter()
        .filter(|n| !negation_before(n.start) && !inside_a_phrase(n.start))
        .collect();
    scan.close_scopes(&mut opened, kept);
    scopes.extend(opened);
}

/// Adverbs that may come before a cue at the start of a part (`仅为实现…`, `only to …`).
const FOCUS_ADVERBS: [&str; 11] =
    ["仅仅", "仅", "只", "主要", "也", "还", "only ", "solely ", "mainly ", "also ", "primarily "];

/// English words that open a noun phrase (`to the public` is no purpose).
const DETERMINERS: [&str; 16] = [
    "the", "a", "an", "our", "your", "their", "its", "us", "you", "them", "any", "other", "third",
    "such", "these", "those",
];

/// Verbs whose `to` takes a complement, not a purpose (`ask you to provide`, `need to`).
const COMPLEMENT_VERBS: [&str; 34] = [
    "ask", "asks", "asked", "require", "requires", "required", "need", "needs", "want", "wish",
    "agree", "choose", "decide", "continue", "refuse", "unable", "able", "allow", "permit",
    "going", "have", "has", "like", "request", "expect", "try", "intend", "fail", "cease",
    "ceases", "stop", "stops", "begin", "start",
];

/// Whether the English `to` at `at` completes a verb (`ask you to provide`) rather than opening
/// a purpose.
fn english_complement(text: &str, at: usize) -> bool {
    if !text[at..].starts_with("to ") {
        return false;
    }
    let mut words = text[..at].split_whitespace().rev();
    let Some(mut prev) = words.next() else { return false };
    if matches!(prev, "you" | "us" | "them" | "him" | "her" | "users") {
        prev = words.next().unwrap_or("");
    }
    COMPLEMENT_VERBS.contains(&prev.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// Whether a French infinitive follows `at`, after any object pronouns (`pour vous envoyer`,
/// `pour les partager`, `pour en améliorer`): `pour` then opens a purpose phrase.
fn french_infinitive_after(text: &str, at: usize) -> bool {
    let mut words =
        text[at..].split(|c: char| c.is_whitespace() || c == '\'').filter(|w| !w.is_empty());
    let word = words
        .find(|w| {
            !matches!(
                *w,
                "vous" | "nous" | "les" | "leur" | "lui" | "en" | "y" | "se" | "s" | "l" | "mieux"
            )
        })
        .unwrap_or("");
    let word = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    word.chars().count() > 3
        && (word.ends_with("er") || word.ends_with("ir") || word.ends_with("re"))
        && !matches!(
            word,
            "leur"
                | "autre"
                | "votre"
                | "notre"
                | "entre"
                | "contre"
                | "premier"
                | "dernier"
                | "tiers"
                | "cadre"
                | "ordre"
                | "titre"
                | "nombre"
        )
}

fn skip_spaces(text: &str, at: usize) -> usize {
    at + text[at..].len() - text[at..].trim_start().len()
}

fn is_possessive(word: &str) -> bool {
    matches!(word, "您的" | "用户的" | "我们的" | "your" | "our")
}

/// The byte offset after a leading list enumerator (`1、`, `(1)`, `a.`, `•`) and spaces.
fn lead(text: &str) -> usize {
    let mut i = skip_spaces(text, 0);
    let rest = &text[i..];
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    if let Some(inner) = rest.strip_prefix('(')
        && let Some(close) = inner.find(')')
        && close <= 6
        && inner[..close].chars().all(|c| numeral(c) || c.is_ascii_alphabetic())
    {
        i += 1 + close + 1;
    } else {
        let n: usize = rest.chars().take_while(|&c| numeral(c)).map(char::len_utf8).sum();
        let after = &rest[n..];
        if n > 0 && after.starts_with(['、', '.', ')', '．']) {
            let sep = after.chars().next().map_or(0, char::len_utf8);
            if !after[sep..].starts_with(|c: char| c.is_ascii_digit()) {
                i += n + sep;
            }
        } else if rest.starts_with(['•', '·', '-', '*', '●', '▪']) {
            i += rest.chars().next().map_or(0, char::len_utf8);
        }
    }
    skip_spaces(text, i)
}

/// Whether `at` lies in an exception (`除非…`, `unless …`, `except …`), up to `否则` /
/// `otherwise` or the end of its part and the parts that continue it.
fn in_exception(scan: &Scan<'_>, at: usize) -> bool {
    let text = scan.text.as_str();
    scan.of(Field::Exception).any(|e| {
        if e.start >= at
            || !matches!(
                &text[e.start..e.end],
                "除非" | "unless" | "except" | "sauf" | "à moins que" | "außer" | "es sei denn"
            )
        {
            return false;
        }
        if ["否则", "otherwise", "sinon", "andernfalls"].iter().any(|o| text[e.end..at].contains(o))
        {
            return false;
        }
        (scan.part(e.start)..scan.part(at)).all(|p| {
            let (next, _) = scan.part_span(p + 1);
            scan.starts_with(skip_spaces(text, next), Field::Continuation).is_some()
        })
    })
}

/// Whether no comma, colon or semicolon lies between `from` and `to` outside brackets (a
/// bracketed aside does not end a negation's scope).
fn same_sentence_part(text: &str, from: usize, to: usize) -> bool {
    let mut depth = 0usize;
    for c in text[from..to].chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ':' | ';' if depth == 0 => return false,
            _ => {}
        }
    }
    true
}

/// Practice words of a crawler (`to crawl`, `to scrape`): collection, even where the words
/// read as a purpose (`… uses a web crawler to crawl information that is publicly available`).
const CRAWL_WORDS: [&str; 2] = ["to crawl", "to scrape"];

/// Whether a crawling word (`to crawl`, `to scrape`) is a crawler's of ours: a crawler or bot
/// named before it in the clause (`a web crawler`, `Applebot`), the word whole (`to scrape`,
/// not `to scrape-proof`), and no other party or the user its subject.
fn our_crawler(scan: &Scan<'_>, a: &Found<'_>) -> bool {
    let text = scan.text.as_str();
    let whole = !text[a.end..].starts_with(|c: char| c == '-' || c.is_alphanumeric());
    let named = text[..a.start]
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "crawler" || w == "crawlers" || (w.ends_with("bot") && w != "robot"));
    whole && named && !matches!(scan.subject_before(a.start), Subject::User | Subject::Other)
}

/// Whether a negation ending at `from` reaches a practice word at `to`: within one part of the
/// sentence ([`same_sentence_part`]), or across a comma that only adds another infinitive to
/// a negated attempt (`make no attempt to connect data …, or to build profiles about
/// individuals`, apple 014→015).
fn negation_reaches(text: &str, from: usize, to: usize) -> bool {
    // Only a negation of an attempt (`no attempt to`, `do not seek to`, `never try to`)
    // reaches past the comma: in `data that is not sensitive …, or to sell it` the negation is
    // a relative clause's, and in `the right not to respond …, or to share` or `in order not
    // to show …, or to track` the second infinitive is the main verb's.
    let attempt = {
        let after = text[from..].trim_start();
        ["attempt to ", "attempts to ", "try to ", "seek to "].iter().any(|w| after.starts_with(w))
    };
    let mut start = from;
    let mut depth = 0usize;
    for (i, c) in text[from..to].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                let rest = text[from + i + 1..].trim_start();
                if !attempt || !(rest.starts_with("or to ") || rest.starts_with("nor to ")) {
                    return false;
                }
                start = from + i + 1;
            }
            ':' | ';' if depth == 0 => return false,
            _ => {}
        }
    }
    start == from || same_sentence_part(text, start, to)
}

/// Whether byte offset `at` of `text` lies inside round brackets (`(…)`, full-width ones are
/// normalised to these).
fn bracketed(text: &str, at: usize) -> bool {
    text[..at].chars().fold(0usize, |depth, c| match c {
        '(' => depth + 1,
        ')' => depth.saturating_sub(1),
        _ => depth,
    }) > 0
}

/// Whether only list separators (`、`, `,`, `或`, `and`, `/`) lie between two practice words:
/// they are one chain (`共享、转让或公开披露`).
fn chained(text: &str, from: usize, to: usize) -> bool {
    if to < from {
        return false;
    }
    let mut gap = text[from..to].trim();
    if gap.is_empty() {
        return true;
    }
    const SEPARATORS: [&str; 22] = [
        "and/or",
        "oder",
        "und",
        "ou",
        "et",
        "或者",
        "以及",
        "and",
        "or",
        "as well as",
        "、",
        ",",
        "/",
        "和",
        "或",
        "及",
        "与",
        "并",
        "public",
        "publicly",
        "external",
        "externally",
    ];
    while !gap.is_empty() {
        match SEPARATORS.iter().find(|s| gap.starts_with(**s)) {
            Some(s) => gap = gap[s.len()..].trim_start(),
            None => return false,
        }
    }
    true
}

/// A practice word kept as the clause's practice.
#[derive(Debug, Clone)]
struct Kept {
    start: usize,
    end: usize,
    id: &'static str,
    negated: bool,
    /// The words, for reasons.
    word: (usize, usize),
    /// The party that collects, when it is not us (`穿山甲广告SDK会收集…`): the byte range of
    /// its noun phrase; the practice is then `share` with that party.
    by: Option<(usize, usize)>,
    /// A practice that stops (`停止使用`, `stop sharing`, `cease to collect`): read as negated
    /// when the clause states nothing else, dropped beside a practice the clause affirms
    /// (`停止使用并删除您的个人信息` states the deletion).
    ceased: bool,
    /// Whether the user performs it (`您…披露`, `you share`).
    by_user: bool,
    /// Whether another party performs it (`Our partners have no right to use …`).
    by_other: bool,
}

/// The vocabulary id of an action entry as a `'static` str.
fn action_id(id: &str) -> &'static str {
    match id {
        "collect" => "collect",
        "use" => "use",
        "profile" => "profile",
        "share" => "share",
        "entrust" => "entrust",
        "transfer" => "transfer",
        "disclose" => "disclose",
        "sell" => "sell",
        "store" => "store",
        "delete" => "delete",
        "abroad" => "abroad",
        "notify" => "notify",
        _ => "consent",
    }
}

/// Reads one clause (`raw`, as written) of `block`; `earlier` are the statements of the
/// block's earlier clauses (for `上述信息`, `such information`, `这些合作伙伴`).
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
    let text = scan.text.as_str();
    let lead = lead(text);
    let protasis = scan.protasis(lead);
    let (mut scopes, nested) = scan.purpose_scopes(lead);
    let mut kept = practices(&scan, protasis, &scopes);
    // A negation in a bracketed aside (`收集您的位置信息（您不需要手动输入…）`) is the aside's:
    // it does not turn the practices stated outside the brackets into a promise.
    if kept.iter().any(|k| !k.negated && !bracketed(text, k.start)) {
        kept.retain(|k| !(k.negated && bracketed(text, k.start)));
    }
    // A practice that stops beside one the clause affirms (`停止使用并删除`): the clause states
    // the affirmed one.
    if kept.iter().any(|k| !k.negated) {
        kept.retain(|k| !k.ceased);
    }
    scan.close_scopes(&mut scopes, &kept);
    nested_purposes(&scan, &mut scopes, nested, &kept);

    let mut s = Statement::default();
    // Not notifying or not asking again does not make a clause a promise when it states a
    // practice (`…共享…，无需另行向您通知`).
    let procedural = |id: &str| matches!(id, "notify" | "consent");
    let substantive_negated = kept.iter().any(|k| k.negated && !procedural(k.id));
    let substantive_affirmed = kept.iter().any(|k| !k.negated && !procedural(k.id));
    let any_negated =
        substantive_negated || (!substantive_affirmed && kept.iter().any(|k| k.negated));
    for k in &kept {
        if any_negated != k.negated || (any_negated && substantive_negated && procedural(k.id)) {
            continue;
        }
        s.actions.insert(k.id.to_string());
        s.words
            .entry(k.id.to_string())
            .or_insert_with(|| text[k.word.0..k.word.1].trim().to_string());
        if k.id == "disclose"
            && (text[k.start..k.end].contains("公开") || text[k.start..k.end].contains("public"))
        {
            s.recipients.insert("public".to_string());
        }
    }
    if any_negated {
        s.polarity = Polarity::Negate;
    }
    // Information the user hands over themselves (`您不可避免地要向医务人员披露…`): every
    // practice the clause affirms is the user's giving it away. A clause that names us (`you can
    // ask us to send …`, `您可以要求我们…`, `vous nous autorisez à partager`) or in which the
    // user has it done (`have your prescriptions sent`) states our practice.
    const NAMES_US: [&str; 9] =
        [" us ", " us,", " us.", "我们", " nous ", " uns ", "wir ", " have your", " to have "];
    s.given_by_user = !any_negated
        && !NAMES_US.iter().any(|w| text.contains(w))
        && kept.iter().any(|k| !k.negated)
        && kept.iter().filter(|k| !k.negated).all(|k| k.by_user && is_transfer(k.id));

    // Another party's practice (`我们的合作伙伴无权将…用于其他用途`, `Our partners have no right
    // to use …`): a promise about what they do is not one about what we do.
    let stated: Vec<&Kept> = kept.iter().filter(|k| k.negated == any_negated).collect();
    if !stated.is_empty() && stated.iter().all(|k| k.by_other) {
        s.actor = Some("third_party");
    }

    consent_asked(&scan, protasis, any_negated, &mut s);
    data(&scan, earlier, &mut s);
    recipients(&scan, raw, lead, &kept, &scopes, earlier, &mut s);
    sources(&scan, any_negated, &mut s);
    if !any_negated {
        processed_by(raw, &mut s);
    }
    purposes(&scan, protasis, &scopes, &kept, &mut s);
    // Verifying who the user is (`要求您验证自己的身份`, `you must verify your identity`,
    // `以核验您的用户身份`) is what the clause's information serves wherever it is said: the
    // account's, as when it follows a purpose cue.
    if !s.purposes.contains("account")
        && let Some(v) = scan.found.iter().find(|f| {
            f.field == Field::Purpose
                && f.id == "account"
                && ["身份", "identity", "identité"].iter().any(|w| text[f.start..f.end].contains(w))
        })
    {
        s.purposes.insert("account".to_string());
        s.words.entry("account".to_string()).or_insert_with(|| scan.word(v));
    }
    // A promise against training models on information (`我们不会使用您的个人信息训练人工智能模型`,
    // `we never use it to train our models`) names that purpose wherever the words stand.
    if s.polarity == Polarity::Negate
        && let Some(t) = scan.found.iter().find(|f| {
            (f.field == Field::Purpose && f.id == "ai_training")
                || (f.field == Field::Action && text[f.start..f.end].starts_with("train"))
        })
    {
        s.purposes.insert("ai_training".to_string());
        s.words.entry("ai_training".to_string()).or_insert_with(|| scan.word(t));
    }
    // What protective measures serve (`We take appropriate measures to ensure the security of
    // our Services`, `我们采取加密等措施保障安全`) is no purpose of processing: the clause states
    // no practice and names no information.
    if s.actions.is_empty() && s.data.is_empty() && protective_measures(text) {
        s.purposes.remove("security");
    }
    conditions(&scan, any_negated, &kept, &mut s);

    for p in scan.of(Field::Place) {
        s.places.insert(p.id.to_string());
    }
    for d in destinations(&scan) {
        s.places.insert(d.id.to_string());
        s.words.entry(d.id.to_string()).or_insert_with(|| text[d.start..d.end].to_string());
    }
    for c in scan.of(Field::Control).filter(|c| !our_deletion(&scan, c)) {
        s.controls.insert(c.id.to_string());
    }
    // A clause on how to stop marketing (`如果您不想接收我们给您发送的商业广告，您可回复退订`)
    // states the control, not the practice.
    if s.actions.is_empty() && s.controls.is_empty() {
        sends_marketing(text, &mut s);
    }
    // What a user can opt out of or switch off (`You can opt out of targeted advertising`,
    // `To opt out of cookies that deliver interest-based ads …`) is a practice the clause takes
    // as given: its advertising, marketing or personalisation is a purpose it states.
    if s.actions.is_empty()
        && s.purposes.is_empty()
        && (s.controls.contains("opt_out") || s.controls.contains("switch_off"))
    {
        for f in scan.found.iter().filter(|f| {
            f.field == Field::Purpose
                && matches!(f.id, "advertising" | "marketing" | "personalisation")
        }) {
            s.purposes.insert(f.id.to_string());
            s.words.entry(f.id.to_string()).or_insert_with(|| scan.word(f));
        }
    }
    s.open = scan.has(Field::Open);
    if may_name_duration(text) {
        s.durations = durations(raw);
    }
    s.channels = channels(raw, block);
    // A contact line (`投诉与举报邮箱：x@example.com`, `邮寄地址：…`, `Phone: …`) gives the
    // operator's own channel: the words of its label name no personal information of the user.
    if s.actions.is_empty() && contact_line(raw, !s.channels.is_empty()) {
        s.data.clear();
    }
    s.actor = s.actor.or_else(|| actor(&scan));
    s.modality = modality(&scan);
    s
}

/// Whether the words before a kind of data leave it out of what the clause states: an exclusion
/// (`but not`, `not including`, `excluding`, `nicht jedoch`, `aber nicht`, `mais pas`, `不包括`)
/// right before it, a possessive or an article aside. `except` and `other than` are not read
/// here: after a promise they state what is done (`we do not share it except your e-mail
/// address`).
fn left_out(before: &str) -> bool {
    const ASIDE: [&str; 21] = [
        "your", "the", "any", "a", "an", "ihre", "ihren", "ihrer", "ihr", "die", "den", "der",
        "des", "votre", "vos", "la", "le", "les", "l'", "您的", "你的",
    ];
    const CUES: [&str; 11] = [
        "but not",
        "not including",
        "excluding",
        "nicht jedoch",
        "jedoch nicht",
        "aber nicht",
        "mais pas",
        "mais non",
        "不包括",
        "但不包括",
        "不含",
    ];
    let mut b = before.trim_end();
    for _ in 0..2 {
        if let Some(rest) = ASIDE.iter().find_map(|a| {
            b.strip_suffix(a)
                .filter(|r| !a.is_ascii() || r.is_empty() || r.ends_with(' ') || a.ends_with('\''))
        }) {
            b = rest.trim_end();
        }
    }
    CUES.iter().any(|c| {
        b.strip_suffix(c).is_some_and(|r| !c.is_ascii() || r.is_empty() || r.ends_with([' ', ',']))
    })
}

/// Whether only list joiners, possessives and articles lie between two items (`and your`, `、`,
/// `oder Ihre`, `ni vos`, `和`).
fn list_joiner(between: &str) -> bool {
    const JOINERS: [&str; 24] = [
        "and", "or", "nor", "your", "the", "any", "und", "oder", "ihre", "ihren", "ihr", "et",
        "ou", "ni", "vos", "votre", "la", "le", "les", "de", "des", "du", "a", "an",
    ];
    between.split([' ', ',', '、', '/']).filter(|w| !w.is_empty()).all(|w| {
        JOINERS.contains(&w) || matches!(w, "和" | "或" | "及" | "以及" | "您的" | "或者" | "与")
    }) && between.chars().count() <= 24
}

/// Whether a title in `《》` names rules, a policy, an agreement or a law (`《隐私政策》`,
/// `《儿童个人信息保护规则及监护人须知》`, `《中华人民共和国个人信息保护法》`).
fn rules_title(quoted: &str) -> bool {
    const ENDS: [&str; 15] = [
        "规则", "政策", "协议", "须知", "法", "条例", "标准", "规范", "规定", "指引", "声明",
        "指南", "办法", "说明", "条款",
    ];
    quoted
        .strip_prefix('《')
        .and_then(|q| q.strip_suffix('》'))
        .is_some_and(|title| ENDS.iter().any(|e| title.trim_end().ends_with(e)))
}

/// Whether a clause speaks of protective measures (`measures`, `precautions`, `safeguards`,
/// `措施`).
fn protective_measures(text: &str) -> bool {
    ["措施", "measures", "precaution", "safeguard"].iter().any(|w| text.contains(w))
}

/// Words of a contact line's label (`投诉邮箱：`, `Postal address:`).
const CHANNEL_LABELS: [&str; 12] = [
    "邮箱", "电话", "地址", "热线", "传真", "邮件", "email", "e-mail", "phone", "address", "fax",
    "渠道",
];

/// Whether a clause is a contact line: a short label naming a channel, a colon, and the channel
/// itself (`投诉与举报邮箱：x@example.com`, `邮寄地址：上海市…36幢502室`, `Telephone: +86 …`), read
/// as such (`has_channel`) or written with digits. A list item naming data (`E-mail address:
/// for account registration`) is none.
fn contact_line(raw: &str, has_channel: bool) -> bool {
    let Some((label, value)) = raw.split_once(['：', ':']) else { return false };
    let label = label.trim().to_lowercase();
    (has_channel || value.chars().any(|c| c.is_ascii_digit()))
        && label.chars().count() <= 16
        && !label.contains(['您', '你', '。', '，'])
        && !label.contains("your")
        && CHANNEL_LABELS.iter().any(|w| label.contains(w))
}

/// Whether `address` is the verb: no article or possessive before it (`the address you gave`
/// is a noun) and an object pronoun, a determiner or a problem after it (`before you address
/// them`, `to address your concerns`, `to address fraud`), or a word before it that only a verb
/// follows (`detect, prevent or otherwise address fraud`, `help address`).
fn verb_address(before: &str, after: &str) -> bool {
    const OBJECTS: [&str; 16] = [
        "them", "it", "you", "your", "the", "this", "these", "that", "those", "any", "such", "our",
        "us", "him", "her", "each",
    ];
    // What one addresses that no kind of address is named by.
    const PROBLEMS: [&str; 14] = [
        "fraud",
        "issues",
        "concerns",
        "questions",
        "complaints",
        "problems",
        "requests",
        "inquiries",
        "enquiries",
        "risks",
        "security",
        "technical",
        "abuse",
        "disputes",
    ];
    const VERB_BEFORE: [&str; 5] = ["otherwise", "help", "helps", "helping", "promptly"];
    const NOUN_BEFORE: [&str; 12] =
        ["the", "a", "an", "your", "our", "their", "his", "her", "my", "this", "that", "same"];
    let previous = before.split(|c: char| !c.is_alphanumeric()).rfind(|w| !w.is_empty());
    let next = after.trim_start().split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    after.starts_with(' ')
        && (OBJECTS.contains(&next)
            || PROBLEMS.contains(&next)
            || previous.is_some_and(|w| VERB_BEFORE.contains(&w)))
        && !previous.is_some_and(|w| NOUN_BEFORE.contains(&w))
}

/// The named countries and regions of a clause that are places the information is in or goes
/// to. Not those it stays out of or comes from (`outside the EEA, the United Kingdom or
/// Switzerland`, `außerhalb der EU`, `hors de l'UE`, `欧盟、英国以外`, `use our Services from the
/// European Union`), nor the home country of a domestic term (`in China`), nor a place naming a
/// law, a company or people (`Regulation (EU) 2016/679`, `EU-US Data Privacy Framework`,
/// `Google Ireland Limited`, `UK residents`).
fn destinations<'s, 'a>(scan: &'s Scan<'a>) -> Vec<&'s Found<'a>> {
    let text = scan.text.as_str();
    let mut out = Vec::new();
    let mut run: Vec<&Found<'a>> = Vec::new();
    let close = |run: &mut Vec<&'s Found<'a>>, out: &mut Vec<&'s Found<'a>>| {
        let Some((first, last)) = run.first().zip(run.last()) else { return };
        let outside = excluded_before(&text[..first.start])
            || ["以外", "之外"].iter().any(|o| text[last.end..].starts_with(o))
            || names_other_thing(&text[last.end..]);
        if !outside {
            out.extend(run.iter().filter(|d| {
                // The practice is stated in the same part (`we store it on servers in
                // Germany`), not beside it (`in certain countries, including the UK, you
                // have a right …`).
                let part = scan.part(d.start);
                scan.found.iter().any(|f| f.is_verb() && scan.part(f.start) == part)
                    && !names_other_thing(&text[d.end..])
                    && !scan
                        .of(Field::Place)
                        .any(|p| p.id == "domestic" && p.start < d.end && d.start < p.end)
            }));
        }
        run.clear();
    };
    for d in &scan.destinations {
        if let Some(previous) = run.last()
            && !(previous.end <= d.start && only_joins(&text[previous.end..d.start]))
        {
            close(&mut run, &mut out);
        }
        run.push(d);
    }
    close(&mut run, &mut out);
    out
}

/// Whether the text before a place (or a list of places) keeps the information out of it or
/// names where it comes from: `outside (of) (the)`, `außerhalb (der|des)`, `hors de (l')`, `en
/// dehors de`, `excluding`, `from`, `aus`.
fn excluded_before(before: &str) -> bool {
    const CUES: [&str; 7] = ["outside", "außerhalb", "hors", "dehors", "excluding", "from", "aus"];
    const ARTICLES: [&str; 10] = ["the", "of", "de", "du", "la", "l'", "der", "des", "dem", "von"];
    let mut before = before.trim_end();
    while let Some(rest) = ARTICLES.iter().find_map(|a| {
        before
            .strip_suffix(a)
            .filter(|r| r.is_empty() || r.ends_with(' ') || a.ends_with('\''))
            .map(str::trim_end)
    }) {
        before = rest;
    }
    let ends_with_word = |text: &str, w: &str| {
        text.strip_suffix(w).is_some_and(|r| r.is_empty() || r.ends_with([' ', '(', ',']))
    };
    if CUES.iter().any(|c| ends_with_word(before, c)) {
        return true;
    }
    // The last line of a postal address (`1097 DP, Amsterdam, Pays-Bas`).
    if let Some(line) = before.strip_suffix(',')
        && line.rsplit(',').take(2).any(|part| part.chars().any(|c| c.is_ascii_digit()))
    {
        return true;
    }
    // People or a business there, not data: `individuals in`, `if you live in`, `based in`.
    const PEOPLE: [&str; 26] = [
        "drivers",
        "riders",
        "chauffeurs",
        "basé",
        "basés",
        "limited",
        "ltd",
        "inc",
        "llc",
        "gmbh",
        "individuals",
        "users",
        "people",
        "persons",
        "customers",
        "consumers",
        "residents",
        "live",
        "reside",
        "resident",
        "based",
        "personnes",
        "utilisateurs",
        "résidez",
        "nutzer",
        "wohnen",
    ];
    let people = ["in", "within", "en", "dans", "au", "aux", "im", "of"].iter().any(|p| {
        before.strip_suffix(p).filter(|r| r.ends_with(' ')).is_some_and(|r| {
            let r = r.trim_end();
            PEOPLE.iter().any(|w| ends_with_word(r, w))
        })
    });
    people || in_a_name(before)
}

/// Whether a place follows a word that makes it part of a name (`Joint Data Controllers with
/// Meta Ireland`): in Latin text, a place the information is in or goes to follows a
/// preposition, an article, a possessive or a list word, never another noun.
fn in_a_name(before: &str) -> bool {
    const LEADS: [&str; 49] = [
        "in",
        "to",
        "into",
        "within",
        "inside",
        "throughout",
        "across",
        "at",
        "on",
        "via",
        "toward",
        "towards",
        "and",
        "or",
        "between",
        "including",
        "like",
        "as",
        "e.g",
        "our",
        "its",
        "their",
        "your",
        "a",
        "an",
        "the",
        "other",
        "en",
        "au",
        "aux",
        "dans",
        "vers",
        "à",
        "le",
        "les",
        "et",
        "ou",
        "notamment",
        "comme",
        "nach",
        "im",
        "ins",
        "innerhalb",
        "die",
        "den",
        "und",
        "oder",
        "wie",
        "zum",
    ];
    let last = before.trim_end();
    if last.is_empty() || last.ends_with([',', '(', '/', ':', ';', '-', '"', '“']) {
        return false;
    }
    let word =
        last.rsplit(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'').next().unwrap_or("");
    let word = word.trim_end_matches('.');
    !word.is_empty()
        && word.chars().all(|c| c.is_alphabetic() && c.is_ascii() || "àéèäöüß'".contains(c))
        && !LEADS.contains(&word)
}

/// Whether the text between two places only joins them into one list (`, `, `and the`, `或`).
fn only_joins(between: &str) -> bool {
    between
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '、' | '/'))
        .filter(|w| !w.is_empty())
        .all(|w| {
            matches!(
                w,
                "and"
                    | "or"
                    | "the"
                    | "und"
                    | "oder"
                    | "der"
                    | "des"
                    | "die"
                    | "et"
                    | "ou"
                    | "de"
                    | "du"
                    | "la"
                    | "le"
                    | "l'"
                    | "和"
                    | "及"
                    | "或"
                    | "与"
            )
        })
}

/// Whether the words after a place make it the name of another thing: a law or framework
/// (`(EU) 2016/679`, `GDPR`, `-US Data Privacy Framework`, `法律`), a company (`Ireland
/// Limited`, `有限公司`) or people (`residents`, `users`).
fn names_other_thing(after: &str) -> bool {
    const STARTS: [&str; 19] = [
        ")",
        "-",
        "general data protection",
        "data protection",
        "standard contractual",
        "data privacy framework",
        "privacy shield",
        "data transfer",
        "《",
        "法律",
        "法规",
        "条例",
        "标准合同",
        "有限公司",
        "公司",
        "分公司",
        "子公司",
        "用户",
        "居民",
    ];
    const WORDS: [&str; 30] = [
        "regulation",
        "gdpr",
        "règlement",
        "rgpd",
        "dsgvo",
        "datenschutz",
        "directive",
        "richtlinie",
        "law",
        "laws",
        "representative",
        "représentant",
        "vertreter",
        "resident",
        "residents",
        "citizen",
        "citizens",
        "user",
        "users",
        "limited",
        "ltd",
        "inc",
        "llc",
        "gmbh",
        "sas",
        "sarl",
        "plc",
        "pte",
        "corp",
        "ag",
    ];
    let after = after.trim_start();
    let word = after.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    STARTS.iter().any(|s| after.starts_with(s)) || WORDS.contains(&word)
}

/// Whether `text[from..to]` only runs on through a list (`prevent the data from unauthorised
/// access, public disclosure, use`): no stop, colon or bracket, and every item after the first
/// comma is short and opens no new subject (`To protect it, we share …` is a new statement), not
/// even one of a word or two before a modal verb (`To prevent fraud, Qwant may collect …`; but
/// `theft, or anyone who might sell it` runs on: the modal is a relative clause's).
fn list_continues(text: &str, from: usize, to: usize) -> bool {
    let between = &text[from..to];
    // A Chinese list runs on with `、`; its commas part clauses.
    if !between.is_ascii() || between.contains([';', ':', '(', ')', '.']) {
        return false;
    }
    let mut items = between.split(',');
    items.next();
    items.all(|item| {
        let item = item.trim();
        let first = item.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        item.split_whitespace().count() <= 4
            && item.chars().count() <= 24
            && !["we", "you", "they", "it", "our", "your", "their"]
                .iter()
                .any(|p| first.eq_ignore_ascii_case(p))
            && !item.split_whitespace().take(3).enumerate().any(|(i, w)| {
                i > 0
                    && matches!(
                        w,
                        "may" | "might" | "can" | "could" | "will" | "would" | "must" | "shall"
                    )
                    && !item.split_whitespace().take(i).any(|b| {
                        matches!(b, "or" | "and" | "who" | "which" | "that" | "whom" | "whose")
                    })
            })
    })
}

/// The practice words of the clause that state a practice, each with its polarity.
fn practices(scan: &Scan<'_>, protasis: Option<Protasis>, scopes: &[Scope]) -> Vec<Kept> {
    let text = scan.text.as_str();
    let verbs: Vec<&Found<'_>> =
        scan.found.iter().filter(|f| f.is_verb() || our_deletion(scan, f)).collect();
    let abroad = scan.of(Field::Place).any(|p| p.id == "abroad");
    // A French `ne` negates only with its complement (`ne … pas`; `ne … que` is `only`).
    let negations: Vec<&Found<'_>> = scan
        .of(Field::Negation)
        .filter(|n| {
            !matches!(&text[n.start..n.end], "ne" | "n'")
                || scan
                    .of(Field::NegationComplement)
                    .any(|c| c.start >= n.end && same_sentence_part(text, n.end, c.start))
                // The complement may come first: `En aucun cas, Yahoo! ne vend …`, `Aucune
                // donnée n'est vendue`, `Jamais nous ne …`.
                || scan.of(Field::NegationComplement).any(|c| {
                    c.end <= n.start
                        && matches!(&text[c.start..c.end], "aucun" | "aucune" | "jamais" | "nullement")
                        && !text[c.end..n.start].contains(['.', ';', ':'])
                        && text[c.end..n.start].split_whitespace().count() <= 6
                })
        })
        .collect();
    let mut kept: Vec<Kept> = Vec::new();
    // Whether the previous practice word was named, guarded or an attribute (a chain shares it).
    let mut inherited = false;
    let mut previous_end = usize::MAX;
    let mut chain_start = 0;
    for (k, a) in verbs.iter().enumerate() {
        let part = scan.part(a.start);
        let (part_start, part_end) = scan.part_span(part);
        let word = &text[a.start..a.end];
        // Crawling is a practice only of a crawler named before it and not another party's
        // or the user's (`Apple uses Applebot, a web crawler, to crawl …`; not `search
        // engines are able to crawl`, `it is forbidden to scrape`, `tools to scrape-proof`).
        let crawl = CRAWL_WORDS.iter().any(|w| word.starts_with(w));
        if crawl && !our_crawler(scan, a) {
            continue;
        }
        let chain = previous_end != usize::MAX && chained(text, previous_end, a.start);
        // Only words joined by a conjunction share the subject of the first (`我们收集和使用的`);
        // a main verb right before a relative clause (`我们不会出售收集的信息`) does not lend
        // it its subject.
        if !chain || text[previous_end..a.start].trim().is_empty() {
            chain_start = a.start;
        }
        previous_end = a.end;
        let (chain_end, chain_last) = {
            let (mut end, mut last) = (a.end, *a);
            for b in &verbs[k + 1..] {
                if chained(text, end, b.start) {
                    (end, last) = (b.end, *b);
                } else {
                    break;
                }
            }
            (end, last)
        };
        // Named before it: `purposes of processing`, `agree to the collection`, `the third
        // party's collection`; guarded: `防止…泄露、使用`.
        let named_before = scan.of(Field::NamedBefore).any(|n| {
            n.end <= a.start && n.start >= part_start && !text[n.end..a.start].contains(['。', ';'])
        }) || scan.found.iter().any(|n| {
            // A practice named by a noun phrase (`la publicité ciblée`) is a noun anyway.
            n.field == Field::NamedAdjacent
                && n.end <= a.start
                && text[n.end..a.start].trim().is_empty()
                && !(a.id == "profile" && word.contains(' '))
        }) || english_determiner_before(text, a.start);
        let guarded = scan.of(Field::Safeguard).any(|g| {
            g.end <= a.start
                && (g.start >= part_start || list_continues(text, g.end, a.start))
                // `保护您的权益所必要的情况下使用`: what is protected is the occasion of the
                // practice, not what the practice is kept from.
                && !["情况下", "所必要", "所必需", "necessary"]
                    .iter()
                    .any(|w| text[g.end..a.start].contains(w))
                && !scan.of(Field::Continuation).any(|c| {
                    c.start >= g.end
                        && c.end <= a.start
                        && matches!(&text[c.start..c.end], "并" | "并且" | "and" | "but" | "但")
                })
        });
        let named_after = scan.of(Field::NamedAfter).any(|n| {
            n.start >= chain_end && n.start <= part_end && np_gap(scan, chain_end, n.start)
        });
        let attribute = attribute(scan, a, chain_start, chain_end);
        let illicit = scan.of(Field::Unauthorized).any(|u| {
            u.end <= a.start
                && u.start >= part_start
                && !negations
                    .iter()
                    .any(|n| n.end <= u.start && same_sentence_part(text, n.end, u.start))
        });
        let blocked =
            named_before || guarded || named_after || attribute || illicit || (chain && inherited);
        inherited = blocked;
        if blocked || scan.quoted(a.start) {
            continue;
        }
        // A condition with no main clause states no practice (`如果我们收集…却未征得…；`).
        let in_protasis = protasis.is_some_and(|p| a.start >= p.start && a.start < p.end);
        if in_protasis && !protasis.is_some_and(|p| p.main) {
            continue;
        }
        // What we might find we did (`如果我们发现…收集了儿童的个人信息，则会…删除`, `if we learn
        // that we have collected …`) is the occasion of the main clause, not a practice stated.
        if in_protasis
            && protasis.is_some_and(|p| {
                let before = &text[p.start..a.start];
                [
                    "发现",
                    "find ",
                    "found ",
                    "learn ",
                    "learned ",
                    "discover",
                    "become aware",
                    "becomes aware",
                ]
                .iter()
                .any(|w| before.contains(w))
            })
        {
            continue;
        }
        // Inside a purpose phrase: a purpose, not a practice (profiling stays a practice, and
        // so does crawling: `uses Applebot, a web crawler, to crawl information` collects).
        if a.id != "profile" && !crawl && scopes.iter().any(|sc| scan.in_scope(sc, a)) {
            continue;
        }
        // Inside an exception (`unless we need to retain it`): what the exception allows, not a
        // practice stated.
        if in_exception(scan, a.start) {
            continue;
        }
        let subject = scan.subject_before(a.start);
        let cessation = cessation_at(text, a.start);
        let ceased = cessation.is_some();
        // A negation before a chain of practice words reaches every word of it, across the
        // commas of a list (`we do not sell, rent or share`), and one after the chain's last
        // word negates them all (`Wir verkaufen, vermieten oder teilen Ihre Daten nicht`).
        let negated = [a.start, chain_start].iter().any(|&at| {
            negations.iter().any(|n| {
                n.end <= at
                    && at <= a.start
                    && negation_reaches(text, n.end, at)
                    // `… so that it no longer identifies you and share it`: the negation is
                    // the purpose phrase's.
                    && !(is_latin(&text[n.start..n.end])
                        && scopes.iter().any(|sc| {
                            !sc.opens_part
                                && !sc.specific_only
                                && sc.start < n.start
                                && scan.part(sc.start) == part
                        }))
            })
        }) || scan.of(Field::NegationPrefix).any(|p| p.end == a.start)
            || negated_after(scan, a)
            || (chain_last.start > a.start && negated_after(scan, chain_last));
        // Only we stop a practice of ours: the user stopping something (`you can stop sharing
        // your location with other users`), a button or a heading (`Tap Stop sharing`, `How to
        // stop sharing your location`) is a control of the user's, no practice.
        if ceased && subject != Subject::We {
            continue;
        }
        // Not stopping continues the practice (`we will not stop collecting`, `不会停止收集`,
        // `没有停止共享`).
        let negated = negated || cessation.is_some_and(|i| cessation_negated(text, i));
        let (negated, ceased) = (negated != ceased, ceased && !negated);
        // "If you do not provide …": a consequence, not a practice or a promise; also in a
        // later conditional part (`…，如您拒绝授权提供该等信息，可在…中选择关闭`).
        if negated
            && (in_protasis
                || (subject == Subject::User && conditional_part(&text[part_start..a.start])))
        {
            continue;
        }
        let id: &'static str = match a.field {
            Field::Give => match give(scan, a, subject) {
                Some(id) => id,
                None => continue,
            },
            Field::UserSupply => {
                if subject != Subject::User {
                    continue;
                }
                "collect"
            }
            Field::TransferVerb => {
                if abroad {
                    "abroad"
                } else {
                    "transfer"
                }
            }
            _ => action_id(a.id),
        };
        // `Your personal information may be used by advertisers`: the agent of a passive use is
        // someone the information goes to.
        let id = if id == "use"
            && passive(text, a.start)
            && passive_agent(scan, a.end, part_end)
            && scan.object_in(part_start, a.start)
        {
            "share"
        } else {
            id
        };
        // Another party sharing with no recipient named (`合作伙伴…依据法律共享的信息`,
        // `partners … share in accordance with the law`): what we receive.
        let id = if matches!(id, "share" | "disclose") && subject == Subject::Other {
            let k = Kept {
                start: a.start,
                end: a.end,
                id,
                negated,
                word: (a.start, a.end),
                by: None,
                ceased: false,
                by_user: false,
                by_other: true,
            };
            if recipient_phrase(scan, &k).is_none() { "collect" } else { id }
        } else {
            id
        };
        // 发送给我们, send to us, sent to our servers: what we receive.
        let id = if id == "share"
            && (word.ends_with('给') || word.ends_with(" to"))
            && [
                "我们",
                "慧孕育",
                "本平台",
                "us ",
                "us,",
                "us.",
                "our server",
                "our system",
                "our database",
                "our data cent",
                "our infrastructure",
                "our cloud",
                "nos serveurs",
                "notre serveur",
            ]
            .iter()
            .any(|w| text[a.end..].trim_start().starts_with(w))
            // `提供给我们的关联公司`: our affiliates, not us.
            && !ours_party(text[a.end..].trim_start())
        {
            "collect"
        } else {
            id
        };
        // Asking for consent is read with the conditions.
        if id == "consent" {
            continue;
        }
        // 用于 is a practice only when no practice comes before it and information is what is
        // used (`将信息用于…`).
        let is_yongyu = matches!(word, "用于" | "用来" | "用以");
        if is_yongyu
            && (!kept.is_empty()
                || !scan
                    .found
                    .iter()
                    .any(|f| f.is_object() && f.start >= part_start && f.end <= a.start))
        {
            continue;
        }
        // 获取明确同意, obtain consent: consent is asked for, nothing is collected.
        if id == "collect"
            && scan
                .of(Field::ConsentNoun)
                .any(|c| c.start >= a.end && consent_object(scan, a.end, c))
        {
            continue;
        }
        // What the user does (a right, a choice) is no practice of the policy, except giving
        // information to us or to others.
        if subject == Subject::User
            && a.field == Field::Action
            && !matches!(id, "share" | "disclose" | "sell")
            && !(id == "collect" && (word.contains("提供") || word.contains("provide")))
        {
            continue;
        }
        // Using and processing are practices on information: information must be what is used,
        // not a tool or a service (`使用…安全防护措施`, `use our services`).
        if id == "use" && !is_yongyu && !uses_information(scan, a, part_start, part_end) {
            continue;
        }
        // What a way out is about (`To opt out of interest-based advertising, use …`, `如需关闭
        // 个性化广告`): the practice named as the object of the control is read as in `You can
        // opt out of …` above, whoever the sentence's subject is, so an instruction and an offer
        // say the same. Giving information away, sending it abroad or entrusting it stays
        // stated (`opt out of selling your browsing history to data brokers` discloses the
        // sale), and so does a practice the control word only qualifies (`an opt-out
        // interest-based advertising programme`).
        let object_of_control = |c: &Found<'_>| {
            if c.field != Field::Control
                || !matches!(c.id, "opt_out" | "switch_off" | "withdraw")
                || c.end > a.start
            {
                return false;
            }
            let gap = &text[c.end..a.start];
            if text[c.start..c.end].is_ascii() {
                // `opt out of (receiving) the …`, `turn off (all) …`: only filler between.
                const FILLER: [&str; 7] =
                    ["the", "our", "your", "all", "any", "receiving", "being"];
                let words: Vec<&str> =
                    gap.split_whitespace().filter(|w| !FILLER.contains(w)).collect();
                // `opt-out` right before a practice qualifies it (`an opt-out advertising
                // programme`); `turn off`, `stop receiving` take it as their object.
                let qualifier = matches!(&text[c.start..c.end], "opt-out" | "opt out" | "optout");
                words.is_empty() && !qualifier || matches!(words.as_slice(), ["of" | "from"])
            } else {
                // `关闭个性化推荐`, `关闭基于您的浏览记录的个性化推荐`: nothing between, or a
                // modifier ending in `的`, not a clause of ours.
                gap.is_empty()
                    || (gap.ends_with('的')
                        && gap.chars().count() <= 16
                        && !gap.contains(['，', '。', '；', ','])
                        && !gap.contains("我们"))
            }
        };
        // Sensitive information named beside it is read as stated (`To turn off personalised
        // ads based on your health data`): the offer discloses what the ads are based on.
        let sensitive = || {
            scan.found.iter().any(|f| {
                f.field == Field::Data
                    && super::is_sensitive(f.id)
                    && f.start >= part_start
                    && f.end <= part_end
            })
        };
        if a.field == Field::Action
            && matches!(id, "use" | "profile")
            && scan.found.iter().any(object_of_control)
            && !sensitive()
        {
            continue;
        }
        // Asking for information is collecting it when we ask for personal information (`we
        // may ask you for a copy of your ID`, `我们可能会向您索取…信息`); another party asking
        // (`advertisers ask for your information`, `第三方向我们索取`) or asking for a fee, help
        // or feedback is none.
        let asks = ["ask", "asks", "asked", "asking", "索取"].iter().any(|w| word.starts_with(w));
        if id == "collect"
            && asks
            && (subject != Subject::We
                || !scan
                    .found
                    .iter()
                    .any(|f| f.field == Field::Data && f.start >= a.end && f.end <= part_end))
        {
            continue;
        }
        // The user writing to us (`you can send a correction request by e-mail to …`, `您可以
        // 将投诉发送至…`) uses a contact channel: no information of theirs goes to anyone else.
        if subject == Subject::User
            && id == "share"
            && writes_to_us(&text[part_start..a.start], &text[a.end..part_end])
        {
            continue;
        }
        if std::env::var_os("XDEBUG").is_some() {
            eprintln!("KEEP {word} -> {id} neg={negated} subj={subject:?}");
        }
        // A third party or an SDK that collects (`第三方SDK会收集…`, `the Umeng SDK collects`):
        // the information goes to it.
        let by = if id == "collect" && subject != Subject::User {
            scan.collecting_party(a.start)
        } else {
            None
        };
        let id = if by.is_some() { "share" } else { id };
        kept.push(Kept {
            start: a.start,
            end: a.end,
            id,
            negated,
            word: (a.start, a.end),
            by,
            ceased,
            // Not a passive (`the messages that users choose to translate will be sent to
            // Google`): the user named before it chose, someone else sends.
            by_user: subject == Subject::User && !passive(text, a.start),
            by_other: subject == Subject::Other,
        });
    }
    kept
}

/// Words that stop a practice: `停止收集`, `停止继续收集`, `stop sharing`, `cease to collect`,
/// `discontinue using`, `we stopped selling`.
const CESSATIONS: [&str; 15] = [
    "停止",
    "停止继续",
    "stop",
    "stops",
    "stopped",
    "stop continuing to",
    "cease",
    "ceases",
    "ceased",
    "cease to",
    "ceases to",
    "ceased to",
    "discontinue",
    "discontinues",
    "discontinued",
];

/// Where a word that stops a practice ([`CESSATIONS`]) starts when it comes right before the
/// practice word at `at`, only spaces between them (`we will stop sharing`), or for `停止` a
/// short phrase of whom or what the practice concerns (`停止向第三方共享`, `停止对您的信息进行处理`);
/// an English one must be a word of its own (`non-stop tracking` stops nothing).
fn cessation_at(text: &str, at: usize) -> Option<usize> {
    let before = text[..at].trim_end();
    for w in CESSATIONS {
        if before.ends_with(w)
            && (!w.is_ascii()
                || before[..before.len() - w.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '-' && c != '\''))
        {
            return Some(before.len() - w.len());
        }
    }
    // `停止向第三方共享`: a phrase of at most twelve characters that opens with a preposition and
    // holds no punctuation.
    let i = before.rfind("停止")?;
    let gap = &before[i + "停止".len()..];
    let short = gap.chars().count() <= 12
        && !gap.contains(['，', ',', '。', '；', ';', '、', '：', ':'])
        && ["向", "与", "对", "为", "继续"].iter().any(|p| gap.starts_with(p));
    short.then_some(i)
}

/// Whether the word that stops a practice, starting at `at` ([`cessation_at`]), is itself
/// negated by a prefix written against it (`没有停止共享`, `未停止`, `并未停止`, `从未停止`): the
/// practice goes on.
fn cessation_negated(text: &str, at: usize) -> bool {
    let rest = text[..at].trim_end();
    ["没有", "未", "不"].iter().any(|n| rest.ends_with(n))
}

/// The characters that end a part of a clause for the permission, `obtain` and `汇总` tests: a
/// comma, a semicolon, a colon or a full stop (the matching text already writes full-width
/// commas, semicolons and colons as ASCII).
const PART_ENDS: [char; 6] = [',', ';', ':', '。', '，', '；'];

/// `obtain email addresses`, `获得您的位置信息`: a verb of asking (`obtain`, `获得`) whose
/// object is a kind of data, with no consent named first (`obtain your consent to collect`),
/// is collection. Each such hit becomes the action `collect`.
fn obtained_data(text: &str, found: &mut [Found<'_>]) {
    for k in 0..found.len() {
        if found[k].field != Field::Ask
            || !matches!(
                &text[found[k].start..found[k].end],
                "obtain" | "obtains" | "obtained" | "obtaining" | "获得" | "取得"
            )
        {
            continue;
        }
        // `从我们处获得您的个人信息的主体`, `obtain … from us`: another party obtains.
        let before = &text[..found[k].start];
        let part_end =
            text[found[k].end..].find(PART_ENDS).map_or(text.len(), |i| found[k].end + i);
        let from_us = text[found[k].end..part_end].match_indices(" from us").any(|(i, m)| {
            !text[found[k].end + i + m.len()..].starts_with(|c: char| c.is_alphanumeric())
        });
        if ["我们处", "本公司处", "我们这里"].iter().any(|w| before.ends_with(w)) || from_us
        {
            continue;
        }
        // A party obtaining (`合作伙伴获得您的个人信息后`, `他人获得您的账号密码`) is no
        // collection of ours.
        if found[..k].iter().rev().find(|f| f.end <= found[k].start).is_some_and(|f| {
            // `从合作伙伴处获得`: the party is where we obtain from.
            let gap = text[f.end..found[k].start].trim();
            matches!(f.field, Field::Recipient | Field::RecipientAnaphora)
                && gap.chars().count() <= 2
                && !gap.contains('处')
                && !text[..f.start].ends_with('从')
        }) {
            continue;
        }
        let end = found[k].end;
        let next = found[k + 1..].iter().find(|f| {
            f.start >= end && matches!(f.field, Field::Data | Field::ConsentNoun | Field::Object)
        });
        let Some(next) = next else { continue };
        let gap = &text[end..next.start];
        let near = gap.split_whitespace().count() <= 4
            && gap.chars().filter(|c| is_cjk(*c)).count() <= 4
            && !gap.contains(PART_ENDS);
        // `获得您的个人信息的第三方`: the information and then a party after `的` is a
        // relative clause about the party.
        let relative = text[next.end..].starts_with('的')
            && found[k + 1..].iter().any(|f| {
                f.start > next.end
                    && f.start <= next.end + 12
                    && matches!(f.field, Field::Recipient | Field::RecipientAnaphora)
            });
        if next.field == Field::Data && near && !relative {
            found[k].field = Field::Action;
            found[k].id = "collect";
        }
    }
}

/// The user letting us act (`您授权我们收集`, `you allow us to share`): the pronoun after the
/// verb is the object of the permission and the subject of the practice that follows.
const PERMITTED_US: [&str; 10] = [
    "授权我们",
    "允许我们",
    "authorize us",
    "authorise us",
    "authorizing us",
    "authorising us",
    "allow us",
    "allowing us",
    "permit us",
    "permitting us",
];

/// Whether hit `f` is the user letting us act ([`PERMITTED_US`]): not refused or withheld
/// before it in its part (`您可以拒绝授权我们访问…`, `choose not to allow us to …`: what the
/// user may refuse is no practice stated), and not a possessive (`授权我们的关联公司使用`: the
/// affiliate acts).
fn permits_us(text: &str, f: &Found<'_>) -> bool {
    if !PERMITTED_US.contains(&&text[f.start..f.end]) || text[f.end..].starts_with('的') {
        return false;
    }
    let part_start = text[..f.start]
        .char_indices()
        .rev()
        .find(|(_, c)| PART_ENDS.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let before = &text[part_start..f.start];
    // Revoking, releasing or switching off a permission right before it (`撤销授权我们…`);
    // anywhere in the part these words mean other things (`未登录`, `未成年`).
    let revoked = ["未", "没有", "撤销", "解除", "收回", "关闭"]
        .iter()
        .any(|w| before.trim_end().ends_with(w));
    !revoked
        && ![
            "不", "拒绝", "撤回", "取消", "停止", "not ", "never ", "refuse", "decline",
            "withdraw", "stop ", "object ",
        ]
        .iter()
        .any(|w| before.contains(w))
}

/// Whether a deletion the lexicon reads as a user control (`删除您的`, `delete your`) is ours:
/// its subject is the operator (`我们将删除您的个人信息`, `we will delete your data`), so it is
/// a practice, not a right offered.
fn our_deletion(scan: &Scan<'_>, f: &Found<'_>) -> bool {
    f.field == Field::Control
        && f.id == "delete"
        && scan.subject_before(f.start) == Subject::We
        // `您可以在慧孕育 APP 中…清除`: the app named after the operator is where the user acts;
        // `request that we delete`, `要求我们删除`: the user's right, asked of us.
        && ![
            "您可以", "你可以", "you can", "you may", "request", "ask us", "要求我们", "请求我们",
            "require us",
        ]
        .iter()
        .any(|w| scan.text[..f.start].contains(w))
}

/// Whether a part of a clause opens with a condition on the user (`如您拒绝…`, `if you do not
/// want …`): a refusal there is what the user may do, not a promise of the policy.
fn conditional_part(part: &str) -> bool {
    let t = part.trim_start();
    ["如您", "如你", "如果您", "如果你", "若您", "若你", "假如您", "倘若您", "if you", "should you"]
        .iter()
        .any(|w| t.starts_with(w))
}

/// Whether a German negation after the practice word `a` negates it (`Wir verkaufen Ihre Daten
/// nicht`, `Wir erheben keine Gesundheitsdaten`): in the same part, with no other practice word
/// and no coordination (`und`, `oder`, `aber`) between.
fn negated_after(scan: &Scan<'_>, a: &Found<'_>) -> bool {
    let text = scan.text.as_str();
    scan.of(Field::NegationAfter).any(|x| {
        x.start >= a.end
            && !scan.of(Field::NotNegation).any(|n| n.start == x.start)
            && same_sentence_part(text, a.end, x.start)
            && !scan.found.iter().any(|f| f.is_verb() && f.start >= a.end && f.end <= x.start)
            && !text[a.end..x.start]
                .split_whitespace()
                .any(|w| matches!(w, "und" | "oder" | "aber" | "sondern"))
    })
}

/// Whether an English or French practice word is a past participle (`collected`, `sold`,
/// `kept`; `collectées`, `transmis`).
fn is_participle(word: &str) -> bool {
    let last = word.rsplit(' ').next().unwrap_or(word);
    (last.ends_with("ed") && last != "need")
        || matches!(last, "sold" | "kept" | "given" | "sent" | "shared" | "stored")
        // A French participle ending a longer term is an adjective (`publicité ciblée`).
        || (!word.contains(' ') && is_french_participle(last))
}

/// Whether a French word is a past participle (`collectées`, `partagé`, `transmis`,
/// `recueillies`).
fn is_french_participle(word: &str) -> bool {
    (word.chars().count() > 3 && ["é", "ée", "és", "ées"].iter().any(|e| word.ends_with(e)))
        || [
            "transmis",
            "transmise",
            "transmises",
            "recueilli",
            "recueillis",
            "recueillie",
            "recueillies",
            "détruits",
            "détruites",
        ]
        .contains(&word)
}

/// Whether only adverbs, auxiliaries and a recipient (`自行向社会公众`, `会`, `已经`) lie between
/// a subject and its practice word.
fn adverbial_gap(scan: &Scan<'_>, from: usize, to: usize) -> bool {
    let text = &scan.text;
    let mut i = from;
    // Adverbs of focus and frequency too (`我们还会使用您提供的信息`, `我们也将共享…的`).
    const FILLERS: [&str; 36] = [
        "自行", "主动", "公开", "已经", "已", "所", "会", "将", "可能", "可以", "可", "曾", "自愿",
        "必须", "需要", "需", "向", "对", "与", "给", "从", "不", "还", "也", "亦", "仍然", "仍",
        "同时", "均", "都", "另外", "此外", "一般", "通常", "仅", "只",
    ];
    // A recipient only after a preposition (`向第三方`); after `将` it is another subject
    // (`我们还会将合作伙伴收集的信息用于…`: the partner collects).
    let mut after_preposition = false;
    while i < to {
        i = skip_spaces(text, i);
        if i >= to {
            break;
        }
        if let Some(f) = scan.found.iter().find(|f| {
            f.start == i
                && f.end <= to
                && match f.field {
                    Field::Recipient | Field::RecipientAnaphora => after_preposition,
                    Field::May | Field::Must | Field::Will => true,
                    _ => false,
                }
        }) {
            i = f.end;
            after_preposition = false;
        } else if let Some(w) = FILLERS.iter().find(|w| text[i..to].starts_with(**w)) {
            i += w.len();
            after_preposition = matches!(*w, "向" | "对" | "与" | "给" | "从");
        } else {
            return false;
        }
    }
    true
}

fn is_latin(word: &str) -> bool {
    // Accented letters too (`à la disposition de`, `échanger`, `über`).
    word.starts_with(|c: char| {
        c.is_ascii_alphabetic()
            || (c.is_alphabetic() && (c <= '\u{024f}' || ('\u{1e00}'..='\u{1eff}').contains(&c)))
    })
}

/// Whether an English determiner or possessive directly precedes `at` (`the collection`,
/// `such sharing`, `our processing`): the practice word is a noun.
fn english_determiner_before(text: &str, at: usize) -> bool {
    if !text[at..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    let prev = text[..at].split_whitespace().next_back().unwrap_or("");
    if !text[..at].ends_with(' ') {
        return false;
    }
    if matches!(prev, "the" | "a" | "an" | "such" | "any" | "this" | "these" | "those" | "other") {
        return true;
    }
    // `your TPS profile`, `their public profile`: the noun, a possessive one or two words before.
    let word = text[at..].split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    // A verb takes an object (`our partners profile your interests`); the noun does not.
    let next = text[at..].split_whitespace().nth(1).unwrap_or("");
    let object = matches!(
        next,
        "your"
            | "you"
            | "users"
            | "the"
            | "their"
            | "people"
            | "individuals"
            | "them"
            | "customers"
    );
    if matches!(word, "profile" | "profiles") && !object {
        let mut before = text[..at].split_whitespace().rev().take(2);
        if before.any(|w| {
            matches!(
                w,
                "your"
                    | "their"
                    | "his"
                    | "her"
                    | "my"
                    | "our"
                    | "its"
                    | "user"
                    | "public"
                    | "any"
                    | "a"
                    | "an"
                    | "the"
                    | "each"
                    | "every"
            )
        }) {
            return true;
        }
    }
    // French and German practice words that are also nouns (`la collecte`, `le partage`, `der
    // Verkauf`); before a verb `la` / `le` is an object pronoun (`nous la conservons`).
    let word = text[at..].split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    matches!(word, "collecte" | "partage" | "vente" | "conserve" | "verkauf" | "löschung")
        && matches!(
            prev,
            "la" | "le"
                | "une"
                | "un"
                | "cette"
                | "ce"
                | "toute"
                | "tout"
                | "leur"
                | "der"
                | "die"
                | "den"
                | "dem"
                | "des"
                | "einen"
                | "eine"
                | "keinen"
                | "keine"
        )
}

/// Whether only a noun phrase about information (kinds of data, `的`, `of`) lies between `from`
/// and `to` (`处理个人信息的行为`: the practice is named).
fn np_gap(scan: &Scan<'_>, from: usize, to: usize) -> bool {
    let text = &scan.text;
    let mut i = from;
    let mut words = 0;
    while i < to {
        if let Some(f) = scan.found.iter().find(|f| {
            f.start == i && f.end <= to && (f.is_object() || f.field == Field::NotSubject)
        }) {
            i = f.end;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() || matches!(c, '的' | '、' | '和' | '及' | '或') {
            i += c.len_utf8();
            continue;
        }
        if c.is_ascii_alphabetic() {
            let w_end = i + text[i..]
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '\'')
                .unwrap_or(to - i);
            let w = &text[i..w_end.min(to)];
            if !matches!(w, "of" | "the" | "personal" | "seriously" | "significantly") {
                words += 1;
                if words > 1 {
                    return false;
                }
            }
            i = w_end.min(to).max(i + 1);
            continue;
        }
        return false;
    }
    true
}

/// Whether a Chinese practice word ends a relative clause without its own subject
/// (`共享的个人信息`): an attribute. `我们收集的信息` and `您公开分享的信息` state the practice.
fn attribute(scan: &Scan<'_>, a: &Found<'_>, chain_start: usize, chain_end: usize) -> bool {
    let text = &scan.text;
    let mut rest = &text[chain_end..];
    for particle in ["而来", "来", "到", "得", "过"] {
        if let Some(r) = rest.strip_prefix(particle)
            && r.starts_with('的')
        {
            rest = r;
        }
    }
    if rest.starts_with('的') {
        if rest.starts_with("的同意") {
            return false;
        }
        // Its own subject right before it: a relative clause that states the practice
        // (`我们收集的`, `您自行向社会公众公开的`), also when the user lets us act (`您授权我们
        // 收集的信息`: we collect). The subject of a chain of practices (`我们收集、使用的`)
        // stands before its first word.
        let (part_start, part_end) = scan.part_span(scan.part(chain_start));
        // `将` right before it marks the object of a later `用于` (`我们会将收集的信息用于改进
        // 产品`): the relative clause describes what is used, the practice is the use.
        if text[part_start..chain_start].trim_end().ends_with('将')
            && ["用于", "用来", "用以"].iter().any(|w| text[chain_end..part_end].contains(w))
        {
            return true;
        }
        return !scan.found.iter().any(|f| {
            (matches!(f.field, Field::SubjectWe | Field::SubjectUser)
                || (f.field == Field::NotSubject && permits_us(text, f)))
                && f.start >= part_start
                && f.end <= chain_start
                && adverbial_gap(scan, f.end, chain_start)
        });
    }
    // English: a participle after the noun it describes (`information collected for`,
    // `services provided by`), or before it (`de-identified personal information`).
    let word = &text[a.start..a.end];
    if is_latin(word) && is_participle(word) {
        let before = text[..a.start].trim_end();
        let prev = before.split_whitespace().next_back().unwrap_or("");
        // An adjective stands right before its noun: a determiner after the participle makes
        // it the verb (`we have shared your information`, not `de-identified information`).
        let determiner_after = text[a.end..].split_whitespace().next().is_some_and(|w| {
            matches!(
                w,
                "your"
                    | "our"
                    | "their"
                    | "his"
                    | "her"
                    | "its"
                    | "the"
                    | "this"
                    | "these"
                    | "those"
                    | "such"
                    | "any"
                    | "all"
            )
        });
        let followed_by_object = !determiner_after
            && scan.found.iter().any(|f| f.is_object() && f.start == skip_spaces(text, a.end));
        let after_noun = !prev.is_empty()
            && !before.ends_with([',', '(', ':'])
            && !matches!(
                prev,
                "is" | "are"
                    | "was"
                    | "were"
                    | "be"
                    | "been"
                    | "being"
                    | "has"
                    | "have"
                    | "had"
                    | "we"
                    | "you"
                    | "they"
                    | "it"
                    | "will"
                    | "may"
                    | "can"
                    | "must"
                    | "should"
                    | "would"
                    | "could"
                    | "not"
                    | "never"
                    | "also"
                    | "and"
                    | "or"
                    | "then"
                    | "only"
                    | "already"
                    | "automatically"
                    | "i"
                    | "he"
                    | "she"
                    | "get"
                    | "gets"
                    // French auxiliaries, negations and pronouns before a participle that is
                    // the verb (`sont partagées`, `ne sont jamais vendues`, `avons collectées`).
                    | "sont"
                    | "est"
                    | "été"
                    | "être"
                    | "seront"
                    | "sera"
                    | "soient"
                    | "soit"
                    | "serait"
                    | "seraient"
                    | "avons"
                    | "avez"
                    | "ont"
                    | "a"
                    | "ai"
                    | "pas"
                    | "jamais"
                    | "plus"
                    | "également"
                    | "aussi"
                    | "nous"
                    | "vous"
            )
            && !PASSIVE_ADVERBS.contains(&prev)
            && !scan.found.iter().any(|f| f.is_verb() && f.end == before.len());
        return followed_by_object || after_noun;
    }
    false
}

/// Whether the `use` at `a` uses information: the first thing it takes is information (or
/// information comes before it in its part, `将信息使用`), not a tool or a service.
fn uses_information(scan: &Scan<'_>, a: &Found<'_>, part_start: usize, part_end: usize) -> bool {
    let next = scan.found.iter().find(|f| {
        f.start >= a.end
            && f.start < part_end
            && (f.is_object()
                || matches!(
                    f.field,
                    Field::Tool | Field::GenericService | Field::Purpose | Field::Recipient
                ))
    });
    let phrase = scan.phrases.iter().map(|&(a, _)| a).filter(|&p| p >= a.end && p < part_end).min();
    match next {
        // `Your personal information is used for advertising`: a passive's object comes before
        // it, its purpose after.
        Some(f) if f.field == Field::Purpose && phrase.is_none_or(|p| p >= f.start) => {
            passive(&scan.text, a.start)
                && scan.found.iter().any(|d| {
                    matches!(d.field, Field::Data | Field::Anaphora)
                        && d.start >= part_start
                        && d.end <= a.start
                })
        }
        Some(f) => f.is_object() || phrase.is_some_and(|p| p < f.start),
        None if phrase.is_some() => true,
        None => {
            // A topic set before the clause's last part (`您的银行流水，我们绝不会使用。`): the
            // practice word ends the clause and an earlier part names what it acts on.
            let ends_clause =
                scan.text[a.end..part_end].trim_matches(|c: char| !c.is_alphanumeric()).is_empty();
            scan.object_fronted(part_start, a.start)
                || (passive(&scan.text, a.start) && scan.object_in(0, a.start))
                || (ends_clause && part_start > 0 && scan.object_in(0, part_start))
        }
    }
}

/// Whether a kind of recipient is the agent right after a practice word (`used by advertisers`,
/// `processed by our service providers`): `by`, at most two determiners, then the recipient.
fn passive_agent(scan: &Scan<'_>, end: usize, part_end: usize) -> bool {
    let text = scan.text.as_str();
    let Some(rest) = text[end..part_end].trim_start().strip_prefix("by ") else {
        return false;
    };
    let at = part_end - text[end..part_end].trim_start().len() + "by ".len();
    let mut from = at;
    for w in rest.split_whitespace().take(2) {
        if matches!(w, "our" | "the" | "certain" | "some" | "selected" | "trusted" | "other") {
            from = text[from..].find(w).map_or(from, |i| from + i + w.len());
        }
    }
    // A recipient may start with the determiner itself (`the public`, `other users`).
    scan.of(Field::Recipient)
        .any(|r| r.start >= at && text[from.min(r.start)..r.start].trim().is_empty())
}

/// Adverbs of frequency or manner between an auxiliary and its participle (`is occasionally
/// sold`, `are routinely shared`): the participle is still the verb.
const PASSIVE_ADVERBS: [&str; 10] = [
    "often",
    "occasionally",
    "sometimes",
    "routinely",
    "regularly",
    "usually",
    "generally",
    "periodically",
    "securely",
    "typically",
];

/// Whether the practice word at `at` is passive or takes a fronted topic (`被使用`, `予以使用`,
/// `may be used`, `are not processed`): what it acts on comes before it.
fn passive(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    if ["被", "予以", "加以", "进行"].iter().any(|p| before.ends_with(p))
        || before.chars().rev().take(6).any(|c| c == '被')
    {
        return true;
    }
    let word = text[at..].split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
    let mut prev = before.split_whitespace().rev();
    let p1 = prev.next().unwrap_or("");
    let p1 = if matches!(p1, "not" | "never" | "also" | "only") || PASSIVE_ADVERBS.contains(&p1) {
        prev.next().unwrap_or("")
    } else {
        p1
    };
    let participle = word.ends_with("ed")
        || matches!(word, "sent" | "given" | "sold" | "told" | "made" | "kept" | "shown");
    if participle && matches!(p1, "be" | "is" | "are" | "was" | "were" | "been" | "being") {
        return true;
    }
    // French: `sont utilisées`, `ne sont pas traitées`, `peuvent être utilisées`.
    let word = text[at..].split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let p1 = before
        .split_whitespace()
        .rev()
        .find(|w| !matches!(*w, "pas" | "jamais" | "plus" | "également" | "aussi"))
        .unwrap_or("");
    if is_french_participle(word)
        && matches!(p1, "sont" | "est" | "être" | "été" | "seront" | "sera" | "soient" | "soit")
    {
        return true;
    }
    // German: the participle before or after a form of `werden` in its clause (`werden deine
    // Daten verwendet`, `verarbeitet werden`).
    let next = text[at + word.len()..].split_whitespace().next().unwrap_or("");
    let clause_before = &before[before.rfind([',', ';', ':', '.']).map_or(0, |i| i + 1)..];
    let werden = |w: &str| {
        matches!(
            w.trim_end_matches(|c: char| !c.is_alphanumeric()),
            "werden" | "wird" | "wurden" | "wurde" | "worden"
        )
    };
    (word.starts_with("ge") || word.ends_with('t'))
        && (werden(next) || clause_before.split_whitespace().any(werden))
}

/// Whether `text` opens with a party of ours (`我们的关联公司`, `我们的合作伙伴`), not with us:
/// `我们的` before information (`提供给我们的信息`) ends a relative clause.
fn ours_party(text: &str) -> bool {
    text.strip_prefix("我们的").is_some_and(|rest| {
        [
            "关联",
            "合作",
            "广告",
            "子公司",
            "母公司",
            "第三方",
            "服务提供",
            "服务商",
            "供应商",
            "受托",
        ]
        .iter()
        .any(|w| rest.starts_with(w))
    })
}

/// What `提供` / `provide` at `g` is: sharing when it gives to someone else or gives
/// information, our collection when the user provides (or provides to us), nothing when it
/// provides a service.
fn give(scan: &Scan<'_>, g: &Found<'_>, subject: Subject) -> Option<&'static str> {
    let text = scan.text.as_str();
    let (part_start, part_end) = scan.part_span(scan.part(g.start));
    // Who receives: `向X提供`, `provide X with`, `provide … to X`.
    // `You will be given an opt-in prompt`, `you are sent a code`: the user receives. Only with
    // `you` right before (`Information about the ads you are sent is given to …` gives it away).
    if subject == Subject::User
        && is_participle(&text[g.start..g.end])
        && user_receives(&text[..g.start])
    {
        return None;
    }
    let receiver = receiver_of_give(scan, g, part_start, part_end);
    match receiver {
        Some(Receiver::Us) => return Some("collect"),
        Some(Receiver::You) => return None,
        Some(Receiver::Other) => return Some("share"),
        None => {}
    }
    if subject == Subject::User {
        return Some("collect");
    }
    // `提供您的个人身份信息`: information is given (to someone left out).
    let first = scan.found.iter().find(|f| {
        f.start >= g.end
            && f.start < part_end
            && (f.is_object()
                || matches!(f.field, Field::Tool | Field::GenericService | Field::Purpose))
    });
    // The first thing given: a kind of data, a noun phrase naming personal information, or
    // something else (a service, a tool).
    let phrase = scan.phrases.iter().map(|&(a, _)| a).filter(|&p| p >= g.end && p < part_end).min();
    let given = match first {
        Some(f) if phrase.is_some_and(|p| p < f.start) => phrase,
        Some(f) if matches!(f.field, Field::Data | Field::Anaphora) => Some(f.start),
        Some(_) => None,
        None => phrase,
    };
    let close = |at: usize| {
        let gap = &text[g.end..at];
        !gap.contains(['(', ','])
            && ![" for ", " to ", " with ", " of ", " about ", "有关", "关于", "对"]
                .iter()
                .any(|p| gap.contains(p))
            && gap.chars().count() <= 16
    };
    given.filter(|&at| close(at)).map(|_| "share")
}

/// Whether the words before a participle of giving make the user its receiver: `you`, then
/// only modal verbs and forms of `be` (`you will be`, `you are`, `you may also be`).
fn user_receives(before: &str) -> bool {
    let mut words = before.split_whitespace().rev();
    if !words.next().is_some_and(|w| {
        matches!(w, "be" | "been" | "being" | "is" | "are" | "was" | "were" | "get" | "gets")
    }) {
        return false;
    }
    for w in words.take(3) {
        match w {
            "you" => return true,
            "will" | "may" | "might" | "can" | "could" | "would" | "shall" | "should" | "also"
            | "then" | "usually" | "not" | "never" | "have" | "has" | "must" => {}
            _ => return false,
        }
    }
    false
}

/// Who receives what is provided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Receiver {
    Us,
    You,
    Other,
}

fn receiver_of_give(
    scan: &Scan<'_>,
    g: &Found<'_>,
    part_start: usize,
    part_end: usize,
) -> Option<Receiver> {
    let text = scan.text.as_str();
    let classify = |phrase: &str| -> Option<Receiver> {
        let p = phrase.trim();
        if p.is_empty() {
            return None;
        }
        let first = p.split_whitespace().next().unwrap_or("");
        // `提供给我们的关联公司`: our affiliates, not us (`您提供给我们的信息` is given to us).
        if ours_party(p) {
            return Some(Receiver::Other);
        }
        if ["我们", "慧孕育", "本平台", "本公司", "我方", "us", "huiyunyu"]
            .iter()
            .any(|w| p.starts_with(w))
            || matches!(first, "nous" | "uns")
        {
            Some(Receiver::Us)
        } else if ["您", "you", "用户"].iter().any(|w| p.starts_with(w))
            || matches!(first, "vous" | "toi" | "dir" | "dich" | "ihnen")
        {
            Some(Receiver::You)
        } else {
            Some(Receiver::Other)
        }
    };
    // Chinese: 向X提供 (X right before, after 向).
    let before = &text[part_start..g.start];
    if let Some(i) = before.rfind('向') {
        let phrase = &before[i + '向'.len_utf8()..];
        if phrase.chars().count() <= 20 && !phrase.contains(['，', ',', '。']) {
            return classify(phrase);
        }
    }
    let after = &text[g.end..part_end];
    // `mettre … à la disposition de X`: the receiver right after.
    if text[g.start..g.end].starts_with("à la disposition") {
        return classify(after);
    }
    if !is_latin(&text[g.start..g.end]) {
        if text[g.start..g.end].ends_with('给') {
            return classify(after);
        }
        if let Some(rest) = after.strip_prefix('给') {
            return classify(rest);
        }
        return None;
    }
    // English: provide us with / provide these partners with …
    let after_t = after.trim_start();
    for (w, r) in [("us ", Receiver::Us), ("you ", Receiver::You), ("huiyunyu ", Receiver::Us)] {
        if after_t.starts_with(w) {
            return Some(r);
        }
    }
    if let Some(w) = after_t.find(" with ")
        && scan.found.iter().any(|f| {
            matches!(f.field, Field::Recipient | Field::RecipientAnaphora)
                && f.start >= g.end
                && f.start < g.end + w + 2
        })
    {
        return Some(Receiver::Other);
    }
    // French and German: `fournir … à X`, `geben … an X`; `vous fournissons`, `uns geben`.
    let mut words_before = before.split_whitespace().rev();
    let before_verb = words_before.next().unwrap_or("");
    // A pronoun right before the verb is its object when a subject comes before it.
    if matches!(before_verb, "vous" | "nous" | "dir" | "uns") && words_before.next().is_some() {
        return classify(before_verb);
    }
    for p in [" à ", " aux ", " an "] {
        if let Some(i) = after.find(p) {
            return classify(&after[i + p.len()..]);
        }
    }
    // provide … to X
    if let Some(i) = after.find(" to ") {
        let to = g.end + i + 1;
        if !english_purpose_at(scan, to) {
            return classify(&text[to + 3..part_end]);
        }
    }
    None
}

/// Whether an English purpose cue (`to improve`) starts at `at`.
fn english_purpose_at(scan: &Scan<'_>, at: usize) -> bool {
    scan.found.iter().any(|f| f.start == at && f.field == Field::PurposeCue)
}

/// Asking for consent: a condition, and the clause's practice when it is its main predicate.
fn consent_asked(scan: &Scan<'_>, protasis: Option<Protasis>, negated: bool, s: &mut Statement) {
    let text = scan.text.as_str();
    // (start, end) of each request for consent.
    let mut asks: Vec<(usize, usize)> = scan
        .found
        .iter()
        .filter(|f| f.field == Field::Action && f.id == "consent")
        .map(|f| (f.start, f.end))
        .collect();
    for a in scan.of(Field::Ask) {
        let Some(noun) = scan.of(Field::ConsentNoun).find(|n| {
            n.start >= a.end
                && scan.part(n.start) == scan.part(a.start)
                && within_words(text, a.end, n.start)
        }) else {
            continue;
        };
        if !asks.iter().any(|&(s0, e0)| s0 <= a.start && a.start < e0) {
            // `获取您授权共享的信息`: consent given, not asked for.
            if consent_object(scan, a.end, noun) {
                asks.push((a.start, noun.end));
            } else if denied(scan, a.start, negated) {
                s.waives_consent = true;
            } else {
                s.conditions.insert("consent".to_string());
            }
        }
    }
    asks.sort_unstable();
    let has_modal = |at: usize| {
        scan.found
            .iter()
            .any(|f| f.end <= at && matches!(f.field, Field::Will | Field::Must | Field::May))
    };
    for (start, end) in asks {
        if denied(scan, start, negated) {
            s.waives_consent = true;
            continue;
        }
        s.conditions.insert("consent".to_string());
        // An adverbial (`在征得您同意后`, `after obtaining your consent`, `除…外`), an
        // exception, an attribute or a condition: no act of asking.
        let lead_text =
            &text[text[..start].char_indices().rev().nth(5).map_or(0, |(i, _)| i)..start];
        let rest = text[end..].trim_start();
        let adverbial = [
            "除", "在", "经您", "经过", "after", "with", "upon", "once", "before", "unless",
            "except",
        ]
        .iter()
        .any(|n| lead_text.contains(n))
            || ["后", "的情况下", "之后", "前提", "的", "after", "before"]
                .iter()
                .any(|n| rest.starts_with(n));
        let excepted = scan.of(Field::Exception).any(|e| {
            e.end <= start
                && (scan.part(e.start)..scan.part(start)).all(|p| {
                    let (next, _) = scan.part_span(p + 1);
                    scan.starts_with(skip_spaces(text, next), Field::Continuation).is_some()
                })
        });
        let others = scan.subject_before(start) == Subject::Other;
        let conditional = protasis.is_some_and(|p| start >= p.start && start < p.end);
        if !adverbial && !excepted && !conditional && !others && has_modal(start) {
            s.actions.insert("consent".to_string());
            s.words
                .entry("consent".to_string())
                .or_insert_with(|| text[start..end].trim().to_string());
        }
    }
}

/// Whether the consent noun `noun` is what the verb ending at `verb_end` takes (`获取您的明确同意`,
/// `obtain your explicit consent`), not a verb of a relative clause (`获取您授权共享的信息`).
fn consent_object(scan: &Scan<'_>, verb_end: usize, noun: &Found<'_>) -> bool {
    let text = scan.text.as_str();
    let gap = text[verb_end..noun.start].trim();
    let gap_ok = gap.is_empty()
        || gap.split_whitespace().all(|w| {
            matches!(
                w,
                "your"
                    | "the"
                    | "their"
                    | "prior"
                    | "explicit"
                    | "express"
                    | "separate"
                    | "that"
                    | "person's"
            )
        })
        || [
            "您的",
            "您",
            "用户的",
            "明确",
            "明示",
            "单独",
            "事先",
            "的",
            "其",
            "本人",
            "您的明确",
            "您的单独",
            "您的明示",
        ]
        .contains(&gap);
    let after = text[noun.end..].trim_start();
    let verb_after =
        scan.found.iter().any(|f| f.is_verb() && f.start == skip_spaces(text, noun.end));
    gap_ok && !verb_after && !after.starts_with("的信息") && !after.starts_with("的个人信息")
}

/// Whether `to` is at most a few words (English) or six characters (Chinese) after `from`.
fn within_words(text: &str, from: usize, to: usize) -> bool {
    let gap = &text[from..to];
    if gap.contains(['。', ',', ';']) {
        return false;
    }
    if gap.is_ascii() { gap.split_whitespace().count() <= 4 } else { gap.chars().count() <= 6 }
}

/// Whether the condition at `at` is denied (`无需…同意`, `很难得到本人同意`; `未征得`, `without`
/// only in a clause that promises nothing).
fn denied(scan: &Scan<'_>, at: usize, negated: bool) -> bool {
    let part = scan.part(at);
    let _ = negated;
    scan.found.iter().any(|d| {
        let promise = || {
            scan.of(Field::Negation)
                .any(|n| n.start != d.start && !(n.start < d.end && d.start < n.end))
        };
        (d.field == Field::Deny || (d.field == Field::DenyWeak && !promise()))
            && d.end <= at
            && scan.part(d.start) == part
            && scan.text[d.end..at].chars().count() <= 20
    })
}

/// Whether the messages named at `start..end` are ones we send the user (`We reserve the right
/// to send you certain communications`, `you may receive text messages about your
/// appointments`, `vous envoyer des messages`), not the user's communications: a verb of sending
/// or receiving within the four words before, none of them a possessive (`we receive your
/// messages` names the user's).
fn messages_to_the_user(text: &str, start: usize, end: usize) -> bool {
    // The words of this phrase only: up to four, none past a punctuation mark.
    let phrase: Vec<&str> = text[..start]
        .rsplit(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .take(4)
        .take_while(|w| !w.contains([',', ';', ':', '.', '，', '；']))
        .collect();
    let possessive = |w: &&str| {
        matches!(*w, "your" | "user's" | "users'" | "vos" | "votre" | "ihre" | "deine" | "private")
    };
    let sends = |w: &&str| {
        [
            "send",
            "sends",
            "sent",
            "sending",
            "deliver",
            "delivers",
            "delivering",
            "receive",
            "receives",
            "receiving",
            "contact",
            "notify",
            "envoyer",
            "envoyons",
            "senden",
            "schicken",
            "zusenden",
        ]
        .contains(w)
    };
    // Ours, or a kind of message a service sends (`administrative messages`, `future marketing
    // communications`); not `customer service messages`, which the user writes too.
    let ours = |w: &&str| {
        matches!(
            *w,
            "our"
                | "nos"
                | "notre"
                | "unsere"
                | "unserer"
                | "administrative"
                | "promotional"
                | "marketing"
                | "transactional"
                | "future"
        )
    };
    let after = text[end..].trim_start();
    // Messages the user receives are ours unless others sent them (`the messages you receive
    // from other users` are communications between users).
    let from_others = ["from other", "from your", "from friends", "from people", "from contacts"];
    let from_us = ["from us", "you receive", "they receive", "that you receive", "we send"]
        .iter()
        .any(|w| after.starts_with(w))
        && !from_others.iter().any(|w| after.contains(w));
    !phrase.iter().any(possessive)
        && (phrase.iter().any(sends) || phrase.iter().any(ours) || from_us)
}

/// The data the clause names: the lexicon's kinds, the earlier clauses' data for `上述信息`, and
/// other personal information by pattern.
fn data(scan: &Scan<'_>, earlier: &[Statement], s: &mut Statement) {
    let text = scan.text.as_str();
    let mut examples = if scan.has(Field::Data) { example_lists(text) } else { Vec::new() };
    // Examples of a kind the clause names (`设备信息（如IMEI）`, `your identity information,
    // such as`) are that kind; after words that name no kind (`您设备上的信息，如传感器列表、
    // MAC地址`) the examples are the list itself.
    examples.retain(|&(cue, a, _)| {
        let kind_named = scan.of(Field::Data).any(|d| d.end <= a && a - d.end <= 12);
        // A head noun of a kind (`identifiers (e.g., …)`), not information as such.
        let before = text[..cue].trim_end_matches(|c: char| !c.is_alphanumeric());
        let kind_head = ZH_HEADS.iter().chain(EN_HEADS.iter()).any(|h| {
            !matches!(*h, "信息" | "数据" | "资料" | "data" | "information" | "info")
                && before.ends_with(h)
        });
        kind_named || kind_head
    });
    let mut excluded_to: Option<usize> = None;
    for d in scan.of(Field::Data) {
        // A title in `《》` of rules, a policy or a law names a document (`《儿童个人信息保护规则
        // 及监护人须知》`, `《个人信息保护法》`), not information of the user; a certificate's
        // (`《执业医师资格证》`) is the information.
        if scan.quotes.iter().any(|&(a, b)| d.start > a && d.start < b && rules_title(&text[a..b]))
        {
            continue;
        }
        // What the clause leaves out (`…anhand Ihrer IP-Adresse, nicht jedoch Breiten- und
        // Längengrad`, `your city, but not your precise location`, `不包括您的精确位置`).
        if left_out(&text[..d.start]) {
            excluded_to = Some(d.end);
            continue;
        }
        // … and the items listed with it (`excluding latitude and longitude`, `不包括您的精确地理
        // 位置和行踪轨迹`).
        if excluded_to.is_some_and(|end| end <= d.start && list_joiner(&text[end..d.start])) {
            excluded_to = Some(d.end);
            continue;
        }
        // A category after its examples (`身份证、社保卡等身份信息`) names nothing more.
        if d.id == "personal_info"
            && (text[..d.start].ends_with('等') || text[..d.start].ends_with("etc. "))
            && scan.found.iter().any(|e| {
                e.field == Field::Data
                    && e.id != "personal_info"
                    && e.end <= d.start
                    && scan.part(e.start) == scan.part(d.start)
            })
        {
            continue;
        }
        if d.id == "communications" && messages_to_the_user(text, d.start, d.end) {
            continue;
        }
        s.data.insert(d.id.to_string());
        // An example (`设备信息（如IMEI）`, `such as your name`) names its kind but is no item of
        // its own: adding an example to a list adds no kind of information.
        if !examples.iter().any(|&(_, a, b)| d.start >= a && d.start < b) {
            s.items.insert(format!("{}/{}", d.id, d.item));
        }
        s.words.entry(d.id.to_string()).or_insert_with(|| scan.word(d));
    }
    // `上述信息`, `such information`; a bare `这些` / `上述` only before information
    // (`这些支持` refers to no data).
    let anaphora = scan.of(Field::Anaphora).any(|a| {
        !matches!(&text[a.start..a.end], "这些" | "上述" | "前述")
            || scan.found.iter().any(|f| f.is_object() && f.start >= a.end && f.start <= a.end + 9)
    });
    if anaphora && let Some(prev) = earlier.iter().rev().find(|e| !e.data.is_empty()) {
        s.data.extend(prev.data.iter().cloned());
        s.items.extend(prev.items.iter().cloned());
        for (k, v) in &prev.words {
            s.words.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    for &(a, b) in &scan.phrases {
        let phrase = scan.text[a..b].to_string();
        s.data.insert("personal_info".to_string());
        s.words.entry("personal_info".to_string()).or_insert_with(|| phrase.clone());
        s.items.insert(format!("personal_info/{phrase}"));
    }
}

/// The example lists of a clause, each as `(cue, start, end)` byte offsets: where the example cue
/// (`如`, `例如`, `比如`, `诸如`, `such as`, `e.g.`, `for example`) starts, and the list from the
/// end of the cue to the end of the list (`，`, `；`, `。`, a closing bracket; in English `;`, `.`,
/// a closing bracket).
pub(crate) fn example_lists(text: &str) -> Vec<(usize, usize, usize)> {
    const CUES: [&str; 10] = [
        "例如",
        "比如",
        "诸如",
        "譬如",
        "such as ",
        "e.g.",
        "e.g ",
        "for example",
        "for instance",
        "including, for example",
    ];
    let mut out = Vec::new();
    let mut push = |cue: usize, end_of_cue: usize, latin: bool| {
        let rest = &text[end_of_cue..];
        let stop: &[char] = if latin { &[';', ')', '.'] } else { &[',', ';', ')', '。', ':'] };
        let end = rest.find(stop).map_or(text.len(), |i| end_of_cue + i);
        out.push((cue, end_of_cue, end));
    };
    for cue in CUES {
        for (i, _) in text.match_indices(cue) {
            // `e.g.` is often followed by a comma: the list starts after it.
            let mut end = i + cue.len();
            if cue.starts_with("e.g") || cue.starts_with("for ") {
                end = skip_spaces(text, end);
                if text[end..].starts_with(',') {
                    end += 1;
                }
            }
            push(i, end, cue.is_ascii());
        }
    }
    // A bare `如` opens examples after a bracket or a separator (`（如IMEI）`, `，如姓名`),
    // not a condition (`如果`, `如您`) or `如下`.
    for (i, _) in text.match_indices('如') {
        let before = text[..i].chars().next_back();
        let after = &text[i + '如'.len_utf8()..];
        if before.is_some_and(|c| matches!(c, '(' | ',' | ':' | '、'))
            && !["果", "您", "需", "下", "有", "何", "此", "今", "实", "前", "上", "若", "同"]
                .iter()
                .any(|w| after.starts_with(w))
        {
            push(i, i + '如'.len_utf8(), false);
        }
    }
    out
}

/// Head nouns of a phrase that names information (`车牌号`, `婚姻状况`, `calendar entries`).
const ZH_HEADS: [&str; 20] = [
    "信息", "数据", "记录", "内容", "号码", "号", "状况", "情况", "资料", "档案", "历史", "列表",
    "清单", "流水", "日程", "证件", "照片", "偏好", "习惯", "轨迹",
];
const EN_HEADS: [&str; 24] = [
    "data",
    "information",
    "info",
    "records",
    "record",
    "history",
    "number",
    "numbers",
    "details",
    "status",
    "entries",
    "list",
    "lists",
    "logs",
    "files",
    "statements",
    "preferences",
    "habits",
    "scans",
    "identifiers",
    "photos",
    "contents",
    "content",
    "profile",
];

/// Noun phrases that name personal information the lexicon does not know: `您的…信息`, `your …
/// data`, and the items of a `以下信息：` / `the following information:` list.
fn data_phrases(scan: &Scan<'_>) -> Vec<(usize, usize)> {
    let text = scan.text.as_str();
    let mut out = Vec::new();
    let covered = |a: usize, b: usize| {
        scan.found.iter().any(|f| {
            f.start < b
                && a < f.end
                && matches!(
                    f.field,
                    Field::Data
                        | Field::Recipient
                        | Field::Ignore
                        | Field::Purpose
                        | Field::Condition
                )
        })
    };
    let stop = |c: char| {
        matches!(c, ',' | '。' | ';' | ':' | '(' | ')' | '、' | '“' | '”' | '"' | '《' | '》' | '.')
    };
    // Where a possessive ends: `your` as the lexicon finds it (a whole word), every `您的`
    // (the lexicon may have read `转让您的` as `让您`).
    let mut owns: Vec<usize> = scan
        .of(Field::NotSubject)
        .filter(|f| &text[f.start..f.end] == "your")
        .map(|f| f.end)
        .chain(text.match_indices("您的").map(|(i, w)| i + w.len()))
        .collect();
    owns.sort_unstable();
    for own_end in owns {
        let rest = &text[own_end..];
        let latin = rest.trim_start().starts_with(|c: char| c.is_ascii_alphabetic());
        let limit: usize = if latin {
            rest.char_indices().filter(|(_, c)| *c == ' ').nth(5).map_or(rest.len(), |(i, _)| i)
        } else {
            rest.char_indices().nth(10).map_or(rest.len(), |(i, _)| i)
        };
        let window = &rest[..rest[..limit].find(stop).unwrap_or(limit)];
        let head_end = if latin {
            let mut end = None;
            let mut pos = 0;
            for w in window.split(' ') {
                let w_end = pos + w.len();
                if !w.is_empty() && EN_HEADS.contains(&w) {
                    end = Some(w_end);
                    break;
                }
                pos = w_end + 1;
            }
            end
        } else {
            ZH_HEADS.iter().filter_map(|h| window.find(h).map(|i| i + h.len())).min()
        };
        let Some(head_end) = head_end else { continue };
        let (a, b) = (own_end, own_end + head_end);
        let phrase = text[a..b].trim();
        if phrase.is_empty()
            || covered(a, b)
            || scan.found.iter().any(|f| f.start >= a && f.end <= b && f.is_verb())
        {
            continue;
        }
        // A bare head (`您的信息`) is the lexicon's; a phrase must say more than its head; data
        // of a business or in aggregate is no personal information.
        if ZH_HEADS.contains(&phrase)
            || EN_HEADS.contains(&phrase)
            || [
                "业务",
                "商业",
                "企业",
                "统计",
                "匿名",
                "business",
                "company",
                "enterprise",
                "aggregate",
                "statistical",
                "anonymous",
            ]
            .iter()
            .any(|w| phrase.contains(w))
        {
            continue;
        }
        let start = a + (text[a..b].len() - text[a..b].trim_start().len());
        out.push((start, start + phrase.len()));
    }
    // `以下信息：A、B` / `the following information: A and B`.
    for cue in scan.of(Field::DataList) {
        let (i, cue) = (cue.start, &text[cue.start..cue.end]);
        let after = &text[i + cue.len()..];
        let Some(colon) = after.find(':') else { continue };
        if after[..colon].chars().count() > 12 {
            continue;
        }
        let list_start = i + cue.len() + colon + 1;
        let list = &text[list_start..];
        let list = &list[..list.find(['。', ';', '.']).unwrap_or(list.len())];
        // Each piece's start from its offset in `list` (the separators differ in width: `、` is
        // three bytes, `,` one).
        for piece in list.split(['、', ',']) {
            let piece_start = list_start + (piece.as_ptr() as usize - list.as_ptr() as usize);
            for item in piece
                .split(" and ")
                .flat_map(|p| p.split(" or "))
                .flat_map(|p| p.split('和'))
                .flat_map(|p| p.split('及'))
            {
                let item = item.trim().trim_start_matches("and ").trim_start_matches("or ").trim();
                if item.is_empty() || item.chars().count() > 16 {
                    continue;
                }
                let a = piece_start + piece.find(item).unwrap_or(0);
                if covered(a, a + item.len()) {
                    continue;
                }
                out.push((a, a + item.len()));
            }
        }
    }
    out
}

/// Words that end an English or French recipient phrase.
const EN_PHRASE_STOPS: [&str; 33] = [
    // French.
    " afin ",
    " pour ",
    " lorsque ",
    " si ",
    " sauf ",
    " dans le cadre",
    " conformément",
    " as part of",
    " in compliance",
    " to ",
    " for ",
    " in order",
    " so that",
    " unless",
    " except",
    " if ",
    " when ",
    " who ",
    " which ",
    " that ",
    " where ",
    " without ",
    " upon ",
    " after ",
    " before ",
    " at ",
    " by ",
    " as ",
    " under ",
    " on ",
    " in ",
    " from ",
    " only",
];

/// Public sources of information about a person (`publicly available sources`, `公开渠道`,
/// addresses `listed within websites`).
const PUBLIC_SOURCES: [&str; 10] = [
    "publicly available sources",
    "publicly available information",
    "public sources",
    "public records",
    "listed within websites",
    "listed on websites",
    "公开渠道",
    "公开来源",
    "合法公开",
    "已公开的信息",
];

/// Words between `from` and the party it names (`from our trusted partners`).
const SOURCE_DETERMINERS: [&str; 17] = [
    "the",
    "our",
    "other",
    "certain",
    "trusted",
    "select",
    "selected",
    "various",
    "some",
    "these",
    "those",
    "such",
    "nos",
    "des",
    "ces",
    "certains",
    "certaines",
];

/// Where the clause's collected information comes from when not from the user: the class of
/// each party named after `from` / `从` / `来自` (`we may obtain from third parties the account
/// information …`, `从我们关联公司处接收…`), and `public` for a public source. Only in an
/// affirmed clause that collects. A new source is a material change: information not obtained
/// from the person must be traced to its source (GDPR art. 14(2)(f)).
fn sources(scan: &Scan<'_>, negated: bool, s: &mut Statement) {
    if negated || !s.actions.contains("collect") {
        return;
    }
    let text = scan.text.as_str();
    for r in scan.of(Field::Recipient) {
        let mut before = text[..r.start].trim_end();
        while let Some(d) = SOURCE_DETERMINERS
            .iter()
            .find(|d| before.ends_with(**d) && before[..before.len() - d.len()].ends_with(' '))
        {
            before = before[..before.len() - d.len()].trim_end();
        }
        // `from`, and in French `de la part de`, `auprès de` (`recevoir des informations de la
        // part de nos affiliés`, `obtenues auprès de partenaires`).
        let from_en = before.ends_with(" from")
            || before == "from"
            || [" de la part de", " de la part d'", " auprès de", " auprès d'"]
                .iter()
                .any(|p| before.ends_with(p));
        // `从第三方`, `从我们关联公司处`, `来自合作伙伴`: `从` a few ideographs before the party,
        // no practice word between.
        let window: String = {
            let tail: Vec<char> = before.chars().rev().take(4).collect();
            tail.into_iter().rev().collect()
        };
        let from_zh = window.contains('从') || window.contains("来自");
        let window_start = before.len() - window.len();
        let verb_between =
            scan.found.iter().any(|v| v.is_verb() && v.start >= window_start && v.end <= r.start);
        if (from_en || from_zh) && !verb_between {
            s.sources.insert(r.id.to_string());
            s.words.entry(format!("source/{}", r.id)).or_insert_with(|| scan.word(r));
        }
    }
    if let Some(p) = PUBLIC_SOURCES.iter().find(|p| text.contains(**p)) {
        s.sources.insert("public".to_string());
        s.words.entry("source/public".to_string()).or_insert_with(|| p.to_string());
    }
}

/// Recipients of the clause's transfers (see the module documentation).
#[allow(clippy::too_many_arguments)]
fn recipients(
    scan: &Scan<'_>,
    raw: &str,
    lead: usize,
    kept: &[Kept],
    scopes: &[Scope],
    earlier: &[Statement],
    s: &mut Statement,
) {
    let text = scan.text.as_str();
    let gives = s.actions.iter().any(|a| is_transfer(a));
    if !gives {
        return;
    }
    let transfers: Vec<&Kept> =
        kept.iter().filter(|k| is_transfer(k.id) && k.id != "abroad").collect();
    let transfer_parts: Vec<usize> = transfers.iter().map(|k| scan.part(k.start)).collect();
    let first_action = kept.iter().map(|k| k.start).min().unwrap_or(text.len());
    let in_purpose = |a: usize, b: usize| {
        scopes.iter().any(|sc| {
            !sc.specific_only
                && a >= sc.start
                && b <= sc.end
                && sc.start >= first_action.min(sc.start)
        })
    };
    // After a safeguard cue, unless a stated practice comes between (`protect … and provide
    // it to others`).
    let guarded = |at: usize| {
        scan.of(Field::Safeguard).any(|g| {
            g.end <= at
                && scan.part(g.start) == scan.part(at)
                && !kept.iter().any(|k| k.start >= g.end && k.end <= at)
        })
    };
    // Not a recipient: the exception (`other than X`, `X以外`), or whose requirement it is
    // (`政府主管部门的强制性要求`, `requirements of government authorities`).
    let excluded = |r: &Found<'_>| {
        let before = text[..r.start].trim_end();
        let after = &text[r.end..];
        let other_than = before.rfind("other than").is_some_and(|i| {
            let gap = &before[i + "other than".len()..];
            !gap.contains([',', ';']) && gap.split_whitespace().count() <= 4
        });
        other_than
            || after.starts_with("以外")
            || after.starts_with("之外")
            || (after.starts_with('的') && !after.starts_with("的合作"))
            || before.ends_with(" from")
            // `collected by the SDK` names who collects; `used by advertisers` whom the
            // information goes to.
            || before.strip_suffix(" by").is_some_and(|b| {
                !["used", "processed"].iter().any(|w| b.ends_with(w))
            })
            // `the requirements of government authorities`, but not `the following categories
            // of third parties`: a kind of recipient is a recipient.
            || before.strip_suffix(" of").is_some_and(|b| {
                !["categories", "category", "types", "type", "kinds", "kind"]
                    .iter()
                    .any(|k| b.ends_with(k))
            })
    };
    let earlier_recipients = || {
        earlier.iter().rev().find(|e| !e.recipients.is_empty()).map(|e| {
            e.recipients.iter().filter(|r| r.as_str() != "public").cloned().collect::<Vec<_>>()
        })
    };
    // Where each transfer names whom it gives to (`with government authorities, industry peers,
    // or other third parties`), across commas.
    let regions: Vec<(usize, usize)> =
        transfers.iter().filter_map(|t| recipient_region(scan, t)).collect();
    let in_region = |r: &Found<'_>| regions.iter().any(|&(a, b)| r.start >= a && r.start < b);
    let mut named_any = false;
    for r in scan.of(Field::Recipient) {
        let spanned = (scan.part(r.start)..=scan.part(r.end.saturating_sub(1).max(r.start)))
            .any(|p| transfer_parts.contains(&p));
        if !(spanned || in_region(r))
            || in_purpose(r.start, r.end)
            || guarded(r.start)
            || excluded(r)
        {
            continue;
        }
        // This partner / these partners: those the block named before.
        if let Some(ana) =
            scan.of(Field::RecipientAnaphora).find(|x| x.start <= r.start && r.end <= x.end)
            && let Some(prev) = earlier_recipients()
        {
            let _ = ana;
            s.recipients.extend(prev);
            named_any = true;
            continue;
        }
        let before = &text[..r.start];
        let subject = r.start < first_action
            && !["与", "向", "给", "同", "和"].iter().any(|p| before.contains(p))
            && !before.ends_with("with ")
            && !before.ends_with("to ")
            && (before.trim().is_empty()
                || before.trim_end().ends_with("我们的")
                || before.trim_end().ends_with("our")
                || lead >= before.trim_end().len());
        if subject {
            s.actor = Some("third_party");
            continue;
        }
        s.recipients.insert(r.id.to_string());
        named_any = true;
        // 提供广告、分析服务的合作伙伴: advertisers and analytics providers.
        let w = scan.word(r);
        if r.id == "advertiser" && (w.contains("分析") || w.contains("analytics")) {
            s.recipients.insert("analytics".to_string());
        }
        s.words.entry(r.id.to_string()).or_insert(w);
    }
    for a in scan.of(Field::RecipientAnaphora) {
        if named_any || !transfer_parts.contains(&scan.part(a.start)) {
            continue;
        }
        if let Some(prev) = earlier_recipients() {
            s.recipients.extend(prev);
            named_any = true;
        }
    }
    // Noun phrases the lexicon does not know: 向催收机构出售, sell … to debt collectors.
    for t in &transfers {
        if let Some((a, b)) = recipient_phrase(scan, t) {
            let phrase = text[a..b].trim();
            let known = scan.found.iter().any(|f| {
                f.start < b
                    && a < f.end
                    && matches!(
                        f.field,
                        Field::Recipient
                            | Field::RecipientAnaphora
                            | Field::SubjectWe
                            | Field::SubjectUser
                            | Field::NotSubject
                            | Field::Place
                    )
            });
            if known || phrase.is_empty() || in_purpose(a, b) {
                continue;
            }
            s.recipients.insert("third_party".to_string());
            s.items.insert(format!("recipient/{phrase}"));
            s.words.entry("third_party".to_string()).or_insert_with(|| phrase.to_string());
            named_any = true;
        }
    }
    // A party that collects: its classes and the SDKs it names.
    for (a, b) in kept.iter().filter(|k| is_transfer(k.id)).filter_map(|k| k.by) {
        for r in scan.of(Field::Recipient).filter(|r| r.start >= a && r.end <= b) {
            s.recipients.insert(r.id.to_string());
            s.words.entry(r.id.to_string()).or_insert_with(|| scan.word(r));
        }
        for name in sdk_names(&text[a..b]) {
            s.recipients.extend(sdk_classes(&name).iter().map(|c| c.to_string()));
            s.recipients.insert(format!("sdk:{}", original_case(raw, &name)));
        }
        s.actor = Some("third_party");
        named_any = true;
    }
    // A recipient left out after `而` / `and`: the one just named.
    if !named_any
        && !transfers.is_empty()
        && scan.starts_with(lead, Field::Continuation).is_some()
        && let Some(prev) = earlier_recipients()
    {
        s.recipients.extend(prev);
    }
    if kept.iter().any(|k| is_transfer(k.id)) {
        for name in organisations(raw) {
            s.recipients.insert(format!("org:{name}"));
        }
    }
}

/// Words that name no SDK of their own before `SDK` (`第三方SDK`, `广告SDK`, `these SDKs`).
const GENERIC_SDK_WORDS: [&str; 24] = [
    "第三方",
    "广告",
    "统计",
    "推送",
    "分享",
    "支付",
    "登录",
    "地图",
    "定位",
    "客服",
    "渠道",
    "第三方渠道",
    "相关",
    "该",
    "此",
    "这些",
    "上述",
    "其他",
    "部分",
    "third-party",
    "third party",
    "these",
    "such",
    "other",
];

/// The SDKs `phrase` (a [`match_text`] form) names: the words right before each `sdk`, back to a
/// word that cannot be part of a name (`我们使用了微信SDK` names `微信sdk`); generic words
/// (`第三方SDK`, `广告SDK`) name none.
fn sdk_names(phrase: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = phrase[from..].find("sdk") {
        let at = from + i;
        from = at + 3;
        let before = &phrase[..at];
        let mut start = at;
        for (j, c) in before.char_indices().rev() {
            let name_char = is_cjk(c) || c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '.');
            if !name_char || before[j..].chars().count() > 16 {
                break;
            }
            start = j;
        }
        let run = &before[start..];
        let cut = [
            "使用了",
            "使用",
            "接入了",
            "接入",
            "集成了",
            "集成",
            "嵌入",
            "通过",
            "由",
            "的",
            "了",
            "是",
            "与",
            "和",
            "及",
            "或",
            "等",
            "为",
            "在",
            "会",
            "将",
            "我们",
            "the ",
            "our ",
            "use ",
            "uses ",
            "via ",
            "through ",
            "with ",
            "by ",
            "and ",
            "or ",
            "a ",
            "an ",
        ]
        .iter()
        .filter_map(|w| run.rfind(w).map(|k| k + w.len()))
        .max()
        .unwrap_or(0);
        let name = run[cut..].trim().trim_start_matches("第三方").trim();
        if name.is_empty() || GENERIC_SDK_WORDS.contains(&name) {
            continue;
        }
        out.push(format!("{name}{}", if name.is_ascii() { " sdk" } else { "sdk" }));
    }
    out
}

/// The recipient classes an SDK's name implies (`穿山甲广告SDK` is an advertiser's).
fn sdk_classes(name: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (words, class) in [
        (&["广告", "ad ", "ads ", "advertising"][..], "advertiser"),
        (&["统计", "分析", "analytics", "statistics"][..], "analytics"),
        (&["支付", "pay"][..], "payment"),
    ] {
        if words.iter().any(|w| name.contains(w)) {
            out.push(class);
        }
    }
    out
}

/// `name` (lower case) as the clause writes it, when the clause has it in the same length.
fn original_case(raw: &str, name: &str) -> String {
    let lower = raw.to_lowercase();
    let squeezed: String = name.split_whitespace().collect::<Vec<_>>().join(" ");
    for candidate in [name, squeezed.as_str()] {
        if let Some(i) = lower.find(candidate)
            && lower.len() == raw.len()
            && raw.is_char_boundary(i)
            && raw.is_char_boundary(i + candidate.len())
        {
            return raw[i..i + candidate.len()].to_string();
        }
    }
    // `OPPO SDK` matched as `oppo sdk`; `微信SDK` as `微信sdk`.
    let glued = name.replace(" sdk", "sdk");
    if let Some(i) = lower.find(&glued)
        && lower.len() == raw.len()
    {
        return raw[i..i + glued.len()].to_string();
    }
    name.to_string()
}

/// Where the English recipient after `from` starts: after the first `with` or `to` that is not
/// part of another phrase (`in accordance with`, `along with`) or a purpose (`to improve`).
/// Verbs that, after `to`, make an infinitive rather than name whom something goes to.
const INFINITIVES: [&str; 48] = [
    "receive",
    "use",
    "provide",
    "submit",
    "participate",
    "register",
    "create",
    "improve",
    "opt",
    "make",
    "help",
    "ensure",
    "allow",
    "enable",
    "access",
    "learn",
    "find",
    "see",
    "manage",
    "control",
    "choose",
    "change",
    "exercise",
    "request",
    "contact",
    "comply",
    "protect",
    "prevent",
    "detect",
    "keep",
    "be",
    "do",
    "get",
    "take",
    "give",
    "send",
    "show",
    "let",
    "limit",
    "object",
    "restrict",
    "update",
    "delete",
    "review",
    "set",
    "turn",
    "stop",
    "decline",
];

/// French prepositions before whom information goes (`avec`, `à`, `aux`).
const FR_RECIPIENT_PREPOSITIONS: [&str; 3] = [" avec ", " à ", " aux "];

fn recipient_preposition(scan: &Scan<'_>, from: usize, end: usize) -> Option<usize> {
    let text = scan.text.as_str();
    let rest = &text[from..end];
    let mut at = 0;
    loop {
        let i = [" with ", " to "]
            .iter()
            .chain(&FR_RECIPIENT_PREPOSITIONS)
            .filter_map(|p| rest[at..].find(p).map(|i| at + i))
            .min()?;
        let word_at = from + i + 1;
        let with = rest[i..].starts_with(" with ");
        // French: `partagées avec`, `transmises à`, `communiquées aux`; not `à des fins de`,
        // `à compter du`, `à tout moment`.
        if let Some(p) = FR_RECIPIENT_PREPOSITIONS.iter().find(|p| rest[i..].starts_with(**p)) {
            let after = &rest[i + p.len()..];
            if [
                "des fins",
                "cette fin",
                "ces fins",
                "compter",
                "tout moment",
                "titre",
                "condition",
                "l'étranger",
                "l'exception",
                "la demande",
                "votre demande",
                "partir",
            ]
            .iter()
            .any(|w| after.starts_with(w))
            {
                at = i + 1;
                continue;
            }
            return Some(from + i + p.len());
        }
        let before = text[..from + i].split_whitespace().next_back().unwrap_or("");
        let idiom = with
            && matches!(
                before,
                "accordance"
                    | "along"
                    | "comply"
                    | "complies"
                    | "compliance"
                    | "together"
                    | "associated"
                    | "consistent"
                    | "line"
                    | "deal"
                    | "combination"
            );
        // `to` before a verb is an infinitive (`ways to opt out of ad targeting`), no recipient.
        let infinitive = !with
            && text[word_at + 3..]
                .split(|c: char| !c.is_ascii_alphabetic())
                .next()
                .is_some_and(|w| INFINITIVES.contains(&w));
        if idiom || infinitive || english_purpose_at(scan, word_at) {
            at = i + 1;
            continue;
        }
        return Some(word_at + if with { 5 } else { 3 });
    }
}

/// `provide these partners with information`: the recipient is what comes between the verb and
/// `with`.
fn provided_to(scan: &Scan<'_>, t: &Kept, end: usize) -> Option<(usize, usize)> {
    let text = scan.text.as_str();
    let verb = &text[t.start..t.end];
    if !["provid", "supply", "suppli"].iter().any(|v| verb.starts_with(v)) {
        return None;
    }
    let i = text[t.end..end].find(" with ")?;
    let (a, b) = (t.end, t.end + i);
    let phrase = text[a..b].trim();
    let words = phrase.split_whitespace().count();
    (words > 0 && words <= 5 && !phrase.contains(',')).then(|| {
        let start = a + (text[a..b].len() - text[a..b].trim_start().len());
        (start, start + phrase.len())
    })
}

/// The English region after a transfer that names its recipients: from `with` / `to` to the
/// next word that ends a noun phrase list (`for`, `in order`, a purpose `to`), across commas.
fn recipient_region(scan: &Scan<'_>, t: &Kept) -> Option<(usize, usize)> {
    let text = scan.text.as_str();
    if !is_latin(&text[t.start..t.end]) {
        return recipient_phrase(scan, t);
    }
    let rest_end = t.end + text[t.end..].find(['.', ';', ':']).unwrap_or(text.len() - t.end);
    if let Some(given_to) = provided_to(scan, t, rest_end) {
        return Some(given_to);
    }
    let start = recipient_preposition(scan, t.end, rest_end)?;
    // `as well as` joins recipients (`with all users, as well as with our partners`) and `such
    // as` names examples of them (`third parties, such as researchers`): their `as` is no stop.
    // The mask keeps every byte offset.
    let tail = text[start..rest_end]
        .replace(" as well as ", &" ".repeat(" as well as ".len()))
        .replace(" such as ", &" ".repeat(" such as ".len()));
    let mut end = tail.len();
    for stop in EN_PHRASE_STOPS {
        if let Some(j) = tail.find(stop) {
            end = end.min(j);
        }
    }
    Some((start, start + end))
}

/// The byte range of the noun phrase that receives the transfer `t`: `向X共享`, `与X分享`,
/// `出售给X`, `share … with X`, `sell … to X`.
fn recipient_phrase(scan: &Scan<'_>, t: &Kept) -> Option<(usize, usize)> {
    let text = scan.text.as_str();
    let (part_start, part_end) = scan.part_span(scan.part(t.start));
    let word = &text[t.start..t.end];
    if !is_latin(word) {
        // After: V给X / V至X.
        let after = &text[t.end..part_end];
        let after = after.trim_start_matches(['给', '至', '予']);
        if after.len() < text[t.end..part_end].len() || word.ends_with('给') {
            let end = after
                .find(|c: char| {
                    matches!(c, '，' | ',' | '。' | '；' | ';' | '、' | '的' | '(' | ':')
                })
                .unwrap_or(after.len());
            let mut phrase_end = text.len() - text[t.end..].len()
                + (text[t.end..part_end].len() - after.len())
                + end;
            // Stop before a purpose cue.
            if let Some(p) = scan.found.iter().find(|f| {
                f.start >= part_end - after.len()
                    && f.start < phrase_end
                    && matches!(f.field, Field::PurposeCue | Field::PurposeLead)
            }) {
                phrase_end = p.start;
            }
            let start = part_end - after.len();
            if phrase_end > start && text[start..phrase_end].chars().count() <= 16 {
                return Some((start, phrase_end));
            }
        }
        // Before: 向X V / 与X V.
        let before = &text[part_start..t.start];
        let prep =
            ["向", "与"].iter().filter_map(|p| before.rfind(p).map(|i| (i, p.len()))).max()?;
        let start = part_start + prep.0 + prep.1;
        let mut end = t.start;
        // Not across another verb or an object: 向X(共同|进行)?V.
        for filler in ["共同", "进行", "分别", "一起", "共享", "等"] {
            if text[start..end].ends_with(filler) {
                end -= filler.len();
            }
        }
        let phrase = &text[start..end];
        if phrase.is_empty()
            || phrase.chars().count() > 16
            || phrase.contains(['，', ',', '。'])
            || scan.found.iter().any(|f| {
                f.start >= start && f.end <= end && (f.is_verb() || f.field == Field::Data)
            })
        {
            return None;
        }
        return Some((start, end));
    }
    // English: provide X with / V … with X / V … to X.
    if let Some(given_to) = provided_to(scan, t, part_end) {
        return Some(given_to);
    }
    let start = recipient_preposition(scan, t.end, part_end)?;
    let rest = &text[start..part_end];
    {
        let mut end = rest.len();
        for stop in EN_PHRASE_STOPS {
            if let Some(j) = rest.find(stop) {
                end = end.min(j);
            }
        }
        end = end.min(rest.find(['.', ':', ';']).unwrap_or(rest.len()));
        let mut phrase = rest[..end].trim();
        for det in [
            "the ",
            "our ",
            "a ",
            "an ",
            "any ",
            "certain ",
            "some ",
            "such ",
            "selected ",
            "trusted ",
        ] {
            phrase = phrase.strip_prefix(det).unwrap_or(phrase);
        }
        if phrase.is_empty() || phrase.split_whitespace().count() > 5 {
            return None;
        }
        let a = start + rest[..end].find(phrase).unwrap_or(0);
        Some((a, a + phrase.len()))
    }
}

/// Purposes: inside purpose phrases, frames and consequences; generic words only where nothing
/// more specific is named in the same segment of the phrase.
fn purposes(
    scan: &Scan<'_>,
    protasis: Option<Protasis>,
    scopes: &[Scope],
    kept: &[Kept],
    s: &mut Statement,
) {
    let text = scan.text.as_str();
    // Frames (`当您注册时`, `for advertising`, a condition) count beside a stated practice.
    let mut ranges: Vec<(usize, usize, bool)> = scopes
        .iter()
        .filter(|sc| !sc.specific_only || !kept.is_empty())
        .map(|sc| (sc.start, sc.end, sc.specific_only))
        .collect();
    if let Some(p) = protasis
        && p.main
        && !kept.is_empty()
    {
        ranges.push((p.start, p.end, true));
    }
    // A consequence of refusing (`如您不提供…，将无法使用…`, `…，但可能会影响您正常使用…`,
    // `your use of … will be affected`): the function affected is what the information serves.
    let after_refusal =
        protasis.is_some() || scan.starts_with(lead(text), Field::Continuation).is_some();
    for c in scan.of(Field::Consequence).filter(|_| after_refusal) {
        match protasis {
            Some(p) if p.main && c.start >= p.end => ranges.push((p.end, text.len(), false)),
            _ => ranges.push((c.start, text.len(), false)),
        }
    }
    let mut back = None;
    for (from, to, specific_only) in ranges {
        for (a, b) in segments(scan, from, to) {
            let in_segment: Vec<&Found<'_>> =
                scan.found.iter().filter(|f| f.start >= a && f.end <= b).collect();
            let mut specific = false;
            for (k, f) in in_segment.iter().enumerate() {
                let id = match f.field {
                    Field::Purpose => f.id,
                    // Profiling named as what information serves: personalisation.
                    Field::Action
                        if f.id == "profile"
                            && (f.item.contains("个性化") || f.item.contains("personali")) =>
                    {
                        "personalisation"
                    }
                    _ => continue,
                };
                // `improve the security of`: what is improved is the purpose.
                let improves_other = id == "improvement"
                    && in_segment[k + 1..].iter().any(|n| {
                        n.field == Field::Purpose
                            && !matches!(n.id, "service" | "improvement")
                            && text[f.end..n.start]
                                .split_whitespace()
                                .all(|w| matches!(w, "the" | "our" | "your" | "its"))
                    });
                if improves_other {
                    continue;
                }
                specific |= id != "service";
                s.purposes.insert(id.to_string());
                s.words.entry(id.to_string()).or_insert_with(|| scan.word(f));
            }
            if !specific && !specific_only {
                let generic = scan.of(Field::GenericService).find(|g| {
                    g.start >= a
                        && g.end <= b
                        && !scan.found.iter().any(|f| {
                            f.field == Field::Purpose && f.start <= g.start && g.end <= f.end
                        })
                });
                match generic {
                    // `为实现此功能`: the function named before, whose purpose the clause
                    // gives elsewhere when it has one.
                    Some(g) if pointing_back(&text[a..g.start]) => {
                        back.get_or_insert(g);
                    }
                    Some(g) => {
                        s.purposes.insert("service".to_string());
                        s.words.entry("service".to_string()).or_insert_with(|| scan.word(g));
                    }
                    None => {}
                }
            }
        }
    }
    if let Some(g) = back
        && s.purposes.is_empty()
    {
        s.purposes.insert("service".to_string());
        s.words.entry("service".to_string()).or_insert_with(|| scan.word(g));
    }
}

/// Whether the words before a service word point back to one already named (`为实现此功能`,
/// `以实现前述功能`): the purpose is that function's, stated elsewhere in the clause
/// when it is, not the service in general.
fn pointing_back(before: &str) -> bool {
    // Chinese only: `this service` in English is as often the service itself.
    const POINTERS: [&str; 8] = ["此", "这一", "这个", "该", "上述", "这些", "前述", "以上"];
    let before = before.trim_end();
    POINTERS.iter().any(|p| {
        // `因此`, `如此`, `彼此`, `应该` are words of their own.
        before.strip_suffix(p).is_some_and(|rest| !rest.ends_with(['因', '如', '彼', '应', '从']))
    })
}

/// Whether the words between an English `you` and a verb make `you` the object of a verb the
/// lexicon does not know, joined to this one (`we do not target you or keep …`, `we never bother
/// you with ads or sell …`): a conjunction right after it, or after a phrase it opens with a
/// preposition. `if you sign up or keep …` keeps `you` as the subject.
fn object_before_conjunction(between: &str) -> bool {
    let words: Vec<&str> = between.split_whitespace().collect();
    let joins = |w: &str| matches!(w, "or" | "and" | "nor");
    match words.as_slice() {
        [w] => joins(w),
        [first, .., last] if words.len() <= 6 => {
            joins(last)
                && matches!(*first, "with" | "about" | "for" | "on" | "by")
                && !between.contains([',', ';', ':', '.'])
        }
        _ => false,
    }
}

/// The segments of `from..to` a purpose phrase is read in: its parts, an English part cut again
/// before a coordinated `to` (`to provide … and to recommend …`).
fn segments(scan: &Scan<'_>, from: usize, to: usize) -> Vec<(usize, usize)> {
    let text = scan.text.as_str();
    let mut cuts: Vec<usize> =
        scan.part_starts.iter().copied().filter(|&p| p > from && p < to).collect();
    for sep in [" and to ", " or to "] {
        let mut i = from;
        while let Some(j) = text[i..to].find(sep) {
            cuts.push(i + j + 1);
            i += j + sep.len();
        }
    }
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = from;
    for c in cuts.into_iter().chain(std::iter::once(to)) {
        if c > start {
            out.push((start, c));
        }
        start = c;
    }
    out
}

/// Conditions: the lexicon's, unless denied or the object of a withdrawal (`撤回您的授权`).
fn conditions(scan: &Scan<'_>, negated: bool, kept: &[Kept], s: &mut Statement) {
    let text = scan.text.as_str();
    for c in scan.of(Field::Condition) {
        if denied(scan, c.start, negated) {
            s.waives_consent |= matches!(c.id, "consent" | "explicit_consent");
            continue;
        }
        let withdrawn = scan.found.iter().any(|w| {
            w.field == Field::Control
                && w.id == "withdraw"
                && w.end <= c.start
                && text[w.end..c.start].trim().chars().count() <= 4
        });
        if withdrawn {
            continue;
        }
        // Consent deemed by use (`By using our Services, you authorize us to collect …`) is no
        // consent asked for.
        let word = &text[c.start..c.end];
        if (word.contains("authori") || word.contains("授权我们"))
            && [
                "by using",
                "by accessing",
                "by continuing",
                "by visiting",
                "by creating",
                "by accepting",
                "by registering",
                "by signing up",
                "when you use",
                "if you use",
                "即表示",
                "即视为",
            ]
            .iter()
            .any(|w| text.contains(w))
        {
            continue;
        }
        // `接收、汇总、分析`: compiling is an act in a list of acts, not aggregated information;
        // a list that goes on to describe the information (`汇总、统计后的数据`, `以匿名、汇总的
        // 形式`) still names it.
        if &text[c.start..c.end] == "汇总"
            && (text[..c.start].ends_with('、') || text[c.end..].starts_with('、'))
        {
            let tail: String =
                text[c.end..].chars().take_while(|ch| !PART_ENDS.contains(ch)).take(8).collect();
            // A possessive (`分析您的交易信息`) describes nothing.
            let tail = tail.replace("您的", "").replace("我们的", "").replace("其", "");
            if !["的", "后", "形式", "方式"].iter().any(|w| tail.contains(w)) {
                continue;
            }
        }
        s.conditions.insert(c.id.to_string());
    }
    // Anonymisation conditions a practice; on its own it describes information, and as the
    // practice (`做匿名化、去标识化处理`) it is no condition of it.
    let anonymising = kept.iter().any(|k| {
        k.id == "delete"
            && ["匿名", "去标识", "anonymi", "de-identif"]
                .iter()
                .any(|w| text[k.start..k.end].contains(w))
    });
    if kept.is_empty() || anonymising {
        s.conditions.remove("anonymised");
    }
    // Asking for consent as the clause's only act is not a condition of it.
    if s.actions.len() == 1 && s.actions.contains("consent") {
        s.conditions.remove("consent");
    }
    if s.conditions.contains("explicit_consent") {
        s.conditions.remove("consent");
    }
}

/// Whether the words after a sending verb of the user's make it a message to us: a request,
/// complaint, question or letter sent on (`a correction request by e-mail to …`, `your
/// complaint to …`, `将投诉发送至`), or a sending by e-mail or post. `before` is the part up to
/// the verb (a Chinese object comes before it, after `将` or `把`), `after` the rest of it.
fn writes_to_us(before: &str, after: &str) -> bool {
    const MESSAGES: [&str; 20] = [
        "request",
        "complaint",
        "question",
        "inquiry",
        "enquiry",
        "letter",
        "feedback",
        "by e-mail",
        "by email",
        "by post",
        "by mail",
        "请求",
        "申请",
        "投诉",
        "意见",
        "反馈",
        "问题",
        "信函",
        "邮件",
        "举报",
    ];
    let lower = after.to_lowercase();
    let object = lower.split(" to ").next().unwrap_or(&lower);
    let chinese_object = before.rfind(['将', '把']).map_or("", |i| &before[i..]);
    MESSAGES.iter().any(|w| object.contains(w) || chinese_object.contains(w))
}

/// Whether the clause may name a period (a number and a unit): [`durations`] is not cheap.
fn may_name_duration(text: &str) -> bool {
    (text.contains(['天', '日', '周', '月', '年'])
        || [
            "day", "week", "month", "year", "星期", "jour", "semaine", "mois", "an", "tag",
            "woche", "monat", "jahr",
        ]
        .iter()
        .any(|u| text.contains(u)))
        && (text.chars().any(|c| c.is_ascii_digit() || "零〇一二两三四五六七八九十百".contains(c))
            || crate::normalize::names_number_word(text))
}

fn actor(scan: &Scan<'_>) -> Option<&'static str> {
    let first = scan.found.iter().find(|f| {
        matches!(f.field, Field::SubjectWe | Field::SubjectUser)
            || f.is_verb()
            || (f.field == Field::NotSubject && permits_us(&scan.text, f))
    })?;
    // `您授权我们收集…`, `you allow us to share …`: the practice is ours.
    let lets_us = || {
        scan.found.iter().any(|f| {
            f.field == Field::NotSubject
                && f.start >= first.end
                && permits_us(&scan.text, f)
                && !scan
                    .found
                    .iter()
                    .any(|v| v.is_verb() && v.start >= first.end && v.end <= f.start)
        })
    };
    match first.field {
        // `请允许我们访问…`: we act.
        Field::SubjectWe | Field::NotSubject => Some("we"),
        Field::SubjectUser if lets_us() => Some("we"),
        Field::SubjectUser => Some("user"),
        _ => None,
    }
}

fn modality(scan: &Scan<'_>) -> Option<&'static str> {
    if scan.has(Field::May) {
        Some("may")
    } else if scan.has(Field::Must) {
        Some("must")
    } else if scan.has(Field::Will) {
        Some("will")
    } else {
        None
    }
}

/// Compiles the patterns of contact channels and of processing by a named party now rather than
/// at the first clause that needs them (see [`super::prepare`]).
pub(crate) fn prepare() {
    for re in [&EMAIL, &PHONE, &URL, &PROCESSED_BY] {
        LazyLock::force(re);
    }
}

/// `This data is processed by Deepl`, `Payments are handled by Stripe, Inc.`: the passive of
/// processing with a named agent (capitalised words after `by`).
static PROCESSED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:is|are|be|been|being|was|were)\s+(?:processed|stored|hosted|handled)\s+(?:\w+\s+)?by\s+([A-Z][\w&'-]*(?:\.[A-Za-z]+)*(?:(?:\s+|,\s*)(?:[A-Z][\w&'-]*\.?))*)",
    )
    .unwrap()
});

/// A named party that processes the information for us (`This data is processed by Deepl as
/// part of their professional offering`) receives it: the clause is `entrust`, the party a
/// recipient (its legal name as `org:`, else an item of `third_party`, as an unnamed recipient
/// is). Only clauses about information (data found, or the words `data` / `information`).
fn processed_by(raw: &str, s: &mut Statement) {
    // Every clause passes here: the pattern runs only where its `by` can be.
    if !raw.contains("by") {
        return;
    }
    let Some(name) = PROCESSED_BY.captures(raw).and_then(|c| c.get(1)) else { return };
    let name = name.as_str().trim_end_matches([',', '.', ' ']);
    let first = name.split([' ', ',']).next().unwrap_or("");
    if matches!(first, "Us" | "We" | "Our" | "You" | "Your" | "The" | "Law" | "Applicable" | "Such")
    {
        return;
    }
    let lower = raw.to_lowercase();
    if s.data.is_empty() && !lower.contains("data") && !lower.contains("information") {
        return;
    }
    s.actions.insert("entrust".to_string());
    s.words.entry("entrust".to_string()).or_insert_with(|| "processed by".to_string());
    s.recipients.insert("third_party".to_string());
    s.words.entry("third_party".to_string()).or_insert_with(|| name.to_string());
    let orgs = organisations(raw);
    if orgs.is_empty() {
        s.items.insert(format!("recipient/{}", name.to_lowercase()));
    } else {
        s.recipients.extend(orgs.into_iter().map(|o| format!("org:{o}")));
    }
}

/// Sending the user marketing (`We send you marketing emails`, `我们会向您推送营销信息`,
/// `Wir versenden Newsletter`, `nous pouvons vous envoyer des offres`) in lower case.
static SENDS_MARKETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?:send|sends|sending|e-?mail|text)\s+(?:you|users)\s+(?:\w+\s+){0,2}?(?:marketing|promotional|newsletters?|offers|advertising)\b
        | (?:向|给)(?:您|你)(?:发送|推送)[^，。；,;]{0,8}?(?:营销|推广|促销|广告|商业性)
        | \bnewsletter\w*\s+(?:\w+\s+){0,3}?(?:versenden|senden|schicken|zusenden)\b
        | \b(?:versenden|senden|schicken)\s+(?:\w+\s+){0,3}?(?:newsletter|werbe)
        | \bvous\s+(?:envoyer|adresser|envoyons|adressons)\s+(?:\w+\s+){0,2}?(?:offres|newsletters?|communications\s+commerciales|publicit|prospection)",
    )
    .unwrap()
});

/// Whether the words of a clause before a practice word negate it, in any of the four
/// languages (`we do not send you …`, `我们不会向您推送…`, `wir versenden keine …`): a German
/// negation may stand after the verb, so it counts anywhere in the clause.
static NEGATED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:not|never|nicht|keine[nrms]?|niemals|jamais)\b|n't|不会|不再|绝不|从不|\bne\s|\bn'",
    )
    .unwrap()
});

/// A clause that sends the user marketing and states no other practice uses their contact
/// details for marketing (`We send you marketing emails only if you have given your
/// consent` → `We send you marketing emails`: the consent condition is gone). A negation
/// before the words makes it a promise (`we do not send you marketing emails`).
fn sends_marketing(text: &str, s: &mut Statement) {
    let Some(m) = SENDS_MARKETING.find(text) else { return };
    s.actions.insert("use".to_string());
    s.words.entry("use".to_string()).or_insert_with(|| m.as_str().to_string());
    s.purposes.insert("marketing".to_string());
    s.words.entry("marketing".to_string()).or_insert_with(|| m.as_str().to_string());
    let german = text.contains("newsletter") && NEGATED_BEFORE.is_match(&text[m.start()..]);
    if NEGATED_BEFORE.is_match(&text[..m.start()]) || german {
        s.polarity = Polarity::Negate;
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}").unwrap()
});
/// An e-mail address written to hide it from harvesters: `privacy [at] github [dot] com`,
/// `dpo (at) example (dot) org`.
static EMAIL_HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z0-9._%+\-]+) ?[\[(] ?at ?[\])] ?([a-z0-9\-]+(?: ?[\[(] ?dot ?[\])] ?[a-z0-9\-]+)+)\b").unwrap()
});
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+?86[\- ]?)?1[3-9][0-9]{9}|0[0-9]{2,3}[\- ]?[0-9]{7,8}|400[\- ]?[0-9]{3}[\- ]?[0-9]{4}|\+[0-9]{1,3}[ \-]?\(?[0-9]{1,4}\)?[ \-]?[0-9]{3,4}[ \-]?[0-9]{3,4}|\b1-[0-9]{3}-[0-9]{3}-[0-9]{4}\b").unwrap()
});
/// A postal address: a street with its number (`One Apple Park Way`, `1600 Amphitheatre
/// Parkway`, `8750 North Central Expressway`, `中关村大街27号`, `科技园路 8 号`), or a Japanese
/// block number with its district and ward (`1-4-1 Mita Minato-ku`).
static POSTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[0-9]{1,5}[A-Za-z]?|One|Two|Three|Four|Five|Ten)(?: [NSEW]\.?)?(?: [A-Z][A-Za-z]+){1,4} (?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Boulevard|Blvd\.|Drive|Lane|Way|Place|Square|Parkway|Plaza|Expressway|Highway|Court|Terrace)\b|\bP\.? ?O\.? Box [0-9]{1,7}\b|\b[0-9]{1,2}-[0-9]{1,2}-[0-9]{1,2},?\s[A-Z][a-z]+,?\s[A-Z][a-z]+-(?:ku|shi|cho)\b|[\x{4e00}-\x{9fff}]{2,16}(?:路|街|大街|大道|巷) ?[0-9]{1,5} ?号").unwrap()
});

/// A continental European postal address: a street and house number, then a postcode and a
/// town, as `Meester Treublaan 7, 1097 DP Amsterdam`, `Wallstraße 8, D-10179 Berlin` (the
/// number after the street), or `32 rue Blanche, 75009 Paris`, `1 place de la Pyramide 92800
/// Puteaux` (the number before a street word). The postcode has four or five digits, with the
/// Dutch letter pair or a country prefix; a four-digit postcode that reads as a year must carry
/// the letter pair, so `May 25, 2018 The` is a date, not an address ([`european_address`]).
static POSTAL_EUROPEAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<street>\p{L}[\p{L}\p{M}.'\-]*)\s(?P<num>[0-9]{1,4}[a-z]?),?\s(?:[A-Z]{1,2}-)?(?P<code>[0-9]{4,5}|[0-9]{3}\s[0-9]{2})(?:\s?(?P<pair>[A-Z]{2})\b)?,?\s(?P<town>\p{Lu}[\p{L}\p{M}\-]+)|\b(?P<num2>[0-9]{1,4})(?:\s?(?:bis|ter))?,?\s(?P<street2>(?i:rue|avenue|av\.|boulevard|bd|place|quai|allée|chemin|cours|impasse|route|via|viale|piazza|corso|calle|avenida|paseo|plaza)\s[^,;\n]{1,60}?),?\s(?:[A-Z]{1,2}-)?(?P<code2>[0-9]{5})\s(?P<town2>\p{Lu}[\p{L}\p{M}\-]+)").unwrap()
});

/// Country codes that may follow a year (`Version 2, 2024 EU Edition`): after a year-like
/// postcode they are no Dutch letter pair.
const COUNTRY_CODES: [&str; 18] = [
    "EU", "US", "UK", "GB", "CA", "AU", "DE", "FR", "NL", "BE", "CH", "AT", "IT", "ES", "IE", "JP",
    "CN", "IN",
];

/// The European postal addresses of `raw` ([`POSTAL_EUROPEAN`]), each as a key that stays the
/// same when only the punctuation, the company or department named before the street, a
/// country prefix of the postcode (`D-10179`), `ß` written `ss`, full-width digits or
/// decomposed accents change: the street word, the house number, the postcode (four or five
/// digits, or three and two as in Sweden, Czechia and Greece) and the town, lower case
/// (`treublaan 7, 1097 dp amsterdam`, `32 rue blanche, 75009 paris`, `polstjärnegatan 14, 417
/// 56 göteborg`).
fn european_address(raw: &str) -> Vec<String> {
    let text: String = raw.nfkc().collect();
    let key = |s: &str| s.to_lowercase().replace('ß', "ss");
    let mut out = Vec::new();
    for c in POSTAL_EUROPEAN.captures_iter(&text) {
        let group = |name: &str| c.name(name).map_or("", |m| m.as_str());
        if let Some(code) = c.name("code") {
            let code = code.as_str();
            let year_like = code.len() == 4 && (code.starts_with("19") || code.starts_with("20"));
            let pair = group("pair");
            if year_like && (pair.is_empty() || COUNTRY_CODES.contains(&pair)) {
                continue;
            }
            // A month before a day and a year (`May 25, 2018`, `Dec 31, 2024`) is a date.
            if crate::normalize::is_month(&group("street").to_lowercase()) {
                continue;
            }
            let code = if pair.is_empty() { code.to_string() } else { format!("{code} {pair}") };
            out.push(key(&format!(
                "{} {}, {code} {}",
                group("street"),
                group("num"),
                group("town")
            )));
        } else {
            let street: Vec<&str> = group("street2").split_whitespace().collect();
            out.push(key(&format!(
                "{} {}, {} {}",
                group("num2"),
                street.join(" "),
                group("code2"),
                group("town2")
            )));
        }
    }
    out
}

/// The contact channels a clause names: e-mail addresses, phone numbers, postal addresses and
/// web addresses in its text, and the `mailto:` / `tel:` targets of the block's links whose text it contains.
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
    // The patterns run only where they can match: most clauses name no channel.
    if raw.contains('@') {
        for m in EMAIL.find_iter(raw) {
            out.insert(format!("email:{}", m.as_str().to_lowercase()));
        }
    }
    let lower_has = |needle: &[u8]| {
        raw.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
    };
    if lower_has(b"at]") || lower_has(b"at)") {
        for c in EMAIL_HIDDEN.captures_iter(raw) {
            let domain: String = c[2]
                .split(|ch: char| "[]() ".contains(ch))
                .filter(|part| !part.is_empty() && !part.eq_ignore_ascii_case("dot"))
                .collect::<Vec<_>>()
                .join(".");
            out.insert(format!("email:{}@{}", c[1].to_lowercase(), domain.to_lowercase()));
        }
    }
    // Digits, counted once for the phone and European address patterns (full-width ones only
    // count for addresses, which are read after NFKC).
    let (ascii_digits, wide_digits) = raw.chars().fold((0, 0), |(a, w), c| {
        (a + usize::from(c.is_ascii_digit()), w + usize::from(('０'..='９').contains(&c)))
    });
    if ascii_digits >= 7 {
        for m in PHONE.find_iter(raw) {
            let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
            out.insert(format!("phone:{digits}"));
        }
    }
    // The pattern runs only where an address can be: a number before `号`, or a street word.
    const STREETS: [&str; 20] = [
        "-ku",
        "Expressway",
        "Highway",
        "Court",
        "Terrace",
        "Street",
        "St.",
        "Road",
        "Rd.",
        "Avenue",
        "Ave.",
        "Blvd.",
        "Boulevard",
        "Drive",
        "Lane",
        "Way",
        "Parkway",
        "Place",
        "Square",
        "Plaza",
    ];
    let numbered = raw
        .match_indices('号')
        .any(|(i, _)| raw[..i].trim_end().ends_with(|c: char| c.is_ascii_digit()));
    if numbered || STREETS.iter().any(|w| raw.contains(w)) || raw.contains(" Box ") {
        for m in POSTAL.find_iter(raw) {
            // Spaces as one, none in a Chinese address (`科技园路 8 号` is `科技园路8号`).
            let address: Vec<&str> = m.as_str().split_whitespace().collect();
            let cjk = !m.as_str().is_ascii();
            out.insert(format!("post:{}", address.join(if cjk { "" } else { " " })));
        }
    }
    // A European address has a postcode: four digits at least, and a house number.
    if ascii_digits + wide_digits >= 5 {
        for address in european_address(raw) {
            out.insert(format!("post:{address}"));
        }
    }
    if lower_has(b"http") || lower_has(b"www.") {
        for m in URL.find_iter(raw) {
            out.insert(format!("url:{}", url_key(m.as_str())));
        }
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

static COMPANY_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[A-Z][A-Za-z0-9&'\-]*,? ){1,5}(?:Inc\.|LLC|Ltd\.|Limited|GmbH|Corp\.|Corporation|PLC|plc|Co\., Ltd\.)").unwrap()
});

/// Legal-form suffixes of Chinese company names.
const ZH_COMPANY_SUFFIXES: [&str; 3] = ["有限责任公司", "股份有限公司", "有限公司"];

/// Organisations a text names by their legal name (`…有限公司`, `… Inc.`). A Chinese name is
/// the run of ideographs, Latin letters, digits, `·` and brackets (at most 30) before its
/// suffix.
fn organisations(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut taken = 0;
    let mut from = 0;
    while let Some(i) = raw[from..].find("公司") {
        let end = from + i + "公司".len();
        from = end;
        let Some(suffix) = ZH_COMPANY_SUFFIXES.iter().find(|s| raw[..end].ends_with(**s)) else {
            continue;
        };
        let suffix_start = end - suffix.len();
        let allowed = |c: char| {
            matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
                || c.is_ascii_alphanumeric()
                || matches!(c, '·' | '(' | ')' | '（' | '）')
        };
        let mut start = suffix_start;
        for (n, (j, c)) in raw[taken..suffix_start].char_indices().rev().enumerate() {
            if n >= 30 || !allowed(c) {
                break;
            }
            start = taken + j;
        }
        // The name starts after the last function word or kind of party before it
        // (`提供给我们的关联公司悦读文化有限公司` → `悦读文化有限公司`).
        if let Some(cut) =
            ["的", "给", "被", "将", "或", "即", "关联公司", "子公司", "母公司", "合作伙伴"]
                .iter()
                .filter_map(|w| raw[start..suffix_start].rfind(w).map(|i| start + i + w.len()))
                .max()
        {
            start = cut;
        }
        if raw[start..suffix_start].chars().count() < 2 {
            continue;
        }
        taken = end;
        // Drop a leading verb or preposition glued to the name.
        let name = raw[start..end].trim_start_matches(['向', '与', '给', '由', '和', '及']).trim();
        if name.chars().count() >= 4 {
            out.push(name.to_string());
        }
    }
    let english = ["Inc.", "LLC", "Ltd.", "Limited", "GmbH", "Corp", "PLC", "plc"];
    if english.iter().any(|s| raw.contains(s)) {
        out.extend(
            COMPANY_EN
                .find_iter(raw)
                .map(|m| m.as_str().trim().to_string())
                .filter(|n| n.chars().count() >= 4),
        );
    }
    out
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

/// An SDK record written as prose lines (`1、OPPO游戏SDK` or `第三方SDK名称：…`, then `SDK用途：…`,
/// `收集个人信息类型：…`, `第三方机构名称：…`): the SDK's name and its company.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SdkRecord {
    pub(crate) name: Option<String>,
    pub(crate) org: Option<String>,
}

/// What the line of a record states, by its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LabelRole {
    /// `第三方SDK名称：`, `SDK name:`.
    Name,
    /// `第三方机构名称：`, `第三方主体：`, `公司名称：`, `provider:`.
    Org,
    /// `收集个人信息类型：`, `处理的个人信息类型：`, `information collected:`.
    Data,
    /// `SDK用途：`, `使用目的：`, `purpose:`.
    Purpose,
    /// Any other label (`收集方式：`, `隐私政策链接：`).
    Other,
}

/// The role of a `label：value` line and the byte offset of its value; `None` for a line
/// without a label (see [`super::clauses::label_end`]).
pub(crate) fn record_label(raw: &str) -> Option<(LabelRole, usize)> {
    let end = super::clauses::label_end(raw)?;
    let label = match_text(&raw[..end]);
    let label = &label[lead(&label)..];
    let has = |words: &[&str]| words.iter().any(|w| label.contains(w));
    let role = if has(&[
        "公司",
        "机构",
        "主体",
        "提供方",
        "运营方",
        "开发者",
        "第三方名称",
        "company",
        "provider",
        "developer",
        "vendor",
        "operator",
    ]) {
        LabelRole::Org
    } else if has(&["名称", "name"]) && label.contains("sdk") {
        LabelRole::Name
    } else if has(&["链接", "link", "政策", "policy", "网址", "url", "方式", "method"]) {
        LabelRole::Other
    } else if has(&["类型", "信息", "字段", "数据", "information", "data", "collected"]) {
        LabelRole::Data
    } else if has(&["目的", "用途", "功能", "场景", "purpose", "use"]) {
        LabelRole::Purpose
    } else {
        LabelRole::Other
    };
    Some((role, end))
}

/// The SDK a short line names on its own (`1、OPPO游戏SDK`, `(3) Umeng Push SDK`): the line
/// after its enumerator; `None` for a sentence or a label line.
pub(crate) fn record_header(raw: &str) -> Option<String> {
    let t = raw.trim();
    // Cheap tests first: most clauses are long or name no SDK.
    if t.chars().count() > 40 || !t.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"sdk")) {
        return None;
    }
    let m = match_text(t);
    if !m.contains("sdk")
        || t.contains(['：', ':', '，', ',', '。', ';', '；'])
        || t.chars().count() > 40
        || [
            "使用",
            "接入",
            "集成",
            "如下",
            "以下",
            "我们",
            "清单",
            "列表",
            "目录",
            "说明",
            "we ",
            "our ",
            "list",
            "the following",
        ]
        .iter()
        .any(|w| m.contains(w))
    {
        return None;
    }
    let name = t[lead(t)..].trim();
    (!name.is_empty()
        && !GENERIC_SDK_WORDS.contains(&match_text(name).trim_end_matches("sdk").trim()))
    .then(|| name.to_string())
}

/// The statement of a line of an SDK record: what the SDK collects is `share` with it (as a
/// row of an SDK table), its purposes are the record's; a name, company, method or link line
/// states no practice. `continued`: the clause goes on with the data of the line before it
/// (`收集的个人信息类型：Android ID、OAID；系统设置、设备型号；`).
pub(crate) fn record_clause(
    raw: &str,
    block: &Block,
    record: &SdkRecord,
    continued: bool,
) -> Option<Statement> {
    let (role, value) = if continued { (LabelRole::Data, 0) } else { record_label(raw)? };
    let lexicon = &*LEXICON_COMPILED;
    let mut s = Statement::default();
    match role {
        LabelRole::Data => {
            let scan = Scan::new(lexicon, &raw[value..]);
            for d in scan.of(Field::Data) {
                s.data.insert(d.id.to_string());
                s.items.insert(format!("{}/{}", d.id, d.item));
                s.words.entry(d.id.to_string()).or_insert_with(|| scan.word(d));
            }
            if s.data.len() > 1 {
                s.data.remove("personal_info");
            }
            // A data line may go on with what the data is for (`…；软件应用安装列表；用于广告
            // 定向投放、提高用户体验、反作弊`).
            let value_text = match_text(&raw[value..]);
            if ["用于", "为了", "以便", "for ", "to ", "used for"]
                .iter()
                .any(|cue| value_text.trim_start().starts_with(cue))
            {
                for p in scan.of(Field::Purpose) {
                    s.purposes.insert(p.id.to_string());
                    s.words.entry(p.id.to_string()).or_insert_with(|| scan.word(p));
                }
            }
            s.actions.insert("share".to_string());
            s.recipients.insert("sdk".to_string());
            if let Some(name) = &record.name {
                s.recipients.insert(format!("sdk:{}", display_name(name)));
                s.recipients.extend(sdk_classes(&match_text(name)).iter().map(|c| c.to_string()));
            }
            if let Some(org) = &record.org {
                s.recipients.insert(format!("org:{}", display_name(org)));
            }
            s.actor = Some("third_party");
            s.open = scan.has(Field::Open);
        }
        LabelRole::Purpose => {
            let scan = Scan::new(lexicon, &raw[value..]);
            for p in scan.of(Field::Purpose) {
                s.purposes.insert(p.id.to_string());
                s.words.entry(p.id.to_string()).or_insert_with(|| scan.word(p));
            }
        }
        LabelRole::Name | LabelRole::Org | LabelRole::Other => {}
    }
    s.channels = channels(raw, block);
    Some(s)
}

/// Whether a table is an SDK table (`第三方`, `SDK`, `vendor` in its header) or a permission
/// table (`权限`, `permission`): one whose rows are records read column by column
/// ([`table_row`]).
pub(crate) fn record_table(table: &Table) -> bool {
    let header = match_text(&table.header.join(" "));
    sdk_header(&header) || permission_header(&header)
}

fn sdk_header(header: &str) -> bool {
    ["sdk", "第三方", "third party", "third-party", "vendor", "合作方"]
        .iter()
        .any(|t| header.contains(t))
}

fn permission_header(header: &str) -> bool {
    ["权限", "permission"].iter().any(|t| header.contains(t))
}

/// A row of an SDK or permission table; `None` for any other table (read as text).
fn table_row(lexicon: &Lexicon, block: &Block, table: &Table) -> Option<Statement> {
    let header = match_text(&table.header.join(" "));
    let sdk = sdk_header(&header);
    let permission = permission_header(&header);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use std::collections::BTreeSet;

    /// The statement of `sentence` read as a paragraph of its own.
    fn read(sentence: &str) -> Statement {
        let doc = Document::from_bytes("t.md", format!("# T\n\n{sentence}\n").as_bytes()).unwrap();
        let all = super::super::extract(&doc);
        assert_eq!(all.clauses.len(), 1, "{sentence:?} is one clause");
        all.clauses[0].statement.clone()
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_negation_reaches_every_practice_word_of_a_list() {
        for sentence in [
            "We do not sell, rent or share your personal information.",
            "We do not rent, sell or share your personal information.",
            "Wir verkaufen, vermieten oder teilen Ihre Daten nicht.",
            "我们不会出售、出租或共享您的个人信息。",
        ] {
            let s = read(sentence);
            assert_eq!(s.polarity, Polarity::Negate, "{sentence}");
            assert_eq!(s.actions, set(&["sell", "share"]), "{sentence}");
        }
        // A list with no negation stays affirmed, `und` joining it as `and` does.
        for sentence in [
            "Wir erheben, speichern und teilen Ihre Daten.",
            "We collect, store and share your data.",
        ] {
            let s = read(sentence);
            assert_eq!(s.polarity, Polarity::Affirm, "{sentence}");
            assert_eq!(s.actions, set(&["collect", "share", "store"]), "{sentence}");
        }
    }

    #[test]
    fn messages_we_send_the_user_are_not_the_users_communications() {
        for sentence in [
            "We reserve the right to send you certain communications relating to the service.",
            "Users can opt out of future marketing communications.",
            "You can unsubscribe by following the instructions in the messages you receive.",
        ] {
            assert!(!read(sentence).data.contains("communications"), "{sentence}");
        }
        for sentence in [
            "We analyze and store all communications content.",
            "We receive your messages and store them.",
            "We record customer service calls and messages.",
            "We store and scan the messages you receive from other users.",
        ] {
            assert!(read(sentence).data.contains("communications"), "{sentence}");
        }
    }

    #[test]
    fn a_user_writing_to_an_address_shares_nothing() {
        for sentence in [
            "You can also send a correction request by e-mail to privacy@example.com.",
            "您可以将投诉发送至privacy@example.com。",
        ] {
            let s = read(sentence);
            assert!(!s.actions.contains("share"), "{sentence}: {:?}", s.actions);
            assert!(s.recipients.is_empty(), "{sentence}: {:?}", s.recipients);
        }
        assert!(read("You may share your posts with other users.").actions.contains("share"));
    }

    #[test]
    fn contents_lines_state_no_practice() {
        for sentence in ["3、您的个人信息如何在全球范围转移", "What information we collect"]
        {
            assert!(!read(sentence).is_practice(), "{sentence}");
        }
    }

    #[test]
    fn a_new_negated_sale_is_a_promise_with_its_practice_data_and_recipient() {
        let s = read("我们绝不会为了评估您的信用风险向催收机构出售您的车牌号。");
        assert_eq!(s.polarity, Polarity::Negate);
        assert_eq!(s.actions, set(&["sell"]));
        assert_eq!(s.data, set(&["personal_info"]));
        assert!(s.items.contains("personal_info/车牌号"), "{:?}", s.items);
        assert_eq!(s.recipients, set(&["third_party"]));
        assert!(s.items.contains("recipient/催收机构"), "{:?}", s.items);

        let s = read("We will never sell your licence plate number to debt collectors.");
        assert_eq!(s.polarity, Polarity::Negate);
        assert_eq!(s.actions, set(&["sell"]));
        assert!(s.items.contains("personal_info/licence plate number"), "{:?}", s.items);
        assert!(s.items.contains("recipient/debt collectors"), "{:?}", s.items);

        let s = read(
            "We will never share your marital status with dating services to conduct market research.",
        );
        assert_eq!(s.polarity, Polarity::Negate);
        assert_eq!(s.actions, set(&["share"]));
        assert_eq!(s.data, set(&["profile_info"]));
        assert!(s.items.contains("recipient/dating services"), "{:?}", s.items);
        assert_eq!(s.purposes, set(&["research"]));
    }

    #[test]
    fn data_after_a_transfer_verb_and_a_fronted_phrase_in_a_purpose_are_read() {
        // `转让您的` holds `让您`: the possessive is still found.
        let s = read("我们会向雇主转让您的日历日程。");
        assert_eq!(s.actions, set(&["transfer"]));
        assert!(s.items.contains("personal_info/日历日程"), "{:?}", s.items);
        // `将您的车牌号` is the object of the practice, not part of the purpose.
        let s = read("我们绝不会为了开展市场调研将您的车牌号传输至境外。");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["abroad"])));
        assert!(s.items.contains("personal_info/车牌号"), "{:?}", s.items);
        assert_eq!(s.purposes, set(&["research"]));
    }

    #[test]
    fn a_listed_item_after_a_wide_separator_is_found_at_its_own_bytes() {
        // `、` is three bytes wide: the second item must start after it, not inside it.
        let s = read("我们会向贷款机构出售以下信息:性取向、日历日程。");
        assert_eq!(s.actions, set(&["sell"]));
        assert!(s.items.contains("personal_info/日历日程"), "{:?}", s.items);
    }

    #[test]
    fn affirmed_sales_and_shares_name_practice_data_and_recipient() {
        let s = read("为了开展市场调研，我们可能会向保险公司出售您的基因信息。");
        assert_eq!(s.polarity, Polarity::Affirm);
        assert_eq!(s.actions, set(&["sell"]));
        assert_eq!(s.data, set(&["biometric"]));
        assert_eq!(s.recipients, set(&["insurer"]));
        assert_eq!(s.purposes, set(&["research"]));

        let s = read("您的日历日程将被共享给招聘平台。");
        assert_eq!(s.polarity, Polarity::Affirm);
        assert_eq!(s.actions, set(&["share"]));
        assert!(s.items.contains("personal_info/日历日程"), "{:?}", s.items);
        assert!(s.items.contains("recipient/招聘平台"), "{:?}", s.items);

        let s = read(
            "If you enable this feature, we will share your calendar entries with recruitment agencies.",
        );
        assert_eq!(s.polarity, Polarity::Affirm);
        assert_eq!(s.actions, set(&["share"]));
        assert!(s.items.contains("personal_info/calendar entries"), "{:?}", s.items);
        assert!(s.items.contains("recipient/recruitment agencies"), "{:?}", s.items);

        let s = read("我们会向贷款机构提供以下信息：车牌号、婚姻状况。");
        assert_eq!(s.actions, set(&["share"]));
        assert!(s.items.contains("personal_info/车牌号"), "{:?}", s.items);
        assert!(s.items.contains("profile_info/婚姻状况"), "{:?}", s.items);
        assert!(s.items.contains("recipient/贷款机构"), "{:?}", s.items);

        let s = read("Your bank statements may be provided to lenders.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["share"])));
        assert_eq!(s.data, set(&["financial"]));
        assert!(s.items.contains("recipient/lenders"), "{:?}", s.items);
    }

    #[test]
    fn negation_cues_are_read_alike_and_have_a_scope() {
        for sentence in [
            "We do not sell your personal information.",
            "We don't sell your personal information.",
            "We never sell your personal information.",
            "We will not sell your personal information.",
            "我们不出售您的个人信息。",
            "我们不会出售您的个人信息。",
            "我们不得出售您的个人信息。",
        ] {
            let s = read(sentence);
            assert_eq!(s.polarity, Polarity::Negate, "{sentence}");
            assert_eq!(s.actions, set(&["sell"]), "{sentence}");
        }
        // With its exception as a condition.
        for sentence in [
            "未经您同意，我们不会向第三方提供您的个人信息。",
            "除非得到您的同意，否则我们不会与第三方共享您的个人信息。",
            "We will not share your personal information with third parties unless you consent.",
        ] {
            let s = read(sentence);
            assert_eq!(s.polarity, Polarity::Negate, "{sentence}");
            assert_eq!(s.actions, set(&["share"]), "{sentence}");
            assert_eq!(s.conditions, set(&["consent"]), "{sentence}");
            assert_eq!(s.recipients, set(&["third_party"]), "{sentence}");
        }
        // A bracketed aside does not end the scope.
        let s = read("我们不会将您的个人身份信息（例如姓名，电话号码）出售给第三方。");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["sell"])));
        // Words that start like a negation negate nothing.
        let s = read("我们不仅收集您的姓名，还收集您的手机号。");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["collect"])));
        // A refusal in a condition is a consequence, not a promise.
        let s = read("如果您不提供上述信息，我们将无法为您提供支付功能。");
        assert_eq!(s.polarity, Polarity::Affirm);
        assert!(s.actions.is_empty(), "{:?}", s.actions);
        assert_eq!(s.purposes, set(&["payment"]));
        // A negation inside a purpose phrase does not reach the practice after it.
        let s = read(
            "We aggregate your data so that it no longer identifies you and share it with partners.",
        );
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["share"])));
        // Not notifying does not make a stated practice a promise.
        let s = read("我们会共享您的个人信息，无需另行通知您。");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["share"])));
        // A negated attempt reaches another infinitive added after a comma, not a new clause.
        let s = read(
            "We make no attempt to connect data crawled to any individual user, or to build profiles about individuals.",
        );
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["profile"])));
        let reach = |text: &str, verb: &str| negation_reaches(text, 0, text.find(verb).unwrap());
        assert!(reach(" attempt to connect data, or to build profiles", "build"));
        assert!(!reach(" to respond to repeated requests, or to share your data", "share"));
        assert!(!reach(" sell your data, or we may share it", "share"));
        assert!(!reach(" sell your data; or to share it", "share"));
        assert!(!reach(" sensitive to provide the service, or to sell it", "sell"));
        assert!(!reach(" directly identify you to improve our services, or to share it", "share"));
    }

    #[test]
    fn sections_on_safeguards_minors_and_contact_read_as_their_practices() {
        // A safeguard's English list runs on across commas; a new subject ends it.
        assert!(
            read("We use measures to prevent the data from unauthorised access, public disclosure, use, modification or loss.")
                .actions
                .is_empty()
        );
        assert_eq!(
            read("To protect your account, we share your phone number with our payment provider.")
                .actions,
            set(&["share"])
        );
        // What a practice is allowed to protect is its occasion, not what it is kept from.
        let guarded = read(
            "对于经父母或监护人同意而收集您的个人信息的情况，我们只会在受到法律允许、父母或监护人明确同意或者保护您的权益所必要的情况下使用或公开披露此信息。",
        );
        assert!(guarded.actions.contains("use") && guarded.actions.contains("disclose"));
        // What we might find we did is the occasion of what we then do.
        let found = read(
            "如果我们发现自己在未事先获得可证实的父母或监护人同意的情况下收集了儿童的个人信息，则会设法尽快删除相关数据。",
        );
        assert_eq!(found.actions, set(&["delete"]));
        let found = read(
            "If we find that we have collected personal information of a child without verifiable parental consent, we will delete it as soon as possible.",
        );
        assert_eq!(found.actions, set(&["delete"]));
        // An age limit names children's information, not an age.
        assert_eq!(
            read("If you are a child under the age of 14, you should read this policy with your parents.").data,
            set(&["children"])
        );
        // A question about how we process is no practice; obtaining information is.
        assert!(
            read("If you have any questions about how we process your personal information, please contact us.")
                .actions
                .is_empty()
        );
        assert_eq!(read("We obtain your nickname and profile picture.").actions, set(&["collect"]));
        assert!(read("We obtain your explicit consent before we start.").actions.is_empty());
        // `不再使用` negates our use; the user no longer using our services is no promise.
        let stopped = read("关闭后，我们将不再使用您的个人信息进行个性化推荐。");
        assert_eq!(stopped.polarity, Polarity::Negate);
        assert_eq!(
            read("如果您不再使用我们的产品或服务，我们会删除您的个人信息。").polarity,
            Polarity::Affirm
        );
        // What a supplier's support includes is what the information serves.
        assert_eq!(
            read("这些支持包括提供技术基础设施服务、分析我们服务的使用方式、支付便利或进行学术研究和调查。").purposes,
            set(&["service", "analytics", "payment", "research"])
        );
        // Made anonymous is one deletion, under the applicable law.
        let closed =
            read("注销账户后，我们将根据适用法律的要求删除您的个人信息，或使其匿名化处理。");
        assert_eq!(closed.actions, set(&["delete"]));
        assert!(closed.conditions.contains("legal"));
        // A link in an e-mail we send is no postal address or e-mail address of the user.
        assert!(
            read("我们向您发送的电子邮件可能含有链接至我们网站内容的地址链接。").data.is_empty()
        );
        // A place after a noun is part of a name; after a preposition or article it is where
        // the information goes.
        assert!(
            read("We share your data with our joint controller Meta Ireland.").places.is_empty()
        );
        assert!(
            read("Vos données sont transférées vers les États-Unis.")
                .places
                .contains("united_states")
        );
        assert!(read("Ihre Daten werden in den USA gespeichert.").places.contains("united_states"));
        // A legal ground written as `under applicable laws`.
        assert!(
            read("Under applicable laws and regulations, we may collect your personal information without your consent.")
                .conditions
                .contains("legal")
        );
    }

    #[test]
    fn asides_examples_and_french_recipients_are_read_with_their_clause() {
        // A negation in a bracketed aside is the aside's.
        let aside = read(
            "我们会收集您的位置信息以便为您推荐周边的生活服务（您不需要手动输入所在地理位置就可获得相关服务）。",
        );
        assert_eq!(aside.polarity, Polarity::Affirm);
        assert!(aside.actions.contains("collect"));
        assert_eq!(read("我们不会收集您的位置信息（除非您开启定位）。").polarity, Polarity::Negate);
        // Examples of recipients after `such as` are recipients.
        assert_eq!(
            read("Certain laws require us to share information with regulators and third parties, such as researchers and authorized out-of-court dispute bodies.")
                .recipients,
            set(&["government", "researcher", "third_party"])
        );
        // French recipients after `à` / `avec`, across the commas of their list; not `à des
        // fins de`.
        let fr = read(
            "Vos données peuvent être transmises à d'autres parties, telles que des revendeurs, des distributeurs et des sous-traitants, afin de vérifier votre identité.",
        );
        assert_eq!(fr.recipients, set(&["service_provider", "third_party"]));
        assert_eq!(fr.purposes, set(&["account"]));
        assert!(
            read("Nous partageons vos données à des fins publicitaires.").recipients.is_empty()
        );
        // Goods on sale are no sale of personal information.
        assert!(
            read("Vendeur : désigne tout professionnel mettant ses produits en vente sur la Marketplace.")
                .actions
                .is_empty()
        );
        // `nicht lesbar` describes a form; it negates no practice.
        assert_eq!(
            read("So dürfen wir eingeschränkte Informationen in gehashter, von Menschen nicht lesbarer Form an Werbepartner weitergeben.")
                .polarity,
            Polarity::Affirm
        );
        // Text messages we send and `preferences for these communications` are no
        // communications content of the user; `精确地理位置` is precise location.
        assert!(
            read("By providing your phone number and opting in to receive SMS messages from us, you consent to the receipt of such messages.")
                .data
                .iter()
                .all(|d| d != "communications")
        );
        assert!(read("We may read your SMS messages.").data.contains("communications"));
        assert_eq!(
            read("当你要求我们提供导航服务时，我们可能会收集你的精确地理位置。").data,
            set(&["precise_location"])
        );
        // A named party that processes the information for us receives it.
        let deepl = read("This data is processed by Deepl as part of their professional offering.");
        assert!(deepl.actions.contains("entrust"));
        assert!(deepl.recipients.contains("third_party"));
        assert!(deepl.items.contains("recipient/deepl"));
        assert!(!read("Your data is processed by us in Ireland.").actions.contains("entrust"));
        // British `adverts` are advertising.
        assert!(
            read("We share information about you with service providers to deliver more relevant adverts.")
                .purposes
                .contains("advertising")
        );
    }

    #[test]
    fn data_sent_on_to_others_is_shared() {
        let sent = read("Your code submissions are sent to external servers operated by partners.");
        assert_eq!((sent.actions.clone(), sent.data.clone()), (set(&["share"]), set(&["content"])));
        let passed = read("Your PI may be passed on to the third party's servers.");
        assert_eq!(passed.actions, set(&["share"]));
        assert_eq!(passed.recipients, set(&["third_party"]));
        assert_eq!(read("而与其他公司和组织交换信息。").actions, set(&["share"]));
        // Information exchanged between a device and a server goes to no one, and looking
        // forward to a question forwards nothing.
        assert!(read("我们的服务器与您的设备之间交换信息时使用加密。").actions.is_empty());
        assert!(
            read("We look forward to answering your questions about your personal information.")
                .actions
                .is_empty()
        );
    }

    #[test]
    fn information_the_user_hands_over_is_given_by_the_user() {
        for given in [
            "在使用慧孕育平台进行网上健康咨询时，您不可避免地要向医务人员或客服披露自己的个人信息。",
            "When you use the chat, you may disclose your health information to doctors.",
        ] {
            let s = read(given);
            assert!(s.actions.contains("disclose") && s.given_by_user, "{given}: {s:?}");
        }
        for ours in [
            // A passive after the user's choice: someone else sends.
            "The text of the messages that users choose to translate will be sent to Google.",
            // The user lets us share.
            "Si vous liez votre compte, vous nous autorisez à partager votre nom avec ce tiers.",
            "我们会将您的问诊记录发送给合作药店。",
            // The user asks us, or has it done: we send.
            "You can ask us to send your prescriptions to a pharmacy.",
            "您可以要求我们将您的处方发送给药店。",
            "You may choose to have your prescriptions sent to a pharmacy.",
        ] {
            assert!(!read(ours).given_by_user, "{ours}");
        }
    }

    #[test]
    fn a_passive_with_an_adverb_before_its_participle_states_the_practice() {
        for (text, action) in [
            ("Your location data is occasionally sold to data brokers.", "sell"),
            ("Your health information is routinely given to insurers.", "share"),
            ("Your e-mail address is regularly shared with advertisers.", "share"),
        ] {
            assert!(read(text).actions.contains(action), "{text}");
        }
    }

    #[test]
    fn a_practice_another_party_performs_has_that_party_as_actor() {
        let s = read(
            "Our partners have no right to use the shared personal information for any other purpose.",
        );
        assert_eq!((s.actor, s.polarity), (Some("third_party"), Polarity::Negate));
        assert_eq!(
            read("We will not use your personal information for any other purpose.").actor,
            Some("we")
        );
    }

    #[test]
    fn the_user_letting_us_act_makes_us_the_actor() {
        let zh = read("您须授权我们收集、使用必要的信息。");
        assert_eq!((zh.actions.clone(), zh.actor), (set(&["collect", "use"]), Some("we")));
        // What the user may refuse to let us do is no practice stated.
        for refused in [
            "You can choose not to allow us to collect your location.",
            "您可以拒绝授权我们访问您的通讯录。",
        ] {
            let r = read(refused);
            assert!(r.actions.is_empty() && r.polarity == Polarity::Affirm, "{refused}: {r:?}");
        }
        // A sentence end before the permission in the same clause (a table cell).
        let table = "# T\n\n| 功能 | 说明 |\n| --- | --- |\n| 定位 | 开启定位。您授权我们收集您的位置信息 |\n";
        let doc = Document::from_bytes("t.md", table.as_bytes()).unwrap();
        let all = super::super::extract(&doc);
        let cell = all.clauses.iter().find(|c| c.text.contains("授权我们")).unwrap();
        assert_eq!(cell.statement.actions, set(&["collect"]));
        // Letting our affiliate act makes the affiliate the actor, not us.
        assert_ne!(read("您同意授权我们的关联公司使用您的个人信息。").actor, Some("we"));
        assert_eq!(read("请允许我们访问您的相册。").actor, Some("we"));
        let en = read("You authorize us to collect your precise location.");
        assert_eq!(
            (en.actions.clone(), en.data.clone()),
            (set(&["collect"]), set(&["precise_location"]))
        );
    }

    #[test]
    fn obtaining_data_is_collecting_it_and_obtaining_consent_is_not() {
        let obtained = read(
            "Wolfram Research, Inc. may obtain email addresses listed within websites owned by your institution.",
        );
        assert_eq!(
            (obtained.actions.clone(), obtained.data.clone()),
            (set(&["collect"]), set(&["email"]))
        );
        assert_eq!(read("我们会获得您的位置信息。").actions, set(&["collect"]));
        let consent = read("We obtain your consent for cookies.");
        assert!(consent.actions.is_empty(), "{:?}", consent.actions);
        assert!(consent.conditions.contains("consent"));
        // Another party obtaining, from us or at all, is no collection of ours; obtaining
        // from a partner is.
        for other in [
            "我们将通知从我们处获得您的个人信息的主体，要求其及时删除。",
            "我们会要求获得您的个人信息的第三方遵守本政策。",
            "合作伙伴获得您的个人信息后，应当遵守本政策。",
            "Partners that obtain email addresses from us must protect them.",
        ] {
            assert!(!read(other).actions.contains("collect"), "{other}");
        }
        assert_eq!(read("我们会从合作伙伴处获得您的手机号码。").actions, set(&["collect"]));
    }

    #[test]
    fn a_party_the_lexicon_does_not_know_opens_the_main_clause_after_a_purpose() {
        assert_eq!(read("为向您提供服务，平台需要收集您的位置信息。").actions, set(&["collect"]));
        assert_eq!(
            read("To provide the service, the platform may collect your location.").actions,
            set(&["collect"])
        );
        // An e-commerce platform that collects receives the information.
        let shop = read("为向您提供电商购物服务，电商平台可能需要收集您的精确地理位置信息。");
        assert_eq!(
            (shop.actions.clone(), shop.recipients.clone()),
            (set(&["share"]), set(&["third_party"]))
        );
        // Our own e-commerce platform is no third party.
        assert_eq!(read("本电商平台会收集您的收货地址。").actions, set(&["collect"]));
    }

    #[test]
    fn a_practice_that_stops_is_no_practice_beside_one_the_clause_affirms() {
        // Stopping beside an affirmed practice: the clause states the affirmed one.
        let both = read("同时，在您注销账号时，我们将停止使用并删除您的个人信息。");
        assert_eq!((both.actions.clone(), both.polarity), (set(&["delete"]), Polarity::Affirm));
        let en = read("When you close your account, we will stop using and delete your data.");
        assert_eq!((en.actions.clone(), en.polarity), (set(&["delete"]), Polarity::Affirm));
        // Alone, a practice that stops narrows: it is read negated, never as sharing.
        let stop = read("We will stop sharing your location with advertisers.");
        assert_eq!((stop.actions.clone(), stop.polarity), (set(&["share"]), Polarity::Negate));
        let cease = read("We will cease to collect your location.");
        assert_eq!((cease.actions.clone(), cease.polarity), (set(&["collect"]), Polarity::Negate));
        // `stop` inside another word is no cessation.
        let tracking = read("Our navigation mode provides non-stop tracking of your location.");
        assert_eq!(tracking.polarity, Polarity::Affirm);
        // Not stopping continues the practice.
        for continues in
            ["We will not stop collecting your location.", "我们不会停止收集您的位置信息。"]
        {
            let s = read(continues);
            assert_eq!((s.actions.clone(), s.polarity), (set(&["collect"]), Polarity::Affirm));
        }
        // The user stopping is the user's control, no practice of ours; so is a button or a
        // heading.
        for control in [
            "You can stop sharing your location with other users.",
            "Tap Stop Sharing to stop sharing your location with partners.",
            "How to stop sharing your location",
        ] {
            assert!(read(control).actions.is_empty(), "{control}");
        }
        // A stop that is itself negated continues the practice.
        for continues in
            ["我们没有停止共享您的位置信息。", "我们并未停止向第三方共享您的位置信息。"]
        {
            assert_eq!(read(continues).polarity, Polarity::Affirm, "{continues}");
        }
    }

    #[test]
    fn sent_to_our_servers_is_collected_and_reviewing_is_no_content() {
        let sent = read("Your submitted code and data are sent to third-party servers.");
        assert_eq!(
            (sent.actions.clone(), sent.recipients.clone()),
            (set(&["share"]), set(&["third_party"]))
        );
        // Our own servers are no recipient: what reaches them we collect.
        let ours = read("Your location is sent to our servers over an encrypted connection.");
        assert_eq!((ours.actions.clone(), ours.recipients.clone()), (set(&["collect"]), set(&[])));
        // A crawler collects, also where its crawling reads as a purpose phrase; crawling
        // named otherwise (`anti-scraping`, `we prohibit scraping`, a search engine that may
        // crawl) is no practice of ours.
        let crawled = read(
            "To train our AI models, Apple uses Applebot, a web crawler, to crawl your posts.",
        );
        assert_eq!(
            (crawled.actions.clone(), crawled.purposes.clone()),
            (set(&["collect"]), set(&["ai_training"]))
        );
        for sentence in [
            "We prohibit scraping of your profile photos and location data.",
            "We use anti-scraping measures to protect your phone number and email address.",
            "Search engines may crawl your public profile, including your name and photo.",
            "Search engines are able to crawl your public profile, including your name.",
            "It is forbidden to scrape personal data of our users, including their location.",
            "We use tools to scrape-proof your profile photos and precise location.",
            "Third parties may attempt to scrape your public posts and username.",
            "Partners use their crawler to crawl your public posts.",
        ] {
            assert!(!read(sentence).actions.contains("collect"), "{sentence}");
        }
        // `review` as a verb names no user content; reviews a user writes do.
        assert!(!read("You can contact us to review any personal data.").data.contains("content"));
        assert!(read("We collect reviews and survey answers.").data.contains("content"));
    }

    #[test]
    fn information_obtained_from_others_names_its_source() {
        let cases: [(&str, &[&str]); 6] = [
            ("We may also obtain your e-mail address from data brokers.", &["data_broker"]),
            ("We receive information about you from our trusted partners.", &["partner"]),
            ("我们会从合作伙伴处获取您的手机号码。", &["partner"]),
            ("我们会从我们关联公司处接收您的交易信息。", &["affiliate"]),
            ("We collect information from publicly available sources.", &["public"]),
            // Sharing with a party names no source, and a promise collects nothing.
            ("We share your data with partners.", &[]),
        ];
        for (sentence, want) in cases {
            assert_eq!(read(sentence).sources, set(want), "{sentence}");
        }
        assert!(read("We never collect data from data brokers.").sources.is_empty());
    }

    #[test]
    fn compiling_in_a_list_of_acts_is_no_anonymisation() {
        let compiled = read("我们会从关联公司处接收、汇总、分析您的交易信息。");
        assert!(!compiled.conditions.contains("anonymised"), "{:?}", compiled.conditions);
        for aggregated in [
            "我们会以汇总的形式使用您的交易信息。",
            "我们可能会将汇总、统计后的数据提供给广告主。",
            "我们会以匿名、汇总的形式与合作伙伴共享信息。",
        ] {
            assert!(read(aggregated).conditions.contains("anonymised"), "{aggregated}");
        }
    }

    #[test]
    fn screens_voice_messages_and_identity_documents_are_kinds_of_data() {
        let screen =
            read("当您发起屏幕共享功能时，豆包会截取您发出指令时的屏幕画面用于理解您的请求。");
        assert!(screen.data.contains("screen"), "{:?}", screen.data);
        // The name of the feature shares nothing.
        assert!(!screen.actions.contains("share"), "{:?}", screen.actions);
        // A voice message is a message: communications content, not a recording.
        let voice = read("Voice messages may be sent to Google LLC for transcription.");
        assert!(voice.data.contains("communications"), "{:?}", voice.data);
        let papers = read("Justificatifs d’identité : ils sont conservés pendant 18 mois.");
        assert_eq!(
            (papers.actions.clone(), papers.data.clone()),
            (set(&["store"]), set(&["id_number"]))
        );
    }

    #[test]
    fn our_deletions_contact_lines_and_after_sales_are_read_for_what_they_are() {
        // Deleting is our practice when we delete, the user's control when the user does.
        let ours = read("我们将删除您的个人信息。");
        assert_eq!(ours.actions, set(&["delete"]));
        assert!(ours.controls.is_empty());
        assert_eq!(
            read("We will delete your personal information within 30 days.").actions,
            set(&["delete"])
        );
        let user = read("您可以删除您的个人信息。");
        assert!(user.actions.is_empty());
        assert!(user.controls.contains("delete"));
        assert!(read("您可以在慧孕育 APP 中查阅或清除您的问诊咨询记录。").actions.is_empty());
        // Stopping a practice is not doing it.
        assert_eq!(read("我们将停止收集您的位置信息。").polarity, Polarity::Negate);
        // A contact line names the operator's channel, not information about the user.
        assert!(read("投诉与举报邮箱：privacy@example.com").data.is_empty());
        assert!(read("邮寄地址：上海市普陀区某路 1 号").data.is_empty());
        assert_eq!(read("E-mail address: for account registration.").data, set(&["email"]));
        assert!(read("收货地址：完成商品配送").data.contains("address"));
        // The user's right to have us delete is no deletion of ours.
        assert!(
            read("You have the right to request that we delete your personal information.")
                .actions
                .is_empty()
        );
        // `profile` with an object is the verb.
        assert!(read("Our partners profile your interests.").actions.contains("profile"));
        assert!(!read("You can access your TPS profile.").actions.contains("profile"));
        assert!(
            !read("We collect it from any TPS profile for which you give us access.")
                .actions
                .contains("profile")
        );
        assert!(!read("Disclosure under a subpoena or other process.").actions.contains("use"));
        // A promise in a conditional part is still a promise.
        assert_eq!(
            read("We keep logs for 30 days, if you close your account we will not keep them.")
                .polarity,
            Polarity::Negate
        );
        // After-sales service is no sale; `提出售后申请` sells nothing.
        assert!(
            !read("当您提出售中售后申请时，我们需要您提供必要的个人信息以核验您的用户身份。")
                .actions
                .contains("sell")
        );
        // Information after anonymisation is not personal information, whatever is done with it.
        assert!(
            read("我们可能会与第三方分享经匿名化处理后的统计信息。")
                .conditions
                .contains("anonymised")
        );
        // A refusal in a later conditional part is what the user may do, not a promise.
        let refusal = read(
            "如您输入相册中的图片时，我们可能会使用图片中的位置信息，如您拒绝授权提供该等信息，可在设置中选择关闭。",
        );
        assert_eq!(refusal.polarity, Polarity::Affirm);
        assert!(refusal.actions.contains("use"));
        // A list already left open (`e.g.`, `or other`) is open.
        assert!(
            read("Physical location or movements including e.g., IP address information.").open
        );
    }

    #[test]
    fn the_agent_of_a_passive_use_is_a_recipient() {
        let s = read("Your personal information may be used by advertisers.");
        assert_eq!(s.actions, set(&["share"]));
        assert_eq!(s.recipients, set(&["advertiser"]));
        // A recipient that starts with a determiner the agent may have (`the public`, `other
        // users`) is read, not cut.
        for clause in [
            "Your personal information may be used by the public.",
            "Your personal information may be used by other users.",
        ] {
            let s = read(clause);
            assert_eq!(s.actions, set(&["share"]), "{clause}");
            assert_eq!(s.recipients.len(), 1, "{clause}: {:?}", s.recipients);
        }
        // Used by someone who is not a recipient: nothing given away.
        assert!(read("The app may be used by children.").actions.is_empty());
    }

    #[test]
    fn words_that_look_like_information_but_name_something_else() {
        let data = |t: &str| read(t).data;
        assert_eq!(
            data("We may use your information to detect, prevent or otherwise address fraud."),
            set(&["personal_info"])
        );
        assert_eq!(data("We receive your Internet Protocol (IP) address."), set(&["ip"]));
        assert_eq!(data("我们会收集您的收货地址。"), set(&["address"]));
        assert!(data("您应阅读并同意我们的《儿童个人信息保护规则及监护人须知》。").is_empty());
        assert_eq!(data("您需要提供《执业医师资格证》。"), set(&["id_number"]));
        assert!(data("请通过本政策公示的联系方式与我们联系。").is_empty());
        assert_eq!(data("我们会收集您的联系方式。"), set(&["personal_info"]));
        assert!(
            !data("We keep it in accordance with the laws governing your location.")
                .contains("location")
        );
        assert!(!data("您应遵守您所在地之法律。").contains("location"));
        assert_eq!(data("We collect your location."), set(&["location"]));
        assert!(
            data("Wolfram honours the Act on the Protection of Personal Information.").is_empty()
        );
        // What a clause leaves out it does not name.
        assert_eq!(
            data(
                "Wir erheben Ihren Standort anhand Ihrer IP-Adresse, nicht jedoch Breiten- und Längengrad."
            ),
            set(&["ip", "location"])
        );
        assert_eq!(
            data(
                "Wir erheben Ihren Standort, nicht jedoch Ihren genauen Standort oder Ihre Gesundheitsdaten."
            ),
            set(&["location"])
        );
        let s = read("None of your messages are used for advertising.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["use"])));
        // A kind of recipient is a recipient; whose requirement it is, none.
        let s = read("We disclose your PI to the following categories of third parties:");
        assert_eq!(s.recipients, set(&["third_party"]));
        let s = read("We disclose your data to meet the requirements of government authorities.");
        assert!(s.recipients.is_empty(), "{:?}", s.recipients);
        // What protective measures serve is no purpose of processing.
        assert!(
            read("We take appropriate measures to ensure the security of our Services.")
                .purposes
                .is_empty()
        );
        assert_eq!(
            read("We use your device data to ensure the security of our Services.").purposes,
            set(&["security"])
        );
        // The user authorising us is consent.
        assert!(read("您须授权我们收集、使用必要的信息。").conditions.contains("consent"));
        assert!(
            read("You authorize us to collect and store your information.")
                .conditions
                .contains("consent")
        );
        // A promise against training models names that purpose.
        let s = read("我们不会使用您的个人信息训练人工智能模型。");
        assert_eq!((s.polarity, s.purposes.clone()), (Polarity::Negate, set(&["ai_training"])));
        let s = read("We do not train our AI models on your messages.");
        assert_eq!((s.polarity, s.purposes.clone()), (Polarity::Negate, set(&["ai_training"])));
        // Consent deemed by use is none.
        let s = read("By using our Services, you authorize us to collect your information.");
        assert!(!s.conditions.contains("consent"), "{:?}", s.conditions);
    }

    #[test]
    fn practices_named_guarded_or_done_by_the_user_are_not_stated() {
        // Named as the object of a change.
        assert!(read("个人信息共享、转让或公开披露的主要对象发生变化。").actions.is_empty());
        // What a safeguard protects against.
        assert!(
            read("我们会采取措施防止数据遭到未经授权访问、公开披露、使用。").actions.is_empty()
        );
        // The user's own right.
        assert!(read("您可以删除您的个人信息。").actions.is_empty());
        // A user giving information is our collection; giving it to others is sharing.
        assert_eq!(read("您需要向我们提供您的手机号码。").actions, set(&["collect"]));
        assert_eq!(read("您可以向其他用户分享您的照片。").actions, set(&["share"]));
        // Providing a service gives no information away.
        assert!(read("我们会向您提供客户服务。").actions.is_empty());
        // The user given something receives it.
        assert!(
            read("You will be given an opt-in prompt about this collection.").actions.is_empty()
        );
        assert_eq!(read("Your data is given to our partners.").actions, set(&["share"]));
        let s =
            read("Information about the ads you are sent is given to our advertising partners.");
        assert_eq!(s.actions, set(&["share"]));
    }

    #[test]
    fn french_practices_negations_data_recipients_and_purposes() {
        let s = read("Nous ne vendons jamais vos données personnelles à des annonceurs.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["sell"])));
        assert_eq!(s.data, set(&["personal_info"]));
        assert_eq!(s.recipients, set(&["advertiser"]));
        let s = read("Nous partageons votre adresse e-mail avec nos partenaires.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["share"])));
        assert_eq!(s.data, set(&["email"]));
        assert_eq!(s.recipients, set(&["partner"]));
        let s = read("Nous collectons votre localisation et vos données de santé.");
        assert_eq!(s.actions, set(&["collect"]));
        assert_eq!(s.data, set(&["health", "location"]));
        // `ne … que` is `only`: no negation.
        let s = read("Nous ne transférons vos données qu'à nos prestataires.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["transfer"])));
        assert_eq!(s.recipients, set(&["service_provider"]));
        let s = read("Nous conservons vos données personnelles pour la publicité.");
        assert_eq!(s.actions, set(&["store"]));
        assert_eq!(s.purposes, set(&["advertising"]));
        let s = read("Nous supprimons vos données personnelles.");
        assert_eq!(s.actions, set(&["delete"]));
    }

    #[test]
    fn german_practices_negations_after_the_verb_data_and_recipients() {
        let s = read("Wir verkaufen Ihre personenbezogenen Daten nicht.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["sell"])));
        assert_eq!(s.data, set(&["personal_info"]));
        let s = read("Wir erheben keine Gesundheitsdaten.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["collect"])));
        assert_eq!(s.data, set(&["health"]));
        let s = read("Wir werden Ihre E-Mail-Adresse niemals an Werbepartner weitergeben.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["share"])));
        assert_eq!(s.data, set(&["email"]));
        assert_eq!(s.recipients, set(&["advertiser"]));
        let s = read("Wir teilen Ihren Standort mit Dienstleistern für Werbung.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["share"])));
        assert_eq!(s.data, set(&["location"]));
        assert_eq!(s.recipients, set(&["service_provider"]));
        assert_eq!(s.purposes, set(&["advertising"]));
        // `nicht nur` negates nothing; a negation after a coordination is the other verb's.
        let s = read("Wir speichern nicht nur Ihre E-Mail-Adresse.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["store"])));
        let s = read("Wir speichern Ihre Daten und löschen sie nicht.");
        assert_eq!(s.polarity, Polarity::Negate);
        assert_eq!(s.actions, set(&["delete"]));
    }

    #[test]
    fn french_inflections_passives_participles_places_and_conditions() {
        // A passive with `être`: the practice, its data and its recipient.
        let s = read("Vos données de localisation sont partagées avec nos sous-traitants.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["share"])));
        assert_eq!(s.data, set(&["location"]));
        assert_eq!(s.recipients, set(&["service_provider"]));
        // `ne … jamais` with a sensitive kind and advertisers.
        let s = read(
            "Nous ne partageons jamais vos données de santé avec des partenaires publicitaires.",
        );
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["share"])));
        assert_eq!(
            (s.data.clone(), s.recipients.clone()),
            (set(&["health"]), set(&["advertiser"]))
        );
        // `aucune` completes `ne`; a singular `donnée personnelle` is personal information.
        let s = read("Nous ne vendons aucune donnée personnelle.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["sell"])));
        assert_eq!(s.data, set(&["personal_info"]));
        // Targeted advertising is profiling, after `à des fins de` and after an article.
        let s = read("Nous utilisons vos données à des fins de publicité ciblée.");
        assert_eq!(s.actions, set(&["profile", "use"]));
        let s = read("Nous utilisons vos données pour la publicité ciblée.");
        assert_eq!(s.actions, set(&["profile", "use"]));
        // A participle after its noun is an attribute, not the practice (`les données
        // collectées`); the verb of the clause is.
        let s = read("Les données collectées sont conservées pendant trois ans.");
        assert_eq!(s.actions, set(&["store"]));
        // `nous vous` : the second pronoun is the object; `pour` + infinitive is a purpose.
        let s =
            read("Nous collectons votre adresse e-mail pour vous envoyer des offres commerciales.");
        assert_eq!((s.actor, s.actions.clone()), (Some("we"), set(&["collect"])));
        assert_eq!((s.data.clone(), s.purposes.clone()), (set(&["email"]), set(&["marketing"])));
        // Places outside the EU and consent conditions.
        let s = read("Nous transférons vos données hors de l'Union européenne.");
        assert_eq!((s.actions.clone(), s.places.clone()), (set(&["abroad"]), set(&["abroad"])));
        let s = read(
            "Avec votre consentement, nous partageons votre numéro de téléphone avec nos partenaires.",
        );
        assert_eq!((s.actions.clone(), s.data.clone()), (set(&["share"]), set(&["phone"])));
        assert_eq!(s.conditions, set(&["consent"]));
        let s = read(
            "Nous transmettons vos coordonnées à nos partenaires, si vous l'avez explicitement accepté.",
        );
        assert_eq!((s.actions.clone(), s.recipients.clone()), (set(&["share"]), set(&["partner"])));
        assert_eq!(s.conditions, set(&["explicit_consent"]));
    }

    #[test]
    fn german_inflections_passives_places_and_conditions() {
        // The negation after the verb; `um … zu` names the purpose.
        let s = read("Wir verwenden deine Daten nicht, um dir Werbeanzeigen anzuzeigen.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["use"])));
        assert_eq!(s.purposes, set(&["advertising"]));
        // Advertising based on what users do is profiling, also in a passive.
        let s = read(
            "Nutzern kann außerdem Werbung auf Grundlage der von ihnen abonnierten Kanäle angezeigt werden.",
        );
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["profile"])));
        assert_eq!(s.modality, Some("may"));
        // A passive with `werden`, a legal condition and authorities.
        let s = read(
            "Deine Standortdaten werden an Behörden weitergegeben, wenn wir gesetzlich verpflichtet sind.",
        );
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["share"])));
        assert_eq!(
            (s.data.clone(), s.recipients.clone()),
            (set(&["location"]), set(&["government"]))
        );
        assert_eq!(s.conditions, set(&["legal"]));
        // `niemals` before the participle; the anaphora names no kind of its own here.
        let s = read("Diese Daten werden niemals an Werbetreibende weitergegeben.");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Negate, set(&["share"])));
        assert_eq!(s.recipients, set(&["advertiser"]));
        // `weder … noch` after the verb; chat contents and contact lists.
        let s = read(
            "Wir verwenden weder die Inhalte deiner Chats noch deine Kontaktlisten für zielgerichtete Werbung.",
        );
        assert_eq!(s.polarity, Polarity::Negate);
        assert_eq!(s.actions, set(&["profile", "use"]));
        assert_eq!(s.data, set(&["communications", "contacts"]));
        // A separable verb: `geben … an X`.
        let s = read("Wir geben deine Telefonnummer an Werbepartner weiter.");
        assert_eq!((s.actions.clone(), s.data.clone()), (set(&["share"]), set(&["phone"])));
        assert_eq!(s.recipients, set(&["advertiser"]));
        // Consent and a transfer outside the EU.
        let s = read(
            "Mit deiner Einwilligung verarbeiten wir deine Kontakte, um dir personalisierte Werbung anzuzeigen.",
        );
        assert_eq!(s.actions, set(&["profile", "use"]));
        assert_eq!((s.data.clone(), s.conditions.clone()), (set(&["contacts"]), set(&["consent"])));
        let s = read("Wir übermitteln deine personenbezogenen Daten außerhalb der EU.");
        assert_eq!((s.actions.clone(), s.places.clone()), (set(&["abroad"]), set(&["abroad"])));
        // The profile page is no profiling.
        let s = read("Du kannst dein Profilbild jederzeit ändern.");
        assert!(s.actions.is_empty(), "{:?}", s.actions);
    }

    #[test]
    fn sdk_list_kinds_of_data_in_chinese_and_english() {
        for sentence in [
            "我们会收集您的应用安装列表、SIM卡信息、MCC/MNC、GAID、支付信息、剪贴板内容、传感器信息和运营商信息。",
            "We collect your list of installed apps, SIM card information, GAID, payment information, clipboard contents, sensor data and carrier information.",
        ] {
            let s = read(sentence);
            assert_eq!(s.actions, set(&["collect"]));
            assert_eq!(
                s.data,
                set(&["app_list", "clipboard", "device", "device_id", "financial"]),
                "{:?}",
                s.items
            );
        }
    }

    #[test]
    fn consent_legal_and_opt_out_conditions() {
        for (sentence, condition) in [
            ("经您同意后，我们会向合作伙伴共享您的位置信息。", "consent"),
            ("我们会在征得您的单独同意后向合作伙伴共享您的位置信息。", "explicit_consent"),
            ("在法律法规允许的范围内，我们会向合作伙伴共享您的位置信息。", "legal"),
            ("除非您选择退出，我们会向合作伙伴共享您的位置信息。", "opt_out"),
            ("Subject to your consent, we share your location with partners.", "consent"),
            ("We share your location with partners with your consent.", "consent"),
            ("We share your location with partners unless you opt out.", "opt_out"),
            ("Where required by law, we share your location with government authorities.", "legal"),
        ] {
            let s = read(sentence);
            assert_eq!(s.polarity, Polarity::Affirm, "{sentence}");
            assert_eq!(s.actions, set(&["share"]), "{sentence}");
            assert_eq!(s.conditions, set(&[condition]), "{sentence}");
        }
    }

    #[test]
    fn asking_for_information_is_collecting_it() {
        for (sentence, polarity) in [
            ("We may ask for a copy of your ID to verify your age.", Polarity::Affirm),
            ("We never ask for your passport.", Polarity::Negate),
            ("我们可能会向您索取身份证信息。", Polarity::Affirm),
            ("我们不会向您索取身份证信息。", Polarity::Negate),
        ] {
            let s = read(sentence);
            assert_eq!(s.actions, set(&["collect"]), "{sentence}");
            assert_eq!(s.polarity, polarity, "{sentence}");
            assert!(s.data.contains("id_number"), "{sentence}");
        }
        // The user asking for a copy of their information is a right, and asking for consent
        // collects nothing.
        assert!(read("You can ask for a copy of your personal information.").actions.is_empty());
        // Another party asking, or asking for something that is not personal information.
        for sentence in [
            "Advertisers sometimes ask for your personal information.",
            "We may ask for a reasonable fee for repeated requests.",
            "当第三方向我们索取您的个人信息时，我们会拒绝。",
            "对于重复的请求，我们可能会向您索取合理的费用。",
        ] {
            assert!(!read(sentence).actions.contains("collect"), "{sentence}");
        }
        assert!(
            !read("We will ask for your consent before we share your location.")
                .actions
                .contains("collect")
        );
    }

    #[test]
    fn the_practice_a_way_out_is_about_is_no_practice_stated() {
        for sentence in [
            "To opt out of interest-based advertising, visit our settings page.",
            "To opt out of the use of your information for advertising, use the opt-out tool.",
            "如需关闭个性化广告，请前往设置。",
            "如需关闭基于您的浏览记录的个性化推荐，请前往设置。",
            "To opt out of receiving interest-based advertising, visit our settings page.",
            "To turn off interest-based advertising, visit our settings page.",
        ] {
            let s = read(sentence);
            assert!(s.actions.is_empty(), "{sentence}: {:?}", s.actions);
            assert!(!s.controls.is_empty(), "{sentence}");
        }
        // A practice stated beside the way out is still one.
        let s = read("We use your data for interest-based advertising, and you can opt out of it.");
        assert_eq!(s.actions, set(&["profile", "use"]));
        // Sensitive information named beside it is stated.
        let s = read("To turn off personalised ads based on your health data, visit Settings.");
        assert!(s.actions.contains("profile"), "{:?}", s.actions);
        // Giving information away stays stated: the offer discloses it.
        for (sentence, action) in [
            ("You can opt out of selling your browsing history to data brokers.", "sell"),
            ("Users can switch off sharing of their contacts with partners.", "share"),
            ("We run an opt-out interest-based advertising programme.", "profile"),
        ] {
            assert!(read(sentence).actions.contains(action), "{sentence}");
        }
    }

    #[test]
    fn an_adverb_between_subject_and_verb_keeps_a_relative_clause_ours() {
        // `还` / `也` between `我们` and a practice word that a relative clause follows
        // (`使用您提供的信息`): we still use, the clause is no attribute of the information.
        for (sentence, action) in [
            ("我们还会使用您提供的信息。", "use"),
            ("我们也将共享您提供的信息。", "share"),
            ("我们仍然会使用您提供的信息。", "use"),
            // `将` marks the object of `用于`: the information collected is what is used.
            ("我们还会将收集的信息用于改进产品。", "use"),
            ("我们会将收集的信息用于改进产品。", "use"),
            // After `将`, a partner is the subject of the relative clause: we use.
            ("我们还会将合作伙伴收集的信息用于改进产品。", "use"),
        ] {
            let s = read(sentence);
            assert_eq!(s.actions, set(&[action]), "{sentence}");
            assert_eq!(s.polarity, Polarity::Affirm, "{sentence}");
        }
    }

    #[test]
    fn a_function_pointed_back_to_is_no_service_beside_its_own_purpose() {
        // The function named before gives the purpose; `此功能` adds no generic service.
        let s = read(
            "我们可能通过手机短信向您发送活动提醒，为实现此功能，我们可能会收集您的手机号码，用于活动提醒的发送。",
        );
        assert_eq!(s.purposes, set(&["communication"]));
        // With no other purpose in the clause, the function pointed back to is still a service.
        let s = read("我们为您提供学习成就功能，为此，我们需要获取您的账号以实现前述功能。");
        assert_eq!(s.purposes, set(&["service"]));
    }

    #[test]
    fn you_before_a_conjunction_is_the_object_of_an_unknown_verb() {
        for sentence in [
            "We do not target you or keep your search history.",
            "We don’t target you with ads or keep your search history.",
        ] {
            let s = read(sentence);
            assert_eq!(
                (s.polarity, s.actions.clone()),
                (Polarity::Negate, set(&["store"])),
                "{sentence}"
            );
        }
        // The subject of a verb before the conjunction stays the subject.
        let s = read("If you sign up or keep using the app, we collect your email.");
        assert_eq!(s.actions, set(&["collect"]));
        let s = read("We will ask you to verify your identity or provide more information.");
        assert_eq!(s.actions, set(&["collect"]));
        let s = read("You may keep or delete your history.");
        assert!(s.actions.is_empty(), "{:?}", s.actions);
    }

    #[test]
    fn a_purpose_after_an_affirmed_practice_is_its_own_despite_an_earlier_negation() {
        let s = read(
            "We de-identify Personal Data so that it no longer identifies you and share it with third parties for the purposes described above, such as to improve our services.",
        );
        assert_eq!(s.polarity, Polarity::Affirm);
        assert!(s.actions.contains("share"), "{:?}", s.actions);
        assert!(s.purposes.contains("improvement"), "{:?}", s.purposes);
    }

    #[test]
    fn an_sdk_or_third_party_that_collects_receives_the_information() {
        let s = read("为实现此功能，第三方SDK会收集您的设备信息和运营商信息。");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["share"])));
        assert_eq!(s.data, set(&["device"]));
        assert_eq!(s.recipients, set(&["sdk"]));
        assert_eq!(s.actor, Some("third_party"));
        let s = read("穿山甲广告SDK会收集您的IMEI和位置信息。");
        assert_eq!(s.actions, set(&["share"]));
        assert_eq!(s.data, set(&["device_id", "location"]));
        assert_eq!(s.recipients, set(&["advertiser", "sdk", "sdk:穿山甲广告SDK"]));
        let s = read("我们使用了微信SDK，微信SDK在特定情况下会读取您的剪切板内容。");
        assert_eq!(s.actions, set(&["share"]));
        assert_eq!(s.data, set(&["clipboard"]));
        assert_eq!(s.recipients, set(&["sdk", "sdk:微信SDK"]));
        let s = read("The Umeng Push SDK collects your device identifiers.");
        assert_eq!(s.actions, set(&["share"]));
        assert_eq!(s.recipients, set(&["sdk", "sdk:Umeng Push SDK"]));
        // We collect through an SDK: our collection.
        let s = read("我们通过第三方SDK收集您的设备信息。");
        assert_eq!(s.actions, set(&["collect"]));
    }

    /// Every clause of a small document with its statement.
    fn read_all(markdown: &str) -> Vec<(String, Statement)> {
        let doc = Document::from_bytes("t.md", markdown.as_bytes()).unwrap();
        let all = super::super::extract(&doc);
        all.clauses.into_iter().map(|c| (c.text, c.statement)).collect()
    }

    #[test]
    fn sdk_records_in_prose_tie_data_and_purposes_to_their_sdk() {
        // Label lines in paragraphs of their own, the company after the data.
        let all = read_all(
            "# SDK\n\n1、穿山甲广告SDK\n\nSDK用途：用于展示广告\n\n收集个人信息类型：设备型号、OAID、粗略位置\n\n\
             收集方式：SDK采集\n\n第三方机构名称：北京巨量引擎网络技术有限公司\n\n\
             2、友盟统计SDK\n\n收集个人信息类型：应用安装列表\n\n第三方主体：友盟同欣（北京）科技有限公司\n",
        );
        let of = |text: &str| all.iter().find(|(t, _)| t.contains(text)).unwrap().1.clone();
        let s = of("用于展示广告");
        assert!(s.actions.is_empty(), "{:?}", s.actions);
        assert_eq!(s.purposes, set(&["advertising"]));
        let s = of("设备型号");
        assert_eq!((s.polarity, s.actions.clone()), (Polarity::Affirm, set(&["share"])));
        assert_eq!(s.data, set(&["device", "device_id", "location"]));
        assert_eq!(
            s.recipients,
            set(&["advertiser", "org:北京巨量引擎网络技术有限公司", "sdk", "sdk:穿山甲广告SDK"])
        );
        assert_eq!(s.actor, Some("third_party"));
        // How it is collected states no new practice.
        assert!(of("SDK采集").actions.is_empty());
        let s = of("应用安装列表");
        assert_eq!(s.data, set(&["app_list"]));
        assert_eq!(
            s.recipients,
            set(&["analytics", "org:友盟同欣（北京）科技有限公司", "sdk", "sdk:友盟统计SDK"])
        );
        // One paragraph of label lines (hard line breaks): a clause per line.
        let all = read_all(
            "# SDK\n\n第三方SDK名称：Bugly SDK  \n第三方SDK提供方的公司名称：深圳市腾讯计算机系统有限公司  \n\
             使用目的及功能场景：排查崩溃问题  \n处理的个人信息类型：手机型号、网络类型；OAID\n",
        );
        assert_eq!(all.len(), 5, "{all:?}");
        // The data line goes on after `；`.
        assert_eq!(all[4].1.data, set(&["device_id"]));
        assert!(all[4].1.recipients.contains("sdk:Bugly SDK"), "{:?}", all[4].1);
        let s = &all[3].1;
        assert_eq!(s.actions, set(&["share"]));
        assert_eq!(s.data, set(&["device"]));
        assert_eq!(
            s.recipients,
            set(&["org:深圳市腾讯计算机系统有限公司", "sdk", "sdk:Bugly SDK"])
        );
        assert_eq!(all[2].1.purposes, set(&["security"]));
        // A sentence ends the record: its own reading.
        let all = read_all(
            "# SDK\n\n1、友盟统计SDK\n\n我们会收集您的手机号码。\n\n收集个人信息类型：手机号码\n",
        );
        assert_eq!(all[1].1.actions, set(&["collect"]));
        assert!(!all[2].1.recipients.contains("sdk:友盟统计SDK"), "{:?}", all[2].1);
    }

    #[test]
    fn examples_name_their_kind_but_are_no_items_of_their_own() {
        // Listed items are items; examples after 如 / 例如 / such as / e.g. give the kind only.
        let s = read("我们会收集您的设备信息（如IMEI、OAID）、手机号码和银行流水。");
        assert_eq!(s.data, set(&["device", "device_id", "financial", "phone"]));
        assert!(s.items.contains("phone/手机号"), "{:?}", s.items);
        assert!(s.items.contains("financial/银行流水"), "{:?}", s.items);
        assert!(s.items.contains("device/设备信息"), "{:?}", s.items);
        assert!(!s.items.iter().any(|i| i.starts_with("device_id/")), "{:?}", s.items);
        let s = read("我们会收集您的身份信息，例如身份证号码、护照。");
        assert_eq!(s.data, set(&["id_number", "personal_info"]));
        assert!(!s.items.iter().any(|i| i.starts_with("id_number/")), "{:?}", s.items);
        let s = read(
            "We collect your phone number and device information, such as your IMEI and browser type.",
        );
        assert_eq!(s.data, set(&["device", "device_id", "phone"]));
        assert!(!s.items.iter().any(|i| i.starts_with("device_id/")), "{:?}", s.items);
        assert!(s.items.contains("phone/phone number"), "{:?}", s.items);
        let s = read("We collect identifiers (e.g., your IDFA) and your email address.");
        assert!(!s.items.iter().any(|i| i.starts_with("device_id/")), "{:?}", s.items);
        assert!(s.items.iter().any(|i| i.starts_with("email/")), "{:?}", s.items);
        // A condition is no example.
        let s = read("如您同意，我们会收集您的手机号码。");
        assert!(s.items.contains("phone/手机号"), "{:?}", s.items);
    }

    #[test]
    fn purpose_phrases_in_english_and_chinese() {
        for (sentence, purposes) in [
            (
                "We use your location to suggest nearby restaurants and offer promotions.",
                &["marketing"][..],
            ),
            ("We collect your phone number in order to verify your identity.", &["account"]),
            ("We process your data for the purposes of fraud prevention.", &["security"]),
            ("We use cookies to help us understand how you use the site.", &["analytics"]),
            ("我们会将您的位置信息用于推荐附近的门店。", &["personalisation"]),
            ("我们收集您的手机号码，以便向您发送验证码。", &["account"]),
            ("我们收集您的设备信息，目的是保障账号安全。", &["security"]),
            ("为了改进产品，我们会分析您的使用记录。", &["improvement"]),
        ] {
            let s = read(sentence);
            assert_eq!(s.purposes, set(purposes), "{sentence}");
            assert_eq!(s.actions.len(), 1, "{sentence}: {:?}", s.actions);
        }
        // `to` before a recipient or a place opens no purpose.
        let s = read("We transfer your personal information to China.");
        assert!(s.purposes.is_empty(), "{:?}", s.purposes);
        let s = read("We provide your email address to partners.");
        assert_eq!(s.recipients, set(&["partner"]));
        // A purpose cue after a practice that an earlier cue opens (`pour traiter …`) still opens
        // a purpose phrase of its own once the practice ends the first one.
        let s = read(
            "Nous pouvons utiliser la technologie de reconnaissance faciale pour traiter les photos \
             de profil des utilisateurs dans le seul but d'empêcher l'usurpation d'identité.",
        );
        assert_eq!(s.purposes, set(&["security"]), "{:?}", s.purposes);
        let s = read("Nous pouvons utiliser vos photos pour vérifier leur identité.");
        assert_eq!(s.purposes, set(&["account"]), "{:?}", s.purposes);
        // A cue that opens a part still leaves the practice after it a practice.
        let s = read(
            "We collect your location to show nearby stores and, to measure our ads, share it \
             with advertising partners.",
        );
        assert!(s.actions.contains("share"), "{:?}", s.actions);
        // After a negation a later cue may be the promise's: it names no purpose.
        let s = read(
            "We use your email address to send you receipts and never use it to send you marketing.",
        );
        assert!(!s.purposes.contains("marketing"), "{:?}", s.purposes);
        // `以为您提供` is "in order to provide you", not `以为` ("believe").
        let s = read("我们收集您的位置信息，以为您提供附近的服务。");
        assert!(s.purposes.contains("service"), "{:?}", s.purposes);
        // `适用于` (applies to) opens no purpose phrase.
        let s = read("本隐私政策适用于广告推广及营销活动中收集的个人信息。");
        assert!(s.purposes.is_empty(), "{:?}", s.purposes);
        let s = read(
            "We use your email address to manage your account, without sharing it with partners to send you marketing.",
        );
        assert!(!s.purposes.contains("marketing"), "{:?}", s.purposes);
    }

    #[test]
    fn a_relative_clause_with_its_subject_states_the_practice() {
        // The subject before the first word of a chain of practices states all of them; the
        // user letting us act makes us the subject.
        for (sentence, actions) in [
            ("我们需要收集和使用的您的个人信息包括如下两种：", &["collect", "use"][..]),
            ("您须授权我们收集、使用的必要的信息。", &["collect", "use"]),
            ("您授权我们收集的信息包括您的手机号码。", &["collect"]),
        ] {
            assert_eq!(read(sentence).actions, set(actions), "{sentence}");
        }
        // Without a subject the practice is an attribute; a permission the user may refuse
        // states none.
        for sentence in [
            "共享、转让的个人信息",
            "您可以拒绝授权我们收集的信息。",
            "您可以随时撤销授权我们向广告合作伙伴共享的信息。",
        ] {
            assert!(read(sentence).actions.is_empty(), "{sentence}");
        }
        // `未` elsewhere in the part is no refusal.
        let s = read("您在未登录状态下授权我们使用您的位置信息用于广告推送。");
        assert!(s.actions.contains("use"), "{:?}", s.actions);
        // A main verb right before a relative clause lends it no subject: only the sale is
        // promised.
        let s = read("我们不会出售收集的个人信息。");
        assert_eq!(s.actions, set(&["sell"]), "{:?}", s.actions);
    }

    #[test]
    fn a_name_before_a_modal_verb_opens_the_main_clause() {
        // The operator named by its name after a purpose phrase (qwant 012→013): the
        // practice is stated, the phrase names its purpose.
        let s = read(
            "To prevent fraudulent use of the search engine, Qwant may need to collect certain \
             personal data such as IP addresses.",
        );
        assert_eq!(s.actions, set(&["collect"]), "{:?}", s.actions);
        assert_eq!(s.purposes, set(&["security"]), "{:?}", s.purposes);
        // A relative pronoun, a common noun or a negative pronoun is no name: the practice
        // stays inside the purpose phrase.
        for sentence in [
            "To work with partners, which may collect certain personal data.",
            "To create a child account, parents must review the disclosure, which describes how \
             Apple handles children's personal data.",
            "To be clear, nothing will be sold to advertisers.",
        ] {
            let s = read(sentence);
            assert!(s.actions.is_empty(), "{sentence}: {:?}", s.actions);
        }
        // A relative clause's modal verb in a list after a safeguard word keeps the list.
        let s = read(
            "We protect your personal information from loss, theft, or anyone who might sell it.",
        );
        assert!(s.actions.is_empty(), "{:?}", s.actions);
    }

    #[test]
    fn a_practice_after_regarding_our_is_named_not_stated() {
        // California's "Shine the Light" notice names a right to ask about disclosures; it
        // discloses nothing (parler 002→003).
        let s = read(
            "California law permits users who are California residents to request certain \
             information regarding our disclosure of personal information to third parties for \
             their direct marketing purposes.",
        );
        assert!(s.actions.is_empty(), "{:?}", s.actions);
        let s = read("We answer questions about our use of your email address.");
        assert!(s.actions.is_empty(), "{:?}", s.actions);
    }

    #[test]
    fn fraudulent_clicks_on_advertisements_are_a_security_purpose() {
        // Detecting click fraud (qwant 002→003) protects the service; it is no advertising.
        let s = read(
            "For purposes of security (detection of spam, fraudulent clicks on advertisements, \
             etc.), we may collect your IP address.",
        );
        assert_eq!(s.purposes, set(&["security"]), "{:?}", s.purposes);
    }

    #[test]
    fn the_fast_matching_form_equals_match_text() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = vec![
            "全角：ＡＢＣ，１２３；（括号）！？".to_string(),
            "你的信息，妳的数据 and you don't".to_string(),
            "空格　全角 与 English words\u{a0}here".to_string(),
        ];
        for path in ["policy/privacy.zh-CN.md", "policy/privacy.en.md"] {
            let bytes = std::fs::read(root.join(path)).unwrap();
            let doc = Document::from_bytes(path, &bytes).unwrap();
            for section in &doc.sections {
                texts.extend(section.blocks.iter().map(|b| b.text.clone()));
            }
        }
        for text in &texts {
            assert_eq!(matching_text(text), match_text(text), "{text}");
        }
    }

    #[test]
    fn sending_marketing_uses_contact_details_for_marketing() {
        let s = read("We send you marketing emails only if you have given your consent.");
        assert_eq!((s.actions.clone(), s.purposes.clone()), (set(&["use"]), set(&["marketing"])));
        assert!(s.conditions.contains("consent"), "{:?}", s.conditions);
        let s = read("Wir versenden keine Newsletter.");
        assert_eq!((s.polarity, s.purposes.clone()), (Polarity::Negate, set(&["marketing"])));
        let s = read("我们会向您推送营销信息。");
        assert_eq!((s.polarity, s.purposes.clone()), (Polarity::Affirm, set(&["marketing"])));
    }

    #[test]
    fn information_given_to_our_affiliate_is_shared_not_received() {
        let s =
            read("您的手机号码可能会被提供给我们的关联公司悦读文化有限公司，用于提供客户服务。");
        assert_eq!(s.actions, set(&["share"]));
        assert!(s.recipients.contains("affiliate"), "{:?}", s.recipients);
        assert!(s.recipients.contains("org:悦读文化有限公司"), "{:?}", s.recipients);
    }

    #[test]
    fn an_opt_out_names_the_advertising_it_presupposes() {
        let s = read(
            "To opt out of cookies that deliver ads via third-party ad groups, visit the NAI page.",
        );
        assert!(s.actions.is_empty(), "{:?}", s.actions);
        assert_eq!(s.purposes, set(&["advertising"]));
    }
}
