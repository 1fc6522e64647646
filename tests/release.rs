//! `release`, `log`, `show` and `verify` in throwaway git repositories with fixed dates.

mod common;

use common::*;

/// Parses a release record written by the binary.
fn record(repo: &TestRepo, version: &str) -> redline::archive::ReleaseRecord {
    let rel = format!("archive/privacy/{version}/release.toml");
    redline::archive::ReleaseRecord::parse(&rel, &repo.bytes(&rel)).unwrap()
}

fn assert_released_at(value: &str) {
    let re = regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$").unwrap();
    assert!(re.is_match(value), "released_at {value}");
}

#[test]
fn first_release_publishes_the_policy_as_1_0_0() {
    let repo = TestRepo::new();
    let head = repo.head();
    let out = repo.ok(&["release", "--as-of", "2026-11-29"]);
    assert!(
        out.starts_with(
            "released privacy 1.0.0 (level none, bump none), effective 2026-11-29 (released 2026-11-29)\n"
        ),
        "{out}"
    );
    let zh = repo.bytes("policy/privacy.zh-CN.md");
    let en = repo.bytes("policy/privacy.en.md");
    assert_eq!(repo.bytes("archive/privacy/1.0.0/privacy.zh-CN.md"), zh);
    assert_eq!(repo.bytes("archive/privacy/1.0.0/privacy.en.md"), en);
    let text = repo.read("archive/privacy/1.0.0/release.toml");
    let released_at = record(&repo, "1.0.0").released_at;
    assert_released_at(&released_at);
    let expected = format!(
        r#"schema = "redline.release/1"
document = "privacy"
version = "1.0.0"
previous = ""
effective = "2026-11-29"
released_at = "{released_at}"
commit = "{head}"
dirty = false
level = "none"
bump = "none"
qualifiers = []
summary = []
previous_record = ""
engine = "{}"
triggers = []
criteria_sha256 = "{}"

[sources]
"privacy.zh-CN.md" = "{}"
"privacy.en.md" = "{}"
"#,
        redline::engine::engine_id(),
        sha256(&repo.bytes("archive/privacy/1.0.0/criteria.layers.toml")),
        sha256(&zh),
        sha256(&en)
    );
    assert_eq!(text, expected);
    // Nothing else in the archive: no temporary folder left behind.
    let names: Vec<String> = repo.archive_snapshot().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        names,
        [
            "privacy/",
            "privacy/1.0.0/",
            "privacy/1.0.0/criteria.layers.toml",
            "privacy/1.0.0/privacy.en.md",
            "privacy/1.0.0/privacy.zh-CN.md",
            "privacy/1.0.0/release.toml"
        ]
    );
    let log = repo.ok(&["log", "--as-of", "2026-11-29"]);
    assert_eq!(
        log,
        "privacy (as of 2026-11-29)\n  1.0.0    effective 2026-11-29  in force    level none       bump none\n      first release\n"
    );
}

