//! Request builders for the health-reporter operations: each names the
//! device by its handle and the reporter by its name.

use crate::ops::*;
use crate::request::{request, DevHandle, Msg};

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

/// health-reporter-get *do*: one reporter of one device.
pub fn health_reporter_get_do(family_id: u16, seq: u32, dev: &DevHandle, reporter: &str) -> Msg {
    let r = HealthReporterGetDo {
        handle: Some(dev.to_handle()),
        name: Some(reporter.to_string()),
    };
    request(family_id, seq, r)
}

/// health-reporter-get *dump*: every reporter, or those of one device.
pub fn health_reporter_get_dump(family_id: u16, seq: u32, filter: Option<&DevHandle>) -> Msg {
    let handle = filter.map(DevHandle::to_handle);
    request(family_id, seq, HealthReporterGetDump { handle })
}

/// health-reporter-set (do, acknowledged).
pub fn health_reporter_set(
    family_id: u16,
    seq: u32,
    dev: &DevHandle,
    reporter: &str,
    params: &HealthReporterParams,
) -> Msg {
    let r = HealthReporterSetDo {
        handle: Some(dev.to_handle()),
        name: Some(reporter.to_string()),
        grace_period: params.grace_period_ms,
        auto_recover: params.auto_recover.map(u32::from),
        auto_dump: params.auto_dump.map(u32::from),
    };
    request(family_id, seq, r)
}

/// The `handle` and `name` of a request about one reporter.
macro_rules! reporter_request {
    ($(#[$doc:meta])* $fn:ident, $req:ident) => {
        $(#[$doc])*
        pub fn $fn(family_id: u16, seq: u32, dev: &DevHandle, reporter: &str) -> Msg {
            let r = $req {
                handle: Some(dev.to_handle()),
                name: Some(reporter.to_string()),
            };
            request(family_id, seq, r)
        }
    };
}

reporter_request!(
    /// health-reporter-recover (do, acknowledged).
    health_reporter_recover,
    HealthReporterRecoverDo
);
reporter_request!(
    /// health-reporter-diagnose: a dump (the op has no do) naming the reporter.
    health_reporter_diagnose,
    HealthReporterDiagnoseDump
);
reporter_request!(
    /// health-reporter-dump-get: a dump (the op has no do) naming the reporter.
    health_reporter_dump_get,
    HealthReporterDumpGetDump
);
reporter_request!(
    /// health-reporter-dump-clear (do, acknowledged).
    health_reporter_dump_clear,
    HealthReporterDumpClearDo
);
reporter_request!(
    /// health-reporter-test (do, acknowledged).
    health_reporter_test,
    HealthReporterTestDo
);
