//! The health object: `accelctl health show|set|recover|diagnose|test|
//! dump show|dump clear|check` and the health events of `accelctl
//! monitor`. Keywords in `args.rs`, rendering in `render.rs` (reporters)
//! and `tree.rs` (diagnose and dump trees).

mod args;
mod render;
mod tree;

pub use args::{ReporterArgs, SetArgs, ShowArgs, AUTO_DUMP, AUTO_RECOVER, REPORTER, SET_KEYWORDS};
pub use render::{
    HealthCheckDoc, HealthEventDoc, HealthEventKind, HealthShowDoc, HealthTreeDoc, ReporterJson,
};
pub use tree::{tree_text, FmsgNodeJson};

use accel_netlink::{
    AccelMessage, DevHandle, DevHealthReporter, FmsgAssembler, HealthFmsg,
    HealthReporterDiagnoseDump, HealthReporterDumpClearDo, HealthReporterDumpGetDump,
    HealthReporterGetDo, HealthReporterGetDump, HealthReporterRecoverDo, HealthReporterSetDo,
    HealthReporterTestDo, Request,
};
use anyhow::{anyhow, bail, Result};

use clap::{Args, Subcommand};

use super::{Cx, ManProse, Run};
use crate::handle::parse_handle;
use crate::output::Output;
use crate::query::{needs_family, Nl, Subject};
use crate::{emit, is_broken_pipe, EXIT_OK, EXIT_UNHEALTHY};

const COMMAND: &str = "accelctl health";

/// Health reporters: state, error and recovery counters, diagnose and dump
#[derive(Debug, Args)]
#[command(subcommand_value_name = "COMMAND")]
pub struct Health {
    #[command(subcommand)]
    pub command: Option<HealthCommand>,
}

impl Run for Health {
    fn run(&self, cx: &mut Cx) -> Result<u8> {
        run(&cx.out, &mut cx.nl, self.command.as_ref())
    }
}

/// accelctl-health(8) prose.
pub const MAN: ManProse = ManProse {
    sections: include_str!("health.roff"),
    notes: "",
    examples: include_str!("health.examples.roff"),
};

