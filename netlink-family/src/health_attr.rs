//! Typed attributes of the `health-reporter` set (except its handle nest)
//! and of the `tree-item` set. In [`crate::AccelMessage`] the reporter's
//! attributes are grouped in [`crate::DevAttr::HealthReporter`] and the tree
//! items are [`crate::DevAttr::Fmsg`].
//!
//! `uint`/`sint` attributes (NLA_UINT/NLA_SINT) are 4 bytes on the wire when
//! the value fits, 8 otherwise (nla_put_uint()/nla_put_sint()); both sizes
//! decode, and the encoder picks the size the kernel would.

use netlink_packet_core::{
    parse_u32, DecodeError, DefaultNla, ErrorContext, Nla, NlaBuffer, Parseable,
};

use crate::attr::{emit_string, parse_string_lossy, put_u32};
use crate::generated::*;

/// An attribute of the `health-reporter` set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthReporterAttr {
    Name(String),
    /// A `health-state` value ([`ACCEL_HEALTH_STATE_HEALTHY`], ...).
    State(u32),
    ErrorCount(u64),
    RecoverCount(u64),
    LastErrorTsNs(u64),
    LastErrorMsg(String),
    /// Milliseconds.
    GracePeriod(u64),
    AutoRecover(u32),
    AutoDump(u32),
    DumpTsNs(u64),
    Other(DefaultNla),
}

/// An attribute of the `tree-item` set: one item of a diagnose or dump
/// tree (see [`crate::FmsgItem`] for the decoded form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FmsgItemAttr {
    /// A `tree-item-kind` value ([`ACCEL_TREE_ITEM_KIND_OBJECT`], ...).
    Kind(u32),
    Name(String),
    ValueBool(u32),
    ValueUint(u64),
    ValueSint(i64),
    ValueString(String),
    ValueBinary(Vec<u8>),
    Other(DefaultNla),
}

/// Decode an NLA_UINT payload: 4 or 8 bytes.
pub fn parse_uint(payload: &[u8]) -> Result<u64, DecodeError> {
    match <[u8; 4]>::try_from(payload) {
        Ok(b) => Ok(u64::from(u32::from_ne_bytes(b))),
        Err(_) => <[u8; 8]>::try_from(payload)
            .map(u64::from_ne_bytes)
            .map_err(|_| format!("uint of {} bytes (want 4 or 8)", payload.len()).into()),
    }
}

/// Decode an NLA_SINT payload: 4 bytes (sign-extended) or 8.
pub fn parse_sint(payload: &[u8]) -> Result<i64, DecodeError> {
    match <[u8; 4]>::try_from(payload) {
        Ok(b) => Ok(i64::from(i32::from_ne_bytes(b))),
        Err(_) => <[u8; 8]>::try_from(payload)
            .map(i64::from_ne_bytes)
            .map_err(|_| format!("sint of {} bytes (want 4 or 8)", payload.len()).into()),
    }
}

pub(crate) fn uint_len(v: u64) -> usize {
    if u32::try_from(v).is_ok() {
        4
    } else {
        8
    }
}

fn sint_len(v: i64) -> usize {
    if i32::try_from(v).is_ok() {
        4
    } else {
        8
    }
}

pub(crate) fn put_uint(buffer: &mut [u8], v: u64) {
    match u32::try_from(v) {
        Ok(small) => put_u32(buffer, small),
        Err(_) => buffer[..8].copy_from_slice(&v.to_ne_bytes()),
    }
}

fn put_sint(buffer: &mut [u8], v: i64) {
    match i32::try_from(v) {
        Ok(small) => buffer[..4].copy_from_slice(&small.to_ne_bytes()),
        Err(_) => buffer[..8].copy_from_slice(&v.to_ne_bytes()),
    }
}

