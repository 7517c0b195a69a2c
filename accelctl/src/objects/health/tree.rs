//! Rendering of diagnose and dump trees: an indented text view and JSON
//! nodes.
//!
//! Text: one line per value, `NAME VALUE`; an object or array is `NAME:`
//! with its contents indented below, or `NAME {}` / `NAME []` when empty;
//! array elements are labelled by position, `[0]`, `[1]`, ... Binary is
//! hex bytes, 16 per line, `(empty)` when empty.
//!
//! Strings (values and names) are printed bare when that is unambiguous
//! and in double quotes otherwise, with `"` and `\` escaped as `\"` and
//! `\\` (see [`value_needs_quotes`], [`name_needs_quotes`]); inside or
//! out, `printable` escapes control and invisible characters.

use std::borrow::Cow;
use std::fmt::Write as _;

use accel_netlink::{FmsgNode, FmsgValue};
use serde::Serialize;

use crate::output::json_int::{JsonI64, JsonU64};
use crate::output::printable;

/// Bytes per line of a binary value in text output.
const HEX_PER_LINE: usize = 16;

/// A node of a diagnose or dump tree: an object with named members, an
/// array of elements (whose name is null), or a typed value. Binary values
/// are lowercase hex without separators.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum FmsgNodeJson {
    Object {
        name: Option<String>,
        members: Vec<FmsgNodeJson>,
    },
    Array {
        name: Option<String>,
        elements: Vec<FmsgNodeJson>,
    },
    Bool {
        name: Option<String>,
        value: bool,
    },
    Uint {
        name: Option<String>,
        value: JsonU64,
    },
    Sint {
        name: Option<String>,
        value: JsonI64,
    },
    String {
        name: Option<String>,
        value: String,
    },
    Binary {
        name: Option<String>,
        /// Lowercase hex, two digits per byte, no separators.
        #[cfg_attr(feature = "schema", schemars(extend("pattern" = "^([0-9a-f]{2})*$")))]
        value: String,
    },
}

impl From<&FmsgNode> for FmsgNodeJson {
    fn from(n: &FmsgNode) -> Self {
        let kids = |v: &[FmsgNode]| v.iter().map(FmsgNodeJson::from).collect();
        match n {
            FmsgNode::Object { name, members } => FmsgNodeJson::Object {
                name: name.clone(),
                members: kids(members),
            },
            FmsgNode::Array { name, elements } => FmsgNodeJson::Array {
                name: name.clone(),
                elements: kids(elements),
            },
            FmsgNode::Value { name, value } => {
                let name = name.clone();
                match value {
                    FmsgValue::Bool(value) => FmsgNodeJson::Bool {
                        name,
                        value: *value,
                    },
                    FmsgValue::Uint(value) => FmsgNodeJson::Uint {
                        name,
                        value: JsonU64(*value),
                    },
                    FmsgValue::Sint(value) => FmsgNodeJson::Sint {
                        name,
                        value: JsonI64(*value),
                    },
                    FmsgValue::String(value) => FmsgNodeJson::String {
                        name,
                        value: value.clone(),
                    },
                    FmsgValue::Binary(value) => FmsgNodeJson::Binary {
                        name,
                        value: hex(value, ""),
                    },
                }
            }
        }
    }
}

fn hex(bytes: &[u8], sep: &str) -> String {
    let mut s = String::with_capacity(bytes.len() * (2 + sep.len()));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push_str(sep);
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The text view of `tree` (members of the top-level object), each line
/// indented by `indent` spaces or more.
pub fn tree_text(tree: &[FmsgNode], indent: usize) -> String {
    let mut out = String::new();
    for node in tree {
        node_text(&mut out, node, None, indent);
    }
    out
}

/// `pos` is the node's position when it is an array element.
fn node_text(out: &mut String, node: &FmsgNode, pos: Option<usize>, indent: usize) {
    let label = match (pos, node.name()) {
        (Some(i), None) => format!("[{i}]"),
        (Some(i), Some(n)) => format!("[{i}] {}", name_text(n)),
        (None, Some(n)) => name_text(n).into_owned(),
        (None, None) => "(unnamed)".to_string(),
    };
    let pad = " ".repeat(indent);
    match node {
        FmsgNode::Object { members, .. } if members.is_empty() => {
            let _ = writeln!(out, "{pad}{label} {{}}");
        }
        FmsgNode::Array { elements, .. } if elements.is_empty() => {
            let _ = writeln!(out, "{pad}{label} []");
        }
        FmsgNode::Object { members, .. } => {
            let _ = writeln!(out, "{pad}{label}:");
            for m in members {
                node_text(out, m, None, indent + 2);
            }
        }
        FmsgNode::Array { elements, .. } => {
            let _ = writeln!(out, "{pad}{label}:");
            for (i, e) in elements.iter().enumerate() {
                node_text(out, e, Some(i), indent + 2);
            }
        }
        FmsgNode::Value {
            value: FmsgValue::Binary(b),
            ..
        } if b.len() > HEX_PER_LINE => {
            // Continuation lines line up under the first byte's indent + 2.
            let mut chunks = b.chunks(HEX_PER_LINE);
            let first = chunks.next().unwrap_or_default();
            let _ = writeln!(out, "{pad}{label} {}", hex(first, " "));
            for chunk in chunks {
                let _ = writeln!(out, "{pad}  {}", hex(chunk, " "));
            }
        }
        FmsgNode::Value { value, .. } => {
            let _ = writeln!(out, "{pad}{label} {}", value_text(value));
        }
    }
}

fn value_text(v: &FmsgValue) -> String {
    match v {
        FmsgValue::Bool(b) => b.to_string(),
        FmsgValue::Uint(n) => n.to_string(),
        FmsgValue::Sint(n) => n.to_string(),
        FmsgValue::String(s) => quoted_if(s, value_needs_quotes(s)).into_owned(),
        FmsgValue::Binary(b) if b.is_empty() => "(empty)".to_string(),
        FmsgValue::Binary(b) => hex(b, " "),
    }
}

fn name_text(name: &str) -> Cow<'_, str> {
    quoted_if(name, name_needs_quotes(name))
}

