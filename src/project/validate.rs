//! The checks of the project file: every sum against its parts, identifiers, dates, the
//! reporting plan. Errors stop a run ([`Project::load`]); warnings are shown by `redovisa validate`.

use super::*;
use crate::money::sv_number;

impl Project {
    /// All checks of the project file: every sum against its parts, identifiers, dates.
    pub fn validate(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        self.check_changes(&mut issues);
        let mut err = |key: String, message: String| issues.push(Issue { error: true, key, message });
        let info = &self.info;
        if info.end <= info.start {
            err("project.end".into(), format!("slutdatum {} ligger inte efter startdatum {}", info.end, info.start));
        }
        if info.end.year() - info.start.year() > MAX_PROJECT_YEARS {
            err(
                "project.end".into(),
                format!(
                    "projektet {} – {} är längre än {MAX_PROJECT_YEARS} år; kontrollera datumen",
                    info.start, info.end
                ),
            );
        }
        if info.indexation < Decimal::ZERO || info.indexation > Decimal::from(MAX_INDEXATION) {
            err(
                "project.indexation".into(),
                format!("indexeringen {} % ska vara mellan 0 och {MAX_INDEXATION} % per år", info.indexation),
            );
        }
        if info.support_rate <= Decimal::ZERO || info.support_rate > Decimal::ONE_HUNDRED {
            err(
                "project.support_rate".into(),
                format!("stödandelen {} % ska vara mellan 0 och 100", info.support_rate),
            );
        }
        if info.hours_per_year == 0 {
            err("project.hours_per_year".into(), "timmar per år får inte vara 0".into());
        }
        if self.partners.is_empty() {
            err("partner".into(), "projektet saknar projektparter".into());
        }
        if !self.partners.iter().any(|p| p.folder == info.owner) {
            err("project.owner".into(), format!("«{}» är ingen projektparts mapp", info.owner));
        }
        let mut folders = BTreeSet::new();
        let mut numbers = BTreeSet::new();
        for (i, org) in self.orgs().enumerate() {
            let key = self.org_key(i, org);
            if org.folder().is_empty() || org.folder().contains(['/', '\\']) || org.folder().starts_with('.') {
                err(format!("{key}.folder"), format!("«{}» duger inte som mappnamn", org.folder()));
            }
            if !folders.insert(org.folder()) {
                err(format!("{key}.folder"), format!("mappen «{}» används av två organisationer", org.folder()));
            }
            if !numbers.insert(org.org_nr().clone()) {
                err(format!("{key}.org_nr"), format!("organisationsnumret {} förekommer två gånger", org.org_nr()));
            }
        }
        for (i, c) in self.cofinanciers.iter().enumerate() {
            if !self.partners.iter().any(|p| p.folder == c.counted_with) {
                err(
                    format!("cofinancier[{}].counted_with", i + 1),
                    format!("«{}» är ingen projektparts mapp", c.counted_with),
                );
            }
        }
        if info.cofinancing_lag < Decimal::ZERO || info.cofinancing_lag > Decimal::ONE_HUNDRED {
            err(
                "project.cofinancing_lag".into(),
                format!("{} procentenheter ska vara mellan 0 och 100", info.cofinancing_lag),
            );
        }
        for (i, c) in self.reporting.iter().enumerate() {
            let key = format!("reporting[{}]", i + 1);
            if c.to < c.from {
                err(format!("{key}.to"), format!("perioden {} – {} slutar innan den börjar", c.from, c.to));
            }
            if c.from < self.start_month() || c.to > self.end_month() {
                err(
                    format!("{key}.from"),
                    format!(
                        "perioden {} – {} ligger utanför projektets tid {} – {}",
                        c.from,
                        c.to,
                        self.start_month(),
                        self.end_month()
                    ),
                );
            }
            if c.due < c.to.last_day() {
                err(
                    format!("{key}.due"),
                    format!("sista dag {} ligger före periodens slut {}", c.due, c.to.last_day()),
                );
            }
            if let Some(prev) = i.checked_sub(1).and_then(|j| self.reporting.get(j))
                && c.from <= prev.to
            {
                err(
                    format!("{key}.from"),
                    format!(
                        "perioden {} – {} ska börja efter föregående period {} – {} (i ordning, utan överlapp)",
                        c.from, c.to, prev.from, prev.to
                    ),
                );
            }
        }
        let mut codes = BTreeSet::new();
        for (w, wp) in self.work_packages.iter().enumerate() {
            let key = format!("work_package[{}]", w + 1);
            if wp.start < info.start || wp.end > info.end || wp.end < wp.start {
                err(
                    format!("{key}.end"),
                    format!("arbetspaket {} {}–{} ligger utanför projektets tid", wp.code, wp.start, wp.end),
                );
            }
            for (a, act) in wp.activities.iter().enumerate() {
                let akey = format!("{key}.activity[{}]", a + 1);
                if !codes.insert(act.code.as_str()) {
                    err(format!("{akey}.code"), format!("aktivitetskoden {} förekommer två gånger", act.code));
                }
                if !act.code.starts_with(&format!("{}.", wp.code)) {
                    err(
                        format!("{akey}.code"),
                        format!("aktivitet {} hör inte till arbetspaket {}", act.code, wp.code),
                    );
                }
                if act.start < info.start || act.end > info.end || act.end < act.start {
                    err(
                        format!("{akey}.end"),
                        format!("aktivitet {} {}–{} ligger utanför projektets tid", act.code, act.start, act.end),
                    );
                }
            }
        }
        issues.extend(self.check_percents());
        self.check_sums(&mut issues);
        self.check_plan(&mut issues);
        for (i, org) in self.orgs().enumerate() {
            self.check_dated(&self.org_key(i, org), org, &mut issues);
        }
        issues
    }

