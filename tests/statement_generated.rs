//! Generated specification of the statement judgement (issue 8, "a generated test").
//!
//! For each language of the real policy, seeded combinations of a broadening practice (collect;
//! use; profile; share, provide, disclose, sell or transfer to a recipient; send abroad) × a kind
//! of personal information × (for the practices that pass information on) a recipient are written
//! as sentences with six templates (active, passive, list, conditional, purpose, and a sixth
//! form per language) and inserted as a new paragraph into a seeded leaf section of the policy.
//! Every data type and recipient named here is absent from that language's policy (asserted),
//! so no sentence restates a practice the policy already discloses.
//!
//! What a privacy lawyer says, and what this test demands of `compare_documents` under
//! `policy/criteria.toml`:
//!
//! * the affirmative sentence discloses a new practice: the report is at least `major`, and a
//!   finding at `major` or above quotes the sentence with direction `broaden`;
//! * its negated form is a new promise: the report is at most `minor`, and the finding that
//!   quotes it has direction `narrow`.
//!
//! The test was written before the statement extractor: a term-based judgement fails many of
//! these cases. It prints the failures per language and template, then asserts there are none.

use redline::document::{BlockKind, Document};
use redline::report::{Report, Side, compare_documents};
use redline::rules::Criteria;
use redline::{Direction, Level};
use std::collections::BTreeMap;
use std::path::Path;

/// The fixed seed: the same combinations, sections and templates on every run.
const SEED: u64 = 0x5eed_0008_2025_0001;

/// Combinations of a transfer practice (share … transfer) drawn per verb and language; the
/// other four practices run with every data type.
const PER_TRANSFER_VERB: usize = 40;

/// Failing sentences printed per language.
const SHOWN: usize = 8;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// SplitMix64: a small deterministic generator, enough to pick combinations and sections.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Fisher–Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// A broadening practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    Collect,
    Use,
    Profile,
    Share,
    Provide,
    Disclose,
    Sell,
    Transfer,
    Abroad,
}

impl Action {
    const ALL: [Action; 9] = [
        Action::Collect,
        Action::Use,
        Action::Profile,
        Action::Share,
        Action::Provide,
        Action::Disclose,
        Action::Sell,
        Action::Transfer,
        Action::Abroad,
    ];

    /// Whether the practice passes information to a recipient.
    fn has_recipient(self) -> bool {
        matches!(
            self,
            Action::Share | Action::Provide | Action::Disclose | Action::Sell | Action::Transfer
        )
    }

    fn name(self) -> &'static str {
        match self {
            Action::Collect => "collect",
            Action::Use => "use",
            Action::Profile => "profile",
            Action::Share => "share",
            Action::Provide => "provide",
            Action::Disclose => "disclose",
            Action::Sell => "sell",
            Action::Transfer => "transfer",
            Action::Abroad => "abroad",
        }
    }
}

/// A kind of personal information as the sentence names it.
struct Data {
    text: &'static str,
    /// Sensitive under PIPL art. 28 (biometric, religious belief, specific identity, medical
    /// health, financial accounts, whereabouts) or GDPR art. 9.
    sensitive: bool,
    /// English only: the noun phrase takes a plural verb.
    plural: bool,
}

const fn d(text: &'static str, sensitive: bool) -> Data {
    Data { text, sensitive, plural: false }
}

const fn dp(text: &'static str, sensitive: bool) -> Data {
    Data { text, sensitive, plural: true }
}

/// The six templates, in report order.
const TEMPLATES: [&str; 6] = ["active", "passive", "list", "conditional", "purpose", "sixth"];

/// One language: its policy, its vocabulary and its sentence templates.
struct Lang {
    code: &'static str,
    policy: &'static str,
    data: &'static [Data],
    recipients: &'static [&'static str],
    purposes: &'static [&'static str],
    conditions: &'static [&'static str],
    /// Writes (affirmative, negated) for a template index and a combination.
    write: fn(usize, &Slots) -> (String, String),
}

/// The values a template fills in.
struct Slots<'a> {
    action: Action,
    data: &'a Data,
    data2: &'a Data,
    recipient: &'a str,
    purpose: &'a str,
    condition: &'a str,
}

const ZH_DATA: &[Data] = &[
    d("基因信息", true),
    d("指纹", true),
    d("人脸信息", true),
    d("声纹", true),
    d("虹膜信息", true),
    d("宗教信仰", true),
    d("性取向", true),
    d("犯罪记录", true),
    d("政治观点", true),
    d("银行流水", true),
    d("睡眠数据", true),
    d("剪贴板内容", false),
    d("车牌号", false),
    d("日历日程", false),
    d("婚姻状况", false),
    d("运动步数", false),
];

