//! Edits of the repository's own policy that its update clause (十一) and the promise not to
//! reduce rights without explicit consent make material, and edits they do not: each judged with
//! `policy/criteria.toml` through the whole pipeline, in Chinese and English.

use redline::Level;
use redline::document::Document;
use redline::report::{Comparison, Side, compare_documents};
use redline::rules::Criteria;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn judge(lang: &str, old: &str, new: &str) -> Comparison {
    let criteria = Criteria::load(&root().join("policy/criteria.toml")).unwrap();
    let text = std::fs::read_to_string(root().join(format!("policy/privacy.{lang}.md"))).unwrap();
    assert_eq!(text.matches(old).count(), 1, "{lang}: the edit's anchor must occur once: {old}");
    let edited = text.replacen(old, new, 1);
    let a = Document::from_bytes("old.md", text.as_bytes()).unwrap();
    let b = Document::from_bytes("new.md", edited.as_bytes()).unwrap();
    compare_documents("edit", Side::file("old.md"), Side::file("new.md"), a, b, &criteria)
}

/// One edit: where, what it replaces, the range of levels a privacy lawyer accepts, and a rule
/// that must be among the findings.
struct Edit {
    name: &'static str,
    lang: &'static str,
    old: &'static str,
    new: &'static str,
    at_least: Level,
    at_most: Level,
    rule: Option<&'static str>,
}

