//! The `redline` binary: exit codes, output formats and every kind of bad input of issue 2
//! (one clear line on stderr naming the file and line, exit code 2, nothing on stdout).

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn redline(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("redline").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    cmd
}

fn policy() -> String {
    std::fs::read_to_string(root().join("policy/privacy.zh-CN.md")).unwrap()
}

/// A throwaway policy repository: a copy of `policy/`, committed with fixed dates.
fn policy_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy");
    std::fs::create_dir_all(&p).unwrap();
    for f in ["policy.toml", "criteria.toml", "privacy.zh-CN.md", "privacy.en.md"] {
        std::fs::copy(root().join("policy").join(f), p.join(f)).unwrap();
    }
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "policy"]);
    dir
}

fn git(dir: &Path, args: &[&str]) {
    common::git_in(dir, args, "2026-01-01T00:00:00Z");
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs `diff OLD NEW` in `dir` and returns (code, stdout, stderr).
fn diff(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = redline(dir).arg("diff").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn assert_bad_input(out: (i32, String, String), expected: &str) {
    let (code, stdout, stderr) = out;
    assert_eq!(code, 2, "stderr: {stderr}");
    assert!(stdout.is_empty(), "stdout must stay empty, got {stdout}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(expected), "expected `{expected}` in `{stderr}`");
}

#[test]
fn invalid_utf8_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.md", b"# A\n\nok\n");
    write(dir.path(), "new.md", b"# A\n\nok\nbad \xff byte\n");
    assert_bad_input(diff(dir.path(), &["old.md", "new.md"]), "new.md:4:5: invalid UTF-8");
}

#[test]
fn malformed_front_matter_names_the_line_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.md", b"# A\n");
    write(dir.path(), "new.md", b"+++\nid = \"privacy\"\ntitle = = \"x\"\n+++\n# A\n");
    assert_bad_input(
        diff(dir.path(), &["old.md", "new.md"]),
        "new.md:3: malformed TOML front matter",
    );
    write(dir.path(), "yaml.md", b"---\ntitle: a\n  bad: [\n---\n# A\n");
    let (code, stdout, stderr) = diff(dir.path(), &["old.md", "yaml.md"]);
    assert_eq!((code, stdout.is_empty()), (2, true));
    assert!(
        stderr.starts_with("error: yaml.md:") && stderr.contains("malformed YAML front matter"),
        "{stderr}"
    );
}

#[test]
fn unterminated_front_matter_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.md", b"# A\n");
    write(dir.path(), "new.md", b"+++\nid = \"privacy\"\n# A\n\ntext\n");
    assert_bad_input(
        diff(dir.path(), &["old.md", "new.md"]),
        "new.md:1: front matter opened with `+++` is never closed",
    );
}

#[test]
fn a_rule_after_text_never_swallows_policy_text() {
    // pulldown-cmark issue #1000: a `---` later in the file is not front matter.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.md", b"# A\n\nintro\n\n---\nkept text\n---\n");
    write(dir.path(), "new.md", b"# A\n\nintro\n\n---\nkept text changed\n---\n");
    let (code, stdout, _) = diff(dir.path(), &["old.md", "new.md", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("kept text changed"), "{stdout}");
}

#[test]
fn duplicate_ids_name_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.md", b"# A\n");
    write(dir.path(), "new.md", b"# A {#x}\n\ntext\n\n## B {#x}\n");
    assert_bad_input(
        diff(dir.path(), &["old.md", "new.md"]),
        "new.md:5: duplicate section id `x` (also at line 1)",
    );
}

#[test]
fn invalid_criteria_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.md", b"# A\n");
    write(dir.path(), "new.md", b"# B\n");
    write(
        dir.path(),
        "bad.toml",
        b"extends = \"builtin\"\n\n[[rules]]\nid = \"x\"\nlevle = \"major\"\n",
    );
    assert_bad_input(
        diff(dir.path(), &["old.md", "new.md", "--criteria", "bad.toml"]),
        "bad.toml:5:1: unknown field `levle`",
    );
    write(dir.path(), "syntax.toml", b"[[rules]\nid = 1\n");
    let (code, stdout, stderr) =
        diff(dir.path(), &["old.md", "new.md", "--criteria", "syntax.toml"]);
    assert_eq!((code, stdout.is_empty()), (2, true));
    assert!(stderr.starts_with("error: syntax.toml:1:"), "{stderr}");
    write(dir.path(), "lexicon.toml", b"extends = \"builtin\"\n[[rules]]\nid = \"y\"\ntitle = \"t\"\nlevel = \"major\"\nreference = \"r\"\nreason = \"r\"\n[rules.match]\nadded = [\"@nope\"]\n");
    assert_bad_input(
        diff(dir.path(), &["old.md", "new.md", "--criteria", "lexicon.toml"]),
        "lexicon.toml:9:11: `@nope` names no lexicon or pattern",
    );
    write(
        dir.path(),
        "covers.toml",
        b"extends = \"builtin\"\n[[categories]]\nid = \"retention\"\ncovers = [\"storage\", \"retnetion\"]\n",
    );
    assert_bad_input(
        diff(dir.path(), &["old.md", "new.md", "--criteria", "covers.toml"]),
        "covers.toml:4:22: category `retention` covers unknown category `retnetion`",
    );
}

