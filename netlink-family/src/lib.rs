//! Typed messages of the Linux `accel` generic netlink family.
//!
//! The family (spec: `netlink-family/accel.yaml`, in the kernel as
//! `Documentation/netlink/specs/accel.yaml`) enumerates compute accelerator
//! devices (`/dev/accel/accelN`) and reports their metadata, firmware
//! versions and health reporters. This crate is
//! pure data: it encodes and decodes messages on top of
//! [`netlink_packet_core`] and [`netlink_packet_generic`] and does no I/O,
//! so any tool can reuse it with the socket layer of its choice
//! (`netlink-sys`, `netlink-proto`, or raw sockets).
//!
//! # Using it from another tool
//!
//! 1. Resolve the family id of [`ACCEL_FAMILY_NAME`] (and the ids of the
//!    [`ACCEL_MCGRP_MGMT`] and [`ACCEL_MCGRP_HEALTH`] groups for
//!    notifications) with nlctrl
//!    `CTRL_CMD_GETFAMILY` (see `netlink_packet_generic::ctrl`).
//! 2. Build a request: every operation has a generated request type per
//!    mode (`DevGetDo`, `DevGetDump`, `InfoGetDump`, `HealthReporterSetDo`,
//!    ...; fields are the spec's request attributes), which [`request`]
//!    turns into a netlink message with the right flags; [`dev_get_do`] and
//!    friends are shortcuts for the common ones. Serialize it with
//!    [`to_bytes`].
//! 3. Parse each reply with
//!    `NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(bytes)` and
//!    turn its payload into a [`Device`] with `Device::try_from(&msg)`, a
//!    [`DeviceInfo`] with `DeviceInfo::try_from(&msg)` or a
//!    [`DevHealthReporter`] with `DevHealthReporter::try_from(&msg)`. The
//!    replies of a diagnose or dump-get request form one tree together:
//!    feed them all to [`HealthFmsg::from_messages`] (or, as they arrive,
//!    to an [`FmsgAssembler`]).
//!
//! ```
//! use accel_netlink::*;
//! use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
//! use netlink_packet_generic::GenlMessage;
//!
//! let req = to_bytes(&dev_get_do(0x1c, 1, &DevHandle::Index(0)));
//! assert_eq!(req.len(), 32); // nlmsghdr + genlmsghdr + handle nest { index }
//!
//! // A reply as the kernel would send it, round-tripped through the decoder.
//! // Every view names its device with the same DevIdent (the handle nest).
//! let ident = DevIdent { id: 1, index: 0, name: "accel0".into(), bus_name: "pci".into(),
//!     dev_name: "0000:01:00.0".into() };
//! let dev = Device { dev: ident.clone(), driver_name: "accel_sim".into(),
//!     ..Default::default() };
//! let reply = to_bytes(&dev_get_reply(0x1c, 1, &dev));
//! let msg = NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(&reply).unwrap();
//! if let NetlinkPayload::InnerMessage(genl) = msg.payload {
//!     assert_eq!(Device::try_from(&genl.payload).unwrap(), dev);
//! }
//!
//! // Versions: a driver lists each group's components in its own order.
//! let info = DeviceInfo { dev: ident,
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
//! Health reporters, and the tree of a diagnose message split over two
//! dump messages:
//!
//! ```
//! use accel_netlink::*;
//!
//! let dev = DevIdent { id: 1, index: 0, name: "accel0".into(), bus_name: "pci".into(),
//!     dev_name: "0000:01:00.0".into() };
//! let reporter = HealthReporter { name: "fw".into(), state: HealthState::Error,
//!     error_count: 1, last_error_msg: Some("timeout".into()), ..Default::default() };
//! let tree = vec![FmsgNode::Array { name: Some("log".into()), elements: vec![
//!     FmsgNode::Value { name: None, value: FmsgValue::String("boot".into()) },
//!     FmsgNode::Value { name: None, value: FmsgValue::Uint(7) },
//! ] }];
//! let fmsg = HealthFmsg { dev, reporter, tree };
//! let replies: Vec<AccelMessage> = fmsg
//!     .to_messages_attrs(2) // 4 items: 2 messages
//!     .into_iter()
//!     .map(|attrs| AccelMessage {
//!         cmd: AccelCmd::HealthReporterDiagnose,
//!         attrs: Attrs::HealthReporter(attrs),
//!     })
//!     .collect();
//! assert_eq!(replies.len(), 2);
//! assert_eq!(HealthFmsg::from_messages(&replies).unwrap(), fmsg);
//! ```
//!
//! Notifications carry the same attributes as the matching reply:
//! dev-add-ntf and dev-del-ntf (group [`ACCEL_MCGRP_MGMT`]) decode to a
//! [`Device`], info-change-ntf (same group) to a [`DeviceInfo`], the five
//! health-reporter notifications (group [`ACCEL_MCGRP_HEALTH`]) to a
//! [`DevHealthReporter`], param-change-ntf (mgmt) to a [`Param`] and
//! dev-change-ntf (mgmt: a reload, requested or not) to a [`Device`];
//! dispatch on [`AccelMessage::cmd`]. The progress group
//! ([`ACCEL_MCGRP_PROGRESS`]) carries flash-begin-ntf, flash-status-ntf
//! and flash-end-ntf, which decode to a [`FlashEvent`], and
//! selftest-status-ntf, which decodes to [`Selftests`] (one test).
//!
//! Firmware flash and self-tests: [`flash_update`] (acknowledged when the
//! flash ended: join the progress group on another socket first to follow
//! it), [`selftests_get_do`], [`selftests_get_dump`] and [`selftests_run`];
//! replies decode to [`Selftests`] (with a [`SelftestResult`] per test in
//! a run's reply).
//!
//! Parameters and reload: [`param_get_do`], [`param_get_dump`],
//! [`param_set`] (one request whatever the parameter's type: the value in
//! both wire forms, see [`ParamSetValue::from_text`]) and [`reload`]; the
//! replies decode to [`Param`] (values typed by the parameter's type, each
//! with the reload action that applies it when it is pending) and
//! [`ReloadReply`] (the actions performed).
//!
//! # Layers
//!
//! The netlink layer is generated from the spec by `cargo run -p
//! accel-codegen` (as the kernel's ynl-gen-c generates the C side) and checked
//! current by a test: `src/generated.rs` (numbers and names),
//! `src/attrs.rs` (one enum per attribute set, e.g. [`DevAttr`],
//! [`HandleAttr`], [`TreeItemAttr`], with encoding and decoding) and
//! `src/ops.rs` ([`AccelCmd`], [`Attrs`]: the attributes of a message in
//! its command's set, and the request types). Hand-written are only the
//! typed views ([`DevIdent`], [`Device`], [`DeviceInfo`],
//! [`DevHealthReporter`], [`HealthFmsg`], [`Param`], [`ReloadReply`]) and
//! the value codecs they share.
//!
//! # Robustness
//!
//! Decoding never panics on arbitrary input (property-tested and fuzzed:
//! `netlink-family/fuzz`). Attributes unknown to this crate are kept as
//! `Unknown(DefaultNla)`, commands as `AccelCmd::Other`, enum values as
//! e.g. `HealthState::Unknown`, and strings decode lossily, so a newer
//! kernel adding attributes does not break older tools. A reply lacking a
//! mandatory attribute (the identity attributes, the name or value of a
//! version, the name, state or counters of a health reporter) is a
//! `DecodeError` that names it, and so is a
//! malformed diagnose/dump item sequence (an end with nothing open, an
//! object left open, a value with no or two values, an unknown item kind,
//! nesting deeper than [`FMSG_MAX_DEPTH`]).

