//! Decoding arbitrary bytes never panics; encode→decode round-trips.

use accel_netlink::*;
use netlink_packet_core::{NetlinkMessage, NetlinkPayload, ParseableParametrized};
use netlink_packet_generic::{GenlHeader, GenlMessage};
use proptest::prelude::*;

type Msg = NetlinkMessage<GenlMessage<AccelMessage>>;

fn name() -> impl Strategy<Value = String> {
    // Netlink strings are NUL-terminated, so a NUL inside cannot round-trip.
    "[^\u{0}]{0,40}"
}

prop_compose! {
    fn pci()(ids in proptest::array::uniform4(any::<Option<u32>>()),
             revision in any::<Option<u32>>(),
             links in proptest::array::uniform5(any::<Option<u32>>())) -> PciInfo {
        PciInfo {
            vendor_id: ids[0], device_id: ids[1],
            subsystem_vendor_id: ids[2], subsystem_device_id: ids[3],
            revision, class: links[0], link_speed: links[1], link_width: links[2],
            link_max_speed: links[3], link_max_width: links[4],
        }
    }
}

prop_compose! {
    fn device()(id in any::<u64>(), index in any::<u32>(), name in name(), bus_name in name(),
                dev_name in name(), driver_name in name(), numa_node in any::<Option<u32>>(),
                runtime_suspended in any::<bool>(), pci in proptest::option::of(pci()),
                actions in any::<u32>(), reload_failed in any::<bool>(),
                reload_stats in proptest::collection::vec(reload_stat(), 0..4)) -> Device {
        let dev = DevIdent { id, index, name, bus_name, dev_name };
        Device { dev, driver_name, numa_node, runtime_suspended, pci,
                 reload_actions: actions_from_mask(actions), reload_failed, reload_stats }
    }
}

prop_compose! {
    fn reload_stat()(action in any::<u32>(), limit in any::<u32>(), count in any::<u64>(),
                     remote_count in any::<u64>()) -> ReloadStat {
        ReloadStat { action: ReloadAction::from_u32(action), limit: ReloadLimit::from_u32(limit),
                     count, remote_count }
    }
}

/// A type and a value of that type.
fn typed_value() -> impl Strategy<Value = (ParamType, ParamData)> {
    prop_oneof![
        any::<bool>().prop_map(|b| (ParamType::Bool, ParamData::Bool(b))),
        any::<u32>().prop_map(|v| (ParamType::U32, ParamData::U32(v))),
        any::<u64>().prop_map(|v| (ParamType::U64, ParamData::U64(v))),
        name().prop_map(|s| (ParamType::String, ParamData::String(s))),
        (4u32.., any::<u64>()).prop_map(|(t, v)| (ParamType::Unknown(t), ParamData::Uint(v))),
    ]
}

prop_compose! {
    fn param()(dev in ident(), name in name(), generic in any::<bool>(),
               (ty, value) in typed_value(),
               modes in proptest::collection::vec((any::<u32>(), any::<Option<u32>>()), 0..4))
               -> Param {
        let values = modes.into_iter().map(|(cmode, pending)| ParamValue {
            cmode: ParamCmode::from_u32(cmode),
            value: value.clone(),
            pending: pending.map(ReloadAction::from_u32),
        }).collect();
        Param { dev, name, generic, ty, values }
    }
}

fn versions() -> impl Strategy<Value = Vec<Version>> {
    proptest::collection::vec(
        (name(), name()).prop_map(|(name, value)| Version { name, value }),
        0..6,
    )
}

prop_compose! {
    fn device_info()(id in any::<u64>(), index in any::<u32>(), bus_name in name(),
                     dev_name in name(), error in any::<Option<u32>>(),
                     serial_number in proptest::option::of(name()),
                     fixed in versions(), running in versions(), stored in versions()) -> DeviceInfo {
        // The name is not on the wire outside dev-get: derived from the index.
        let name = format!("accel{index}");
        let dev = DevIdent { id, index, name, bus_name, dev_name };
        DeviceInfo { dev, error, serial_number, fixed, running, stored }
    }
}