/// Criteria files that parse but could never judge as their author meant are refused at load,
/// each with the line to fix (schema, empty file, duplicate id, range, lexicon, patterns,
/// overriding a rule that does not exist).
#[test]
fn criteria_that_cannot_mean_what_they_say_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "old.md",
        b"# A
",
    );
    write(
        dir.path(),
        "new.md",
        b"# B
",
    );
    let rule = "title = \"t\"\nlevel = \"major\"\nreference = \"r\"\nreason = \"r\"\n";
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "schema.toml",
            "schema = \"redline.criteria/9\"\nextends = \"builtin\"\n".into(),
            "schema.toml:1:1: unknown schema `redline.criteria/9`; this redline reads `redline.criteria/1`",
        ),
        ("empty.toml", "# nothing yet\n".into(), "empty.toml:1:1: defines no rules"),
        (
            "twice.toml",
            format!(
                "extends = \"builtin\"\n[[rules]]\nid = \"x\"\n{rule}[[rules]]\nid = \"x\"\n{rule}"
            ),
            "twice.toml:9:1: rule `x` is defined twice in this file (also at line 3)",
        ),
        (
            "range.toml",
            "extends = \"builtin\"\n[settings]\nwholesale_threshold = 1.5\n".into(),
            "range.toml:3:1: wholesale_threshold is 1.5",
        ),
        (
            "lexicon.toml",
            "extends = \"builtin\"\n[lexicons]\nterms = [\"a\", \" \"]\n".into(),
            "lexicon.toml:3:1: lexicon `terms` lists an empty term",
        ),
        (
            "empty-pattern.toml",
            "extends = \"builtin\"\n[patterns]\nany = \"a*\"\n".into(),
            "empty-pattern.toml:3:1: pattern `any` matches empty text",
        ),
        (
            "huge.toml",
            "extends = \"builtin\"\n[patterns]\nhuge = \"a{1000}{1000}{1000}\"\n".into(),
            "huge.toml:3:1: pattern `huge` cannot be compiled",
        ),
        (
            "override.toml",
            "extends = \"builtin\"\n[[rules]]\nid = \"no-such-rule\"\nlevel = \"minor\"\n".into(),
            "override.toml:3:6: rule `no-such-rule` overrides nothing",
        ),
    ];
    for (name, text, expected) in cases {
        write(dir.path(), name, text.as_bytes());
        let (code, stdout, stderr) = diff(dir.path(), &["old.md", "new.md", "--criteria", name]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{name}: {stderr}");
        assert!(stderr.starts_with(&format!("error: {expected}")), "{name}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{name}: {stderr}");
    }
}

#[test]
fn missing_files_and_directories_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.md", b"# A\n");
    assert_bad_input(
        diff(dir.path(), &["old.md", "gone.md"]),
        "gone.md: no such file or directory",
    );
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    assert_bad_input(diff(dir.path(), &["old.md", "folder"]), "folder: is a directory");
}

#[test]
fn unknown_revisions_and_paths_missing_at_a_revision_are_told_apart() {
    let repo = policy_repo();
    let (code, stdout, stderr) =
        diff(repo.path(), &["nope:policy/privacy.zh-CN.md", "policy/privacy.zh-CN.md"]);
    assert_bad_input((code, stdout, stderr), "unknown git revision `nope`");
    assert_bad_input(
        diff(repo.path(), &["HEAD:policy/gone.md", "policy/privacy.zh-CN.md"]),
        "`policy/gone.md` does not exist at revision `HEAD`",
    );
    let (code, stdout, _) = diff(
        repo.path(),
        &["HEAD:policy/privacy.zh-CN.md", "policy/privacy.zh-CN.md", "--format", "json"],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains("\"rev\": \"HEAD\"") && stdout.contains("\"level\": \"none\""),
        "{stdout}"
    );
}

