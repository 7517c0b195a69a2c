//! Rendering of health reporters: `health show`, `health check`, the
//! diagnose/dump documents and the health monitor events.

use std::fmt::Write as _;

use accel_netlink::{DevHealthReporter, DevIdent, HealthFmsg, HealthReporter, HealthState};
use serde::Serialize;

use super::tree::{tree_text, FmsgNodeJson};
use crate::output::json_each::Each;
use crate::output::json_int::JsonU64;
use crate::output::{printable, rfc3339_ns, DocVersion, IdentJson, Output};

/// A health reporter and its device; null where an attribute does not
/// apply (no error reported yet, no recover or dump operation, no dump
/// stored). The grace period in ms.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReporterJson {
    #[serde(flatten)]
    pub ident: IdentJson,
    /// Name of the reporter, unique within its device.
    pub reporter: String,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::output::schema::StateName")
    )]
    pub state: &'static str,
    pub error_count: JsonU64,
    pub recover_count: JsonU64,
    /// When the last error was reported; null if none was.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::output::schema::Rfc3339>")
    )]
    pub last_error_time: Option<String>,
    pub last_error_msg: Option<String>,
    pub grace_period_ms: Option<JsonU64>,
    pub auto_recover: Option<bool>,
    pub auto_dump: Option<bool>,
    /// When the stored dump was taken; null if none is stored.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::output::schema::Rfc3339>")
    )]
    pub dump_time: Option<String>,
}

#[derive(Debug, Serialize)]
/// `accelctl -j health show [DEV [reporter NAME]]`: every reporter, those
/// of DEV, or one.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HealthShowDoc<'a> {
    pub version: DocVersion,
    pub reporters: Each<'a, DevHealthReporter, ReporterJson>,
}

/// `accelctl -j health diagnose|dump show DEV reporter NAME`: the reporter
/// and the driver's tree (members of the top-level object).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HealthTreeDoc {
    pub version: DocVersion,
    pub reporter: ReporterJson,
    pub tree: Vec<FmsgNodeJson>,
}

/// `accelctl -j health check [DEV]`: printed whatever the outcome (exit
/// status 0 when healthy, 3 otherwise).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HealthCheckDoc {
    pub version: DocVersion,
    /// Every reporter is healthy (the exit status is 3 otherwise).
    pub healthy: bool,
    /// The reporters not in the healthy state (in error, or in a state
    /// this accelctl does not know).
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<crate::output::schema::UnhealthyReporter>")
    )]
    pub unhealthy: Vec<ReporterJson>,
}

/// A health line of `accelctl -j monitor`: an error was reported
/// (health-error), the reporter recovered (health-recover), a parameter
/// was set or a dump taken or cleared (health-change), a driver created
/// (health-new) or destroyed (health-del) the reporter.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HealthEventDoc {
    pub version: DocVersion,
    pub event: HealthEventKind,
    pub reporter: ReporterJson,
}

/// The health notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum HealthEventKind {
    /// An error was reported (health-reporter-error-ntf).
    #[serde(rename = "health-error")]
    Error,
    /// The reporter recovered (health-reporter-recover-ntf).
    #[serde(rename = "health-recover")]
    Recover,
    /// Parameters set, dump taken or cleared (health-reporter-change-ntf).
    #[serde(rename = "health-change")]
    Change,
    /// A driver created the reporter (health-reporter-new-ntf).
    #[serde(rename = "health-new")]
    New,
    /// A driver destroyed the reporter (health-reporter-del-ntf).
    #[serde(rename = "health-del")]
    Del,
}

impl ReporterJson {
    fn new(d: &DevIdent, r: &HealthReporter) -> Self {
        ReporterJson {
            ident: IdentJson::new(d),
            reporter: r.name.clone(),
            state: r.state.as_str(),
            error_count: JsonU64(r.error_count),
            recover_count: JsonU64(r.recover_count),
            last_error_time: r.last_error_ts_ns.map(rfc3339_ns),
            last_error_msg: r.last_error_msg.clone(),
            grace_period_ms: r.grace_period_ms.map(JsonU64),
            auto_recover: r.auto_recover,
            auto_dump: r.auto_dump,
            dump_time: r.dump_ts_ns.map(rfc3339_ns),
        }
    }
}

impl From<&DevHealthReporter> for ReporterJson {
    fn from(r: &DevHealthReporter) -> Self {
        ReporterJson::new(&r.dev, &r.reporter)
    }
}

impl Output {
    /// `health show`: reporters grouped under their device, one detail
    /// block each.
    pub fn health_show(&self, reporters: &[DevHealthReporter]) -> String {
        if self.json {
            return self.json(&HealthShowDoc {
                version: DocVersion,
                reporters: Each::new(reporters),
            });
        }
        let mut s = String::new();
        let mut last: Option<&DevIdent> = None;
        for r in reporters {
            if last != Some(&r.dev) {
                s.push_str(&dev_header(&r.dev));
                s.push('\n');
                last = Some(&r.dev);
            }
            s.push_str(&reporter_detail(&r.reporter));
        }
        s
    }

