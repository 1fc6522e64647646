//! The archive in ordinary git life, and inputs that must not hang the tool: one test (or a few)
//! per problem of issue 9, each reproducing it in a temporary git repository.
//!
//! 1. an accidental commit under `archive/` (reverted, a `.DS_Store`, a leftover staging folder);
//! 2. a checkout whose line endings git converted (`core.autocrlf`);
//! 3. a killed release's lock and staging folder;
//! 4. `release` publishing what `lint` rejects, and `import`'s own checks;
//! 5. a forged newest record (and one naming another engine);
//! 6. a move of `policy/` and `archive/` that hides an edit;
//! 7. modes and symbolic links of archived files, and `lint` reading the archive unchecked;
//! 8. inputs that hang (a named pipe) or explode (`/dev/zero`, a huge file), link loops.

mod common;

use common::*;
use std::time::Duration;

/// Every command here must answer quickly: a hang is a failure, not a stuck test.
const PATIENCE: Duration = Duration::from_secs(60);

/// `redline` in `dir` with a time limit.
fn redline_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("redline")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .timeout(PATIENCE)
        .output()
        .unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Two committed releases: 1.0.0 and 2.0.0 (the advertising SDK added: reconsent).
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

/// The commands that read the archive all work (exit 0).
fn readers_work(repo: &TestRepo) {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    for args in [
        vec!["check"],
        vec!["log", "--as-of", "2026-12-20"],
        vec!["show", "1.0.0"],
        vec!["consent", "--accepted", "1.0.0", "--as-of", "2026-12-20"],
        vec![
            "build",
            "--base-url",
            "https://example.com/policy/",
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            "2026-12-20",
        ],
        vec!["release", "--dry-run", "--allow-dirty", "--as-of", "2026-12-20"],
    ] {
        let o = repo.redline(&args).output().unwrap();
        let code = o.status.code();
        // A dry run with nothing to release refuses for that reason alone.
        let nothing = stderr(&o).contains("nothing to release");
        assert!(code == Some(0) || nothing, "{args:?}: {}", stderr(&o));
    }
}

/// `verify`'s stdout lines, expecting `code`.
fn verify_lines(repo: &TestRepo, code: i32) -> Vec<String> {
    let o = repo.redline(&["verify"]).output().unwrap();
    assert_eq!(o.status.code(), Some(code), "{}{}", stdout(&o), stderr(&o));
    stdout(&o).lines().map(str::to_string).collect()
}

// 1 ------------------------------------------------------------------------------------------

#[test]
fn p1_a_reverted_edit_of_an_archived_file_is_intact() {
    let repo = two_releases();
    let rel = "archive/privacy/2.0.0/privacy.zh-CN.md";
    let original = repo.bytes(rel);
    let mut edited = original.clone();
    edited.push(b'\n');
    repo.write(rel, &edited);
    repo.commit_all("Oops: a trailing newline in a released file", "2026-12-02T09:00:00+08:00");
    let oops = repo.head();
    // While it stands, it is caught, with the command that restores the released bytes.
    let lines = verify_lines(&repo, 1);
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("{rel}: tampered source: sha256 is "))),
        "{lines:?}"
    );
    let restore = lines
        .iter()
        .find(|l| l.starts_with("  fix: restore the released bytes: git checkout "))
        .unwrap_or_else(|| panic!("{lines:?}"))
        .clone();
    assert!(restore.ends_with(&format!(" -- {rel}")), "{restore}");
    // `git revert` recovers: the file holds again the bytes of the commit that added it.
    repo.git(&["revert", "--no-edit", &oops], Some("2026-12-02T10:00:00+08:00"));
    assert_eq!(repo.bytes(rel), original);
    let lines = verify_lines(&repo, 0);
    assert_eq!(
        lines,
        [
            "archive intact: 2 versions of 1 document (privacy); every source hash and the chain verified, 2 releases judged again"
        ]
    );
    readers_work(&repo);
}

