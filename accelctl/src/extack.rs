//! Netlink error replies: errno plus the kernel's extended ACK (extack).
//!
//! netlink-packet-core 0.9 keeps the NLMSG_ERROR payload after the error code
//! as raw bytes and does not decode the extack TLVs, so they are parsed here.

use std::fmt;

use accel_netlink::parse_string_lossy;
use netlink_packet_core::{NlasIterator, NLM_F_ACK_TLVS, NLM_F_CAPPED};

const NLMSGERR_ATTR_MSG: u16 = 1;
const NLMSGERR_ATTR_OFFS: u16 = 2;
const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;
const NLMSGERR_ATTR_MISS_NEST: u16 = 6;
const NLMSGHDR_LEN: usize = 16;

/// The extended ACK TLVs the kernel attached to an error or DONE message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtAck {
    /// NLMSGERR_ATTR_MSG, verbatim.
    pub msg: Option<String>,
    /// NLMSGERR_ATTR_OFFS: byte offset of the offending attribute in our request.
    pub offset: Option<u32>,
    /// NLMSGERR_ATTR_MISS_TYPE: type of a missing mandatory attribute.
    pub miss_type: Option<u32>,
    /// NLMSGERR_ATTR_MISS_NEST: offset of the nest lacking it.
    pub miss_nest: Option<u32>,
}

/// An error reported by the kernel (NLMSG_ERROR with a non-zero code, or a
/// failed dump's NLMSG_DONE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
    /// Positive errno.
    pub errno: i32,
    pub ext: ExtAck,
    /// Spec name of the attribute at `ext.offset` in our request, if known.
    pub attr_name: Option<String>,
    /// Spec name of the missing top-level attribute `ext.miss_type`, if known.
    pub miss_name: Option<&'static str>,
}

impl KernelError {
    pub fn new(errno: i32, ext: ExtAck) -> Self {
        KernelError {
            errno: errno.abs(),
            ext,
            attr_name: None,
            miss_name: None,
        }
    }
}

