//! `redovisa watch`. SCAFFOLD: being written (issue 7).

use std::path::Path;

use crate::pipeline::Options;
use crate::project::Project;

pub fn watch(_project: &Project, _opts: &Options, _out: Option<&Path>) -> anyhow::Result<()> {
    anyhow::bail!("watch är inte färdig ännu")
}
