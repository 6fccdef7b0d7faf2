//! The project file: the seed project loads and `validate` reproduces the application's totals;
//! broken files give a clear message naming the key and exit 2.

use std::path::Path;

use assert_cmd::Command;
use redovisa::project::Project;
use rust_decimal::dec;

/// The seed project, in the workspace root's `fixtures/`.
const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/hallbar-samhallsomstallning");

fn redovisa() -> Command {
    Command::cargo_bin("redovisa").unwrap()
}

#[test]
fn the_seed_project_loads_with_the_applications_figures() {
    let p = Project::load(Path::new(SEED)).unwrap();
    assert_eq!(p.info.id, "454304");
    assert_eq!(p.partners.len(), 7);
    assert_eq!(p.cofinanciers.len(), 4);
    assert_eq!(p.budget_costs(), dec!(29058634));
    assert_eq!(p.budget_in_kind(), dec!(2883452));
    assert_eq!(p.budget_cash() + p.budget_in_kind(), dec!(19189793));
    assert_eq!(p.partners.iter().map(|x| x.support).sum::<rust_decimal::Decimal>(), dec!(12752293));
    assert_eq!(p.support_fraction(), dec!(0.3992));
    assert_eq!(p.indexation_factor(), dec!(1.024));
    assert_eq!(p.activities().count(), 13);
    assert_eq!(p.indicators.len(), 4);
    // The activities sum to 2 kr less than the total (the application's rounding to whole
    // kronor, 13 activities): information with the budget, not a warning.
    let warnings: Vec<_> = p.validate().into_iter().filter(|i| !i.error).collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(p.activity_rounding(), Some(dec!(-2)));
}

#[test]
fn an_activity_plan_off_by_more_than_its_rounding_is_a_warning() {
    // 31 942 084 + 22 = 31 942 106 kr, 20 kr over the total: more than 1 kr for each of the 13
    // activities.
    // Work package 1 and its activity 1.1 both 22 kr more (they still agree with each other).
    let (code, text) = validate_broken(|t| {
        t.replacen("budget = 11857123", "budget = 11857145", 1).replacen("budget = 6734143", "budget = 6734165", 1)
    });
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("varning: work_package: aktiviteterna summerar till 31 942 106 kr, 20 kr mer än 31 942 086 kr"),
        "{text}"
    );
    assert!(!text.contains("Information: aktiviteterna"), "{text}");
}

#[test]
fn validate_prints_the_seed_totals_exactly() {
    let out = redovisa().args(["validate", SEED]).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    for line in [
        "Kostnader                        29 058 634 kr",
        "Bidrag i annat än pengar          2 883 452 kr",
        "Totala kostnader                 31 942 086 kr",
        "Medfinansiering                  19 189 793 kr",
        "Stöd                             12 752 293 kr",
    ] {
        assert!(text.contains(line), "missing «{line}» in:\n{text}");
    }
    assert!(
        text.contains(
            "Information: aktiviteterna summerar till 31 942 084 kr, 2 kr mindre än totala kostnader 31 942 086 kr."
        ),
        "{text}"
    );
    assert!(!text.contains("varning"), "the seed validates without a warning: {text}");
    assert!(text.contains("PLATSHÅLLARE"), "the placeholders are shown");
}

/// Writes a copy of the seed project file changed by `edit` and runs `validate` on it.
fn validate_broken(edit: impl Fn(&str) -> String) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(Path::new(SEED).join("project.toml")).unwrap();
    let broken = edit(&text);
    assert_ne!(broken, text, "the edit changed nothing");
    std::fs::write(dir.path().join("project.toml"), broken).unwrap();
    let out = redovisa().arg("validate").arg(dir.path()).output().unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // A broken project also stops every other command.
    let run = redovisa().arg("run").arg(dir.path()).output().unwrap();
    assert_eq!(run.status.code(), Some(2), "run on a broken project");
    (out.status.code().unwrap_or(-1), all)
}

#[test]
fn a_missing_key_is_named() {
    let (code, text) = validate_broken(|t| t.replacen("approved_support = 12752293", "", 1));
    assert_eq!(code, 2);
    assert!(text.contains("approved_support"), "{text}");
}

#[test]
fn a_wrong_check_digit_is_named() {
    let (code, text) = validate_broken(|t| t.replacen("212000-2429", "212000-2428", 1));
    assert_eq!(code, 2);
    assert!(text.contains("org_nr") && text.contains("212000-2428"), "{text}");
}

#[test]
fn a_sum_that_does_not_add_up_is_named() {
    let (code, text) = validate_broken(|t| t.replacen("support = 1135215", "support = 1135315", 1));
    assert_eq!(code, 2);
    assert!(text.contains("partner[2].support"), "{text}");
    assert!(text.contains("totals.support"), "{text}");
}

