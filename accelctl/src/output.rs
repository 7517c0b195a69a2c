//! The one output layer: every byte accelctl prints on stdout is built here,
//! as text (tables for lists, devlink-like detail views) or JSON (serde
//! structs matching `schema/accelctl.schema.json`).

mod fmsg;
mod health;
mod info;
pub mod json_each;
pub mod json_int;
#[cfg(feature = "schema")]
pub mod schema;
mod time;

pub use fmsg::{tree_text, FmsgNodeJson};
pub use health::{
    HealthCheckDoc, HealthEventDoc, HealthEventKind, HealthShowDoc, HealthTreeDoc, ReporterJson,
};
pub use info::{DevInfoDoc, InfoEventDoc, InfoEventKind, InfoJson, VersionJson, VersionsJson};
pub use time::rfc3339_ns;

use std::borrow::Cow;
use std::fmt::Write as _;

use accel_netlink::{DevIdent, Device, PciInfo};
use comfy_table::{presets, Table};
use serde::Serialize;

use json_each::Each;
use json_int::JsonU64;

/// Version of the JSON documents; bump on incompatible changes.
pub const FORMAT_VERSION: u32 = 2;

/// The `version` member of every document: [`FORMAT_VERSION`].
#[derive(Debug, Clone, Copy, Default)]
pub struct DocVersion;

impl Serialize for DocVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(FORMAT_VERSION)
    }
}

/// Where the device data came from: netlink, the accel family; sysfs, the
/// fallback on kernels without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Netlink,
    Sysfs,
}

/// A monitor event about a device's presence, which carries a `device`
/// (an info-change event carries an `info` instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum EventKind {
    #[serde(rename = "dev-add")]
    DevAdd,
    #[serde(rename = "dev-del")]
    DevDel,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
/// `accelctl -j dev show [DEV]`; devices has one element when DEV is given.
pub struct DevShowDoc<'a> {
    pub version: DocVersion,
    pub source: Source,
    pub devices: Each<'a, Device, DevJson>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
/// Printed on stdout when a command fails with -j (exit status 1, or 2 for
/// usage errors).
pub struct ErrorDoc {
    pub version: DocVersion,
    pub error: ErrorBody,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    pub message: String,
}

/// A device line of `accelctl -j monitor` (JSON Lines): the device
/// appeared (dev-add) or went away (dev-del).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventDoc {
    pub version: DocVersion,
    pub event: EventKind,
    pub device: DevJson,
}

/// The fields naming a device, first in every per-device JSON object.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IdentJson {
    /// Per-boot id of the device, never reused (unlike the index); null
    /// from the sysfs fallback.
    pub id: Option<JsonU64>,
    /// N of /dev/accel/accelN.
    pub index: u32,
    /// Name of the device, e.g. accel0.
    pub name: String,
    /// bus_name/dev_name, e.g. pci/0000:03:00.0.
    pub handle: String,
    /// Bus of the parent device, e.g. pci.
    pub bus_name: String,
    /// Name of the parent device on its bus, e.g. 0000:03:00.0.
    pub dev_name: String,
}

