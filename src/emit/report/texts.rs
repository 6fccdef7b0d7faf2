//! The reports' fixed texts: headings, introductions and sentences that are not data.
//!
//! The built-in texts are `templates/rapport.toml`, compiled into the binary. A project may
//! override any of them in `<project>/mallar/rapport.toml`: the override is merged key by key over
//! the built-in texts, so it only needs the keys it changes. Unknown keys, unknown `{placeholder}`s
//! and unknown finding codes are errors naming the file, so a misspelt override is never silently
//! ignored. [`fill`] replaces the placeholders with the run's figures.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::emit::EmitError;
use crate::finding::Code;
use crate::overrides;

/// The built-in texts.
const BUILT_IN: &str = include_str!("../../../templates/rapport.toml");

/// Where a project keeps its own texts, relative to the project folder.
pub const OVERRIDE: &str = "mallar/rapport.toml";

/// Every placeholder a text may use (see the head of `templates/rapport.toml`).
pub const PLACEHOLDERS: &[&str] = &[
    "projekt",
    "projektnummer",
    "projektagare",
    "program",
    "specifikt_mal",
    "projektstart",
    "projektslut",
    "period",
    "fran",
    "till",
    "datum",
    "antal_parter",
    "antal_medfinansiarer",
    "stodgrundande_perioden",
    "stodgrundande_ackumulerat",
    "annat_an_pengar_perioden",
    "annat_an_pengar_ackumulerat",
    "budget_total",
    "budget_forbrukad",
    "stodandel",
    "stod_perioden",
    "stod_tidigare",
    "stod_totalt",
    "stod_beviljat",
    "stod_kvar",
    "kvinnor",
    "man",
    "ej_angivet",
];

/// `[document]`: titles and page furniture.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentTexts {
    pub progress: String,
    pub r#final: String,
    pub contents: String,
    pub figure: String,
    pub footer: String,
    pub page: String,
    pub page_of: String,
    pub no_personal_data: String,
}

/// `[overview]`: section 1.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverviewTexts {
    pub heading: String,
    pub intro: String,
    pub facts_heading: String,
    pub parties_heading: String,
    pub parties_intro: String,
    /// The change decisions (progress report; the final report has its own section).
    pub changes_heading: String,
    pub changes_intro: String,
}

/// `[organisation]`: section 2.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationTexts {
    pub heading: String,
    pub text: String,
    pub reporting_heading: String,
    pub reporting_intro: String,
}

/// `[activities]`: section 3.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityTexts {
    pub heading: String,
    pub intro: String,
    pub work_package: String,
    pub activity: String,
    pub none: String,
    pub other_heading: String,
}

/// `[results]`: section 4.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultTexts {
    pub heading: String,
    pub indicators_heading: String,
    pub indicators_intro: String,
    pub chart_caption: String,
    pub zero_target: String,
    pub gender_heading: String,
    pub gender_intro: String,
    pub reported_heading: String,
    pub reported_intro: String,
    pub none: String,
}

/// `[economy]`: section 5.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EconomyTexts {
    pub heading: String,
    pub intro: String,
    pub categories_heading: String,
    pub partners_heading: String,
    pub partners_intro: String,
    pub cofinanciers_heading: String,
    pub cofinanciers_intro: String,
    pub work_packages_heading: String,
    pub work_packages_intro: String,
    pub support_heading: String,
    pub support_intro: String,
    pub capped: String,
    pub financing_intro: String,
    pub final_financing_intro: String,
    pub remainder_intro: String,
    pub cofinancing_intro: String,
    pub final_cofinancing_intro: String,
    pub charts_heading: String,
    pub chart_cumulative: String,
    pub chart_orgs: String,
    pub chart_work_packages: String,
}

/// `[deviations]`: section 6, with a Swedish explanation per finding code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviationTexts {
    pub heading: String,
    pub reported_heading: String,
    pub reported_intro: String,
    pub none: String,
    pub findings_heading: String,
    pub findings_intro: String,
    pub no_findings: String,
    pub codes: BTreeMap<String, String>,
}

impl DeviationTexts {
    /// The Swedish explanation of a finding code: the project's own wording when `mallar/` gives
    /// one, else the catalogue's title.
    pub fn code(&self, code: Code) -> String {
        self.codes.get(code.as_str()).cloned().unwrap_or_else(|| code.title().to_string())
    }
}

/// `[horizontal]`: section 7.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HorizontalTexts {
    pub heading: String,
    pub intro: String,
    pub gender_equality_heading: String,
    pub gender_equality: String,
    pub participants: String,
    pub no_participants: String,
    pub diversity_heading: String,
    pub diversity: String,
    pub environment_heading: String,
    pub environment: String,
}

/// `[slutrapport]`: the final report's own headings and fixed sentences.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalReportTexts {
    pub preliminary: String,
    pub preliminary_header: String,
    pub preliminary_label: String,
    pub preliminary_note: String,
    /// The Ändringsbeslut section when there were none.
    pub no_changes: String,
    pub span: String,
    pub to_write: String,
    pub summary_heading: String,
    pub key_figures_heading: String,
    pub basis_heading: String,
    pub basis_intro: String,
    pub basis_complete: String,
    pub basis_unfinished: String,
    pub basis_missing: String,
    pub goals_heading: String,
    pub indicators_heading: String,
    pub indicators_intro: String,
    pub chart_caption: String,
    pub gender_heading: String,
    pub implementation_heading: String,
    pub implementation_intro: String,
    pub work_package: String,
    pub planned: String,
    pub done: String,
    pub results: String,
    pub deviations: String,
    pub deviations_intro: String,
    pub no_deviations: String,
    pub no_narratives: String,
    pub left_out: String,
    pub other_heading: String,
    pub horizontal_heading: String,
    pub economy_heading: String,
    pub economy_intro: String,
    pub claims_heading: String,
    pub claims_intro: String,
    pub not_submitted: String,
    pub categories_heading: String,
    pub orgs_heading: String,
    pub orgs_intro: String,
    pub work_packages_heading: String,
    pub financing_heading: String,
    pub charts_heading: String,
    pub chart_cumulative: String,
    pub chart_orgs: String,
    pub chart_work_packages: String,
    pub findings_heading: String,
}

