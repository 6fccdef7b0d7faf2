//! Receipts per partner. SCAFFOLD: being written (issue 5).

use crate::reconcile::model::Figures;

/// Renders `kvitto/<folder>.txt`.
pub fn render(_figures: &Figures, folder: &str) -> String {
    format!("Kvitto för {folder}: inte färdigt ännu\n")
}
