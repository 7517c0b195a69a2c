//! Typed attributes of the `dev`, `pci` and `info-version` attribute sets
//! (the health sets are in `health_attr.rs`).
//!
//! Unknown attribute numbers decode to `Other` so that replies from a newer
//! kernel (which may add attributes) still parse.

use netlink_packet_core::{
    emit_u16, emit_u32, parse_string, parse_u16, parse_u32, parse_u8, DecodeError, DefaultNla,
    Emitable, ErrorContext, Nla, NlaBuffer, NlasIterator, Parseable, NLA_F_NESTED,
};

use crate::constants::*;
use crate::health_attr::{FmsgItemAttr, HealthReporterAttr};

/// An attribute of the `dev` set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevAttr {
    Index(u32),
    Name(String),
    BusName(String),
    DevName(String),
    DriverName(String),
    NumaNode(u32),
    RuntimeSuspended,
    Pci(Vec<PciAttr>),
    InfoSerialNumber(String),
    InfoVersionFixed(Vec<InfoVersionAttr>),
    InfoVersionRunning(Vec<InfoVersionAttr>),
    InfoVersionStored(Vec<InfoVersionAttr>),
    HealthReporter(Vec<HealthReporterAttr>),
    /// One item of a diagnose or dump message (multi-attr: in order).
    Fmsg(Vec<FmsgItemAttr>),
    Other(DefaultNla),
}

/// An attribute of the `info-version` set (nested in the
/// `DevAttr::InfoVersion*` attributes, one nest per version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InfoVersionAttr {
    Name(String),
    Value(String),
    Other(DefaultNla),
}

/// An attribute of the `pci` set (nested in [`DevAttr::Pci`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PciAttr {
    VendorId(u16),
    DeviceId(u16),
    SubsystemVendorId(u16),
    SubsystemDeviceId(u16),
    Revision(u8),
    Class(u32),
    LinkSpeed(u32),
    LinkWidth(u32),
    LinkMaxSpeed(u32),
    LinkMaxWidth(u32),
    Other(DefaultNla),
}

/// Decode a string attribute from the kernel without failing: strip one
/// trailing NUL, then replace invalid UTF-8 with U+FFFD. The kernel may
/// truncate a driver's text (last-error-msg to 255 bytes) in the middle of
/// a UTF-8 character, and a driver may put any bytes in a name or value;
/// neither should make a whole reply undecodable.
pub fn parse_string_lossy(payload: &[u8]) -> String {
    let s = payload.strip_suffix(&[0]).unwrap_or(payload);
    String::from_utf8_lossy(s).into_owned()
}

/// Strings go on the wire NUL-terminated, as the kernel's NLA_NUL_STRING expects.
pub(crate) fn emit_string(buffer: &mut [u8], s: &str) {
    buffer[..s.len()].copy_from_slice(s.as_bytes());
    buffer[s.len()] = 0;
}

// The emit_* helpers only fail when the buffer is too small, which value_len()
// rules out; ignoring their result keeps emit() panic-free.
fn put_u16(buffer: &mut [u8], v: u16) {
    let _ = emit_u16(buffer, v);
}
pub(crate) fn put_u32(buffer: &mut [u8], v: u32) {
    let _ = emit_u32(buffer, v);
}