#[test]
fn an_activity_outside_the_project_is_named() {
    let (code, text) =
        validate_broken(|t| t.replacen("end = 2026-12-31\nbudget = 6734143", "end = 2027-12-31\nbudget = 6734143", 1));
    assert_eq!(code, 2);
    assert!(text.contains("work_package[1].activity[1].end"), "{text}");
}

#[test]
fn a_misspelt_key_is_named() {
    let (code, text) = validate_broken(|t| t.replacen("on_costs = 41.72", "oncosts = 41.72", 1));
    assert_eq!(code, 2);
    assert!(text.contains("oncosts"), "{text}");
}

#[test]
fn a_missing_project_folder_exits_2() {
    let out = redovisa().args(["run", "/nonexistent/project"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("project.toml"));
}

/// Issue 14: two support values of 7·10²⁸ overflowed an addition in `validate` (a panic, exit
/// 101). Every number is bounded where the file is read, and the error shows the key.
#[test]
fn an_absurd_number_is_named_not_a_panic() {
    let (code, text) = validate_broken(|t| {
        t.replacen("support = 5795365", "support = 7e28", 1).replacen("support = 1135215", "support = 7e28", 1)
    });
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("partner[1].support: talet") && text.contains("orimligt stort"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    for absurd in ["approved_support = 1e15", "approved_support = \"1 000 000 000 000 000\"", "approved_support = nan"]
    {
        let (code, text) = validate_broken(|t| t.replacen("approved_support = 12752293", absurd, 1));
        assert_eq!(code, 2, "{absurd}: {text}");
        assert!(text.contains("approved_support"), "{absurd}: {text}");
    }
}

/// Issue 14: the indexation power `factor^k` was unchecked; an indexation of 10¹⁴ % overflows it
/// in the first indexed year. It is bounded (0–100 %) and named.
#[test]
fn an_absurd_indexation_is_named() {
    let (code, text) = validate_broken(|t| t.replacen("indexation = 2.4", "indexation = 100000000000000", 1));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("project.indexation"), "{text}");
    let (code, text) = validate_broken(|t| t.replacen("indexation = 2.4", "indexation = -5", 1));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("project.indexation"), "{text}");
    // A project of 75 years would index a salary 75 times.
    let (code, text) = validate_broken(|t| t.replacen("end = 2027-04-30", "end = 2099-04-30", 1));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("project.end"), "{text}");
}

/// Issue 21: dated values, `from` / `until` and the change log are read and checked.
#[test]
fn dated_values_months_in_the_decision_and_changes_load() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(Path::new(SEED).join("project.toml")).unwrap()
        .replacen(
            "on_costs = 41.72",
            "on_costs = [{ from = \"2024-01\", rate = 41.72 }, { from = \"2025-01\", rate = 44.0 }]",
            1,
        )
        .replacen(
            "org_nr = \"212000-2395\"\non_costs = 44.60\nflat_rate = { model = \"remaining_costs\", rate = 25 }",
            "org_nr = \"212000-2395\"\nuntil = \"2026-06\"\non_costs = 44.60\nflat_rate = [{ from = \"2024-01\", model = \
             \"remaining_costs\", rate = 25 }, { from = \"2026-01\", model = \"indirect\", rate = 15 }]",
            1,
        )
        + "\n[[change]]\nnumber = 1\ndecided = 2025-02-10\nwhat = \"Sollefteå kommuns lönebikostnad 44 % från 2025\"\n\
           retroactive = { from = \"2025-01\", keys = [\"solleftea.on_costs\"] }\n";
    std::fs::write(dir.path().join("project.toml"), &text).unwrap();
    let p = Project::load(dir.path()).unwrap();
    let solleftea = p.org_by_folder("solleftea").unwrap();
    let (dec2412, dec2501) = ("2024-12".parse().unwrap(), "2025-01".parse().unwrap());
    assert_eq!((solleftea.on_costs().at(dec2412), solleftea.on_costs().at(dec2501)), (dec!(41.72), dec!(44.0)));
    let timra = p.org_by_folder("timra").unwrap();
    assert_eq!(timra.flat_rate_at("2026-01".parse().unwrap()).rate, dec!(15));
    assert!(p.in_decision(timra, "2026-06".parse().unwrap()) && !p.in_decision(timra, "2026-07".parse().unwrap()));
    assert_eq!((p.changes[0].number.as_str(), p.changes[0].retroactive.as_ref().unwrap().keys.len()), ("1", 1));
    redovisa().arg("validate").arg(dir.path()).assert().success();
}