    /// Warnings on a reporting plan that is valid but unusual: gaps between its periods, months
    /// of the project it leaves out, a last claim due after the project's last day.
    fn check_plan(&self, issues: &mut Vec<Issue>) {
        let Some(last) = self.reporting.last() else { return };
        let mut warn = |key: String, message: String| issues.push(Issue { error: false, key, message });
        for (i, pair) in self.reporting.windows(2).enumerate() {
            if pair[0].to < pair[1].from && pair[0].to.next() != pair[1].from {
                warn(
                    format!("reporting[{}].from", i + 2),
                    format!("månaderna {} – {} ingår i ingen planerad ansökan", pair[0].to.next(), pair[1].from.prev()),
                );
            }
        }
        if self.reporting[0].from != self.start_month() || last.to != self.end_month() {
            warn(
                "reporting".into(),
                format!(
                    "planen täcker {} – {}, projektet {} – {}",
                    self.reporting[0].from,
                    last.to,
                    self.start_month(),
                    self.end_month()
                ),
            );
        }
        if last.due > self.info.end {
            warn(
                format!("reporting[{}].due", self.reporting.len()),
                format!(
                    "sista ansökan ska enligt handboken vara inne senast projektets sista dag {}, planen säger {}",
                    self.info.end, last.due
                ),
            );
        }
    }

    /// The organisations' folders against the inbox's: a folder of the project file that is not
    /// in the inbox while one differing only in case or accents is (`Kramfors` for `kramfors`,
    /// `Ange` for `Ånge`) is an error naming both. The partner's workbooks would otherwise lie
    /// outside every partner's folder and be left out of the claim without an error. Folders
    /// are compared by the names the inbox lists, so that a file system that ignores case (a
    /// Windows share) is no exception. An inbox that cannot be listed gives no issue here.
    pub fn check_folders(&self, inbox: &Path) -> Vec<Issue> {
        let Ok(entries) = std::fs::read_dir(inbox) else { return Vec::new() };
        let present: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let mut issues = Vec::new();
        for (i, org) in self.orgs().enumerate() {
            if present.iter().any(|p| p == org.folder()) {
                continue;
            }
            let folded = fold(org.folder());
            if let Some(near) = present.iter().find(|p| fold(p) == folded) {
                issues.push(Issue {
                    error: true,
                    key: format!("{}.folder", self.org_key(i, org)),
                    message: format!(
                        "mappen «{}» finns inte i inkorgen {}, men «{near}» gör det. Skriv mappnamnet exakt som i \
                         inkorgen (stora och små bokstäver och accenter räknas), annars räknas inget av {}",
                        org.folder(),
                        inbox.display(),
                        org.name()
                    ),
                });
            }
        }
        issues
    }

