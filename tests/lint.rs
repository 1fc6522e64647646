//! `redline lint`: one fixture per diagnostic code (message, line, column and exit code
//! asserted), `--fix`, the three output formats, and the real policy.
//!
//! Every fixture starts from tests/fixtures/lint/privacy.zh-CN.md, a complete policy that lints
//! clean, and changes one thing.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const BASE: &str = include_str!("fixtures/lint/privacy.zh-CN.md");
const BASE_EN: &str = include_str!("fixtures/lint/privacy.en.md");

fn redline(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("redline").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    cmd
}

use common::git_in as git;

fn commit(dir: &Path, message: &str, date: &str) {
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-q", "-m", message], date);
}

/// A policy repository with `zh` as the source and, when given, `en` as its translation.
fn repo(zh: &[u8], en: Option<&str>, lint: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy");
    std::fs::create_dir_all(&p).unwrap();
    let translations = if en.is_some() { "[\"en\"]" } else { "[]" };
    std::fs::write(
        p.join("policy.toml"),
        format!(
            "[[documents]]\nid = \"privacy\"\ntitle = \"隐私政策\"\nsource_language = \"zh-CN\"\ntranslations = {translations}\n{lint}"
        ),
    )
    .unwrap();
    std::fs::write(p.join("privacy.zh-CN.md"), zh).unwrap();
    if let Some(en) = en {
        std::fs::write(p.join("privacy.en.md"), en).unwrap();
    }
    dir
}

struct Run {
    code: i32,
    json: Value,
}

fn lint(dir: &Path, args: &[&str]) -> Run {
    let out = redline(dir).args(["lint", "--format", "json"]).args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout} {}", String::from_utf8_lossy(&out.stderr)));
    Run { code: out.status.code().unwrap(), json }
}

/// The diagnostics as (code, severity, file, line, column, message).
fn diags(run: &Run) -> Vec<(String, String, String, u64, u64, String)> {
    run.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The 1-based char column of `needle` on 1-based `line` of `text`.
fn col(text: &str, line: usize, needle: &str) -> u64 {
    let l = text.lines().nth(line - 1).unwrap();
    let at = l.find(needle).unwrap_or_else(|| panic!("`{needle}` not on line {line}: {l}"));
    (l[..at].chars().count() + 1) as u64
}

/// Asserts exactly one diagnostic, with this code, severity, line, column and message.
fn assert_one(
    run: &Run,
    code: &str,
    severity: &str,
    file: &str,
    line: u64,
    column: u64,
    message: &str,
) {
    let d = diags(run);
    assert_eq!(d.len(), 1, "{d:#?}");
    let (c, s, f, l, k, m) = &d[0];
    assert_eq!(
        (c.as_str(), s.as_str(), f.as_str(), *l, *k),
        (code, severity, file, line, column),
        "{m}"
    );
    assert_eq!(m, message);
    assert_eq!(run.code, if severity == "error" { 1 } else { 0 }, "exit code");
}

const ZH: &str = "policy/privacy.zh-CN.md";
const EN: &str = "policy/privacy.en.md";

#[test]
fn the_base_fixture_lints_clean_in_both_languages() {
    let dir = repo(BASE.as_bytes(), Some(BASE_EN), "");
    let run = lint(dir.path(), &["--all"]);
    assert_eq!(diags(&run), vec![]);
    assert_eq!(run.code, 0);
    assert_eq!(run.json["files"], serde_json::json!([ZH, EN]));
    assert_eq!(run.json["schema"], "redline.lint/1");
}

#[test]
fn missing_id() {
    let text = BASE.replace("### 1.1 注册账号 {#registration}", "### 1.1 注册账号");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(&run, "missing-id", "error", ZH, 17, 5, "heading `1.1 注册账号` has no explicit id");
    let hint = run.json["diagnostics"][0]["hint"].as_str().unwrap();
    assert!(hint.starts_with("add {#section-1-1} at the end of the heading"), "{hint}");
}

#[test]
fn invalid_id() {
    let text = BASE.replace("{#registration}", "{#Registration}");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "invalid-id",
        "error",
        ZH,
        17,
        col(&text, 17, "{#"),
        "section id `Registration` is not well-formed",
    );
}

