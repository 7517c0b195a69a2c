//! The `handle` every message about a device carries (id, index, bus-name,
//! dev-name), decoded once for all objects.

use netlink_packet_core::DecodeError;

use crate::attr::DevAttr;

/// Identity of a device, as every reply and notification about one
/// carries it (the spec's `handle` nest).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DevIdent {
    /// Per-boot device id: never reused, unlike the index.
    pub id: u64,
    /// N of /dev/accel/accelN.
    pub index: u32,
    /// Minor name, e.g. `accel0` (dev-get sends it; derived from the index
    /// for the other objects).
    pub name: String,
    /// Parent bus, e.g. `pci`.
    pub bus_name: String,
    /// Parent device name on its bus, e.g. `0000:03:00.0`.
    pub dev_name: String,
}

/// Collects the identity attributes of a reply; later duplicates override.
#[derive(Debug, Default)]
pub(crate) struct IdentBuilder {
    id: Option<u64>,
    index: Option<u32>,
    name: Option<String>,
    bus_name: Option<String>,
    dev_name: Option<String>,
}

impl IdentBuilder {
    /// Take `nla` if it is an identity attribute; false otherwise.
    pub fn take(&mut self, nla: &DevAttr) -> bool {
        match nla {
            DevAttr::Id(v) => self.id = Some(*v),
            DevAttr::Index(v) => self.index = Some(*v),
            DevAttr::Name(s) => self.name = Some(s.clone()),
            DevAttr::BusName(s) => self.bus_name = Some(s.clone()),
            DevAttr::DevName(s) => self.dev_name = Some(s.clone()),
            _ => return false,
        }
        true
    }

    /// The four handle attributes are mandatory: `what` names the reply in
    /// the error.
    pub fn build(self, what: &str) -> Result<DevIdent, DecodeError> {
        fn need<T>(v: Option<T>, what: &str, attr: &str) -> Result<T, DecodeError> {
            v.ok_or_else(|| {
                DecodeError::from(format!("{what} reply lacks the handle {attr} attribute"))
            })
        }
        let index = need(self.index, what, "index")?;
        Ok(DevIdent {
            id: need(self.id, what, "id")?,
            index,
            name: self.name.unwrap_or_else(|| format!("accel{index}")),
            bus_name: need(self.bus_name, what, "bus-name")?,
            dev_name: need(self.dev_name, what, "dev-name")?,
        })
    }
}

impl DevIdent {
    /// The devlink-style handle `BUS/NAME`, e.g. `pci/0000:03:00.0`.
    pub fn handle(&self) -> String {
        format!("{}/{}", self.bus_name, self.dev_name)
    }

    /// The handle attributes (the name is not part of the handle).
    pub fn to_nlas(&self) -> Vec<DevAttr> {
        vec![
            DevAttr::Id(self.id),
            DevAttr::Index(self.index),
            DevAttr::BusName(self.bus_name.clone()),
            DevAttr::DevName(self.dev_name.clone()),
        ]
    }
}
