//! Findings: every problem the pipeline sees, as a value with a code, a severity, a place and a
//! Swedish message that says what to do.
//!
//! Findings are collected, never thrown: one partner's broken file must not cost the others their
//! claim. The place is attached where the cell is read. The [`Code`] is the finding's name and
//! its documentation; [`Severity::Error`] means the row or file was left out of the figures,
//! [`Severity::Warning`] that it was counted but deserves a look.
//!
//! This module is the catalogue: every code with its severity, Swedish title and advice (here),
//! and every condition's Swedish message as a template over typed values ([`Message`], in
//! `message.rs`). Code elsewhere raises a finding by naming the condition, never by writing a
//! sentence.

use std::fmt;

use serde::Serialize;

mod message;

pub use message::{
    BasisField, BudgetLine, Budgeted, CellProblem, Dated, Delta, FileProblem, HeldCause, Message, ParserTrouble,
    Planned, Repriced, Revision, month_ranges,
};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The row or file is left out of the figures.
    Error,
    /// Counted, but shown.
    Warning,
}

impl Severity {
    /// Swedish word for the severity.
    pub fn swedish(self) -> &'static str {
        match self {
            Severity::Error => "fel",
            Severity::Warning => "varning",
        }
    }
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $name:ident => $text:literal, $sev:ident, $title:literal, $advice:literal; )*) => {
        /// The kind of a finding; its name is its documentation (`docs/findings.md`, generated
        /// from this catalogue).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $(#[doc = $doc])* $name, )* }

        impl Code {
            /// Every code, in the order of the catalogue (`docs/findings.md`).
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as written in outputs, e.g. `BAD_VALUE`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $text,)* }
            }

            /// The severity the code has unless the context says otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$name => Severity::$sev,)* }
            }

            /// What the code means, for developers and the documentation (English).
            pub fn meaning(self) -> String {
                match self { $(Code::$name => [$($doc),*].iter().map(|l: &&str| l.trim()).collect::<Vec<_>>().join(" "),)* }
            }

            /// The code's short Swedish title, as the reports' table of open findings shows it.
            pub fn title(self) -> &'static str {
                match self { $(Code::$name => $title,)* }
            }

            /// What to do about it, in Swedish, for the partner or the economist.
            pub fn advice(self) -> &'static str {
                match self { $(Code::$name => $advice,)* }
            }
        }
    };
}

