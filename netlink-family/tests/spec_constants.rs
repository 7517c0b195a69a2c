//! Every constant, name and type of the crate against accel.yaml.
//!
//! Values are derived from the spec the way ynl-gen-c does (attributes and
//! operations numbered from 1 in list order, entries of `definitions` enums
//! from 0, unless an entry has an explicit `value:`), never hard-coded here.

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

/// (value, name) pairs numbered as YNL does for attributes and ops: from 1,
/// or an explicit `value:`.
fn numbered(entries: &[Value]) -> Vec<(u64, String)> {
    numbered_from(entries, 1)
}

fn numbered_from(entries: &[Value], first: u64) -> Vec<(u64, String)> {
    let mut next = first;
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
fn health_reporter_attribute_set() {
    check_set(&spec(), "health-reporter", HEALTH_REPORTER_ATTRS);
}

#[test]
fn fmsg_item_attribute_set() {
    check_set(&spec(), "fmsg-item", FMSG_ITEM_ATTRS);
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
        ["dev", "info-version", "health-reporter", "fmsg-item", "pci"],
        "a new attribute set needs typed attributes here"
    );
}

/// Entries of a `definitions` enum, numbered as ynl-gen-c does: from
/// `value-start` (default 0).
fn enum_entries(spec: &Value, name: &str) -> Vec<(u64, String)> {
    let def = list(spec, "definitions")
        .iter()
        .find(|d| s(d, "name") == name)
        .unwrap_or_else(|| panic!("no definition {name}"));
    assert_eq!(s(def, "type"), "enum", "{name} is not an enum");
    let start = def.get("value-start").and_then(Value::as_u64).unwrap_or(0);
    numbered_from(list(def, "entries"), start)
}

fn check_enum(spec: &Value, name: &str, ours: &[(u8, &str)]) {
    let entries = enum_entries(spec, name);
    let ours: Vec<(u64, String)> = ours
        .iter()
        .map(|(v, n)| (u64::from(*v), n.to_string()))
        .collect();
    assert_eq!(ours, entries, "enum {name}");
}

#[test]
fn definitions() {
    let spec = spec();
    let names: Vec<&str> = list(&spec, "definitions")
        .iter()
        .map(|d| s(d, "name"))
        .collect();
    assert_eq!(
        names,
        ["health-state", "fmsg-kind"],
        "a new definition needs a table here"
    );
    check_enum(&spec, "health-state", HEALTH_STATES);
    check_enum(&spec, "fmsg-kind", FMSG_KINDS);
    // The typed enum agrees with the table in both directions.
    for (v, name) in HEALTH_STATES {
        let state = HealthState::from_u8(*v).expect("typed state");
        assert_eq!(state.as_str(), *name);
        assert_eq!(state.to_u8(), *v);
    }
    assert_eq!(HealthState::from_u8(HEALTH_STATES.len() as u8), None);
    // Attributes that carry an enum name the definition the crate uses.
    for (set, attr, def) in [
        ("health-reporter", "state", "health-state"),
        ("fmsg-item", "kind", "fmsg-kind"),
    ] {
        let a = attr_set(&spec, set)
            .iter()
            .find(|a| s(a, "name") == attr)
            .unwrap_or_else(|| panic!("no {set}.{attr}"));
        assert_eq!(s(a, "enum"), def, "{set}.{attr}");
    }
}

/// Limits the crate checks before sending match the spec's `checks`.
#[test]
fn checks() {
    let spec = spec();
    let grace = attr_set(&spec, "health-reporter")
        .iter()
        .find(|a| s(a, "name") == "grace-period")
        .expect("health-reporter.grace-period");
    let max = grace
        .get("checks")
        .and_then(|c| c.get("max"))
        .and_then(Value::as_u64)
        .expect("grace-period checks: max");
    assert_eq!(GRACE_PERIOD_MAX_MS, max);
}