#[test]
fn duplicate_id_points_at_both_headings() {
    let text = BASE.replace("{#sharing}", "{#registration}");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "duplicate-id",
        "error",
        ZH,
        31,
        col(&text, 31, "{#"),
        "duplicate section id `registration` (also at line 17)",
    );
    assert_eq!(run.json["diagnostics"][0]["related"]["line"], 17);
}

#[test]
fn empty_section() {
    let text = format!("{BASE}\n## 八、附则 {{#annex}}\n");
    let line = text.lines().count() as u64;
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(&run, "empty-section", "error", ZH, line, 1, "section `八、附则` is empty");
}

#[test]
fn table_without_header_row() {
    let text = BASE.replace(
        "| 设备权限 | 使用目的 | 可否关闭 |\n| --- | --- | --- |\n",
        "| 设备权限 | 使用目的 | 可否关闭 |\n",
    );
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "table-header",
        "error",
        ZH,
        27,
        1,
        "these rows are not a table: it has no header and delimiter row",
    );
}

#[test]
fn table_with_an_empty_header_cell() {
    let text = BASE.replace("| 设备权限 | 使用目的 | 可否关闭 |", "| 设备权限 |  | 可否关闭 |");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "table-header",
        "error",
        ZH,
        27,
        col(&text, 27, "|  |") + 1,
        "header cell 2 of this table is empty",
    );
}

#[test]
fn table_row_missing_a_cell() {
    let text = BASE.replace(
        "| 示例推送SDK | 发送提醒 | 设备标识符 | 示例推送有限公司 |",
        "| 示例推送SDK | 发送提醒 | 设备标识符 |",
    );
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "table-cells",
        "error",
        ZH,
        37,
        1,
        "this row has 3 cells but the header has 4",
    );
}

#[test]
fn table_row_with_an_extra_cell() {
    let text =
        BASE.replace("| 通知 | 向您发送周期提醒 | 是 |", "| 通知 | 向您发送周期提醒 | 是 | 否 |");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "table-cells",
        "error",
        ZH,
        29,
        col(&text, 29, " 否") + 1,
        "this row has 4 cells but the header has 3; the extra cells are dropped",
    );
}

#[test]
fn broken_internal_link() {
    let text = BASE.replace(
        "我们接入的第三方SDK如下：",
        "详见[联系方式](#contact-us)。我们接入的第三方SDK如下：",
    );
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "broken-link",
        "error",
        ZH,
        33,
        col(&text, 33, "#contact-us"),
        "link `联系方式` points to `#contact-us`, a section that does not exist",
    );
}

#[test]
fn link_to_a_section_of_another_document() {
    let text = BASE.replace(
        "我们接入的第三方SDK如下：",
        "见[英文版](privacy.en.md#contact)与[缺失](privacy.en.md#nowhere)。",
    );
    let run = lint(repo(text.as_bytes(), Some(BASE_EN), "").path(), &["--all"]);
    assert_one(
        &run,
        "broken-link",
        "error",
        ZH,
        33,
        col(&text, 33, "privacy.en.md#nowhere"),
        "link `缺失` points to `#nowhere` in privacy.en.md, a section that does not exist there",
    );
}

#[test]
fn broken_written_reference() {
    let text = BASE.replace("我们接入的第三方SDK如下：", "（详见第九条）我们接入的第三方SDK如下：");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "broken-reference",
        "error",
        ZH,
        33,
        col(&text, 33, "九"),
        "`详见第九条` refers to section 九, which does not exist",
    );
    // 第七条 exists (七、如何联系我们), so it resolves.
    let ok = BASE.replace("我们接入的第三方SDK如下：", "（详见第七条）我们接入的第三方SDK如下：");
    assert_eq!(diags(&lint(repo(ok.as_bytes(), None, "").path(), &[])), vec![]);
}

#[test]
fn malformed_front_matter() {
    let text = BASE.replace("title = \"隐私政策\"", "title = \"隐私政策");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    let d = diags(&run);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!((d[0].0.as_str(), d[0].3, d[0].4), ("front-matter", 3, 1));
    assert!(d[0].5.starts_with("malformed TOML front matter: "), "{}", d[0].5);
    assert_eq!(run.code, 1);
}

