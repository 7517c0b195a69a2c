//! The dev object: `accelctl dev show [DEV]`, the devices the family
//! lists (or, without the family, `/sys/class/accel`), and the dev-add and
//! dev-del events of `accelctl monitor`.

use std::fmt::Write as _;
use std::path::Path;

use accel_netlink::{AccelMessage, DevGetDo, DevGetDump, DevHandle, Device, PciInfo, ReloadStat};
use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use comfy_table::{presets, Table};
use serde::Serialize;

use super::param::word;
use super::{Cx, ManProse, Run};
use crate::handle::parse_handle;
use crate::nl::NoFamily;
use crate::output::json_each::Each;
use crate::output::json_int::JsonU64;
use crate::output::{printable, DocVersion, IdentJson, Output};
use crate::query::{Nl, Subject};
use crate::{emit, sysfs, EXIT_OK};

/// List all devices, or show the details of one device
#[derive(Debug, Args, Default)]
pub struct Show {
    /// Device: accelN, N, /dev/accel/accelN or BUS/NAME
    #[arg(value_name = "DEV", value_parser = parse_handle)]
    pub dev: Option<DevHandle>,
}

impl Run for Show {
    fn run(&self, cx: &mut Cx) -> Result<u8> {
        show_stats(&cx.out, &mut cx.nl, self.dev.as_ref(), cx.stats)?;
        Ok(EXIT_OK)
    }
}

/// accelctl-dev(8) prose of the dev object.
pub const MAN: ManProse = ManProse {
    sections: "",
    notes: include_str!("dev.notes.roff"),
    examples: include_str!("dev.examples.roff"),
};

/// Without DEV: dump and list all devices. With DEV: a do request and a
/// detail view. Without the family: the same from sysfs, marked as such.
pub fn show(out: &Output, nl: &mut Nl, dev: Option<&DevHandle>) -> Result<()> {
    show_stats(out, nl, dev, false)
}

/// [`show`], with reload statistics when `stats` (-s).
pub fn show_stats(out: &Output, nl: &mut Nl, dev: Option<&DevHandle>, stats: bool) -> Result<()> {
    match netlink_devices(nl, dev) {
        Ok(devs) => emit(&out.dev_show_stats(&devs, Source::Netlink, dev.is_some(), stats)),
        Err(e) if e.downcast_ref::<NoFamily>().is_some() => {
            if !out.json || nl.verbose() {
                eprintln!(
                    "accelctl: warning: {e}; listing devices from {} instead",
                    sysfs::SYSFS_ACCEL
                );
            }
            let mut devs = sysfs::list_devices(Path::new(sysfs::SYSFS_ACCEL))
                .with_context(|| format!("cannot read {}", sysfs::SYSFS_ACCEL))?;
            if let Some(h) = dev {
                devs.retain(|d| sysfs::matches(d, h));
                if devs.is_empty() {
                    bail!(
                        "device {h}: not found in {}; run 'accelctl dev show' to list devices",
                        sysfs::SYSFS_ACCEL
                    );
                }
            }
            emit(&out.dev_show_stats(&devs, Source::Sysfs, dev.is_some(), stats))
        }
        Err(e) => Err(e),
    }
}

/// The devices the family lists: all of them (dump), or the one `dev`
/// names (do).
pub fn netlink_devices(nl: &mut Nl, dev: Option<&DevHandle>) -> Result<Vec<Device>> {
    let what = "list accel devices";
    let view = |m: &AccelMessage| {
        Device::try_from(m).map_err(|e| anyhow!("malformed dev-get reply from the kernel: {e}"))
    };
    match dev {
        None => nl.fetch(DevGetDump::default(), None, what, view),
        Some(d) => {
            let req = DevGetDo {
                handle: Some(d.to_handle()),
            };
            let subject = Subject {
                dev: d,
                reporter: None,
            };
            nl.fetch(req, Some(subject), what, view)
        }
    }
}

// Rendering.

/// Where the device data came from: netlink, the accel family; sysfs, the
/// fallback on kernels without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Netlink,
    Sysfs,
}

/// A monitor event about a device (presence, reload state), which carries a `device`
/// (an info-change event carries an `info` instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum EventKind {
    #[serde(rename = "dev-add")]
    DevAdd,
    #[serde(rename = "dev-del")]
    DevDel,
    /// Its reload state or statistics changed: a reload, requested or not,
    /// succeeded or failed.
    #[serde(rename = "dev-change")]
    DevChange,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
/// `accelctl -j dev show [DEV]`; devices has one element when DEV is given.
pub struct DevShowDoc<'a> {
    pub version: DocVersion,
    pub source: Source,
    pub devices: Each<'a, DevView<'a>, DevJson>,
}

/// A device as a document shows it: with its reload statistics or not
/// (-s), from netlink or from sysfs (which knows no reload state).
#[derive(Debug, Clone, Copy)]
pub struct DevView<'a> {
    pub dev: &'a Device,
    pub stats: bool,
    pub source: Source,
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
    /// Reload state and statistics; null from the sysfs fallback.
    pub reload: Option<ReloadJson>,
}

