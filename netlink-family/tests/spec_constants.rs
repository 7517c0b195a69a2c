//! Every constant, name and type of the crate against accel.yaml.
//!
//! Values are derived from the spec the way ynl-gen-c does (enums numbered
//! from 1 in list order, unless an entry has an explicit `value:`), never
//! hard-coded here.

use accel_netlink::*;
use serde_yaml::Value;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/accel.yaml");
    let text = std::fs::read_to_string(path).expect("read accel.yaml");
    serde_yaml::from_str(&text).expect("parse accel.yaml")
}

fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v.get(key)
        .and_then(Value::as_sequence)
        .unwrap_or_else(|| panic!("spec lacks list {key}"))
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("spec entry lacks {key}: {v:?}"))
}

/// (value, name) pairs numbered as YNL does: from 1, or an explicit `value:`.
fn numbered(entries: &[Value]) -> Vec<(u64, String)> {
    let mut next = 1;
    entries
        .iter()
        .map(|e| {
            let val = e.get("value").and_then(Value::as_u64).unwrap_or(next);
            next = val + 1;
            (val, s(e, "name").to_string())
        })
        .collect()
}

fn attr_set<'a>(spec: &'a Value, name: &str) -> &'a Vec<Value> {
    let set = list(spec, "attribute-sets")
        .iter()
        .find(|set| s(set, "name") == name)
        .unwrap_or_else(|| panic!("no attribute set {name}"));
    list(set, "attributes")
}

fn check_set(spec: &Value, set: &str, ours: &[AttrDef]) {
    let attrs = attr_set(spec, set);
    let nums = numbered(attrs);
    assert_eq!(nums.len(), ours.len(), "attribute count of set {set}");
    for ((attr, (val, name)), (kind, our_name, ty)) in attrs.iter().zip(&nums).zip(ours) {
        assert_eq!(u64::from(*kind), *val, "value of {set}.{name}");
        assert_eq!(our_name, name, "name of {set} attribute {val}");
        assert_eq!(ty.ynl_name(), s(attr, "type"), "type of {set}.{name}");
        if *ty == AttrType::Nest {
            // A nest's set must exist in the spec (checked via attr_set panics).
            attr_set(spec, s(attr, "nested-attributes"));
        }
    }
}

#[test]
fn family_name_and_version() {
    let spec = spec();
    assert_eq!(s(&spec, "name"), ACCEL_FAMILY_NAME);
    assert_eq!(s(&spec, "protocol"), "genetlink");
    // ynl-gen-c: version defaults to 1 when the spec has none.
    let version = spec.get("version").and_then(Value::as_u64).unwrap_or(1);
    assert_eq!(u64::from(ACCEL_FAMILY_VERSION), version);
    assert_eq!(
        <AccelMessage as netlink_packet_generic::GenlFamily>::family_name(),
        "accel"
    );
}

#[test]
fn dev_attribute_set() {
    check_set(&spec(), "dev", DEV_ATTRS);
}

#[test]
fn pci_attribute_set() {
    check_set(&spec(), "pci", PCI_ATTRS);
}

#[test]
fn info_version_attribute_set() {
    check_set(&spec(), "info-version", INFO_VERSION_ATTRS);
}

#[test]
fn attribute_sets_are_all_covered() {
    let spec = spec();
    let names: Vec<&str> = list(&spec, "attribute-sets")
        .iter()
        .map(|x| s(x, "name"))
        .collect();
    assert_eq!(
        names,
        ["dev", "info-version", "pci"],
        "a new attribute set needs typed attributes here"
    );
}

#[test]
fn operations() {
    let spec = spec();
    let ops = list(spec.get("operations").expect("operations"), "list");
    let nums = numbered(ops);
    assert_eq!(nums.len(), OPS.len());
    for ((val, name), (cmd, our)) in nums.iter().zip(OPS) {
        assert_eq!(u64::from(*cmd), *val, "value of op {name}");
        assert_eq!(our, name);
        assert_eq!(u8::from(AccelCmd::from(*cmd)), *cmd);
        assert!(
            !matches!(AccelCmd::from(*cmd), AccelCmd::Other(_)),
            "op {name} untyped"
        );
    }
    // Notifications go to a group the crate knows.
    for op in ops {
        if let Some(g) = op.get("mcgrp").and_then(Value::as_str) {
            assert!(
                MCAST_GROUPS.contains(&g),
                "op {} uses unknown mcgrp {g}",
                s(op, "name")
            );
        }
    }
    assert_eq!(ACCEL_CMD_DEV_GET, 1);
}

#[test]
fn multicast_groups() {
    let spec = spec();
    let groups: Vec<&str> = list(spec.get("mcast-groups").expect("mcast-groups"), "list")
        .iter()
        .map(|g| s(g, "name"))
        .collect();
    assert_eq!(groups, MCAST_GROUPS);
    assert_eq!(ACCEL_MCGRP_MONITOR, "monitor");
}

