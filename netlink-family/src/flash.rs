//! Firmware flash: the request builder, the overwrite flags, and the
//! begin, status and end notifications of a flash (group
//! [`crate::ACCEL_MCGRP_PROGRESS`]). Plain structs, no netlink types.

use netlink_packet_core::DecodeError;

use crate::attrs::FlashAttr;
use crate::generated::*;
use crate::ident::DevIdent;
use crate::message::AccelMessage;
use crate::ops::{AccelCmd, Attrs, FlashUpdateDo};
use crate::request::{request, DevHandle, Msg};

/// The names of the overwrite flags set in `mask`, in bit order (spec
/// names: `settings`, `identifiers`); a bit this crate does not know is
/// named by its value (`0x4`).
pub fn overwrite_names(mask: u32) -> Vec<String> {
    (0..32)
        .map(|bit| 1u32 << bit)
        .filter(|b| mask & b != 0)
        .map(|b| {
            FLASH_OVERWRITE_NAMES
                .iter()
                .find(|(v, _)| *v == b)
                .map_or_else(|| format!("{b:#x}"), |(_, n)| (*n).to_string())
        })
        .collect()
}

/// The bit of overwrite flag `name` (spec name), if it is one.
pub fn overwrite_bit(name: &str) -> Option<u32> {
    FLASH_OVERWRITE_NAMES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(v, _)| *v)
}

/// A flash began (flash-begin-ntf).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlashBegin {
    pub dev: DevIdent,
    pub file_name: Option<String>,
    /// The component requested; `None`: those the image holds.
    pub component: Option<String>,
    /// Overwrite flags (bits of `FLASH_OVERWRITE_NAMES`); 0 for none.
    pub overwrite: u32,
}

/// Progress of a flash (flash-status-ntf): a new step, or more of the
/// current step done.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlashStatus {
    pub dev: DevIdent,
    /// The component being worked on, if the driver says.
    pub component: Option<String>,
    /// What the driver is doing (`Erasing`, `Writing`, ...).
    pub status_msg: Option<String>,
    /// Amount of the current step done.
    pub done: Option<u64>,
    /// Amount of the current step in all; `None` if not known.
    pub total: Option<u64>,
    /// Seconds within which the driver expects the step to end.
    pub timeout: Option<u64>,
}

/// A flash ended (flash-end-ntf), with its result.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlashEnd {
    pub dev: DevIdent,
    pub file_name: Option<String>,
    pub component: Option<String>,
    /// 0 on success, else the positive errno of the request.
    pub error: u32,
    /// The driver's message about a failure, if any.
    pub error_msg: Option<String>,
}

/// One notification of a flash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlashEvent {
    Begin(FlashBegin),
    Status(FlashStatus),
    End(FlashEnd),
}

impl FlashEvent {
    /// The device the event is about.
    pub fn dev(&self) -> &DevIdent {
        match self {
            FlashEvent::Begin(b) => &b.dev,
            FlashEvent::Status(s) => &s.dev,
            FlashEvent::End(e) => &e.dev,
        }
    }

    /// The command of its notification.
    pub fn cmd(&self) -> AccelCmd {
        match self {
            FlashEvent::Begin(_) => AccelCmd::FlashBeginNtf,
            FlashEvent::Status(_) => AccelCmd::FlashStatusNtf,
            FlashEvent::End(_) => AccelCmd::FlashEndNtf,
        }
    }

