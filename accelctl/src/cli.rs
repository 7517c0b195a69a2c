//! Argument grammar: `accelctl [OPTIONS] OBJECT COMMAND [ARGS]` (iproute2 style).
//!
//! Keywords are exact: clap's subcommand inference stays off, so `accelctl d s`
//! is a usage error, not a guess.

mod health;

use std::ffi::OsString;

use clap::{Args, Parser, Subcommand};

use crate::handle::parse_handle;
use accel_netlink::DevHandle;

pub use health::{ReporterArgs, SetArgs, ShowArgs};

/// Manage compute accelerators (/dev/accel/accelN) through the kernel's
/// `accel` generic netlink family.
#[derive(Debug, Parser)]
#[command(name = "accelctl", version, propagate_version = true)]
#[command(subcommand_value_name = "OBJECT", subcommand_help_heading = "Objects")]
#[command(disable_help_subcommand = true)]
#[command(after_help = "DEV is accelN, N, /dev/accel/accelN or BUS/NAME (e.g. pci/0000:03:00.0).")]
pub struct Cli {
    #[command(flatten)]
    pub opts: GlobalOpts,

    #[command(subcommand)]
    pub object: Object,
}

/// Options valid before or after OBJECT (see [`take_global_opts`]).
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalOpts {
    /// Output JSON (see the JSON OUTPUT section of accelctl(8))
    #[arg(short = 'j', long)]
    pub json: bool,

    /// Pretty-print JSON output (implies nothing without -j)
    #[arg(short = 'p', long)]
    pub pretty: bool,

    /// Print netlink debugging (family id, groups, messages) on stderr
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Object {
    /// Accelerator devices
    #[command(subcommand_value_name = "COMMAND")]
    Dev {
        #[command(subcommand)]
        command: Option<DevCommand>,
    },
    /// Health reporters: state, error and recovery counters, diagnose and dump
    #[command(subcommand_value_name = "COMMAND")]
    Health {
        #[command(subcommand)]
        command: Option<HealthCommand>,
    },
    /// Print device add/remove, info-change and health events as they happen, until interrupted
    Monitor,
}

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

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// List all devices, or show the details of one device
    Show {
        /// Device: accelN, N, /dev/accel/accelN or BUS/NAME
        #[arg(value_name = "DEV", value_parser = parse_handle)]
        dev: Option<DevHandle>,
    },
    /// Show serial number and versions (fixed, running, stored) of all devices or one
    Info {
        /// Device: accelN, N, /dev/accel/accelN or BUS/NAME
        #[arg(value_name = "DEV", value_parser = parse_handle)]
        dev: Option<DevHandle>,
    },
}

/// Take -j/-p/-v (and --json/--pretty/--verbose, in any short cluster
/// such as `-jp`) out of the command line, wherever they are before `--`:
/// like iproute2's, they are valid before or after OBJECT. This is done
/// here rather than by clap's `global` arguments, whose propagation
/// through the subcommand tree cost over 40% of the instructions of
/// `accelctl -j dev show`. Returns the options and the other arguments.
pub fn take_global_opts(args: &[OsString]) -> (GlobalOpts, Vec<OsString>) {
    let mut opts = GlobalOpts::default();
    let mut rest = Vec::with_capacity(args.len());
    let mut args = args.iter();
    rest.extend(args.next().cloned()); // argv[0]
    while let Some(a) = args.next() {
        match a.to_str() {
            Some("--") => {
                rest.push(a.clone());
                rest.extend(args.by_ref().cloned());
            }
            Some("--json") => opts.json = true,
            Some("--pretty") => opts.pretty = true,
            Some("--verbose") => opts.verbose = true,
            Some(s) if s.len() > 1 && s.starts_with('-') && !s.starts_with("--") => {
                let mut left = String::from("-");
                for c in s[1..].chars() {
                    match c {
                        'j' => opts.json = true,
                        'p' => opts.pretty = true,
                        'v' => opts.verbose = true,
                        other => left.push(other),
                    }
                }
                // Other letters (or a number such as -1) stay for clap.
                if left.len() > 1 {
                    rest.push(left.into());
                }
            }
            _ => rest.push(a.clone()),
        }
    }
    (opts, rest)
}

/// Parse a command line (argv[0] first). The clap command tree and
/// matches are leaked, not dropped: freeing them cost as much as building
/// them, and the process ends soon after.
pub fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    let (opts, args) = take_global_opts(args);
    let cmd = Box::leak(Box::new(<Cli as clap::CommandFactory>::command()));
    let matches = Box::leak(Box::new(cmd.try_get_matches_from_mut(args)?));
    let mut cli = <Cli as clap::FromArgMatches>::from_arg_matches_mut(matches)?;
    cli.opts = opts;
    Ok(cli)
}

/// The grammar as users see it, for man pages and completions (xtask):
/// -j/-p/-v marked global, valid after OBJECT too, as
/// [`take_global_opts`] accepts them.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
        .mut_arg("json", |a| a.global(true))
        .mut_arg("pretty", |a| a.global(true))
        .mut_arg("verbose", |a| a.global(true))
}
