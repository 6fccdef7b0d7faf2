//! redovisa: partners' monthly workbooks → Tillväxtverket's payment claim, progress report and
//! final report.
//!
//! The pipeline has four stages, one module each, flowing one way:
//!
//! ```text
//! intake     inbox folder → files with partner, month, version, sha256, status
//! read       one workbook → typed rows, each with its place (file, sheet, cell), plus findings
//! reconcile  project + accepted rows → figures (costs, in kind, support, indicators) + findings
//! emit       figures → claim workbook, reports, receipts, summary.json (no arithmetic)
//! ```
//!
//! [`examine`] takes one inbox file through read and the per-workbook checks; [`pipeline`] is
//! the run as a table of contents over the stages. [`project`] holds the approved project every stage consults; [`finding`] the findings they
//! all produce. The binary (`crates/redovisa-cli`) is a thin command-line layer over this
//! library; the demo generator (`crates/redovisa-demo`) is a crate of its own.

pub mod contract;
pub mod emit;
pub mod examine;
pub mod fault;
pub mod finding;
pub mod ids;
pub mod intake;
pub mod ledger;
pub mod money;
pub mod month;
pub mod overrides;
pub mod pipeline;
pub mod precheck;
pub mod privacy;
pub mod project;
pub mod read;
pub mod reconcile;
pub mod submit;
pub mod sv;
pub mod template;
pub mod watch;
