//! The health object: `accelctl health show|set|recover|diagnose|test|
//! dump show|dump clear|check`.

use accel_netlink::{
    AccelCmd, AccelMessage, DevHandle, DevHealthReporter, FmsgAssembler, HealthFmsg,
};
use anyhow::{anyhow, bail, Result};

use crate::cli::{DumpCommand, HealthCommand, ReporterArgs, SetArgs, ShowArgs};
use crate::output::Output;
use crate::query::{exchange, needs_family, Mode, Subject};
use crate::{emit, is_broken_pipe, EXIT_OK, EXIT_UNHEALTHY};

const COMMAND: &str = "accelctl health";

/// Run one `accelctl health` command (`show` when none is given); the
/// exit status is [`EXIT_UNHEALTHY`] when `check` finds a reporter in error.
pub fn run(out: &Output, verbose: bool, command: Option<&HealthCommand>) -> Result<u8> {
    let all = ShowArgs::default();
    match command.unwrap_or(&HealthCommand::Show(all)) {
        HealthCommand::Show(a) => show(out, verbose, a.dev.as_ref(), a.reporter.as_deref()),
        HealthCommand::Set(a) => set(verbose, a),
        HealthCommand::Recover(a) => recover(verbose, a),
        HealthCommand::Diagnose(a) => diagnose(out, verbose, a),
        HealthCommand::Test(a) => test(verbose, a),
        HealthCommand::Dump {
            command: DumpCommand::Show(a),
        } => dump_show(out, verbose, a),
        HealthCommand::Dump {
            command: DumpCommand::Clear(a),
        } => dump_clear(verbose, a),
        HealthCommand::Check { dev } => {
            let healthy = check(out, verbose, dev.as_ref())?;
            return Ok(if healthy { EXIT_OK } else { EXIT_UNHEALTHY });
        }
    }?;
    Ok(EXIT_OK)
}

/// Without DEV: every reporter of every device (dump). With DEV: its
/// reporters (filtered dump). With DEV and a reporter: that one (do).
pub fn show(
    out: &Output,
    verbose: bool,
    dev: Option<&DevHandle>,
    reporter: Option<&str>,
) -> Result<()> {
    emit(&out.health_show(&reporters(verbose, dev, reporter)?))
}

/// Print the unhealthy reporters; `Ok(false)` if there is one.
///
/// The verdict is the exit status, so it is reached before printing and
/// stands when stdout is a closed pipe (`accelctl health check | head -0`
/// still exits 3); other output errors are errors.
pub fn check(out: &Output, verbose: bool, dev: Option<&DevHandle>) -> Result<bool> {
    let all = reporters(verbose, dev, None)?;
    // No reporter is fine, no device at all is not: from another network
    // namespace the family shows nothing, and a probe must not pass then.
    if all.is_empty() && dev.is_none() && crate::dev::netlink_devices(verbose, None)?.is_empty() {
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

pub fn set(verbose: bool, args: &SetArgs) -> Result<()> {
    let request = AccelMessage::health_reporter_set(&args.dev, &args.reporter, &args.params);
    act(
        verbose,
        request,
        &args.dev,
        &args.reporter,
        "set its parameters",
    )
}

pub fn recover(verbose: bool, args: &ReporterArgs) -> Result<()> {
    simple(verbose, args, AccelCmd::HealthReporterRecover, "recover")
}

pub fn test(verbose: bool, args: &ReporterArgs) -> Result<()> {
    simple(verbose, args, AccelCmd::HealthReporterTest, "test")
}

pub fn dump_clear(verbose: bool, args: &ReporterArgs) -> Result<()> {
    simple(
        verbose,
        args,
        AccelCmd::HealthReporterDumpClear,
        "clear its dump",
    )
}

pub fn diagnose(out: &Output, verbose: bool, args: &ReporterArgs) -> Result<()> {
    let fmsg = tree(verbose, args, AccelCmd::HealthReporterDiagnose, "diagnose")?;
    emit(&out.health_diagnose(&fmsg))
}

pub fn dump_show(out: &Output, verbose: bool, args: &ReporterArgs) -> Result<()> {
    let fmsg = tree(
        verbose,
        args,
        AccelCmd::HealthReporterDumpGet,
        "get its dump",
    )?;
    emit(&out.health_dump(&fmsg))
}

fn reporters(
    verbose: bool,
    dev: Option<&DevHandle>,
    reporter: Option<&str>,
) -> Result<Vec<DevHealthReporter>> {
    let request = AccelMessage::health_reporter_get(dev, reporter);
    // The do request needs a reporter name; a DEV alone filters the dump.
    let mode = if reporter.is_some() {
        Mode::Do
    } else {
        Mode::Dump
    };
    let subject = dev.map(|dev| Subject { dev, reporter });
    let what = match reporter {
        Some(_) => "read it",
        None => "list health reporters",
    };
    let replies =
        exchange(verbose, request, mode, subject, what).map_err(|e| needs_family(e, COMMAND))?;
    replies
        .iter()
        .filter(|m| m.cmd == AccelCmd::HealthReporterGet)
        .map(|m| {
            DevHealthReporter::try_from(m)
                .map_err(|e| anyhow!("malformed health-reporter-get reply from the kernel: {e}"))
        })
        .collect()
}

/// A do request without reply (set, recover, test, dump clear): success
/// prints nothing.
fn act(
    verbose: bool,
    request: AccelMessage,
    dev: &DevHandle,
    reporter: &str,
    what: &str,
) -> Result<()> {
    let subject = Subject {
        dev,
        reporter: Some(reporter),
    };
    exchange(verbose, request, Mode::Do, Some(subject), what)
        .map_err(|e| needs_family(e, COMMAND))?;
    Ok(())
}

fn simple(verbose: bool, args: &ReporterArgs, cmd: AccelCmd, what: &str) -> Result<()> {
    let request = AccelMessage::health_reporter(cmd, &args.dev, &args.reporter);
    act(verbose, request, &args.dev, &args.reporter, what)
}

/// Diagnose and dump-get exist as dumps only; their replies, split over
/// as many messages as the tree needs, assemble into one tree.
fn tree(verbose: bool, args: &ReporterArgs, cmd: AccelCmd, what: &str) -> Result<HealthFmsg> {
    let request = AccelMessage::health_reporter(cmd, &args.dev, &args.reporter);
    let subject = Subject {
        dev: &args.dev,
        reporter: Some(&args.reporter),
    };
    let replies = exchange(verbose, request, Mode::Dump, Some(subject), what)
        .map_err(|e| needs_family(e, COMMAND))?;
    let op = match cmd {
        AccelCmd::HealthReporterDiagnose => "health-reporter-diagnose",
        _ => "health-reporter-dump-get",
    };
    let malformed = |e| anyhow!("malformed {op} reply from the kernel: {e}");
    let mut asm = FmsgAssembler::new();
    for m in replies.iter().filter(|m| m.cmd == cmd) {
        asm.push(m).map_err(malformed)?;
    }
    asm.finish().map_err(malformed)
}