const ZH_RECIPIENTS: &[&str] = &[
    "保险公司",
    "数据经纪商",
    "贷款机构",
    "雇主",
    "广告联盟",
    "催收机构",
    "招聘平台",
    "制药企业",
    "营销公司",
    "婚恋平台",
];

const ZH_PURPOSES: &[&str] =
    &["评估您的信用风险", "开展市场调研", "向您投放定向广告", "改进我们的产品", "提升服务质量"];

const ZH_CONDITIONS: &[&str] =
    &["当您使用该功能时", "如果您开启此项服务", "在您使用我们的服务期间"];

const EN_DATA: &[Data] = &[
    d("genetic data", true),
    dp("fingerprints", true),
    dp("face scans", true),
    dp("voiceprints", true),
    dp("iris scans", true),
    dp("religious beliefs", true),
    d("sexual orientation", true),
    dp("criminal records", true),
    dp("political opinions", true),
    dp("bank statements", true),
    d("sleep data", true),
    dp("clipboard contents", false),
    d("licence plate number", false),
    dp("calendar entries", false),
    d("marital status", false),
    dp("step counts", false),
];

const EN_RECIPIENTS: &[&str] = &[
    "insurers",
    "data brokers",
    "lenders",
    "employers",
    "ad networks",
    "debt collectors",
    "recruitment agencies",
    "pharmaceutical companies",
    "marketing agencies",
    "dating services",
];

const EN_PURPOSES: &[&str] = &[
    "assess your creditworthiness",
    "conduct market research",
    "show you targeted ads",
    "improve our products",
    "improve the quality of our services",
];

const EN_CONDITIONS: &[&str] =
    &["If you enable this feature", "If you turn on cloud sync", "When you use this service"];

const LANGS: [Lang; 2] = [
    Lang {
        code: "zh-CN",
        policy: "policy/privacy.zh-CN.md",
        data: ZH_DATA,
        recipients: ZH_RECIPIENTS,
        purposes: ZH_PURPOSES,
        conditions: ZH_CONDITIONS,
        write: write_zh,
    },
    Lang {
        code: "en",
        policy: "policy/privacy.en.md",
        data: EN_DATA,
        recipients: EN_RECIPIENTS,
        purposes: EN_PURPOSES,
        conditions: EN_CONDITIONS,
        write: write_en,
    },
];

/// Fills `{d}`, `{d2}`, `{r}`, `{p}`, `{c}` and `{v}` (the verb) in an (affirmative, negated)
/// pair.
fn fill(pair: (&str, &str), s: &Slots, verb: &str, be: &str) -> (String, String) {
    let one = |t: &str| {
        t.replace("{d2}", s.data2.text)
            .replace("{d}", s.data.text)
            .replace("{r}", s.recipient)
            .replace("{p}", s.purpose)
            .replace("{c}", s.condition)
            .replace("{v}", verb)
            .replace("{be}", be)
    };
    (one(pair.0), one(pair.1))
}

