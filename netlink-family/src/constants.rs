//! Numeric values of the `accel` family, as in the kernel's generated uapi
//! header `include/uapi/linux/accel.h` (YNL numbers attributes and ops from
//! 1 in spec order, and the entries of `definitions` enums from 0).
//!
//! `tests/spec_constants.rs` derives every value from `accel.yaml` and checks
//! these, so a spec change that is not mirrored here fails `cargo test`.

/// Generic netlink family name (`ACCEL_FAMILY_NAME`).
pub const ACCEL_FAMILY_NAME: &str = "accel";
/// Family version (`ACCEL_FAMILY_VERSION`; the spec has no `version:`, YNL defaults to 1).
pub const ACCEL_FAMILY_VERSION: u8 = 1;
/// The multicast group carrying device add/del, info-change and health
/// notifications (`ACCEL_MCGRP_MONITOR`).
pub const ACCEL_MCGRP_MONITOR: &str = "monitor";

/// Largest grace period a health reporter accepts, in milliseconds (a
/// day; `checks: max` of `health-reporter` `grace-period` in the spec).
pub const GRACE_PERIOD_MAX_MS: u64 = 86_400_000;

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
pub const ACCEL_A_DEV_HEALTH_REPORTER: u16 = 13;
pub const ACCEL_A_DEV_FMSG: u16 = 14;

// attribute-set "info-version"
pub const ACCEL_A_INFO_VERSION_NAME: u16 = 1;
pub const ACCEL_A_INFO_VERSION_VALUE: u16 = 2;

// attribute-set "health-reporter"
pub const ACCEL_A_HEALTH_REPORTER_NAME: u16 = 1;
pub const ACCEL_A_HEALTH_REPORTER_STATE: u16 = 2;
pub const ACCEL_A_HEALTH_REPORTER_ERROR_COUNT: u16 = 3;
pub const ACCEL_A_HEALTH_REPORTER_RECOVER_COUNT: u16 = 4;
pub const ACCEL_A_HEALTH_REPORTER_LAST_ERROR_TS_NS: u16 = 5;
pub const ACCEL_A_HEALTH_REPORTER_LAST_ERROR_MSG: u16 = 6;
pub const ACCEL_A_HEALTH_REPORTER_GRACE_PERIOD: u16 = 7;
pub const ACCEL_A_HEALTH_REPORTER_AUTO_RECOVER: u16 = 8;
pub const ACCEL_A_HEALTH_REPORTER_AUTO_DUMP: u16 = 9;
pub const ACCEL_A_HEALTH_REPORTER_DUMP_TS_NS: u16 = 10;

// attribute-set "fmsg-item"
pub const ACCEL_A_FMSG_ITEM_KIND: u16 = 1;
pub const ACCEL_A_FMSG_ITEM_NAME: u16 = 2;
pub const ACCEL_A_FMSG_ITEM_VALUE_BOOL: u16 = 3;
pub const ACCEL_A_FMSG_ITEM_VALUE_U8: u16 = 4;
pub const ACCEL_A_FMSG_ITEM_VALUE_U32: u16 = 5;
pub const ACCEL_A_FMSG_ITEM_VALUE_U64: u16 = 6;
pub const ACCEL_A_FMSG_ITEM_VALUE_S64: u16 = 7;
pub const ACCEL_A_FMSG_ITEM_VALUE_STRING: u16 = 8;
pub const ACCEL_A_FMSG_ITEM_VALUE_BINARY: u16 = 9;

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
pub const ACCEL_CMD_HEALTH_REPORTER_GET: u8 = 6;
pub const ACCEL_CMD_HEALTH_REPORTER_SET: u8 = 7;
pub const ACCEL_CMD_HEALTH_REPORTER_RECOVER: u8 = 8;
pub const ACCEL_CMD_HEALTH_REPORTER_DIAGNOSE: u8 = 9;
pub const ACCEL_CMD_HEALTH_REPORTER_DUMP_GET: u8 = 10;
pub const ACCEL_CMD_HEALTH_REPORTER_DUMP_CLEAR: u8 = 11;
pub const ACCEL_CMD_HEALTH_REPORTER_TEST: u8 = 12;
pub const ACCEL_CMD_HEALTH_REPORTER_CHANGE_NTF: u8 = 13;
pub const ACCEL_CMD_HEALTH_REPORTER_ERROR_NTF: u8 = 14;
pub const ACCEL_CMD_HEALTH_REPORTER_RECOVER_NTF: u8 = 15;

