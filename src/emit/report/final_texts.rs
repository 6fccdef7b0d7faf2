//! The final report's texts only a person can write: the summary, the project's goals, effects,
//! spreading and implementation, lessons, what happens after the project, and the horizontal
//! principles in the past tense.
//!
//! The headings and a short guide for each are built in (`templates/slutrapport.toml`); the
//! project writes the texts in `<project>/mallar/slutrapport.toml`, laid over the built-in file
//! by the same rule as the other texts ([`crate::overrides`]: a misspelt key is an error naming
//! the file). A text left empty is shown in the report as an "Att skriva" box with its guide, and
//! `final` warns (`FINAL_TEXT_MISSING`, [`FinalTexts::missing_findings`]). [`template`] is the
//! file `redovisa final --texts` writes: every heading with its guide and an empty text.

use std::path::Path;

use serde::Deserialize;

use crate::emit::EmitError;
use crate::finding::{Finding, Message, Place};
use crate::overrides;

/// The built-in headings and guides, every text empty.
const BUILT_IN: &str = include_str!("../../../templates/slutrapport.toml");

/// The built-in file's name, as errors in it name it.
const BUILT_IN_NAME: &str = "templates/slutrapport.toml";

/// Where a project keeps its final report's texts, relative to the project folder.
pub const FILE: &str = "mallar/slutrapport.toml";

/// The texts, in the order of the report.
pub const KEYS: &[&str] = &[
    "sammanfattning",
    "mal",
    "effekter",
    "spridning",
    "lardomar",
    "efter_projektet",
    "jamstalldhet",
    "tillganglighet",
    "hallbar_utveckling",
];

/// One text: its heading in the report, what to write, and what the project wrote.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalText {
    pub rubrik: String,
    pub vagledning: String,
    pub text: String,
}

impl FinalText {
    /// The text, when the project has written one.
    pub fn written(&self) -> Option<&str> {
        Some(self.text.trim()).filter(|t| !t.is_empty())
    }
}

/// Every text of the final report only a person can write.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalTexts {
    pub sammanfattning: FinalText,
    pub mal: FinalText,
    pub effekter: FinalText,
    pub spridning: FinalText,
    pub lardomar: FinalText,
    pub efter_projektet: FinalText,
    pub jamstalldhet: FinalText,
    pub tillganglighet: FinalText,
    pub hallbar_utveckling: FinalText,
}

impl FinalTexts {
    /// The built-in headings and guides with `<project_dir>/mallar/slutrapport.toml` laid over
    /// them when it exists.
    pub fn load(project_dir: &Path) -> Result<FinalTexts, EmitError> {
        let layered = overrides::load(project_dir, FILE, BUILT_IN, BUILT_IN_NAME, &[]).map_err(template_error)?;
        from_value(layered.value, &layered.source)
    }

    /// The built-in headings and guides, every text empty.
    pub fn built_in() -> Result<FinalTexts, EmitError> {
        let layered = overrides::built_in_only(BUILT_IN, BUILT_IN_NAME).map_err(template_error)?;
        from_value(layered.value, &layered.source)
    }

    /// The built-in file with `text` (read from `path`) laid over it.
    pub fn with_override(text: &str, path: &Path) -> Result<FinalTexts, EmitError> {
        let layered = overrides::layer(BUILT_IN, BUILT_IN_NAME, text, path, &[]).map_err(template_error)?;
        from_value(layered.value, &layered.source)
    }

