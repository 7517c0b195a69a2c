//! The `dev` object: `accelctl dev show [DEV]`.

use std::path::Path;

use accel_netlink::{dev_attr_name, AccelCmd, AccelMessage, DevHandle, Device, ACCEL_FAMILY_NAME};
use anyhow::{anyhow, bail, Context, Result};
use netlink_packet_core::{NLM_F_ACK, NLM_F_DUMP};

use crate::extack::KernelError;
use crate::nl::{GenlSocket, NoFamily};
use crate::output::{Output, Source};
use crate::{emit, sysfs};

/// Without DEV: dump and list all devices. With DEV: a do request and a
/// detail view. Without the family: the same from sysfs, marked as such.
pub fn show(out: &Output, verbose: bool, dev: Option<&DevHandle>) -> Result<()> {
    match netlink_devices(verbose, dev) {
        Ok(devs) => emit(&out.dev_show(&devs, Source::Netlink, dev.is_some())),
        Err(e) if e.downcast_ref::<NoFamily>().is_some() => {
            if !out.json || verbose {
                eprintln!(
                    "accelctl: warning: {e}; listing devices from {} instead",
                    sysfs::SYSFS_ACCEL
                );
            }
            let mut devs = sysfs::list_devices(Path::new(sysfs::SYSFS_ACCEL))
                .with_context(|| format!("cannot read {}", sysfs::SYSFS_ACCEL))?;
            if let Some(h) = dev {
                devs.retain(|d| sysfs::matches(d, h));
                if devs.is_empty() {
                    bail!(
                        "device {h}: not found in {}; run 'accelctl dev show' to list devices",
                        sysfs::SYSFS_ACCEL
                    );
                }
            }
            emit(&out.dev_show(&devs, Source::Sysfs, dev.is_some()))
        }
        Err(e) => Err(e),
    }
}

fn netlink_devices(verbose: bool, dev: Option<&DevHandle>) -> Result<Vec<Device>> {
    let mut sock = GenlSocket::open(verbose)?;
    let fam = sock.resolve(ACCEL_FAMILY_NAME)?;
    let replies = match dev {
        Some(h) => sock
            .request(
                fam.id,
                AccelMessage::dev_get(Some(h)),
                NLM_F_ACK,
                dev_attr_name,
            )
            .map_err(|e| with_hint(e, h))?,
        None => sock
            .request(
                fam.id,
                AccelMessage::dev_get(None),
                NLM_F_DUMP,
                dev_attr_name,
            )
            .context("cannot list accel devices")?,
    };
    replies
        .iter()
        .filter(|m| m.cmd == AccelCmd::DevGet)
        .map(|m| {
            Device::try_from(m).map_err(|e| anyhow!("malformed dev-get reply from the kernel: {e}"))
        })
        .collect()
}

/// Name the device, and say what to do about the common errors.
pub(crate) fn with_hint(e: anyhow::Error, h: &DevHandle) -> anyhow::Error {
    let hint = match e.downcast_ref::<KernelError>().map(|k| k.errno) {
        Some(libc::ENODEV) | Some(libc::ENOENT) => "; run 'accelctl dev show' to list devices",
        Some(libc::EPERM) | Some(libc::EACCES) => "; this needs CAP_NET_ADMIN",
        _ => "",
    };
    anyhow!("device {h}: {e:#}{hint}")
}
