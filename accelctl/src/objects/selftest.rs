//! The selftest object: `accelctl dev selftest show [DEV]` (the tests a
//! device offers), `accelctl dev selftest run DEV [id ID]...` (run them,
//! a result per test; exit status 1 if one failed), and the
//! selftest-status events of `accelctl monitor`.
//!
//! A run is followed on the progress group like a flash (`progress.rs`):
//! on a terminal, a line names the test that runs.

use std::fmt::Write as _;

use accel_netlink::{
    selftests_run_request, AccelMessage, DevHandle, DevIdent, SelftestResult, SelftestTest,
    Selftests, SelftestsGetDump,
};
use anyhow::{anyhow, Result};
use clap::error::ErrorKind;
use clap::{ArgMatches, Args, Command, FromArgMatches, Subcommand};
use serde::Serialize;

use super::flash::same_device;
use super::keywords::{self, Keyword};
use super::progress::{follow, Outcome, EXIT_INTERRUPTED};
use super::{Cx, ManProse, Run};
use crate::extack::KernelError;
use crate::output::json_int::JsonU64;
use crate::output::{printable, DocVersion, IdentJson, Output};
use crate::query::{needs_family, Nl};
use crate::{emit, Sink, EXIT_ERROR, EXIT_OK};

const COMMAND: &str = "accelctl dev selftest";
pub const ID: Keyword = ("id", "ID");
/// The keywords of `dev selftest run`.
pub const RUN_KEYWORDS: &[Keyword] = &[ID];

const SHOW_USAGE: &str = "accelctl dev selftest show [DEV]";
const RUN_USAGE: &str = "accelctl dev selftest run DEV [id ID]...";

/// Self-tests of devices: list them, run them
#[derive(Debug, Args)]
#[command(subcommand_value_name = "COMMAND")]
pub struct Selftest {
    #[command(subcommand)]
    pub command: Option<SelftestCommand>,
}

#[derive(Debug, Subcommand)]
pub enum SelftestCommand {
    /// List the self-tests of all devices or of DEV: id and name
    #[command(override_usage = SHOW_USAGE)]
    Show(ShowArgs),
    /// Run the self-tests of DEV, all or those given by id, and show a result per test (exit status 1 if one failed)
    #[command(override_usage = RUN_USAGE)]
    Run(RunArgs),
}

/// accelctl-dev(8) prose of the selftest object.
pub const MAN: ManProse = ManProse {
    sections: include_str!("selftest.roff"),
    notes: "",
    examples: include_str!("selftest.examples.roff"),
};

/// `dev selftest show [DEV]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Args)]
pub struct ShowArgs {
    #[arg(value_name = "DEV", value_parser = crate::handle::parse_handle, help = "Device: accelN, N, /dev/accel/accelN or BUS/NAME")]
    pub dev: Option<DevHandle>,
}

/// `dev selftest run DEV [id ID]...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunArgs {
    pub dev: DevHandle,
    /// The tests to run, in order; empty: all.
    pub ids: Vec<u32>,
}

