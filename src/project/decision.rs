//! What the decision says over time: values that change from a month on ([`Dated`]: a partner's
//! on-cost rate, its flat-rate model and rate), the months a partner or co-financier is in the
//! decision (`from` / `until`), and the log of change decisions (`[[change]]`, *ändringsbeslut*)
//! with their retroactive keys.
//!
//! A plain value in `project.toml` holds for the whole project; a list holds each value from its
//! `from` month until the next entry's. Every month is priced by the values in force for it
//! ([`Dated::at`]); how a claimed month keeps the price it was claimed at is reconcile's
//! business (`crate::reconcile::decision`).

use super::*;

/// A value of the decision that may change from a month on.
///
/// Never empty: the first entry holds from the project's start (a plain value has no `from`),
/// and each later entry from its own `from`, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated<T> {
    entries: Vec<(Option<Month>, T)>,
}

impl<T: Copy> Dated<T> {
    /// A value for the whole project.
    pub fn plain(value: T) -> Dated<T> {
        Dated { entries: vec![(None, value)] }
    }

    /// Entries as given (`from` of `None`: from the project's start). Used to rebuild a value
    /// recorded in the ledger; the caller keeps them in month order.
    pub fn from_entries(entries: Vec<(Option<Month>, T)>) -> Option<Dated<T>> {
        (!entries.is_empty()).then_some(Dated { entries })
    }

    /// The value in force in `month`: the last entry whose `from` is at or before it (the first
    /// entry's for a month before every `from`, which `validate` does not let a partner's own
    /// months be).
    pub fn at(&self, month: Month) -> T {
        let mut value = self.entries[0].1;
        for (from, v) in &self.entries {
            if from.is_none_or(|f| f <= month) {
                value = *v;
            }
        }
        value
    }

    /// The entries in order, `from` of `None` meaning from the project's start.
    pub fn entries(&self) -> &[(Option<Month>, T)] {
        &self.entries
    }

    /// A single value for the whole project (as a plain value is written).
    pub fn single(&self) -> Option<T> {
        match self.entries.as_slice() {
            [(_, v)] => Some(*v),
            _ => None,
        }
    }

    /// The months from which a value starts, after the first.
    pub fn changes(&self) -> impl Iterator<Item = Month> + '_ {
        self.entries.iter().skip(1).filter_map(|(from, _)| *from)
    }
}

