//! The param object: `accelctl dev param show [DEV [name NAME]]`, `accelctl
//! dev param set DEV name NAME value V cmode CMODE`, and the param-change
//! events of `accelctl monitor`.
//!
//! A set is one request whatever the parameter's type: the value goes in
//! both wire forms the kernel accepts (value-string, and value-uint when
//! the text is a number or a bool word), and the kernel uses the one of
//! the parameter's type, answering a clear extack when it does not fit.

use std::fmt::Write as _;

use accel_netlink::{
    param_set_request, AccelMessage, DevHandle, DevIdent, Param as ParamView, ParamCmode,
    ParamData, ParamGetDo, ParamGetDump, ParamSetValue, ParamValue, ACCEL_PARAM_NAME_LEN,
    ACCEL_PARAM_STRING_LEN,
};
use anyhow::{anyhow, Result};
use clap::error::ErrorKind;
use clap::{ArgMatches, Args, Command, FromArgMatches, Subcommand};
use serde::{Serialize, Serializer};

use super::keywords::{self, Keyword};
use super::{Cx, ManProse, Run};
use crate::extack::KernelError;
use crate::output::json_each::Each;
use crate::output::json_int::JsonU64;
use crate::output::{printable, DocVersion, IdentJson, Output};
use crate::query::{needs_family, Nl};
use crate::{emit, EXIT_OK};

const COMMAND: &str = "accelctl dev param";

pub const NAME: Keyword = ("name", "NAME");
pub const VALUE: Keyword = ("value", "VALUE");
pub const CMODE: Keyword = ("cmode", "runtime|driverinit|permanent");
/// The keywords of `dev param show` and `dev param set`.
pub const SHOW_KEYWORDS: &[Keyword] = &[NAME];
pub const SET_KEYWORDS: &[Keyword] = &[NAME, VALUE, CMODE];

/// The configuration modes as `cmode` takes them.
pub const CMODE_WORDS: &[(&str, ParamCmode)] = &[
    ("runtime", ParamCmode::Runtime),
    ("driverinit", ParamCmode::Driverinit),
    ("permanent", ParamCmode::Permanent),
];

/// Configuration parameters of devices: show them, set a value
#[derive(Debug, Args)]
#[command(subcommand_value_name = "COMMAND")]
pub struct Param {
    #[command(subcommand)]
    pub command: Option<ParamCommand>,
}

#[derive(Debug, Subcommand)]
pub enum ParamCommand {
    /// Show the parameters of all devices or of DEV, or one: values per configuration mode, pending ones marked
    #[command(override_usage = SHOW_USAGE)]
    Show(ShowArgs),
    /// Set the value of a parameter in one configuration mode
    #[command(override_usage = SET_USAGE)]
    Set(SetArgs),
}

impl Run for Param {
    fn run(&self, cx: &mut Cx) -> Result<u8> {
        let all = ShowArgs::default();
        match self.command.as_ref().unwrap_or(&ParamCommand::Show(all)) {
            ParamCommand::Show(a) => show(&cx.out, &mut cx.nl, a.dev.as_ref(), a.name.as_deref())?,
            ParamCommand::Set(a) => set(&mut cx.nl, a)?,
        }
        Ok(EXIT_OK)
    }
}

/// accelctl-dev(8) prose of the param object.
pub const MAN: ManProse = ManProse {
    sections: include_str!("param.roff"),
    notes: "",
    examples: include_str!("param.examples.roff"),
};

const SHOW_USAGE: &str = "accelctl dev param show [DEV [name NAME]]";
const SET_USAGE: &str =
    "accelctl dev param set DEV name NAME value VALUE cmode runtime|driverinit|permanent";

/// `dev param show [DEV [name NAME]]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShowArgs {
    pub dev: Option<DevHandle>,
    pub name: Option<String>,
}

/// `dev param set DEV name NAME value V cmode CMODE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetArgs {
    pub dev: DevHandle,
    pub name: String,
    pub cmode: ParamCmode,
    /// Both wire forms of the value.
    pub value: ParamSetValue,
}

