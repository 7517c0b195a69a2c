//! The info object: `accelctl dev info [DEV]` (serial number and versions).

use accel_netlink::{AccelCmd, AccelMessage, DevHandle, DeviceInfo};
use anyhow::{anyhow, Result};

use crate::emit;
use crate::extack::KernelError;
use crate::output::Output;
use crate::query::{exchange, needs_family, query, with_hint, Mode, Subject};

/// Without DEV: dump all devices. With DEV: a do request for that one.
/// There is no sysfs fallback: versions only come from the family.
pub fn show(out: &Output, verbose: bool, dev: Option<&DevHandle>) -> Result<()> {
    let infos = netlink_infos(verbose, dev).map_err(|e| needs_family(e, "accelctl dev info"))?;
    emit(&out.dev_info(&infos))
}

fn netlink_infos(verbose: bool, dev: Option<&DevHandle>) -> Result<Vec<DeviceInfo>> {
    let request = AccelMessage::info_get(dev);
    let what = "read the information of accel devices";
    let replies = match dev {
        None => query(verbose, request, None, AccelCmd::InfoGet, what)?,
        Some(dev) => one_device(verbose, request, dev, what)?,
    };
    let mut infos: Vec<DeviceInfo> = Vec::new();
    for m in replies.into_iter().filter(|m| m.cmd == AccelCmd::InfoGet) {
        let info = DeviceInfo::try_from(&m)
            .map_err(|e| anyhow!("malformed info-get reply from the kernel: {e}"))?;
        // Information too large for one message continues in the next.
        match infos.last_mut() {
            Some(last) if last.continued_by(&info) => last.merge(info),
            _ => infos.push(info),
        }
    }
    Ok(infos)
}

/// A do request for one device; information too large for one message
/// (EMSGSIZE) is fetched again as a dump filtered by the device, in which
/// the kernel splits it over several messages.
fn one_device(
    verbose: bool,
    request: AccelMessage,
    dev: &DevHandle,
    what: &str,
) -> Result<Vec<AccelMessage>> {
    let subject = || Subject {
        dev,
        reporter: None,
    };
    match exchange(verbose, request.clone(), Mode::Do, None, what) {
        Ok(replies) => Ok(replies),
        Err(e) => match e.downcast_ref::<KernelError>() {
            Some(k) if k.errno == libc::EMSGSIZE => {
                exchange(verbose, request, Mode::Dump, Some(subject()), what)
            }
            // The kernel's error, named after the device as query() does.
            Some(k) => Err(with_hint(k.clone().into(), subject(), what)),
            None => Err(e),
        },
    }
}