codes! {
    /// Not a readable xlsx: corrupt, truncated, encrypted, empty, too large.
    FileUnreadable => "FILE_UNREADABLE", Error,
        "Filen kan inte läsas",
        "Öppna filen i Excel eller LibreOffice, spara den som Excel-arbetsbok (.xlsx) och lägg den i inkorgen igen. Är den lösenordsskyddad: ta bort skyddet först.";
    /// A folder of the inbox that cannot be listed (no permission, a broken network share): its
    /// partner's files are left out of this run; the other partners are not affected. A warning
    /// for a folder outside every partner's folder.
    FolderUnreadable => "FOLDER_UNREADABLE", Error,
        "En mapp i inkorgen kan inte läsas",
        "Ge den som kör redovisa läsrätt till mappen (eller be IT om det) och kör igen; arbetsböckerna i mappen tas då med.";
    /// `.xls`, `.ods`, `.csv`, `.xlsm`.
    WrongFormat => "WRONG_FORMAT", Error,
        "Filen är inte i formatet .xlsx",
        "Öppna filen och spara den som Excel-arbetsbok (.xlsx) utan makron: i Excel Arkiv → Spara som → Excel-arbetsbok, i LibreOffice Arkiv → Spara som → filtyp «Excel 2007-365 (.xlsx)». Lägg den nya filen i inkorgen.";
    /// A required sheet is absent.
    MissingSheet => "MISSING_SHEET", Error,
        "Ett obligatoriskt blad saknas",
        "Utgå från månadsmallen (redovisa template) och behåll bladens namn; flytta in uppgifterna i det blad som saknas.";
    /// A required header is absent.
    MissingColumn => "MISSING_COLUMN", Error,
        "En obligatorisk kolumn saknas",
        "Lägg tillbaka kolumnrubriken som den står i mallen; ordningen spelar ingen roll men namnet gör det.";
    /// The organisationsnummer belongs to no partner of the project.
    UnknownPartner => "UNKNOWN_PARTNER", Error,
        "Organisationsnumret hör inte till projektet",
        "Skriv projektpartens organisationsnummer i Uppgifter, eller kontakta projektekonomen om parten ska läggas till i projektet.";
    /// The workbook lies in another partner's folder.
    WrongFolder => "WRONG_FOLDER", Error,
        "Arbetsboken ligger i en annan parts mapp",
        "Lägg arbetsboken i den egna partens mapp, eller rätta organisationsnumret i Uppgifter.";
    /// Two different workbooks with the same partner, month and version.
    DuplicateSubmission => "DUPLICATE_SUBMISSION", Error,
        "Två olika arbetsböcker med samma månad och version",
        "Ta bort den ena filen, eller ge den som ska gälla ett högre versionsnummer i Uppgifter.";
    /// No `Attesterad av` / `Attestdatum`: an error in a claim, a warning otherwise.
    NotAttested => "NOT_ATTESTED", Error,
        "Arbetsboken är inte attesterad",
        "Låt behörig person fylla i Attesterad av och Attestdatum i Uppgifter och spara filen igen.";
    /// A cell that cannot be read as what its column holds.
    BadValue => "BAD_VALUE", Error,
        "En cell kan inte läsas som det kolumnen ska innehålla",
        "Rätta cellen så att den innehåller det kolumnen ska ha (ett tal, ett datum, en av listans koder); meddelandet säger vad som lästes.";
    /// An organisationsnummer that fails format or Luhn.
    InvalidOrgnr => "INVALID_ORGNR", Error,
        "Ogiltigt organisationsnummer",
        "Kontrollera organisationsnumret (tio siffror, NNNNNN-NNNN) mot registreringsbeviset och rätta cellen.";
    /// A personnummer that fails format, date or Luhn.
    InvalidPersonnummer => "INVALID_PERSONNUMMER", Error,
        "Ogiltigt personnummer",
        "Kontrollera personnumret (ÅÅÅÅMMDD-NNNN) och rätta cellen; samordningsnummer går också bra.";
    /// Time for a name not in `Personal`.
    UnknownPerson => "UNKNOWN_PERSON", Error,
        "Tid för en person som saknas på bladet Personal",
        "Lägg till personen på bladet Personal, eller stava namnet i Tidrapport exakt som på Personal.";
    /// An activity code not in the approved plan.
    UnknownActivity => "UNKNOWN_ACTIVITY", Error,
        "Aktivitetskod som inte finns i aktivitetsplanen",
        "Välj en aktivitetskod ur listan i mallen (den beviljade aktivitetsplanen).";
    /// A dated row outside the workbook's month.
    RowOutsidePeriod => "ROW_OUTSIDE_PERIOD", Error,
        "Rad daterad utanför arbetsbokens månad",
        "Flytta raden till arbetsboken för den månad datumet hör till, eller rätta datumet.";
    /// Most dated rows of a workbook fall in one month, and its Period names another: the
    /// workbook does not count, and never replaces the workbook of the month its Period names.
    WrongPeriod => "WRONG_PERIOD", Error,
        "Perioden i Uppgifter stämmer inte med raderna",
        "Rätta Period i bladet Uppgifter till den månad raderna gäller (eller datumen, om Perioden stämmer). Arbetsboken räknas inte förrän dess och ersätter aldrig en annan månads arbetsbok.";
    /// A month outside the project, or outside the person's Startdatum–Slutdatum.
    OutsideProjectPeriod => "OUTSIDE_PROJECT_PERIOD", Error,
        "Tid utanför projektets eller personens period",
        "Rätta datumet eller personens Startdatum/Slutdatum; tid utanför projektets eller anställningens period kan inte redovisas.";
    /// Time on an activity outside that activity's dates.
    ActivityOutsideDates => "ACTIVITY_OUTSIDE_DATES", Warning,
        "Tid på en aktivitet utanför aktivitetens datum",
        "Kontrollera att tiden hör till aktiviteten; om aktivitetsplanen har ändrats, be projektekonomen uppdatera projektfilen.";
    /// Hours that push a person's calendar year past 1 720 × Sysselsättningsgrad.
    HoursOverAnnualCap => "HOURS_OVER_ANNUAL_CAP", Error,
        "Fler timmar än årstaket tillåter",
        "Kontrollera timmarna och Sysselsättningsgrad; en person kan redovisa högst 1 720 × sysselsättningsgraden timmar per kalenderår, i alla organisationer tillsammans.";
    /// One personnummer on two `Personal` rows of a workbook that disagree (Månadslön,
    /// Startdatum, Redovisning, Andel): the person is left out until fixed. Rows that agree
    /// count once, with this code as a warning.
    DuplicatePerson => "DUPLICATE_PERSON", Error,
        "Samma personnummer på två rader i Personal",
        "Ta bort den extra raden så att varje person står på en rad i Personal; räkna in tiden under det namn som står kvar.";
    /// A person's whole month is left out because a row that could lower their hours (absence)
    /// or that places them on activities (time, for fixed-share staff) has an error: leaving out
    /// only the row could claim more.
    HeldOut => "HELD_OUT", Error,
        "En persons månad hålls utanför",
        "Rätta raden som meddelandet nämner; då räknas personens månad igen (som sen månad eller rättelse om ansökan redan har skickats).";
    /// A single amount larger than the whole approved budget it belongs to (a Månadslön over
    /// the staff budget, an other cost over the other-cost budget, a payment over the decided
    /// co-financing): a typo, left out at its cell.
    AmountOverBudget => "AMOUNT_OVER_BUDGET", Error,
        "Ett belopp är större än hela budgeten",
        "Kontrollera beloppet (ett skrivfel?) och rätta cellen; ett enda belopp kan inte vara större än hela det beviljade beloppet för sitt slag.";
    /// Two rows of `Personal` with the same name: time and absence rows name the person. With the
    /// same personnummer the later row is left out; with another (or an unreadable) one the rows
    /// may be two people whose time cannot be told apart, and neither counts.
    DuplicateName => "DUPLICATE_NAME", Error,
        "Samma namn på två rader i Personal",
        "Ta bort den extra raden. Är det två olika personer med samma namn: skilj dem åt (till exempel med en initial) i Personal, Tidrapport och Frånvaro.";
    /// One personnummer reported by two organisations in the same month (counted, shown:
    /// Tillväxtverket checks it too).
    DoubleReported => "DOUBLE_REPORTED", Warning,
        "Samma person redovisad av två organisationer samma månad",
        "Stäm av med den andra organisationen att tiden inte är dubbelredovisad; Tillväxtverket kontrollerar detta i sin tur.";
    /// A fixed-share person without `Huvudaktivitet` whose time rows place no hours (there are none,
    /// or all have 0 hours): their hours cannot go to any activity, so the person is left out.
    MissingMainActivity => "MISSING_MAIN_ACTIVITY", Error,
        "Huvudaktivitet saknas för personal med fast andel",
        "Ange Huvudaktivitet för personen i Personal, eller fördela tiden på aktiviteter i Tidrapport.";
    /// A name in `Indikatorer` that is no indicator the project reports with a value.
    UnknownIndicator => "UNKNOWN_INDICATOR", Error,
        "Indikator som projektet inte rapporterar med värde",
        "Välj indikatorn ur listan i mallen; indikatorer som räknas ut ur Deltagare ska inte skrivas in.";
    /// Absence in `Frånvaro` for a person who reports time: absence is deducted only from
    /// fixed-share hours, so the row changes nothing.
    AbsenceForTimeReporter => "ABSENCE_FOR_TIME_REPORTER", Warning,
        "Frånvaro för en person som redovisar tid",
        "Ta bort raden i Frånvaro, eller ändra Redovisning till Fast andel om personen har en fast andel.";
    /// A payment's `Typ` differs from the financing plan's kind for that financier: counted as
    /// the plan says.
    FinancingTypeMismatch => "FINANCING_TYPE_MISMATCH", Warning,
        "Typ av medfinansiering stämmer inte med finansieringsplanen",
        "Rätta Typ i bladet Medfinansiering så att den stämmer med finansieringsplanen (offentlig eller privat).";
    /// Hours written as a clock time with a dot (`6.30`): read as a decimal number (6,3 h), but
    /// a Swede may mean 6 hours 30 minutes.
    AmbiguousTime => "AMBIGUOUS_TIME", Warning,
        "Timmar som kan läsas på två sätt",
        "Skriv timmar och minuter med kolon (6:30 är 6 timmar 30 minuter) eller som decimaltal med komma (6,5).";
    /// More hours in a month than its weekdays × 8 × Sysselsättningsgrad.
    HoursOverMonth => "HOURS_OVER_MONTH", Warning,
        "Ovanligt många timmar på en månad",
        "Kontrollera att timmarna stämmer med månadens arbetsdagar och personens sysselsättningsgrad.";
    /// A person's Månadslön or Startdatum differs from an earlier month.
    SalaryBasisChanged => "SALARY_BASIS_CHANGED", Warning,
        "Månadslön eller startdatum har ändrats",
        "Behåll månadslönen och startdatumet från personens första redovisade månad; timpriset räknas på den (lönen räknas upp årsvis).";
    /// Other costs from a partner on the 40 % model.
    OtherCostsWithFlatRate => "OTHER_COSTS_WITH_FLAT_RATE", Error,
        "Övriga kostnader från en part med 40-procentsschablon",
        "Ta bort raderna i Övriga kostnader: med 40-procentsschablonen ersätts alla andra kostnader än personal av schablonen.";
    /// No accepted workbook from a partner for a month in the period.
    MissingSubmission => "MISSING_SUBMISSION", Warning,
        "Månadsredovisning saknas",
        "Lägg månadens arbetsbok i partens mapp i inkorgen; den räknas då i denna eller nästa ansökan.";
    /// Cumulative cost passes an approved budget.
    OverBudget => "OVER_BUDGET", Warning,
        "Kostnaderna överstiger budgeten",
        "Se över prognosen med projektägaren; kostnader över budgeten kan kräva en ändringsansökan hos Tillväxtverket.";
    /// The support claimed so far reaches the approved amount.
    SupportCapReached => "SUPPORT_CAP_REACHED", Warning,
        "Det beviljade stödet är uppnått",
        "Inget mer stöd kan sökas utöver det beviljade; kontakta handläggaren om projektet behöver ändras.";
    /// The workbook or the amounts of a month in a submitted claim changed (edited, a higher
    /// version, removed): the difference is carried into the next claim as a correction.
    ChangedAfterClaim => "CHANGED_AFTER_CLAIM", Warning,
        "Underlag har ändrats efter inskickad ansökan (rättelse)",
        "Kontrollera att ändringen är avsiktlig; skillnaden tas med som rättelse i nästa ansökan, om inte projektekonomen håller inne den.";
    /// The project file prices months already claimed differently (an on-cost rate or a flat rate
    /// edited in place) and no change decision re-prices them retroactively: they keep the price
    /// they were claimed at, and `submit` refuses until the file says from when the new value
    /// holds or which change decision makes it retroactive.
    DecisionChanged => "DECISION_CHANGED", Error,
        "Beslutsvärden för redan inskickade månader har ändrats",
        "Ange från vilken månad det nya värdet gäller (en lista med from i project.toml), eller lägg till ändringsbeslutet som [[change]] med retroactive om det gäller bakåt.";
    /// A workbook for a month outside the organisation's months in the decision (`from` /
    /// `until`): costs count only while it is in the decision.
    OutsidePartnerPeriod => "OUTSIDE_PARTNER_PERIOD", Error,
        "Månad utanför partens tid i beslutet",
        "Kontrollera månaden; kostnader räknas bara för månader då parten ingår i beslutet (from och until i project.toml).";
    /// The ledger holds claims for an organisation that is no longer in the project file: what
    /// it claimed stays in every cumulative figure.
    PartnerRemoved => "PARTNER_REMOVED", Warning,
        "En part med inskickade ansökningar saknas i projektfilen",
        "Lägg tillbaka parten i project.toml med until = sista månaden i beslutet i stället för att ta bort den.";
    /// The approved support in force is lower than the support already claimed.
    ApprovedSupportBelowClaimed => "APPROVED_SUPPORT_BELOW_CLAIMED", Error,
        "Beviljat stöd är lägre än redan begärt stöd",
        "Kontrollera approved_support mot beslutet; är stödet sänkt under det som redan betalats ut, stäm av återbetalningen med handläggaren.";
    /// The run's period is a submitted claim's and its figures differ from what was claimed: it is
    /// shown as if it were not submitted, and the message says by how much and why.
    PeriodAlreadySubmitted => "PERIOD_ALREADY_SUBMITTED", Warning,
        "Perioden är redan inskickad och räknas nu annorlunda",
        "Kontrollera orsakerna i meddelandet: ändrade arbetsböcker tas med som rättelser i nästa ansökan, ändrade beslutsvärden kräver ett ändringsbeslut (DECISION_CHANGED).";
    /// A month of a submitted claim's period that no claim counted now counts: it is taken in
    /// this claim.
    LateMonth => "LATE_MONTH", Warning,
        "Månad som kom efter inskickad ansökan (sen månad)",
        "Ingen åtgärd behövs: månaden tas med i denna ansökan under Tidigare månader.";
    /// The ledger holds claims recorded before it kept amounts: their months cannot be corrected.
    LegacyLedger => "LEGACY_LEDGER", Warning,
        "Äldre ansökningslogg utan belopp",
        "Ingen åtgärd behövs; rättelser av de månaderna får göras för hand tills nästa ansökan har skickats in med denna version.";
    /// The file changed on disk while the run read it; it is left for the next run.
    FileChangedDuringRun => "FILE_CHANGED_DURING_RUN", Error,
        "Filen ändrades under körningen",
        "Vänta tills filen är färdigsparad och kör igen; filen tas med i nästa körning.";
    /// A file lies outside every partner's folder.
    FileOutsidePartnerFolder => "FILE_OUTSIDE_PARTNER_FOLDER", Warning,
        "Filen ligger utanför parternas mappar",
        "Flytta filen till rätt parts mapp i inkorgen.";
    /// A payment in `Medfinansiering` from a payer that is not a cash financier in the partner's
    /// column of the financing plan (or in a co-financier's workbook).
    UnknownFinancier => "UNKNOWN_FINANCIER", Error,
        "Inbetalning från en finansiär som inte finns i partens finansieringsplan",
        "Skriv finansiärens namn som i finansieringsplanen och kontrollera organisationsnumret. En ny finansiär kräver ett ändringsbeslut; medfinansiärer som bidrar med tid redovisar inga inbetalningar.";
    /// A cash financier's paid-in share of its decided amount lags the share of the partner's
    /// budget claimed by more than the project's `cofinancing_lag` percentage points.
    CofinancingLagging => "COFINANCING_LAGGING", Warning,
        "Inbetald medfinansiering släpar efter de begärda kostnaderna",
        "Stäm av med finansiären att medfinansieringen betalas in, och se till att projektparten för in inbetalningarna i bladet Medfinansiering.";
    /// The claim period is not a period of the project's reporting plan.
    PeriodNotInPlan => "PERIOD_NOT_IN_PLAN", Warning,
        "Ansökningsperioden följer inte rapporteringsplanen",
        "Ansök enligt planen i beslutet, eller stäm av en ändrad plan med Tillväxtverket och uppdatera reporting i project.toml.";
    /// A text of the final report only a person can write (summary, effects, lessons, …) is
    /// missing from the project's `mallar/slutrapport.toml`: the report shows an "Att skriva" box.
    FinalTextMissing => "FINAL_TEXT_MISSING", Warning,
        "En text i slutrapporten är inte skriven",
        "Skriv texten under sin rubrik i mallar/slutrapport.toml (redovisa final --texts skapar filen med alla rubriker och en kort vägledning) och kör redovisa final igen.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `docs/findings.md`: the catalogue as a Markdown page, one section per code (a test keeps the
/// tracked file equal to this).
pub fn catalogue_markdown() -> String {
    let mut out = String::from(
        "# Findings\n\n\
         <!-- Generated from the catalogue in src/finding/ by `REDOVISA_BLESS=1 cargo test --release \
         --test docs`; do not edit by hand. -->\n\n\
         Every problem a run sees is a finding: a code, a severity, a place (partner folder, file, \
         sheet, cell) and a Swedish message that says what was read and what to do. An **error** \
         (*fel*) leaves the row or the file out of the figures until it is fixed; a **warning** \
         (*varning*) is counted but deserves a look. `NOT_ATTESTED` is an error for a month of the \
         claim and a warning for a month outside it. Findings appear in `summary.json`, the \
         claim workbook's `Avvikelser` sheet, each partner's receipt and the progress report's \
         table of open findings (by title, without personal data). Each code lists its messages \
         below, with made-up values: the text a run writes names the real file, sheet, cell and \
         value.\n\n\
         | code | severity | title (Swedish) |\n|---|---|---|\n",
    );
    for code in Code::ALL {
        out.push_str(&format!(
            "| [`{code}`](#{}) | {} | {} |\n",
            code.as_str().to_lowercase(),
            code.default_severity().swedish(),
            code.title()
        ));
    }
    let examples = Message::examples();
    for code in Code::ALL {
        out.push_str(&format!(
            "\n## {code}\n\n- Severity: {} ({})\n- Title: {}\n- Meaning: {}\n- What to do: {}\n",
            code.default_severity().swedish(),
            match code.default_severity() {
                Severity::Error => "left out of the figures until fixed",
                Severity::Warning => "counted, shown for a look",
            },
            code.title(),
            code.meaning(),
            code.advice()
        ));
        let mine: Vec<&Message> = examples.iter().filter(|m| m.code() == *code).collect();
        out.push_str("\nMessages (with made-up values):\n\n");
        for m in mine {
            let note = if m.severity() == code.default_severity() {
                String::new()
            } else {
                format!(" *({})*", m.severity().swedish())
            };
            out.push_str(&format!("- {}{note}\n", m.text()));
        }
    }
    out
}

/// Where a finding is: partner folder, file (relative to the inbox), sheet and cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    /// Partner folder name, when known.
    pub partner: Option<String>,
    /// File path relative to the inbox, `/`-separated.
    pub file: Option<String>,
    /// Sheet name as it appears in the workbook.
    pub sheet: Option<String>,
    /// Cell reference in the sheet's own coordinates, e.g. `D14`.
    pub cell: Option<String>,
}