/// Every fmsg kind decodes to the item the table names it for.
#[test]
fn fmsg_kinds_decode_as_named() {
    for (kind, name) in FMSG_KINDS {
        let mut nlas = vec![FmsgItemAttr::Kind(*kind)];
        if *name == "value" {
            nlas.push(FmsgItemAttr::ValueU8(1));
        }
        let item = FmsgItem::from_nlas(&nlas).expect("item");
        let got = match item {
            FmsgItem::ObjectStart { .. } => "object",
            FmsgItem::ArrayStart { .. } => "array",
            FmsgItem::End => "end",
            FmsgItem::Value { .. } => "value",
        };
        assert_eq!(got, *name);
        assert_eq!(item.to_nlas()[0], FmsgItemAttr::Kind(*kind));
    }
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
    // identity and info attributes, diagnose the identity and health
    // attributes: together, every attribute of the set.
    let mut kinds: Vec<u16> = nlas.iter().map(|n| n.kind() & NLA_TYPE_MASK).collect();
    assert_eq!(kinds[..5], dev_kinds[..5], "identity attributes");
    kinds.drain(..5);
    let mut health_kinds: Vec<u16> = full_fmsg().to_messages_nlas(1)[0]
        .iter()
        .map(|n| n.kind() & NLA_TYPE_MASK)
        .collect();
    assert_eq!(health_kinds[..5], dev_kinds[..5], "identity attributes");
    health_kinds.drain(..5);
    let all: Vec<u16> = dev_kinds
        .into_iter()
        .chain(kinds)
        .chain(health_kinds)
        .collect();
    assert_eq!(all, DEV_ATTRS.iter().map(|a| a.0).collect::<Vec<_>>());
    let kinds: Vec<u16> = full_reporter().to_nlas().iter().map(Nla::kind).collect();
    assert_eq!(
        kinds,
        HEALTH_REPORTER_ATTRS
            .iter()
            .map(|a| a.0)
            .collect::<Vec<_>>()
    );
    // kind, name and each value attribute, in table order.
    let values = [
        FmsgValue::Bool(true),
        FmsgValue::U8(1),
        FmsgValue::U32(1),
        FmsgValue::U64(1),
        FmsgValue::S64(1),
        FmsgValue::String("s".into()),
        FmsgValue::Binary(vec![1]),
    ];
    for (value, def) in values.into_iter().zip(&FMSG_ITEM_ATTRS[2..]) {
        let item = FmsgItem::Value {
            name: Some("n".into()),
            value,
        };
        let kinds: Vec<u16> = item.to_nlas().iter().map(Nla::kind).collect();
        assert_eq!(kinds, [FMSG_ITEM_ATTRS[0].0, FMSG_ITEM_ATTRS[1].0, def.0]);
    }
    let Some(DevAttr::InfoVersionFixed(inner)) = nlas.get(6) else {
        panic!("no fixed version nest in {nlas:?}");
    };
    let kinds: Vec<u16> = inner.iter().map(Nla::kind).collect();
    assert_eq!(
        kinds,
        INFO_VERSION_ATTRS.iter().map(|a| a.0).collect::<Vec<_>>()
    );
}

/// A reporter with every optional attribute present.
fn full_reporter() -> HealthReporter {
    HealthReporter {
        name: "fw".into(),
        state: HealthState::Error,
        error_count: 1,
        recover_count: 0,
        last_error_ts_ns: Some(1),
        last_error_msg: Some("m".into()),
        grace_period_ms: Some(0),
        auto_recover: Some(true),
        auto_dump: Some(true),
        dump_ts_ns: Some(2),
    }
}

fn full_fmsg() -> HealthFmsg {
    HealthFmsg {
        dev: DevIdent::default(),
        reporter: full_reporter(),
        tree: vec![FmsgNode::Value {
            name: Some("v".into()),
            value: FmsgValue::U8(1),
        }],
    }
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
            attr_name(None, n.kind() & NLA_TYPE_MASK)
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
        let health = DevHealthReporter {
            dev: DevIdent::default(),
            reporter: full_reporter(),
        };
        assert_eq!(
            names(&health.to_nlas()),
            op_attrs(&spec, "health-reporter-get", kind, "reply")
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

/// The diagnose and dump-get replies carry the spec's attributes, fmsg
/// repeated; every health request carries only attributes its op accepts,
/// with do/dump as the op defines it.
#[test]
fn health_requests_and_fmsg_replies_match_the_spec() {
    use netlink_packet_core::{NetlinkPayload, NLM_F_ACK, NLM_F_DUMP};
    let spec = spec();
    for op in ["health-reporter-diagnose", "health-reporter-dump-get"] {
        let mut got = names(&full_fmsg().to_messages_nlas(1)[0]);
        got.dedup();
        assert_eq!(got, op_attrs(&spec, op, "dump", "reply"), "{op}");
    }
    let params = HealthReporterParams {
        grace_period_ms: Some(1),
        auto_recover: Some(true),
        auto_dump: Some(false),
    };
    for h in [
        DevHandle::Index(0),
        DevHandle::BusDev {
            bus: "b".into(),
            dev: "d".into(),
        },
    ] {
        let requests = [
            (
                "health-reporter-get",
                health_reporter_get_do(1, 1, &h, "fw"),
            ),
            (
                "health-reporter-get",
                health_reporter_get_dump(1, 1, Some(&h)),
            ),
            (
                "health-reporter-set",
                health_reporter_set(1, 1, &h, "fw", &params),
            ),
            (
                "health-reporter-recover",
                health_reporter_recover(1, 1, &h, "fw"),
            ),
            (
                "health-reporter-diagnose",
                health_reporter_diagnose(1, 1, &h, "fw"),
            ),
            (
                "health-reporter-dump-get",
                health_reporter_dump_get(1, 1, &h, "fw"),
            ),
            (
                "health-reporter-dump-clear",
                health_reporter_dump_clear(1, 1, &h, "fw"),
            ),
            ("health-reporter-test", health_reporter_test(1, 1, &h, "fw")),
        ];
        for (op, msg) in requests {
            let kind = if msg.header.flags & NLM_F_DUMP == NLM_F_DUMP {
                "dump"
            } else {
                assert_ne!(msg.header.flags & NLM_F_ACK, 0, "{op}: do without ACK");
                "do"
            };
            let NetlinkPayload::InnerMessage(genl) = &msg.payload else {
                panic!("{op}: not a genl message");
            };
            let cmd = u8::from(genl.payload.cmd);
            assert_eq!(OPS.iter().find(|(c, _)| *c == cmd).map(|o| o.1), Some(op));
            let accepted = op_attrs(&spec, op, kind, "request");
            for name in names(&genl.payload.nlas) {
                assert!(accepted.contains(&name), "{op} {kind} request: {name}");
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
            "info-version-stored",
            "fmsg"
        ]
    );
    for set in ["pci", "info-version", "health-reporter", "fmsg-item"] {
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