#[test]
fn unterminated_front_matter_and_a_duplicate_id_are_both_reported() {
    let text =
        BASE.replacen("+++\n\n# 隐私政策", "\n# 隐私政策", 1).replace("{#sharing}", "{#minors}");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    let codes: Vec<(String, u64)> = diags(&run).into_iter().map(|d| (d.0, d.3)).collect();
    assert!(codes.contains(&("front-matter".to_string(), 1)), "{codes:?}");
    assert!(codes.iter().any(|(c, _)| c == "duplicate-id"), "{codes:?}");
    assert_eq!(run.code, 1);
}

#[test]
fn missing_front_matter() {
    let text = BASE.splitn(3, "+++\n").nth(2).unwrap().trim_start().to_string();
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(&run, "front-matter-missing", "error", ZH, 1, 1, "the file has no front matter");
}

#[test]
fn front_matter_field_of_another_language() {
    let text = BASE.replace("lang = \"zh-CN\"", "lang = \"en\"");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "front-matter-field",
        "error",
        ZH,
        4,
        col(&text, 4, "en"),
        "`lang` is `en` but this file is `zh-CN`",
    );
}

#[test]
fn front_matter_without_a_title() {
    let text = BASE.replace("title = \"隐私政策\"\n", "");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(&run, "front-matter-field", "error", ZH, 4, 1, "the front matter has no `title`");
}

#[test]
fn invalid_utf8() {
    let mut bytes = BASE.as_bytes().to_vec();
    let at = BASE.find("昵称").unwrap();
    bytes.insert(at, 0xff);
    let run = lint(repo(&bytes, None, "").path(), &[]);
    assert_one(
        &run,
        "invalid-utf8",
        "error",
        ZH,
        19,
        col(BASE, 19, "昵称"),
        "invalid UTF-8 (byte 0xff)",
    );
}

#[test]
fn missing_translation_file() {
    let dir = repo(BASE.as_bytes(), None, "");
    let toml = std::fs::read_to_string(dir.path().join("policy/policy.toml")).unwrap();
    std::fs::write(
        dir.path().join("policy/policy.toml"),
        toml.replace("translations = []", "translations = [\"en\"]"),
    )
    .unwrap();
    let run = lint(dir.path(), &[]);
    assert_one(
        &run,
        "missing-file",
        "error",
        EN,
        1,
        1,
        "this file is listed in policy/policy.toml but does not exist",
    );
}

#[test]
fn translation_ids_differ_from_the_source() {
    let en = BASE_EN.replace("{#minors}", "{#children}");
    let run = lint(repo(BASE.as_bytes(), Some(&en), "").path(), &[]);
    let d = diags(&run);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!((d[0].0.as_str(), d[0].2.as_str(), d[0].3), ("translation-ids", EN, 51));
    assert_eq!(d[0].5, "section `minors` (policy/privacy.zh-CN.md:49) has no translation here");
    assert_eq!(
        (d[1].0.as_str(), d[1].3, d[1].4),
        ("translation-ids", 51, col(&en, 51, "{#children}"))
    );
    assert_eq!(d[1].5, "section `children` is not in the source (policy/privacy.zh-CN.md)");
    assert_eq!(run.code, 1);
}

#[test]
fn stale_translation_is_a_warning_unless_required() {
    for (lint_cfg, severity, code) in
        [("", "warning", 0), ("[documents.lint]\nrequired = [\"translation-stale\"]\n", "error", 1)]
    {
        let dir = repo(BASE.as_bytes(), Some(BASE_EN), lint_cfg);
        git(dir.path(), &["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
        commit(dir.path(), "policy", "2026-01-01T00:00:00Z");
        let zh = BASE.replace("手机号码和昵称", "手机号码、昵称和头像");
        std::fs::write(dir.path().join(ZH), &zh).unwrap();
        let run = lint(dir.path(), &[]);
        // The edit also leaves the effective date as it was (effective-date-unchanged).
        let d: Vec<_> =
            diags(&run).into_iter().filter(|d| d.0 != "effective-date-unchanged").collect();
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            (d[0].0.as_str(), d[0].1.as_str(), d[0].2.as_str(), d[0].3),
            ("translation-stale", severity, EN, 19)
        );
        assert!(
            d[0].5.starts_with("section `registration` is stale: the source (policy/privacy.zh-CN.md:17) changed in working tree after this translation was last updated in "),
            "{}",
            d[0].5
        );
        assert_eq!(run.code, code);
    }
}

#[test]
fn missing_disclosure_is_a_warning_unless_required() {
    let text = BASE.split("## 七、如何联系我们").next().unwrap().to_string();
    for (cfg, severity) in [
        ("", "warning"),
        ("[documents.lint]\nrequired = [\"missing-disclosure:contact\"]\n", "error"),
    ] {
        let run = lint(repo(text.as_bytes(), None, cfg).path(), &[]);
        let d = diags(&run);
        // The company is still named in the preamble; only the contact section is gone.
        assert_one(
            &run,
            "missing-disclosure",
            severity,
            ZH,
            1,
            1,
            "no section tells users how to contact the operator (PIPL art. 17 disclosure `contact`)",
        );
        drop(d);
    }
}

#[test]
fn missing_retention_period() {
    let text = BASE.replace(
        "我们仅在实现本政策所述目的所必需的期限内保存您的个人信息；您注销账号后，我们将在15日内删除或匿名化处理您的个人信息，法律另有规定的除外。",
        "",
    );
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "missing-disclosure",
        "warning",
        ZH,
        1,
        1,
        "no retention period is stated (PIPL art. 17 disclosure `retention`)",
    );
}

