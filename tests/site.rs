//! `redline build`: the site of a repository with real releases, built through the binary.

mod site_fixture;

use assert_cmd::Command;
use regex::Regex;
use site_fixture::{Fixture, read, tree};
use std::path::Path;

fn build(root: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("redline").unwrap().current_dir(root).arg("build").args(args).assert()
}

#[test]
fn upcoming_release_banner_redline_and_in_force_switch() {
    let f = Fixture::two_releases();
    let out = f.root().join("site");
    let a = build(f.root(), &["--as-of", "2026-12-20"]).success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.starts_with("built site/ as of 2026-12-20: 1 document, 2 versions, 1 redline page"),
        "{stdout}"
    );

    // Built before 2.0.0 takes effect: 1.0.0 is in force, with a banner pointing at 2.0.0.
    let home = read(&out, "privacy/index.html");
    assert!(home.contains("<html lang=\"zh-CN\">"), "{home}");
    assert!(home.contains("<dd>1.0.0</dd>"), "home shows 1.0.0");
    assert!(home.contains("本政策将于 2027-01-15 更新。"), "upcoming banner");
    assert!(home.contains("href=\"../privacy/2.0.0/index.html\""), "banner links the new version");
    assert!(
        home.contains("href=\"../privacy/compare/1.0.0...2.0.0/index.html\""),
        "and its redline"
    );
    assert!(
        home.contains("<h3 id=\"device-permissions\">3.7 设备权限调用</h3>")
            || home.contains("id=\"device-permissions\""),
        "section anchors are section ids"
    );
    assert!(home.contains("<a href=\"#device-permissions\">"), "table of contents");
    assert!(home.contains("hreflang=\"en\""), "language switcher");

    // The redline: the new SDK row inside <ins>, with its re-consent finding beside it.
    let cmp = read(&out, "privacy/compare/1.0.0...2.0.0/index.html");
    assert!(
        cmp.contains("<td><ins>穿山甲广告SDK</ins></td>"),
        "new row inserted, inside its table cell"
    );
    assert!(cmp.contains("<span class=\"lv lv-reconsent\">需重新同意</span>"), "level shown");
    let finding = Regex::new(r#"<li id="finding-\d+"><a href="\#device-permissions">3\.7 设备权限调用</a>: <span class="lv lv-reconsent">"#).unwrap();
    assert!(finding.is_match(&cmp), "finding listed in the summary with its section");
    assert!(cmp.contains("class=\"sec-findings\""), "findings beside their section");
    assert!(
        cmp.contains("<dt>需要重新取得同意</dt><dd><strong>是</strong></dd>"),
        "summary says re-consent"
    );

    // 2.0.0's own page is upcoming; 1.0.0's page is the current one.
    let v2 = read(&out, "privacy/2.0.0/index.html");
    assert!(v2.contains("本版本将于 2027-01-15 生效。"), "upcoming version marked");
    let v1 = read(&out, "privacy/1.0.0/index.html");
    assert!(v1.contains("这是现行有效的版本。"));
    // The English reference translation at its own URL, marked as such.
    let en = read(&out, "privacy/1.0.0/en/index.html");
    assert!(
        en.contains("<html lang=\"en\">") && en.contains("Reference translation."),
        "en marked"
    );
    assert!(en.contains("the Chinese (Simplified) text is the binding version"), "{en}");
    assert!(en.contains("aria-current=\"page\">English</a>"), "switcher marks the language");
    // Raw sources for download, byte for byte.
    assert_eq!(
        std::fs::read(out.join("privacy/2.0.0/privacy.zh-CN.md")).unwrap(),
        std::fs::read(f.root().join("archive/privacy/2.0.0/privacy.zh-CN.md")).unwrap()
    );
    let history = read(&out, "privacy/history/index.html");
    assert!(
        history.find(">2.0.0</a>").unwrap() < history.find(">1.0.0</a>").unwrap(),
        "newest first"
    );
    assert!(history.contains("需重新同意") && history.contains("首次发布的版本"));
    let as_of = read(&out, "privacy/as-of/index.html");
    assert!(
        as_of.contains("<time datetime=\"2027-01-14\">2027-01-14</time>"),
        "1.0.0 ends the day before 2.0.0"
    );
    let feed = read(&out, "privacy/feed.xml");
    assert!(
        feed.contains("<id>urn:redline:privacy:2.0.0</id>") && feed.contains("href=\"2.0.0/\""),
        "{feed}"
    );
    assert!(read(&out, "index.html").contains("privacy/index.html"));
    assert!(read(&out, "style.css").contains("@media print"));

    // Built on the effective date: 2.0.0 is in force and there is no banner.
    build(f.root(), &["--as-of", "2027-01-15", "--base-url", "https://example.com/policy"])
        .success();
    let home = read(&out, "privacy/index.html");
    assert!(home.contains("<dd>2.0.0</dd>") && !home.contains("本政策将于"), "2.0.0 in force");
    assert!(read(&out, "privacy/1.0.0/index.html").contains("这不是现行版本。"));
    let feed = read(&out, "privacy/feed.xml");
    assert!(
        feed.contains("href=\"https://example.com/policy/privacy/2.0.0/\""),
        "absolute links: {feed}"
    );
    assert!(feed.contains("rel=\"self\" type=\"application/atom+xml\" href=\"https://example.com/policy/privacy/feed.xml\""));
}

