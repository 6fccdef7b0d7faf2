//! `redovisa template`, run as the binary: it writes the same bytes as the library's
//! `template::render`, and an unknown partner folder is a clear error (exit 2) that writes nothing.
//! The template's content is tested through the library in the workspace root's `tests/template.rs`.

use std::path::{Path, PathBuf};

use redovisa::month::Month;
use redovisa::project::Project;
use redovisa::template;

/// The seed project's folder, in the workspace root's `fixtures/`.
fn project_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/hallbar-samhallsomstallning")
}

/// A copy of the seed project file in a folder of its own, without an inbox, so that the test
/// does not depend on an example inbox `redovisa demo` may have written into the fixture folder.
fn seed_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(project_dir().join("project.toml"), dir.path().join("project.toml")).unwrap();
        dir
    })
    .path()
}

/// The seed project, loaded from [`seed_dir`].
fn project() -> Project {
    Project::load(seed_dir()).unwrap()
}

fn march() -> Month {
    Month::new(2025, 3).unwrap()
}

fn render(project: &Project, folder: &str, month: Month) -> Vec<u8> {
    template::render(project, folder, month).unwrap()
}

#[test]
fn the_command_writes_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mall.xlsx");
    assert_cmd::Command::cargo_bin("redovisa")
        .unwrap()
        .args(["template", seed_dir().to_str().unwrap(), "--partner", "kramfors", "--month", "2025-03", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(std::fs::read(&out).unwrap() == render(&project(), "kramfors", march()));
    let failed = assert_cmd::Command::cargo_bin("redovisa")
        .unwrap()
        .args(["template", project_dir().to_str().unwrap(), "--partner", "okänd", "--month", "2025-03", "-o"])
        .arg(dir.path().join("x.xlsx"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert!(stderr.contains("«okänd»"), "{stderr}");
    assert!(!dir.path().join("x.xlsx").exists());
}

/// Issue 24: `template` replaced a filled-in workbook without asking; the hours and the
/// attestation were gone. An existing file is now refused, byte for byte unchanged, unless
/// `--force`.
#[test]
fn an_existing_workbook_is_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let filled = dir.path().join("kramfors-2025-05.xlsx");
    let work = b"a filled-in workbook: hours, attestation".to_vec();
    std::fs::write(&filled, &work).unwrap();
    let template = |extra: &[&str]| {
        assert_cmd::Command::cargo_bin("redovisa")
            .unwrap()
            .current_dir(dir.path())
            .args(["template", seed_dir().to_str().unwrap(), "--partner", "kramfors", "--month", "2025-05"])
            .args(extra)
            .assert()
    };
    let refused = template(&["-o", "kramfors-2025-05.xlsx"]).code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("kramfors-2025-05.xlsx finns redan och skrivs inte över"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read(&filled).unwrap(), work, "the filled-in workbook is unchanged");
    // The default name is the next free one.
    template(&[]).success();
    assert_eq!(std::fs::read(&filled).unwrap(), work);
    let may = Month::new(2025, 5).unwrap();
    assert!(
        std::fs::read(dir.path().join("kramfors-2025-05 (2).xlsx")).unwrap() == render(&project(), "kramfors", may)
    );
    // Asked to, it replaces the file.
    template(&["-o", "kramfors-2025-05.xlsx", "--force"]).success();
    assert!(std::fs::read(&filled).unwrap() == render(&project(), "kramfors", may));
}

/// The default name never collides with a workbook in the partner's inbox folder, wherever the
/// template is written.
#[test]
fn the_default_name_is_not_one_in_the_inbox() {
    let project = tempfile::tempdir().unwrap();
    std::fs::copy(project_dir().join("project.toml"), project.path().join("project.toml")).unwrap();
    let folder = project.path().join("inkorg/kramfors");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("kramfors-2025-05.xlsx"), b"filled").unwrap();
    let here = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("redovisa")
        .unwrap()
        .current_dir(here.path())
        .args(["template", project.path().to_str().unwrap(), "--partner", "kramfors", "--month", "2025-05"])
        .assert()
        .success();
    let written: Vec<String> = std::fs::read_dir(here.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, vec!["kramfors-2025-05 (2).xlsx"]);
}
