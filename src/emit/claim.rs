//! The claim workbook (ansökan om utbetalning). SCAFFOLD: being written (issue 5).

use super::EmitError;
use crate::reconcile::model::Figures;

/// Renders `ansokan-<from>_<to>.xlsx`.
pub fn render(_figures: &Figures) -> Result<Vec<u8>, EmitError> {
    Err(EmitError::Xlsx("ansökningsarbetsboken är inte färdig ännu".into()))
}
