//! Bad `policy/policy.toml`: every error names the file, line and column, exits 2 and prints
//! nothing on stdout; language tags are checked in policy.toml and in front matter.

use assert_cmd::Command;
use std::path::Path;

const GOOD: &str = "schema = \"redline.policy/1\"\ntimezone = \"Asia/Shanghai\"\n\n[[documents]]\nid = \"privacy\"\nsource_language = \"zh-CN\"\ntranslations = [\"en\"]\n";

fn redline(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("redline")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `redline lint` in a repository whose policy.toml is `toml`: exit 2, nothing on stdout, and
/// the one stderr line.
fn refused(toml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("policy")).unwrap();
    std::fs::write(dir.path().join("policy/policy.toml"), toml).unwrap();
    let (code, stdout, stderr) = redline(dir.path(), &["lint"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn unknown_field_names_its_line() {
    let err = refused(&format!("{GOOD}colour = \"red\"\n"));
    assert!(err.starts_with("error: policy/policy.toml:8:1: unknown field `colour`"), "{err}");
}

#[test]
fn wrong_type_names_its_line() {
    let err = refused(&GOOD.replace("[\"en\"]", "\"en\""));
    assert!(err.starts_with("error: policy/policy.toml:7:16: invalid type"), "{err}");
}

#[test]
fn document_listed_twice_names_the_second() {
    let err =
        refused(&format!("{GOOD}\n[[documents]]\nid = \"privacy\"\nsource_language = \"en\"\n"));
    assert_eq!(
        err,
        "error: policy/policy.toml:10:6: document `privacy` is listed twice in [[documents]]\n"
    );
}

#[test]
fn link_to_an_unknown_document_names_its_line() {
    let err = refused(&format!("{GOOD}links = [\"sdk\"]\n"));
    assert_eq!(
        err,
        "error: policy/policy.toml:8:10: document `privacy` links to `sdk`, which is not listed in [[documents]]\n"
    );
}

#[test]
fn unknown_disclosure_names_its_line() {
    let toml = format!(
        "{GOOD}\n[[documents]]\nid = \"other\"\nsource_language = \"en\"\n\n[documents.lint]\ndisclosures = [\"rights\", \"colour\"]\n"
    );
    let err = refused(&toml);
    assert!(
        err.starts_with(
            "error: policy/policy.toml:14:26: document `other`: unknown disclosure `colour`"
        ),
        "{err}"
    );
}

#[test]
fn no_documents_names_line_one() {
    let err = refused("timezone = \"UTC\"\n");
    assert_eq!(
        err,
        "error: policy/policy.toml:1:1: no [[documents]] listed; add one with id and source_language\n"
    );
}

#[test]
fn a_translation_equal_to_the_source_is_refused() {
    let err = refused(&GOOD.replace("[\"en\"]", "[\"zh-CN\"]"));
    assert_eq!(
        err,
        "error: policy/policy.toml:7:17: document `privacy`: translation `zh-CN` is the source language; list each language once\n"
    );
    let err = refused(&GOOD.replace("[\"en\"]", "[\"en\", \"fr\", \"en\"]"));
    assert_eq!(
        err,
        "error: policy/policy.toml:7:29: document `privacy`: translation `en` is listed twice in translations; list each language once\n"
    );
}

#[test]
fn a_language_that_is_no_tag_is_refused() {
    let err = refused(&GOOD.replace("[\"en\"]", "[\"./../../x\"]"));
    assert_eq!(
        err,
        "error: policy/policy.toml:7:17: document `privacy`: `./../../x` in translations is not a language tag; use a BCP 47 tag such as zh-CN, en or zh-Hans-CN\n"
    );
    let err = refused(&GOOD.replace("\"zh-CN\"", "\"chinese simplified\""));
    assert!(err.starts_with("error: policy/policy.toml:6:19: document `privacy`: `chinese simplified` in source_language is not a language tag"), "{err}");
}

#[test]
fn language_tags_with_script_and_region_are_accepted() {
    for tag in ["en", "zh-CN", "zh-Hans-CN", "es-419", "de-CH-1996", "yue"] {
        assert!(redline::repo::is_language_tag(tag), "{tag}");
    }
    for tag in ["", "e", "english", "zh_CN", "zh-", "../x", "zh CN", "en-US-x"] {
        assert!(!redline::repo::is_language_tag(tag), "{tag}");
    }
}

#[test]
fn an_unknown_time_zone_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("policy")).unwrap();
    std::fs::write(
        dir.path().join("policy/policy.toml"),
        GOOD.replace("Asia/Shanghai", "Mars/Olympus"),
    )
    .unwrap();
    let repo = redline::repo::PolicyRepo::open(dir.path()).unwrap();
    assert_eq!(
        repo.timezone().unwrap_err().to_string(),
        "policy/policy.toml:2:12: unknown time zone `Mars/Olympus`; use an IANA name such as Asia/Shanghai"
    );
}

#[test]
fn front_matter_lang_that_is_no_tag_is_a_lint_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.md"),
        "+++\nid = \"x\"\ntitle = \"T\"\nlang = \"../x\"\n+++\n\n# T {#t}\n\nhello\n",
    )
    .unwrap();
    let (code, stdout, _) = redline(dir.path(), &["lint", "p.md"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[front-matter-field]: `lang` is `../x`, which is not a language tag"),
        "{stdout}"
    );
    assert!(stdout.contains("--> p.md:4:9"), "{stdout}");
}
