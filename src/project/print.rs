//! The approved budget as text (Swedish), as `redovisa validate` prints it.

use super::*;

impl Project {
    /// The approved budget as text (Swedish), as `redovisa validate` prints it.
    pub fn describe(&self) -> String {
        use std::fmt::Write;
        let i = &self.info;
        let mut s = String::new();
        let kr = |d: Decimal| format!("{:>14}", sv_kr_whole(d));
        let _ = writeln!(s, "Projekt {} – {}", i.id, i.name);
        let owner = self.org_by_folder(&i.owner).map_or("?", |o| o.name());
        let _ = writeln!(
            s,
            "Projektägare {owner}, {} – {}, stödandel {}",
            i.start,
            i.end,
            crate::money::sv_percent(percent(i.support_rate), 2)
        );
        let _ = writeln!(s, "\nGodkänd budget per projektpart");
        let _ = writeln!(
            s,
            "{:<28}{:>14}{:>14}{:>14}{:>14}{:>14}",
            "Projektpart", "Personal", "Schablon", "Summa", "Kontant", "Stöd"
        );
        for p in &self.partners {
            let cash: Decimal = p.cash.iter().map(|c| c.amount).sum();
            let _ = writeln!(
                s,
                "{:<28}{}{}{}{}{}",
                p.name,
                kr(p.budget.staff),
                kr(p.budget.flat_rate),
                kr(p.budget.total()),
                kr(cash),
                kr(p.support)
            );
        }
        let _ = writeln!(s, "\nBidrag i annat än pengar");
        for c in &self.cofinanciers {
            let _ = writeln!(s, "{:<28}{} ({})", c.name, kr(c.in_kind_budget), c.kind.swedish());
        }
        let _ = writeln!(s, "\nAktiviteter");
        for (wp, a) in self.activities() {
            let _ = writeln!(s, "  {:<5} {:<44}{}  (AP {})", a.code, a.name, kr(a.budget), wp.code);
        }
        if let Some(diff) = self.activity_rounding() {
            let activities: Decimal = self.activities().map(|(_, a)| a.budget).sum();
            let _ = writeln!(
                s,
                "  Information: aktiviteterna summerar till {}, {} {} än totala kostnader {}. Ansökan avrundar varje \
                 aktivitet till hela kronor; ingen åtgärd behövs.",
                sv_kr_whole(activities),
                sv_kr_whole(diff.abs()),
                if diff < Decimal::ZERO { "mindre" } else { "mer" },
                sv_kr_whole(self.totals.total)
            );
        }
        let _ = writeln!(s, "\nSummor");
        let _ = writeln!(s, "{:<32}{}", "Kostnader", kr(self.budget_costs()));
        let _ = writeln!(s, "{:<32}{}", "Bidrag i annat än pengar", kr(self.budget_in_kind()));
        let _ = writeln!(s, "{:<32}{}", "Totala kostnader", kr(self.budget_costs() + self.budget_in_kind()));
        let _ = writeln!(s, "{:<32}{}", "Medfinansiering", kr(self.budget_cash() + self.budget_in_kind()));
        let _ = writeln!(s, "{:<32}{}", "Stöd", kr(self.partners.iter().map(|p| p.support).sum()));
        if !self.reporting.is_empty() {
            let _ = writeln!(s, "\nRapporteringsplan (ansökningar om utbetalning)");
            for (i, c) in self.reporting.iter().enumerate() {
                let _ = writeln!(s, "  {:>2}. {} – {}  senast {}", i + 1, c.from, c.to, c.due);
            }
        }
        let dated: Vec<String> = self
            .orgs()
            .filter_map(|o| {
                let mut parts = Vec::new();
                match o.from_until() {
                    (Some(f), Some(u)) => parts.push(format!("ingår {f} – {u}")),
                    (Some(f), None) => parts.push(format!("ingår från {f}")),
                    (None, Some(u)) => parts.push(format!("ingår till {u}")),
                    (None, None) => {}
                }
                let when =
                    |m: &Option<crate::month::Month>| m.map_or_else(|| "projektstart".to_string(), |m| m.to_string());
                if o.on_costs().single().is_none() {
                    let values: Vec<String> = o
                        .on_costs()
                        .entries()
                        .iter()
                        .map(|(m, r)| format!("{} från {}", crate::money::sv_percent(percent(*r), 2), when(m)))
                        .collect();
                    parts.push(format!("lönebikostnad {}", values.join(", ")));
                }
                if o.flat_rates().single().is_none() {
                    let values: Vec<String> = o
                        .flat_rates()
                        .entries()
                        .iter()
                        .map(|(m, f)| format!("{} från {}", f.describe(), when(m)))
                        .collect();
                    parts.push(format!("schablon {}", values.join(", ")));
                }
                (!parts.is_empty()).then(|| format!("  {}: {}", o.name(), parts.join("; ")))
            })
            .collect();
        if !dated.is_empty() {
            let _ = writeln!(s, "\nVärden som ändras under projektet");
            for line in dated {
                let _ = writeln!(s, "{line}");
            }
        }
        if !self.changes.is_empty() {
            let _ = writeln!(s, "\nÄndringsbeslut");
            for c in &self.changes {
                let retro = c
                    .retroactive
                    .as_ref()
                    .map_or_else(String::new, |r| format!(" Retroaktivt från {}: {}.", r.from, r.keys.join(", ")));
                let _ = writeln!(s, "  {} ({}): {}.{retro}", c.number, c.decided, c.what.trim_end_matches('.'));
            }
        }
        let notes: Vec<String> = self
            .orgs()
            .filter_map(|o| {
                let note = match o {
                    Org::Partner(p) => &p.note,
                    Org::Cofinancier(c) => &c.note,
                };
                (!note.is_empty()).then(|| format!("  {}: {note}", o.name()))
            })
            .collect();
        if !notes.is_empty() {
            let _ = writeln!(s, "\nAntaganden att bekräfta");
            for n in notes {
                let _ = writeln!(s, "{n}");
            }
        }
        s.push('\n');
        s
    }
}