    /// The key of the `i`-th organisation of [`Project::orgs`]: `partner[2]`, `cofinancier[1]`.
    pub(crate) fn org_key(&self, i: usize, org: Org<'_>) -> String {
        match org {
            Org::Partner(_) => format!("partner[{}]", i + 1),
            Org::Cofinancier(_) => format!("cofinancier[{}]", i + 1 - self.partners.len()),
        }
    }

    /// Every rate in percent, through [`percent_issue`]: none may be written as a fraction.
    fn check_percents(&self) -> Vec<Issue> {
        let mut rates = vec![("project.support_rate".to_string(), self.info.support_rate)];
        for (i, org) in self.orgs().enumerate() {
            let key = self.org_key(i, org);
            // A plain value is named by its key, a dated one by its entry as well.
            let dated = |name: &str, n: usize, plain: bool| {
                if plain {
                    format!("{key}.{name}")
                } else {
                    format!("{key}.{}[{}].rate", name.trim_end_matches(".rate"), n + 1)
                }
            };
            let plain = org.on_costs().single().is_some();
            for (n, (_, rate)) in org.on_costs().entries().iter().enumerate() {
                rates.push((dated("on_costs", n, plain), *rate));
            }
            let plain = org.flat_rates().single().is_some();
            for (n, (_, flat)) in org.flat_rates().entries().iter().enumerate() {
                rates.push((dated("flat_rate.rate", n, plain), flat.rate));
            }
        }
        rates.into_iter().filter_map(|(key, value)| percent_issue(&key, value)).collect()
    }

    /// The sum-against-parts checks, separate so the reader sees each rule once.
    fn check_sums(&self, issues: &mut Vec<Issue>) {
        let t = &self.totals;
        let mut sums = vec![
            sum_issue(true, "totals.costs", "projektparternas kostnader", t.costs, self.budget_costs()),
            sum_issue(true, "totals.in_kind", "bidrag i annat än pengar", t.in_kind, self.budget_in_kind()),
            sum_issue(true, "totals.total", "kostnader och bidrag i annat än pengar", t.total, t.costs + t.in_kind),
            sum_issue(
                true,
                "totals.cofinancing",
                "kontant medfinansiering och bidrag i annat än pengar",
                t.cofinancing,
                self.budget_cash() + self.budget_in_kind(),
            ),
            sum_issue(
                true,
                "totals.support",
                "stödet per projektpart",
                t.support,
                self.partners.iter().map(|p| p.support).sum(),
            ),
            sum_issue(true, "project.approved_support", "stödet enligt totals", self.info.approved_support, t.support),
            sum_issue(true, "totals.total", "medfinansiering och stöd", t.total, t.cofinancing + t.support),
        ];
        for (i, p) in self.partners.iter().enumerate() {
            let key = format!("partner[{}]", i + 1);
            let in_kind: Decimal =
                self.cofinanciers.iter().filter(|c| c.counted_with == p.folder).map(|c| c.in_kind_budget).sum();
            let financing = p.cash.iter().map(|c| c.amount).sum::<Decimal>() + in_kind + p.support;
            sums.push(sum_issue(
                true,
                &format!("{key}.support"),
                &format!("{}: finansieringen (kontant, annat än pengar, stöd)", p.name),
                p.budget.total() + in_kind,
                financing,
            ));
            // The budget's flat rate is the application's, on a single rate: a rate that changes
            // during the project has no one product to check against.
            if let Some(flat) = p.flat_rate.single().filter(|f| f.model != FlatRateModel::None) {
                // The application rounds the flat rate to whole kronor.
                let expected = round2(p.budget.staff * percent(flat.rate)).round();
                if (expected - p.budget.flat_rate).abs() > Decimal::ONE {
                    sums.push(sum_issue(
                        false,
                        &format!("{key}.budget.flat_rate"),
                        &format!("{}: personal × schablon {} %", p.name, flat.rate),
                        p.budget.flat_rate,
                        expected,
                    ));
                }
            }
            let only_remaining = p.flat_rate.entries().iter().all(|(_, f)| f.model == FlatRateModel::RemainingCosts);
            if only_remaining && !p.budget.other.is_zero() {
                issues.push(Issue {
                    error: true,
                    key: format!("{key}.budget.other"),
                    message: format!("{} har 40 %-modellen och får inte budgetera övriga kostnader", p.name),
                });
            }
        }
        for (w, wp) in self.work_packages.iter().enumerate() {
            let sum: Decimal = wp.activities.iter().map(|a| a.budget).sum();
            sums.push(sum_issue(
                true,
                &format!("work_package[{}].budget", w + 1),
                &format!("aktiviteterna i arbetspaket {}", wp.code),
                wp.budget,
                sum,
            ));
        }
        // The application's activity plan need not add up to the budget to the krona: within its
        // rounding (whole kronor per activity) it is information, printed with the budget
        // (`describe`); beyond that a warning.
        let activities: Decimal = self.activities().map(|(_, a)| a.budget).sum();
        if self.activity_rounding().is_none() {
            sums.push(sum_issue(false, "work_package", "aktiviteterna", t.total, activities));
        }
        issues.extend(sums.into_iter().flatten());
        let rate =
            if t.total.is_zero() { Decimal::ZERO } else { (t.support / t.total * Decimal::ONE_HUNDRED).round_dp(2) };
        if rate != self.info.support_rate.round_dp(2) {
            issues.push(Issue {
                error: false,
                key: "project.support_rate".into(),
                message: format!("stöd / totala kostnader är {rate} %, inte {} %", self.info.support_rate),
            });
        }
    }
}

