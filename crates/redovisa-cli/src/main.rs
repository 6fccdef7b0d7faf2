//! `redovisa`: the command-line layer. Parses arguments, calls the library, prints in Swedish,
//! and maps outcomes to the exit status of `docs/outputs.md` (0 done, 1 done with error
//! findings, 2 could not run).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use redovisa::month::Month;
use redovisa::pipeline::{self, Options};
use redovisa::project::Project;
use redovisa::{precheck, submit, template, watch};
use redovisa_demo as demo;

#[derive(Parser)]
#[command(
    name = "redovisa",
    version,
    about = "Partners' monthly workbooks to Tillväxtverket's payment claim, progress report and final report"
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
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Take this date as today when choosing the default period (for tests; never written into outputs).
    #[arg(long, value_name = "YYYY-MM-DD", hide = true)]
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
        /// Output file (default: <partner>-<month>.xlsx in the current folder).
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// Record a claim as submitted in the project's ledger.
    Submit {
        project: PathBuf,
        #[arg(long, value_name = "YYYY-MM")]
        from: Month,
        #[arg(long, value_name = "YYYY-MM")]
        to: Month,
        /// Record the claim even though the period has error findings.
        #[arg(long)]
        allow_errors: bool,
        /// Hold corrections of already claimed months back (they stay pending for a later claim).
        #[arg(long)]
        hold_corrections: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Write the final report over the whole project.
    Final {
        project: PathBuf,
        /// Last month to include (default: the last whole month with workbooks).
        #[arg(long, value_name = "YYYY-MM")]
        to: Option<Month>,
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
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
        /// Then run the main job on it.
        #[arg(long)]
        run: bool,
        /// Write a synthetic programme of N copies of the project (benchmark workload).
        #[arg(long, value_name = "N", default_value_t = 1)]
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
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("redovisa: {message}");
            ExitCode::from(2)
        }
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
        rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global().map_err(|e| e.to_string())?;
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
    eprintln!("Period {} – {}: {} fel, {} varningar.", figures.period.from, figures.period.to, errors, warnings);
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
            print!("{}", plain(&p.describe()));
            for i in &issues {
                println!("{}", plain(&i.to_string()));
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
                print!("{}", String::from_utf8_lossy(&summary));
            }
            Ok(finish(&figures, &written))
        }
        Command::Check { workbook, project } => {
            let p = load(&project)?;
            let report = precheck::check_file(&p, &workbook);
            print!("{}", precheck::render(&report));
            Ok(if report.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Template { project, partner, month, output } => {
            let p = load(&project)?;
            let bytes = template::render(&p, &partner, month).map_err(|e| e.to_string())?;
            let path = output.unwrap_or_else(|| PathBuf::from(format!("{partner}-{month}.xlsx")));
            redovisa::emit::atomic::write_atomic(&path, &bytes)
                .map_err(|e| format!("kan inte skriva {}: {e}", path.display()))?;
            eprintln!("Skrev mallen {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Submit { project, from, to, allow_errors, hold_corrections, common } => {
            let p = load(&project)?;
            let opts = Options { from: Some(from), to: Some(to), hold_corrections, ..options(None, &common, true)? };
            let claim = submit::submit(&p, &opts, allow_errors).map_err(|e| e.to_string())?;
            println!("{}", plain(&submit::describe(&claim)));
            Ok(ExitCode::SUCCESS)
        }
        Command::Final { project, to, common, out } => {
            let p = load(&project)?;
            let opts = Options { to, ..options(None, &common, true)? };
            let (figures, written) = pipeline::final_report(&p, &opts, out.as_deref()).map_err(|e| e.to_string())?;
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
            print!("{}", plain(&plan.describe()));
            if !plan.is_empty() && apply {
                let copy = plan.apply().map_err(|e| e.to_string())?;
                println!("Klart. Filen som den var finns kvar som {}.", copy.display());
            } else if !plan.is_empty() {
                println!("Inget är ändrat. Kör igen med --apply för att ta bort det; en kopia av filen sparas först.");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { dir, to, seed, run, copies } => {
            let to = to.unwrap_or(demo::DEFAULT_TO);
            let written = demo::write(&dir, &demo::DemoOptions { to, seed, copies }).map_err(|e| e.to_string())?;
            eprintln!("Skrev exempelprojektet i {} ({written} arbetsböcker).", dir.display());
            if !run {
                return Ok(ExitCode::SUCCESS);
            }
            let p = load(&dir)?;
            let today = today(None)?;
            let opts = Options {
                to: Some(to),
                progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
                ..Options::claim(today)
            };
            let (figures, written) = pipeline::run(&p, &opts, None).map_err(|e| e.to_string())?;
            Ok(finish(&figures, &written))
        }
    }
}

/// No-break spaces (used in documents) as plain spaces for the terminal.
fn plain(text: &str) -> String {
    text.replace('\u{a0}', " ")
}
