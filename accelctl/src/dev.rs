//! The `dev` object: `accelctl dev show [DEV]`.

use std::path::Path;

use accel_netlink::{AccelCmd, AccelMessage, DevHandle, Device};
use anyhow::{anyhow, bail, Context, Result};

use crate::nl::NoFamily;
use crate::output::{Output, Source};
use crate::query::query;
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

pub fn netlink_devices(verbose: bool, dev: Option<&DevHandle>) -> Result<Vec<Device>> {
    let request = AccelMessage::dev_get(dev);
    query(
        verbose,
        request,
        dev,
        AccelCmd::DevGet,
        "list accel devices",
    )?
    .iter()
    .map(|m| {
        Device::try_from(m).map_err(|e| anyhow!("malformed dev-get reply from the kernel: {e}"))
    })
    .collect()
}