#[test]
fn a_release_sequence_numbers_dates_and_chains_versions() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");

    // editorial → patch, effective on the release date
    repo.edit_zh(editorial);
    repo.commit_all("Front matter: last updated", "2026-12-01T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-01"]);
    repo.commit_all("Release 1.0.1", "2026-12-01T12:00:00+08:00");

    // minor → minor
    repo.edit_zh(minor);
    repo.commit_all("Say where the e-mail address is", "2026-12-03T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-03"]);
    repo.commit_all("Release 1.1.0", "2026-12-03T12:00:00+08:00");

    // reconsent → major, effective notice_days (7) later
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    repo.commit_all("Add the Pangle advertising SDK", "2026-12-08T09:00:00+08:00");
    let out = repo.ok(&["release", "--as-of", "2026-12-08"]);
    assert!(out.contains("  - device-permissions: row added 穿山甲广告SDK (reconsent)\n"), "{out}");
    repo.drop_note();
    repo.commit_all("Release 2.0.0", "2026-12-08T12:00:00+08:00");

    // minor again: its own date would be 2026-12-10, but never before the previous effective date
    repo.edit_zh(minor2);
    repo.commit_all("Wording", "2026-12-10T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-10"]);
    repo.commit_all("Release 2.1.0", "2026-12-10T12:00:00+08:00");

    let expected = [
        ("1.0.0", "", "2026-11-29", "none", "none"),
        ("1.0.1", "1.0.0", "2026-12-01", "editorial", "patch"),
        ("1.1.0", "1.0.1", "2026-12-03", "minor", "minor"),
        ("2.0.0", "1.1.0", "2026-12-15", "reconsent", "major"),
        ("2.1.0", "2.0.0", "2026-12-15", "minor", "minor"),
    ];
    let mut previous_bytes: Option<Vec<u8>> = None;
    for (version, previous, effective, level, bump) in expected {
        let r = record(&repo, version);
        assert_eq!(
            (r.version.as_str(), r.previous.as_str(), r.effective.as_str()),
            (version, previous, effective)
        );
        assert_eq!((r.level.as_str(), r.bump.as_str()), (level, bump), "{version}");
        assert!(!r.dirty);
        // The chain: sha256 of the previous release.toml's bytes.
        match &previous_bytes {
            None => assert_eq!(r.previous_record, ""),
            Some(b) => assert_eq!(r.previous_record, sha256(b), "{version}"),
        }
        for (file, hash) in &r.sources {
            let bytes = repo.bytes(&format!("archive/privacy/{version}/{file}"));
            assert_eq!(&sha256(&bytes), hash);
        }
        previous_bytes = Some(repo.bytes(&format!("archive/privacy/{version}/release.toml")));
    }
    let r = record(&repo, "2.0.0");
    assert_eq!(r.qualifiers, ["separate"]);
    assert_eq!(r.summary, ["device-permissions: row added 穿山甲广告SDK (reconsent)"]);
    let r = record(&repo, "1.0.1");
    assert_eq!(r.summary, ["_preamble: metadata modified (editorial)"]);
    assert_eq!(r.qualifiers, Vec::<String>::new());
    let r = record(&repo, "1.1.0");
    assert_eq!(r.summary, ["notice: block modified +本页底部所列的 (minor)"]);

    // log: in force / upcoming / superseded on a date between 1.1.0 and 2.0.0 taking effect
    let log = repo.ok(&["log", "--format", "json", "--as-of", "2026-12-12"]);
    let v: serde_json::Value = serde_json::from_str(&log).unwrap();
    assert_eq!(v["as_of"], "2026-12-12");
    let statuses: Vec<(String, String)> = v["documents"]["privacy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["version"].as_str().unwrap().into(), e["status"].as_str().unwrap().into()))
        .collect();
    let expect = |s: &[(&str, &str)]| -> Vec<(String, String)> {
        s.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    };
    assert_eq!(
        statuses,
        expect(&[
            ("1.0.0", "superseded"),
            ("1.0.1", "superseded"),
            ("1.1.0", "in_force"),
            ("2.0.0", "upcoming"),
            ("2.1.0", "upcoming"),
        ])
    );
    let text = repo.ok(&["log", "--as-of", "2026-12-15"]);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(
        lines[0],
        "  2.1.0    effective 2026-12-15  in force    level minor      bump minor"
    );
    assert_eq!(
        lines[2],
        "  2.0.0    effective 2026-12-15  superseded  level reconsent  bump major"
    );
    assert_eq!(lines[3], "      device-permissions: row added 穿山甲广告SDK (reconsent)");

    // show prints the released bytes
    let shown = repo.ok(&["show", "1.1.0"]);
    assert_eq!(shown.as_bytes(), repo.bytes("archive/privacy/1.1.0/privacy.zh-CN.md"));
    assert_ne!(shown.as_bytes(), repo.bytes("policy/privacy.zh-CN.md"));
    let en = repo.ok(&["show", "2.1.0", "--lang", "en"]);
    assert_eq!(en.as_bytes(), repo.bytes("policy/privacy.en.md"));

    // the committed archive verifies, history included
    let out = repo.ok(&["verify"]);
    assert_eq!(
        out,
        "archive intact: 5 versions of 1 document (privacy); every source hash and the chain verified, 5 releases judged again\n"
    );
    // check now compares with the newest release
    let check = repo.ok(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&check).unwrap();
    assert_eq!(v["base"]["version"], "2.1.0");
    assert_eq!(v["level"], "none");
}