impl Place {
    /// A place naming only a file.
    pub fn file(file: &str) -> Place {
        Place { file: Some(file.to_string()), ..Place::default() }
    }

    /// A place naming a cell of a file.
    pub fn cell(file: &str, sheet: &str, cell: String) -> Place {
        Place { file: Some(file.to_string()), sheet: Some(sheet.to_string()), cell: Some(cell), partner: None }
    }

    /// The same place narrowed to a sheet.
    pub fn in_sheet(mut self, sheet: &str) -> Place {
        self.sheet = Some(sheet.to_string());
        self
    }

    /// The same place with the partner folder filled in.
    pub fn with_partner(mut self, partner: &str) -> Place {
        self.partner = Some(partner.to_string());
        self
    }

    /// `Tidrapport!D14`, `Tidrapport`, or empty.
    pub fn sheet_cell(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("{s}!{c}"),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.clone());
        } else if let Some(p) = &self.partner {
            parts.push(p.clone());
        }
        let sc = self.sheet_cell();
        if !sc.is_empty() {
            parts.push(sc);
        }
        f.write_str(&parts.join(" "))
    }
}

/// One problem found, with where it is and what to do about it (in Swedish).
// A private field rather than `#[non_exhaustive]`, which would still let the rest of the crate
// write a finding, and a sentence, by hand.
#[allow(clippy::manual_non_exhaustive)]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub place: Place,
    /// Swedish: what is wrong and what to do, rendered from the catalogue's [`Message`].
    pub message: String,
    /// Private, so that a finding is only made by [`Finding::of`]: no code outside the catalogue
    /// writes a message.
    sealed: (),
}

