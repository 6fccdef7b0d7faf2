//! The repository documents itself: `docs/findings.md` is generated from the catalogue of
//! findings (`REDOVISA_BLESS=1 cargo test --release --test docs` rewrites it), and no tracked text
//! points to a path outside the repository.

use std::path::{Path, PathBuf};

use redovisa::finding::{Code, Severity, catalogue_markdown};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn findings_page_is_generated_from_the_catalogue() {
    let path = root().join("docs/findings.md");
    let generated = catalogue_markdown();
    if std::env::var_os("REDOVISA_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let tracked = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        tracked == generated,
        "docs/findings.md is out of date with src/finding.rs: run `REDOVISA_BLESS=1 cargo test --release --test docs`"
    );
}

#[test]
fn every_code_has_a_title_meaning_and_swedish_advice() {
    for code in Code::ALL {
        assert!(code.title().len() > 10, "{code}: title");
        assert!(code.meaning().len() > 20, "{code}: meaning");
        let advice = code.advice().to_lowercase();
        assert!(advice.ends_with('.'), "{code}: advice is a sentence");
        // Swedish words, not English ones.
        assert!(
            ["å", "ä", "ö", " och ", " att ", " den ", " i "].iter().any(|w| advice.contains(w)),
            "{code}: {advice}"
        );
        let page = catalogue_markdown();
        assert!(page.contains(&format!("\n## {code}\n")), "{code} has its own section");
    }
    assert_eq!(Code::NotAttested.default_severity(), Severity::Error);
    assert_eq!(Code::LateMonth.default_severity(), Severity::Warning);
}

/// Every tracked text file (what `git ls-files` would list: the walk skips `target/`, `.git/`
/// and fuzzing corpora).
fn texts(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if !["target", ".git", "corpus", "artifacts", "utdata", "inkorg"].contains(&name.as_str()) {
                texts(&path, out);
            }
        } else if ["rs", "md", "toml", "sh", "j2", "html", "txt", "yml"]
            .iter()
            .any(|e| name.ends_with(&format!(".{e}")))
            || name == "justfile"
            || name == "run"
        {
            out.push(path);
        }
    }
}

#[test]
fn nothing_points_outside_the_repository() {
    let mut files = Vec::new();
    texts(&root(), &mut files);
    assert!(files.len() > 50, "walked {} files", files.len());
    // Built at run time so that this file does not match itself.
    let outside = [format!("..{}shared", '/'), format!("spec{}", "/")];
    let mut hits = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        for (i, line) in text.lines().enumerate() {
            if outside.iter().any(|o| line.contains(o.as_str())) {
                hits.push(format!("{}:{}: {line}", file.strip_prefix(root()).unwrap().display(), i + 1));
            }
        }
    }
    assert!(hits.is_empty(), "references to paths outside the repository:\n{}", hits.join("\n"));
}
