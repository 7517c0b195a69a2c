//! The flash object: `accelctl dev flash DEV file NAME [component C]
//! [overwrite settings|identifiers]...`, which writes a firmware image to
//! a device and follows the flash on the progress group as it runs (see
//! `progress.rs`), and the flash events of `accelctl monitor`.
//!
//! Output: on a terminal one redrawn progress line per step (component,
//! message, a bar and percent when the step's size is known, rate,
//! elapsed time and the driver's timeout); without one, plain lines (one
//! per step, at most one more per 10 % of it); with -j, JSON Lines: one
//! object per event, then a result object. [`Progress`] renders them from
//! the events and a clock it is given, so that it is tested on the host.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use accel_netlink::{
    flash_update_request, overwrite_bit, overwrite_names, AccelMessage, DevHandle, DevIdent,
    FlashBegin, FlashEnd, FlashEvent, FlashStatus, ACCEL_FLASH_FILE_NAME_LEN,
    FLASH_OVERWRITE_NAMES,
};
use anyhow::Result;
use clap::{ArgMatches, Args, Command, FromArgMatches};
use serde::Serialize;

use super::keywords::{self, Keyword};
use super::progress::{follow, Outcome, EXIT_INTERRUPTED};
use super::{Cx, ManProse, Run};
use crate::extack::{strerror, KernelError};
use crate::output::json_int::JsonU64;
use crate::output::{printable, DocVersion, IdentJson, Output};
use crate::query::needs_family;
use crate::{Sink, EXIT_ERROR, EXIT_OK};

pub const FILE: Keyword = ("file", "NAME");
pub const COMPONENT: Keyword = ("component", "COMPONENT");
pub const OVERWRITE: Keyword = ("overwrite", "settings|identifiers");
/// The keywords of `dev flash`.
pub const KEYWORDS: &[Keyword] = &[FILE, COMPONENT, OVERWRITE];
/// The spec's max-len of the component attribute.
pub const COMPONENT_MAX_LEN: u32 = 64;

const USAGE: &str =
    "accelctl dev flash DEV file NAME [component COMPONENT] [overwrite settings|identifiers]...";

/// The overwrite flags as `overwrite` takes them.
pub fn overwrite_words() -> Vec<&'static str> {
    FLASH_OVERWRITE_NAMES.iter().map(|(_, n)| *n).collect()
}

/// `dev flash DEV file NAME [component C] [overwrite W]...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub dev: DevHandle,
    pub file: String,
    pub component: Option<String>,
    /// Bits of the overwrite flags; 0 for none.
    pub overwrite: u32,
}

/// accelctl-dev(8) prose of the flash object.
pub const MAN: ManProse = ManProse {
    sections: include_str!("flash.roff"),
    notes: "",
    examples: include_str!("flash.examples.roff"),
};

