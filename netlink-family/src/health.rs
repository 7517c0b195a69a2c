//! Decoded view of health reporters: `health-reporter-get` replies and the
//! three health notifications. Plain structs, no netlink types.

use netlink_packet_core::DecodeError;

use crate::attr::DevAttr;
use crate::generated::*;
use crate::health_attr::HealthReporterAttr;
use crate::ident::{DevIdent, IdentBuilder};
use crate::message::AccelMessage;

/// State of a health reporter (spec enum `health-state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum HealthState {
    /// No error, or the last error was recovered from.
    #[default]
    Healthy,
    /// An error was reported and not recovered from yet.
    Error,
    /// A state this crate does not know (a newer kernel): kept, not rejected.
    Unknown(u32),
}

impl HealthState {
    /// The spec's name of the state (`healthy`, `error`).
    pub fn as_str(self) -> &'static str {
        let v = self.to_u32();
        HEALTH_STATE_NAMES
            .iter()
            .find(|(k, _)| *k == v)
            .map_or("unknown", |(_, name)| name)
    }

    /// From the wire value; unknown values are kept.
    pub fn from_u32(v: u32) -> Self {
        match v {
            ACCEL_HEALTH_STATE_HEALTHY => HealthState::Healthy,
            ACCEL_HEALTH_STATE_ERROR => HealthState::Error,
            other => HealthState::Unknown(other),
        }
    }

    /// The wire value.
    pub fn to_u32(self) -> u32 {
        match self {
            HealthState::Healthy => ACCEL_HEALTH_STATE_HEALTHY,
            HealthState::Error => ACCEL_HEALTH_STATE_ERROR,
            HealthState::Unknown(v) => v,
        }
    }
}

/// One health reporter: the contents of a `health-reporter` nest.
///
/// Optional fields are absent on the wire when they do not apply: no error
/// reported yet (last error), no recover op (grace period, auto-recover),
/// no dump op (auto-dump), no dump stored (dump time).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HealthReporter {
    /// Name, unique within the device (e.g. `fw`).
    pub name: String,
    pub state: HealthState,
    /// Errors reported since the reporter was created.
    pub error_count: u64,
    /// Successful recoveries, automatic or requested.
    pub recover_count: u64,
    /// Time of the last error, ns since the epoch (CLOCK_REALTIME).
    pub last_error_ts_ns: Option<u64>,
    /// The driver's message for the last error.
    pub last_error_msg: Option<String>,
    /// Milliseconds after a recovery during which errors are not recovered
    /// automatically and recover requests are refused.
    pub grace_period_ms: Option<u64>,
    pub auto_recover: Option<bool>,
    pub auto_dump: Option<bool>,
    /// Time the stored dump was taken, ns since the epoch.
    pub dump_ts_ns: Option<u64>,
}

impl HealthReporter {
    pub fn is_healthy(&self) -> bool {
        self.state == HealthState::Healthy
    }

    /// Decode a `health-reporter` nest of a reply. name, state, error-count
    /// and recover-count are mandatory; an unknown state value is an error
    /// (the policy caps it, so it would be a kernel bug or a newer ABI that
    /// this crate cannot judge healthy or not); later duplicates override;
    /// unknown attributes are ignored.
    pub fn from_nlas(nlas: &[HealthReporterAttr]) -> Result<Self, DecodeError> {
        use HealthReporterAttr as A;
        let name = Self::name_of(nlas).map(str::to_string);
        let (mut state, mut errors, mut recovers) = (None, None, None);
        let mut out = HealthReporter::default();
        for nla in nlas {
            match nla {
                A::Name(_) => {}
                A::State(v) => state = Some(*v),
                A::ErrorCount(v) => errors = Some(*v),
                A::RecoverCount(v) => recovers = Some(*v),
                A::LastErrorTsNs(v) => out.last_error_ts_ns = Some(*v),
                A::LastErrorMsg(s) => out.last_error_msg = Some(s.clone()),
                A::GracePeriod(v) => out.grace_period_ms = Some(*v),
                A::AutoRecover(v) => out.auto_recover = Some(*v != 0),
                A::AutoDump(v) => out.auto_dump = Some(*v != 0),
                A::DumpTsNs(v) => out.dump_ts_ns = Some(*v),
                A::Other(_) => {}
            }
        }
        let name = name.ok_or("health-reporter nest lacks the name attribute")?;
        let lacks = |attr: &str| {
            DecodeError::from(format!(
                "health reporter {name:?} lacks the {attr} attribute"
            ))
        };
        let state = state.ok_or_else(|| lacks("state"))?;
        out.state = HealthState::from_u32(state);
        out.error_count = errors.ok_or_else(|| lacks("error-count"))?;
        out.recover_count = recovers.ok_or_else(|| lacks("recover-count"))?;
        out.name = name;
        Ok(out)
    }

