//! The checklist of what to upload with the claim (`bilagor/bilagor.txt`, and the same lists on
//! `status.html`): per organisation, the attachments redovisa wrote, what the economist adds by
//! hand (each new person's salary evidence, the transaction list of external cash, the project
//! owner's signing document), and what earlier claims already covered. Names, never
//! personnummer.

use serde::Serialize;

use super::{certificate_names, share_text, time_report_name};
use crate::emit::claim_name;
use crate::money::{sv_kr, sv_kr_whole};
use crate::read::Reporting;
use crate::reconcile::attachments::{Certificate, OrgAttachments, TimeReport};
use crate::reconcile::model::{Concerns, Figures};

/// One organisation's part of the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// `Kramfors kommun (212000-2429), projektpart`.
    pub heading: String,
    /// The attachments written in `bilagor/`, each with what to do with it.
    pub written: Vec<String>,
    /// What to add by hand.
    pub by_hand: Vec<String>,
    /// What earlier claims already covered.
    pub earlier: Vec<String>,
}

/// The whole checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub title: String,
    pub intro: String,
    /// Organisations with something to upload or covered earlier, in the run's order.
    pub sections: Vec<Section>,
    /// Organisations with nothing to upload with this claim.
    pub nothing: Vec<String>,
}

/// Kronor as a salary is written: whole kronor when it has no öre (`48 400 kr`).
fn salary(d: rust_decimal::Decimal) -> String {
    if d.fract().is_zero() { sv_kr_whole(d) } else { sv_kr(d) }
}

