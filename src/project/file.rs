//! Reading `project.toml`: its size, its encoding, the TOML syntax and the schema, each failure
//! a Swedish message that names the line and, where there is one, the key (`partner[2].on_costs`,
//! the form [`Project::validate`](super::Project::validate) uses).
//!
//! The file is bounded before anything is parsed ([`MAX_FILE_BYTES`]), and so is every text
//! value in it ([`MAX_TEXT_CHARS`], [`MAX_NOTE_CHARS`] for free text): a name is copied into
//! every output, and a 50 MB one used to cost 20 s and 2 GB before anything failed.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::LoadError;
use toml::de::{DeTable, DeValue};

/// Largest project file accepted, bytes: the seed project's is 10 kB, and a programme of a
/// hundred partners stays far below.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Longest text value (a name, a folder, a number, a unit), characters.
pub const MAX_TEXT_CHARS: usize = 255;

/// Longest free text (`note`, `specific_objective`), characters.
pub const MAX_NOTE_CHARS: usize = 4000;

/// Keys whose values are free text, with the longer bound.
const FREE_TEXT: [&str; 4] = ["note", "specific_objective", "programme", "what"];

/// Reads the project file as text: at most [`MAX_FILE_BYTES`], UTF-8 (a leading byte-order mark
/// is dropped).
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let io = |source| LoadError::Io { path: path.to_path_buf(), source };
    let parse = |message| LoadError::Parse { path: path.to_path_buf(), message };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(parse(format!(
            "filen är större än {} MB, mer än en projektfil kan vara; kontrollera att det är rätt fil",
            MAX_FILE_BYTES >> 20
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        let column = at - bytes[..at].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
        parse(format!(
            "filen är inte sparad som UTF-8: rad {line}, byte {column} (0x{:02X}) är inget UTF-8-tecken (så skriver \
             Latin-1 och Windows-1252 å, ä och ö). Spara filen som UTF-8 (i Anteckningar: Spara som, Kodning UTF-8) \
             och försök igen",
            bytes[at]
        ))
    })
}

/// Parses project TOML into `T`: syntax, then the bounds on text values, then the schema. The
/// error is the Swedish message, starting with the line and the key.
pub fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, String> {
    let doc = DeTable::parse(text).map_err(|e| describe(text, None, &e))?;
    check_text(text, doc.get_ref(), "")?;
    toml::from_str(text).map_err(|e| describe(text, Some(doc.get_ref()), &e))
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// `partner[2]`-style path of a key under `prefix`.
fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") }
}

/// Every text value within its bound, recursively; the error names the key and line.
fn check_text(text: &str, table: &DeTable<'_>, prefix: &str) -> Result<(), String> {
    for (key, value) in table {
        let path = join(prefix, key.get_ref());
        check_value(text, key.get_ref(), value, &path)?;
    }
    Ok(())
}

fn check_value(text: &str, key: &str, value: &Spanned<DeValue<'_>>, path: &str) -> Result<(), String> {
    match value.get_ref() {
        DeValue::String(s) => {
            let max = if FREE_TEXT.contains(&key) { MAX_NOTE_CHARS } else { MAX_TEXT_CHARS };
            // Counting stops past the bound: a 50 MB value is not walked to its end.
            if s.chars().nth(max).is_some() {
                return Err(format!(
                    "rad {}, {path}: texten är längre än {max} tecken (den är {} tecken); korta den",
                    line_of(text, value.span().start),
                    s.chars().count()
                ));
            }
        }
        DeValue::Table(t) => check_text(text, t, path)?,
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_value(text, key, item, &format!("{path}[{}]", i + 1))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The deepest key whose key or value span holds `offset`, as a path (`partner[2].on_costs`).
fn key_at(table: &DeTable<'_>, offset: usize, prefix: &str) -> Option<String> {
    for (key, value) in table {
        let path = join(prefix, key.get_ref());
        if contains(&key.span(), offset) {
            return Some(path);
        }
        if let Some(found) = key_in_value(value, offset, &path) {
            return Some(found);
        }
    }
    None
}

fn key_in_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &str) -> Option<String> {
    match value.get_ref() {
        DeValue::Table(t) => {
            key_at(t, offset, path).or_else(|| contains(&value.span(), offset).then(|| path.to_string()))
        }
        DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let path = format!("{path}[{}]", i + 1);
            key_in_value(item, offset, &path).or_else(|| contains(&item.span(), offset).then_some(path))
        }),
        _ => contains(&value.span(), offset).then(|| path.to_string()),
    }
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && (offset < span.end || span.is_empty() && offset == span.start)
}