impl Nla for DevAttr {
    fn value_len(&self) -> usize {
        match self {
            DevAttr::Index(_) | DevAttr::NumaNode(_) => 4,
            DevAttr::Name(s)
            | DevAttr::BusName(s)
            | DevAttr::DevName(s)
            | DevAttr::DriverName(s)
            | DevAttr::InfoSerialNumber(s) => s.len() + 1,
            DevAttr::RuntimeSuspended => 0,
            DevAttr::Pci(nlas) => nlas.as_slice().buffer_len(),
            DevAttr::InfoVersionFixed(nlas)
            | DevAttr::InfoVersionRunning(nlas)
            | DevAttr::InfoVersionStored(nlas) => nlas.as_slice().buffer_len(),
            DevAttr::HealthReporter(nlas) => nlas.as_slice().buffer_len(),
            DevAttr::Fmsg(nlas) => nlas.as_slice().buffer_len(),
            DevAttr::Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        match self {
            DevAttr::Index(_) => ACCEL_A_DEV_INDEX,
            DevAttr::Name(_) => ACCEL_A_DEV_NAME,
            DevAttr::BusName(_) => ACCEL_A_DEV_BUS_NAME,
            DevAttr::DevName(_) => ACCEL_A_DEV_DEV_NAME,
            DevAttr::DriverName(_) => ACCEL_A_DEV_DRIVER_NAME,
            DevAttr::NumaNode(_) => ACCEL_A_DEV_NUMA_NODE,
            DevAttr::RuntimeSuspended => ACCEL_A_DEV_RUNTIME_SUSPENDED,
            // nla_nest_start() in the kernel always sets NLA_F_NESTED; do the same.
            DevAttr::Pci(_) => ACCEL_A_DEV_PCI | NLA_F_NESTED,
            DevAttr::InfoSerialNumber(_) => ACCEL_A_DEV_INFO_SERIAL_NUMBER,
            DevAttr::InfoVersionFixed(_) => ACCEL_A_DEV_INFO_VERSION_FIXED | NLA_F_NESTED,
            DevAttr::InfoVersionRunning(_) => ACCEL_A_DEV_INFO_VERSION_RUNNING | NLA_F_NESTED,
            DevAttr::InfoVersionStored(_) => ACCEL_A_DEV_INFO_VERSION_STORED | NLA_F_NESTED,
            DevAttr::HealthReporter(_) => ACCEL_A_DEV_HEALTH_REPORTER | NLA_F_NESTED,
            DevAttr::Fmsg(_) => ACCEL_A_DEV_FMSG | NLA_F_NESTED,
            DevAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            DevAttr::Index(v) | DevAttr::NumaNode(v) => put_u32(buffer, *v),
            DevAttr::Name(s)
            | DevAttr::BusName(s)
            | DevAttr::DevName(s)
            | DevAttr::DriverName(s)
            | DevAttr::InfoSerialNumber(s) => emit_string(buffer, s),
            DevAttr::RuntimeSuspended => {}
            DevAttr::Pci(nlas) => nlas.as_slice().emit(buffer),
            DevAttr::InfoVersionFixed(nlas)
            | DevAttr::InfoVersionRunning(nlas)
            | DevAttr::InfoVersionStored(nlas) => nlas.as_slice().emit(buffer),
            DevAttr::HealthReporter(nlas) => nlas.as_slice().emit(buffer),
            DevAttr::Fmsg(nlas) => nlas.as_slice().emit(buffer),
            DevAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for DevAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        let payload = buf.value();
        Ok(match buf.kind() {
            ACCEL_A_DEV_INDEX => DevAttr::Index(parse_u32(payload).context("invalid dev index")?),
            ACCEL_A_DEV_NAME => DevAttr::Name(parse_string(payload).context("invalid dev name")?),
            ACCEL_A_DEV_BUS_NAME => {
                DevAttr::BusName(parse_string(payload).context("invalid dev bus-name")?)
            }
            ACCEL_A_DEV_DEV_NAME => {
                DevAttr::DevName(parse_string(payload).context("invalid dev dev-name")?)
            }
            ACCEL_A_DEV_DRIVER_NAME => {
                DevAttr::DriverName(parse_string(payload).context("invalid dev driver-name")?)
            }
            ACCEL_A_DEV_NUMA_NODE => {
                DevAttr::NumaNode(parse_u32(payload).context("invalid dev numa-node")?)
            }
            ACCEL_A_DEV_RUNTIME_SUSPENDED => DevAttr::RuntimeSuspended,
            ACCEL_A_DEV_PCI => DevAttr::Pci(parse_nlas(payload).context("invalid dev pci nest")?),
            ACCEL_A_DEV_INFO_SERIAL_NUMBER => DevAttr::InfoSerialNumber(
                parse_string(payload).context("invalid dev info-serial-number")?,
            ),
            ACCEL_A_DEV_INFO_VERSION_FIXED => DevAttr::InfoVersionFixed(
                parse_nlas(payload).context("invalid dev info-version-fixed nest")?,
            ),
            ACCEL_A_DEV_INFO_VERSION_RUNNING => DevAttr::InfoVersionRunning(
                parse_nlas(payload).context("invalid dev info-version-running nest")?,
            ),
            ACCEL_A_DEV_INFO_VERSION_STORED => DevAttr::InfoVersionStored(
                parse_nlas(payload).context("invalid dev info-version-stored nest")?,
            ),
            ACCEL_A_DEV_HEALTH_REPORTER => DevAttr::HealthReporter(
                parse_nlas(payload).context("invalid dev health-reporter nest")?,
            ),
            ACCEL_A_DEV_FMSG => {
                DevAttr::Fmsg(parse_nlas(payload).context("invalid dev fmsg nest")?)
            }
            _ => DevAttr::Other(DefaultNla::parse(buf).context("invalid dev attribute")?),
        })
    }
}

impl Nla for PciAttr {
    fn value_len(&self) -> usize {
        match self {
            PciAttr::VendorId(_)
            | PciAttr::DeviceId(_)
            | PciAttr::SubsystemVendorId(_)
            | PciAttr::SubsystemDeviceId(_) => 2,
            PciAttr::Revision(_) => 1,
            PciAttr::Class(_)
            | PciAttr::LinkSpeed(_)
            | PciAttr::LinkWidth(_)
            | PciAttr::LinkMaxSpeed(_)
            | PciAttr::LinkMaxWidth(_) => 4,
            PciAttr::Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        match self {
            PciAttr::VendorId(_) => ACCEL_A_PCI_VENDOR_ID,
            PciAttr::DeviceId(_) => ACCEL_A_PCI_DEVICE_ID,
            PciAttr::SubsystemVendorId(_) => ACCEL_A_PCI_SUBSYSTEM_VENDOR_ID,
            PciAttr::SubsystemDeviceId(_) => ACCEL_A_PCI_SUBSYSTEM_DEVICE_ID,
            PciAttr::Revision(_) => ACCEL_A_PCI_REVISION,
            PciAttr::Class(_) => ACCEL_A_PCI_CLASS,
            PciAttr::LinkSpeed(_) => ACCEL_A_PCI_LINK_SPEED,
            PciAttr::LinkWidth(_) => ACCEL_A_PCI_LINK_WIDTH,
            PciAttr::LinkMaxSpeed(_) => ACCEL_A_PCI_LINK_MAX_SPEED,
            PciAttr::LinkMaxWidth(_) => ACCEL_A_PCI_LINK_MAX_WIDTH,
            PciAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            PciAttr::VendorId(v)
            | PciAttr::DeviceId(v)
            | PciAttr::SubsystemVendorId(v)
            | PciAttr::SubsystemDeviceId(v) => put_u16(buffer, *v),
            PciAttr::Revision(v) => buffer[0] = *v,
            PciAttr::Class(v)
            | PciAttr::LinkSpeed(v)
            | PciAttr::LinkWidth(v)
            | PciAttr::LinkMaxSpeed(v)
            | PciAttr::LinkMaxWidth(v) => put_u32(buffer, *v),
            PciAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for PciAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        let p = buf.value();
        Ok(match buf.kind() {
            ACCEL_A_PCI_VENDOR_ID => {
                PciAttr::VendorId(parse_u16(p).context("invalid pci vendor-id")?)
            }
            ACCEL_A_PCI_DEVICE_ID => {
                PciAttr::DeviceId(parse_u16(p).context("invalid pci device-id")?)
            }
            ACCEL_A_PCI_SUBSYSTEM_VENDOR_ID => {
                PciAttr::SubsystemVendorId(parse_u16(p).context("invalid pci subsystem-vendor-id")?)
            }
            ACCEL_A_PCI_SUBSYSTEM_DEVICE_ID => {
                PciAttr::SubsystemDeviceId(parse_u16(p).context("invalid pci subsystem-device-id")?)
            }
            ACCEL_A_PCI_REVISION => PciAttr::Revision(parse_u8(p).context("invalid pci revision")?),
            ACCEL_A_PCI_CLASS => PciAttr::Class(parse_u32(p).context("invalid pci class")?),
            ACCEL_A_PCI_LINK_SPEED => {
                PciAttr::LinkSpeed(parse_u32(p).context("invalid pci link-speed")?)
            }
            ACCEL_A_PCI_LINK_WIDTH => {
                PciAttr::LinkWidth(parse_u32(p).context("invalid pci link-width")?)
            }
            ACCEL_A_PCI_LINK_MAX_SPEED => {
                PciAttr::LinkMaxSpeed(parse_u32(p).context("invalid pci link-max-speed")?)
            }
            ACCEL_A_PCI_LINK_MAX_WIDTH => {
                PciAttr::LinkMaxWidth(parse_u32(p).context("invalid pci link-max-width")?)
            }
            _ => PciAttr::Other(DefaultNla::parse(buf).context("invalid pci attribute")?),
        })
    }
}

impl Nla for InfoVersionAttr {
    fn value_len(&self) -> usize {
        match self {
            InfoVersionAttr::Name(s) | InfoVersionAttr::Value(s) => s.len() + 1,
            InfoVersionAttr::Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        match self {
            InfoVersionAttr::Name(_) => ACCEL_A_INFO_VERSION_NAME,
            InfoVersionAttr::Value(_) => ACCEL_A_INFO_VERSION_VALUE,
            InfoVersionAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            InfoVersionAttr::Name(s) | InfoVersionAttr::Value(s) => emit_string(buffer, s),
            InfoVersionAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for InfoVersionAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        let p = buf.value();
        Ok(match buf.kind() {
            ACCEL_A_INFO_VERSION_NAME => {
                InfoVersionAttr::Name(parse_string(p).context("invalid info-version name")?)
            }
            ACCEL_A_INFO_VERSION_VALUE => {
                InfoVersionAttr::Value(parse_string(p).context("invalid info-version value")?)
            }
            _ => InfoVersionAttr::Other(
                DefaultNla::parse(buf).context("invalid info-version attribute")?,
            ),
        })
    }
}

/// Parse a run of attributes of one set (a message body or a nest).
pub fn parse_nlas<A>(buf: &[u8]) -> Result<Vec<A>, DecodeError>
where
    A: for<'a> Parseable<NlaBuffer<&'a [u8]>>,
{
    NlasIterator::new(buf)
        .map(|nla| nla.and_then(|nla| A::parse(&nla)))
        .collect()
}