// Generated by `cargo run -p accel-codegen` (codegen/) from accel.yaml.
#[rustfmt::skip]
mod attrs;
#[rustfmt::skip]
mod generated;
#[rustfmt::skip]
mod ops;

mod device;
mod flash;
mod fmsg;
mod fmsg_reply;
mod health;
mod health_request;
mod ident;
mod info;
mod message;
mod nla;
mod param;
mod reload;
mod request;
mod selftest;
mod spec_enum;

pub use attrs::*;
pub use device::{Device, PciInfo};
pub use flash::{
    flash_update, flash_update_request, overwrite_bit, overwrite_names, FlashBegin, FlashEnd,
    FlashEvent, FlashStatus,
};
pub use fmsg::{fmsg_tree, FmsgItem, FmsgNode, FmsgTreeBuilder, FmsgValue, FMSG_MAX_DEPTH};
pub use fmsg_reply::{FmsgAssembler, HealthFmsg};
pub use generated::*;
pub use health::{DevHealthReporter, HealthReporter, HealthState};
pub use health_request::{
    health_reporter_diagnose, health_reporter_dump_clear, health_reporter_dump_get,
    health_reporter_get_do, health_reporter_get_dump, health_reporter_recover, health_reporter_set,
    health_reporter_test, HealthReporterParams,
};
pub use ident::DevIdent;
pub use info::{DeviceInfo, Version};
pub use message::{attr_name, AccelMessage};
pub use nla::{parse_nlas, parse_sint, parse_string_lossy, parse_uint};
pub use ops::*;
pub use param::{
    param_get_do, param_get_dump, param_set, param_set_request, parse_uint_word, Param, ParamCmode,
    ParamData, ParamSetValue, ParamType, ParamValue,
};
pub use reload::{
    actions_from_mask, actions_to_mask, reload, reload_request, ReloadAction, ReloadLimit,
    ReloadReply, ReloadStat,
};
pub use request::{
    dev_get_do, dev_get_dump, info_get_do, info_get_dump, request, to_bytes, DevHandle, Msg,
    Request,
};
pub use selftest::{
    selftests_get_do, selftests_get_dump, selftests_run, selftests_run_request, SelftestResult,
    SelftestTest, Selftests,
};

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
    message(family_id, seq, cmd, Attrs::Dev(dev.to_attrs()))
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
    message(family_id, seq, cmd, Attrs::Info(info.to_attrs()))
}