impl Finding {
    /// The finding of a condition at a place: its code, severity and Swedish message come from
    /// the catalogue ([`Message`]).
    pub fn of(place: Place, message: Message) -> Finding {
        Finding { code: message.code(), severity: message.severity(), place, message: message.text(), sealed: () }
    }

    /// The same finding with the partner folder filled in.
    pub fn with_partner(mut self, partner: &str) -> Finding {
        self.place = self.place.with_partner(partner);
        self
    }

    /// The same finding as a warning.
    pub fn as_warning(mut self) -> Finding {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key that keeps findings in a stable, readable order: partner, file, sheet, cell
    /// (by row then column), code.
    pub fn sort_key(&self) -> impl Ord + '_ {
        let cell = self.place.cell.as_deref().map(cell_order);
        (&self.place.partner, &self.place.file, &self.place.sheet, cell, self.code, &self.message)
    }
}

/// Splits `D14` into (14, 4) so that cells sort by row, then column.
fn cell_order(cell: &str) -> (u32, u32) {
    let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
    let row = cell[letters.len()..].parse().unwrap_or(0);
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    (row, col)
}

/// Sorts findings into their stable order and removes exact duplicates.
pub fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
}

/// Excel column letters for a 0-based column index: 0 → `A`, 26 → `AA`.
pub fn column_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Cell reference for 0-based row and column: (13, 3) → `D14`.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(13, 3), "D14");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
        assert!(cell_order("B2") < cell_order("A3"));
        assert!(cell_order("Z9") < cell_order("AA9"));
    }

    #[test]
    fn every_code_has_a_message() {
        let examples = Message::examples();
        for code in Code::ALL {
            assert!(examples.iter().any(|m| m.code() == *code), "{code} has no message in Message::examples");
        }
        for m in &examples {
            let text = m.text();
            assert!(text.ends_with('.') || text.ends_with(')'), "{m:?} does not end a sentence: {text}");
            assert!(!text.contains("  "), "{m:?} has a double space: {text}");
        }
    }

    #[test]
    fn codes_are_unique_and_screaming() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        assert!(names.iter().all(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())));
    }
}
