//! Decoded view of an `info-get` reply or `info-change-ntf` notification:
//! serial number and versions, plain structs, no netlink types.

use netlink_packet_core::DecodeError;

use crate::attrs::{InfoAttr, InfoVersionAttr};
use crate::ident::DevIdent;
use crate::message::AccelMessage;
use crate::ops::Attrs;

/// The information a driver reports about one device.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceInfo {
    /// Which device.
    pub dev: DevIdent,
    /// In a dump: the driver failed to report this device's information
    /// (positive errno); the other fields are then empty.
    pub error: Option<u32>,
    /// Serial number, if the driver reports one.
    pub serial_number: Option<String>,
    /// Hardware identifiers and revisions (`board.id`, `asic.rev`, ...).
    pub fixed: Vec<Version>,
    /// Firmware executing now.
    pub running: Vec<Version>,
    /// Firmware that runs after the next reset or activation.
    pub stored: Vec<Version>,
}

/// One component's version: a generic name (`fw`, `fw.mgmt`, `board.id`,
/// ...) or one prefixed with the driver name, and its value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Version {
    pub name: String,
    pub value: String,
}

impl Version {
    /// Decode one `info-version` nest; both name and value are mandatory.
    pub fn from_attrs(attrs: &[InfoVersionAttr], group: &str) -> Result<Self, DecodeError> {
        let (mut name, mut value) = (None, None);
        for a in attrs {
            match a {
                InfoVersionAttr::Name(s) => name = Some(s.clone()),
                InfoVersionAttr::Value(s) => value = Some(s.clone()),
                InfoVersionAttr::Unknown(_) => {}
            }
        }
        match (name, value) {
            (Some(name), Some(value)) => Ok(Version { name, value }),
            (None, _) => Err(format!("info-version-{group} nest lacks the name attribute").into()),
            (Some(name), None) => {
                Err(format!("info-version-{group} {name:?} lacks the value attribute").into())
            }
        }
    }

    fn to_attrs(&self) -> Vec<InfoVersionAttr> {
        vec![
            InfoVersionAttr::Name(self.name.clone()),
            InfoVersionAttr::Value(self.value.clone()),
        ]
    }
}

impl DeviceInfo {
    /// Names of the stored versions that would change what runs at the next
    /// activation: those whose running version of the same name differs or
    /// is missing. In stored order.
    ///
    /// ```
    /// use accel_netlink::{DeviceInfo, Version};
    /// let v = |name: &str, value: &str| Version { name: name.into(), value: value.into() };
    /// let info = DeviceInfo {
    ///     running: vec![v("fw", "1.0"), v("fw.mgmt", "2")],
    ///     stored: vec![v("fw", "1.1"), v("fw.mgmt", "2"), v("fw.app", "3")],
    ///     ..Default::default()
    /// };
    /// assert_eq!(info.pending_activation(), ["fw", "fw.app"]);
    /// ```
    pub fn pending_activation(&self) -> Vec<&str> {
        self.stored
            .iter()
            .filter(|s| self.is_pending_activation(s))
            .map(|s| s.name.as_str())
            .collect()
    }

    /// Whether `stored` (one of [`DeviceInfo::stored`]) is not what runs
    /// now: no running version has its name and value. Judged per entry, so
    /// a driver listing one name twice gets each entry judged on its own.
    pub fn is_pending_activation(&self, stored: &Version) -> bool {
        !self.running.iter().any(|r| r == stored)
    }

    /// Decode from the attributes of an info-get reply or info-change-ntf.
    ///
    /// The handle attributes are mandatory; versions keep the kernel's
    /// order; unknown attributes are ignored.
    pub fn from_attrs(attrs: &[InfoAttr]) -> Result<Self, DecodeError> {
        let mut handle = None;
        let mut out = DeviceInfo::default();
        for a in attrs {
            match a {
                InfoAttr::Handle(h) => handle = Some(h.as_slice()),
                InfoAttr::Error(e) => out.error = Some(*e),
                InfoAttr::SerialNumber(s) => out.serial_number = Some(s.clone()),
                InfoAttr::VersionFixed(v) => out.fixed.push(Version::from_attrs(v, "fixed")?),
                InfoAttr::VersionRunning(v) => out.running.push(Version::from_attrs(v, "running")?),
                InfoAttr::VersionStored(v) => out.stored.push(Version::from_attrs(v, "stored")?),
                InfoAttr::Unknown(_) => {}
            }
        }
        out.dev = DevIdent::from_handle(handle, None, "info")?;
        Ok(out)
    }

    /// Whether `next` continues this device's information: the kernel
    /// splits information too large for one message over consecutive dump
    /// messages with the same handle.
    pub fn continued_by(&self, next: &DeviceInfo) -> bool {
        self.dev.id == next.dev.id
    }

    /// Append the continuation `next` (see [`DeviceInfo::continued_by`]).
    pub fn merge(&mut self, next: DeviceInfo) {
        if self.serial_number.is_none() {
            self.serial_number = next.serial_number;
        }
        self.error = self.error.or(next.error);
        self.fixed.extend(next.fixed);
        self.running.extend(next.running);
        self.stored.extend(next.stored);
    }

    /// Encode as the attributes a kernel reply would carry.
    pub fn to_attrs(&self) -> Vec<InfoAttr> {
        let mut v = vec![InfoAttr::Handle(self.dev.to_handle())];
        v.extend(self.error.map(InfoAttr::Error));
        v.extend(self.serial_number.clone().map(InfoAttr::SerialNumber));
        v.extend(
            self.fixed
                .iter()
                .map(|x| InfoAttr::VersionFixed(x.to_attrs())),
        );
        v.extend(
            self.running
                .iter()
                .map(|x| InfoAttr::VersionRunning(x.to_attrs())),
        );
        v.extend(
            self.stored
                .iter()
                .map(|x| InfoAttr::VersionStored(x.to_attrs())),
        );
        v
    }
}

impl TryFrom<&AccelMessage> for DeviceInfo {
    type Error = DecodeError;
    fn try_from(msg: &AccelMessage) -> Result<Self, DecodeError> {
        match &msg.attrs {
            Attrs::Info(a) => DeviceInfo::from_attrs(a),
            _ => Err(msg.wrong_set("info")),
        }
    }
}