/// Every fixed text of the reports, built in or adjusted by the project.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub document: DocumentTexts,
    pub overview: OverviewTexts,
    pub organisation: OrganisationTexts,
    pub activities: ActivityTexts,
    pub results: ResultTexts,
    pub economy: EconomyTexts,
    pub deviations: DeviationTexts,
    pub horizontal: HorizontalTexts,
    pub slutrapport: FinalReportTexts,
}

impl Texts {
    /// The built-in texts merged with `<project_dir>/mallar/rapport.toml` when it exists.
    pub fn load(project_dir: &Path) -> Result<Texts, EmitError> {
        let layered = overrides::load(project_dir, OVERRIDE, BUILT_IN, BUILT_IN_NAME, OPEN).map_err(template_error)?;
        Texts::from_value(layered.value, &layered.source)
    }

    /// The built-in texts only.
    pub fn built_in() -> Result<Texts, EmitError> {
        let layered = overrides::built_in_only(BUILT_IN, BUILT_IN_NAME).map_err(template_error)?;
        Texts::from_value(layered.value, &layered.source)
    }

    /// The built-in texts with `text` (read from `path`) merged over them.
    pub fn with_override(text: &str, path: &Path) -> Result<Texts, EmitError> {
        let layered = overrides::layer(BUILT_IN, BUILT_IN_NAME, text, path, OPEN).map_err(template_error)?;
        Texts::from_value(layered.value, &layered.source)
    }

    fn from_value(value: toml::Value, path: &Path) -> Result<Texts, EmitError> {
        let err = |m: String| EmitError::Template(path.to_path_buf(), m);
        check_placeholders(&value, "").map_err(err)?;
        let texts: Texts = value.try_into().map_err(|e: toml::de::Error| err(e.to_string()))?;
        for key in texts.deviations.codes.keys() {
            if !Code::ALL.iter().any(|c| c.as_str() == key) {
                return Err(err(format!("[deviations.codes] {key} är ingen kontrollkod")));
            }
        }
        Ok(texts)
    }
}

/// The built-in file's name, as errors in it name it.
const BUILT_IN_NAME: &str = "templates/rapport.toml";

/// The only table a project's file may add keys to: explanations of finding codes, whose keys
/// [`Texts::from_value`] checks against the catalogue.
const OPEN: &[&str] = &["deviations.codes"];

fn template_error(e: overrides::OverrideError) -> EmitError {
    EmitError::Template(e.path, e.message)
}

/// Every `{name}` in every text must be a known placeholder.
fn check_placeholders(value: &toml::Value, at: &str) -> Result<(), String> {
    match value {
        toml::Value::Table(t) => t.iter().try_for_each(|(k, v)| {
            let here = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
            check_placeholders(v, &here)
        }),
        toml::Value::String(s) => {
            for name in placeholders_in(s) {
                if !PLACEHOLDERS.contains(&name) {
                    return Err(format!("{at}: okänd platshållare {{{name}}}"));
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The names inside `{…}` in `s`.
pub(crate) fn placeholders_in(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

/// `text` with every `{name}` replaced by its value in `values`.
pub fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_texts_load_and_explain_every_code() {
        let t = Texts::built_in().unwrap();
        assert_eq!(t.overview.heading, "Övergripande uppgifter om projektet");
        assert!(t.deviations.codes.is_empty(), "titles come from the catalogue in finding.rs");
        assert_eq!(t.deviations.code(Code::NotAttested), "Arbetsboken är inte attesterad");
        let own = Texts::with_override("[deviations.codes]\nNOT_ATTESTED = \"Ej attesterad\"\n", Path::new("x.toml"))
            .unwrap();
        assert_eq!(own.deviations.code(Code::NotAttested), "Ej attesterad");
        assert_eq!(own.deviations.code(Code::BadValue), "En cell kan inte läsas som det kolumnen ska innehålla");
    }

    #[test]
    fn override_replaces_only_its_keys() {
        let t = Texts::with_override("[economy]\nheading = \"Budget och utfall\"\n", Path::new("x.toml")).unwrap();
        assert_eq!(t.economy.heading, "Budget och utfall");
        assert_eq!(t.results.heading, "Projektets resultat");
    }

    #[test]
    fn broken_overrides_name_the_file() {
        for bad in [
            "[economy\nheading = 1",
            "[economy]\nheadnig = \"x\"",
            "[economy]\nheading = \"{okand}\"",
            "[deviations.codes]\nNO_SUCH_CODE = \"x\"",
            "[economy]\nheading = 3",
        ] {
            match Texts::with_override(bad, Path::new("p/mallar/rapport.toml")) {
                Err(EmitError::Template(path, _)) => assert_eq!(path, Path::new("p/mallar/rapport.toml"), "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn fills_placeholders() {
        let v = [("projekt", "P".to_string()), ("period", "mars 2025".to_string())];
        assert_eq!(fill("{projekt} – {period} {x} {", &v), "P – mars 2025 {x} {");
    }
}
