//! The attributes that identify the device in every reply about one
//! (index, name, bus-name, dev-name, driver-name), decoded once for all
//! objects.

use netlink_packet_core::DecodeError;

use crate::attr::DevAttr;

/// Identity of a device, as every reply about one carries it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DevIdent {
    /// N of /dev/accel/accelN.
    pub index: u32,
    /// Minor name, e.g. `accel0`.
    pub name: String,
    /// Parent bus, e.g. `pci`.
    pub bus_name: String,
    /// Parent device name on its bus, e.g. `0000:03:00.0`.
    pub dev_name: String,
    /// DRM driver name.
    pub driver_name: String,
}

/// Collects the identity attributes of a reply; later duplicates override.
#[derive(Debug, Default)]
pub(crate) struct IdentBuilder {
    index: Option<u32>,
    name: Option<String>,
    bus_name: Option<String>,
    dev_name: Option<String>,
    driver_name: Option<String>,
}

impl IdentBuilder {
    /// Take `nla` if it is an identity attribute; false otherwise.
    pub fn take(&mut self, nla: &DevAttr) -> bool {
        match nla {
            DevAttr::Index(v) => self.index = Some(*v),
            DevAttr::Name(s) => self.name = Some(s.clone()),
            DevAttr::BusName(s) => self.bus_name = Some(s.clone()),
            DevAttr::DevName(s) => self.dev_name = Some(s.clone()),
            DevAttr::DriverName(s) => self.driver_name = Some(s.clone()),
            _ => return false,
        }
        true
    }

    /// All five are mandatory: `what` names the reply in the error.
    pub fn build(self, what: &str) -> Result<DevIdent, DecodeError> {
        fn need<T>(v: Option<T>, what: &str, attr: &str) -> Result<T, DecodeError> {
            v.ok_or_else(|| DecodeError::from(format!("{what} reply lacks the {attr} attribute")))
        }
        Ok(DevIdent {
            index: need(self.index, what, "index")?,
            name: need(self.name, what, "name")?,
            bus_name: need(self.bus_name, what, "bus-name")?,
            dev_name: need(self.dev_name, what, "dev-name")?,
            driver_name: need(self.driver_name, what, "driver-name")?,
        })
    }
}

impl DevIdent {
    /// The devlink-style handle `BUS/NAME`, e.g. `pci/0000:03:00.0`.
    pub fn handle(&self) -> String {
        format!("{}/{}", self.bus_name, self.dev_name)
    }

    /// Encoded in spec order.
    pub fn to_nlas(&self) -> Vec<DevAttr> {
        vec![
            DevAttr::Index(self.index),
            DevAttr::Name(self.name.clone()),
            DevAttr::BusName(self.bus_name.clone()),
            DevAttr::DevName(self.dev_name.clone()),
            DevAttr::DriverName(self.driver_name.clone()),
        ]
    }
}
