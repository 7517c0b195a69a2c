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
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

use crate::handle::parse_handle;

pub const REPORTER: &str = "reporter";
pub const GRACE_PERIOD: &str = "grace_period";
pub const AUTO_RECOVER: &str = "auto_recover";
pub const AUTO_DUMP: &str = "auto_dump";
/// The keywords of `health set`; the other forms take `reporter` only.
pub const SET_KEYWORDS: &[&str] = &[REPORTER, GRACE_PERIOD, AUTO_RECOVER, AUTO_DUMP];

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

fn dev_arg(required: bool) -> Arg {
    Arg::new("dev")
        .value_name("DEV")
        .help("Device: accelN, N, /dev/accel/accelN or BUS/NAME")
        .required(required)
        .value_parser(parse_handle)
}

/// The words after DEV. Negative numbers reach the checks (so that
/// `grace_period -1` is reported as a bad grace period, not as an unknown
/// option); other words starting with '-' stay options (`-j` at the end).
fn words_arg(value_name: &'static str, help: &'static str, required: bool) -> Arg {
    Arg::new("words")
        .value_name(value_name)
        .help(help)
        .required(required)
        .num_args(1..)
        .allow_negative_numbers(true)
        .action(ArgAction::Append)
}

/// Usage lines shown with the errors of each form. clap formats errors
/// of `FromArgMatches` with the top-level usage, which says nothing about
/// keywords; formatting them here first makes clap keep this one.
const SHOW_USAGE: &str = "accelctl health show [DEV [reporter NAME]]";
const REPORTER_USAGE: &str =
    "accelctl health {recover|diagnose|test|dump show|dump clear} DEV reporter NAME";
const SET_USAGE: &str = "accelctl health set DEV reporter NAME [grace_period MS] \
                         [auto_recover true|false] [auto_dump true|false]";

fn usage_error(form: &'static str) -> impl Fn(ErrorKind, String) -> clap::Error {
    move |kind, msg| {
        clap::Error::raw(kind, msg).format(&mut Command::new("accelctl").override_usage(form))
    }
}

/// The keyword–value pairs of `m`, each keyword one of `allowed`, once.
fn pairs<'a>(
    m: &'a ArgMatches,
    allowed: &[&'static str],
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<Vec<(&'static str, &'a str)>, clap::Error> {
    let words: Vec<&str> = m
        .get_many::<String>("words")
        .map(|w| w.map(String::as_str).collect())
        .unwrap_or_default();
    let mut out: Vec<(&'static str, &str)> = Vec::new();
    let mut it = words.into_iter();
    while let Some(word) = it.next() {
        let Some(&kw) = allowed.iter().find(|k| **k == word) else {
            return Err(usage(
                ErrorKind::UnknownArgument,
                format!(
                    "unexpected argument '{}'; expected {}",
                    word.escape_debug(),
                    expected(allowed)
                ),
            ));
        };
        let value = it.next().ok_or_else(|| {
            usage(
                ErrorKind::InvalidValue,
                format!("'{kw}' needs a value: {kw} {}", value_name(kw)),
            )
        })?;
        if out.iter().any(|(k, _)| *k == kw) {
            return Err(usage(
                ErrorKind::ArgumentConflict,
                format!("'{kw}' given more than once"),
            ));
        }
        out.push((kw, value));
    }
    Ok(out)
}

fn value_name(kw: &str) -> &'static str {
    match kw {
        REPORTER => "NAME",
        GRACE_PERIOD => "MS",
        _ => "true|false",
    }
}

fn expected(allowed: &[&'static str]) -> String {
    let forms: Vec<String> = allowed
        .iter()
        .map(|k| format!("'{k} {}'", value_name(k)))
        .collect();
    match forms.as_slice() {
        [one] => one.clone(),
        _ => format!("one of {}", forms.join(", ")),
    }
}

fn get<'a>(pairs: &[(&'static str, &'a str)], kw: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| *k == kw).map(|(_, v)| *v)
}

fn reporter_name(
    pairs: &[(&'static str, &str)],
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<Option<String>, clap::Error> {
    // The kernel's limit, NUL included (the spec's reporter-name-len).
    let max = usize::try_from(accel_netlink::ACCEL_REPORTER_NAME_LEN - 1).unwrap_or(usize::MAX);
    match get(pairs, REPORTER) {
        Some("") => Err(usage(
            ErrorKind::InvalidValue,
            "invalid value '' for 'reporter': the name is empty".into(),
        )),
        Some(name) if name.len() > max => Err(usage(
            ErrorKind::InvalidValue,
            format!(
                "invalid value for 'reporter': the name is {} bytes long, at most {max} are allowed",
                name.len()
            ),
        )),
        other => Ok(other.map(String::from)),
    }
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

fn dev_of(m: &ArgMatches) -> Option<DevHandle> {
    m.get_one::<DevHandle>("dev").cloned()
}

fn required_dev(
    m: &ArgMatches,
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<DevHandle, clap::Error> {
    // clap enforces `required`; this only guards a definition mistake.
    dev_of(m).ok_or_else(|| usage(ErrorKind::MissingRequiredArgument, "DEV is required".into()))
}

impl FromArgMatches for ShowArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let usage = usage_error(SHOW_USAGE);
        let pairs = pairs(m, &[REPORTER], &usage)?;
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
        let pairs = pairs(m, &[REPORTER], &usage)?;
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
        let pairs = pairs(m, SET_KEYWORDS, &usage)?;
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