impl FromArgMatches for Flash {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let usage = keywords::usage_error(USAGE);
        let pairs = keywords::pairs_repeating(m, KEYWORDS, &[OVERWRITE.0], &usage)?;
        let file = keywords::required(&pairs, FILE, &usage)?;
        let mut overwrite = 0;
        for w in keywords::get_all(&pairs, OVERWRITE.0) {
            let words: Vec<(&str, u32)> = FLASH_OVERWRITE_NAMES
                .iter()
                .filter_map(|(_, n)| Some((*n, overwrite_bit(n)?)))
                .collect();
            overwrite |= keywords::one_of(OVERWRITE.0, w, &words, &usage)?;
        }
        Ok(Flash {
            dev: keywords::required_dev(m, &usage)?,
            file: keywords::name(FILE.0, file, ACCEL_FLASH_FILE_NAME_LEN, &usage)?,
            component: keywords::get(&pairs, COMPONENT.0)
                .map(|c| keywords::name(COMPONENT.0, c, COMPONENT_MAX_LEN, &usage))
                .transpose()?,
            overwrite,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for Flash {
    fn augment_args(cmd: Command) -> Command {
        cmd.override_usage(USAGE)
            .about(
                "Write a firmware image to a device, following its progress; the new firmware \
                 runs after 'dev reload DEV action fw_activate'",
            )
            .arg(keywords::dev_arg(true))
            .arg(keywords::words_arg(
                "file NAME component COMPONENT overwrite WHAT",
                "The image: file NAME, a file in the kernel's firmware search path \
                 (/lib/firmware, or the directory in \
                 /sys/module/firmware_class/parameters/path); component COMPONENT to flash \
                 only that component (a name of the device's stored versions, see 'dev \
                 info'); overwrite settings and/or overwrite identifiers to let the image \
                 replace the settings or identifiers stored on the device (kept by default)",
                false,
            ))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// Whether a notification's device is the one the user named.
pub fn same_device(h: &DevHandle, d: &DevIdent) -> bool {
    match h {
        DevHandle::Index(i) => d.index == *i,
        DevHandle::BusDev { bus, dev } => d.bus_name == *bus && d.dev_name == *dev,
    }
}

fn is_tty() -> bool {
    // SAFETY: isatty on our stdout, no memory involved.
    unsafe { libc::isatty(libc::STDOUT_FILENO) == 1 }
}

impl Run for Flash {
    fn run(&self, cx: &mut Cx) -> Result<u8> {
        let start = Instant::now();
        let mut progress = Progress::new(cx.out, is_tty());
        // EPIPE stops the output, not the flash: the exit status is its
        // result (see `Sink`).
        let mut out = Sink::stdout();
        let req = flash_update_request(
            &self.dev,
            &self.file,
            self.component.as_deref(),
            self.overwrite,
        );
        let dev = self.dev.clone();
        let outcome = follow(&mut cx.nl, req, |m: &AccelMessage| {
            let Ok(ev) = FlashEvent::try_from(m) else {
                return Ok(()); // not a flash event, or one we cannot read
            };
            if same_device(&dev, ev.dev()) {
                out.emit(&progress.event(&ev, start.elapsed()))?;
            }
            Ok(())
        })
        .map_err(|e| needs_family(e, "accelctl dev flash"))?;
        out.emit(&progress.finish())?;
        match outcome {
            Outcome::Interrupted => {
                eprintln!(
                    "accelctl: interrupted: the flash of {} continues in the kernel; \
                     'accelctl monitor' follows it, 'accelctl dev info {}' shows the stored \
                     version once it ended",
                    self.dev, self.dev
                );
                Ok(EXIT_INTERRUPTED)
            }
            Outcome::Done(Ok(_)) => {
                out.emit(&progress.result(&self.dev, None))?;
                Ok(EXIT_OK)
            }
            Outcome::Done(Err(e)) => {
                let msg = flash_error(&e, &self.dev);
                eprintln!("accelctl: {msg}");
                out.emit(&progress.result(&self.dev, Some((&e, &msg))))?;
                Ok(EXIT_ERROR)
            }
        }
    }
}

/// The error line of a failed flash: the device, the kernel's error and
/// extack (escaped), and what to do about the common ones.
pub fn flash_error(e: &anyhow::Error, dev: &DevHandle) -> String {
    let errno = e.downcast_ref::<KernelError>().map(|k| k.errno);
    let hint = match errno {
        Some(libc::ENODEV) => "; run 'accelctl dev show' to list devices".to_string(),
        Some(libc::ENOENT) => "; the file is looked up in the kernel's firmware search path \
             (/lib/firmware, or the directory in /sys/module/firmware_class/parameters/path)"
            .into(),
        Some(libc::EPERM) | Some(libc::EACCES) => "; this needs CAP_NET_ADMIN".into(),
        Some(libc::EBUSY) => "; 'accelctl monitor' follows what keeps the device busy".into(),
        _ => String::new(),
    };
    let text = printable(&format!("{e:#}")).into_owned();
    format!("device {dev}: cannot flash: {text}{hint}")
}

// Rendering.

/// The `event` member of a flash-begin line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FlashBeginKind {
    #[serde(rename = "flash-begin")]
    FlashBegin,
}

/// The `event` member of a flash-status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FlashStatusKind {
    #[serde(rename = "flash-status")]
    FlashStatus,
}

/// The `event` member of a flash-end line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FlashEndKind {
    #[serde(rename = "flash-end")]
    FlashEnd,
}

/// The `event` member of the result line of `dev flash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FlashResultKind {
    #[serde(rename = "flash-result")]
    FlashResult,
}

/// A flash began (a line of `accelctl -j dev flash` and of `accelctl -j
/// monitor`).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FlashBeginDoc {
    pub version: DocVersion,
    pub event: FlashBeginKind,
    pub dev: IdentJson,
    /// The image file, as requested.
    pub file_name: Option<String>,
    /// The component requested; null: those the image holds.
    pub component: Option<String>,
    /// What the image may overwrite: settings, identifiers (a flag this
    /// accelctl does not know as its bit value, e.g. 0x4).
    pub overwrite: Vec<String>,
}

