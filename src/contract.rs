//! The partner workbook's contract (`docs/partnerhandledning.md`) as data: sheets, headers and the
//! values a dropdown offers.
//!
//! The reader matches against these names, the template writes them, and the demo generator
//! fills them, so the three can never drift apart.

/// A sheet of the partner workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sheet {
    Uppgifter,
    Personal,
    Tidrapport,
    Franvaro,
    Deltagare,
    Indikatorer,
    Lagesbeskrivning,
    OvrigaKostnader,
    /// Co-financing paid in (optional: an absent sheet means no payments that month).
    Medfinansiering,
}

impl Sheet {
    /// Every sheet, in the order the template lays them out.
    pub const ALL: [Sheet; 9] = [
        Sheet::Uppgifter,
        Sheet::Personal,
        Sheet::Tidrapport,
        Sheet::Franvaro,
        Sheet::Deltagare,
        Sheet::Indikatorer,
        Sheet::Lagesbeskrivning,
        Sheet::OvrigaKostnader,
        Sheet::Medfinansiering,
    ];

    /// The sheet's name in the workbook.
    pub fn name(self) -> &'static str {
        match self {
            Sheet::Uppgifter => "Uppgifter",
            Sheet::Personal => "Personal",
            Sheet::Tidrapport => "Tidrapport",
            Sheet::Franvaro => "Frånvaro",
            Sheet::Deltagare => "Deltagare",
            Sheet::Indikatorer => "Indikatorer",
            Sheet::Lagesbeskrivning => "Lägesbeskrivning",
            Sheet::OvrigaKostnader => "Övriga kostnader",
            Sheet::Medfinansiering => "Medfinansiering",
        }
    }

    /// The columns of a table sheet, in template order (empty for `Uppgifter`).
    pub fn columns(self) -> &'static [Column] {
        use Column::*;
        match self {
            Sheet::Uppgifter => &[],
            Sheet::Personal => &[
                Namn,
                Personnummer,
                Roll,
                Startdatum,
                Slutdatum,
                Manadslon,
                Redovisning,
                Andel,
                Sysselsattningsgrad,
                Huvudaktivitet,
            ],
            Sheet::Tidrapport => &[Namn, Datum, Aktivitet, Timmar, Kommentar],
            Sheet::Franvaro => &[Namn, Manad, Timmar, Orsak],
            Sheet::Deltagare => &[Datum, Aktivitet, Traff, Organisationsnummer, Organisation, Kon],
            Sheet::Indikatorer => &[Indikator, Varde, Kommentar],
            Sheet::Lagesbeskrivning => &[Aktivitet, Genomfort, Resultat, Avvikelser],
            Sheet::OvrigaKostnader => &[Verifikation, Datum, Kostnadsslag, Beskrivning, Aktivitet, Belopp],
            Sheet::Medfinansiering => &[Datum, Finansiar, Organisationsnummer, Typ, Belopp, Verifikation, Kommentar],
        }
    }

    /// The headers a row must hold to be taken as the sheet's header row.
    pub fn required(self) -> &'static [Column] {
        use Column::*;
        match self {
            Sheet::Uppgifter => &[],
            Sheet::Personal => &[Namn, Personnummer, Startdatum, Manadslon, Redovisning],
            Sheet::Tidrapport => &[Namn, Datum, Aktivitet, Timmar],
            Sheet::Franvaro => &[Namn, Manad, Timmar, Orsak],
            Sheet::Deltagare => &[Datum, Aktivitet, Organisationsnummer, Kon],
            Sheet::Indikatorer => &[Indikator, Varde],
            Sheet::Lagesbeskrivning => &[Aktivitet, Genomfort],
            Sheet::OvrigaKostnader => &[Verifikation, Datum, Kostnadsslag, Aktivitet, Belopp],
            Sheet::Medfinansiering => &[Datum, Finansiar, Typ, Belopp],
        }
    }
}

/// A column header of a table sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    Namn,
    Personnummer,
    Roll,
    Startdatum,
    Slutdatum,
    Manadslon,
    Redovisning,
    Andel,
    Sysselsattningsgrad,
    Huvudaktivitet,
    Datum,
    Aktivitet,
    Timmar,
    Kommentar,
    Manad,
    Orsak,
    Traff,
    Organisationsnummer,
    Organisation,
    Kon,
    Indikator,
    Varde,
    Genomfort,
    Resultat,
    Avvikelser,
    Verifikation,
    Kostnadsslag,
    Beskrivning,
    Belopp,
    Finansiar,
    Typ,
}

impl Column {
    /// The header text as the template writes it.
    pub fn header(self) -> &'static str {
        use Column::*;
        match self {
            Namn => "Namn",
            Personnummer => "Personnummer",
            Roll => "Roll",
            Startdatum => "Startdatum",
            Slutdatum => "Slutdatum",
            Manadslon => "Månadslön",
            Redovisning => "Redovisning",
            Andel => "Andel",
            Sysselsattningsgrad => "Sysselsättningsgrad",
            Huvudaktivitet => "Huvudaktivitet",
            Datum => "Datum",
            Aktivitet => "Aktivitet",
            Timmar => "Timmar",
            Kommentar => "Kommentar",
            Manad => "Månad",
            Orsak => "Orsak",
            Traff => "Träff",
            Organisationsnummer => "Organisationsnummer",
            Organisation => "Organisation",
            Kon => "Kön",
            Indikator => "Indikator",
            Varde => "Värde",
            Genomfort => "Genomfört",
            Resultat => "Resultat",
            Avvikelser => "Avvikelser",
            Verifikation => "Verifikation",
            Kostnadsslag => "Kostnadsslag",
            Beskrivning => "Beskrivning",
            Belopp => "Belopp",
            Finansiar => "Finansiär",
            Typ => "Typ",
        }
    }
}

