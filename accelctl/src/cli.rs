//! Argument grammar: `accelctl [OPTIONS] OBJECT COMMAND [ARGS]` (iproute2 style).
//!
//! Keywords are exact: clap's subcommand inference stays off, so `accelctl d s`
//! is a usage error, not a guess.

use clap::{Args, Parser, Subcommand};

use crate::handle::parse_handle;
use accel_netlink::DevHandle;

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

    /// Show statistics (reserved: accepted, no objects have statistics yet)
    #[arg(short = 's', long, global = true)]
    pub statistics: bool,
}

#[derive(Debug, Subcommand)]
pub enum Object {
    /// Accelerator devices
    #[command(subcommand_value_name = "COMMAND")]
    Dev {
        #[command(subcommand)]
        command: Option<DevCommand>,
    },
    /// Print device add/remove and info-change events as they happen, until interrupted
    Monitor,
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
