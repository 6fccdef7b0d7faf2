//! Fault injection at the writes and renames that must survive a kill or a full disk.
//!
//! Every step of `submit` and `run` that changes a file the project depends on (the ledger, its
//! anchors, the output folder) first passes a named point: `fault::point("ledger.rename")?`. In
//! an ordinary build (`cargo build`, `cargo install`) a point does nothing and compiles to
//! nothing. With the cargo feature `failpoints`, which only the CLI's tests turn on (through
//! their dev-dependency on this crate), the points are tikv's `fail` failpoints, configured from
//! the environment variable `REDOVISA_FAILPOINTS` (`name=actions;name=actions`, in `fail`'s
//! syntax, e.g. `ledger.rename=return(kill)` or `emit.write=3*off->return(enospc)`). The
//! argument of `return` says what happens at the point:
//!
//! - `kill`: the process sends itself SIGKILL there (kill -9: no destructor, no flush);
//! - `enospc`: the step fails as on a full disk (`No space left on device`);
//! - `eacces`: the step fails with `Permission denied`;
//! - `einval`: the step fails with `Invalid argument` (how a file system without
//!   `RENAME_EXCHANGE` answers).
//!
//! The points are listed in `crates/redovisa-cli/tests/faults.rs`, which hits each on purpose.

use std::io;

/// Passes the fault injection point `name`: `Ok(())` unless a test configured a fault there.
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn point(_name: &str) -> io::Result<()> {
    Ok(())
}

/// Passes the fault injection point `name`: `Ok(())` unless a test configured a fault there.
#[cfg(feature = "failpoints")]
pub fn point(name: &str) -> io::Result<()> {
    configure();
    match fail::eval(name, |arg| arg) {
        None => Ok(()),
        Some(arg) => act(arg.as_deref().unwrap_or_default()),
    }
}

/// Passes the point `name` with an argument: the fault happens only when the configured
/// argument names `what` (e.g. the partner folder a read should fail on) or is `*`.
#[cfg(feature = "failpoints")]
pub fn point_for(name: &str, what: &str) -> io::Result<()> {
    configure();
    match fail::eval(name, |arg| arg) {
        Some(Some(arg)) => match arg.split_once(':') {
            Some((target, action)) if target == what || target == "*" => act(action),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Passes the point `name` with an argument (see the featured build).
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn point_for(_name: &str, _what: &str) -> io::Result<()> {
    Ok(())
}

/// Passes the point `<prefix>.<step>` (the name is only built where points exist).
#[cfg(feature = "failpoints")]
pub fn point_in(prefix: &str, step: &str) -> io::Result<()> {
    point(&format!("{prefix}.{step}"))
}

/// Passes the point `<prefix>.<step>` (see the featured build).
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn point_in(_prefix: &str, _step: &str) -> io::Result<()> {
    Ok(())
}

/// Reads `REDOVISA_FAILPOINTS` once.
#[cfg(feature = "failpoints")]
fn configure() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(spec) = std::env::var("REDOVISA_FAILPOINTS") else { return };
        for item in spec.split(';').filter(|s| !s.trim().is_empty()) {
            if let Some((name, actions)) = item.split_once('=') {
                // A bad specification is the test's mistake: say so rather than run without it.
                if let Err(e) = fail::cfg(name.trim(), actions.trim()) {
                    eprintln!("REDOVISA_FAILPOINTS: {name}: {e}");
                    std::process::exit(3);
                }
            }
        }
    });
}

#[cfg(feature = "failpoints")]
fn act(action: &str) -> io::Result<()> {
    match action {
        "kill" => {
            #[cfg(unix)]
            // SAFETY: kill(2) on our own process id has no memory effects.
            unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
            std::process::abort()
        }
        "enospc" => Err(io::Error::from_raw_os_error(libc::ENOSPC)),
        "eacces" => Err(io::Error::from_raw_os_error(libc::EACCES)),
        "einval" => Err(io::Error::from_raw_os_error(libc::EINVAL)),
        other => {
            eprintln!("REDOVISA_FAILPOINTS: okänd åtgärd «{other}»");
            std::process::exit(3)
        }
    }
}
