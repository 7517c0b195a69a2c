//! The reload object: `accelctl dev reload DEV [action driver_reinit|
//! fw_activate] [limit no_reset]`, which prints the actions the driver
//! performed (it may do more than asked).

use accel_netlink::{reload_request, DevHandle, ReloadAction, ReloadLimit, ReloadReply};
use anyhow::{anyhow, Result};
use clap::{ArgMatches, Args, Command, FromArgMatches};
use serde::Serialize;

use super::keywords::{self, Keyword};
use super::param::word;
use super::{Cx, ManProse, Run};
use crate::extack::KernelError;
use crate::output::{printable, DocVersion, IdentJson, Output};
use crate::query::{needs_family, Nl};
use crate::{emit, EXIT_OK};

pub const ACTION: Keyword = ("action", "driver_reinit|fw_activate");
pub const LIMIT: Keyword = ("limit", "no_reset");
/// The keywords of `dev reload`.
pub const KEYWORDS: &[Keyword] = &[ACTION, LIMIT];

/// The actions as `action` takes them.
pub const ACTION_WORDS: &[(&str, ReloadAction)] = &[
    ("driver_reinit", ReloadAction::DriverReinit),
    ("fw_activate", ReloadAction::FwActivate),
];
/// The limits as `limit` takes them (`none` is the default, accepted).
pub const LIMIT_WORDS: &[(&str, ReloadLimit)] = &[
    ("no_reset", ReloadLimit::NoReset),
    ("none", ReloadLimit::None),
];

const USAGE: &str = "accelctl dev reload DEV [action driver_reinit|fw_activate] [limit no_reset]";

/// `dev reload DEV [action ACTION] [limit LIMIT]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reload {
    pub dev: DevHandle,
    /// None: the kernel's default, driver_reinit.
    pub action: Option<ReloadAction>,
    /// None: no limit.
    pub limit: Option<ReloadLimit>,
}

/// accelctl-dev(8) prose of the reload object.
pub const MAN: ManProse = ManProse {
    sections: include_str!("reload.roff"),
    notes: "",
    examples: include_str!("reload.examples.roff"),
};

impl FromArgMatches for Reload {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let usage = keywords::usage_error(USAGE);
        let pairs = keywords::pairs(m, KEYWORDS, &usage)?;
        Ok(Reload {
            dev: keywords::required_dev(m, &usage)?,
            action: keywords::get(&pairs, ACTION.0)
                .map(|v| keywords::one_of(ACTION.0, v, ACTION_WORDS, &usage))
                .transpose()?,
            limit: keywords::get(&pairs, LIMIT.0)
                .map(|v| keywords::one_of(LIMIT.0, v, LIMIT_WORDS, &usage))
                .transpose()?,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for Reload {
    fn augment_args(cmd: Command) -> Command {
        cmd.override_usage(USAGE)
            .about(
                "Reload a device: re-initialise the driver (applies driverinit values) or \
                 activate the stored firmware (applies permanent values)",
            )
            .arg(keywords::dev_arg(true))
            .arg(keywords::words_arg(
                "action ACTION limit LIMIT",
                "What to do: action driver_reinit (the default: re-initialise the driver, \
                 applying driverinit values) or fw_activate (activate the stored firmware and \
                 permanent values; may reset the device), and limit no_reset (only without a \
                 reset: fw_activate only)",
                false,
            ))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl Run for Reload {
    fn run(&self, cx: &mut Cx) -> Result<u8> {
        let r = reload(&mut cx.nl, self)?;
        emit(&cx.out.reload_done(&r))?;
        Ok(EXIT_OK)
    }
}

/// One reload request; its reply.
pub fn reload(nl: &mut Nl, a: &Reload) -> Result<ReloadReply> {
    let req = reload_request(&a.dev, a.action, a.limit);
    let view = |m: &accel_netlink::AccelMessage| {
        ReloadReply::try_from(m).map_err(|e| anyhow!("malformed reload reply from the kernel: {e}"))
    };
    let dev = &a.dev;
    let replies = nl.fetch_raw(req, view).map_err(|e| {
        let e = needs_family(e, "accelctl dev reload");
        let errno = e.downcast_ref::<KernelError>().map(|k| k.errno);
        let hint = match errno {
            Some(libc::ENODEV) | Some(libc::ENOENT) => {
                "; run 'accelctl dev show' to list devices".to_string()
            }
            Some(libc::EPERM) | Some(libc::EACCES) => "; this needs CAP_NET_ADMIN".into(),
            // Refused before the driver was touched: nothing changed.
            Some(libc::EINVAL) | Some(libc::EOPNOTSUPP) | Some(libc::EBUSY) | None => String::new(),
            Some(_) => format!(
                "; the device may be left reload-failed ('accelctl dev show {dev}' shows it): \
                 a reload that succeeds recovers it"
            ),
        };
        anyhow!("device {dev}: cannot reload: {e:#}{hint}")
    })?;
    replies
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("device {dev}: the kernel sent no reload reply"))
}

// Rendering.

/// `accelctl -j dev reload DEV ...`: the device and the actions the driver
/// performed (at least the one requested, maybe more).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReloadDoc {
    pub version: DocVersion,
    pub dev: IdentJson,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<crate::output::schema::ActionName>")
    )]
    pub actions_performed: Vec<String>,
}

impl Output {
    /// `accel0: reload done: driver_reinit, fw_activate`.
    pub fn reload_done(&self, r: &ReloadReply) -> String {
        let actions: Vec<String> = r
            .actions_performed
            .iter()
            .map(|a| word(a.as_str()))
            .collect();
        if self.json {
            return self.json(&ReloadDoc {
                version: DocVersion,
                dev: IdentJson::new(&r.dev),
                actions_performed: actions,
            });
        }
        let done = if actions.is_empty() {
            "none reported".to_string()
        } else {
            actions.join(", ")
        };
        format!("{}: reload done: {done}\n", printable(&r.dev.name))
    }
}
