//! A project's own wording laid over built-in TOML texts: `mallar/rapport.toml` over the
//! reports' texts (`templates/rapport.toml`) and `mallar/partnermall.toml` over the partner
//! template's (`templates/partnermall.toml`). One rule for both: tables merge key by key, a value
//! replaces the built-in one of the same key and kind, and a key the built-in texts lack is an
//! error naming it — a misspelt key is never silently ignored — except in the tables a caller
//! declares open (finding codes, sheet names), whose keys that caller checks itself.

use std::path::{Path, PathBuf};

/// The built-in texts, with the project's override file laid over them when it exists.
pub struct Layered {
    pub value: toml::Value,
    /// The override file when there is one, else the built-in file's name: what errors name.
    pub source: PathBuf,
}

/// Why the texts could not be put together: the file to fix and what is wrong.
#[derive(Debug)]
pub struct OverrideError {
    pub path: PathBuf,
    pub message: String,
}

/// Loads `built_in` (named `built_in_name` in errors) and lays `<project_dir>/<rel>` over it.
/// `open` lists the dotted paths of tables that may gain keys; `*` stands for any one key
/// (`columns.*`).
pub fn load(
    project_dir: &Path,
    rel: &str,
    built_in: &str,
    built_in_name: &str,
    open: &[&str],
) -> Result<Layered, OverrideError> {
    let path = project_dir.join(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => layer(built_in, built_in_name, &text, &path, open),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => built_in_only(built_in, built_in_name),
        Err(e) => Err(OverrideError { path, message: e.to_string() }),
    }
}

/// The built-in texts alone.
pub fn built_in_only(built_in: &str, built_in_name: &str) -> Result<Layered, OverrideError> {
    let value =
        toml::from_str(built_in).map_err(|e| OverrideError { path: built_in_name.into(), message: e.to_string() })?;
    Ok(Layered { value, source: built_in_name.into() })
}

/// The built-in texts with `text` (read from `path`) laid over them.
pub fn layer(
    built_in: &str,
    built_in_name: &str,
    text: &str,
    path: &Path,
    open: &[&str],
) -> Result<Layered, OverrideError> {
    let mut base = built_in_only(built_in, built_in_name)?.value;
    let err = |message: String| OverrideError { path: path.to_path_buf(), message };
    let over: toml::Value = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    merge(&mut base, over, "", open).map_err(err)?;
    Ok(Layered { value: base, source: path.to_path_buf() })
}

/// Whether the table at `at` may gain keys.
fn is_open(at: &str, open: &[&str]) -> bool {
    open.iter().any(|o| match o.strip_suffix(".*") {
        Some(parent) => at.strip_prefix(parent).and_then(|r| r.strip_prefix('.')).is_some_and(|r| !r.contains('.')),
        None => *o == at,
    })
}

fn merge(base: &mut toml::Value, over: toml::Value, at: &str, open: &[&str]) -> Result<(), String> {
    match (base, over) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (key, value) in o {
                let here = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                match b.get_mut(&key) {
                    Some(existing) => merge(existing, value, &here, open)?,
                    None if is_open(at, open) => {
                        b.insert(key, value);
                    }
                    None => return Err(format!("okänd nyckel {here}")),
                }
            }
            Ok(())
        }
        (b, v) if std::mem::discriminant(b) == std::mem::discriminant(&v) => {
            *b = v;
            Ok(())
        }
        (b, _) => Err(format!("{at} ska vara {}", kind(b))),
    }
}

/// The Swedish name of a TOML value's kind, for messages.
fn kind(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "en text",
        toml::Value::Integer(_) => "ett heltal",
        toml::Value::Float(_) => "ett tal",
        toml::Value::Boolean(_) => "sant eller falskt",
        toml::Value::Datetime(_) => "ett datum",
        toml::Value::Array(_) => "en lista",
        toml::Value::Table(_) => "en tabell",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[a]\nx = \"ett\"\nn = 3\n[open]\nk = \"v\"\n[cols.S]\nc = \"d\"\n";

    fn over(text: &str) -> Result<toml::Value, String> {
        layer(BASE, "base.toml", text, Path::new("p/mallar/x.toml"), &["open", "cols", "cols.*"])
            .map(|l| l.value)
            .map_err(|e| {
                assert_eq!(e.path, Path::new("p/mallar/x.toml"));
                e.message
            })
    }

    #[test]
    fn replaces_known_keys_and_opens_only_declared_tables() {
        let v = over("[a]\nx = \"två\"\n[open]\nny = \"w\"\n[cols.T]\nc = \"e\"\n").unwrap();
        assert_eq!(v["a"]["x"].as_str(), Some("två"));
        assert_eq!(v["a"]["n"].as_integer(), Some(3));
        assert_eq!(v["open"]["ny"].as_str(), Some("w"));
        assert_eq!(v["cols"]["T"]["c"].as_str(), Some("e"));
        assert_eq!(over("[a]\nxx = \"t\"\n").unwrap_err(), "okänd nyckel a.xx");
        assert_eq!(over("[a.deep]\nq = \"t\"\n").unwrap_err(), "okänd nyckel a.deep");
        assert_eq!(over("[a]\nn = \"tre\"\n").unwrap_err(), "a.n ska vara ett heltal");
        assert!(over("[a\n").is_err());
    }
}