fn param_name(
    pairs: &[(&'static str, &str)],
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<Option<String>, clap::Error> {
    keywords::get(pairs, NAME.0)
        .map(|v| keywords::name(NAME.0, v, ACCEL_PARAM_NAME_LEN, usage))
        .transpose()
}

impl FromArgMatches for ShowArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let usage = keywords::usage_error(SHOW_USAGE);
        let pairs = keywords::pairs(m, SHOW_KEYWORDS, &usage)?;
        Ok(ShowArgs {
            dev: keywords::dev_of(m),
            name: param_name(&pairs, &usage)?,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for ShowArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(keywords::dev_arg(false)).arg(
            keywords::words_arg(
                "name NAME",
                "Show only this parameter of DEV: name NAME",
                false,
            )
            .requires("dev"),
        )
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// The value as typed, checked only for what no type accepts: longer than
/// the longest string parameter value.
pub fn set_value(
    v: &str,
    usage: &impl Fn(ErrorKind, String) -> clap::Error,
) -> Result<ParamSetValue, clap::Error> {
    let max = usize::try_from(ACCEL_PARAM_STRING_LEN).unwrap_or(usize::MAX);
    if v.len() > max {
        return Err(usage(
            ErrorKind::InvalidValue,
            format!(
                "invalid value for 'value': it is {} bytes long, at most {max} are allowed",
                v.len()
            ),
        ));
    }
    Ok(ParamSetValue::from_text(v))
}

impl FromArgMatches for SetArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let usage = keywords::usage_error(SET_USAGE);
        let pairs = keywords::pairs(m, SET_KEYWORDS, &usage)?;
        let name = keywords::required(&pairs, NAME, &usage)?;
        let value = keywords::required(&pairs, VALUE, &usage)?;
        let cmode = keywords::required(&pairs, CMODE, &usage)?;
        Ok(SetArgs {
            dev: keywords::required_dev(m, &usage)?,
            name: keywords::name(NAME.0, name, ACCEL_PARAM_NAME_LEN, &usage)?,
            cmode: keywords::one_of(CMODE.0, cmode, CMODE_WORDS, &usage)?,
            value: set_value(value, &usage)?,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for SetArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(keywords::dev_arg(true)).arg(keywords::words_arg(
            "name NAME value VALUE cmode CMODE",
            "The parameter, its new value and the configuration mode to set: name NAME \
             value VALUE cmode runtime|driverinit|permanent, in any order. VALUE is \
             parsed by the parameter's type: true|false (also yes|no, on|off, 1|0) for a \
             bool, a decimal or 0x hexadecimal number for u32 and u64, any text for a string",
            true,
        ))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// Without DEV: every parameter of every device (dump). With DEV: its
/// parameters (filtered dump). With DEV and a name: that one (do).
pub fn show(out: &Output, nl: &mut Nl, dev: Option<&DevHandle>, name: Option<&str>) -> Result<()> {
    emit(&out.param_show(&params(nl, dev, name)?))
}

/// The parameters of every device, of `dev`, or the one named.
pub fn params(nl: &mut Nl, dev: Option<&DevHandle>, name: Option<&str>) -> Result<Vec<ParamView>> {
    let view = |m: &AccelMessage| {
        ParamView::try_from(m)
            .map_err(|e| anyhow!("malformed param-get reply from the kernel: {e}"))
    };
    let handle = dev.map(DevHandle::to_handle);
    let res = match name {
        Some(n) => nl.fetch_raw(
            ParamGetDo {
                handle,
                name: Some(n.to_string()),
            },
            view,
        ),
        None => nl.fetch_raw(ParamGetDump { handle }, view),
    };
    res.map_err(|e| match dev {
        Some(d) => subject_error(e, d, name, "read it"),
        None => needs_family(e, COMMAND).context("cannot list parameters"),
    })
}

/// One param-set request.
pub fn set(nl: &mut Nl, a: &SetArgs) -> Result<()> {
    let req = param_set_request(&a.dev, &a.name, a.cmode, &a.value);
    nl.fetch_raw(req, |_| Ok(()))
        .map(drop)
        .map_err(|e| subject_error(e, &a.dev, Some(&a.name), "set it"))
}

/// Name the device (and parameter), and say what to do about the common
/// errors.
fn subject_error(
    e: anyhow::Error,
    dev: &DevHandle,
    name: Option<&str>,
    what: &str,
) -> anyhow::Error {
    let e = needs_family(e, COMMAND);
    let hint = match e.downcast_ref::<KernelError>().map(|k| k.errno) {
        Some(libc::ENOENT) if name.is_some() => {
            format!("; run 'accelctl dev param show {dev}' to list its parameters")
        }
        Some(libc::ENODEV) | Some(libc::ENOENT) => {
            "; run 'accelctl dev show' to list devices".into()
        }
        Some(libc::EPERM) | Some(libc::EACCES) => "; this needs CAP_NET_ADMIN".into(),
        Some(libc::EIO) => format!(
            "; if the device's last reload failed ('accelctl dev show {dev}'), \
             'accelctl dev reload {dev}' recovers it"
        ),
        _ => String::new(),
    };
    match name {
        Some(n) => anyhow!(
            "device {dev} param {}: cannot {what}: {e:#}{hint}",
            printable(n)
        ),
        None => anyhow!("device {dev}: cannot list parameters: {e:#}{hint}"),
    }
}

// Rendering.

/// A spec enum name as accelctl spells it: `driver-reinit` → `driver_reinit`.
pub fn word(spec_name: &str) -> String {
    spec_name.replace('-', "_")
}

/// `accelctl -j dev param show [DEV [name NAME]]`: every parameter, those
/// of DEV, or one.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParamShowDoc<'a> {
    pub version: DocVersion,
    pub params: Each<'a, ParamView, ParamJson>,
}

/// A param-change line of `accelctl -j monitor`: a value of the parameter,
/// or whether it is pending, changed (a set, or a reload that applied it).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParamEventDoc {
    pub version: DocVersion,
    pub event: ParamEventKind,
    pub param: ParamJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ParamEventKind {
    #[serde(rename = "param-change")]
    ParamChange,
}

/// A parameter and its device: name, generic or driver-specific, type,
/// and its value in each configuration mode it supports.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParamJson {
    pub dev: IdentJson,
    /// Generic names have no dot; driver-specific ones are DRIVER.NAME.
    pub name: String,
    pub generic: bool,
    /// bool, u32, u64, string ("unknown" for a type this accelctl does not know).
    #[serde(rename = "type")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::output::schema::ParamTypeName")
    )]
    pub ty: String,
    pub values: Vec<ParamValueJson>,
}

/// The value in one configuration mode.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParamValueJson {
    /// runtime (in effect now), driverinit (applies at the next reload
    /// driver_reinit), permanent (stored in the device, applies at the
    /// next reload fw_activate).
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::output::schema::CmodeName")
    )]
    pub cmode: String,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::output::schema::ParamValueSchema")
    )]
    pub value: JsonParamData,
    /// The value is not in effect yet: the reload action that applies it
    /// (driver_reinit, fw_activate); null when it is in effect.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::output::schema::ActionName>")
    )]
    pub pending: Option<String>,
}

