//! Progress and final reports (Word). SCAFFOLD: being written (issue 6).

use std::path::Path;

use super::EmitError;
use crate::reconcile::model::Figures;

/// Report texts from `templates/`.
pub struct Texts;

impl Texts {
    /// Loads the project's texts, or the built-in ones.
    pub fn load(_project_dir: &Path) -> Result<Texts, EmitError> {
        Ok(Texts)
    }
}

/// Renders `lagesrapport-<from>_<to>.docx`.
pub fn progress(_figures: &Figures, _texts: &Texts) -> Result<Vec<u8>, EmitError> {
    Err(EmitError::Docx("lägesrapporten är inte färdig ännu".into()))
}

/// Renders `slutrapport.docx`.
pub fn final_report(_figures: &Figures, _texts: &Texts) -> Result<Vec<u8>, EmitError> {
    Err(EmitError::Docx("slutrapporten är inte färdig ännu".into()))
}