#[test]
fn same_archive_and_date_give_identical_sites() {
    let f = Fixture::two_releases();
    build(f.root(), &["--as-of", "2026-12-20", "--out", "a"]).success();
    build(f.root(), &["--as-of", "2026-12-20", "--out", "b"]).success();
    let (a, b) = (tree(&f.root().join("a")), tree(&f.root().join("b")));
    assert!(a.len() > 10);
    assert_eq!(
        a.iter().map(|x| &x.0).collect::<Vec<_>>(),
        b.iter().map(|x| &x.0).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let f = Fixture::two_releases();
    build(f.root(), &["--as-of", "2026-12-20"]).success();
    let before = tree(&f.root().join("site"));
    std::fs::write(f.root().join("archive/privacy/2.0.0/privacy.en.md"), b"+++\ntitle = \n+++\n")
        .unwrap();
    let a = build(f.root(), &["--as-of", "2027-01-20"]).code(2);
    let out = a.get_output();
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: archive/privacy/2.0.0/privacy.en.md:"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(before == tree(&f.root().join("site")), "the old site is unchanged");
    let leftovers: Vec<_> = std::fs::read_dir(f.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".redline-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders removed: {leftovers:?}");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let f = Fixture::two_releases();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--as-of", "2027-13-01"], "error: --as-of: `2027-13-01` is not a date"),
        (
            vec!["--base-url", "example.com"],
            "error: --base-url `example.com` is not an http(s) address",
        ),
        (vec!["--out", "policy"], "error: --out policy: would replace the policy repository"),
        (vec!["--out", "."], "error: --out .: would replace the policy repository"),
    ];
    for (args, message) in cases {
        let a = build(f.root(), &args).code(2);
        let out = a.get_output();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(message) && stderr.lines().count() == 1, "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    // A folder with other content is never replaced.
    std::fs::create_dir(f.root().join("docs")).unwrap();
    std::fs::write(f.root().join("docs/notes.txt"), "mine").unwrap();
    let a = build(f.root(), &["--out", "docs"]).code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr.contains("--out docs: the folder is not empty and was not built by redline"),
        "{stderr}"
    );
    assert_eq!(read(f.root(), "docs/notes.txt"), "mine");
    // A malformed release record names its file and line.
    std::fs::write(
        f.root().join("archive/privacy/2.0.0/release.toml"),
        "schema = \"redline.release/1\"\nversion = 2\n",
    )
    .unwrap();
    let a = build(f.root(), &[]).code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(stderr.starts_with("error: archive/privacy/2.0.0/release.toml:"), "{stderr}");
    // Outside a policy repository.
    let empty = tempfile::tempdir().unwrap();
    let a = build(empty.path(), &[]).code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("no policy repository here"));
}

#[test]
fn preview_adds_a_marked_draft_with_its_redline() {
    let f = Fixture::real_policy();
    f.release("privacy", "1.0.0", "2026-12-01", "2026-11-20T02:00:00Z");
    f.add_ad_row();
    build(f.root(), &["--as-of", "2026-12-20", "--preview"]).success();
    let out = f.root().join("site");
    let draft = read(&out, "privacy/draft/index.html");
    assert!(draft.contains("class=\"banner draft\"") && draft.contains("未发布的草稿"), "marked");
    assert!(draft.contains("page-document is-draft"));
    let cmp = read(&out, "privacy/compare/1.0.0...draft/index.html");
    assert!(cmp.contains("<ins>穿山甲广告SDK</ins>") && cmp.contains("未发布的草稿"));
    assert!(read(&out, "privacy/history/index.html").contains("privacy/draft/index.html"));
    // The draft is never the version in force, nor in the feed.
    assert!(read(&out, "privacy/index.html").contains("<dd>1.0.0</dd>"));
    assert!(!read(&out, "privacy/feed.xml").contains("draft"));
    // Without --preview there is no draft.
    build(f.root(), &["--as-of", "2026-12-20"]).success();
    assert!(!out.join("privacy/draft").exists());
}

