//! Word lists the demo generator draws from: Swedish names, the pool of organisations that take
//! part in events, event names, and the phrase banks of the `Lägesbeskrivning` sheet.
//!
//! Everything here is plain data plus the few helpers that combine it (an organisation's name and
//! number, a narrative sentence with its blanks filled). The choices are made by the caller's
//! seeded generator, so the same seed always picks the same words.

use rand::Rng;

use redovisa::ids::{OrgNr, luhn_digit};

/// Women's first names common among Swedes of working age.
pub const WOMEN: &[&str] = &[
    "Anna",
    "Maria",
    "Karin",
    "Sara",
    "Emma",
    "Lena",
    "Kristina",
    "Elin",
    "Johanna",
    "Malin",
    "Linnea",
    "Ida",
    "Hanna",
    "Sofia",
    "Eva",
    "Ingrid",
    "Camilla",
    "Jenny",
    "Frida",
    "Annika",
    "Helena",
    "Cecilia",
    "Therese",
    "Lisa",
    "Marie",
    "Åsa",
    "Ulrika",
    "Josefin",
    "Matilda",
    "Elisabeth",
    "Charlotte",
    "Susanne",
    "Petra",
    "Louise",
    "Moa",
];

/// Men's first names common among Swedes of working age.
pub const MEN: &[&str] = &[
    "Erik", "Lars", "Anders", "Johan", "Per", "Karl", "Mikael", "Magnus", "Fredrik", "Daniel", "Jonas", "Stefan",
    "Mattias", "Henrik", "Niklas", "Andreas", "Patrik", "Thomas", "Peter", "Olof", "Gustav", "Oskar", "Viktor",
    "Jakob", "Martin", "Björn", "Pontus", "Emil", "Joakim", "Håkan", "Tobias", "Robert", "Jimmy", "Ulf",
];

/// Surnames, with a Norrland accent.
pub const SURNAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Sjöberg",
    "Lindberg",
    "Lindqvist",
    "Berglund",
    "Forsberg",
    "Sundström",
    "Holmgren",
    "Nordin",
    "Näslund",
    "Öberg",
    "Hägglund",
    "Westerlund",
    "Sjöström",
    "Lundgren",
    "Byström",
    "Åström",
    "Edström",
    "Norberg",
    "Strömberg",
    "Ångman",
    "Nyström",
    "Wikström",
    "Sandberg",
    "Engström",
    "Hedlund",
    "Backlund",
    "Jonsson Ek",
    "Hellström",
];

/// Places in and around Västernorrland, as they appear in company names.
const PLACES: &[&str] = &[
    "Höga Kusten",
    "Ådalens",
    "Sundsvalls",
    "Härnösands",
    "Kramfors",
    "Sollefteå",
    "Timrå",
    "Ånge",
    "Örnsköldsviks",
    "Alnö",
    "Njurunda",
    "Bjästa",
    "Husums",
    "Nordingrå",
    "Matfors",
    "Kovlands",
    "Ljustorps",
    "Junsele",
    "Ramsele",
    "Bollstabruks",
    "Lunde",
    "Själevads",
    "Domsjö",
    "Gideå",
    "Birsta",
    "Kvissleby",
    "Lidens",
    "Indals",
    "Fränsta",
    "Ljungaverks",
    "Söråkers",
    "Mitt",
    "Norrlands",
    "Nordkust",
    "Mellannorrlands",
    "Bottenhavets",
    "Älvdalens",
    "Skuleskogens",
];

/// Lines of business, as they appear in company names.
const TRADES: &[&str] = &[
    "Bygg",
    "El & Energi",
    "Trä",
    "Skog",
    "Transport",
    "Fastigheter",
    "Konsult",
    "Redovisning",
    "Måleri",
    "Rör",
    "Mekaniska",
    "Design",
    "Turism",
    "Camping",
    "Livs",
    "Bageri",
    "Fiske",
    "IT-partner",
    "Data",
    "Media",
    "Solenergi",
    "Återvinning",
    "Logistik",
    "Maskin",
    "Snickeri",
    "Smide",
    "Trädgård",
    "Hotell",
    "Event",
    "Arkitekter",
    "Ingenjörer",
    "Miljöteknik",
    "Vatten",
    "Kompetens",
    "Hälsa",
    "Städ",
    "Åkeri",
    "Sågverk",
    "Automation",
    "Plast",
    "Bryggeri",
    "Rådgivning",
];