/// A TOML or schema error as a Swedish message: `rad 24, project.support_rate: …`.
fn describe(text: &str, doc: Option<&DeTable<'_>>, e: &toml::de::Error) -> String {
    let span = e.span();
    let key = match (doc, &span) {
        (Some(doc), Some(span)) => key_at(doc, span.start, ""),
        _ => None,
    };
    let (message, field) = swedish(e.message().trim());
    let key = match (key, field) {
        (Some(key), Some(field)) if e.message().starts_with("missing field") => Some(join(&key, &field)),
        (None, Some(field)) if e.message().starts_with("missing field") => Some(field),
        (key, _) => key,
    };
    let place = match (span.map(|s| line_of(text, s.start)), key) {
        (Some(line), Some(key)) => format!("rad {line}, {key}: "),
        (Some(line), None) => format!("rad {line}: "),
        (None, Some(key)) => format!("{key}: "),
        (None, None) => String::new(),
    };
    format!("{place}{message}")
}

/// The text between the first pair of backticks after `after`.
fn quoted<'a>(message: &'a str, after: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(after)?;
    let rest = rest.strip_prefix('`')?;
    rest.split_once('`').map(|(q, _)| q)
}

/// The list of `expected one of `a`, `b`` as `a, b`.
fn one_of(message: &str) -> String {
    message
        .split_once("expected one of ")
        .map(|(_, list)| list.split(", ").map(|s| s.trim_matches('`')).collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

/// A serde or TOML message in Swedish, and the field a `missing field` names. Messages redovisa
/// wrote itself (a number, a date, an organisationsnummer) are Swedish already and kept.
fn swedish(message: &str) -> (String, Option<String>) {
    if let Some(field) = quoted(message, "missing field ") {
        return ("nyckeln saknas; den måste finnas här".to_string(), Some(field.to_string()));
    }
    if let Some(field) = quoted(message, "unknown field ") {
        let allowed = one_of(message);
        let allowed = if allowed.is_empty() { String::new() } else { format!(" (tillåtna nycklar här: {allowed})") };
        return (format!("okänd nyckel «{field}»; kontrollera stavningen{allowed}"), None);
    }
    if let Some(variant) = quoted(message, "unknown variant ") {
        return (format!("okänt värde «{variant}»; tillåtna värden: {}", one_of(message)), None);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (format!("fel sorts värde: {} där {} väntades", kind(found), kind(expected)), None);
    }
    if message.starts_with("data did not match any variant") {
        return ("värdet är varken ett tal eller en text som kan läsas som ett tal".to_string(), None);
    }
    if let Some(key) = quoted(message, "duplicate key ") {
        return (format!("nyckeln «{key}» står två gånger"), None);
    }
    let syntax: &[(&str, &str)] = &[
        ("duplicate key", "en nyckel står två gånger"),
        ("invalid table header", "tabellrubriken är felskriven"),
        ("unclosed table", "tabellrubriken saknar ]"),
        ("unclosed array table", "tabellrubriken saknar ]]"),
        ("unclosed array", "listan saknar ]"),
        ("unclosed inline table", "tabellen saknar }"),
        ("invalid basic string", "texten saknar avslutande \""),
        ("invalid literal string", "texten saknar avslutande '"),
        ("missing assignment between key-value pairs", "= saknas mellan nyckel och värde"),
        ("key with no value", "nyckeln saknar värde efter ="),
        ("missing value", "värde saknas"),
        ("missing comma", "kommatecken saknas"),
        ("extra comma", "ett kommatecken för mycket"),
        ("invalid key", "nyckeln är felskriven (bokstäver, siffror, _ och - utan citattecken)"),
        ("unexpected content", "oväntad text på raden"),
        ("invalid string", "texten är felskriven (saknas ett citattecken?)"),
        ("invalid integer", "talet är felskrivet"),
        ("invalid float", "talet är felskrivet"),
        ("invalid datetime", "datumet är felskrivet (ÅÅÅÅ-MM-DD)"),
        ("invalid number", "talet är felskrivet"),
    ];
    if let Some((_, sv)) = syntax.iter().find(|(en, _)| message.starts_with(en)) {
        return (format!("TOML-fel: {sv}"), None);
    }
    if message.is_ascii() && message.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
        // An English message from the TOML reader that no rule above knows: say it is TOML
        // syntax in Swedish, and keep the original for whoever helps.
        return (format!("TOML-fel på raden (på engelska: {message})"), None);
    }
    (message.to_string(), None)
}

/// What serde says it found or expected, in Swedish.
fn kind(what: &str) -> &'static str {
    let w = what.trim();
    if w.starts_with("string") || w == "a string" {
        "en text"
    } else if w.starts_with("integer") || w.starts_with("u32") || w.starts_with("u64") || w.starts_with("i64") {
        "ett heltal"
    } else if w.starts_with("floating point") || w.starts_with("f64") {
        "ett decimaltal"
    } else if w.starts_with("boolean") || w == "a boolean" {
        "sant eller falskt"
    } else if w.starts_with("sequence") || w.starts_with("a sequence") {
        "en lista"
    } else if w.starts_with("map") || w.starts_with("struct") || w.starts_with("a map") {
        "en tabell"
    } else if w.contains("datetime") || w.contains("date") {
        "ett datum"
    } else if w.contains("enum") {
        "ett av de tillåtna värdena"
    } else {
        "ett annat slags värde"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        project: Info,
        #[serde(default)]
        partner: Vec<Partner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Info {
        name: String,
        hours: u32,
        approved: i64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Partner {
        folder: String,
    }

    fn err(text: &str) -> String {
        parse::<Doc>(text).unwrap_err()
    }

    #[test]
    fn schema_errors_name_line_and_key_in_swedish() {
        let ok = "[project]\nname = \"x\"\nhours = 1720\napproved = 5\n";
        assert!(parse::<Doc>(ok).is_ok());
        let e = err("[project]\nname = \"x\"\nhours = 1720\n");
        assert!(e.contains("rad 1") && e.contains("project.approved") && e.contains("saknas"), "{e}");
        let e = err("[project]\nname = \"x\"\nhours = \"många\"\napproved = 5\n");
        assert_eq!(e, "rad 3, project.hours: fel sorts värde: en text där ett heltal väntades");
        let e = err("[project]\nname = \"x\"\nhour = 1\nhours = 1720\napproved = 5\n");
        assert!(e.starts_with("rad 3, project.hour: okänd nyckel «hour»"), "{e}");
        let e = err(
            "[project]\nname = \"x\"\nhours = 1\napproved = 5\n[[partner]]\nfolder = \"a\"\n[[partner]]\nfoldr = \"b\"\n",
        );
        assert!(e.starts_with("rad 8, partner[2].foldr: okänd nyckel"), "{e}");
    }

    #[test]
    fn syntax_errors_are_swedish() {
        let e = err("[project\nname = \"x\"\n");
        assert!(e.starts_with("rad 1: TOML-fel"), "{e}");
        let e = err("[project]\nname = \"x\nhours = 1\n");
        assert!(e.starts_with("rad 2: TOML-fel"), "{e}");
    }

    #[test]
    fn long_text_is_an_error_before_the_schema() {
        let long = "å".repeat(MAX_TEXT_CHARS + 1);
        let e = err(&format!("[project]\nname = \"{long}\"\n"));
        assert_eq!(e, "rad 2, project.name: texten är längre än 255 tecken (den är 256 tecken); korta den");
        // Free text has the longer bound.
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Noted {
            note: String,
        }
        let note = |n: usize| format!("note = \"{}\"\n", "a".repeat(n));
        assert!(parse::<Noted>(&note(MAX_NOTE_CHARS)).is_ok());
        let e = parse::<Noted>(&note(MAX_NOTE_CHARS + 1)).unwrap_err();
        assert!(e.starts_with("rad 1, note: texten är längre än 4000 tecken"), "{e}");
    }

    #[test]
    fn latin1_names_line_and_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("project.toml");
        std::fs::write(&path, b"[project]\nname = \"Tr\xe4dg\xe5rd\"\n").unwrap();
        let e = read_text(&path).unwrap_err().to_string();
        assert!(e.contains("rad 2, byte 11 (0xE4)") && e.contains("Spara filen som UTF-8"), "{e}");
    }
}
