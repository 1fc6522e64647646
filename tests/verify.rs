//! `redline verify` catches each kind of tampering, naming the path; exit 1 on any problem.

mod common;

use common::*;

/// A repository with three committed releases: 1.0.0, 1.1.0 (minor), 2.0.0 (reconsent).
fn released() -> TestRepo {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-12-01T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-01"]);
    repo.commit_all("Release 1.1.0", "2026-12-01T12:00:00+08:00");
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    repo.commit_all("Add an SDK", "2026-12-08T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-08"]);
    repo.drop_note();
    repo.commit_all("Release 2.0.0", "2026-12-08T12:00:00+08:00");
    let out = repo.ok(&["verify"]);
    assert_eq!(
        out,
        "archive intact: 3 versions of 1 document (privacy); every source hash and the chain verified, 3 releases judged again\n"
    );
    repo
}

/// Runs verify, expecting exit 1; returns its problem lines (without the `  fix:` line under
/// each, which every problem has) and without the final count line.
fn problems(repo: &TestRepo) -> Vec<String> {
    let out = repo.redline(&["verify"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let all: Vec<&str> = stdout.lines().collect();
    for (i, line) in all.iter().enumerate().take(all.len() - 1) {
        assert_eq!(line.starts_with("  fix: "), i % 2 == 1, "a fix under each problem: {stdout}");
    }
    let mut lines: Vec<String> =
        stdout.lines().filter(|l| !l.starts_with("  fix: ")).map(str::to_string).collect();
    let last = lines.pop().unwrap();
    // Stray files, when there are any, are counted after the versions.
    assert!(last.contains("in 3 versions of 1 document (privacy)"), "{last}");
    lines
}

fn flip_byte(repo: &TestRepo, rel: &str, at: usize) {
    let mut bytes = repo.bytes(rel);
    bytes[at] ^= 0x01;
    repo.write(rel, bytes);
}

#[test]
fn one_changed_byte_in_a_source_is_a_tampered_source() {
    let repo = released();
    let rel = "archive/privacy/1.0.0/privacy.zh-CN.md";
    let expected = sha256(&repo.bytes(rel));
    flip_byte(&repo, rel, 100);
    let actual = sha256(&repo.bytes(rel));
    let lines = problems(&repo);
    assert_eq!(
        lines,
        [
            format!("{rel}: tampered source: sha256 is {actual}, release.toml records {expected}"),
            format!(
                "{rel}: rewritten release: differs from the committed file (HEAD {}); a released file is never modified",
                &repo.head()[..10]
            ),
        ]
    );
}

#[test]
fn an_edited_record_breaks_the_chain_at_its_successor() {
    let repo = released();
    let rel = "archive/privacy/1.0.0/release.toml";
    let text = repo.read(rel).replace("effective = \"2026-11-29\"", "effective = \"2026-11-20\"");
    let new_hash = sha256(text.as_bytes());
    repo.write(rel, &text);
    let recorded = redline::archive::ReleaseRecord::parse(
        "r",
        &repo.bytes("archive/privacy/1.1.0/release.toml"),
    )
    .unwrap()
    .previous_record;
    let lines = problems(&repo);
    assert_eq!(
        lines,
        [
            format!(
                "{rel}: edited record: its sha256 is {new_hash}, but archive/privacy/1.1.0/release.toml recorded {recorded} when 1.1.0 was released: one of the two records was edited"
            ),
            format!(
                "{rel}: rewritten release: differs from the committed file (HEAD {}); a released file is never modified",
                &repo.head()[..10]
            ),
        ]
    );
}

#[test]
fn the_newest_record_is_protected_by_git() {
    let repo = released();
    let rel = "archive/privacy/2.0.0/release.toml";
    repo.write(rel, repo.read(rel).replace("level = \"reconsent\"", "level = \"minor\""));
    assert_eq!(
        problems(&repo),
        [format!(
            "{rel}: rewritten release: differs from the committed file (HEAD {}); a released file is never modified",
            &repo.head()[..10]
        )]
    );
}

#[test]
fn a_file_changed_in_a_later_commit_is_a_rewritten_release_until_restored() {
    let repo = released();
    let rel = "archive/privacy/2.0.0/privacy.en.md";
    let added = repo.head();
    let original = repo.bytes(rel);
    repo.write(rel, b"rewritten\n");
    repo.commit_all("Rewrite history", "2026-12-09T09:00:00+08:00");
    let rewrite = repo.head();
    let lines = problems(&repo);
    assert!(
        lines.contains(&format!(
            "{rel}: rewritten release: changed in commit {} after commit {} added it",
            &rewrite[..10],
            &added[..10]
        )),
        "{lines:?}"
    );
    // Put the bytes back: the file is again what the commit that added it holds, so it is
    // intact, whatever happened in between (an accident that was reverted).
    repo.write(rel, &original);
    repo.commit_all("Restore", "2026-12-09T10:00:00+08:00");
    repo.ok(&["verify"]);
}

#[test]
fn unreadable_deleted_and_missing_files_are_named() {
    let repo = released();
    let record = "archive/privacy/1.1.0/release.toml";
    repo.write(record, "schema = \"redline.release/1\"\nversion = [\n");
    let lines = problems(&repo);
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("{record}: unreadable record: {record}:"))),
        "{lines:?}"
    );
    // Its successor can no longer be linked by hash to it either.
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("{record}: edited record: its sha256 is"))),
        "{lines:?}"
    );

    let repo = released();
    std::fs::remove_file(repo.file(record)).unwrap();
    let lines = problems(&repo);
    assert!(
        lines.contains(&format!(
            "{record}: deleted record: the record of 1.1.0 is missing (deleted?)"
        )),
        "{lines:?}"
    );

    let repo = released();
    let source = "archive/privacy/1.1.0/privacy.en.md";
    std::fs::remove_file(repo.file(source)).unwrap();
    repo.write("archive/privacy/1.1.0/notes.txt", "added later\n");
    let lines = problems(&repo);
    assert!(
        lines.contains(&format!("{source}: missing source: listed in release.toml but missing")),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"archive/privacy/1.1.0/notes.txt: unlisted file: in the version folder but not listed in [sources] of release.toml".to_string()),
        "{lines:?}"
    );
}

