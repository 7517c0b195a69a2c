//! Request builders for the health-reporter operations.
//!
//! Every request names the device by its handle at the top level and the
//! reporter by the `name` in a `health-reporter` nest, which for set also
//! carries the parameters to change.

use netlink_packet_core::{NetlinkMessage, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use netlink_packet_generic::GenlMessage;

use crate::attr::DevAttr;
use crate::health_attr::HealthReporterAttr;
use crate::message::{AccelCmd, AccelMessage};
use crate::request::{build, DevHandle};

/// What health-reporter-set changes; `None` leaves a parameter as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HealthReporterParams {
    /// Milliseconds.
    pub grace_period_ms: Option<u64>,
    pub auto_recover: Option<bool>,
    pub auto_dump: Option<bool>,
}

impl HealthReporterParams {
    /// Nothing to change (the kernel refuses such a set with EINVAL).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl AccelMessage {
    /// Payload of a health-reporter-get request: one reporter (a do
    /// request needs both), or a dump optionally filtered by device.
    pub fn health_reporter_get(dev: Option<&DevHandle>, reporter: Option<&str>) -> Self {
        let mut nlas = dev.map(DevHandle::to_nlas).unwrap_or_default();
        if let Some(name) = reporter {
            nlas.push(DevAttr::HealthReporter(vec![HealthReporterAttr::Name(
                name.to_string(),
            )]));
        }
        AccelMessage {
            cmd: AccelCmd::HealthReporterGet,
            nlas,
        }
    }

    /// Payload of a request about one reporter: recover, diagnose,
    /// dump-get, dump-clear, test (or get), chosen by `cmd`.
    pub fn health_reporter(cmd: AccelCmd, dev: &DevHandle, reporter: &str) -> Self {
        AccelMessage {
            cmd,
            ..AccelMessage::health_reporter_get(Some(dev), Some(reporter))
        }
    }

    /// Payload of a health-reporter-set request.
    pub fn health_reporter_set(
        dev: &DevHandle,
        reporter: &str,
        params: &HealthReporterParams,
    ) -> Self {
        let mut nest = vec![HealthReporterAttr::Name(reporter.to_string())];
        nest.extend(params.grace_period_ms.map(HealthReporterAttr::GracePeriod));
        nest.extend(
            params
                .auto_recover
                .map(|b| HealthReporterAttr::AutoRecover(b.into())),
        );
        nest.extend(
            params
                .auto_dump
                .map(|b| HealthReporterAttr::AutoDump(b.into())),
        );
        let mut nlas = dev.to_nlas();
        nlas.push(DevAttr::HealthReporter(nest));
        AccelMessage {
            cmd: AccelCmd::HealthReporterSet,
            nlas,
        }
    }
}

type Msg = NetlinkMessage<GenlMessage<AccelMessage>>;

/// A do request (`NLM_F_REQUEST | NLM_F_ACK`) about one reporter.
fn do_request(family_id: u16, seq: u32, payload: AccelMessage) -> Msg {
    build(family_id, seq, NLM_F_REQUEST | NLM_F_ACK, payload)
}

/// A dump request (`NLM_F_REQUEST | NLM_F_DUMP`).
fn dump_request(family_id: u16, seq: u32, payload: AccelMessage) -> Msg {
    build(family_id, seq, NLM_F_REQUEST | NLM_F_DUMP, payload)
}

/// health-reporter-get *do*: one reporter of one device.
pub fn health_reporter_get_do(family_id: u16, seq: u32, dev: &DevHandle, reporter: &str) -> Msg {
    do_request(
        family_id,
        seq,
        AccelMessage::health_reporter(AccelCmd::HealthReporterGet, dev, reporter),
    )
}

/// health-reporter-get *dump*: every reporter, or those of one device.
pub fn health_reporter_get_dump(family_id: u16, seq: u32, filter: Option<&DevHandle>) -> Msg {
    dump_request(
        family_id,
        seq,
        AccelMessage::health_reporter_get(filter, None),
    )
}

/// health-reporter-set (do, acknowledged).
pub fn health_reporter_set(
    family_id: u16,
    seq: u32,
    dev: &DevHandle,
    reporter: &str,
    params: &HealthReporterParams,
) -> Msg {
    do_request(
        family_id,
        seq,
        AccelMessage::health_reporter_set(dev, reporter, params),
    )
}

/// health-reporter-recover (do, acknowledged).
pub fn health_reporter_recover(family_id: u16, seq: u32, dev: &DevHandle, reporter: &str) -> Msg {
    do_request(
        family_id,
        seq,
        AccelMessage::health_reporter(AccelCmd::HealthReporterRecover, dev, reporter),
    )
}

/// health-reporter-diagnose: a dump (the op has no do) naming the reporter.
pub fn health_reporter_diagnose(family_id: u16, seq: u32, dev: &DevHandle, reporter: &str) -> Msg {
    dump_request(
        family_id,
        seq,
        AccelMessage::health_reporter(AccelCmd::HealthReporterDiagnose, dev, reporter),
    )
}

/// health-reporter-dump-get: a dump (the op has no do) naming the reporter.
pub fn health_reporter_dump_get(family_id: u16, seq: u32, dev: &DevHandle, reporter: &str) -> Msg {
    dump_request(
        family_id,
        seq,
        AccelMessage::health_reporter(AccelCmd::HealthReporterDumpGet, dev, reporter),
    )
}

/// health-reporter-dump-clear (do, acknowledged).
pub fn health_reporter_dump_clear(
    family_id: u16,
    seq: u32,
    dev: &DevHandle,
    reporter: &str,
) -> Msg {
    do_request(
        family_id,
        seq,
        AccelMessage::health_reporter(AccelCmd::HealthReporterDumpClear, dev, reporter),
    )
}

/// health-reporter-test (do, acknowledged).
pub fn health_reporter_test(family_id: u16, seq: u32, dev: &DevHandle, reporter: &str) -> Msg {
    do_request(
        family_id,
        seq,
        AccelMessage::health_reporter(AccelCmd::HealthReporterTest, dev, reporter),
    )
}
