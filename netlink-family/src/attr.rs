//! The attributes of a message, as the typed views read them ([`DevAttr`]),
//! and the `pci` and `info-version` sets nested in them (the health sets
//! are in `health_attr.rs`; the wire layout of each object's set is in
//! `wire.rs`).
//!
//! Unknown attribute numbers decode to `Other` so that replies from a newer
//! kernel (which may add attributes) still parse.

use netlink_packet_core::{
    emit_u32, parse_u32, DecodeError, DefaultNla, ErrorContext, Nla, NlaBuffer, NlasIterator,
    Parseable,
};

use crate::generated::*;
use crate::health_attr::{FmsgItemAttr, HealthReporterAttr};

/// An attribute of a message of the family, whatever the object's set:
/// the handle nest's attributes (`Id`, `Index`, `BusName`, `DevName`) are
/// lifted to the top, a reporter's own attributes are grouped in
/// `HealthReporter`, and each tree item is one `Fmsg`. [`crate::wire`]
/// maps these to and from each command's attribute set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevAttr {
    /// Per-boot device id (handle).
    Id(u64),
    /// N of /dev/accel/accelN (handle).
    Index(u32),
    Name(String),
    BusName(String),
    DevName(String),
    DriverName(String),
    /// Info dumps only: the driver failed for this device (positive errno).
    Error(u32),
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
    VendorId(u32),
    DeviceId(u32),
    SubsystemVendorId(u32),
    SubsystemDeviceId(u32),
    Revision(u32),
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
pub(crate) fn put_u32(buffer: &mut [u8], v: u32) {
    let _ = emit_u32(buffer, v);
}

impl Nla for PciAttr {
    fn value_len(&self) -> usize {
        match self {
            PciAttr::VendorId(_)
            | PciAttr::DeviceId(_)
            | PciAttr::SubsystemVendorId(_)
            | PciAttr::SubsystemDeviceId(_)
            | PciAttr::Revision(_)
            | PciAttr::Class(_)
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
            | PciAttr::SubsystemDeviceId(v)
            | PciAttr::Revision(v)
            | PciAttr::Class(v)
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
                PciAttr::VendorId(parse_u32(p).context("invalid pci vendor-id")?)
            }
            ACCEL_A_PCI_DEVICE_ID => {
                PciAttr::DeviceId(parse_u32(p).context("invalid pci device-id")?)
            }
            ACCEL_A_PCI_SUBSYSTEM_VENDOR_ID => {
                PciAttr::SubsystemVendorId(parse_u32(p).context("invalid pci subsystem-vendor-id")?)
            }
            ACCEL_A_PCI_SUBSYSTEM_DEVICE_ID => {
                PciAttr::SubsystemDeviceId(parse_u32(p).context("invalid pci subsystem-device-id")?)
            }
            ACCEL_A_PCI_REVISION => {
                PciAttr::Revision(parse_u32(p).context("invalid pci revision")?)
            }
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
            ACCEL_A_INFO_VERSION_NAME => InfoVersionAttr::Name(parse_string_lossy(p)),
            ACCEL_A_INFO_VERSION_VALUE => InfoVersionAttr::Value(parse_string_lossy(p)),
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
