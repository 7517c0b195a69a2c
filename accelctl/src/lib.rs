//! accelctl: manage compute accelerators through the `accel` generic
//! netlink family. The binary is `main.rs`; this library holds everything
//! else so that tests and the man page generator (xtask) can use it.

pub mod cli;
pub mod complete;
pub mod extack;
pub mod handle;
pub mod man;
pub mod nl;
pub mod objects;
pub mod output;
pub mod query;
pub mod session;
pub mod sysfs;

use std::io::{self, Write};

use anyhow::Result;

use cli::Cli;
use objects::{Cx, Run};
use output::Output;

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: the command failed.
pub const EXIT_ERROR: u8 = 1;
/// Exit status: bad command line (clap's usage error code).
pub const EXIT_USAGE: u8 = 2;
/// Exit status: `health check` found a reporter in error.
pub const EXIT_UNHEALTHY: u8 = 3;

/// Run a parsed command line; returns the exit status of a command that
/// did not fail (0, or [`EXIT_UNHEALTHY`] from `health check`).
pub fn run(cli: &Cli) -> Result<u8> {
    let mut cx = Cx {
        out: Output {
            json: cli.opts.json,
            pretty: cli.opts.pretty,
        },
        nl: query::Nl::new(cli.opts.verbose),
        stats: cli.opts.statistics,
    };
    cli.object.run(&mut cx)
}

/// Write to stdout and flush (monitor output must not sit in a buffer).
/// Errors, including EPIPE, are returned for main to judge.
pub fn emit(s: &str) -> Result<()> {
    let mut o = io::stdout().lock();
    o.write_all(s.as_bytes())?;
    o.flush()?;
    Ok(())
}

/// The reader of our stdout went away (`accelctl ... | head`).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
