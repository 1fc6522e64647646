//! The judgement on the inputs that showed it read words, not statements: each case gives what a
//! privacy lawyer says. Cases on the repository's policy run with `policy/criteria.toml`; cases
//! on real histories (`../shared/corpus`) with the built-in profile, and skip, saying so, when
//! the corpus is absent.

mod common;

use common::*;
use redline::Level;
use redline::document::Document;
use redline::model::Direction;
use redline::report::{Comparison, Side, compare_documents};
use redline::rules::Criteria;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent", dir.display());
        None
    }
}

fn repo_criteria() -> Criteria {
    Criteria::load(&root().join("policy/criteria.toml")).unwrap()
}

fn compare_texts(old: &str, new: &str, criteria: &Criteria) -> Comparison {
    let a = Document::from_bytes("old.md", old.as_bytes()).unwrap();
    let b = Document::from_bytes("new.md", new.as_bytes()).unwrap();
    compare_documents("case", Side::file("old.md"), Side::file("new.md"), a, b, criteria)
}

fn compare_files(old: &Path, new: &Path, criteria: &Criteria) -> Comparison {
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    compare_texts(&read(old), &read(new), criteria)
}

fn policy(lang: &str) -> String {
    std::fs::read_to_string(root().join(format!("policy/privacy.{lang}.md"))).unwrap()
}

fn describe(c: &Comparison) -> String {
    c.report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {:?}: {}",
                f.rule,
                f.level,
                f.direction,
                f.statement.as_deref().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first (and only) file of a corpus history whose name starts with `prefix`.
fn version(dir: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("{}: no version {prefix}", dir.display()))
}

#[test]
fn contractions_in_the_english_policy_are_editorial() {
    let old = policy("en");
    let new = old
        .replace("do not", "don't")
        .replace("will not", "won't")
        .replace("does not", "doesn't")
        .replace("cannot", "can't");
    assert_ne!(old, new);
    let c = compare_texts(&old, &new, &repo_criteria());
    assert_eq!(c.report.level, Level::Editorial, "{}", describe(&c));
}

#[test]
fn the_familiar_you_in_the_chinese_policy_needs_no_notice() {
    let old = policy("zh-CN");
    let new = old.replace('您', "你");
    let c = compare_texts(&old, &new, &repo_criteria());
    assert!(c.report.level <= Level::Minor, "{}", describe(&c));
}

#[test]
fn a_new_promise_narrows() {
    let old = policy("en");
    let anchor = "We will not share your personal information with any company";
    assert_eq!(old.matches(anchor).count(), 1);
    let new = old.replacen(
        anchor,
        &format!("We never collect biometric data, and we do not sell your personal information.\n\n{anchor}"),
        1,
    );
    let c = compare_texts(&old, &new, &repo_criteria());
    assert!(c.report.level <= Level::Minor, "{}", describe(&c));
    assert!(c.report.findings.iter().all(|f| f.direction == Direction::Narrow), "{}", describe(&c));
}

#[test]
fn health_data_to_advertisers_in_a_new_sentence_needs_consent() {
    let old = policy("zh-CN");
    let anchor = "我们不会与慧孕育服务提供者以外的任何公司、组织和个人分享您的个人信息";
    assert_eq!(old.matches(anchor).count(), 1);
    let new =
        old.replacen(anchor, &format!("我们会共享您的健康信息给广告合作伙伴。\n\n{anchor}"), 1);
    let c = compare_texts(&old, &new, &repo_criteria());
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
    let f = c.report.findings.iter().find(|f| f.level == Level::Reconsent).unwrap();
    assert_eq!(f.section, "sharing");
    assert_eq!(f.statement.as_deref(), Some("我们会共享您的健康信息给广告合作伙伴。"));
    assert_eq!(f.direction, Direction::Broaden);
}

#[test]
fn data_the_lexicon_does_not_know_is_new_when_the_policy_never_wrote_it() {
    let old = "# Privacy\n\n## Sharing {#sharing}\n\nWe share your e-mail address and your \
               account settings with our mail provider.\n";
    let new = format!("{old}\nWe will share your licence plate number with insurers.\n");
    let c = compare_texts(old, &new, &Criteria::builtin());
    assert!(c.report.level >= Level::Major, "{}", describe(&c));
    let f = c.report.findings.iter().find(|f| f.rule == "new-data-type").unwrap();
    assert!(f.reason.contains("licence plate number"), "{}", f.reason);
    assert_eq!(f.direction, Direction::Broaden);

    // Data the old text already writes, in a new sentence, is no new kind.
    let new = format!("{old}\nWe also use your account settings to show you the app.\n");
    let c = compare_texts(old, &new, &Criteria::builtin());
    assert!(c.report.findings.iter().all(|f| f.rule != "new-data-type"), "{}", describe(&c));
}

