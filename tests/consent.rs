//! `redline consent` and the consent manifest (`redline.consent/2`): `decisions[X]` follows the
//! level of the direct difference between X and the latest release, `chain_level[X]` the releases
//! in between (information only).

mod common;

use common::*;
use redline::archive::{self, RELEASE_SCHEMA, ReleaseRecord};
use redline::repo::PolicyRepo;
use serde_json::{Value, json};

fn consent(repo: &TestRepo, accepted: &str, as_of: &str) -> Value {
    let out = repo.ok(&["consent", "--accepted", accepted, "--format", "json", "--as-of", as_of]);
    serde_json::from_str(&out).unwrap()
}

fn versions(v: &Value) -> Vec<String> {
    v["changes"].as_array().unwrap().iter().map(|c| c["version"].as_str().unwrap().into()).collect()
}

#[test]
fn decisions_for_versions_before_between_and_after_releases() {
    let repo = TestRepo::new();
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    repo.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    repo.edit_zh(minor);
    repo.commit_all("Wording", "2026-12-01T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-01"]);
    repo.edit_zh(add_sdk_row);
    repo.note("2.0.0");
    repo.commit_all("SDK", "2026-12-08T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-08"]);
    repo.drop_note();
    repo.edit_zh(major);
    repo.note("3.0.0");
    repo.commit_all("Contacts permission", "2026-12-20T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-20"]);
    repo.drop_note();
    assert_eq!(
        repo.ok(&["log", "--as-of", "2026-12-20"]).lines().nth(1).unwrap(),
        "  3.0.0    effective 2026-12-27  upcoming    level major      bump major"
    );

    // 3.0.0 is upcoming: decisions already aim at it.
    let v = consent(&repo, "2.0.0", "2026-12-22");
    assert_eq!(
        v,
        json!({
            "decision": "notice", "accepted": "2.0.0", "latest": "3.0.0", "level": "major",
            "chain_level": "major", "known": true, "effective": "2026-12-27", "upcoming": true,
            "current": "2.0.0",
            "changes": [{"version": "3.0.0", "effective": "2026-12-27", "level": "major",
                         "summary": ["device-permissions: row added 通讯录 (major)"],
                         "same_as": null,
                         "note": {"zh-CN": {"text": "3.0.0 版：我们新增了一家广告合作伙伴。", "lang": "zh-CN"},
                                  "en": {"text": "Version 3.0.0: we added an advertising partner.", "lang": "en"}}}]
        })
    );
    // After its effective date the decision is the same; only the status moved.
    let v = consent(&repo, "2.0.0", "2026-12-27");
    assert_eq!(
        (&v["decision"], &v["upcoming"], &v["current"]),
        (&json!("notice"), &json!(false), &json!("3.0.0"))
    );
    let v = consent(&repo, "1.1.0", "2026-12-22");
    assert_eq!((&v["decision"], &v["level"]), (&json!("reconsent"), &json!("reconsent")));
    assert_eq!(versions(&v), ["2.0.0", "3.0.0"]);

    repo.edit_zh(minor2);
    repo.commit_all("Wording", "2026-12-28T09:00:00+08:00");
    repo.ok(&["release", "--as-of", "2026-12-28"]);

    let decision = |accepted: &str| consent(&repo, accepted, "2026-12-28")["decision"].clone();
    assert_eq!(decision("1.0.0"), "reconsent"); // before every later release
    assert_eq!(decision("1.1.0"), "reconsent"); // between
    assert_eq!(decision("2.0.0"), "notice"); // a major release after it
    assert_eq!(decision("3.0.0"), "none"); // only a minor release after it
    let v = consent(&repo, "3.1.0", "2026-12-28"); // the latest
    assert_eq!(
        v,
        json!({"decision": "none", "accepted": "3.1.0", "latest": "3.1.0", "level": "none",
               "chain_level": "none", "known": true, "effective": "2026-12-28",
               "upcoming": false, "current": "3.1.0", "changes": []})
    );
    // A well-formed version that was never released: reconsent.
    let v = consent(&repo, "1.0.5", "2026-12-28");
    assert_eq!((&v["decision"], &v["known"]), (&json!("reconsent"), &json!(false)));
    assert_eq!(versions(&v), ["1.0.0", "1.1.0", "2.0.0", "3.0.0", "3.1.0"]);
    // Text output.
    let text = repo.ok(&["consent", "--accepted", "1.0.0", "--as-of", "2026-12-28"]);
    assert!(text.starts_with("reconsent: ask the user to agree to 3.1.0 (in force since 2026-12-28)\n  accepted 1.0.0; the text now differs from it at level reconsent (the releases since reached reconsent):\n  1.1.0  effective 2026-12-01  minor\n"), "{text}");
    let text = repo.ok(&["consent", "--accepted", "3.1.0", "--as-of", "2026-12-28"]);
    assert_eq!(text, "none: nothing to show (latest 3.1.0, in force since 2026-12-28)\n");

    // The manifest, from the same computation.
    let policy = PolicyRepo::open(repo.path()).unwrap();
    let criteria = policy.criteria().unwrap();
    let m = redline::consent::manifest(&policy, &criteria, "2026-12-20".parse().unwrap()).unwrap();
    let v = serde_json::to_value(&m).unwrap();
    let zh =
        |version: &str| sha256(&repo.bytes(&format!("archive/privacy/{version}/privacy.zh-CN.md")));
    let head = sha256(&repo.bytes("archive/privacy/3.1.0/release.toml"));
    assert_eq!(v["schema"], "redline.consent/2");
    assert_eq!(v["as_of"], "2026-12-20");
    let d = &v["documents"]["privacy"];
    assert_eq!(
        d["current"],
        json!({"version": "2.0.0", "effective": "2026-12-15", "url": "privacy/2.0.0/", "href": null, "sha256": zh("2.0.0")})
    );
    assert_eq!(
        d["latest"],
        json!({"version": "3.1.0", "effective": "2026-12-28", "url": "privacy/3.1.0/", "href": null, "sha256": zh("3.1.0")})
    );
    // Decisions from the direct difference to 3.1.0: the SDK row is still new for users of
    // 1.0.0 and 1.1.0, the contacts permission for users of 2.0.0, only wording for 3.0.0.
    assert_eq!(
        serde_json::to_string(&m.documents["privacy"].decisions).unwrap(),
        r#"{"1.0.0":"reconsent","1.1.0":"reconsent","2.0.0":"notice","3.0.0":"none","3.1.0":"none"}"#
    );
    assert_eq!(
        serde_json::to_string(&m.documents["privacy"].levels).unwrap(),
        r#"{"1.0.0":"reconsent","1.1.0":"reconsent","2.0.0":"major","3.0.0":"minor","3.1.0":"none"}"#
    );
    // The highest release level after each version (information).
    assert_eq!(
        serde_json::to_string(&m.documents["privacy"].chain_level).unwrap(),
        r#"{"1.0.0":"reconsent","1.1.0":"reconsent","2.0.0":"major","3.0.0":"minor","3.1.0":"none"}"#
    );
    assert_eq!(
        d["versions"][0],
        json!({"version": "1.0.0", "effective": "2026-11-29", "level": "none", "summary": [],
               "same_as": null, "note": null})
    );
    assert!(d["versions"].as_array().unwrap().iter().all(|e| e["same_as"].is_null()));
    // For every released version X, `consent --accepted X` answers what the manifest says.
    for (version, decision) in &m.documents["privacy"].decisions.0 {
        let answer = consent(&repo, version, "2026-12-20");
        assert_eq!(answer["decision"], decision.as_str(), "{version}: {answer}");
        assert_eq!(answer["level"], d["levels"][version.as_str()], "{version}: {answer}");
        assert_eq!(answer["chain_level"], d["chain_level"][version.as_str()], "{version}");
    }
    assert_eq!(m.documents["privacy"].decisions.len(), 5);
    assert_eq!(
        d["versions"][2]["summary"],
        json!(["device-permissions: row added 穿山甲广告SDK (reconsent)"])
    );
    // Every release after 1.0.0 edited the Chinese source only: the English reference
    // translation's sections behind those edits are stale (src/translation.rs), each named.
    assert_eq!(
        serde_json::to_string(&m.documents["privacy"].languages).unwrap(),
        r#"{"zh-CN":{"status":"source","stale_sections":[],"url":"privacy/","href":null},"en":{"status":"stale","stale_sections":["notice","device-permissions"],"url":"privacy/en/","href":null}}"#
    );
    assert_eq!(d["chain_head"], head);
    // Every key of the contract, nothing omitted.
    let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "chain_head",
            "chain_level",
            "current",
            "decisions",
            "languages",
            "latest",
            "levels",
            "versions"
        ]
    );
}