/// Progress of a flash: a new step or more of it done (a line of
/// `accelctl -j dev flash` and of `accelctl -j monitor`).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FlashStatusDoc {
    pub version: DocVersion,
    pub event: FlashStatusKind,
    pub dev: IdentJson,
    /// The component worked on, if the driver says.
    pub component: Option<String>,
    /// What the driver is doing (e.g. Erasing, Writing, Verifying).
    pub status_msg: Option<String>,
    /// Amount of the step done (the driver's unit, bytes for an image).
    pub done: Option<JsonU64>,
    /// Amount of the step in all; null when its size is not known.
    pub total: Option<JsonU64>,
    /// Seconds within which the driver expects the step to end; null if
    /// it does not say.
    pub timeout: Option<JsonU64>,
}

/// A flash ended (a line of `accelctl -j dev flash` and of `accelctl -j
/// monitor`).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FlashEndDoc {
    pub version: DocVersion,
    pub event: FlashEndKind,
    pub dev: IdentJson,
    pub file_name: Option<String>,
    pub component: Option<String>,
    /// 0 on success, else the positive errno of the flash.
    pub error: u32,
    /// The driver's message about a failure, if any.
    pub error_msg: Option<String>,
}

/// The last line of `accelctl -j dev flash`: whether the flash succeeded
/// (the exit status says the same). Not printed after Ctrl-C (the flash
/// goes on in the kernel; `accelctl -j monitor` shows its end).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FlashResultDoc {
    pub version: DocVersion,
    pub event: FlashResultKind,
    /// The device; null if the flash did not begin (no begin event named
    /// it).
    pub dev: Option<IdentJson>,
    pub ok: bool,
    /// The errno of a failure; null on success.
    pub errno: Option<u32>,
    /// What accelctl says about a failure (as on stderr); null on success.
    pub message: Option<String>,
    /// The kernel's (driver's) message about a failure, if any.
    pub kernel_message: Option<String>,
}

impl From<&FlashBegin> for FlashBeginDoc {
    fn from(b: &FlashBegin) -> Self {
        FlashBeginDoc {
            version: DocVersion,
            event: FlashBeginKind::FlashBegin,
            dev: IdentJson::new(&b.dev),
            file_name: b.file_name.clone(),
            component: b.component.clone(),
            overwrite: overwrite_names(b.overwrite),
        }
    }
}

impl From<&FlashStatus> for FlashStatusDoc {
    fn from(s: &FlashStatus) -> Self {
        FlashStatusDoc {
            version: DocVersion,
            event: FlashStatusKind::FlashStatus,
            dev: IdentJson::new(&s.dev),
            component: s.component.clone(),
            status_msg: s.status_msg.clone(),
            done: s.done.map(JsonU64),
            total: s.total.map(JsonU64),
            timeout: s.timeout.map(JsonU64),
        }
    }
}

impl From<&FlashEnd> for FlashEndDoc {
    fn from(e: &FlashEnd) -> Self {
        FlashEndDoc {
            version: DocVersion,
            event: FlashEndKind::FlashEnd,
            dev: IdentJson::new(&e.dev),
            file_name: e.file_name.clone(),
            component: e.component.clone(),
            error: e.error,
            error_msg: e.error_msg.clone(),
        }
    }
}

impl Output {
    /// A flash event as a JSON line.
    pub fn flash_event_json(&self, ev: &FlashEvent) -> String {
        let out = self.one_line();
        match ev {
            FlashEvent::Begin(b) => out.json(&FlashBeginDoc::from(b)),
            FlashEvent::Status(s) => out.json(&FlashStatusDoc::from(s)),
            FlashEvent::End(e) => out.json(&FlashEndDoc::from(e)),
        }
    }