#[test]
fn disclosures_can_be_switched_off_for_a_document_that_is_no_privacy_notice() {
    let text = BASE.split("## 七、如何联系我们").next().unwrap().to_string();
    let run = lint(repo(text.as_bytes(), None, "[documents.lint]\ndisclosures = []\n").path(), &[]);
    assert_eq!(diags(&run), vec![]);
}

#[test]
fn sensitive_information_not_highlighted() {
    let text = BASE
        .replace("**月经周期、症状**", "月经周期、症状")
        .replace("**敏感个人信息**", "敏感个人信息");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "sensitive-not-highlighted",
        "warning",
        ZH,
        23,
        col(&text, 23, "经期"),
        "sensitive personal information (经期、月经、症状、健康) is named without highlighting",
    );
}

#[test]
fn update_section_without_the_archive_promise() {
    let text = BASE.replace("我们会将本政策的旧版本存档，供您查阅。\n", "");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "update-promise-missing",
        "warning",
        ZH,
        53,
        1,
        "the update section no longer promises to archive old versions for users to consult",
    );
}

#[test]
fn effective_date_unchanged_after_a_substantive_change() {
    let dir = repo(BASE.as_bytes(), None, "");
    git(dir.path(), &["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
    commit(dir.path(), "policy", "2026-01-01T00:00:00Z");
    let text = BASE.replace("手机号码和昵称", "手机号码、昵称和通讯录");
    std::fs::write(dir.path().join(ZH), &text).unwrap();
    let run = lint(dir.path(), &[]);
    assert_one(
        &run,
        "effective-date-unchanged",
        "warning",
        ZH,
        11,
        col(&text, 11, "2026年1月8日"),
        // The built-in profile (no policy/criteria.toml here): a new kind of data is major.
        "the text changed at level major since HEAD:policy/privacy.zh-CN.md but this date (2026-01-08) did not",
    );
    // Moving the date on clears it.
    std::fs::write(dir.path().join(ZH), text.replace("2026年1月8日", "2026年2月8日")).unwrap();
    assert_eq!(diags(&lint(dir.path(), &[])), vec![]);
}

#[test]
fn fix_adds_ids_only_and_is_idempotent() {
    let text = BASE
        .replace("### 1.1 注册账号 {#registration}", "### 1.1 注册账号")
        .replace("## 五、未成年人 {#minors}", "## 五、未成年人")
        .replace("\n", "\r\n");
    let dir = repo(text.as_bytes(), None, "");
    let out = redline(dir.path()).args(["lint", "--fix"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "fixed: policy/privacy.zh-CN.md:17: added {#section-1-1}\nfixed: policy/privacy.zh-CN.md:49: added {#section-5}\n"
    );
    let fixed = std::fs::read_to_string(dir.path().join(ZH)).unwrap();
    let (before, after): (Vec<&str>, Vec<&str>) =
        (text.split_inclusive('\n').collect(), fixed.split_inclusive('\n').collect());
    assert_eq!(before.len(), after.len());
    let changed: Vec<usize> =
        (0..before.len()).filter(|&i| before[i] != after[i]).map(|i| i + 1).collect();
    assert_eq!(changed, vec![17, 49]);
    assert_eq!(after[16], "### 1.1 注册账号 {#section-1-1}\r\n");
    assert_eq!(after[48], "## 五、未成年人 {#section-5}\r\n");
    // Idempotent: a second run changes nothing and says nothing.
    let again = redline(dir.path()).args(["lint", "--fix"]).output().unwrap();
    assert!(again.stderr.is_empty());
    assert_eq!(std::fs::read_to_string(dir.path().join(ZH)).unwrap(), fixed);
}

/// A heading that lost its id in one language takes the id its translation has at the same
/// place, so the languages keep matching ids instead of `translation-ids` errors.
#[test]
fn fix_reuses_the_translations_ids() {
    let text = BASE
        .replace("### 1.1 注册账号 {#registration}", "### 1.1 注册账号")
        .replace("## 五、未成年人 {#minors}", "## 五、未成年人");
    let dir = repo(text.as_bytes(), Some(BASE_EN), "");
    let out = redline(dir.path()).args(["lint", "--fix"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "fixed: policy/privacy.zh-CN.md:17: added {#registration}\nfixed: policy/privacy.zh-CN.md:49: added {#minors}\n"
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(std::fs::read_to_string(dir.path().join(ZH)).unwrap(), BASE);
}

#[test]
fn text_output_shows_the_source_line_and_a_hint() {
    let text = BASE.replace("{#sharing}", "{#registration}");
    let dir = repo(text.as_bytes(), None, "");
    let out = redline(dir.path()).arg("lint").output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout
            .contains("error[duplicate-id]: duplicate section id `registration` (also at line 17)"),
        "{stdout}"
    );
    assert!(stdout.contains("--> policy/privacy.zh-CN.md:31:"), "{stdout}");
    assert!(stdout.contains("31 | ## 二、我们如何共享您的个人信息 {#registration}"), "{stdout}");
    assert!(stdout.contains("first used here"), "{stdout}");
    assert!(stdout.contains("help: give one of the two headings another {#id}"), "{stdout}");
    assert!(stdout.ends_with("1 file checked: 1 error, 0 warnings\n"), "{stdout}");
}

/// Done-when of issue 5: in a copy of the real policy, a duplicated id, a table row missing a
/// cell and a link to a missing section give three diagnostics at the right lines with
/// `--format github`, and exit 1.
#[test]
fn three_problems_in_the_real_policy_as_github_annotations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy");
    std::fs::create_dir_all(&p).unwrap();
    for f in ["policy.toml", "criteria.toml", "privacy.zh-CN.md", "privacy.en.md"] {
        std::fs::copy(root.join("policy").join(f), p.join(f)).unwrap();
    }
    let original = std::fs::read_to_string(p.join("privacy.zh-CN.md")).unwrap();
    let line_of = |needle: &str| original.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let (dup, row, link) =
        (line_of("{#cookie}"), line_of("| WLAN |"), line_of("如您对本声明和政策内容有任何疑问"));
    let text = original
        .replace("{#cookie}", "{#cookies}")
        .replace(
            "| WLAN | 全部功能 | 连接网络 | 首次安装会提示 | 是 | 移动客户端无法使用 |",
            "| WLAN | 全部功能 | 连接网络 | 首次安装会提示 | 是 |",
        )
        .replace("您可通过邮箱与我们联系。", "您可通过[邮箱](#contact-us)与我们联系。");
    std::fs::write(p.join("privacy.zh-CN.md"), &text).unwrap();
    let out = redline(dir.path()).args(["lint", "--all", "--format", "github"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let errors: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 3, "{stdout}");
    let cookies = col(&text, dup, "{#cookies}");
    let link_col = col(&text, link, "#contact-us");
    assert!(errors.iter().any(|e| e.starts_with(&format!(
        "::error file=policy/privacy.zh-CN.md,line={dup},col={cookies},endColumn={},title=redline duplicate-id::duplicate section id `cookies` (also at line ",
        cookies + 10
    ))), "{stdout}");
    assert!(
        errors.iter().any(|e| e
            .starts_with(&format!("::error file=policy/privacy.zh-CN.md,line={row},col=1,"))
            && e.contains(
                "title=redline table-cells::this row has 5 cells but the header has 6%0Ahint: "
            )),
        "{stdout}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with(&format!(
            "::error file=policy/privacy.zh-CN.md,line={link},col={link_col},"
        )) && e
            .contains("link `邮箱` points to `#contact-us`, a section that does not exist")),
        "{stdout}"
    );
}

#[test]
fn the_real_policy_lints_without_errors_in_both_languages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = lint(root, &["--all"]);
    assert_eq!(run.json["errors"], 0, "{:#?}", diags(&run));
    assert_eq!(run.code, 0);
    assert_eq!(run.json["files"], serde_json::json!([ZH, EN]));
    // The warnings name real gaps (README "Lint"): sensitive personal information is never in
    // bold in the published policy.
    let codes: std::collections::BTreeSet<String> = diags(&run).into_iter().map(|d| d.0).collect();
    assert_eq!(codes, ["sensitive-not-highlighted".to_string()].into());
}

