//! A small but complete project for the claim workbook and receipt tests: the seed project file
//! and an inbox of partner workbooks written with rust_xlsxwriter per
//! `docs/partnerhandledning.md`, with hostile partner text (`=HYPERLINK(…)`, `+46…`, `-12`, `@x`),
//! an indexation step inside the period, in-kind time (public and private), participants,
//! narratives, an indicator value, and files that are superseded, rejected and ignored.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use redovisa::ids::luhn_digit;
use redovisa::ledger::Ledger;
use redovisa::month::Month;
use redovisa::pipeline::{self, Options};
use redovisa::project::Project;
use redovisa::read::Limits;
use redovisa::reconcile::model::Figures;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// Partner text that a careless writer would turn into a formula.
pub const HOSTILE_NAME: &str = "=HYPERLINK(\"http://x\",\"y\")";
pub const HOSTILE_ROLE: &str = "+46 70 123 45 67";
pub const MINUS_NAME: &str = "-12";
pub const AT_ROLE: &str = "@x";
pub const HOSTILE_EVENT: &str = "=1+1 nätverksträff";

/// A valid personnummer `19YYMMDD-NNNN` from nine digits.
pub fn pnr(nine: &str) -> String {
    format!("19{}-{}{}", &nine[..6], &nine[6..], luhn_digit(nine))
}

/// A valid organisationsnummer from nine digits (third digit 2 or more).
pub fn orgnr(nine: &str) -> String {
    format!("{}-{}{}", &nine[..6], &nine[6..], luhn_digit(nine))
}

pub struct Person {
    pub name: &'static str,
    pub pnr: String,
    pub role: &'static str,
    pub start: (u16, u8, u8),
    pub salary: f64,
    pub fixed_share: Option<f64>,
    pub main_activity: Option<&'static str>,
}

/// A calendar day (year, month, day).
pub type Day = (u16, u8, u8);
/// A `Tidrapport` row: name, date, activity, hours.
pub type TimeRow = (&'static str, Day, &'static str, f64);
/// A `Deltagare` row: date, activity, event, org nr, organisation, gender.
pub type ParticipantRow = (Day, &'static str, &'static str, String, &'static str, &'static str);

/// One partner workbook.
pub struct Book {
    pub org_name: &'static str,
    pub org_nr: String,
    pub period: &'static str,
    pub version: u32,
    pub attested: bool,
    pub persons: Vec<Person>,
    pub time: Vec<TimeRow>,
    pub participants: Vec<ParticipantRow>,
    /// (indicator, value)
    pub indicators: Vec<(&'static str, f64)>,
    /// (activity, done, results, deviations)
    pub narratives: Vec<(&'static str, &'static str, &'static str, &'static str)>,
}

impl Book {
    pub fn new(org_name: &'static str, org_nr: &str, period: &'static str) -> Book {
        Book {
            org_name,
            org_nr: org_nr.to_string(),
            period,
            version: 1,
            attested: true,
            persons: Vec::new(),
            time: Vec::new(),
            participants: Vec::new(),
            indicators: Vec::new(),
            narratives: Vec::new(),
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut wb = Workbook::new();
        // A fixed timestamp: the same book is the same bytes, whenever the test runs.
        let created = ExcelDateTime::from_ymd(2024, 1, 1).unwrap();
        wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let d = |(y, m, dd): (u16, u8, u8)| ExcelDateTime::from_ymd(y, m, dd).unwrap();
        let ws = wb.add_worksheet().set_name("Uppgifter").unwrap();
        ws.write_string(0, 0, "Projektpart").unwrap();
        ws.write_string(0, 1, self.org_name).unwrap();
        ws.write_string(1, 0, "Organisationsnummer").unwrap();
        ws.write_string(1, 1, &self.org_nr).unwrap();
        ws.write_string(2, 0, "Period").unwrap();
        ws.write_string(2, 1, self.period).unwrap();
        ws.write_string(3, 0, "Version").unwrap();
        ws.write_number(3, 1, self.version as f64).unwrap();
        if self.attested {
            let (y, m) = (self.period[..4].parse::<u16>().unwrap(), self.period[5..].parse::<u8>().unwrap());
            let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            ws.write_string(4, 0, "Attesterad av").unwrap();
            ws.write_string(4, 1, "Ekonomichef").unwrap();
            ws.write_string(5, 0, "Attestdatum").unwrap();
            ws.write_datetime_with_format(5, 1, d((y, m, 5)), &date).unwrap();
        }
        let ws = wb.add_worksheet().set_name("Personal").unwrap();
        let heads =
            ["Namn", "Personnummer", "Roll", "Startdatum", "Månadslön", "Redovisning", "Andel", "Huvudaktivitet"];
        for (c, h) in heads.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (i, p) in self.persons.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, p.name).unwrap();
            ws.write_string(r, 1, &p.pnr).unwrap();
            ws.write_string(r, 2, p.role).unwrap();
            ws.write_datetime_with_format(r, 3, d(p.start), &date).unwrap();
            ws.write_number(r, 4, p.salary).unwrap();
            ws.write_string(r, 5, if p.fixed_share.is_some() { "Fast andel" } else { "Tidrapport" }).unwrap();
            if let Some(s) = p.fixed_share {
                ws.write_number(r, 6, s).unwrap();
            }
            if let Some(a) = p.main_activity {
                ws.write_string(r, 7, a).unwrap();
            }
        }
        let ws = wb.add_worksheet().set_name("Tidrapport").unwrap();
        for (c, h) in ["Namn", "Datum", "Aktivitet", "Timmar", "Kommentar"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (i, (name, day, act, hours)) in self.time.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, *name).unwrap();
            ws.write_datetime_with_format(r, 1, d(*day), &date).unwrap();
            ws.write_string(r, 2, *act).unwrap();
            ws.write_number(r, 3, *hours).unwrap();
        }
        let ws = wb.add_worksheet().set_name("Deltagare").unwrap();
        for (c, h) in ["Datum", "Aktivitet", "Träff", "Organisationsnummer", "Organisation", "Kön"].iter().enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (i, (day, act, event, nr, org, gender)) in self.participants.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_datetime_with_format(r, 0, d(*day), &date).unwrap();
            ws.write_string(r, 1, *act).unwrap();
            ws.write_string(r, 2, *event).unwrap();
            ws.write_string(r, 3, nr).unwrap();
            ws.write_string(r, 4, *org).unwrap();
            ws.write_string(r, 5, *gender).unwrap();
        }
        let ws = wb.add_worksheet().set_name("Indikatorer").unwrap();
        for (c, h) in ["Indikator", "Värde", "Kommentar"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (i, (name, v)) in self.indicators.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, *name).unwrap();
            ws.write_number(i as u32 + 1, 1, *v).unwrap();
        }
        let ws = wb.add_worksheet().set_name("Lägesbeskrivning").unwrap();
        for (c, h) in ["Aktivitet", "Genomfört", "Resultat", "Avvikelser"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (i, (a, done, res, dev)) in self.narratives.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, *a).unwrap();
            ws.write_string(r, 1, *done).unwrap();
            ws.write_string(r, 2, *res).unwrap();
            ws.write_string(r, 3, *dev).unwrap();
        }
        wb.save_to_buffer().unwrap()
    }
}

