//! Building requests: the [`Request`] trait the generated request types
//! (`ops.rs`, one per operation and mode) implement, the device handle a
//! user names, and one builder per request accelctl sends.

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_generic::GenlMessage;

use crate::attrs::HandleAttr;
use crate::message::AccelMessage;
use crate::ops::*;

/// A complete request message.
pub type Msg = NetlinkMessage<GenlMessage<AccelMessage>>;

/// A request of one operation in one mode (generated from the spec for
/// every operation: `DevGetDo`, `HealthReporterSetDo`, ...).
pub trait Request {
    /// The operation's command.
    const CMD: AccelCmd;
    /// A dump (`NLM_F_DUMP`) rather than a do (`NLM_F_ACK`).
    const DUMP: bool;
    /// The request's attributes, in the operation's set.
    fn into_attrs(self) -> Attrs;
}

/// The netlink message of request `r`: `family_id` is the id nlctrl
/// resolved for [`crate::ACCEL_FAMILY_NAME`], `seq` the caller's sequence
/// number; the port id is left 0 (kernel).
pub fn request<R: Request>(family_id: u16, seq: u32, r: R) -> Msg {
    let flags = if R::DUMP {
        NLM_F_REQUEST | NLM_F_DUMP
    } else {
        NLM_F_REQUEST | NLM_F_ACK
    };
    let payload = AccelMessage {
        cmd: R::CMD,
        attrs: r.into_attrs(),
    };
    build(family_id, seq, flags, payload)
}

/// How a request names a device: the family's two handle forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DevHandle {
    /// N of /dev/accel/accelN.
    Index(u32),
    /// Parent device, e.g. bus `pci`, dev `0000:03:00.0`.
    BusDev { bus: String, dev: String },
}

impl DevHandle {
    /// The `handle` nest as the kernel expects it in a request.
    pub fn to_handle(&self) -> Vec<HandleAttr> {
        match self {
            DevHandle::Index(i) => vec![HandleAttr::Index(*i)],
            DevHandle::BusDev { bus, dev } => {
                vec![
                    HandleAttr::BusName(bus.clone()),
                    HandleAttr::DevName(dev.clone()),
                ]
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

/// The optional handle of a dump request (a filter).
fn filter(h: Option<&DevHandle>) -> Option<Vec<HandleAttr>> {
    h.map(DevHandle::to_handle)
}

/// dev-get *do*: one device.
pub fn dev_get_do(family_id: u16, seq: u32, handle: &DevHandle) -> Msg {
    let handle = Some(handle.to_handle());
    request(family_id, seq, DevGetDo { handle })
}

/// dev-get *dump*: every device, or the one `filter` names.
pub fn dev_get_dump(family_id: u16, seq: u32, filter_by: Option<&DevHandle>) -> Msg {
    let handle = filter(filter_by);
    request(family_id, seq, DevGetDump { handle })
}

/// info-get *do*: one device.
pub fn info_get_do(family_id: u16, seq: u32, handle: &DevHandle) -> Msg {
    let handle = Some(handle.to_handle());
    request(family_id, seq, InfoGetDo { handle })
}

/// info-get *dump*: every device, or the one `filter` names.
pub fn info_get_dump(family_id: u16, seq: u32, filter_by: Option<&DevHandle>) -> Msg {
    let handle = filter(filter_by);
    request(family_id, seq, InfoGetDump { handle })
}

pub(crate) fn build(family_id: u16, seq: u32, flags: u16, payload: AccelMessage) -> Msg {
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
pub fn to_bytes(msg: &Msg) -> Vec<u8> {
    let mut buf = vec![0u8; msg.buffer_len()];
    msg.serialize(&mut buf);
    buf
}