#[test]
fn a_postal_address_replaced_is_a_contact_channel_replaced() {
    let policy = |address: &str| {
        format!(
            "# Privacy\n\n## Contact us {{#contact}}\n\nWrite to us with any question:\n\n\
             Example Inc., {address}, Springfield, 12345\n"
        )
    };
    let (old, new) = (policy("1 Market Street"), policy("500 Harbour Boulevard"));
    let c = compare_texts(&old, &new, &Criteria::builtin());
    assert_eq!(c.report.level, Level::Major, "{}", describe(&c));
    let f = c.report.findings.iter().find(|f| f.rule == "contact-replaced").unwrap();
    assert!(f.reason.contains("1 market street → 500 harbour boulevard"), "{}", f.reason);

    let (old, new) = (policy("北京市海淀区中关村大街27号"), policy("上海市浦东新区科技园路8号"));
    let c = compare_texts(&old, &new, &Criteria::builtin());
    assert!(c.report.findings.iter().any(|f| f.rule == "contact-replaced"), "{}", describe(&c));

    // An address removed from one block while a new one of its kind appears in another is
    // replaced.
    let old = "# Privacy\n\n## Contact us {#contact}\n\nWrite to us with any question.\n\n1 Market Street, Springfield\n\nWe answer within 30 days.\n";
    let new = "# Privacy\n\n## Contact us {#contact}\n\nWrite to us with any question.\n\nWe answer within 30 days.\n\nOur office: 500 Harbour Boulevard, Springfield\n";
    let c = compare_texts(old, new, &Criteria::builtin());
    assert!(c.report.findings.iter().any(|f| f.rule == "contact-replaced"), "{}", describe(&c));

    // A street with a direction letter, replaced by a post-office box.
    let (old, new) = (policy("209 S Stephanie Street"), policy("P.O. Box 60989"));
    let c = compare_texts(&old, &new, &Criteria::builtin());
    let f = c.report.findings.iter().find(|f| f.rule == "contact-replaced");
    assert!(f.is_some_and(|f| f.reason.contains("p.o. box 60989")), "{}", describe(&c));

    // European addresses: the house number after the street, or before a street word, then a
    // postcode and a town.
    let eu = |address: &str| {
        format!(
            "# Privacy\n\n## Contact us {{#contact}}\n\nThe controller is Example B.V. \
             ({address}, Netherlands).\n\nWe answer within 30 days.\n"
        )
    };
    for (old, new, quoted) in [
        (
            "Meester Treublaan 7, 1097 DP, Amsterdam",
            "Burgerweeshuispad 101, 1076 ER Amsterdam",
            "treublaan 7, 1097 dp amsterdam → burgerweeshuispad 101, 1076 er amsterdam",
        ),
        (
            "Herengracht 1, 1015 AG Amsterdam",
            "Prinsengracht 263, 1016 AG Amsterdam",
            "herengracht 1, 1015 ag amsterdam → prinsengracht 263, 1016 ag amsterdam",
        ),
        (
            "32 rue Blanche, 75009 Paris",
            "36, avenue Alfred Lefrançois, 59200 Tourcoing",
            "32 rue blanche, 75009 paris → 36 avenue alfred lefrançois, 59200 tourcoing",
        ),
        (
            "32 Rue Blanche, 75009 Paris",
            "5 Avenue Anatole France, 75007 Paris",
            "32 rue blanche, 75009 paris → 5 avenue anatole france, 75007 paris",
        ),
        (
            "Wallstraße 8, D-10179 Berlin",
            "Oranienstrasse 6, 10997 Berlin",
            "wallstrasse 8, 10179 berlin → oranienstrasse 6, 10997 berlin",
        ),
    ] {
        let c = compare_texts(&eu(old), &eu(new), &Criteria::builtin());
        let f = c.report.findings.iter().find(|f| f.rule == "contact-replaced");
        assert!(f.is_some_and(|f| f.reason.contains(quoted)), "{old}: {}", describe(&c));
    }
    // Punctuation, a country prefix, `ß` written `ss` and the words before the street leave the
    // address the same.
    for (old, new) in [
        ("Meester Treublaan 7, 1097 DP, Amsterdam", "Meester Treublaan 7, 1097 DP Amsterdam"),
        (
            "Privacy Team Wallstraße 8, D-10179 Berlin",
            "Data Protection Officer Wallstrasse 8, 10179 Berlin",
        ),
    ] {
        let c = compare_texts(&eu(old), &eu(new), &Criteria::builtin());
        assert!(
            c.report.findings.iter().all(|f| !f.rule.starts_with("contact-")),
            "{}",
            describe(&c)
        );
    }
    // A date is no address: only the date changes, and nothing is replaced.
    let dated = |date: &str| {
        format!(
            "# Privacy\n\n## Contact us {{#contact}}\n\nSince May 25, {date} The team answers within 30 days.\n"
        )
    };
    let c = compare_texts(&dated("2018"), &dated("2019"), &Criteria::builtin());
    assert!(c.report.findings.iter().all(|f| !f.rule.starts_with("contact-")), "{}", describe(&c));
    // Neither is a month before a year and a country code, or a version and an edition.
    for (old, new) in [
        ("Dec 31, 2024 EU", "Dec 31, 2025 EU"),
        ("Version 2, 2024 EU Edition", "Version 3, 2025 EU Edition"),
    ] {
        let note = |t: &str| {
            format!(
                "# Privacy\n\n## Contact us {{#contact}}\n\nLast updated {t} We answer within 30 days.\n"
            )
        };
        let c = compare_texts(&note(old), &note(new), &Criteria::builtin());
        assert!(
            c.report.findings.iter().all(|f| !f.rule.starts_with("contact-")),
            "{}",
            describe(&c)
        );
    }
}

