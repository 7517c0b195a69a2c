//! The info object: `accelctl dev info [DEV]` (serial number and versions).

use accel_netlink::{
    dev_attr_name, AccelCmd, AccelMessage, DevHandle, DeviceInfo, ACCEL_FAMILY_NAME,
};
use anyhow::{anyhow, Context, Result};
use netlink_packet_core::{NLM_F_ACK, NLM_F_DUMP};

use crate::dev::with_hint;
use crate::emit;
use crate::nl::{GenlSocket, NoFamily};
use crate::output::Output;

/// Without DEV: dump all devices. With DEV: a do request for that one.
/// There is no sysfs fallback: versions only come from the family.
pub fn show(out: &Output, verbose: bool, dev: Option<&DevHandle>) -> Result<()> {
    let infos = netlink_infos(verbose, dev).map_err(|e| {
        if e.downcast_ref::<NoFamily>().is_some() {
            anyhow!("{e}; 'accelctl dev info' needs the kernel's accel netlink family")
        } else {
            e
        }
    })?;
    emit(&out.dev_info(&infos))
}

fn netlink_infos(verbose: bool, dev: Option<&DevHandle>) -> Result<Vec<DeviceInfo>> {
    let mut sock = GenlSocket::open(verbose)?;
    let fam = sock.resolve(ACCEL_FAMILY_NAME)?;
    let replies = match dev {
        Some(h) => sock
            .request(
                fam.id,
                AccelMessage::info_get(Some(h)),
                NLM_F_ACK,
                dev_attr_name,
            )
            .map_err(|e| with_hint(e, h))?,
        None => sock
            .request(
                fam.id,
                AccelMessage::info_get(None),
                NLM_F_DUMP,
                dev_attr_name,
            )
            .context("cannot read the information of accel devices")?,
    };
    replies
        .iter()
        .filter(|m| m.cmd == AccelCmd::InfoGet)
        .map(|m| {
            DeviceInfo::try_from(m)
                .map_err(|e| anyhow!("malformed info-get reply from the kernel: {e}"))
        })
        .collect()
}
