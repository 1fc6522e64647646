//! The feeds of a published site parse as Atom with Python's `feedparser` (the library feed
//! readers are most often tested against): no parse error (`bozo == 0`), RFC 4287's required
//! elements (feed id, title, updated, an author; each entry's id, title, updated), every link
//! absolute, and every alternate link tagged with the language of the page it leads to.
//!
//! Needs a Python with feedparser: `REDLINE_PYTHON` (`.ci/run` makes a venv with the pinned
//! version and sets it), else `python3`. Where feedparser is missing the test says why and passes,
//! unless `CI` is set: CI must run it.

mod site_fixture;

use assert_cmd::Command;
use site_fixture::{Fixture, read};

/// Reads each feed named on the command line and prints one JSON object per feed: what
/// feedparser made of it.
const CHECK: &str = r#"
import json, sys
from urllib.parse import urlparse
import feedparser

def links(item):
    return [{"rel": l.get("rel"), "href": l.get("href"), "hreflang": l.get("hreflang")}
            for l in item.get("links", [])]

for path in sys.argv[1:]:
    d = feedparser.parse(path)
    f = d.feed
    print(json.dumps({
        "path": path,
        "bozo": int(d.bozo),
        "exception": str(d.get("bozo_exception", "")),
        "version": d.version,
        "id": f.get("id"), "title": f.get("title"), "updated": f.get("updated"),
        "author": (f.get("author_detail") or {}).get("name"),
        "language": f.get("language"),
        "links": links(f),
        "entries": [{"id": e.get("id"), "title": e.get("title"), "updated": e.get("updated"),
                     "summary": e.get("summary"), "links": links(e)} for e in d.entries],
    }, ensure_ascii=False))
"#;

/// The Python to use, or why there is none.
fn python() -> Result<String, String> {
    let python = std::env::var("REDLINE_PYTHON").unwrap_or_else(|_| "python3".to_string());
    match std::process::Command::new(&python).args(["-c", "import feedparser"]).output() {
        Ok(o) if o.status.success() => Ok(python),
        Ok(_) => Err(format!("{python} has no feedparser (pip install feedparser)")),
        Err(e) => Err(format!("{python} not found: {e}")),
    }
}

#[test]
fn feeds_parse_as_atom_with_feedparser() {
    let python = match python() {
        Ok(p) => p,
        Err(why) => {
            assert!(std::env::var_os("CI").is_none(), "feed test cannot run in CI: {why}");
            println!("skipped: {why}");
            return;
        }
    };
    let f = Fixture::published_site();
    Command::cargo_bin("redline")
        .unwrap()
        .current_dir(f.root())
        .args(["build", "--base-url", "https://example.com/policy/", "--as-of", "2027-01-20"])
        .assert()
        .success();
    let site = f.root().join("site");
    let feeds = [("privacy/feed.xml", "zh-CN"), ("privacy/feed.en.xml", "en")];
    let output = std::process::Command::new(&python)
        .arg("-c")
        .arg(CHECK)
        .args(feeds.iter().map(|(p, _)| site.join(p)))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let parsed: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(parsed.len(), feeds.len(), "{stdout}");
    let absolute = |href: &serde_json::Value| {
        href.as_str().is_some_and(|h| h.starts_with("https://example.com/policy/"))
    };
    for ((path, lang), feed) in feeds.iter().zip(&parsed) {
        let what = format!("{path}: {feed:#}");
        assert_eq!(feed["bozo"], 0, "{what}");
        assert_eq!(feed["version"], "atom10", "{what}");
        assert_eq!(feed["language"], *lang, "{what}");
        for key in ["id", "title", "updated", "author"] {
            assert!(feed[key].as_str().is_some_and(|v| !v.is_empty()), "feed {key}: {what}");
        }
        assert!(feed["id"].as_str().unwrap().starts_with("tag:example.com,2026-11-20:"), "{what}");
        // The feed links itself, its document's home in its language and in the other.
        let links = feed["links"].as_array().unwrap();
        assert!(links.iter().all(|l| absolute(&l["href"])), "absolute links: {what}");
        assert!(
            links.iter().any(|l| l["rel"] == "self" && l["href"].as_str().unwrap().ends_with(path))
        );
        let homes: Vec<(&str, &str)> = links
            .iter()
            .filter(|l| l["rel"] == "alternate")
            .map(|l| (l["hreflang"].as_str().unwrap_or(""), l["href"].as_str().unwrap()))
            .collect();
        assert_eq!(
            homes,
            match *lang {
                "en" => vec![
                    ("en", "https://example.com/policy/privacy/en/"),
                    ("zh-CN", "https://example.com/policy/privacy/")
                ],
                _ => vec![
                    ("zh-CN", "https://example.com/policy/privacy/"),
                    ("en", "https://example.com/policy/privacy/en/")
                ],
            },
            "{what}"
        );
        // Five releases, newest first, each with its id, title, date and links.
        let entries = feed["entries"].as_array().unwrap();
        let titles: Vec<&str> = entries.iter().map(|e| e["title"].as_str().unwrap()).collect();
        assert_eq!(titles.len(), 5, "{what}");
        assert!(titles[0].ends_with(" 2.2.0") && titles[4].ends_with(" 1.0.0"), "{titles:?}");
        let mut ids = std::collections::BTreeSet::new();
        for e in entries {
            for key in ["id", "title", "updated"] {
                assert!(e[key].as_str().is_some_and(|v| !v.is_empty()), "entry {key}: {e:#}");
            }
            assert!(ids.insert(e["id"].as_str().unwrap()), "entry ids unique: {e:#}");
            let links = e["links"].as_array().unwrap();
            assert!(links.iter().all(|l| absolute(&l["href"])), "absolute links: {e:#}");
            let alternate = links.iter().find(|l| l["rel"] == "alternate").unwrap();
            assert_eq!(alternate["hreflang"], *lang, "every version has a {lang} text: {e:#}");
        }
    }
    // The people's note in the feed's language, dates as that language writes them.
    let zh = &parsed[0]["entries"][0]["summary"];
    assert!(
        zh.as_str()
            .unwrap()
            .starts_with("英文译文已补充广告合作伙伴。 · 版本 2.2.0 · 生效日期 2027年4月1日"),
        "{zh}"
    );
    let en = &parsed[1]["entries"][0]["summary"];
    assert!(
        en.as_str().unwrap().starts_with(
            "The English translation now lists the advertising partner. · Version 2.2.0 · Effective 2027-04-01"
        ),
        "{en}"
    );
    // The raw XML names its language on the root element.
    assert!(read(&site, "privacy/feed.en.xml").contains("xml:lang=\"en\""));
}