/// Raw HTML and hostile links in every place policy text reaches: headings, paragraphs, table
/// cells, front matter, release summaries; through every page type.
#[test]
fn untrusted_text_is_escaped_or_sanitised_on_every_page() {
    let f = Fixture::with_config(
        "timezone = \"UTC\"\n[[documents]]\nid = \"terms\"\ntitle = \"Terms <script>alert('t')</script>\"\nsource_language = \"en\"\ntranslations = [\"zh-CN\"]\n",
    );
    let evil = |extra: &str| {
        format!(
            "+++\ntitle = \"Evil <script>alert('fm')</script>\"\n+++\n\n## Heading <script>alert('h')</script> <img src=x onerror=alert('i')> {{#h}}\n\nText <script>alert(1)</script> with [a link](javascript:alert(2)) and <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">another</a> and <b onmouseover=\"alert(5)\">bold</b>.<br>Second line. {extra}\n\n<iframe src=\"https://evil.example\"></iframe>\n\n| Name | Purpose |\n| --- | --- |\n| <span onclick=\"alert(6)\">SDK</span> | <script>alert(7)</script> [x](JaVaScRiPt:alert(8)) |\n"
        )
    };
    f.write_source("terms.en.md", &evil(""));
    f.write_source("terms.zh-CN.md", &evil("中文"));
    f.release("terms", "1.0.0", "2026-01-01", "2025-12-01T00:00:00Z");
    f.write_source("terms.en.md", &evil("We now also sell <script>alert(9)</script> data."));
    f.release("terms", "1.1.0", "2026-02-01", "2026-01-01T00:00:00Z");
    // A release summary is text too.
    let record = f.root().join("archive/terms/1.1.0/release.toml");
    let text = std::fs::read_to_string(&record)
        .unwrap()
        .replace("summary = [", "summary = [\"<script>alert('s')</script>\", ");
    std::fs::write(&record, text).unwrap();
    f.write_source("terms.en.md", &evil("Draft <svg onload=alert(10)>"));
    build(f.root(), &["--as-of", "2026-01-15", "--preview", "--base-url", "https://example.com"])
        .success();
    let out = f.root().join("site");
    let files = tree(&out);
    let kinds: Vec<&str> = [
        "index.html",
        "terms/index.html",
        "terms/1.0.0/index.html",
        "terms/1.0.0/zh-CN/index.html",
        "terms/1.1.0/index.html",
        "terms/draft/index.html",
        "terms/compare/1.0.0...1.1.0/index.html",
        "terms/compare/1.1.0...draft/index.html",
        "terms/history/index.html",
        "terms/as-of/index.html",
        "terms/feed.xml",
    ]
    .to_vec();
    for k in &kinds {
        assert!(files.iter().any(|(n, _)| n == k), "{k} was built");
    }
    let event_attr = Regex::new(r"(?i)<[a-z][^>]*\son[a-z]+\s*=").unwrap();
    let js_url = Regex::new(r#"(?i)(href|src)\s*=\s*["']?\s*javascript:"#).unwrap();
    let mut checked = 0;
    for (name, bytes) in &files {
        if !(name.ends_with(".html") || name.ends_with(".xml")) {
            continue;
        }
        let page = String::from_utf8(bytes.clone()).unwrap();
        let lower = page.to_lowercase();
        assert!(!lower.contains("<script"), "{name} has a <script>");
        assert!(
            !lower.contains("<iframe") && !lower.contains("<svg") && !lower.contains("<img"),
            "{name} embeds"
        );
        assert!(
            !event_attr.is_match(&page),
            "{name} has an event attribute: {:?}",
            event_attr.find(&page)
        );
        assert!(!js_url.is_match(&page), "{name} has a javascript: URL");
        checked += 1;
    }
    assert!(checked >= kinds.len());
    // Harmless markup survives on the version page, and escaped text is still readable.
    let v = read(&out, "terms/1.0.0/index.html");
    assert!(v.contains("<b>bold</b>") && v.contains("<br>"), "{v}");
    assert!(
        read(&out, "terms/history/index.html")
            .contains("&lt;script&gt;alert(&#39;s&#39;)&lt;/script&gt;")
    );
    let cmp = read(&out, "terms/compare/1.0.0...1.1.0/index.html");
    assert!(cmp.contains("<ins>"), "the redline marks the insertion");
}

#[test]
fn a_history_that_switches_language_says_so_instead_of_redlining() {
    let f = Fixture::with_config("[[documents]]\nid = \"p\"\nsource_language = \"de\"\n");
    let de = "## Datenschutz {#a}\n\nWir erheben Ihre Daten und die Daten, die Sie uns geben, und wir geben sie nicht an Dritte, die mit uns nicht verbunden sind, und das ist für Sie wichtig.\n";
    let fr = "## Confidentialité {#a}\n\nNous collectons vos données et les données des utilisateurs pour vous fournir les services dans une mesure nécessaire et nous les conservons pour une durée limitée sur nos serveurs.\n";
    for (v, text, day) in [("1.0.0", de, "01"), ("1.1.0", fr, "02"), ("1.2.0", de, "03")] {
        f.write_source("p.de.md", text);
        f.release("p", v, &format!("2020-01-{day}"), &format!("2020-01-{day}T00:00:00Z"));
    }
    build(f.root(), &["--as-of", "2020-02-01"]).success();
    let out = f.root().join("site");
    let switch = read(&out, "p/compare/1.0.0...1.1.0/index.html");
    assert!(
        switch.contains("The earlier text is in German and the later one in French."),
        "{switch}"
    );
    assert!(!switch.contains("<ins>") && !switch.contains("<del>"));
    // Back to the first text: identical, so no change at all.
    let back = read(&out, "p/compare/1.0.0...1.2.0/index.html");
    assert!(back.contains("The two texts are identical."), "{back}");
}

/// The version in force is the newest by number whose effective date has come (the rule of the
/// consent manifest); a version overtaken before its own effective date was never in force.
#[test]
fn in_force_follows_version_numbers_when_dates_go_backwards() {
    let f = Fixture::with_config("[[documents]]\nid = \"p\"\nsource_language = \"en\"\n");
    for (v, eff, text) in [
        ("1.0.0", "2020-01-10", "## A {#a}\n\nWe collect your name.\n"),
        ("1.1.0", "2020-01-05", "## A {#a}\n\nWe collect your name and email.\n"),
        ("1.2.0", "2020-02-01", "## A {#a}\n\nWe collect your name, email and phone.\n"),
    ] {
        f.write_source("p.en.md", text);
        f.release("p", v, eff, &format!("{eff}T00:00:00Z"));
    }
    build(f.root(), &["--as-of", "2020-01-20"]).success();
    let out = f.root().join("site");
    assert!(read(&out, "p/index.html").contains("<dd>1.1.0</dd>"));
    let as_of = read(&out, "p/as-of/index.html");
    let row = |v: &str| {
        let start = as_of.find(&format!(">{v}</a>")).unwrap();
        as_of[start..start + as_of[start..].find("</tr>").unwrap()].to_string()
    };
    assert!(row("1.0.0").contains("<td>never in force</td>"), "{}", row("1.0.0"));
    assert!(
        row("1.1.0").contains("<time datetime=\"2020-01-31\">")
            && row("1.1.0").contains("<td>in force</td>")
    );
    assert!(row("1.2.0").contains("<td>upcoming</td>"));
    assert!(read(&out, "p/1.0.0/index.html").contains("It was replaced before it took effect."));
}

/// The findings of the redline between two archived versions of `privacy`, as the judgement
/// gives them (for the reasons and rule ids a page must or must not show).
fn findings_between(f: &Fixture, a: &str, b: &str) -> Vec<redline::classify::Finding> {
    let read = |v: &str| {
        let bytes =
            std::fs::read(f.root().join(format!("archive/privacy/{v}/privacy.zh-CN.md"))).unwrap();
        redline::document::Document::from_bytes(v, &bytes).unwrap()
    };
    redline::report::compare_documents(
        "privacy",
        redline::report::Side::file(a),
        redline::report::Side::file(b),
        read(a),
        read(b),
        &f.repo().criteria().unwrap(),
    )
    .classification
    .findings
}

/// Text as the templates escape it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Every `href` of `page` that leads to a page of document `doc`, resolved against the page's
/// own folder `dir` (both relative to the site root).
fn doc_links(page: &str, dir: &str, doc: &str) -> Vec<String> {
    let href = Regex::new(r##"href="([^"#]+)""##).unwrap();
    href.captures_iter(page)
        .filter(|c| !c[1].contains(':'))
        .filter_map(|c| {
            let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
            for seg in c[1].split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            let path = parts.join("/");
            path.starts_with(&format!("{doc}/")).then_some(path)
        })
        .collect()
}

/// Four releases as a publisher makes them: an advertising SDK in the Chinese text only (the
/// English translation left behind), a wording fix released for the same day (so the first of
/// the two is never in force), then the English caught up.
fn four_releases() -> Fixture {
    let f = Fixture::real_policy();
    f.release("privacy", "1.0.0", "2026-12-01", "2026-11-20T02:00:00Z");
    let zh = f.source("privacy.zh-CN.md");
    let en = f.source("privacy.en.md");
    f.add_ad_row();
    f.write_source("privacy.en.md", &en);
    f.release("privacy", "2.0.0", "2027-01-15", "2026-12-16T02:00:00Z");
    let fixed = f.source("privacy.zh-CN.md").replacen("穿山甲广告SDK", "穿山甲广告 SDK", 1);
    assert_ne!(fixed, f.source("privacy.zh-CN.md"));
    f.write_source("privacy.zh-CN.md", &fixed);
    f.release("privacy", "2.0.1", "2027-01-15", "2026-12-16T08:00:00Z");
    assert!(zh.len() < fixed.len());
    f
}

#[test]
fn every_language_gets_the_whole_site_and_stale_translations_say_so() {
    let f = four_releases();
    let out = f.root().join("site");
    build(f.root(), &["--as-of", "2026-12-20"]).success();
    // Every page type in English at the source's path plus en/, and its feed.
    for path in [
        "privacy/en/index.html",
        "privacy/1.0.0/en/index.html",
        "privacy/history/en/index.html",
        "privacy/as-of/en/index.html",
        "privacy/compare/index.html",
        "privacy/compare/en/index.html",
        "privacy/compare/1.0.0...2.0.1/en/index.html",
        "privacy/compare/1.0.0...2.0.0/en/index.html",
        "privacy/changes-since/1.0.0/index.html",
        "privacy/changes-since/1.0.0/en/index.html",
        "privacy/changes-since/2.0.1/en/index.html",
        "privacy/feed.en.xml",
    ] {
        assert!(out.join(path).is_file(), "{path} was built");
    }
    // Navigation keeps the reader's language: every link of an English page to a page of the
    // document is an English page (or a raw source file), and the switcher leads to Chinese.
    for (page, dir) in [
        ("privacy/en/index.html", "privacy/en"),
        ("privacy/history/en/index.html", "privacy/history/en"),
        ("privacy/as-of/en/index.html", "privacy/as-of/en"),
        ("privacy/compare/en/index.html", "privacy/compare/en"),
        ("privacy/compare/1.0.0...2.0.1/en/index.html", "privacy/compare/1.0.0...2.0.1/en"),
    ] {
        let html = read(&out, page);
        assert!(html.contains("<html lang=\"en\">"), "{page}");
        let links = doc_links(&html, dir, "privacy");
        let zh: Vec<&String> = links
            .iter()
            .filter(|l| {
                !(l.ends_with("/en/index.html") || l.ends_with(".md") || l.ends_with("feed.en.xml"))
            })
            .collect();
        // Only to the page's Chinese counterpart (the switcher; a translated redline also
        // links the binding text's redline, which is that same page).
        let counterpart = page.replace("en/index.html", "index.html");
        assert!(
            !zh.is_empty() && zh.iter().all(|l| **l == counterpart),
            "{page}: only the counterpart leads out of English: {zh:?}"
        );
        assert!(html.contains("hreflang=\"zh-CN\""), "{page} links its Chinese counterpart");
    }
    let feed = read(&out, "privacy/feed.en.xml");
    assert!(feed.contains("xml:lang=\"en\"") && feed.contains("href=\"2.0.1/en/\""), "{feed}");
    assert!(feed.contains("<id>urn:redline:privacy:2.0.1:en</id>"), "entry ids differ by feed");
    // The English text of 2.0.0 and 2.0.1 lags behind the SDK row: the pages say so, section by
    // section, and never that they are the version in force.
    let en = read(&out, "privacy/2.0.1/en/index.html");
    assert!(en.contains("This translation is out of date: 1 of its sections"), "{en}");
    assert_eq!(en.matches("class=\"stale-note\"").count(), 1);
    assert!(en.contains("(not yet updated)"), "marked in the table of contents");
    assert!(!en.contains("This is the version in force"));
    let en_home = read(&out, "privacy/en/index.html");
    assert!(en_home.contains("This is a translation of the version in force."));
    assert!(!en_home.contains("This is the version in force") && !en_home.contains("stale-note"));
    let consent: serde_json::Value = serde_json::from_str(&read(&out, "consent.json")).unwrap();
    let en_status = &consent["documents"]["privacy"]["languages"]["en"];
    assert_eq!(en_status["status"], "stale");
    assert_eq!(en_status["stale_sections"].as_array().unwrap().len(), 1, "{en_status}");
    assert_eq!(
        consent["documents"]["privacy"]["languages"]["zh-CN"]["stale_sections"],
        serde_json::json!([])
    );

    // The English redline: the English text's changes (none: it was not updated), the Chinese
    // text's level and findings, reasons in English.
    let cmp_en = read(&out, "privacy/compare/1.0.0...2.0.1/en/index.html");
    let findings = findings_between(&f, "1.0.0", "2.0.1");
    assert!(!findings.is_empty());
    assert!(cmp_en.contains("<span class=\"lv lv-reconsent\">re-consent</span>"), "source level");
    for finding in &findings {
        assert!(
            cmp_en.contains(&escaped(&finding.reasons["en"])),
            "English reason of {}",
            finding.rule
        );
    }
    assert!(cmp_en.contains(
        "The level and the findings are those of the binding Chinese (Simplified) text."
    ));
    assert!(cmp_en.contains("What the levels mean"), "legend in English");
}

#[test]
fn public_redlines_are_for_readers_and_audit_adds_the_rule_ids() {
    let f = four_releases();
    let out = f.root().join("site");
    build(f.root(), &["--as-of", "2026-12-20"]).success();
    let findings = findings_between(&f, "1.0.0", "2.0.1");
    let cmp = read(&out, "privacy/compare/1.0.0...2.0.1/index.html");
    assert!(cmp.contains("变更等级说明") && cmp.contains("class=\"level-legend\""), "legend");
    for finding in &findings {
        assert!(cmp.contains(&escaped(&finding.reasons["zh-CN"])), "Chinese reason");
        assert!(!cmp.contains(&format!("<code>{}</code>", finding.rule)), "no rule id");
    }
    assert!(!cmp.contains("需人工审核") && !cmp.contains("class=\"rule\""), "no review flag");
    // Findings by severity, highest first.
    let level = Regex::new(r#"<li id="finding-\d+">[^\n]*?<span class="lv lv-([a-z]+)">"#).unwrap();
    let rank = |l: &str| {
        ["none", "editorial", "minor", "major", "reconsent"].iter().position(|x| *x == l).unwrap()
    };
    let levels: Vec<usize> = level.captures_iter(&cmp).map(|c| rank(&c[1])).collect();
    assert!(!levels.is_empty() && levels.windows(2).all(|w| w[0] >= w[1]), "{levels:?}");
    // The audit copy adds them.
    build(f.root(), &["--as-of", "2026-12-20", "--audit", "--out", "audit"]).success();
    let audit = read(&f.root().join("audit"), "privacy/compare/1.0.0...2.0.1/index.html");
    assert!(
        audit.contains(&format!("<code>{}</code>", findings[0].rule)),
        "rule id for the legal team"
    );
    assert!(audit.contains("供法务团队使用的审核视图"));
}

#[test]
fn comparisons_index_changes_since_and_never_in_force_releases() {
    let f = four_releases();
    let out = f.root().join("site");
    build(f.root(), &["--as-of", "2026-12-20"]).success();
    // One banner for the one upcoming change; 2.0.0 will never be in force.
    let home = read(&out, "privacy/index.html");
    assert_eq!(home.matches("本政策将于 2027-01-15 更新。").count(), 1, "{home}");
    assert!(home.contains("privacy/compare/1.0.0...2.0.1/index.html"));
    assert!(!home.contains("compare/1.0.0...2.0.0/"), "never compared with 2.0.0 from its page");
    let v200 = read(&out, "privacy/2.0.0/index.html");
    assert!(v200.contains("该版本在生效前已被取代。") && v200.contains("未曾生效"), "{v200}");
    assert!(!v200.contains("本版本将于"), "not announced as upcoming");
    // The index of comparisons: consecutive, to the version in force, to the latest.
    let index = read(&out, "privacy/compare/index.html");
    for link in ["1.0.0...2.0.0/index.html", "2.0.0...2.0.1/index.html", "1.0.0...2.0.1/index.html"]
    {
        assert!(index.contains(link), "{link} listed");
    }
    assert!(index.contains("../../privacy/changes-since/1.0.0/index.html"));
    // "Changes since 1.0.0" compares 1.0.0 with the latest, 2.0.1.
    let since = read(&out, "privacy/changes-since/1.0.0/index.html");
    assert!(
        since.contains("自 1.0.0 版本以来的变更") && since.contains("privacy/2.0.1/index.html")
    );
    assert!(
        since.contains("<ins>穿山甲广告 SDK</ins>") || since.contains("<ins>穿山甲广告"),
        "{since}"
    );
    assert!(read(&out, "privacy/changes-since/2.0.1/index.html").contains("这是最新版本"));
    // Once 2.0.1 is in force: the old version shows its period and links its changes since.
    build(f.root(), &["--as-of", "2027-01-20"]).success();
    let v1 = read(&out, "privacy/1.0.0/index.html");
    assert!(v1.contains("2026-12-01 至 2027-01-14"), "in-force period");
    assert!(v1.contains("href=\"../../privacy/changes-since/1.0.0/index.html\""));
    let home = read(&out, "privacy/index.html");
    assert!(home.contains("<dd>2.0.1</dd>"));
    assert!(
        home.contains("compare/1.0.0...2.0.1/index.html")
            && !home.contains("compare/2.0.0...2.0.1/"),
        "the version in force compares itself with 1.0.0, not the release never in force"
    );
}

#[test]
fn redlines_collapse_unchanged_sections_and_merge_findings() {
    let f = Fixture::with_config(
        "timezone = \"UTC\"\n[[documents]]\nid = \"p\"\nsource_language = \"en\"\n",
    );
    let section = |n: usize, extra: &str| {
        format!("## Part {n} {{#part-{n}}}\n\nWe keep part {n} of the text as it is.{extra}\n\n")
    };
    let doc = |changed: &str| -> String {
        (1..=10).map(|n| section(n, if n == 5 { changed } else { "" })).collect()
    };
    f.write_source("p.en.md", &doc(""));
    f.release("p", "1.0.0", "2020-01-01", "2020-01-01T00:00:00Z");
    let mut text = doc(" We also share your location with advertisers.");
    text.push_str("## Part 11 {#part-11}\n\nWe collect your precise location.\n\nWe collect your contacts.\n\nWe collect your photos.\n");
    f.write_source("p.en.md", &text);
    f.release("p", "2.0.0", "2020-02-01", "2020-02-01T00:00:00Z");
    build(f.root(), &["--as-of", "2020-03-01"]).success();
    let cmp = read(&f.root().join("site"), "p/compare/1.0.0...2.0.0/index.html");
    // Parts 1–4 and 6–10 unchanged: two lines, no heading or "read this section" each.
    assert!(cmp.contains("<p class=\"collapsed\">4 sections unchanged</p>"), "{cmp}");
    assert!(cmp.contains("<p class=\"collapsed\">5 sections unchanged</p>"));
    assert!(!cmp.contains("id=\"part-3\"") && cmp.contains("id=\"part-5\""));
    assert!(!cmp.contains("Read this section"));
    // Findings of the new section are not repeated per paragraph.
    let numbered = Regex::new(r#"<li id="finding-\d+"><a href="\#part-11">"#).unwrap();
    let reasons: Vec<&str> = numbered.find_iter(&cmp).map(|m| m.as_str()).collect();
    let lines: Vec<&str> =
        cmp.lines().filter(|l| l.contains("<li id=\"finding-") && l.contains("#part-11")).collect();
    let distinct: std::collections::BTreeSet<&str> =
        lines.iter().map(|l| l.split("</a>: ").nth(1).unwrap_or("")).collect();
    assert_eq!(lines.len(), distinct.len(), "identical findings merged: {lines:#?}");
    assert!(!reasons.is_empty());
}