    /// The reporter's name in a `health-reporter` nest, by the rule of
    /// [`HealthReporter::from_nlas`]: the last `name` attribute wins.
    pub fn name_of(nlas: &[HealthReporterAttr]) -> Option<&str> {
        nlas.iter().rev().find_map(|a| match a {
            HealthReporterAttr::Name(s) => Some(s.as_str()),
            _ => None,
        })
    }

    /// Encode as the nest of a reply (spec order, absent fields omitted).
    pub fn to_nlas(&self) -> Vec<HealthReporterAttr> {
        use HealthReporterAttr as A;
        let mut v = vec![
            A::Name(self.name.clone()),
            A::State(self.state.to_u32()),
            A::ErrorCount(self.error_count),
            A::RecoverCount(self.recover_count),
        ];
        v.extend(self.last_error_ts_ns.map(A::LastErrorTsNs));
        v.extend(self.last_error_msg.clone().map(A::LastErrorMsg));
        v.extend(self.grace_period_ms.map(A::GracePeriod));
        v.extend(self.auto_recover.map(|b| A::AutoRecover(b.into())));
        v.extend(self.auto_dump.map(|b| A::AutoDump(b.into())));
        v.extend(self.dump_ts_ns.map(A::DumpTsNs));
        v
    }
}

/// A health reporter and the device it belongs to: one health-reporter-get
/// reply, or one health-reporter-{change,error,recover}-ntf.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DevHealthReporter {
    pub dev: DevIdent,
    pub reporter: HealthReporter,
}

impl DevHealthReporter {
    /// Decode from the attributes of a reply or notification: the device
    /// identity and exactly one `health-reporter` nest.
    pub fn from_nlas(nlas: &[DevAttr]) -> Result<Self, DecodeError> {
        let mut ident = IdentBuilder::default();
        let mut reporter = None;
        for nla in nlas {
            if ident.take(nla) {
                continue;
            }
            if let DevAttr::HealthReporter(r) = nla {
                if reporter.is_some() {
                    return Err("health reply carries two health-reporter nests".into());
                }
                reporter = Some(HealthReporter::from_nlas(r)?);
            }
        }
        Ok(DevHealthReporter {
            dev: ident.build("health-reporter")?,
            reporter: reporter.ok_or("health reply lacks the health-reporter attribute")?,
        })
    }

    /// Encode as the attributes a kernel reply would carry.
    pub fn to_nlas(&self) -> Vec<DevAttr> {
        let mut v = self.dev.to_nlas();
        v.push(DevAttr::HealthReporter(self.reporter.to_nlas()));
        v
    }
}

impl TryFrom<&AccelMessage> for DevHealthReporter {
    type Error = DecodeError;
    fn try_from(msg: &AccelMessage) -> Result<Self, DecodeError> {
        DevHealthReporter::from_nlas(&msg.nlas)
    }
}

impl TryFrom<&[DevAttr]> for DevHealthReporter {
    type Error = DecodeError;
    fn try_from(nlas: &[DevAttr]) -> Result<Self, DecodeError> {
        DevHealthReporter::from_nlas(nlas)
    }
}