    /// Decode the attributes of a `cmd` notification: the handle is
    /// mandatory, and the error of an end; the rest is optional.
    pub fn from_attrs(cmd: AccelCmd, attrs: &[FlashAttr]) -> Result<Self, DecodeError> {
        let what = cmd.name().unwrap_or("flash");
        let mut handle = None;
        let (mut file_name, mut component, mut overwrite) = (None, None, 0);
        let (mut status_msg, mut done, mut total, mut timeout) = (None, None, None, None);
        let (mut error, mut error_msg) = (None, None);
        for a in attrs {
            match a {
                FlashAttr::Handle(h) => handle = Some(h.as_slice()),
                FlashAttr::FileName(s) => file_name = Some(s.clone()),
                FlashAttr::Component(s) => component = Some(s.clone()),
                FlashAttr::Overwrite(v) => overwrite = *v,
                FlashAttr::StatusMsg(s) => status_msg = Some(s.clone()),
                FlashAttr::Done(v) => done = Some(*v),
                FlashAttr::Total(v) => total = Some(*v),
                FlashAttr::Timeout(v) => timeout = Some(*v),
                FlashAttr::Error(v) => error = Some(*v),
                FlashAttr::ErrorMsg(s) => error_msg = Some(s.clone()),
                FlashAttr::Unknown(_) => {}
            }
        }
        let dev = DevIdent::from_handle(handle, None, what)?;
        Ok(match cmd {
            AccelCmd::FlashBeginNtf => FlashEvent::Begin(FlashBegin {
                dev,
                file_name,
                component,
                overwrite,
            }),
            AccelCmd::FlashStatusNtf => FlashEvent::Status(FlashStatus {
                dev,
                component,
                status_msg,
                done,
                total,
                timeout,
            }),
            AccelCmd::FlashEndNtf => FlashEvent::End(FlashEnd {
                dev,
                file_name,
                component,
                error: error
                    .ok_or_else(|| format!("{what} notification lacks the error attribute"))?,
                error_msg,
            }),
            _ => return Err(format!("{what} is not a flash notification").into()),
        })
    }

    /// Encode as the attributes of its notification.
    pub fn to_attrs(&self) -> Vec<FlashAttr> {
        let mut v = vec![FlashAttr::Handle(self.dev().to_handle())];
        match self {
            FlashEvent::Begin(b) => {
                v.extend(b.file_name.clone().map(FlashAttr::FileName));
                v.extend(b.component.clone().map(FlashAttr::Component));
                if b.overwrite != 0 {
                    v.push(FlashAttr::Overwrite(b.overwrite));
                }
            }
            FlashEvent::Status(s) => {
                v.extend(s.component.clone().map(FlashAttr::Component));
                v.extend(s.status_msg.clone().map(FlashAttr::StatusMsg));
                v.extend(s.done.map(FlashAttr::Done));
                v.extend(s.total.map(FlashAttr::Total));
                v.extend(s.timeout.map(FlashAttr::Timeout));
            }
            FlashEvent::End(e) => {
                v.extend(e.file_name.clone().map(FlashAttr::FileName));
                v.extend(e.component.clone().map(FlashAttr::Component));
                v.push(FlashAttr::Error(e.error));
                v.extend(e.error_msg.clone().map(FlashAttr::ErrorMsg));
            }
        }
        v
    }
}

impl TryFrom<&AccelMessage> for FlashEvent {
    type Error = DecodeError;
    fn try_from(msg: &AccelMessage) -> Result<Self, DecodeError> {
        match &msg.attrs {
            Attrs::Flash(a) => FlashEvent::from_attrs(msg.cmd, a),
            _ => Err(msg.wrong_set("flash")),
        }
    }
}

/// The flash-update request: the image `file_name` (in the kernel's
/// firmware search path), optionally one component, and the overwrite
/// flags (0: none, the attribute is not sent).
pub fn flash_update_request(
    dev: &DevHandle,
    file_name: &str,
    component: Option<&str>,
    overwrite: u32,
) -> FlashUpdateDo {
    FlashUpdateDo {
        handle: Some(dev.to_handle()),
        file_name: Some(file_name.to_string()),
        component: component.map(str::to_string),
        overwrite: (overwrite != 0).then_some(overwrite),
    }
}

/// flash-update (do, acknowledged when the flash ended).
pub fn flash_update(
    family_id: u16,
    seq: u32,
    dev: &DevHandle,
    file_name: &str,
    component: Option<&str>,
    overwrite: u32,
) -> Msg {
    request(
        family_id,
        seq,
        flash_update_request(dev, file_name, component, overwrite),
    )
}