#[test]
fn the_direct_diff_catches_what_the_release_levels_miss() {
    // Records whose levels say `minor` while the text went from no advertising SDK to one: the
    // direct diff from 1.0.0 to the latest finds the new recipient, so users of 1.0.0 must
    // re-consent even though no single release was `reconsent`.
    let repo = TestRepo::new();
    let base = repo.bytes("policy/privacy.zh-CN.md");
    let with_sdk = add_sdk_row(String::from_utf8(base.clone()).unwrap()).into_bytes();
    let edited = minor(String::from_utf8(with_sdk.clone()).unwrap()).into_bytes();
    let archive_dir = repo.file("archive");
    let mut previous = (String::new(), String::new());
    for (version, level, bytes) in
        [("1.0.0", "none", &base), ("1.1.0", "minor", &with_sdk), ("1.2.0", "minor", &edited)]
    {
        let files = vec![("privacy.zh-CN.md".to_string(), bytes.clone())];
        let record = ReleaseRecord {
            schema: RELEASE_SCHEMA.into(),
            document: "privacy".into(),
            version: version.into(),
            previous: previous.0.clone(),
            effective: "2026-12-01".into(),
            released_at: "2026-12-01T00:00:00Z".into(),
            commit: String::new(),
            dirty: false,
            level: level.into(),
            bump: "minor".into(),
            qualifiers: vec![],
            summary: vec![],
            previous_record: previous.1.clone(),
            sources: archive::source_hashes(&files),
            ..Default::default()
        };
        let dir = archive::write_release(&archive_dir, &record, &files).unwrap();
        previous = (version.to_string(), sha256(&std::fs::read(dir.join("release.toml")).unwrap()));
    }
    let policy = PolicyRepo::open(repo.path()).unwrap();
    let criteria = policy.criteria().unwrap();
    let as_of = "2026-12-02".parse().unwrap();
    let answer = redline::consent::decide(&policy, &criteria, "privacy", "1.0.0", as_of).unwrap();
    assert_eq!(answer.decision, redline::Decision::Reconsent);
    assert_eq!(answer.level, redline::Level::Reconsent);
    // From 1.1.0 on, the SDK was already there: only the minor edit remains.
    let answer = redline::consent::decide(&policy, &criteria, "privacy", "1.1.0", as_of).unwrap();
    assert_eq!((answer.decision, answer.level), (redline::Decision::None, redline::Level::Minor));
    let m = redline::consent::manifest(&policy, &criteria, as_of).unwrap();
    let d = &m.documents["privacy"];
    assert_eq!(d.decisions.get("1.0.0"), Some(&redline::Decision::Reconsent));
    assert_eq!(d.decisions.get("1.1.0"), Some(&redline::Decision::None));
    // The decision follows the direct difference to the latest version, whatever the releases
    // in between recorded: 1.0.0 users re-consent although no release said reconsent.
    assert_eq!(d.levels.get("1.0.0"), Some(&redline::Level::Reconsent));
    // The translation is not in the releases.
    assert_eq!(
        redline::consent::language_status(
            policy.document(None).unwrap(),
            "en",
            archive::releases(&archive_dir, "privacy").unwrap().last()
        ),
        redline::consent::LanguageStatus::Missing
    );
}

