//! Receipts (`kvitto/<folder>.txt`): each names only its own organisation's files and findings,
//! carries no personnummer, and shows the figures of the model to the öre (read back from the
//! text with this file's own small parser, not the crate's, nor by formatting the expected
//! string again).

mod emit_inbox;

use redovisa::emit::receipt;
use redovisa::ids::Personnummer;
use redovisa::reconcile::model::Figures;
use rust_decimal::Decimal;

/// Reads a number as the receipts write it (`1 234 567,89 kr`, no-break spaces, `−` for minus):
/// independent of `redovisa::money`, so a formatting bug there cannot pass here.
fn parse_sv_number(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let plain: String = s
        .strip_suffix("kr")
        .unwrap_or(s)
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| match c {
            '\u{2212}' => '-',
            ',' => '.',
            c => c,
        })
        .collect();
    if plain.is_empty() || !plain.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return None;
    }
    plain.parse().ok()
}

/// The amount written after `label` on `line`, up to ` kr` (Swedish form, no-break spaces).
fn amount_after(line: &str, label: &str) -> Decimal {
    let rest = &line[line.find(label).unwrap_or_else(|| panic!("{label:?} not in {line:?}")) + label.len()..];
    let end = rest.find("kr").unwrap_or_else(|| panic!("no kr after {label:?} in {line:?}"));
    parse_sv_number(&rest[..end]).unwrap_or_else(|| panic!("not an amount: {:?}", &rest[..end]))
}

/// The numbers of a table line `  Label    a kr    b kr` (two amounts or two numbers).
fn two_numbers(line: &str) -> (Decimal, Decimal) {
    let parts: Vec<&str> = line.split("  ").map(str::trim).filter(|p| !p.is_empty()).collect();
    let n = parts.len();
    let parse = |s: &str| parse_sv_number(s).unwrap_or_else(|| panic!("not a number: {s:?} in {line:?}"));
    (parse(parts[n - 2]), parse(parts[n - 1]))
}

fn line_starting<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in\n{text}"))
}

/// Every run of digits with dashes or plus signs that looks like an identifier: 6 or 8 digits,
/// a dash or plus, 4 digits; or 10 or 12 digits in a row.
fn id_like(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let head = j - i;
        let mut k = j;
        if j < chars.len() && matches!(chars[j], '-' | '+') {
            let mut m = j + 1;
            while m < chars.len() && chars[m].is_ascii_digit() {
                m += 1;
            }
            if m - j - 1 == 4 && (head == 6 || head == 8) {
                k = m;
            }
        }
        if k > j || head == 10 || head == 12 {
            out.push(chars[i..k].iter().collect());
        }
        i = k.max(j);
    }
    out
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn assert_no_personnummer(f: &Figures, text: &str, who: &str) {
    for pnr in emit_inbox::all_personnummer() {
        let twelve = digits(&pnr);
        let ten = &twelve[2..];
        for form in [pnr.clone(), twelve.clone(), ten.to_string(), format!("{}-{}", &ten[..6], &ten[6..])] {
            assert!(!text.contains(&form), "{who}: personnummer {form} in the receipt");
        }
    }
    for staff in &f.staff {
        assert!(!text.contains(&staff.personnummer), "{who}: {}", staff.personnummer);
    }
    for id in id_like(text) {
        assert!(Personnummer::parse(&id, f.period.to.last_day()).is_none(), "{who}: {id} reads as a personnummer");
    }
}

