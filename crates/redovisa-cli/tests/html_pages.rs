//! `status.html` and `kvitto/<folder>.html` (issue 15), opened as a user opens them: in a real
//! browser (headless Chromium), from the file.
//!
//! The demo project for January–June 2024 gets a few broken files on top (a workbook that is not
//! one, a `.csv` whose name carries a personnummer, a file whose name is an HTML tag); the run
//! writes both pages, and Chromium's DOM must name every organisation, every month of the
//! period and every finding code of the run; a screenshot must not be blank; nothing in the
//! page may ask for anything outside the file (checked in the text and in Chromium's network
//! log); the personnummer and the tag never reach the page as such.
//!
//! Without Chromium the tests say so and pass, unless `REDOVISA_REQUIRE_CHROMIUM` is set (CI
//! sets it): then they fail.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use redovisa_demo::{self as demo, DemoOptions};

fn bin() -> Command {
    Command::cargo_bin("redovisa").unwrap()
}

/// The Chromium binary, or `None` (test skipped) when it is missing and not required.
fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("REDOVISA_REQUIRE_CHROMIUM").is_none(),
            "chromium is required here (REDOVISA_REQUIRE_CHROMIUM is set) but not installed"
        );
        eprintln!("chromium saknas: testet hoppas över (apt-get install chromium)");
    }
    found
}

/// Runs headless Chromium on a local file with a fresh profile, no network helpers, and the
/// given extra arguments; returns its stdout. Killed after a minute.
fn run_chromium(chromium: &Path, page: &Path, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Read stdout while Chromium runs: a DOM larger than the pipe's buffer would otherwise block
    // it on writing while we wait for it to exit.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut bytes).map(|_| bytes)
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within a minute on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = reader.join().unwrap().unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// The page's DOM after Chromium has parsed it.
fn dump_dom(chromium: &Path, page: &Path) -> String {
    let dom = run_chromium(chromium, page, &["--dump-dom"]);
    assert!(dom.contains("</html>"), "chromium gave no DOM for {}:\n{dom}", page.display());
    dom
}

/// What a 1 400 × 1 000 screenshot of a page holds, decoded independently (the `png` crate):
/// the variance of the pixels' lightness, the number of distinct colours, and the number of
/// dark (text) pixels.
fn screenshot_stats(chromium: &Path, page: &Path) -> (f64, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("sida.png");
    run_chromium(chromium, page, &["--window-size=1400,1000", &format!("--screenshot={}", shot.display())]);
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1400, 1000), "the screenshot has the window's size");
    let channels = info.color_type.samples();
    assert!(channels >= 3, "an RGB screenshot, not {:?}", info.color_type);
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let lightness: Vec<f64> =
        pixels.iter().map(|p| (f64::from(p[0]) + f64::from(p[1]) + f64::from(p[2])) / 3.0).collect();
    let mean = lightness.iter().sum::<f64>() / lightness.len() as f64;
    let variance = lightness.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / lightness.len() as f64;
    let colours: std::collections::BTreeSet<[u8; 3]> = pixels.iter().map(|p| [p[0], p[1], p[2]]).collect();
    let dark = lightness.iter().filter(|l| **l < 100.0).count();
    (variance, colours.len(), dark)
}

/// Whether a screenshot looks like a page with content: a blank (white) page has variance 0
/// and one colour; text on white gives a few hundred colours from anti-aliasing, the coloured
/// grid many more.
fn looks_filled((variance, colours, dark): (f64, usize, usize)) -> bool {
    variance > 100.0 && colours > 50 && dark > 2_000
}

fn assert_screenshot_not_blank(chromium: &Path, page: &Path) {
    let stats = screenshot_stats(chromium, page);
    assert!(
        looks_filled(stats),
        "{}: the screenshot looks blank (variance, colours, dark pixels): {stats:?}",
        page.display()
    );
}

#[test]
fn a_blank_page_is_seen_as_blank() {
    // The screenshot check itself: an empty page and a page with one word fail it.
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (name, html) in [("tom.html", "<!DOCTYPE html><title>tom</title>"), ("ord.html", "<!DOCTYPE html><p>hej</p>")] {
        let page = dir.path().join(name);
        std::fs::write(&page, html).unwrap();
        let stats = screenshot_stats(&chromium, &page);
        assert!(!looks_filled(stats), "{name} passes for a page with content: {stats:?}");
    }
}