prop_compose! {
    fn reporter()(name in name(), error in any::<bool>(), error_count in any::<u64>(),
                  recover_count in any::<u64>(), last_error_ts_ns in any::<Option<u64>>(),
                  last_error_msg in proptest::option::of(name()),
                  grace_period_ms in any::<Option<u64>>(), auto_recover in any::<Option<bool>>(),
                  auto_dump in any::<Option<bool>>(), dump_ts_ns in any::<Option<u64>>())
                  -> HealthReporter {
        HealthReporter {
            name, state: if error { HealthState::Error } else { HealthState::Healthy },
            error_count, recover_count, last_error_ts_ns, last_error_msg, grace_period_ms,
            auto_recover, auto_dump, dump_ts_ns,
        }
    }
}

prop_compose! {
    fn ident()(id in any::<u64>(), index in any::<u32>(), bus_name in name(),
               dev_name in name()) -> DevIdent {
        DevIdent { id, index, name: format!("accel{index}"), bus_name, dev_name }
    }
}

fn fmsg_value() -> impl Strategy<Value = FmsgValue> {
    prop_oneof![
        any::<bool>().prop_map(FmsgValue::Bool),
        any::<u64>().prop_map(FmsgValue::Uint),
        any::<i64>().prop_map(FmsgValue::Sint),
        name().prop_map(FmsgValue::String),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(FmsgValue::Binary),
    ]
}

/// A node of a tree as drivers build it: object members named, array
/// elements not (names are generated everywhere, then dropped by `shape`).
fn fmsg_node() -> impl Strategy<Value = FmsgNode> {
    let leaf = (name(), fmsg_value()).prop_map(|(name, value)| FmsgNode::Value {
        name: Some(name),
        value,
    });
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            (name(), proptest::collection::vec(inner.clone(), 0..5)).prop_map(|(name, members)| {
                FmsgNode::Object {
                    name: Some(name),
                    members: members.into_iter().map(|n| shape(n, true)).collect(),
                }
            }),
            (name(), proptest::collection::vec(inner, 0..5)).prop_map(|(name, elements)| {
                FmsgNode::Array {
                    name: Some(name),
                    elements: elements.into_iter().map(|n| shape(n, false)).collect(),
                }
            }),
        ]
    })
}

/// Keep the node's name if it is an object member, drop it otherwise.
fn shape(node: FmsgNode, named: bool) -> FmsgNode {
    let keep = |name: Option<String>| name.filter(|_| named);
    match node {
        FmsgNode::Value { name, value } => FmsgNode::Value {
            name: keep(name),
            value,
        },
        FmsgNode::Object { name, members } => FmsgNode::Object {
            name: keep(name),
            members,
        },
        FmsgNode::Array { name, elements } => FmsgNode::Array {
            name: keep(name),
            elements,
        },
    }
}

/// Append one attribute (header, payload, padding to 4 bytes).
/// A well-formed handle nest's contents: id 7, index 0, bus/dev names.
fn handle_nest() -> Vec<u8> {
    let mut handle = Vec::new();
    tlv(&mut handle, 1, &7u32.to_ne_bytes());
    tlv(&mut handle, 2, &0u32.to_ne_bytes());
    tlv(&mut handle, 3, b"bus\0");
    tlv(&mut handle, 4, b"dev\0");
    handle
}