impl Nla for HealthReporterAttr {
    fn value_len(&self) -> usize {
        use HealthReporterAttr::*;
        match self {
            Name(s) | LastErrorMsg(s) => s.len() + 1,
            State(_) | AutoRecover(_) | AutoDump(_) => 4,
            ErrorCount(v) | RecoverCount(v) | LastErrorTsNs(v) | GracePeriod(v) | DumpTsNs(v) => {
                uint_len(*v)
            }
            Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        use HealthReporterAttr::*;
        match self {
            Name(_) => ACCEL_A_HEALTH_REPORTER_NAME,
            State(_) => ACCEL_A_HEALTH_REPORTER_STATE,
            ErrorCount(_) => ACCEL_A_HEALTH_REPORTER_ERROR_COUNT,
            RecoverCount(_) => ACCEL_A_HEALTH_REPORTER_RECOVER_COUNT,
            LastErrorTsNs(_) => ACCEL_A_HEALTH_REPORTER_LAST_ERROR_TS_NS,
            LastErrorMsg(_) => ACCEL_A_HEALTH_REPORTER_LAST_ERROR_MSG,
            GracePeriod(_) => ACCEL_A_HEALTH_REPORTER_GRACE_PERIOD,
            AutoRecover(_) => ACCEL_A_HEALTH_REPORTER_AUTO_RECOVER,
            AutoDump(_) => ACCEL_A_HEALTH_REPORTER_AUTO_DUMP,
            DumpTsNs(_) => ACCEL_A_HEALTH_REPORTER_DUMP_TS_NS,
            Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        use HealthReporterAttr::*;
        match self {
            Name(s) | LastErrorMsg(s) => emit_string(buffer, s),
            State(v) | AutoRecover(v) | AutoDump(v) => put_u32(buffer, *v),
            ErrorCount(v) | RecoverCount(v) | LastErrorTsNs(v) | GracePeriod(v) | DumpTsNs(v) => {
                put_uint(buffer, *v)
            }
            Other(nla) => nla.emit_value(buffer),
        }
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for HealthReporterAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        use HealthReporterAttr::*;
        let p = buf.value();
        let ctx = |attr: &str| format!("invalid health-reporter {attr}");
        Ok(match buf.kind() {
            ACCEL_A_HEALTH_REPORTER_NAME => Name(parse_string_lossy(p)),
            ACCEL_A_HEALTH_REPORTER_STATE => State(parse_u32(p).context(ctx("state"))?),
            ACCEL_A_HEALTH_REPORTER_ERROR_COUNT => {
                ErrorCount(parse_uint(p).context(ctx("error-count"))?)
            }
            ACCEL_A_HEALTH_REPORTER_RECOVER_COUNT => {
                RecoverCount(parse_uint(p).context(ctx("recover-count"))?)
            }
            ACCEL_A_HEALTH_REPORTER_LAST_ERROR_TS_NS => {
                LastErrorTsNs(parse_uint(p).context(ctx("last-error-ts-ns"))?)
            }
            ACCEL_A_HEALTH_REPORTER_LAST_ERROR_MSG => LastErrorMsg(parse_string_lossy(p)),
            ACCEL_A_HEALTH_REPORTER_GRACE_PERIOD => {
                GracePeriod(parse_uint(p).context(ctx("grace-period"))?)
            }
            ACCEL_A_HEALTH_REPORTER_AUTO_RECOVER => {
                AutoRecover(parse_u32(p).context(ctx("auto-recover"))?)
            }
            ACCEL_A_HEALTH_REPORTER_AUTO_DUMP => AutoDump(parse_u32(p).context(ctx("auto-dump"))?),
            ACCEL_A_HEALTH_REPORTER_DUMP_TS_NS => {
                DumpTsNs(parse_uint(p).context(ctx("dump-ts-ns"))?)
            }
            _ => Other(DefaultNla::parse(buf).context(ctx("attribute"))?),
        })
    }
}

impl Nla for FmsgItemAttr {
    fn value_len(&self) -> usize {
        use FmsgItemAttr::*;
        match self {
            Kind(_) | ValueBool(_) => 4,
            Name(s) | ValueString(s) => s.len() + 1,
            ValueUint(v) => uint_len(*v),
            ValueSint(v) => sint_len(*v),
            ValueBinary(b) => b.len(),
            Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        use FmsgItemAttr::*;
        match self {
            Kind(_) => ACCEL_A_TREE_ITEM_KIND,
            Name(_) => ACCEL_A_TREE_ITEM_NAME,
            ValueBool(_) => ACCEL_A_TREE_ITEM_VALUE_BOOL,
            ValueUint(_) => ACCEL_A_TREE_ITEM_VALUE_UINT,
            ValueSint(_) => ACCEL_A_TREE_ITEM_VALUE_SINT,
            ValueString(_) => ACCEL_A_TREE_ITEM_VALUE_STRING,
            ValueBinary(_) => ACCEL_A_TREE_ITEM_VALUE_BINARY,
            Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        use FmsgItemAttr::*;
        match self {
            Kind(v) | ValueBool(v) => put_u32(buffer, *v),
            Name(s) | ValueString(s) => emit_string(buffer, s),
            ValueUint(v) => put_uint(buffer, *v),
            ValueSint(v) => put_sint(buffer, *v),
            ValueBinary(b) => buffer[..b.len()].copy_from_slice(b),
            Other(nla) => nla.emit_value(buffer),
        }
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for FmsgItemAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        use FmsgItemAttr::*;
        let p = buf.value();
        let ctx = |attr: &str| format!("invalid tree-item {attr}");
        Ok(match buf.kind() {
            ACCEL_A_TREE_ITEM_KIND => Kind(parse_u32(p).context(ctx("kind"))?),
            ACCEL_A_TREE_ITEM_NAME => Name(parse_string_lossy(p)),
            ACCEL_A_TREE_ITEM_VALUE_BOOL => ValueBool(parse_u32(p).context(ctx("value-bool"))?),
            ACCEL_A_TREE_ITEM_VALUE_UINT => ValueUint(parse_uint(p).context(ctx("value-uint"))?),
            ACCEL_A_TREE_ITEM_VALUE_SINT => ValueSint(parse_sint(p).context(ctx("value-sint"))?),
            ACCEL_A_TREE_ITEM_VALUE_STRING => ValueString(parse_string_lossy(p)),
            ACCEL_A_TREE_ITEM_VALUE_BINARY => ValueBinary(p.to_vec()),
            _ => Other(DefaultNla::parse(buf).context(ctx("attribute"))?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Invalid UTF-8 (here "é", c3 a9, cut after its first byte) decodes
    /// with U+FFFD instead of failing; one trailing NUL is stripped.
    #[test]
    fn strings_decode_lossily() {
        let cut = b"caf\xc3\0";
        let bytes = nla(ACCEL_A_TREE_ITEM_VALUE_STRING, cut);
        let buf = NlaBuffer::new_checked(&bytes[..]).expect("nla");
        assert_eq!(
            FmsgItemAttr::parse(&buf).expect("lossy"),
            FmsgItemAttr::ValueString("caf\u{fffd}".into())
        );
        let bytes = nla(ACCEL_A_TREE_ITEM_NAME, b"n\xff");
        let buf = NlaBuffer::new_checked(&bytes[..]).expect("nla");
        assert_eq!(
            FmsgItemAttr::parse(&buf).expect("lossy"),
            FmsgItemAttr::Name("n\u{fffd}".into())
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
        assert_eq!(FmsgItemAttr::ValueSint(i64::from(i32::MIN)).value_len(), 4);
        assert_eq!(
            FmsgItemAttr::ValueSint(i64::from(i32::MIN) - 1).value_len(),
            8
        );
        assert_eq!(
            FmsgItemAttr::ValueSint(i64::from(i32::MAX) + 1).value_len(),
            8
        );
    }
}
