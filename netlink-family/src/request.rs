//! Request builders for dev-get and info-get (do and dump); the health
//! requests are in `health_request.rs`.

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_generic::GenlMessage;

use crate::attr::DevAttr;
use crate::message::{AccelCmd, AccelMessage};

/// How a request names a device: the family's two handle forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DevHandle {
    /// N of /dev/accel/accelN.
    Index(u32),
    /// Parent device, e.g. bus `pci`, dev `0000:03:00.0`.
    BusDev { bus: String, dev: String },
}

impl DevHandle {
    /// Handle attributes as the kernel expects them in a request.
    pub fn to_nlas(&self) -> Vec<DevAttr> {
        match self {
            DevHandle::Index(i) => vec![DevAttr::Index(*i)],
            DevHandle::BusDev { bus, dev } => {
                vec![DevAttr::BusName(bus.clone()), DevAttr::DevName(dev.clone())]
            }
        }
    }
}

impl std::fmt::Display for DevHandle {
    /// `accelN` or `BUS/NAME`, the forms a user types.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DevHandle::Index(i) => write!(f, "accel{i}"),
            DevHandle::BusDev { bus, dev } => write!(f, "{bus}/{dev}"),
        }
    }
}

impl AccelMessage {
    /// Payload of a dev-get request, with or without a handle.
    pub fn dev_get(handle: Option<&DevHandle>) -> Self {
        AccelMessage {
            cmd: AccelCmd::DevGet,
            nlas: handle.map(DevHandle::to_nlas).unwrap_or_default(),
        }
    }

    /// Payload of an info-get request, with or without a handle.
    pub fn info_get(handle: Option<&DevHandle>) -> Self {
        AccelMessage {
            cmd: AccelCmd::InfoGet,
            nlas: handle.map(DevHandle::to_nlas).unwrap_or_default(),
        }
    }
}

/// A complete dev-get *do* request for one device (`NLM_F_REQUEST | NLM_F_ACK`).
///
/// `family_id` is the id nlctrl resolved for [`crate::ACCEL_FAMILY_NAME`];
/// `seq` is the caller's sequence number. The port id is left 0 (kernel).
pub fn dev_get_do(
    family_id: u16,
    seq: u32,
    handle: &DevHandle,
) -> NetlinkMessage<GenlMessage<AccelMessage>> {
    build(
        family_id,
        seq,
        NLM_F_REQUEST | NLM_F_ACK,
        AccelMessage::dev_get(Some(handle)),
    )
}

/// A complete dev-get *dump* request, optionally filtered by a handle.
pub fn dev_get_dump(
    family_id: u16,
    seq: u32,
    filter: Option<&DevHandle>,
) -> NetlinkMessage<GenlMessage<AccelMessage>> {
    build(
        family_id,
        seq,
        NLM_F_REQUEST | NLM_F_DUMP,
        AccelMessage::dev_get(filter),
    )
}

/// A complete info-get *do* request for one device (`NLM_F_REQUEST | NLM_F_ACK`).
pub fn info_get_do(
    family_id: u16,
    seq: u32,
    handle: &DevHandle,
) -> NetlinkMessage<GenlMessage<AccelMessage>> {
    build(
        family_id,
        seq,
        NLM_F_REQUEST | NLM_F_ACK,
        AccelMessage::info_get(Some(handle)),
    )
}

/// A complete info-get *dump* request, optionally filtered by a handle.
pub fn info_get_dump(
    family_id: u16,
    seq: u32,
    filter: Option<&DevHandle>,
) -> NetlinkMessage<GenlMessage<AccelMessage>> {
    build(
        family_id,
        seq,
        NLM_F_REQUEST | NLM_F_DUMP,
        AccelMessage::info_get(filter),
    )
}

pub(crate) fn build(
    family_id: u16,
    seq: u32,
    flags: u16,
    payload: AccelMessage,
) -> NetlinkMessage<GenlMessage<AccelMessage>> {
    let mut genl = GenlMessage::from_payload(payload);
    genl.set_resolved_family_id(family_id);
    let mut header = NetlinkHeader::default();
    header.flags = flags;
    header.sequence_number = seq;
    let mut msg = NetlinkMessage::new(header, NetlinkPayload::from(genl));
    msg.finalize();
    msg
}

/// Serialize a message into a fresh buffer of exactly its length.
pub fn to_bytes(msg: &NetlinkMessage<GenlMessage<AccelMessage>>) -> Vec<u8> {
    let mut buf = vec![0u8; msg.buffer_len()];
    msg.serialize(&mut buf);
    buf
}