/// A label of the `Uppgifter` sheet (column A), with its value in column B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    Projektpart,
    Organisationsnummer,
    Period,
    Version,
    AttesteradAv,
    Attestdatum,
}

impl Label {
    pub const ALL: [Label; 6] = [
        Label::Projektpart,
        Label::Organisationsnummer,
        Label::Period,
        Label::Version,
        Label::AttesteradAv,
        Label::Attestdatum,
    ];

    pub fn text(self) -> &'static str {
        match self {
            Label::Projektpart => "Projektpart",
            Label::Organisationsnummer => "Organisationsnummer",
            Label::Period => "Period",
            Label::Version => "Version",
            Label::AttesteradAv => "Attesterad av",
            Label::Attestdatum => "Attestdatum",
        }
    }
}

/// `Redovisning` values: how a person's hours are reported.
pub const REDOVISNING: [&str; 2] = ["Tidrapport", "Fast andel"];
/// `Kön` values.
pub const KON: [&str; 3] = ["Kvinna", "Man", "Ej angivet"];
/// `Orsak` values of deductible absence.
pub const ORSAK: [&str; 3] = ["Sjukdom dag 15+", "VAB", "Tjänstledighet"];
/// `Kostnadsslag` values of other costs.
pub const KOSTNADSSLAG: [&str; 5] = ["Externa tjänster", "Resor", "Lokaler", "Investeringar", "Övrigt"];

/// `Typ` values of co-financing paid in (`Medfinansiering`): public or private cash.
pub const TYP: [&str; 2] = ["Offentlig kontant", "Privat kontant"];

/// Normalises a sheet name, header or label for matching: trimmed, lower case, without a
/// trailing `:`, inner runs of spaces as one.
pub fn normalise(text: &str) -> String {
    // One pass into one string: the reader normalises every header and label cell it meets.
    let mut out: String = spaced(text).collect();
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}

/// `text`'s characters trimmed, without a trailing `:`, inner runs of spaces as one (what
/// [`normalise`] lowers).
fn spaced(text: &str) -> impl Iterator<Item = char> + '_ {
    let t = text.trim().trim_end_matches(':').trim();
    t.split_whitespace().enumerate().flat_map(|(i, word)| (i > 0).then_some(' ').into_iter().chain(word.chars()))
}

/// Whether two names are the same once [`normalise`]d, without allocating (the project's names
/// are compared with every other partner's for every payment row read).
pub fn same(a: &str, b: &str) -> bool {
    // `str::to_lowercase` lowers a capital sigma by its place in the word; char by char does
    // the rest the same.
    if a.contains('Σ') || b.contains('Σ') {
        return normalise(a) == normalise(b);
    }
    spaced(a).flat_map(char::to_lowercase).eq(spaced(b).flat_map(char::to_lowercase))
}

/// Whether a contract name (trimmed, single-spaced, no trailing `:`) is the [`normalise`]d
/// text `key`, without allocating: the reader compares every header cell against every column.
pub fn is(constant: &str, key: &str) -> bool {
    constant.chars().flat_map(char::to_lowercase).eq(key.chars())
}

/// The contract sheet a workbook's sheet name stands for.
pub fn sheet_for(name: &str) -> Option<Sheet> {
    let n = normalise(name);
    Sheet::ALL.into_iter().find(|s| is(s.name(), &n))
}

/// Matches `value` against allowed values case-insensitively; returns the canonical spelling.
pub fn canonical<'a>(allowed: &[&'a str], value: &str) -> Option<&'a str> {
    let v = normalise(value);
    allowed.iter().copied().find(|a| is(a, &v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerant_matching() {
        assert_eq!(sheet_for("  tidrapport "), Some(Sheet::Tidrapport));
        assert_eq!(sheet_for("FRÅNVARO"), Some(Sheet::Franvaro));
        assert_eq!(sheet_for("Övriga  kostnader"), Some(Sheet::OvrigaKostnader));
        assert_eq!(normalise(" Månadslön: "), "månadslön");
        assert!(same("  Region  Västernorrland:", "region västernorrland"));
        assert!(!same("Region Västernorrland", "Region Väster norrland"));
        assert_eq!(same("ΟΔΟΣ", "οδος"), normalise("ΟΔΟΣ") == normalise("οδος"));
        assert!(is("Månadslön", &normalise("MÅNADSLÖN:")));
        assert!(!is("Månadslön", "månadslö"));
        assert_eq!(canonical(&REDOVISNING, "fast andel"), Some("Fast andel"));
        assert_eq!(canonical(&KON, "kvinna"), Some("Kvinna"));
        assert_eq!(canonical(&KON, "K"), None);
    }

    #[test]
    fn required_columns_are_columns() {
        for s in Sheet::ALL {
            for c in s.required() {
                assert!(s.columns().contains(c), "{s:?} {c:?}");
            }
        }
    }
}