#[test]
fn release_refusals_write_nothing() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    let before = repo.archive_snapshot();

    // no change in any language
    let e = repo.fails(&["release", "--as-of", "2026-11-30"], 2);
    assert_eq!(
        e,
        "error: nothing to release: no language of privacy changed since 1.0.0 (zh-CN, en identical)\n"
    );

    // a dirty tree for the policy files
    repo.edit_zh(minor);
    let e = repo.fails(&["release", "--as-of", "2026-11-30"], 2);
    assert!(
        e.starts_with(
            "error: refusing to release privacy: uncommitted changes under policy/ (policy/privacy.zh-CN.md); commit them first, or pass --allow-dirty"
        ),
        "{e}"
    );
    repo.git(&["checkout", "--", "policy"], None);
    repo.write("policy/notes.md", "draft\n");
    let e = repo.fails(&["release", "--as-of", "2026-11-30"], 2);
    assert!(e.contains("(policy/notes.md)"), "{e}");
    std::fs::remove_file(repo.file("policy/notes.md")).unwrap();

    // a version not above the last, or below the proposed bump
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-11-30T09:00:00+08:00");
    let e = repo.fails(&["release", "--as-of", "2026-11-30", "--version", "1.0.0"], 2);
    assert_eq!(e, "error: --version 1.0.0 is not above the last release 1.0.0 of privacy\n");
    let e = repo.fails(&["release", "--as-of", "2026-11-30", "--version", "1.0.1"], 2);
    assert_eq!(
        e,
        "error: --version 1.0.1 is below 1.1.0: the changes are minor (bump minor) and --version may only go higher\n"
    );
    let e = repo.fails(&["release", "--version", "1.1"], 2);
    assert_eq!(
        e,
        "error: --version: `1.1` is not a version; write it as MAJOR.MINOR.PATCH (e.g. 2.0.0)\n"
    );

    // an effective date before the release date
    let e = repo.fails(&["release", "--as-of", "2026-11-30", "--effective", "2026-11-29"], 2);
    assert_eq!(
        e,
        "error: --effective 2026-11-29 is before the release date 2026-11-30; a version cannot take effect before it is published\n"
    );
    let e = repo.fails(&["release", "--effective", "30.11.2026"], 2);
    assert!(e.starts_with("error: --effective: `30.11.2026` is not a date"), "{e}");
    let e = repo.fails(&["release", "--as-of", "tomorrow"], 2);
    assert!(e.starts_with("error: --as-of: `tomorrow` is not a date"), "{e}");
    assert_eq!(repo.archive_snapshot(), before);

    // an effective date inside the notice period of a reconsent release
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    repo.commit_all("Add an SDK", "2026-12-01T09:00:00+08:00");
    let e = repo.fails(&["release", "--as-of", "2026-12-08", "--effective", "2026-12-10"], 2);
    assert_eq!(
        e,
        "error: --effective 2026-12-10 is inside the notice period: a reconsent release takes effect at least 7 days after it is released (2026-12-08 + 7 = 2026-12-15); pass --effective 2026-12-15 or later\n"
    );
    // a higher version than proposed is fine, as is a later effective date (its note says
    // which version it is for)
    repo.note("3.0.0");
    let out = repo.ok(&[
        "release",
        "--as-of",
        "2026-12-08",
        "--effective",
        "2027-01-15",
        "--version",
        "3.0.0",
    ]);
    assert!(
        out.starts_with(
            "released privacy 3.0.0 (level reconsent, bump major), effective 2027-01-15"
        ),
        "{out}"
    );
    assert_eq!(record(&repo, "3.0.0").previous, "1.0.0");
    repo.drop_note();
    repo.commit_all("Release 3.0.0", "2026-12-08T12:00:00+08:00");
    let before = repo.archive_snapshot();

    // an effective date before the previous version's
    repo.edit_zh(minor2);
    repo.commit_all("Wording", "2026-12-09T09:00:00+08:00");
    let e = repo.fails(&["release", "--as-of", "2026-12-09", "--effective", "2027-01-01"], 2);
    assert_eq!(
        e,
        "error: --effective 2027-01-01 is before 2027-01-15, the effective date of the previous version 3.0.0\n"
    );

    // a finding with the block qualifier
    repo.edit_zh(blocking);
    repo.commit_all("Make the birth date mandatory", "2026-12-09T10:00:00+08:00");
    let e = repo.fails(&["release", "--as-of", "2027-01-20"], 2);
    assert!(e.starts_with("error: refusing to release privacy: policy/privacy.zh-CN.md:"), "{e}");
    assert!(e.contains("(rule required-field) carries the `block` qualifier"), "{e}");

    // an unknown document
    let e = repo.fails(&["release", "--document", "terms"], 2);
    assert_eq!(e, "error: unknown document `terms`; policy/policy.toml lists privacy\n");
    assert_eq!(repo.archive_snapshot(), before);
}

#[test]
fn a_version_folder_without_its_record_is_refused() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.write("archive/privacy/1.1.0/privacy.zh-CN.md", "copied by hand\n");
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-11-30T09:00:00+08:00");
    let before = repo.archive_snapshot();
    let e = repo.fails(&["release", "--as-of", "2026-11-30"], 2);
    assert_eq!(
        e,
        "error: archive/privacy/1.1.0/release.toml: deleted record: the record of 1.1.0 is missing (deleted?); to recover: restore archive/privacy/1.1.0/release.toml from a copy of the archive (a clone or a backup); a released file is never modified; the archive was altered, so it is not used (run `redline verify`)\n"
    );
    assert_eq!(repo.archive_snapshot(), before);
}

#[test]
fn allow_dirty_records_head_and_says_so() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(minor);
    let out = repo.ok(&["release", "--as-of", "2026-11-30", "--allow-dirty"]);
    assert!(
        out.contains(&format!("  dirty: released from uncommitted files (HEAD {})\n", repo.head())),
        "{out}"
    );
    let r = record(&repo, "1.1.0");
    assert!(r.dirty);
    assert_eq!(r.commit, repo.head());
    assert_eq!(
        repo.bytes("archive/privacy/1.1.0/privacy.zh-CN.md"),
        repo.bytes("policy/privacy.zh-CN.md")
    );
    // --allow-dirty on a clean tree records the truth: not dirty
    repo.commit_all("Release 1.1.0", "2026-11-30T12:00:00+08:00");
    repo.edit_zh(minor2);
    repo.commit_all("Wording", "2026-12-01T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-01", "--allow-dirty"]);
    assert!(!record(&repo, "1.2.0").dirty);
}

