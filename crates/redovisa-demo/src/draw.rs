//! Drawing the plan: people, hours, absence, events, indicators and narratives from a seeded
//! generator.
//!
//! [`draw`] works over the project's full span (ChaCha8, one stream per organisation and one per
//! copy's events), so that a shorter `--to` gives the same workbooks for the months it covers,
//! and then drops the months after `to`. Hours are planned in whole quarters against each
//! person's target (a fixed share, a steady load with holidays in July, or sporadic days) and
//! kept within the month's and the year's caps.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::DemoOptions;
use super::calendar::workdays;
use super::phrases::{self, DEVIATIONS, PoolOrg, SICK_LEAVE, VACANCY};
use super::plan::*;
use super::staffing::{OrgTemplate, Pattern, RoleSpec, generic, seed_template};
use redovisa::ids::{OrgNr, Personnummer, luhn_digit};
use redovisa::month::Month;
use redovisa::project::{FinancierKind, Measure, Org, Project};
use redovisa::read::{Gender, Reporting, When};

/// Participants in one copy's events come from a pool of this many organisations.
pub const POOL_SIZE: usize = 700;

/// The activities of the approved plan, as the generator needs them.
struct Ctx<'a> {
    project: &'a Project,
    months: Vec<Month>,
    /// code → (start, end, budget)
    activities: BTreeMap<String, (NaiveDate, NaiveDate, Decimal)>,
    /// Activity codes in plan order.
    order: Vec<String>,
    /// Reported-value indicators: (name, code).
    reported: Vec<(String, String)>,
}

impl Ctx<'_> {
    fn active_on(&self, code: &str, day: NaiveDate) -> bool {
        self.activities.get(code).is_some_and(|(s, e, _)| *s <= day && day <= *e)
    }
    /// The mix restricted to codes in the plan; an empty mix means every activity that carries
    /// costs (budget above 1 000 kr), weighted by budget.
    fn mix(&self, spec: &RoleSpec) -> Vec<(String, u32)> {
        let known: Vec<(String, u32)> = spec
            .mix
            .iter()
            .filter(|(c, w)| *w > 0 && self.activities.contains_key(*c))
            .map(|(c, w)| (c.to_string(), *w))
            .collect();
        if !known.is_empty() {
            return known;
        }
        self.activities
            .iter()
            .filter(|(_, (_, _, b))| *b > Decimal::from(1000))
            .map(|(c, (_, _, b))| (c.clone(), u32::try_from((*b / Decimal::from(1000)).round()).unwrap_or(1).max(1)))
            .collect()
    }
}

/// A generator stream: the seed with a stream number, so each organisation draws independently.
fn stream(seed: u64, n: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(n);
    rng
}

/// `Medfinansiering`: a partner's cash co-financing paid in at the end of each quarter, every
/// financier of its column its decided amount spread evenly over the project's months (whole
/// kronor; the last quarter takes what remains). Drawn without the random generator, so the
/// rest of the inbox stays as it was.
fn payments(project: &Project, org: Org, month: Month) -> Vec<PaymentEntry> {
    let Org::Partner(partner) = org else { return Vec::new() };
    let (start, end) = (project.start_month(), project.end_month());
    let quarter_end = month.month().is_multiple_of(3) || month == end;
    if !quarter_end || month < start || month > end {
        return Vec::new();
    }
    let months = i64::from(months_between(start, end)) + 1;
    let through = i64::from(months_between(start, month)) + 1;
    let before = last_quarter_end(start, month);
    let day = month.last_day().pred_opt().unwrap_or(month.last_day());
    let partner_nr = partner.org_nr.clone();
    partner
        .cash
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let share = |n: i64| (c.amount * Decimal::from(n) / Decimal::from(months)).round();
            let amount = if month == end { c.amount - share(before) } else { share(through) - share(before) };
            (amount > Decimal::ZERO).then(|| {
                let own = c.financier == partner.name;
                PaymentEntry {
                    date: day,
                    financier: c.financier.clone(),
                    org_nr: c.org_nr.clone().or_else(|| own.then(|| partner_nr.clone())),
                    kind: match c.kind {
                        FinancierKind::Public => redovisa::contract::TYP[0],
                        FinancierKind::Private => redovisa::contract::TYP[1],
                    },
                    amount,
                    voucher: format!("MF{}{:02}-{}", month.year(), month.month(), i + 1),
                    comment: if own {
                        "Egen medfinansiering, omföring".into()
                    } else {
                        "Inbetalning enligt avtal".into()
                    },
                }
            })
        })
        .collect()
}

