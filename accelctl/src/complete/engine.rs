//! What to offer at the cursor, from the clap definitions: objects and
//! commands, options (once the word starts with '-'), and the positional
//! values: DEV and the keyword–value pairs of `health`, `dev param`,
//! `dev reload`, `dev flash` and `dev selftest run`.
//!
//! The grammar is small enough to walk directly: options are flags (none
//! takes a value), commands are exact names, and each command has at most
//! a DEV and then the keyword words.

use clap::{Arg, Command};

use super::values::{keyword_want, Want};
use crate::objects::health::{REPORTER, SET_KEYWORDS};
use crate::objects::{flash, param, reload, selftest};

const PARAM_SHOW: &[&str] = &[param::NAME.0];
const PARAM_SET: &[&str] = &[param::NAME.0, param::VALUE.0, param::CMODE.0];
const RELOAD: &[&str] = &[reload::ACTION.0, reload::LIMIT.0];
const FLASH: &[&str] = &[flash::FILE.0, flash::COMPONENT.0, flash::OVERWRITE.0];
const SELFTEST_RUN: &[&str] = &[selftest::ID.0];

/// One candidate: the word, and a one-line description (zsh and fish show
/// it; empty for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: String,
}

impl Candidate {
    pub fn new(value: impl Into<String>, help: impl Into<String>) -> Self {
        Candidate {
            value: value.into(),
            help: help.into(),
        }
    }
}

/// Where the live values come from (sysfs and netlink, or a test's fakes).
pub trait Sources {
    /// DEV candidates starting with `current`.
    fn devices(&self, current: &str) -> Vec<Candidate>;
    /// The reporters of the device the user wrote as `dev`.
    fn reporters(&self, dev: &str) -> Vec<Candidate>;
    /// The parameters of the device the user wrote as `dev`.
    fn params(&self, dev: &str) -> Vec<Candidate>;
    /// The firmware components of the device (its stored versions).
    fn components(&self, dev: &str) -> Vec<Candidate>;
    /// The self-tests of the device (id, with the name as help).
    fn selftests(&self, dev: &str) -> Vec<Candidate>;
}

/// The candidates for `words[index]` (`words[0]` is the program name),
/// in the order to show them.
pub fn complete(
    root: &Command,
    words: &[String],
    index: usize,
    sources: &dyn Sources,
) -> Vec<Candidate> {
    // A shell's index past the words means the cursor is after the last.
    let index = index.min(words.len());
    let current = words.get(index).map_or("", String::as_str);
    let prior = words.get(1..index).unwrap_or_default();
    let mut cmd = root;
    let mut path: Vec<&str> = Vec::new();
    let mut positionals: Vec<&str> = Vec::new();
    for w in prior {
        if is_option(w) {
            continue;
        }
        match cmd.find_subcommand(w) {
            Some(sub) if positionals.is_empty() => {
                cmd = sub;
                path.push(sub.get_name());
            }
            _ => positionals.push(w),
        }
    }
    if current.starts_with('-') && !is_negative_number(current) {
        return options(root, cmd, current);
    }
    let mut found = Vec::new();
    if positionals.is_empty() {
        found.extend(
            cmd.get_subcommands()
                .filter(|s| !s.is_hide_set() && s.get_name().starts_with(current))
                .map(|s| Candidate::new(s.get_name(), about(s))),
        );
    }
    let values = match positional(cmd, positionals.len()).map(|a| a.get_id().as_str()) {
        Some("dev") => sources.devices(current),
        Some("words") => words_values(&path, &positionals, sources),
        _ => Vec::new(),
    };
    found.extend(values.into_iter().filter(|c| c.value.starts_with(current)));
    found
}

/// The n-th positional of `cmd`; the keyword words take all from theirs on.
fn positional(cmd: &Command, n: usize) -> Option<&Arg> {
    let all: Vec<&Arg> = cmd.get_positionals().collect();
    all.get(n)
        .or_else(|| all.last().filter(|a| a.get_id() == "words"))
        .copied()
}

/// The keywords of the command at `path` (`["dev", "param", "set"]`).
fn keywords_of(path: &[&str]) -> &'static [&'static str] {
    match path {
        ["health", "set"] => SET_KEYWORDS,
        ["health", ..] => &[REPORTER],
        ["dev", "param", "show"] => PARAM_SHOW,
        ["dev", "param", "set"] => PARAM_SET,
        ["dev", "reload"] => RELOAD,
        ["dev", "flash"] => FLASH,
        ["dev", "selftest", "run"] => SELFTEST_RUN,
        _ => &[],
    }
}

/// After DEV: a keyword not given yet, or the value of the keyword before.
fn words_values(path: &[&str], positionals: &[&str], sources: &dyn Sources) -> Vec<Candidate> {
    match keyword_want(positionals, keywords_of(path)) {
        Some(Want::Keyword(left)) => left.into_iter().map(|k| Candidate::new(k, "")).collect(),
        Some(Want::Bool) => vec![Candidate::new("true", ""), Candidate::new("false", "")],
        Some(Want::Words(words)) => words.into_iter().map(|w| Candidate::new(w, "")).collect(),
        Some(Want::Reporter(dev)) => sources.reporters(dev),
        Some(Want::Param(dev)) => sources.params(dev),
        Some(Want::Component(dev)) => sources.components(dev),
        Some(Want::Selftest(dev)) => sources.selftests(dev),
        Some(Want::Nothing) | None => Vec::new(),
    }
}

