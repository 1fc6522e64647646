//! Compiles the built-in TOML tables into JSON at build time.
//!
//! The built-in criteria (`src/criteria/builtin.toml`) and the statement lexicon
//! (`src/statements/lexicon.toml`) stay the human-edited sources. Every judging process used to
//! parse both (about 110 KB of TOML, some 2 ms of CPU before any policy text was read); JSON of
//! the same values reads several times faster. This script parses each file once, fails the
//! build with the file, line and column of a syntax error, checks that the JSON reads back to
//! the very same values, and writes `OUT_DIR/<name>.json` for `include_str!`.

use std::path::Path;

/// The TOML sources and the JSON files they become in `OUT_DIR`.
const TABLES: [(&str, &str); 2] = [
    ("src/criteria/builtin.toml", "builtin-criteria.json"),
    ("src/statements/lexicon.toml", "statement-lexicon.json"),
];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    for (source, target) in TABLES {
        println!("cargo::rerun-if-changed={source}");
        let json = compile(source).unwrap_or_else(|message| {
            // A panic's message is what cargo shows when a build script fails.
            panic!("{message}")
        });
        let path = Path::new(&out_dir).join(target);
        // Rewritten only when it changed, so an unchanged table does not recompile the crate.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(json.as_str()) {
            let temp = path.with_extension("json.tmp");
            std::fs::write(&temp, &json)
                .and_then(|()| std::fs::rename(&temp, &path))
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        }
    }
}

/// The JSON form of the TOML file `source` (relative to the package root).
///
/// Errors: the file is unreadable, is not valid TOML (the message names the file, line and
/// column), holds a date-time (JSON has none), or its JSON would not read back to the same
/// values.
fn compile(source: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(source).map_err(|e| format!("{source}: {e}"))?;
    let value: toml::Value = toml::from_str(&text).map_err(|e| {
        // toml's message starts `TOML parse error at line L, column C` and quotes the line.
        format!("{source} is not valid TOML: {e}")
    })?;
    if let Some(path) = first_datetime(&value, String::new()) {
        return Err(format!("{source}: `{path}` is a date-time; these tables hold none"));
    }
    let json = serde_json::to_string(&value).map_err(|e| format!("{source}: {e}"))?;
    let back: toml::Value = serde_json::from_str(&json).map_err(|e| format!("{source}: {e}"))?;
    if back != value {
        return Err(format!("{source}: its JSON form does not read back to the same values"));
    }
    Ok(json)
}

/// The dotted path of the first date-time in `value`, if any.
fn first_datetime(value: &toml::Value, at: String) -> Option<String> {
    match value {
        toml::Value::Datetime(_) => Some(at),
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(k, item)| first_datetime(item, format!("{at}[{k}]"))),
        toml::Value::Table(table) => table.iter().find_map(|(key, item)| {
            first_datetime(item, if at.is_empty() { key.clone() } else { format!("{at}.{key}") })
        }),
        _ => None,
    }
}