#[test]
fn consent_refuses_bad_input() {
    let repo = TestRepo::new();
    let e = repo.fails(&["consent", "--accepted", "1.0.0"], 2);
    assert_eq!(
        e,
        "error: archive/privacy/ has no released version yet; run `redline release` first\n"
    );
    repo.ok(&["release", "--as-of", "2026-11-29"]);
    for bad in ["1.0", "v1.0.0", "1.0.0-beta", "01.0.0"] {
        let e = repo.fails(&["consent", "--accepted", bad], 2);
        assert_eq!(
            e,
            format!(
                "error: --accepted: `{bad}` is not a version; write it as MAJOR.MINOR.PATCH (e.g. 1.0.0)\n"
            )
        );
    }
    let e = repo.fails(&["consent", "--accepted", "1.0.0", "--document", "terms"], 2);
    assert_eq!(e, "error: unknown document `terms`; policy/policy.toml lists privacy\n");
    // A manifest before any release: nulls, not omissions.
    let empty = TestRepo::new();
    let policy = PolicyRepo::open(empty.path()).unwrap();
    let m = redline::consent::manifest(
        &policy,
        &policy.criteria().unwrap(),
        "2026-12-01".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&m).unwrap(),
        json!({"schema": "redline.consent/2", "as_of": "2026-12-01", "documents": {"privacy": {
            "current": null, "latest": null,
            "decisions": {}, "levels": {}, "chain_level": {}, "versions": [],
            "languages": {"zh-CN": {"status": "source", "stale_sections": [], "url": "privacy/", "href": null},
                          "en": {"status": "missing", "stale_sections": [], "url": "privacy/en/", "href": null}},
            "chain_head": null}}})
    );
}
