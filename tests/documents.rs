//! Several documents, translations, `map` and `init` from the command line: a two-document
//! repository with a linked SDK list, a section moving between documents, translation staleness
//! across a rename and a move (git history with fixed dates), `init` output passing `lint` and
//! `check`, and `map` on the real policy.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn redline(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("redline").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = redline(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let (code, stdout, stderr) = run(dir, args);
    assert!(code == 0 || code == 1, "{args:?}: exit {code}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

use common::git_in as git;

/// Commits everything with a date on day `day` of January 2026.
fn commit(dir: &Path, message: &str, day: u32) {
    let date = format!("2026-01-{day:02}T00:00:00Z");
    git(dir, &["add", "-A"], &date);
    git(dir, &["commit", "-q", "-m", message], &date);
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const PRIVACY: &str = "+++\nid = \"privacy\"\ntitle = \"隐私政策\"\nlang = \"zh-CN\"\n+++\n\n## 一、我们如何收集您的个人信息 {#collection}\n\n我们收集您的手机号码，用于注册。\n\n## 二、第三方SDK {#third-parties}\n\n我们接入的第三方SDK见《第三方SDK目录》。\n\n## 三、如何联系我们 {#contact}\n\n示例科技有限公司，邮箱 privacy@example.com。\n";
const SDK: &str = "+++\nid = \"sdk\"\ntitle = \"第三方SDK目录\"\nlang = \"zh-CN\"\n+++\n\n## 第三方SDK目录 {#sdks}\n\n| 第三方SDK | 使用目的 | 收集的信息 | 公司名称 |\n| --- | --- | --- | --- |\n| 推送SDK | 发送通知 | 设备标识符 | 示例推送有限公司 |\n";

/// A repository with a privacy policy that links an SDK list, committed on 2026-01-01.
fn two_documents() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policy/policy.toml",
        "timezone = \"Asia/Shanghai\"\n\n[[documents]]\nid = \"privacy\"\ntitle = \"隐私政策\"\nsource_language = \"zh-CN\"\nlinks = [\"sdk\"]\n\n[[documents]]\nid = \"sdk\"\ntitle = \"第三方SDK目录\"\nsource_language = \"zh-CN\"\n[documents.lint]\ndisclosures = []\n",
    );
    write(dir.path(), "policy/privacy.zh-CN.md", PRIVACY);
    write(dir.path(), "policy/sdk.zh-CN.md", SDK);
    git(dir.path(), &["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
    commit(dir.path(), "policy and SDK list", 1);
    dir
}

#[test]
fn a_change_of_the_linked_sdk_list_is_reported_with_the_policy() {
    let dir = two_documents();
    let sdk2 = SDK.replace(
        "| 推送SDK | 发送通知 | 设备标识符 | 示例推送有限公司 |\n",
        "| 推送SDK | 发送通知 | 设备标识符 | 示例推送有限公司 |\n| 广告SDK | 个性化广告 | 设备标识符 | 示例广告有限公司 |\n",
    );
    write(dir.path(), "policy/sdk.zh-CN.md", &sdk2);
    let privacy = json(dir.path(), &["check", "--document", "privacy", "--format", "json"]);
    assert_eq!(privacy["document"], "privacy");
    assert_eq!(privacy["level"], "reconsent");
    let row = privacy["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["change"] == "row_added")
        .unwrap();
    assert_eq!(row["section"], "sdk/sdks");
    assert_eq!(row["rule"], "new-sdk-ads");
    assert_eq!(row["location"]["path"], "policy/sdk.zh-CN.md");
    assert_eq!(row["location"]["line"], 12);
    assert_eq!(row["section_path"], serde_json::json!(["第三方SDK目录", "第三方SDK目录"]));
    // The SDK list's own report has the same change, and --all gives both, in order.
    let all = json(dir.path(), &["check", "--all", "--format", "json"]);
    let docs: Vec<&str> =
        all.as_array().unwrap().iter().map(|r| r["document"].as_str().unwrap()).collect();
    assert_eq!(docs, vec!["privacy", "sdk"]);
    assert_eq!(all[1]["level"], "reconsent");
    assert_eq!(all[1]["findings"][0]["section"], "sdks");
    // --fail-on applies to the highest of the reports.
    let (code, _, _) = run(dir.path(), &["check", "--all", "--fail-on", "major"]);
    assert_eq!(code, 1);
}

#[test]
fn a_section_moving_between_documents_is_reported_as_a_move() {
    let dir = two_documents();
    let section =
        "## 二、第三方SDK {#third-parties}\n\n我们接入的第三方SDK见《第三方SDK目录》。\n\n";
    write(
        dir.path(),
        "policy/privacy.zh-CN.md",
        &PRIVACY.replace(section, "").replace("三、如何联系我们", "二、如何联系我们"),
    );
    write(dir.path(), "policy/sdk.zh-CN.md", &format!("{SDK}\n{}", section.trim_end()));
    let privacy = json(dir.path(), &["check", "--document", "privacy", "--format", "json"]);
    let kinds: Vec<(&str, &str)> = privacy["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["section"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert!(kinds.contains(&("sdk/third-parties", "section_moved")), "{kinds:?}");
    assert!(
        !kinds.iter().any(|(_, k)| *k == "section_removed" || *k == "block_removed"),
        "{kinds:?}"
    );
    assert!(
        privacy["notices"].as_array().unwrap().iter().any(|n| n
            == "section `third-parties` moved from document `privacy` to document `sdk` (text unchanged)"),
        "{}",
        privacy["notices"]
    );
    // The SDK list does not link the policy: in its own report the section is new, and --all
    // says where it came from.
    let all = json(dir.path(), &["check", "--all", "--format", "json"]);
    let notice = "section `third-parties` moved from document `privacy` (line 11) to document `sdk` as `third-parties` (line 13), text unchanged";
    assert!(
        all[1]["notices"].as_array().unwrap().iter().any(|n| n == notice),
        "{}",
        all[1]["notices"]
    );
}

#[test]
fn sections_moving_between_unlinked_documents_are_paired() {
    let dir = two_documents();
    let toml = std::fs::read_to_string(dir.path().join("policy/policy.toml")).unwrap();
    write(dir.path(), "policy/policy.toml", &toml.replace("links = [\"sdk\"]\n", ""));
    let section =
        "## 三、如何联系我们 {#contact}\n\n示例科技有限公司，邮箱 privacy@example.com。\n";
    write(dir.path(), "policy/privacy.zh-CN.md", &PRIVACY.replace(section, ""));
    write(
        dir.path(),
        "policy/sdk.zh-CN.md",
        &format!(
            "{SDK}\n## 联系我们 {{#contact-us}}\n\n示例科技有限公司，邮箱 privacy@example.com。\n"
        ),
    );
    let all = json(dir.path(), &["check", "--all", "--format", "json"]);
    let notice = "section `contact` moved from document `privacy` (line 15) to document `sdk` as `contact-us` (line 13)";
    for report in all.as_array().unwrap() {
        assert!(
            report["notices"].as_array().unwrap().iter().any(|n| n == notice),
            "{}",
            report["notices"]
        );
    }
    // For privacy's readers the section is gone: its removal is still classified.
    assert_eq!(all[0]["level"], "major");
}

#[test]
fn lint_all_covers_every_document() {
    let dir = two_documents();
    let v = json(dir.path(), &["lint", "--all", "--format", "json"]);
    assert_eq!(v["files"], serde_json::json!(["policy/privacy.zh-CN.md", "policy/sdk.zh-CN.md"]));
    assert_eq!(v["errors"], 0, "{}", v["diagnostics"]);
    let (code, _, stderr) = run(dir.path(), &["lint", "--document", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(stderr, "error: unknown document `nope`; policy/policy.toml lists privacy, sdk\n");
}

#[test]
fn a_link_to_an_unknown_document_is_bad_configuration() {
    let dir = two_documents();
    let toml = std::fs::read_to_string(dir.path().join("policy/policy.toml")).unwrap();
    write(
        dir.path(),
        "policy/policy.toml",
        &toml.replace("links = [\"sdk\"]", "links = [\"sdks\"]"),
    );
    let toml = std::fs::read_to_string(dir.path().join("policy/policy.toml")).unwrap();
    let line = toml.lines().position(|l| l.contains("\"sdks\"")).unwrap() + 1;
    let col = toml.lines().nth(line - 1).unwrap().find("\"sdks\"").unwrap() + 1;
    let (code, stdout, stderr) = run(dir.path(), &["lint", "--all"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        format!(
            "error: policy/policy.toml:{line}:{col}: document `privacy` links to `sdks`, which is not listed in [[documents]]\n"
        )
    );
}

const ZH: &str = "+++\nid = \"privacy\"\ntitle = \"隐私政策\"\nlang = \"zh-CN\"\n+++\n\n## 一、收集 {#collection}\n\n我们收集您的手机号码。\n\n## 二、您的权利 {#rights}\n\n您可以查阅和删除您的个人信息。\n\n## 三、联系我们 {#contact}\n\n邮箱 privacy@example.com。\n";
const EN: &str = "+++\nid = \"privacy\"\ntitle = \"Privacy Policy\"\nlang = \"en\"\ntranslation_of = \"zh-CN\"\n+++\n\n## 1. Collection {#collection}\n\nWe collect your mobile number.\n\n## 2. Your Rights {#rights}\n\nYou can access and delete your personal information.\n\n## 3. Contact {#contact}\n\nEmail privacy@example.com.\n";

/// The line of the heading of section `id` in `text`.
fn line(text: &str, id: &str) -> usize {
    text.lines().position(|l| l.ends_with(&format!("{{#{id}}}"))).unwrap() + 1
}

/// `id@line` of the heading of section `id` in `text`.
fn at(text: &str, id: &str) -> String {
    format!("{id}@{}", line(text, id))
}

fn stale_ids(dir: &Path) -> Vec<String> {
    let v = json(dir, &["lint", "--format", "json"]);
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "translation-stale")
        .map(|d| {
            format!("{}@{}", d["message"].as_str().unwrap().split('`').nth(1).unwrap(), d["line"])
        })
        .collect()
}

#[test]
fn translation_staleness_survives_renames_and_moves() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "policy/policy.toml",
        "[[documents]]\nid = \"privacy\"\nsource_language = \"zh-CN\"\ntranslations = [\"en\"]\n[documents.lint]\ndisclosures = []\n",
    );
    write(d, "policy/privacy.zh-CN.md", ZH);
    write(d, "policy/privacy.en.md", EN);
    git(d, &["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
    commit(d, "both languages", 1);
    assert_eq!(stale_ids(d), Vec::<String>::new());

    // 2: the source adds a right; the translation is not updated.
    let zh2 = ZH.replace("查阅和删除", "查阅、复制和删除");
    write(d, "policy/privacy.zh-CN.md", &zh2);
    commit(d, "source: copy right", 2);
    assert_eq!(stale_ids(d), vec![at(EN, "rights")]);

    // 3: both languages move the rights section to the end and give it a new id; no text
    // changes. The history follows the section through the move and the id change.
    let move_rights = |text: &str, heading: &str, new_heading: &str| {
        let start = text.find(heading).unwrap();
        let end = text[start..].find("\n\n## ").map_or(text.len(), |e| start + e + 2);
        let section = text[start..end].to_string();
        let rest = format!("{}{}", &text[..start], &text[end..]);
        format!("{}\n\n{}\n", rest.trim_end(), section.trim_end().replace(heading, new_heading))
    };
    let zh3 = move_rights(&zh2, "## 二、您的权利 {#rights}", "## 二、您的权利 {#your-rights}");
    let en3 = move_rights(EN, "## 2. Your Rights {#rights}", "## 2. Your Rights {#your-rights}");
    write(d, "policy/privacy.zh-CN.md", &zh3);
    write(d, "policy/privacy.en.md", &en3);
    commit(d, "move and rename the rights section", 3);
    assert_eq!(stale_ids(d), vec![at(&en3, "your-rights")]);
    assert!(line(&en3, "your-rights") > line(&en3, "contact"), "moved to the end");

    // 4: the translation catches up.
    write(d, "policy/privacy.en.md", &en3.replace("access and delete", "access, copy and delete"));
    commit(d, "translate the copy right", 4);
    assert_eq!(stale_ids(d), Vec::<String>::new());

    // 5: the source renames a section's title (same id): the translation must follow.
    let zh5 = zh3.replace("## 一、收集 {#collection}", "## 一、我们收集的信息 {#collection}");
    write(d, "policy/privacy.zh-CN.md", &zh5);
    assert_eq!(stale_ids(d), vec![at(&en3, "collection")]);
    // check reports the same as a notice.
    let report = json(d, &["check", "--format", "json"]);
    let notices: Vec<&str> =
        report["notices"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(
        notices.iter().any(|n| n.starts_with("translation en: policy/privacy.en.md:8: section `collection` is stale (the source changed in working tree after the translation was last updated in ")),
        "{notices:?}"
    );
}

#[test]
fn init_scaffolds_a_repository_that_passes_lint_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["init", "site-policy"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "created policy/policy.toml\ncreated policy/criteria.toml\ncreated policy/privacy.zh-CN.md\ncreated templates/README.md\ncreated .github/workflows/policy.yml\ncreated .gitignore\ncreated .gitattributes\ninitialised a git repository (commit the files, then run `redline check`)\nnext: edit policy/*.md, then run `redline lint --all` and `redline check --all`\n"
    );
    let repo = dir.path().join("site-policy");
    assert!(repo.join(".git").is_dir());
    let lint = json(&repo, &["lint", "--all", "--format", "json"]);
    assert_eq!(
        (lint["errors"].as_u64(), lint["warnings"].as_u64()),
        (Some(0), Some(0)),
        "{}",
        lint["diagnostics"]
    );
    commit(&repo, "scaffold", 1);
    let (code, stdout, stderr) = run(&repo, &["check", "--all", "--fail-on", "editorial"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("no change: the two texts are identical"), "{stdout}");
    // The rules file parses and extends the built-in profile.
    let (code, stdout, _) = run(&repo, &["rules", "--explain", "minors-section-changed"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("minors-section-changed: The minors section changed\n"), "{stdout}");
    // A second init refuses and writes nothing.
    let (code, stdout, stderr) = run(&repo, &["init"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains(
            "is already a policy repository (policy/policy.toml exists); nothing was written"
        ),
        "{stderr}"
    );
}

#[test]
fn init_inside_a_git_repository_does_not_init_another() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
    let (code, stdout, _) = run(dir.path(), &["init", "docs/policy-repo"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("initialised a git repository"), "{stdout}");
    assert!(!dir.path().join("docs/policy-repo/.git").exists());
}

#[test]
fn map_of_the_real_policy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = json(root, &["map", "--format", "json"]);
    assert_eq!(map["schema"], "redline.map/2");
    let sections = map["sections"].as_array().unwrap();
    let contact = sections.iter().find(|s| s["title"] == "如何联系我们").unwrap();
    assert_eq!(contact["id"], "contact");
    assert_eq!(contact["number"], "十二、");
    assert_eq!(contact["categories"], serde_json::json!(["contact"]));
    for b in contact["blocks"].as_array().unwrap() {
        assert_eq!(b["categories"], serde_json::json!(["contact"]), "{b}");
    }
    // Every block lists its sentences, which make up its text in order.
    for b in sections.iter().flat_map(|s| s["blocks"].as_array().unwrap()) {
        let sentences = b["sentences"].as_array().unwrap();
        assert!(!sentences.is_empty(), "{b}");
        let joined: String = sentences.iter().map(|x| x["text"].as_str().unwrap()).collect();
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(squash(&joined), squash(b["text"].as_str().unwrap()), "{b}");
    }
    let sdk_rows: Vec<&Value> = sections
        .iter()
        .flat_map(|s| s["blocks"].as_array().unwrap())
        .filter(|b| {
            ["BuglySDk", "友盟推送"].iter().any(|n| b["text"].as_str().unwrap().starts_with(n))
        })
        .collect();
    assert_eq!(sdk_rows.len(), 2);
    for b in sdk_rows {
        assert!(b["categories"].as_array().unwrap().iter().any(|c| c == "sharing"), "{b}");
    }
    // With the built-in profile too (no pins): the table header names third-party SDKs.
    let builtin = json(root, &["map", "--criteria", "builtin", "--format", "json"]);
    let rows: Vec<&Value> = builtin["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["blocks"].as_array().unwrap())
        .filter(|b| b["text"].as_str().unwrap().starts_with("友盟推送"))
        .collect();
    assert!(
        rows[0]["categories"].as_array().unwrap().iter().any(|c| c == "sharing"),
        "{}",
        rows[0]
    );
}

#[test]
fn map_reads_plain_text_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.txt",
        "示例隐私政策\n\n一、我们如何收集您的个人信息\n我们会收集您的手机号。\n二、如何联系我们\n邮箱：a@example.com\n",
    );
    let map = json(dir.path(), &["map", "p.txt", "--format", "json"]);
    assert_eq!(map["format"], "plain_text");
    let summary: Vec<(String, Vec<u64>)> = map["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["title"].as_str().unwrap().to_string(),
                s["blocks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| b["line"].as_u64().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("".to_string(), vec![1]),
            ("我们如何收集您的个人信息".to_string(), vec![3, 4]),
            ("如何联系我们".to_string(), vec![5, 6]),
        ]
    );
    assert_eq!(map["sections"][2]["categories"], serde_json::json!(["contact"]));
    let (code, stdout, stderr) = run(dir.path(), &["map", "missing.md"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr, "error: missing.md: no such file or directory\n");
}

#[test]
fn map_gives_each_sentence_of_a_block_its_own_categories() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.txt",
        "示例隐私政策\n一、我们如何收集您的个人信息\n我们会收集您的手机号，用于注册账号。\n二、我们如何共享和存储您的个人信息\n未经您的同意，我们不会向任何第三方共享您的个人信息。我们在中华人民共和国境内收集的个人信息将存储在中华人民共和国境内。\n",
    );
    let map = json(dir.path(), &["map", "p.txt", "--format", "json"]);
    assert_eq!(map["schema"], "redline.map/2");
    let block = &map["sections"][2]["blocks"][1];
    assert_eq!(block["line"], 5);
    // The line keeps what most of it says; its first sentence is also about sharing.
    assert_eq!(block["categories"], serde_json::json!(["storage"]));
    assert_eq!(
        block["sentences"],
        serde_json::json!([
            {"text": "未经您的同意，我们不会向任何第三方共享您的个人信息。", "categories": ["sharing", "storage"]},
            {"text": "我们在中华人民共和国境内收集的个人信息将存储在中华人民共和国境内。", "categories": ["storage"]},
        ])
    );
    // The listing shows under the line the one sentence whose categories differ from it.
    let text = ok(dir.path(), &["map", "p.txt"]);
    assert!(
        text.contains("\n    5    [storage] 未经您的同意，我们不会向任何第三方共享您的个人信息。我们在中华人民共和国境内收集的个人信息将存储在中华人民共和国境内。\n           · [sharing, storage] 未经您的同意，我们不会向任何第三方共享您的个人信息。\n"),
        "{text}"
    );
    assert_eq!(text.matches('·').count(), 1, "{text}");
}

/// Runs `redline` and asserts exit 0; returns stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run(dir, args);
    assert_eq!(code, 0, "{args:?}: {stdout}{stderr}");
    stdout
}

#[test]
fn two_documents_release_independently_and_the_policy_carries_its_sdk_list() {
    let dir = two_documents();
    let d = dir.path();
    // Both first releases, then commit the archive.
    ok(d, &["release", "--all", "--as-of", "2026-01-02"]);
    commit(d, "release privacy 1.0.0 and sdk 1.0.0", 2);
    assert!(d.join("archive/privacy/1.0.0/privacy.zh-CN.md").is_file());
    assert!(d.join("archive/sdk/1.0.0/sdk.zh-CN.md").is_file());
    assert!(
        !d.join("archive/privacy/1.0.0/sdk.zh-CN.md").exists(),
        "each document has its own folder"
    );

    // The SDK list gains an advertising SDK and is released on its own.
    let sdk2 = SDK.replace(
        "| 推送SDK | 发送通知 | 设备标识符 | 示例推送有限公司 |\n",
        "| 推送SDK | 发送通知 | 设备标识符 | 示例推送有限公司 |\n| 广告SDK | 个性化广告 | 设备标识符 | 示例广告有限公司 |\n",
    );
    write(d, "policy/sdk.zh-CN.md", &sdk2);
    write(d, "policy/sdk.notes.toml", "version = \"2.0.0\"\nzh-CN = \"新增一个广告SDK。\"\n");
    commit(d, "add an advertising SDK", 3);
    ok(d, &["release", "--document", "sdk", "--as-of", "2026-01-03"]);
    commit(d, "release sdk 2.0.0", 3);
    assert!(d.join("archive/sdk/2.0.0/release.toml").is_file());
    assert!(!d.join("archive/privacy/1.1.0").exists() && !d.join("archive/privacy/2.0.0").exists());
    // The SDK list's own check is clean again; the policy's readers have not been told.
    let sdk = json(d, &["check", "--document", "sdk", "--format", "json"]);
    assert_eq!(sdk["level"], "none");
    let privacy = json(d, &["check", "--document", "privacy", "--format", "json"]);
    assert_eq!(privacy["level"], "reconsent");
    assert_eq!(privacy["findings"][0]["section"], "sdk/sdks");

    // Releasing the policy (its own text unchanged) reports the SDK list's change.
    write(
        d,
        "policy/privacy.notes.toml",
        "version = \"2.0.0\"\nzh-CN = \"我们的SDK目录新增了一个广告SDK。\"\n",
    );
    let out = ok(d, &["release", "--document", "privacy", "--as-of", "2026-01-04"]);
    assert!(out.contains("2.0.0"), "{out}");
    let record = std::fs::read_to_string(d.join("archive/privacy/2.0.0/release.toml")).unwrap();
    assert!(record.contains("level = \"reconsent\""), "{record}");
    assert!(record.contains("sdk/sdks: row added 广告SDK (reconsent)"), "{record}");
    commit(d, "release privacy 2.0.0", 4);
    // Now both are in step: nothing left to report for either.
    let all = json(d, &["check", "--all", "--format", "json"]);
    assert_eq!((all[0]["level"].as_str(), all[1]["level"].as_str()), (Some("none"), Some("none")));
    let verified = ok(d, &["verify"]);
    assert!(
        verified.starts_with("archive intact: 4 versions of 2 documents (privacy, sdk)"),
        "{verified}"
    );
}

/// Released together, a linked SDK list waits for the notice period of the policy that links
/// it: its own minor change would take effect at once, the policy's reconsent one a week later.
#[test]
fn a_linked_document_released_with_a_reconsent_policy_change_waits_for_its_notice() {
    let dir = two_documents();
    let d = dir.path();
    ok(d, &["release", "--all", "--as-of", "2026-01-02"]);
    commit(d, "release privacy 1.0.0 and sdk 1.0.0", 2);
    // The policy collects a new, sensitive data type (reconsent: notice first) and an SDK's
    // purpose is reworded (minor).
    write(d, "policy/privacy.zh-CN.md", &PRIVACY.replace("手机号码，", "手机号码和身份证号码，"));
    write(d, "policy/sdk.zh-CN.md", &SDK.replace("| 发送通知 |", "| 向您发送通知 |"));
    write(
        d,
        "policy/privacy.notes.toml",
        "version = \"2.0.0\"\nzh-CN = \"我们会收集您的身份证号码。\"\n",
    );
    commit(d, "new contact, reworded SDK purpose", 3);
    let out = ok(d, &["release", "--all", "--as-of", "2026-01-03"]);
    let record = |doc: &str, v: &str| {
        std::fs::read_to_string(d.join(format!("archive/{doc}/{v}/release.toml"))).unwrap()
    };
    let privacy = record("privacy", "2.0.0");
    assert!(
        privacy.contains("level = \"reconsent\"") && privacy.contains("effective = \"2026-01-10\""),
        "{privacy}"
    );
    let sdk = record("sdk", "1.1.0");
    assert!(sdk.contains("level = \"minor\""), "{sdk}");
    assert!(sdk.contains("effective = \"2026-01-10\""), "{sdk}");
    assert!(
        out.contains(
            "note: sdk 1.1.0 takes effect on 2026-01-10 with privacy 2.0.0, which links it"
        ),
        "{out}"
    );
    let verified = ok(d, &["verify"]);
    assert!(verified.starts_with("archive intact"), "{verified}");
}

#[test]
fn consent_reports_a_translation_that_fell_behind_its_source_as_stale() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "policy/policy.toml",
        "[[documents]]\nid = \"privacy\"\nsource_language = \"zh-CN\"\ntranslations = [\"en\"]\n",
    );
    write(d, "policy/privacy.zh-CN.md", ZH);
    write(d, "policy/privacy.en.md", EN);
    git(d, &["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
    commit(d, "policy", 1);
    ok(d, &["release", "--as-of", "2026-01-01"]);
    commit(d, "release 1.0.0", 1);
    let status = |d: &Path| {
        let repo = redline::repo::PolicyRepo::open(d).unwrap();
        let m = redline::consent::manifest(
            &repo,
            &repo.criteria().unwrap(),
            "2026-03-01".parse().unwrap(),
        )
        .unwrap();
        serde_json::to_value(&m.documents["privacy"].languages).unwrap()
    };
    assert_eq!(
        status(d),
        serde_json::json!({
            "zh-CN": {"status": "source", "stale_sections": [], "url": "privacy/", "href": null},
            "en": {"status": "current", "stale_sections": [], "url": "privacy/en/", "href": null}
        })
    );
    // 1.1.0 changes the source only.
    write(d, "policy/privacy.zh-CN.md", &ZH.replace("查阅和删除", "查阅、复制和删除"));
    commit(d, "copy right", 2);
    ok(d, &["release", "--as-of", "2026-01-02"]);
    commit(d, "release", 2);
    assert_eq!(status(d)["en"]["status"], "stale");
    assert_eq!(
        status(d)["en"]["stale_sections"].as_array().map(Vec::len),
        Some(1),
        "{}",
        status(d)
    );
    // The next release brings the translation up to date.
    write(d, "policy/privacy.en.md", &EN.replace("access and delete", "access, copy and delete"));
    commit(d, "translate", 3);
    ok(d, &["release", "--as-of", "2026-01-03"]);
    commit(d, "release", 3);
    assert_eq!(status(d)["en"]["status"], "current");
}
