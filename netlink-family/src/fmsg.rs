//! Diagnose and dump trees (`tree-item` in the spec; devlink calls them
//! "fmsg"): a flat sequence of items on the wire (object start, array
//! start, end, value) turned into a tree.
//!
//! The items at the top level are members of an implicit object, so the
//! sequence has no outer start/end. Objects' members carry names, arrays'
//! elements do not; names are kept as received (`None` when absent) rather
//! than judged, so that a tree a driver built oddly still displays.

use netlink_packet_core::DecodeError;

use crate::attrs::TreeItemAttr;
use crate::generated::*;

/// Deepest nesting of objects and arrays accepted. The kernel refuses to
/// build trees deeper than 16 levels (`ACCEL_TREE_MAX_DEPTH` in
/// `drivers/accel/accel_tree.c`); this crate accepts twice that, to
/// tolerate other producers of the format (a newer kernel, simulators,
/// fuzzers) while keeping the recursive renderers, Drop and serde_json
/// readers of our JSON (recursion limit 128) far from their limits.
pub const FMSG_MAX_DEPTH: usize = 32;

/// A value of a diagnose or dump message, typed as the driver put it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FmsgValue {
    Bool(bool),
    /// An unsigned integer (`value-uint`: up to 64 bits).
    Uint(u64),
    /// A signed integer (`value-sint`: up to 64 bits).
    Sint(i64),
    String(String),
    Binary(Vec<u8>),
}

impl FmsgValue {
    /// The type's name (`bool`, `uint`, `sint`, `string`, `binary`).
    pub fn type_name(&self) -> &'static str {
        match self {
            FmsgValue::Bool(_) => "bool",
            FmsgValue::Uint(_) => "uint",
            FmsgValue::Sint(_) => "sint",
            FmsgValue::String(_) => "string",
            FmsgValue::Binary(_) => "binary",
        }
    }

    fn to_attr(&self) -> TreeItemAttr {
        match self {
            FmsgValue::Bool(v) => TreeItemAttr::ValueBool((*v).into()),
            FmsgValue::Uint(v) => TreeItemAttr::ValueUint(*v),
            FmsgValue::Sint(v) => TreeItemAttr::ValueSint(*v),
            FmsgValue::String(v) => TreeItemAttr::ValueString(v.clone()),
            FmsgValue::Binary(v) => TreeItemAttr::ValueBinary(v.clone()),
        }
    }
}

/// One item as it travels in a `tree-item` nest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FmsgItem {
    ObjectStart {
        name: Option<String>,
    },
    ArrayStart {
        name: Option<String>,
    },
    End,
    Value {
        name: Option<String>,
        value: FmsgValue,
    },
}

impl FmsgItem {
    /// Decode one `tree-item` nest. The kind is mandatory; a value item carries
    /// exactly one value attribute, other items none. A non-zero bool is
    /// true, as in C.
    pub fn from_attrs(attrs: &[TreeItemAttr]) -> Result<Self, DecodeError> {
        use TreeItemAttr as A;
        let (mut kind, mut name, mut values) = (None, None, Vec::new());
        for a in attrs {
            match a {
                A::Kind(k) => kind = Some(*k),
                A::Name(s) => name = Some(s.clone()),
                A::ValueBool(v) => values.push(FmsgValue::Bool(*v != 0)),
                A::ValueUint(v) => values.push(FmsgValue::Uint(*v)),
                A::ValueSint(v) => values.push(FmsgValue::Sint(*v)),
                A::ValueString(v) => values.push(FmsgValue::String(v.clone())),
                A::ValueBinary(v) => values.push(FmsgValue::Binary(v.clone())),
                A::Unknown(_) => {}
            }
        }
        let kind = kind.ok_or("tree item lacks the kind attribute")?;
        let what = match kind {
            ACCEL_TREE_ITEM_KIND_OBJECT => "object start",
            ACCEL_TREE_ITEM_KIND_ARRAY => "array start",
            ACCEL_TREE_ITEM_KIND_END => "end",
            ACCEL_TREE_ITEM_KIND_VALUE => "value",
            other => return Err(format!("tree item of unknown kind {other}").into()),
        };
        if kind == ACCEL_TREE_ITEM_KIND_VALUE {
            let n = values.len();
            let mut values = values.into_iter();
            return match (values.next(), n) {
                (Some(value), 1) => Ok(FmsgItem::Value { name, value }),
                (None, _) => Err(format!("tree value {name:?} lacks a value attribute").into()),
                _ => Err(format!("tree value {name:?} carries {n} value attributes").into()),
            };
        }
        if !values.is_empty() {
            return Err(format!("tree {what} {name:?} carries a value attribute").into());
        }
        Ok(match kind {
            ACCEL_TREE_ITEM_KIND_OBJECT => FmsgItem::ObjectStart { name },
            ACCEL_TREE_ITEM_KIND_ARRAY => FmsgItem::ArrayStart { name },
            _ => FmsgItem::End,
        })
    }

