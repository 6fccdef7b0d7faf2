//! Random project lives: workbooks dropped in random order, late, corrected, superseded,
//! removed, unattested then attested, claims submitted at random points (some holding their
//! corrections back), and the decision changing under them: on-cost rates and flat rates dated
//! from a month or edited in place, change decisions making the on-cost rate retroactive,
//! partners joining and leaving (`from` / `until`), the approved support lowered and raised,
//! folders renamed. Partners drawn on the 15 % model report other costs, and partners report
//! co-financing paid in; time and other costs fall on drawn activities. Whatever happens
//! (`docs/rules.md`, "Claims over the project's life", and `docs/claims.md`, "Ändringsbeslut"):
//!
//! - every month is priced by the values in force for it when a claim first took it, and keeps
//!   them in every later claim unless a change decision makes a new value retroactive (the test
//!   keeps its own model of the decision and checks each ledger line's rates against it);
//! - staff costs, other costs and hours of all submitted claims plus the current one equal, per
//!   organisation and to the öre, a single claim over the whole project on the final inbox priced
//!   at those values (the months that left an organisation's decision as they were claimed);
//! - so does the detail, per organisation and month: each person's hours, lön, lönebikostnad and
//!   personalkostnad, each activity's hours, staff and other costs, and what each financier paid
//!   in, summed over the claims' lines, are the single pass's for that month; and every line's
//!   parts add up to its totals;
//! - co-financing paid in, cumulative per partner and financier, is the sum of the claims' lines
//!   and the single pass's;
//! - cumulative figures are exactly the sum of the claims (the flat rate included, which differs
//!   from the single pass only by the rounding of each claim's flat rate, at most an öre a line);
//! - no organisation-month is taken whole by two claims;
//! - the support of all claims together is `min(approved support in force, Σ of each claim's
//!   share)`: it never passes the approved support in force, nor goes below 0.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use redovisa::contract::Sheet as ContractSheet;
use redovisa::finding::Code;
use redovisa::ledger::{ClaimedMonth, Content, Ledger, LineKind};
use redovisa::money::floor2;
use redovisa::month::Month;
use redovisa::pipeline::{self, Options};
use redovisa::project::{FinancierKind, FlatRateModel, Project, Rates};
use redovisa::reconcile::model::Figures;
use redovisa::submit;
use rust_decimal::Decimal;
use support::*;

const ORGS: [Org; 3] = [KRAMFORS, HARNOSAND, REGION];
const MONTHS: u32 = 9;
/// The seed's approved support, and the lower amounts a decision may set (Härnösand's support
/// moved to its own money, at most its 5 795 365 kr).
const APPROVED: i64 = 12_752_293;
const APPROVED_LEVELS: [i64; 3] = [APPROVED, 10_000_000, 7_500_000];
const ON_COSTS: [i64; 3] = [4015, 4400, 3142];
/// The activities time and other costs fall on.
const ACTIVITIES: [&str; 3] = ["1.1", "2.2", "4.1"];
/// The financiers of each partner's column of the financing plan (Region Västernorrland, the
/// in-kind co-financier, receives nothing).
const PAYERS: [[&str; 2]; 2] =
    [["Kramfors kommun", "Region Västernorrland (1:1)"], ["Härnösands kommun", "Region Västernorrland (1:1)"]];

/// Each organisation's one person. Salaries are fifty to two hundred times a real one (each under
/// its organisation's staff or in-kind budget, or the row would be an error), and months run to
/// 200 hours, so that the claims' support reaches the approved support and its changes.
fn person(org: usize) -> Person {
    match org {
        0 => Person { salary: n(2_000_000.0), ..anna() },
        1 => Person {
            name: "Cecilia Carlsson".into(),
            pnr: t(&pnr("19850607", "234")),
            salary: n(8_000_000.0),
            ..anna()
        },
        _ => Person {
            name: "Dan Dahl".into(),
            pnr: t(&pnr("19700101", "345")),
            salary: n(2_050_000.5),
            start: date(2023, 6, 1),
            ..anna()
        },
    }
}

fn month(i: u32) -> Month {
    Month::new(2024, 1 + i).unwrap()
}

/// What a workbook holds besides its one time row's hours: the time row's activity, an other cost
/// (öre, 0 for none; a partner on the 15 % model only) on an activity, and a payment (kr, 0 for
/// none; partners only) from one of the partner's financiers.
#[derive(Debug, Clone, Copy, Default)]
struct Rows {
    activity: usize,
    other: u32,
    other_activity: usize,
    paid: u32,
    payer: usize,
}

fn drawn_rows() -> impl Strategy<Value = Rows> {
    let amount = |most: u32| prop_oneof![Just(0u32), 1..most];
    (0..3usize, amount(5_000_000), 0..3usize, amount(100_000), 0..2usize).prop_map(
        |(activity, other, other_activity, paid, payer)| Rows { activity, other, other_activity, paid, payer },
    )
}

