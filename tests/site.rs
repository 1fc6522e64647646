//! `redline build`: the site of a repository with real releases, built through the binary.

mod site_fixture;

use assert_cmd::Command;
use regex::Regex;
use site_fixture::{Fixture, read, tree};
use std::path::Path;

/// The site's public address in these tests.
const BASE: &str = "https://example.com/policy/";

/// `redline build ARGS`; a published build (no `--preview`) gets `--base-url` [`BASE`] unless
/// `args` give one (a published site needs its address).
fn build(root: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = Command::cargo_bin("redline").unwrap();
    cmd.current_dir(root).arg("build").args(args);
    if !args.iter().any(|a| *a == "--preview" || *a == "--base-url") {
        cmd.args(["--base-url", BASE]);
    }
    cmd.assert()
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
    assert!(home.contains("本政策将于 2027年1月15日 更新。"), "upcoming banner");
    assert!(home.contains("href=\"../privacy/2.0.0/index.html\""), "banner links the new version");
    assert!(
        home.contains("href=\"../privacy/compare/1.0.0...2.0.0/index.html\""),
        "and its redline"
    );
    // Section anchors are section ids behind a prefix no id of the page itself has.
    assert!(home.contains("id=\"s-device-permissions\""), "section anchors are section ids");
    assert!(!home.contains("id=\"device-permissions\""));
    assert!(home.contains("<a href=\"#s-device-permissions\">"), "table of contents");
    assert!(home.contains("hreflang=\"en\""), "language switcher");

    // The redline: the new SDK row inside <ins>, with its re-consent finding beside it.
    let cmp = read(&out, "privacy/compare/1.0.0...2.0.0/index.html");
    assert!(
        cmp.contains("<td><ins>穿山甲广告SDK</ins></td>"),
        "new row inserted, inside its table cell"
    );
    assert!(cmp.contains("<span class=\"lv lv-reconsent\">需重新同意</span>"), "level shown");
    let finding = Regex::new(r#"<li id="finding-\d+"><a href="\#s-device-permissions">3\.7 设备权限调用</a>：<span class="lv lv-reconsent">"#).unwrap();
    assert!(finding.is_match(&cmp), "finding listed in the summary with its section");
    assert!(cmp.contains("class=\"sec-findings\""), "findings beside their section");
    assert!(
        cmp.contains("<dt>需要重新取得同意</dt><dd><strong>是</strong></dd>"),
        "summary says re-consent"
    );

    // 2.0.0's own page is upcoming; 1.0.0's page is the current one.
    let v2 = read(&out, "privacy/2.0.0/index.html");
    assert!(v2.contains("本版本将于 2027年1月15日 生效。"), "upcoming version marked");
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
        as_of.contains("<time datetime=\"2027-01-14\">2027年1月14日</time>"),
        "1.0.0 ends the day before 2.0.0"
    );
    let feed = read(&out, "privacy/feed.xml");
    // Globally unique ids: tag URIs under the site's host, dated by the first release.
    assert!(
        feed.contains("<id>tag:example.com,2026-11-20:policy/privacy</id>")
            && feed.contains("<id>tag:example.com,2026-11-20:policy/privacy/2.0.0</id>")
            && feed.contains("href=\"https://example.com/policy/privacy/2.0.0/\""),
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
    // The draft note is shown with the draft, where the publisher reviews it.
    std::fs::write(
        f.root().join("policy/privacy.notes.toml"),
        "version = \"2.0.0\"\nzh-CN = \"草稿说明：新增广告合作伙伴。\"\n",
    )
    .unwrap();
    build(f.root(), &["--as-of", "2026-12-20", "--preview"]).success();
    let out = f.root().join("site");
    let draft = read(&out, "privacy/draft/index.html");
    assert!(draft.contains("class=\"banner draft\"") && draft.contains("未发布的草稿"), "marked");
    assert!(draft.contains("page-document is-draft"));
    assert!(
        draft.contains("<p class=\"release-note\"><span>草稿说明：新增广告合作伙伴。</span></p>"),
        "{draft}"
    );
    let cmp = read(&out, "privacy/compare/1.0.0...draft/index.html");
    assert!(cmp.contains("<ins>穿山甲广告SDK</ins>") && cmp.contains("未发布的草稿"));
    assert!(cmp.contains("草稿说明：新增广告合作伙伴。"));
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

/// The fixture's four releases (an SDK in the Chinese text only, then a same-day wording fix).
fn four_releases() -> Fixture {
    Fixture::four_releases()
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
    assert!(
        feed.contains("xml:lang=\"en\"")
            && feed.contains(&format!("href=\"{BASE}privacy/2.0.1/en/\"")),
        "{feed}"
    );
    // Tag URIs that differ by feed: the translation's end in its language tag.
    assert!(
        feed.contains("<id>tag:example.com,2026-11-20:policy/privacy/2.0.1/en</id>"),
        "entry ids differ by feed: {feed}"
    );
    assert!(feed.contains("<id>tag:example.com,2026-11-20:policy/privacy/en</id>"), "{feed}");
    let zh_feed = read(&out, "privacy/feed.xml");
    assert!(zh_feed.contains("<id>tag:example.com,2026-11-20:policy/privacy/2.0.1</id>"));
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
    assert_eq!(home.matches("本政策将于 2027年1月15日 更新。").count(), 1, "{home}");
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
    assert!(v1.contains("2026年12月1日 至 2027年1月14日"), "in-force period");
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
    assert!(!cmp.contains("id=\"s-part-3\"") && cmp.contains("id=\"s-part-5\""));
    assert!(!cmp.contains("Read this section"));
    // Findings of the new section are not repeated per paragraph.
    let numbered = Regex::new(r#"<li id="finding-\d+"><a href="\#s-part-11">"#).unwrap();
    let reasons: Vec<&str> = numbered.find_iter(&cmp).map(|m| m.as_str()).collect();
    let lines: Vec<&str> = cmp
        .lines()
        .filter(|l| l.contains("<li id=\"finding-") && l.contains("#s-part-11"))
        .collect();
    let distinct: std::collections::BTreeSet<&str> =
        lines.iter().map(|l| l.split("</a>: ").nth(1).unwrap_or("")).collect();
    assert_eq!(lines.len(), distinct.len(), "identical findings merged: {lines:#?}");
    assert!(!reasons.is_empty());
}
/// A published build needs the site's address; a preview only warns. With it, every page has
/// its canonical address, a Content-Security-Policy and cite-able headings; consent.json gives
/// absolute addresses beside the relative ones; previews are never indexed.
#[test]
fn publishing_metadata_and_the_base_url_it_needs() {
    let f = Fixture::two_releases();
    let bare = |args: &[&str]| {
        Command::cargo_bin("redline")
            .unwrap()
            .current_dir(f.root())
            .arg("build")
            .args(args)
            .assert()
    };
    let a = bare(&["--as-of", "2026-12-20"]).code(2);
    let out = a.get_output();
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: build: the site's public address is unknown: pass --base-url URL (or set base_url in policy/policy.toml); the feed, canonical links and consent.json's href need it\n"
    );
    assert!(!f.root().join("site").exists(), "nothing built");
    let a = bare(&["--as-of", "2026-12-20", "--preview"]).success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(err.starts_with("warning: the site's public address is unknown"), "{err}");
    let out = f.root().join("site");
    let page = read(&out, "privacy/1.0.0/index.html");
    assert!(
        page.contains("<meta name=\"robots\" content=\"noindex\">"),
        "previews are not indexed"
    );
    assert!(!page.contains("rel=\"canonical\""), "no address, no canonical link");
    for en in
        ["privacy/1.0.0/en/index.html", "privacy/en/index.html", "privacy/history/en/index.html"]
    {
        let en = read(&out, en);
        assert!(en.contains("<meta name=\"robots\" content=\"noindex\">"), "{en}");
    }
    let m: serde_json::Value = serde_json::from_str(&read(&out, "consent.json")).unwrap();
    assert_eq!(m["documents"]["privacy"]["latest"]["href"], serde_json::Value::Null);

    // base_url in policy.toml serves as --base-url.
    let config = f.root().join("policy/policy.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("base_url = \"https://example.com/policy/\"\n{text}")).unwrap();
    bare(&["--as-of", "2026-12-20"]).success();
    let page = read(&out, "privacy/1.0.0/index.html");
    assert!(!page.contains("noindex"));
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://example.com/policy/privacy/1.0.0/\">"
        ),
        "{page}"
    );
    assert!(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'; img-src 'self' data: https:; base-uri 'none'; form-action 'none'\">"));
    // A publication date on every version page, in the policy's time zone (02:00Z is 10:00 in Shanghai).
    assert!(
        page.contains(
            "<dt>发布日期</dt><dd><time datetime=\"2026-11-20\">2026年11月20日</time></dd>"
        ),
        "{page}"
    );
    // Every heading links to itself.
    assert!(
        page.contains(" <a class=\"anchor\" href=\"#s-device-permissions\" aria-labelledby=\"s-device-permissions\">#</a></h4>"),
        "{page}"
    );
    // Every language's pages carry the same: a canonical link to their own address, the
    // policy, a publication date in the page's language, anchors on the translation's headings.
    let en = read(&out, "privacy/1.0.0/en/index.html");
    assert!(
        en.contains(
            "<link rel=\"canonical\" href=\"https://example.com/policy/privacy/1.0.0/en/\">"
        ),
        "{en}"
    );
    assert!(en.contains("<meta http-equiv=\"Content-Security-Policy\""));
    assert!(
        en.contains("<dt>Published</dt><dd><time datetime=\"2026-11-20\">2026-11-20</time></dd>"),
        "{en}"
    );
    assert!(en.contains("<a class=\"anchor\" href=\"#s-device-permissions\""), "{en}");
    for (path, canonical) in [
        ("privacy/en/index.html", "privacy/en/"),
        ("privacy/history/en/index.html", "privacy/history/en/"),
        ("privacy/compare/1.0.0...2.0.0/en/index.html", "privacy/compare/1.0.0...2.0.0/en/"),
    ] {
        let page = read(&out, path);
        let link =
            format!("<link rel=\"canonical\" href=\"https://example.com/policy/{canonical}\">");
        assert!(page.contains(&link), "{path}: {page}");
        assert!(!page.contains("noindex"), "{path}");
    }
    let m: serde_json::Value = serde_json::from_str(&read(&out, "consent.json")).unwrap();
    let d = &m["documents"]["privacy"];
    assert_eq!(d["latest"]["url"], "privacy/2.0.0/");
    assert_eq!(d["latest"]["href"], "https://example.com/policy/privacy/2.0.0/");
    assert_eq!(d["current"]["href"], "https://example.com/policy/privacy/1.0.0/");
    assert_eq!(d["languages"]["zh-CN"]["url"], "privacy/");
    assert_eq!(d["languages"]["en"]["url"], "privacy/en/");
    assert_eq!(d["languages"]["en"]["href"], "https://example.com/policy/privacy/en/");
    // A bad base_url names its line.
    std::fs::write(&config, format!("base_url = \"example.com\"\n{text}")).unwrap();
    let a = bare(&["--as-of", "2026-12-20"]).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.starts_with(
            "error: policy/policy.toml:1:12: base_url `example.com` is not an http(s) address"
        ),
        "{err}"
    );
}