/// What reload the driver supports and how it went.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReloadJson {
    /// Actions the driver supports (driver_reinit, fw_activate); empty
    /// if it cannot reload.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<crate::output::schema::ActionName>")
    )]
    pub actions: Vec<String>,
    /// The last reload failed: requests about the device other than dev
    /// show and reload fail until a reload succeeds.
    pub failed: bool,
    /// With -s (and in monitor events): how often each action was
    /// performed, per limit; null without -s.
    pub stats: Option<Vec<ReloadStatJson>>,
}

/// How often one action was performed with one limit.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReloadStatJson {
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::output::schema::ActionName")
    )]
    pub action: String,
    /// none or no_reset.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::output::schema::LimitName")
    )]
    pub limit: String,
    /// By reload requests (asked for, or performed in addition).
    pub count: JsonU64,
    /// Without a request: by the device or its firmware on its own.
    pub remote_count: JsonU64,
}

impl From<&ReloadStat> for ReloadStatJson {
    fn from(st: &ReloadStat) -> Self {
        ReloadStatJson {
            action: word(st.action.as_str()),
            limit: word(st.limit.as_str()),
            count: JsonU64(st.count),
            remote_count: JsonU64(st.remote_count),
        }
    }
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
    /// As a monitor event carries it: with statistics.
    fn from(d: &Device) -> Self {
        DevJson::from(&DevView {
            dev: d,
            stats: true,
            source: Source::Netlink,
        })
    }
}

impl<'a> From<&DevView<'a>> for DevJson {
    fn from(v: &DevView<'a>) -> Self {
        let d = v.dev;
        let reload = (v.source == Source::Netlink).then(|| ReloadJson {
            actions: d.reload_actions.iter().map(|a| word(a.as_str())).collect(),
            failed: d.reload_failed,
            stats: v
                .stats
                .then(|| d.reload_stats.iter().map(ReloadStatJson::from).collect()),
        });
        DevJson {
            ident: IdentJson::new(&d.dev),
            driver: d.driver_name.clone(),
            numa_node: d.numa_node,
            runtime_suspended: d.runtime_suspended,
            pci: d.pci.as_ref().map(PciJson::from),
            reload,
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

impl Output {
    /// `dev show`: a table for a list, a detail view for one device.
    pub fn dev_show(&self, devices: &[Device], source: Source, detail: bool) -> String {
        self.dev_show_stats(devices, source, detail, false)
    }

    /// [`Output::dev_show`] with -s: reload statistics in the detail
    /// view (for every device: the table has no room for them) and in JSON.
    pub fn dev_show_stats(
        &self,
        devices: &[Device],
        source: Source,
        detail: bool,
        stats: bool,
    ) -> String {
        if self.json {
            let views: Vec<DevView> = devices
                .iter()
                .map(|dev| DevView { dev, stats, source })
                .collect();
            return self.json(&DevShowDoc {
                version: DocVersion,
                source,
                devices: Each::new(&views),
            });
        }
        if detail || stats {
            devices.iter().map(|d| dev_detail(d, stats)).collect()
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
            EventKind::DevChange => {
                return format!(
                    "[dev,change] {}: {} reload_failed {}{}\n",
                    printable(&dev.dev.name),
                    printable(&dev.dev.handle()),
                    dev.reload_failed,
                    stats_summary(&dev.reload_stats)
                )
            }
        };
        format!(
            "[{k}] {}: {}\n",
            printable(&dev.dev.name),
            printable(&dev.dev.handle())
        )
    }
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
        // A device whose reload failed is unusable: say so where it is named.
        let name = if d.reload_failed {
            format!("{} (reload failed)", printable(&d.dev.name))
        } else {
            printable(&d.dev.name).into_owned()
        };
        t.add_row([
            name,
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

/// ` reloads driver_reinit 3 fw_activate 1`: requested + remote, per
/// action over its limits (monitor lines).
fn stats_summary(stats: &[ReloadStat]) -> String {
    let mut per: Vec<(String, u64)> = Vec::new();
    for st in stats {
        let a = word(st.action.as_str());
        let n = st.count.saturating_add(st.remote_count);
        match per.iter_mut().find(|(k, _)| *k == a) {
            Some((_, v)) => *v = v.saturating_add(n),
            None => per.push((a, n)),
        }
    }
    per.iter().fold(String::new(), |mut s, (a, n)| {
        if s.is_empty() {
            s.push_str(" reloads");
        }
        let _ = write!(s, " {a} {n}");
        s
    })
}

fn dev_detail(d: &Device, stats: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {}",
        printable(&d.dev.name),
        printable(&d.dev.handle())
    );
    if d.reload_failed {
        let _ = writeln!(
            s,
            "  reload_failed true (the last reload failed; 'accelctl dev reload {}' recovers it)",
            printable(&d.dev.name)
        );
    }
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
    if !d.reload_actions.is_empty() {
        let actions: Vec<String> = d.reload_actions.iter().map(|a| word(a.as_str())).collect();
        let _ = writeln!(s, "  reload_actions {}", actions.join(" "));
    }
    if stats && !d.reload_stats.is_empty() {
        let _ = writeln!(s, "  reload_stats:");
        for st in &d.reload_stats {
            let _ = writeln!(
                s,
                "    action {} limit {} count {} remote_count {}",
                word(st.action.as_str()),
                word(st.limit.as_str()),
                st.count,
                st.remote_count
            );
        }
    }
    s
}