#[test]
fn lint_outside_a_repository_lints_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.md"), "# A\n\ntext\n\n## B {#b}\n").unwrap();
    let run = lint(dir.path(), &["p.md"]);
    let codes: Vec<(String, u64)> = diags(&run).into_iter().map(|d| (d.0, d.3)).collect();
    assert!(codes.contains(&("missing-id".to_string(), 1)), "{codes:?}");
    assert!(codes.contains(&("empty-section".to_string(), 5)), "{codes:?}");
    assert_eq!(run.code, 1);
}

#[test]
fn unknown_time_zone_in_policy_toml() {
    let dir = repo(BASE.as_bytes(), None, "");
    let config = dir.path().join("policy/policy.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("timezone = \"Asia/Shangai\"\n{text}")).unwrap();
    let run = lint(dir.path(), &[]);
    assert_one(
        &run,
        "config-timezone",
        "error",
        "policy/policy.toml",
        1,
        13,
        "unknown time zone `Asia/Shangai`; use an IANA name such as Asia/Shanghai",
    );
}

#[test]
fn control_character() {
    let text = BASE.replacen("\n\n", "\n\nnul\0byte\n\n", 1);
    let line = text[..text.find('\0').unwrap()].lines().count() as u64;
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "control-character",
        "error",
        ZH,
        line,
        4,
        "control character U+0000 in the text",
    );
}