fn names(list: &[&str]) -> String {
    match list {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

fn time_report_item(f: &Figures, r: &TimeReport) -> String {
    let who: Vec<&str> = r.persons.iter().map(|p| p.name.as_str()).collect();
    let adjustments: Vec<String> = r
        .persons
        .iter()
        .flat_map(|p| &p.months)
        .filter_map(|m| match m.concerns {
            Concerns::Period => None,
            Concerns::Late(month) => Some(format!("sen månad {month}")),
            Concerns::Correction(month) => Some(format!("rättelse {month}")),
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let also = if adjustments.is_empty() { String::new() } else { format!(", med {}", adjustments.join(", ")) };
    let count = if who.len() == 1 { "1 person".to_string() } else { format!("{} personer", who.len()) };
    format!(
        "{}: tidredovisning dag för dag, {count} ({}){also}. Låt var och en skriva under sitt blad.",
        time_report_name(f, r),
        names(&who)
    )
}

fn certificate_item(c: &Certificate, file: &str) -> String {
    let what = match c.previous {
        None => "första intyget".to_string(),
        Some(before) => format!("andelen ändrad från {}", share_text(before)),
    };
    let until = c.until.map_or_else(String::new, |d| format!(" till och med {d}"));
    let late = match c.concerns {
        Concerns::Period => String::new(),
        Concerns::Late(m) => format!(", sen månad {m}"),
        Concerns::Correction(m) => format!(", rättelse {m}"),
    };
    format!(
        "{file}: intyg om andel, {}, {} från och med {}{until} ({what}{late}). Skrivs under av behörig firmatecknare och den anställda.",
        c.name,
        share_text(c.share),
        c.from
    )
}

fn section(f: &Figures, o: &OrgAttachments, files: &[(&Certificate, String)]) -> Section {
    let e = &o.employer;
    let role = match (o.owner, e.in_kind) {
        (true, _) => "projektägare",
        (false, true) => "medfinansiär, bidrag i annat än pengar",
        (false, false) => "projektpart",
    };
    let mut written: Vec<String> = f
        .attachments
        .time_reports
        .iter()
        .filter(|r| r.employer.folder == e.folder)
        .map(|r| time_report_item(f, r))
        .collect();
    written
        .extend(files.iter().filter(|(c, _)| c.employer.folder == e.folder).map(|(c, file)| certificate_item(c, file)));
    let mut by_hand: Vec<String> = o
        .new_persons
        .iter()
        .map(|p| {
            let kind = match p.reporting {
                Reporting::TimeReport => "tidredovisar",
                Reporting::FixedShare => "fast andel",
            };
            format!(
                "{} ({kind}, ny i ansökan): underlag för månadslön, första projektmånaden {}, {} (lönespecifikation eller anställningsavtal).",
                p.name,
                p.month,
                salary(p.salary)
            )
        })
        .collect();
    for paid in &o.external_paid {
        let payments =
            if paid.payments == 1 { "1 inbetalning".to_string() } else { format!("{} inbetalningar", paid.payments) };
        by_hand.push(format!(
            "Transaktionslista ur bokföringen för extern medfinansiering från {}: {payments}, {} (jämför bladet Finansiering, tabellen Transaktioner, i {}).",
            paid.financier,
            sv_kr(paid.amount),
            claim_name(f)
        ));
    }
    if o.owner {
        by_hand.push(format!(
            "Signeringsunderlaget: när ansökan är inskickad i Min ansökan, skriv ut det (Visa ansökan, Skriv ut signeringsunderlag), låt en behörig företrädare för {} skriva under och skicka in det inskannat – om inte ansökan signeras med BankID av en behörig firmatecknare.",
            e.name
        ));
    }
    let mut earlier: Vec<String> = Vec::new();
    if !o.registered.is_empty() {
        let who: Vec<String> = o.registered.iter().map(|r| format!("{} (ansökan {})", r.name, r.claim)).collect();
        earlier.push(format!("Underlag för månadslön: {}.", who.join(", ")));
    }
    if !o.certified.is_empty() {
        let which: Vec<String> = o
            .certified
            .iter()
            .map(|c| format!("{}, {} från och med {} (ansökan {})", c.name, share_text(c.share), c.from, c.claim))
            .collect();
        earlier.push(format!("Intyg om andel: {}.", which.join("; ")));
    }
    Section { heading: format!("{} ({}), {role}", e.name, e.org_nr), written, by_hand, earlier }
}

/// The checklist of the claim.
pub fn checklist(f: &Figures) -> Checklist {
    let names_of = certificate_names(f);
    let files: Vec<(&Certificate, String)> = f.attachments.certificates.iter().zip(names_of).collect();
    let mut sections = Vec::new();
    let mut nothing = Vec::new();
    for o in &f.attachments.orgs {
        let s = section(f, o, &files);
        if s.written.is_empty() && s.by_hand.is_empty() && s.earlier.is_empty() {
            nothing.push(o.employer.name.clone());
        } else {
            sections.push(s);
        }
    }
    Checklist {
        title: format!("Bilagor till ansökan om utbetalning {} ({} – {})", f.claim_seq, f.period.from, f.period.to),
        intro: "Ladda upp bilagorna i Min ansökan tillsammans med ansökan. Tidredovisningarna och intygen i mappen \
                bilagor är skrivna av redovisa ur de attesterade arbetsböckerna: skriv ut dem, låt dem skrivas under \
                och ladda upp dem inskannade. Det som står under Lägg till för hand finns inte i arbetsböckerna."
            .to_string(),
        sections,
        nothing,
    }
}

/// `bilagor.txt`.
pub fn render(f: &Figures) -> String {
    let c = checklist(f);
    let mut out = format!("{}\nProjekt {} {}\n\n{}\n", c.title, f.project_id, f.project_name, c.intro);
    for s in &c.sections {
        out.push_str(&format!("\n{}\n", s.heading));
        for (title, items, mark) in [
            ("Skrivna av redovisa, i mappen bilagor", &s.written, "[ ]"),
            ("Lägg till för hand", &s.by_hand, "[ ]"),
            ("Redan inlämnat med tidigare ansökningar", &s.earlier, "-"),
        ] {
            if items.is_empty() {
                continue;
            }
            out.push_str(&format!("  {title}:\n"));
            for item in items {
                out.push_str(&format!("    {mark} {item}\n"));
            }
        }
    }
    if !c.nothing.is_empty() {
        out.push_str(&format!("\nInget att ladda upp med den här ansökan: {}.\n", c.nothing.join(", ")));
    }
    crate::privacy::mask_personnummer(&out, f.document_date())
}