/// The Chinese templates. The sixth form fronts the object (`您的…，我们会…`).
fn write_zh(template: usize, s: &Slots) -> (String, String) {
    let pair: (&str, &str) = match s.action {
        Action::Collect | Action::Use => match template {
            0 => ("我们会{v}您的{d}。", "我们不会{v}您的{d}。"),
            1 => ("您的{d}将被我们{v}。", "您的{d}不会被我们{v}。"),
            2 => ("我们会{v}以下信息：{d}、{d2}。", "我们不会{v}以下信息：{d}、{d2}。"),
            3 => ("{c}，我们会{v}您的{d}。", "{c}，我们不会{v}您的{d}。"),
            4 => ("为了{p}，我们可能会{v}您的{d}。", "我们绝不会为了{p}{v}您的{d}。"),
            _ => ("您的{d}，我们会予以{v}。", "您的{d}，我们绝不会{v}。"),
        },
        Action::Profile => match template {
            0 => ("我们会根据您的{d}对您进行用户画像。", "我们不会根据您的{d}对您进行用户画像。"),
            1 => ("您的{d}将被用于用户画像。", "您的{d}不会被用于用户画像。"),
            2 => (
                "我们会基于以下信息对您进行画像：{d}、{d2}。",
                "我们不会基于以下信息对您进行画像：{d}、{d2}。",
            ),
            3 => (
                "{c}，我们会根据您的{d}对您进行用户画像。",
                "{c}，我们不会根据您的{d}对您进行用户画像。",
            ),
            4 => (
                "为了{p}，我们可能会根据您的{d}对您进行用户画像。",
                "我们绝不会为了{p}根据您的{d}对您进行用户画像。",
            ),
            _ => ("您的{d}，我们会用于用户画像。", "您的{d}，我们绝不会用于用户画像。"),
        },
        Action::Abroad => match template {
            0 => ("我们会将您的{d}传输至境外。", "我们不会将您的{d}传输至境外。"),
            1 => ("您的{d}将被传输至境外。", "您的{d}不会被传输至境外。"),
            2 => (
                "我们会将以下信息传输至境外：{d}、{d2}。",
                "我们不会将以下信息传输至境外：{d}、{d2}。",
            ),
            3 => ("{c}，我们会将您的{d}传输至境外。", "{c}，我们不会将您的{d}传输至境外。"),
            4 => (
                "为了{p}，我们可能会将您的{d}传输至境外。",
                "我们绝不会为了{p}将您的{d}传输至境外。",
            ),
            _ => ("您的{d}，我们会传输至境外的服务器。", "您的{d}，我们绝不会传输至境外。"),
        },
        _ => match template {
            0 => ("我们会向{r}{v}您的{d}。", "我们不会向{r}{v}您的{d}。"),
            1 => ("您的{d}将被{v}给{r}。", "您的{d}不会被{v}给{r}。"),
            2 => ("我们会向{r}{v}以下信息：{d}、{d2}。", "我们不会向{r}{v}以下信息：{d}、{d2}。"),
            3 => ("{c}，我们会将您的{d}{v}给{r}。", "{c}，我们不会将您的{d}{v}给{r}。"),
            4 => ("为了{p}，我们可能会向{r}{v}您的{d}。", "我们绝不会为了{p}向{r}{v}您的{d}。"),
            _ => ("您的{d}，我们会{v}给{r}。", "您的{d}，我们绝不会{v}给{r}。"),
        },
    };
    let verb = match s.action {
        Action::Collect => "收集",
        Action::Use => "使用",
        Action::Share => "共享",
        Action::Provide => "提供",
        Action::Disclose => "披露",
        Action::Sell => "出售",
        Action::Transfer => "转让",
        Action::Profile | Action::Abroad => "",
    };
    fill(pair, s, verb, "")
}