/// The legal form of a pool organisation, which decides its number's first digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Aktiebolag: 556xxx or 559xxx.
    Company,
    /// Handelsbolag: 916xxx or 969xxx.
    Partnership,
    /// Ekonomisk förening: 769xxx.
    Cooperative,
    /// Ideell förening: 802xxx.
    Association,
}

/// One organisation that may take part in events.
#[derive(Debug, Clone)]
pub struct PoolOrg {
    pub org_nr: OrgNr,
    pub name: String,
}

/// `count` distinct organisations with valid, distinct numbers and distinct names. `taken`
/// numbers (the project's own organisations) are never used.
pub fn organisation_pool(rng: &mut impl Rng, count: usize, taken: &[OrgNr]) -> Vec<PoolOrg> {
    let mut numbers: std::collections::BTreeSet<OrgNr> = taken.iter().cloned().collect();
    let mut names = std::collections::BTreeSet::new();
    let mut pool = Vec::with_capacity(count);
    let mut attempts = 0usize;
    while pool.len() < count {
        attempts += 1;
        let form = match rng.random_range(0..100) {
            0..84 => Form::Company,
            84..90 => Form::Partnership,
            90..95 => Form::Cooperative,
            _ => Form::Association,
        };
        let place = PLACES[rng.random_range(0..PLACES.len())];
        let trade = TRADES[rng.random_range(0..TRADES.len())];
        // After many collisions the combinations run out: number the names instead.
        let base =
            if attempts > count * 20 { format!("{place} {trade} {}", pool.len()) } else { format!("{place} {trade}") };
        let name = match form {
            Form::Company => match rng.random_range(0..10) {
                0 => format!("{base} i Norr AB"),
                1 => format!("{base} & Son AB"),
                _ => format!("{base} AB"),
            },
            Form::Partnership => format!("{base} HB"),
            Form::Cooperative => format!("{base} ekonomisk förening"),
            Form::Association => format!("Föreningen {base}"),
        };
        if names.contains(&name) {
            continue;
        }
        let prefix = match form {
            Form::Company => {
                if rng.random_bool(0.7) {
                    "556"
                } else {
                    "559"
                }
            }
            Form::Partnership => {
                if rng.random_bool(0.5) {
                    "916"
                } else {
                    "969"
                }
            }
            Form::Cooperative => "769",
            Form::Association => "802",
        };
        let nine = format!("{prefix}{:06}", rng.random_range(0..1_000_000u32));
        let Some(org_nr) = OrgNr::parse(&format!("{nine}{}", luhn_digit(&nine))) else { continue };
        if !numbers.insert(org_nr.clone()) {
            continue;
        }
        names.insert(name.clone());
        pool.push(PoolOrg { org_nr, name });
    }
    pool
}

/// Event names per activity code; `{ort}` is replaced by the host's place.
pub fn event_names(activity: &str) -> &'static [&'static str] {
    match activity {
        "1.1" => &[
            "Workshop strukturbildskarta {ort}",
            "Kartverkstad: grön industri och mark",
            "Dialog om strukturbild och bostäder i {ort}",
            "Workshop energi och elnät",
        ],
        "1.2" => {
            &["Erfarenhetsutbyte planering {ort}", "Studiebesök industriområde {ort}", "Nätverksträff fysisk planering"]
        }
        "2.2" => &[
            "Företagarfrukost {ort}",
            "Nätverksträff hållbar omställning",
            "Matchningsträff företag och kommun",
            "Frukostmöte kompetensförsörjning",
            "Företagsträff cirkulär ekonomi {ort}",
        ],
        "3.3" => {
            &["Dialogmöte infrastruktur {ort}", "Rundabordssamtal om elförsörjning", "Påverkansträff med näringslivet"]
        }
        _ => &["Träff {ort}"],
    }
}

