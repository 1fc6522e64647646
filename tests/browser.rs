//! The browser test: the published site of [`Fixture::published_site`] (five releases: one never
//! in force, two upcoming, the English translation stale for three of them) and a preview of it,
//! every page type in Chinese and English opened in headless Chromium at 1280 px and at 375 px
//! (tests/browser/check.mjs): no console errors, axe-core at zero violations at both widths, no
//! sideways scrolling on the phone, the table of contents folded away on it, the CSP meta, the
//! canonical link, noindex on the preview only, heading anchors, navigation that stays in the
//! page's language, and for each page what a reader must find on it (the `expect` lists below:
//! the translation's state, the release note, the level legend, the collapsed sections, the
//! in-force period, the changes-since link, the publication date, one banner per upcoming change,
//! the never-in-force label, dates as the page's language writes them).
//!
//! Needs Debian's `chromium`, `node` and `npm ci` in tests/browser (`.ci/run` installs all
//! three). Where one is missing the test says why and passes, unless `CI` is set: CI must run it.
//! Set `SCREENSHOT_DIR` to keep a PNG of each page at each width.

mod site_fixture;

use serde_json::json;
use site_fixture::Fixture;
use std::path::Path;

/// The address the sites are built for.
const BASE: &str = site_fixture::PUBLISHED_BASE;

fn missing() -> Option<String> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).exists() {
        return Some(format!("{chromium} not found (apt-get install -y chromium)"));
    }
    if std::process::Command::new("node").arg("--version").output().is_err() {
        return Some("node not found".to_string());
    }
    for module in ["playwright-core", "axe-core"] {
        if !here.join("node_modules").join(module).is_dir() {
            return Some(format!(
                "tests/browser/node_modules/{module} missing (run `npm ci` in tests/browser)"
            ));
        }
    }
    None
}

/// A page of the spec: its site, path, language and what it must show.
fn page(site: &str, path: &str, lang: &str, expect: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"site": site, "path": path, "lang": lang, "expect": expect})
}