#[test]
fn an_id_attribute_with_a_space_is_invalid() {
    let text = BASE.replace("{#registration}", "{#my registration}");
    let run = lint(repo(text.as_bytes(), None, "").path(), &[]);
    assert_one(
        &run,
        "invalid-id",
        "error",
        ZH,
        17,
        col(&text, 17, "{#"),
        "the heading attribute `{#my registration}` holds a space, so the section id is `my`, not what follows",
    );
    let hint = run.json["diagnostics"][0]["hint"].as_str().unwrap();
    assert_eq!(hint, "write the id without spaces, e.g. {#my-registration}");
    // A class after the id is a valid attribute.
    let text = BASE.replace("{#registration}", "{#registration .note}");
    assert_eq!(diags(&lint(repo(text.as_bytes(), None, "").path(), &[])), vec![]);
}

#[test]
fn fix_gives_punctuation_headings_hashed_ids() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.md");
    std::fs::write(&file, "# !!!\n\nx\n\n## ???\n\ny\n\n## 🎉🎉\n\nz\n\n## Section\n\nw\n")
        .unwrap();
    let out = redline(dir.path()).args(["lint", "--fix", "p.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let fixed = std::fs::read_to_string(&file).unwrap();
    let ids: Vec<&str> = fixed
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| &l[l.find("{#").unwrap() + 2..l.len() - 1])
        .collect();
    assert_eq!(ids[3], "section", "a heading titled Section keeps its slug");
    for id in &ids[..3] {
        assert!(
            id.len() == 16
                && id.starts_with("section-")
                && id[8..].chars().all(|c| c.is_ascii_hexdigit()),
            "README: section-<8 hex>: {ids:?}"
        );
    }
    assert!(ids[0] != ids[1] && ids[1] != ids[2], "{ids:?}");
}

#[cfg(unix)]
#[test]
fn fix_writes_through_a_symbolic_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.md"), "# Title\n\n## Another\n\nx\n").unwrap();
    std::os::unix::fs::symlink("g.md", dir.path().join("link.md")).unwrap();
    let out = redline(dir.path()).args(["lint", "--fix", "link.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let meta = std::fs::symlink_metadata(dir.path().join("link.md")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link stays a link");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("g.md")).unwrap(),
        "# Title {#title}\n\n## Another {#another}\n\nx\n"
    );
}
