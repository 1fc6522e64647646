//! `redline import`: backfilling an empty archive from a folder of dated versions or from git,
//! always into temporary repositories.

mod common;

use common::*;
use std::path::Path;

/// A repository whose policy.toml lists one English document, `svc` (built-in criteria).
fn svc_repo(extension: Option<&str>) -> TestRepo {
    let repo = TestRepo::empty();
    let ext = extension.map(|e| format!("extension = \"{e}\"\n")).unwrap_or_default();
    repo.write(
        "policy/policy.toml",
        format!(
            "schema = \"redline.policy/1\"\ntimezone = \"Europe/Paris\"\n\n[[documents]]\nid = \"svc\"\nsource_language = \"en\"\n{ext}"
        ),
    );
    repo.commit_all("Configure", "2024-01-01T10:00:00+01:00");
    repo
}

const V1: &str = "+++\nid = \"svc\"\ntitle = \"Privacy policy\"\nlang = \"en\"\n+++\n\n# Privacy policy {#top}\n\n## What we collect {#collect}\n\nWe collect your email address to send receipts.\n\n## Your rights {#rights}\n\nYou may ask us to delete your data.\n";

fn v2() -> String {
    V1.replace("to send receipts", "to send you receipts")
}

fn v3() -> String {
    v2().replace("## Your rights {#rights}\n", "## Your rights {#rights}\n\n")
}

fn record(repo: &TestRepo, version: &str) -> redline::archive::ReleaseRecord {
    let rel = format!("archive/svc/{version}/release.toml");
    redline::archive::ReleaseRecord::parse(&rel, &repo.bytes(&rel)).unwrap()
}

#[test]
fn a_folder_of_dated_versions_becomes_a_chain_of_releases() {
    let repo = svc_repo(None);
    let src = tempfile::tempdir().unwrap();
    let put = |name: &str, text: &str| std::fs::write(src.path().join(name), text).unwrap();
    put("001_2024-01-01.md", V1);
    put("002_2024-03-01.md", &v2());
    put("003_2024-02-01.md", &v3()); // editorial, dated before the previous one
    put("004_2024-02-01.md", &v3()); // identical: skipped
    put("SOURCE.md", "where these come from\n");
    let arg = src.path().display().to_string();
    let out = repo.redline(&["import", &arg]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        format!(
            "1.0.0    effective 2024-01-01  level none       bump none   {arg}/001_2024-01-01.md\n\
             1.1.0    effective 2024-03-01  level minor      bump minor  {arg}/002_2024-03-01.md\n\
             1.1.1    effective 2024-02-01  level editorial  bump patch  {arg}/003_2024-02-01.md\n\
             imported 3 versions into archive/svc/; commit archive/ to keep them\n"
        )
    );
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "note: ignored (not NNN_YYYY-MM-DD.md|mdx|txt): SOURCE.md\n\
             warning: {arg}/003_2024-02-01.md: its date 2024-02-01 is earlier than the previous version's 2024-03-01; kept as is\n\
             warning: {arg}/004_2024-02-01.md: identical to {arg}/003_2024-02-01.md once decoded; skipped\n"
        )
    );
    assert_eq!(repo.read("archive/svc/1.1.0/svc.en.md"), v2());
    let r = record(&repo, "1.1.0");
    assert_eq!(
        (r.previous.as_str(), r.level.as_str(), r.bump.as_str()),
        ("1.0.0", "minor", "minor")
    );
    assert_eq!(r.summary, ["collect: block modified +you (minor)"]);
    assert_eq!(r.commit, repo.head());
    // Imported: no note was written for it, and the record says where it came from.
    assert_eq!((r.origin.as_str(), r.notes.len()), ("imported", 0));
    assert!(repo.read("archive/svc/1.1.0/release.toml").contains("\norigin = \"imported\"\n"));
    assert_eq!(r.previous_record, sha256(&repo.bytes("archive/svc/1.0.0/release.toml")));
    assert_eq!(record(&repo, "1.0.0").previous_record, "");
    assert_eq!(
        repo.ok(&["verify"]).lines().last().unwrap(),
        "archive intact: 3 versions of 1 document (svc); every source hash and the chain verified, 3 releases judged again"
    );
    // The newest version number is in force once its (earlier) date has passed.
    let log = repo.ok(&["log", "--as-of", "2024-06-01"]);
    assert!(
        log.contains("  1.1.1    effective 2024-02-01  in force    level editorial  bump patch\n"),
        "{log}"
    );
    assert!(
        log.contains("  1.1.0    effective 2024-03-01  superseded  level minor      bump minor\n"),
        "{log}"
    );

    // A second import is refused: the archive already has versions.
    let before = repo.archive_snapshot();
    let e = repo.fails(&["import", &arg], 2);
    assert_eq!(
        e,
        "error: archive/svc/ already has version 1.0.0; import only backfills an empty archive\n"
    );
    assert_eq!(repo.archive_snapshot(), before);
    // Releases continue the imported chain.
    repo.write("policy/svc.en.md", v3());
    repo.commit_all("Adopt the policy", "2024-06-01T10:00:00+02:00");
    let e = repo.fails(&["release", "--as-of", "2024-06-01"], 2);
    assert_eq!(
        e,
        "error: nothing to release: no language of svc changed since 1.1.1 (en identical)\n"
    );
    repo.write("policy/svc.en.md", v3().replace("delete your data", "delete or export your data"));
    repo.commit_all("Export", "2024-06-02T10:00:00+02:00");
    repo.ok(&["release", "--as-of", "2024-06-02"]);
    let r = record(&repo, "1.2.0");
    assert_eq!((r.previous.as_str(), r.level.as_str()), ("1.1.1", "minor"));
}