#[test]
fn every_page_type_in_both_languages_at_both_widths() {
    if let Some(why) = missing() {
        assert!(std::env::var_os("CI").is_none(), "browser test cannot run in CI: {why}");
        println!("skipped: {why}");
        return;
    }
    let f = Fixture::published_site();
    // The published site, and a preview of the working text (the release 2.2.0 left
    // unchanged): the same site with a draft, every page marked noindex.
    f.build_published_and_preview();

    let anchors = json!({"sel": "article.policy h2 a.anchor[href^=\"#s-\"]"});
    let collapsed_zh = json!({"sel": "section.redline p.collapsed", "re": r"^\d+ 节未变更$"});
    let collapsed_en =
        json!({"sel": "section.redline p.collapsed", "re": r"^\d+ sections unchanged$"});
    let legend_zh = json!({"sel": "#rl-levels", "text": "变更等级说明"});
    let legend_en = json!({"sel": "#rl-levels", "text": "What the levels mean"});
    let stale_en = json!({"sel": ".banner.stale", "text": "This translation is out of date"});
    let two_banners = json!({"sel": ".banner.upcoming", "count": 2});
    let pages = vec![
        page(
            "site",
            "index.html",
            "zh-CN",
            json!([
                {"sel": ".documents a[hreflang=\"en\"]", "attr": "href", "value": "privacy/en/index.html"},
                {"sel": ".documents a[hreflang=\"zh-CN\"]", "attr": "href", "value": "privacy/index.html"},
                {"sel": ".documents p", "text": "生效日期 2027年1月15日"},
            ]),
        ),
        // The version in force: its note, its publication date, two upcoming changes, one
        // banner each, the changes since it (it is not the latest), cite-able headings.
        page(
            "site",
            "privacy/index.html",
            "zh-CN",
            json!([
                {"sel": ".meta dd", "text": "2.0.1"},
                {"sel": ".banner.ok", "text": "这是现行有效的版本。"},
                {"sel": "#rl-note + .release-note", "text": "我们新增了一家广告合作伙伴（穿山甲广告 SDK）"},
                {"sel": ".meta div", "text": "发布日期2026年12月16日"},
                {"sel": ".meta time[datetime=\"2026-12-16\"]", "text": "2026年12月16日"},
                two_banners,
                {"sel": ".banner.upcoming", "text": "本政策将于 2027年3月1日 更新。"},
                {"sel": ".banner.upcoming", "text": "本政策将于 2027年4月1日 更新。"},
                {"sel": ".changes-link a", "attr": "href", "value": "privacy/changes-since/2.0.1/index.html"},
                anchors,
            ]),
        ),
        // An old version: its in-force period and the changes since it.
        page(
            "site",
            "privacy/1.0.0/index.html",
            "zh-CN",
            json!([
                {"sel": ".banner.old", "text": "这不是现行版本。"},
                {"sel": ".meta .period", "text": "2026年12月1日 至 2027年1月14日"},
                {"sel": ".changes-link a", "attr": "href", "value": "privacy/changes-since/1.0.0/index.html"},
                {"sel": ".changes-link a", "text": "自本版本以来的变更"},
                anchors,
            ]),
        ),
        // Released, then replaced the same day: never in force.
        page(
            "site",
            "privacy/2.0.0/index.html",
            "zh-CN",
            json!([
                {"sel": ".banner.old", "text": "该版本在生效前已被取代。"},
                {"sel": ".meta .period", "text": "未曾生效"},
                {"sel": "#rl-note + .release-note", "text": "我们新增了一家广告合作伙伴"},
            ]),
        ),
        page(
            "site",
            "privacy/2.1.0/index.html",
            "zh-CN",
            json!([
                {"sel": ".banner.notice", "text": "本版本将于 2027年3月1日 生效。"},
                {"sel": "#rl-note + .release-note", "text": "我们不再使用麦克风进行视频问诊。"},
            ]),
        ),
        {
            let mut p = page(
                "site",
                "privacy/compare/1.0.0...2.0.0/index.html",
                "zh-CN",
                json!([
                    legend_zh, collapsed_zh,
                    {"sel": ".summary .release-note", "text": "我们新增了一家广告合作伙伴"},
                    {"sel": ".summary .lv", "text": "需重新同意"},
                ]),
            );
            p["ins"] = json!(["穿山甲广告SDK"]);
            p
        },
        {
            let mut p = page(
                "site",
                "privacy/compare/2.0.1...2.1.0/index.html",
                "zh-CN",
                json!([
                    legend_zh, collapsed_zh,
                    {"sel": ".summary .release-note", "text": "我们不再使用麦克风进行视频问诊。"},
                    {"sel": ".subtitle time[datetime=\"2027-03-01\"]", "text": "2027年3月1日"},
                ]),
            );
            p["del"] = json!(["视频、"]);
            p
        },
        page(
            "site",
            "privacy/history/index.html",
            "zh-CN",
            json!([
                {"sel": "table.history tbody tr", "count": 5},
                {"sel": "table.history td .release-note", "text": "英文译文已补充广告合作伙伴。"},
                {"sel": "tr.status-never .status", "text": "未曾生效"},
                {"sel": "table.history time[datetime=\"2026-12-01\"]", "text": "2026年12月1日"},
            ]),
        ),
        page(
            "site",
            "privacy/as-of/index.html",
            "zh-CN",
            json!([
                {"sel": "table.as-of tr.status-superseded", "text": "2026年12月1日 2027年1月14日"},
                {"sel": "table.as-of tr.status-current", "text": "2.0.1 2027年1月15日 2027年2月28日 现行有效"},
            ]),
        ),
        page(
            "site",
            "privacy/compare/index.html",
            "zh-CN",
            json!([
                {"sel": "ul.comparisons a", "attr": "href", "value": "privacy/compare/1.0.0...2.0.1/index.html"},
                {"sel": "ul.comparisons a", "attr": "href", "value": "privacy/changes-since/1.0.0/index.html"},
            ]),
        ),
        {
            let mut p = page(
                "site",
                "privacy/changes-since/1.0.0/index.html",
                "zh-CN",
                json!([
                    {"sel": "h1", "text": "自 1.0.0 版本以来的变更"},
                    {"sel": ".subtitle", "text": "目前为 2.2.0"},
                    legend_zh,
                ]),
            );
            p["del"] = json!(["视频、"]);
            p
        },
        // English: the translation's state on every version page, the note in English.
        page(
            "site",
            "privacy/en/index.html",
            "en",
            json!([
                {"sel": ".banner.ok", "text": "This is a translation of the version in force."},
                {"sel": "main", "lacks": "This is the version in force."},
                stale_en,
                {"sel": "article.policy .stale-note", "text": "Not yet updated"},
                {"sel": "nav.toc .stale-mark", "text": "(not yet updated)"},
                {"sel": "#rl-note + .release-note", "text": "We added an advertising partner"},
                {"sel": ".meta div", "text": "Published2026-12-16"},
                two_banners,
                {"sel": ".banner.upcoming", "text": "This policy changes on 2027-03-01."},
                {"sel": ".changes-link a", "attr": "href", "value": "privacy/changes-since/2.0.1/en/index.html"},
                anchors,
            ]),
        ),
        page(
            "site",
            "privacy/1.0.0/en/index.html",
            "en",
            json!([
                {"sel": ".meta .period", "text": "2026-12-01 to 2027-01-14"},
                {"sel": ".changes-link a", "attr": "href", "value": "privacy/changes-since/1.0.0/en/index.html"},
                {"sel": ".banner.stale", "absent": true},
                anchors,
            ]),
        ),
        page(
            "site",
            "privacy/2.0.0/en/index.html",
            "en",
            json!([
                {"sel": ".banner.old", "text": "It was replaced before it took effect."},
                stale_en,
                // 2.0.0 has no English note: the Chinese one, marked as not yet translated.
                {"sel": "#rl-note + .release-note .fallback", "text": "(Not yet translated"},
            ]),
        ),
        {
            let mut p = page(
                "site",
                "privacy/compare/2.1.0...2.2.0/en/index.html",
                "en",
                json!([
                    legend_en, collapsed_en,
                    {"sel": ".summary .release-note", "text": "The English translation now lists"},
                ]),
            );
            p["ins"] = json!(["Pangle Ads SDK"]);
            p
        },
        page(
            "site",
            "privacy/compare/1.0.0...2.0.1/en/index.html",
            "en",
            json!([
                legend_en,
                {"sel": ".banner.reference", "text": "The level and the findings are those of the binding Chinese (Simplified) text."},
                {"sel": ".summary .lv", "text": "re-consent"},
            ]),
        ),
        page(
            "site",
            "privacy/history/en/index.html",
            "en",
            json!([
                {"sel": "table.history tbody tr", "count": 5},
                {"sel": "table.history td .release-note", "text": "We no longer use the microphone"},
            ]),
        ),
        page(
            "site",
            "privacy/as-of/en/index.html",
            "en",
            json!([
                {"sel": "table.as-of tr.status-superseded", "text": "2026-12-01 2027-01-14"},
            ]),
        ),
        page(
            "site",
            "privacy/compare/en/index.html",
            "en",
            json!([
                {"sel": "ul.comparisons a", "attr": "href", "value": "privacy/changes-since/1.0.0/en/index.html"},
            ]),
        ),
        page(
            "site",
            "privacy/changes-since/1.0.0/en/index.html",
            "en",
            json!([
                {"sel": "h1", "text": "Changes since version 1.0.0"},
                legend_en,
            ]),
        ),
        // The preview: noindex on every page (checked for each), the draft marked in the
        // page's language.
        page("preview", "privacy/index.html", "zh-CN", json!([two_banners])),
        page(
            "preview",
            "privacy/draft/index.html",
            "zh-CN",
            json!([
                {"sel": ".banner.draft", "text": "未发布的草稿"},
            ]),
        ),
        page(
            "preview",
            "privacy/draft/en/index.html",
            "en",
            json!([
                {"sel": ".banner.draft", "text": "Unreleased draft"},
            ]),
        ),
        page(
            "preview",
            "privacy/history/index.html",
            "zh-CN",
            json!([
                {"sel": "tr.status-draft th a", "text": "草稿"},
            ]),
        ),
        page(
            "preview",
            "privacy/compare/2.2.0...draft/index.html",
            "zh-CN",
            json!([
                {"sel": "h1", "text": "从 2.2.0 到 草稿 的变更"},
                {"sel": ".banner.draft", "text": "未发布的草稿"},
            ]),
        ),
    ];
    let n = pages.len();
    let spec = json!({
        "root": f.root(),
        "screenshots": std::env::var("SCREENSHOT_DIR").ok(),
        "sites": {"site": {"base": BASE, "preview": false}, "preview": {"base": BASE, "preview": true}},
        "pages": pages,
    });
    let spec_path = f.root().join("browser-spec.json");
    std::fs::write(&spec_path, serde_json::to_vec(&spec).unwrap()).unwrap();
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let output = std::process::Command::new("node")
        .arg(here.join("check.mjs"))
        .arg(&spec_path)
        .current_dir(&here)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    print!("{stdout}");
    assert!(output.status.success(), "browser check failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("{n} passed, 0 failed")), "{stdout}");
}
