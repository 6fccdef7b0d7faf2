//! A ledger rolled back, edited or damaged is detected and named through the binary, and
//! nothing is submitted over it (issue 23).
//!
//! Every case starts from the same project: the demo inbox to 2024-09 with claims 1
//! (2024-01 – 2024-03) and 2 (2024-04 – 2024-06) submitted, so that the output folder holds
//! their receipts and the ledger's head. Each case changes the ledger as a sync tool, an older
//! copy or a hand would, and checks that `run` and `submit` stop (exit 2) with a message naming
//! the claim, that no claim is recorded twice, and what brings the project back.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use redovisa::ledger::LEDGER_FILE;
use redovisa_demo::{self as demo, DemoOptions};
use sha2::{Digest, Sha256};

const TODAY: &str = "2024-10-15";

fn redovisa(args: &[&str], project: &Path) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_redovisa"));
    c.arg(args[0]).arg(project).args(&args[1..]).args(["--today", TODAY]);
    c.env_remove("REDOVISA_FAILPOINTS").output().unwrap()
}

/// `redovisa ledger repair` (with `--apply`, when asked).
fn repair(project: &Path, apply: bool) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_redovisa"));
    c.args(["ledger", "repair"]).arg(project);
    if apply {
        c.arg("--apply");
    }
    c.output().unwrap()
}

fn submit(project: &Path, from: &str, to: &str) -> Output {
    redovisa(&["submit", "--from", from, "--to", to], project)
}

fn run(project: &Path) -> Output {
    redovisa(&["run", "--from", "2024-07", "--to", "2024-09"], project)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The project with two claims, made once; and the ledger as it was after claim 1.
fn base() -> &'static (tempfile::TempDir, PathBuf, Vec<u8>) {
    static BASE: OnceLock<(tempfile::TempDir, PathBuf, Vec<u8>)> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p");
        demo::write(&p, &DemoOptions { to: "2024-09".parse().unwrap(), seed: 5, copies: 1 }).unwrap();
        assert!(submit(&p, "2024-01", "2024-03").status.success());
        let after_first = std::fs::read(p.join(LEDGER_FILE)).unwrap();
        let o = submit(&p, "2024-04", "2024-06");
        assert!(o.status.success(), "{}", stderr(&o));
        (dir, p, after_first)
    })
}

/// A copy of the project with its ledger changed by `edit` (the ledger's lines).
fn case(edit: impl FnOnce(&mut Vec<Vec<u8>>)) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    copy_dir(&base().1, &p);
    let text = std::fs::read(p.join(LEDGER_FILE)).unwrap();
    let mut lines: Vec<Vec<u8>> = text.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec).collect();
    edit(&mut lines);
    let mut out = Vec::new();
    for l in lines {
        out.extend(l);
        out.push(b'\n');
    }
    std::fs::write(p.join(LEDGER_FILE), out).unwrap();
    (dir, p)
}

fn sha(line: &[u8]) -> String {
    Sha256::digest(line).iter().map(|b| format!("{b:02x}")).collect()
}

/// A line's JSON with a field changed.
fn with(line: &[u8], key: &str, value: serde_json::Value) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(line).unwrap();
    v[key] = value;
    serde_json::to_vec(&v).unwrap()
}

/// `run` and `submit` (of the next claim and of `again`, a period already submitted) stop with a
/// message holding every part of `says`, and the ledger is left as it is.
fn refused(p: &Path, again: (&str, &str), says: &[&str]) {
    let before = std::fs::read(p.join(LEDGER_FILE)).ok();
    for o in [run(p), submit(p, "2024-07", "2024-09"), submit(p, again.0, again.1)] {
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        for s in says {
            assert!(err.contains(s), "«{s}» not in: {err}");
        }
    }
    assert_eq!(std::fs::read(p.join(LEDGER_FILE)).ok(), before, "nothing was recorded");
}

#[test]
fn the_last_line_deleted_is_named_and_claim_2_is_not_submitted_again() {
    let (_d, p) = case(|lines| {
        lines.pop();
    });
    refused(&p, ("2024-04", "2024-06"), &["ansökan 2 finns i utdata men saknas i", "återställd från en äldre kopia?"]);
}

#[test]
fn an_older_copy_restored_is_named() {
    let (_d, p) = case(|_| {});
    std::fs::write(p.join(LEDGER_FILE), &base().2).unwrap();
    refused(&p, ("2024-04", "2024-06"), &["ansökan 2 finns i utdata men saknas i", "har bara ansökan 1"]);
    // The ledger restored from before the first claim: gone altogether.
    std::fs::remove_file(p.join(LEDGER_FILE)).unwrap();
    refused(&p, ("2024-01", "2024-03"), &["ansökan 1 finns i utdata men saknas i", "är tom eller saknas"]);
}

#[test]
fn an_empty_ledger_is_named_and_claim_1_is_not_submitted_again() {
    let (_d, p) = case(|lines| lines.clear());
    assert_eq!(std::fs::metadata(p.join(LEDGER_FILE)).unwrap().len(), 0);
    refused(&p, ("2024-01", "2024-03"), &["ansökan 1 finns i utdata men saknas i", "är tom eller saknas"]);
}

#[test]
fn an_amount_edited_on_the_last_line_is_named() {
    // The trial: support of claim 2 raised by 8 000 000 kr, which made the next claim's
    // support 0 kr once sealed into the chain.
    let (_d, p) = case(|lines| {
        let support: String =
            serde_json::from_slice::<serde_json::Value>(&lines[1]).unwrap()["support"].as_str().unwrap().to_string();
        let raised = format!("{:.2}", support.parse::<f64>().unwrap() + 8_000_000.0);
        lines[1] = with(&lines[1], "support", raised.into());
    });
    refused(
        &p,
        ("2024-04", "2024-06"),
        &["ansökan 2 i", "har ändrats sedan den registrerades", "inskickad-ansokan.json"],
    );
}