    /// Encode as a `tree-item` nest (kind, name, value).
    pub fn to_attrs(&self) -> Vec<TreeItemAttr> {
        let (kind, name, value) = match self {
            FmsgItem::ObjectStart { name } => (ACCEL_TREE_ITEM_KIND_OBJECT, name, None),
            FmsgItem::ArrayStart { name } => (ACCEL_TREE_ITEM_KIND_ARRAY, name, None),
            FmsgItem::End => (ACCEL_TREE_ITEM_KIND_END, &None, None),
            FmsgItem::Value { name, value } => (ACCEL_TREE_ITEM_KIND_VALUE, name, Some(value)),
        };
        let mut v = vec![TreeItemAttr::Kind(kind)];
        v.extend(name.clone().map(TreeItemAttr::Name));
        v.extend(value.map(FmsgValue::to_attr));
        v
    }
}

/// A node of the tree of a diagnose or dump message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FmsgNode {
    Object {
        name: Option<String>,
        members: Vec<FmsgNode>,
    },
    Array {
        name: Option<String>,
        elements: Vec<FmsgNode>,
    },
    Value {
        name: Option<String>,
        value: FmsgValue,
    },
}

impl FmsgNode {
    pub fn name(&self) -> Option<&str> {
        match self {
            FmsgNode::Object { name, .. }
            | FmsgNode::Array { name, .. }
            | FmsgNode::Value { name, .. } => name.as_deref(),
        }
    }

    /// The flat item sequence of a tree (the top-level nodes, members of
    /// the implicit object), as the kernel sends it.
    pub fn to_items(tree: &[FmsgNode]) -> Vec<FmsgItem> {
        let mut out = Vec::new();
        for node in tree {
            node.push_items(&mut out);
        }
        out
    }

    fn push_items(&self, out: &mut Vec<FmsgItem>) {
        let (start, children) = match self {
            FmsgNode::Value { name, value } => {
                out.push(FmsgItem::Value {
                    name: name.clone(),
                    value: value.clone(),
                });
                return;
            }
            FmsgNode::Object { name, members } => {
                (FmsgItem::ObjectStart { name: name.clone() }, members)
            }
            FmsgNode::Array { name, elements } => {
                (FmsgItem::ArrayStart { name: name.clone() }, elements)
            }
        };
        out.push(start);
        for child in children {
            child.push_items(out);
        }
        out.push(FmsgItem::End);
    }
}

/// Builds the tree from items fed one at a time, so that a message split
/// over several netlink messages is assembled as it arrives.
#[derive(Debug, Default)]
pub struct FmsgTreeBuilder {
    /// Members of the implicit top-level object.
    top: Vec<FmsgNode>,
    /// Open containers, innermost last; their children so far inside.
    open: Vec<FmsgNode>,
    items: usize,
}

impl FmsgTreeBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add the next item; errors on an end with nothing open and on
    /// nesting deeper than [`FMSG_MAX_DEPTH`].
    pub fn push(&mut self, item: FmsgItem) -> Result<(), DecodeError> {
        self.items += 1;
        let node = match item {
            FmsgItem::Value { name, value } => FmsgNode::Value { name, value },
            FmsgItem::ObjectStart { name } | FmsgItem::ArrayStart { name }
                if self.open.len() >= FMSG_MAX_DEPTH =>
            {
                return Err(format!(
                    "tree item {}: {name:?} nests deeper than {FMSG_MAX_DEPTH} levels",
                    self.items
                )
                .into());
            }
            FmsgItem::ObjectStart { name } => {
                self.open.push(FmsgNode::Object {
                    name,
                    members: Vec::new(),
                });
                return Ok(());
            }
            FmsgItem::ArrayStart { name } => {
                self.open.push(FmsgNode::Array {
                    name,
                    elements: Vec::new(),
                });
                return Ok(());
            }
            FmsgItem::End => self.open.pop().ok_or_else(|| {
                DecodeError::from(format!(
                    "tree item {}: end without an open object or array",
                    self.items
                ))
            })?,
        };
        self.children().push(node);
        Ok(())
    }

    /// Where the next node goes: the innermost open container, or the top.
    fn children(&mut self) -> &mut Vec<FmsgNode> {
        match self.open.last_mut() {
            Some(FmsgNode::Object { members: c, .. })
            | Some(FmsgNode::Array { elements: c, .. }) => c,
            // Only containers are ever pushed on `open`.
            Some(FmsgNode::Value { .. }) | None => &mut self.top,
        }
    }

    /// The tree; errors if an object or array was left open.
    pub fn finish(self) -> Result<Vec<FmsgNode>, DecodeError> {
        match self.open.last() {
            None => Ok(self.top),
            Some(node) => Err(format!(
                "tree ends with {} object(s)/array(s) open (innermost {:?})",
                self.open.len(),
                node.name()
            )
            .into()),
        }
    }
}

/// Build a tree from a complete item sequence.
pub fn fmsg_tree(items: impl IntoIterator<Item = FmsgItem>) -> Result<Vec<FmsgNode>, DecodeError> {
    let mut b = FmsgTreeBuilder::new();
    for item in items {
        b.push(item)?;
    }
    b.finish()
}