/// Themes that recur in the narratives.
pub const THEMES: &[&str] = &[
    "grön industri",
    "energiförsörjning",
    "bostadsbyggande",
    "kollektivtrafik",
    "elnät och laddinfrastruktur",
    "besöksnäring",
    "kompetensförsörjning",
    "vatten och avlopp",
    "industrimark",
    "klimatanpassning",
];

/// What was done (`Genomfört`) per activity; `{tema}`, `{ort}` and `{n}` are filled in.
fn done_bank(activity: &str) -> &'static [&'static str] {
    match activity {
        "1.1" => &[
            "Workshop om strukturbildskartan med planerare i {ort}; underlag om {tema} samlades in.",
            "Inventerat {tema} i {ort} som underlag till strukturbildskartan.",
            "Tagit fram kartskikt för {tema} tillsammans med GIS-samordnaren.",
            "Stämt av riksintressen och {tema} i strukturbildskartan med Länsstyrelsen.",
            "Sammanställt synpunkterna från remissrundan på utkastet till strukturbildskarta.",
        ],
        "1.2" => &[
            "Erfarenhetsutbyte mellan kommunernas planerare om {tema}.",
            "Studiebesök i {ort} om {tema} och markberedskap.",
            "Deltagit i den regionala planeringsgruppens möte om {tema}.",
            "Jämfört kommunernas översiktsplaner i fråga om {tema}.",
        ],
        "1.3" | "2.1" | "3.4" => &[
            "Skrivit och skickat månadens nyhetsbrev om {tema}.",
            "Uppdaterat projektets webbsida och publicerat {n} inlägg i sociala medier.",
            "Tagit fram inbjudningar och affischer till träffarna i {ort}.",
            "Intervjuat företag i {ort} för en artikelserie om {tema}.",
            "Spelat in en kort film om projektets arbete med {tema}.",
        ],
        "2.2" => &[
            "Företagarfrukost i {ort} om {tema}.",
            "Samverkansmöte med näringslivsorganisationerna om {tema}.",
            "Matchningsträff mellan företag och kommunens planerare i {ort}.",
            "Enskilda möten med {n} företag om deras behov kring {tema}.",
        ],
        "3.2" => &[
            "Arbetat med kommunikationsstrategin: målgruppsanalys och budskap om {tema}.",
            "Tagit fram en budskapsplattform för påverkansarbetet om {tema}.",
            "Planerat kanaler och tidplan för strategins genomförande.",
        ],
        "3.3" => &[
            "Möte med länets riksdagsledamöter om {tema}.",
            "Dialog med Trafikverket om {tema} i Västernorrland.",
            "Skrivit ett gemensamt remissvar om {tema}.",
            "Presenterat projektets underlag om {tema} för regionala beslutsfattare.",
        ],
        "4.1" => &[
            "Styrgruppsmöte; budget, tidplan och indikatorer följdes upp.",
            "Förberett lägesrapport och ansökan om utbetalning med projektekonomen.",
            "Processledarträff inom KrAft-programmet: metodstöd och reflektion.",
            "Uppföljning av budget och tidredovisning med parterna.",
            "Samordningsmöte med parternas processledare.",
            "Planerat och påbörjat slututvärderingen.",
        ],
        _ => &["Arbetat i projektet enligt plan."],
    }
}

/// Results seen (`Resultat`) per activity; may be left empty by the caller.
fn result_bank(activity: &str) -> &'static [&'static str] {
    match activity {
        "1.1" => &[
            "Ett gemensamt kartskikt för {tema} är klart för granskning.",
            "{n} nya underlag har lagts in i den gemensamma kartan.",
            "Samsyn mellan kommunerna om hur {tema} ska redovisas.",
        ],
        "1.2" => &[
            "Planerarna delar nu underlag om {tema} löpande.",
            "Två kommuner har börjat samordna sina planer för {tema}.",
        ],
        "1.3" | "2.1" | "3.4" => &[
            "Nyhetsbrevet har nu {n}0 prenumeranter fler än förra månaden.",
            "Inläggen nådde fler företag i {ort} än tidigare.",
        ],
        "2.2" => &[
            "{n} företag deltog, flera för första gången.",
            "Företagen efterfrågar fler träffar om {tema}.",
            "Kontakt etablerad mellan kommunen och {n} nya företag.",
        ],
        "3.2" => &["Strategin är förankrad i styrgruppen.", "Målgrupperna är beskrivna och prioriterade."],
        "3.3" => {
            &["Frågan om {tema} finns nu med i den regionala dialogen.", "Underlaget har efterfrågats av fler aktörer."]
        }
        "4.1" => &[
            "Projektet följer tidplanen och budgeten.",
            "Parterna har lämnat sina underlag i tid.",
            "Samordningen mellan parterna fungerar väl.",
        ],
        _ => &["Arbetet följer planen."],
    }
}

