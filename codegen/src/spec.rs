//! The spec as the generators read it: parsed once, numbered as the
//! kernel's ynl-gen-c numbers it (attributes and operations from 1 in spec
//! order, enum entries from the enum's `value-start` or 0, unless the spec
//! gives a `value:`), with the names of the C constants.

use std::fmt::Write;
use std::io;

use serde_yaml::Value;

/// The spec, relative to the repo root.
pub const SPEC: &str = "netlink-family/accel.yaml";

/// The parsed spec.
pub struct Spec {
    /// The family name, e.g. `accel`.
    pub name: String,
    /// Its upper-case prefix of constant names, e.g. `ACCEL`.
    pub fam: String,
    pub version: u64,
    /// The YAML, for the parts only one generator reads (definitions,
    /// multicast groups).
    pub raw: Value,
    pub sets: Vec<Set>,
    pub ops: Vec<Op>,
}

impl Spec {
    pub fn parse(text: &str) -> io::Result<Spec> {
        let raw: Value = serde_yaml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let name = self::text(&raw, "name")?.to_string();
        let fam = upper(&name);
        Ok(Spec {
            version: raw.get("version").and_then(Value::as_u64).unwrap_or(1),
            sets: sets(&raw, &fam)?,
            ops: ops(&raw, &fam)?,
            name,
            fam,
            raw,
        })
    }
}

pub(crate) fn bad(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("{SPEC}: {msg}"))
}

pub(crate) fn list<'a>(v: &'a Value, key: &str) -> io::Result<&'a Vec<Value>> {
    v.get(key)
        .and_then(Value::as_sequence)
        .ok_or_else(|| bad(format!("missing list '{key}'")))
}

pub(crate) fn text<'a>(v: &'a Value, key: &str) -> io::Result<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| bad(format!("entry without '{key}': {v:?}")))
}

/// `dev-name` -> `DEV_NAME`.
pub(crate) fn upper(name: &str) -> String {
    name.replace('-', "_").to_uppercase()
}

/// The first paragraph of an entry's doc, as Rust doc comment lines.
pub(crate) fn push_doc(out: &mut String, v: &Value, fallback: &str) {
    push_doc_at(out, v, fallback, "")
}

/// [`push_doc`] with each line prefixed by `indent`.
pub(crate) fn push_doc_at(out: &mut String, v: &Value, fallback: &str, indent: &str) {
    let doc = v.get("doc").and_then(Value::as_str).unwrap_or(fallback);
    for line in doc
        .trim()
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
    {
        let _ = writeln!(out, "{indent}/// {line}");
    }
}

/// (value, entry) numbered from `first` unless an entry has `value:`.
pub(crate) fn numbered(entries: &[Value], first: u64) -> Vec<(u64, &Value)> {
    let mut next = first;
    entries
        .iter()
        .map(|e| {
            let v = e.get("value").and_then(Value::as_u64).unwrap_or(next);
            next = v + 1;
            (v, e)
        })
        .collect()
}

/// One attribute of a set, as the generator needs it.
/// `health-reporter` -> `HealthReporter`.
pub(crate) fn camel(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// One attribute of a set.
pub struct Attr {
    pub name: String,
    /// Its number in the set.
    pub value: u64,
    /// The C constant, e.g. `ACCEL_A_DEV_NAME`.
    pub konst: String,
    /// The YNL type, e.g. `u32`, `nest`.
    pub ty: String,
    pub nested: Option<String>,
    pub multi: bool,
    /// `checks: max:`, if any.
    pub max: Option<u64>,
    /// `enum:`, the definition its values come from, if any.
    pub enum_name: Option<String>,
    /// `enum-as-flags: true`: the value is a bit mask, bit N for the enum
    /// entry of value N.
    pub enum_as_flags: bool,
    /// The spec entry, for its doc.
    pub doc: Value,
}

impl Attr {
    pub fn variant(&self) -> String {
        camel(&self.name)
    }

    /// The Rust type a value of this attribute has.
    pub fn rust_type(&self) -> io::Result<String> {
        Ok(match self.ty.as_str() {
            "u32" => "u32".into(),
            "u64" | "uint" => "u64".into(),
            "sint" => "i64".into(),
            "string" => "String".into(),
            "binary" => "Vec<u8>".into(),
            "flag" => String::new(),
            "nest" => format!("Vec<{}Attr>", camel(self.nested_set()?)),
            other => return Err(bad(format!("attribute type '{other}' not supported"))),
        })
    }

    fn nested_set(&self) -> io::Result<&str> {
        self.nested
            .as_deref()
            .ok_or_else(|| bad(format!("nest {} without nested-attributes", self.name)))
    }
}

/// One attribute set.
pub struct Set {
    pub name: String,
    pub attrs: Vec<Attr>,
    pub doc: Value,
}

fn sets(spec: &Value, fam: &str) -> io::Result<Vec<Set>> {
    let mut out = Vec::new();
    for set in list(spec, "attribute-sets")? {
        let sname = text(set, "name")?;
        let mut attrs = Vec::new();
        for (value, a) in numbered(list(set, "attributes")?, 1) {
            let an = text(a, "name")?;
            attrs.push(Attr {
                name: an.to_string(),
                value,
                konst: format!("{fam}_A_{}_{}", upper(sname), upper(an)),
                ty: text(a, "type")?.to_string(),
                nested: a
                    .get("nested-attributes")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                multi: a.get("multi-attr").and_then(Value::as_bool) == Some(true),
                max: a
                    .get("checks")
                    .and_then(|c| c.get("max"))
                    .and_then(Value::as_u64),
                enum_name: a.get("enum").and_then(Value::as_str).map(str::to_string),
                enum_as_flags: a.get("enum-as-flags").and_then(Value::as_bool) == Some(true),
                doc: a.clone(),
            });
        }
        out.push(Set {
            name: sname.to_string(),
            attrs,
            doc: set.clone(),
        });
    }
    Ok(out)
}

/// One operation.
pub struct Op {
    pub name: String,
    /// Its command number.
    pub value: u64,
    /// The C constant, e.g. `ACCEL_CMD_DEV_GET`.
    pub konst: String,
    /// The attribute set of its messages (a notification's is its
    /// `notify` op's).
    pub set: Option<String>,
    pub doc: Value,
    /// (mode, request attributes) for do and dump.
    pub requests: Vec<(&'static str, Vec<String>)>,
}

fn ops(spec: &Value, fam: &str) -> io::Result<Vec<Op>> {
    let raw = list(spec.get("operations").unwrap_or(&Value::Null), "list")?;
    let set_of = |name: &str| -> Option<String> {
        raw.iter()
            .find(|o| o.get("name").and_then(Value::as_str) == Some(name))
            .and_then(|o| o.get("attribute-set"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let mut out = Vec::new();
    for (value, op) in numbered(raw, 1) {
        let on = text(op, "name")?;
        let set = match op.get("notify").and_then(Value::as_str) {
            Some(parent) => set_of(parent),
            None => set_of(on),
        };
        let mut requests = Vec::new();
        for mode in ["do", "dump"] {
            let Some(m) = op.get(mode) else { continue };
            let attrs = m
                .get("request")
                .and_then(|r| r.get("attributes"))
                .and_then(Value::as_sequence)
                .map(|s| {
                    s.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            requests.push((mode, attrs));
        }
        out.push(Op {
            name: on.to_string(),
            value,
            konst: format!("{fam}_CMD_{}", upper(on)),
            set,
            doc: op.clone(),
            requests,
        });
    }
    Ok(out)
}
