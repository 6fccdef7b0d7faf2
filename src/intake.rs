//! Intake: the shared inbox → the list of files, and later, which workbook counts for each
//! partner and month.
//!
//! [`scan`] walks the inbox and sorts what it finds: workbooks to read, files in the wrong format
//! (`WRONG_FORMAT`, "spara som .xlsx"), files to ignore (Office lock files `~$*`, hidden and
//! temporary files) and files outside every partner's folder. Listing order never matters: the
//! result is sorted by path. After the workbooks are read, [`select`] applies "Which workbooks
//! count" of `docs/rules.md`: the organisationsnummer decides the partner (`WRONG_FOLDER`,
//! `UNKNOWN_PARTNER`), the highest `Version` counts, equal versions with different content are
//! `DUPLICATE_SUBMISSION`, byte-identical copies count once, and in a claim a workbook without
//! attestation is left out (`NOT_ATTESTED`). Months of a legacy claim (recorded before the ledger
//! kept amounts) stay pinned to the workbook used then (`CHANGED_AFTER_CLAIM`); every other month,
//! claimed or not, counts its selected workbook, and reconcile carries the differences.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::finding::{Finding, Message, Place};
use crate::ids::OrgNr;
use crate::month::Month;
use crate::project::Project;

/// What a file in the inbox is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// An `.xlsx` file in a partner's folder: to be read.
    Workbook,
    /// `.xls`, `.ods`, `.csv`, `.xlsm`, `.xlsb`: reported, not read.
    WrongFormat,
    /// Lock, hidden, temporary or unrelated file: listed as ignored, with the reason.
    Ignored(&'static str),
    /// A file in no partner's folder: reported, not read.
    OutsideFolders,
    /// A folder that cannot be listed, with the reason (Swedish where known): reported as
    /// `FOLDER_UNREADABLE` for its partner, whose files are left out; the others are read.
    UnreadableFolder(String),
}

/// A file found in the inbox.
#[derive(Debug, Clone)]
pub struct InboxFile {
    pub path: PathBuf,
    /// Path relative to the inbox, `/`-separated: the name used in every output.
    pub rel: String,
    /// The partner folder it lies in, if any.
    pub folder: Option<String>,
    pub size: u64,
    pub kind: FileKind,
}

/// How a file was used by this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Counted in the figures.
    Used,
    /// Replaced by a higher version or a byte-identical copy.
    Superseded,
    /// Not counted because of an error finding.
    Rejected,
    /// Not a workbook to read (lock and temporary files, files outside the partners' folders).
    Ignored,
    /// A workbook of a month after the run's period: it counts in a later claim.
    Later,
}

impl Status {
    pub fn swedish(self) -> &'static str {
        match self {
            Status::Used => "används",
            Status::Superseded => "ersatt",
            Status::Rejected => "avvisad",
            Status::Ignored => "ignorerad",
            Status::Later => "senare månad",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Used => "used",
            Status::Superseded => "superseded",
            Status::Rejected => "rejected",
            Status::Ignored => "ignored",
            Status::Later => "later",
        })
    }
}

/// Why a file is listed but not read: it vanished between the listing and a look at it.
pub const GONE: &str =
    "försvann medan inkorgen lästes (stängdes eller sparades just då); läses nästa gång om den finns kvar";

/// Walks the inbox. An inbox that cannot be listed is an error (nobody can be read); a folder
/// inside it that cannot be listed is an entry of kind [`FileKind::UnreadableFolder`], so that
/// only its partner loses its files. Symlinked folders are not followed. The inbox is a shared
/// folder that changes under the walk: an entry that vanishes between the listing and a look at
/// it (an Office `~$` lock file closing, a partner's save replacing a file) is listed as ignored
/// with the reason [`GONE`], and a subfolder that vanishes is skipped; neither stops the run.
pub fn scan(project: &Project, inbox: &Path) -> std::io::Result<Vec<InboxFile>> {
    scan_observed(project, inbox, &|_| {})
}

/// [`scan`] with a callback between listing an entry and looking at it, the moment a file
/// closing or being saved over would hit. Tests use it to remove the entry there.
#[doc(hidden)]
pub fn scan_observed(project: &Project, inbox: &Path, listed: &dyn Fn(&Path)) -> std::io::Result<Vec<InboxFile>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(inbox)?.collect::<std::io::Result<Vec<_>>>()?;
    walk(project, inbox, entries, &mut out, listed);
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

fn vanished(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotFound
}

/// `path` relative to the inbox, `/`-separated: the name used in every output.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The partner folder `rel` lies in or is.
fn partner_folder(project: &Project, rel: &str) -> Option<String> {
    let top = rel.split('/').next().unwrap_or_default();
    project.org_by_folder(top).is_some().then(|| top.to_string())
}