#[test]
fn bad_folders_are_refused() {
    let repo = svc_repo(None);
    let src = tempfile::tempdir().unwrap();
    let arg = src.path().display().to_string();
    let e = repo.fails(&["import", &arg], 2);
    assert_eq!(
        e,
        "error: nothing to import: no version found (files must be named NNN_YYYY-MM-DD.md, .mdx or .txt)\n"
    );
    std::fs::write(src.path().join("001_2024-02-30.md"), V1).unwrap();
    let e = repo.fails(&["import", &arg], 2);
    assert_eq!(
        e,
        format!(
            "error: {arg}/001_2024-02-30.md: `2024-02-30` is not a date; write it as YYYY-MM-DD (e.g. 2027-01-15)\n"
        )
    );
    std::fs::remove_file(src.path().join("001_2024-02-30.md")).unwrap();
    std::fs::write(src.path().join("001_2024-02-01.txt"), "Plain text policy.\n").unwrap();
    let e = repo.fails(&["import", &arg], 2);
    assert_eq!(
        e,
        format!(
            "error: {arg}/001_2024-02-01.txt is plain text (.txt) but the sources of `svc` are Markdown (svc.en.md); set `extension` for it in policy/policy.toml to match\n"
        )
    );
    std::fs::remove_file(src.path().join("001_2024-02-01.txt")).unwrap();
    std::fs::write(src.path().join("001_2024-02-01.md"), b"ok\n\xff\n").unwrap();
    let e = repo.fails(&["import", &arg], 2);
    assert_eq!(
        e,
        format!(
            "error: {arg}/001_2024-02-01.md:2:1: invalid UTF-8 (byte 0xff); save the file as UTF-8\n"
        )
    );
    let e = repo.fails(&["import", "no-such-folder"], 2);
    assert_eq!(
        e,
        "error: no-such-folder: no such directory (give a folder of NNN_YYYY-MM-DD.md files, or REV_RANGE:PATH)\n"
    );
    assert!(!repo.file("archive").exists());
}

#[test]
fn plain_text_versions_import_into_a_txt_document() {
    let repo = svc_repo(Some("txt"));
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("001_2024-02-01.txt"), "We collect your email address.\n")
        .unwrap();
    let v2 = "We collect your email address and your phone number.\n";
    std::fs::write(src.path().join("002_2024-02-01.txt"), v2).unwrap();
    repo.ok(&["import", &src.path().display().to_string()]);
    // The phone number is a kind of data the first version did not name: major in the built-in
    // profile (a prominent notice).
    assert_eq!(repo.read("archive/svc/2.0.0/svc.en.txt"), v2);
    let r = record(&repo, "2.0.0");
    assert_eq!((r.effective.as_str(), r.level.as_str()), ("2024-02-01", "major"));
}