/// A channel removed counts when the policy keeps no channel of its kind: letter writers lose
/// the postal address even when a web form and a phone line remain; an e-mail address dropped
/// while another (here written to hide it from harvesters) remains loses no one.
#[test]
fn a_channel_removed_counts_when_no_channel_of_its_kind_remains() {
    let policy = |post: &str, dpo: &str| {
        format!(
            "# Privacy\n\n## Contact us {{#contact}}\n\nWith any question, use our form at \
             https://example.com/privacy-form or call +1 415 555 0100.\n\n{post}\n\n\
             ## Complaints {{#complaints}}\n\nWrite to privacy [at] example [dot] com.{dpo}\n"
        )
    };
    let full =
        policy("Example Inc., 1 Market Street, Springfield, 12345", " Our DPO: dpo@example.org.");
    let c = compare_texts(&full, &policy("", " Our DPO: dpo@example.org."), &Criteria::builtin());
    assert_eq!(c.report.level, Level::Major, "{}", describe(&c));
    let f = c.report.findings.iter().find(|f| f.rule == "contact-removed").unwrap();
    assert!(f.reason.contains("1 market street"), "{}", f.reason);

    let c = compare_texts(
        &full,
        &policy("Example Inc., 1 Market Street, Springfield, 12345", ""),
        &Criteria::builtin(),
    );
    assert!(c.report.findings.iter().all(|f| f.rule != "contact-removed"), "{}", describe(&c));
    assert!(c.report.level <= Level::Minor, "{}", describe(&c));

    // The hidden address is read as one: replacing it replaces a channel.
    let moved =
        full.replace("privacy [at] example [dot] com", "privacy (at) example-mail (dot) net");
    let c = compare_texts(&full, &moved, &Criteria::builtin());
    let f = c.report.findings.iter().find(|f| f.rule == "contact-replaced").unwrap();
    assert!(f.reason.contains("privacy@example.com → privacy@example-mail.net"), "{}", f.reason);

    // An address the page's e-mail protection hides (`[email protected]`) is still there.
    let old = "# Privacy\n\n## Contact us {#contact}\n\nWrite to our data protection officer at dpo@example.com.\n";
    let new = old.replace("dpo@example.com", "[email\u{a0}protected]");
    let c = compare_texts(old, &new, &Criteria::builtin());
    assert!(c.report.findings.iter().all(|f| f.rule != "contact-removed"), "{}", describe(&c));
}

/// More ordinary data given to an advertiser the policy already feeds is new sharing (major),
/// not new sharing for advertising (re-consent); sensitive data to it still needs consent.
#[test]
fn more_data_to_an_advertiser_already_named_is_new_sharing_not_new_advertising() {
    let old = "# Privacy\n\n## Sharing {#sharing}\n\nWe share your device model with our advertising partners to measure our campaigns.\n";
    let new = old.replace("your device model", "your device model and your IP address");
    let c = compare_texts(old, &new, &Criteria::builtin());
    assert_eq!(c.report.level, Level::Major, "{}", describe(&c));
    assert!(
        c.report.findings.iter().all(|f| !f.rule.starts_with("sharing-for-advertising")),
        "{}",
        describe(&c)
    );
    let new = old.replace("your device model", "your device model and your health data");
    let c = compare_texts(old, &new, &Criteria::builtin());
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
}

#[test]
fn sensitive_information_for_a_purpose_stated_only_for_other_information_is_a_new_purpose() {
    let old = "# 隐私政策\n\n## 使用 {#use}\n\n我们会使用您的设备信息进行学术研究。\n\n我们会使用您的问诊记录为您提供在线问诊服务。\n";
    // Research was a purpose, but not for health information: new for it, and sensitive.
    let new = format!("{old}\n我们会将您的问诊记录用于学术研究。\n");
    let c = compare_texts(old, &new, &Criteria::builtin());
    assert!(c.report.findings.iter().any(|f| f.rule == "new-purpose"), "{}", describe(&c));
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
    // Health information already used for research: nothing new for it.
    let old_with = format!("{old}\n我们会将您的问诊记录用于学术研究，并会事先告知您。\n");
    let c = compare_texts(&old_with, &new, &Criteria::builtin());
    assert!(c.report.findings.iter().all(|f| f.rule != "new-purpose"), "{}", describe(&c));
    // List items re-flowed into one clause put health information beside research, but say
    // nothing the old version did not.
    let old = "# Privacy\n\n## Use {#use}\n\n- We use your health data to provide the service\n- We use your device data for research\n";
    let new = "# Privacy\n\n## Use {#use}\n\n* We use your health data to provide the service * We use your device data for research\n";
    let c = compare_texts(old, new, &Criteria::builtin());
    assert!(c.report.findings.iter().all(|f| f.rule != "new-purpose"), "{}", describe(&c));
}

/// The contact paragraph of a minimal policy, the address written as a link.
fn contact_policy(shown: &str, target: &str) -> String {
    format!(
        "# Privacy policy\n\n## Collection {{#collection}}\n\nWe collect your e-mail address to send you notices.\n\n## Contact us {{#contact}}\n\nIf you have questions, contact us at [{shown}](mailto:{target}).\n"
    )
}

#[test]
fn a_contact_address_inside_a_link_is_contact_data() {
    let builtin = Criteria::builtin();
    let repo = repo_criteria();
    let old = contact_policy("privacy@example.com", "privacy@example.com");
    // Shown text and target changed, or only the target: replaced, major in both profiles.
    for new in [
        contact_policy("dpo@example.org", "dpo@example.org"),
        contact_policy("privacy@example.com", "dpo@example.org"),
    ] {
        for criteria in [&builtin, &repo] {
            let c = compare_texts(&old, &new, criteria);
            assert_eq!(c.report.level, Level::Major, "{}: {}", criteria.name, describe(&c));
            assert!(
                c.report.findings.iter().any(|f| f.rule == "contact-replaced"),
                "{}",
                describe(&c)
            );
        }
    }
    // Removed: major in both.
    let removed = "# Privacy policy\n\n## Collection {#collection}\n\nWe collect your e-mail address to send you notices.\n\n## Contact us {#contact}\n\nIf you have questions, write to us.\n";
    for criteria in [&builtin, &repo] {
        let c = compare_texts(&old, removed, criteria);
        assert_eq!(c.report.level, Level::Major, "{}: {}", criteria.name, describe(&c));
    }
    // A channel added where none existed: minor in the baseline, major under 十一 item 5.
    let c = compare_texts(removed, &old, &builtin);
    assert_eq!(c.report.level, Level::Minor, "{}", describe(&c));
    let c = compare_texts(removed, &old, &repo);
    assert_eq!(c.report.level, Level::Major, "{}", describe(&c));
}

