//! `redovisa`: the command-line layer. Parses arguments, calls the library, prints in Swedish,
//! and maps outcomes to the exit status of `docs/outputs.md` (0 done, 1 done with error
//! findings, 2 could not run).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use redovisa::emit::protect;
use redovisa::month::Month;
use redovisa::pipeline::{self, Options};
use redovisa::project::Project;
use redovisa::sv::{counted, noun};
use redovisa::{precheck, submit, template, watch};
use redovisa_demo as demo;

/// mimalloc rather than the system's allocator: reading thousands of workbooks on several
/// threads, glibc's allocator kept six times the live heap resident (its per-thread arenas
/// fragmented by each workbook's buffers), so peak memory grew with the inbox; mimalloc's pages
/// of one size class return to use as soon as a workbook's buffers are freed (BENCHMARKS.md).
/// Built without transparent huge pages (`no_thp`), and told to give freed memory back at once
/// ([`allocator_returns_memory_at_once`]): a 2 MiB page half used, or memory kept for 10 ms
/// after it was freed, counts in the peak as if it were in use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's `mi_option_set` (`include/mimalloc.h`).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Sets mimalloc's `purge_delay` to 0: freed pages go back to the system at once rather than
/// 10 ms later.
fn allocator_returns_memory_at_once() {
    /// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (the version Cargo.toml pins).
    const PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: setting an option is allowed at any time, from any thread; this one only changes
    // when freed memory is returned.
    unsafe { mi_option_set(PURGE_DELAY, 0) };
}

#[derive(Parser)]
#[command(
    name = "redovisa",
    version,
    about = "Partners' monthly workbooks to Tillväxtverket's payment claim, progress report and final report",
    subcommand_value_name = "KOMMANDO"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct PeriodArgs {
    /// First month of the period (default: the month after the last submitted claim, or the project start).
    /// With a reporting plan in project.toml, a period starting where a planned claim does ends where it does.
    #[arg(long, value_name = "YYYY-MM")]
    from: Option<Month>,
    /// Last month of the period (default: the last whole month with workbooks).
    #[arg(long, value_name = "YYYY-MM")]
    to: Option<Month>,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// Inbox folder (default: the project's `inkorg`).
    #[arg(long, value_name = "DIR")]
    inbox: Option<PathBuf>,
    /// Number of threads reading workbooks (default: one per core).
    #[arg(long, value_name = "N", value_parser = parse_count::<usize>)]
    threads: Option<usize>,
    /// Take this date as today when choosing the default period (for tests; never written into outputs).
    #[arg(long, value_name = "YYYY-MM-DD", hide = true, value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
}