#[derive(Debug, Clone)]
enum Step {
    /// Write (or overwrite: an edit) an organisation's workbook for a month.
    Put { org: usize, month: u32, version: u32, attested: bool, quarter_hours: u32, rows: Rows },
    /// Remove a workbook if it is there.
    Remove { org: usize, month: u32, version: u32 },
    /// Submit the next claim, `months` long (at least one), perhaps holding corrections back.
    Submit { months: u32, hold: bool },
    /// The on-cost rate from a month on (month 0: the whole project, an edit in place).
    OnCosts { org: usize, from: u32, rate: usize },
    /// A partner's flat rate from a month on: 25 % or 40 % of remaining costs, or 15 % indirect
    /// (none for a partner on the 15 % model throughout: its other costs would be rejected).
    FlatRate { org: usize, from: u32, which: usize },
    /// A partner's months in the decision: `from` and `until` (beyond the last month: none).
    Window { org: usize, from: u32, until: u32 },
    /// The approved support in force.
    Approved { level: usize },
    /// The organisation's folder renamed on the share and in the file.
    Rename { org: usize },
    /// A change decision that makes the on-cost rate in force retroactive from a month.
    Retroactive { org: usize, from: u32 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        10 => (0..3usize, 0..MONTHS, 1..3u32, prop::bool::weighted(0.8), 1..800u32, drawn_rows()).prop_map(
            |(org, month, version, attested, quarter_hours, rows)| Step::Put {
                org,
                month,
                version,
                attested,
                quarter_hours,
                rows
            }
        ),
        2 => (0..3usize, 0..MONTHS, 1..3u32).prop_map(|(org, month, version)| Step::Remove { org, month, version }),
        3 => (1..3u32, prop::bool::weighted(0.2)).prop_map(|(months, hold)| Step::Submit { months, hold }),
        1 => (0..3usize, 0..MONTHS, 0..3usize).prop_map(|(org, from, rate)| Step::OnCosts { org, from, rate }),
        1 => (0..2usize, 0..MONTHS, 0..3usize).prop_map(|(org, from, which)| Step::FlatRate { org, from, which }),
        1 => (0..2usize, 0..3u32, 3..MONTHS + 2).prop_map(|(org, from, until)| Step::Window { org, from, until }),
        1 => (0..3usize).prop_map(|level| Step::Approved { level }),
        1 => prop_oneof![Just(0usize), Just(2usize)].prop_map(|org| Step::Rename { org }),
        1 => (0..3usize, 0..MONTHS).prop_map(|(org, from)| Step::Retroactive { org, from }),
    ]
}

/// The decision as the test keeps it: each organisation's values by the month they start from
/// (month 0 always present), its months in the decision, its folder; the approved support.
#[derive(Debug, Clone)]
struct Decision {
    on_costs: [BTreeMap<u32, Decimal>; 3],
    flat: [BTreeMap<u32, (FlatRateModel, Decimal)>; 3],
    window: [(u32, u32); 3],
    renamed: [bool; 3],
    approved: Decimal,
    /// Change decisions making an organisation's on-cost rate retroactive from a month, and
    /// whether a claim that took corrections has recorded them (spent).
    changes: Vec<(usize, u32, bool)>,
    /// The partners on the 15 % model throughout, reporting other costs.
    indirect: [bool; 2],
}

impl Decision {
    /// The seed project's decision, the partners marked `indirect` on the 15 % model.
    fn seed(indirect: [bool; 2]) -> Decision {
        let remaining = |rate| BTreeMap::from([(0, (FlatRateModel::RemainingCosts, Decimal::from(rate)))]);
        Decision {
            on_costs: [
                BTreeMap::from([(0, Decimal::new(4015, 2))]),
                BTreeMap::from([(0, Decimal::new(4015, 2))]),
                BTreeMap::from([(0, Decimal::new(4615, 2))]),
            ],
            flat: [remaining(25), remaining(40), BTreeMap::from([(0, (FlatRateModel::None, Decimal::ZERO))])],
            window: [(0, MONTHS); 3],
            renamed: [false; 3],
            approved: Decimal::from(APPROVED),
            changes: Vec::new(),
            indirect,
        }
        .on_the_15_percent_model()
    }

    fn on_the_15_percent_model(mut self) -> Decision {
        for org in (0..2).filter(|o| self.indirect[*o]) {
            self.flat[org] = BTreeMap::from([(0, (FlatRateModel::Indirect, Decimal::from(15)))]);
        }
        self
    }

    /// The values a claim prices `key` by, claimed before at `priced` under the change decisions
    /// `under` (those in the file then): the claimed ones, except the on-cost rate where an
    /// unspent change decision that came after makes the file's retroactive.
    fn expected(&self, key: (usize, u32), priced: Option<(Rates, &[usize])>) -> Rates {
        let file = self.rates(key.0, key.1);
        let Some((mut rates, under)) = priced else { return file };
        let retro = self
            .changes
            .iter()
            .enumerate()
            .any(|(n, &(org, from, spent))| org == key.0 && from <= key.1 && !spent && !under.contains(&n));
        if retro {
            rates.on_costs = file.on_costs;
        }
        rates
    }

    fn folder(&self, org: usize) -> String {
        if self.renamed[org] { format!("{}-ny", ORGS[org].folder) } else { ORGS[org].folder.to_string() }
    }

    fn in_window(&self, org: usize, m: u32) -> bool {
        let (from, until) = self.window[org];
        from <= m && m <= until
    }

    /// What the file prices month `m` of `org` by.
    fn rates(&self, org: usize, m: u32) -> Rates {
        let on_costs = *self.on_costs[org].range(..=m).next_back().unwrap().1;
        let (flat_model, flat_rate) = *self.flat[org].range(..=m).next_back().unwrap().1;
        Rates { on_costs, flat_model, flat_rate }
    }