impl FromArgMatches for RunArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let usage = keywords::usage_error(RUN_USAGE);
        let pairs = keywords::pairs_repeating(m, RUN_KEYWORDS, &[ID.0], &usage)?;
        let mut ids = Vec::new();
        for v in keywords::get_all(&pairs, ID.0) {
            let id = v.parse::<u32>().map_err(|_| {
                usage(
                    ErrorKind::InvalidValue,
                    format!(
                        "invalid value '{}' for 'id': expected a test id (a number; \
                         'accelctl dev selftest show DEV' lists them)",
                        v.escape_debug()
                    ),
                )
            })?;
            ids.push(id);
        }
        Ok(RunArgs {
            dev: keywords::required_dev(m, &usage)?,
            ids,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for RunArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(keywords::dev_arg(true)).arg(keywords::words_arg(
            "id ID",
            "The tests to run, by id ('dev selftest show DEV' lists them), one 'id ID' \
             each (they run in the device's order); all the tests of the device without any",
            false,
        ))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl Run for Selftest {
    fn run(&self, cx: &mut Cx) -> Result<u8> {
        match &self.command {
            None => show(&cx.out, &mut cx.nl, None),
            Some(SelftestCommand::Show(a)) => show(&cx.out, &mut cx.nl, a.dev.as_ref()),
            Some(SelftestCommand::Run(a)) => run(cx, a),
        }
    }
}

/// The self-tests of every device, or of `dev` (filtered dump).
pub fn selftests(nl: &mut Nl, dev: Option<&DevHandle>) -> Result<Vec<Selftests>> {
    let view = |m: &AccelMessage| {
        Selftests::try_from(m)
            .map_err(|e| anyhow!("malformed selftests-get reply from the kernel: {e}"))
    };
    let req = SelftestsGetDump {
        handle: dev.map(DevHandle::to_handle),
    };
    nl.fetch_raw(req, view).map_err(|e| {
        let e = needs_family(e, COMMAND);
        match dev {
            Some(d) => subject_error(e, d, "cannot list self-tests"),
            None => e.context("cannot list self-tests"),
        }
    })
}

fn show(out: &Output, nl: &mut Nl, dev: Option<&DevHandle>) -> Result<u8> {
    emit(&out.selftest_show(&selftests(nl, dev)?))?;
    Ok(EXIT_OK)
}

fn run(cx: &mut Cx, a: &RunArgs) -> Result<u8> {
    let tty = !cx.out.json && is_tty();
    let mut running = Running::default();
    let dev = a.dev.clone();
    let req = selftests_run_request(&a.dev, &a.ids);
    // EPIPE stops the output, not the run: the exit status is its result
    // (see `Sink`).
    let mut out = Sink::stdout();
    let outcome = follow(&mut cx.nl, req, |m: &AccelMessage| {
        if !tty || m.cmd != accel_netlink::AccelCmd::SelftestStatusNtf {
            return Ok(());
        }
        if let Ok(st) = Selftests::try_from(m) {
            if same_device(&dev, &st.dev) {
                out.emit(&running.status(&st))?;
            }
        }
        Ok(())
    })
    .map_err(|e| needs_family(e, COMMAND))?;
    out.emit(&running.finish())?;
    match outcome {
        Outcome::Interrupted => {
            eprintln!(
                "accelctl: interrupted: the self-tests of {} stop: the running one ends as skipped",
                a.dev
            );
            Ok(EXIT_INTERRUPTED)
        }
        Outcome::Done(res) => {
            let replies = res.map_err(|e| subject_error(e, &a.dev, "cannot run self-tests"))?;
            let reply = replies
                .iter()
                .find(|m| m.cmd == accel_netlink::AccelCmd::SelftestsRun)
                .ok_or_else(|| {
                    anyhow!("device {}: the kernel sent no selftests-run reply", a.dev)
                })?;
            let results = Selftests::try_from(reply)
                .map_err(|e| anyhow!("malformed selftests-run reply from the kernel: {e}"))?;
            out.emit(&cx.out.selftest_run(&results))?;
            Ok(if any_failed(&results) {
                EXIT_ERROR
            } else {
                EXIT_OK
            })
        }
    }
}

/// Whether a test of a run failed (a skip is not a failure; a result
/// this accelctl does not know is).
pub fn any_failed(r: &Selftests) -> bool {
    r.tests.iter().any(|t| {
        !matches!(
            t.result,
            Some(SelftestResult::Pass) | Some(SelftestResult::Skip)
        )
    })
}

fn is_tty() -> bool {
    // SAFETY: isatty on our stdout, no memory involved.
    unsafe { libc::isatty(libc::STDOUT_FILENO) == 1 }
}

/// Name the device, and say what to do about the common errors.
fn subject_error(e: anyhow::Error, dev: &DevHandle, what: &str) -> anyhow::Error {
    let hint = match e.downcast_ref::<KernelError>().map(|k| k.errno) {
        Some(libc::ENODEV) | Some(libc::ENOENT) => {
            "; run 'accelctl dev show' to list devices".to_string()
        }
        Some(libc::EPERM) | Some(libc::EACCES) => "; this needs CAP_NET_ADMIN".into(),
        Some(libc::EINVAL) => {
            format!("; 'accelctl dev selftest show {dev}' lists the tests of the device")
        }
        _ => String::new(),
    };
    let e = e.context(format!("device {dev}: {what}"));
    anyhow!("{e:#}{hint}")
}

/// The line naming the running test on a terminal.
#[derive(Debug, Default)]
pub struct Running {
    open: bool,
}

impl Running {
    /// `\r` + `accel0: running memory (1)` [+ ` 3/10`], redrawn.
    pub fn status(&mut self, st: &Selftests) -> String {
        let Some(t) = st.tests.first() else {
            return String::new();
        };
        if t.result.is_some() {
            return self.finish();
        }
        let mut s = format!(
            "\r\x1b[K{}: running {} ({})",
            printable(&st.dev.name),
            printable(&t.name),
            t.id
        );
        if let (Some(d), Some(total)) = (t.done, t.total) {
            let _ = write!(s, " {d}/{total}");
        }
        self.open = true;
        s
    }

    /// Clear the running line.
    pub fn finish(&mut self) -> String {
        if std::mem::take(&mut self.open) {
            "\r\x1b[K".into()
        } else {
            String::new()
        }
    }
}

// Rendering.

/// `accelctl -j dev selftest show [DEV]`: the tests of each device.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SelftestShowDoc {
    pub version: DocVersion,
    pub devices: Vec<SelftestDevJson>,
}

/// A device and the self-tests it offers (none if its driver has none).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SelftestDevJson {
    #[serde(flatten)]
    pub ident: IdentJson,
    pub tests: Vec<SelftestJson>,
}

/// A self-test: its id (stable across boots) and name.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SelftestJson {
    pub id: u32,
    pub name: String,
}

