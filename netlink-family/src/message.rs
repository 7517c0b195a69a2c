//! The generic netlink payload of the family: command + attributes.

use netlink_packet_core::{DecodeError, Emitable, ParseableParametrized};
use netlink_packet_generic::{GenlFamily, GenlHeader};

use crate::attr::{parse_nlas, DevAttr};
use crate::constants::*;

/// A command of the `accel` family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccelCmd {
    /// `dev-get` (request, reply and dump replies).
    DevGet,
    /// `dev-add-ntf`: a device appeared (multicast group `monitor`).
    DevAddNtf,
    /// `dev-del-ntf`: a device disappeared (multicast group `monitor`).
    DevDelNtf,
    /// `info-get` (request, reply and dump replies).
    InfoGet,
    /// `info-change-ntf`: a device's information changed (group `monitor`).
    InfoChangeNtf,
    /// A command this crate does not know (newer kernel); kept, not rejected.
    Other(u8),
}

impl From<u8> for AccelCmd {
    fn from(v: u8) -> Self {
        match v {
            ACCEL_CMD_DEV_GET => AccelCmd::DevGet,
            ACCEL_CMD_DEV_ADD_NTF => AccelCmd::DevAddNtf,
            ACCEL_CMD_DEV_DEL_NTF => AccelCmd::DevDelNtf,
            ACCEL_CMD_INFO_GET => AccelCmd::InfoGet,
            ACCEL_CMD_INFO_CHANGE_NTF => AccelCmd::InfoChangeNtf,
            other => AccelCmd::Other(other),
        }
    }
}

impl From<AccelCmd> for u8 {
    fn from(c: AccelCmd) -> u8 {
        match c {
            AccelCmd::DevGet => ACCEL_CMD_DEV_GET,
            AccelCmd::DevAddNtf => ACCEL_CMD_DEV_ADD_NTF,
            AccelCmd::DevDelNtf => ACCEL_CMD_DEV_DEL_NTF,
            AccelCmd::InfoGet => ACCEL_CMD_INFO_GET,
            AccelCmd::InfoChangeNtf => ACCEL_CMD_INFO_CHANGE_NTF,
            AccelCmd::Other(v) => v,
        }
    }
}

/// Payload of a `GenlMessage<AccelMessage>`.
///
/// All operations of the family use the `dev` attribute set, so the
/// attributes are typed as [`DevAttr`] whatever the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccelMessage {
    pub cmd: AccelCmd,
    pub nlas: Vec<DevAttr>,
}

impl GenlFamily for AccelMessage {
    fn family_name() -> &'static str {
        ACCEL_FAMILY_NAME
    }

    fn command(&self) -> u8 {
        self.cmd.into()
    }

    fn version(&self) -> u8 {
        ACCEL_FAMILY_VERSION
    }
}

impl Emitable for AccelMessage {
    fn buffer_len(&self) -> usize {
        self.nlas.as_slice().buffer_len()
    }

    fn emit(&self, buffer: &mut [u8]) {
        self.nlas.as_slice().emit(buffer)
    }
}

impl ParseableParametrized<[u8], GenlHeader> for AccelMessage {
    fn parse_with_param(buf: &[u8], header: GenlHeader) -> Result<Self, DecodeError> {
        Ok(AccelMessage {
            cmd: header.cmd.into(),
            nlas: parse_nlas(buf)?,
        })
    }
}
