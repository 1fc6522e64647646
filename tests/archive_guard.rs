//! The archive is checked before it is used: a tampered or malformed archive is refused by every
//! command that reads it (exit 2, one line naming the file, nothing on stdout), and the release
//! and site commands cannot damage it (version overflow, `--out` inside it, concurrent releases,
//! partial `--all` releases, file modes).

mod common;

use common::*;

/// Two committed releases: 1.0.0 and 2.0.0 (an advertising SDK added).
fn two_releases() -> TestRepo {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    repo.commit_all("Add an SDK", "2026-12-01T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-01"]);
    repo.drop_note();
    repo.commit_all("Release 2.0.0", "2026-12-01T12:00:00+08:00");
    repo
}

const ALTERED: &str = "; the archive was altered, so it is not used (run `redline verify`)\n";

#[test]
fn a_tampered_source_is_refused_by_every_reader() {
    let repo = two_releases();
    let path = "archive/privacy/2.0.0/privacy.zh-CN.md";
    let mut bytes = repo.bytes(path);
    bytes.extend_from_slice("tampered line\n".as_bytes());
    repo.write(path, bytes);
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let out = out.to_str().unwrap();
    for args in [
        vec!["check"],
        vec!["log"],
        vec!["show", "1.0.0"],
        vec!["consent", "--accepted", "1.0.0"],
        vec![
            "build",
            "--base-url",
            "https://example.com/policy/",
            "--out",
            out,
            "--as-of",
            "2026-12-20",
        ],
        vec!["release", "--allow-dirty"],
    ] {
        let e = repo.fails(&args, 2);
        assert!(
            e.starts_with(&format!("error: {path}: tampered source: sha256 is ")),
            "{args:?}: {e}"
        );
        assert!(e.ends_with(&format!("(and 1 more problem){ALTERED}")), "{args:?}: {e}");
    }
    assert!(!site.path().join("site").exists(), "nothing built");
}