/// Why a folder cannot be listed, in Swedish where the reason is a common one.
fn reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "behörighet saknas".to_string(),
        std::io::ErrorKind::TimedOut => "nätverksresursen svarar inte".to_string(),
        _ => e.to_string(),
    }
}

/// Lists a folder inside the inbox: its entries, or why they cannot be had.
fn list(dir: &Path, rel: &str) -> Result<Vec<std::fs::DirEntry>, std::io::Error> {
    crate::fault::point_for("intake.read_dir", rel)?;
    std::fs::read_dir(dir)?.collect()
}

fn walk(
    project: &Project,
    root: &Path,
    entries: Vec<std::fs::DirEntry>,
    out: &mut Vec<InboxFile>,
    listed: &dyn Fn(&Path),
) {
    for entry in entries {
        let path = entry.path();
        listed(&path);
        let rel = relative(root, &path);
        let name = entry.file_name().to_string_lossy().into_owned();
        let folder = partner_folder(project, &rel);
        let in_folder = folder.is_some() && rel.contains('/');
        let unreadable = |why: &std::io::Error, path: &Path, rel: &str| InboxFile {
            path: path.to_path_buf(),
            rel: rel.to_string(),
            folder: folder.clone(),
            size: 0,
            kind: FileKind::UnreadableFolder(reason(why)),
        };
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if vanished(&e) => {
                let folder = folder.clone().filter(|_| in_folder);
                out.push(InboxFile { path, rel, folder, size: 0, kind: FileKind::Ignored(GONE) });
                continue;
            }
            // The folder holding it lists its names but will not show them: unreadable.
            Err(e) => {
                let dir = path.parent().unwrap_or(root);
                out.push(unreadable(&e, dir, &relative(root, dir)));
                return;
            }
        };
        if meta.is_dir() {
            if !name.starts_with('.') {
                match list(&path, &rel) {
                    Ok(entries) => walk(project, root, entries, out, listed),
                    Err(e) if vanished(&e) => {}
                    Err(e) => out.push(unreadable(&e, &path, &rel)),
                }
            }
            continue;
        }
        let folder = folder.filter(|_| in_folder);
        let size = if meta.is_symlink() { std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) } else { meta.len() };
        let kind = classify(&name, folder.is_some());
        out.push(InboxFile { path, rel, folder, size, kind });
    }
}

/// Sorts a file by its name alone.
pub fn classify(name: &str, in_partner_folder: bool) -> FileKind {
    let lower = name.to_lowercase();
    if lower.starts_with("~$") {
        return FileKind::Ignored("låsfil från Office (filen är öppen hos någon)");
    }
    if lower.starts_with('.') {
        return FileKind::Ignored("dold fil");
    }
    if lower.starts_with('~')
        || [".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", "~", ".bak"]
            .iter()
            .any(|s| lower.ends_with(s))
    {
        return FileKind::Ignored("tillfällig fil");
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let kind = match ext {
        "xlsx" => FileKind::Workbook,
        "xls" | "ods" | "csv" | "xlsm" | "xlsb" => FileKind::WrongFormat,
        _ => return FileKind::Ignored("inte en arbetsbok"),
    };
    if in_partner_folder { kind } else { FileKind::OutsideFolders }
}

/// The first-sheet facts of a workbook that decide whether and where it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub org_nr: OrgNr,
    pub month: Month,
    pub version: u32,
    pub attested: bool,
    /// Where the attestation is missing: the empty `Attesterad av` or `Attestdatum` cell (or the
    /// `Uppgifter` sheet when the label is absent).
    pub attest_place: Place,
}

/// A candidate for selection: one file, its hash and what it says it is.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub rel: String,
    pub folder: Option<String>,
    pub sha256: String,
    /// `None` when the file could not be read or attributed (it is rejected).
    pub header: Option<Header>,
    /// Whether reading found an error that makes the whole file unusable.
    pub unusable: bool,
    /// What the file says it is as far as it can be read, even when it cannot count: its month
    /// (the Period, or the month its dated rows fall in when the Period is unreadable or
    /// contradicted) and its version (`None` when unreadable). A file in a partner's folder that
    /// cannot count keeps the lower versions of that month from counting.
    pub stated: Option<(Month, Option<u32>)>,
}

/// The outcome of selection for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub status: Status,
    /// Swedish: why, when not simply used.
    pub note: String,
}

/// Months of legacy claims (see [`crate::ledger`]): (partner folder, month) → SHA-256 of the
/// workbook the claim used, which keeps counting for the month.
pub type Pinned = BTreeMap<(String, Month), String>;