    /// `project.toml`: the seed with this decision's values, months and folders. With `once`,
    /// the values are those of `priced` per month and every month is in the decision (the single
    /// pass).
    fn render(&self, seed: &str, once: Option<&BTreeMap<(usize, u32), Rates>>) -> String {
        let mut text = seed.to_string();
        for (org, o) in ORGS.iter().enumerate() {
            let rates: Vec<(u32, Rates)> = match once {
                Some(priced) => {
                    (0..MONTHS).map(|m| (m, priced.get(&(org, m)).copied().unwrap_or(self.rates(org, m)))).collect()
                }
                None => {
                    let mut starts: Vec<u32> =
                        self.on_costs[org].keys().chain(self.flat[org].keys()).copied().collect();
                    starts.sort_unstable();
                    starts.dedup();
                    starts.into_iter().map(|m| (m, self.rates(org, m))).collect()
                }
            };
            let on: Vec<String> =
                rates.iter().map(|(m, r)| format!("{{ from = \"{}\", rate = {} }}", month(*m), r.on_costs)).collect();
            let flat: Vec<String> = rates
                .iter()
                .map(|(m, r)| {
                    format!(
                        "{{ from = \"{}\", model = \"{}\", rate = {} }}",
                        month(*m),
                        r.flat_model.as_str(),
                        r.flat_rate
                    )
                })
                .collect();
            let (from, until) = self.window[org];
            let mut head = format!(
                "org_nr = \"{}\"\non_costs = [{}]\nflat_rate = [{}]\n",
                o.org_nr,
                on.join(", "),
                flat.join(", ")
            );
            if once.is_none() && from > 0 {
                head.push_str(&format!("from = \"{}\"\n", month(from)));
            }
            if once.is_none() && until < MONTHS {
                head.push_str(&format!("until = \"{}\"\n", month(until)));
            }
            let at = text.find(&format!("org_nr = \"{}\"\n", o.org_nr)).unwrap();
            let end = at + text[at..].find("\n[[").unwrap();
            let block: String = text[at..end]
                .lines()
                .filter(|l| {
                    !l.starts_with("org_nr = ") && !l.starts_with("on_costs = ") && !l.starts_with("flat_rate = ")
                })
                .map(|l| format!("{l}\n"))
                .collect();
            text = format!("{}{head}{block}{}", &text[..at], &text[end..]);
            let folder_line = format!("folder = \"{}\"", o.folder);
            text = text.replacen(&folder_line, &format!("folder = \"{}\"", self.folder(org)), 1);
        }
        for (n, &(org, from, _)) in self.changes.iter().enumerate() {
            text.push_str(&format!(
                "\n[[change]]\nnumber = {}\ndecided = 2024-01-31\nwhat = \"Lönebikostnaden retroaktivt\"\n\
                 retroactive = {{ from = \"{}\", keys = [\"{}.on_costs\"] }}\n",
                n + 1,
                month(from),
                self.folder(org)
            ));
        }
        let moved = Decimal::from(APPROVED) - self.approved;
        let moved = moved.to_string();
        let with = |t: String, from: &str, to: String| {
            assert!(t.contains(from), "the seed has no «{from}»");
            t.replacen(from, &to, 1)
        };
        let m: i64 = moved.parse().unwrap();
        text = with(text, "approved_support = 12752293", format!("approved_support = {}", APPROVED - m));
        text = with(text, "support = 12752293", format!("support = {}", APPROVED - m));
        text = with(text, "cofinancing = 19189793", format!("cofinancing = {}", 19_189_793 + m));
        text = with(text, "support = 5795365", format!("support = {}", 5_795_365 - m));
        with(
            text,
            "{ financier = \"Härnösands kommun\", amount = 1043763 }",
            format!("{{ financier = \"Härnösands kommun\", amount = {} }}", 1_043_763 + m),
        )
    }
}

fn file(d: &Decision, org: usize, m: u32, version: u32) -> String {
    format!("{}/{}-v{version}.xlsx", d.folder(org), month(m))
}

fn workbook(d: &Decision, org: usize, m: u32, version: u32, attested: bool, quarter_hours: u32, rows: Rows) -> Vec<u8> {
    let p = person(org);
    // The 20th: after every person's Startdatum (Anna's is 2024-01-15).
    let when = date(2024, 1 + m, 20);
    let hours = f64::from(quarter_hours) / 4.0;
    let mut book = Book::new()
        .with(info_sheet(&ORGS[org], &month(m).to_string(), version, attested))
        .with(personal_sheet(std::slice::from_ref(&p)))
        .with(time_sheet(vec![time_row(&p.name, when.clone(), ACTIVITIES[rows.activity], n(hours))]));
    if org < 2 && d.indirect[org] && rows.other > 0 {
        let cost = vec![
            t("V1"),
            when.clone(),
            t("Resor"),
            t("Tåg"),
            t(ACTIVITIES[rows.other_activity]),
            n(f64::from(rows.other) / 100.0),
        ];
        book = book.with(table("Övriga kostnader", "A1", &headers(ContractSheet::OvrigaKostnader), vec![cost]));
    }
    if org < 2 && rows.paid > 0 {
        let payer = PAYERS[org][rows.payer];
        let pay = vec![when, t(payer), empty(), t("Offentlig kontant"), n(f64::from(rows.paid)), t("MF1")];
        book = book.with(table("Medfinansiering", "A1", &headers(ContractSheet::Medfinansiering), vec![pay]));
    }
    book.xlsx(Strings::Shared)
}

fn options(from: Month, to: Month, hold: bool) -> Options {
    Options { from: Some(from), to: Some(to), hold_corrections: hold, ..Options::claim(today()) }
}

/// Per organisation (organisationsnummer): (staff, flat rate, other, hours).
type Sums = BTreeMap<String, (Decimal, Decimal, Decimal, Decimal)>;

fn add_line(sums: &mut Sums, l: &ClaimedMonth) {
    let e = sums.entry(org_nr(l)).or_default();
    e.0 += l.content.staff;
    e.1 += l.content.flat_rate;
    e.2 += l.content.other;
    e.3 += l.content.hours;
}