#[test]
fn the_commits_that_touched_a_path_become_releases() {
    let repo = svc_repo(None);
    repo.write("docs/svc.md", V1);
    repo.commit_all("First published version", "2024-01-01T23:30:00+00:00");
    let c1 = repo.head();
    repo.write("README.md", "unrelated\n");
    repo.commit_all("README", "2024-01-15T10:00:00+01:00");
    repo.write("docs/svc.md", v2());
    repo.commit_all("Wording", "2024-02-01T10:00:00+01:00");
    let c2 = repo.head();
    repo.write("docs/svc.md", v3());
    repo.commit_all("Blank line", "2024-03-01T10:00:00+01:00");
    let c3 = repo.head();
    let out = repo.ok(&["import", "HEAD:docs/svc.md"]);
    assert_eq!(
        out,
        format!(
            "1.0.0    effective 2024-01-02  level none       bump none   {}:docs/svc.md\n\
             1.1.0    effective 2024-02-01  level minor      bump minor  {}:docs/svc.md\n\
             1.1.1    effective 2024-03-01  level editorial  bump patch  {}:docs/svc.md\n\
             imported 3 versions into archive/svc/; commit archive/ to keep them\n",
            &c1[..10],
            &c2[..10],
            &c3[..10]
        )
    );
    // Commit dates are read in the policy's time zone (23:30 UTC is the next day in Paris).
    assert_eq!(record(&repo, "1.0.0").effective, "2024-01-02");
    assert_eq!(record(&repo, "1.1.0").commit, c2);
    assert_eq!(repo.read("archive/svc/1.1.1/svc.en.md"), v3());

    // A range: only what c1..HEAD brought.
    let other = svc_repo(None);
    for (text, date) in
        [(V1.to_string(), "2024-01-01T10:00:00+01:00"), (v2(), "2024-02-01T10:00:00+01:00")]
    {
        other.write("docs/svc.md", text);
        other.commit_all("Edit", date);
    }
    let out = other.ok(&["import", "HEAD~1..HEAD:docs/svc.md"]);
    assert!(out.starts_with("1.0.0    effective 2024-02-01  level none"), "{out}");
    assert!(
        out.ends_with("imported 1 version into archive/svc/; commit archive/ to keep them\n"),
        "{out}"
    );
    let fresh = svc_repo(None);
    let e = fresh.fails(&["import", "nope..HEAD:docs/x.md"], 2);
    assert_eq!(e, "error: unknown git revision `nope`\n");
    let e = fresh.fails(&["import", "HEAD:docs/missing.md"], 2);
    assert_eq!(e, "error: `docs/missing.md` does not exist in any commit of `HEAD`\n");
}

/// Imports a corpus service into a temporary repository; `None` when the corpus is absent.
fn import_corpus(service: &str) -> Option<(TestRepo, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ota").join(service);
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return None;
    }
    let repo = TestRepo::empty();
    repo.write(
        "policy/policy.toml",
        format!("schema = \"redline.policy/1\"\n\n[[documents]]\nid = \"{service}\"\nsource_language = \"en\"\n"),
    );
    repo.commit_all("Configure", "2026-01-01T10:00:00+00:00");
    let out = repo.redline(&["import", &dir.display().to_string()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    Some((repo, String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap()))
}

#[test]
fn a_corpus_history_imports_and_verifies() {
    let Some((repo, stdout, stderr)) = import_corpus("chatgpt") else { return };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ota/chatgpt");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".md") && n.as_bytes()[0].is_ascii_digit())
        .collect();
    files.sort();
    let skipped = stderr.lines().filter(|l| l.ends_with("once decoded; skipped")).count();
    let lines: Vec<&str> = stdout.lines().collect();
    let imported = files.len() - skipped;
    assert_eq!(
        lines.last().unwrap(),
        &format!(
            "imported {imported} versions into archive/chatgpt/; commit archive/ to keep them"
        )
    );
    let releases = redline::archive::releases(&repo.file("archive"), "chatgpt").unwrap();
    assert_eq!(releases.len(), imported);
    assert_eq!(releases[0].version.to_string(), "1.0.0");
    assert_eq!(releases[0].record.level, "none");
    let mut previous: Option<&redline::archive::Release> = None;
    for r in &releases {
        // Each version's effective date is its file's date, and its bytes are the file's.
        let file = lines.iter().find(|l| l.starts_with(&format!("{:<8} ", r.version))).unwrap();
        let name = file.rsplit('/').next().unwrap();
        assert_eq!(r.record.effective, &name[4..14]);
        assert_eq!(
            repo.bytes(&format!("archive/chatgpt/{}/chatgpt.en.md", r.version)),
            std::fs::read(dir.join(name)).unwrap()
        );
        if let Some(p) = previous {
            assert!(r.version > p.version);
            let level = redline::Level::parse(&r.record.level).unwrap();
            assert_eq!(r.version, p.version.bumped(level.bump()).unwrap());
            assert_eq!(
                r.record.previous_record,
                sha256(&repo.bytes(&format!("archive/chatgpt/{}/release.toml", p.version)))
            );
        }
        previous = Some(r);
    }
    let out = repo.ok(&["verify"]);
    assert!(
        out.starts_with(&format!("archive intact: {imported} versions of 1 document (chatgpt)")),
        "{out}"
    );
}

#[test]
fn a_corpus_history_with_a_date_going_backwards_is_kept_with_a_warning() {
    let Some((repo, _, stderr)) = import_corpus("doubao") else { return };
    assert!(
        stderr.lines().any(|l| l.ends_with("doubao/032_2025-04-15.md: its date 2025-04-15 is earlier than the previous version's 2025-12-02; kept as is")),
        "{stderr}"
    );
    let releases = redline::archive::releases(&repo.file("archive"), "doubao").unwrap();
    assert!(releases.iter().any(|r| r.record.effective == "2025-04-15"));
    assert_eq!(repo.redline(&["verify"]).output().unwrap().status.code(), Some(0));
}