/// Nothing in the page asks for anything outside the file: no web address, no protocol-relative
/// `src`/`href`, no `@import`, no `url(` but `data:`.
fn assert_self_contained(html: &str, what: &str) {
    let lower = html.to_lowercase();
    for bad in ["http://", "https://", "@import", "src=\"//", "href=\"//", "src='//", "href='//", "<script", "<link"] {
        assert!(!lower.contains(bad), "{what} contains {bad:?}");
    }
    for (i, _) in lower.match_indices("url(") {
        let rest = lower[i + 4..].trim_start_matches(['"', '\'', ' ']);
        assert!(
            rest.starts_with("data:"),
            "{what} has url( to something else than data: {}",
            &rest[..rest.len().min(40)]
        );
    }
    assert!(lower.contains("content-security-policy"), "{what} forbids requests with a CSP");
}

/// The addresses the page itself asked for while Chromium loaded it, from Chromium's network log
/// (`--log-net-log`): requests whose network isolation key is the file's (the browser's own
/// background requests have other keys), other than `file:` and `data:`.
fn requests_from_page(chromium: &Path, page: &Path) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("netlog.json");
    run_chromium(chromium, page, &[&format!("--log-net-log={}", log.display()), "--dump-dom"]);
    let text = std::fs::read_to_string(&log).unwrap();
    let netlog: serde_json::Value = serde_json::from_str(&text).expect("chromium wrote a whole network log");
    let mut urls: Vec<String> = netlog["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["params"]["network_isolation_key"].as_str().is_some_and(|k| k.contains("file://")))
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|u| !u.starts_with("file:") && !u.starts_with("data:"))
        .map(str::to_string)
        .collect();
    urls.dedup();
    urls
}

#[test]
fn the_network_log_sees_a_request_from_a_page() {
    // The detector itself: a page with an image on the web is caught.
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("natet.html");
    std::fs::write(&page, "<!DOCTYPE html><p>hej</p><img src=\"http://example.invalid/bild.png\">").unwrap();
    assert_eq!(requests_from_page(&chromium, &page), vec!["http://example.invalid/bild.png".to_string()]);
}

/// The demo project (2024-01 – 2024-06), plus broken files.
fn project_with_findings() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions { to: "2024-06".parse().unwrap(), seed: 1, copies: 1 }).unwrap();
    let inbox = dir.path().join("inkorg");
    assert!(inbox.join("kramfors").is_dir(), "the demo inbox has a folder per organisation");
    // FILE_UNREADABLE: bytes that start like a zip and are not a workbook; its name is a tag.
    std::fs::write(inbox.join("kramfors/<img src=x onerror=alert(1)>.xlsx"), b"PK\x03\x04 trasig").unwrap();
    // WRONG_FORMAT, named with a personnummer: 800101-123? Luhn over 8,0,0,1,0,1,1,2,3 with
    // weights 2,1,2,…: 16→7, 0, 0, 1, 0, 1, 2, 2, 6 = 19, check digit (10 − 9) = 1.
    std::fs::write(inbox.join("timra/lon 19800101-1231.csv"), b"namn;timmar\n").unwrap();
    dir
}

/// Month names of January–June 2024, written by hand.
const PERIOD_MONTHS: [&str; 6] = ["januari 2024", "februari 2024", "mars 2024", "april 2024", "maj 2024", "juni 2024"];