/// A parameter value in JSON: a boolean, a number (64-bit: a string of
/// digits above 2^53 - 1), a string, or null when the kernel sent none.
#[derive(Debug)]
pub struct JsonParamData(pub ParamData);

impl Serialize for JsonParamData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            ParamData::Bool(b) => s.serialize_bool(*b),
            ParamData::U32(v) => s.serialize_u32(*v),
            ParamData::U64(v) | ParamData::Uint(v) => JsonU64(*v).serialize(s),
            ParamData::String(v) => s.serialize_str(v),
            ParamData::Missing => s.serialize_none(),
        }
    }
}

impl From<&ParamView> for ParamJson {
    fn from(p: &ParamView) -> Self {
        ParamJson {
            dev: IdentJson::new(&p.dev),
            name: p.name.clone(),
            generic: p.generic,
            ty: word(p.ty.as_str()),
            values: p.values.iter().map(ParamValueJson::from).collect(),
        }
    }
}

impl From<&ParamValue> for ParamValueJson {
    fn from(v: &ParamValue) -> Self {
        ParamValueJson {
            cmode: word(v.cmode.as_str()),
            value: JsonParamData(v.value.clone()),
            pending: v.pending.map(|a| word(a.as_str())),
        }
    }
}

impl Output {
    /// `dev param show`: per device, one block per parameter, one line
    /// per configuration mode (devlink's layout).
    pub fn param_show(&self, params: &[ParamView]) -> String {
        if self.json {
            return self.json(&ParamShowDoc {
                version: DocVersion,
                params: Each::new(params),
            });
        }
        let mut s = String::new();
        let mut last: Option<&DevIdent> = None;
        for p in params {
            if !matches!(last, Some(d) if d.id == p.dev.id && d.index == p.dev.index) {
                let _ = writeln!(s, "{}", dev_header(&p.dev));
                last = Some(&p.dev);
            }
            let _ = writeln!(s, "  {}", param_line(p));
            for v in &p.values {
                let _ = writeln!(s, "    {}", value_line(v));
            }
        }
        s
    }

    /// One monitor event: a text line or a JSON line.
    pub fn param_event(&self, p: &ParamView) -> String {
        if self.json {
            return self.one_line().json(&ParamEventDoc {
                version: DocVersion,
                event: ParamEventKind::ParamChange,
                param: p.into(),
            });
        }
        let values: Vec<String> = p.values.iter().map(value_line).collect();
        format!(
            "[param,change] {} {}: {}\n",
            dev_header(&p.dev),
            param_line(p),
            values.join(", ")
        )
    }
}

/// `accel0: accel_sim/accel_sim0`, as the other objects start.
fn dev_header(d: &DevIdent) -> String {
    format!("{}: {}", printable(&d.name), printable(&d.handle()))
}

/// `name job_timeout_ms type generic u32`.
fn param_line(p: &ParamView) -> String {
    format!(
        "name {} type {} {}",
        printable(&p.name),
        if p.generic {
            "generic"
        } else {
            "driver-specific"
        },
        word(p.ty.as_str())
    )
}

/// `cmode driverinit value 20000 pending: reload driver_reinit`.
fn value_line(v: &ParamValue) -> String {
    let mut s = format!(
        "cmode {} value {}",
        word(v.cmode.as_str()),
        value_text(&v.value)
    );
    if let Some(a) = v.pending {
        let _ = write!(s, " pending: reload {}", word(a.as_str()));
    }
    s
}

/// A value for the text output: strings escaped (and `""` when empty).
pub fn value_text(v: &ParamData) -> String {
    match v {
        ParamData::Bool(b) => b.to_string(),
        ParamData::U32(n) => n.to_string(),
        ParamData::U64(n) | ParamData::Uint(n) => n.to_string(),
        ParamData::String(s) if s.is_empty() => "\"\"".into(),
        ParamData::String(s) => printable(s).into_owned(),
        ParamData::Missing => "-".into(),
    }
}
