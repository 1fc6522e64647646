//! A policy repository in a subfolder of a git work tree (`legal/`), or nested in another policy
//! repository: every read at a git revision looks the file up at its path inside the git tree
//! (`legal/policy/…`), never at the policy-root-relative path from the top level.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const ZH: &str = "policy/privacy.zh-CN.md";

/// A git repository whose policy repository is the subfolder `legal/` (a copy of this
/// repository's `policy/`), committed once on 2026-11-01.
fn legal() -> TestRepo {
    let repo = TestRepo::empty();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("policy");
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        repo.write(
            &format!("legal/policy/{}", entry.file_name().to_string_lossy()),
            std::fs::read(entry.path()).unwrap(),
        );
    }
    repo.write("README.md", "the product, not the policy\n");
    repo.commit_all("Import the policy", "2026-11-01T10:00:00+08:00");
    repo
}

/// `redline` run in the subfolder `sub` of the repository, without colour.
fn run_in(repo: &TestRepo, sub: &str, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("redline")
        .unwrap()
        .current_dir(repo.path().join(sub))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// The JSON report of a successful run in `sub`.
fn report_in(repo: &TestRepo, sub: &str, args: &[&str]) -> Value {
    let out = run_in(repo, sub, args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The one-line error of a run in `sub` that must exit 2 with nothing on stdout.
fn error_in(repo: &TestRepo, sub: &str, args: &[&str]) -> String {
    let out = run_in(repo, sub, args);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

fn edit(repo: &TestRepo, rel: &str, f: impl FnOnce(String) -> String) {
    let text = repo.read(rel);
    repo.write(rel, f(text));
}

#[test]
fn check_in_a_subfolder_compares_with_head_at_the_subfolder_path() {
    let repo = legal();
    let clean = report_in(&repo, "legal", &["check", "--format", "json"]);
    assert_eq!(clean["level"], "none", "{clean}");
    assert_eq!(clean["base"]["rev"], "HEAD");
    assert_eq!(clean["base"]["path"], "legal/policy/privacy.zh-CN.md");
    assert_eq!(clean["head"]["path"], ZH);

    edit(&repo, &format!("legal/{ZH}"), major);
    let r = report_in(&repo, "legal", &["check", "--format", "json"]);
    assert_eq!(r["level"], "major", "{r}");
    let rules: Vec<&str> =
        r["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["new-permission"], "{r}");
    assert_eq!(r["findings"][0]["change"], "row_added");
    // From a folder below the policy root too.
    let r = report_in(&repo, "legal/policy", &["check", "--format", "json"]);
    assert_eq!(r["level"], "major", "{r}");
}

#[test]
fn check_base_in_a_subfolder_reads_the_revision_at_the_subfolder_path() {
    let repo = legal();
    edit(&repo, &format!("legal/{ZH}"), minor);
    repo.commit_all("Say where the e-mail address is", "2026-11-05T10:00:00+08:00");
    let r = report_in(&repo, "legal", &["check", "--base", "HEAD~1", "--format", "json"]);
    assert_eq!(r["level"], "minor", "{r}");
    assert_eq!(r["base"]["rev"], "HEAD~1");
    assert_eq!(r["base"]["path"], "legal/policy/privacy.zh-CN.md");
    assert_eq!(r["findings"][0]["rule"], "other-wording", "{r}");
    assert_eq!(r["findings"][0]["location"]["path"], ZH);
    // Against HEAD nothing changed.
    let r = report_in(&repo, "legal", &["check", "--base", "HEAD", "--format", "json"]);
    assert_eq!(r["level"], "none", "{r}");
}

#[test]
fn diff_rev_path_in_a_subfolder_reads_paths_as_git_does() {
    let repo = legal();
    edit(&repo, &format!("legal/{ZH}"), major);
    // `REV:PATH` is relative to the top of the work tree, as in git.
    let r = report_in(
        &repo,
        "legal",
        &["diff", "--format", "json", "HEAD:legal/policy/privacy.zh-CN.md", ZH],
    );
    assert_eq!(r["level"], "major", "{r}");
    assert_eq!(r["base"]["path"], "legal/policy/privacy.zh-CN.md");
    // `REV:./PATH` is relative to the current folder, as in git.
    let r = report_in(
        &repo,
        "legal",
        &["diff", "--format", "json", "HEAD:./policy/privacy.zh-CN.md", ZH],
    );
    assert_eq!(r["level"], "major", "{r}");
    assert_eq!(r["base"]["path"], "legal/policy/privacy.zh-CN.md");
    let r = report_in(
        &repo,
        "legal/policy",
        &["diff", "--format", "json", "HEAD:../policy/privacy.zh-CN.md", "privacy.zh-CN.md"],
    );
    assert_eq!(r["level"], "major", "{r}");
    // A policy-root-relative path typed in the subfolder is missing, and the message says why.
    assert_eq!(
        error_in(&repo, "legal", &["diff", "HEAD:policy/privacy.zh-CN.md", ZH]),
        "error: `policy/privacy.zh-CN.md` does not exist at revision `HEAD`; the path after `HEAD:` is relative to the top of the git work tree, as in git (write `HEAD:legal/policy/privacy.zh-CN.md`, or `HEAD:./policy/privacy.zh-CN.md` for a path relative to the current folder)\n"
    );
}

#[test]
fn a_nested_policy_repository_compares_with_its_own_files() {
    let repo = TestRepo::new();
    repo.ok(&["init", "sub"]);
    // Before `sub/` is committed, HEAD has no file of it: said, not compared with the outer one.
    assert_eq!(
        error_in(&repo, "sub", &["check"]),
        "error: `sub/policy/privacy.zh-CN.md` does not exist at revision `HEAD`\n"
    );
    repo.commit_all("A second policy", "2026-11-02T10:00:00+08:00");
    let r = report_in(&repo, "sub", &["check", "--format", "json"]);
    assert_eq!(r["level"], "none", "{r}");
    assert_eq!(r["base"]["path"], "sub/policy/privacy.zh-CN.md");
    assert_eq!(r["findings"], Value::Array(Vec::new()));
    // The outer policy still compares with its own file.
    let outer: Value = serde_json::from_str(&repo.ok(&["check", "--format", "json"])).unwrap();
    assert_eq!(outer["level"], "none", "{outer}");
    assert_eq!(outer["base"]["path"], ZH);
}

#[test]
fn a_subfolder_policy_without_any_commit_says_to_commit_first() {
    let repo = TestRepo::empty();
    repo.ok(&["init", "legal"]);
    assert_eq!(
        error_in(&repo, "legal", &["check"]),
        "error: unknown git revision `HEAD`: the git repository has no commit yet; commit the policy first (git add -A && git commit)\n"
    );
}