impl IdentJson {
    /// `id` 0 means unknown: the kernel numbers devices from 1, and the
    /// sysfs fallback has no id.
    pub fn new(d: &DevIdent) -> Self {
        IdentJson {
            id: (d.id != 0).then_some(JsonU64(d.id)),
            index: d.index,
            name: d.name.clone(),
            handle: d.handle(),
            bus_name: d.bus_name.clone(),
            dev_name: d.dev_name.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
/// A device: identity, driver, NUMA node (null when none), PCI identity
/// and link (null for non-PCI devices).
pub struct DevJson {
    #[serde(flatten)]
    pub ident: IdentJson,
    pub driver: String,
    pub numa_node: Option<u32>,
    pub runtime_suspended: bool,
    pub pci: Option<PciJson>,
}

/// Raw values as the kernel reports them; link speeds in MT/s per lane;
/// null when absent (link down or device runtime-suspended).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PciJson {
    pub vendor_id: Option<u32>,
    pub device_id: Option<u32>,
    pub subsystem_vendor_id: Option<u32>,
    pub subsystem_device_id: Option<u32>,
    pub revision: Option<u32>,
    pub class: Option<u32>,
    pub link_speed: Option<u32>,
    pub link_width: Option<u32>,
    pub link_max_speed: Option<u32>,
    pub link_max_width: Option<u32>,
}

impl From<&Device> for DevJson {
    fn from(d: &Device) -> Self {
        DevJson {
            ident: IdentJson::new(&d.dev),
            driver: d.driver_name.clone(),
            numa_node: d.numa_node,
            runtime_suspended: d.runtime_suspended,
            pci: d.pci.as_ref().map(PciJson::from),
        }
    }
}

impl From<&PciInfo> for PciJson {
    fn from(p: &PciInfo) -> Self {
        PciJson {
            vendor_id: p.vendor_id,
            device_id: p.device_id,
            subsystem_vendor_id: p.subsystem_vendor_id,
            subsystem_device_id: p.subsystem_device_id,
            revision: p.revision,
            class: p.class,
            link_speed: p.link_speed,
            link_width: p.link_width,
            link_max_speed: p.link_max_speed,
            link_max_width: p.link_max_width,
        }
    }
}

/// Text or JSON, chosen once from the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Output {
    pub json: bool,
    pub pretty: bool,
}

impl Output {
    /// Serialize a document, one per line (pretty: multi-line) with a final newline.
    pub fn json<T: Serialize>(&self, doc: &T) -> String {
        let s = if self.pretty {
            serde_json::to_string_pretty(doc)
        } else {
            serde_json::to_string(doc)
        };
        // Our structs have string keys and no maps: serialization cannot fail.
        let mut s =
            s.unwrap_or_else(|e| format!("{{\"version\":1,\"error\":{{\"message\":\"{e}\"}}}}"));
        s.push('\n');
        s
    }

    /// `dev show`: a table for a list, a detail view for one device.
    pub fn dev_show(&self, devices: &[Device], source: Source, detail: bool) -> String {
        if self.json {
            return self.json(&DevShowDoc {
                version: DocVersion,
                source,
                devices: Each::new(devices),
            });
        }
        if detail {
            devices.iter().map(dev_detail).collect()
        } else {
            dev_table(devices)
        }
    }

    /// One monitor event: a text line or a JSON line.
    pub fn event(&self, kind: EventKind, dev: &Device) -> String {
        if self.json {
            return self.one_line().json(&EventDoc {
                version: DocVersion,
                event: kind,
                device: dev.into(),
            });
        }
        let k = match kind {
            EventKind::DevAdd => "dev,add",
            EventKind::DevDel => "dev,del",
        };
        format!(
            "[{k}] {}: {}\n",
            printable(&dev.dev.name),
            printable(&dev.dev.handle())
        )
    }

    /// For monitor events: JSON Lines, one object per line even with -p.
    pub(crate) fn one_line(&self) -> Output {
        Output {
            pretty: false,
            ..*self
        }
    }

    /// The error document (JSON mode only; text errors go to stderr).
    pub fn error_doc(&self, message: &str) -> String {
        self.json(&ErrorDoc {
            version: DocVersion,
            error: ErrorBody {
                message: message.to_string(),
            },
        })
    }
}

/// Kernel strings for a terminal: control characters (ESC, CR, ...; all of
/// Unicode's Cc are below U+0100) are escaped as `\xNN`, and the invisible
/// format characters that can reorder or hide text (bidi overrides, zero
/// widths, line separators) as `\u{NNNN}`, so that a
/// driver-supplied value can neither drive the terminal nor disguise itself.
/// Other characters, including non-ASCII text, are kept.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else if is_invisible(c) {
            let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// Unicode's format characters (category Cf) and the line/paragraph
/// separators (Zl, Zp): not control characters, but they print nothing or
/// change how the rest of the line is shown (U+202E reverses it). The
/// standard library has no category lookup; this is the Cf list of
/// Unicode 15.1, which changes rarely.
fn is_invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        0xad | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x890..=0x891
            | 0x8e2
            | 0x180e
            | 0x200b..=0x200f
            | 0x2028..=0x202e
            | 0x2060..=0x2064
            | 0x2066..=0x206f
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0x110bd
            | 0x110cd
            | 0x13430..=0x1343f
            | 0x1bca0..=0x1bca3
            | 0x1d173..=0x1d17a
            | 0xe0001
            | 0xe0020..=0xe007f
    )
}