    /// The texts with their keys, in the order of [`KEYS`].
    pub fn all(&self) -> [(&'static str, &FinalText); 9] {
        [
            ("sammanfattning", &self.sammanfattning),
            ("mal", &self.mal),
            ("effekter", &self.effekter),
            ("spridning", &self.spridning),
            ("lardomar", &self.lardomar),
            ("efter_projektet", &self.efter_projektet),
            ("jamstalldhet", &self.jamstalldhet),
            ("tillganglighet", &self.tillganglighet),
            ("hallbar_utveckling", &self.hallbar_utveckling),
        ]
    }

    /// `FINAL_TEXT_MISSING` for every text the project has not written.
    pub fn missing_findings(&self) -> Vec<Finding> {
        self.all()
            .into_iter()
            .filter(|(_, t)| t.written().is_none())
            .map(|(key, t)| {
                Finding::of(
                    Place { file: Some(FILE.to_string()), ..Place::default() },
                    Message::FinalTextMissing { key: key.to_string(), heading: t.rubrik.clone() },
                )
            })
            .collect()
    }
}

fn from_value(value: toml::Value, path: &Path) -> Result<FinalTexts, EmitError> {
    value.try_into().map_err(|e: toml::de::Error| EmitError::Template(path.to_path_buf(), e.to_string()))
}

fn template_error(e: overrides::OverrideError) -> EmitError {
    EmitError::Template(e.path, e.message)
}

/// The file `redovisa final --texts` writes: a short guide, then every text under its key with
/// its heading and guide as comments and an empty text to fill in.
pub fn template(texts: &FinalTexts) -> String {
    let mut out = String::from(
        "# Slutrapportens egna texter. Skriv varje text mellan \"\"\" och \"\"\" under sin rubrik och kör\n\
         # `redovisa final` igen. En tom rad börjar ett nytt stycke. Skriv i dåtid, och inga\n\
         # personuppgifter (namn på enskilda, personnummer). En text som står tom visas i rapporten som\n\
         # en ruta «Att skriva» och ger varningen FINAL_TEXT_MISSING.\n",
    );
    for (key, t) in texts.all() {
        out.push_str(&format!("\n[{key}]\n# {}\n", t.rubrik));
        for line in wrap(&t.vagledning, 96) {
            out.push_str(&format!("# {line}\n"));
        }
        match t.written() {
            // TOML's own quoting keeps every character of what was written.
            Some(text) => out.push_str(&format!("text = {}\n", toml::Value::String(text.to_string()))),
            None => out.push_str("text = \"\"\"\n\"\"\"\n"),
        }
    }
    out
}

/// Words of `text` in lines of at most `width` characters (a longer word stands alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_file_has_every_text_empty_in_the_reports_order() {
        let t = FinalTexts::built_in().unwrap();
        let keys: Vec<&str> = t.all().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, KEYS);
        let value: toml::Value = toml::from_str(BUILT_IN).unwrap();
        assert_eq!(value.as_table().unwrap().len(), KEYS.len(), "no table the code does not know");
        for (_, text) in t.all() {
            assert!(text.written().is_none() && !text.rubrik.is_empty() && !text.vagledning.is_empty());
        }
        assert_eq!(t.missing_findings().len(), KEYS.len());
    }

    #[test]
    fn the_written_template_reads_back_and_keeps_what_was_written() {
        let empty = FinalTexts::built_in().unwrap();
        let file = template(&empty);
        let back = FinalTexts::with_override(&file, Path::new("p/mallar/slutrapport.toml")).unwrap();
        assert_eq!(back.missing_findings().len(), KEYS.len(), "an empty template fills nothing in");
        assert!(file.contains("[effekter]\n# Effekter\n# Beskriv vilka effekter"));
        let written = FinalTexts::with_override(
            "[effekter]\ntext = \"\"\"\nFler företag \"\"\\\" samverkar.\n\nAndra stycket.\"\"\"\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(written.effekter.written(), Some("Fler företag \"\"\" samverkar.\n\nAndra stycket."));
        let again = FinalTexts::with_override(&template(&written), Path::new("x.toml")).unwrap();
        assert_eq!(again.effekter.written(), written.effekter.written());
        assert_eq!(again.missing_findings().len(), KEYS.len() - 1);
    }

    #[test]
    fn a_misspelt_key_is_an_error_naming_the_file() {
        match FinalTexts::with_override("[efekter]\ntext = \"x\"\n", Path::new("p/mallar/slutrapport.toml")) {
            Err(EmitError::Template(path, message)) => {
                assert_eq!(path, Path::new("p/mallar/slutrapport.toml"));
                assert!(message.contains("efekter"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