#[test]
fn the_real_policy_contact_mail_in_a_link_changed() {
    let old = policy("zh-CN");
    let address = "2706417145@qq.com";
    assert!(old.contains(address));
    let linked = old.replacen(address, &format!("[{address}](mailto:{address})"), 1);
    let retargeted = old.replacen(address, &format!("[{address}](mailto:privacy@huiyunyu.cn)"), 1);
    let c = compare_texts(&linked, &retargeted, &repo_criteria());
    assert_eq!(c.report.level, Level::Major, "{}", describe(&c));
}

#[test]
fn a_policy_that_switched_language_gets_one_finding() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("ota/telegram");
    let c = compare_files(&version(&dir, "007_"), &version(&dir, "008_"), &Criteria::builtin());
    assert_eq!(c.report.findings.len(), 1, "{}", describe(&c));
    let f = &c.report.findings[0];
    assert_eq!((f.rule.as_str(), f.level), ("language-changed", Level::Major));
    assert!(f.qualifiers.contains(&redline::Qualifier::Review));
    assert!(f.reason.contains("English") && f.reason.contains("German"), "{}", f.reason);
}

#[test]
fn apples_two_broadenings_are_found_and_its_new_promise_is_not() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("ota/apple");
    let c = compare_files(&version(&dir, "011_"), &version(&dir, "012_"), &Criteria::builtin());
    assert!(c.report.level >= Level::Major, "{}", describe(&c));
    let quotes = |needle: &str| {
        c.report.findings.iter().any(|f| {
            f.level >= Level::Major
                && [f.statement.as_deref(), f.old.as_deref(), f.new.as_deref()]
                    .into_iter()
                    .flatten()
                    .any(|t| t.contains(needle))
        })
    };
    assert!(quotes("region-specific services"), "precise location: {}", describe(&c));
    assert!(quotes("for their own purposes"), "service providers: {}", describe(&c));
    let cpra = "does not use or disclose sensitive personal data";
    assert!(
        !c.report
            .findings
            .iter()
            .any(|f| f.level >= Level::Major
                && f.statement.as_deref().is_some_and(|s| s.contains(cpra))),
        "{}",
        describe(&c)
    );
}

#[test]
fn rights_merged_into_one_paragraph_are_not_removed() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("site-policy/privacy-statement");
    let c = compare_files(&version(&dir, "038_"), &version(&dir, "039_"), &Criteria::builtin());
    assert!(c.report.level <= Level::Minor, "{}", describe(&c));
}

#[test]
fn a_policy_against_its_decomposed_form_is_editorial() {
    let Some(corpus) = corpus() else { return };
    use unicode_normalization::UnicodeNormalization;
    let path = version(&corpus.join("ota/vertbaudet"), "043_");
    let text = std::fs::read_to_string(&path).unwrap();
    let nfd: String = text.nfd().collect();
    assert_ne!(text, nfd);
    let c = compare_texts(&text, &nfd, &Criteria::builtin());
    assert_eq!(c.report.level, Level::Editorial, "{}", describe(&c));
}

#[test]
fn a_new_date_line_above_an_unchanged_text_is_editorial() {
    let body = "\n\n# Privacy policy\n\nWe collect your e-mail address to send you notices. We never sell it.\n";
    for (old, new) in [
        ("Last updated: 11/26/2020", "Last updated: 11/03/2022"),
        ("Dernière mise à jour : 01 novembre 2024", "Dernière mise à jour : 03 décembre 2025"),
        ("Stand: 1. Januar 2024", "Stand: 15. März 2025"),
    ] {
        let c =
            compare_texts(&format!("{old}{body}"), &format!("{new}{body}"), &Criteria::builtin());
        assert_eq!(c.report.level, Level::Editorial, "{old} → {new}: {}", describe(&c));
    }
}

#[test]
fn an_error_page_is_degenerate() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("ota/snapchat");
    let c = compare_files(&version(&dir, "015_"), &version(&dir, "016_"), &Criteria::builtin());
    assert_eq!(c.report.findings.len(), 1, "{}", describe(&c));
    let f = &c.report.findings[0];
    assert_eq!((f.rule.as_str(), f.level), ("degenerate", Level::Major));
    assert!(f.qualifiers.contains(&redline::Qualifier::Review));
    assert!(f.qualifiers.contains(&redline::Qualifier::Block));
}

#[test]
fn a_rewrite_of_normal_length_is_never_degenerate() {
    let old = policy("en");
    let new: String = old.lines().rev().collect::<Vec<_>>().join("\n");
    let c = compare_texts(&old, &new, &Criteria::builtin());
    assert!(!c.report.findings.iter().any(|f| f.rule == "degenerate"), "{}", describe(&c));
}

