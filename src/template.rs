//! The partner workbook template. SCAFFOLD: being written (issue 3).

use crate::month::Month;
use crate::project::Project;

/// Renders the template for a partner folder and month.
pub fn render(_project: &Project, folder: &str, _month: Month) -> anyhow::Result<Vec<u8>> {
    anyhow::bail!("mallen för {folder} är inte färdig ännu")
}
