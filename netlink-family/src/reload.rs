//! Reload: the action and limit enums, the reply of a `reload` request,
//! a device's reload statistics (in `dev` messages) and the request
//! builder. Plain structs, no netlink types.

use netlink_packet_core::DecodeError;

use crate::attrs::{ReloadAttr, ReloadStatsAttr};
use crate::generated::*;
use crate::ident::DevIdent;
use crate::message::AccelMessage;
use crate::ops::{Attrs, ReloadDo};
use crate::request::{request, DevHandle, Msg};
use crate::spec_enum::spec_enum;

spec_enum!(
    /// What a reload does (spec enum `reload-action`).
    ReloadAction, RELOAD_ACTION_NAMES, {
        /// Re-initialise the driver, applying driverinit values.
        DriverReinit = ACCEL_RELOAD_ACTION_DRIVER_REINIT,
        /// Activate the stored firmware and permanent values.
        FwActivate = ACCEL_RELOAD_ACTION_FW_ACTIVATE,
    }
);

spec_enum!(
    /// Restriction on how a reload action is carried out (spec enum
    /// `reload-limit`).
    ReloadLimit, RELOAD_LIMIT_NAMES, {
        None = ACCEL_RELOAD_LIMIT_NONE,
        /// Without resetting the device.
        NoReset = ACCEL_RELOAD_LIMIT_NO_RESET,
    }
);

/// The actions of a flags attribute (`enum-as-flags`: bit N for the
/// action of value N), in bit order; unknown bits are kept as
/// [`ReloadAction::Unknown`].
pub fn actions_from_mask(mask: u32) -> Vec<ReloadAction> {
    (0..32)
        .filter(|bit| mask & (1u32 << bit) != 0)
        .map(ReloadAction::from_u32)
        .collect()
}

/// The flags attribute of `actions` (values above 31 cannot be carried
/// and are left out).
pub fn actions_to_mask(actions: &[ReloadAction]) -> u32 {
    actions
        .iter()
        .map(|a| a.to_u32())
        .filter(|v| *v < 32)
        .fold(0, |m, v| m | (1 << v))
}

/// How often one action was performed with one limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReloadStat {
    pub action: ReloadAction,
    pub limit: ReloadLimit,
    /// Performed by reload requests (asked for, or done in addition).
    pub count: u64,
    /// Performed without a request: by the device or firmware on its own.
    pub remote_count: u64,
}

impl ReloadStat {
    /// Decode one `reload-stats` nest: action and limit are mandatory,
    /// absent counts are 0.
    pub fn from_attrs(attrs: &[ReloadStatsAttr]) -> Result<Self, DecodeError> {
        let (mut action, mut limit, mut count, mut remote) = (None, None, 0, 0);
        for a in attrs {
            match a {
                ReloadStatsAttr::Action(v) => action = Some(ReloadAction::from_u32(*v)),
                ReloadStatsAttr::Limit(v) => limit = Some(ReloadLimit::from_u32(*v)),
                ReloadStatsAttr::Count(v) => count = *v,
                ReloadStatsAttr::RemoteCount(v) => remote = *v,
                ReloadStatsAttr::Unknown(_) => {}
            }
        }
        Ok(ReloadStat {
            action: action.ok_or("reload-stats nest lacks the action attribute")?,
            limit: limit.ok_or("reload-stats nest lacks the limit attribute")?,
            count,
            remote_count: remote,
        })
    }

    /// Encode as a `reload-stats` nest.
    pub fn to_attrs(&self) -> Vec<ReloadStatsAttr> {
        vec![
            ReloadStatsAttr::Action(self.action.to_u32()),
            ReloadStatsAttr::Limit(self.limit.to_u32()),
            ReloadStatsAttr::Count(self.count),
            ReloadStatsAttr::RemoteCount(self.remote_count),
        ]
    }
}

/// The reply of a reload request: which actions the driver performed (at
/// least the one requested, maybe more).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReloadReply {
    pub dev: DevIdent,
    pub actions_performed: Vec<ReloadAction>,
}

impl ReloadReply {
    /// Decode a reload reply: the handle is mandatory, absent
    /// actions-performed is none.
    pub fn from_attrs(attrs: &[ReloadAttr]) -> Result<Self, DecodeError> {
        let (mut handle, mut mask) = (None, 0);
        for a in attrs {
            match a {
                ReloadAttr::Handle(h) => handle = Some(h.as_slice()),
                ReloadAttr::ActionsPerformed(v) => mask = *v,
                _ => {}
            }
        }
        Ok(ReloadReply {
            dev: DevIdent::from_handle(handle, None, "reload")?,
            actions_performed: actions_from_mask(mask),
        })
    }

    /// Encode as the attributes of a kernel reply.
    pub fn to_attrs(&self) -> Vec<ReloadAttr> {
        vec![
            ReloadAttr::Handle(self.dev.to_handle()),
            ReloadAttr::ActionsPerformed(actions_to_mask(&self.actions_performed)),
        ]
    }
}

impl TryFrom<&AccelMessage> for ReloadReply {
    type Error = DecodeError;
    fn try_from(msg: &AccelMessage) -> Result<Self, DecodeError> {
        match &msg.attrs {
            Attrs::Reload(a) => ReloadReply::from_attrs(a),
            _ => Err(msg.wrong_set("reload")),
        }
    }
}

/// The reload request as a request type; `None` leaves the kernel's
/// default (driver-reinit, no limit).
pub fn reload_request(
    dev: &DevHandle,
    action: Option<ReloadAction>,
    limit: Option<ReloadLimit>,
) -> ReloadDo {
    ReloadDo {
        handle: Some(dev.to_handle()),
        action: action.map(ReloadAction::to_u32),
        limit: limit.map(ReloadLimit::to_u32),
    }
}

/// reload (do, acknowledged; the reply says what was performed).
pub fn reload(
    family_id: u16,
    seq: u32,
    dev: &DevHandle,
    action: Option<ReloadAction>,
    limit: Option<ReloadLimit>,
) -> Msg {
    request(family_id, seq, reload_request(dev, action, limit))
}
