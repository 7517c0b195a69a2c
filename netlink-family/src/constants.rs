//! Numeric values of the `accel` family, as in the kernel's generated uapi
//! header `include/uapi/linux/accel.h` (YNL numbers enums from 1 in spec order).
//!
//! `tests/spec_constants.rs` derives every value from `accel.yaml` and checks
//! these, so a spec change that is not mirrored here fails `cargo test`.

/// Generic netlink family name (`ACCEL_FAMILY_NAME`).
pub const ACCEL_FAMILY_NAME: &str = "accel";
/// Family version (`ACCEL_FAMILY_VERSION`; the spec has no `version:`, YNL defaults to 1).
pub const ACCEL_FAMILY_VERSION: u8 = 1;
/// The multicast group carrying device add/del and info-change notifications
/// (`ACCEL_MCGRP_MONITOR`).
pub const ACCEL_MCGRP_MONITOR: &str = "monitor";

// attribute-set "dev"
pub const ACCEL_A_DEV_INDEX: u16 = 1;
pub const ACCEL_A_DEV_NAME: u16 = 2;
pub const ACCEL_A_DEV_BUS_NAME: u16 = 3;
pub const ACCEL_A_DEV_DEV_NAME: u16 = 4;
pub const ACCEL_A_DEV_DRIVER_NAME: u16 = 5;
pub const ACCEL_A_DEV_NUMA_NODE: u16 = 6;
pub const ACCEL_A_DEV_RUNTIME_SUSPENDED: u16 = 7;
pub const ACCEL_A_DEV_PCI: u16 = 8;
pub const ACCEL_A_DEV_INFO_SERIAL_NUMBER: u16 = 9;
pub const ACCEL_A_DEV_INFO_VERSION_FIXED: u16 = 10;
pub const ACCEL_A_DEV_INFO_VERSION_RUNNING: u16 = 11;
pub const ACCEL_A_DEV_INFO_VERSION_STORED: u16 = 12;

// attribute-set "info-version"
pub const ACCEL_A_INFO_VERSION_NAME: u16 = 1;
pub const ACCEL_A_INFO_VERSION_VALUE: u16 = 2;

// attribute-set "pci"
pub const ACCEL_A_PCI_VENDOR_ID: u16 = 1;
pub const ACCEL_A_PCI_DEVICE_ID: u16 = 2;
pub const ACCEL_A_PCI_SUBSYSTEM_VENDOR_ID: u16 = 3;
pub const ACCEL_A_PCI_SUBSYSTEM_DEVICE_ID: u16 = 4;
pub const ACCEL_A_PCI_REVISION: u16 = 5;
pub const ACCEL_A_PCI_CLASS: u16 = 6;
pub const ACCEL_A_PCI_LINK_SPEED: u16 = 7;
pub const ACCEL_A_PCI_LINK_WIDTH: u16 = 8;
pub const ACCEL_A_PCI_LINK_MAX_SPEED: u16 = 9;
pub const ACCEL_A_PCI_LINK_MAX_WIDTH: u16 = 10;

// operations
pub const ACCEL_CMD_DEV_GET: u8 = 1;
pub const ACCEL_CMD_DEV_ADD_NTF: u8 = 2;
pub const ACCEL_CMD_DEV_DEL_NTF: u8 = 3;
pub const ACCEL_CMD_INFO_GET: u8 = 4;
pub const ACCEL_CMD_INFO_CHANGE_NTF: u8 = 5;

/// Wire type of an attribute, named as in YNL specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    U8,
    U16,
    U32,
    String,
    Flag,
    Nest,
}

impl AttrType {
    /// The YNL spelling (`u32`, `string`, ...).
    pub fn ynl_name(self) -> &'static str {
        match self {
            AttrType::U8 => "u8",
            AttrType::U16 => "u16",
            AttrType::U32 => "u32",
            AttrType::String => "string",
            AttrType::Flag => "flag",
            AttrType::Nest => "nest",
        }
    }
}