/// `accelctl health ...`: the reporter is named with the keyword `reporter`,
/// as in devlink(8).
#[derive(Debug, Subcommand)]
pub enum HealthCommand {
    /// List the health reporters of all devices or of DEV, or show one
    #[command(override_usage = "accelctl health show [DEV [reporter NAME]]")]
    Show(ShowArgs),
    /// Set the grace period, auto-recover or auto-dump of a reporter
    #[command(
        override_usage = "accelctl health set DEV reporter NAME [grace_period MS] \
                          [auto_recover true|false] [auto_dump true|false]"
    )]
    Set(SetArgs),
    /// Recover a reporter from its error now
    #[command(override_usage = "accelctl health recover DEV reporter NAME")]
    Recover(ReporterArgs),
    /// Show the driver's diagnosis of a reporter's current state
    #[command(override_usage = "accelctl health diagnose DEV reporter NAME")]
    Diagnose(ReporterArgs),
    /// Make the driver report a test error through a reporter
    #[command(override_usage = "accelctl health test DEV reporter NAME")]
    Test(ReporterArgs),
    /// Show or clear the stored dump of a reporter
    #[command(subcommand_value_name = "COMMAND")]
    Dump {
        #[command(subcommand)]
        command: DumpCommand,
    },
    /// Exit with status 3 if a reporter of any device, or of DEV, is in error
    Check {
        /// Device: accelN, N, /dev/accel/accelN or BUS/NAME
        #[arg(value_name = "DEV", value_parser = parse_handle)]
        dev: Option<DevHandle>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DumpCommand {
    /// Show the stored dump of a reporter, taking one first if none is stored
    #[command(override_usage = "accelctl health dump show DEV reporter NAME")]
    Show(ReporterArgs),
    /// Delete the stored dump of a reporter
    #[command(override_usage = "accelctl health dump clear DEV reporter NAME")]
    Clear(ReporterArgs),
}

/// Run one `accelctl health` command (`show` when none is given); the
/// exit status is [`EXIT_UNHEALTHY`] when `check` finds a reporter in error.
pub fn run(out: &Output, nl: &mut Nl, command: Option<&HealthCommand>) -> Result<u8> {
    let all = ShowArgs::default();
    match command.unwrap_or(&HealthCommand::Show(all)) {
        HealthCommand::Show(a) => show(out, nl, a.dev.as_ref(), a.reporter.as_deref()),
        HealthCommand::Set(a) => set(nl, a),
        HealthCommand::Recover(a) => recover(nl, a),
        HealthCommand::Diagnose(a) => diagnose(out, nl, a),
        HealthCommand::Test(a) => test(nl, a),
        HealthCommand::Dump {
            command: DumpCommand::Show(a),
        } => dump_show(out, nl, a),
        HealthCommand::Dump {
            command: DumpCommand::Clear(a),
        } => dump_clear(nl, a),
        HealthCommand::Check { dev } => {
            let healthy = check(out, nl, dev.as_ref())?;
            return Ok(if healthy { EXIT_OK } else { EXIT_UNHEALTHY });
        }
    }?;
    Ok(EXIT_OK)
}

/// Without DEV: every reporter of every device (dump). With DEV: its
/// reporters (filtered dump). With DEV and a reporter: that one (do).
pub fn show(
    out: &Output,
    nl: &mut Nl,
    dev: Option<&DevHandle>,
    reporter: Option<&str>,
) -> Result<()> {
    emit(&out.health_show(&reporters(nl, dev, reporter)?))
}

/// Print the unhealthy reporters; `Ok(false)` if there is one.
///
/// The verdict is the exit status, so it is reached before printing and
/// stands when stdout is a closed pipe (`accelctl health check | head -0`
/// still exits 3); other output errors are errors.
pub fn check(out: &Output, nl: &mut Nl, dev: Option<&DevHandle>) -> Result<bool> {
    let all = reporters(nl, dev, None)?;
    // No reporter is fine, no device at all is not: from another network
    // namespace the family shows nothing, and a probe must not pass then.
    if all.is_empty() && dev.is_none() && super::dev::netlink_devices(nl, None)?.is_empty() {
        bail!(
            "no accel device is visible, so nothing was checked (no device, or a network \
             namespace other than the initial one, where the accel family shows none)"
        );
    }
    let healthy = all.iter().all(|r| r.reporter.is_healthy());
    match emit(&out.health_check(&all)) {
        Err(e) if !is_broken_pipe(&e) => Err(e),
        _ => Ok(healthy),
    }
}

pub fn set(nl: &mut Nl, args: &SetArgs) -> Result<()> {
    let p = &args.params;
    let req = HealthReporterSetDo {
        handle: Some(args.dev.to_handle()),
        name: Some(args.reporter.clone()),
        grace_period: p.grace_period_ms,
        auto_recover: p.auto_recover.map(u32::from),
        auto_dump: p.auto_dump.map(u32::from),
    };
    act(nl, req, args, "set its parameters")
}

pub fn recover(nl: &mut Nl, args: &ReporterArgs) -> Result<()> {
    let (handle, name) = named(args);
    act(
        nl,
        HealthReporterRecoverDo { handle, name },
        args,
        "recover",
    )
}

pub fn test(nl: &mut Nl, args: &ReporterArgs) -> Result<()> {
    let (handle, name) = named(args);
    act(nl, HealthReporterTestDo { handle, name }, args, "test")
}

pub fn dump_clear(nl: &mut Nl, args: &ReporterArgs) -> Result<()> {
    let (handle, name) = named(args);
    act(
        nl,
        HealthReporterDumpClearDo { handle, name },
        args,
        "clear its dump",
    )
}

pub fn diagnose(out: &Output, nl: &mut Nl, args: &ReporterArgs) -> Result<()> {
    let (handle, name) = named(args);
    let req = HealthReporterDiagnoseDump { handle, name };
    let fmsg = tree(nl, req, args, "diagnose")?;
    emit(&out.health_diagnose(&fmsg))
}

pub fn dump_show(out: &Output, nl: &mut Nl, args: &ReporterArgs) -> Result<()> {
    let (handle, name) = named(args);
    let req = HealthReporterDumpGetDump { handle, name };
    let fmsg = tree(nl, req, args, "get its dump")?;
    emit(&out.health_dump(&fmsg))
}

/// The handle and name of a request about one reporter.
fn named(args: &ReporterArgs) -> (Option<Vec<accel_netlink::HandleAttr>>, Option<String>) {
    (Some(args.dev.to_handle()), Some(args.reporter.clone()))
}

fn reporters(
    nl: &mut Nl,
    dev: Option<&DevHandle>,
    reporter: Option<&str>,
) -> Result<Vec<DevHealthReporter>> {
    let subject = dev.map(|dev| Subject { dev, reporter });
    let handle = dev.map(DevHandle::to_handle);
    let view = |m: &AccelMessage| {
        DevHealthReporter::try_from(m)
            .map_err(|e| anyhow!("malformed health-reporter-get reply from the kernel: {e}"))
    };
    // The do request needs a reporter name; a DEV alone filters the dump.
    match reporter {
        Some(r) => {
            let req = HealthReporterGetDo {
                handle,
                name: Some(r.to_string()),
            };
            nl.fetch(req, subject, "read it", view)
        }
        None => {
            let req = HealthReporterGetDump { handle };
            nl.fetch(req, subject, "list health reporters", view)
        }
    }
    .map_err(|e| needs_family(e, COMMAND))
}

/// A do request without reply (set, recover, test, dump clear): success
/// prints nothing.
fn act<R: Request>(nl: &mut Nl, req: R, args: &impl Reporter, what: &str) -> Result<()> {
    let subject = Subject {
        dev: args.dev(),
        reporter: Some(args.reporter()),
    };
    nl.exchange(req, Some(subject), what)
        .map_err(|e| needs_family(e, COMMAND))?;
    Ok(())
}

/// Diagnose and dump-get exist as dumps only; their replies, split over
/// as many messages as the tree needs, assemble into one tree.
fn tree<R: Request>(nl: &mut Nl, req: R, args: &ReporterArgs, what: &str) -> Result<HealthFmsg> {
    let subject = Subject {
        dev: &args.dev,
        reporter: Some(&args.reporter),
    };
    let op = R::CMD.name().unwrap_or("health");
    let malformed = |e| anyhow!("malformed {op} reply from the kernel: {e}");
    let mut asm = FmsgAssembler::new();
    nl.fetch(req, Some(subject), what, |m| asm.push(m).map_err(malformed))
        .map_err(|e| needs_family(e, COMMAND))?;
    asm.finish().map_err(malformed)
}

/// The device and reporter a command names (`SetArgs`, `ReporterArgs`).
trait Reporter {
    fn dev(&self) -> &DevHandle;
    fn reporter(&self) -> &str;
}

impl Reporter for ReporterArgs {
    fn dev(&self) -> &DevHandle {
        &self.dev
    }
    fn reporter(&self) -> &str {
        &self.reporter
    }
}

impl Reporter for SetArgs {
    fn dev(&self) -> &DevHandle {
        &self.dev
    }
    fn reporter(&self) -> &str {
        &self.reporter
    }
}
