//! The acceptance scenario end to end, with the real `redline release`: in a `git clone`
//! of a repository with a second release (an advertising-SDK row, effective 30 days ahead), the
//! site shows the upcoming banner before the date and the new version from it, the redline puts
//! the row inside `<ins>` with its re-consent finding, and `consent.json` asks users of 1.0.0 to
//! consent again.

mod common;

use common::*;
use serde_json::{Value, json};

#[test]
fn second_release_with_an_sdk_row_in_a_git_clone() {
    let origin = TestRepo::new();
    origin.ok(&["release", "--as-of", "2026-11-29"]);
    origin.commit_all("Release 1.0.0", "2026-11-29T12:00:00+08:00");
    origin.edit_zh(add_sdk_row);
    origin.note("2.0.0");
    origin.commit_all("Add the advertising SDK", "2026-12-01T09:00:00+08:00");
    origin.ok(&["release", "--as-of", "2026-12-01", "--effective", "2026-12-31"]);
    origin.commit_all("Release 2.0.0", "2026-12-01T12:00:00+08:00");
    let repo = TestRepo::clone_of(&origin);

    let out =
        repo.ok(&["build", "--base-url", "https://example.com/policy/", "--as-of", "2026-12-01"]);
    assert!(out.starts_with("built site/ as of 2026-12-01: 1 document, 2 versions"), "{out}");
    let home = repo.read("site/privacy/index.html");
    assert!(home.contains("<dd>1.0.0</dd>") && home.contains("本政策将于 2026年12月31日 更新。"));
    assert!(home.contains("href=\"../privacy/compare/1.0.0...2.0.0/index.html\""));
    let redline = repo.read("site/privacy/compare/1.0.0...2.0.0/index.html");
    assert!(redline.contains("<td><ins>穿山甲广告SDK</ins></td>"), "the new row, inserted");
    assert!(redline.contains("<span class=\"lv lv-reconsent\">需重新同意</span>"));
    assert!(
        redline.contains("id=\"finding-1\"")
            && redline.contains("<a href=\"#finding-1\">依据 1</a>")
    );
    let consent: Value = serde_json::from_str(&repo.read("site/consent.json")).unwrap();
    let doc = &consent["documents"]["privacy"];
    assert_eq!(consent["as_of"], "2026-12-01");
    assert_eq!(consent["schema"], "redline.consent/2");
    assert_eq!(doc["decisions"], json!({"1.0.0": "reconsent", "2.0.0": "none"}));
    assert_eq!(doc["levels"], json!({"1.0.0": "reconsent", "2.0.0": "none"}));
    assert_eq!(doc["chain_level"], json!({"1.0.0": "reconsent", "2.0.0": "none"}));
    assert_eq!(doc["versions"][1]["same_as"], Value::Null);
    assert_eq!(doc["current"]["version"], "1.0.0");
    assert_eq!(doc["latest"]["url"], "privacy/2.0.0/");
    assert!(repo.file("site/privacy/2.0.0/index.html").is_file(), "the manifest's URL exists");
    // The manifest is the one `redline consent` computes.
    let answer: Value = serde_json::from_str(&repo.ok(&[
        "consent",
        "--accepted",
        "1.0.0",
        "--format",
        "json",
        "--as-of",
        "2026-12-01",
    ]))
    .unwrap();
    assert_eq!(answer["decision"], "reconsent");

    repo.ok(&["build", "--base-url", "https://example.com/policy/", "--as-of", "2026-12-31"]);
    let home = repo.read("site/privacy/index.html");
    assert!(home.contains("<dd>2.0.0</dd>") && !home.contains("本政策将于"), "2.0.0 in force");
    let consent: Value = serde_json::from_str(&repo.read("site/consent.json")).unwrap();
    assert_eq!(consent["documents"]["privacy"]["current"]["version"], "2.0.0");
}
