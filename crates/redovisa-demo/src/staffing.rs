//! Who works in the demo project, and how each organisation fills in its workbooks.
//!
//! One [`OrgTemplate`] per organisation of the seed project (by its folder): its people
//! ([`RoleSpec`]: role, salary, reporting, share, dates, activity mix), whether it hosts events,
//! and its [`FileStyle`]. The numbers are sized against the approved budget so that, with the
//! 2.4 % yearly indexation and each organisation's on-costs and flat rate, every organisation,
//! cost category and activity ends at roughly 85–95 % of its budget by the project's end
//! (`tests/demo.rs` recomputes the figures and checks they stay within budget). An organisation
//! that is not in the seed gets a [`generic`] template sized from its own budget.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::plan::{
    ActivityCell, DateCell, FileNaming, FileStyle, GenderForm, HoursStyle, IndicatorHabit, OrgNrForm, PeriodCell,
    PnrForm, SalaryCell, ShareCell, SheetNaming,
};
use redovisa::project::{Org, Project};
use redovisa::read::Reporting;

/// How a time reporter's hours come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// Every month: `load` percent of a full-time month, less in July, August, December and January.
    Steady { load: u32 },
    /// Now and then: `hours_per_year` spread over `months_per_year` months.
    Sporadic { hours_per_year: u32, months_per_year: u32 },
    /// Hours come from a fixed share of full time (Fast andel), not a pattern.
    Fixed,
}

