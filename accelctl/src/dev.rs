//! The `dev` object: `accelctl dev show [DEV]`.

use std::path::Path;

use accel_netlink::{AccelMessage, DevGetDo, DevGetDump, DevHandle, Device};
use anyhow::{anyhow, bail, Context, Result};

use crate::nl::NoFamily;
use crate::output::{Output, Source};
use crate::query::{Nl, Subject};
use crate::{emit, sysfs};

/// Without DEV: dump and list all devices. With DEV: a do request and a
/// detail view. Without the family: the same from sysfs, marked as such.
pub fn show(out: &Output, nl: &mut Nl, dev: Option<&DevHandle>) -> Result<()> {
    match netlink_devices(nl, dev) {
        Ok(devs) => emit(&out.dev_show(&devs, Source::Netlink, dev.is_some())),
        Err(e) if e.downcast_ref::<NoFamily>().is_some() => {
            if !out.json || nl.verbose() {
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

/// The devices the family lists: all of them (dump), or the one `dev`
/// names (do).
pub fn netlink_devices(nl: &mut Nl, dev: Option<&DevHandle>) -> Result<Vec<Device>> {
    let what = "list accel devices";
    let view = |m: &AccelMessage| {
        Device::try_from(m).map_err(|e| anyhow!("malformed dev-get reply from the kernel: {e}"))
    };
    match dev {
        None => nl.fetch(DevGetDump::default(), None, what, view),
        Some(d) => {
            let req = DevGetDo {
                handle: Some(d.to_handle()),
            };
            let subject = Subject {
                dev: d,
                reporter: None,
            };
            nl.fetch(req, Some(subject), what, view)
        }
    }
}