#[test]
fn a_change_undone_asks_nothing_of_who_accepted_the_original() {
    let repo = TestRepo::new();
    let original = repo.read("policy/privacy.zh-CN.md");
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    repo.commit_all("SDK", "2026-12-01T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-01"]);
    repo.drop_note();
    repo.commit_all("Release 2.0.0", "2026-12-01T12:00:00+08:00");
    repo.write("policy/privacy.zh-CN.md", &original);
    repo.commit_all("Undo the SDK", "2026-12-10T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-10"]);
    repo.commit_all("Release 3.0.0", "2026-12-10T12:00:00+08:00");
    let answer: serde_json::Value = serde_json::from_str(&repo.ok(&[
        "consent",
        "--accepted",
        "1.0.0",
        "--format",
        "json",
        "--as-of",
        "2026-12-20",
    ]))
    .unwrap();
    assert_eq!(answer["decision"], "none", "{answer}");
    assert_eq!(answer["chain_level"], "reconsent", "{answer}");
    assert!(repo.ok(&["log", "--as-of", "2026-12-20"]).contains("same as 1.0.0"));
    // The manifest says the same for every version.
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    repo.ok(&[
        "build",
        "--base-url",
        "https://example.com/policy/",
        "--as-of",
        "2026-12-20",
        "--out",
        site.to_str().unwrap(),
    ]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("consent.json")).unwrap()).unwrap();
    let doc = &manifest["documents"]["privacy"];
    let versions: Vec<String> = doc["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(versions.len(), 3, "{doc}");
    for v in &versions {
        let answer: serde_json::Value = serde_json::from_str(&repo.ok(&[
            "consent",
            "--accepted",
            v,
            "--format",
            "json",
            "--as-of",
            "2026-12-20",
        ]))
        .unwrap();
        assert_eq!(doc["decisions"][v.as_str()], answer["decision"], "{v}");
    }
    assert_eq!(doc["decisions"][versions[1].as_str()], "none");
    assert_eq!(doc["versions"][2]["same_as"], "1.0.0");
}

/// The real policy in both languages against its formatting-only variants, through the whole
/// pipeline (parse, align, diff, statements, rules): CRLF line endings, paragraphs re-wrapped
/// (a soft line break after every sentence), NFD, and punctuation swapped between full and half
/// width. None of them changes what the policy says.
#[test]
fn formatting_only_variants_of_the_policy_are_at_most_editorial() {
    use unicode_normalization::UnicodeNormalization;
    let widths = [('，', ','), ('；', ';'), ('：', ':'), ('（', '('), ('）', ')'), ('！', '!')];
    for lang in ["zh-CN", "en"] {
        let text = policy(lang);
        let rewrapped: String = text
            .lines()
            .map(|l| {
                let plain = !l.starts_with(['#', '|', '+', '<', '-', '*', ' ']) && !l.is_empty();
                if plain { l.replace("。", "。\n").replace(". ", ".\n") } else { l.to_string() }
            })
            .map(|l| l.trim_end_matches('\n').to_string())
            .collect::<Vec<_>>()
            .join("\n");
        let swapped: String = text
            .chars()
            .map(|c| {
                widths
                    .iter()
                    .find_map(|&(full, half)| {
                        if c == full {
                            Some(half)
                        } else if c == half {
                            Some(full)
                        } else {
                            None
                        }
                    })
                    .unwrap_or(c)
            })
            .collect();
        let variants = [
            ("CRLF", text.replace('\n', "\r\n")),
            ("re-wrapped", rewrapped),
            ("NFD", text.nfd().collect::<String>()),
            ("punctuation width", swapped),
        ];
        assert_eq!(compare_texts(&text, &text, &repo_criteria()).report.level, Level::None);
        // Chinese text has nothing NFD decomposes; every other variant differs in bytes.
        let differing = variants.iter().filter(|(_, v)| *v != text).count();
        assert!(differing >= 3, "{lang}: only {differing} variants differ from the text");
        for (name, variant) in variants {
            let c = compare_texts(&text, &variant, &repo_criteria());
            assert!(c.report.level <= Level::Editorial, "{lang} {name}: {}", describe(&c));
        }
    }
}

/// A short French policy: the clause under test after four that stay as they are.
fn french_policy(clause: &str) -> String {
    format!(
        "# Politique de confidentialité\n\n## Données collectées\n\nNous collectons votre adresse e-mail lorsque vous créez un compte.\n\nNous conservons vos commandes pendant la durée de votre compte.\n\n## Partage\n\nNous transmettons votre adresse postale à nos transporteurs pour la livraison.\n\nVous pouvez retirer votre consentement à tout moment.\n\n{clause}\n"
    )
}

/// A short German policy, as [`french_policy`].
fn german_policy(clause: &str) -> String {
    format!(
        "# Datenschutzerklärung\n\n## Welche Daten wir erheben\n\nWir erheben deine E-Mail-Adresse, wenn du ein Konto erstellst.\n\nWir speichern deine Bestelldaten, solange dein Konto besteht.\n\n## Weitergabe\n\nWir geben deine Anschrift an Versanddienstleister weiter, damit deine Bestellung zugestellt wird.\n\nDu kannst deine Einwilligung jederzeit widerrufen.\n\n{clause}\n"
    )
}

#[test]
fn french_a_promise_not_to_share_health_data_turned_into_sharing_needs_consent() {
    let old = french_policy(
        "Nous ne partageons jamais vos données de santé avec des partenaires publicitaires.",
    );
    let new = french_policy(
        "Nous pouvons partager vos données de santé avec des partenaires publicitaires.",
    );
    let c = compare_texts(&old, &new, &Criteria::builtin());
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
    assert!(
        c.report
            .findings
            .iter()
            .any(|f| f.level == Level::Reconsent && f.direction == Direction::Broaden),
        "{}",
        describe(&c)
    );
}