/// A string value is quoted when bare it would be empty, not one word, or
/// read as a value of another type: `true`/`false`, a number, one binary
/// byte (`0f`), an empty binary (`(empty)`), an empty array or object.
/// A `"` or `\` also quotes it, so that a bare value never contains one
/// (a `\` outside quotes always starts a `printable` escape).
pub fn value_needs_quotes(s: &str) -> bool {
    is_ambiguous_word(s)
        || matches!(s, "true" | "false" | "(empty)" | "[]" | "{}")
        || looks_like_number(s)
        || (s.len() == 2 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// A name is quoted when bare it would be empty, not one word, or end
/// with `:` (read as an object or array header), or when it is the
/// placeholder of a missing name, `(unnamed)`; `"` and `\` as for values.
pub fn name_needs_quotes(s: &str) -> bool {
    is_ambiguous_word(s) || s.ends_with(':') || s == "(unnamed)"
}

fn is_ambiguous_word(s: &str) -> bool {
    s.is_empty()
        || s.chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '\\')
}

/// Decimal numbers as a reader would take them: `42`, `-1`, `+5`, `1.5`,
/// `1e9` (but not `inf` or `nan`, which are words).
fn looks_like_number(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.parse::<f64>().is_ok()
}

/// `s` escaped by `printable`, and, if `quote`, in double quotes with `"`
/// and `\` escaped first (so that `printable`'s own escapes stay single).
fn quoted_if(s: &str, quote: bool) -> Cow<'_, str> {
    if !quote {
        return printable(s);
    }
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    Cow::Owned(printable(&q).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_when_ambiguous() {
        let text = |s: &str| value_text(&FmsgValue::String(s.into()));
        for bare in [
            "accel_sim",
            "a",
            "report",
            "é",
            "x\u{1b}y",
            "inf",
            "0x10",
            "abc",
        ] {
            assert_eq!(text(bare), printable(bare), "{bare:?}");
        }
        for (s, shown) in [
            ("", r#""""#),
            ("entry 0", r#""entry 0""#),
            ("tab\there", r#""tab\x09here""#),
            ("true", r#""true""#),
            ("false", r#""false""#),
            ("255", r#""255""#),
            ("-1", r#""-1""#),
            ("1.5", r#""1.5""#),
            ("0f", r#""0f""#),
            ("(empty)", r#""(empty)""#),
            ("[]", r#""[]""#),
            ("{}", r#""{}""#),
            (r#"say "hi""#, r#""say \"hi\"""#),
            (r"C:\dir", r#""C:\\dir""#),
            (r"\x1b", r#""\\x1b""#),
        ] {
            assert_eq!(text(s), shown, "{s:?}");
        }
    }

    #[test]
    fn names_are_quoted_when_ambiguous() {
        for bare in ["values", "u8", "true", "255", "a:b", "[0]"] {
            assert_eq!(name_text(bare), bare, "{bare:?}");
        }
        for (s, shown) in [
            ("", r#""""#),
            ("two words", r#""two words""#),
            ("key:", r#""key:""#),
            ("(unnamed)", r#""(unnamed)""#),
            (r#"a"b"#, r#""a\"b""#),
            (r"a\b", r#""a\\b""#),
        ] {
            assert_eq!(name_text(s), shown, "{s:?}");
        }
    }
}