#[derive(Subcommand)]
enum Command {
    /// Check the project file and print the approved budget.
    Validate {
        /// Project folder (holds project.toml).
        project: PathBuf,
    },
    /// Read every partner workbook and write the claim workbook, progress report, receipts and summary.json.
    Run {
        project: PathBuf,
        #[command(flatten)]
        period: PeriodArgs,
        #[command(flatten)]
        common: Common,
        /// Output folder (default: <project>/utdata/<from>_<to>).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print summary.json to stdout.
        #[arg(long)]
        json: bool,
        /// Hold corrections of already claimed months back (listed and reported, not claimed).
        #[arg(long)]
        hold_corrections: bool,
    },
    /// Check one workbook before dropping it in the inbox: findings and what it would count.
    Check {
        /// The workbook (.xlsx).
        workbook: PathBuf,
        /// Project folder.
        #[arg(long)]
        project: PathBuf,
    },
    /// Write a partner's workbook template for a month.
    Template {
        project: PathBuf,
        /// Partner or co-financier folder name.
        #[arg(long)]
        partner: String,
        #[arg(long, value_name = "YYYY-MM")]
        month: Month,
        /// Output file (default: <partner>-<month>.xlsx in the current folder, numbered when a
        /// file of that name is there or in the partner's inbox folder).
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Replace the output file if it exists (it may hold a partner's filled-in work).
        #[arg(long)]
        force: bool,
    },
    /// Record a claim as submitted in the project's ledger (default period: as `run`, the next planned claim).
    Submit {
        project: PathBuf,
        #[command(flatten)]
        period: PeriodArgs,
        /// Record the claim even though the period has error findings.
        #[arg(long)]
        allow_errors: bool,
        /// Hold corrections of already claimed months back (they stay pending for a later claim).
        #[arg(long)]
        hold_corrections: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Write the final report over the whole project (during its last month or later).
    Final {
        project: PathBuf,
        /// Last month to include (default: the project's last month). Short of it, only with --preliminary.
        #[arg(long, value_name = "YYYY-MM")]
        to: Option<Month>,
        /// Write it before the project's last month, marked "Preliminär" on every page.
        #[arg(long)]
        preliminary: bool,
        /// Write <project>/mallar/slutrapport.toml, the report's own texts with every heading and a short guide, and stop.
        #[arg(long)]
        texts: bool,
        /// With --texts: overwrite an existing file (texts already written in it are kept).
        #[arg(long, requires = "texts")]
        force: bool,
        #[command(flatten)]
        common: Common,
        /// Output folder (default: <project>/utdata/slutrapport).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Watch the inbox and rewrite a partner's receipt when its workbooks change.
    Watch {
        project: PathBuf,
        #[command(flatten)]
        common: Common,
        /// Output folder for receipts and the monthly status (default: <project>/utdata/status).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// The claim ledger: `redovisa ledger repair <project>`.
    #[command(subcommand_value_name = "ÅTGÄRD")]
    Ledger {
        #[command(subcommand)]
        action: LedgerAction,
    },
    /// Write the seed project with a realistic, deterministic example inbox.
    Demo {
        /// Folder to write (project.toml and inkorg/).
        dir: PathBuf,
        /// Last month to generate (default 2026-10).
        #[arg(long, value_name = "YYYY-MM")]
        to: Option<Month>,
        /// Random seed.
        #[arg(long, default_value_t = demo::DEFAULT_SEED, value_parser = parse_count::<u64>)]
        seed: u64,
        /// Then run the main job on it.
        #[arg(long)]
        run: bool,
        /// Write a synthetic programme of N copies of the project (benchmark workload).
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = parse_count::<u32>)]
        copies: u32,
    },
}

#[derive(Subcommand)]
enum LedgerAction {
    /// Show what a repair of the ledger would drop (a last line cut short by an older version, claims
    /// no anchor knows); with --apply, keep a copy of the file and drop it.
    Repair {
        project: PathBuf,
        /// Drop it (a copy of the ledger is kept beside it first).
        #[arg(long)]
        apply: bool,
    },
}

fn main() -> ExitCode {
    allocator_returns_memory_at_once();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return arguments_refused(&e),
    };
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("redovisa: {message}");
            ExitCode::from(2)
        }
    }
}