impl Project {
    /// The dated values of one organisation (`on_costs`, `flat_rate`) and its months in the
    /// decision (`from`, `until`): each value within its bounds, each `from` inside the project,
    /// and a value in force from the organisation's first month.
    fn check_dated(&self, key: &str, org: Org, issues: &mut Vec<Issue>) {
        let mut err = |key: String, message: String| issues.push(Issue { error: true, key, message });
        let (start, end) = (self.start_month(), self.end_month());
        let (from, until) = org.from_until();
        for (name, m) in [("from", from), ("until", until)] {
            if let Some(m) = m.filter(|m| *m < start || *m > end) {
                err(format!("{key}.{name}"), format!("{m} ligger utanför projektets tid {start} – {end}"));
            }
        }
        if let (Some(f), Some(u)) = (from, until)
            && u < f
        {
            err(format!("{key}.until"), format!("sista månaden {u} ligger före första månaden {f}"));
        }
        let (first, _) = self.months_of(org);
        let dated_from = |entries: &[Option<Month>]| entries.first().copied().flatten();
        let on_costs: Vec<Option<Month>> = org.on_costs().entries().iter().map(|(m, _)| *m).collect();
        let flat: Vec<Option<Month>> = org.flat_rates().entries().iter().map(|(m, _)| *m).collect();
        for (name, froms) in [("on_costs", &on_costs), ("flat_rate", &flat)] {
            if let Some(m) = dated_from(froms).filter(|m| *m > first) {
                err(
                    format!("{key}.{name}"),
                    format!(
                        "första värdet gäller från {m}, men {} ingår i beslutet från {first}; ange ett värde från {first}",
                        org.name()
                    ),
                );
            }
            if let Some(m) = froms.iter().flatten().find(|m| **m > end) {
                err(format!("{key}.{name}"), format!("värdet från {m} ligger efter projektets slut {end}"));
            }
        }
        for (m, rate) in org.on_costs().entries() {
            if *rate < Decimal::ZERO || *rate > Decimal::ONE_HUNDRED {
                let when = m.map_or_else(String::new, |m| format!(" (från {m})"));
                err(format!("{key}.on_costs"), format!("lönebikostnaden{when} ska vara mellan 0 och 100 %"));
            }
        }
        for (m, fr) in org.flat_rates().entries() {
            let max = match fr.model {
                FlatRateModel::RemainingCosts => Decimal::from(40),
                FlatRateModel::Indirect => Decimal::from(15),
                FlatRateModel::None => Decimal::ZERO,
            };
            if fr.rate < Decimal::ZERO || fr.rate > max {
                let when = m.map_or_else(String::new, |m| format!(" (från {m})"));
                err(
                    format!("{key}.flat_rate.rate"),
                    format!("schablonen {} %{when} är större än modellen tillåter ({max} %)", fr.rate),
                );
            }
        }
    }