#[test]
fn french_a_consent_condition_removed_needs_consent_and_a_new_promise_narrows() {
    let with =
        "Avec votre consentement, nous partageons votre numéro de téléphone avec nos partenaires.";
    let without = "Nous partageons votre numéro de téléphone avec nos partenaires.";
    let c = compare_texts(&french_policy(with), &french_policy(without), &Criteria::builtin());
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
    assert!(
        c.report.findings.iter().any(|f| f.rule == "consent-condition-removed"),
        "{}",
        describe(&c)
    );
    // The way back adds the condition: it narrows.
    let c = compare_texts(&french_policy(without), &french_policy(with), &Criteria::builtin());
    assert_eq!(c.report.level, Level::Minor, "{}", describe(&c));
    assert!(c.report.findings.iter().all(|f| f.direction == Direction::Narrow), "{}", describe(&c));
    // A promise added: minor, narrowing.
    let c = compare_texts(
        &french_policy(without),
        &french_policy(&format!("{without}\n\nNous ne vendons jamais vos données personnelles.")),
        &Criteria::builtin(),
    );
    assert_eq!(c.report.level, Level::Minor, "{}", describe(&c));
    assert!(c.report.findings.iter().all(|f| f.direction == Direction::Narrow), "{}", describe(&c));
}

#[test]
fn german_advertising_based_on_subscriptions_is_new_profiling() {
    let old = german_policy("Wir verwenden deine Daten nicht, um dir Werbeanzeigen anzuzeigen.");
    let new = german_policy(
        "Wir verwenden deine Daten nicht, um dir Werbeanzeigen anzuzeigen.\n\nNutzern kann außerdem Werbung auf Grundlage der von ihnen abonnierten Kanäle angezeigt werden.",
    );
    let c = compare_texts(&old, &new, &Criteria::builtin());
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
    assert!(c.report.findings.iter().any(|f| f.rule == "profiling"), "{}", describe(&c));
}

#[test]
fn german_sharing_turned_into_a_promise_narrows_and_data_abroad_needs_consent() {
    let shares = "Wir geben deine Telefonnummer an Werbepartner weiter.";
    let promises = "Wir geben deine Telefonnummer nicht an Werbepartner weiter.";
    let c = compare_texts(&german_policy(shares), &german_policy(promises), &Criteria::builtin());
    assert!(c.report.level <= Level::Minor, "{}", describe(&c));
    assert!(c.report.findings.iter().all(|f| f.direction == Direction::Narrow), "{}", describe(&c));
    // The other way round: a promise not to share now says it happens.
    let c = compare_texts(&german_policy(promises), &german_policy(shares), &Criteria::builtin());
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
    // Storage moved outside the EU.
    let c = compare_texts(
        &german_policy("Wir speichern deine personenbezogenen Daten in Deutschland."),
        &german_policy("Wir speichern deine personenbezogenen Daten außerhalb der EU."),
        &Criteria::builtin(),
    );
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
    assert!(c.report.findings.iter().any(|f| f.rule == "cross-border"), "{}", describe(&c));
}

#[test]
fn telegrams_german_ads_by_subscribed_channels_need_consent() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("ota/telegram");
    let c = compare_files(&version(&dir, "017_"), &version(&dir, "018_"), &Criteria::builtin());
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
    assert!(
        c.report.findings.iter().any(|f| f.rule == "profiling"
            && f.statement.as_deref().is_some_and(|s| s.contains("abonnierten Kanäle"))),
        "{}",
        describe(&c)
    );
}

/// Information kept in or sent to a country the policy never named is a new destination
/// (major), in English, French and Chinese; a country it stays out of, a law named after a
/// region, and the users who live there are not destinations, and a policy that already said
/// it sends information abroad only specifies that transfer when it names the country.
#[test]
fn a_country_where_data_is_kept_that_the_policy_never_named_is_a_new_destination() {
    let doc = |body: &str| format!("# Privacy\n\n## Storage {{#storage}}\n\n{body}\n");
    let destination = |old: &str, new: &str| {
        let c = compare_texts(&doc(old), &doc(new), &Criteria::builtin());
        let found = c.report.findings.iter().find(|f| f.rule == "new-destination").cloned();
        (c, found)
    };

    let (c, f) = destination(
        "We store your account data on servers in Germany.",
        "We store your account data on servers in the United States.",
    );
    assert_eq!(c.report.level, Level::Major, "{}", describe(&c));
    assert!(f.unwrap().reason.contains("(united states)"), "{}", describe(&c));

    let (c, f) = destination(
        "Vos données sont stockées sur des serveurs situés en France.",
        "Vos données sont stockées sur des serveurs situés dans l'Union européenne.",
    );
    assert!(f.is_some(), "{}", describe(&c));
    assert_eq!(c.report.level, Level::Major, "{}", describe(&c));

    let (c, f) = destination(
        "我们将您的个人信息存储在德国的服务器上。",
        "我们将您的个人信息存储在日本的服务器上。",
    );
    // Japan is abroad for a Chinese policy; Germany already was: a new destination abroad.
    assert!(f.is_some(), "{}", describe(&c));
    assert!(c.report.level >= Level::Major, "{}", describe(&c));

    // Not destinations: a list of places the data stays out of, a law, people.
    for new in [
        "We store your account data on servers in Germany and never transfer it outside the EEA, the United Kingdom or Switzerland.",
        "We store your account data on servers in Germany, as Regulation (EU) 2016/679 requires.",
        "We store your account data on servers in Germany, also for users in the United Kingdom.",
    ] {
        let (c, f) = destination("We store your account data on servers in Germany.", new);
        assert!(f.is_none(), "{new}: {}", describe(&c));
        assert!(c.report.level <= Level::Minor, "{new}: {}", describe(&c));
    }

    // Naming the country of a transfer abroad the policy already stated specifies it.
    let (c, f) = destination(
        "We may transfer your account data to service providers in other countries.",
        "We may transfer your account data to service providers in the United States.",
    );
    assert!(f.is_none(), "{}", describe(&c));
}

