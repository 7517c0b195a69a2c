//! Blocking generic netlink I/O: one socket, one request loop.
//!
//! Resolves families and multicast groups through nlctrl, checks sequence
//! numbers, collects multi-part dumps until NLMSG_DONE, waits for the ACK of
//! `do` requests and turns NLMSG_ERROR into [`KernelError`] with the kernel's
//! extack text.

use std::fmt::Debug;
use std::io;

use anyhow::{bail, Context, Result};
use netlink_packet_core::{
    Emitable, NetlinkHeader, NetlinkMessage, NetlinkPayload, ParseableParametrized, NLMSG_DONE,
    NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST,
};
use netlink_packet_generic::ctrl::nlas::{GenlCtrlAttrs, McastGrpAttrs};
use netlink_packet_generic::ctrl::{GenlCtrl, GenlCtrlCmd};
use netlink_packet_generic::{GenlFamily, GenlHeader, GenlMessage};
use netlink_sys::{protocols::NETLINK_GENERIC, Socket};

use crate::extack::{attr_at_offset, parse_done_payload, parse_error_payload, ExtAck, KernelError};

const GENL_ID_CTRL: u16 = 0x10;
const INITIAL_RECV_BUF: usize = 32 * 1024;

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

/// A NETLINK_GENERIC socket with its sequence counter and receive buffer.
pub struct GenlSocket {
    sock: Socket,
    seq: u32,
    buf: Vec<u8>,
    verbose: bool,
}

impl GenlSocket {
    pub fn open(verbose: bool) -> Result<Self> {
        let mut sock =
            Socket::new(NETLINK_GENERIC).context("cannot open a generic netlink socket")?;
        sock.bind_auto()
            .context("cannot bind the generic netlink socket")?;
        // Both are best effort: kernels before 4.12 lack extended ACKs.
        if let Err(e) = sock.set_ext_ack(true) {
            debug(verbose, format_args!("NETLINK_EXT_ACK not supported: {e}"));
        }
        if let Err(e) = sock.set_cap_ack(true) {
            debug(verbose, format_args!("NETLINK_CAP_ACK not supported: {e}"));
        }
        Ok(GenlSocket {
            sock,
            seq: 0,
            buf: Vec::with_capacity(INITIAL_RECV_BUF),
            verbose,
        })
    }

    pub fn verbose(&self) -> bool {
        self.verbose
    }

    /// Look a family up with nlctrl CTRL_CMD_GETFAMILY.
    pub fn resolve(&mut self, name: &str) -> Result<Family> {
        let req = GenlCtrl {
            cmd: GenlCtrlCmd::GetFamily,
            nlas: vec![GenlCtrlAttrs::FamilyName(name.to_string())],
        };
        let replies = match self.request(GENL_ID_CTRL, req, NLM_F_ACK, |_, _| None) {
            Err(e)
                if e.downcast_ref::<KernelError>()
                    .is_some_and(|k| k.errno == libc::ENOENT) =>
            {
                return Err(NoFamily(name.to_string()).into())
            }
            r => r.with_context(|| format!("cannot resolve generic netlink family '{name}'"))?,
        };
        let fam = family_from_ctrl(name, &replies)?;
        debug(
            self.verbose,
            format_args!(
                "family {} id {} version {} groups {:?}",
                name, fam.id, fam.version, fam.groups
            ),
        );
        Ok(fam)
    }

    pub fn add_membership(&self, group: u32) -> Result<()> {
        self.sock
            .add_membership(group)
            .with_context(|| format!("cannot join multicast group {group}"))
    }

