//! Argument grammar: `accelctl [OPTIONS] OBJECT COMMAND [ARGS]` (iproute2
//! style): the options and the registry of objects; each object's keywords
//! are in its module (`objects/`).
//!
//! Keywords are exact: clap's subcommand inference stays off, so `accelctl d s`
//! is a usage error, not a guess.

use std::ffi::OsString;

use clap::{Args, Parser};

use crate::objects;

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

    /// Show statistics (dev show: reload counts per action and limit)
    #[arg(short = 's', long)]
    pub statistics: bool,
}

crate::objects::registry! {
    /// The top-level objects: one line each.
    pub enum Object {
        Dev(objects::Dev),
        Health(objects::health::Health),
        Monitor(objects::monitor::Monitor),
    }
}

/// Take -j/-p/-v/-s (and --json/--pretty/--verbose/--statistics, in any
/// short cluster such as `-jp`) out of the command line, wherever they are before `--`:
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
            Some("--statistics") => opts.statistics = true,
            // A cluster of option letters only: a value such as -5j or
            // -jx is clap's to judge, whole.
            Some(s)
                if s.len() > 1
                    && s.starts_with('-')
                    && s[1..].chars().all(|c| "jpvshV".contains(c)) =>
            {
                let mut left = String::from("-");
                for c in s[1..].chars() {
                    match c {
                        'j' => opts.json = true,
                        'p' => opts.pretty = true,
                        'v' => opts.verbose = true,
                        's' => opts.statistics = true,
                        other => left.push(other),
                    }
                }
                // -h and -V stay for clap.
                if left.len() > 1 {
                    rest.push(left.into());
                }
            }
            _ => rest.push(a.clone()),
        }
    }
    (opts, rest)
}

/// Parse a command line (`argv[0]` first). The clap command tree and
/// matches are leaked, not dropped: freeing them cost as much as building
/// them, and the process ends soon after.
pub fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    let (opts, args) = take_global_opts(args);
    let cmd = Box::leak(Box::new(<Cli as clap::CommandFactory>::command()));
    let matches = match cmd.try_get_matches_from_mut(&args) {
        Ok(m) => Box::leak(Box::new(m)),
        // Help from the grammar users see, which lists -j/-p/-v on every
        // command (rare: the cost of building it again is fine here).
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => {
            return Err(command().try_get_matches_from(args).err().unwrap_or(e))
        }
        Err(e) => return Err(e),
    };
    let mut cli = <Cli as clap::FromArgMatches>::from_arg_matches_mut(matches)?;
    cli.opts = opts;
    Ok(cli)
}

/// The grammar as users see it, for man pages and completions (xtask):
/// -j/-p/-v/-s marked global, valid after OBJECT too, as
/// [`take_global_opts`] accepts them.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
        .mut_arg("json", |a| a.global(true))
        .mut_arg("pretty", |a| a.global(true))
        .mut_arg("verbose", |a| a.global(true))
        .mut_arg("statistics", |a| a.global(true))
}