impl Dated<Decimal> {
    /// The TOML text of the value as `project.toml` writes it (`41.72`, or a list of dated
    /// entries), for tools that write project files.
    pub fn toml(&self) -> String {
        match self.entries.as_slice() {
            [(None, v)] => v.to_string(),
            entries => {
                let items: Vec<String> = entries
                    .iter()
                    .map(|(from, v)| match from {
                        Some(m) => format!("{{ from = \"{m}\", rate = {v} }}"),
                        None => format!("{{ rate = {v} }}"),
                    })
                    .collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
}

impl Dated<FlatRate> {
    /// The TOML text of the value as `project.toml` writes it.
    pub fn toml(&self) -> String {
        let one = |from: Option<Month>, f: FlatRate| {
            let from = from.map_or_else(String::new, |m| format!("from = \"{m}\", "));
            format!("{{ {from}model = \"{}\", rate = {} }}", f.model.as_str(), f.rate)
        };
        match self.entries.as_slice() {
            [(None, v)] => one(None, *v),
            entries => format!("[{}]", entries.iter().map(|(m, v)| one(*m, *v)).collect::<Vec<_>>().join(", ")),
        }
    }
}

/// A dated `on_costs` entry as written: `{ from = "2025-01", rate = 44.0 }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OnCostEntry {
    from: Month,
    #[serde(deserialize_with = "de_decimal")]
    rate: Decimal,
}

/// A dated `flat_rate` entry as written: `{ from = "2026-01", model = "indirect", rate = 15 }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlatRateEntry {
    from: Month,
    model: FlatRateModel,
    #[serde(deserialize_with = "de_decimal", default)]
    rate: Decimal,
}

/// Checks the order of dated entries where they are read: an empty list or entries out of
/// order cannot be priced by.
fn in_order<T, E: serde::de::Error>(entries: Vec<(Option<Month>, T)>) -> Result<Dated<T>, E> {
    if entries.is_empty() {
        return Err(E::custom("listan är tom; ange minst ett värde med from = \"ÅÅÅÅ-MM\""));
    }
    for pair in entries.windows(2) {
        if let (Some(a), Some(b)) = (pair[0].0, pair[1].0)
            && b <= a
        {
            return Err(E::custom(format!("värdet från {b} står efter värdet från {a}; ordna dem efter månad")));
        }
    }
    Ok(Dated { entries })
}

/// `on_costs`: a plain percentage for the whole project, or a list of `{ from, rate }`.
pub(super) fn de_on_costs<'de, D: Deserializer<'de>>(d: D) -> Result<Dated<Decimal>, D::Error> {
    use serde::de::Error;
    let value = toml::Value::deserialize(d)?;
    match value {
        toml::Value::Array(_) => {
            let list = Vec::<OnCostEntry>::deserialize(value).map_err(D::Error::custom)?;
            in_order(list.into_iter().map(|e| (Some(e.from), e.rate)).collect())
        }
        plain => de_decimal(plain).map(Dated::plain).map_err(D::Error::custom),
    }
}

/// `flat_rate`: `{ model, rate }` for the whole project, or a list of `{ from, model, rate }`.
pub(super) fn de_flat_rate<'de, D: Deserializer<'de>>(d: D) -> Result<Dated<FlatRate>, D::Error> {
    use serde::de::Error;
    let value = toml::Value::deserialize(d)?;
    match value {
        toml::Value::Array(_) => {
            let list = Vec::<FlatRateEntry>::deserialize(value).map_err(D::Error::custom)?;
            in_order(list.into_iter().map(|e| (Some(e.from), FlatRate { model: e.model, rate: e.rate })).collect())
        }
        plain => FlatRate::deserialize(plain).map(Dated::plain).map_err(D::Error::custom),
    }
}

pub(super) fn default_flat_rate() -> Dated<FlatRate> {
    Dated::plain(FlatRate::default())
}

/// The values that price an organisation's month: its on-cost rate and its flat rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rates {
    /// Lönebikostnad, percent of salary (`41.72`).
    #[serde(with = "rust_decimal::serde::str")]
    pub on_costs: Decimal,
    pub flat_model: FlatRateModel,
    /// Flat rate, percent of staff costs (`25`).
    #[serde(with = "rust_decimal::serde::str")]
    pub flat_rate: Decimal,
}

impl Rates {
    /// No on-costs and no flat rate: what an organisation nothing is known of is priced by.
    pub const NONE: Rates =
        Rates { on_costs: Decimal::ZERO, flat_model: FlatRateModel::None, flat_rate: Decimal::ZERO };

    pub fn flat(&self) -> FlatRate {
        FlatRate { model: self.flat_model, rate: self.flat_rate }
    }
}

/// The two keys of the decision a month is priced by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RateKey {
    /// `on_costs`.
    OnCosts,
    /// `flat_rate` (model and rate together).
    FlatRate,
}

impl RateKey {
    pub const ALL: [RateKey; 2] = [RateKey::OnCosts, RateKey::FlatRate];

    /// The key as `project.toml` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            RateKey::OnCosts => "on_costs",
            RateKey::FlatRate => "flat_rate",
        }
    }

    /// Swedish, for messages.
    pub fn swedish(self) -> &'static str {
        match self {
            RateKey::OnCosts => "lönebikostnad",
            RateKey::FlatRate => "schablon",
        }
    }

    /// Whether two sets of rates differ in this key.
    pub fn differs(self, a: &Rates, b: &Rates) -> bool {
        match self {
            RateKey::OnCosts => a.on_costs != b.on_costs,
            RateKey::FlatRate => a.flat() != b.flat(),
        }
    }

    /// The key's value in Swedish: `41,72 %`, `25 % (återstående kostnader)`.
    pub fn describe(self, r: &Rates) -> String {
        match self {
            RateKey::OnCosts => crate::money::sv_percent(percent(r.on_costs), 2),
            RateKey::FlatRate => r.flat().describe(),
        }
    }
}

/// A retroactive change: from which month the new values re-price months already claimed, and
/// which keys (`<folder>.on_costs`, `<folder>.flat_rate`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retroactive {
    pub from: Month,
    pub keys: Vec<String>,
}