    /// One monitor event: a text line or a JSON line.
    pub fn flash_event(&self, ev: &FlashEvent) -> String {
        if self.json {
            return self.flash_event_json(ev);
        }
        let d = ev.dev();
        let mut s = format!("{}: {}", printable(&d.name), printable(&d.handle()));
        let opt = |s: &mut String, k: &str, v: &Option<String>| {
            if let Some(v) = v {
                let _ = write!(s, " {k} {}", printable(v));
            }
        };
        let kind = match ev {
            FlashEvent::Begin(b) => {
                opt(&mut s, "file", &b.file_name);
                opt(&mut s, "component", &b.component);
                for w in overwrite_names(b.overwrite) {
                    let _ = write!(s, " overwrite {w}");
                }
                "begin"
            }
            FlashEvent::Status(st) => {
                opt(&mut s, "component", &st.component);
                opt(&mut s, "msg", &st.status_msg);
                match (st.done, st.total) {
                    (Some(d), Some(t)) => {
                        let _ = write!(s, " {d}/{t}");
                    }
                    (Some(d), None) => {
                        let _ = write!(s, " {d}");
                    }
                    _ => {}
                }
                if let Some(t) = st.timeout {
                    let _ = write!(s, " timeout {t}s");
                }
                "status"
            }
            FlashEvent::End(e) => {
                opt(&mut s, "file", &e.file_name);
                opt(&mut s, "component", &e.component);
                if e.error == 0 {
                    s.push_str(" ok");
                } else {
                    let errno = i32::try_from(e.error).unwrap_or(i32::MAX);
                    let _ = write!(s, " error {}", strerror(errno));
                    if let Some(m) = &e.error_msg {
                        let _ = write!(s, ": {}", printable(m));
                    }
                }
                "end"
            }
        };
        format!("[flash,{kind}] {s}\n")
    }
}

/// The current step of a flash: what is worked on, since when, and how
/// much of it was shown.
#[derive(Debug, Clone)]
struct Step {
    component: Option<String>,
    msg: Option<String>,
    /// When its first event came, and how much was done then.
    start: Duration,
    first_done: u64,
    /// The last 10 % bucket printed (plain lines).
    bucket: Option<u64>,
}

/// Renders the events of one flash for `dev flash`: text on a terminal
/// (a redrawn line), plain lines, or JSON lines. `now` is the time since
/// the command started (a test passes its own).
#[derive(Debug)]
pub struct Progress {
    out: Output,
    tty: bool,
    /// When the flash began (its begin event).
    begun: Option<Duration>,
    /// The begin event, to name the device in the result.
    dev: Option<DevIdent>,
    ended: bool,
    step: Option<Step>,
    /// A progress line is drawn without its newline (terminal).
    open: bool,
}

/// Width of the bar on a terminal, in characters.
const BAR: usize = 20;

impl Progress {
    pub fn new(out: Output, tty: bool) -> Self {
        Progress {
            out,
            tty,
            begun: None,
            dev: None,
            ended: false,
            step: None,
            open: false,
        }
    }

    /// What to print for `ev` (maybe nothing). Status and end events
    /// count only after the begin of this flash: events of a flash that
    /// was running before (a refused second flash) are not shown.
    pub fn event(&mut self, ev: &FlashEvent, now: Duration) -> String {
        match ev {
            FlashEvent::Begin(b) => {
                if self.begun.is_some() {
                    return String::new();
                }
                self.begun = Some(now);
                self.dev = Some(b.dev.clone());
                if self.out.json {
                    return self.out.flash_event_json(ev);
                }
                let mut s = format!("{}: flashing", printable(&b.dev.name));
                if let Some(f) = &b.file_name {
                    let _ = write!(s, " {}", printable(f));
                }
                if let Some(c) = &b.component {
                    let _ = write!(s, " component {}", printable(c));
                }
                for w in overwrite_names(b.overwrite) {
                    let _ = write!(s, " overwrite {w}");
                }
                s.push('\n');
                s
            }
            FlashEvent::Status(st) if self.begun.is_some() && !self.ended => {
                if self.out.json {
                    return self.out.flash_event_json(ev);
                }
                self.status(st, now)
            }
            FlashEvent::End(_) if self.begun.is_some() && !self.ended => {
                self.ended = true;
                if self.out.json {
                    return self.out.flash_event_json(ev);
                }
                self.close()
            }
            _ => String::new(),
        }
    }

    /// The newline that ends an open progress line.
    fn close(&mut self) -> String {
        if std::mem::take(&mut self.open) {
            "\n".into()
        } else {
            String::new()
        }
    }

    /// Whatever must be printed before other output (the newline of an
    /// open progress line).
    pub fn finish(&mut self) -> String {
        self.close()
    }

