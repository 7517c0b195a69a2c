//! Typed messages of the Linux `accel` generic netlink family.
//!
//! The family (spec: `netlink-family/accel.yaml`, in the kernel as
//! `Documentation/netlink/specs/accel.yaml`) enumerates compute accelerator
//! devices (`/dev/accel/accelN`) and reports their metadata and firmware
//! versions. This crate is
//! pure data: it encodes and decodes messages on top of
//! [`netlink_packet_core`] and [`netlink_packet_generic`] and does no I/O,
//! so any tool can reuse it with the socket layer of its choice
//! (`netlink-sys`, `netlink-proto`, or raw sockets).
//!
//! # Using it from another tool
//!
//! 1. Resolve the family id of [`ACCEL_FAMILY_NAME`] (and the id of the
//!    [`ACCEL_MCGRP_MONITOR`] group for notifications) with nlctrl
//!    `CTRL_CMD_GETFAMILY` (see `netlink_packet_generic::ctrl`).
//! 2. Build a request with [`dev_get_do`] / [`dev_get_dump`] (device
//!    metadata) or [`info_get_do`] / [`info_get_dump`] (serial number and
//!    versions) and serialize it with [`to_bytes`].
//! 3. Parse each reply with
//!    `NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(bytes)` and
//!    turn its payload into a [`Device`] with `Device::try_from(&msg)`, or
//!    a [`DeviceInfo`] with `DeviceInfo::try_from(&msg)`.
//!
//! ```
//! use accel_netlink::*;
//! use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
//! use netlink_packet_generic::GenlMessage;
//!
//! let req = to_bytes(&dev_get_do(0x1c, 1, &DevHandle::Index(0)));
//! assert_eq!(req.len(), 28); // nlmsghdr + genlmsghdr + one u32 attribute
//!
//! // A reply as the kernel would send it, round-tripped through the decoder.
//! let dev = Device { index: 0, name: "accel0".into(), bus_name: "pci".into(),
//!     dev_name: "0000:01:00.0".into(), driver_name: "accel_sim".into(),
//!     ..Default::default() };
//! let reply = to_bytes(&dev_get_reply(0x1c, 1, &dev));
//! let msg = NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(&reply).unwrap();
//! if let NetlinkPayload::InnerMessage(genl) = msg.payload {
//!     assert_eq!(Device::try_from(&genl.payload).unwrap(), dev);
//! }
//!
//! // Versions: a driver lists each group's components in its own order.
//! let info = DeviceInfo { index: 0, name: "accel0".into(), bus_name: "pci".into(),
//!     dev_name: "0000:01:00.0".into(), driver_name: "accel_sim".into(),
//!     running: vec![Version { name: "fw".into(), value: "1.0".into() }],
//!     stored: vec![Version { name: "fw".into(), value: "1.1".into() }],
//!     ..Default::default() };
//! let reply = to_bytes(&info_get_reply(0x1c, 2, &info));
//! let msg = NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(&reply).unwrap();
//! if let NetlinkPayload::InnerMessage(genl) = msg.payload {
//!     let got = DeviceInfo::try_from(&genl.payload).unwrap();
//!     assert_eq!(got.pending_activation(), ["fw"]);
//! }
//! ```
//!
//! Notifications (multicast group [`ACCEL_MCGRP_MONITOR`]) carry the same
//! attributes as the matching reply: dev-add-ntf and dev-del-ntf decode to a
//! [`Device`], info-change-ntf to a [`DeviceInfo`]; dispatch on
//! [`AccelMessage::cmd`].
//!
//! # Robustness
//!
//! Decoding never panics on arbitrary input (property-tested and fuzzed:
//! `netlink-family/fuzz`). Attributes unknown to this crate are kept as
//! `Other(DefaultNla)`, so a newer kernel adding attributes does not break
//! older tools. A reply lacking a mandatory attribute (the identity
//! attributes, or the name or value of a version) is a `DecodeError` that
//! names it.

mod attr;
mod constants;
mod device;
mod ident;
mod info;
mod message;
mod request;

pub use attr::{parse_nlas, DevAttr, InfoVersionAttr, PciAttr};
pub use constants::*;
pub use device::{Device, PciInfo};
pub use info::{DeviceInfo, Version};
pub use message::{AccelCmd, AccelMessage};
pub use request::{dev_get_do, dev_get_dump, info_get_do, info_get_dump, to_bytes, DevHandle};

/// Re-exported so users need not depend on the exact versions themselves.
pub use netlink_packet_core;
pub use netlink_packet_generic;

/// A dev-get reply (or, with another `cmd`, a notification) for `dev`,
/// as the kernel would build it. Useful for tests and simulators.
pub fn dev_get_reply(
    family_id: u16,
    seq: u32,
    dev: &Device,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    dev_message(family_id, seq, AccelCmd::DevGet, dev)
}

/// A message carrying `dev`'s attributes with command `cmd`
/// (dev-get reply, dev-add-ntf, dev-del-ntf).
pub fn dev_message(
    family_id: u16,
    seq: u32,
    cmd: AccelCmd,
    dev: &Device,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    message(family_id, seq, cmd, dev.to_nlas())
}

/// An info-get reply for `info`, as the kernel would build it. Useful for
/// tests and simulators.
pub fn info_get_reply(
    family_id: u16,
    seq: u32,
    info: &DeviceInfo,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    info_message(family_id, seq, AccelCmd::InfoGet, info)
}

/// A message carrying `info`'s attributes with command `cmd`
/// (info-get reply, info-change-ntf).
pub fn info_message(
    family_id: u16,
    seq: u32,
    cmd: AccelCmd,
    info: &DeviceInfo,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    message(family_id, seq, cmd, info.to_nlas())
}

fn message(
    family_id: u16,
    seq: u32,
    cmd: AccelCmd,
    nlas: Vec<DevAttr>,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    use netlink_packet_core::{NetlinkHeader, NetlinkMessage, NetlinkPayload};
    let mut genl = netlink_packet_generic::GenlMessage::from_payload(AccelMessage { cmd, nlas });
    genl.set_resolved_family_id(family_id);
    let mut header = NetlinkHeader::default();
    header.sequence_number = seq;
    let mut msg = NetlinkMessage::new(header, NetlinkPayload::from(genl));
    msg.finalize();
    msg
}