/// `-x` and `--long` forms of the options valid for `cmd`: its own, the
/// global ones (defined on the root) and --help/--version, which clap adds
/// to every command when it builds the tree.
fn options(root: &Command, cmd: &Command, current: &str) -> Vec<Candidate> {
    let mut args: Vec<&Arg> = cmd.get_arguments().collect();
    if !std::ptr::eq(cmd, root) {
        args.extend(root.get_arguments().filter(|a| a.is_global_set()));
    }
    let mut found = Vec::new();
    for a in args
        .into_iter()
        .filter(|a| !a.is_positional() && !a.is_hide_set())
    {
        let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        if let Some(s) = a.get_short() {
            found.push(Candidate::new(format!("-{s}"), help.clone()));
        }
        if let Some(l) = a.get_long() {
            found.push(Candidate::new(format!("--{l}"), help));
        }
    }
    if !cmd.is_disable_help_flag_set() {
        found.push(Candidate::new("-h", "Print help"));
        found.push(Candidate::new("--help", "Print help"));
    }
    if root.get_version().is_some() {
        found.push(Candidate::new("-V", "Print version"));
        found.push(Candidate::new("--version", "Print version"));
    }
    found.retain(|c| c.value.starts_with(current));
    found
}

fn about(cmd: &Command) -> String {
    cmd.get_about().map(|a| a.to_string()).unwrap_or_default()
}

/// Flags: options take no values in this grammar. A negative number is a
/// value (`grace_period -1`, refused later by the parser).
fn is_option(w: &str) -> bool {
    w.starts_with('-') && !is_negative_number(w)
}