/// strerror() text without std's " (os error N)" suffix.
pub fn strerror(errno: i32) -> String {
    let s = std::io::Error::from_raw_os_error(errno).to_string();
    match s.rfind(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&strerror(self.errno))?;
        if let Some(m) = &self.ext.msg {
            write!(f, " (kernel: \"{m}\")")?;
        }
        if let Some(off) = self.ext.offset {
            match &self.attr_name {
                Some(n) => write!(f, " [offending attribute '{n}' at offset {off}]")?,
                None => write!(f, " [offending attribute at offset {off}]")?,
            }
        }
        if let Some(n) = self.miss_name {
            write!(f, " [missing attribute '{n}']")?;
        } else if let Some(t) = self.ext.miss_type {
            write!(f, " [missing attribute type {t}")?;
            if let Some(n) = self.ext.miss_nest {
                write!(f, " in nest at offset {n}")?;
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

impl std::error::Error for KernelError {}

/// Parse an NLMSG_ERROR payload (after the nlmsghdr). `flags` are that
/// message's nlmsg_flags. Returns the raw (negative or zero) error code.
pub fn parse_error_payload(payload: &[u8], flags: u16) -> Option<(i32, ExtAck)> {
    let code = i32::from_ne_bytes(payload.get(..4)?.try_into().ok()?);
    let mut ext = ExtAck::default();
    if flags & NLM_F_ACK_TLVS != 0 {
        // The echoed request: only its header when capped, else all of it.
        let echoed = if flags & NLM_F_CAPPED != 0 {
            NLMSGHDR_LEN
        } else {
            let len = u32::from_ne_bytes(payload.get(4..8)?.try_into().ok()?) as usize;
            len.max(NLMSGHDR_LEN).checked_add(3)? & !3
        };
        if let Some(tlvs) = payload.get(4usize.saturating_add(echoed)..) {
            ext = parse_tlvs(tlvs);
        }
    }
    Some((code, ext))
}

/// Parse an NLMSG_DONE payload: the dump's final error code plus extack.
pub fn parse_done_payload(payload: &[u8], flags: u16) -> (i32, ExtAck) {
    let code = payload
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map(i32::from_ne_bytes)
        .unwrap_or(0);
    let ext = match payload.get(4..) {
        Some(tlvs) if flags & NLM_F_ACK_TLVS != 0 => parse_tlvs(tlvs),
        _ => ExtAck::default(),
    };
    (code, ext)
}

fn parse_tlvs(buf: &[u8]) -> ExtAck {
    let mut ext = ExtAck::default();
    // Stop at the first malformed TLV: what was parsed so far is still useful.
    for nla in NlasIterator::new(buf).map_while(Result::ok) {
        let v = nla.value();
        let u32v = || {
            v.get(..4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_ne_bytes)
        };
        match nla.kind() {
            NLMSGERR_ATTR_MSG => ext.msg = Some(parse_string_lossy(v)),
            NLMSGERR_ATTR_OFFS => ext.offset = u32v(),
            NLMSGERR_ATTR_MISS_TYPE => ext.miss_type = u32v(),
            NLMSGERR_ATTR_MISS_NEST => ext.miss_nest = u32v(),
            _ => {}
        }
    }
    ext
}

/// Name the attribute of `request` (a whole genetlink message as sent)
/// that starts at byte `offset`: a top-level one, or one inside a nest
/// (named `outer.inner`). `name_of(outer, kind)` gives spec names, `outer`
/// being `None` at the top level.
pub fn attr_at_offset(
    request: &[u8],
    offset: u32,
    name_of: impl Fn(Option<u16>, u16) -> Option<&'static str>,
) -> Option<String> {
    const ATTRS_START: usize = NLMSGHDR_LEN + 4; // nlmsghdr + genlmsghdr
    const NLA_HDRLEN: usize = 4;
    let offset = offset as usize;
    let name = |outer: Option<u16>, kind: u16| {
        name_of(outer, kind).map_or_else(|| format!("type {kind}"), str::to_string)
    };
    let mut pos = ATTRS_START;
    for nla in NlasIterator::new(request.get(ATTRS_START..)?) {
        let nla = nla.ok()?;
        let len = usize::from(nla.length());
        let kind = nla.kind();
        if pos == offset {
            return Some(name(None, kind));
        }
        if nla.nested_flag() && offset > pos && offset < pos + len {
            let mut inner_pos = pos + NLA_HDRLEN;
            for inner in NlasIterator::new(nla.value()) {
                let inner = inner.ok()?;
                if inner_pos == offset {
                    return Some(format!(
                        "{}.{}",
                        name(None, kind),
                        name(Some(kind), inner.kind())
                    ));
                }
                inner_pos += (usize::from(inner.length()) + 3) & !3;
            }
            return None;
        }
        pos += (len + 3) & !3;
    }
    None
}

#[cfg(all(test, target_endian = "little"))]
mod tests {
    use super::*;

    #[rustfmt::skip]
    fn error_msg(capped: bool) -> Vec<u8> {
        let mut v = vec![0xed, 0xff, 0xff, 0xff]; // -19 ENODEV
        // echoed request header: len 28 when not capped
        v.extend_from_slice(&[28, 0, 0, 0, 0x1c, 0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
        if !capped {
            v.extend_from_slice(&[1, 1, 0, 0, 8, 0, 1, 0, 7, 0, 0, 0]);
        }
        // NLMSGERR_ATTR_MSG "no accel device with index 7\0" (29 bytes -> len 33, pad 3)
        let msg = b"no accel device with index 7\0";
        v.extend_from_slice(&[(msg.len() + 4) as u8, 0, 1, 0]);
        v.extend_from_slice(msg);
        v.extend_from_slice(&[0, 0, 0]);
        v.extend_from_slice(&[8, 0, 2, 0, 20, 0, 0, 0]); // NLMSGERR_ATTR_OFFS = 20
        v
    }

    #[test]
    fn capped_and_uncapped_extack() {
        for capped in [true, false] {
            let flags = NLM_F_ACK_TLVS | if capped { NLM_F_CAPPED } else { 0 };
            let (code, ext) = parse_error_payload(&error_msg(capped), flags).expect("parse");
            assert_eq!(code, -19);
            assert_eq!(ext.msg.as_deref(), Some("no accel device with index 7"));
            assert_eq!(ext.offset, Some(20));
        }
    }

    #[test]
    fn no_tlvs_flag_means_no_extack() {
        let (code, ext) = parse_error_payload(&error_msg(true), 0).expect("parse");
        assert_eq!(code, -19);
        assert_eq!(ext, ExtAck::default());
    }

    #[test]
    fn garbage_never_panics() {
        for len in 0..64 {
            let junk: Vec<u8> = (0..len).map(|i| (i * 37 + 255) as u8).collect();
            let _ = parse_error_payload(&junk, NLM_F_ACK_TLVS);
            let _ = parse_error_payload(&junk, NLM_F_ACK_TLVS | NLM_F_CAPPED);
            let _ = parse_done_payload(&junk, NLM_F_ACK_TLVS);
        }
    }

    #[test]
    fn display_shows_text_verbatim_and_attribute() {
        use accel_netlink::{dev_get_do, to_bytes, AccelCmd, DevHandle};
        // The handle nest is at offset 20.
        let req = to_bytes(&dev_get_do(0x1c, 1, &DevHandle::Index(7)));
        let (code, ext) =
            parse_error_payload(&error_msg(true), NLM_F_ACK_TLVS | NLM_F_CAPPED).expect("parse");
        let mut e = KernelError::new(code, ext);
        e.attr_name = attr_at_offset(&req, 20, |o, k| {
            accel_netlink::attr_name(AccelCmd::DevGet, o, k)
        });
        assert_eq!(
            e.to_string(),
            "No such device (kernel: \"no accel device with index 7\") \
             [offending attribute 'handle' at offset 20]"
        );
    }

    /// Offsets into a nest name the nested attribute; offsets that hit no
    /// attribute start name nothing.
    #[test]
    fn nested_offsets_are_named() {
        use accel_netlink::{health_reporter_set, to_bytes, DevHandle, HealthReporterParams};
        let params = HealthReporterParams {
            grace_period_ms: Some(5),
            ..Default::default()
        };
        let req = to_bytes(&health_reporter_set(
            0x1c,
            1,
            &DevHandle::Index(0),
            "fw",
            &params,
        ));
        // handle nest at 20 (index at 24), name at 32, grace-period at 40.
        let at = |off| {
            attr_at_offset(&req, off, |o, k| {
                accel_netlink::attr_name(accel_netlink::AccelCmd::HealthReporterSet, o, k)
            })
        };
        assert_eq!(at(20).as_deref(), Some("handle"));
        assert_eq!(at(24).as_deref(), Some("handle.index"));
        assert_eq!(at(32).as_deref(), Some("name"));
        assert_eq!(at(40).as_deref(), Some("grace-period"));
        assert_eq!(at(36), None);
        assert_eq!(at(400), None);
    }
}