#[test]
fn an_edited_record_is_refused_naming_its_line() {
    let repo = two_releases();
    let path = "archive/privacy/2.0.0/release.toml";
    let text = repo.read(path).replace("level = \"reconsent\"", "level = \"catastrophic\"");
    repo.write(path, text);
    for args in [vec!["log"], vec!["check"], vec!["show", "2.0.0"]] {
        let e = repo.fails(&args, 2);
        assert!(
            e.starts_with(&format!(
                "error: {path}: unreadable record: {path}:9:9: level `catastrophic` is not a level (none, editorial, minor, major, reconsent)"
            )),
            "{args:?}: {e}"
        );
        assert!(e.ends_with(ALTERED), "{args:?}: {e}");
    }
    let out = repo.redline(&["verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!("{path}: unreadable record: {path}:9:9: level `catastrophic`")),
        "{stdout}"
    );
}

#[test]
fn a_file_named_like_a_version_is_a_stray_that_stops_nothing() {
    let repo = two_releases();
    repo.write("archive/privacy/3.0.0", "x\n");
    let out = repo.redline(&["verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "archive/privacy/3.0.0: stray file: a file named like a version; a version is a folder holding release.toml and its sources\n\
         \x20 fix: rm -r -- archive/privacy/3.0.0\n\
         archive intact: 2 versions of 1 document (privacy); every source hash and the chain verified, 2 releases judged again; 1 stray file to remove (it stops nothing)\n"
    );
    repo.ok(&["check"]);
    repo.ok(&["log"]);
    // A release that would need its name says so, and writes nothing.
    repo.edit_zh(major);
    repo.commit_all("Add a permission", "2026-12-02T09:00:00+08:00");
    let before = repo.archive_snapshot();
    let e = repo.fails(&["release", "--as-of", "2026-12-02"], 2);
    assert_eq!(
        e,
        "error: archive/privacy/3.0.0/ already exists; a released version is never rewritten\n"
    );
    assert_eq!(repo.archive_snapshot(), before);
}

#[test]
fn a_version_at_the_top_cannot_be_bumped() {
    let repo = TestRepo::new();
    repo.edit_zh(minor);
    let max = "18446744073709551615.0.0";
    repo.ok(&["release", "--allow-dirty", "--as-of", "2026-11-29", "--version", max]);
    repo.edit_zh(add_sdk_row);
    let before = repo.archive_snapshot();
    let e = repo.fails(&["release", "--allow-dirty", "--as-of", "2026-12-01"], 2);
    assert_eq!(
        e,
        format!(
            "error: cannot bump {max} (major): its major number is the largest there is (18446744073709551615); no version can follow it\n"
        )
    );
    assert_eq!(repo.archive_snapshot(), before);
}

#[test]
fn a_relative_out_inside_the_archive_or_policy_is_refused() {
    let repo = two_releases();
    let before = repo.archive_snapshot();
    for out in [
        "policy/site",
        "archive/privacy/2.0.0/site",
        "archive/privacy/9.0.0",
        "./archive/x/../privacy/9.0.0",
        "nowhere/../archive/site",
    ] {
        let e = repo.fails(
            &[
                "build",
                "--base-url",
                "https://example.com/policy/",
                "--out",
                out,
                "--as-of",
                "2026-12-20",
            ],
            2,
        );
        assert_eq!(
            e,
            format!(
                "error: --out {out}: would replace the policy repository or its sources; choose a folder of its own such as site/\n"
            )
        );
    }
    assert_eq!(repo.archive_snapshot(), before);
    assert!(!repo.file("policy/site").exists() && !repo.file("nowhere").exists());
    // A relative folder of its own is fine.
    repo.ok(&[
        "build",
        "--base-url",
        "https://example.com/policy/",
        "--out",
        "public/site",
        "--as-of",
        "2026-12-20",
    ]);
    assert!(repo.file("public/site/index.html").is_file());
}

#[test]
fn notice_days_and_dates_out_of_range_name_their_source() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    let config = repo.read("policy/policy.toml");
    let line = config.lines().position(|l| l.starts_with("notice_days")).unwrap() + 1;
    for n in ["4294967295", "3000000", "-1"] {
        repo.write(
            "policy/policy.toml",
            config.replace("notice_days = 7", &format!("notice_days = {n}")),
        );
        let e = repo.fails(&["release", "--dry-run", "--allow-dirty"], 2);
        assert_eq!(
            e,
            format!(
                "error: policy/policy.toml:{line}:15: notice_days = {n} is out of range: give a number of days from 0 to 3650 (ten years)\n"
            )
        );
    }
    repo.write("policy/policy.toml", &config);
    let e = repo.fails(&["release", "--dry-run", "--allow-dirty", "--as-of", "9999-12-30"], 2);
    assert_eq!(
        e,
        "error: the release date 9999-12-30 (--as-of, or today) plus notice_days = 7 (policy/policy.toml) is after 9999-12-31, the last date redline handles\n"
    );
}

/// Adds a second document, `sdk`, to the repository's policy.
fn add_sdk_document(repo: &TestRepo) {
    let mut config = repo.read("policy/policy.toml");
    config.push_str(
        "\n[[documents]]\nid = \"sdk\"\nsource_language = \"zh-CN\"\n[documents.lint]\ndisclosures = []\n",
    );
    repo.write("policy/policy.toml", config);
    repo.write(
        "policy/sdk.zh-CN.md",
        "+++\nid = \"sdk\"\ntitle = \"SDK\"\nlang = \"zh-CN\"\n+++\n\n# SDK {#sdk}\n\n| SDK | 用途 |\n| --- | --- |\n| 友盟 | 统计 |\n",
    );
}

#[cfg(unix)]
#[test]
fn release_all_writes_every_document_or_none() {
    let repo = TestRepo::new();
    add_sdk_document(&repo);
    repo.commit_all("Add the SDK list", "2026-11-01T11:00:00+08:00");
    repo.edit_zh(add_sdk_row);
    // archive/sdk cannot be created (a dangling symbolic link): the second document fails
    // after the first was planned and could have been written.
    std::fs::create_dir_all(repo.file("archive")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/redline-test", repo.file("archive/sdk")).unwrap();
    let e = repo.fails(&["release", "--all", "--allow-dirty", "--as-of", "2026-11-29"], 2);
    assert!(e.starts_with("error: "), "{e}");
    assert!(e.contains("archive/sdk"), "{e}");
    assert!(!repo.file("archive/privacy").exists(), "privacy was written although sdk failed");
    std::fs::remove_file(repo.file("archive/sdk")).unwrap();
    let out = repo.ok(&["release", "--all", "--allow-dirty", "--as-of", "2026-11-29"]);
    assert!(out.contains("released privacy 1.0.0") && out.contains("released sdk 1.0.0"), "{out}");
    repo.ok(&["verify"]);
}

#[test]
fn a_release_in_progress_locks_the_archive() {
    let repo = two_releases();
    repo.edit_zh(minor);
    // A lock of an older redline, held by a process that runs (this test).
    let me = std::process::id();
    repo.write("archive/.lock", format!("{me}\n"));
    // verify and the readers are not stopped by the lock (they mention it).
    repo.ok(&["verify"]);
    repo.ok(&["log"]);
    let before = repo.archive_snapshot();
    for args in [
        vec!["release", "--allow-dirty", "--as-of", "2026-12-10"],
        vec!["release", "--allow-dirty", "--as-of", "2026-12-10", "--version", "4.0.0"],
    ] {
        let e = repo.fails(&args, 2);
        assert_eq!(
            e,
            format!(
                "error: another release may be in progress: archive/.lock is held by process {me}: a release is in progress (if that process is not a redline release, delete archive/.lock)\n"
            )
        );
    }
    assert_eq!(repo.archive_snapshot(), before);
    // A dry run writes nothing and does not need the lock.
    repo.ok(&["release", "--allow-dirty", "--as-of", "2026-12-10", "--dry-run"]);
    std::fs::remove_file(repo.file("archive/.lock")).unwrap();
    let out = repo.ok(&["release", "--allow-dirty", "--as-of", "2026-12-10"]);
    assert!(out.starts_with("released privacy 2.1.0"), "{out}");
    assert!(!repo.file("archive/.lock").exists(), "the lock is released");
    repo.ok(&["verify"]);
}

#[test]
fn a_refused_first_release_leaves_no_archive_folder() {
    let repo = TestRepo::new();
    repo.edit_zh(minor);
    // Dirty without --allow-dirty: refused; the lock's archive/ is removed again.
    repo.fails(&["release", "--as-of", "2026-11-29"], 2);
    assert!(!repo.file("archive").exists());
}

#[cfg(unix)]
#[test]
fn init_writes_files_readable_by_others() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let tmp = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("redline")
        .unwrap()
        .current_dir(tmp.path())
        .args(["init", "p"])
        .assert()
        .success();
    let p = tmp.path().join("p");
    for rel in [
        "policy/policy.toml",
        "policy/criteria.toml",
        "policy/privacy.zh-CN.md",
        "templates/README.md",
        ".github/workflows/policy.yml",
        ".gitignore",
        ".gitattributes",
    ] {
        assert_eq!(mode(&p.join(rel)), 0o644, "{rel}");
    }
    assert!(std::fs::read_to_string(p.join(".gitignore")).unwrap().contains("/archive/.lock*\n"));
}
