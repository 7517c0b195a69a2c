//! The info object: `accelctl dev info [DEV]` (serial number and versions).

use accel_netlink::{AccelMessage, DevHandle, DeviceInfo, InfoGetDo, InfoGetDump};
use anyhow::{anyhow, Result};

use crate::emit;
use crate::extack::KernelError;
use crate::output::Output;
use crate::query::{needs_family, with_hint, Nl, Subject};

/// Without DEV: dump all devices. With DEV: a do request for that one.
/// There is no sysfs fallback: versions only come from the family.
pub fn show(out: &Output, nl: &mut Nl, dev: Option<&DevHandle>) -> Result<()> {
    let infos = netlink_infos(nl, dev).map_err(|e| needs_family(e, "accelctl dev info"))?;
    emit(&out.dev_info(&infos))
}

fn netlink_infos(nl: &mut Nl, dev: Option<&DevHandle>) -> Result<Vec<DeviceInfo>> {
    let what = "read the information of accel devices";
    let parts = match dev {
        None => nl.fetch(InfoGetDump::default(), None, what, view)?,
        Some(dev) => one_device(nl, dev, what)?,
    };
    let mut infos: Vec<DeviceInfo> = Vec::new();
    for info in parts {
        // Information too large for one message continues in the next.
        match infos.last_mut() {
            Some(last) if last.continued_by(&info) => last.merge(info),
            _ => infos.push(info),
        }
    }
    Ok(infos)
}

fn view(m: &AccelMessage) -> Result<DeviceInfo> {
    DeviceInfo::try_from(m).map_err(|e| anyhow!("malformed info-get reply from the kernel: {e}"))
}

/// A do request for one device; information too large for one message
/// (EMSGSIZE) is fetched again as a dump filtered by the device, in which
/// the kernel splits it over several messages.
fn one_device(nl: &mut Nl, dev: &DevHandle, what: &str) -> Result<Vec<DeviceInfo>> {
    let subject = || Subject {
        dev,
        reporter: None,
    };
    let handle = Some(dev.to_handle());
    match nl.fetch(
        InfoGetDo {
            handle: handle.clone(),
        },
        None,
        what,
        view,
    ) {
        Ok(parts) => Ok(parts),
        Err(e) => match e.downcast_ref::<KernelError>() {
            Some(k) if k.errno == libc::EMSGSIZE => {
                nl.fetch(InfoGetDump { handle }, Some(subject()), what, view)
            }
            // The kernel's error, named after the device as for a dump.
            Some(k) => Err(with_hint(k.clone().into(), subject(), what)),
            None => Err(e),
        },
    }
}