// definitions (YNL numbers enum entries from 0, unlike attributes and ops)
/// enum health-state: healthy.
pub const ACCEL_HEALTH_STATE_HEALTHY: u8 = 0;
/// enum health-state: error.
pub const ACCEL_HEALTH_STATE_ERROR: u8 = 1;
/// enum fmsg-kind: start of an object.
pub const ACCEL_FMSG_KIND_OBJECT: u8 = 0;
/// enum fmsg-kind: start of an array.
pub const ACCEL_FMSG_KIND_ARRAY: u8 = 1;
/// enum fmsg-kind: end of the innermost open object or array.
pub const ACCEL_FMSG_KIND_END: u8 = 2;
/// enum fmsg-kind: a value.
pub const ACCEL_FMSG_KIND_VALUE: u8 = 3;

/// Wire type of an attribute, named as in YNL specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    U8,
    U16,
    U32,
    /// NLA_UINT: 4 or 8 bytes on the wire, whichever the value needs.
    Uint,
    /// NLA_SINT: 4 or 8 bytes on the wire, whichever the value needs.
    Sint,
    String,
    Binary,
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
            AttrType::Uint => "uint",
            AttrType::Sint => "sint",
            AttrType::String => "string",
            AttrType::Binary => "binary",
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
    (
        ACCEL_A_DEV_HEALTH_REPORTER,
        "health-reporter",
        AttrType::Nest,
    ),
    (ACCEL_A_DEV_FMSG, "fmsg", AttrType::Nest),
];

/// The `info-version` attribute set, in spec order.
pub const INFO_VERSION_ATTRS: &[AttrDef] = &[
    (ACCEL_A_INFO_VERSION_NAME, "name", AttrType::String),
    (ACCEL_A_INFO_VERSION_VALUE, "value", AttrType::String),
];

/// The `health-reporter` attribute set, in spec order.
pub const HEALTH_REPORTER_ATTRS: &[AttrDef] = &[
    (ACCEL_A_HEALTH_REPORTER_NAME, "name", AttrType::String),
    (ACCEL_A_HEALTH_REPORTER_STATE, "state", AttrType::U8),
    (
        ACCEL_A_HEALTH_REPORTER_ERROR_COUNT,
        "error-count",
        AttrType::Uint,
    ),
    (
        ACCEL_A_HEALTH_REPORTER_RECOVER_COUNT,
        "recover-count",
        AttrType::Uint,
    ),
    (
        ACCEL_A_HEALTH_REPORTER_LAST_ERROR_TS_NS,
        "last-error-ts-ns",
        AttrType::Uint,
    ),
    (
        ACCEL_A_HEALTH_REPORTER_LAST_ERROR_MSG,
        "last-error-msg",
        AttrType::String,
    ),
    (
        ACCEL_A_HEALTH_REPORTER_GRACE_PERIOD,
        "grace-period",
        AttrType::Uint,
    ),
    (
        ACCEL_A_HEALTH_REPORTER_AUTO_RECOVER,
        "auto-recover",
        AttrType::U8,
    ),
    (ACCEL_A_HEALTH_REPORTER_AUTO_DUMP, "auto-dump", AttrType::U8),
    (
        ACCEL_A_HEALTH_REPORTER_DUMP_TS_NS,
        "dump-ts-ns",
        AttrType::Uint,
    ),
];