/// The verb `address` names no postal address, and a contact link that gives way to a template
/// placeholder (filled in when the policy is published) is not a channel removed: GitHub
/// labelled both edits of its community guidelines not material.
#[test]
fn the_verb_address_and_a_template_placeholder_are_no_data_and_no_channel_removed() {
    let doc = |body: &str| {
        format!(
            "# Guidelines\n\n## Conduct {{#conduct}}\n\nBe welcoming to people of every \
             background.\n\n{body}\n\nKeep discussions on topic and productive.\n"
        )
    };
    let c = compare_texts(
        &doc("Try to approach conflict with good faith."),
        &doc(
            "If you disagree with someone, try to understand and share their feelings before you address them.",
        ),
        &Criteria::builtin(),
    );
    assert!(c.report.findings.iter().all(|f| f.rule != "new-data-type"), "{}", describe(&c));
    // The noun is still data.
    let c = compare_texts(
        &doc("We share your name with our delivery partners."),
        &doc("We share your name and the address you gave us with our delivery partners."),
        &Criteria::builtin(),
    );
    assert!(c.report.level >= Level::Major, "{}", describe(&c));

    let old = doc(
        "You can always contact us to [Report Abuse](https://github.com/contact/report-abuse).",
    );
    let new = doc("You can always contact us to {{ site.data.variables.contact.report_abuse }}.");
    let c = compare_texts(&old, &new, &Criteria::builtin());
    assert!(c.report.findings.iter().all(|f| f.rule != "contact-removed"), "{}", describe(&c));
    // Without a placeholder the same link removed is a channel removed.
    let c = compare_texts(&old, &doc("You can always contact us."), &Criteria::builtin());
    assert!(c.report.findings.iter().any(|f| f.rule == "contact-removed"), "{}", describe(&c));
}

#[test]
fn a_reason_names_the_sensitive_information_as_the_policy_words_it() {
    let old = "# 隐私政策\n\n## 位置\n\n为向您提供天气服务，我们会收集您的精确地理位置。\n\n我们会收集您的设备信息用于导航服务。\n";
    let new = "# 隐私政策\n\n## 位置\n\n为向您提供天气服务，我们会收集您的精确地理位置。\n\n我们会收集您的设备信息用于导航服务。\n\n我们会将您的精确地理位置用于向您推送广告。\n";
    let c = compare_texts(old, new, &Criteria::builtin());
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));
    let reasons: Vec<&str> = c
        .report
        .findings
        .iter()
        .flat_map(|f| f.reasons.values().map(String::as_str).chain([f.reason.as_str()]))
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("精确地理位置")),
        "no reason names the information as written: {reasons:?}"
    );
    assert!(!reasons.iter().any(|r| r.contains("precise_location")), "{reasons:?}");
}

#[test]
fn a_document_that_gains_headings_moves_nothing_into_sharing() {
    // The old text wrote its section titles as plain paragraphs; the new one makes them
    // headings. The sharing paragraph sits under the same visible title in both.
    let old = "# Privacy Policy\n\nWhat Information Do We Collect?\n\nWe collect your e-mail address to create your account.\n\nDisclosures of Your Information\n\nWe disclose your e-mail address to service providers who host our website.\n";
    let new = "# Privacy Policy\n\n## What Information Do We Collect?\n\nWe collect your e-mail address to create your account.\n\n## Disclosures of Your Information\n\nWe disclose your e-mail address to service providers who host our website.\n";
    let c = compare_texts(old, new, &Criteria::builtin());
    assert!(c.report.findings.iter().all(|f| f.rule != "moved-into-sharing"), "{}", describe(&c));
    // A paragraph that really moves under a sharing heading still counts.
    let common = "## Security\n\nWe protect your information with encryption in transit and at rest.\n\n## Your rights\n\nYou can access, correct and delete your information in the app settings.\n\n## Contact\n\nWrite to our privacy team if you have questions about this policy.\n";
    let old = format!(
        "# Privacy Policy\n\n## How we use information\n\nWe use your information to run the service and keep it secure.\n\nWe use your e-mail address to send you receipts.\n\n## Sharing\n\nWe share your information with payment processors.\n\n{common}"
    );
    let new = format!(
        "# Privacy Policy\n\n## How we use information\n\nWe use your information to run the service and keep it secure.\n\n## Sharing\n\nWe share your information with payment processors.\n\nWe use your e-mail address to send you receipts.\n\n{common}"
    );
    let c = compare_texts(&old, &new, &Criteria::builtin());
    assert!(c.report.findings.iter().any(|f| f.rule == "moved-into-sharing"), "{}", describe(&c));
}

