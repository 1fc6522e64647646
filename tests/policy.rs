//! The real policy in `policy/`: fidelity to the seed, and the invariants of the diff on it.

use redline::ChangeKind;
use redline::Level;
use redline::document::Document;
use redline::report::{Side, compare_documents};
use redline::rules::Criteria;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn policy_text() -> String {
    std::fs::read_to_string(root().join("policy/privacy.zh-CN.md")).unwrap()
}

fn compare(old: &str, new: &str) -> redline::report::Comparison {
    let criteria = Criteria::load(&root().join("policy/criteria.toml")).unwrap();
    let a = Document::from_bytes("privacy.zh-CN.md", old.as_bytes()).unwrap();
    let b = Document::from_bytes("privacy.zh-CN.md", new.as_bytes()).unwrap();
    compare_documents("privacy", Side::file("old"), Side::file("new"), a, b, &criteria)
}

/// Every non-empty seed line but the two page-chrome lines, trimmed, appears in the Markdown
/// (docs/seed-outline.md: the wording stays byte for byte).
#[test]
fn the_policy_keeps_every_seed_line() {
    let seed_path = root().join("../shared/seeds/000_37642009aff7084c.txt");
    let Ok(seed) = std::fs::read_to_string(&seed_path) else {
        println!("skipped: {} is absent", seed_path.display());
        return;
    };
    let markdown = policy_text();
    let chrome = ["隐私协议", "返回上一页 隐私协议"];
    let mut checked = 0;
    let missing: Vec<&str> = seed
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
        .filter(|l| !l.is_empty() && !chrome.contains(l))
        .inspect(|_| checked += 1)
        .filter(|l| !markdown.contains(l))
        .collect();
    assert!(
        missing.is_empty(),
        "{} seed lines missing, first: {:?}",
        missing.len(),
        missing.first()
    );
    assert!(checked > 300, "checked only {checked} lines");
}

/// The outline's structure: 55 sections with explicit ids, the two tables with their rows.
#[test]
fn the_policy_has_the_outline_structure() {
    let doc = Document::from_bytes("privacy.zh-CN.md", policy_text().as_bytes()).unwrap();
    assert_eq!(doc.section_count(), 55);
    assert!(doc.sections.iter().skip(1).all(|s| s.explicit_id));
    assert_eq!(doc.field("id"), Some("privacy"));
    assert_eq!(doc.field("lang"), Some("zh-CN"));
    let permissions = doc.section("device-permissions").unwrap();
    assert_eq!(permissions.number.as_deref(), Some("3.7"));
    assert_eq!(permissions.tables.len(), 2);
    let keys: Vec<String> =
        permissions.blocks.iter().filter_map(|b| b.row_key().map(|_| b.cells[0].clone())).collect();
    assert_eq!(
        keys,
        ["相机", "位置", "通知", "无线数据", "WLAN", "存储", "麦克风", "BuglySDk", "友盟推送"]
    );
    let contact = doc.section("contact").unwrap();
    assert_eq!(
        doc.section_path(doc.sections.iter().position(|s| s.id == "contact").unwrap()),
        ["隐私权政策", "十二、如何联系我们"]
    );
    assert_eq!(contact.number.as_deref(), Some("十二、"));
}

/// Invariant: a difference in bytes only (blank lines, trailing newline) is editorial with a
/// `formatting_modified` change.
#[test]
fn byte_only_differences_are_formatting() {
    let text = policy_text();
    for variant in
        [format!("{text}\n\n"), text.replace("\n\n", "\n\n\n"), text.trim_end().to_string()]
    {
        let c = compare(&text, &variant);
        assert_eq!(c.report.level, Level::Editorial);
        assert_eq!(c.report.changes.len(), 1);
        assert_eq!(c.report.changes[0].kind, ChangeKind::FormattingModified);
        assert!(c.report.findings.is_empty());
    }
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(compare(&text, &crlf).report.level, Level::None, "line endings aside, identical");
}

