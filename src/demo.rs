//! The demo project generator. SCAFFOLD: being written (issue 2).

use std::path::Path;

use crate::month::Month;

pub const DEFAULT_SEED: u64 = 454304;
pub const DEFAULT_TO: Month = match Month::new_const(2026, 10) {
    Some(m) => m,
    None => panic!(),
};

pub struct DemoOptions {
    pub to: Month,
    pub seed: u64,
}

/// Writes the seed project and its inbox; returns the number of workbooks.
pub fn write(_dir: &Path, _opts: &DemoOptions) -> anyhow::Result<usize> {
    anyhow::bail!("demo är inte färdig ännu")
}
