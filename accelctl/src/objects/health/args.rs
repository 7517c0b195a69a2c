//! Arguments of `accelctl health`: a DEV, then devlink-style keyword–value
//! pairs (`reporter fw grace_period 500`) in any order.
//!
//! clap has no notion of keyword–value pairs, so these structs implement
//! `Args`/`FromArgMatches` by hand: clap collects the words, and the
//! checks below turn them into typed fields. Their errors are clap errors,
//! hence usage errors (exit status 2, JSON error document with -j), and
//! each names the keyword at fault. Keywords are exact, like subcommands.

use accel_netlink::{
    DevHandle, HealthReporterParams,
    ACCEL_A_HEALTH_REPORTER_GRACE_PERIOD_MAX as GRACE_PERIOD_MAX_MS,
};
use clap::error::ErrorKind;
use clap::{ArgMatches, Args, Command, FromArgMatches};

use crate::objects::keywords::{
    self, dev_arg, dev_of, get, pairs, required_dev, usage_error, words_arg, Keyword,
};

pub const REPORTER: &str = "reporter";
pub const GRACE_PERIOD: &str = "grace_period";
pub const AUTO_RECOVER: &str = "auto_recover";
pub const AUTO_DUMP: &str = "auto_dump";
/// The keywords of `health set`; the other forms take `reporter` only.
pub const SET_KEYWORDS: &[&str] = &[REPORTER, GRACE_PERIOD, AUTO_RECOVER, AUTO_DUMP];
/// The same with the names of their values, for messages.
const SET_KW: &[Keyword] = &[
    (REPORTER, "NAME"),
    (GRACE_PERIOD, "MS"),
    (AUTO_RECOVER, "true|false"),
    (AUTO_DUMP, "true|false"),
];
const REPORTER_KW: &[Keyword] = &[(REPORTER, "NAME")];

/// `health show [DEV [reporter NAME]]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShowArgs {
    pub dev: Option<DevHandle>,
    pub reporter: Option<String>,
}

/// `DEV reporter NAME`: recover, diagnose, test, dump show, dump clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReporterArgs {
    pub dev: DevHandle,
    pub reporter: String,
}

/// `health set DEV reporter NAME [grace_period MS] [auto_recover true|false]
/// [auto_dump true|false]`, at least one of the three.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetArgs {
    pub dev: DevHandle,
    pub reporter: String,
    pub params: HealthReporterParams,
}

/// Usage lines shown with the errors of each form. clap formats errors
/// of `FromArgMatches` with the top-level usage, which says nothing about
/// keywords; formatting them here first makes clap keep this one.
const SHOW_USAGE: &str = "accelctl health show [DEV [reporter NAME]]";
const REPORTER_USAGE: &str =
    "accelctl health {recover|diagnose|test|dump show|dump clear} DEV reporter NAME";
const SET_USAGE: &str = "accelctl health set DEV reporter NAME [grace_period MS] \
                         [auto_recover true|false] [auto_dump true|false]";

fn reporter_name(
    pairs: &[(&'static str, &str)],
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<Option<String>, clap::Error> {
    // The kernel's limit, NUL included (the spec's reporter-name-len).
    let max = accel_netlink::ACCEL_REPORTER_NAME_LEN - 1;
    get(pairs, REPORTER)
        .map(|v| keywords::name(REPORTER, v, max, usage))
        .transpose()
}

fn required_reporter(
    pairs: &[(&'static str, &str)],
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<String, clap::Error> {
    reporter_name(pairs, usage)?.ok_or_else(|| {
        usage(
            ErrorKind::MissingRequiredArgument,
            "the reporter is required: reporter NAME".into(),
        )
    })
}

fn bool_value(kw: &str, v: &str) -> Result<bool, clap::Error> {
    let usage = usage_error(SET_USAGE);
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(usage(
            ErrorKind::InvalidValue,
            format!(
                "invalid value '{}' for '{kw}': expected true or false",
                v.escape_debug()
            ),
        )),
    }
}

/// Milliseconds: decimal digits only (no sign, no unit), at most `max`.
fn millis(kw: &str, v: &str, max: u64) -> Result<u64, clap::Error> {
    let usage = usage_error(SET_USAGE);
    let bad = |why: &str| {
        usage(
            ErrorKind::InvalidValue,
            format!("invalid value '{}' for '{kw}': {why}", v.escape_debug()),
        )
    };
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("expected milliseconds as a decimal number"));
    }
    let out_of_range = || bad(&format!("out of range: at most {max} milliseconds"));
    match v.parse::<u64>() {
        Ok(ms) if ms <= max => Ok(ms),
        _ => Err(out_of_range()),
    }
}

impl FromArgMatches for ShowArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let usage = usage_error(SHOW_USAGE);
        let pairs = pairs(m, REPORTER_KW, &usage)?;
        Ok(ShowArgs {
            dev: dev_of(m),
            reporter: reporter_name(&pairs, &usage)?,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for ShowArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(dev_arg(false)).arg(
            words_arg(
                "reporter NAME",
                "Show only this reporter of DEV: reporter NAME",
                false,
            )
            .requires("dev"),
        )
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for ReporterArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let usage = usage_error(REPORTER_USAGE);
        let pairs = pairs(m, REPORTER_KW, &usage)?;
        Ok(ReporterArgs {
            dev: required_dev(m, &usage)?,
            reporter: required_reporter(&pairs, &usage)?,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for ReporterArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(dev_arg(true)).arg(words_arg(
            "reporter NAME",
            "The reporter: reporter NAME",
            true,
        ))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for SetArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let usage = usage_error(SET_USAGE);
        let pairs = pairs(m, SET_KW, &usage)?;
        let params = HealthReporterParams {
            grace_period_ms: get(&pairs, GRACE_PERIOD)
                .map(|v| millis(GRACE_PERIOD, v, GRACE_PERIOD_MAX_MS))
                .transpose()?,
            auto_recover: get(&pairs, AUTO_RECOVER)
                .map(|v| bool_value(AUTO_RECOVER, v))
                .transpose()?,
            auto_dump: get(&pairs, AUTO_DUMP)
                .map(|v| bool_value(AUTO_DUMP, v))
                .transpose()?,
        };
        let reporter = required_reporter(&pairs, &usage)?;
        if params.is_empty() {
            return Err(usage(
                ErrorKind::MissingRequiredArgument,
                "nothing to set: give grace_period MS, auto_recover true|false or \
                 auto_dump true|false"
                    .into(),
            ));
        }
        Ok(SetArgs {
            dev: required_dev(m, &usage)?,
            reporter,
            params,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for SetArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(dev_arg(true)).arg(words_arg(
            "reporter NAME [KEYWORD VALUE]",
            "The reporter and what to set: reporter NAME, then any of grace_period MS \
             (milliseconds, at most 86400000: a day), auto_recover true|false, auto_dump true|false",
            true,
        ))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}
