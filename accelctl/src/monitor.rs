//! `accelctl monitor`: print device add/remove, info-change and health
//! notifications as they come.

use std::io;

use accel_netlink::{
    AccelCmd, AccelMessage, DevHealthReporter, Device, DeviceInfo, ACCEL_FAMILY_NAME, MCAST_GROUPS,
};
use anyhow::{anyhow, Result};

use crate::emit;
use crate::nl::{debug, GenlSocket};
use crate::output::{EventKind, HealthEventKind, Output};

/// Runs until interrupted, or until stdout goes away (EPIPE → clean exit in main).
pub fn run(out: &Output, verbose: bool) -> Result<()> {
    let mut sock = GenlSocket::open(verbose)?;
    let fam = sock.resolve(ACCEL_FAMILY_NAME)?;
    for name in MCAST_GROUPS {
        let group = fam.group(name).ok_or_else(|| {
            anyhow!("the kernel's '{ACCEL_FAMILY_NAME}' family has no '{name}' multicast group")
        })?;
        sock.add_membership(group)?;
        debug(verbose, format_args!("joined group {name} ({group})"));
    }
    loop {
        let msgs = match sock.recv_notifications::<AccelMessage>(fam.id) {
            Ok(m) => m,
            Err(e) if is_enobufs(&e) => {
                eprintln!("accelctl: warning: events were lost (socket receive buffer overrun)");
                continue;
            }
            Err(e) => return Err(e),
        };
        for m in msgs {
            let line = match m.cmd {
                AccelCmd::DevAddNtf => {
                    Device::try_from(&m).map(|d| out.event(EventKind::DevAdd, &d))
                }
                AccelCmd::DevDelNtf => {
                    Device::try_from(&m).map(|d| out.event(EventKind::DevDel, &d))
                }
                AccelCmd::InfoChangeNtf => DeviceInfo::try_from(&m).map(|i| out.info_event(&i)),
                AccelCmd::HealthReporterErrorNtf => health(out, HealthEventKind::Error, &m),
                AccelCmd::HealthReporterRecoverNtf => health(out, HealthEventKind::Recover, &m),
                AccelCmd::HealthReporterChangeNtf => health(out, HealthEventKind::Change, &m),
                AccelCmd::HealthReporterNewNtf => health(out, HealthEventKind::New, &m),
                AccelCmd::HealthReporterDelNtf => health(out, HealthEventKind::Del, &m),
                _ => continue,
            };
            match line {
                Ok(line) => emit(&line)?,
                Err(e) => debug(verbose, format_args!("undecodable notification: {e}")),
            }
        }
    }
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
