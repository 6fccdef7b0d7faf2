//! The monthly status (`manadsstatus.txt`): for every partner and co-financier, each month of
//! the period with the workbook that counts, or why none does. Written by `run` and `watch`.

use std::fmt::Write;

use crate::intake::Status;
use crate::reconcile::model::Figures;

/// The status file's name.
pub const FILE: &str = "manadsstatus.txt";

/// Renders the monthly status in Swedish.
pub fn render(f: &Figures) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Månadsstatus {} – {}, {} {}", f.period.from, f.period.to, f.project_id, f.project_name);
    let _ = writeln!(s, "(används = räknas; saknas = ingen godkänd arbetsbok; avvisad = se kvittot)\n");
    for org in &f.orgs {
        let _ = writeln!(s, "{}", org.name);
        for m in f.period.from.through(f.period.to) {
            let files: Vec<_> =
                f.files.iter().filter(|x| x.folder.as_deref() == Some(&org.folder) && x.month == Some(m)).collect();
            let line = match files.iter().find(|x| x.status == Status::Used) {
                Some(x) => format!("används: {} (version {})", x.path, x.version.unwrap_or(1)),
                None => match files.iter().find(|x| x.status == Status::Rejected) {
                    Some(x) => format!("avvisad: {} – {}", x.path, x.note),
                    None => "saknas".to_string(),
                },
            };
            let _ = writeln!(s, "  {m}  {line}");
        }
    }
    s
}