/// Deviations (`Avvikelser`) that happen now and then, with what is done about them.
pub const DEVIATIONS: &[&str] = &[
    "Workshopen sköts upp till nästa månad på grund av sjukdom; inbjudan går ut på nytt.",
    "Färre deltagare än planerat vid träffen; nästa gång provar vi en tid tidigare på dagen.",
    "Kartunderlaget från GIS-enheten blev försenat; tidplanen i stort påverkas inte.",
    "Styrgruppsmötet flyttades en vecka på grund av krock med kommunfullmäktige.",
    "Mötet med Trafikverket ställdes in från deras sida; nytt datum är bokat.",
];

/// A deviation when a post stands empty.
pub const VACANCY: &str = "Tjänsten som processledare var vakant en del av månaden; rekryteringen är klar och \
                           arbetet tas igen under hösten.";

/// A deviation when a person has been on long sick leave.
pub const SICK_LEAVE: &str = "Processledaren var sjukskriven en längre period; planerade aktiviteter genomförs senare.";

/// Fills the blanks of a bank sentence: `{ort}` with the host's place, `{tema}` and `{n}` at random.
fn fill(rng: &mut impl Rng, text: &str, ort: &str) -> String {
    let tema = THEMES[rng.random_range(0..THEMES.len())];
    let n = rng.random_range(3..12u32);
    text.replace("{tema}", tema).replace("{ort}", ort).replace("{n}", &n.to_string())
}

/// A narrative from the banks: (done, results), blanks filled from `ort` and the generator.
pub fn narrative(rng: &mut impl Rng, activity: &str, ort: &str) -> (String, String) {
    let bank = done_bank(activity);
    let i = rng.random_range(0..bank.len());
    let done = fill(rng, bank[i], ort);
    // A quarter of the time nothing new is seen yet, and the cell is left empty.
    let results = if rng.random_range(0..4) == 0 {
        String::new()
    } else {
        let bank = result_bank(activity);
        let i = rng.random_range(0..bank.len());
        fill(rng, bank[i], ort)
    };
    (done, results)
}

/// A person's full name: a first name matching `woman` and a surname.
pub fn person_name(rng: &mut impl Rng, woman: bool) -> String {
    let first = if woman { WOMEN[rng.random_range(0..WOMEN.len())] } else { MEN[rng.random_range(0..MEN.len())] };
    let last = SURNAMES[rng.random_range(0..SURNAMES.len())];
    format!("{first} {last}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn pool_is_distinct_and_valid() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let taken = [OrgNr::parse("212000-2403").unwrap()];
        let pool = organisation_pool(&mut rng, 700, &taken);
        let numbers: std::collections::BTreeSet<_> = pool.iter().map(|p| p.org_nr.clone()).collect();
        let names: std::collections::BTreeSet<_> = pool.iter().map(|p| p.name.clone()).collect();
        assert_eq!(numbers.len(), 700);
        assert_eq!(names.len(), 700);
        assert!(!numbers.contains(&taken[0]));
        let companies = pool.iter().filter(|p| p.org_nr.as_str().starts_with("55")).count();
        assert!(companies > 500, "mostly companies: {companies}");
    }

    #[test]
    fn narratives_have_no_blanks_left() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for code in ["1.1", "1.2", "1.3", "2.1", "2.2", "3.2", "3.3", "3.4", "4.1"] {
            for _ in 0..20 {
                let (done, results) = narrative(&mut rng, code, "Kramfors");
                assert!(!done.contains('{') && !results.contains('{'), "{done} {results}");
            }
        }
    }
}