/// The English templates. The sixth form is the "you agree that we may" clause of many
/// policies; its negation is "we do not and will not".
fn write_en(template: usize, s: &Slots) -> (String, String) {
    let (verb, participle, prep) = match s.action {
        Action::Collect => ("collect", "collected", ""),
        Action::Use => ("use", "used", ""),
        Action::Share => ("share", "shared", " with"),
        Action::Provide => ("provide", "provided", " to"),
        Action::Disclose => ("disclose", "disclosed", " to"),
        Action::Sell => ("sell", "sold", " to"),
        Action::Transfer => ("transfer", "transferred", " to"),
        Action::Profile | Action::Abroad => ("", "", ""),
    };
    let be = if s.data.plural { "are" } else { "is" };
    let pair: (String, String) = match s.action {
        Action::Collect | Action::Use => match template {
            0 => ("We will {v} your {d}.".into(), "We will never {v} your {d}.".into()),
            1 => (
                format!("Your {{d}} may be {participle}."),
                format!("Your {{d}} {{be}} not {participle}."),
            ),
            2 => (
                "We will {v} the following information: {d} and {d2}.".into(),
                "We do not {v} the following information: {d} and {d2}.".into(),
            ),
            3 => ("{c}, we will {v} your {d}.".into(), "{c}, we will not {v} your {d}.".into()),
            4 => {
                ("To {p}, we may {v} your {d}.".into(), "We will never {v} your {d} to {p}.".into())
            }
            _ => (
                "You agree that we may {v} your {d}.".into(),
                "We do not and will not {v} your {d}.".into(),
            ),
        },
        Action::Profile => match template {
            0 => (
                "We will use your {d} to build a profile of you.".into(),
                "We will never use your {d} to build a profile of you.".into(),
            ),
            1 => (
                "Your {d} may be used to profile you.".into(),
                "Your {d} {be} not used to profile you.".into(),
            ),
            2 => (
                "We will profile you based on the following information: {d} and {d2}.".into(),
                "We do not profile you based on the following information: {d} and {d2}.".into(),
            ),
            3 => (
                "{c}, we will use your {d} to build a profile of you.".into(),
                "{c}, we will not use your {d} to build a profile of you.".into(),
            ),
            4 => (
                "To {p}, we may use your {d} to build a profile of you.".into(),
                "We will never use your {d} to build a profile of you, not even to {p}.".into(),
            ),
            _ => (
                "You agree that we may use your {d} to profile you.".into(),
                "We do not and will not use your {d} to profile you.".into(),
            ),
        },
        Action::Abroad => match template {
            0 => (
                "We will transfer your {d} to servers outside China.".into(),
                "We will never transfer your {d} to servers outside China.".into(),
            ),
            1 => (
                "Your {d} may be transferred abroad.".into(),
                "Your {d} {be} not transferred abroad.".into(),
            ),
            2 => (
                "We will transfer the following information outside China: {d} and {d2}.".into(),
                "We do not transfer the following information outside China: {d} and {d2}.".into(),
            ),
            3 => (
                "{c}, we will transfer your {d} abroad.".into(),
                "{c}, we will not transfer your {d} abroad.".into(),
            ),
            4 => (
                "To {p}, we may transfer your {d} outside China.".into(),
                "We will never transfer your {d} outside China, not even to {p}.".into(),
            ),
            _ => (
                "You agree that we may transfer your {d} to other countries.".into(),
                "We do not and will not transfer your {d} to other countries.".into(),
            ),
        },
        _ => match template {
            0 => (
                format!("We will {{v}} your {{d}}{prep} {{r}}."),
                format!("We will never {{v}} your {{d}}{prep} {{r}}."),
            ),
            1 => (
                format!("Your {{d}} may be {participle}{prep} {{r}}."),
                format!("Your {{d}} {{be}} not {participle}{prep} {{r}}."),
            ),
            2 => (
                format!("We will {{v}} the following information{prep} {{r}}: {{d}} and {{d2}}."),
                format!("We do not {{v}} the following information{prep} {{r}}: {{d}} and {{d2}}."),
            ),
            3 => (
                format!("{{c}}, we will {{v}} your {{d}}{prep} {{r}}."),
                format!("{{c}}, we will not {{v}} your {{d}}{prep} {{r}}."),
            ),
            4 => (
                format!("To {{p}}, we may {{v}} your {{d}}{prep} {{r}}."),
                format!("We will never {{v}} your {{d}}{prep} {{r}} to {{p}}."),
            ),
            _ => (
                format!("You agree that we may {{v}} your {{d}}{prep} {{r}}."),
                format!("We do not and will not {{v}} your {{d}}{prep} {{r}}."),
            ),
        },
    };
    fill((pair.0.as_str(), pair.1.as_str()), s, verb, be)
}

/// One generated case: a combination, its template and where it goes.
struct Case {
    action: Action,
    data: usize,
    data2: usize,
    recipient: Option<usize>,
    template: usize,
    purpose: usize,
    condition: usize,
    /// The section id and the 1-based line after which the paragraph is inserted.
    section: String,
    after_line: usize,
}

/// A case whose judgement differs from the lawyer's.
struct Failure {
    template: usize,
    negated: bool,
    sentence: String,
    section: String,
    why: String,
}

/// Every combination of the four recipient-less practices with each data type, and
/// [`PER_TRANSFER_VERB`] distinct combinations of each transfer practice with a data type and a
/// recipient; templates dealt in turn over a shuffled order; a seeded leaf section each.
fn generate(lang: &Lang, doc: &Document, rng: &mut Rng) -> Vec<Case> {
    // Leaf sections with paragraphs, and the paragraphs' last lines.
    let spots: Vec<(String, Vec<usize>)> = doc
        .sections
        .iter()
        .enumerate()
        .filter(|(i, _)| !doc.sections.iter().any(|s| s.parent == Some(*i)))
        .map(|(_, s)| {
            let ends: Vec<usize> = s
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .map(|b| b.end_line)
                .collect();
            (s.id.clone(), ends)
        })
        .filter(|(_, ends)| !ends.is_empty())
        .collect();
    assert!(spots.len() >= 20, "{}: only {} leaf sections with paragraphs", lang.code, spots.len());

    let mut combos: Vec<(Action, usize, Option<usize>)> = Vec::new();
    for action in Action::ALL {
        if action.has_recipient() {
            let mut all: Vec<(usize, usize)> = (0..lang.data.len())
                .flat_map(|d| (0..lang.recipients.len()).map(move |r| (d, r)))
                .collect();
            rng.shuffle(&mut all);
            all.truncate(PER_TRANSFER_VERB);
            all.sort();
            combos.extend(all.into_iter().map(|(d, r)| (action, d, Some(r))));
        } else {
            combos.extend((0..lang.data.len()).map(|d| (action, d, None)));
        }
    }
    rng.shuffle(&mut combos);
    combos
        .into_iter()
        .enumerate()
        .map(|(i, (action, data, recipient))| {
            let data2 = (data + 1 + rng.below(lang.data.len() - 1)) % lang.data.len();
            let (section, ends) = &spots[rng.below(spots.len())];
            Case {
                action,
                data,
                data2,
                recipient,
                template: i % TEMPLATES.len(),
                purpose: rng.below(lang.purposes.len()),
                condition: rng.below(lang.conditions.len()),
                section: section.clone(),
                after_line: ends[rng.below(ends.len())],
            }
        })
        .collect()
}

