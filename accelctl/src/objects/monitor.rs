//! `accelctl monitor`: print device add/remove/change (reload),
//! info-change, param-change, health, flash and self-test notifications
//! as they come.

use std::io;

use accel_netlink::{
    AccelCmd, AccelMessage, DevHealthReporter, Device, DeviceInfo, FlashEvent, Param, Selftests,
    ACCEL_FAMILY_NAME, MCAST_GROUPS,
};
use anyhow::Result;
use clap::Args;

use super::dev::EventKind;
use super::health::HealthEventKind;
use super::{Cx, ManProse, Run};
use crate::emit;
use crate::nl::debug;
use crate::output::Output;
use crate::query::Nl;
use crate::session::Event;

/// Print device add/remove/change (reload), info, param, health, flash and self-test events as they happen, until interrupted
#[derive(Debug, Args)]
pub struct Monitor {}

impl Run for Monitor {
    fn run(&self, cx: &mut Cx) -> Result<u8> {
        run(&cx.out, &mut cx.nl)?;
        Ok(crate::EXIT_OK)
    }
}

/// accelctl-monitor(8) prose.
pub const MAN: ManProse = ManProse {
    sections: "",
    notes: "",
    examples: include_str!("monitor.examples.roff"),
};

/// Runs until interrupted, or until stdout goes away (EPIPE → clean exit in main).
pub fn run(out: &Output, nl: &mut Nl) -> Result<()> {
    let verbose = nl.verbose();
    let (session, fam) = nl.accel()?;
    let id = fam.id;
    for name in MCAST_GROUPS {
        let group = session.subscribe(ACCEL_FAMILY_NAME, name)?;
        debug(verbose, format_args!("joined group {name} ({group})"));
    }
    for ev in session.notifications::<AccelMessage>(id) {
        let m = match ev {
            Ok(Event::Notification(n)) => n.payload,
            Ok(_) => continue,
            Err(e) if is_enobufs(&e) => {
                eprintln!("accelctl: warning: events were lost (socket receive buffer overrun)");
                continue;
            }
            Err(e) => return Err(e),
        };
        let line = match m.cmd {
            AccelCmd::DevAddNtf => Device::try_from(&m).map(|d| out.event(EventKind::DevAdd, &d)),
            AccelCmd::DevDelNtf => Device::try_from(&m).map(|d| out.event(EventKind::DevDel, &d)),
            AccelCmd::DevChangeNtf => {
                Device::try_from(&m).map(|d| out.event(EventKind::DevChange, &d))
            }
            AccelCmd::ParamChangeNtf => Param::try_from(&m).map(|p| out.param_event(&p)),
            AccelCmd::InfoChangeNtf => DeviceInfo::try_from(&m).map(|i| out.info_event(&i)),
            AccelCmd::HealthReporterErrorNtf => health(out, HealthEventKind::Error, &m),
            AccelCmd::HealthReporterRecoverNtf => health(out, HealthEventKind::Recover, &m),
            AccelCmd::HealthReporterChangeNtf => health(out, HealthEventKind::Change, &m),
            AccelCmd::HealthReporterNewNtf => health(out, HealthEventKind::New, &m),
            AccelCmd::HealthReporterDelNtf => health(out, HealthEventKind::Del, &m),
            AccelCmd::FlashBeginNtf | AccelCmd::FlashStatusNtf | AccelCmd::FlashEndNtf => {
                FlashEvent::try_from(&m).map(|e| out.flash_event(&e))
            }
            AccelCmd::SelftestStatusNtf => Selftests::try_from(&m).map(|s| out.selftest_event(&s)),
            _ => continue,
        };
        match line {
            Ok(line) => emit(&line)?,
            Err(e) => debug(verbose, format_args!("undecodable notification: {e}")),
        }
    }
    Ok(())
}

fn health(
    out: &Output,
    kind: HealthEventKind,
    m: &AccelMessage,
) -> Result<String, netlink_packet_core::DecodeError> {
    DevHealthReporter::try_from(m).map(|r| out.health_event(kind, &r))
}

fn is_enobufs(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.raw_os_error() == Some(libc::ENOBUFS))
}
