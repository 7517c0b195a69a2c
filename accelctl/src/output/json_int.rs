//! 64-bit integers in JSON. A JSON number above 2^53 loses precision in
//! jq, JavaScript and every reader that parses numbers as doubles, so a
//! 64-bit value is a number when it is at most 2^53 - 1 in magnitude and a
//! string of decimal digits otherwise (documented in the schema and man
//! pages). Timestamps are RFC 3339 strings instead (see `time.rs`).

use serde::{Serialize, Serializer};

/// Largest magnitude a double represents exactly together with its
/// neighbours: 2^53 - 1 (JavaScript's `Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE: u64 = (1 << 53) - 1;

/// An unsigned 64-bit value for JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonU64(pub u64);

/// A signed 64-bit value for JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonI64(pub i64);

impl Serialize for JsonU64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 <= MAX_SAFE {
            s.serialize_u64(self.0)
        } else {
            s.serialize_str(&self.0.to_string())
        }
    }
}

impl Serialize for JsonI64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.unsigned_abs() <= MAX_SAFE {
            s.serialize_i64(self.0)
        } else {
            s.serialize_str(&self.0.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: Serialize>(v: T) -> String {
        serde_json::to_string(&v).unwrap_or_default()
    }

    #[test]
    fn numbers_up_to_2_pow_53_minus_1_strings_beyond() {
        assert_eq!(json(JsonU64(0)), "0");
        assert_eq!(json(JsonU64(9_007_199_254_740_991)), "9007199254740991");
        assert_eq!(json(JsonU64(9_007_199_254_740_992)), "\"9007199254740992\"");
        assert_eq!(json(JsonU64(u64::MAX)), "\"18446744073709551615\"");
        assert_eq!(json(JsonI64(-9_007_199_254_740_991)), "-9007199254740991");
        assert_eq!(
            json(JsonI64(-9_007_199_254_740_992)),
            "\"-9007199254740992\""
        );
        assert_eq!(json(JsonI64(i64::MIN)), "\"-9223372036854775808\"");
    }
}
