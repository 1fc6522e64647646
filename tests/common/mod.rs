//! Throwaway policy repositories for the archive tests: a copy of this repository's `policy/`
//! in a temporary folder, made a git repository with fixed dates, and helpers to run `redline`
//! there. Nothing here touches this repository's own `archive/` or depends on its clone depth.

#![allow(dead_code, unreachable_pub)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// Runs git in `dir` as a fixed test user with author and committer dates `date`; panics with
/// git's stderr when it fails.
pub fn git_in(dir: &Path, args: &[&str], date: &str) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A temporary policy repository under git.
pub struct TestRepo {
    pub dir: tempfile::TempDir,
}

/// The advertising SDK row that makes a release `reconsent` (new recipient).
pub const SDK_ROW: &str = "| 穿山甲广告SDK | 用于向您展示个性化广告 | 设备信息、广告标识符（IDFA/OAID）、位置信息 | 北京巨量引擎网络技术有限公司 | 《穿山甲隐私政策》 |\n";

impl TestRepo {
    /// A copy of `policy/` committed once on 2026-11-01.
    pub fn new() -> TestRepo {
        let repo = TestRepo::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("policy");
        std::fs::create_dir_all(repo.path().join("policy")).unwrap();
        for entry in std::fs::read_dir(src).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), repo.path().join("policy").join(entry.file_name()))
                .unwrap();
        }
        repo.commit_all("Import the policy", "2026-11-01T10:00:00+08:00");
        repo
    }

    /// An empty git repository with a local identity.
    pub fn empty() -> TestRepo {
        let repo = TestRepo { dir: tempfile::tempdir().unwrap() };
        repo.git(&["init", "-q", "-b", "main"], None);
        repo.git(&["config", "user.name", "Release Tester"], None);
        repo.git(&["config", "user.email", "tester@example.com"], None);
        repo.git(&["config", "commit.gpgsign", "false"], None);
        repo
    }

    /// A full `git clone` of `origin`, with a local identity.
    pub fn clone_of(origin: &TestRepo) -> TestRepo {
        let repo = TestRepo { dir: tempfile::tempdir().unwrap() };
        let status = std::process::Command::new("git")
            .args(["clone", "-q"])
            .arg(origin.path())
            .arg(repo.path())
            .status()
            .unwrap();
        assert!(status.success());
        repo.git(&["config", "user.name", "Release Tester"], None);
        repo.git(&["config", "user.email", "tester@example.com"], None);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap()
    }

    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.file(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.file(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    /// Rewrites the Chinese source with `f`.
    pub fn edit_zh(&self, f: impl FnOnce(String) -> String) {
        let text = self.read("policy/privacy.zh-CN.md");
        self.write("policy/privacy.zh-CN.md", f(text));
    }

    /// Runs git with fixed author and committer dates; returns stdout.
    pub fn git(&self, args: &[&str], date: Option<&str>) -> String {
        let mut cmd = std::process::Command::new("git");
        cmd.args(args).current_dir(self.path());
        let date = date.unwrap_or("2026-11-01T10:00:00+08:00");
        cmd.env("GIT_AUTHOR_DATE", date).env("GIT_COMMITTER_DATE", date);
        for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] {
            cmd.env_remove(var);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// `git add -A && git commit` at `date`.
    pub fn commit_all(&self, message: &str, date: &str) {
        self.git(&["add", "-A"], Some(date));
        self.git(&["commit", "-q", "-m", message], Some(date));
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"], None).trim().to_string()
    }

    /// `redline` run in the repository, without colour.
    pub fn redline(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("redline").unwrap();
        cmd.current_dir(self.path()).env("NO_COLOR", "1").args(args);
        cmd
    }

    /// Runs `redline` and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.redline(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "redline {args:?}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `redline` expecting `code`, nothing on stdout when the code is 2, and one line on
    /// stderr; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.redline(args).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "redline {args:?}: stdout {} stderr {stderr}",
            String::from_utf8_lossy(&out.stdout)
        );
        if code == 2 {
            assert!(
                out.stdout.is_empty(),
                "stdout not empty: {}",
                String::from_utf8_lossy(&out.stdout)
            );
            assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr}");
        }
        stderr
    }

    /// Writes `policy/privacy.notes.toml`: the release note for `version` in both languages
    /// (a major or re-consent release needs one; the text names the version, so it never
    /// repeats the previous release's).
    pub fn note(&self, version: &str) {
        self.write(
            "policy/privacy.notes.toml",
            format!(
                "version = \"{version}\"\nzh-CN = \"{version} 版：我们新增了一家广告合作伙伴。\"\nen = \"Version {version}: we added an advertising partner.\"\n"
            ),
        );
    }

    /// Removes `policy/privacy.notes.toml` once its release is out (the next release refuses a
    /// note for another version).
    pub fn drop_note(&self) {
        std::fs::remove_file(self.file("policy/privacy.notes.toml")).unwrap();
    }

    /// Every file under `archive/` with its bytes.
    pub fn archive_snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let root = self.file("archive");
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else { continue };
            for e in entries {
                let p = e.unwrap().path();
                let rel = p.strip_prefix(&root).unwrap().display().to_string();
                if p.is_dir() {
                    out.push((rel + "/", Vec::new()));
                    stack.push(p);
                } else {
                    out.push((rel, std::fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }
}

/// Adds the advertising SDK row after the Umeng row of the SDK table.
pub fn add_sdk_row(text: String) -> String {
    let i = text.find("| 友盟推送 |").expect("Umeng row");
    let j = i + text[i..].find('\n').unwrap() + 1;
    format!("{}{SDK_ROW}{}", &text[..j], &text[j..])
}

/// An editorial change: a field added to the front matter.
pub fn editorial(text: String) -> String {
    text.replacen("lang = \"zh-CN\"\n", "lang = \"zh-CN\"\nupdated = \"2026-12-01\"\n", 1)
}

/// A minor change: a wording change no rule matches (other-wording).
pub fn minor(text: String) -> String {
    let old = "您可通过邮箱与我们联系。";
    assert!(text.contains(old));
    text.replacen(old, "您可通过本页底部所列的邮箱与我们联系。", 1)
}

/// Another minor wording change.
pub fn minor2(text: String) -> String {
    let old = "仔细阅读并透彻理解本声明和政策";
    assert!(text.contains(old));
    text.replacen(old, "仔细阅读并充分理解本声明和政策", 1)
}

/// A change with the `block` qualifier (required-field: data made a condition of the service).
pub fn blocking(text: String) -> String {
    let old = "您的登录名包括但不仅限于您的手机号、邮箱账号、用户名，您可以完善昵称";
    assert!(text.contains(old));
    text.replacen(
        old,
        "您的登录名包括但不仅限于您的手机号、邮箱账号、用户名，您必须提供出生日期，否则无法使用本服务，您可以完善昵称",
        1,
    )
}

/// sha256 hex of bytes, computed here with `sha2` directly (not through the crate's helper).
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A major change: a device permission row added (new-permission).
pub fn major(text: String) -> String {
    let i = text.find("| 麦克风 | 核心业务功能 |").expect("microphone row");
    let j = i + text[i..].find('\n').unwrap() + 1;
    format!(
        "{}| 通讯录 | 邀请好友功能 | 读取通讯录以便邀请好友 | 用户首次使用邀请功能时会询问 | 是 | 无法使用邀请好友功能 |\n{}",
        &text[..j],
        &text[j..]
    )
}