/// Decides, for every candidate, whether it counts ("Which workbooks count", `docs/rules.md`).
/// `claim` says whether attestation is required (a claim) or only reported (status and checks).
/// Returns one choice per candidate, in candidate order, and the findings selection raises.
///
/// The highest version of a month counts. When it cannot (a duplicate, no attestation in a
/// claim, or a file of a higher version that cannot be read or attributed), the lower versions
/// do not count either: the month waits until it is fixed (a month already claimed is taken
/// back as a correction meanwhile, unless corrections are held back).
pub fn select(
    project: &Project,
    candidates: &[Candidate],
    claim: bool,
    pinned: &Pinned,
) -> (Vec<Choice>, Vec<Finding>) {
    let mut choices: Vec<Choice> = vec![Choice { status: Status::Used, note: String::new() }; candidates.len()];
    let mut findings = Vec::new();
    let reject = |choices: &mut Vec<Choice>, i: usize, note: String| {
        choices[i] = Choice { status: Status::Rejected, note };
    };
    // Attributable workbooks by (partner folder, month); files that cannot count but say which
    // month they are, by the folder they lie in.
    let mut groups: BTreeMap<(String, Month), Vec<usize>> = BTreeMap::new();
    let mut blockers: BTreeMap<(String, Month), Vec<usize>> = BTreeMap::new();
    let mut block = |i: usize| {
        let c = &candidates[i];
        if let (Some(folder), Some((month, _))) = (&c.folder, c.stated) {
            blockers.entry((folder.clone(), month)).or_default().push(i);
        }
    };
    for (i, c) in candidates.iter().enumerate() {
        let place = Place::file(&c.rel).with_partner(c.folder.as_deref().unwrap_or(""));
        let Some(h) = c.header.as_ref().filter(|_| !c.unusable) else {
            let note = match (&c.header, c.stated) {
                (Some(h), Some((rows, _))) if rows != h.month => {
                    format!("Perioden {} stämmer inte med raderna ({rows}); räknas inte förrän den är rättad", h.month)
                }
                _ => "kan inte läsas eller saknar uppgifter om part och månad".into(),
            };
            reject(&mut choices, i, note);
            block(i);
            continue;
        };
        let Some(org) = project.org_by_nr(&h.org_nr) else {
            findings.push(unknown_partner(&c.rel, &h.org_nr).with_partner(c.folder.as_deref().unwrap_or("")));
            reject(&mut choices, i, format!("okänt organisationsnummer {}", h.org_nr));
            block(i);
            continue;
        };
        if c.folder.as_deref() != Some(org.folder()) {
            findings.push(Finding::of(
                place.clone().in_sheet(INFO_SHEET),
                Message::WrongFolder {
                    partner: org.name().to_string(),
                    org_nr: h.org_nr.to_string(),
                    folder: c.folder.clone().unwrap_or_default(),
                    expected: org.folder().to_string(),
                },
            ));
            reject(&mut choices, i, format!("ligger i fel mapp (är från {})", org.name()));
            block(i);
            continue;
        }
        if h.month < project.start_month() || h.month > project.end_month() {
            findings.push(Finding::of(
                place,
                Message::MonthOutsideProject { month: h.month, start: project.info.start, end: project.info.end },
            ));
            reject(&mut choices, i, "månad utanför projektets tid".into());
            continue;
        }
        if !project.in_decision(org, h.month) {
            let (first, last) = project.months_of(org);
            findings.push(Finding::of(
                place,
                Message::OutsidePartnerMonths { partner: org.name().to_string(), month: h.month, first, last },
            ));
            reject(&mut choices, i, format!("{} ingår inte i beslutet {}", org.name(), h.month));
            continue;
        }
        groups.entry((org.folder().to_string(), h.month)).or_default().push(i);
    }
    for ((folder, month), members) in groups {
        let header = |i: usize| candidates[i].header.as_ref();
        if let Some(sha) = pinned.get(&(folder.clone(), month)) {
            pin(candidates, &members, sha, &folder, month, &mut choices, &mut findings);
            continue;
        }
        let version = |i: usize| header(i).map_or(1, |h| h.version);
        let top = members.iter().map(|&i| version(i)).max().unwrap_or(1);
        // A higher version that cannot count (an unreadable version counts as higher).
        let blocker = blockers.get(&(folder.clone(), month)).and_then(|b| {
            b.iter().copied().find(|&i| candidates[i].stated.and_then(|(_, v)| v).is_none_or(|v| v > top))
        });
        let mut distinct: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &members {
            if version(i) != top {
                choices[i] = Choice { status: Status::Superseded, note: format!("ersatt av version {top}") };
            } else if let Some(&first) = distinct.get(candidates[i].sha256.as_str()) {
                choices[i] =
                    Choice { status: Status::Superseded, note: format!("identisk kopia av {}", candidates[first].rel) };
            } else {
                distinct.insert(&candidates[i].sha256, i);
            }
        }
        if let Some(b) = blocker {
            let newest = match candidates[b].stated.and_then(|(_, v)| v) {
                Some(v) => format!("version {v} ({})", candidates[b].rel),
                None => candidates[b].rel.clone(),
            };
            for &i in distinct.values() {
                choices[i] = Choice {
                    status: Status::Superseded,
                    note: format!(
                        "{newest} är nyare men kan inte räknas (se felen); månaden räknas inte förrän den är rättad"
                    ),
                };
            }
            continue;
        }
        if distinct.len() > 1 {
            let names: Vec<&str> = distinct.values().map(|&i| candidates[i].rel.as_str()).collect();
            for &i in distinct.values() {
                findings.push(Finding::of(
                    Place::file(&candidates[i].rel).with_partner(&folder),
                    Message::DuplicateSubmission {
                        month,
                        version: top,
                        files: names.iter().map(ToString::to_string).collect(),
                    },
                ));
                reject(&mut choices, i, format!("dubblett av version {top} för {month}"));
            }
            continue;
        }
        let Some(&winner) = distinct.values().next() else { continue };
        let Some(h) = header(winner).filter(|h| !h.attested) else { continue };
        // A higher version without attestation: it says that nothing counts meanwhile.
        let message = match members.iter().map(|&i| version(i)).filter(|v| *v < top).max() {
            Some(lower) => Message::NewerNotAttested { month, version: top, lower },
            None => Message::NotAttested,
        };
        let finding = Finding::of(h.attest_place.clone(), message).with_partner(&folder);
        if claim {
            findings.push(finding);
            reject(&mut choices, winner, "saknar attest".into());
        } else {
            findings.push(finding.as_warning());
        }
    }
    (choices, findings)
}