#[test]
fn each_receipt_names_only_its_own_files_and_findings() {
    let (_dir, _project, f) = emit_inbox::figures();
    for org in &f.orgs {
        let text = receipt::render(&f, &org.folder);
        assert!(text.starts_with(&format!("Kvitto för {}\n", org.name)), "{text}");
        assert!(text.contains(&f.project_id) && text.contains("2024-02 – 2024-03"));
        for file in &f.files {
            let mine = file.folder.as_deref() == Some(org.folder.as_str());
            assert_eq!(text.lines().any(|l| l == file.path), mine, "{}: {}", org.folder, file.path);
            if mine {
                let i = text.lines().position(|l| l == file.path).unwrap();
                let status = text.lines().nth(i + 1).unwrap();
                assert!(status.contains(file.status.swedish()), "{status}");
                assert!(status.contains(&file.note), "{status} lacks the note {:?}", file.note);
            }
        }
        let mine: Vec<_> = f.findings.iter().filter(|x| x.place.partner.as_deref() == Some(&org.folder)).collect();
        assert!(text.contains(&format!("Avvikelser ({})", mine.len())));
        for x in &f.findings {
            let is_mine = x.place.partner.as_deref() == Some(org.folder.as_str());
            let shown = text.contains(&x.message);
            if is_mine {
                assert!(shown, "{}: own finding {} missing", org.folder, x.code);
                let place = format!("{} i {}", x.code, x.place.file.clone().unwrap_or_else(|| "hela perioden".into()));
                assert!(text.contains(&place), "{}: {place}", org.folder);
                if let Some(cell) = x.place.cell.as_deref() {
                    assert!(text.contains(&format!("{}!{cell}", x.place.sheet.as_deref().unwrap_or(""))));
                }
            } else {
                assert!(
                    !shown
                        || f.findings
                            .iter()
                            .any(|y| y.message == x.message && y.place.partner.as_deref() == Some(&org.folder)),
                    "{}: shows another's finding {} {:?}",
                    org.folder,
                    x.code,
                    x.place
                );
            }
        }
        assert_no_personnummer(&f, &text, &org.folder);
    }
}

#[test]
fn receipts_carry_the_figures_to_the_ore() {
    let (_dir, _project, f) = emit_inbox::figures();
    let mut contributions = 0;
    for org in &f.orgs {
        let text = receipt::render(&f, &org.folder);
        for file in f.files.iter().filter(|x| x.folder.as_deref() == Some(org.folder.as_str())) {
            let lines: Vec<&str> = text.lines().collect();
            let i = lines.iter().position(|l| *l == file.path).unwrap();
            let Some(c) = file.contribution else {
                assert!(!lines[i + 2].contains("Hämtat ur filen"));
                continue;
            };
            contributions += 1;
            let line = lines[i + 2];
            let persons = if c.persons == 1 { "1 person,".to_string() } else { format!("{} personer,", c.persons) };
            assert!(line.contains(&persons), "{line}");
            assert!(line.contains(&format!("{} deltagare", c.participants)), "{line}");
            assert_eq!(amount_after(line, "personalkostnad "), c.staff_cost, "{line}");
            assert_eq!(amount_after(line, "övriga kostnader "), c.other_costs, "{line}");
            let hours = line.split(&persons).nth(1).and_then(|r| r.split(" timmar").next()).unwrap();
            assert_eq!(parse_sv_number(hours).unwrap(), redovisa::money::round2(c.hours), "{line}");
        }
        let (p, c) = (org.period, org.cumulative);
        if org.in_kind {
            assert_eq!(two_numbers(line_starting(&text, "Bidrag i annat än pengar")), (p.total(), c.total()));
        } else {
            assert_eq!(two_numbers(line_starting(&text, "Personalkostnader")), (p.staff, c.staff));
            assert_eq!(two_numbers(line_starting(&text, "Schablon/indirekta")), (p.flat_rate, c.flat_rate));
            assert_eq!(two_numbers(line_starting(&text, "Övriga kostnader")), (p.other, c.other));
            assert_eq!(two_numbers(line_starting(&text, "Summa")), (p.total(), c.total()));
        }
        let round = redovisa::money::round2;
        assert_eq!(two_numbers(line_starting(&text, "Timmar")), (round(org.hours_period), round(org.hours_cumulative)));
        assert_eq!(amount_after(line_starting(&text, "Godkänd budget"), "Godkänd budget "), org.budget_total.budget);
    }
    assert!(contributions >= 8, "the inbox has used files with figures");
    // Kramfors' two rates in the period add up in its receipt as in the model.
    let kramfors = f.orgs.iter().find(|o| o.folder == "kramfors").unwrap();
    let lines: Decimal = f.staff.iter().filter(|l| l.folder == "kramfors").map(|l| l.staff_cost).sum();
    assert_eq!(kramfors.period.staff, lines);
    assert!(f.staff.iter().filter(|l| l.folder == "kramfors").count() == 2);
}