/// Bad arguments (or `--help`, `--version`): clap's errors said in Swedish, exit 2; help and the
/// version as clap writes them (in English, as the README says), exit 0.
fn arguments_refused(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    match e.kind() {
        K::DisplayHelp | K::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    eprintln!("redovisa: {}", clap_in_swedish(e));
    if let Some(usage) = context_text(e, clap::error::ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        eprintln!("Användning: {usage}");
    }
    eprintln!("Skriv «redovisa --help» eller «redovisa <kommando> --help» för hjälp (hjälptexten är på engelska).");
    ExitCode::from(2)
}

/// A context value of a clap error as plain text.
fn context_text(e: &clap::Error, kind: clap::error::ContextKind) -> Option<String> {
    use clap::error::ContextValue as V;
    match e.get(kind)? {
        V::String(s) => Some(s.clone()),
        V::Strings(v) => Some(v.join(", ")),
        V::StyledStr(s) => Some(s.to_string()),
        V::Number(n) => Some(n.to_string()),
        V::Bool(b) => Some(b.to_string()),
        V::None => None,
        _ => None,
    }
}

/// One Swedish sentence per kind of argument error, with the argument and value clap names.
fn clap_in_swedish(e: &clap::Error) -> String {
    use clap::error::{ContextKind as C, ErrorKind as K};
    let get = |k: C| context_text(e, k).unwrap_or_default();
    let arg = get(C::InvalidArg);
    let value = get(C::InvalidValue);
    let suggestion = |base: String| {
        let s = context_text(e, C::SuggestedArg)
            .or_else(|| context_text(e, C::SuggestedSubcommand))
            .or_else(|| context_text(e, C::SuggestedValue));
        match s {
            Some(s) => format!("{base}; menade du «{s}»?"),
            None => base,
        }
    };
    match e.kind() {
        K::InvalidValue => {
            let valid = get(C::ValidValue);
            let base = if value.is_empty() {
                format!("{arg} behöver ett värde")
            } else {
                format!("«{value}» är inget giltigt värde för {arg}")
            };
            if valid.is_empty() { suggestion(base) } else { format!("{base} (möjliga värden: {valid})") }
        }
        K::UnknownArgument => suggestion(format!("okänt argument «{arg}»")),
        K::InvalidSubcommand => {
            let known = if ledger_args() { "repair" } else { COMMANDS };
            suggestion(format!("okänt kommando «{}»; möjliga är {known}", get(C::InvalidSubcommand)))
        }
        K::NoEquals => format!("{arg} ska skrivas med likhetstecken och värde"),
        K::ValueValidation => {
            // The parsers of this program say why in Swedish (`parse_date`, `parse_count`,
            // `Month`'s own error); their sentence is the error's source.
            let why = std::error::Error::source(e).map(ToString::to_string).unwrap_or_default();
            if why.is_empty() {
                format!("«{value}» duger inte för {arg}")
            } else {
                format!("«{value}» duger inte för {arg}: {why}")
            }
        }
        K::TooManyValues => format!("för många värden för {arg} («{value}»)"),
        K::TooFewValues | K::WrongNumberOfValues => format!("fel antal värden för {arg}"),
        K::ArgumentConflict => {
            let prior = get(C::PriorArg);
            if prior.is_empty() {
                format!("{arg} kan inte användas tillsammans med de andra argumenten")
            } else {
                format!("{arg} kan inte användas tillsammans med {prior}")
            }
        }
        K::MissingRequiredArgument => format!("det här måste anges: {}", get(C::InvalidArg)),
        K::MissingSubcommand | K::DisplayHelpOnMissingArgumentOrSubcommand => {
            if ledger_args() {
                "ange vad som ska göras med ansökningsloggen: repair".to_string()
            } else {
                format!("ange ett kommando: {COMMANDS}")
            }
        }
        K::InvalidUtf8 => "ett argument är inte giltig text (UTF-8)".to_string(),
        _ => "argumenten går inte att tolka".to_string(),
    }
}

/// The commands, as the errors list them.
const COMMANDS: &str = "validate, run, check, template, submit, ledger, final, watch, demo";

/// Whether the arguments are `redovisa ledger …` (clap's errors do not say which command's
/// subcommands were expected).
fn ledger_args() -> bool {
    std::env::args().nth(1).as_deref() == Some("ledger")
}

/// `--today`: a date `YYYY-MM-DD`.
fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| "ange ett datum på formen ÅÅÅÅ-MM-DD".to_string())
}

/// `--threads`, `--copies`, `--seed`: a whole number ≥ 0.
fn parse_count<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.trim().parse().map_err(|_| "ange ett heltal, 0 eller större".to_string())
}

/// Writes a line to stdout. A reader that has closed the pipe (`redovisa run --json | head -1`)
/// ends the program quietly with the status the command had: nothing more can be said to it.
fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        quiet_if_closed(&e);
    }
}

/// Writes text to stdout as it is (see [`say`]).
fn put(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        quiet_if_closed(&e);
    }
}

/// A closed stdout is not an error of the command (its outputs are written); any other write
/// error is said in Swedish on stderr.
fn quiet_if_closed(e: &std::io::Error) {
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        eprintln!("redovisa: kan inte skriva till standard ut: {}", redovisa::sv::io_error(e));
    }
}

/// Today: `--today`, else the environment variable `REDOVISA_TODAY` (YYYY-MM-DD), else the clock.
fn today(given: Option<chrono::NaiveDate>) -> Result<chrono::NaiveDate, String> {
    if let Some(d) = given {
        return Ok(d);
    }
    match std::env::var("REDOVISA_TODAY") {
        Ok(text) if !text.trim().is_empty() => chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| format!("REDOVISA_TODAY=«{text}» är inget datum på formen ÅÅÅÅ-MM-DD")),
        _ => Ok(chrono::Local::now().date_naive()),
    }
}

fn load(dir: &Path) -> Result<Project, String> {
    Project::load(dir).map_err(|e| e.to_string())
}