const EDITS: &[Edit] = &[
    Edit {
        name: "health information sent to servers in Singapore (十一 item 3, PIPL art. 38)",
        lang: "zh-CN",
        old: "3、您通过互联网进行海外互联网电子服务或商品等个人主动行为。",
        new: "3、您通过互联网进行海外互联网电子服务或商品等个人主动行为；\n\n4、为实现数据分析，我们会将您的健康信息传输至位于新加坡的服务器。",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("cross-border"),
    },
    Edit {
        name: "the same in English",
        lang: "en",
        old: "3、Where you yourself actively engage in overseas Internet electronic services or goods, etc. via the Internet.",
        new: "3、Where you yourself actively engage in overseas Internet electronic services or goods, etc. via the Internet;\n\n4、To analyse usage, we transfer your health information to servers located in Singapore.",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("cross-border"),
    },
    Edit {
        name: "a ground for deletion removed (the promise not to reduce rights)",
        lang: "zh-CN",
        old: "\n\n5、如果我们永久不再为您提供产品或服务。",
        new: "",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("control-removed"),
    },
    Edit {
        name: "the same in English",
        lang: "en",
        old: "\n\n5、If we permanently cease to provide products or services to you.",
        new: "",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("control-removed"),
    },
    Edit {
        name: "sharing no longer conditioned on explicit consent",
        lang: "zh-CN",
        old: "1、在获取明确同意的情况下共享：获得您的明确同意后，我们会与其他方共享您的个人信息。",
        new: "1、我们会与其他方共享您的个人信息。",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("consent-condition-removed"),
    },
    Edit {
        name: "the same in English",
        lang: "en",
        old: "1、Sharing with explicit consent: after obtaining your explicit consent, we will share your personal information with other parties.",
        new: "1、We will share your personal information with other parties.",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("consent-condition-removed"),
    },
    Edit {
        name: "a new case of collection without consent",
        lang: "zh-CN",
        old: "\n\n11、法律法规规定的其他情形。\n\n如我们停止运营",
        new: "\n\n11、为开展商业推广活动所必需的；\n\n12、法律法规规定的其他情形。\n\n如我们停止运营",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("consent-condition-removed"),
    },
    Edit {
        name: "the same in English",
        lang: "en",
        old: "\n\n11、Other circumstances provided for by laws and regulations.",
        new: "\n\n11、Where necessary for our marketing campaigns;\n\n12、Other circumstances provided for by laws and regulations.",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("consent-condition-removed"),
    },
    Edit {
        name: "a new exception to the sharing promise: pregnancy data to insurers",
        lang: "zh-CN",
        old: "2、我们可能会根据法律法规规定，或按政府主管部门的强制性要求，对外共享您的个人信息。",
        new: "2、我们可能会根据法律法规规定，或按政府主管部门的强制性要求，对外共享您的个人信息。\n\n5、与保险公司共享：为向您推荐保险产品，我们会与保险公司共享您的孕期信息。",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: None,
    },
    Edit {
        name: "a permission that can no longer be switched off, in the table (十一 item 4)",
        lang: "zh-CN",
        old: "| 位置 | 用于基于位置的医院、药店信息的展示和推送 | 通过用户当前位置优化用户搜索等信息展示推荐 | 用户首次打开app会弹出提示 | 是 |",
        new: "| 位置 | 用于基于位置的医院、药店信息的展示和推送 | 通过用户当前位置优化用户搜索等信息展示推荐 | 用户首次打开app会弹出提示 | 否 |",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("control-removed"),
    },
    Edit {
        name: "permissions that can no longer be switched off, in prose",
        lang: "zh-CN",
        old: "您有权随时选择关闭下列权限的授权，但可能会影响",
        new: "部分权限一经授权不可关闭，可能会影响",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("control-removed"),
    },
    Edit {
        name: "the same in English",
        lang: "en",
        old: "You have the right to choose at any time to turn off your authorization for the following permissions, but doing so",
        new: "Some permissions cannot be turned off once granted, and this",
        at_least: Level::Reconsent,
        at_most: Level::Reconsent,
        rule: Some("control-removed"),
    },
    Edit {
        name: "consultation records used for research (十一 item 1: a new purpose)",
        lang: "zh-CN",
        old: "或进行学术研究和调查。",
        new: "或进行学术研究和调查。我们会将您的问诊记录用于科研合作。",
        at_least: Level::Major,
        at_most: Level::Reconsent,
        rule: None,
    },
    Edit {
        name: "a slower answer to access requests",
        lang: "zh-CN",
        old: "15个工作日",
        new: "30个工作日",
        at_least: Level::Major,
        at_most: Level::Reconsent,
        rule: None,
    },
    Edit {
        name: "the promise to stop processing once consent is withdrawn, removed",
        lang: "zh-CN",
        old: "当您收回同意后，我们将不再处理相应的个人信息。",
        new: "",
        at_least: Level::Major,
        at_most: Level::Reconsent,
        rule: Some("promise-removed"),
    },
    Edit {
        name: "the contact e-mail replaced (十一 item 5)",
        lang: "en",
        old: "Contact e-mail: 2706417145@qq.com",
        new: "Contact e-mail: [privacy@huiyunyu.cn](mailto:privacy@huiyunyu.cn)",
        at_least: Level::Major,
        at_most: Level::Major,
        rule: Some("contact-replaced"),
    },
    Edit {
        name: "a word dropped (在要求 → 要求)",
        lang: "zh-CN",
        old: "我们会在要求新的持有",
        new: "我们会要求新的持有",
        at_least: Level::Editorial,
        at_most: Level::Minor,
        rule: None,
    },
    Edit {
        name: "an example widened",
        lang: "zh-CN",
        old: "例如，在您在商城购买我们的产品时",
        new: "例如，在您在商城购买我们的产品或预约服务时",
        at_least: Level::Editorial,
        at_most: Level::Minor,
        rule: None,
    },
];

#[test]
fn edits_of_the_policy_get_the_level_its_update_clause_gives() {
    let mut wrong = Vec::new();
    for e in EDITS {
        let c = judge(e.lang, e.old, e.new);
        let level = c.report.level;
        let has_rule = e.rule.is_none_or(|r| c.report.findings.iter().any(|f| f.rule == r));
        if level < e.at_least || level > e.at_most || !has_rule {
            let findings: Vec<String> = c
                .report
                .findings
                .iter()
                .map(|f| format!("    {} {} {:?}", f.rule, f.level, f.statement))
                .collect();
            wrong.push(format!(
                "{} ({}): {level}, expected {}..{}{}\n{}",
                e.name,
                e.lang,
                e.at_least,
                e.at_most,
                e.rule.map(|r| format!(" with {r}")).unwrap_or_default(),
                findings.join("\n")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} edits misjudged:\n{}",
        wrong.len(),
        EDITS.len(),
        wrong.join("\n")
    );
}