/// A health-reporter-get reply (or, with another `cmd`, one of the three
/// health notifications) for `r`, as the kernel would build it.
pub fn health_reporter_message(
    family_id: u16,
    seq: u32,
    cmd: AccelCmd,
    r: &DevHealthReporter,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    message(family_id, seq, cmd, Attrs::HealthReporter(r.to_attrs()))
}

/// The multi-part dump replies (`NLM_F_MULTI`, without the final DONE) of
/// a diagnose or dump-get request for `fmsg`, `items_per_message` items
/// each, as the kernel would send them when the tree does not fit one
/// message. Useful for tests and simulators.
pub fn health_fmsg_messages(
    family_id: u16,
    seq: u32,
    cmd: AccelCmd,
    fmsg: &HealthFmsg,
    items_per_message: usize,
) -> Vec<netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>>> {
    fmsg.to_messages_attrs(items_per_message)
        .into_iter()
        .map(|attrs| {
            let mut m = message(family_id, seq, cmd, Attrs::HealthReporter(attrs));
            m.header.flags = netlink_packet_core::NLM_F_MULTIPART;
            m
        })
        .collect()
}

/// A param-get reply (or, with another `cmd`, a param-change-ntf) for `p`,
/// as the kernel would build it.
pub fn param_message(
    family_id: u16,
    seq: u32,
    cmd: AccelCmd,
    p: &Param,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    message(family_id, seq, cmd, Attrs::Param(p.to_attrs()))
}

/// A flash notification (begin, status or end) as the kernel would send
/// it (sequence 0).
pub fn flash_event_message(
    family_id: u16,
    ev: &FlashEvent,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    message(family_id, 0, ev.cmd(), Attrs::Flash(ev.to_attrs()))
}

/// A selftests-get or selftests-run reply, or (with cmd
/// selftest-status-ntf) a status notification, for `t`.
pub fn selftest_message(
    family_id: u16,
    seq: u32,
    cmd: AccelCmd,
    t: &Selftests,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    message(family_id, seq, cmd, Attrs::Selftest(t.to_attrs()))
}

/// The reply of a reload request, as the kernel would build it.
pub fn reload_reply(
    family_id: u16,
    seq: u32,
    r: &ReloadReply,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    message(
        family_id,
        seq,
        AccelCmd::Reload,
        Attrs::Reload(r.to_attrs()),
    )
}

fn message(
    family_id: u16,
    seq: u32,
    cmd: AccelCmd,
    attrs: Attrs,
) -> netlink_packet_core::NetlinkMessage<netlink_packet_generic::GenlMessage<AccelMessage>> {
    request::build(family_id, seq, 0, AccelMessage { cmd, attrs })
}
