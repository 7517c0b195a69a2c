//! Rendering of diagnose and dump trees: an indented text view and JSON
//! nodes.
//!
//! Text: one line per value, `NAME VALUE`; an object or array is `NAME:`
//! with its contents indented below, or `NAME {}` / `NAME []` when empty;
//! array elements are labelled by position, `[0]`, `[1]`, ... Strings are
//! printed bare (escaped by `printable`), the empty string as `""`; binary
//! as hex bytes, 16 per line.

use std::fmt::Write as _;

use accel_netlink::{FmsgNode, FmsgValue};
use serde::Serialize;

use super::printable;

/// Bytes per line of a binary value in text output.
const HEX_PER_LINE: usize = 16;

/// One node of a tree in JSON; `name` is null for array elements, binary
/// values are lowercase hex without separators.
#[derive(Debug, Serialize)]
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
    U8 {
        name: Option<String>,
        value: u8,
    },
    U32 {
        name: Option<String>,
        value: u32,
    },
    U64 {
        name: Option<String>,
        value: u64,
    },
    S64 {
        name: Option<String>,
        value: i64,
    },
    String {
        name: Option<String>,
        value: String,
    },
    Binary {
        name: Option<String>,
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
                    FmsgValue::U8(value) => FmsgNodeJson::U8 {
                        name,
                        value: *value,
                    },
                    FmsgValue::U32(value) => FmsgNodeJson::U32 {
                        name,
                        value: *value,
                    },
                    FmsgValue::U64(value) => FmsgNodeJson::U64 {
                        name,
                        value: *value,
                    },
                    FmsgValue::S64(value) => FmsgNodeJson::S64 {
                        name,
                        value: *value,
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
        (Some(i), Some(n)) => format!("[{i}] {}", printable(n)),
        (None, Some(n)) => printable(n).into_owned(),
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
        FmsgValue::U8(n) => n.to_string(),
        FmsgValue::U32(n) => n.to_string(),
        FmsgValue::U64(n) => n.to_string(),
        FmsgValue::S64(n) => n.to_string(),
        FmsgValue::String(s) if s.is_empty() => "\"\"".to_string(),
        FmsgValue::String(s) => printable(s).into_owned(),
        FmsgValue::Binary(b) if b.is_empty() => "(empty)".to_string(),
        FmsgValue::Binary(b) => hex(b, " "),
    }
}