/// One attribute of an attribute set: number, spec name, wire type.
pub type AttrDef = (u16, &'static str, AttrType);

/// The `dev` attribute set, in spec order.
pub const DEV_ATTRS: &[AttrDef] = &[
    (ACCEL_A_DEV_INDEX, "index", AttrType::U32),
    (ACCEL_A_DEV_NAME, "name", AttrType::String),
    (ACCEL_A_DEV_BUS_NAME, "bus-name", AttrType::String),
    (ACCEL_A_DEV_DEV_NAME, "dev-name", AttrType::String),
    (ACCEL_A_DEV_DRIVER_NAME, "driver-name", AttrType::String),
    (ACCEL_A_DEV_NUMA_NODE, "numa-node", AttrType::U32),
    (
        ACCEL_A_DEV_RUNTIME_SUSPENDED,
        "runtime-suspended",
        AttrType::Flag,
    ),
    (ACCEL_A_DEV_PCI, "pci", AttrType::Nest),
    (
        ACCEL_A_DEV_INFO_SERIAL_NUMBER,
        "info-serial-number",
        AttrType::String,
    ),
    (
        ACCEL_A_DEV_INFO_VERSION_FIXED,
        "info-version-fixed",
        AttrType::Nest,
    ),
    (
        ACCEL_A_DEV_INFO_VERSION_RUNNING,
        "info-version-running",
        AttrType::Nest,
    ),
    (
        ACCEL_A_DEV_INFO_VERSION_STORED,
        "info-version-stored",
        AttrType::Nest,
    ),
];

/// The `info-version` attribute set, in spec order.
pub const INFO_VERSION_ATTRS: &[AttrDef] = &[
    (ACCEL_A_INFO_VERSION_NAME, "name", AttrType::String),
    (ACCEL_A_INFO_VERSION_VALUE, "value", AttrType::String),
];

/// The `pci` attribute set, in spec order.
pub const PCI_ATTRS: &[AttrDef] = &[
    (ACCEL_A_PCI_VENDOR_ID, "vendor-id", AttrType::U16),
    (ACCEL_A_PCI_DEVICE_ID, "device-id", AttrType::U16),
    (
        ACCEL_A_PCI_SUBSYSTEM_VENDOR_ID,
        "subsystem-vendor-id",
        AttrType::U16,
    ),
    (
        ACCEL_A_PCI_SUBSYSTEM_DEVICE_ID,
        "subsystem-device-id",
        AttrType::U16,
    ),
    (ACCEL_A_PCI_REVISION, "revision", AttrType::U8),
    (ACCEL_A_PCI_CLASS, "class", AttrType::U32),
    (ACCEL_A_PCI_LINK_SPEED, "link-speed", AttrType::U32),
    (ACCEL_A_PCI_LINK_WIDTH, "link-width", AttrType::U32),
    (ACCEL_A_PCI_LINK_MAX_SPEED, "link-max-speed", AttrType::U32),
    (ACCEL_A_PCI_LINK_MAX_WIDTH, "link-max-width", AttrType::U32),
];

/// Operations, in spec order.
pub const OPS: &[(u8, &str)] = &[
    (ACCEL_CMD_DEV_GET, "dev-get"),
    (ACCEL_CMD_DEV_ADD_NTF, "dev-add-ntf"),
    (ACCEL_CMD_DEV_DEL_NTF, "dev-del-ntf"),
    (ACCEL_CMD_INFO_GET, "info-get"),
    (ACCEL_CMD_INFO_CHANGE_NTF, "info-change-ntf"),
];

/// Multicast groups, in spec order.
pub const MCAST_GROUPS: &[&str] = &[ACCEL_MCGRP_MONITOR];

/// Spec name of a `dev` attribute number, for error messages (extack offsets).
pub fn dev_attr_name(kind: u16) -> Option<&'static str> {
    DEV_ATTRS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, n, _)| *n)
}