fn tlv(buf: &mut Vec<u8>, kind: u16, val: &[u8]) {
    buf.extend_from_slice(&((val.len() + 4) as u16).to_ne_bytes());
    buf.extend_from_slice(&kind.to_ne_bytes());
    buf.extend_from_slice(val);
    buf.resize(buf.len().div_ceil(4) * 4, 0);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Msg::deserialize(&bytes);
        let hdr = GenlHeader { cmd: 1, version: 1 };
        if let Ok(m) = AccelMessage::parse_with_param(&bytes, hdr) {
            let _ = Device::try_from(&m);
            let _ = DeviceInfo::try_from(&m);
            let _ = DevHealthReporter::try_from(&m);
            let _ = HealthFmsg::from_messages([&m]);
        }
    }

    #[test]
    fn attribute_soup_never_panics(
        attrs in proptest::collection::vec((0u16..16, proptest::collection::vec(any::<u8>(), 0..24)), 0..12),
        nested in any::<bool>(),
    ) {
        // Well-formed TLV framing with arbitrary types and payloads reaches
        // the per-attribute parsers (random bytes rarely get that far).
        let mut body = Vec::new();
        for (kind, val) in &attrs {
            // The handle and the nests of every set (by number: 1, 4-6, 12).
            let nest = matches!(*kind, 1 | 4..=6 | 12);
            let k = if nested && nest { kind | 0x8000 } else { *kind };
            tlv(&mut body, k, val);
        }
        for cmd in [ACCEL_CMD_DEV_GET, ACCEL_CMD_INFO_GET, ACCEL_CMD_HEALTH_REPORTER_DIAGNOSE,
                    ACCEL_CMD_FLASH_BEGIN_NTF, ACCEL_CMD_FLASH_STATUS_NTF, ACCEL_CMD_FLASH_END_NTF,
                    ACCEL_CMD_SELFTESTS_RUN, 99] {
            if let Ok(m) = AccelMessage::parse_with_param(&body, GenlHeader { cmd, version: 1 }) {
                let _ = Device::try_from(&m);
                let _ = DeviceInfo::try_from(&m);
                let _ = DevHealthReporter::try_from(&m);
                let _ = HealthFmsg::from_messages([&m]);
                let _ = FlashEvent::try_from(&m);
                let _ = Selftests::try_from(&m);
            }
        }
    }

    #[test]
    fn selftest_and_flash_soup_never_panics(
        tests in proptest::collection::vec(
            proptest::collection::vec((0u16..8, proptest::collection::vec(any::<u8>(), 0..12)), 0..6),
            0..6),
        flash in proptest::collection::vec((2u16..12, proptest::collection::vec(any::<u8>(), 0..12)), 0..8),
    ) {
        // A well-formed handle, then test nests of arbitrary attributes
        // (selftest messages) or flash attributes: reaches every decoder
        // of both views, including their error paths.
        let mut st = Vec::new();
        tlv(&mut st, ACCEL_A_SELFTEST_HANDLE | 0x8000, &handle_nest());
        for t in &tests {
            let mut nest = Vec::new();
            for (kind, val) in t {
                tlv(&mut nest, *kind, val);
            }
            tlv(&mut st, ACCEL_A_SELFTEST_TEST | 0x8000, &nest);
        }
        for cmd in [ACCEL_CMD_SELFTESTS_GET, ACCEL_CMD_SELFTESTS_RUN, ACCEL_CMD_SELFTEST_STATUS_NTF] {
            if let Ok(m) = AccelMessage::parse_with_param(&st, GenlHeader { cmd, version: 1 }) {
                if let Ok(v) = Selftests::try_from(&m) {
                    prop_assert_eq!(Selftests::from_attrs(&v.to_attrs()).ok(), Some(v));
                }
            }
        }
        let mut fl = Vec::new();
        tlv(&mut fl, ACCEL_A_FLASH_HANDLE | 0x8000, &handle_nest());
        for (kind, val) in &flash {
            tlv(&mut fl, *kind, val);
        }
        for cmd in [ACCEL_CMD_FLASH_BEGIN_NTF, ACCEL_CMD_FLASH_STATUS_NTF, ACCEL_CMD_FLASH_END_NTF] {
            if let Ok(m) = AccelMessage::parse_with_param(&fl, GenlHeader { cmd, version: 1 }) {
                let _ = FlashEvent::try_from(&m);
            }
        }
    }

    #[test]
    fn health_nest_soup_never_panics(
        reporter in proptest::collection::vec((0u16..12, proptest::collection::vec(any::<u8>(), 0..12)), 0..8),
        items in proptest::collection::vec(
            proptest::collection::vec((0u16..11, proptest::collection::vec(any::<u8>(), 0..10)), 0..4),
            0..8),
    ) {
        // A well-formed handle, then reporter attributes and tree items of
        // arbitrary attributes: reaches every health decoder and the tree
        // builder, including their error paths.
        let mut body = Vec::new();
        tlv(&mut body, ACCEL_A_HEALTH_REPORTER_HANDLE | 0x8000, &handle_nest());
        for (kind, val) in &reporter {
            // Reporter attributes other than the handle and the tree items.
            tlv(&mut body, kind % 10 + 2, val);
        }
        for item in &items {
            let mut nest = Vec::new();
            for (kind, val) in item {
                tlv(&mut nest, *kind, val);
            }
            tlv(&mut body, ACCEL_A_HEALTH_REPORTER_TREE_ITEM | 0x8000, &nest);
        }
        let cmd = ACCEL_CMD_HEALTH_REPORTER_DIAGNOSE;
        if let Ok(m) = AccelMessage::parse_with_param(&body, GenlHeader { cmd, version: 1 }) {
            let _ = DevHealthReporter::try_from(&m);
            let _ = HealthFmsg::from_messages([&m, &m]);
        }
    }

    #[test]
    fn item_sequences_never_panic(
        kinds in proptest::collection::vec(0u32..5, 0..80),
    ) {
        // Any order of starts, ends and values (most unbalanced, some too
        // deep): an error or a tree, never a panic.
        let mut b = FmsgTreeBuilder::new();
        let mut failed = false;
        for k in kinds {
            let mut nlas = vec![TreeItemAttr::Kind(k)];
            if k == ACCEL_TREE_ITEM_KIND_VALUE {
                nlas.push(TreeItemAttr::ValueUint(u64::from(k)));
            }
            match FmsgItem::from_attrs(&nlas) {
                Ok(item) if !failed => failed = b.push(item).is_err(),
                _ => {}
            }
        }
        if !failed {
            let _ = b.finish();
        }
    }

    #[test]
    fn health_reporter_round_trips(dev in ident(), reporter in reporter(), cmd in 6u8..18) {
        let r = DevHealthReporter { dev, reporter };
        let bytes = to_bytes(&health_reporter_message(0x1c, 1, AccelCmd::from(cmd), &r));
        let msg = Msg::deserialize(&bytes).expect("decode");
        let NetlinkPayload::InnerMessage(genl) = msg.payload else {
            return Err(TestCaseError::fail("not an inner message"));
        };
        prop_assert_eq!(u8::from(genl.payload.cmd), cmd);
        prop_assert_eq!(DevHealthReporter::try_from(&genl.payload).expect("reporter"), r);
    }

    #[test]
    fn fmsg_tree_round_trips_split_anywhere(
        dev in ident(),
        reporter in reporter(),
        tree in proptest::collection::vec(fmsg_node(), 0..6),
        per_message in 1usize..8,
    ) {
        let fmsg = HealthFmsg { dev, reporter, tree };
        let msgs = health_fmsg_messages(0x1c, 3, AccelCmd::HealthReporterDumpGet, &fmsg, per_message);
        let mut asm = FmsgAssembler::new();
        for m in &msgs {
            let back = Msg::deserialize(&to_bytes(m)).expect("decode");
            let NetlinkPayload::InnerMessage(genl) = back.payload else {
                return Err(TestCaseError::fail("not an inner message"));
            };
            asm.push(&genl.payload).expect("push");
        }
        prop_assert_eq!(asm.finish().expect("finish"), fmsg);
    }

    #[test]
    fn version_nest_soup_never_panics(
        group in ACCEL_A_INFO_VERSION_FIXED..=ACCEL_A_INFO_VERSION_STORED,
        inner in proptest::collection::vec((0u16..4, proptest::collection::vec(any::<u8>(), 0..12)), 0..5),
    ) {
        // Well-formed nests of version attributes with arbitrary kinds and
        // payloads: reaches Version::from_nlas, including its error paths.
        let mut body = Vec::new();
        tlv(&mut body, ACCEL_A_INFO_HANDLE | 0x8000, &handle_nest());
        let mut nest = Vec::new();
        for (kind, val) in &inner {
            tlv(&mut nest, *kind, val);
        }
        tlv(&mut body, group | 0x8000, &nest);
        if let Ok(m) = AccelMessage::parse_with_param(&body, GenlHeader { cmd: 4, version: 1 }) {
            let _ = DeviceInfo::try_from(&m);
        }
    }

    #[test]
    fn param_round_trips(p in param(), cmd in prop_oneof![Just(AccelCmd::ParamGet), Just(AccelCmd::ParamChangeNtf)]) {
        let bytes = to_bytes(&param_message(0x1c, 1, cmd, &p));
        let msg = Msg::deserialize(&bytes).expect("decode");
        let NetlinkPayload::InnerMessage(genl) = msg.payload else {
            return Err(TestCaseError::fail("not an inner message"));
        };
        prop_assert_eq!(genl.payload.cmd, cmd);
        prop_assert_eq!(Param::try_from(&genl.payload).expect("param"), p);
    }

    #[test]
    fn reload_reply_round_trips(dev in ident(), mask in any::<u32>()) {
        let r = ReloadReply { dev, actions_performed: actions_from_mask(mask) };
        let bytes = to_bytes(&reload_reply(0x1c, 1, &r));
        let msg = Msg::deserialize(&bytes).expect("decode");
        let NetlinkPayload::InnerMessage(genl) = msg.payload else {
            return Err(TestCaseError::fail("not an inner message"));
        };
        prop_assert_eq!(ReloadReply::try_from(&genl.payload).expect("reload"), r);
    }

    #[test]
    fn param_nest_soup_never_panics(
        top in proptest::collection::vec((0u16..10, proptest::collection::vec(any::<u8>(), 0..12)), 0..6),
        values in proptest::collection::vec(
            proptest::collection::vec((0u16..6, proptest::collection::vec(any::<u8>(), 0..10)), 0..4),
            0..4),
    ) {
        // A well-formed handle, then param attributes and value nests of
        // arbitrary attributes: every param decoder and its error paths.
        let mut body = Vec::new();
        tlv(&mut body, ACCEL_A_PARAM_HANDLE | 0x8000, &handle_nest());
        for (kind, val) in &top {
            tlv(&mut body, *kind, val);
        }
        for v in &values {
            let mut nest = Vec::new();
            for (kind, val) in v {
                tlv(&mut nest, *kind, val);
            }
            tlv(&mut body, ACCEL_A_PARAM_VALUE | 0x8000, &nest);
        }
        for cmd in [ACCEL_CMD_PARAM_GET, ACCEL_CMD_RELOAD, ACCEL_CMD_DEV_CHANGE_NTF] {
            if let Ok(m) = AccelMessage::parse_with_param(&body, GenlHeader { cmd, version: 1 }) {
                let _ = Param::try_from(&m);
                let _ = ReloadReply::try_from(&m);
                let _ = Device::try_from(&m);
            }
        }
    }

    #[test]
    fn uint_words(v in any::<u64>()) {
        prop_assert_eq!(parse_uint_word(&v.to_string()), Some(v));
        prop_assert_eq!(parse_uint_word(&format!("{v:#x}")), Some(v));
        prop_assert_eq!(parse_uint_word(&format!("-{v}")), None);
    }

    #[test]
    fn device_round_trips(dev in device(), seq in any::<u32>(), fam in 0x10u16..0xffff) {
        let bytes = to_bytes(&dev_get_reply(fam, seq, &dev));
        let msg = Msg::deserialize(&bytes).expect("decode");
        prop_assert_eq!(msg.header.sequence_number, seq);
        prop_assert_eq!(msg.header.message_type, fam);
        let NetlinkPayload::InnerMessage(genl) = msg.payload else {
            return Err(TestCaseError::fail("not an inner message"));
        };
        prop_assert_eq!(Device::try_from(&genl.payload).expect("device"), dev);
    }

    #[test]
    fn device_info_round_trips(info in device_info(), seq in any::<u32>(), fam in 0x10u16..0xffff) {
        let bytes = to_bytes(&info_message(fam, seq, AccelCmd::InfoGet, &info));
        let msg = Msg::deserialize(&bytes).expect("decode");
        let NetlinkPayload::InnerMessage(genl) = msg.payload else {
            return Err(TestCaseError::fail("not an inner message"));
        };
        prop_assert_eq!(genl.payload.cmd, AccelCmd::InfoGet);
        prop_assert_eq!(DeviceInfo::try_from(&genl.payload).expect("info"), info);
    }
}