/// The typed enums emit the numbers of the tables (and so of the spec).
#[test]
fn typed_attributes_use_table_numbers() {
    use netlink_packet_core::{Nla, NLA_TYPE_MASK};
    let pci = PciInfo {
        vendor_id: Some(1),
        device_id: Some(2),
        subsystem_vendor_id: Some(3),
        subsystem_device_id: Some(4),
        revision: Some(5),
        class: Some(6),
        link_speed: Some(7),
        link_width: Some(8),
        link_max_speed: Some(9),
        link_max_width: Some(10),
    };
    let kinds: Vec<u16> = pci.to_nlas().iter().map(Nla::kind).collect();
    assert_eq!(kinds, PCI_ATTRS.iter().map(|a| a.0).collect::<Vec<_>>());
    let dev = Device {
        numa_node: Some(0),
        runtime_suspended: true,
        pci: Some(pci),
        ..Default::default()
    };
    let dev_kinds: Vec<u16> = dev
        .to_nlas()
        .iter()
        .map(|n| n.kind() & NLA_TYPE_MASK)
        .collect();
    let version = Version {
        name: "fw".into(),
        value: "1".into(),
    };
    let info = DeviceInfo {
        serial_number: Some("SN".into()),
        fixed: vec![version.clone()],
        running: vec![version.clone()],
        stored: vec![version],
        ..Default::default()
    };
    let nlas = info.to_nlas();
    // dev-get emits the identity and device attributes, info-get the
    // identity and info attributes: together, every attribute of the set.
    let mut kinds: Vec<u16> = nlas.iter().map(|n| n.kind() & NLA_TYPE_MASK).collect();
    assert_eq!(kinds[..5], dev_kinds[..5], "identity attributes");
    kinds.drain(..5);
    let all: Vec<u16> = dev_kinds.into_iter().chain(kinds).collect();
    assert_eq!(all, DEV_ATTRS.iter().map(|a| a.0).collect::<Vec<_>>());
    let Some(DevAttr::InfoVersionFixed(inner)) = nlas.get(6) else {
        panic!("no fixed version nest in {nlas:?}");
    };
    let kinds: Vec<u16> = inner.iter().map(Nla::kind).collect();
    assert_eq!(
        kinds,
        INFO_VERSION_ATTRS.iter().map(|a| a.0).collect::<Vec<_>>()
    );
}

/// Attribute names of an op's `do`/`dump` `request`/`reply` (YAML anchors
/// such as `*dev-handle` are resolved by the parser).
fn op_attrs(spec: &Value, op: &str, kind: &str, part: &str) -> Vec<String> {
    let ops = list(spec.get("operations").expect("operations"), "list");
    let op_def = ops
        .iter()
        .find(|o| s(o, "name") == op)
        .unwrap_or_else(|| panic!("no op {op}"));
    let part_def = op_def
        .get(kind)
        .and_then(|k| k.get(part))
        .unwrap_or_else(|| panic!("op {op} lacks {kind} {part}"));
    list(part_def, "attributes")
        .iter()
        .map(|a| a.as_str().expect("attribute name").to_string())
        .collect()
}

/// Spec names of the attributes a list of typed attributes carries.
fn names(nlas: &[DevAttr]) -> Vec<String> {
    use netlink_packet_core::{Nla, NLA_TYPE_MASK};
    nlas.iter()
        .map(|n| {
            dev_attr_name(n.kind() & NLA_TYPE_MASK)
                .expect("known attribute")
                .to_string()
        })
        .collect()
}

/// The encoders emit exactly the attributes the spec lists for each reply
/// (a fully populated object: every optional attribute present once), and
/// requests carry only handle attributes the spec accepts.
#[test]
fn replies_and_requests_match_the_spec_attribute_lists() {
    let spec = spec();
    let version = Version {
        name: "fw".into(),
        value: "1".into(),
    };
    let info = DeviceInfo {
        serial_number: Some("SN".into()),
        fixed: vec![version.clone()],
        running: vec![version.clone()],
        stored: vec![version],
        ..Default::default()
    };
    let dev = Device {
        numa_node: Some(0),
        runtime_suspended: true,
        pci: Some(PciInfo::default()),
        ..Default::default()
    };
    for kind in ["do", "dump"] {
        assert_eq!(
            names(&info.to_nlas()),
            op_attrs(&spec, "info-get", kind, "reply")
        );
        assert_eq!(
            names(&dev.to_nlas()),
            op_attrs(&spec, "dev-get", kind, "reply")
        );
        for op in ["dev-get", "info-get"] {
            let accepted = op_attrs(&spec, op, kind, "request");
            for h in [
                DevHandle::Index(0),
                DevHandle::BusDev {
                    bus: "b".into(),
                    dev: "d".into(),
                },
            ] {
                for name in names(&h.to_nlas()) {
                    assert!(accepted.contains(&name), "{op} {kind} request: {name}");
                }
            }
        }
    }
}

/// The multi-attr attributes of the spec are exactly those the crate
/// collects into lists (the version groups), so repeats are never lost.
#[test]
fn multi_attr_attributes() {
    let spec = spec();
    let multi: Vec<&str> = attr_set(&spec, "dev")
        .iter()
        .filter(|a| a.get("multi-attr").and_then(Value::as_bool) == Some(true))
        .map(|a| s(a, "name"))
        .collect();
    assert_eq!(
        multi,
        [
            "info-version-fixed",
            "info-version-running",
            "info-version-stored"
        ]
    );
    for set in ["pci", "info-version"] {
        assert!(
            attr_set(&spec, set)
                .iter()
                .all(|a| a.get("multi-attr").is_none()),
            "set {set} grew a multi-attr attribute"
        );
    }
    let v = |value: &str| Version {
        name: "fw".into(),
        value: value.into(),
    };
    let info = DeviceInfo {
        name: "accel0".into(),
        fixed: vec![v("1"), v("2")],
        running: vec![v("3"), v("4")],
        stored: vec![v("5"), v("6")],
        ..Default::default()
    };
    let decoded = DeviceInfo::try_from(info.to_nlas().as_slice()).expect("decode");
    assert_eq!(decoded, info);
}