#[test]
fn p1_a_restored_file_is_intact_and_its_fix_command_works() {
    let repo = two_releases();
    let rel = "archive/privacy/1.0.0/release.toml";
    let original = repo.bytes(rel);
    repo.write(
        rel,
        repo.read(rel).replace("effective = \"2026-11-29\"", "effective = \"2026-11-20\""),
    );
    repo.commit_all("Backdate 1.0.0", "2026-12-02T09:00:00+08:00");
    let lines = verify_lines(&repo, 1);
    let fix = lines
        .iter()
        .skip_while(|l| !l.starts_with(&format!("{rel}: rewritten release: changed in commit ")))
        .nth(1)
        .unwrap_or_else(|| panic!("{lines:?}"))
        .strip_prefix("  fix: restore the released bytes: ")
        .unwrap()
        .to_string();
    // Run the fix exactly as printed.
    let args: Vec<&str> = fix.split(' ').skip(1).collect();
    assert_eq!(fix.split(' ').next(), Some("git"), "{fix}");
    repo.git(&args, None);
    assert_eq!(repo.bytes(rel), original);
    // The working tree is intact again; HEAD still holds the edit, so a note says to commit.
    let o = repo.redline(&["verify"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stderr(&o)
            .contains(&format!("note: {rel}: the working file is the released one, but HEAD ")),
        "{}",
        stderr(&o)
    );
    repo.commit_all("Restore 1.0.0's record", "2026-12-02T10:00:00+08:00");
    verify_lines(&repo, 0);
}

#[test]
fn p1_stray_files_are_reported_with_their_removal_and_stop_nothing() {
    let repo = two_releases();
    repo.write("archive/privacy/1.0.0/.DS_Store", b"\x00\x00\x00\x01Bud1");
    repo.write("archive/.DS_Store", b"\x00\x00\x00\x01Bud1");
    repo.write("archive/privacy/notes.md", "a note\n");
    repo.commit_all("Add Finder files by accident", "2026-12-02T09:00:00+08:00");
    repo.write("archive/privacy/2.0.0/scratch.txt", "not committed\n");
    let lines = verify_lines(&repo, 0);
    assert_eq!(
        lines,
        [
            "archive/.DS_Store: stray file: not part of any release (archive/ holds one folder per document)",
            "  fix: git rm -r -q -- archive/.DS_Store",
            "archive/privacy/1.0.0/.DS_Store: unlisted file: in the version folder but not listed in [sources] of release.toml",
            "  fix: git rm -r -q -- archive/privacy/1.0.0/.DS_Store",
            "archive/privacy/2.0.0/scratch.txt: unlisted file: in the version folder but not listed in [sources] of release.toml",
            "  fix: rm -r -- archive/privacy/2.0.0/scratch.txt",
            "archive/privacy/notes.md: stray file: not part of any release (a document's folder holds one folder per version)",
            "  fix: git rm -r -q -- archive/privacy/notes.md",
            "archive intact: 2 versions of 1 document (privacy); every source hash and the chain verified, 2 releases judged again; 4 stray files to remove (they stop nothing)",
        ]
    );
    readers_work(&repo);
    // Run every fix; then removing them in a commit leaves the archive intact.
    for l in lines.iter().filter_map(|l| l.strip_prefix("  fix: ")) {
        let words: Vec<&str> = l.split(' ').collect();
        let status = std::process::Command::new(words[0])
            .args(&words[1..])
            .current_dir(repo.path())
            .status()
            .unwrap();
        assert!(status.success(), "{l}");
    }
    repo.commit_all("Remove the Finder files", "2026-12-02T10:00:00+08:00");
    assert_eq!(
        verify_lines(&repo, 0),
        [
            "archive intact: 2 versions of 1 document (privacy); every source hash and the chain verified, 2 releases judged again"
        ]
    );
}

#[test]
fn p1_a_committed_staging_folder_is_a_stray_the_next_release_removes() {
    let repo = two_releases();
    // What a release killed by an older redline left, picked up by `git add archive`.
    repo.write("archive/privacy/.release-Ab12Cd/privacy.zh-CN.md", "half\n");
    repo.commit_all("Release (with a leftover)", "2026-12-02T09:00:00+08:00");
    let lines = verify_lines(&repo, 0);
    assert_eq!(
        lines[..2],
        [
            "archive/privacy/.release-Ab12Cd: stray file: left over by an interrupted release; it is not a version (the next release removes it)",
            "  fix: git rm -r -q -- archive/privacy/.release-Ab12Cd",
        ]
    );
    readers_work(&repo);
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-12-10T09:00:00+08:00");
    let o = repo.redline(&["release", "--as-of", "2026-12-10"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "note: removed archive/privacy/.release-Ab12Cd, left by an interrupted release"
        ),
        "{}",
        stderr(&o)
    );
    assert!(!repo.file("archive/privacy/.release-Ab12Cd").exists());
    repo.commit_all("Release 2.1.0", "2026-12-10T12:00:00+08:00");
    // Its files were added then deleted: strays, never archived files.
    assert_eq!(
        verify_lines(&repo, 0),
        [
            "archive intact: 3 versions of 1 document (privacy); every source hash and the chain verified, 3 releases judged again"
        ]
    );
}

#[test]
fn p1_a_release_stages_where_git_does_not_look() {
    let repo = two_releases();
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-12-10T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-10"]);
    // Nothing but the new version appeared, and `git add archive` picks up nothing else.
    let status = repo.git(&["status", "--porcelain", "--untracked-files=all"], None);
    let mut lines: Vec<&str> = status.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "?? archive/privacy/2.1.0/criteria.layers.toml",
            "?? archive/privacy/2.1.0/privacy.en.md",
            "?? archive/privacy/2.1.0/privacy.zh-CN.md",
            "?? archive/privacy/2.1.0/release.toml",
        ]
    );
    let staging = repo.file(".git/redline/staging");
    assert!(staging.is_dir(), "releases are staged in the git directory");
    assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 0, "and nothing stays there");
}

