//! Value codecs shared by the generated attribute sets (`attrs.rs`).
//!
//! `uint`/`sint` attributes (NLA_UINT/NLA_SINT) are 4 bytes on the wire when
//! the value fits, 8 otherwise (nla_put_uint()/nla_put_sint()); both sizes
//! decode, and the encoder picks the size the kernel would.

use netlink_packet_core::{emit_u32, emit_u64, DecodeError, NlaBuffer, NlasIterator, Parseable};

/// Decode a string attribute from the kernel without failing: strip one
/// trailing NUL, then replace invalid UTF-8 with U+FFFD. The kernel may
/// truncate a driver's text (last-error-msg to 255 bytes) in the middle of
/// a UTF-8 character, and a driver may put any bytes in a name or value;
/// neither should make a whole reply undecodable.
pub fn parse_string_lossy(payload: &[u8]) -> String {
    let s = payload.strip_suffix(&[0]).unwrap_or(payload);
    String::from_utf8_lossy(s).into_owned()
}

/// An NLA_UINT: 4 or 8 bytes.
pub fn parse_uint(payload: &[u8]) -> Result<u64, DecodeError> {
    match <[u8; 4]>::try_from(payload) {
        Ok(b) => Ok(u64::from(u32::from_ne_bytes(b))),
        Err(_) => <[u8; 8]>::try_from(payload)
            .map(u64::from_ne_bytes)
            .map_err(|_| format!("uint of {} bytes (want 4 or 8)", payload.len()).into()),
    }
}

/// An NLA_SINT: 4 or 8 bytes, sign-extended.
pub fn parse_sint(payload: &[u8]) -> Result<i64, DecodeError> {
    match <[u8; 4]>::try_from(payload) {
        Ok(b) => Ok(i64::from(i32::from_ne_bytes(b))),
        Err(_) => <[u8; 8]>::try_from(payload)
            .map(i64::from_ne_bytes)
            .map_err(|_| format!("sint of {} bytes (want 4 or 8)", payload.len()).into()),
    }
}

/// Parse a run of attributes of one set (a message body or a nest).
pub fn parse_nlas<A>(buf: &[u8]) -> Result<Vec<A>, DecodeError>
where
    A: for<'a> Parseable<NlaBuffer<&'a [u8]>>,
{
    NlasIterator::new(buf)
        .map(|nla| nla.and_then(|nla| A::parse(&nla)))
        .collect()
}

pub(crate) fn uint_len(v: u64) -> usize {
    if u32::try_from(v).is_ok() {
        4
    } else {
        8
    }
}

pub(crate) fn sint_len(v: i64) -> usize {
    if i32::try_from(v).is_ok() {
        4
    } else {
        8
    }
}

// The emit_* helpers only fail when the buffer is too small, which
// value_len() rules out; ignoring their result keeps emit() panic-free.
pub(crate) fn put_u32(buffer: &mut [u8], v: u32) {
    let _ = emit_u32(buffer, v);
}

pub(crate) fn put_u64(buffer: &mut [u8], v: u64) {
    let _ = emit_u64(buffer, v);
}

pub(crate) fn put_uint(buffer: &mut [u8], v: u64) {
    match u32::try_from(v) {
        Ok(small) => put_u32(buffer, small),
        Err(_) => put_u64(buffer, v),
    }
}

pub(crate) fn put_sint(buffer: &mut [u8], v: i64) {
    match i32::try_from(v) {
        Ok(small) => buffer[..4].copy_from_slice(&small.to_ne_bytes()),
        Err(_) => buffer[..8].copy_from_slice(&v.to_ne_bytes()),
    }
}

/// Strings go on the wire NUL-terminated, as the kernel's NLA_NUL_STRING expects.
pub(crate) fn put_string(buffer: &mut [u8], s: &str) {
    buffer[..s.len()].copy_from_slice(s.as_bytes());
    buffer[s.len()] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attrs::{HealthReporterAttr, TreeItemAttr};
    use crate::generated::*;
    use netlink_packet_core::Nla;

    #[test]
    fn uint_and_sint_take_4_or_8_bytes() {
        assert_eq!(parse_uint(&7u32.to_ne_bytes()).ok(), Some(7));
        assert_eq!(parse_uint(&u64::MAX.to_ne_bytes()).ok(), Some(u64::MAX));
        assert_eq!(parse_sint(&(-2i32).to_ne_bytes()).ok(), Some(-2));
        assert_eq!(parse_sint(&i64::MIN.to_ne_bytes()).ok(), Some(i64::MIN));
        for len in [0, 1, 2, 3, 5, 6, 7, 9, 16] {
            assert!(parse_uint(&vec![0; len]).is_err(), "{len}");
            assert!(parse_sint(&vec![0; len]).is_err(), "{len}");
        }
    }

    fn nla(kind: u16, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 4).expect("small");
        let mut v = len.to_ne_bytes().to_vec();
        v.extend(kind.to_ne_bytes());
        v.extend(payload);
        v.resize(v.len().next_multiple_of(4), 0);
        v
    }

    #[test]
    fn strings_decode_lossily() {
        let cut = b"caf\xc3\0";
        let bytes = nla(ACCEL_A_TREE_ITEM_VALUE_STRING, cut);
        let buf = NlaBuffer::new_checked(&bytes[..]).expect("nla");
        assert_eq!(
            TreeItemAttr::parse(&buf).expect("lossy"),
            TreeItemAttr::ValueString("caf\u{fffd}".into())
        );
        let bytes = nla(ACCEL_A_TREE_ITEM_NAME, b"n\xff");
        let buf = NlaBuffer::new_checked(&bytes[..]).expect("nla");
        assert_eq!(
            TreeItemAttr::parse(&buf).expect("lossy"),
            TreeItemAttr::Name("n\u{fffd}".into())
        );
        let bytes = nla(ACCEL_A_HEALTH_REPORTER_LAST_ERROR_MSG, cut);
        let buf = NlaBuffer::new_checked(&bytes[..]).expect("nla");
        assert_eq!(
            HealthReporterAttr::parse(&buf).expect("lossy"),
            HealthReporterAttr::LastErrorMsg("caf\u{fffd}".into())
        );
    }

    #[test]
    fn encoder_picks_the_kernel_size() {
        assert_eq!(
            HealthReporterAttr::ErrorCount(u64::from(u32::MAX)).value_len(),
            4
        );
        assert_eq!(HealthReporterAttr::ErrorCount(1 << 32).value_len(), 8);
        assert_eq!(TreeItemAttr::ValueSint(i64::from(i32::MIN)).value_len(), 4);
        assert_eq!(
            TreeItemAttr::ValueSint(i64::from(i32::MIN) - 1).value_len(),
            8
        );
        assert_eq!(
            TreeItemAttr::ValueSint(i64::from(i32::MAX) + 1).value_len(),
            8
        );
    }

    #[test]
    fn unknown_attributes_are_kept() {
        let bytes = nla(77, b"abcd");
        let buf = NlaBuffer::new_checked(&bytes[..]).expect("nla");
        let got = HealthReporterAttr::parse(&buf).expect("unknown kept");
        assert!(matches!(&got, HealthReporterAttr::Unknown(n) if n.kind() == 77));
    }
}