/// Every personnummer written into the inbox.
pub fn all_personnummer() -> Vec<String> {
    persons().into_iter().map(|(_, p)| p.pnr).collect()
}

/// (folder, person) for every person of the inbox.
fn persons() -> Vec<(&'static str, Person)> {
    vec![
        (
            "harnosand",
            Person {
                name: "Anna Andersson",
                pnr: pnr("750315128"),
                role: "Projektledare",
                start: (2024, 1, 1),
                salary: 52000.0,
                fixed_share: Some(50.0),
                main_activity: Some("4.1"),
            },
        ),
        (
            "harnosand",
            Person {
                name: HOSTILE_NAME,
                pnr: pnr("880704221"),
                role: HOSTILE_ROLE,
                start: (2024, 1, 1),
                salary: 41000.0,
                fixed_share: None,
                main_activity: None,
            },
        ),
        (
            "kramfors",
            Person {
                name: MINUS_NAME,
                pnr: pnr("691122334"),
                role: AT_ROLE,
                start: (2023, 3, 1),
                salary: 38500.0,
                fixed_share: None,
                main_activity: None,
            },
        ),
        (
            "region-vasternorrland",
            Person {
                name: "Rut Regionsson",
                pnr: pnr("810220445"),
                role: "Utvecklingsstrateg",
                start: (2024, 1, 1),
                salary: 47500.0,
                fixed_share: Some(50.0),
                main_activity: Some("1.1"),
            },
        ),
        (
            "bizmaker",
            Person {
                name: "Björn Bizman",
                pnr: pnr("900512556"),
                role: "Affärsrådgivare",
                start: (2024, 1, 1),
                salary: 43000.0,
                fixed_share: None,
                main_activity: None,
            },
        ),
    ]
}

fn people_of(folder: &str) -> Vec<Person> {
    persons().into_iter().filter(|(f, _)| *f == folder).map(|(_, p)| p).collect()
}

/// The period of the test claim and "today".
pub fn period() -> (Month, Month) {
    (Month::new(2024, 2).unwrap(), Month::new(2024, 3).unwrap())
}