    fn status(&mut self, st: &FlashStatus, now: Duration) -> String {
        let done = st.done.unwrap_or(0);
        let new_step = match &self.step {
            Some(s) => s.component != st.component || s.msg != st.status_msg,
            None => true,
        };
        let mut out = String::new();
        if new_step {
            out.push_str(&self.close());
            self.step = Some(Step {
                component: st.component.clone(),
                msg: st.status_msg.clone(),
                start: now,
                first_done: done,
                bucket: None,
            });
        }
        let Some(step) = self.step.as_mut() else {
            return out;
        };
        let pct = match st.total {
            Some(t) if t > 0 => Some((done.min(t) as f64) * 100.0 / (t as f64)),
            _ => None,
        };
        let step_time = now.saturating_sub(step.start);
        let rate = (done > step.first_done && step_time > Duration::ZERO)
            .then(|| (done - step.first_done) as f64 / step_time.as_secs_f64());
        let elapsed = now.saturating_sub(self.begun.unwrap_or(now));
        let name = self.dev.as_ref().map_or("", |d| d.name.as_str());
        let line = progress_line(name, st, pct, rate, elapsed, step_time, self.tty);
        if self.tty {
            out.push_str("\r\x1b[K");
            out.push_str(&line);
            self.open = true;
            return out;
        }
        // Plain: the first line of a step, then one per 10 % reached.
        let bucket = pct.map(|p| (p / 10.0).floor() as u64);
        let show = new_step || matches!((bucket, step.bucket), (Some(b), Some(last)) if b > last);
        if show {
            if bucket.is_some() {
                step.bucket = bucket;
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// The final line: a hint how to activate on success (text), the
    /// result object (JSON), nothing in text on failure (the error goes to
    /// stderr). `failure`: the error and accelctl's message about it.
    pub fn result(&self, dev: &DevHandle, failure: Option<(&anyhow::Error, &str)>) -> String {
        if self.out.json {
            let kernel = failure.and_then(|(e, _)| e.downcast_ref::<KernelError>());
            return self.out.one_line().json(&FlashResultDoc {
                version: DocVersion,
                event: FlashResultKind::FlashResult,
                dev: self.dev.as_ref().map(IdentJson::new),
                ok: failure.is_none(),
                errno: failure.map(|_| kernel.map_or(0, |k| k.errno.unsigned_abs())),
                message: failure.map(|(_, m)| m.to_string()),
                kernel_message: kernel.and_then(|k| k.ext.msg.clone()),
            });
        }
        if failure.is_some() {
            return String::new();
        }
        format!(
            "{dev}: flash done: the new firmware is stored; activate it with \
             'accelctl dev reload {dev} action fw_activate'\n"
        )
    }
}

/// `accel0: fw: Writing [========>           ] 42% 1.5 MiB/s elapsed
/// 0:03 timeout 0:01/0:30`; the bar only on a terminal.
fn progress_line(
    dev: &str,
    st: &FlashStatus,
    pct: Option<f64>,
    rate: Option<f64>,
    elapsed: Duration,
    step_time: Duration,
    bar: bool,
) -> String {
    let mut s = format!("{}:", printable(dev));
    if let Some(c) = &st.component {
        let _ = write!(s, " {}:", printable(c));
    }
    if let Some(m) = &st.status_msg {
        let _ = write!(s, " {}", printable(m));
    }
    if let Some(p) = pct {
        if bar {
            let filled = ((p / 100.0) * BAR as f64).floor() as usize;
            let filled = filled.min(BAR);
            let head = if filled < BAR { ">" } else { "" };
            let _ = write!(
                s,
                " [{}{head}{}]",
                "=".repeat(filled),
                " ".repeat(BAR - filled - head.len())
            );
        }
        let _ = write!(s, " {}%", p.floor() as u64);
    }
    if let Some(r) = rate {
        let _ = write!(s, " {}", human_rate(r));
    }
    let _ = write!(s, " elapsed {}", clock(elapsed));
    if let Some(t) = st.timeout {
        let _ = write!(
            s,
            " timeout {}/{}",
            clock(step_time),
            clock(Duration::from_secs(t))
        );
    }
    s
}

/// Bytes per second: `512 B/s`, `27.5 KiB/s`, `1.5 MiB/s`, `2.0 GiB/s`.
pub fn human_rate(bps: f64) -> String {
    const UNITS: [&str; 4] = ["B/s", "KiB/s", "MiB/s", "GiB/s"];
    let mut v = bps;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{} {}", v.round() as u64, UNITS[0])
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// `m:ss` (`h:mm:ss` from an hour on).
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}
