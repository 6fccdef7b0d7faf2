//! The attachments' fixed texts: `templates/bilagor.toml`, compiled in, with the project's
//! `mallar/bilagor.toml` laid over it key by key ([`crate::overrides`]), as the reports do. An
//! unknown key or `{placeholder}` is an error naming the file.

use std::path::Path;

use serde::Deserialize;

use crate::emit::EmitError;
use crate::emit::report::texts::placeholders_in;
use crate::overrides;

const BUILT_IN: &str = include_str!("../../../templates/bilagor.toml");
const BUILT_IN_NAME: &str = "templates/bilagor.toml";

/// Where a project keeps its own wording of the attachments, relative to the project folder.
pub const OVERRIDE: &str = "mallar/bilagor.toml";

/// Placeholders every text may use.
const COMMON: &[&str] =
    &["projekt", "projektnummer", "ansokan", "period", "arbetsgivare", "organisationsnummer", "namn", "roll"];

/// Placeholders only the certificate knows.
const CERTIFICATE: &[&str] =
    &["personnummer", "andel", "tidigare_andel", "fran", "till", "sysselsattningsgrad", "manad"];

/// `[time_report]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeReportTexts {
    pub title: String,
    pub intro: String,
    pub whole_month: String,
    pub absence: String,
    pub statement: String,
    pub place_and_date: String,
    pub signature: String,
    pub name_clarification: String,
}

/// `[certificate]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateTexts {
    pub title: String,
    pub intro: String,
    pub body: String,
    pub until: String,
    pub changed: String,
    pub facts_heading: String,
    pub project: String,
    pub employer: String,
    pub org_nr: String,
    pub person: String,
    pub personnummer: String,
    pub role: String,
    pub share: String,
    pub from: String,
    pub to: String,
    pub employment: String,
    pub signatures_heading: String,
    pub employer_signature: String,
    pub employee_signature: String,
    pub place_and_date: String,
    pub signature: String,
    pub name_clarification: String,
    pub footer: String,
}

/// Every fixed text of the attachments.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub time_report: TimeReportTexts,
    pub certificate: CertificateTexts,
}

impl Texts {
    /// The built-in texts with `<project_dir>/mallar/bilagor.toml` laid over them when it exists.
    pub fn load(project_dir: &Path) -> Result<Texts, EmitError> {
        let layered = overrides::load(project_dir, OVERRIDE, BUILT_IN, BUILT_IN_NAME, &[]).map_err(template_error)?;
        Texts::from_value(layered.value, &layered.source)
    }

    /// The built-in texts with `text` (read from `path`) laid over them.
    pub fn with_override(text: &str, path: &Path) -> Result<Texts, EmitError> {
        let layered = overrides::layer(BUILT_IN, BUILT_IN_NAME, text, path, &[]).map_err(template_error)?;
        Texts::from_value(layered.value, &layered.source)
    }

    fn from_value(value: toml::Value, path: &Path) -> Result<Texts, EmitError> {
        let err = |m: String| EmitError::Template(path.to_path_buf(), m);
        for (section, extra) in [("time_report", &[][..]), ("certificate", CERTIFICATE)] {
            let Some(toml::Value::Table(table)) = value.get(section) else { continue };
            for (key, text) in table {
                let Some(text) = text.as_str() else { continue };
                if let Some(name) =
                    placeholders_in(text).into_iter().find(|n| !COMMON.contains(n) && !extra.contains(n))
                {
                    return Err(err(format!("{section}.{key}: okänd platshållare {{{name}}}")));
                }
            }
        }
        value.try_into().map_err(|e: toml::de::Error| err(e.to_string()))
    }
}

fn template_error(e: overrides::OverrideError) -> EmitError {
    EmitError::Template(e.path, e.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_texts_load_and_a_project_rewords_one_key() {
        let own =
            Texts::with_override("[certificate]\ntitle = \"Intyg om fast andel\"\n", Path::new("x.toml")).unwrap();
        assert_eq!(own.certificate.title, "Intyg om fast andel");
        assert_eq!(own.time_report.title, "Tidredovisning dag för dag");
    }

    #[test]
    fn a_misspelt_key_or_placeholder_names_the_file() {
        for bad in [
            "[certificate]\ntitel = \"x\"",
            "[certificate]\nbody = \"{okand}\"",
            "[time_report]\nstatement = \"{andel}\"",
            "[certificate]\ntitle = 3",
        ] {
            match Texts::with_override(bad, Path::new("p/mallar/bilagor.toml")) {
                Err(EmitError::Template(path, _)) => assert_eq!(path, Path::new("p/mallar/bilagor.toml"), "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
