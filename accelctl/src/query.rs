//! One request of the accel family for one object: a do request when the
//! user named a device, a dump otherwise.

use accel_netlink::{dev_attr_name, AccelCmd, AccelMessage, DevHandle, ACCEL_FAMILY_NAME};
use anyhow::{anyhow, Context, Result};
use netlink_packet_core::{NLM_F_ACK, NLM_F_DUMP};

use crate::extack::KernelError;
use crate::nl::GenlSocket;

/// Send `request` (which carries `dev`'s handle, if any) and return the
/// replies of command `reply`. `what` says what a failed dump was for.
pub fn query(
    verbose: bool,
    request: AccelMessage,
    dev: Option<&DevHandle>,
    reply: AccelCmd,
    what: &str,
) -> Result<Vec<AccelMessage>> {
    let mut sock = GenlSocket::open(verbose)?;
    let fam = sock.resolve(ACCEL_FAMILY_NAME)?;
    let replies = match dev {
        Some(h) => sock
            .request(fam.id, request, NLM_F_ACK, dev_attr_name)
            .map_err(|e| with_hint(e, h))?,
        None => sock
            .request(fam.id, request, NLM_F_DUMP, dev_attr_name)
            .with_context(|| format!("cannot {what}"))?,
    };
    Ok(replies.into_iter().filter(|m| m.cmd == reply).collect())
}

/// Name the device, and say what to do about the common errors.
fn with_hint(e: anyhow::Error, h: &DevHandle) -> anyhow::Error {
    let hint = match e.downcast_ref::<KernelError>().map(|k| k.errno) {
        Some(libc::ENODEV) | Some(libc::ENOENT) => "; run 'accelctl dev show' to list devices",
        Some(libc::EPERM) | Some(libc::EACCES) => "; this needs CAP_NET_ADMIN",
        _ => "",
    };
    anyhow!("device {h}: {e:#}{hint}")
}