/// The `fmsg-item` attribute set, in spec order.
pub const FMSG_ITEM_ATTRS: &[AttrDef] = &[
    (ACCEL_A_FMSG_ITEM_KIND, "kind", AttrType::U8),
    (ACCEL_A_FMSG_ITEM_NAME, "name", AttrType::String),
    (ACCEL_A_FMSG_ITEM_VALUE_BOOL, "value-bool", AttrType::U8),
    (ACCEL_A_FMSG_ITEM_VALUE_U8, "value-u8", AttrType::U8),
    (ACCEL_A_FMSG_ITEM_VALUE_U32, "value-u32", AttrType::U32),
    (ACCEL_A_FMSG_ITEM_VALUE_U64, "value-u64", AttrType::Uint),
    (ACCEL_A_FMSG_ITEM_VALUE_S64, "value-s64", AttrType::Sint),
    (
        ACCEL_A_FMSG_ITEM_VALUE_STRING,
        "value-string",
        AttrType::String,
    ),
    (
        ACCEL_A_FMSG_ITEM_VALUE_BINARY,
        "value-binary",
        AttrType::Binary,
    ),
];

/// Entries of the `health-state` enum, in spec order.
pub const HEALTH_STATES: &[(u8, &str)] = &[
    (ACCEL_HEALTH_STATE_HEALTHY, "healthy"),
    (ACCEL_HEALTH_STATE_ERROR, "error"),
];

/// Entries of the `fmsg-kind` enum, in spec order.
pub const FMSG_KINDS: &[(u8, &str)] = &[
    (ACCEL_FMSG_KIND_OBJECT, "object"),
    (ACCEL_FMSG_KIND_ARRAY, "array"),
    (ACCEL_FMSG_KIND_END, "end"),
    (ACCEL_FMSG_KIND_VALUE, "value"),
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
    (ACCEL_CMD_HEALTH_REPORTER_GET, "health-reporter-get"),
    (ACCEL_CMD_HEALTH_REPORTER_SET, "health-reporter-set"),
    (ACCEL_CMD_HEALTH_REPORTER_RECOVER, "health-reporter-recover"),
    (
        ACCEL_CMD_HEALTH_REPORTER_DIAGNOSE,
        "health-reporter-diagnose",
    ),
    (
        ACCEL_CMD_HEALTH_REPORTER_DUMP_GET,
        "health-reporter-dump-get",
    ),
    (
        ACCEL_CMD_HEALTH_REPORTER_DUMP_CLEAR,
        "health-reporter-dump-clear",
    ),
    (ACCEL_CMD_HEALTH_REPORTER_TEST, "health-reporter-test"),
    (
        ACCEL_CMD_HEALTH_REPORTER_CHANGE_NTF,
        "health-reporter-change-ntf",
    ),
    (
        ACCEL_CMD_HEALTH_REPORTER_ERROR_NTF,
        "health-reporter-error-ntf",
    ),
    (
        ACCEL_CMD_HEALTH_REPORTER_RECOVER_NTF,
        "health-reporter-recover-ntf",
    ),
];

/// Multicast groups, in spec order.
pub const MCAST_GROUPS: &[&str] = &[ACCEL_MCGRP_MONITOR];

/// Spec name of attribute `kind` at the top level of a message (`outer`
/// `None`) or nested in the `dev` attribute `outer`, for extack offsets,
/// which may point into a nest (e.g. the grace period of a set request).
pub fn attr_name(outer: Option<u16>, kind: u16) -> Option<&'static str> {
    let set = match outer {
        None => DEV_ATTRS,
        Some(ACCEL_A_DEV_HEALTH_REPORTER) => HEALTH_REPORTER_ATTRS,
        Some(ACCEL_A_DEV_FMSG) => FMSG_ITEM_ATTRS,
        Some(ACCEL_A_DEV_PCI) => PCI_ATTRS,
        Some(
            ACCEL_A_DEV_INFO_VERSION_FIXED
            | ACCEL_A_DEV_INFO_VERSION_RUNNING
            | ACCEL_A_DEV_INFO_VERSION_STORED,
        ) => INFO_VERSION_ATTRS,
        Some(_) => return None,
    };
    name_in(set, kind)
}

fn name_in(set: &[AttrDef], kind: u16) -> Option<&'static str> {
    set.iter().find(|(k, _, _)| *k == kind).map(|(_, n, _)| *n)
}
