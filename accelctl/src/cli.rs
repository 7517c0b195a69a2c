//! Argument grammar: `accelctl [OPTIONS] OBJECT COMMAND [ARGS]` (iproute2 style).
//!
//! Keywords are exact: clap's subcommand inference stays off, so `accelctl d s`
//! is a usage error, not a guess.

mod health;

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

/// Options valid before or after OBJECT.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalOpts {
    /// Output JSON (see the JSON OUTPUT section of accelctl(8))
    #[arg(short = 'j', long, global = true)]
    pub json: bool,

    /// Pretty-print JSON output (implies nothing without -j)
    #[arg(short = 'p', long, global = true)]
    pub pretty: bool,

    /// Print netlink debugging (family id, groups, messages) on stderr
    #[arg(short = 'v', long, global = true)]
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

/// The clap command, for man pages and completions (xtask).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
