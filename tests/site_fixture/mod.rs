//! Test fixtures shared by the site tests: throwaway policy repositories in temp dirs, with
//! release folders written exactly as the README's release record describes (sources, sha256
//! of each, and the chain of release.toml hashes), so the site can be built without `release`.

#![allow(dead_code, unreachable_pub)]

use redline::document::Document;
use redline::repo::PolicyRepo;
use redline::report::{Side, compare_documents};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The SDK row the second release adds (zh-CN).
pub const AD_ROW_ZH: &str = "| 穿山甲广告SDK | 用于向您展示个性化广告 | 收集的个人信息类型:设备信息、广告标识符(OAID/IDFA)、位置信息 | 北京巨量引擎网络技术有限公司 | 《穿山甲隐私政策》 |";
/// The same row in the English reference translation.
pub const AD_ROW_EN: &str = "| Pangle Ads SDK (穿山甲广告SDK) | Used to show you personalised advertising | Type of personal information collected: device information, advertising identifiers (OAID/IDFA), location | Beijing Juliang Engine Network Technology Co., Ltd. | \"Pangle Privacy Policy\" |";

/// The public address [`Fixture::build_published_and_preview`] builds for.
pub const PUBLISHED_BASE: &str = "https://example.com/policy/";

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A policy repository in a temp dir.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// An empty repository with `policy.toml` (and nothing else).
    pub fn with_config(policy_toml: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("policy")).unwrap();
        std::fs::write(dir.path().join("policy/policy.toml"), policy_toml).unwrap();
        Fixture { dir }
    }

    /// A copy of this repository's real policy (config, criteria and both languages).
    pub fn real_policy() -> Fixture {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("policy");
        let f = Fixture::with_config(&std::fs::read_to_string(src.join("policy.toml")).unwrap());
        for name in ["criteria.toml", "privacy.zh-CN.md", "privacy.en.md"] {
            std::fs::copy(src.join(name), f.root().join("policy").join(name)).unwrap();
        }
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn repo(&self) -> PolicyRepo {
        PolicyRepo::open(self.root()).unwrap()
    }

    pub fn write_source(&self, name: &str, text: &str) {
        std::fs::write(self.root().join("policy").join(name), text).unwrap();
    }

    pub fn source(&self, name: &str) -> String {
        std::fs::read_to_string(self.root().join("policy").join(name)).unwrap()
    }

    /// Releases the working sources of `doc` as `version` (`""`: the next version by the bump
    /// the diff requires, `1.0.0` first), effective `effective`: copies every language file into
    /// archive/<doc>/<version>/ and writes release.toml with the level of the diff from the
    /// previous release (computed with the repository's criteria). Returns the release folder.
    pub fn release(&self, doc: &str, version: &str, effective: &str, released_at: &str) -> PathBuf {
        self.release_with(doc, version, effective, released_at, |_| {})
    }

    /// [`Fixture::release`], with `edit` applied to the record before it is written (a note,
    /// annotations).
    pub fn release_with(
        &self,
        doc: &str,
        version: &str,
        effective: &str,
        released_at: &str,
        edit: impl FnOnce(&mut redline::archive::ReleaseRecord),
    ) -> PathBuf {
        let repo = self.repo();
        let config = repo.document(Some(doc)).unwrap().clone();
        let criteria = repo.criteria().unwrap();
        let releases = redline::archive::releases(&repo.archive_dir(), doc).unwrap();
        let src_name = config.file_name(&config.source_language);
        let new_bytes = std::fs::read(self.root().join("policy").join(&src_name)).unwrap();
        let (previous, previous_record, level, bump, qualifiers, summary) = match releases.last() {
            None => (
                String::new(),
                String::new(),
                "none".to_string(),
                "none".to_string(),
                vec![],
                vec![],
            ),
            Some(last) => {
                let old_bytes = std::fs::read(last.dir.join(&src_name)).unwrap();
                let old = Document::from_bytes("old", &old_bytes).unwrap();
                let new = Document::from_bytes("new", &new_bytes).unwrap();
                let cmp = compare_documents(
                    doc,
                    Side::file("old"),
                    Side::file("new"),
                    old,
                    new,
                    &criteria,
                );
                let r = &cmp.report;
                let summary: Vec<String> = r
                    .findings
                    .iter()
                    .map(|f| format!("{}: {} ({})", f.section, f.change, f.level))
                    .collect();
                let record = std::fs::read(last.dir.join("release.toml")).unwrap();
                (
                    last.version.to_string(),
                    sha256_hex(&record),
                    r.level.to_string(),
                    r.bump.to_string(),
                    r.qualifiers.iter().map(|q| q.as_str().to_string()).collect(),
                    summary,
                )
            }
        };
        let version = if version.is_empty() {
            match releases.last() {
                None => "1.0.0".to_string(),
                Some(last) => {
                    let b = redline::Level::parse(&level).unwrap_or_default().bump();
                    last.version
                        .bumped(if b == redline::Bump::None { redline::Bump::Patch } else { b })
                        .unwrap()
                        .to_string()
                }
            }
        } else {
            version.to_string()
        };
        let dir = repo.archive_dir().join(doc).join(&version);
        std::fs::create_dir_all(&dir).unwrap();
        let mut sources = toml::Table::new();
        for lang in config.languages() {
            let name = config.file_name(lang);
            let path = self.root().join("policy").join(&name);
            if !path.is_file() {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(dir.join(&name), &bytes).unwrap();
            sources.insert(name, toml::Value::String(sha256_hex(&bytes)));
        }
        let mut record = redline::archive::ReleaseRecord {
            schema: redline::archive::RELEASE_SCHEMA.to_string(),
            document: doc.to_string(),
            version: version.clone(),
            previous,
            effective: effective.to_string(),
            released_at: released_at.to_string(),
            commit: String::new(),
            dirty: false,
            level,
            bump,
            qualifiers,
            summary,
            previous_record,
            sources: sources
                .into_iter()
                .map(|(k, v)| (k, v.as_str().unwrap().to_string()))
                .collect(),
            ..Default::default()
        };
        edit(&mut record);
        std::fs::write(dir.join("release.toml"), toml::to_string(&record).unwrap()).unwrap();
        dir
    }

    /// The real policy released as 1.0.0 (effective 2026-12-01) and, with an advertising-SDK
    /// row added, as 2.0.0 (released 2026-12-16, effective 30 days later, 2027-01-15).
    pub fn two_releases() -> Fixture {
        let f = Fixture::real_policy();
        f.release("privacy", "1.0.0", "2026-12-01", "2026-11-20T02:00:00Z");
        f.add_ad_row();
        f.release("privacy", "2.0.0", "2027-01-15", "2026-12-16T02:00:00Z");
        f
    }

    /// Four releases as a publisher makes them: an advertising SDK in the Chinese text only (the
    /// English translation left behind) as 2.0.0, a wording fix released for the same day as
    /// 2.0.1 (so 2.0.0 is never in force).
    pub fn four_releases() -> Fixture {
        Fixture::four_releases_with(|_| {}, |_| {})
    }

    fn four_releases_with(
        note_200: impl FnOnce(&mut redline::archive::ReleaseRecord),
        note_201: impl FnOnce(&mut redline::archive::ReleaseRecord),
    ) -> Fixture {
        let f = Fixture::real_policy();
        f.release("privacy", "1.0.0", "2026-12-01", "2026-11-20T02:00:00Z");
        f.add_ad_row_to(&["privacy.zh-CN.md"]);
        f.release_with("privacy", "2.0.0", "2027-01-15", "2026-12-16T02:00:00Z", note_200);
        let fixed = f.source("privacy.zh-CN.md").replacen("穿山甲广告SDK", "穿山甲广告 SDK", 1);
        assert_ne!(fixed, f.source("privacy.zh-CN.md"));
        f.write_source("privacy.zh-CN.md", &fixed);
        f.release_with("privacy", "2.0.1", "2027-01-15", "2026-12-16T08:00:00Z", note_201);
        f
    }

    /// The published site as readers meet it on 2027-01-20 (build with `--as-of 2027-01-20`):
    /// [`Fixture::four_releases`] with release notes (2.0.0 in Chinese only, 2.0.1 in both
    /// languages), so 2.0.1 is in force, 1.0.0 was in force from 2026-12-01 to 2027-01-14 and
    /// 2.0.0 never was; then two upcoming changes: 2.1.0 (effective 2027-03-01) drops video
    /// consultations from the microphone row of the Chinese text, 2.2.0 (effective 2027-04-01)
    /// brings the English translation up to date with the advertising SDK. The English text of
    /// 2.0.0 to 2.1.0 is stale.
    pub fn published_site() -> Fixture {
        let note = |zh: &'static str, en: Option<&'static str>| {
            move |r: &mut redline::archive::ReleaseRecord| {
                r.notes.insert("zh-CN".into(), zh.into());
                if let Some(en) = en {
                    r.notes.insert("en".into(), en.into());
                }
            }
        };
        let f = Fixture::four_releases_with(
            note("我们新增了一家广告合作伙伴，用于向您展示个性化广告。", None),
            note(
                "我们新增了一家广告合作伙伴（穿山甲广告 SDK），用于向您展示个性化广告。",
                Some(
                    "We added an advertising partner (the Pangle Ads SDK) to show you personalised ads.",
                ),
            ),
        );
        let zh = f.source("privacy.zh-CN.md").replace(
            "| 麦克风 | 核心业务功能 | 视频、语音问诊 |",
            "| 麦克风 | 核心业务功能 | 语音问诊 |",
        );
        f.write_source("privacy.zh-CN.md", &zh);
        f.release_with(
            "privacy",
            "2.1.0",
            "2027-03-01",
            "2027-01-18T02:00:00Z",
            note(
                "我们不再使用麦克风进行视频问诊。",
                Some("We no longer use the microphone for video consultations."),
            ),
        );
        f.add_ad_row_to(&["privacy.en.md"]);
        f.release_with(
            "privacy",
            "2.2.0",
            "2027-04-01",
            "2027-01-19T02:00:00Z",
            note(
                "英文译文已补充广告合作伙伴。",
                Some("The English translation now lists the advertising partner."),
            ),
        );
        f
    }

    /// Builds [`Fixture::published_site`] as readers meet it on 2027-01-20 at
    /// [`PUBLISHED_BASE`]: the published site into `site/` and a preview of the working text
    /// (every page marked noindex, with a draft) into `preview/`. Panics when a build fails.
    pub fn build_published_and_preview(&self) {
        for extra in [&[][..], &["--preview", "--out", "preview"][..]] {
            assert_cmd::Command::cargo_bin("redline")
                .unwrap()
                .current_dir(self.root())
                .arg("build")
                .args(["--base-url", PUBLISHED_BASE, "--as-of", "2027-01-20"])
                .args(extra)
                .assert()
                .success();
        }
    }

    /// Adds the advertising-SDK row to both languages' working sources.
    pub fn add_ad_row(&self) {
        self.add_ad_row_to(&["privacy.zh-CN.md", "privacy.en.md"]);
    }

    /// Adds the advertising-SDK row to the working sources named (`privacy.zh-CN.md`,
    /// `privacy.en.md`).
    pub fn add_ad_row_to(&self, names: &[&str]) {
        for (name, anchor, row) in [
            ("privacy.zh-CN.md", "| 友盟推送 |", AD_ROW_ZH),
            ("privacy.en.md", "| Umeng Push (友盟推送) |", AD_ROW_EN),
        ] {
            if !names.contains(&name) {
                continue;
            }
            let text = self.source(name);
            let mut out = String::new();
            for line in text.split_inclusive('\n') {
                out.push_str(line);
                if line.starts_with(anchor) {
                    out.push_str(row);
                    out.push('\n');
                }
            }
            assert!(out.len() > text.len(), "anchor row {anchor} not found in {name}");
            self.write_source(name, &out);
        }
    }
}

/// Every file under `dir` as (relative path, bytes), sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}