#[test]
fn broken_dated_values_and_changes_are_named() {
    let dated = |list: &'static str| move |t: &str| t.replacen("on_costs = 41.72", &format!("on_costs = {list}"), 1);
    for (edit, key) in [
        (dated("[]"), "listan är tom"),
        (dated("[{ from = \"2025-01\", rate = 44 }, { from = \"2024-01\", rate = 41.72 }]"), "ordna dem efter månad"),
        (dated("[{ from = \"2024-06\", rate = 41.72 }]"), "partner[3].on_costs"),
        (dated("[{ from = \"2024-01\", rate = 141.72 }]"), "partner[3].on_costs"),
        (dated("[{ from = \"2024-01\", rate = 41.72, model = \"indirect\" }]"), "model"),
        // Issue 23's fraction check reaches every dated entry too.
        (
            dated("[{ from = \"2024-01\", rate = 41.72 }, { from = \"2025-01\", rate = 0.44 }]"),
            "partner[3].on_costs[2].rate: 0,44 – menade du 44 %?",
        ),
    ] {
        let (code, text) = validate_broken(edit);
        assert_eq!(code, 2, "{key}: {text}");
        assert!(text.contains(key), "«{key}» not in {text}");
    }
    let flat = |t: &str| {
        t.replacen(
            "org_nr = \"212000-2395\"\non_costs = 44.60\nflat_rate = { model = \"remaining_costs\", rate = 25 }",
            "org_nr = \"212000-2395\"\non_costs = 44.60\nflat_rate = [{ from = \"2024-01\", model = \"remaining_costs\", \
             rate = 25 }, { from = \"2026-01\", model = \"indirect\", rate = 25 }]",
            1,
        )
    };
    let (code, text) = validate_broken(flat);
    assert_eq!(code, 2);
    assert!(text.contains("partner[5].flat_rate.rate") && text.contains("(från 2026-01)"), "{text}");
    let window = |t: &str| {
        t.replacen(
            "org_nr = \"212000-2395\"\n",
            "org_nr = \"212000-2395\"\nfrom = \"2025-06\"\nuntil = \"2025-01\"\n",
            1,
        )
    };
    let (code, text) = validate_broken(window);
    assert_eq!(code, 2);
    assert!(text.contains("partner[5].until"), "{text}");
    for (change, key) in [
        ("retroactive = { from = \"2025-01\", keys = [\"nowhere.on_costs\"] }", "«nowhere» är ingen"),
        ("retroactive = { from = \"2025-01\", keys = [\"solleftea.budget\"] }", "<mapp>.on_costs"),
        ("retroactive = { from = \"2031-01\", keys = [\"solleftea.on_costs\"] }", "change[1].retroactive.from"),
    ] {
        let add = move |t: &str| format!("{t}\n[[change]]\nnumber = 1\ndecided = 2025-02-10\nwhat = \"x\"\n{change}\n");
        let (code, text) = validate_broken(add);
        assert_eq!(code, 2, "{key}: {text}");
        assert!(text.contains(key), "«{key}» not in {text}");
    }
    let twice = |t: &str| {
        format!(
            "{t}\n[[change]]\nnumber = 1\ndecided = 2025-02-10\nwhat = \"x\"\n\n[[change]]\nnumber = \"1\"\ndecided = 2025-03-10\nwhat = \"y\"\n"
        )
    };
    let (code, text) = validate_broken(twice);
    assert_eq!(code, 2);
    assert!(text.contains("change[2].number"), "{text}");
}

/// Issue 23: a rate typed as a fraction moved the money silently (`support_rate = 0.3992` gave
/// a hundredth of the support, `on_costs = 0.4015` lower staff costs without a warning). Every
/// percent key between 0 and 1 is an error in `validate` and `run` (exit 2), naming the key and
/// what was probably meant.
#[test]
fn a_rate_written_as_a_fraction_is_an_error() {
    for (edit, key, says) in [
        (("support_rate = 39.92", "support_rate = 0.3992"), "project.support_rate", "0,3992 – menade du 39,92 %?"),
        (("on_costs = 40.15", "on_costs = 0.4015"), ".on_costs", "0,4015 – menade du 40,15 %?"),
        (("rate = 25", "rate = 0.25"), ".flat_rate.rate", "0,25 – menade du 25 %?"),
    ] {
        let (code, text) = validate_broken(|t| t.replacen(edit.0, edit.1, 1));
        assert_eq!(code, 2, "{text}");
        let line = text.lines().find(|l| l.starts_with("fel:") && l.contains(key)).unwrap_or_else(|| panic!("{text}"));
        assert!(line.contains(says), "{line}");
    }
    // The warning that support ÷ total differs from the rate stays a warning: a decision may cap
    // the support below the rate.
    let (code, text) = validate_broken(|t| t.replacen("support_rate = 39.92", "support_rate = 45", 1));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("varning: project.support_rate: stöd / totala kostnader är 39.92 %, inte 45 %"), "{text}");
}

