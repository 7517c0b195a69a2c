//! Decoded view of a `dev` reply/notification: plain structs, no netlink types.

use netlink_packet_core::DecodeError;

use crate::attrs::{DevAttr, PciAttr};
use crate::ident::DevIdent;
use crate::message::AccelMessage;
use crate::ops::Attrs;
use crate::reload::{actions_from_mask, actions_to_mask, ReloadAction, ReloadStat};

/// One accel device as the kernel describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Device {
    /// Which device: id, index, minor name, parent bus and device.
    pub dev: DevIdent,
    /// DRM driver name.
    pub driver_name: String,
    /// NUMA node of the parent, `None` when it has no affinity.
    pub numa_node: Option<u32>,
    /// The device was runtime-suspended when the reply was built.
    pub runtime_suspended: bool,
    /// PCI identity and link, for PCI parents.
    pub pci: Option<PciInfo>,
    /// Reload actions the driver supports (empty: it cannot reload).
    pub reload_actions: Vec<ReloadAction>,
    /// The last reload failed: the device is unusable until a reload
    /// succeeds.
    pub reload_failed: bool,
    /// How often each action was performed, per limit.
    pub reload_stats: Vec<ReloadStat>,
}

/// PCI identity and PCIe link of a device's parent. Speeds in MT/s per lane.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PciInfo {
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

impl Device {
    /// Decode from the attributes of a dev-get reply or notification.
    ///
    /// The handle (id, index, bus-name, dev-name) and the driver name are
    /// mandatory; a later duplicate attribute overrides an earlier one and
    /// unknown attributes are ignored.
    pub fn from_attrs(attrs: &[DevAttr]) -> Result<Self, DecodeError> {
        let (mut handle, mut name, mut driver) = (None, None, None);
        let mut out = Device::default();
        for a in attrs {
            match a {
                DevAttr::Handle(h) => handle = Some(h.as_slice()),
                DevAttr::Name(s) => name = Some(s.clone()),
                DevAttr::DriverName(s) => driver = Some(s.clone()),
                DevAttr::NumaNode(v) => out.numa_node = Some(*v),
                DevAttr::RuntimeSuspended => out.runtime_suspended = true,
                DevAttr::Pci(p) => out.pci = Some(PciInfo::from_attrs(p)),
                DevAttr::ReloadActions(m) => out.reload_actions = actions_from_mask(*m),
                DevAttr::ReloadFailed => out.reload_failed = true,
                DevAttr::ReloadStats(st) => out.reload_stats.push(ReloadStat::from_attrs(st)?),
                DevAttr::Unknown(_) => {}
            }
        }
        out.dev = DevIdent::from_handle(handle, name, "dev")?;
        out.driver_name = driver.ok_or("dev reply lacks the driver-name attribute")?;
        Ok(out)
    }

    /// Encode as the attributes a kernel reply would carry (spec order).
    pub fn to_attrs(&self) -> Vec<DevAttr> {
        let mut v = vec![
            DevAttr::Handle(self.dev.to_handle()),
            DevAttr::Name(self.dev.name.clone()),
            DevAttr::DriverName(self.driver_name.clone()),
        ];
        v.extend(self.numa_node.map(DevAttr::NumaNode));
        if self.runtime_suspended {
            v.push(DevAttr::RuntimeSuspended);
        }
        if let Some(p) = &self.pci {
            v.push(DevAttr::Pci(p.to_attrs()));
        }
        if !self.reload_actions.is_empty() {
            v.push(DevAttr::ReloadActions(actions_to_mask(
                &self.reload_actions,
            )));
        }
        if self.reload_failed {
            v.push(DevAttr::ReloadFailed);
        }
        v.extend(
            self.reload_stats
                .iter()
                .map(|st| DevAttr::ReloadStats(st.to_attrs())),
        );
        v
    }
}

impl PciInfo {
    /// Decode the `pci` nest; unknown attributes are ignored.
    pub fn from_attrs(attrs: &[PciAttr]) -> Self {
        let mut p = PciInfo::default();
        for a in attrs {
            match a {
                PciAttr::VendorId(v) => p.vendor_id = Some(*v),
                PciAttr::DeviceId(v) => p.device_id = Some(*v),
                PciAttr::SubsystemVendorId(v) => p.subsystem_vendor_id = Some(*v),
                PciAttr::SubsystemDeviceId(v) => p.subsystem_device_id = Some(*v),
                PciAttr::Revision(v) => p.revision = Some(*v),
                PciAttr::Class(v) => p.class = Some(*v),
                PciAttr::LinkSpeed(v) => p.link_speed = Some(*v),
                PciAttr::LinkWidth(v) => p.link_width = Some(*v),
                PciAttr::LinkMaxSpeed(v) => p.link_max_speed = Some(*v),
                PciAttr::LinkMaxWidth(v) => p.link_max_width = Some(*v),
                PciAttr::Unknown(_) => {}
            }
        }
        p
    }

    /// Encode as the nest's attributes (spec order, absent fields omitted).
    pub fn to_attrs(&self) -> Vec<PciAttr> {
        let mut v = Vec::new();
        v.extend(self.vendor_id.map(PciAttr::VendorId));
        v.extend(self.device_id.map(PciAttr::DeviceId));
        v.extend(self.subsystem_vendor_id.map(PciAttr::SubsystemVendorId));
        v.extend(self.subsystem_device_id.map(PciAttr::SubsystemDeviceId));
        v.extend(self.revision.map(PciAttr::Revision));
        v.extend(self.class.map(PciAttr::Class));
        v.extend(self.link_speed.map(PciAttr::LinkSpeed));
        v.extend(self.link_width.map(PciAttr::LinkWidth));
        v.extend(self.link_max_speed.map(PciAttr::LinkMaxSpeed));
        v.extend(self.link_max_width.map(PciAttr::LinkMaxWidth));
        v
    }

    /// The link runs slower or narrower than it could.
    pub fn link_degraded(&self) -> bool {
        matches!((self.link_speed, self.link_max_speed), (Some(c), Some(m)) if c < m)
            || matches!((self.link_width, self.link_max_width), (Some(c), Some(m)) if c < m)
    }
}

impl TryFrom<&AccelMessage> for Device {
    type Error = DecodeError;
    fn try_from(msg: &AccelMessage) -> Result<Self, DecodeError> {
        match &msg.attrs {
            Attrs::Dev(a) => Device::from_attrs(a),
            _ => Err(msg.wrong_set("dev")),
        }
    }
}