/// Writes the project and its inbox into `dir`.
pub fn write_project(dir: &Path) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hallbar-samhallsomstallning/project.toml");
    std::fs::copy(fixture, dir.join("project.toml")).unwrap();
    let inbox = dir.join("inkorg");
    let put = |rel: &str, bytes: &[u8]| {
        let path: PathBuf = inbox.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    let harnosand = "212000-2403".to_string();
    let kramfors = "212000-2429".to_string();
    let hostile = people_of("harnosand");
    for (period, rel) in [
        ("2024-01", "harnosand/2024-01 Härnösand.xlsx"),
        ("2024-02", "harnosand/-12 februari.xlsx"),
        ("2024-03", "harnosand/=cmd 2024-03.xlsx"),
        ("2024-04", "harnosand/2024-04.xlsx"),
    ] {
        let mut b = Book::new("Härnösands kommun", &harnosand, period);
        b.persons = people_of("harnosand");
        let m: u8 = period[5..].parse().unwrap();
        b.time = vec![
            (hostile[1].name, (2024, m, 5), "1.1", 30.5),
            (hostile[1].name, (2024, m, 12), "2.2", 22.25),
            ("Anna Andersson", (2024, m, 6), "4.1", 20.0),
            ("Anna Andersson", (2024, m, 7), "1.3", 10.0),
        ];
        if m == 2 {
            b.participants = vec![
                ((2024, 2, 14), "2.2", HOSTILE_EVENT, orgnr("556677889"), "Företag Ett AB", "Kvinna"),
                ((2024, 2, 14), "2.2", HOSTILE_EVENT, orgnr("556123456"), "Företag Två AB", "Man"),
                ((2024, 2, 14), "2.2", HOSTILE_EVENT, orgnr("556677889"), "Företag Ett AB", "Ej angivet"),
            ];
            b.narratives = vec![("1.1", "=1+1 kartläggning påbörjad", "Två kommuner klara", "-")];
        }
        if m == 3 {
            b.indicators = vec![("Antal skapade arbetstillfällen i enheter som får stöd", 0.5)];
        }
        put(rel, &b.bytes());
    }
    // Kramfors: February in two versions, an unknown activity, March after an indexation step.
    for (version, rel) in [(1, "kramfors/februari.xlsx"), (2, "kramfors/februari v2.xlsx")] {
        let mut b = Book::new("Kramfors kommun", &kramfors, "2024-02");
        b.version = version;
        b.persons = people_of("kramfors");
        b.time = vec![(MINUS_NAME, (2024, 2, 8), "2.2", 40.0 + version as f64), (MINUS_NAME, (2024, 2, 9), "9.9", 4.0)];
        put(rel, &b.bytes());
    }
    let mut b = Book::new("Kramfors kommun", &kramfors, "2024-03");
    b.persons = people_of("kramfors");
    b.time = vec![(MINUS_NAME, (2024, 3, 8), "2.2", 35.75), (MINUS_NAME, (2024, 3, 20), "3.3", 12.0)];
    put("kramfors/mars.xlsx", &b.bytes());
    put("kramfors/februari.xls", b"not really an old excel file");
    put("kramfors/~$mars.xlsx", b"lock");
    // Sollefteå: not attested, so not in a claim.
    let mut b = Book::new("Sollefteå kommun", "212000-2437", "2024-02");
    b.attested = false;
    put("solleftea/februari.xlsx", &b.bytes());
    // Kramfors' workbook in Timrå's folder.
    let mut b = Book::new("Kramfors kommun", &kramfors, "2024-03");
    b.version = 3;
    put("timra/kramfors-mars.xlsx", &b.bytes());
    // In kind: Region Västernorrland (public) February and March, BizMaker (private) March.
    for period in ["2024-02", "2024-03"] {
        let mut b = Book::new("Region Västernorrland", "232100-0164", period);
        b.persons = people_of("region-vasternorrland");
        put(&format!("region-vasternorrland/{period}.xlsx"), &b.bytes());
    }
    let mut b = Book::new("BizMaker", "556900-1232", "2024-03");
    b.persons = people_of("bizmaker");
    b.time = vec![("Björn Bizman", (2024, 3, 11), "2.2", 12.0)];
    put("bizmaker/mars.xlsx", &b.bytes());
    put("readme.txt", b"inte en arbetsbok");
}

/// Builds the project in a fresh temporary folder and reconciles the claim.
pub fn figures() -> (tempfile::TempDir, Project, Figures) {
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    let project = Project::load(dir.path()).unwrap();
    let (from, to) = period();
    let opts = Options {
        from: Some(from),
        to: Some(to),
        limits: Limits::default(),
        ..Options::claim(chrono::NaiveDate::from_ymd_opt(2024, 4, 15).unwrap())
    };
    let ledger = Ledger::load(dir.path()).unwrap();
    let eval = pipeline::evaluate(&project, &opts, &ledger).unwrap();
    (dir, project, eval.figures)
}