#[test]
fn dry_run_prints_the_record_and_writes_nothing() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    repo.commit_all("Add an SDK", "2026-12-01T09:00:00+08:00");
    let before = repo.archive_snapshot();
    let out = repo.ok(&["release", "--as-of", "2026-12-08", "--dry-run", "--tag"]);
    assert!(out.starts_with("would release privacy 2.0.0 (level reconsent, bump major), effective 2026-12-15 (released 2026-12-08)\n"), "{out}");
    assert!(
        out.contains("--- archive/privacy/2.0.0/release.toml\nschema = \"redline.release/1\"\n"),
        "{out}"
    );
    assert!(out.contains("\nprevious_record = \""), "{out}");
    assert!(out.contains("  tag privacy-v2.0.0\n"), "{out}");
    assert!(out.ends_with("dry run: nothing was written\n"), "{out}");
    assert_eq!(repo.archive_snapshot(), before);
    assert_eq!(repo.git(&["tag", "--list"], None), "");
}

#[test]
fn tag_creates_document_v_version_at_head() {
    let repo = TestRepo::new();
    let out = repo.ok(&["release", "--as-of", "2026-11-29", "--tag"]);
    assert!(out.contains("  tag privacy-v1.0.0\n"), "{out}");
    let tagged = repo.git(&["rev-parse", "privacy-v1.0.0^{commit}"], None);
    assert_eq!(tagged.trim(), repo.head());
    assert_eq!(record(&repo, "1.0.0").commit, repo.head());
    // A release whose tag already exists is refused before anything is written.
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-11-30T09:00:00+08:00");
    repo.git(&["tag", "privacy-v1.1.0"], None);
    let before = repo.archive_snapshot();
    let e = repo.fails(&["release", "--as-of", "2026-11-30", "--tag"], 2);
    assert_eq!(e, "error: --tag: the tag privacy-v1.1.0 already exists\n");
    assert_eq!(repo.archive_snapshot(), before);
}

