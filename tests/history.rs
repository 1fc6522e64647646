//! `redline history` across merge commits, `diff`/`check` at any revision, and shallow clones.

mod common;

use common::*;
use serde_json::Value;

/// main: A (import) ─ C (minor) ─ M (merge of feature) ─ F (README only) ─ G (merge of perm)
/// feature: A ─ B (advertising SDK); perm: M ─ E (contacts permission).
struct Story {
    repo: TestRepo,
    a: String,
    b: String,
    c: String,
    m: String,
    e: String,
}

fn story() -> Story {
    let repo = TestRepo::new();
    let a = repo.head();
    repo.git(&["checkout", "-q", "-b", "feature"], None);
    repo.edit_zh(add_sdk_row);
    repo.commit_all("Add the advertising SDK", "2026-11-05T10:00:00+08:00");
    let b = repo.head();
    repo.git(&["checkout", "-q", "main"], None);
    repo.edit_zh(minor);
    repo.commit_all("Say where the e-mail address is", "2026-11-06T10:00:00+08:00");
    let c = repo.head();
    repo.git(
        &["merge", "-q", "--no-ff", "-m", "Merge branch feature", "feature"],
        Some("2026-11-07T10:00:00+08:00"),
    );
    let m = repo.head();
    repo.git(&["checkout", "-q", "-b", "perm"], None);
    repo.edit_zh(major);
    repo.commit_all("Ask for the contacts permission", "2026-11-09T10:00:00+08:00");
    let e = repo.head();
    repo.git(&["checkout", "-q", "main"], None);
    repo.write("README.md", "policy repository\n");
    repo.commit_all("Add a README", "2026-11-08T10:00:00+08:00");
    repo.git(
        &["merge", "-q", "--no-ff", "-m", "Merge branch perm", "perm"],
        Some("2026-11-10T10:00:00+08:00"),
    );
    Story { repo, a, b, c, m, e }
}

#[test]
fn history_lists_the_commits_that_brought_each_finding() {
    let s = story();
    let out = s.repo.ok(&["history", "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["path"], "policy/privacy.zh-CN.md");
    let commits = v["commits"].as_array().unwrap();
    let rows: Vec<(String, String, String, String)> = commits
        .iter()
        .map(|c| {
            (
                c["commit"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["level"].as_str().unwrap().to_string(),
                c["date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let row = |id: &String, kind: &str, level: &str, date: &str| {
        (id.clone(), kind.to_string(), level.to_string(), date.to_string())
    };
    // The merge of `perm` took E's file unchanged, so E is listed and the merge is not; the
    // merge of `feature` combined two edits, so it differs from both parents and is listed,
    // classified against its first parent (C): it brought the SDK to main.
    assert_eq!(
        rows,
        [
            row(&s.e, "modified", "major", "2026-11-09"),
            row(&s.m, "modified", "reconsent", "2026-11-07"),
            row(&s.c, "modified", "minor", "2026-11-06"),
            row(&s.b, "modified", "reconsent", "2026-11-05"),
            row(&s.a, "added", "none", "2026-11-01"),
        ]
    );
    assert_eq!(
        commits[0]["summary"],
        serde_json::json!(["device-permissions: row added 通讯录 (major)"])
    );
    assert_eq!(
        commits[1]["summary"],
        serde_json::json!(["device-permissions: row added 穿山甲广告SDK (reconsent)"])
    );
    assert_eq!(commits[1]["parents"], serde_json::json!([s.c, s.b]));
    assert_eq!(commits[1]["qualifiers"], serde_json::json!(["separate"]));
    assert_eq!(commits[1]["bump"], "major");
    assert_eq!(
        commits[2]["summary"],
        serde_json::json!(["notice: block modified +本页底部所列的 (minor)"])
    );
    assert_eq!(commits[0]["author"], "Release Tester");
    assert_eq!(commits[0]["subject"], "Ask for the contacts permission");

    let text = s.repo.ok(&["history"]);
    assert!(
        text.starts_with("policy/privacy.zh-CN.md: 5 commits changed it (newest first)\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "\n{} 2026-11-07 Release Tester (merge): Merge branch feature\n  level reconsent (separate) · bump major\n    device-permissions: row added 穿山甲广告SDK (reconsent)\n",
            &s.m[..10]
        )),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "\n{} 2026-11-01 Release Tester: Import the policy\n  added the file\n",
            &s.a[..10]
        )),
        "{text}"
    );
}

#[test]
fn history_since_a_revision_and_unknown_revisions() {
    let s = story();
    let out = s.repo.ok(&["history", "--since", &s.m, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> =
        v["commits"].as_array().unwrap().iter().map(|c| c["commit"].as_str().unwrap()).collect();
    assert_eq!(ids, [s.e.as_str()]);
    let e = s.repo.fails(&["history", "--since", "nope"], 2);
    assert_eq!(e, "error: unknown git revision `nope`\n");
}

#[test]
fn diff_and_check_take_any_revision() {
    let s = story();
    s.repo.git(&["tag", "v-import", &s.a], None);
    let out = s
        .repo
        .redline(&[
            "diff",
            "v-import:policy/privacy.zh-CN.md",
            "HEAD~1:policy/privacy.zh-CN.md",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["level"], "reconsent");
    assert_eq!(v["base"]["rev"], "v-import");
    assert_eq!(v["head"]["rev"], "HEAD~1");
    let v: Value =
        serde_json::from_str(&s.repo.ok(&["check", "--base", &s.m, "--format", "json"])).unwrap();
    assert_eq!(v["level"], "major");
    let e = s.repo.fails(&["check", "--base", "HEAD~40"], 2);
    assert_eq!(e, "error: unknown git revision `HEAD~40`\n");
}

#[test]
fn a_shallow_clone_gets_a_clear_message_and_release_still_works() {
    let s = story();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", s.repo.path().display());
    let status = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(clone.path().join("c"))
        .status()
        .unwrap();
    assert!(status.success());
    let dir = clone.path().join("c");
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("redline")
            .unwrap()
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["history"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: this is a shallow clone: the history of the policy is cut off; fetch full history with `git fetch --unshallow` (in CI: `fetch-depth: 0` for actions/checkout) and run again\n"
    );
    // check and release never need history.
    let out = run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["release", "--as-of", "2026-11-29"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("archive/privacy/1.0.0/release.toml").is_file());
}