fn options(period: Option<&PeriodArgs>, common: &Common, claim: bool) -> Result<Options, String> {
    if let Some(n) = common.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|_| "kan inte starta trådarna som läser arbetsböckerna".to_string())?;
    }
    let today = today(common.today)?;
    Ok(Options {
        inbox: common.inbox.clone(),
        from: period.and_then(|p| p.from),
        to: period.and_then(|p| p.to),
        today,
        claim,
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        ..Options::claim(today)
    })
}

/// Prints the outcome of a run and turns it into the exit status.
fn finish(figures: &redovisa::reconcile::model::Figures, written: &[PathBuf]) -> ExitCode {
    let errors = figures.findings.iter().filter(|f| f.is_error()).count();
    let warnings = figures.findings.len() - errors;
    eprintln!(
        "Period {} – {}: {}, {}.",
        figures.period.from,
        figures.period.to,
        counted(errors, noun::FEL),
        counted(warnings, noun::VARNING)
    );
    if let Some(note) = pipeline::resubmitted_message(figures) {
        eprintln!("{note}");
    }
    if let Some(message) = pipeline::plan_message(figures) {
        eprintln!("{message}");
    }
    for path in written {
        eprintln!("  skrev {}", path.display());
    }
    if figures.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn dispatch(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Validate { project } => {
            let p = Project::parse_file(&project).map_err(|e| e.to_string())?;
            let mut issues = p.validate();
            issues.extend(p.check_folders(&p.inbox()));
            put(&plain(&p.describe()));
            for i in &issues {
                say(&plain(&i.to_string()));
            }
            if issues.iter().any(|i| i.error) {
                return Ok(ExitCode::from(2));
            }
            // The file against the claims already submitted.
            let ledger = redovisa::ledger::Ledger::load(&project).map_err(|e| e.to_string())?;
            if ledger.claims.is_empty() {
                return Ok(ExitCode::SUCCESS);
            }
            let against = p.against_ledger(&ledger.claims);
            println!("\nMot ansökningsloggen ({} inskickade ansökningar)", ledger.claims.len());
            if against.is_empty() {
                println!("  Inga avvikelser: projektfilen prissätter inskickade månader som de skickades in.");
            }
            for i in &against {
                println!("{}", plain(&i.to_string()));
            }
            Ok(if against.iter().any(|i| i.error) { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Run { project, period, common, out, json, hold_corrections } => {
            let p = load(&project)?;
            let opts = Options { hold_corrections, ..options(Some(&period), &common, true)? };
            let (figures, written) = pipeline::run(&p, &opts, out.as_deref()).map_err(|e| e.to_string())?;
            if json {
                let summary = redovisa::emit::summary::render(&figures);
                put(&String::from_utf8_lossy(&summary));
            }
            Ok(finish(&figures, &written))
        }
        Command::Check { workbook, project } => {
            let p = load(&project)?;
            precheck::checkable(&workbook)?;
            let report = precheck::check_file(&p, &workbook);
            put(&precheck::render(&report));
            Ok(if report.not_a_workbook() {
                ExitCode::from(2)
            } else if report.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Template { project, partner, month, output, force } => {
            let p = load(&project)?;
            let bytes = template::render(&p, &partner, month).map_err(|e| e.to_string())?;
            // The default name is never one a partner's workbook already has, here or in the inbox.
            let path = output.unwrap_or_else(|| {
                let inbox = p.inbox();
                protect::free_name(Path::new(""), &format!("{partner}-{month}"), "xlsx", &[inbox.join(&partner), inbox])
            });
            protect::write_protected(&path, &bytes, force).map_err(|e| e.to_string())?;
            eprintln!("Skrev mallen {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Submit { project, period, allow_errors, hold_corrections, common } => {
            let p = load(&project)?;
            let opts = Options { hold_corrections, ..options(Some(&period), &common, true)? };
            let submitted = submit::submit_claim(&p, &opts, allow_errors).map_err(|e| e.to_string())?;
            if let Some(message) = &submitted.plan {
                eprintln!("{}", plain(message));
            }
            say(&plain(&submit::describe(&submitted.claim)));
            Ok(ExitCode::SUCCESS)
        }
        Command::Final { project, texts: true, force, .. } => {
            let p = load(&project)?;
            let path = write_final_texts(&p, force)?;
            eprintln!("Skrev {}: skriv texterna under varje rubrik och kör redovisa final igen.", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Final { project, to, preliminary, common, out, .. } => {
            let p = load(&project)?;
            let opts = Options { to, preliminary, ..options(None, &common, true)? };
            let (figures, written) = pipeline::final_report(&p, &opts, out.as_deref()).map_err(|e| e.to_string())?;
            if let Some(message) = pipeline::closing_message(&figures) {
                eprintln!("{message}");
            }
            Ok(finish(&figures, &written))
        }
        Command::Watch { project, common, out } => {
            let p = load(&project)?;
            let opts = options(None, &common, false)?;
            watch::watch(&p, &opts, out.as_deref()).map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ledger { action: LedgerAction::Repair { project, apply } } => {
            let p = load(&project)?;
            let _lock = redovisa::emit::atomic::RunLock::acquire(&p.dir).map_err(|e| e.to_string())?;
            let plan = redovisa::ledger::repair::plan(&p).map_err(|e| e.to_string())?;
            put(&plain(&plan.describe()));
            if !plan.is_empty() && apply {
                let copy = plan.apply().map_err(|e| e.to_string())?;
                say(&format!("Klart. Filen som den var finns kvar som {}.", copy.display()));
            } else if !plan.is_empty() {
                say("Inget är ändrat. Kör igen med --apply för att ta bort det; en kopia av filen sparas först.");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { dir, to, seed, run, copies } => {
            let seed_project = Project::parse(&dir, demo::SEED_PROJECT).map_err(|e| e.to_string())?;
            // `--run` alone: the inbox ends where a planned claim does, so the run is that claim.
            let to =
                to.unwrap_or_else(|| if run && copies == 1 { demo::run_to(&seed_project) } else { demo::DEFAULT_TO });
            let written = demo::write(&dir, &demo::DemoOptions { to, seed, copies }).map_err(|e| e.to_string())?;
            eprintln!("Skrev exempelprojektet i {} ({}).", dir.display(), counted(written, noun::ARBETSBOK));
            if !run {
                return Ok(ExitCode::SUCCESS);
            }
            let p = load(&dir)?;
            let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let ledger = redovisa::ledger::Ledger::load(&p.dir).map_err(|e| e.to_string())?;
            let Some(life) = demo::life(&p, to, ledger.last().map(|c| c.to)) else {
                let opts = Options { to: Some(to), progress, ..Options::claim(today(None)?) };
                let (figures, written) = pipeline::run(&p, &opts, None).map_err(|e| e.to_string())?;
                return Ok(finish(&figures, &written));
            };
            // The project so far: the plan's earlier claims, submitted as the economist would
            // have, each on its own day.
            for (planned, day) in &life.submitted {
                let opts = Options { from: Some(planned.from), to: Some(planned.to), progress, ..Options::claim(*day) };
                let claim = submit::submit(&p, &opts, false).map_err(|e| e.to_string())?;
                eprintln!("{}", plain(&submit::describe(&claim)));
            }
            eprintln!("Exemplets klocka: {} (sätt REDOVISA_TODAY för en annan dag).", life.today);
            let today = match std::env::var("REDOVISA_TODAY") {
                Ok(text) if !text.trim().is_empty() => today(None)?,
                _ => life.today,
            };
            let opts =
                Options { from: Some(life.claim.from), to: Some(life.claim.to), progress, ..Options::claim(today) };
            let (figures, written) = pipeline::run(&p, &opts, None).map_err(|e| e.to_string())?;
            Ok(finish(&figures, &written))
        }
    }
}

/// `final --texts`: the project's `mallar/slutrapport.toml` with every heading and its guide.
/// An existing file is left alone unless `force`; then what it already says is kept.
fn write_final_texts(p: &Project, force: bool) -> Result<PathBuf, String> {
    use redovisa::emit::report::final_texts::{self, FinalTexts};
    let path = p.dir.join(final_texts::FILE);
    // Without --force there is no file to keep texts from: it is refused if it exists.
    let current = if force { FinalTexts::load(&p.dir) } else { FinalTexts::built_in() }.map_err(|e| e.to_string())?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("kan inte skapa {}: {e}", dir.display()))?;
    }
    protect::write_protected(&path, final_texts::template(&current).as_bytes(), force).map_err(|e| e.to_string())?;
    Ok(path)
}

/// No-break spaces (used in documents) as plain spaces for the terminal.
fn plain(text: &str) -> String {
    text.replace('\u{a0}', " ")
}