#[test]
fn fail_on_sets_exit_one_and_json_follows_the_contract() {
    let repo = policy_repo();
    let edited = policy().replace("| 友盟推送 |", "| 穿山甲广告SDK | 用于向您展示个性化广告 | OAID | 北京巨量引擎网络技术有限公司 | 《穿山甲隐私政策》 |\n| 友盟推送 |");
    write(repo.path(), "edited.zh-CN.md", edited.as_bytes());
    let args =
        ["policy/privacy.zh-CN.md", "edited.zh-CN.md", "--format", "json", "--fail-on", "major"];
    let (code, stdout, stderr) = diff(repo.path(), &args);
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["schema"], "redline.report/1");
    // Inside the repository the copy keeps its front-matter id, not its file name.
    assert_eq!(report["document"], "privacy");
    assert_eq!(report["level"], "reconsent");
    assert_eq!(report["bump"], "major");
    assert_eq!(report["reconsent_required"], true);
    assert_eq!(report["qualifiers"], serde_json::json!(["separate"]));
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "new-sdk-ads");
    assert_eq!(finding["section"], "device-permissions");
    assert_eq!(finding["change"], "row_added");
    assert_eq!(finding["location"]["side"], "new");
    // The reference is in the document's language and cites the policy's own clause first;
    // `references` has both languages.
    assert_eq!(finding["reference"], finding["references"]["zh-CN"]);
    assert!(
        finding["reference"].as_str().unwrap().starts_with("本政策第十一条第3项；"),
        "{finding}"
    );
    assert!(
        finding["references"]["en"].as_str().unwrap().starts_with("十一 item 3; "),
        "{finding}"
    );
    assert_eq!(report["stats"]["sections_old"], 55);
    let (code, _, _) =
        diff(repo.path(), &["policy/privacy.zh-CN.md", "edited.zh-CN.md", "--fail-on", "never"]);
    assert_eq!(code, 0);
}

#[test]
fn check_compares_the_working_tree_with_head_and_names_the_profile() {
    let repo = policy_repo();
    let path = repo.path().join("policy/privacy.zh-CN.md");
    std::fs::write(&path, policy().replace("2706417145@qq.com", "privacy@huiyunyu.cn")).unwrap();
    let out = redline(repo.path()).args(["check", "--fail-on", "major"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("profile: huiyunyu (policy/criteria.toml)"), "{stdout}");
    assert!(stdout.contains("contact-replaced") && stdout.contains("level major"), "{stdout}");
    assert!(!stdout.contains('\x1b'), "no colour with NO_COLOR");
    let md = redline(repo.path()).args(["check", "--format", "markdown"]).output().unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.starts_with("## redline: `privacy` is **major**"), "{md}");
    assert!(md.contains("<del>2706417145</del>") || md.contains("<del>"), "{md}");
}

#[test]
fn check_without_git_or_archive_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("policy")).unwrap();
    for f in ["policy.toml", "criteria.toml", "privacy.zh-CN.md"] {
        std::fs::copy(root().join("policy").join(f), dir.path().join("policy").join(f)).unwrap();
    }
    let out = redline(dir.path()).arg("check").output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("nothing to compare with") && stderr.contains("--base REV"),
        "{stderr}"
    );
}

#[test]
fn outside_a_policy_repository_the_builtin_profile_applies() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "privacy.zh-CN.md", policy().as_bytes());
    write(
        dir.path(),
        "new.md",
        policy().replace("2706417145@qq.com", "privacy@huiyunyu.cn").as_bytes(),
    );
    let (code, stdout, _) = diff(dir.path(), &["privacy.zh-CN.md", "new.md"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("profile: builtin"), "{stdout}");
    // A replaced contact channel is major in the baseline too: users who write to the old
    // address no longer reach the operator (PIPL art. 17(1)(1), 50).
    assert!(
        stdout.contains("contact-replaced") && stdout.contains("level major"),
        "a replaced contact channel is major in the baseline: {stdout}"
    );
}

