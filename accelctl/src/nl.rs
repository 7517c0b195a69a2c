//! Generic netlink pieces shared by the session (`session.rs`): a missing
//! family, a resolved family and its groups (from nlctrl), splitting a
//! datagram into messages, and the `-v` debug lines.

use anyhow::{bail, Result};
use netlink_packet_generic::ctrl::nlas::{GenlCtrlAttrs, McastGrpAttrs};
use netlink_packet_generic::ctrl::GenlCtrl;

/// The requested generic netlink family is not registered in this kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoFamily(pub String);

impl std::fmt::Display for NoFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the running kernel has no '{}' generic netlink family (kernel without the {} \
             netlink patches, or not in the initial network namespace)",
            self.0, self.0
        )
    }
}
impl std::error::Error for NoFamily {}

/// A resolved family: id, version and multicast groups (name, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    pub name: String,
    pub id: u16,
    pub version: u32,
    pub groups: Vec<(String, u32)>,
}

impl Family {
    pub fn group(&self, name: &str) -> Option<u32> {
        self.groups
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }
}

/// One netlink message inside a received datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMsg<'a> {
    pub msg_type: u16,
    pub flags: u16,
    pub seq: u32,
    pub payload: &'a [u8],
}

/// Split a datagram into netlink messages, checking every length field.
pub fn split_messages(mut data: &[u8]) -> Result<Vec<RawMsg<'_>>> {
    let mut out = Vec::new();
    while !data.is_empty() {
        if data.len() < 16 {
            bail!("truncated netlink message ({} bytes)", data.len());
        }
        let u32_at =
            |i: usize| u32::from_ne_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
        let u16_at = |i: usize| u16::from_ne_bytes([data[i], data[i + 1]]);
        let len = u32_at(0) as usize;
        if len < 16 || len > data.len() {
            bail!(
                "malformed netlink message (length {len}, {} bytes left)",
                data.len()
            );
        }
        out.push(RawMsg {
            msg_type: u16_at(4),
            flags: u16_at(6),
            seq: u32_at(8),
            payload: &data[16..len],
        });
        data = data.get((len + 3) & !3..).unwrap_or_default();
    }
    Ok(out)
}

/// `-v` output on stderr.
pub fn debug(verbose: bool, args: std::fmt::Arguments<'_>) {
    if verbose {
        eprintln!("accelctl: netlink: {args}");
    }
}

/// The family described by nlctrl's CTRL_CMD_GETFAMILY replies: id,
/// version and multicast groups (name, id).
pub(crate) fn family_from_ctrl(name: &str, replies: &[GenlCtrl]) -> Result<Family> {
    let mut fam = Family {
        name: name.to_string(),
        id: 0,
        version: 0,
        groups: Vec::new(),
    };
    for nla in replies.iter().flat_map(|r| &r.nlas) {
        match nla {
            GenlCtrlAttrs::FamilyId(id) => fam.id = *id,
            GenlCtrlAttrs::Version(v) => fam.version = *v,
            GenlCtrlAttrs::McastGroups(groups) => {
                for g in groups {
                    let (mut gname, mut gid) = (None, None);
                    for a in g {
                        match a {
                            McastGrpAttrs::Name(n) => gname = Some(n.clone()),
                            McastGrpAttrs::Id(i) => gid = Some(*i),
                        }
                    }
                    if let (Some(n), Some(i)) = (gname, gid) {
                        fam.groups.push((n, i));
                    }
                }
            }
            _ => {}
        }
    }
    if fam.id == 0 {
        bail!("nlctrl reply for family '{name}' carries no family id");
    }
    Ok(fam)
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlink_packet_core::NLMSG_DONE;

    #[test]
    fn split_checks_lengths() {
        let mut two = Vec::new();
        for seq in [1u32, 2] {
            two.extend_from_slice(&20u32.to_ne_bytes());
            two.extend_from_slice(&3u16.to_ne_bytes());
            two.extend_from_slice(&2u16.to_ne_bytes());
            two.extend_from_slice(&seq.to_ne_bytes());
            two.extend_from_slice(&0u32.to_ne_bytes());
            two.extend_from_slice(&0i32.to_ne_bytes());
        }
        let msgs = split_messages(&two).expect("split");
        assert_eq!(msgs.len(), 2);
        assert_eq!(
            (msgs[1].seq, msgs[1].msg_type, msgs[1].payload.len()),
            (2, NLMSG_DONE, 4)
        );
        assert!(split_messages(&two[..30]).is_err());
        let mut short = two.clone();
        short[0] = 8;
        assert!(split_messages(&short).is_err());
    }

    #[test]
    fn no_family_message() {
        assert_eq!(
            NoFamily("accel".into()).to_string(),
            "the running kernel has no 'accel' generic netlink family (kernel without the accel \
             netlink patches, or not in the initial network namespace)"
        );
    }
}