#[test]
fn receipts_say_what_to_do() {
    let (_dir, _project, f) = emit_inbox::figures();
    let kramfors = receipt::render(&f, "kramfors");
    assert!(kramfors.contains("FEL UNKNOWN_ACTIVITY i kramfors/februari v2.xlsx Tidrapport!C3"), "{kramfors}");
    assert!(kramfors.contains("avvisad – fel format, spara som .xlsx"), "{kramfors}");
    assert!(kramfors.contains("ersatt – ersatt av version 2"), "{kramfors}");
    assert!(kramfors.contains("ignorerad – låsfil från Office"), "{kramfors}");
    // An error in a workbook that counts: fix the cells; a new file needs a higher version.
    assert!(kramfors.contains("ge den en högre Version i bladet Uppgifter"), "{kramfors}");
    let timra = receipt::render(&f, "timra");
    assert!(timra.contains("timra/kramfors-mars.xlsx") && timra.contains("WRONG_FOLDER"), "{timra}");
    let ange = receipt::render(&f, "ange");
    assert!(ange.contains("Inga filer i mappen.") && ange.contains("MISSING_SUBMISSION"), "{ange}");
    let region = receipt::render(&f, "region-vasternorrland");
    assert!(region.contains("Inga avvikelser. Inget att åtgärda."), "{region}");
    // Hostile partner text is carried as text; the receipt is plain text in any case.
    let harnosand = receipt::render(&f, "harnosand");
    assert!(harnosand.contains("harnosand/=cmd 2024-03.xlsx"));
}

#[test]
fn receipts_are_deterministic() {
    let (_dir, _project, f) = emit_inbox::figures();
    let (_dir2, _project2, f2) = emit_inbox::figures();
    for org in &f.orgs {
        assert_eq!(receipt::render(&f, &org.folder), receipt::render(&f2, &org.folder));
    }
}

/// The section titles of a text receipt: every line underlined with `-`, first word.
fn text_sections(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .filter(|w| !w[1].is_empty() && w[1].chars().all(|c| c == '-') && w[1].chars().count() == w[0].chars().count())
        .map(|w| w[0].split_whitespace().next().unwrap_or_default().to_string())
        .collect()
}

/// The section titles of a receipt page: every `<h2>`, first word.
fn html_sections(page: &str) -> Vec<String> {
    page.split("<h2")
        .skip(1)
        .map(|rest| {
            let inner = &rest[rest.find('>').unwrap() + 1..rest.find("</h2>").unwrap()];
            inner.split_whitespace().next().unwrap_or_default().to_string()
        })
        .collect()
}

/// The sections the partner guide lists for the receipt, in its order: the bold words of the
/// list under "Kvittot och statussidan", first word.
fn guide_sections() -> Vec<String> {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/partnerhandledning.md")).unwrap();
    let part = &guide[guide.find("## Kvittot och statussidan").unwrap()..];
    let part = &part[..part.find("Kvittosidan har samma avsnitt").unwrap()];
    part.lines()
        .filter_map(|l| l.strip_prefix("- **"))
        .map(|l| l[..l.find("**").unwrap()].split_whitespace().next().unwrap().to_string())
        .collect()
}

#[test]
fn the_text_receipt_the_page_and_the_guide_have_the_same_sections_in_the_same_order() {
    use redovisa::ledger::Ledger;
    use redovisa::pipeline::{self, Options};
    use redovisa_demo::{self as demo, DemoOptions};
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions { to: "2024-04".parse().unwrap(), ..DemoOptions::default() }).unwrap();
    let project = redovisa::project::Project::load(dir.path()).unwrap();
    let opts = Options {
        from: Some("2024-01".parse().unwrap()),
        to: Some("2024-04".parse().unwrap()),
        ..Options::claim(chrono::NaiveDate::from_ymd_opt(2024, 5, 10).unwrap())
    };
    let figures = pipeline::evaluate(&project, &opts, &Ledger::load(dir.path()).unwrap()).unwrap().figures;
    let guide = guide_sections();
    assert_eq!(guide, receipt::SECTIONS.to_vec(), "the guide lists the receipt's sections");
    let mut with_cofinancing = 0;
    for org in project.orgs() {
        let text = receipt::render(&figures, org.folder());
        let page = redovisa::emit::html::render_receipt(&figures, org.folder()).unwrap();
        let (t, h) = (text_sections(&text), html_sections(&page));
        assert_eq!(t, h, "{}: the text receipt and the page differ", org.folder());
        // Every section of the guide, in its order; the co-financing one only where the
        // partner's column of the financing plan has cash financiers.
        let cash = !org.is_cofinancier()
            && !project.cash_financiers(project.orgs().position(|o| o.folder() == org.folder()).unwrap()).is_empty();
        let expected: Vec<String> = guide.iter().filter(|s| cash || s.as_str() != "Inbetald").cloned().collect();
        assert_eq!(t, expected, "{}", org.folder());
        with_cofinancing += usize::from(cash);
    }
    assert!(with_cofinancing > 0, "the demo has partners with cash co-financing");
}