#[test]
fn a_list_that_was_already_open_is_not_opened() {
    let builtin = Criteria::builtin();
    // `Example:` and `or other similar identifiers` already left the list open.
    let c = compare_texts(
        "# Policy\n\nExample: A real name, postal address, email address, account name, or other similar identifiers.\n",
        "# Policy\n\nThis includes items such as a real name, postal address, email address, account name, or other similar identifiers.\n",
        &builtin,
    );
    assert!(c.report.findings.iter().all(|f| f.rule != "list-opened"), "{}", describe(&c));
    // A closed list that gains `such as` is opened.
    let c = compare_texts(
        "# Policy\n\nWe collect your name and email address to create your account.\n",
        "# Policy\n\nWe collect information such as your name and email address to create your account.\n",
        &builtin,
    );
    assert!(c.report.findings.iter().any(|f| f.rule == "list-opened"), "{}", describe(&c));
}

/// A table of purposes whose cells hold paragraphs (examples of processing after `<br>`) is
/// read sentence by sentence: a new example that shares information with a new kind of
/// recipient is a new recipient, even though another example of the row makes a promise.
#[test]
fn a_row_of_paragraphs_is_read_sentence_by_sentence() {
    let policy = |extra: &str| {
        format!(
            "# Privacy\n\n## Legal bases {{#legal-bases}}\n\n\
             | Why we process data | What data | Legal grounds |\n| --- | --- | --- |\n\
             | **To protect our users**<br><br>Examples:<br><br>* We analyse IP addresses to stop spam.<br>\
             * We do not sell the data we use for this.{extra} | IP addresses, cookie data | Legitimate interests |\n"
        )
    };
    let old = policy("");
    let new = policy("<br>* Certain laws require us to share information with researchers.");
    let c = compare_texts(&old, &new, &Criteria::builtin());
    assert_eq!(c.report.level, Level::Major, "{}", describe(&c));
    let f = c.report.findings.iter().find(|f| f.rule == "new-recipient").unwrap();
    assert!(f.reason.contains("researchers"), "{}", f.reason);
    assert_eq!(f.direction, Direction::Broaden);

    // A line added to a short cell leaves the row one record, and a row read sentence by
    // sentence keeps the consent its legal-basis cell states.
    let consent = |first: &str| {
        format!(
            "# Privacy\n\n## Legal bases {{#legal-bases}}\n\n| Why | What data | Legal basis |\n\
             | --- | --- | --- |\n| {first} | Email address | Your consent |\n"
        )
    };
    let share = "We share your email address with our advertising partners to send you offers";
    for added in ["<br>We send them once a week.", "<br>Examples:<br>* We send them once a week."] {
        let c = compare_texts(
            &consent(share),
            &consent(&format!("{share}{added}")),
            &Criteria::builtin(),
        );
        assert!(
            c.report.findings.iter().all(|f| f.rule != "consent-condition-removed"),
            "{added}: {}",
            describe(&c)
        );
    }
}

/// Consent and the law are separate conditions: dropping consent asks for consent again even
/// where the policy also states the practice as the law requires; dropping "as required by
/// law" is a legal limit removed, unless the limit still holds (in a clause of its own, or
/// because the information is anonymised); what the user chooses to disclose removes no
/// condition, but a passive sentence about sharing does.
#[test]
fn consent_and_legal_limits_are_removed_separately() {
    let builtin = Criteria::builtin();
    let policy = |body: &str| format!("# Privacy\n\n## Sharing {{#sharing}}\n\n{body}\n");
    let consented = "With your consent, we share your contacts with advertisers.";

    // Consent dropped beside a twin "where required by law": still re-consent.
    let old = policy(&format!(
        "{consented}\n\nWe share your contacts with advertisers where required by law."
    ));
    let new = format!("{old}\nWe share your contacts with advertisers.\n");
    let c = compare_texts(&old, &new, &builtin);
    assert!(
        c.report.findings.iter().any(|f| f.rule == "consent-condition-removed"),
        "{}",
        describe(&c)
    );

    // A passive sentence states our practice, whoever it mentions first.
    let old = policy(consented);
    let new = format!("{old}\nWhen you use the app, your contacts are shared with advertisers.\n");
    let c = compare_texts(&old, &new, &builtin);
    assert_eq!(c.report.level, Level::Reconsent, "{}", describe(&c));

    // What the user chooses to disclose in public needs no consent of theirs.
    let old = policy("We disclose your account data to public authorities as required by law.");
    let new = format!(
        "{old}\nYou should exercise caution if you choose to disclose personal information in a \
         public area.\n"
    );
    let c = compare_texts(&old, &new, &builtin);
    assert!(
        c.report
            .findings
            .iter()
            .all(|f| f.rule != "consent-condition-removed" && f.rule != "legal-limit-removed"),
        "{}",
        describe(&c)
    );

    // The limit still holds: in a clause of its own, or for anonymised information.
    let limited = "We share your email address with public authorities as required by law.";
    for edited in [
        "We share your email address with public authorities. We do so only as required by law.",
        "We share your email address with public authorities in anonymised form.",
    ] {
        let c = compare_texts(&policy(limited), &policy(edited), &builtin);
        assert!(
            c.report.findings.iter().all(|f| f.rule != "legal-limit-removed"),
            "{edited}: {}",
            describe(&c)
        );
    }
    // Without it, the limit is removed.
    let c = compare_texts(
        &policy(limited),
        &policy("We share your email address with public authorities."),
        &builtin,
    );
    assert!(c.report.findings.iter().any(|f| f.rule == "legal-limit-removed"), "{}", describe(&c));
}
