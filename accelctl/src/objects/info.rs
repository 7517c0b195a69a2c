//! The info object: `accelctl dev info [DEV]`, the serial number and
//! versions (fixed, running, stored) a driver reports, and the
//! info-change events of `accelctl monitor`.

use std::fmt::Write as _;

use accel_netlink::{AccelMessage, DevHandle, DeviceInfo, InfoGetDo, InfoGetDump, Version};
use anyhow::{anyhow, Result};
use clap::Args;
use serde::Serialize;

use super::{Cx, ManProse, Run};
use crate::extack::KernelError;
use crate::handle::parse_handle;
use crate::output::json_each::Each;
use crate::output::{printable, DocVersion, IdentJson, Output};
use crate::query::{needs_family, with_hint, Nl, Subject};
use crate::{emit, EXIT_OK};

/// Show serial number and versions (fixed, running, stored) of all devices or one
#[derive(Debug, Args)]
pub struct Info {
    /// Device: accelN, N, /dev/accel/accelN or BUS/NAME
    #[arg(value_name = "DEV", value_parser = parse_handle)]
    pub dev: Option<DevHandle>,
}

impl Run for Info {
    fn run(&self, cx: &mut Cx) -> Result<u8> {
        show(&cx.out, &mut cx.nl, self.dev.as_ref())?;
        Ok(EXIT_OK)
    }
}

/// accelctl-dev(8) prose of the info object.
pub const MAN: ManProse = ManProse {
    sections: include_str!("info.roff"),
    notes: "",
    examples: include_str!("info.examples.roff"),
};

/// Without DEV: dump all devices. With DEV: a do request for that one.
/// There is no sysfs fallback: versions only come from the family.
pub fn show(out: &Output, nl: &mut Nl, dev: Option<&DevHandle>) -> Result<()> {
    let infos = netlink_infos(nl, dev).map_err(|e| needs_family(e, "accelctl dev info"))?;
    emit(&out.dev_info(&infos))
}

fn netlink_infos(nl: &mut Nl, dev: Option<&DevHandle>) -> Result<Vec<DeviceInfo>> {
    let what = "read the information of accel devices";
    let parts = match dev {
        None => nl.fetch(InfoGetDump::default(), None, what, view)?,
        Some(dev) => one_device(nl, dev, what)?,
    };
    let mut infos: Vec<DeviceInfo> = Vec::new();
    for info in parts {
        // Information too large for one message continues in the next.
        match infos.last_mut() {
            Some(last) if last.continued_by(&info) => last.merge(info),
            _ => infos.push(info),
        }
    }
    Ok(infos)
}

fn view(m: &AccelMessage) -> Result<DeviceInfo> {
    DeviceInfo::try_from(m).map_err(|e| anyhow!("malformed info-get reply from the kernel: {e}"))
}

/// A do request for one device; information too large for one message
/// (EMSGSIZE) is fetched again as a dump filtered by the device, in which
/// the kernel splits it over several messages.
fn one_device(nl: &mut Nl, dev: &DevHandle, what: &str) -> Result<Vec<DeviceInfo>> {
    let subject = || Subject {
        dev,
        reporter: None,
    };
    let handle = Some(dev.to_handle());
    match nl.fetch(
        InfoGetDo {
            handle: handle.clone(),
        },
        None,
        what,
        view,
    ) {
        Ok(parts) => Ok(parts),
        Err(e) => match e.downcast_ref::<KernelError>() {
            Some(k) if k.errno == libc::EMSGSIZE => {
                nl.fetch(InfoGetDump { handle }, Some(subject()), what, view)
            }
            // The kernel's error, named after the device as for a dump.
            Some(k) => Err(with_hint(k.clone().into(), subject(), what)),
            None => Err(e),
        },
    }
}

// Rendering.

#[derive(Debug, Serialize)]
/// `accelctl -j dev info [DEV]`; devices has one element when DEV is given.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DevInfoDoc<'a> {
    pub version: DocVersion,
    pub devices: Each<'a, DeviceInfo, InfoJson>,
}

/// An info-change line of `accelctl -j monitor`: the device's information
/// changed (firmware update or activation).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InfoEventDoc {
    pub version: DocVersion,
    pub event: InfoEventKind,
    pub info: InfoJson,
}