/// The policy text with `sentence` as a new paragraph after line `after` (1-based).
fn insert(text: &str, after: usize, sentence: &str) -> String {
    let mut out = String::with_capacity(text.len() + sentence.len() + 4);
    for (n, line) in text.split_inclusive('\n').enumerate() {
        out.push_str(line);
        if n + 1 == after {
            if !line.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
            out.push_str(sentence);
            out.push_str("\n\n");
        }
    }
    out
}

/// The findings quoting `sentence`, as `rule@level/direction`, and every finding otherwise.
fn findings_summary(report: &Report, sentence: &str) -> String {
    let quoting: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.new.as_deref().is_some_and(|n| n.contains(sentence)))
        .map(|f| format!("{}@{}/{}", f.rule, f.level, f.direction.as_str()))
        .collect();
    let others = report.findings.len() - quoting.len();
    format!("findings quoting it: [{}], other findings: {others}", quoting.join(", "))
}

/// `None` when the report treats the affirmative sentence as the lawyer does.
fn judge_affirmative(report: &Report, sentence: &str) -> Option<String> {
    let quoted = report.findings.iter().any(|f| {
        f.level >= Level::Major
            && f.direction == Direction::Broaden
            && f.new.as_deref().is_some_and(|n| n.contains(sentence))
    });
    if report.level >= Level::Major && quoted {
        return None;
    }
    Some(format!(
        "level {} (want ≥ major, a broaden finding ≥ major quoting it); {}",
        report.level,
        findings_summary(report, sentence)
    ))
}

/// `None` when the report treats the negated sentence as the lawyer does.
fn judge_negated(report: &Report, sentence: &str) -> Option<String> {
    let quoting: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.new.as_deref().is_some_and(|n| n.contains(sentence)))
        .collect();
    if report.level <= Level::Minor
        && !quoting.is_empty()
        && quoting.iter().all(|f| f.direction == Direction::Narrow)
    {
        return None;
    }
    Some(format!(
        "level {} (want ≤ minor, its finding narrow); {}",
        report.level,
        findings_summary(report, sentence)
    ))
}