fn org_nr(l: &ClaimedMonth) -> String {
    l.org_nr.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn org_of(l: &ClaimedMonth) -> usize {
    ORGS.iter().position(|o| o.org_nr == org_nr(l)).unwrap()
}

fn index(m: Month) -> u32 {
    (0..MONTHS).find(|i| month(*i) == m).unwrap()
}

/// Writes the decision to the project folder and loads it.
fn decide(dir: &Path, seed: &str, d: &Decision) -> Project {
    std::fs::write(dir.join("project.toml"), d.render(seed, None)).unwrap();
    Project::load(dir).unwrap_or_else(|e| panic!("{e}\n{}", d.render(seed, None)))
}

/// Lives `steps` in `dir` and checks the laws (module documentation); returns the ledger and the
/// claim that would follow it.
fn live(dir: &Path, indirect: [bool; 2], steps: &[Step]) -> Result<(Ledger, Figures), TestCaseError> {
    let seed = std::fs::read_to_string(project_dir().join("project.toml")).unwrap();
    let mut d = Decision::seed(indirect);
    let mut project = decide(dir, &seed, &d);
    std::fs::create_dir_all(project.inbox()).unwrap();
    let last = month(MONTHS - 1);
    let rate = project.support_fraction();
    // The values each organisation-month was last priced at by a claim, with the change decisions
    // in the file then, and the bytes of every workbook.
    let mut priced: BTreeMap<(usize, u32), (Rates, Vec<usize>)> = BTreeMap::new();
    let mut bytes: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut shares = Decimal::ZERO;
    for s in steps {
        match *s {
            Step::Put { org, month: m, version, attested, quarter_hours, rows } => {
                let rel = file(&d, org, m, version);
                let book = workbook(&d, org, m, version, attested, quarter_hours, rows);
                put_in_inbox(&project, &rel, &book);
                let sha = pipeline::sha256_file(&project.inbox().join(&rel)).unwrap();
                bytes.insert(sha, book);
            }
            Step::Remove { org, month: m, version } => {
                let _ = std::fs::remove_file(project.inbox().join(file(&d, org, m, version)));
            }
            Step::OnCosts { org, from, rate } => {
                let map = &mut d.on_costs[org];
                map.retain(|m, _| *m < from || *m == 0);
                map.insert(from, Decimal::new(ON_COSTS[rate], 2));
                project = decide(dir, &seed, &d);
            }
            Step::FlatRate { org, from, which } => {
                if d.indirect[org] {
                    continue;
                }
                let value = match which {
                    0 => (FlatRateModel::RemainingCosts, Decimal::from(25)),
                    1 => (FlatRateModel::RemainingCosts, Decimal::from(40)),
                    _ => (FlatRateModel::Indirect, Decimal::from(15)),
                };
                let map = &mut d.flat[org];
                map.retain(|m, _| *m < from || *m == 0);
                map.insert(from, value);
                project = decide(dir, &seed, &d);
            }
            Step::Window { org, from, until } => {
                d.window[org] = (from, until.max(from));
                project = decide(dir, &seed, &d);
            }
            Step::Approved { level } => {
                d.approved = Decimal::from(APPROVED_LEVELS[level]);
                project = decide(dir, &seed, &d);
            }
            Step::Retroactive { org, from } => {
                d.changes.push((org, from, false));
                project = decide(dir, &seed, &d);
            }
            Step::Rename { org } => {
                let before = project.inbox().join(d.folder(org));
                d.renamed[org] = !d.renamed[org];
                if before.exists() {
                    std::fs::rename(&before, project.inbox().join(d.folder(org))).unwrap();
                }
                project = decide(dir, &seed, &d);
            }
            Step::Submit { months, hold } => {
                let ledger = Ledger::load(&project.dir).unwrap();
                let from = ledger.last().map_or(project.start_month(), |c| c.to.next());
                if from > last {
                    continue;
                }
                let to = (1..months).fold(from, |m, _| if m < last { m.next() } else { m });
                let claim = submit::submit(&project, &options(from, to, hold), true).unwrap();
                // Each line at the values its month was claimed at (the on-cost rate made
                // retroactive by a change decision aside), else the file's now.
                let under: Vec<usize> = (0..d.changes.len()).collect();
                for l in claim.months.iter().flatten() {
                    parts_add_up(l, &format!("claim {}", claim.seq))?;
                    let key = (org_of(l), index(l.month));
                    let expected = d.expected(key, priced.get(&key).map(|(r, u)| (*r, u.as_slice())));
                    prop_assert_eq!(l.rates, Some(expected), "{} {} in claim {}", org_nr(l), l.month, claim.seq);
                    priced.insert(key, (expected, under.clone()));
                }
                // A claim that held no correction back spends the change decisions it recorded,
                // also when asked to hold and there was nothing to hold (docs/rules.md).
                prop_assert!(hold || !claim.held_corrections, "claim {} held without being asked", claim.seq);
                if !claim.held_corrections {
                    for c in &mut d.changes {
                        c.2 = true;
                    }
                }
                // The support of all claims: min(approved in force, Σ shares), never above it.
                shares += floor2(claim.eligible * rate);
                let total: Decimal = Ledger::load(&project.dir).unwrap().claims.iter().map(|c| c.support).sum();
                prop_assert!(total <= d.approved, "support {} over the approved {}", total, d.approved);
                prop_assert_eq!(total, d.approved.min(shares.max(Decimal::ZERO)), "after claim {}", claim.seq);
            }
        }
    }
    let ledger = Ledger::load(&project.dir).unwrap();
    let from = ledger.last().map_or(project.start_month(), |c| c.to.next());
    let to = from.max(last);
    let now: Figures = pipeline::evaluate(&project, &options(from, to, false), &ledger).unwrap().figures;
    // Every row counts: an error leaving rows out would make the sums below trivially equal.
    let left_out: Vec<&redovisa::finding::Finding> =
        now.findings.iter().filter(|f| f.is_error() && f.place.cell.is_some()).collect();
    prop_assert!(left_out.is_empty(), "rows left out: {:?}", left_out);
    let mut values: BTreeMap<(usize, u32), Rates> = priced.iter().map(|(k, (r, _))| (*k, *r)).collect();
    for l in &now.lines {
        parts_add_up(l, "the current claim")?;
        let key = (org_of(l), index(l.month));
        let expected = d.expected(key, priced.get(&key).map(|(r, u)| (*r, u.as_slice())));
        prop_assert_eq!(l.rates, Some(expected), "{} {} in the current claim", org_nr(l), l.month);
        values.insert(key, expected);
    }

    // The single pass: the final inbox, each month at its values, and the months outside an
    // organisation's decision as the claims counted them (their last counted workbook, or none).
    let once_dir = tempfile::tempdir().unwrap();
    std::fs::write(once_dir.path().join("project.toml"), d.render(&seed, Some(&values))).unwrap();
    let once_project = Project::load(once_dir.path()).unwrap();
    copy_tree(&project.inbox(), &once_project.inbox());
    let mut last_counted: BTreeMap<(usize, u32), String> = BTreeMap::new();
    for l in ledger.claims.iter().flat_map(|c| c.months.iter().flatten()) {
        last_counted.insert((org_of(l), index(l.month)), l.sha256.clone());
    }
    for org in 0..ORGS.len() {
        for m in (0..MONTHS).filter(|m| !d.in_window(org, *m)) {
            for version in 1..3 {
                let _ = std::fs::remove_file(once_project.inbox().join(file(&d, org, m, version)));
            }
            if let Some(sha) = last_counted.get(&(org, m)).filter(|s| !s.is_empty()) {
                put_in_inbox(&once_project, &file(&d, org, m, 1), &bytes[sha]);
            }
        }
    }
    let once: Figures =
        pipeline::evaluate(&once_project, &options(project.start_month(), to, false), &Ledger::default())
            .unwrap()
            .figures;

    // The claims' lines, summed.
    let mut claimed = Sums::new();
    let mut taken_whole: BTreeMap<(String, Month), u32> = BTreeMap::new();
    let mut lines = 0u32;
    for l in ledger.claims.iter().flat_map(|c| c.months.iter().flatten()).chain(&now.lines) {
        add_line(&mut claimed, l);
        lines += 1;
        if l.kind != LineKind::Correction {
            *taken_whole.entry((org_nr(l), l.month)).or_default() += 1;
        }
    }
    for ((org, m), n) in &taken_whole {
        prop_assert_eq!(*n, 1, "{} {} taken whole {} times", org, m, n);
    }
    for o in &now.orgs {
        let one = once.orgs.iter().find(|x| x.org_nr == o.org_nr).unwrap();
        let (staff, flat, other, hours) = claimed.get(&o.org_nr).copied().unwrap_or_default();
        // Cumulative is the sum of the claims, exactly.
        prop_assert_eq!(
            (o.cumulative.staff, o.cumulative.flat_rate, o.cumulative.other),
            (staff, flat, other),
            "{}",
            o.folder
        );
        prop_assert_eq!(o.hours_cumulative, hours, "{}", o.folder);
        // And equals one pass over the final inbox at the same values, the flat rate within its
        // roundings (each claim's groups and the single pass's, an öre each at most).
        prop_assert_eq!((staff, other, hours), (one.period.staff, one.period.other, one.hours_period), "{}", o.folder);
        let off = (one.period.flat_rate - flat).abs();
        prop_assert!(
            off <= Decimal::new(i64::from(lines) + 3, 2),
            "{}: flat rate {} against {}",
            o.folder,
            flat,
            one.period.flat_rate
        );
    }
    // The detail, per organisation and month: the claims' lines against the single pass's line.
    let mut detail: BTreeMap<(String, Month), Detail> = BTreeMap::new();
    for l in ledger.claims.iter().flat_map(|c| c.months.iter().flatten()).chain(&now.lines) {
        detail.entry((org_nr(l), l.month)).or_default().add(&l.content);
    }
    let mut single: BTreeMap<(String, Month), Detail> = BTreeMap::new();
    for l in &once.lines {
        parts_add_up(l, "the single pass")?;
        single.entry((org_nr(l), l.month)).or_default().add(&l.content);
    }
    let keys: std::collections::BTreeSet<&(String, Month)> = detail.keys().chain(single.keys()).collect();
    for key in keys {
        let claimed = detail.get(key).cloned().unwrap_or_default().without_zeros();
        let one = single.get(key).cloned().unwrap_or_default().without_zeros();
        prop_assert_eq!(claimed, one, "{} {}: the claims' lines against the single pass", key.0, key.1);
    }
    // Per activity: the hours the claims' lines put on it, and per activity and organisation
    // what they cost with the flat rate spread over them, are the single pass's (the cost within
    // the flat rate's roundings, as above, and an öre of the spread).
    let hours = |f: &Figures| -> BTreeMap<String, Decimal> {
        f.activities.iter().map(|a| (a.code.clone(), a.hours_cumulative)).filter(|(_, h)| !h.is_zero()).collect()
    };
    let mut claimed_hours: BTreeMap<String, Decimal> = BTreeMap::new();
    for a in detail.values().flat_map(|d| &d.activities) {
        *claimed_hours.entry(a.0.clone()).or_default() += a.1[0];
    }
    claimed_hours.retain(|_, h| !h.is_zero());
    prop_assert_eq!(&hours(&now), &claimed_hours, "hours per activity, the claims' lines summed");
    prop_assert_eq!(hours(&once), claimed_hours, "hours per activity, the single pass");
    let cost = |f: &Figures| -> BTreeMap<(String, String), Decimal> {
        f.activity_orgs.iter().map(|a| ((a.code.clone(), a.folder.clone()), a.cumulative)).collect()
    };
    let (cost_now, cost_once) = (cost(&now), cost(&once));
    for key in cost_now.keys().chain(cost_once.keys()) {
        let (a, b) = (cost_now.get(key).copied().unwrap_or_default(), cost_once.get(key).copied().unwrap_or_default());
        prop_assert!(
            (a - b).abs() <= Decimal::new(i64::from(lines) + 4, 2),
            "{} in {}: {} against the single pass's {}",
            key.0,
            key.1,
            a,
            b
        );
    }
    // Co-financing paid in: cumulative per partner and financier, the claims' lines summed and
    // the single pass's.
    let mut paid: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    for ((nr, _), d) in &detail {
        let partner = ORGS.iter().find(|o| o.org_nr == nr).unwrap().name;
        for ((financier, _), amount) in &d.payments {
            *paid.entry((partner.to_string(), financier.clone())).or_default() += amount;
        }
    }
    for l in &now.cofinancing.lines {
        let one = once.cofinancing.lines.iter().find(|x| (&x.partner, &x.financier) == (&l.partner, &l.financier));
        let key = (l.partner.clone(), l.financier.clone());
        let claimed = paid.get(&key).copied().unwrap_or_default();
        prop_assert_eq!(l.paid_cumulative, claimed, "{} from {}", l.partner, l.financier);
        prop_assert_eq!(one.map(|x| x.paid_cumulative), Some(claimed), "{} from {}", l.partner, l.financier);
    }
    let eligible: Decimal = ledger.claims.iter().map(|c| c.eligible).sum::<Decimal>() + now.totals.eligible;
    prop_assert_eq!(now.cumulative.eligible, eligible);
    // The chart's last month: every claim's lines and this claim's, all costs counted.
    prop_assert_eq!(now.monthly.last().map(|m| m.cumulative), Some(eligible), "the chart's last month");
    let support: Decimal = ledger.claims.iter().map(|c| c.support).sum::<Decimal>() + now.totals.support;
    prop_assert_eq!(now.support.claimed_total, support);
    prop_assert!(support <= d.approved);
    prop_assert!(support >= Decimal::ZERO, "support over all claims {}", support);
    Ok((ledger, now))
}

/// One organisation-month's detail, or the sum of lines: per person (personnummer) hours, lön,
/// lönebikostnad and personalkostnad; per activity hours, staff and other costs; per financier
/// and kind what was paid in.
#[derive(Debug, Clone, Default, PartialEq)]
struct Detail {
    persons: BTreeMap<String, [Decimal; 4]>,
    activities: BTreeMap<String, [Decimal; 3]>,
    payments: BTreeMap<(String, FinancierKind), Decimal>,
}

impl Detail {
    fn add(&mut self, c: &Content) {
        for p in &c.persons {
            let e = self.persons.entry(p.pnr.clone()).or_default();
            for (sum, x) in e.iter_mut().zip([p.hours, p.salary_cost, p.on_cost, p.staff_cost]) {
                *sum += x;
            }
        }
        for a in &c.activities {
            let e = self.activities.entry(a.code.clone()).or_default();
            for (sum, x) in e.iter_mut().zip([a.hours, a.staff, a.other]) {
                *sum += x;
            }
        }
        for p in &c.payments {
            *self.payments.entry((p.financier.clone(), p.kind)).or_default() += p.amount;
        }
    }

    /// Without the entries that sum to nothing (a month taken out gives everything back).
    fn without_zeros(mut self) -> Detail {
        self.persons.retain(|_, v| v.iter().any(|x| !x.is_zero()));
        self.activities.retain(|_, v| v.iter().any(|x| !x.is_zero()));
        self.payments.retain(|_, v| !v.is_zero());
        self
    }
}

/// A line's parts add up to its totals: the persons' hours and personalkostnad, the activities'
/// hours, staff and other costs; each person's lön and lönebikostnad to their personalkostnad.
/// A line that differs in anything names a person or an activity.
fn parts_add_up(l: &ClaimedMonth, claim: &str) -> Result<(), TestCaseError> {
    let c = &l.content;
    let what = format!("{} {} in {claim}", org_nr(l), l.month);
    let persons: Vec<[Decimal; 4]> =
        c.persons.iter().map(|p| [p.hours, p.salary_cost, p.on_cost, p.staff_cost]).collect();
    for p in &persons {
        prop_assert_eq!(p[1] + p[2], p[3], "lön + lönebikostnad of a person, {}", what);
    }
    let sum = |i: usize| persons.iter().map(|p| p[i]).sum::<Decimal>();
    prop_assert_eq!((sum(0), sum(3)), (c.hours, c.staff), "the persons' hours and staff costs, {}", what);
    let hours: Decimal = c.activities.iter().map(|a| a.hours).sum();
    let staff: Decimal = c.activities.iter().map(|a| a.staff).sum();
    let other: Decimal = c.activities.iter().map(|a| a.other).sum();
    prop_assert_eq!((hours, staff, other), (c.hours, c.staff, c.other), "the activities' amounts, {}", what);
    let empty = |x: Decimal| x.is_zero();
    prop_assert!(
        c.persons.iter().all(|p| ![p.hours, p.salary_cost, p.on_cost, p.staff_cost].into_iter().all(empty)),
        "a person with nothing, {}",
        what
    );
    prop_assert!(
        c.activities.iter().all(|a| ![a.hours, a.staff, a.other].into_iter().all(empty)),
        "an activity with nothing, {}",
        what
    );
    prop_assert!(c.payments.iter().all(|p| !p.amount.is_zero()), "a payment of nothing, {}", what);
    Ok(())
}

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// An attested workbook of `hours` on `rows`' activities (see [`Rows`]).
fn put(org: usize, month: u32, version: u32, hours: u32, rows: Rows) -> Step {
    Step::Put { org, month, version, attested: true, quarter_hours: hours * 4, rows }
}

fn submit(months: u32) -> Step {
    Step::Submit { months, hold: false }
}

/// Time on `activity`, an other cost of `other` öre on `other_activity`, `paid` kr from `payer`.
fn rows(activity: usize, other: u32, other_activity: usize, paid: u32, payer: usize) -> Rows {
    Rows { activity, other, other_activity, paid, payer }
}

/// What each claim took: `seq: org/month kind`, one line per claim (`now` for the current one),
/// held corrections marked.
fn shape(ledger: &Ledger, now: &Figures) -> String {
    let line = |l: &ClaimedMonth| {
        format!(
            "{}/{}{}",
            org_of(l),
            index(l.month),
            match l.kind {
                LineKind::Period => "",
                LineKind::Late => " late",
                LineKind::Correction => " corr",
            }
        )
    };
    let mut out: Vec<String> = ledger
        .claims
        .iter()
        .map(|c| format!("{}: {}", c.seq, c.months.iter().flatten().map(line).collect::<Vec<_>>().join(", ")))
        .collect();
    out.push(format!("now: {}", now.lines.iter().map(line).collect::<Vec<_>>().join(", ")));
    out.join("\n")
}

/// Scripted lives: the laws of the random lives on fixed steps, each walking one part of the
/// claim history deterministically (the mutation test runs these, not the random lives).
///
/// Kramfors on the 15 % model: January claimed, then corrected twice (to another activity, other
/// costs moved between activities, another payer; then edited in place), Härnösand's January
/// taken out, corrections held back by claim 3 and taken by claim 4, a late month; the
/// co-financier's months beside them.
#[test]
fn scripted_corrections_move_persons_activities_other_costs_and_payments() {
    let steps = [
        put(0, 0, 1, 40, rows(0, 123_450, 1, 10_000, 0)),
        put(1, 0, 1, 20, rows(1, 0, 0, 5_000, 1)),
        put(2, 0, 1, 10, Rows::default()),
        submit(1),
        put(0, 0, 2, 60, rows(1, 50_000, 0, 2_000, 1)),
        put(0, 1, 1, 8, rows(2, 99, 2, 0, 0)),
        put(2, 0, 2, 12, Rows::default()),
        submit(1),
        put(0, 0, 2, 30, rows(2, 0, 0, 7_000, 0)),
        Step::Remove { org: 1, month: 0, version: 1 },
        put(1, 2, 1, 16, rows(0, 0, 0, 1_500, 0)),
        Step::Submit { months: 2, hold: true },
        put(0, 2, 1, 24, rows(0, 3_000, 2, 300, 1)),
        put(0, 4, 1, 4, rows(1, 250_000, 1, 0, 0)),
        submit(1),
        put(0, 5, 1, 4, rows(0, 100, 0, 100, 0)),
    ];
    let dir = tempfile::tempdir().unwrap();
    let (ledger, now) = live(dir.path(), [true, false], &steps).unwrap();
    // Organisations by index: 0 Kramfors, 1 Härnösand, 2 Region Västernorrland (in the file's
    // order in a claim: Härnösand, Kramfors, the co-financier). Claim 3 holds its corrections
    // (Kramfors' January edited again, Härnösand's taken out); claim 4 takes them and the late
    // March.
    let expected = "1: 1/0, 0/0, 2/0\n\
                    2: 0/0 corr, 0/1, 2/0 corr\n\
                    3: 1/2\n\
                    4: 1/0 corr, 0/0 corr, 0/2 late, 0/4\n\
                    now: 0/5";
    assert_eq!(shape(&ledger, &now), expected);
    assert!(ledger.claims[2].held_corrections);
}

/// The decision changing under the claims: Härnösand on the 15 % model, Kramfors' on-cost rate
/// edited in place and made retroactive by a change decision, its flat rate changed from a month,
/// Kramfors leaving the decision (its later month frozen as claimed) and renamed, Härnösand's
/// on-cost rate made retroactive, the approved support lowered and raised.
#[test]
fn scripted_decision_changes_reprice_and_freeze_months() {
    let steps = [
        put(0, 0, 1, 100, rows(0, 0, 0, 20_000, 1)),
        put(1, 0, 1, 150, rows(2, 400_000, 1, 30_000, 0)),
        put(2, 1, 1, 80, Rows::default()),
        submit(2),
        Step::OnCosts { org: 0, from: 0, rate: 1 },
        Step::Retroactive { org: 0, from: 0 },
        Step::FlatRate { org: 0, from: 2, which: 2 },
        put(0, 2, 1, 120, rows(1, 0, 0, 0, 0)),
        put(1, 1, 1, 50, rows(0, 10_000, 0, 0, 0)),
        submit(1),
        Step::Approved { level: 2 },
        put(0, 1, 1, 70, rows(2, 0, 0, 900, 0)),
        put(0, 3, 1, 90, rows(0, 0, 0, 0, 0)),
        put(0, 4, 1, 30, rows(1, 0, 0, 0, 0)),
        put(1, 0, 2, 160, rows(1, 77_700, 2, 30_000, 0)),
        submit(2),
        Step::Window { org: 0, from: 0, until: 3 },
        put(0, 4, 2, 60, rows(2, 0, 0, 400, 1)),
        Step::Rename { org: 0 },
        Step::Approved { level: 0 },
        put(0, 2, 2, 10, rows(0, 0, 0, 0, 0)),
        put(1, 4, 1, 40, rows(0, 5_000, 0, 0, 1)),
        Step::Retroactive { org: 1, from: 0 },
        Step::OnCosts { org: 1, from: 0, rate: 2 },
        submit(1),
        put(1, 6, 1, 12, rows(2, 1, 2, 1, 1)),
    ];
    let dir = tempfile::tempdir().unwrap();
    let (ledger, now) = live(dir.path(), [false, true], &steps).unwrap();
    // Claim 2 re-prices Kramfors' January (the change decision); claim 4 Härnösand's January and
    // February (the other), corrects Kramfors' March but not its May, outside the decision now.
    let expected = "1: 1/0, 0/0, 2/1\n\
                    2: 1/1 late, 0/0 corr, 0/2\n\
                    3: 1/0 corr, 0/1 late, 0/3, 0/4\n\
                    4: 1/0 corr, 1/1 corr, 1/4 late, 0/2 corr\n\
                    now: 1/6";
    assert_eq!(shape(&ledger, &now), expected);
}

/// Other costs (the 15 % model) in the amounts findings and the cumulative chart state, worked by
/// hand. Kramfors on the 15 % model; its person: Månadslön 2 000 000, on-costs 40,15 %, Startdatum
/// 2024-01-15, so every month of 2024 is k = 0: rate 2 000 000 × 12 / 1 720 = 13 953,488372… kr/h.
/// - 4 h: lön round2(55 813,953488…) = 55 813,95, lönebikostnad round2(55 813,95 × 0,4015 =
///   22 409,300925) = 22 409,30, staff 78 223,25, indirect floor2(78 223,25 × 0,15 = 11 733,4875)
///   = 11 733,48;
/// - 8 h: lön round2(111 627,906976…) = 111 627,91, lönebikostnad round2(44 818,605865) =
///   44 818,61, staff 156 446,52, indirect floor2(23 466,978) = 23 466,97.
///
/// Claim 1 takes January (4 h, other costs 1 000,00 on 2.2, 10 000 paid in by Kramfors kommun):
/// eligible 78 223,25 + 11 733,48 + 1 000,00 = 90 956,73. Then February (4 h, other costs 250,50
/// on 4.1, 300 paid in by Region Västernorrland) comes late, and January is corrected to 8 h with
/// other costs 300,00 and 2 500 paid in.
#[test]
fn scripted_other_costs_count_in_late_months_corrections_and_the_chart() {
    let steps = [
        put(0, 0, 1, 4, rows(0, 100_000, 1, 10_000, 0)),
        Step::Submit { months: 2, hold: false },
        put(0, 1, 1, 4, rows(0, 25_050, 2, 300, 1)),
        put(0, 0, 2, 8, rows(0, 30_000, 1, 2_500, 0)),
    ];
    let dir = tempfile::tempdir().unwrap();
    let (ledger, now) = live(dir.path(), [true, false], &steps).unwrap();
    assert_eq!(shape(&ledger, &now), "1: 0/0\nnow: 0/0 corr, 0/1 late");
    let message = |code: Code| -> String {
        let f = now.findings.iter().find(|f| f.code == code).unwrap_or_else(|| panic!("no {code:?}"));
        f.message.replace(['\u{a0}', '\u{202f}'], " ")
    };
    // February whole: 78 223,25 + 11 733,48 + 250,50 = 90 207,23.
    let late = message(Code::LateMonth);
    assert!(late.contains("stödgrundande 90 207,23 kr"), "{late}");
    // January's difference: staff 156 446,52 − 78 223,25 = 78 223,27, indirect 23 466,97 −
    // 11 733,48 = 11 733,49, other 300,00 − 1 000,00 = −700,00: 78 223,27 + 11 733,49 − 700,00 =
    // 89 256,76.
    let corrected = message(Code::ChangedAfterClaim);
    assert!(corrected.contains("med arbetsboken kramfors/2024-01-v1.xlsx"), "{corrected}");
    assert!(corrected.contains("nu räknas kramfors/2024-01-v2.xlsx"), "{corrected}");
    assert!(
        corrected.contains("+89 256,76 kr stödgrundande (personal +78 223,27 kr, schablon/indirekta +11 733,49 kr, övriga −700,00 kr, 4 timmar)"),
        "{corrected}"
    );
    // The lines' detail: the difference moves 4 h and their staff costs onto 1.1 and takes 700,00
    // of other costs off 2.2; lön 111 627,91 − 55 813,95 = 55 813,96, lönebikostnad 44 818,61 −
    // 22 409,30 = 22 409,31. February puts 4 h on 1.1 and 250,50 on 4.1.
    let [corr, feb] = &now.lines[..] else { panic!("{:?}", now.lines) };
    let activities = |c: &Content| -> Vec<(String, Decimal, Decimal, Decimal)> {
        c.activities.iter().map(|a| (a.code.clone(), a.hours, a.staff, a.other)).collect()
    };
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert_eq!(
        activities(&corr.content),
        vec![("1.1".into(), d("4"), d("78223.27"), d("0")), ("2.2".into(), d("0"), d("0"), d("-700.00"))]
    );
    assert_eq!(
        activities(&feb.content),
        vec![("1.1".into(), d("4"), d("78223.25"), d("0")), ("4.1".into(), d("0"), d("0"), d("250.50"))]
    );
    // Co-financing paid in: January 10 000 from Kramfors kommun, corrected to 2 500 (−7 500);
    // February 300 from Region Västernorrland.
    let paid = |c: &Content| -> Vec<(String, FinancierKind, Decimal)> {
        c.payments.iter().map(|p| (p.financier.clone(), p.kind, p.amount)).collect()
    };
    let first = &ledger.claims[0].months.as_ref().unwrap()[0];
    assert_eq!(paid(&first.content), vec![("Kramfors kommun".into(), FinancierKind::Public, d("10000"))]);
    assert_eq!(paid(&corr.content), vec![("Kramfors kommun".into(), FinancierKind::Public, d("-7500"))]);
    assert_eq!(paid(&feb.content), vec![("Region Västernorrland (1:1)".into(), FinancierKind::Public, d("300"))]);
    let anna: Vec<[Decimal; 4]> =
        corr.content.persons.iter().map(|p| [p.hours, p.salary_cost, p.on_cost, p.staff_cost]).collect();
    assert_eq!(anna, vec![[d("4"), d("55813.96"), d("22409.31"), d("78223.27")]]);
    // The chart: January as corrected, 156 446,52 + 23 466,97 + 300,00 = 180 213,49; from
    // February on + 90 207,23 = 270 420,72.
    let chart: Vec<Decimal> = now.monthly.iter().map(|m| m.cumulative).collect();
    assert_eq!(chart[..3], [d("180213.49"), d("270420.72"), d("270420.72")]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: support::proptest_cases(48), ..ProptestConfig::default() })]

    #[test]
    fn random_lives_add_up_to_one_pass_at_the_values_each_month_was_claimed_at(
        indirect in any::<[bool; 2]>(),
        steps in prop::collection::vec(step(), 4..32),
    ) {
        let dir = tempfile::tempdir().unwrap();
        live(dir.path(), indirect, &steps)?;
    }
}