    /// Send one request and collect its replies.
    ///
    /// `flags` adds to NLM_F_REQUEST: NLM_F_DUMP for a dump (ends with
    /// NLMSG_DONE), NLM_F_ACK for a do (ends with the ACK). `attr_name`
    /// names attribute types for extack offsets.
    pub fn request<F>(
        &mut self,
        family_id: u16,
        payload: F,
        flags: u16,
        attr_name: impl Fn(Option<u16>, u16) -> Option<&'static str>,
    ) -> Result<Vec<F>>
    where
        F: GenlFamily + Emitable + ParseableParametrized<[u8], GenlHeader> + Debug,
    {
        self.seq = self.seq.wrapping_add(1).max(1);
        let seq = self.seq;
        let mut genl = GenlMessage::from_payload(payload);
        genl.set_resolved_family_id(family_id);
        let mut header = NetlinkHeader::default();
        header.flags = NLM_F_REQUEST | flags;
        header.sequence_number = seq;
        let mut msg = NetlinkMessage::new(header, NetlinkPayload::from(genl));
        msg.finalize();
        let mut req = vec![0u8; msg.buffer_len()];
        msg.serialize(&mut req);
        debug(
            self.verbose,
            format_args!(
                "send family {family_id} seq {seq} flags {:#x} {} bytes",
                header.flags,
                req.len()
            ),
        );
        self.sock.send(&req, 0).context("netlink send failed")?;

        let dump = flags & NLM_F_DUMP == NLM_F_DUMP;
        let mut out = Vec::new();
        loop {
            let n = self.recv()?;
            debug(self.verbose, format_args!("recv {n} bytes"));
            for m in split_messages(&self.buf)? {
                if m.seq != seq {
                    debug(
                        self.verbose,
                        format_args!("skip message with seq {} (want {seq})", m.seq),
                    );
                    continue;
                }
                match m.msg_type {
                    NLMSG_ERROR => {
                        let (code, ext) = parse_error_payload(m.payload, m.flags)
                            .context("truncated NLMSG_ERROR from the kernel")?;
                        if code == 0 {
                            return Ok(out); // ACK
                        }
                        return Err(kernel_error(code, ext, &req, &attr_name).into());
                    }
                    NLMSG_DONE => {
                        let (code, ext) = parse_done_payload(m.payload, m.flags);
                        if code < 0 {
                            return Err(kernel_error(code, ext, &req, &attr_name).into());
                        }
                        return Ok(out);
                    }
                    NLMSG_NOOP => {}
                    NLMSG_OVERRUN => bail!("netlink reported a data overrun"),
                    t if t == family_id => {
                        if m.flags & NLM_F_DUMP_INTR != 0 {
                            bail!("the kernel's data changed during the dump (NLM_F_DUMP_INTR); run the command again");
                        }
                        let g = GenlMessage::<F>::parse_with_param(m.payload, t)
                            .map_err(|e| anyhow::anyhow!("cannot decode a kernel reply: {e}"))?;
                        out.push(g.payload);
                        if !dump && flags & NLM_F_ACK == 0 {
                            return Ok(out);
                        }
                    }
                    t => debug(self.verbose, format_args!("skip message type {t}")),
                }
            }
        }
    }

    /// Block for the next datagram of notifications and decode those of `family_id`.
    pub fn recv_notifications<F>(&mut self, family_id: u16) -> Result<Vec<F>>
    where
        F: ParseableParametrized<[u8], GenlHeader> + Debug,
    {
        let n = self.recv()?;
        debug(self.verbose, format_args!("recv {n} bytes (notification)"));
        let mut out = Vec::new();
        for m in split_messages(&self.buf)? {
            if m.msg_type != family_id {
                continue;
            }
            match GenlMessage::<F>::parse_with_param(m.payload, m.msg_type) {
                Ok(g) => out.push(g.payload),
                Err(e) => debug(self.verbose, format_args!("undecodable notification: {e}")),
            }
        }
        Ok(out)
    }

    /// Receive one whole datagram into `self.buf`, growing it as needed:
    /// peek with MSG_TRUNC for the real size first, so nothing is cut.
    fn recv(&mut self) -> io::Result<usize> {
        loop {
            self.buf.clear();
            let res = self
                .sock
                .recv(&mut self.buf, libc::MSG_PEEK | libc::MSG_TRUNC)
                .and_then(|len| {
                    if len > self.buf.capacity() {
                        self.buf.reserve(len);
                    }
                    self.buf.clear();
                    self.sock.recv(&mut self.buf, 0)
                });
            match res {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => return r,
            }
        }
    }
}

fn kernel_error(
    code: i32,
    ext: ExtAck,
    req: &[u8],
    attr_name: &impl Fn(Option<u16>, u16) -> Option<&'static str>,
) -> KernelError {
    let mut e = KernelError::new(code, ext);
    e.attr_name = e
        .ext
        .offset
        .and_then(|off| attr_at_offset(req, off, attr_name));
    e
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