    /// `health dump show`: a header naming the reporter and the time the
    /// dump was taken, then the tree indented below it.
    pub fn health_dump(&self, fmsg: &HealthFmsg) -> String {
        self.health_tree(fmsg, true)
    }

    /// `health diagnose`: as a dump, without the time of the stored dump,
    /// which the diagnose does not come from.
    pub fn health_diagnose(&self, fmsg: &HealthFmsg) -> String {
        self.health_tree(fmsg, false)
    }

    fn health_tree(&self, fmsg: &HealthFmsg, dump_ts: bool) -> String {
        if self.json {
            return self.json(&HealthTreeDoc {
                version: DocVersion,
                reporter: ReporterJson::new(&fmsg.dev, &fmsg.reporter),
                tree: fmsg.tree.iter().map(FmsgNodeJson::from).collect(),
            });
        }
        let mut s = format!(
            "{} reporter {}",
            dev_header(&fmsg.dev),
            printable(&fmsg.reporter.name)
        );
        if let Some(ts) = fmsg.reporter.dump_ts_ns.filter(|_| dump_ts) {
            let _ = write!(s, " dump_ts {}", rfc3339_ns(ts));
        }
        s.push('\n');
        s.push_str(&tree_text(&fmsg.tree, 2));
        s
    }

    /// `health check`: the JSON document, or one text line per unhealthy
    /// reporter (nothing when all are healthy).
    pub fn health_check(&self, reporters: &[DevHealthReporter]) -> String {
        let unhealthy = reporters.iter().filter(|r| !r.reporter.is_healthy());
        if self.json {
            let unhealthy: Vec<ReporterJson> = unhealthy.map(ReporterJson::from).collect();
            return self.json(&HealthCheckDoc {
                version: DocVersion,
                healthy: unhealthy.is_empty(),
                unhealthy,
            });
        }
        unhealthy
            .map(|r| {
                format!(
                    "{} reporter {}: {}\n",
                    printable(&r.dev.name),
                    printable(&r.reporter.name),
                    summary(&r.reporter)
                )
            })
            .collect()
    }

    /// One health monitor event: a text line or a JSON line.
    pub fn health_event(&self, kind: HealthEventKind, r: &DevHealthReporter) -> String {
        if self.json {
            return self.one_line().json(&HealthEventDoc {
                version: DocVersion,
                event: kind,
                reporter: r.into(),
            });
        }
        let k = match kind {
            HealthEventKind::Error => "health,error",
            HealthEventKind::Recover => "health,recover",
            HealthEventKind::Change => "health,change",
            HealthEventKind::New => "health,new",
            HealthEventKind::Del => "health,del",
        };
        format!(
            "[{k}] {} reporter {}: {}\n",
            dev_header(&r.dev),
            printable(&r.reporter.name),
            summary(&r.reporter)
        )
    }
}

/// `accel0: accel_sim/accel_sim0`, as `dev show DEV` and `dev info` start.
fn dev_header(d: &DevIdent) -> String {
    format!("{}: {}", printable(&d.name), printable(&d.handle()))
}

/// `error: MSG (errors E, recovered R)` or `healthy (errors E, recovered R)`.
fn summary(r: &HealthReporter) -> String {
    let mut s = String::from(r.state.as_str());
    if let (HealthState::Error, Some(msg)) = (r.state, &r.last_error_msg) {
        let _ = write!(s, ": {}", printable(msg));
    }
    let _ = write!(
        s,
        " (errors {}, recovered {})",
        r.error_count, r.recover_count
    );
    s
}

/// devlink-health-like block, one attribute per line, absent ones omitted.
fn reporter_detail(r: &HealthReporter) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "  reporter {}", printable(&r.name));
    let _ = writeln!(s, "    state {}", r.state.as_str());
    let _ = writeln!(s, "    error_count {}", r.error_count);
    let _ = writeln!(s, "    recover_count {}", r.recover_count);
    if let Some(ts) = r.last_error_ts_ns {
        let _ = writeln!(s, "    last_error_ts {}", rfc3339_ns(ts));
    }
    if let Some(msg) = &r.last_error_msg {
        let _ = writeln!(s, "    last_error_msg {}", printable(msg));
    }
    if let Some(ms) = r.grace_period_ms {
        let _ = writeln!(s, "    grace_period {ms}");
    }
    if let Some(b) = r.auto_recover {
        let _ = writeln!(s, "    auto_recover {b}");
    }
    if let Some(b) = r.auto_dump {
        let _ = writeln!(s, "    auto_dump {b}");
    }
    if let Some(ts) = r.dump_ts_ns {
        let _ = writeln!(s, "    dump_ts {}", rfc3339_ns(ts));
    }
    s
}
