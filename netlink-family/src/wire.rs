//! The wire layout of each object: which attribute set a command's message
//! uses, and the mapping between that set and the flat [`DevAttr`] view
//! the typed views read. Every object's set starts with the `handle` nest
//! (id, index, bus-name, dev-name), whose attributes are lifted to the top
//! of the view; the health-reporter set's own attributes are grouped in
//! one [`DevAttr::HealthReporter`], its tree items are [`DevAttr::Fmsg`].
//!
//! Decoding keeps what it does not know (`Other`) and decodes every string
//! lossily, so that a newer kernel or an odd driver string never makes a
//! whole reply undecodable.

use netlink_packet_core::{
    parse_u32, DecodeError, DefaultNla, Emitable, ErrorContext, Nla, NlaBuffer, NlasIterator,
    Parseable, NLA_F_NESTED,
};

use crate::attr::{emit_string, parse_nlas, parse_string_lossy, put_u32, DevAttr};
use crate::generated::*;
use crate::health_attr::{parse_uint, put_uint, uint_len, HealthReporterAttr};
use crate::message::AccelCmd;

/// The attribute set of a command's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrSet {
    Dev,
    Info,
    HealthReporter,
    /// A command this crate does not know.
    Unknown,
}

impl AttrSet {
    /// The set the spec gives `cmd` (and its notifications).
    pub fn of(cmd: AccelCmd) -> Self {
        use AccelCmd::*;
        match cmd {
            DevGet | DevAddNtf | DevDelNtf => AttrSet::Dev,
            InfoGet | InfoChangeNtf => AttrSet::Info,
            HealthReporterGet
            | HealthReporterSet
            | HealthReporterRecover
            | HealthReporterDiagnose
            | HealthReporterDumpGet
            | HealthReporterDumpClear
            | HealthReporterTest
            | HealthReporterNewNtf
            | HealthReporterDelNtf
            | HealthReporterChangeNtf
            | HealthReporterErrorNtf
            | HealthReporterRecoverNtf => AttrSet::HealthReporter,
            Other(_) => AttrSet::Unknown,
        }
    }
}

/// Number of the `handle` nest: attribute 1 of every object's set, by the
/// spec's convention (checked at compile time).
const HANDLE: u16 = 1;
const _: () = assert!(
    ACCEL_A_DEV_HANDLE == HANDLE
        && ACCEL_A_INFO_HANDLE == HANDLE
        && ACCEL_A_HEALTH_REPORTER_HANDLE == HANDLE
);

/// An attribute of the `handle` set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HandleAttr {
    Id(u64),
    Index(u32),
    BusName(String),
    DevName(String),
    Other(DefaultNla),
}