/// One person's post in an organisation.
#[derive(Debug, Clone)]
pub struct RoleSpec {
    pub role: &'static str,
    /// Ordinary full-time monthly salary, kr, before a small per-person variation.
    pub salary: u32,
    pub reporting: Reporting,
    /// Fast andel: share of full time, percent.
    pub share: u32,
    /// Sysselsättningsgrad, percent.
    pub employment: u32,
    pub pattern: Pattern,
    /// Startdatum and Slutdatum.
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// Huvudaktivitet (empty: the activity with the largest budget).
    pub main: &'static str,
    /// How the person's time is spread over activities (code, weight).
    pub mix: Vec<(&'static str, u32)>,
    /// Fast andel staff who also write time rows to spread their hours over activities.
    pub distributes: bool,
}

/// An organisation's people, events and habits.
#[derive(Debug, Clone)]
pub struct OrgTemplate {
    /// The seed folder the template belongs to (`generic` for others).
    pub key: String,
    /// Place name used in event names and narratives.
    pub place: String,
    pub roles: Vec<RoleSpec>,
    /// Weight when choosing who hosts an event (0: never hosts).
    pub host_weight: u32,
    /// Activities of the events it hosts.
    pub event_activities: Vec<&'static str>,
    pub style: FileStyle,
    /// Sends a corrected version 2 of one month.
    pub corrects_a_month: bool,
    /// Leaves an Office lock file in its folder.
    pub lock_file: bool,
}

/// The activity mix of a partner municipality's processledare.
fn partner_mix(shift: u32) -> Vec<(&'static str, u32)> {
    vec![("1.1", 12 + shift), ("1.2", 18), ("1.3", 3), ("2.1", 3), ("2.2", 28), ("3.2", 12), ("3.3", 24 - shift)]
}

/// A date of the templates (all valid by construction).
const fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

fn fixed(role: &'static str, salary: u32, share: u32, start: NaiveDate, end: Option<NaiveDate>) -> RoleSpec {
    RoleSpec {
        role,
        salary,
        reporting: Reporting::FixedShare,
        share,
        employment: 100,
        pattern: Pattern::Fixed,
        start,
        end,
        main: "1.1",
        mix: Vec::new(),
        distributes: true,
    }
}

fn timed(role: &'static str, salary: u32, pattern: Pattern, start: NaiveDate, end: Option<NaiveDate>) -> RoleSpec {
    RoleSpec {
        role,
        salary,
        reporting: Reporting::TimeReport,
        share: 0,
        employment: 100,
        pattern,
        start,
        end,
        main: "1.1",
        mix: Vec::new(),
        distributes: false,
    }
}

impl RoleSpec {
    fn main(mut self, main: &'static str) -> RoleSpec {
        self.main = main;
        self
    }
    fn mix(mut self, mix: Vec<(&'static str, u32)>) -> RoleSpec {
        self.mix = mix;
        self
    }
    fn employment(mut self, employment: u32) -> RoleSpec {
        self.employment = employment;
        self
    }
    fn distributes(mut self, yes: bool) -> RoleSpec {
        self.distributes = yes;
        self
    }
}

/// The end of the seed's activities: partners' posts in the project end with them.
const ACTIVITIES_END: Option<NaiveDate> = Some(day(2026, 12, 31));

/// The clean, template-like way of filling in a workbook; templates change what they do differently.
pub fn plain_style() -> FileStyle {
    FileStyle {
        naming: FileNaming::FolderMonth,
        title_rows: false,
        extra_column: false,
        reorder_columns: false,
        sheet_names: SheetNaming::Template,
        extra_sheet: false,
        label_colons: false,
        omit_version_one: false,
        dates: DateCell::Date,
        period: PeriodCell::Text,
        hours: HoursStyle::Number,
        salary: SalaryCell::Number,
        share: ShareCell::Percent,
        personnummer: PnrForm::Dash12,
        org_nr: OrgNrForm::Dash,
        activity: ActivityCell::Text,
        gender: GenderForm::Words,
        daily: true,
        indicators: IndicatorHabit::EveryMonth,
        indicator_codes: false,
    }
}

/// The template of a seed organisation by folder, `None` for any other folder.
pub fn seed_template(key: &str) -> Option<OrgTemplate> {
    let base = plain_style();
    let t = |place: &str, roles: Vec<RoleSpec>, host_weight, events: Vec<&'static str>, style| OrgTemplate {
        key: key.to_string(),
        place: place.to_string(),
        roles,
        host_weight,
        event_activities: events,
        style,
        corrects_a_month: false,
        lock_file: false,
    };
    let steady = |load| Pattern::Steady { load };
    let sporadic = |hours_per_year, months_per_year| Pattern::Sporadic { hours_per_year, months_per_year };
    Some(match key {
        "harnosand" => t(
            "Härnösand",
            vec![
                fixed("Projektledare", 58_500, 100, day(2024, 1, 1), None).main("4.1").mix(vec![
                    ("4.1", 41),
                    ("2.2", 29),
                    ("3.3", 15),
                    ("3.2", 10),
                    ("1.2", 5),
                ]),
                fixed("Kommunikatör", 47_000, 50, day(2024, 2, 12), ACTIVITIES_END).main("1.3").mix(vec![
                    ("1.3", 36),
                    ("2.1", 37),
                    ("3.2", 11),
                    ("3.4", 16),
                ]),
                fixed("Ekonomiassistent", 39_500, 40, day(2024, 1, 1), None)
                    .main("4.1")
                    .employment(80)
                    .distributes(false),
                timed("Processledare", 49_000, steady(95), day(2024, 1, 1), ACTIVITIES_END).main("2.2").mix(vec![
                    ("2.2", 55),
                    ("1.2", 25),
                    ("1.1", 20),
                ]),
            ],
            3,
            vec!["2.2", "1.2"],
            FileStyle { daily: false, ..base },
        ),
        "kramfors" => OrgTemplate {
            corrects_a_month: true,
            ..t(
                "Kramfors",
                vec![
                    fixed("Processledare", 47_500, 75, day(2024, 1, 1), ACTIVITIES_END).mix(partner_mix(0)),
                    timed("Samhällsplanerare", 46_000, steady(10), day(2024, 1, 1), ACTIVITIES_END)
                        .mix(vec![("1.1", 60), ("1.2", 40)]),
                ],
                2,
                vec!["1.1", "2.2"],
                FileStyle {
                    naming: FileNaming::Redovisning,
                    title_rows: true,
                    extra_column: true,
                    dates: DateCell::Text,
                    period: PeriodCell::Date,
                    hours: HoursStyle::Duration,
                    salary: SalaryCell::Text,
                    share: ShareCell::PercentCell,
                    personnummer: PnrForm::Plain12,
                    org_nr: OrgNrForm::Plain,
                    ..base
                },
            )
        },
        "solleftea" => t(
            "Sollefteå",
            vec![
                timed("Processledare", 46_000, steady(94), day(2024, 1, 1), ACTIVITIES_END).mix(partner_mix(4)),
                timed("Näringslivsutvecklare", 44_000, sporadic(60, 4), day(2024, 1, 1), ACTIVITIES_END)
                    .main("2.2")
                    .mix(vec![("2.2", 100)]),
            ],
            2,
            vec!["2.2", "1.2"],
            FileStyle {
                naming: FileNaming::SwedishMonth,
                reorder_columns: true,
                sheet_names: SheetNaming::Lower,
                extra_sheet: true,
                hours: HoursStyle::Mixed,
                share: ShareCell::Text,
                personnummer: PnrForm::Dash10,
                org_nr: OrgNrForm::Prefix16,
                indicators: IndicatorHabit::Quarterly,
                ..base
            },
        ),
        "sundsvall" => OrgTemplate {
            lock_file: true,
            ..t(
                "Sundsvall",
                vec![
                    fixed("Processledare", 52_000, 60, day(2024, 1, 1), ACTIVITIES_END).main("2.2").mix(partner_mix(2)),
                    timed("Hållbarhetsstrateg", 54_000, steady(18), day(2024, 3, 1), ACTIVITIES_END)
                        .main("3.3")
                        .mix(vec![("3.3", 50), ("3.2", 30), ("1.1", 20)]),
                ],
                2,
                vec!["2.2", "3.3"],
                FileStyle {
                    naming: FileNaming::MonthFirst,
                    sheet_names: SheetNaming::TrailingSpace,
                    label_colons: true,
                    period: PeriodCell::SwedishText,
                    hours: HoursStyle::Text,
                    salary: SalaryCell::Text,
                    personnummer: PnrForm::Plain10,
                    activity: ActivityCell::Comma,
                    gender: GenderForm::Letters,
                    daily: false,
                    indicator_codes: true,
                    ..base
                },
            )
        },
        "timra" => t(
            "Timrå",
            vec![
                timed("Processledare", 49_000, steady(84), day(2024, 1, 8), Some(day(2025, 6, 30))).mix(partner_mix(0)),
                timed("Processledare", 47_000, steady(86), day(2025, 8, 18), ACTIVITIES_END).mix(partner_mix(0)),
                timed("Samhällsplanerare", 45_000, steady(12), day(2024, 1, 1), ACTIVITIES_END)
                    .mix(vec![("1.1", 70), ("1.2", 30)]),
            ],
            2,
            vec!["1.1", "3.3"],
            FileStyle {
                naming: FileNaming::Compact,
                title_rows: true,
                reorder_columns: true,
                sheet_names: SheetNaming::Upper,
                omit_version_one: true,
                personnummer: PnrForm::Number12,
                activity: ActivityCell::Number,
                indicators: IndicatorHabit::Never,
                ..base
            },
        ),
        "ange" => t(
            "Ånge",
            vec![
                fixed("Processledare", 45_500, 80, day(2024, 1, 1), ACTIVITIES_END).distributes(false),
                timed("Näringslivsutvecklare", 44_000, steady(8), day(2024, 2, 1), ACTIVITIES_END)
                    .main("2.2")
                    .mix(vec![("2.2", 100)]),
            ],
            2,
            vec!["1.1", "2.2"],
            FileStyle {
                naming: FileNaming::Tidredovisning,
                extra_column: true,
                dates: DateCell::Text,
                period: PeriodCell::Date,
                hours: HoursStyle::Duration,
                share: ShareCell::PercentCell,
                org_nr: OrgNrForm::Prefix16,
                daily: false,
                ..base
            },
        ),
        "ornskoldsvik" => t(
            "Örnsköldsvik",
            vec![timed("Processledare", 51_000, steady(88), day(2024, 1, 1), ACTIVITIES_END).mix(partner_mix(1))],
            2,
            vec!["2.2", "1.2", "3.3"],
            FileStyle {
                naming: FileNaming::Redovisning,
                title_rows: true,
                reorder_columns: true,
                extra_sheet: true,
                hours: HoursStyle::Mixed,
                salary: SalaryCell::Text,
                share: ShareCell::Text,
                personnummer: PnrForm::Plain12,
                org_nr: OrgNrForm::Plain,
                indicators: IndicatorHabit::Quarterly,
                indicator_codes: true,
                ..base
            },
        ),
        "region-vasternorrland" => t(
            "Sundsvall",
            vec![
                fixed("Regional utvecklare", 40_500, 50, day(2024, 1, 1), ACTIVITIES_END)
                    .main("1.1")
                    .mix(vec![("1.1", 60), ("1.2", 40)]),
                fixed("Regional utvecklare", 39_000, 50, day(2024, 9, 1), ACTIVITIES_END)
                    .main("3.3")
                    .mix(vec![("3.3", 60), ("3.2", 40)]),
            ],
            1,
            vec!["3.3"],
            FileStyle {
                dates: DateCell::Text,
                share: ShareCell::PercentCell,
                daily: false,
                indicators: IndicatorHabit::Never,
                ..base
            },
        ),
        "lansstyrelsen" => t(
            "Härnösand",
            vec![
                timed("Samhällsplanerare", 52_000, sporadic(165, 8), day(2024, 1, 1), ACTIVITIES_END)
                    .mix(vec![("1.1", 100)]),
                timed("Miljöstrateg", 55_000, sporadic(155, 7), day(2024, 1, 1), ACTIVITIES_END)
                    .main("3.3")
                    .mix(vec![("3.3", 100)]),
            ],
            1,
            vec!["1.1"],
            FileStyle { sheet_names: SheetNaming::Lower, indicators: IndicatorHabit::Never, ..base },
        ),
        "mittuniversitetet" => t(
            "Sundsvall",
            vec![
                timed("Processledare KrAft", 58_000, sporadic(60, 5), day(2024, 1, 1), ACTIVITIES_END)
                    .main("4.1")
                    .mix(vec![("4.1", 100)]),
            ],
            0,
            Vec::new(),
            FileStyle {
                title_rows: true,
                hours: HoursStyle::Duration,
                personnummer: PnrForm::Dash10,
                indicators: IndicatorHabit::Never,
                ..base
            },
        ),
        "bizmaker" => t(
            "Sundsvall",
            vec![
                timed("Affärsutvecklare", 44_000, sporadic(44, 6), day(2024, 1, 1), ACTIVITIES_END)
                    .main("2.2")
                    .mix(vec![("2.2", 100)]),
            ],
            1,
            vec!["2.2"],
            FileStyle {
                period: PeriodCell::Date,
                org_nr: OrgNrForm::Plain,
                salary: SalaryCell::Text,
                daily: false,
                indicators: IndicatorHabit::Never,
                ..base
            },
        ),
        _ => return None,
    })
}

/// A template for an organisation the seed does not know: one processledare reporting time,
/// sized from the organisation's own budget to about 88 % over the activities' months.
pub fn generic(project: &Project, org: Org) -> OrgTemplate {
    let first = project.start_month();
    let budget = match org {
        Org::Partner(p) => p.budget.total(),
        Org::Cofinancier(c) => c.in_kind_budget,
    };
    let rates = org.rates_at(first);
    let flat = redovisa::money::percent(rates.flat_rate);
    let mix: Vec<(&'static str, u32)> = Vec::new();
    let months = project.start_month().through(project.end_month()).count().max(1);
    let per_month = budget * Decimal::new(88, 2)
        / Decimal::from(months)
        / ((Decimal::ONE + redovisa::money::percent(rates.on_costs)) * (Decimal::ONE + flat) * Decimal::new(1024, 3));
    let salary = 48_000u32;
    // load in percent of a full-time month; the seasonal dip takes about 12 % off.
    let load = (per_month / Decimal::from(salary) * Decimal::from(100) / Decimal::new(88, 2)).round();
    let load: u32 = load.try_into().unwrap_or(0);
    let pattern = if load >= 10 {
        Pattern::Steady { load: load.min(95) }
    } else {
        let hours = per_month * Decimal::from(12) * Decimal::from(1720) / Decimal::from(12 * salary);
        Pattern::Sporadic { hours_per_year: hours.round().try_into().unwrap_or(0), months_per_year: 6 }
    };
    let place = org.name().split_whitespace().next().unwrap_or("Länet").to_string();
    OrgTemplate {
        key: "generic".into(),
        place,
        roles: vec![RoleSpec { mix, main: "", ..timed("Processledare", salary, pattern, project.info.start, None) }],
        host_weight: 1,
        event_activities: Vec::new(),
        style: plain_style(),
        corrects_a_month: false,
        lock_file: false,
    }
}