#[test]
fn rules_lists_and_explains() {
    let out = redline(root()).args(["rules"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("new-sdk-ads") && stdout.contains("other-wording"), "{stdout}");
    let out = redline(root()).args(["rules", "--explain", "contact-replaced"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("十一 item 5") && stdout.contains("level:     major"), "{stdout}");
    // The reference in Chinese, and every condition in words and as written.
    assert!(stdout.contains("本政策第十一条第5项"), "{stdout}");
    assert!(stdout.contains("    - a statement of the change is channel_replaced\n"), "{stdout}");
    assert!(stdout.contains("    statements = [\"channel_replaced\"]\n"), "{stdout}");
    assert!(stdout.contains("  defined:   policy/criteria.toml line "), "{stdout}");
    // The fallback and the wholesale rule are rules like any other.
    let out = redline(root()).args(["rules", "--explain", "other-wording"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout.starts_with(
            "other-wording: A wording change that no other rule matches\n  level:     minor"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("  fallback:  "), "{stdout}");
    let out = redline(root()).args(["rules", "--explain", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = redline(root()).args(["rules", "--format", "markdown"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("| Rule | Level | Title | Reference | Reason |\n|---|"), "{stdout}");
    assert!(stdout.contains("| `contact-added` | major |"), "{stdout}");
    assert!(stdout.contains("| `other-wording` | minor |"), "{stdout}");
}

#[test]
fn rules_test_runs_every_example_and_fails_on_a_wrong_one() {
    let out = redline(root()).args(["rules", "--test"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("ok   ownership-changed example 1: major"), "{stdout}");
    let out = redline(root()).args(["rules", "--test", "--criteria", "builtin"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // A team's own rule with an example that does not hold: exit 1, the failure named.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "mine.toml",
        b"extends = \"builtin\"\n[[rules]]\nid = \"mine\"\ntitle = \"t\"\nlevel = \"major\"\nreference = \"r\"\nreason = \"r\"\n[rules.match]\ntext = [\"zebra\"]\n[[rules.examples]]\nold = \"We keep logs.\"\nnew = \"We keep logs and a zebra.\"\nlevel = \"reconsent\"\n",
    );
    let out =
        redline(dir.path()).args(["rules", "--test", "--criteria", "mine.toml"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL mine example 1: major (expected reconsent, got major)"),
        "{stdout}"
    );
}

#[test]
fn switching_off_a_rule_and_the_fallback() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.md", b"# P\n\nWe collect your e-mail address.\n");
    write(
        dir.path(),
        "new.md",
        b"# P\n\nWe collect your e-mail address and your postal address.\n",
    );
    write(
        dir.path(),
        "off.toml",
        b"extends = \"builtin\"\n[[rules]]\nid = \"new-data-type\"\nlevel = \"off\"\n",
    );
    let (code, stdout, stderr) =
        diff(dir.path(), &["old.md", "new.md", "--criteria", "off.toml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        report["findings"].as_array().unwrap().iter().all(|f| f["rule"] != "new-data-type"),
        "{stdout}"
    );
    write(
        dir.path(),
        "bad.toml",
        b"extends = \"builtin\"\n[[rules]]\nid = \"other-wording\"\nlevel = \"off\"\n",
    );
    assert_bad_input(
        diff(dir.path(), &["old.md", "new.md", "--criteria", "bad.toml"]),
        "bad.toml:3:6: rule `other-wording` cannot be switched off",
    );
}

#[test]
fn a_nul_byte_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.md", b"# A\n");
    write(dir.path(), "new.md", b"# A\n\nbad\0byte\n");
    assert_bad_input(
        diff(dir.path(), &["old.md", "new.md"]),
        "new.md:3:4: control character U+0000",
    );
}

#[test]
fn usage_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = diff(dir.path(), &["a.md", "b.md", "--fail-on", "huge"]);
    assert_bad_input((code, stdout, stderr), "invalid value 'huge' for '--fail-on");
    // The line keeps what clap says on the lines after its first: the missing argument's name
    // and the "did you mean" tip.
    let out = redline(dir.path()).args(["consent"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr,
        "error: the following required arguments were not provided: --accepted <X.Y.Z> (see --help)\n"
    );
    let out = redline(dir.path()).args(["check", "--formt", "json"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("'--formt'") && stderr.contains("similar argument exists: '--format'"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // `redline` alone lists the commands on stderr and is a usage error.
    let out = redline(dir.path()).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!((out.status.code(), out.stdout.is_empty()), (Some(2), true));
    assert!(stderr.contains("Commands:") && stderr.contains("release"), "{stderr}");
}

#[test]
fn reasons_quote_words_not_lexicon_stems() {
    // The lexicon holds the stem `advertis*`; the reason names the word the text has.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "old.md",
        b"# Policy\n\n## Use\n\nWe use your email to send service notices.\n",
    );
    write(
        dir.path(),
        "new.md",
        b"# Policy\n\n## Use\n\nWe use your email to send service notices and for Advertising.\n",
    );
    let (code, stdout, stderr) = diff(dir.path(), &["old.md", "new.md", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let reason = report["findings"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("(advertising)"), "{reason}");
}
