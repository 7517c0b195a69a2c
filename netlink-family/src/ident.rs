//! The `handle` every message about a device carries (id, index, bus-name,
//! dev-name), decoded once for all objects.

use netlink_packet_core::DecodeError;

use crate::attrs::HandleAttr;

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

impl DevIdent {
    /// Decode a `handle` nest; `name` is the minor name if the message
    /// carries one. `what` names the reply in errors.
    pub fn from_handle(
        handle: Option<&[HandleAttr]>,
        name: Option<String>,
        what: &str,
    ) -> Result<Self, DecodeError> {
        let lacks = |attr: &str| {
            DecodeError::from(format!("{what} reply lacks the handle {attr} attribute"))
        };
        let (mut id, mut index, mut bus, mut dev) = (None, None, None, None);
        let handle = handle
            .ok_or_else(|| DecodeError::from(format!("{what} reply lacks the handle attribute")))?;
        for a in handle {
            match a {
                HandleAttr::Id(v) => id = Some(*v),
                HandleAttr::Index(v) => index = Some(*v),
                HandleAttr::BusName(s) => bus = Some(s.clone()),
                HandleAttr::DevName(s) => dev = Some(s.clone()),
                HandleAttr::Unknown(_) => {}
            }
        }
        let index = index.ok_or_else(|| lacks("index"))?;
        Ok(DevIdent {
            id: id.ok_or_else(|| lacks("id"))?,
            index,
            name: name.unwrap_or_else(|| format!("accel{index}")),
            bus_name: bus.ok_or_else(|| lacks("bus-name"))?,
            dev_name: dev.ok_or_else(|| lacks("dev-name"))?,
        })
    }

    /// The devlink-style handle `BUS/NAME`, e.g. `pci/0000:03:00.0`.
    pub fn handle(&self) -> String {
        format!("{}/{}", self.bus_name, self.dev_name)
    }

    /// The `handle` nest (the name is not part of it).
    pub fn to_handle(&self) -> Vec<HandleAttr> {
        vec![
            HandleAttr::Id(self.id),
            HandleAttr::Index(self.index),
            HandleAttr::BusName(self.bus_name.clone()),
            HandleAttr::DevName(self.dev_name.clone()),
        ]
    }
}