/// Whole months from `a` to `b` (0 when the same).
fn months_between(a: Month, b: Month) -> u32 {
    u32::try_from((b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32).unwrap_or(0)
}

/// Months from the project's start through the last quarter's end before `month`.
fn last_quarter_end(start: Month, month: Month) -> i64 {
    let mut m = month.prev();
    while m >= start && !m.month().is_multiple_of(3) {
        m = m.prev();
    }
    if m < start { 0 } else { i64::from(months_between(start, m)) + 1 }
}

/// Splits a programme folder `kramfors-02` into its seed folder and copy number.
fn template_of(folder: &str) -> (String, u32) {
    if let Some((base, n)) = folder.rsplit_once('-')
        && n.len() == 2
        && n.bytes().all(|b| b.is_ascii_digit())
        && seed_template(base).is_some()
    {
        return (base.to_string(), n.parse().unwrap_or(1));
    }
    (folder.to_string(), 1)
}

/// Hours from whole quarters.
fn quarters(q: i64) -> Decimal {
    Decimal::new(q * 25, 2)
}

/// Whole quarters of hours, rounded.
fn to_quarters(h: Decimal) -> i64 {
    i64::try_from((h * Decimal::from(4)).round()).unwrap_or(0)
}

/// Fisher–Yates on a slice (rand's own needs its `alloc` feature).
fn shuffle<T>(rng: &mut impl Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

/// Picks an index by integer weights.
fn weighted(rng: &mut impl Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    if total == 0 {
        return 0;
    }
    let mut x = rng.random_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// Draws every workbook from the project start to `opts.to` (at most the project's end).
pub fn draw(project: &Project, opts: &DemoOptions) -> Plan {
    let activities = project.activities().map(|(_, a)| (a.code.clone(), (a.start, a.end, a.budget))).collect();
    let reported = project
        .indicators
        .iter()
        .filter(|i| i.measure == Measure::Reported)
        .map(|i| (i.name.clone(), i.code.clone()))
        .collect();
    let ctx = Ctx {
        project,
        months: project.start_month().through(project.end_month()).collect(),
        activities,
        order: project.activities().map(|(_, a)| a.code.clone()).collect(),
        reported,
    };
    let mut templates = Vec::new();
    let mut orgs = Vec::new();
    for (i, org) in project.orgs().enumerate() {
        let (key, copy) = template_of(org.folder());
        let template = seed_template(&key).unwrap_or_else(|| generic(project, org));
        let mut rng = stream(opts.seed, i as u64 + 1);
        orgs.push(build_org(&ctx, org, &template, copy, &mut rng));
        templates.push(template);
    }
    let copies: BTreeSet<u32> = orgs.iter().map(|o| o.copy).collect();
    let taken: Vec<OrgNr> = project.orgs().map(|o| o.org_nr().clone()).collect();
    let mut pool_rng = stream(opts.seed, 0);
    let pool = phrases::organisation_pool(&mut pool_rng, POOL_SIZE * copies.len(), &taken);
    for (n, copy) in copies.iter().enumerate() {
        let mut rng = stream(opts.seed, 1_000_000 + u64::from(*copy));
        let slice = &pool[n * POOL_SIZE..(n + 1) * POOL_SIZE];
        add_events(&ctx, &mut orgs, &templates, *copy, slice, &mut rng);
    }
    let to = opts.to.min(project.end_month());
    for (org, template) in orgs.iter_mut().zip(&templates) {
        org.workbooks.retain(|w| w.month <= to);
        org.lock_file = match (template.lock_file, org.workbooks.last()) {
            (true, Some(last)) => Some(LockFile {
                name: format!("~${}", last.file_name),
                owner: org.staff.first().map_or_else(|| last.attestation.by.clone(), |p| p.name.clone()),
            }),
            _ => None,
        };
    }
    Plan { from: project.start_month(), to, orgs }
}

/// A style drawn at random, for the copies of a programme workload.
fn random_style(rng: &mut impl Rng, base: FileStyle) -> FileStyle {
    fn one<T: Copy>(rng: &mut impl Rng, xs: &[T]) -> T {
        xs[rng.random_range(0..xs.len())]
    }
    use FileNaming as N;
    FileStyle {
        naming: one(
            rng,
            &[N::FolderMonth, N::Redovisning, N::SwedishMonth, N::MonthFirst, N::Compact, N::Tidredovisning],
        ),
        title_rows: rng.random_bool(0.3),
        extra_column: rng.random_bool(0.3),
        reorder_columns: rng.random_bool(0.3),
        sheet_names: one(
            rng,
            &[SheetNaming::Template, SheetNaming::Lower, SheetNaming::Upper, SheetNaming::TrailingSpace],
        ),
        extra_sheet: rng.random_bool(0.2),
        label_colons: rng.random_bool(0.3),
        omit_version_one: rng.random_bool(0.3),
        dates: one(rng, &[DateCell::Date, DateCell::Text]),
        period: one(rng, &[PeriodCell::Text, PeriodCell::Date, PeriodCell::SwedishText]),
        hours: one(rng, &[HoursStyle::Number, HoursStyle::Duration, HoursStyle::Text, HoursStyle::Mixed]),
        salary: one(rng, &[SalaryCell::Number, SalaryCell::Text]),
        share: one(rng, &[ShareCell::Percent, ShareCell::PercentCell, ShareCell::Text]),
        personnummer: one(
            rng,
            &[PnrForm::Dash12, PnrForm::Plain12, PnrForm::Number12, PnrForm::Dash10, PnrForm::Plain10],
        ),
        org_nr: one(rng, &[OrgNrForm::Dash, OrgNrForm::Plain, OrgNrForm::Prefix16]),
        activity: one(rng, &[ActivityCell::Text, ActivityCell::Number, ActivityCell::Comma]),
        gender: one(rng, &[GenderForm::Words, GenderForm::Letters]),
        daily: rng.random_bool(0.6),
        indicators: base.indicators,
        indicator_codes: rng.random_bool(0.5),
    }
}

/// A new person for a post: name, personnummer, salary with a small personal variation.
fn new_person(
    rng: &mut impl Rng,
    spec: &RoleSpec,
    main: String,
    style: &FileStyle,
    names: &mut BTreeSet<String>,
) -> Person {
    let woman = rng.random_bool(0.55);
    let mut name = phrases::person_name(rng, woman);
    while !names.insert(name.clone()) {
        name = phrases::person_name(rng, woman);
    }
    let (personnummer, written) = loop {
        let year = rng.random_range(1962..=1996);
        let month = rng.random_range(1..=12u32);
        let day = rng.random_range(1..=28u32);
        let serial = rng.random_range(0..100u32);
        // The ninth digit is even for women and odd for men.
        let sex = rng.random_range(0..5u32) * 2 + u32::from(!woman);
        let nine = format!("{:02}{month:02}{day:02}{serial:02}{sex}", year % 100);
        let ten = format!("{nine}{}", luhn_digit(&nine));
        let canonical = format!("{year}{}-{}", &ten[2..6], &ten[6..]);
        let reference = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN);
        if let Some(p) = Personnummer::parse(&canonical, reference) {
            let century = year / 100;
            let written = match style.personnummer {
                PnrForm::Dash12 => canonical.clone(),
                PnrForm::Plain12 | PnrForm::Number12 => format!("{century}{ten}"),
                PnrForm::Dash10 => format!("{}-{}", &ten[..6], &ten[6..]),
                PnrForm::Plain10 => ten.clone(),
            };
            break (p, written);
        }
    };
    let salary = i64::from(spec.salary) + rng.random_range(-10..=10i64) * 100;
    Person {
        name,
        personnummer,
        personnummer_written: written,
        role: spec.role.to_string(),
        start: spec.start,
        end: spec.end,
        salary: Decimal::from(salary),
        reporting: spec.reporting,
        share: (spec.reporting == Reporting::FixedShare).then(|| Decimal::from(spec.share) / Decimal::ONE_HUNDRED),
        employment: Decimal::from(spec.employment) / Decimal::ONE_HUNDRED,
        main_activity: main,
    }
}

/// Fixed-share hours of a month (`1 720 × Andel / 12`, pro rata by calendar days in the project).
pub(super) fn fixed_hours(project: &Project, person: &Person, month: Month) -> Decimal {
    let Some(share) = person.share else { return Decimal::ZERO };
    let first = month.first_day().max(person.start).max(project.info.start);
    let last = month.last_day().min(person.end.unwrap_or(NaiveDate::MAX)).min(project.info.end);
    if last < first {
        return Decimal::ZERO;
    }
    let days = Decimal::from((last - first).num_days() + 1);
    Decimal::from(project.info.hours_per_year) * share * days / (Decimal::from(12 * month.days()))
}

/// The seasonal rhythm of a time reporter: holidays in July, fewer hours around Christmas.
fn seasonal(month: Month) -> Decimal {
    match month.month() {
        1 => Decimal::new(90, 2),
        7 => Decimal::new(10, 2),
        8 => Decimal::new(85, 2),
        12 => Decimal::new(70, 2),
        _ => Decimal::ONE,
    }
}

/// Spreads `target` quarters over some of `days`, at most `cap` quarters a day; the days' hours
/// add up to the target exactly unless the days cannot hold it.
fn spread(rng: &mut impl Rng, days: &[NaiveDate], target: i64, cap: i64) -> Vec<(NaiveDate, i64)> {
    if target <= 0 || days.is_empty() || cap <= 0 {
        return Vec::new();
    }
    let target = target.min(days.len() as i64 * cap);
    let least = (target + cap - 1) / cap;
    // A typical project day is about 6.5 hours (26 quarters).
    let count = ((target + 25) / 26).max(least).min(days.len() as i64) as usize;
    let mut chosen: Vec<NaiveDate> = days.to_vec();
    shuffle(rng, &mut chosen);
    chosen.truncate(count);
    chosen.sort();
    let base = target / count as i64;
    let mut hours: Vec<i64> = (0..count).map(|i| base + i64::from((i as i64) < target % count as i64)).collect();
    let low = base.min(4);
    for _ in 0..count * 2 {
        let (i, j) = (rng.random_range(0..count), rng.random_range(0..count));
        let d = rng.random_range(1..=6);
        if i != j && hours[i] - d >= low && hours[j] + d <= cap {
            hours[i] -= d;
            hours[j] += d;
        }
    }
    chosen.into_iter().zip(hours).collect()
}

/// Comments people put on a time row now and then.
const TIME_COMMENTS: &[&str] = &[
    "Workshop",
    "Nätverksträff",
    "Planering",
    "Restid ingår",
    "Möte med styrgruppen",
    "Inläsning av underlag",
    "Avstämning med processledarna",
    "Digitalt möte",
];

/// The state of drawing one organisation's workbooks.
struct OrgDraw<'a, 'r, R: Rng> {
    ctx: &'a Ctx<'a>,
    template: &'a OrgTemplate,
    style: FileStyle,
    staff: Vec<Person>,
    mixes: Vec<Vec<(String, u32)>>,
    rng: &'r mut R,
    /// Hours per (person, year) so far, for the annual cap.
    year_hours: BTreeMap<(usize, i32), Decimal>,
    /// Sporadic hours planned per (person, month), quarters.
    sporadic: BTreeMap<(usize, Month), i64>,
    sick_taken: BTreeSet<usize>,
}

impl<R: Rng> OrgDraw<'_, '_, R> {
    fn hours_cell(&mut self) -> HoursCell {
        match self.style.hours {
            HoursStyle::Number => HoursCell::Number,
            HoursStyle::Duration => HoursCell::Duration,
            HoursStyle::Text => HoursCell::Text,
            HoursStyle::Mixed => {
                if self.rng.random_bool(0.3) {
                    HoursCell::Duration
                } else {
                    HoursCell::Number
                }
            }
        }
    }

    /// The person's working days of the month on which some activity of their mix runs.
    fn days(&self, p: usize, month: Month) -> Vec<NaiveDate> {
        let person = &self.staff[p];
        workdays(month)
            .into_iter()
            .filter(|d| *d >= person.start && person.end.is_none_or(|e| *d <= e))
            .filter(|d| self.mixes[p].iter().any(|(c, _)| self.ctx.active_on(c, *d)))
            .collect()
    }

    /// Plans the sporadic hours of every person with that pattern, year by year.
    fn plan_sporadic(&mut self) {
        for (p, spec) in self.template.roles.iter().enumerate() {
            let Pattern::Sporadic { hours_per_year, months_per_year } = spec.pattern else { continue };
            let years: BTreeSet<i32> = self.ctx.months.iter().map(|m| m.year()).collect();
            for year in years {
                let mut eligible: Vec<Month> = self
                    .ctx
                    .months
                    .iter()
                    .copied()
                    .filter(|m| m.year() == year && m.month() != 7)
                    .filter(|m| self.staff[p].in_month(*m) && !self.days(p, *m).is_empty())
                    .collect();
                if eligible.is_empty() {
                    continue;
                }
                // A year only partly in the project gets its part of the hours.
                let total = i64::from(hours_per_year) * 4 * eligible.len() as i64 / 11;
                shuffle(self.rng, &mut eligible);
                eligible.truncate((months_per_year as usize).max(1));
                let weights: Vec<i64> = eligible.iter().map(|_| self.rng.random_range(2..=5)).collect();
                let sum: i64 = weights.iter().sum();
                let mut given = 0;
                for (i, (m, w)) in eligible.iter().zip(&weights).enumerate() {
                    let q = if i + 1 == eligible.len() { total - given } else { total * w / sum };
                    given += q;
                    self.sporadic.insert((p, *m), q);
                }
            }
        }
    }

    /// The month's quarters per activity: the person's mix with some noise, exact to the quarter,
    /// in a random order (people work on one thing for a few days, then on the next).
    fn quota(&mut self, p: usize, days: &[NaiveDate], total: i64) -> Vec<(String, i64)> {
        let codes: Vec<(String, i64)> = self.mixes[p]
            .iter()
            .filter(|(c, _)| days.iter().any(|d| self.ctx.active_on(c, *d)))
            .map(|(c, w)| (c.clone(), i64::from(*w)))
            .collect();
        let noisy: Vec<(String, i64)> =
            codes.into_iter().map(|(c, w)| (c, w * self.rng.random_range(85..=115i64))).collect();
        let sum: i64 = noisy.iter().map(|(_, w)| w).sum();
        if sum == 0 {
            return Vec::new();
        }
        let mut quota: Vec<(String, i64)> = noisy.iter().map(|(c, w)| (c.clone(), total * w / sum)).collect();
        // The quarters lost to rounding down go to the largest remainders.
        let mut by_remainder: Vec<usize> = (0..noisy.len()).collect();
        by_remainder.sort_by_key(|i| std::cmp::Reverse((total * noisy[*i].1) % sum));
        let short = total - quota.iter().map(|(_, q)| q).sum::<i64>();
        for i in by_remainder.into_iter().take(short.max(0) as usize) {
            quota[i].1 += 1;
        }
        shuffle(self.rng, &mut quota);
        quota
    }

    /// Time rows for `target` quarters of person `p`, by day or by month as the style says.
    fn rows(&mut self, p: usize, month: Month, target: i64) -> Vec<TimeEntry> {
        let days = self.days(p, month);
        let cap = to_quarters(Decimal::from(8) * self.staff[p].employment);
        let by_day = spread(self.rng, &days, target, cap);
        let total: i64 = by_day.iter().map(|(_, q)| q).sum();
        let mut quota = self.quota(p, &days, total);
        let mut out = Vec::new();
        let mut current = 0;
        for (day, mut left) in by_day {
            while left > 0 {
                let next = (0..quota.len())
                    .map(|j| (current + j) % quota.len())
                    .find(|i| quota[*i].1 > 0 && self.ctx.active_on(&quota[*i].0, day));
                let Some(i) = next else { break };
                current = i;
                let take = left.min(quota[i].1);
                quota[i].1 -= take;
                left -= take;
                let comment = if self.rng.random_bool(0.08) {
                    TIME_COMMENTS[self.rng.random_range(0..TIME_COMMENTS.len())].to_string()
                } else {
                    String::new()
                };
                let cell = self.hours_cell();
                out.push(TimeEntry {
                    person: p,
                    when: When::Day(day),
                    activity: quota[i].0.clone(),
                    hours: quarters(take),
                    cell,
                    comment,
                });
            }
        }
        if self.style.daily {
            return out;
        }
        // One row per activity and month, in plan order.
        let mut by_code: BTreeMap<String, Decimal> = BTreeMap::new();
        for e in &out {
            *by_code.entry(e.activity.clone()).or_default() += e.hours;
        }
        let mut rows: Vec<(String, Decimal)> = by_code.into_iter().collect();
        rows.sort_by_key(|(c, _)| self.ctx.order.iter().position(|o| o == c));
        rows.into_iter()
            .map(|(activity, hours)| {
                let cell = self.hours_cell();
                TimeEntry { person: p, when: When::Month(month), activity, hours, cell, comment: String::new() }
            })
            .collect()
    }

    /// Deductible absence of a fixed-share person this month, if any.
    fn absence(&mut self, p: usize, month: Month, fixed: Decimal) -> Option<AbsenceEntry> {
        if fixed < Decimal::from(60) {
            return None;
        }
        let x: f64 = self.rng.random();
        let (reason, hours) = if x < 0.012 && !self.sick_taken.contains(&p) {
            self.sick_taken.insert(p);
            ("Sjukdom dag 15+", self.rng.random_range(5..=10) * 8)
        } else if x < 0.06 {
            ("VAB", self.rng.random_range(1..=3) * 8)
        } else if x < 0.075 {
            ("Tjänstledighet", self.rng.random_range(2..=5) * 8)
        } else {
            return None;
        };
        // Never more absence than the month's fixed hours, in whole days.
        let most = (fixed / Decimal::from(8)).floor() * Decimal::from(8);
        Some(AbsenceEntry { person: p, month, hours: Decimal::from(hours).min(most), reason })
    }

    /// Steady hours of a time reporter this month, in quarters, within the month's and the
    /// year's caps.
    fn steady_target(&mut self, p: usize, month: Month, load: u32) -> i64 {
        let all = workdays(month).len();
        let mine = self.days(p, month).len();
        if all == 0 || mine == 0 {
            return 0;
        }
        let full = Decimal::from(self.ctx.project.info.hours_per_year) / Decimal::from(12);
        let noise = Decimal::from(self.rng.random_range(96..=104)) / Decimal::ONE_HUNDRED;
        let h = full * Decimal::from(load) / Decimal::ONE_HUNDRED * seasonal(month) * noise * Decimal::from(mine)
            / Decimal::from(all);
        to_quarters(h)
    }

    /// Keeps a time reporter's year within `1 720 × Sysselsättningsgrad` with a day's margin.
    fn within_year(&mut self, p: usize, month: Month, target: i64) -> i64 {
        let cap = Decimal::from(self.ctx.project.info.hours_per_year) * self.staff[p].employment - Decimal::from(8);
        let used = self.year_hours.get(&(p, month.year())).copied().unwrap_or_default();
        target.min(to_quarters((cap - used).max(Decimal::ZERO))).max(0)
    }

    /// One month's workbook (version 1, not yet named or attested).
    fn month(&mut self, org: Org, month: Month) -> WorkbookPlan {
        let listed: Vec<usize> = (0..self.staff.len()).filter(|p| self.staff[*p].in_month(month)).collect();
        let mut time = Vec::new();
        let mut absence = Vec::new();
        let mut hours_by_code: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut sick = false;
        for &p in &listed {
            let spec = &self.template.roles[p];
            let rows = match spec.pattern {
                Pattern::Fixed => {
                    let fixed = fixed_hours(self.ctx.project, &self.staff[p], month);
                    let away = self.absence(p, month, fixed);
                    let net = fixed - away.as_ref().map_or(Decimal::ZERO, |a| a.hours);
                    if let Some(a) = away {
                        sick |= a.reason.starts_with("Sjukdom");
                        absence.push(a);
                    }
                    let rows = if spec.distributes { self.rows(p, month, to_quarters(net)) } else { Vec::new() };
                    if rows.is_empty() && net > Decimal::ZERO {
                        *hours_by_code.entry(self.staff[p].main_activity.clone()).or_default() += net;
                    }
                    rows
                }
                Pattern::Steady { load } => {
                    let target = self.steady_target(p, month, load);
                    let target = self.within_year(p, month, target);
                    self.rows(p, month, target)
                }
                Pattern::Sporadic { .. } => {
                    let target = self.sporadic.get(&(p, month)).copied().unwrap_or(0);
                    let target = self.within_year(p, month, target);
                    self.rows(p, month, target)
                }
            };
            if self.staff[p].reporting == Reporting::TimeReport {
                let sum: Decimal = rows.iter().map(|r| r.hours).sum();
                *self.year_hours.entry((p, month.year())).or_default() += sum;
            }
            for r in &rows {
                *hours_by_code.entry(r.activity.clone()).or_default() += r.hours;
            }
            time.extend(rows);
        }
        let narratives = self.narratives(org, month, &hours_by_code, sick);
        let indicators = self.indicators(month);
        WorkbookPlan {
            file_name: String::new(),
            month,
            version: 1,
            superseded: false,
            persons: listed,
            time,
            absence,
            participants: Vec::new(),
            indicators,
            narratives,
            payments: payments(self.ctx.project, org, month),
            attestation: Attestation { by: String::new(), on: month.last_day() },
        }
    }

    /// Lägesbeskrivning: the month's main activities, with a deviation now and then.
    fn narratives(
        &mut self,
        org: Org,
        month: Month,
        hours: &BTreeMap<String, Decimal>,
        sick: bool,
    ) -> Vec<NarrativeEntry> {
        let mut codes: Vec<(&String, &Decimal)> = hours.iter().filter(|(_, h)| **h > Decimal::ZERO).collect();
        codes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let keep = self.rng.random_range(1..=3usize);
        let mut out: Vec<NarrativeEntry> = Vec::new();
        for (code, _) in codes.into_iter().take(keep) {
            let (done, results) = phrases::narrative(self.rng, code, &self.template.place);
            let deviations =
                if self.rng.random_bool(0.05) { DEVIATIONS[self.rng.random_range(0..DEVIATIONS.len())] } else { "" };
            out.push(NarrativeEntry { activity: code.clone(), done, results, deviations: deviations.to_string() });
        }
        let vacancy = self.vacant(month);
        if let Some(first) = out.first_mut() {
            if sick {
                first.deviations = SICK_LEAVE.to_string();
            } else if vacancy {
                first.deviations = VACANCY.to_string();
            }
        } else if !org.is_cofinancier()
            && month > self.last_activity_month()
            && let Some(code) = self.ctx.activities.keys().find(|c| c.as_str() == "4.1")
        {
            // After the activities a partner still reports where it stands: the closing work.
            out.push(NarrativeEntry {
                activity: code.clone(),
                done: "Medverkat i projektets avslutning: slututvärdering och underlag till slutrapporten.".into(),
                results: String::new(),
                deviations: String::new(),
            });
        }
        out
    }

    fn last_activity_month(&self) -> Month {
        self.ctx.activities.values().map(|(_, e, _)| Month::of(*e)).max().unwrap_or(self.ctx.project.end_month())
    }

    /// Whether a post stood empty some working day of the month (between a leaver and a successor).
    fn vacant(&self, month: Month) -> bool {
        let specs = &self.template.roles;
        specs.iter().enumerate().any(|(i, a)| {
            specs.iter().enumerate().any(|(j, b)| {
                i != j
                    && a.role == b.role
                    && a.end
                        .is_some_and(|end| end < b.start && workdays(month).iter().any(|d| *d > end && *d < b.start))
            })
        })
    }

    /// Indikatorer: the reported-value indicators, 0 in most months.
    fn indicators(&mut self, month: Month) -> Vec<IndicatorEntry> {
        let due = match self.style.indicators {
            IndicatorHabit::EveryMonth => true,
            IndicatorHabit::Quarterly => month.month().is_multiple_of(3),
            IndicatorHabit::Never => false,
        };
        if !due {
            return Vec::new();
        }
        let reported = self.ctx.reported.clone();
        reported
            .iter()
            .enumerate()
            .map(|(i, (name, code))| {
                let indicator =
                    if self.style.indicator_codes && !code.is_empty() { code.clone() } else { name.clone() };
                // The lead partner reports the digital structure map once it is published.
                let published =
                    self.template.key == "harnosand" && i == 0 && Month::new(2025, 11).is_some_and(|m| m == month);
                let (value, comment) = if published {
                    (
                        Decimal::from(250_000),
                        "Den digitala strukturbildskartan publicerades för företag och planerare.".to_string(),
                    )
                } else if self.rng.random_bool(0.2) {
                    (Decimal::ZERO, "Inget att rapportera denna månad.".to_string())
                } else {
                    (Decimal::ZERO, String::new())
                };
                IndicatorEntry { indicator, value, comment }
            })
            .collect()
    }
}

/// The short name an organisation uses in its file names.
fn label(org: Org, template: &OrgTemplate) -> String {
    if org.name().ends_with(" kommun") || template.key == "generic" {
        template.place.clone()
    } else {
        org.name().split_whitespace().next().unwrap_or(org.folder()).to_string()
    }
}

/// The file name of a month's workbook in an organisation's naming habit.
fn file_name(style: &FileStyle, folder: &str, label: &str, month: Month, version: u32) -> String {
    let stem = match style.naming {
        FileNaming::FolderMonth => format!("{folder}-{month}"),
        FileNaming::Redovisning => format!("Redovisning {label} {month}"),
        FileNaming::SwedishMonth => format!("{label} {}", month.swedish()),
        FileNaming::MonthFirst => format!("{month} {label}"),
        FileNaming::Compact => format!("{label}_{}{:02}", month.year(), month.month()),
        FileNaming::Tidredovisning => format!("Tidredovisning {label} {month}"),
    };
    if version > 1 { format!("{stem} v{version}.xlsx") } else { format!("{stem}.xlsx") }
}

/// Draws one organisation: its people and a workbook per month of the project.
fn build_org(ctx: &Ctx, org: Org, template: &OrgTemplate, copy: u32, rng: &mut ChaCha8Rng) -> OrgPlan {
    let style = if copy <= 1 { template.style } else { random_style(rng, template.style) };
    let mut names = BTreeSet::new();
    let mut staff = Vec::new();
    let mut mixes = Vec::new();
    for spec in &template.roles {
        let mix = ctx.mix(spec);
        let main = if spec.main.is_empty() || !ctx.activities.contains_key(spec.main) {
            mix.iter().max_by_key(|(_, w)| *w).map_or_else(String::new, |(c, _)| c.clone())
        } else {
            spec.main.to_string()
        };
        staff.push(new_person(rng, spec, main, &style, &mut names));
        mixes.push(mix);
    }
    let attester = {
        let woman = rng.random_bool(0.5);
        let mut name = phrases::person_name(rng, woman);
        while names.contains(&name) {
            name = phrases::person_name(rng, woman);
        }
        name
    };
    let label = label(org, template);
    let mut draw = OrgDraw {
        ctx,
        template,
        style,
        staff,
        mixes,
        rng,
        year_hours: BTreeMap::new(),
        sporadic: BTreeMap::new(),
        sick_taken: BTreeSet::new(),
    };
    draw.plan_sporadic();
    let mut workbooks = Vec::new();
    for (i, &month) in ctx.months.iter().enumerate() {
        let mut wb = draw.month(org, month);
        wb.file_name = file_name(&style, org.folder(), &label, month, 1);
        let delay = draw.rng.random_range(3..=9u64);
        wb.attestation = Attestation {
            by: attester.clone(),
            on: month.last_day().checked_add_days(Days::new(delay)).unwrap_or(month.last_day()),
        };
        // The fourth month comes twice: a first version that missed a row, then the correction.
        if template.corrects_a_month && i == 3 && !wb.time.is_empty() {
            let mut first = wb.clone();
            let forgot = first
                .time
                .iter()
                .rposition(|t| draw.staff[t.person].reporting == Reporting::TimeReport)
                .unwrap_or(first.time.len() - 1);
            first.time.remove(forgot);
            first.superseded = true;
            wb.version = 2;
            wb.file_name = file_name(&style, org.folder(), &label, month, 2);
            wb.attestation.on = wb.attestation.on.checked_add_days(Days::new(12)).unwrap_or(wb.attestation.on);
            workbooks.push(first);
        }
        workbooks.push(wb);
    }
    let staff = draw.staff;
    OrgPlan {
        folder: org.folder().to_string(),
        name: org.name().to_string(),
        org_nr: org.org_nr().clone(),
        cofinancier: org.is_cofinancier(),
        template: template.key.clone(),
        copy,
        style,
        staff,
        workbooks,
        lock_file: None,
    }
}

/// Events of one copy: who hosts them, when, and which organisations come, so that distinct
/// participating organisations grow steadily to about 450 by the end of the activities.
fn add_events(
    ctx: &Ctx,
    orgs: &mut [OrgPlan],
    templates: &[OrgTemplate],
    copy: u32,
    pool: &[PoolOrg],
    rng: &mut ChaCha8Rng,
) {
    let hosts: Vec<usize> =
        (0..orgs.len()).filter(|i| orgs[*i].copy == copy && templates[*i].host_weight > 0).collect();
    if hosts.is_empty() || pool.is_empty() {
        return;
    }
    let last = ctx.activities.values().map(|(_, e, _)| Month::of(*e)).max().unwrap_or(ctx.project.end_month());
    let months: Vec<Month> = ctx.months.iter().copied().skip(1).filter(|m| *m <= last && m.month() != 7).collect();
    if months.is_empty() {
        return;
    }
    let target = (440 + rng.random_range(0..=20usize)).min(pool.len());
    let mut seen: Vec<usize> = Vec::new();
    let mut next_new = 0usize;
    for (i, &month) in months.iter().enumerate() {
        let goal = target * (i + 1) / months.len();
        let mut new_needed = goal.saturating_sub(next_new);
        let mut candidates: Vec<usize> = hosts
            .iter()
            .copied()
            .filter(|h| orgs[*h].workbooks.iter().any(|w| w.month == month && !w.persons.is_empty()))
            .collect();
        let events = rng.random_range(1..=3usize).min(candidates.len());
        for e in 0..events {
            let weights: Vec<u32> = candidates.iter().map(|h| templates[*h].host_weight).collect();
            let host = candidates.remove(weighted(rng, &weights));
            let remaining_events = events - e;
            let new_here = if remaining_events == 1 { new_needed } else { new_needed / remaining_events };
            let size = rng.random_range(6..=20usize).max(new_here);
            let returning = (size - new_here).min(seen.len());
            let new_here = (size - returning).min(pool.len() - next_new);
            new_needed = new_needed.saturating_sub(new_here);
            let mut people: Vec<usize> = (next_new..next_new + new_here).collect();
            next_new += new_here;
            let mut old = seen.clone();
            shuffle(rng, &mut old);
            people.extend(old.into_iter().take(returning));
            seen.extend(next_new - new_here..next_new);
            let activities = &templates[host].event_activities;
            let activity = if activities.is_empty() {
                "2.2".to_string()
            } else {
                activities[rng.random_range(0..activities.len())].to_string()
            };
            if !ctx.activities.contains_key(&activity) {
                continue;
            }
            let names = phrases::event_names(&activity);
            let event = names[rng.random_range(0..names.len())].replace("{ort}", &templates[host].place);
            let days = workdays(month);
            let date = days.get(rng.random_range(0..days.len().max(1))).copied().unwrap_or(month.first_day());
            let mut rows = Vec::new();
            for who in people {
                let attendees = if rng.random_bool(0.12) { 2 } else { 1 };
                for _ in 0..attendees {
                    let gender = match rng.random_range(0..100) {
                        0..47 => Gender::Woman,
                        47..92 => Gender::Man,
                        _ => Gender::NotStated,
                    };
                    rows.push(ParticipantEntry {
                        date,
                        activity: activity.clone(),
                        event: event.clone(),
                        org_nr: pool[who].org_nr.clone(),
                        org_name: pool[who].name.clone(),
                        gender,
                    });
                }
            }
            for wb in orgs[host].workbooks.iter_mut().filter(|w| w.month == month) {
                wb.participants.extend(rows.iter().cloned());
                wb.participants.sort_by_key(|p| p.date);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_hits_the_target_within_the_cap() {
        let mut rng = stream(1, 1);
        let days = workdays(Month::new(2025, 3).unwrap());
        for target in [0, 3, 40, 300, 560, 5000] {
            let s = spread(&mut rng, &days, target, 32);
            let sum: i64 = s.iter().map(|(_, q)| q).sum();
            assert_eq!(sum, target.min(days.len() as i64 * 32), "{target}");
            assert!(s.iter().all(|(_, q)| *q > 0 && *q <= 32));
        }
    }

    #[test]
    fn programme_folders_name_their_template() {
        assert_eq!(template_of("kramfors-02"), ("kramfors".to_string(), 2));
        assert_eq!(template_of("region-vasternorrland-10"), ("region-vasternorrland".to_string(), 10));
        assert_eq!(template_of("region-vasternorrland"), ("region-vasternorrland".to_string(), 1));
        assert_eq!(template_of("okand-03"), ("okand-03".to_string(), 1));
    }
}
