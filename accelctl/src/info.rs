//! The info object: `accelctl dev info [DEV]` (serial number and versions).

use accel_netlink::{AccelCmd, AccelMessage, DevHandle, DeviceInfo};
use anyhow::{anyhow, Result};

use crate::emit;
use crate::output::Output;
use crate::query::{needs_family, query};

/// Without DEV: dump all devices. With DEV: a do request for that one.
/// There is no sysfs fallback: versions only come from the family.
pub fn show(out: &Output, verbose: bool, dev: Option<&DevHandle>) -> Result<()> {
    let infos = netlink_infos(verbose, dev).map_err(|e| needs_family(e, "accelctl dev info"))?;
    emit(&out.dev_info(&infos))
}

fn netlink_infos(verbose: bool, dev: Option<&DevHandle>) -> Result<Vec<DeviceInfo>> {
    let request = AccelMessage::info_get(dev);
    let what = "read the information of accel devices";
    let mut infos: Vec<DeviceInfo> = Vec::new();
    for m in query(verbose, request, dev, AccelCmd::InfoGet, what)? {
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