impl Nla for HandleAttr {
    fn value_len(&self) -> usize {
        match self {
            HandleAttr::Id(v) => uint_len(*v),
            HandleAttr::Index(_) => 4,
            HandleAttr::BusName(s) | HandleAttr::DevName(s) => s.len() + 1,
            HandleAttr::Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        match self {
            HandleAttr::Id(_) => ACCEL_A_HANDLE_ID,
            HandleAttr::Index(_) => ACCEL_A_HANDLE_INDEX,
            HandleAttr::BusName(_) => ACCEL_A_HANDLE_BUS_NAME,
            HandleAttr::DevName(_) => ACCEL_A_HANDLE_DEV_NAME,
            HandleAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            HandleAttr::Id(v) => put_uint(buffer, *v),
            HandleAttr::Index(v) => put_u32(buffer, *v),
            HandleAttr::BusName(s) | HandleAttr::DevName(s) => emit_string(buffer, s),
            HandleAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for HandleAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        let p = buf.value();
        Ok(match buf.kind() {
            ACCEL_A_HANDLE_ID => HandleAttr::Id(parse_uint(p).context("invalid handle id")?),
            ACCEL_A_HANDLE_INDEX => {
                HandleAttr::Index(parse_u32(p).context("invalid handle index")?)
            }
            ACCEL_A_HANDLE_BUS_NAME => HandleAttr::BusName(parse_string_lossy(p)),
            ACCEL_A_HANDLE_DEV_NAME => HandleAttr::DevName(parse_string_lossy(p)),
            _ => HandleAttr::Other(DefaultNla::parse(buf).context("invalid handle attribute")?),
        })
    }
}

/// One attribute as it goes on the wire, in the set of its command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WireAttr {
    Handle(Vec<HandleAttr>),
    /// A view attribute whose encoding does not depend on the set, at the
    /// number it has in the set.
    At(u16, DevAttr),
    Reporter(HealthReporterAttr),
    Other(DefaultNla),
}

impl Nla for WireAttr {
    fn value_len(&self) -> usize {
        match self {
            WireAttr::Handle(v) => v.as_slice().buffer_len(),
            WireAttr::At(_, a) => view_value_len(a),
            WireAttr::Reporter(r) => r.value_len(),
            WireAttr::Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        match self {
            // nla_nest_start() in the kernel always sets NLA_F_NESTED; do the same.
            WireAttr::Handle(_) => HANDLE | NLA_F_NESTED,
            WireAttr::At(k, a) if is_nest(a) => k | NLA_F_NESTED,
            WireAttr::At(k, _) => *k,
            WireAttr::Reporter(r) => r.kind(),
            WireAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            WireAttr::Handle(v) => v.as_slice().emit(buffer),
            WireAttr::At(_, a) => view_emit(a, buffer),
            WireAttr::Reporter(r) => r.emit_value(buffer),
            WireAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}

fn is_nest(a: &DevAttr) -> bool {
    matches!(
        a,
        DevAttr::Pci(_)
            | DevAttr::InfoVersionFixed(_)
            | DevAttr::InfoVersionRunning(_)
            | DevAttr::InfoVersionStored(_)
            | DevAttr::Fmsg(_)
    )
}

fn view_value_len(a: &DevAttr) -> usize {
    match a {
        DevAttr::Id(v) => uint_len(*v),
        DevAttr::Index(_) | DevAttr::NumaNode(_) | DevAttr::Error(_) => 4,
        DevAttr::Name(s)
        | DevAttr::BusName(s)
        | DevAttr::DevName(s)
        | DevAttr::DriverName(s)
        | DevAttr::InfoSerialNumber(s) => s.len() + 1,
        DevAttr::RuntimeSuspended => 0,
        DevAttr::Pci(v) => v.as_slice().buffer_len(),
        DevAttr::InfoVersionFixed(v)
        | DevAttr::InfoVersionRunning(v)
        | DevAttr::InfoVersionStored(v) => v.as_slice().buffer_len(),
        DevAttr::HealthReporter(v) => v.as_slice().buffer_len(),
        DevAttr::Fmsg(v) => v.as_slice().buffer_len(),
        DevAttr::Other(nla) => nla.value_len(),
    }
}

fn view_emit(a: &DevAttr, buffer: &mut [u8]) {
    match a {
        DevAttr::Id(v) => put_uint(buffer, *v),
        DevAttr::Index(v) | DevAttr::NumaNode(v) | DevAttr::Error(v) => put_u32(buffer, *v),
        DevAttr::Name(s)
        | DevAttr::BusName(s)
        | DevAttr::DevName(s)
        | DevAttr::DriverName(s)
        | DevAttr::InfoSerialNumber(s) => emit_string(buffer, s),
        DevAttr::RuntimeSuspended => {}
        DevAttr::Pci(v) => v.as_slice().emit(buffer),
        DevAttr::InfoVersionFixed(v)
        | DevAttr::InfoVersionRunning(v)
        | DevAttr::InfoVersionStored(v) => v.as_slice().emit(buffer),
        DevAttr::HealthReporter(v) => v.as_slice().emit(buffer),
        DevAttr::Fmsg(v) => v.as_slice().emit(buffer),
        DevAttr::Other(nla) => nla.emit_value(buffer),
    }
}

/// The number `a` has in `set`, if it belongs there (handle attributes and
/// reporter groups are placed by [`encode`] itself).
fn number_in(set: AttrSet, a: &DevAttr) -> Option<u16> {
    match (set, a) {
        (AttrSet::Dev, DevAttr::Name(_)) => Some(ACCEL_A_DEV_NAME),
        (AttrSet::Dev, DevAttr::DriverName(_)) => Some(ACCEL_A_DEV_DRIVER_NAME),
        (AttrSet::Dev, DevAttr::NumaNode(_)) => Some(ACCEL_A_DEV_NUMA_NODE),
        (AttrSet::Dev, DevAttr::RuntimeSuspended) => Some(ACCEL_A_DEV_RUNTIME_SUSPENDED),
        (AttrSet::Dev, DevAttr::Pci(_)) => Some(ACCEL_A_DEV_PCI),
        (AttrSet::Info, DevAttr::Error(_)) => Some(ACCEL_A_INFO_ERROR),
        (AttrSet::Info, DevAttr::InfoSerialNumber(_)) => Some(ACCEL_A_INFO_SERIAL_NUMBER),
        (AttrSet::Info, DevAttr::InfoVersionFixed(_)) => Some(ACCEL_A_INFO_VERSION_FIXED),
        (AttrSet::Info, DevAttr::InfoVersionRunning(_)) => Some(ACCEL_A_INFO_VERSION_RUNNING),
        (AttrSet::Info, DevAttr::InfoVersionStored(_)) => Some(ACCEL_A_INFO_VERSION_STORED),
        (AttrSet::HealthReporter, DevAttr::Fmsg(_)) => Some(ACCEL_A_HEALTH_REPORTER_TREE_ITEM),
        _ => None,
    }
}

/// The wire attributes of a `cmd` message carrying the view `nlas`: the
/// handle nest first (if the view has handle attributes), then the rest in
/// view order. View attributes that do not belong to the command's set are
/// left out, except `Other`, which is sent as is.
pub(crate) fn encode(cmd: AccelCmd, nlas: &[DevAttr]) -> Vec<WireAttr> {
    let set = AttrSet::of(cmd);
    let handle: Vec<HandleAttr> = nlas
        .iter()
        .filter_map(|a| match a {
            DevAttr::Id(v) => Some(HandleAttr::Id(*v)),
            DevAttr::Index(v) => Some(HandleAttr::Index(*v)),
            DevAttr::BusName(s) => Some(HandleAttr::BusName(s.clone())),
            DevAttr::DevName(s) => Some(HandleAttr::DevName(s.clone())),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(nlas.len());
    if !handle.is_empty() && set != AttrSet::Unknown {
        out.push(WireAttr::Handle(handle));
    }
    for a in nlas {
        match a {
            DevAttr::HealthReporter(r) if set == AttrSet::HealthReporter => {
                out.extend(r.iter().cloned().map(WireAttr::Reporter))
            }
            DevAttr::Other(nla) => out.push(WireAttr::Other(nla.clone())),
            _ => {
                if let Some(k) = number_in(set, a) {
                    out.push(WireAttr::At(k, a.clone()))
                }
            }
        }
    }
    out
}

/// The view of the attributes `buf` of a `cmd` message.
pub(crate) fn decode(cmd: AccelCmd, buf: &[u8]) -> Result<Vec<DevAttr>, DecodeError> {
    let set = AttrSet::of(cmd);
    let mut out = Vec::new();
    // Index in `out` of the reporter group, created at its first attribute.
    let mut reporter: Option<usize> = None;
    for nla in NlasIterator::new(buf) {
        let nla = nla?;
        let p = nla.value();
        let kind = nla.kind();
        let a = match (set, kind) {
            (AttrSet::Unknown, _) => DevAttr::Other(DefaultNla::parse(&nla)?),
            (_, HANDLE) => {
                for h in parse_nlas::<HandleAttr>(p).context("invalid handle nest")? {
                    out.push(match h {
                        HandleAttr::Id(v) => DevAttr::Id(v),
                        HandleAttr::Index(v) => DevAttr::Index(v),
                        HandleAttr::BusName(s) => DevAttr::BusName(s),
                        HandleAttr::DevName(s) => DevAttr::DevName(s),
                        HandleAttr::Other(o) => DevAttr::Other(o),
                    });
                }
                continue;
            }
            (AttrSet::Dev, ACCEL_A_DEV_NAME) => DevAttr::Name(parse_string_lossy(p)),
            (AttrSet::Dev, ACCEL_A_DEV_DRIVER_NAME) => DevAttr::DriverName(parse_string_lossy(p)),
            (AttrSet::Dev, ACCEL_A_DEV_NUMA_NODE) => {
                DevAttr::NumaNode(parse_u32(p).context("invalid dev numa-node")?)
            }
            (AttrSet::Dev, ACCEL_A_DEV_RUNTIME_SUSPENDED) => DevAttr::RuntimeSuspended,
            (AttrSet::Dev, ACCEL_A_DEV_PCI) => {
                DevAttr::Pci(parse_nlas(p).context("invalid dev pci nest")?)
            }
            (AttrSet::Info, ACCEL_A_INFO_ERROR) => {
                DevAttr::Error(parse_u32(p).context("invalid info error")?)
            }
            (AttrSet::Info, ACCEL_A_INFO_SERIAL_NUMBER) => {
                DevAttr::InfoSerialNumber(parse_string_lossy(p))
            }
            (AttrSet::Info, ACCEL_A_INFO_VERSION_FIXED) => {
                DevAttr::InfoVersionFixed(parse_nlas(p).context("invalid info version-fixed nest")?)
            }
            (AttrSet::Info, ACCEL_A_INFO_VERSION_RUNNING) => DevAttr::InfoVersionRunning(
                parse_nlas(p).context("invalid info version-running nest")?,
            ),
            (AttrSet::Info, ACCEL_A_INFO_VERSION_STORED) => DevAttr::InfoVersionStored(
                parse_nlas(p).context("invalid info version-stored nest")?,
            ),
            (AttrSet::HealthReporter, ACCEL_A_HEALTH_REPORTER_TREE_ITEM) => {
                DevAttr::Fmsg(parse_nlas(p).context("invalid tree-item nest")?)
            }
            (AttrSet::HealthReporter, _) => {
                let r = HealthReporterAttr::parse(&nla)?;
                match reporter {
                    Some(i) => {
                        if let Some(DevAttr::HealthReporter(group)) = out.get_mut(i) {
                            group.push(r);
                        }
                    }
                    None => {
                        reporter = Some(out.len());
                        out.push(DevAttr::HealthReporter(vec![r]));
                    }
                }
                continue;
            }
            _ => DevAttr::Other(DefaultNla::parse(&nla)?),
        };
        out.push(a);
    }
    Ok(out)
}

/// Spec name of attribute `kind` in a `cmd` message, at the top level
/// (`outer` `None`) or nested in the top-level attribute `outer`: extack
/// offsets may point into a nest (the handle, for one).
pub fn attr_name(cmd: AccelCmd, outer: Option<u16>, kind: u16) -> Option<&'static str> {
    let top = match AttrSet::of(cmd) {
        AttrSet::Dev => DEV_ATTRS,
        AttrSet::Info => INFO_ATTRS,
        AttrSet::HealthReporter => HEALTH_REPORTER_ATTRS,
        AttrSet::Unknown => return None,
    };
    let set = match outer {
        None => top,
        // The nested set of a top-level nest, by the nest's spec name.
        Some(o) => match name_in(top, o)? {
            "handle" => HANDLE_ATTRS,
            "pci" => PCI_ATTRS,
            "version-fixed" | "version-running" | "version-stored" => INFO_VERSION_ATTRS,
            "tree-item" => TREE_ITEM_ATTRS,
            _ => return None,
        },
    };
    name_in(set, kind)
}

fn name_in(set: &[AttrDef], kind: u16) -> Option<&'static str> {
    set.iter().find(|(k, _, _)| *k == kind).map(|(_, n, _)| *n)
}