#[test]
fn release_outside_git_records_an_empty_commit() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policy");
    std::fs::create_dir_all(dir.path().join("policy")).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("policy").join(e.file_name())).unwrap();
    }
    let mut cmd = assert_cmd::Command::cargo_bin("redline").unwrap();
    cmd.current_dir(dir.path()).args(["release", "--as-of", "2026-11-29"]).assert().success();
    let rel = dir.path().join("archive/privacy/1.0.0/release.toml");
    let r = redline::archive::ReleaseRecord::parse("r", &std::fs::read(rel).unwrap()).unwrap();
    assert_eq!((r.commit.as_str(), r.dirty), ("", false));
    // --tag needs git
    let mut cmd = assert_cmd::Command::cargo_bin("redline").unwrap();
    let out = cmd
        .current_dir(dir.path())
        .args(["release", "--as-of", "2026-11-29", "--tag", "--allow-dirty"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn release_all_releases_every_changed_document() {
    let repo = TestRepo::new();
    let mut toml = repo.read("policy/policy.toml");
    toml.push_str("\n[[documents]]\nid = \"terms\"\nsource_language = \"zh-CN\"\n");
    repo.write("policy/policy.toml", toml);
    repo.write(
        "policy/terms.zh-CN.md",
        "+++\nid = \"terms\"\ntitle = \"条款\"\nlang = \"zh-CN\"\n+++\n\n## 条款 {#terms}\n\n使用本服务即表示同意本条款。\n",
    );
    repo.commit_all("Add terms", "2026-11-02T10:00:00+08:00");
    let out = repo.ok(&["release", "--all", "--as-of", "2026-11-29"]);
    assert!(out.contains("released privacy 1.0.0"), "{out}");
    assert!(out.contains("released terms 1.0.0"), "{out}");
    repo.commit_all("Release", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-11-30T09:00:00+08:00");
    let out = repo.ok(&["release", "--all", "--as-of", "2026-11-30"]);
    assert!(out.contains("released privacy 1.1.0"), "{out}");
    assert!(out.contains("terms: unchanged since its last release; not released\n"), "{out}");
    repo.commit_all("Release", "2026-11-30T12:00:00+08:00");
    let e = repo.fails(&["release", "--all", "--as-of", "2026-12-01"], 2);
    assert_eq!(
        e,
        "error: nothing to release: no document changed since its last release (privacy, terms)\n"
    );
    let log = repo.ok(&["log", "--all", "--as-of", "2026-12-01"]);
    assert!(log.contains("privacy (as of 2026-12-01)\n  1.1.0 "), "{log}");
    assert!(log.contains("\nterms (as of 2026-12-01)\n  1.0.0 "), "{log}");
    assert_eq!(
        repo.ok(&["verify"]).lines().last().unwrap(),
        "archive intact: 3 versions of 2 documents (privacy, terms); every source hash and the chain verified, 3 releases judged again"
    );
}

#[test]
fn show_and_log_refuse_bad_input() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    let e = repo.fails(&["show", "2.0.0"], 2);
    assert_eq!(
        e,
        "error: archive/privacy/ has no version 2.0.0; `redline log` lists the released versions\n"
    );
    let e = repo.fails(&["show", "v1"], 2);
    assert_eq!(
        e,
        "error: VERSION: `v1` is not a version; write it as MAJOR.MINOR.PATCH (e.g. 2.0.0)\n"
    );
    let e = repo.fails(&["show", "1.0.0", "--lang", "fr"], 2);
    assert_eq!(
        e,
        "error: document `privacy` has no language `fr`; policy/policy.toml lists zh-CN, en\n"
    );
    // A tampered source is not shown.
    let path = "archive/privacy/1.0.0/privacy.en.md";
    let mut bytes = repo.bytes(path);
    bytes[0] ^= 1;
    repo.write(path, bytes);
    let e = repo.fails(&["show", "1.0.0", "--lang", "en"], 2);
    assert!(
        e.starts_with("error: archive/privacy/1.0.0/privacy.en.md: tampered source: sha256 is "),
        "{e}"
    );
    assert!(e.ends_with("; the archive was altered, so it is not used (run `redline verify`)\n"));
    let e = repo.fails(&["log", "--as-of", "2026-13-01"], 2);
    assert!(e.starts_with("error: --as-of: `2026-13-01` is not a date"), "{e}");
}

#[test]
fn the_issue_flow_in_a_git_clone() {
    // The first release, committed; then, in a clone: an advertising SDK row, committed, released.
    let origin = TestRepo::new();
    origin.ok(&["release", "--as-of", "2026-11-29"]);
    origin.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    let clone = TestRepo::clone_of(&origin);
    assert!(
        clone
            .ok(&["log", "--as-of", "2026-12-01"])
            .contains("  1.0.0    effective 2026-11-29  in force")
    );
    clone.edit_zh(add_sdk_row);
    clone.note("2.0.0");
    clone.commit_all("Add the Pangle advertising SDK", "2026-12-08T09:00:00+08:00");
    let out = clone.ok(&["release", "--as-of", "2026-12-08"]);
    assert!(out.starts_with("released privacy 2.0.0 (level reconsent, bump major), effective 2026-12-15 (released 2026-12-08)\n"), "{out}");
    let answer = |v: &str| {
        let out =
            clone.ok(&["consent", "--accepted", v, "--format", "json", "--as-of", "2026-12-08"]);
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["decision"].clone()
    };
    assert_eq!(answer("1.0.0"), "reconsent");
    assert_eq!(answer("2.0.0"), "none");
    let e = clone.fails(&["release", "--as-of", "2026-12-08"], 2);
    assert_eq!(
        e,
        "error: nothing to release: no language of privacy changed since 2.0.0 (zh-CN, en identical)\n"
    );
    clone.commit_all("Release 2.0.0", "2026-12-08T12:00:00+08:00");
    clone.ok(&["verify"]);
    let rel = "archive/privacy/1.0.0/privacy.en.md";
    let mut bytes = clone.bytes(rel);
    let last = bytes.len() - 2;
    bytes[last] = b'!';
    clone.write(rel, bytes);
    let out = clone.redline(&["verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains(&format!("{rel}: tampered source: ")));
}

#[test]
fn a_change_in_the_translation_alone_is_an_editorial_release_summarised_with_its_language() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    let text = repo.read("policy/privacy.en.md");
    let old = "you may contact us by e-mail.";
    assert!(text.contains(old));
    repo.write(
        "policy/privacy.en.md",
        text.replacen(old, "you may contact us by e-mail at the address below.", 1),
    );
    repo.commit_all("Clarify the English translation", "2026-12-01T09:00:00+08:00");
    let out = repo.ok(&["release", "--as-of", "2026-12-01"]);
    // The source governs: the translation's own level (minor) is shown, the release is a patch.
    assert!(out.starts_with("released privacy 1.0.1 (level editorial, bump patch), effective 2026-12-01 (released 2026-12-01)\n"), "{out}");
    assert!(
        out.contains("  since 1.0.0: zh-CN none · en minor (translation; the source governs)\n"),
        "{out}"
    );
    let r = record(&repo, "1.0.1");
    assert_eq!((r.level.as_str(), r.bump.as_str()), ("editorial", "patch"));
    assert_eq!(
        r.summary,
        [
            "[en] notice: block modified +at the address below (minor in the translation; the source governs)"
        ]
    );
    assert_eq!(
        repo.bytes("archive/privacy/1.0.1/privacy.zh-CN.md"),
        repo.bytes("archive/privacy/1.0.0/privacy.zh-CN.md")
    );
}

/// The advertising SDK row of [`SDK_ROW`] in English, after the Umeng row of the translation.
fn add_sdk_row_en(text: String) -> String {
    let i = text.find("| Umeng Push (友盟推送) |").expect("Umeng row");
    let j = i + text[i..].find('\n').unwrap() + 1;
    let row = "| Pangle Ads SDK (穿山甲广告SDK) | Shows you personalised advertising | Device information, advertising identifiers (IDFA/OAID), location information | Beijing Ocean Engine Network Technology Co., Ltd. | \"Pangle Privacy Policy\" |\n";
    format!("{}{row}{}", &text[..j], &text[j..])
}

/// Runs `redline` expecting success; returns (stdout, stderr).
fn run(repo: &TestRepo, args: &[&str]) -> (String, String) {
    let out = repo.redline(args).output().unwrap();
    let (stdout, stderr) =
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert_eq!(out.status.code(), Some(0), "redline {args:?}: {stdout}{stderr}");
    (stdout, stderr)
}

fn decision(repo: &TestRepo, accepted: &str, as_of: &str) -> String {
    let out = repo.ok(&["consent", "--accepted", accepted, "--format", "json", "--as-of", as_of]);
    serde_json::from_str::<serde_json::Value>(&out).unwrap()["decision"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn catching_up_a_translation_is_a_patch_release_and_asks_for_no_second_consent() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");

    // The source adds an advertising SDK; the translation lags behind: a warning, not a refusal.
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    repo.commit_all("Add the Pangle advertising SDK", "2026-12-08T09:00:00+08:00");
    let warning = "warning: privacy.en.md is stale: section `device-permissions` (line ";
    let tail = "; update the translation (the release goes ahead; the source governs)\n";
    for args in [
        &["release", "--as-of", "2026-12-08", "--dry-run"][..],
        &["release", "--as-of", "2026-12-08"][..],
    ] {
        let (out, err) = run(&repo, args);
        assert!(
            out.contains("privacy 2.0.0 (level reconsent, bump major), effective 2026-12-15"),
            "{out}"
        );
        assert!(out.contains("  since 1.0.0: zh-CN reconsent · en none\n"), "{out}");
        assert!(err.starts_with(warning), "{err}");
        assert!(err.contains(": changed in zh-CN in "), "{err}");
        assert!(err.ends_with(tail), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    repo.drop_note();
    repo.commit_all("Release 2.0.0", "2026-12-08T12:00:00+08:00");
    assert_eq!(decision(&repo, "1.0.0", "2026-12-08"), "reconsent");

    // The translation catches up: its own level is reconsent, but the source did not change.
    let en = repo.read("policy/privacy.en.md");
    repo.write("policy/privacy.en.md", add_sdk_row_en(en));
    repo.commit_all("Translate the Pangle row", "2026-12-09T09:00:00+08:00");
    let (out, err) = run(&repo, &["release", "--as-of", "2026-12-09", "--dry-run"]);
    assert!(
        out.starts_with("would release privacy 2.0.1 (level editorial, bump patch), effective 2026-12-15 (released 2026-12-09)\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "  since 2.0.0: zh-CN none · en reconsent (translation; the source governs)\n"
        ),
        "{out}"
    );
    assert!(!out.contains("re-consent required"), "{out}");
    assert_eq!(err, "", "the translation is current again");
    repo.ok(&["release", "--as-of", "2026-12-09"]);
    repo.commit_all("Release 2.0.1", "2026-12-09T12:00:00+08:00");
    let r = record(&repo, "2.0.1");
    assert_eq!(
        (r.level.as_str(), r.bump.as_str(), r.effective.as_str()),
        ("editorial", "patch", "2026-12-15")
    );
    assert!(r.qualifiers.is_empty(), "{:?}", r.qualifiers);
    assert!(
        r.summary
            .iter()
            .all(|l| l.starts_with("[en] ")
                && l.ends_with(" in the translation; the source governs)")),
        "{:?}",
        r.summary
    );
    assert!(
        r.summary
            .iter()
            .any(|l| l.starts_with("[en] device-permissions: row added Pangle Ads SDK")),
        "{:?}",
        r.summary
    );
    assert_eq!(decision(&repo, "2.0.0", "2026-12-09"), "none");
    assert_eq!(decision(&repo, "1.0.0", "2026-12-09"), "reconsent");
    assert_eq!(decision(&repo, "2.0.1", "2026-12-09"), "none");
}

#[test]
fn a_translation_that_adds_a_data_type_alone_is_not_reconsent() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    let en = repo.read("policy/privacy.en.md");
    repo.write("policy/privacy.en.md", add_sdk_row_en(en));
    repo.commit_all("An SDK only the translation names", "2026-12-01T09:00:00+08:00");
    let (out, err) = run(&repo, &["release", "--as-of", "2026-12-01"]);
    // No notice period: effective on the release date.
    assert!(
        out.starts_with("released privacy 1.0.1 (level editorial, bump patch), effective 2026-12-01 (released 2026-12-01)\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "  since 1.0.0: zh-CN none · en reconsent (translation; the source governs)\n"
        ),
        "{out}"
    );
    assert_eq!(err, "");
    repo.commit_all("Release 1.0.1", "2026-12-01T12:00:00+08:00");
    let r = record(&repo, "1.0.1");
    assert_eq!((r.level.as_str(), r.bump.as_str()), ("editorial", "patch"));
    assert!(r.qualifiers.is_empty(), "{:?}", r.qualifiers);
    assert_eq!(decision(&repo, "1.0.0", "2026-12-01"), "none");
    let manifest = repo.ok(&["log", "--as-of", "2026-12-01"]);
    assert!(
        manifest
            .contains("  1.0.1    effective 2026-12-01  in force    level editorial  bump patch\n"),
        "{manifest}"
    );
}

/// Runs a release that lint must stop: exit 2, nothing on stdout, the lint errors on stderr
/// and the refusal as the last line. Returns stderr.
fn lint_refusal(repo: &TestRepo, args: &[&str]) -> String {
    let out = repo.redline(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    let last = stderr.lines().last().unwrap();
    assert!(
        last.starts_with("error: refusing to release: `redline lint` finds 1 error (above)"),
        "{stderr}"
    );
    assert!(!stderr.contains("warning["), "only errors are printed: {stderr}");
    stderr
}

#[test]
fn a_malformed_source_is_bad_input_and_nothing_is_written() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    let before = repo.archive_snapshot();
    // Two headings with the same explicit id.
    repo.edit_zh(|t| t.replacen("## 定义 {#definitions}", "## 定义 {#notice}", 1));
    repo.commit_all("Duplicate id", "2026-11-30T09:00:00+08:00");
    // lint finds it first: release prints the error and refuses (a release never publishes
    // what lint rejects).
    let e = lint_refusal(&repo, &["release", "--as-of", "2026-11-30"]);
    assert!(
        e.contains("error[duplicate-id]: duplicate section id `notice` (also at line 7)"),
        "{e}"
    );
    assert!(e.contains("--> policy/privacy.zh-CN.md:23:"), "{e}");
    // Past lint (a dry run plans too), the parser says the same in one line.
    let e = repo.fails(&["diff", "policy/privacy.en.md", "policy/privacy.zh-CN.md"], 2);
    assert_eq!(
        e,
        "error: policy/privacy.zh-CN.md:23: duplicate section id `notice` (also at line 7); give one of the two headings another {#id}\n"
    );
    // Bytes that are not UTF-8, in the translation.
    repo.git(&["revert", "--no-edit", "HEAD"], Some("2026-11-30T10:00:00+08:00"));
    let mut en = repo.bytes("policy/privacy.en.md");
    en.extend_from_slice(b"\n\xfe\n");
    repo.write("policy/privacy.en.md", en);
    repo.commit_all("Broken bytes", "2026-11-30T11:00:00+08:00");
    let e = lint_refusal(&repo, &["release", "--as-of", "2026-11-30"]);
    assert!(e.contains("error[invalid-utf8]: invalid UTF-8 (byte 0xfe)"), "{e}");
    assert!(e.contains("--> policy/privacy.en.md:"), "{e}");
    // A missing translation.
    std::fs::remove_file(repo.file("policy/privacy.en.md")).unwrap();
    repo.commit_all("No translation", "2026-11-30T12:00:00+08:00");
    let e = lint_refusal(&repo, &["release", "--as-of", "2026-11-30"]);
    assert!(
        e.contains(
            "error[missing-file]: this file is listed in policy/policy.toml but does not exist"
        ),
        "{e}"
    );
    assert_eq!(repo.archive_snapshot(), before);
}

/// A major release needs a note written by people; the note and the publisher's annotations
/// are stored in the record; each refusal exits 2 naming the file and what is wrong, and
/// writes nothing.
#[test]
fn release_notes_and_annotations_are_required_checked_and_stored() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(add_sdk_row);
    repo.commit_all("Add the Pangle advertising SDK", "2026-12-08T09:00:00+08:00");
    let before = repo.archive_snapshot();
    let release = ["release", "--as-of", "2026-12-08"];

    // No note at all.
    let e = repo.fails(&release, 2);
    assert!(
        e.starts_with("error: refusing to release privacy 2.0.0: a reconsent release needs a release note in zh-CN, and policy/privacy.notes.toml does not exist;"),
        "{e}"
    );
    // A note in English only: the source language is missing.
    let notes = "policy/privacy.notes.toml";
    repo.write(notes, "version = \"2.0.0\"\nen = \"We added an advertising partner.\"\n");
    let e = repo.fails(&release, 2);
    assert_eq!(
        e,
        "error: policy/privacy.notes.toml: no zh-CN note: a reconsent release needs a release note in the source language zh-CN (zh-CN = \"…\")\n"
    );
    // A note for another version.
    repo.write(notes, "version = \"1.1.0\"\nzh-CN = \"新增广告合作伙伴。\"\n");
    let e = repo.fails(&release, 2);
    assert_eq!(
        e,
        "error: policy/privacy.notes.toml:1: the notes are for version 1.1.0, but this release is 2.0.0; update `version` and the text, or remove the file\n"
    );
    // A language the document does not have, named with its line.
    repo.write(notes, "version = \"2.0.0\"\nzh-CN = \"新增。\"\nfr = \"Nouveau.\"\n");
    let e = repo.fails(&release, 2);
    assert_eq!(
        e,
        "error: policy/privacy.notes.toml:3:1: unknown key `fr`; use `version`, `annotations` or a language of privacy (zh-CN, en)\n"
    );
    // An annotation whose key matches no finding.
    let stray = "new-sdk-ads/device-permissions/00000000";
    repo.write(
        notes,
        format!("version = \"2.0.0\"\nzh-CN = \"新增广告合作伙伴。\"\n\n[[annotations]]\nkey = \"{stray}\"\nzh-CN = \"说明。\"\n"),
    );
    let e = repo.fails(&release, 2);
    assert_eq!(
        e,
        format!(
            "error: policy/privacy.notes.toml:5: annotation key `{stray}` matches no finding of 2.0.0; `redline check --format json` lists each finding's key\n"
        )
    );
    // A preview build refuses it too, while 2.0.0 is still to be released; `check`, where
    // the keys are read, warns.
    let out = repo.redline(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(&format!("warning: policy/privacy.notes.toml:5: annotation key `{stray}`")),
        "{err}"
    );
    assert!(err.ends_with("(`redline release` refuses it)\n"), "{err}");
    let e = repo.fails(
        &[
            "build",
            "--preview",
            "--base-url",
            "https://example.com/",
            "--as-of",
            "2026-12-08",
            "--out",
            "preview",
        ],
        2,
    );
    assert!(
        e.starts_with(&format!("error: policy/privacy.notes.toml:5: annotation key `{stray}`")),
        "{e}"
    );
    assert_eq!(repo.archive_snapshot(), before, "no refusal writes anything");

    // The key `check` prints for the finding matches; the level stays.
    let report: serde_json::Value =
        serde_json::from_str(&repo.ok(&["check", "--format", "json"])).unwrap();
    let finding = &report["findings"][0];
    let key = finding["key"].as_str().unwrap().to_string();
    assert!(
        key.starts_with(&format!("{}/device-permissions/", finding["rule"].as_str().unwrap())),
        "{key}"
    );
    let zh = "我们新增了一家广告合作伙伴（穿山甲），用于向您展示个性化广告；您可以在设置中关闭。";
    repo.write(
        notes,
        format!("version = \"2.0.0\"\nzh-CN = \"{zh}\"\n\n[[annotations]]\nkey = \"{key}\"\nkind = \"explanation\"\nzh-CN = \"仅在您开启个性化广告时加载。\"\nen = \"Loaded only when you turn on personalised ads.\"\n"),
    );
    let out = repo.ok(&release);
    assert!(out.contains(&format!("  note (zh-CN): {zh}\n")), "{out}");
    assert!(out.contains("  annotations: 1\n"), "{out}");
    let r = record(&repo, "2.0.0");
    assert_eq!(r.level, "reconsent", "an annotation never changes the level");
    assert_eq!(r.notes.len(), 1);
    assert_eq!(r.notes["zh-CN"], zh);
    assert_eq!(r.annotations.len(), 1);
    assert_eq!(r.annotations[0].key, key);
    assert_eq!(r.annotations[0].text["en"], "Loaded only when you turn on personalised ads.");
    let text = repo.read("archive/privacy/2.0.0/release.toml");
    assert!(text.contains(&format!("\n[notes]\n\"zh-CN\" = \"{zh}\"\n")), "{text}");
    assert!(
        text.contains(&format!("\n[[annotations]]\nkey = \"{key}\"\nkind = \"explanation\"\n")),
        "{text}"
    );
    repo.commit_all("Release 2.0.0", "2026-12-08T12:00:00+08:00");
    repo.ok(&["verify"]);
    // Released, the working text equals 2.0.0 and the annotated finding is gone: a warning.
    let out = repo.redline(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(&format!("warning: policy/privacy.notes.toml:5: annotation key `{key}` matches no finding of 2.0.0;")),
        "{err}"
    );

    // The same note again for the next release: refused, it says nothing new.
    repo.edit_zh(major);
    repo.commit_all("Contacts permission", "2026-12-20T09:00:00+08:00");
    repo.write(notes, format!("version = \"3.0.0\"\nzh-CN = \"{zh}\"\n"));
    let e = repo.fails(&["release", "--as-of", "2026-12-20"], 2);
    assert_eq!(
        e,
        "error: policy/privacy.notes.toml:2: the zh-CN note is the previous release's word for word; write what changed in 3.0.0\n"
    );
    // --notes takes a file from elsewhere (the policy folder's draft is not read).
    let file = repo.path().join("notes-3.toml");
    std::fs::write(&file, "version = \"3.0.0\"\nzh-CN = \"我们需要读取通讯录以便您邀请好友。\"\n")
        .unwrap();
    let out = repo.ok(&["release", "--as-of", "2026-12-20", "--notes", "notes-3.toml"]);
    assert!(out.contains("  note (zh-CN): 我们需要读取通讯录以便您邀请好友。\n"), "{out}");
    assert!(record(&repo, "3.0.0").annotations.is_empty());
}