#[test]
fn p1_a_tamper_that_stands_is_still_caught() {
    let repo = two_releases();
    let rel = "archive/privacy/1.0.0/privacy.en.md";
    let added = repo.git(&["log", "--format=%H", "--diff-filter=A", "--", rel], None);
    let added = added.trim();
    repo.write(rel, "rewritten\n");
    repo.commit_all("Rewrite 1.0.0", "2026-12-02T09:00:00+08:00");
    let lines = verify_lines(&repo, 1);
    assert!(
        lines.contains(&format!(
            "{rel}: rewritten release: changed in commit {} after commit {} added it",
            &repo.head()[..10],
            &added[..10]
        )),
        "{lines:?}"
    );
    let e = repo.fails(&["log"], 2);
    assert!(e.contains("; to recover: restore the released bytes: git checkout "), "{e}");
    assert!(
        e.ends_with("; the archive was altered, so it is not used (run `redline verify`)\n"),
        "{e}"
    );
}

// 2 ------------------------------------------------------------------------------------------

/// A clone of `origin` made with `core.autocrlf=true` (Git for Windows' default).
fn autocrlf_clone(origin: &TestRepo) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("git")
        .args(["-c", "core.autocrlf=true", "clone", "-q"])
        .arg(origin.path())
        .arg(dir.path().join("c"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    git_in(
        &dir.path().join("c"),
        &["config", "core.autocrlf", "true"],
        "2026-12-02T09:00:00+08:00",
    );
    dir
}

#[test]
fn p2_a_windows_checkout_of_a_repository_with_gitattributes_verifies() {
    let repo = TestRepo::new();
    repo.write(".gitattributes", "/archive/** -text\n");
    repo.commit_all("Keep the archive byte-exact", "2026-11-02T10:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    let clone = autocrlf_clone(&repo);
    let c = clone.path().join("c");
    // The policy was converted (git status is clean), the archive was not.
    assert!(
        std::fs::read(c.join("policy/privacy.zh-CN.md")).unwrap().windows(2).any(|w| w == b"\r\n")
    );
    assert_eq!(
        std::fs::read(c.join("archive/privacy/1.0.0/privacy.zh-CN.md")).unwrap(),
        repo.bytes("archive/privacy/1.0.0/privacy.zh-CN.md")
    );
    let o = redline_in(&c, &["verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = redline_in(&c, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["level"], "none", "line endings aside, the texts are identical");
}

#[test]
fn p2_converted_line_endings_are_explained_with_the_fix_not_called_tampering() {
    let repo = two_releases();
    let clone = autocrlf_clone(&repo);
    let c = clone.path().join("c");
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&c)
        .output()
        .unwrap();
    assert!(status.stdout.is_empty(), "git status is clean");
    let o = redline_in(&c, &["verify"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let problems: Vec<&str> = out.lines().filter(|l| !l.starts_with("  fix: ")).collect();
    // 2 versions × (2 sources + criteria + record): every one a conversion.
    assert_eq!(problems.len(), 9, "{out}");
    for p in &problems[..8] {
        assert!(p.contains(": converted line endings: its line endings were converted to CRLF on checkout (git's core.autocrlf)"), "{p}");
    }
    assert_eq!(problems[8], "8 integrity problems in 2 versions of 1 document (privacy)");
    assert!(
        !out.contains("tampered") && !out.contains("rewritten") && !out.contains("edited"),
        "{out}"
    );
    assert!(out.contains("  fix: keep archived files byte-exact: add the line `/archive/** -text` to a .gitattributes beside policy/ (redline init writes it) and commit it, then check the archive out again: rm -r archive && git checkout -- archive\n"), "{out}");
    // Readers refuse the converted bytes, saying why.
    let o = redline_in(&c, &["log"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("git converted the archive's line endings, so it is not used until it is checked out again"), "{}", stderr(&o));
    // The fix, as printed.
    std::fs::write(c.join(".gitattributes"), "/archive/** -text\n").unwrap();
    git_in(&c, &["add", ".gitattributes"], "2026-12-03T09:00:00+08:00");
    git_in(&c, &["commit", "-q", "-m", "Keep the archive byte-exact"], "2026-12-03T09:00:00+08:00");
    std::fs::remove_dir_all(c.join("archive")).unwrap();
    git_in(&c, &["checkout", "--", "archive"], "2026-12-03T09:00:00+08:00");
    let o = redline_in(&c, &["verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = redline_in(&c, &["log", "--as-of", "2026-12-20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn p2_init_and_this_repository_keep_the_archive_byte_exact() {
    let own = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".gitattributes"),
    )
    .unwrap();
    assert!(own.lines().any(|l| l == "/archive/** -text"), "{own}");
    let tmp = tempfile::tempdir().unwrap();
    let o = redline_in(tmp.path(), &["init", "p"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("created .gitattributes\n"), "{}", stdout(&o));
    let made = std::fs::read_to_string(tmp.path().join("p/.gitattributes")).unwrap();
    assert!(made.lines().any(|l| l == "/archive/** -text"), "{made}");
    let ignore = std::fs::read_to_string(tmp.path().join("p/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "/archive/.lock*"), "{ignore}");
}

// 3 ------------------------------------------------------------------------------------------

/// A process id that no longer exists: a child that ran and was reaped.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

fn this_host() -> String {
    nix::unistd::gethostname().unwrap().to_string_lossy().into_owned()
}

#[cfg(unix)]
#[test]
fn p3_a_killed_release_heals_on_the_next_run() {
    let repo = two_releases();
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-12-10T09:00:00+08:00");
    // What `kill -9` during a release leaves: its lock and its staging folder.
    let pid = dead_pid();
    repo.write(
        "archive/.lock",
        format!("pid = {pid}\nhost = \"{}\"\nstarted = \"2026-12-10T01:00:00Z\"\n", this_host()),
    );
    repo.write(&format!(".git/redline/staging/.release-{pid}-x1y2/privacy.zh-CN.md"), "half\n");
    let stale = format!(
        "archive/.lock was left by process {pid} on host {} (since 2026-12-10T01:00:00Z), which no longer runs: an interrupted release; the next release replaces it",
        this_host()
    );
    // verify, log and a dry run say so.
    for args in [vec!["verify"], vec!["log"], vec!["release", "--dry-run", "--as-of", "2026-12-10"]]
    {
        let o = repo.redline(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(&format!("note: {stale}\n")), "{args:?}: {}", stderr(&o));
    }
    // The next release replaces the lock, removes the leftover, and goes ahead.
    let o = repo.redline(&["release", "--as-of", "2026-12-10"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&format!("note: archive/.lock was left by process {pid} on host {} (since 2026-12-10T01:00:00Z), which no longer runs (an interrupted release); replaced it\n", this_host())), "{err}");
    assert!(err.contains(&format!("note: removed redline/staging/.release-{pid}-x1y2 in the git directory, left by an interrupted release\n")), "{err}");
    assert!(stdout(&o).starts_with("released privacy 2.1.0"), "{}", stdout(&o));
    assert!(!repo.file("archive/.lock").exists(), "the lock is released");
    assert_eq!(std::fs::read_dir(repo.file(".git/redline/staging")).unwrap().count(), 0);
    repo.commit_all("Release 2.1.0", "2026-12-10T12:00:00+08:00");
    verify_lines(&repo, 0);
}

#[cfg(unix)]
#[test]
fn p3_a_lock_of_a_running_process_or_another_host_is_respected() {
    let repo = two_releases();
    repo.edit_zh(minor);
    let before = repo.archive_snapshot();
    let me = std::process::id();
    repo.write(
        "archive/.lock",
        format!("pid = {me}\nhost = \"{}\"\nstarted = \"2026-12-10T01:00:00Z\"\n", this_host()),
    );
    let e = repo.fails(&["release", "--allow-dirty", "--as-of", "2026-12-10"], 2);
    assert_eq!(
        e,
        format!(
            "error: another release may be in progress: archive/.lock is held by process {me} on host {} (since 2026-12-10T01:00:00Z): a release is in progress (if that process is not a redline release, delete archive/.lock)\n",
            this_host()
        )
    );
    repo.write(
        "archive/.lock",
        format!(
            "pid = {}\nhost = \"elsewhere.example\"\nstarted = \"2026-12-10T01:00:00Z\"\n",
            dead_pid()
        ),
    );
    let e = repo.fails(&["release", "--allow-dirty", "--as-of", "2026-12-10"], 2);
    assert!(e.contains("on host elsewhere.example (since 2026-12-10T01:00:00Z), which redline cannot check from here: if no release is running there, delete archive/.lock"), "{e}");
    let without_lock = |s: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        s.into_iter().filter(|(p, _)| p != ".lock").collect()
    };
    assert_eq!(without_lock(repo.archive_snapshot()), without_lock(before), "nothing written");
    // A lock of an older redline holds only a process id; a gone one is replaced too.
    repo.write("archive/.lock", format!("{}\n", dead_pid()));
    let o = repo.redline(&["release", "--allow-dirty", "--as-of", "2026-12-10"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("which no longer runs (an interrupted release); replaced it"),
        "{}",
        stderr(&o)
    );
}

// 4 ------------------------------------------------------------------------------------------

#[test]
fn p4_release_refuses_what_lint_rejects_and_prints_why() {
    type Edit = fn(String) -> String;
    let cases: [(&str, Edit, &str); 5] = [
        (
            "front matter id = 42",
            |t| t.replacen("id = \"privacy\"", "id = 42", 1),
            "`id` is `42` but this file is `privacy`",
        ),
        (
            "a wrong lang",
            |t| t.replacen("lang = \"zh-CN\"", "lang = \"en\"", 1),
            "`lang` is `en` but this file is `zh-CN`",
        ),
        ("a blank line before +++", |t| format!("\n{t}"), "the file has no front matter"),
        ("an id ../../..", |t| t.replacen("{#updates}", "{#../../..}", 1), "../../.."),
        ("an id a/b", |t| t.replacen("{#updates}", "{#a/b}", 1), "a/b"),
    ];
    let repo = two_releases();
    let before = repo.archive_snapshot();
    let original = repo.read("policy/privacy.zh-CN.md");
    for (what, edit, diagnostic) in cases {
        repo.write("policy/privacy.zh-CN.md", edit(original.clone()));
        for extra in [&[][..], &["--dry-run"][..]] {
            let mut args = vec!["release", "--allow-dirty", "--as-of", "2026-12-20"];
            args.extend_from_slice(extra);
            let o = repo.redline(&args).output().unwrap();
            assert_eq!(o.status.code(), Some(2), "{what}: {}", stdout(&o));
            assert!(o.stdout.is_empty(), "{what}: nothing on stdout");
            let err = stderr(&o);
            assert!(err.contains(diagnostic), "{what}: {err}");
            assert!(
                err.contains("policy/privacy.zh-CN.md:"),
                "{what}: the diagnostic names the file and line: {err}"
            );
            let last = err.lines().last().unwrap();
            assert!(
                last.starts_with("error: refusing to release: `redline lint` finds ")
                    && last.ends_with("in privacy; fix it and release again (a released version can never be corrected)")
                    || last.ends_with("in privacy; fix them and release again (a released version can never be corrected)"),
                "{what}: {last}"
            );
        }
        assert_eq!(repo.archive_snapshot(), before, "{what}: nothing written");
    }
}

/// A folder of dated versions for `import`.
fn versions_dir(texts: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{:03}_2024-0{}-01.md", i + 1, i + 1)), t).unwrap();
    }
    dir
}

#[test]
fn p4_import_checks_only_what_would_corrupt_the_archive() {
    // Real histories rarely lint clean: no front matter, no ids, an empty section are fine.
    let plain = "# Privacy\n\n## Data\n\nWe collect your e-mail address.\n\n## Empty\n\n## Contact\n\nWrite to us.\n";
    let plain2 = plain.replace("Write to us.", "Write to us at privacy@example.com.");
    let bad = [
        (
            "+++\nid = 42\nlang = \"zh-CN\"\n+++\n\n# P\n\nText.\n",
            "001_2024-01-01.md:2: the front matter says id = `42`, but it is imported as document `privacy`",
        ),
        (
            "+++\nid = \"privacy\"\nlang = \"en\"\n+++\n\n# P\n\nText.\n",
            "001_2024-01-01.md:3: the front matter says lang = `en`, but it is imported as language `zh-CN`",
        ),
        (
            "# P\n\n## A {#../../..}\n\nText.\n",
            "001_2024-01-01.md:3: section id `../../..` is not well-formed",
        ),
        (
            "# P\n\n## A {#a/b}\n\nText.\n",
            "001_2024-01-01.md:3: section id `a/b` is not well-formed",
        ),
    ];
    for (text, message) in bad {
        let repo = TestRepo::new();
        let dir = versions_dir(&[text]);
        let e = repo.fails(&["import", dir.path().to_str().unwrap()], 2);
        assert!(e.contains(message), "{e}");
        assert!(!repo.file("archive/privacy").exists(), "nothing written");
    }
    let repo = TestRepo::new();
    let dir = versions_dir(&[plain, &plain2]);
    let out = repo.ok(&["import", dir.path().to_str().unwrap()]);
    assert!(out.contains("imported 2 versions into archive/privacy/"), "{out}");
    repo.commit_all("Import", "2026-11-02T10:00:00+08:00");
    // Imported releases store their criteria and engine, and are judged again.
    let out = repo.ok(&["verify"]);
    assert!(
        out.ends_with("every source hash and the chain verified, 2 releases judged again\n"),
        "{out}"
    );
}

// 5 ------------------------------------------------------------------------------------------

/// Makes the newest release's record claim `editorial`, "punctuation only", as if written so at
/// release (committed together with the release, so git has no honest version of it).
fn forge(repo: &TestRepo, engine: Option<&str>) {
    let rel = "archive/privacy/2.0.0/release.toml";
    let mut text = repo.read(rel);
    let summary_start = text.find("summary = ").unwrap();
    let summary_end = summary_start + text[summary_start..].find("\nprevious_record").unwrap();
    text.replace_range(summary_start..summary_end, "summary = [\"punctuation only\"]");
    text = text
        .replace("level = \"reconsent\"", "level = \"editorial\"")
        .replace("bump = \"major\"", "bump = \"patch\"")
        .replace("qualifiers = [\"separate\"]", "qualifiers = []");
    if let Some(engine) = engine {
        let line = text.lines().find(|l| l.starts_with("engine = ")).unwrap().to_string();
        text = text.replace(&line, &format!("engine = \"{engine}\""));
    }
    repo.write(rel, text);
}

/// 1.0.0 released, then 2.0.0 (the advertising SDK) released with a forged record, committed.
fn forged_release(engine: Option<&str>) -> TestRepo {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    repo.commit_all("Add an SDK", "2026-12-01T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-01"]);
    repo.drop_note();
    forge(&repo, engine);
    repo.commit_all("Release 2.0.0", "2026-12-01T12:00:00+08:00");
    repo
}

#[test]
fn p5_a_forged_newest_record_is_tampering_under_the_same_engine() {
    let repo = forged_release(None);
    let rel = "archive/privacy/2.0.0/release.toml";
    let lines = verify_lines(&repo, 1);
    let engine = redline::engine::engine_id();
    assert_eq!(
        lines[0],
        format!(
            "{rel}: forged verdict: it records level editorial, bump patch, but its texts give level reconsent, bump major; qualifiers [] where its texts give [separate]; summary [\"punctuation only\"] where its texts give [\"device-permissions: row added 穿山甲广告SDK (reconsent)\"]; judged by the same engine ({engine}) from the archived texts, the stored criteria and the triggers, so the record was edited"
        )
    );
    assert!(
        lines[1].starts_with(&format!(
            "  fix: git log -p -- {rel} shows every committed version of the record"
        )),
        "{}",
        lines[1]
    );
    // log, the site and consent.json never repeat it.
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    for args in [
        vec!["log"],
        vec!["consent", "--accepted", "1.0.0"],
        vec![
            "build",
            "--base-url",
            "https://example.com/policy/",
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            "2026-12-20",
        ],
        vec!["show", "2.0.0"],
        vec!["check"],
    ] {
        let e = repo.fails(&args, 2);
        assert!(e.starts_with(&format!("error: {rel}: forged verdict: ")), "{args:?}: {e}");
    }
    assert!(!out.exists());
}

#[test]
fn p5_readers_remember_only_verdicts_found_as_recorded() {
    let judged = |repo: &TestRepo| -> Vec<String> {
        std::fs::read_to_string(repo.file(".git/redline/judged"))
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    };
    let key = |repo: &TestRepo, v: &str, prev: Option<&str>| {
        let sha = |v: &str| sha256(&repo.bytes(&format!("archive/privacy/{v}/release.toml")));
        format!(
            "{}\t{}\t{}",
            redline::engine::engine_id(),
            sha(v),
            prev.map(sha).unwrap_or_default()
        )
    };
    let repo = two_releases();
    repo.ok(&["log"]);
    assert_eq!(judged(&repo), {
        let mut k = vec![key(&repo, "1.0.0", None), key(&repo, "2.0.0", Some("1.0.0"))];
        k.sort();
        k
    });
    // A forged record is never remembered, so every reader judges it again and refuses it.
    let repo = forged_release(None);
    verify_lines(&repo, 1);
    assert_eq!(judged(&repo), [key(&repo, "1.0.0", None)]);
    let e = repo.fails(&["log"], 2);
    assert!(e.contains(": forged verdict: "), "{e}");
}

#[test]
fn p5_a_record_of_another_engine_is_judged_again_as_information() {
    let repo = forged_release(Some("redline 0.0.1; judgement 0"));
    let rel = "archive/privacy/2.0.0/release.toml";
    let o = repo.redline(&["verify"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let engine = redline::engine::engine_id();
    let note = format!(
        "{rel}: judged editorial by redline 0.0.1; judgement 0; this redline ({engine}) judges it reconsent (information: judgements change between engines)"
    );
    assert!(stderr(&o).contains(&format!("note: {note}\n")), "{}", stderr(&o));
    // Readers go ahead, warning that what they repeat is another engine's verdict.
    let o = repo.redline(&["log", "--as-of", "2026-12-20"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains(&format!("warning: {note}\n")), "{}", stderr(&o));
}

#[test]
fn p5_a_trigger_makes_the_release_at_least_major_and_is_judged_again() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-12-01T09:00:00+08:00");
    // A major release: its note says why.
    repo.note("2.0.0");
    let out = repo.ok(&["release", "--as-of", "2026-12-01", "--trigger", "pia-high-risk"]);
    assert!(
        out.starts_with("released privacy 2.0.0 (level major, bump major), effective 2026-12-08"),
        "{out}"
    );
    assert!(out.contains("  - trigger pia-high-risk: an impact assessment reported a high risk (十一 item 6) (major)\n"), "{out}");
    let rel = "archive/privacy/2.0.0/release.toml";
    let r = redline::archive::ReleaseRecord::parse("r", &repo.bytes(rel)).unwrap();
    assert_eq!(r.triggers, ["pia-high-risk"]);
    assert_eq!((r.level.as_str(), r.bump.as_str()), ("major", "major"));
    // A record that keeps the trigger but not its level, committed so with the release, is
    // caught by judging it again (the trigger is part of what is judged).
    let honest = repo.read(rel);
    let forged = honest
        .replace("level = \"major\"", "level = \"minor\"")
        .replace("bump = \"major\"", "bump = \"minor\"");
    repo.write(rel, &forged);
    repo.commit_all("Release 2.0.0", "2026-12-01T12:00:00+08:00");
    let lines = verify_lines(&repo, 1);
    assert_eq!(
        lines[0],
        format!(
            "{rel}: forged verdict: it records level minor, bump minor, but its texts give level major, bump major; judged by the same engine ({}) from the archived texts, the stored criteria and the triggers, so the record was edited",
            redline::engine::engine_id()
        )
    );
    repo.write(rel, &honest);
    repo.commit_all("Restore the record redline wrote", "2026-12-01T13:00:00+08:00");
    // Now the record differs from the bytes its first commit holds: an edit of a release.
    let lines = verify_lines(&repo, 1);
    assert!(lines[0].starts_with(&format!("{rel}: rewritten release: ")), "{lines:?}");
    // A first release has no earlier readers to notify: the trigger is refused there.
    let fresh = TestRepo::new();
    let e = fresh.fails(&["release", "--as-of", "2026-11-29", "--trigger", "pia-high-risk"], 2);
    assert!(
        e.contains("--trigger pia-high-risk: the first release of privacy has no earlier version"),
        "{e}"
    );
}

// 6 ------------------------------------------------------------------------------------------

#[test]
fn p6_a_move_with_an_edit_is_still_an_edit() {
    let repo = two_releases();
    std::fs::create_dir_all(repo.file("legal")).unwrap();
    repo.git(&["mv", "policy", "legal/policy"], None);
    repo.git(&["mv", "archive", "legal/archive"], None);
    let rel = "archive/privacy/2.0.0/release.toml";
    let moved = format!("legal/{rel}");
    let text = repo.read(&moved).replace("level = \"reconsent\"", "level = \"major\"");
    repo.write(&moved, text);
    repo.commit_all("Move the policy into legal/", "2026-12-02T09:00:00+08:00");
    let o = redline_in(&repo.file("legal"), &["verify"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let first = repo.git(&["log", "--format=%H", "-1", "HEAD~1"], None);
    assert!(
        out.contains(&format!(
            "{rel}: rewritten release: changed in commit {} after commit {} added it\n",
            &repo.head()[..10],
            &first.trim()[..10]
        )),
        "{out}"
    );
    // Its fix shows the bytes at their old place.
    assert!(
        out.contains(&format!(
            "  fix: restore the released bytes: git show {}:{rel} > {rel}\n",
            &first.trim()[..10]
        )),
        "{out}"
    );
}

#[test]
fn p6_a_plain_move_keeps_the_archive_intact() {
    let repo = two_releases();
    std::fs::create_dir_all(repo.file("legal")).unwrap();
    repo.git(&["mv", "policy", "legal/policy"], None);
    repo.git(&["mv", "archive", "legal/archive"], None);
    repo.commit_all("Move the policy into legal/", "2026-12-02T09:00:00+08:00");
    let o = redline_in(&repo.file("legal"), &["verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // A deleted version after the move is still a deletion.
    std::fs::remove_dir_all(repo.file("legal/archive/privacy/1.0.0")).unwrap();
    repo.commit_all("Drop 1.0.0", "2026-12-03T09:00:00+08:00");
    let o = redline_in(&repo.file("legal"), &["verify"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!(
            "archive/privacy/1.0.0/release.toml: rewritten release: deleted in commit {}\n",
            &repo.head()[..10]
        )),
        "{}",
        stdout(&o)
    );
}

// 7 ------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn p7_an_exec_bit_is_caught_in_the_working_tree_and_in_git() {
    use std::os::unix::fs::PermissionsExt as _;
    let repo = two_releases();
    let rel = "archive/privacy/1.0.0/privacy.zh-CN.md";
    std::fs::set_permissions(repo.file(rel), std::fs::Permissions::from_mode(0o755)).unwrap();
    let lines = verify_lines(&repo, 1);
    assert_eq!(
        lines[..2],
        [
            format!(
                "{rel}: changed mode: is executable (mode 755); an archived file is plain data (mode 644)"
            ),
            format!("  fix: chmod a-x {rel} && git add {rel}, then commit"),
        ]
    );
    repo.commit_all("chmod", "2026-12-02T09:00:00+08:00");
    std::fs::set_permissions(repo.file(rel), std::fs::Permissions::from_mode(0o644)).unwrap();
    // The working file is fine again, but HEAD recorded the mode.
    let lines = verify_lines(&repo, 1);
    assert!(
        lines[0].starts_with(&format!(
            "{rel}: changed mode: committed as executable in commit {}",
            &repo.head()[..10]
        )),
        "{lines:?}"
    );
    repo.commit_all("chmod back", "2026-12-02T10:00:00+08:00");
    verify_lines(&repo, 0);
}

#[cfg(unix)]
#[test]
fn p7_symbolic_links_in_place_of_archived_files_or_folders_are_caught() {
    let repo = two_releases();
    // A file swapped for a link to a copy with the same bytes.
    let rel = "archive/privacy/1.0.0/privacy.en.md";
    let copy = repo.file("elsewhere.md");
    std::fs::copy(repo.file(rel), &copy).unwrap();
    std::fs::remove_file(repo.file(rel)).unwrap();
    std::os::unix::fs::symlink(&copy, repo.file(rel)).unwrap();
    let lines = verify_lines(&repo, 1);
    assert!(
        lines[0].starts_with(&format!(
            "{rel}: symbolic link: is a symbolic link to `{}`; an archived file is a regular file",
            copy.display()
        )),
        "{lines:?}"
    );
    std::fs::remove_file(repo.file(rel)).unwrap();
    repo.git(&["checkout", "--", rel], None);
    verify_lines(&repo, 0);
    // A version folder swapped for a link to a copy of it.
    let folder = repo.file("archive/privacy/2.0.0");
    let copy = repo.file("copy-2.0.0");
    std::fs::rename(&folder, &copy).unwrap();
    std::os::unix::fs::symlink(&copy, &folder).unwrap();
    let lines = verify_lines(&repo, 1);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("archive/privacy/2.0.0: symbolic link: is a symbolic link to ")
                && l.ends_with("; a version folder is a real folder holding the released files")),
        "{lines:?}"
    );
    let e = repo.fails(&["log"], 2);
    assert!(e.starts_with("error: archive/privacy/2.0.0: symbolic link: "), "{e}");
}

#[test]
fn p7_lint_runs_the_integrity_check() {
    let repo = two_releases();
    let rel = "archive/privacy/2.0.0/privacy.zh-CN.md";
    let mut bytes = repo.bytes(rel);
    bytes.extend_from_slice("篡改\n".as_bytes());
    repo.write(rel, bytes);
    let e = repo.fails(&["lint"], 2);
    assert!(e.starts_with(&format!("error: {rel}: tampered source: sha256 is ")), "{e}");
    let e = repo.fails(&["lint", "policy/privacy.zh-CN.md"], 2);
    assert!(e.starts_with(&format!("error: {rel}: tampered source: ")), "{e}");
}

// 8 ------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn p8_a_named_pipe_as_the_policy_file_is_refused_at_once() {
    let repo = two_releases();
    let rel = "policy/privacy.zh-CN.md";
    std::fs::remove_file(repo.file(rel)).unwrap();
    nix::unistd::mkfifo(&repo.file(rel), nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    let message = format!(
        "error: {rel}: is a named pipe (FIFO), not a regular file; redline reads policies only from regular files of at most 64 MiB\n"
    );
    for args in [
        vec!["check"],
        vec!["lint"],
        vec!["map"],
        vec!["release", "--allow-dirty", "--as-of", "2026-12-20"],
        vec!["release", "--dry-run", "--allow-dirty", "--as-of", "2026-12-20"],
        vec!["build", "--preview", "--out", "site", "--as-of", "2026-12-20"],
    ] {
        let o = redline_in(repo.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert_eq!(stderr(&o), message, "{args:?}");
    }
}

#[cfg(unix)]
#[test]
fn p8_devices_huge_files_and_link_loops_are_named_with_the_limit() {
    let repo = TestRepo::new();
    let rel = "policy/privacy.zh-CN.md";
    std::fs::remove_file(repo.file(rel)).unwrap();
    std::os::unix::fs::symlink("/dev/zero", repo.file(rel)).unwrap();
    let o = redline_in(repo.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "error: {rel}: is a character device, not a regular file; redline reads policies only from regular files of at most 64 MiB\n"
        )
    );
    std::fs::remove_file(repo.file(rel)).unwrap();
    let f = std::fs::File::create(repo.file(rel)).unwrap();
    f.set_len(65 * 1024 * 1024).unwrap(); // sparse: nothing is written
    let o = redline_in(repo.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "error: {rel}: is 68157440 bytes, more than the 64 MiB redline reads (67108864 bytes); a policy is text, so this is not one\n"
        )
    );
    std::fs::remove_file(repo.file(rel)).unwrap();
    std::os::unix::fs::symlink("privacy.zh-CN.md", repo.file(rel)).unwrap();
    let loop_message = format!(
        "error: {rel}: is a symbolic link loop (following its links leads back to itself); point the link at a real file\n"
    );
    for args in [vec!["check"], vec!["lint"], vec!["diff", rel, "policy/privacy.en.md"]] {
        let o = redline_in(repo.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o), loop_message, "{args:?}");
    }
    // The criteria file is read the same way (a loop is not "no criteria").
    std::fs::remove_file(repo.file("policy/criteria.toml")).unwrap();
    std::os::unix::fs::symlink("criteria.toml", repo.file("policy/criteria.toml")).unwrap();
    let o = redline_in(repo.path(), &["rules"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).ends_with("policy/criteria.toml: is a symbolic link loop (following its links leads back to itself); point the link at a real file\n"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn p8_an_archived_file_must_be_a_regular_file_too() {
    let repo = two_releases();
    let rel = "archive/privacy/1.0.0/privacy.en.md";
    std::fs::remove_file(repo.file(rel)).unwrap();
    nix::unistd::mkfifo(&repo.file(rel), nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    let o = redline_in(repo.path(), &["verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with(&format!(
            "{rel}: tampered source: is a named pipe (FIFO), not a regular file"
        )),
        "{}",
        stdout(&o)
    );
    let o = redline_in(repo.path(), &["log"]);
    assert_eq!(o.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn p8_paths_on_the_command_line_may_be_pipes() {
    let repo = TestRepo::new();
    let policy = repo.bytes("policy/privacy.zh-CN.md");
    let edited = add_sdk_row(String::from_utf8(policy.clone()).unwrap());
    // `redline diff policy.md <(…)`: the shell passes /dev/fd/N, a pipe; /dev/stdin is one too.
    let o = assert_cmd::Command::cargo_bin("redline")
        .unwrap()
        .current_dir(repo.path())
        .args(["diff", "policy/privacy.zh-CN.md", "/dev/stdin", "--format", "json"])
        .write_stdin(edited.clone())
        .timeout(PATIENCE)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["level"], "reconsent");
    // A named pipe given on the command line is read as well, under the same cap.
    let fifo = repo.file("edited.fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, edited).unwrap())
    };
    let o = redline_in(
        repo.path(),
        &["diff", "policy/privacy.zh-CN.md", "edited.fifo", "--format", "json"],
    );
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // More than the cap from a pipe is refused, naming it and the limit.
    let o = redline_in(repo.path(), &["diff", "/dev/zero", "policy/privacy.zh-CN.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: /dev/zero: holds more than the 64 MiB redline reads (67108864 bytes); a policy is text, so this is not one\n"
    );
}