/// A change decision (*ändringsbeslut*) of the change log, `[[change]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The decision's number or name as Tillväxtverket gives it (`1`, `"Ä-2025-03"`).
    #[serde(deserialize_with = "de_text")]
    pub number: String,
    /// The day it was decided.
    #[serde(deserialize_with = "de_date")]
    pub decided: NaiveDate,
    /// What changed, free text (shown in the claim workbook and the reports).
    pub what: String,
    /// Months already claimed that the change re-prices (as a correction naming it).
    #[serde(default)]
    pub retroactive: Option<Retroactive>,
}

impl Change {
    /// Whether the change re-prices `key` of the organisation in `folder` for `month`.
    pub fn covers(&self, folder: &str, key: RateKey, month: Month) -> bool {
        self.retroactive
            .as_ref()
            .is_some_and(|r| month >= r.from && r.keys.iter().any(|k| parse_key(k) == Some((folder, key))))
    }
}

/// A retroactive key, `<folder>.on_costs` or `<folder>.flat_rate`, as (folder, key).
pub fn parse_key(text: &str) -> Option<(&str, RateKey)> {
    let (folder, key) = text.trim().rsplit_once('.')?;
    let key = RateKey::ALL.into_iter().find(|k| k.as_str() == key)?;
    Some((folder, key))
}

/// A change's number: TOML text or integer.
fn de_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextLike {
        Int(i64),
        Text(String),
    }
    Ok(match TextLike::deserialize(d)? {
        TextLike::Int(i) => i.to_string(),
        TextLike::Text(s) => s.trim().to_string(),
    })
}

impl FlatRateModel {
    /// As `project.toml` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FlatRateModel::RemainingCosts => "remaining_costs",
            FlatRateModel::Indirect => "indirect",
            FlatRateModel::None => "none",
        }
    }
}

impl FlatRate {
    /// Swedish: `25 % (återstående kostnader)`, `15 % (indirekta kostnader)`, `ingen schablon`.
    pub fn describe(&self) -> String {
        let rate = crate::money::sv_percent(percent(self.rate), 2);
        match self.model {
            FlatRateModel::RemainingCosts => format!("{rate} (återstående kostnader)"),
            FlatRateModel::Indirect => format!("{rate} (indirekta kostnader)"),
            FlatRateModel::None => "ingen schablon".to_string(),
        }
    }
}

impl<'a> Org<'a> {
    /// The on-cost rate, as the decision dates it.
    pub fn on_costs(self) -> &'a Dated<Decimal> {
        match self {
            Org::Partner(p) => &p.on_costs,
            Org::Cofinancier(c) => &c.on_costs,
        }
    }

    /// The flat rate, as the decision dates it.
    pub fn flat_rates(self) -> &'a Dated<FlatRate> {
        match self {
            Org::Partner(p) => &p.flat_rate,
            Org::Cofinancier(c) => &c.flat_rate,
        }
    }

    /// The flat rate in force in `month`.
    pub fn flat_rate_at(self, month: Month) -> FlatRate {
        self.flat_rates().at(month)
    }

    /// What the file prices `month` by.
    pub fn rates_at(self, month: Month) -> Rates {
        let flat = self.flat_rate_at(month);
        Rates { on_costs: self.on_costs().at(month), flat_model: flat.model, flat_rate: flat.rate }
    }

    /// The first and last month it is in the decision (`from` / `until`), if given.
    pub fn from_until(self) -> (Option<Month>, Option<Month>) {
        match self {
            Org::Partner(p) => (p.from, p.until),
            Org::Cofinancier(c) => (c.from, c.until),
        }
    }
}

impl Project {
    /// The first and last month `org` is in the decision: its `from` / `until`, within the
    /// project.
    pub fn months_of(&self, org: Org) -> (Month, Month) {
        let (from, until) = org.from_until();
        (
            from.map_or(self.start_month(), |m| m.max(self.start_month())),
            until.map_or(self.end_month(), |m| m.min(self.end_month())),
        )
    }

    /// Whether `org` is in the decision in `month`.
    pub fn in_decision(&self, org: Org, month: Month) -> bool {
        let (first, last) = self.months_of(org);
        first <= month && month <= last
    }

    /// The change decisions whose retroactive keys cover `key` of `folder` in `month`.
    pub fn retroactive_for(&self, folder: &str, key: RateKey, month: Month) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.covers(folder, key, month))
    }
}