/// A monitor event that carries an `info` (dev-add and dev-del carry a
/// `device`): separate kinds, so that neither gets the other's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum InfoEventKind {
    #[serde(rename = "info-change")]
    InfoChange,
}

/// Serial number and versions as the driver reports them; strings verbatim.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InfoJson {
    #[serde(flatten)]
    pub ident: IdentJson,
    /// The driver failed to report this device's information (in a dump,
    /// which goes on with the other devices); null otherwise.
    pub error: Option<InfoErrorJson>,
    pub serial_number: Option<String>,
    /// fixed: hardware identifiers and revisions; running: firmware
    /// executing now; stored: firmware that runs after the next reset or
    /// activation. Each in the driver's order.
    pub versions: VersionsJson,
    /// Names of stored versions whose running version differs or is
    /// missing, in stored order.
    pub pending_activation: Vec<String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InfoErrorJson {
    pub errno: u32,
    pub message: String,
}

/// `EINVAL` -> "Invalid argument", as strerror(3) words it.
fn errno_text(errno: u32) -> String {
    let text = i32::try_from(errno)
        .map(|e| std::io::Error::from_raw_os_error(e).to_string())
        .unwrap_or_default();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VersionsJson {
    pub fixed: Vec<VersionJson>,
    pub running: Vec<VersionJson>,
    pub stored: Vec<VersionJson>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VersionJson {
    pub name: String,
    pub value: String,
}

fn versions_json(v: &[Version]) -> Vec<VersionJson> {
    v.iter()
        .map(|v| VersionJson {
            name: v.name.clone(),
            value: v.value.clone(),
        })
        .collect()
}

impl From<&DeviceInfo> for InfoJson {
    fn from(i: &DeviceInfo) -> Self {
        InfoJson {
            ident: IdentJson::new(&i.dev),
            error: i.error.map(|errno| InfoErrorJson {
                errno,
                message: errno_text(errno),
            }),
            serial_number: i.serial_number.clone(),
            versions: VersionsJson {
                fixed: versions_json(&i.fixed),
                running: versions_json(&i.running),
                stored: versions_json(&i.stored),
            },
            pending_activation: i
                .pending_activation()
                .into_iter()
                .map(String::from)
                .collect(),
        }
    }
}

impl Output {
    /// `dev info`: one detail block per device.
    pub fn dev_info(&self, infos: &[DeviceInfo]) -> String {
        if self.json {
            return self.json(&DevInfoDoc {
                version: DocVersion,
                devices: Each::new(infos),
            });
        }
        infos.iter().map(info_detail).collect()
    }

    /// One info-change monitor event: a text line or a JSON line.
    pub fn info_event(&self, info: &DeviceInfo) -> String {
        if self.json {
            return self.one_line().json(&InfoEventDoc {
                version: DocVersion,
                event: InfoEventKind::InfoChange,
                info: info.into(),
            });
        }
        format!(
            "[info,change] {}: {}\n",
            printable(&info.dev.name),
            printable(&info.dev.handle())
        )
    }
}

/// devlink-dev-info-like: groups indented under `versions:`, a stored
/// version that would change what runs marked `(pending activation)`.
fn info_detail(i: &DeviceInfo) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {}",
        printable(&i.dev.name),
        printable(&i.dev.handle())
    );
    if let Some(errno) = i.error {
        let _ = writeln!(
            s,
            "  error: the driver failed to report the information: {} (errno {errno})",
            errno_text(errno)
        );
        return s;
    }
    if let Some(sn) = &i.serial_number {
        let _ = writeln!(s, "  serial_number {}", printable(sn));
    }
    if i.fixed.is_empty() && i.running.is_empty() && i.stored.is_empty() {
        let _ = writeln!(s, "  versions: none reported by the driver");
        return s;
    }
    let _ = writeln!(s, "  versions:");
    // Only stored versions can be waiting for activation.
    for (group, versions, stored) in [
        ("fixed", &i.fixed, false),
        ("running", &i.running, false),
        ("stored", &i.stored, true),
    ] {
        if versions.is_empty() {
            continue;
        }
        let _ = writeln!(s, "    {group}:");
        for v in versions {
            let mark = if stored && i.is_pending_activation(v) {
                " (pending activation)"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "      {} {}{mark}",
                printable(&v.name),
                printable(&v.value)
            );
        }
    }
    s
}