#[test]
fn status_page_and_receipts_open_in_a_browser() {
    let Some(chromium) = chromium() else { return };
    let project = project_with_findings();
    let out = project.path().join("ut");
    let status = bin()
        .args(["run", &project.path().display().to_string(), "--from", "2024-01", "--to", "2024-06", "--json"])
        .args(["--out", &out.display().to_string()])
        .stderr(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1), "error findings: exit 1, outputs written");
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();

    let page = out.join("status.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert_self_contained(&html, "status.html");
    let dom = dump_dom(&chromium, &page);

    // Every organisation, as summary.json names them.
    let mut names: Vec<String> = Vec::new();
    for key in ["partners", "in_kind"] {
        for org in summary[key].as_array().unwrap() {
            names.push(org["name"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(names.len(), 11, "seven partners and four co-financiers");
    for name in &names {
        assert!(dom.contains(name.as_str()), "status.html names {name}");
    }
    for month in PERIOD_MONTHS {
        assert!(dom.contains(month), "status.html shows {month}");
    }
    // Every finding code of the run, and the broken files' own codes in particular.
    let codes: std::collections::BTreeSet<&str> =
        summary["findings"].as_array().unwrap().iter().map(|x| x["code"].as_str().unwrap()).collect();
    assert!(codes.contains("FILE_UNREADABLE") && codes.contains("WRONG_FORMAT"), "{codes:?}");
    for code in &codes {
        assert!(dom.contains(code), "status.html shows the code {code}");
    }
    // The seed project's reporting plan (an assumed one: a claim every four months, due a month
    // after the period). This run's 2024-01 – 2024-06 is not a planned period, and nothing is
    // submitted: the first planned claim is the next one, due 31 May 2024.
    assert!(dom.contains("Rapporteringsplan"), "status.html shows the plan");
    assert!(dom.contains("1. januari 2024 – april 2024"), "the first planned period");
    assert!(dom.contains("31 maj 2024") && dom.contains("nästa ansökan"), "its due date and state");
    assert!(dom.contains("10. januari 2027 – april 2027") && dom.contains("30 april 2027"), "the last one");
    // Status words, not colour alone: the period's counted months say so in text.
    assert!(dom.contains("✓</span> räknas"), "a counted month says so in words");
    // The personnummer in a file name is masked; the tag in a file name is text, not an element.
    for (name, text) in [("status.html", &html), ("DOM", &dom)] {
        assert!(!text.contains("800101-1231") && !text.contains("8001011231"), "{name} shows a personnummer");
        assert!(text.contains("[personnummer borttaget]"), "{name} masks the personnummer in the file name");
        assert!(!text.contains("<img"), "{name}: a file name became an element");
    }
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.xlsx"), "the file name is shown, escaped");
    assert_screenshot_not_blank(&chromium, &page);
    assert_eq!(requests_from_page(&chromium, &page), Vec::<String>::new(), "status.html asks for nothing");

    // The receipt of the organisation with the broken file: its files and codes, no other's.
    let receipt = out.join("kvitto/kramfors.html");
    let html = std::fs::read_to_string(&receipt).unwrap();
    assert_self_contained(&html, "kvitto/kramfors.html");
    let dom = dump_dom(&chromium, &receipt);
    assert!(dom.contains("Kvitto för Kramfors kommun"));
    assert!(dom.contains("FILE_UNREADABLE") && !dom.contains("WRONG_FORMAT"), "only Kramfors' own findings");
    assert!(!dom.contains("timra/"), "no other organisation's files");
    for month in PERIOD_MONTHS {
        assert!(dom.contains(month), "the receipt shows {month}");
    }
    let text = std::fs::read_to_string(out.join("kvitto/kramfors.txt")).unwrap();
    // Same content as the text receipt: every file line of the text is on the page (the DOM
    // serialises text with only &, < and > escaped).
    let files = text.lines().filter(|l| l.starts_with("kramfors/")).collect::<Vec<_>>();
    assert!(files.len() >= 7, "six months, a superseded version and the broken file: {files:?}");
    for line in files {
        let escaped = line.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        assert!(dom.contains(&escaped), "the page lists {line}");
    }
    assert_screenshot_not_blank(&chromium, &receipt);
    assert_eq!(requests_from_page(&chromium, &receipt), Vec::<String>::new(), "the receipt asks for nothing");

    let timra = std::fs::read_to_string(out.join("kvitto/timra.html")).unwrap();
    assert!(
        !timra.contains("800101-1231") && timra.contains("lon [personnummer borttaget].csv"),
        "masked in the receipt"
    );
    assert!(timra.contains("WRONG_FORMAT"));
}

#[test]
fn the_pages_are_the_same_bytes_for_the_same_inputs() {
    let project = project_with_findings();
    let run = |out: &Path| {
        let code = bin()
            .args(["run", &project.path().display().to_string(), "--from", "2024-01", "--to", "2024-06"])
            .args(["--out", &out.display().to_string()])
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert_eq!(code.code(), Some(1));
    };
    let (a, b) = (project.path().join("a"), project.path().join("b"));
    run(&a);
    run(&b);
    for file in ["status.html", "kvitto/kramfors.html", "kvitto/timra.html", "kvitto/region-vasternorrland.html"] {
        let (x, y) = (std::fs::read(a.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap());
        assert!(!x.is_empty() && x == y, "{file} differs between two runs over the same inbox");
    }
}