#[test]
fn a_deleted_version_breaks_the_chain() {
    let repo = released();
    std::fs::remove_dir_all(repo.file("archive/privacy/1.1.0")).unwrap();
    repo.commit_all("Delete 1.1.0", "2026-12-09T09:00:00+08:00");
    let deleted = repo.head();
    let out = repo.redline(&["verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.starts_with("  fix: ")).collect();
    assert!(
        stdout.contains(&format!(
            "archive/privacy/2.0.0/release.toml: broken chain: previous is \"1.1.0\" but the version before it in the archive is 1.0.0\n  fix: restore the deleted version: git checkout {} -- archive/privacy/1.1.0\n",
            &repo.git(&["rev-parse", "HEAD~3"], None)[..10]
        )),
        "{stdout}"
    );
    assert_eq!(
        lines,
        [
            "archive/privacy/1.1.0/criteria.layers.toml: rewritten release: deleted in commit "
                .to_string()
                + &deleted[..10],
            "archive/privacy/1.1.0/privacy.en.md: rewritten release: deleted in commit ".to_string()
                + &deleted[..10],
            "archive/privacy/1.1.0/privacy.zh-CN.md: rewritten release: deleted in commit ".to_string()
                + &deleted[..10],
            "archive/privacy/1.1.0/release.toml: rewritten release: deleted in commit ".to_string()
                + &deleted[..10],
            "archive/privacy/2.0.0/release.toml: broken chain: previous is \"1.1.0\" but the version before it in the archive is 1.0.0".to_string(),
            "5 integrity problems in 2 versions of 1 document (privacy)".to_string(),
        ]
    );
}

#[test]
fn the_newest_version_deleted_before_commit_is_caught() {
    let repo = released();
    std::fs::remove_dir_all(repo.file("archive/privacy/2.0.0")).unwrap();
    let out = repo.redline(&["verify", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = v["problems"].as_array().unwrap();
    // Its sources, its criteria and its record.
    assert_eq!(problems.len(), 4, "{v}");
    assert_eq!(problems[1]["path"], "archive/privacy/2.0.0/privacy.en.md");
    for p in problems {
        assert_eq!(p["kind"], "rewritten");
        assert!(p["message"].as_str().unwrap().ends_with("but deleted from the working tree"));
        assert!(
            p["fix"].as_str().unwrap().starts_with("restore the released bytes: git checkout ")
        );
        assert_eq!(p["blocks"], true);
    }
    assert_eq!(v["versions"], 2);
}

#[test]
fn a_shallow_clone_verifies_hashes_and_says_history_was_not_checked() {
    let repo = released();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let status = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(clone.path().join("c"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = assert_cmd::Command::cargo_bin("redline")
        .unwrap()
        .current_dir(clone.path().join("c"))
        .arg("verify")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "note: shallow clone: the history of archive/ was not checked; fetch full history (`git fetch --unshallow`, or `fetch-depth: 0` in CI) to check it\n"
    );
}

#[test]
fn a_leftover_temporary_folder_is_a_stray_not_a_problem() {
    let repo = released();
    repo.write("archive/privacy/.release-abc123/privacy.zh-CN.md", "half\n");
    let out = repo.redline(&["verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "archive/privacy/.release-abc123: stray file: left over by an interrupted release; it is not a version (the next release removes it)\n  fix: rm -r -- archive/privacy/.release-abc123\narchive intact: 3 versions of 1 document (privacy); every source hash and the chain verified, 3 releases judged again; 1 stray file to remove (it stops nothing)\n"
    );
    // and release ignores it
    repo.edit_zh(minor2);
    repo.commit_all("Wording", "2026-12-20T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-20"]);
    assert!(repo.file("archive/privacy/2.1.0/release.toml").is_file());
}
