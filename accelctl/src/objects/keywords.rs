//! devlink-style keyword–value words after DEV (`name job_timeout_ms value
//! 5 cmode runtime`, `reporter fw grace_period 500`) for the commands that
//! take them by hand (`dev param`, `dev reload`, `dev flash`, `dev selftest`, `health`): clap collects
//! the words, [`pairs`] checks them. Errors
//! are clap errors, hence usage errors (exit status 2, JSON error document
//! with -j), formatted with the command's own usage line.

use accel_netlink::DevHandle;
use clap::error::ErrorKind;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::handle::parse_handle;

/// A keyword and the name of its value in messages (`name` `NAME`).
pub type Keyword = (&'static str, &'static str);

/// The DEV positional.
pub fn dev_arg(required: bool) -> Arg {
    Arg::new("dev")
        .value_name("DEV")
        .help("Device: accelN, N, /dev/accel/accelN or BUS/NAME")
        .required(required)
        .value_parser(parse_handle)
}

/// The words after DEV. Negative numbers reach the checks (so that `value
/// -1` is reported as a bad value, not an unknown option).
pub fn words_arg(value_name: &'static str, help: &'static str, required: bool) -> Arg {
    Arg::new("words")
        .value_name(value_name)
        .help(help)
        .required(required)
        .num_args(1..)
        .allow_negative_numbers(true)
        .action(ArgAction::Append)
}

/// A usage error of the form with usage line `form`.
pub fn usage_error(form: &'static str) -> impl Fn(ErrorKind, String) -> clap::Error {
    move |kind, msg| {
        clap::Error::raw(kind, msg).format(&mut Command::new("accelctl").override_usage(form))
    }
}

pub fn dev_of(m: &ArgMatches) -> Option<DevHandle> {
    m.get_one::<DevHandle>("dev").cloned()
}

/// DEV of a form that requires it (clap enforces it; this guards a
/// definition mistake).
pub fn required_dev(
    m: &ArgMatches,
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<DevHandle, clap::Error> {
    dev_of(m).ok_or_else(|| usage(ErrorKind::MissingRequiredArgument, "DEV is required".into()))
}

/// The keyword–value pairs of `m`, each keyword one of `allowed`, once.
pub fn pairs<'a>(
    m: &'a ArgMatches,
    allowed: &[Keyword],
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<Vec<(&'static str, &'a str)>, clap::Error> {
    pairs_repeating(m, allowed, &[], usage)
}

/// [`pairs`], where the keywords in `repeating` may be given more than
/// once (`overwrite settings overwrite identifiers`, `id 1 id 3`).
pub fn pairs_repeating<'a>(
    m: &'a ArgMatches,
    allowed: &[Keyword],
    repeating: &[&str],
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<Vec<(&'static str, &'a str)>, clap::Error> {
    let words: Vec<&str> = m
        .get_many::<String>("words")
        .map(|w| w.map(String::as_str).collect())
        .unwrap_or_default();
    let mut out: Vec<(&'static str, &str)> = Vec::new();
    let mut it = words.into_iter();
    while let Some(word) = it.next() {
        let Some(&(kw, value_name)) = allowed.iter().find(|(k, _)| *k == word) else {
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
                format!("'{kw}' needs a value: {kw} {value_name}"),
            )
        })?;
        if !repeating.contains(&kw) && out.iter().any(|(k, _)| *k == kw) {
            return Err(usage(
                ErrorKind::ArgumentConflict,
                format!("'{kw}' given more than once"),
            ));
        }
        out.push((kw, value));
    }
    Ok(out)
}

fn expected(allowed: &[Keyword]) -> String {
    let forms: Vec<String> = allowed.iter().map(|(k, v)| format!("'{k} {v}'")).collect();
    match forms.as_slice() {
        [one] => one.clone(),
        _ => format!("one of {}", forms.join(", ")),
    }
}

pub fn get<'a>(pairs: &[(&'static str, &'a str)], kw: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| *k == kw).map(|(_, v)| *v)
}

/// Every value of a repeating keyword, in order.
pub fn get_all<'a>(pairs: &[(&'static str, &'a str)], kw: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| *k == kw)
        .map(|(_, v)| *v)
        .collect()
}

/// The value of a keyword the form requires.
pub fn required<'a>(
    pairs: &[(&'static str, &'a str)],
    kw: Keyword,
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<&'a str, clap::Error> {
    get(pairs, kw.0).ok_or_else(|| {
        usage(
            ErrorKind::MissingRequiredArgument,
            format!("'{}' is required: {} {}", kw.0, kw.0, kw.1),
        )
    })
}

/// One of `words` (an enum's entries as accelctl spells them).
pub fn one_of<T: Copy>(
    kw: &str,
    v: &str,
    words: &[(&'static str, T)],
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<T, clap::Error> {
    match words.iter().find(|(w, _)| *w == v) {
        Some((_, t)) => Ok(*t),
        None => {
            let names: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
            Err(usage(
                ErrorKind::InvalidValue,
                format!(
                    "invalid value '{}' for '{kw}': expected {}",
                    v.escape_debug(),
                    names.join(", ")
                ),
            ))
        }
    }
}

/// A name of at most `max` bytes, not empty.
pub fn name(
    kw: &str,
    v: &str,
    max: u32,
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<String, clap::Error> {
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    if v.is_empty() {
        return Err(usage(
            ErrorKind::InvalidValue,
            format!("invalid value '' for '{kw}': the name is empty"),
        ));
    }
    if v.len() > max {
        return Err(usage(
            ErrorKind::InvalidValue,
            format!(
                "invalid value for '{kw}': the name is {} bytes long, at most {max} are allowed",
                v.len()
            ),
        ));
    }
    Ok(v.to_string())
}