/// Invariant: each change's old text comes from the old version and its new text from the new.
#[test]
fn old_and_new_text_come_from_the_right_version() {
    let old = policy_text();
    let new = old
        .replace("2706417145@qq.com", "privacy@huiyunyu.cn")
        .replace("\n3、您通过互联网进行海外互联网电子服务或商品等个人主动行为。\n", "\n")
        .replace("我们的本声明和政策可能变更。", "我们的本声明和政策可能变更。新增一段说明。");
    let c = compare(&old, &new);
    assert!(c.report.changes.len() >= 3);
    for change in &c.diff.changes {
        if let (Some(text), Some(line)) = (&change.old, change.old_line) {
            let source = old.lines().nth(line - 1).unwrap();
            let first = text.lines().next().unwrap();
            assert!(
                source.contains(first.split('<').next().unwrap().trim()),
                "old line {line}: {source:?} vs {first:?}"
            );
        }
        if let (Some(text), Some(line)) = (&change.new, change.new_line) {
            let source = new.lines().nth(line - 1).unwrap();
            let first = text.lines().next().unwrap();
            assert!(
                source.contains(first.split('<').next().unwrap().trim()),
                "new line {line}: {source:?} vs {first:?}"
            );
        }
    }
}

/// Invariant: the same inputs give byte-identical reports in every format.
#[test]
fn output_is_deterministic() {
    let old = policy_text();
    let new = old.replace("| 友盟推送 |", "| 穿山甲广告SDK | 广告 | OAID | 北京巨量引擎网络技术有限公司 | 《穿山甲隐私政策》 |\n| 友盟推送 |");
    let first = compare(&old, &new);
    for _ in 0..3 {
        let again = compare(&old, &new);
        assert_eq!(first.report.to_json(), again.report.to_json());
        assert_eq!(first.to_markdown(), again.to_markdown());
        assert_eq!(first.to_text(false), again.to_text(false));
    }
}

/// An empty file diffs like any other: everything added, or everything removed.
#[test]
fn an_empty_file_is_all_added_or_all_removed() {
    let text = policy_text();
    let added = compare("", &text);
    assert!(
        added
            .diff
            .changes
            .iter()
            .all(|c| c.kind.is_addition() || c.kind == ChangeKind::MetadataModified)
    );
    assert_eq!(added.report.stats.sections_new, 55);
    assert!(added.report.level >= Level::Minor);
    let removed = compare(&text, "");
    assert!(
        removed
            .diff
            .changes
            .iter()
            .all(|c| c.kind.is_removal() || c.kind == ChangeKind::MetadataModified)
    );
    // An empty new version is not a policy: the `degenerate` guard is the only finding, and it
    // blocks publication (its rights vanishing with it is moot).
    let rules: Vec<&str> = removed.report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["degenerate"]);
    assert_eq!(removed.report.level, Level::Major);
    assert!(removed.report.qualifiers.contains(&redline::Qualifier::Block));
}

/// Raw HTML and short table rows are diffed like everything else.
#[test]
fn raw_html_and_short_rows_diff_normally() {
    let old = "# T\n\n<div class=\"x\">我们收集您的姓名。</div>\n\n| a | b | c |\n| - | - | - |\n| k1 | v |\n";
    let new = "# T\n\n<div class=\"x\">我们收集您的姓名和住址。</div>\n\n| a | b | c |\n| - | - | - |\n| k1 | v | w |\n";
    let c = compare(old, new);
    let kinds: Vec<ChangeKind> = c.diff.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::BlockModified, ChangeKind::RowModified]);
    let doc = Document::from_bytes("t.md", old.as_bytes()).unwrap();
    let row = doc.sections[1].blocks.iter().find(|b| b.row_key().is_some()).unwrap();
    assert_eq!(row.cells, ["k1", "v", ""], "short rows are padded to the header's width");
}
