//! Bad input the authoring commands meet, each refused with one clear sentence naming the path
//! (exit 2, nothing on stdout): a missing file or a folder given to `lint`, a folder at a
//! revision, a repository without a commit, a shallow clone, `init` on a file, an import range
//! where the file never changes. And `/dev/null` is a file `diff` reads.

mod common;

use common::*;

const DOC: &str = "# T {#t}\n\nhello\n";

#[test]
fn lint_a_missing_file_or_a_folder() {
    let repo = TestRepo::empty();
    repo.write("ok.md", DOC);
    std::fs::create_dir_all(repo.file("sub")).unwrap();
    assert_eq!(
        repo.fails(&["lint", "missing.md"], 2),
        "error: missing.md: no such file or directory\n"
    );
    assert_eq!(
        repo.fails(&["lint", "sub"], 2),
        "error: sub: is a folder, not a policy file; name a Markdown or .txt file\n"
    );
}

#[test]
fn diff_reads_dev_null_as_an_empty_file() {
    let repo = TestRepo::empty();
    repo.write("ok.md", DOC);
    let out = repo.redline(&["diff", "/dev/null", "ok.md"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("redline ok · /dev/null → ok.md"), "{stdout}");
    assert!(stdout.contains("section_added"), "{stdout}");
}

#[test]
fn a_folder_at_a_revision_is_not_a_file() {
    let repo = TestRepo::new();
    assert_eq!(
        repo.fails(&["diff", "HEAD:policy", "policy/privacy.zh-CN.md"], 2),
        "error: `policy` is a folder at revision `HEAD`, not a file; name a file in it (`HEAD:policy/FILE`)\n"
    );
}

#[test]
fn a_repository_without_a_commit_says_so() {
    let repo = TestRepo::empty();
    repo.write("ok.md", DOC);
    assert_eq!(
        repo.fails(&["diff", "HEAD:ok.md", "ok.md"], 2),
        "error: unknown git revision `HEAD`: the git repository has no commit yet; commit the policy first (git add -A && git commit)\n"
    );
}

#[test]
fn a_shallow_clone_is_named_when_a_revision_is_missing() {
    let origin = TestRepo::empty();
    origin.write("ok.md", DOC);
    origin.commit_all("One", "2026-01-01T00:00:00Z");
    origin.write("ok.md", "# T {#t}\n\nhello again\n");
    origin.commit_all("Two", "2026-01-02T00:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", origin.path().display()))
        .arg(dir.path().join("c"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = assert_cmd::Command::cargo_bin("redline")
        .unwrap()
        .current_dir(dir.path().join("c"))
        .args(["diff", "HEAD~1:ok.md", "ok.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: unknown git revision `HEAD~1`: this is a shallow clone, so older commits are missing; fetch them with `git fetch --unshallow`\n"
    );
}

#[test]
fn init_on_a_file_is_refused_in_words() {
    let repo = TestRepo::empty();
    repo.write("afile", "x");
    let err = repo.fails(&["init", "afile"], 2);
    assert!(
        err.ends_with("afile is a file, not a folder; give `redline init` a new or empty folder\n"),
        "{err}"
    );
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn an_import_range_where_the_file_does_not_change() {
    let repo = TestRepo::new();
    repo.write("README.md", "unrelated\n");
    repo.commit_all("README", "2026-11-02T10:00:00+08:00");
    assert_eq!(
        repo.fails(&["import", "HEAD~1..HEAD:policy/privacy.zh-CN.md"], 2),
        "error: `policy/privacy.zh-CN.md` does not change in any commit of `HEAD~1..HEAD` (A..B leaves out A itself); start the range earlier, or import its whole history with `HEAD:policy/privacy.zh-CN.md`\n"
    );
}

#[test]
fn os_errors_are_words_without_error_numbers() {
    let e = std::io::Error::from(std::io::ErrorKind::AlreadyExists);
    assert_eq!(redline::Error::io("x", &e).to_string(), "x: already exists");
    let e = std::io::Error::from_raw_os_error(21);
    assert_eq!(redline::Error::io("d", &e).to_string(), "d: is a folder, not a file");
    let e = std::io::Error::from_raw_os_error(36);
    let text = redline::Error::io("long", &e).to_string();
    assert!(!text.contains("os error"), "{text}");
}