    /// The change log: numbers given once, retroactive months inside the project, keys naming an
    /// organisation of the file and a value that prices months (`on_costs`, `flat_rate`).
    fn check_changes(&self, issues: &mut Vec<Issue>) {
        let mut err = |key: String, message: String| issues.push(Issue { error: true, key, message });
        let mut numbers = BTreeSet::new();
        for (i, c) in self.changes.iter().enumerate() {
            let key = format!("change[{}]", i + 1);
            if c.number.is_empty() {
                err(format!("{key}.number"), "ange ändringsbeslutets nummer".into());
            } else if !numbers.insert(c.number.as_str()) {
                err(format!("{key}.number"), format!("ändringsbeslut {} förekommer två gånger", c.number));
            }
            let Some(r) = &c.retroactive else { continue };
            if r.from < self.start_month() || r.from > self.end_month() {
                err(
                    format!("{key}.retroactive.from"),
                    format!("{} ligger utanför projektets tid {} – {}", r.from, self.start_month(), self.end_month()),
                );
            }
            if r.keys.is_empty() {
                err(
                    format!("{key}.retroactive.keys"),
                    "ange vilka värden ändringen gäller, t.ex. keys = [\"solleftea.on_costs\"]".into(),
                );
            }
            for k in &r.keys {
                match parse_key(k) {
                    Some((folder, _)) if self.org_by_folder(folder).is_some() => {}
                    Some((folder, _)) => err(
                        format!("{key}.retroactive.keys"),
                        format!("«{k}»: «{folder}» är ingen projektparts eller medfinansiärs mapp"),
                    ),
                    None => err(
                        format!("{key}.retroactive.keys"),
                        format!(
                            "«{k}» är ingen nyckel som prissätter månader; skriv <mapp>.on_costs eller <mapp>.flat_rate"
                        ),
                    ),
                }
            }
        }
    }
}

/// A folder name without case and accents, for [`Project::check_folders`]: `Ånge` and `ange`
/// fold alike, whether the å is one character (NFC) or an a and a combining ring (NFD, as macOS
/// writes names).
fn fold(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
            'ç' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'š' => 's',
            'ž' => 'z',
            c => c,
        })
        .collect()
}

/// A rate key written as a fraction: every key that holds a rate in percent (`support_rate`,
/// `on_costs`, a flat rate's `rate`, and each dated value of them) goes through here. A value
/// above 0 and below 1 is an error, `0,3992 – menade du 39,92 %?`: no approved rate is under 1 %,
/// and the partner workbook's own rule (a value from 0 to 1 is a fraction) makes the mistake
/// likely. `key` is the key as the message names it (`partner[2].on_costs`).
pub(crate) fn percent_issue(key: &str, value: Decimal) -> Option<Issue> {
    (value > Decimal::ZERO && value < Decimal::ONE).then(|| Issue {
        error: true,
        key: key.to_string(),
        message: format!(
            "{} – menade du {} %? Procentsatser skrivs i procent i projektfilen (39.92 för 39,92 %), inte som andel",
            sv_number(value, value.normalize().scale()),
            sv_number(value * Decimal::ONE_HUNDRED, (value * Decimal::ONE_HUNDRED).normalize().scale())
        ),
    })
}

/// An issue when `parts` does not add up to `stated`, saying by how much.
fn sum_issue(error: bool, key: &str, what: &str, stated: Decimal, parts: Decimal) -> Option<Issue> {
    (stated != parts).then(|| {
        let diff = parts - stated;
        let dir = if diff < Decimal::ZERO { "mindre" } else { "mer" };
        Issue {
            error,
            key: key.to_string(),
            message: format!(
                "{what} summerar till {}, {} {dir} än {}",
                sv_kr_whole(parts),
                sv_kr_whole(diff.abs()),
                sv_kr_whole(stated)
            ),
        }
    })
}
