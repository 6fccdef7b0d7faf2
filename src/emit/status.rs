//! The monthly status (`manadsstatus.txt`): for every partner and co-financier, each month of
//! the period, and each earlier month that is not simply in a submitted claim (late, corrected,
//! missing, waiting), with the workbook that counts or why none does. Written by `run` and
//! `watch`.

use std::fmt::Write;

use crate::reconcile::model::{Figures, MonthState};

/// The status file's name.
pub const FILE: &str = "manadsstatus.txt";

/// Renders the monthly status in Swedish.
pub fn render(f: &Figures) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Månadsstatus {} – {}, {} {}", f.period.from, f.period.to, f.project_id, f.project_name);
    let _ = writeln!(
        s,
        "(ansökan {} om den skickas in; tidigare månader visas när de inte bara ingår i en inskickad ansökan)\n",
        f.claim_seq
    );
    for (org, months) in f.orgs.iter().zip(&f.months) {
        let _ = writeln!(s, "{}", org.name);
        for cell in &months.cells {
            let earlier_and_done = !f.period.contains(cell.month)
                && matches!(cell.state, MonthState::Claimed(_) | MonthState::Outside | MonthState::NotInDecision);
            if earlier_and_done {
                continue;
            }
            let note = match cell.state {
                MonthState::Rejected | MonthState::NotAttested => {
                    let record = f.files.iter().find(|x| Some(x.path.as_str()) == cell.file.as_deref());
                    record.filter(|x| !x.note.is_empty()).map_or_else(String::new, |x| format!(" – {}", x.note))
                }
                _ => String::new(),
            };
            let file = cell.file.as_deref().map_or_else(String::new, |p| format!(": {p}{note}"));
            let _ = writeln!(s, "  {}  {}{file}", cell.month, cell.state.describe(f.claim_seq));
        }
    }
    // File names and notes are the partners' own text.
    crate::privacy::mask_personnummer(&s, f.document_date())
}