/// The generated specification: see the module documentation.
#[test]
fn new_practice_statements_broaden_and_their_negations_narrow() {
    let criteria = Criteria::load(&root().join("policy/criteria.toml")).unwrap();
    let mut rng = Rng(SEED);
    let mut all_failures = 0;
    let mut total_cases = 0;
    for lang in &LANGS {
        let path = root().join(lang.policy);
        let text = std::fs::read_to_string(&path).unwrap();
        let lower = text.to_lowercase();

        // No data type or recipient of the combinations occurs in the policy.
        for term in lang.data.iter().map(|d| d.text).chain(lang.recipients.iter().copied()) {
            assert!(
                !lower.contains(&term.to_lowercase()),
                "{}: {term:?} occurs in the policy; the combinations must be new",
                lang.policy
            );
        }

        let label = lang.policy.rsplit('/').next().unwrap();
        let old = Document::from_bytes(label, text.as_bytes()).unwrap();
        let cases = generate(lang, &old, &mut rng);
        assert!(cases.len() >= 200, "{}: {} combinations", lang.code, cases.len());

        // (template, negated) → (passed, failed); action → (passed, failed).
        let mut by_template: BTreeMap<(usize, bool), (usize, usize)> = BTreeMap::new();
        let mut by_action: BTreeMap<(Action, bool), (usize, usize)> = BTreeMap::new();
        let mut by_sensitivity: BTreeMap<(bool, bool), (usize, usize)> = BTreeMap::new();
        let mut failures: Vec<Failure> = Vec::new();
        for case in &cases {
            let slots = Slots {
                action: case.action,
                data: &lang.data[case.data],
                data2: &lang.data[case.data2],
                recipient: case.recipient.map_or("", |r| lang.recipients[r]),
                purpose: lang.purposes[case.purpose],
                condition: lang.conditions[case.condition],
            };
            let (affirmative, negated) = (lang.write)(case.template, &slots);
            for (sentence, is_negated) in [(affirmative, false), (negated, true)] {
                let edited = insert(&text, case.after_line, &sentence);
                let new = Document::from_bytes(label, edited.as_bytes()).unwrap();
                // The harness, not the judgement: the sentence is a paragraph of its own in
                // the chosen section.
                let section = new.section(&case.section).unwrap();
                assert!(
                    section
                        .blocks
                        .iter()
                        .any(|b| b.kind == BlockKind::Paragraph && b.text.trim() == sentence),
                    "{}: {sentence:?} is not a paragraph of section {}",
                    lang.code,
                    case.section
                );
                let comparison = compare_documents(
                    "privacy",
                    Side::file("old"),
                    Side::file("new"),
                    old.clone(),
                    new,
                    &criteria,
                );
                let report = &comparison.report;
                let verdict = if is_negated {
                    judge_negated(report, &sentence)
                } else {
                    judge_affirmative(report, &sentence)
                };
                let ok = verdict.is_none();
                for counts in [
                    by_template.entry((case.template, is_negated)).or_default(),
                    by_action.entry((case.action, is_negated)).or_default(),
                    by_sensitivity.entry((slots.data.sensitive, is_negated)).or_default(),
                ] {
                    if ok {
                        counts.0 += 1;
                    } else {
                        counts.1 += 1;
                    }
                }
                if let Some(why) = verdict {
                    failures.push(Failure {
                        template: case.template,
                        negated: is_negated,
                        sentence,
                        section: case.section.clone(),
                        why,
                    });
                }
            }
        }

        println!(
            "{}: {} combinations ({} sentences: affirmative and negated), {} failures",
            lang.code,
            cases.len(),
            cases.len() * 2,
            failures.len()
        );
        println!("  template       affirmative pass/fail   negated pass/fail");
        for (t, name) in TEMPLATES.iter().enumerate() {
            let a = by_template.get(&(t, false)).copied().unwrap_or_default();
            let n = by_template.get(&(t, true)).copied().unwrap_or_default();
            println!("  {name:<12}   {:>4} / {:<4}             {:>4} / {:<4}", a.0, a.1, n.0, n.1);
        }
        println!("  action         affirmative pass/fail   negated pass/fail");
        for action in Action::ALL {
            let a = by_action.get(&(action, false)).copied().unwrap_or_default();
            let n = by_action.get(&(action, true)).copied().unwrap_or_default();
            println!(
                "  {:<12}   {:>4} / {:<4}             {:>4} / {:<4}",
                action.name(),
                a.0,
                a.1,
                n.0,
                n.1
            );
        }
        for sensitive in [true, false] {
            let a = by_sensitivity.get(&(sensitive, false)).copied().unwrap_or_default();
            let n = by_sensitivity.get(&(sensitive, true)).copied().unwrap_or_default();
            println!(
                "  {:<12}   {:>4} / {:<4}             {:>4} / {:<4}",
                if sensitive { "sensitive" } else { "other data" },
                a.0,
                a.1,
                n.0,
                n.1
            );
        }
        // The first few of each polarity; every one with GENERATED_ALL_FAILURES=1.
        let each = if std::env::var_os("GENERATED_ALL_FAILURES").is_some() {
            usize::MAX
        } else {
            SHOWN / 2
        };
        let shown = failures
            .iter()
            .filter(|f| !f.negated)
            .take(each)
            .chain(failures.iter().filter(|f| f.negated).take(each));
        for f in shown {
            println!(
                "  FAIL [{} {}] in {}: {}\n       {}",
                TEMPLATES[f.template],
                if f.negated { "negated" } else { "affirmative" },
                f.section,
                f.sentence,
                f.why
            );
        }
        total_cases += cases.len();
        all_failures += failures.len();
    }
    println!(
        "{total_cases} combinations run ({} sentences), {all_failures} judged unlike a lawyer",
        total_cases * 2
    );
    assert_eq!(
        all_failures, 0,
        "{all_failures} generated sentences judged unlike a lawyer (see above; \
         GENERATED_ALL_FAILURES=1 lists every one)"
    );
}