fn is_negative_number(w: &str) -> bool {
    w.strip_prefix('-')
        .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two devices; reporters of accel1 only.
    struct Fake;

    impl Sources for Fake {
        fn devices(&self, current: &str) -> Vec<Candidate> {
            [
                "accel0",
                "pci/0000:03:00.0",
                "accel1",
                "accel_sim/accel_sim1",
            ]
            .into_iter()
            .filter(|v| v.starts_with(current))
            .map(|v| Candidate::new(v, ""))
            .collect()
        }
        fn reporters(&self, dev: &str) -> Vec<Candidate> {
            match dev {
                "accel1" | "accel_sim/accel_sim1" => {
                    vec![
                        Candidate::new("empty", "healthy"),
                        Candidate::new("dummy", "error"),
                    ]
                }
                _ => Vec::new(),
            }
        }
        fn params(&self, dev: &str) -> Vec<Candidate> {
            match dev {
                "accel1" => vec![
                    Candidate::new("job_timeout_ms", "generic u32"),
                    Candidate::new("accel_sim.test_bool", "driver-specific bool"),
                ],
                _ => Vec::new(),
            }
        }
        fn components(&self, dev: &str) -> Vec<Candidate> {
            match dev {
                "accel1" => vec![
                    Candidate::new("fw", "stored 1.0"),
                    Candidate::new("fw.mgmt", "stored 2.0"),
                ],
                _ => Vec::new(),
            }
        }
        fn selftests(&self, dev: &str) -> Vec<Candidate> {
            match dev {
                "accel1" => vec![Candidate::new("1", "memory"), Candidate::new("2", "link")],
                _ => Vec::new(),
            }
        }
    }

    #[test]
    fn flash_and_selftest_keywords() {
        assert_eq!(
            at_end("accelctl dev "),
            ["show", "info", "param", "reload", "flash", "selftest"]
        );
        assert_eq!(
            at_end("accelctl dev flash accel1 "),
            ["file", "component", "overwrite"]
        );
        assert!(at_end("accelctl dev flash accel1 file ").is_empty());
        assert_eq!(
            at_end("accelctl dev flash accel1 component "),
            ["fw", "fw.mgmt"]
        );
        assert_eq!(
            at_end("accelctl dev flash accel1 overwrite "),
            ["settings", "identifiers"]
        );
        // overwrite may repeat; file and component may not.
        assert_eq!(
            at_end("accelctl dev flash accel1 file x overwrite settings "),
            ["component", "overwrite"]
        );
        assert_eq!(at_end("accelctl dev selftest "), ["show", "run"]);
        assert_eq!(at_end("accelctl dev selftest run accel1 "), ["id"]);
        assert_eq!(at_end("accelctl dev selftest run accel1 id "), ["1", "2"]);
        assert_eq!(at_end("accelctl dev selftest run accel1 id 1 "), ["id"]);
        assert_eq!(
            at_end("accelctl dev selftest show "),
            [
                "accel0",
                "pci/0000:03:00.0",
                "accel1",
                "accel_sim/accel_sim1"
            ]
        );
    }

    #[test]
    fn param_and_reload_keywords() {
        assert_eq!(at_end("accelctl dev param "), ["show", "set"]);
        assert_eq!(at_end("accelctl dev param show accel1 "), ["name"]);
        assert_eq!(
            at_end("accelctl dev param show accel1 name "),
            ["job_timeout_ms", "accel_sim.test_bool"]
        );
        assert_eq!(
            at_end("accelctl dev param set accel1 name a"),
            ["accel_sim.test_bool"]
        );
        assert_eq!(
            at_end("accelctl dev param set accel1 name job_timeout_ms "),
            ["value", "cmode"]
        );
        assert!(at_end("accelctl dev param set accel1 name x value ").is_empty());
        assert_eq!(
            at_end("accelctl dev param set accel1 cmode "),
            ["runtime", "driverinit", "permanent"]
        );
        assert_eq!(at_end("accelctl dev reload accel1 "), ["action", "limit"]);
        assert_eq!(
            at_end("accelctl dev reload accel1 action "),
            ["driver_reinit", "fw_activate"]
        );
        assert_eq!(
            at_end("accelctl dev reload accel1 action fw_activate limit "),
            ["no_reset"]
        );
        assert_eq!(
            at_end("accelctl dev reload "),
            [
                "accel0",
                "pci/0000:03:00.0",
                "accel1",
                "accel_sim/accel_sim1"
            ]
        );
    }

    /// The values offered for the last word of `line`.
    fn at_end(line: &str) -> Vec<String> {
        let words: Vec<String> = line.split(' ').map(String::from).collect();
        let found = complete(&crate::cli::command(), &words, words.len() - 1, &Fake);
        found.into_iter().map(|c| c.value).collect()
    }

    #[test]
    fn objects_and_commands() {
        assert_eq!(at_end("accelctl "), ["dev", "health", "monitor"]);
        assert_eq!(at_end("accelctl -j d"), ["dev"]);
        assert_eq!(
            at_end("accelctl health "),
            ["show", "set", "recover", "diagnose", "test", "dump", "check"]
        );
        assert_eq!(at_end("accelctl health dump "), ["show", "clear"]);
        assert!(at_end("accelctl monitor ").is_empty());
        assert!(at_end("accelctl bogus ").is_empty());
    }

    #[test]
    fn dev_positions() {
        let all = [
            "accel0",
            "pci/0000:03:00.0",
            "accel1",
            "accel_sim/accel_sim1",
        ];
        for line in [
            "accelctl dev show ",
            "accelctl -p dev info ",
            "accelctl health show ",
            "accelctl health check ",
            "accelctl health set ",
            "accelctl health dump clear ",
        ] {
            assert_eq!(at_end(line), all, "{line}");
        }
        assert_eq!(at_end("accelctl dev show pci/"), ["pci/0000:03:00.0"]);
        // One DEV only.
        assert!(at_end("accelctl dev show accel0 ").is_empty());
        // The device is not a command: `health show show`.
        assert!(at_end("accelctl health show accel0 reporter empty ").is_empty());
    }

    #[test]
    fn keywords_and_reporters() {
        assert_eq!(at_end("accelctl health show accel1 "), ["reporter"]);
        assert_eq!(
            at_end("accelctl health show accel1 reporter "),
            ["empty", "dummy"]
        );
        assert_eq!(
            at_end("accelctl health test accel_sim/accel_sim1 -j reporter d"),
            ["dummy"]
        );
        assert!(at_end("accelctl health show accel0 reporter ").is_empty());
        assert_eq!(
            at_end("accelctl health set accel1 reporter dummy "),
            ["grace_period", "auto_recover", "auto_dump"]
        );
        assert_eq!(
            at_end("accelctl health set accel1 auto_dump "),
            ["true", "false"]
        );
        assert!(at_end("accelctl health set accel1 grace_period ").is_empty());
        assert_eq!(
            at_end("accelctl health set accel1 grace_period -1 reporter "),
            ["empty", "dummy"]
        );
    }

    #[test]
    fn options_once_the_word_starts_with_a_dash() {
        assert_eq!(
            at_end("accelctl dev show -"),
            [
                "-j",
                "--json",
                "-p",
                "--pretty",
                "-v",
                "--verbose",
                "-s",
                "--statistics",
                "-h",
                "--help",
                "-V",
                "--version"
            ]
        );
        assert_eq!(at_end("accelctl health show accel1 --p"), ["--pretty"]);
        assert_eq!(at_end("accelctl --v"), ["--verbose", "--version"]);
        // Never among values.
        assert!(!at_end("accelctl dev show ")
            .iter()
            .any(|v| v.starts_with('-')));
    }

    #[test]
    fn cursor_in_the_middle() {
        let words: Vec<String> = ["accelctl", "dev", "s", "accel0"].map(String::from).into();
        let found = complete(&crate::cli::command(), &words, 2, &Fake);
        assert_eq!(
            found,
            [
                Candidate::new(
                    "show",
                    "List all devices, or show the details of one device"
                ),
                Candidate::new("selftest", "Self-tests of devices: list them, run them"),
            ]
        );
        // Past the end: an empty current word.
        assert_eq!(
            complete(&crate::cli::command(), &words[..2], 2, &Fake).len(),
            6
        );
    }
}