/// A month in a submitted claim: the workbook used then still counts, and only it.
fn pin(
    candidates: &[Candidate],
    members: &[usize],
    sha: &str,
    folder: &str,
    month: Month,
    choices: &mut [Choice],
    findings: &mut Vec<Finding>,
) {
    let kept = members.iter().copied().find(|&i| candidates[i].sha256 == sha);
    let changed: BTreeSet<usize> = members.iter().copied().filter(|&i| Some(i) != kept).collect();
    let top_changed = changed
        .iter()
        .copied()
        .max_by_key(|&i| (candidates[i].header.as_ref().map(|h| h.version), std::cmp::Reverse(i)));
    let kept_version = kept.and_then(|k| candidates[k].header.as_ref().map(|h| h.version));
    for &i in &changed {
        let newer = candidates[i].header.as_ref().map(|h| h.version) >= kept_version;
        if newer && Some(i) == top_changed {
            findings.push(Finding::of(
                Place::file(&candidates[i].rel).with_partner(folder),
                Message::ChangedUnderLegacyClaim { month },
            ));
            choices[i] =
                Choice { status: Status::Rejected, note: format!("ändrad efter inskickad ansökan för {month}") };
        } else {
            choices[i] = Choice {
                status: Status::Superseded,
                note: format!("{month} är redan inskickad med en annan arbetsbok"),
            };
        }
    }
}

/// The sheet that says whose workbook it is and for which month.
const INFO_SHEET: &str = "Uppgifter";

/// `UNKNOWN_PARTNER`: the workbook's organisationsnummer belongs to no partner (intake and `check`).
pub fn unknown_partner(file: &str, org_nr: &crate::ids::OrgNr) -> Finding {
    Finding::of(Place::file(file).in_sheet(INFO_SHEET), Message::UnknownPartner { org_nr: org_nr.to_string() })
}

/// `FILE_UNREADABLE` for a named pipe, a device or a link to one under a workbook's name.
pub fn not_a_regular_file(place: Place) -> Finding {
    Finding::of(place, Message::NotARegularFile)
}

/// `FOLDER_UNREADABLE`: a folder of the inbox (`rel`) that cannot be listed.
pub fn folder_unreadable(place: Place, rel: &str, reason: &str) -> Finding {
    Finding::of(place, Message::FolderUnreadable { folder: rel.to_string(), reason: reason.to_string() })
}

/// `WRONG_FORMAT`: `.xls`, `.ods`, `.csv`, `.xlsm` and their like.
pub fn wrong_format(place: Place) -> Finding {
    Finding::of(place, Message::WrongFormat)
}

/// `FILE_OUTSIDE_PARTNER_FOLDER`: a file directly in the inbox or in an unknown folder.
pub fn outside_partner_folders(place: Place) -> Finding {
    Finding::of(place, Message::OutsidePartnerFolders)
}

/// `NOT_ATTESTED`: nobody has attested the workbook, at the empty attestation cell (`check`;
/// a warning there).
pub fn not_attested(place: Place) -> Finding {
    Finding::of(place, Message::NotAttested)
}
