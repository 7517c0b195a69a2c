//! Decoded view of health reporters: `health-reporter-get` replies and the
//! five health notifications. Plain structs, no netlink types.

use netlink_packet_core::DecodeError;

use crate::attrs::HealthReporterAttr;
use crate::generated::*;
use crate::ident::DevIdent;
use crate::message::AccelMessage;
use crate::ops::Attrs;
use crate::spec_enum::spec_enum;

spec_enum!(
    /// State of a health reporter (spec enum `health-state`).
    #[derive(Default)]
    HealthState, HEALTH_STATE_NAMES, {
        /// No error, or the last error was recovered from.
        #[default]
        Healthy = ACCEL_HEALTH_STATE_HEALTHY,
        /// An error was reported and not recovered from yet.
        Error = ACCEL_HEALTH_STATE_ERROR,
    }
);

/// One health reporter: the reporter's attributes of a health-reporter
/// message.
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

    /// Decode the reporter's attributes of a health-reporter message (its
    /// handle and tree items are left to the caller). name, state,
    /// error-count and recover-count are mandatory; an unknown state value
    /// is kept as [`HealthState::Unknown`]; later duplicates override;
    /// unknown attributes are ignored.
    pub fn from_attrs(attrs: &[HealthReporterAttr]) -> Result<Self, DecodeError> {
        use HealthReporterAttr as A;
        let name = Self::name_of(attrs).map(str::to_string);
        let (mut state, mut errors, mut recovers) = (None, None, None);
        let mut out = HealthReporter::default();
        for a in attrs {
            match a {
                A::Name(_) | A::Handle(_) | A::TreeItem(_) => {}
                A::State(v) => state = Some(*v),
                A::ErrorCount(v) => errors = Some(*v),
                A::RecoverCount(v) => recovers = Some(*v),
                A::LastErrorTsNs(v) => out.last_error_ts_ns = Some(*v),
                A::LastErrorMsg(s) => out.last_error_msg = Some(s.clone()),
                A::GracePeriod(v) => out.grace_period_ms = Some(*v),
                A::AutoRecover(v) => out.auto_recover = Some(*v != 0),
                A::AutoDump(v) => out.auto_dump = Some(*v != 0),
                A::DumpTsNs(v) => out.dump_ts_ns = Some(*v),
                A::Unknown(_) => {}
            }
        }
        let name = name.ok_or("health-reporter reply lacks the name attribute")?;
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

    /// The reporter's name in a health-reporter message, by the rule of
    /// [`HealthReporter::from_attrs`]: the last `name` attribute wins.
    pub fn name_of(attrs: &[HealthReporterAttr]) -> Option<&str> {
        attrs.iter().rev().find_map(|a| match a {
            HealthReporterAttr::Name(s) => Some(s.as_str()),
            _ => None,
        })
    }

    /// Encode as the reporter's attributes of a reply (spec order, absent
    /// fields omitted; without the handle).
    pub fn to_attrs(&self) -> Vec<HealthReporterAttr> {
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
/// reply, or one health-reporter-{new,del,change,error,recover}-ntf.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DevHealthReporter {
    pub dev: DevIdent,
    pub reporter: HealthReporter,
}

impl DevHealthReporter {
    /// Decode from the attributes of a reply or notification: the device
    /// handle and the reporter's attributes.
    pub fn from_attrs(attrs: &[HealthReporterAttr]) -> Result<Self, DecodeError> {
        let handle = attrs.iter().rev().find_map(|a| match a {
            HealthReporterAttr::Handle(h) => Some(h.as_slice()),
            _ => None,
        });
        Ok(DevHealthReporter {
            dev: DevIdent::from_handle(handle, None, "health-reporter")?,
            reporter: HealthReporter::from_attrs(attrs)?,
        })
    }

    /// Encode as the attributes a kernel reply would carry.
    pub fn to_attrs(&self) -> Vec<HealthReporterAttr> {
        let mut v = vec![HealthReporterAttr::Handle(self.dev.to_handle())];
        v.extend(self.reporter.to_attrs());
        v
    }
}

impl TryFrom<&AccelMessage> for DevHealthReporter {
    type Error = DecodeError;
    fn try_from(msg: &AccelMessage) -> Result<Self, DecodeError> {
        match &msg.attrs {
            Attrs::HealthReporter(a) => DevHealthReporter::from_attrs(a),
            _ => Err(msg.wrong_set("health-reporter")),
        }
    }
}