proptest! {
    /// Support across claims, positive and negative (corrections giving money back), with the
    /// approved support changing between them: after every claim the support of all claims is
    /// `min(approved in force, Σ of each claim's share)` (eligible × rate rounded down), never
    /// below 0, and a claim capped by an earlier, lower approved support gets back what the cap
    /// held once the approved support is raised.
    #[test]
    fn support_across_claims_is_the_sum_of_shares_capped_by_the_approved_support_in_force(
        steps in prop::collection::vec((-300_000i64..1_000_000, 0i64..2_000_000), 1..12),
    ) {
        use redovisa::ledger::Claim;
        use redovisa::reconcile::figures::support;
        let rate = Decimal::new(3992, 4);
        let mut claims: Vec<Claim> = Vec::new();
        let (mut eligible_sum, mut shares) = (Decimal::ZERO, Decimal::ZERO);
        for (i, (cents, approved)) in steps.into_iter().enumerate() {
            let approved = Decimal::new(approved, 2) * Decimal::ONE_HUNDRED;
            // Cumulative eligible costs never go below zero: a correction gives back at most
            // what was claimed.
            let eligible = Decimal::new(cents, 2).max(-eligible_sum);
            let out = support(approved, &claims, rate, eligible);
            eligible_sum += eligible;
            shares += floor2(eligible * rate);
            let total = out.figures.claimed_total;
            prop_assert_eq!(total, approved.min(shares.max(Decimal::ZERO)), "after claim {}", i + 1);
            prop_assert!(total <= approved && total >= Decimal::ZERO);
            let before: Decimal = claims.iter().map(|c| c.support).sum();
            let below = out.findings.iter().any(|f| f.code == redovisa::finding::Code::ApprovedSupportBelowClaimed);
            prop_assert_eq!(below, approved < before, "APPROVED_SUPPORT_BELOW_CLAIMED after claim {}", i + 1);
            prop_assert_eq!(out.figures.capped, out.claimed < out.uncapped);
            claims.push(Claim {
                seq: i as u32 + 1,
                from: month(0),
                to: month(0),
                support: out.claimed,
                eligible,
                support_uncapped: Some(out.uncapped),
                recorded_on: today(),
                workbooks: Vec::new(),
                months: Some(Vec::new()),
                held_corrections: false,
                indicators: Vec::new(),
                decision: None,
                prev: String::new(),
            });
        }
    }
}
