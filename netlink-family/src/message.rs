//! The generic netlink payload of the family: command + attributes.

use netlink_packet_core::{DecodeError, Emitable, ParseableParametrized};
use netlink_packet_generic::{GenlFamily, GenlHeader};

use crate::attr::DevAttr;
use crate::generated::*;
use crate::wire;

/// A command of the `accel` family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccelCmd {
    /// `dev-get` (request, reply and dump replies).
    DevGet,
    /// `dev-add-ntf`: a device appeared (multicast group `mgmt`).
    DevAddNtf,
    /// `dev-del-ntf`: a device disappeared (multicast group `mgmt`).
    DevDelNtf,
    /// `info-get` (request, reply and dump replies).
    InfoGet,
    /// `info-change-ntf`: a device's information changed (group `mgmt`).
    InfoChangeNtf,
    /// `health-reporter-get` (request, reply and dump replies).
    HealthReporterGet,
    /// `health-reporter-set`: set grace period, auto-recover, auto-dump.
    HealthReporterSet,
    /// `health-reporter-recover`: recover from the reported error now.
    HealthReporterRecover,
    /// `health-reporter-diagnose` (dump only): the diagnose message.
    HealthReporterDiagnose,
    /// `health-reporter-dump-get` (dump only): the stored dump.
    HealthReporterDumpGet,
    /// `health-reporter-dump-clear`: delete the stored dump.
    HealthReporterDumpClear,
    /// `health-reporter-test`: make the driver report a test error.
    HealthReporterTest,
    /// `health-reporter-new-ntf`: a driver created a reporter (group `health`).
    HealthReporterNewNtf,
    /// `health-reporter-del-ntf`: a driver destroyed a reporter (group `health`).
    HealthReporterDelNtf,
    /// `health-reporter-change-ntf`: parameters set, dump taken or cleared.
    HealthReporterChangeNtf,
    /// `health-reporter-error-ntf`: an error was reported.
    HealthReporterErrorNtf,
    /// `health-reporter-recover-ntf`: the reporter recovered.
    HealthReporterRecoverNtf,
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
            ACCEL_CMD_HEALTH_REPORTER_GET => AccelCmd::HealthReporterGet,
            ACCEL_CMD_HEALTH_REPORTER_SET => AccelCmd::HealthReporterSet,
            ACCEL_CMD_HEALTH_REPORTER_RECOVER => AccelCmd::HealthReporterRecover,
            ACCEL_CMD_HEALTH_REPORTER_DIAGNOSE => AccelCmd::HealthReporterDiagnose,
            ACCEL_CMD_HEALTH_REPORTER_DUMP_GET => AccelCmd::HealthReporterDumpGet,
            ACCEL_CMD_HEALTH_REPORTER_DUMP_CLEAR => AccelCmd::HealthReporterDumpClear,
            ACCEL_CMD_HEALTH_REPORTER_TEST => AccelCmd::HealthReporterTest,
            ACCEL_CMD_HEALTH_REPORTER_NEW_NTF => AccelCmd::HealthReporterNewNtf,
            ACCEL_CMD_HEALTH_REPORTER_DEL_NTF => AccelCmd::HealthReporterDelNtf,
            ACCEL_CMD_HEALTH_REPORTER_CHANGE_NTF => AccelCmd::HealthReporterChangeNtf,
            ACCEL_CMD_HEALTH_REPORTER_ERROR_NTF => AccelCmd::HealthReporterErrorNtf,
            ACCEL_CMD_HEALTH_REPORTER_RECOVER_NTF => AccelCmd::HealthReporterRecoverNtf,
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
            AccelCmd::HealthReporterGet => ACCEL_CMD_HEALTH_REPORTER_GET,
            AccelCmd::HealthReporterSet => ACCEL_CMD_HEALTH_REPORTER_SET,
            AccelCmd::HealthReporterRecover => ACCEL_CMD_HEALTH_REPORTER_RECOVER,
            AccelCmd::HealthReporterDiagnose => ACCEL_CMD_HEALTH_REPORTER_DIAGNOSE,
            AccelCmd::HealthReporterDumpGet => ACCEL_CMD_HEALTH_REPORTER_DUMP_GET,
            AccelCmd::HealthReporterDumpClear => ACCEL_CMD_HEALTH_REPORTER_DUMP_CLEAR,
            AccelCmd::HealthReporterTest => ACCEL_CMD_HEALTH_REPORTER_TEST,
            AccelCmd::HealthReporterNewNtf => ACCEL_CMD_HEALTH_REPORTER_NEW_NTF,
            AccelCmd::HealthReporterDelNtf => ACCEL_CMD_HEALTH_REPORTER_DEL_NTF,
            AccelCmd::HealthReporterChangeNtf => ACCEL_CMD_HEALTH_REPORTER_CHANGE_NTF,
            AccelCmd::HealthReporterErrorNtf => ACCEL_CMD_HEALTH_REPORTER_ERROR_NTF,
            AccelCmd::HealthReporterRecoverNtf => ACCEL_CMD_HEALTH_REPORTER_RECOVER_NTF,
            AccelCmd::Other(v) => v,
        }
    }
}

/// Payload of a `GenlMessage<AccelMessage>`.
///
/// Each object of the family has its own attribute set; the attributes are
/// held in the flat [`DevAttr`] view whatever the command, and mapped to
/// and from the command's set on the wire (`wire.rs`).
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
        wire::encode(self.cmd, &self.nlas).as_slice().buffer_len()
    }

    fn emit(&self, buffer: &mut [u8]) {
        wire::encode(self.cmd, &self.nlas).as_slice().emit(buffer)
    }
}

impl ParseableParametrized<[u8], GenlHeader> for AccelMessage {
    fn parse_with_param(buf: &[u8], header: GenlHeader) -> Result<Self, DecodeError> {
        let cmd = header.cmd.into();
        Ok(AccelMessage {
            cmd,
            nlas: wire::decode(cmd, buf)?,
        })
    }
}