/// Issue 23: TOML and serde errors were in English ("missing field `approved_support`"). They
/// are Swedish and name the line and the key.
#[test]
fn toml_and_schema_errors_are_swedish_with_line_and_key() {
    let (code, text) = validate_broken(|t| t.replacen("approved_support = 12752293", "", 1));
    assert_eq!(code, 2);
    assert!(text.contains("rad 16, project.approved_support: nyckeln saknas"), "{text}");
    let (_, text) = validate_broken(|t| t.replacen("on_costs = 41.72", "oncosts = 41.72", 1));
    assert!(text.contains("partner[3].oncosts: okänd nyckel «oncosts»"), "{text}");
    let (_, text) = validate_broken(|t| t.replacen("hours_per_year = 1720", "hours_per_year = \"1720 h\"", 1));
    assert!(text.contains("project.hours_per_year: fel sorts värde: en text där ett heltal väntades"), "{text}");
    let (_, text) = validate_broken(|t| t.replacen("[project]", "[project", 1));
    assert!(text.contains("rad 16: TOML-fel: tabellrubriken saknar ]"), "{text}");
    for english in ["missing field", "unknown field", "invalid type", "TOML parse error", "expected"] {
        for (code, text) in [
            validate_broken(|t| t.replacen("approved_support = 12752293", "", 1)),
            validate_broken(|t| t.replacen("on_costs = 41.72", "oncosts = 41.72", 1)),
            validate_broken(|t| t.replacen("[project]", "[project", 1)),
        ] {
            assert_eq!(code, 2);
            assert!(!text.contains(english), "«{english}» in: {text}");
        }
    }
}

/// Issue 23: a Latin-1 project file said "stream did not contain valid UTF-8". The line and the
/// byte are named, and what to do.
#[test]
fn a_project_file_not_in_utf8_names_line_and_byte() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(Path::new(SEED).join("project.toml")).unwrap();
    // The first character beyond ASCII, which Latin-1 writes as one byte that UTF-8 cannot read.
    let (line, column, byte) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.chars().position(|c| !c.is_ascii()).map(|p| (i + 1, p + 1, l.chars().nth(p).unwrap())))
        .unwrap();
    let latin1: Vec<u8> = text.chars().map(|c| if c as u32 <= 0xFF { c as u32 as u8 } else { b'?' }).collect();
    std::fs::write(dir.path().join("project.toml"), latin1).unwrap();
    let out = redovisa().arg("validate").arg(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains(&format!("rad {line}, byte {column} (0x{:02X})", byte as u32)), "{err}");
    assert!(err.contains("Spara filen som UTF-8"), "{err}");
}

/// Issue 23: a 50 MB project name ran for 20 s at 2 GB before failing. The file and every text
/// in it are bounded before anything is built from them.
#[test]
fn text_keys_and_the_file_are_bounded() {
    let long = "Å".repeat(256);
    let (code, text) = validate_broken(|t| t.replacen("name = \"", &format!("name = \"{long}"), 1));
    assert_eq!(code, 2);
    assert!(text.contains("project.name: texten är längre än 255 tecken"), "{text}");
    let huge = "x".repeat(50 << 20);
    let (code, text) = validate_broken(|t| t.replacen("name = \"", &format!("name = \"{huge}"), 1));
    assert_eq!(code, 2);
    assert!(text.contains("filen är större än 1 MB"), "{}", &text[..text.len().min(500)]);
    assert!(text.len() < 1000, "the message does not repeat the file");
}

/// Issue 23: `folder = "Kramfors"` in the project file while the share has `kramfors` passed
/// `validate`, and `submit` recorded a claim without Kramfors. Both names are given, in
/// `validate`, `run` and `submit` (exit 2).
#[test]
fn a_folder_differing_only_in_case_or_accents_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    redovisa_demo::write(
        dir.path(),
        &redovisa_demo::DemoOptions { to: "2024-03".parse().unwrap(), seed: 1, copies: 1 },
    )
    .unwrap();
    let file = dir.path().join("project.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    for (written, listed) in [("Kramfors", "kramfors"), ("Ånge", "ange")] {
        std::fs::write(&file, text.replacen(&format!("folder = \"{listed}\""), &format!("folder = \"{written}\""), 1))
            .unwrap();
        let says = format!("mappen «{written}» finns inte i inkorgen");
        for args in [
            vec!["validate"],
            vec!["run", "--from", "2024-01", "--to", "2024-03"],
            vec!["submit", "--from", "2024-01", "--to", "2024-03", "--allow-errors"],
        ] {
            let out = redovisa().arg(args[0]).arg(dir.path()).args(&args[1..]).output().unwrap();
            let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert_eq!(out.status.code(), Some(2), "{args:?}: {all}");
            assert!(all.contains(&says) && all.contains(&format!("men «{listed}» gör det")), "{args:?}: {all}");
        }
        assert!(!dir.path().join("ledger.jsonl").exists(), "nothing was submitted");
    }
}
