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