/// The release note written by people is what readers see first on the version, compare and
/// history pages and in the feed (the machine summary stays, second); a translation without its
/// own note shows the source's, marked; an annotation stands beside its finding; a bidi
/// override in a note cannot reverse what follows.
#[test]
fn release_notes_and_annotations_on_the_site() {
    let f = Fixture::real_policy();
    f.release("privacy", "1.0.0", "2026-12-01", "2026-11-20T02:00:00Z");
    f.add_ad_row();
    let zh = "我们新增了一家广告合作伙伴，用于向您展示个性化广告。\u{202e}反转";
    // Released through the fixture: the record carries the note and an annotation of the
    // finding on the new SDK row (its key as `check --format json` would print it).
    let repo = f.repo();
    let criteria = repo.criteria().unwrap();
    let old = std::fs::read(f.root().join("archive/privacy/1.0.0/privacy.zh-CN.md")).unwrap();
    let new = std::fs::read(f.root().join("policy/privacy.zh-CN.md")).unwrap();
    let side = |label: &str| redline::report::Side {
        label: label.into(),
        version: None,
        rev: None,
        path: label.into(),
    };
    let cmp = redline::report::compare(
        "privacy",
        &redline::report::Input { side: side("1.0.0"), bytes: old },
        &redline::report::Input { side: side("2.0.0"), bytes: new },
        &criteria,
    )
    .unwrap();
    let key = cmp.report.findings[0].key.clone();
    f.release_with("privacy", "2.0.0", "2027-01-15", "2026-12-16T02:00:00Z", |r| {
        r.notes.insert("zh-CN".into(), zh.into());
        r.annotations.push(redline::notes::Annotation {
            key: key.clone(),
            kind: redline::notes::AnnotationKind::Explanation,
            text: [("zh-CN".to_string(), "仅在您开启个性化推荐后加载。".to_string())].into(),
        });
    });
    build(f.root(), &["--as-of", "2026-12-20"]).success();
    let out = f.root().join("site");
    let v2 = read(&out, "privacy/2.0.0/index.html");
    assert!(v2.contains("<h2 id=\"rl-note\">本版本更新说明</h2><p class=\"release-note\"><span>我们新增了一家广告合作伙伴，用于向您展示个性化广告。\u{fffd}反转</span></p>"), "{v2}");
    assert!(!v2.contains('\u{202e}'), "bidi override neutralised");
    let en = read(&out, "privacy/2.0.0/en/index.html");
    assert!(
        en.contains("<span class=\"fallback\">(Not yet translated: the note as written in the binding language.)</span> <span lang=\"zh-CN\">我们新增了一家广告合作伙伴"),
        "the English page shows the Chinese note, marked: {en}"
    );
    let cmp_page = read(&out, "privacy/compare/1.0.0...2.0.0/index.html");
    assert!(cmp_page.contains("<h3>本版本更新说明</h3><p class=\"release-note\">"), "{cmp_page}");
    assert!(
        cmp_page.contains("<span class=\"annotation ann-explanation\"><strong>发布者说明：</strong> <span>仅在您开启个性化推荐后加载。</span></span>"),
        "{cmp_page}"
    );
    let history = read(&out, "privacy/history/index.html");
    let row = history.find("我们新增了一家广告合作伙伴").expect("note in the history");
    let machine = history.find("device-permissions").expect("machine summary stays");
    assert!(row < machine, "the note comes first");
    let feed = read(&out, "privacy/feed.xml");
    assert!(
        feed.contains(
            "<summary>我们新增了一家广告合作伙伴，用于向您展示个性化广告。\u{fffd}反转 · 版本 2.0.0"
        ),
        "{feed}"
    );
    assert!(!feed.contains('\u{202e}'));
    // The English pages: the redline, history and feed in English carry the Chinese note,
    // marked as not yet translated, and the annotation in the language it was written in.
    let fallback = "<span class=\"fallback\">(Not yet translated: the note as written in the binding language.)</span> <span lang=\"zh-CN\">我们新增了一家广告合作伙伴";
    let en_cmp = read(&out, "privacy/compare/1.0.0...2.0.0/en/index.html");
    assert!(
        en_cmp.contains(&format!(
            "<h3>What changed in this version</h3><p class=\"release-note\">{fallback}"
        )),
        "{en_cmp}"
    );
    assert!(
        en_cmp.contains("<span class=\"annotation ann-explanation\"><strong>Publisher&#39;s note:</strong> <span lang=\"zh-CN\">仅在您开启个性化推荐后加载。</span></span>"),
        "{en_cmp}"
    );
    assert!(!en_cmp.contains(&key), "no annotation key on a public page");
    let en_history = read(&out, "privacy/history/en/index.html");
    assert!(en_history.contains(fallback), "{en_history}");
    let en_feed = read(&out, "privacy/feed.en.xml");
    assert!(
        en_feed.contains("<summary>(Not yet translated: the note as written in the binding language.) 我们新增了一家广告合作伙伴，用于向您展示个性化广告。\u{fffd}反转 · Version 2.0.0"),
        "{en_feed}"
    );
    assert!(!en_feed.contains('\u{202e}'));
    // The audit copy names each finding's key (the one an annotation names it by).
    build(f.root(), &["--as-of", "2026-12-20", "--audit", "--out", "audit"]).success();
    for page in
        ["privacy/compare/1.0.0...2.0.0/index.html", "privacy/compare/1.0.0...2.0.0/en/index.html"]
    {
        let audit = read(&f.root().join("audit"), page);
        assert!(audit.contains(&format!("<code>{key}</code>")), "{page}: {audit}");
    }
    let m: serde_json::Value = serde_json::from_str(&read(&out, "consent.json")).unwrap();
    let v = &m["documents"]["privacy"]["versions"];
    assert_eq!(v[0]["note"], serde_json::Value::Null);
    assert_eq!(v[1]["note"]["zh-CN"]["text"], zh);
    assert_eq!(v[1]["note"]["en"], serde_json::json!({"text": zh, "lang": "zh-CN"}));
}