/// `accelctl -j dev selftest run DEV ...`: a result per test, in run
/// order; the exit status is 1 if one failed.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SelftestRunDoc {
    pub version: DocVersion,
    pub dev: IdentJson,
    /// No test failed (skipped ones do not count).
    pub ok: bool,
    pub results: Vec<SelftestResultJson>,
}

/// The result of one test.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SelftestResultJson {
    pub id: u32,
    pub name: String,
    /// pass, fail or skip ("unknown" for a result this accelctl does not
    /// know, counted as a failure).
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::output::schema::SelftestResultName")
    )]
    pub result: String,
    /// What the driver says about a fail or skip, if anything.
    pub message: Option<String>,
}

/// The `event` member of a selftest-status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SelftestEventKind {
    #[serde(rename = "selftest-status")]
    SelftestStatus,
}

/// A selftest-status line of `accelctl -j monitor`: a test started
/// (result, done and total null), progressed (done, total) or ended
/// (result).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SelftestEventDoc {
    pub version: DocVersion,
    pub event: SelftestEventKind,
    pub dev: IdentJson,
    pub id: u32,
    pub name: String,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::output::schema::SelftestResultName>")
    )]
    pub result: Option<String>,
    pub message: Option<String>,
    pub done: Option<JsonU64>,
    pub total: Option<JsonU64>,
}

fn result_word(r: Option<SelftestResult>) -> String {
    r.map_or_else(|| "unknown".into(), |r| r.as_str().to_string())
}

impl From<&SelftestTest> for SelftestResultJson {
    fn from(t: &SelftestTest) -> Self {
        SelftestResultJson {
            id: t.id,
            name: t.name.clone(),
            result: result_word(t.result),
            message: t.result_msg.clone(),
        }
    }
}

impl Output {
    /// `dev selftest show`: per device, one line per test.
    pub fn selftest_show(&self, devs: &[Selftests]) -> String {
        if self.json {
            return self.json(&SelftestShowDoc {
                version: DocVersion,
                devices: devs
                    .iter()
                    .map(|d| SelftestDevJson {
                        ident: IdentJson::new(&d.dev),
                        tests: d
                            .tests
                            .iter()
                            .map(|t| SelftestJson {
                                id: t.id,
                                name: t.name.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            });
        }
        let mut s = String::new();
        for d in devs {
            let _ = writeln!(s, "{}", dev_header(&d.dev));
            if d.tests.is_empty() {
                let _ = writeln!(s, "  no self-tests");
            }
            for t in &d.tests {
                let _ = writeln!(s, "  id {} name {}", t.id, printable(&t.name));
            }
        }
        s
    }

    /// `dev selftest run`: `accel0: memory (1): pass`, one line per test,
    /// with the driver's message after a fail or skip.
    pub fn selftest_run(&self, r: &Selftests) -> String {
        if self.json {
            return self.json(&SelftestRunDoc {
                version: DocVersion,
                dev: IdentJson::new(&r.dev),
                ok: !any_failed(r),
                results: r.tests.iter().map(SelftestResultJson::from).collect(),
            });
        }
        let mut s = String::new();
        for t in &r.tests {
            let _ = write!(
                s,
                "{}: {} ({}): {}",
                printable(&r.dev.name),
                printable(&t.name),
                t.id,
                result_word(t.result)
            );
            if let Some(m) = &t.result_msg {
                let _ = write!(s, ": {}", printable(m));
            }
            s.push('\n');
        }
        if r.tests.is_empty() {
            let _ = writeln!(s, "{}: no self-tests ran", printable(&r.dev.name));
        }
        s
    }

    /// One monitor event: a text line or a JSON line.
    pub fn selftest_event(&self, st: &Selftests) -> String {
        let mut out = String::new();
        for t in &st.tests {
            if self.json {
                out.push_str(&self.one_line().json(&SelftestEventDoc {
                    version: DocVersion,
                    event: SelftestEventKind::SelftestStatus,
                    dev: IdentJson::new(&st.dev),
                    id: t.id,
                    name: t.name.clone(),
                    result: t.result.map(|r| r.as_str().to_string()),
                    message: t.result_msg.clone(),
                    done: t.done.map(JsonU64),
                    total: t.total.map(JsonU64),
                }));
                continue;
            }
            let state = match (t.result, t.done, t.total) {
                (Some(r), _, _) => {
                    let mut s = r.as_str().to_string();
                    if let Some(m) = &t.result_msg {
                        let _ = write!(s, ": {}", printable(m));
                    }
                    s
                }
                (None, Some(d), Some(total)) => format!("running {d}/{total}"),
                _ => "running".into(),
            };
            let _ = writeln!(
                out,
                "[selftest,status] {} test {} {} {state}",
                dev_header(&st.dev),
                t.id,
                printable(&t.name)
            );
        }
        out
    }
}

/// `accel0: accel_sim/accel_sim0`, as the other objects start.
fn dev_header(d: &DevIdent) -> String {
    format!("{}: {}", printable(&d.name), printable(&d.handle()))
}