/// MT/s per lane as the usual GT/s spelling: 2500 → `2.5GT/s`, 16000 → `16.0GT/s`.
pub fn gts(mts: u32) -> String {
    format!("{}.{}GT/s", mts / 1000, (mts % 1000) / 100)
}

fn link(speed: Option<u32>, width: Option<u32>) -> String {
    match (speed, width) {
        (Some(s), Some(w)) => format!("{} x{w}", gts(s)),
        (Some(s), None) => gts(s),
        (None, Some(w)) => format!("x{w}"),
        (None, None) => "-".to_string(),
    }
}

/// `8.0GT/s x4 / 16.0GT/s x8 (degraded)`.
fn link_summary(d: &Device, p: &PciInfo) -> String {
    let mut s = format!(
        "{} / {}",
        link(p.link_speed, p.link_width),
        link(p.link_max_speed, p.link_max_width)
    );
    if p.link_degraded() {
        s.push_str(" (degraded)");
    } else if d.runtime_suspended && p.link_speed.is_none() {
        s.push_str(" (suspended)");
    }
    s
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn dev_table(devices: &[Device]) -> String {
    if devices.is_empty() {
        return String::new();
    }
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    t.set_header(["DEV", "HANDLE", "DRIVER", "NUMA", "PCI", "LINK"]);
    for d in devices {
        let (ids, link) = match &d.pci {
            Some(p) => (
                format!("{}:{}", hex4(p.vendor_id), hex4(p.device_id)),
                link_summary(d, p),
            ),
            None => ("-".into(), "-".into()),
        };
        t.add_row([
            printable(&d.dev.name).into_owned(),
            printable(&d.dev.handle()).into_owned(),
            printable(&d.driver_name).into_owned(),
            opt(d.numa_node),
            ids,
            link,
        ]);
    }
    // The NOTHING preset still pads cells; drop the edge blanks.
    let mut out = String::new();
    for line in t.to_string().lines() {
        let _ = writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line).trim_end());
    }
    out
}

fn hex4(v: Option<u32>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:04x}"))
}

fn dev_detail(d: &Device) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {}",
        printable(&d.dev.name),
        printable(&d.dev.handle())
    );
    if d.dev.id != 0 {
        let _ = writeln!(s, "  id {}", d.dev.id);
    }
    let _ = writeln!(s, "  index {}", d.dev.index);
    let _ = writeln!(s, "  driver {}", printable(&d.driver_name));
    let _ = writeln!(s, "  numa_node {}", opt(d.numa_node));
    let _ = writeln!(s, "  runtime_suspended {}", d.runtime_suspended);
    if let Some(p) = &d.pci {
        let hex = |v: Option<u32>, w: usize| {
            v.map_or_else(|| "-".into(), |v| format!("{v:#0w$x}", w = w + 2))
        };
        let _ = writeln!(s, "  pci:");
        let _ = writeln!(s, "    vendor_id {}", hex(p.vendor_id, 4));
        let _ = writeln!(s, "    device_id {}", hex(p.device_id, 4));
        let _ = writeln!(
            s,
            "    subsystem_vendor_id {}",
            hex(p.subsystem_vendor_id, 4)
        );
        let _ = writeln!(
            s,
            "    subsystem_device_id {}",
            hex(p.subsystem_device_id, 4)
        );
        let _ = writeln!(s, "    revision {}", hex(p.revision, 2));
        let _ = writeln!(s, "    class {}", hex(p.class, 6));
        let _ = writeln!(s, "    link {}", link(p.link_speed, p.link_width));
        let _ = writeln!(
            s,
            "    link_max {}",
            link(p.link_max_speed, p.link_max_width)
        );
        if p.link_degraded() {
            let _ = writeln!(s, "    link_degraded true");
        }
    }
    s
}