/// `redline templates export DIR` writes the built-in templates; overriding with them changes
/// nothing; `[site]` in policy.toml brands every page, and a bad value names its line.
#[test]
fn exported_templates_and_branding() {
    let f = Fixture::two_releases();
    let redline = |args: &[&str]| {
        Command::cargo_bin("redline").unwrap().current_dir(f.root()).args(args).assert()
    };
    build(f.root(), &["--as-of", "2026-12-20", "--out", "plain"]).success();
    let a = redline(&["templates", "export", "templates"]).success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(out.starts_with("wrote templates/base.html\n"), "{out}");
    for name in ["base.html", "compare.html", "feed.xml", "style.css", "strings.toml"] {
        assert!(f.root().join("templates").join(name).is_file(), "{name}");
    }
    // Exported again: nothing is overwritten.
    let a = redline(&["templates", "export", "templates"]).code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("already exists"));
    build(f.root(), &["--as-of", "2026-12-20", "--out", "exported"]).success();
    assert_eq!(tree(&f.root().join("plain")), tree(&f.root().join("exported")), "the same site");
    std::fs::remove_dir_all(f.root().join("templates")).unwrap();

    let config = f.root().join("policy/policy.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(f.root().join("policy/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[site]\nname = \"慧孕育\"\nlogo = \"policy/logo.svg\"\nhome = \"https://example.com/\"\nfooter = \"某某科技有限公司 · 北京市\"\n"),
    )
    .unwrap();
    build(f.root(), &["--as-of", "2026-12-20"]).success();
    let out = f.root().join("site");
    let page = read(&out, "privacy/1.0.0/index.html");
    assert!(page.contains("<p class=\"brand\"><a href=\"https://example.com/\"><img class=\"logo\" src=\"../../brand/logo.svg\" alt=\"慧孕育\"></a></p>"), "{page}");
    assert!(
        page.contains("<p class=\"site-name\"><a href=\"../../index.html\">慧孕育</a>"),
        "{page}"
    );
    assert!(page.contains("<p class=\"brand-footer\">某某科技有限公司 · 北京市</p>"), "{page}");
    assert_eq!(read(&out, "brand/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    let lines = text.lines().count();
    for (bad, line, column, message) in [
        ("home = \"example.com\"", 4, 8, "[site] home `example.com` is not an http(s) address"),
        (
            "logo = \"../logo.svg\"",
            3,
            8,
            "[site] logo `../logo.svg` is neither an http(s) address nor",
        ),
        ("logo = \"policy/missing.png\"", 3, 8, "[site] logo `policy/missing.png`: no such file"),
        ("name = \"\"", 2, 8, "[site] name must be one line of plain text"),
    ] {
        let key = bad.split(' ').next().unwrap();
        let mut site = "[site]\nname = \"慧孕育\"\nlogo = \"policy/logo.svg\"\nhome = \"https://example.com/\"\n".to_string();
        let at = site.lines().position(|l| l.starts_with(key)).unwrap();
        let mut rows: Vec<&str> = site.lines().collect();
        rows[at] = bad;
        site = rows.join("\n");
        std::fs::write(&config, format!("{text}\n{site}\n")).unwrap();
        let a = build(f.root(), &["--as-of", "2026-12-20"]).code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        let expected =
            format!("error: policy/policy.toml:{}:{column}: {message}", lines + 1 + line);
        assert!(err.starts_with(&expected), "{err} (expected {expected})");
    }
}

/// Validates `json` against `schemas/consent.schema.json` with Python's `jsonschema`:
/// `Some(errors)` (empty when valid), or `None` with the reason printed when python3 or the
/// package is not installed.
fn schema_errors(json: &str) -> Option<Vec<String>> {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/consent.schema.json");
    let script = "import json, sys\ntry:\n    import jsonschema\nexcept ImportError:\n    print('SKIP'); sys.exit(0)\nschema = json.load(open(sys.argv[1]))\njsonschema.Draft202012Validator.check_schema(schema)\nv = jsonschema.Draft202012Validator(schema)\nfor e in v.iter_errors(json.load(sys.stdin)):\n    print('/'.join(map(str, e.absolute_path)) + ': ' + e.message)\n";
    let child = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&schema)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        println!(
            "skipped: python3 is not installed; consent.json was not checked against its schema"
        );
        return None;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(json.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the schema check failed to run");
    let text = String::from_utf8(out.stdout).unwrap();
    if text.trim() == "SKIP" {
        println!(
            "skipped: python3 has no jsonschema (pip install jsonschema); consent.json was not checked against its schema"
        );
        return None;
    }
    Some(text.lines().map(str::to_string).collect())
}

/// consent.json as `build` writes it (with and without a base URL, with and without notes,
/// before and after any version is in force) validates against the schema committed in
/// `schemas/`; a manifest that breaks it does not.
#[test]
fn consent_json_validates_against_its_schema() {
    let f = Fixture::real_policy();
    f.release("privacy", "1.0.0", "2026-12-01", "2026-11-20T02:00:00Z");
    // The English translation is left behind, so its stale sections are listed too.
    let en = f.source("privacy.en.md");
    f.add_ad_row();
    f.write_source("privacy.en.md", &en);
    f.release_with("privacy", "2.0.0", "2027-01-15", "2026-12-16T02:00:00Z", |r| {
        r.notes.insert("zh-CN".into(), "我们新增了一家广告合作伙伴。".into());
        r.notes.insert("en".into(), "We added an advertising partner.".into());
    });
    let mut manifests = Vec::new();
    for args in [
        &["--as-of", "2026-11-25"][..],
        &["--as-of", "2026-12-20"][..],
        &["--as-of", "2027-02-01", "--preview"][..],
    ] {
        build(f.root(), args).success();
        manifests.push(read(&f.root().join("site"), "consent.json"));
    }
    for m in &manifests {
        let Some(errors) = schema_errors(m) else { return };
        assert!(errors.is_empty(), "{errors:?}\n{m}");
    }
    // The English translation was left behind by 2.0.0: its stale sections are listed.
    let v: serde_json::Value = serde_json::from_str(&manifests[1]).unwrap();
    let en = &v["documents"]["privacy"]["languages"]["en"];
    assert_eq!(en["status"], "stale", "{en}");
    assert!(en["stale_sections"].as_array().is_some_and(|a| !a.is_empty()), "{en}");
    // The check can fail: a level that is not one, a note without its language, a relative
    // href, stale sections of a language that is not stale.
    let mut v = v;
    let d = &mut v["documents"]["privacy"];
    d["versions"][1]["level"] = "huge".into();
    d["versions"][1]["note"]["en"] = serde_json::json!({"text": "x"});
    d["latest"]["href"] = "privacy/2.0.0/".into();
    d["languages"]["zh-CN"]["stale_sections"] = serde_json::json!(["notice"]);
    let errors = schema_errors(&v.to_string()).unwrap();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(
        errors.iter().any(|e| e.starts_with("documents/privacy/languages/zh-CN/stale_sections")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("documents/privacy/versions/1/level: 'huge'")),
        "{errors:?}"
    );
}