#[test]
fn an_edited_line_with_a_correct_chain_is_named() {
    // Claim 1's eligible costs changed and claim 2's `prev` recomputed, so that the chain inside
    // the ledger holds: the anchors name claim 1, the edited one.
    let (_d, p) = case(|lines| {
        lines[0] = with(&lines[0], "eligible", "1.00".into());
        lines[1] = with(&lines[1], "prev", sha(&lines[0]).into());
    });
    refused(&p, ("2024-04", "2024-06"), &["ansökan 1 i", "har ändrats sedan den registrerades"]);
}

#[test]
fn a_forged_claim_with_a_correct_chain_is_named_and_can_be_removed() {
    let (_d, p) = case(|lines| {
        let forged = with(&lines[1], "seq", 3.into());
        let forged = with(&forged, "from", "2024-07".into());
        let forged = with(&forged, "to", "2024-09".into());
        let forged = with(&forged, "prev", sha(&lines[1]).into());
        lines.push(forged);
    });
    let forged = std::fs::read(p.join(LEDGER_FILE)).unwrap();
    let o = run(&p);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ansökan 3 i") && stderr(&o).contains("har inget kvitto i utdata"), "{}", stderr(&o));
    assert!(stderr(&o).contains("redovisa ledger repair"), "{}", stderr(&o));
    // The repair shows what it would drop and changes nothing…
    let o = repair(&p, false);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("behålls: ansökan 1–2") && out.contains("tas bort: ansökan 3 (2024-07 – 2024-09"), "{out}");
    assert_eq!(std::fs::read(p.join(LEDGER_FILE)).unwrap(), forged);
    // …until asked, and then keeps a copy.
    let o = repair(&p, true);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(p.join("ledger-fore-reparation-1.jsonl")).unwrap(), forged);
    let o = submit(&p, "2024-07", "2024-09");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Ansökan 3 för 2024-07 – 2024-09 är registrerad"));
}

#[test]
fn the_chain_error_names_the_edited_line() {
    // Without anchors (an output folder deleted), the chain still catches an edit of any line
    // but the last, and names that line, not the one after it.
    let (_d, p) = case(|lines| lines[0] = with(&lines[0], "support", "1.00".into()));
    std::fs::remove_dir_all(p.join("utdata")).unwrap();
    let o = run(&p);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("är skadad på rad 1: raden har ändrats"), "{}", stderr(&o));
}

#[test]
fn a_last_line_cut_short_by_an_older_version_is_repaired_with_a_copy() {
    // An older version appended in place: killed, or on a full disk, it left half a line.
    let (_d, p) = case(|_| {});
    let whole = std::fs::read(p.join(LEDGER_FILE)).unwrap();
    let half_a_line = b"{\"seq\":3,\"from\":\"2024-07\",\"to\":\"2024-09\",\"support\":\"12";
    let mut torn = whole.clone();
    torn.extend_from_slice(half_a_line);
    std::fs::write(p.join(LEDGER_FILE), &torn).unwrap();
    let o = run(&p);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("sista raden (rad 3)") && err.contains("är avbruten"), "{err}");
    assert!(err.contains(&format!("redovisa ledger repair {}", p.display())), "{err}");
    let o = repair(&p, false);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(&format!("tas bort: rad 3, avbruten ({} byte utan radslut)", half_a_line.len())), "{out}");
    assert_eq!(std::fs::read(p.join(LEDGER_FILE)).unwrap(), torn, "nothing changed without --apply");
    let o = repair(&p, true);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(p.join(LEDGER_FILE)).unwrap(), whole);
    assert_eq!(std::fs::read(p.join("ledger-fore-reparation-1.jsonl")).unwrap(), torn);
    assert!(run(&p).status.code().is_some_and(|c| c <= 1));
}

#[test]
fn a_ledger_from_before_anchors_is_anchored_as_it_stands() {
    // A project whose claims were submitted by a version without anchors: nothing to check
    // against, so the first run anchors the ledger as it is, and from then on a rollback shows.
    let (_d, p) = case(|_| {});
    std::fs::remove_dir_all(p.join("utdata")).unwrap();
    let o = run(&p);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    assert!(p.join("utdata/ansokningslogg-huvud.json").is_file());
    assert!(p.join("utdata/2024-01_2024-03/inskickad-ansokan.json").is_file());
    assert!(p.join("utdata/2024-04_2024-06/inskickad-ansokan.json").is_file());
    std::fs::write(p.join(LEDGER_FILE), &base().2).unwrap();
    assert_eq!(run(&p).status.code(), Some(2));
}

#[test]
fn a_run_keeps_the_claim_receipt_of_its_folder() {
    // The receipt lies beside the claim's outputs; a run of that period replaces the folder
    // and keeps it (with anything else a person put there).
    let (_d, p) = case(|_| {});
    let folder = p.join("utdata/2024-04_2024-06");
    let receipt = std::fs::read(folder.join("inskickad-ansokan.json")).unwrap();
    std::fs::write(folder.join("anteckning.txt"), "skickad 2024-07-10").unwrap();
    let o = redovisa(&["run", "--from", "2024-04", "--to", "2024-06"], &p);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    assert!(folder.join("summary.json").is_file());
    assert_eq!(std::fs::read(folder.join("inskickad-ansokan.json")).unwrap(), receipt);
    assert_eq!(std::fs::read_to_string(folder.join("anteckning.txt")).unwrap(), "skickad 2024-07-10");
    // And the ledger still agrees with it.
    assert!(run(&p).status.code().is_some_and(|c| c <= 1));
}
