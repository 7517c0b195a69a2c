//! Golden bytes: messages laid out here with a minimal TLV writer and the
//! attribute numbers of the spec written as literals (not the crate's
//! constants), checked against the crate's encoder and decoder. Host byte
//! order is little endian.
#![cfg(target_endian = "little")]

use accel_netlink::*;
use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_generic::GenlMessage;

type Msg = NetlinkMessage<GenlMessage<AccelMessage>>;

const FAMILY: u16 = 0x1c;
const NESTED: u16 = 0x8000;

/// One attribute: length, type, payload, padding to 4 bytes.
fn nla(kind: u16, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len() + 4).expect("small attribute");
    let mut v = len.to_le_bytes().to_vec();
    v.extend(kind.to_le_bytes());
    v.extend(payload);
    v.resize(v.len().next_multiple_of(4), 0);
    v
}

fn u32le(v: u32) -> Vec<u8> {
    v.to_le_bytes().to_vec()
}

fn cstr(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}

/// A whole message: nlmsghdr (flags, seq, pid 0), genlmsghdr (cmd,
/// version 1), attributes.
fn message(flags: u16, seq: u32, cmd: u8, attrs: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = attrs.concat();
    let len = u32::try_from(16 + 4 + body.len()).expect("small message");
    let mut v = len.to_le_bytes().to_vec();
    v.extend(FAMILY.to_le_bytes());
    v.extend(flags.to_le_bytes());
    v.extend(seq.to_le_bytes());
    v.extend(0u32.to_le_bytes());
    v.extend([cmd, 1, 0, 0]);
    v.extend(body);
    v
}

fn decode(bytes: &[u8]) -> AccelMessage {
    match Msg::deserialize(bytes).expect("decode").payload {
        NetlinkPayload::InnerMessage(genl) => genl.payload,
        other => panic!("unexpected payload {other:?}"),
    }
}

/// The handle nest of a reply: id (uint, 4 bytes when it fits), index,
/// bus-name, dev-name.
fn handle(id: u32, index: u32, bus: &str, dev: &str) -> Vec<u8> {
    nla(
        1 | NESTED,
        &[
            nla(1, &u32le(id)),
            nla(2, &u32le(index)),
            nla(3, &cstr(bus)),
            nla(4, &cstr(dev)),
        ]
        .concat(),
    )
}

const REQ_ACK: u16 = 0x05; // NLM_F_REQUEST | NLM_F_ACK
const REQ_DUMP: u16 = 0x301; // NLM_F_REQUEST | NLM_F_DUMP

#[test]
fn dev_get_requests_nest_the_handle() {
    let by_index = message(REQ_ACK, 1, 1, &[nla(1 | NESTED, &nla(2, &u32le(7)))]);
    assert_eq!(
        to_bytes(&dev_get_do(FAMILY, 1, &DevHandle::Index(7))),
        by_index
    );
    let h = DevHandle::BusDev {
        bus: "pci".into(),
        dev: "abcd".into(),
    };
    let by_name = message(
        REQ_DUMP,
        9,
        1,
        &[nla(
            1 | NESTED,
            &[nla(3, &cstr("pci")), nla(4, &cstr("abcd"))].concat(),
        )],
    );
    assert_eq!(to_bytes(&dev_get_dump(FAMILY, 9, Some(&h))), by_name);
    assert_eq!(
        decode(&by_name).attrs,
        Attrs::Dev(vec![DevAttr::Handle(h.to_handle())])
    );
    // A dump without a filter carries no attribute at all.
    assert_eq!(
        to_bytes(&dev_get_dump(FAMILY, 2, None)),
        message(REQ_DUMP, 2, 1, &[])
    );
}

#[test]
fn dev_reply_decodes() {
    let pci = nla(
        6 | NESTED,
        &[
            nla(1, &u32le(0x1234)),
            nla(2, &u32le(0x10e8)),
            nla(5, &u32le(0x10)),
            nla(6, &u32le(0xff0000)),
            nla(9, &u32le(16000)),
            nla(10, &u32le(8)),
        ]
        .concat(),
    );
    let reply = message(
        0x02,
        3,
        1,
        &[
            handle(5, 2, "pci", "0000:03:00.0"),
            nla(2, &cstr("accel2")),
            nla(3, &cstr("accel_sim")),
            nla(4, &u32le(1)),
            nla(5, &[]),
            nla(99, &[0xaa, 0xbb, 0xcc, 0xdd]), // unknown: kept, ignored
            pci,
        ],
    );
    let dev = Device::try_from(&decode(&reply)).expect("device");
    assert_eq!(
        dev,
        Device {
            dev: DevIdent {
                id: 5,
                index: 2,
                name: "accel2".into(),
                bus_name: "pci".into(),
                dev_name: "0000:03:00.0".into(),
            },
            driver_name: "accel_sim".into(),
            numa_node: Some(1),
            runtime_suspended: true,
            pci: Some(PciInfo {
                vendor_id: Some(0x1234),
                device_id: Some(0x10e8),
                revision: Some(0x10),
                class: Some(0xff0000),
                link_max_speed: Some(16000),
                link_max_width: Some(8),
                ..Default::default()
            }),
            ..Default::default()
        }
    );
    // The same device encodes back to the same attributes (minus the
    // unknown one, in the crate's order: handle, name, driver, ...).
    let again = to_bytes(&dev_get_reply(FAMILY, 3, &dev));
    assert_eq!(Device::try_from(&decode(&again)).expect("again"), dev);
}

#[test]
fn dev_reply_without_handle_or_driver_is_an_error() {
    let no_driver = message(
        0x02,
        3,
        1,
        &[handle(5, 2, "pci", "x"), nla(2, &cstr("accel2"))],
    );
    let e = Device::try_from(&decode(&no_driver))
        .unwrap_err()
        .to_string();
    assert!(e.contains("driver-name"), "{e}");
    let no_id = message(
        0x02,
        3,
        1,
        &[
            nla(
                1 | NESTED,
                &[nla(2, &u32le(2)), nla(3, &cstr("pci")), nla(4, &cstr("x"))].concat(),
            ),
            nla(3, &cstr("accel_sim")),
        ],
    );
    let e = Device::try_from(&decode(&no_id)).unwrap_err().to_string();
    assert!(e.contains("handle id"), "{e}");
}

#[test]
fn large_ids_take_8_bytes() {
    let id = (1u64 << 40) + 3;
    let reply = message(
        0x02,
        3,
        1,
        &[
            nla(
                1 | NESTED,
                &[
                    nla(1, &id.to_le_bytes()),
                    nla(2, &u32le(0)),
                    nla(3, &cstr("b")),
                    nla(4, &cstr("d")),
                ]
                .concat(),
            ),
            nla(3, &cstr("drv")),
        ],
    );
    let dev = Device::try_from(&decode(&reply)).expect("device");
    assert_eq!(dev.dev.id, id);
    assert_eq!(
        dev.dev.name, "accel0",
        "derived from the index when not sent"
    );
}

fn version(name: &str, value: &str) -> Vec<u8> {
    [nla(1, &cstr(name)), nla(2, &cstr(value))].concat()
}

#[test]
fn info_reply_with_versions_and_failed_device() {
    let ok = message(
        0x02,
        4,
        4,
        &[
            handle(2, 1, "accel_sim", "accel_sim1"),
            nla(3, &cstr("SN1")),
            nla(4 | NESTED, &version("board.id", "B1")),
            nla(5 | NESTED, &version("fw", "1.0")),
            nla(6 | NESTED, &version("fw", "1.1")),
        ],
    );
    let info = DeviceInfo::try_from(&decode(&ok)).expect("info");
    assert_eq!(info.dev.id, 2);
    assert_eq!(info.serial_number.as_deref(), Some("SN1"));
    assert_eq!(info.fixed[0].name, "board.id");
    assert_eq!(info.pending_activation(), ["fw"]);
    assert_eq!(info.error, None);
    let failed = message(
        0x02,
        4,
        4,
        &[handle(3, 2, "accel_sim", "accel_sim2"), nla(2, &u32le(22))],
    );
    let info = DeviceInfo::try_from(&decode(&failed)).expect("failed device");
    assert_eq!(info.error, Some(22));
    assert_eq!(info.dev.name, "accel2");
    // Round trip through the encoder.
    assert_eq!(
        DeviceInfo::try_from(&decode(&to_bytes(&info_get_reply(FAMILY, 4, &info)))).expect("rt"),
        info
    );
}

#[test]
fn info_split_over_messages_merges() {
    let first = message(
        0x02,
        4,
        4,
        &[
            handle(2, 1, "s", "d"),
            nla(3, &cstr("SN")),
            nla(5 | NESTED, &version("fw", "1")),
        ],
    );
    let next = message(
        0x02,
        4,
        4,
        &[
            handle(2, 1, "s", "d"),
            nla(5 | NESTED, &version("fw.mgmt", "2")),
        ],
    );
    let other = message(0x02, 4, 4, &[handle(3, 2, "s", "e")]);
    let mut a = DeviceInfo::try_from(&decode(&first)).expect("first");
    let b = DeviceInfo::try_from(&decode(&next)).expect("next");
    let c = DeviceInfo::try_from(&decode(&other)).expect("other");
    assert!(a.continued_by(&b));
    assert!(!a.continued_by(&c));
    a.merge(b);
    assert_eq!(a.serial_number.as_deref(), Some("SN"));
    let names: Vec<&str> = a.running.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["fw", "fw.mgmt"]);
}

#[test]
fn health_requests() {
    let dev = DevHandle::Index(0);
    let get = message(
        REQ_ACK,
        5,
        6,
        &[nla(1 | NESTED, &nla(2, &u32le(0))), nla(2, &cstr("fw"))],
    );
    assert_eq!(
        to_bytes(&health_reporter_get_do(FAMILY, 5, &dev, "fw")),
        get
    );
    let params = HealthReporterParams {
        grace_period_ms: Some(5),
        auto_recover: Some(false),
        auto_dump: Some(true),
    };
    let set = message(
        REQ_ACK,
        6,
        7,
        &[
            nla(1 | NESTED, &nla(2, &u32le(0))),
            nla(2, &cstr("fw")),
            nla(8, &u32le(5)),
            nla(9, &u32le(0)),
            nla(10, &u32le(1)),
        ],
    );
    assert_eq!(
        to_bytes(&health_reporter_set(FAMILY, 6, &dev, "fw", &params)),
        set
    );
    let recover = message(
        REQ_ACK,
        7,
        8,
        &[nla(1 | NESTED, &nla(2, &u32le(0))), nla(2, &cstr("fw"))],
    );
    assert_eq!(
        to_bytes(&health_reporter_recover(FAMILY, 7, &dev, "fw")),
        recover
    );
    let diagnose = message(
        REQ_DUMP,
        8,
        9,
        &[nla(1 | NESTED, &nla(2, &u32le(0))), nla(2, &cstr("fw"))],
    );
    assert_eq!(
        to_bytes(&health_reporter_diagnose(FAMILY, 8, &dev, "fw")),
        diagnose
    );
}

#[test]
fn health_reporter_reply_decodes_and_keeps_unknown_states() {
    let reply = message(
        0x02,
        5,
        6,
        &[
            handle(9, 0, "accel_sim", "accel_sim0"),
            nla(2, &cstr("dummy")),
            nla(3, &u32le(1)),
            nla(4, &u32le(3)),
            nla(5, &u32le(2)),
            nla(6, &1_700_000_000_123_456_789u64.to_le_bytes()),
            nla(7, &cstr("boom")),
            nla(8, &u32le(100)),
            nla(9, &u32le(1)),
            nla(10, &u32le(0)),
        ],
    );
    let r = DevHealthReporter::try_from(&decode(&reply)).expect("reporter");
    assert_eq!(r.dev.id, 9);
    assert_eq!(r.reporter.name, "dummy");
    assert_eq!(r.reporter.state, HealthState::Error);
    assert_eq!((r.reporter.error_count, r.reporter.recover_count), (3, 2));
    assert_eq!(r.reporter.last_error_ts_ns, Some(1_700_000_000_123_456_789));
    assert_eq!(r.reporter.grace_period_ms, Some(100));
    assert_eq!(
        (r.reporter.auto_recover, r.reporter.auto_dump),
        (Some(true), Some(false))
    );
    let newer = message(
        0x02,
        5,
        6,
        &[
            handle(9, 0, "s", "d"),
            nla(2, &cstr("x")),
            nla(3, &u32le(7)),
            nla(4, &u32le(0)),
            nla(5, &u32le(0)),
        ],
    );
    let r = DevHealthReporter::try_from(&decode(&newer)).expect("newer kernel");
    assert_eq!(r.reporter.state, HealthState::Unknown(7));
    assert_eq!(r.reporter.state.as_str(), "unknown");
}

#[test]
fn tree_items_on_the_wire() {
    // object "o" { uint "a" 1 }, sint -2 (8-byte sint: below i32::MIN), end
    let items = [
        nla(
            12 | NESTED,
            &[nla(1, &u32le(0)), nla(2, &cstr("o"))].concat(),
        ),
        nla(
            12 | NESTED,
            &[nla(1, &u32le(3)), nla(2, &cstr("a")), nla(4, &u32le(1))].concat(),
        ),
        nla(12 | NESTED, &nla(1, &u32le(2))),
        nla(
            12 | NESTED,
            &[
                nla(1, &u32le(3)),
                nla(2, &cstr("s")),
                nla(5, &(-(1i64 << 40)).to_le_bytes()),
            ]
            .concat(),
        ),
    ];
    let mut attrs = vec![
        handle(1, 0, "b", "d"),
        nla(2, &cstr("r")),
        nla(3, &u32le(0)),
        nla(4, &u32le(0)),
        nla(5, &u32le(0)),
    ];
    attrs.extend(items);
    let bytes = message(0x02, 1, 9, &attrs);
    let tree = HealthFmsg::from_messages([&decode(&bytes)]).expect("tree");
    assert_eq!(
        tree.tree,
        vec![
            FmsgNode::Object {
                name: Some("o".into()),
                members: vec![FmsgNode::Value {
                    name: Some("a".into()),
                    value: FmsgValue::Uint(1)
                }],
            },
            FmsgNode::Value {
                name: Some("s".into()),
                value: FmsgValue::Sint(-(1i64 << 40))
            },
        ]
    );
    let again = health_fmsg_messages(FAMILY, 1, AccelCmd::HealthReporterDiagnose, &tree, 10);
    assert_eq!(again.len(), 1);
    assert_eq!(
        to_bytes(&again[0])[16..],
        bytes[16..],
        "same attributes after the nlmsghdr"
    );
}

#[test]
fn invalid_utf8_strings_decode_lossily() {
    let reply = message(
        0x02,
        3,
        1,
        &[
            nla(
                1 | NESTED,
                &[
                    nla(1, &u32le(1)),
                    nla(2, &u32le(0)),
                    nla(3, b"p\xffi\0"),
                    nla(4, b"d\0"),
                ]
                .concat(),
            ),
            nla(3, b"drv\xc3\0"),
        ],
    );
    let dev = Device::try_from(&decode(&reply)).expect("lossy");
    assert_eq!(dev.dev.bus_name, "p\u{fffd}i");
    assert_eq!(dev.driver_name, "drv\u{fffd}");
}

#[test]
fn extack_offsets_name_attributes_per_object() {
    // In a health-reporter-set request: handle nest (1), its index (2),
    // name (2), grace-period (8).
    assert_eq!(
        attr_name(AccelCmd::HealthReporterSet, None, 1),
        Some("handle")
    );
    assert_eq!(
        attr_name(AccelCmd::HealthReporterSet, Some(1), 2),
        Some("index")
    );
    assert_eq!(
        attr_name(AccelCmd::HealthReporterSet, None, 8),
        Some("grace-period")
    );
    assert_eq!(attr_name(AccelCmd::DevGet, None, 6), Some("pci"));
    assert_eq!(attr_name(AccelCmd::DevGet, Some(6), 1), Some("vendor-id"));
    assert_eq!(attr_name(AccelCmd::InfoGet, Some(5), 2), Some("value"));
    assert_eq!(attr_name(AccelCmd::InfoGet, None, 40), None);
    assert_eq!(attr_name(AccelCmd::Other(99), None, 1), None);
}

fn u64le(v: u64) -> Vec<u8> {
    v.to_le_bytes().to_vec()
}

#[test]
fn param_requests() {
    let dev = DevHandle::Index(1);
    let idx = || nla(1 | NESTED, &nla(2, &u32le(1)));
    // param-get do (cmd 20): handle, name (2).
    assert_eq!(
        to_bytes(&param_get_do(FAMILY, 3, &dev, "job_timeout_ms")),
        message(REQ_ACK, 3, 20, &[idx(), nla(2, &cstr("job_timeout_ms"))])
    );
    assert_eq!(
        to_bytes(&param_get_dump(FAMILY, 4, Some(&dev))),
        message(REQ_DUMP, 4, 20, &[idx()])
    );
    // param-set (cmd 21): handle, name, cmode (6), value-uint (7, 4 bytes
    // when it fits), value-string (8): a number is sent in both forms.
    let v = ParamSetValue::from_text("20000");
    assert_eq!(
        to_bytes(&param_set(
            FAMILY,
            5,
            &dev,
            "job_timeout_ms",
            ParamCmode::Driverinit,
            &v
        )),
        message(
            REQ_ACK,
            5,
            21,
            &[
                idx(),
                nla(2, &cstr("job_timeout_ms")),
                nla(6, &u32le(1)),
                nla(7, &u32le(20000)),
                nla(8, &cstr("20000")),
            ]
        )
    );
    // A u64 above 2^32 takes 8 bytes; a bool word is 1; text only a string.
    let big = ParamSetValue::from_text("0x100000000");
    assert_eq!(big.uint, Some(1 << 32));
    assert_eq!(
        to_bytes(&param_set(
            FAMILY,
            6,
            &dev,
            "accel_sim.test_u64",
            ParamCmode::Permanent,
            &big
        )),
        message(
            REQ_ACK,
            6,
            21,
            &[
                idx(),
                nla(2, &cstr("accel_sim.test_u64")),
                nla(6, &u32le(2)),
                nla(7, &u64le(1 << 32)),
                nla(8, &cstr("0x100000000")),
            ]
        )
    );
    assert_eq!(ParamSetValue::from_text("on").uint, Some(1));
    assert_eq!(ParamSetValue::from_text("hello").uint, None);
}

#[test]
fn param_reply_decodes_typed_values_and_pending() {
    // job_timeout_ms: generic (3), type u32 (4 = 1), runtime 10000,
    // driverinit 20000 pending driver-reinit (value 1).
    let value = |cmode: u32, uint: u32, pending: Option<u32>| {
        let mut v = vec![nla(1, &u32le(cmode)), nla(2, &u32le(uint))];
        v.extend(pending.map(|p| nla(4, &u32le(p))));
        nla(5 | NESTED, &v.concat())
    };
    let reply = message(
        0,
        1,
        20,
        &[
            handle(2, 1, "accel_sim", "accel_sim1"),
            nla(2, &cstr("job_timeout_ms")),
            nla(3, &[]),
            nla(4, &u32le(1)),
            value(0, 10000, None),
            value(1, 20000, Some(1)),
        ],
    );
    let p = Param::try_from(&decode(&reply)).expect("param");
    assert_eq!(p.name, "job_timeout_ms");
    assert!(p.generic);
    assert_eq!(p.ty, ParamType::U32);
    assert_eq!(
        p.values,
        [
            ParamValue {
                cmode: ParamCmode::Runtime,
                value: ParamData::U32(10000),
                pending: None
            },
            ParamValue {
                cmode: ParamCmode::Driverinit,
                value: ParamData::U32(20000),
                pending: Some(ReloadAction::DriverReinit)
            },
        ]
    );
    // A string parameter's value is value-string (3); a bool's value-uint.
    let s = message(
        0,
        1,
        20,
        &[
            handle(2, 1, "accel_sim", "accel_sim1"),
            nla(2, &cstr("accel_sim.test_string")),
            nla(4, &u32le(3)),
            nla(
                5 | NESTED,
                &[nla(1, &u32le(2)), nla(3, &cstr("sim")), nla(4, &u32le(2))].concat(),
            ),
        ],
    );
    let p = Param::try_from(&decode(&s)).expect("param");
    assert_eq!(p.values[0].value, ParamData::String("sim".into()));
    assert_eq!(p.values[0].pending, Some(ReloadAction::FwActivate));
    // A value without cmode, a param without type: errors naming them.
    let bad = message(
        0,
        1,
        20,
        &[
            handle(2, 1, "b", "d"),
            nla(2, &cstr("x")),
            nla(4, &u32le(0)),
            nla(5 | NESTED, &nla(2, &u32le(1))),
        ],
    );
    let e = Param::try_from(&decode(&bad)).expect_err("no cmode");
    assert!(e.to_string().contains("cmode"), "{e}");
    let untyped = message(0, 1, 20, &[handle(2, 1, "b", "d"), nla(2, &cstr("x"))]);
    let e = Param::try_from(&decode(&untyped)).expect_err("no type");
    assert!(e.to_string().contains("type"), "{e}");
}

#[test]
fn reload_request_and_reply() {
    let dev = DevHandle::Index(1);
    // reload (cmd 18): handle, action (2) fw-activate = 2, limit (3) no-reset = 1.
    assert_eq!(
        to_bytes(&reload(
            FAMILY,
            7,
            &dev,
            Some(ReloadAction::FwActivate),
            Some(ReloadLimit::NoReset)
        )),
        message(
            REQ_ACK,
            7,
            18,
            &[
                nla(1 | NESTED, &nla(2, &u32le(1))),
                nla(2, &u32le(2)),
                nla(3, &u32le(1))
            ]
        )
    );
    // Defaults are left to the kernel: nothing sent.
    assert_eq!(
        to_bytes(&reload(FAMILY, 8, &dev, None, None)),
        message(REQ_ACK, 8, 18, &[nla(1 | NESTED, &nla(2, &u32le(1)))])
    );
    // actions-performed (4) is a bit mask: bit 1 driver-reinit, bit 2
    // fw-activate; an unknown bit is kept.
    let reply = message(
        0,
        7,
        18,
        &[
            handle(2, 1, "accel_sim", "accel_sim1"),
            nla(4, &u32le(0b1_0110)),
        ],
    );
    let r = ReloadReply::try_from(&decode(&reply)).expect("reload");
    assert_eq!(
        r.actions_performed,
        [
            ReloadAction::DriverReinit,
            ReloadAction::FwActivate,
            ReloadAction::Unknown(4)
        ]
    );
}

#[test]
fn dev_reply_with_reload_state() {
    // reload-actions (7) mask 0b110, reload-failed (8), reload-stats (9).
    let stats = |action: u32, limit: u32, count: u32, remote: u32| {
        nla(
            9 | NESTED,
            &[
                nla(1, &u32le(action)),
                nla(2, &u32le(limit)),
                nla(3, &u32le(count)),
                nla(4, &u32le(remote)),
            ]
            .concat(),
        )
    };
    let reply = message(
        0,
        1,
        1,
        &[
            handle(2, 1, "accel_sim", "accel_sim1"),
            nla(2, &cstr("accel1")),
            nla(3, &cstr("accel_sim")),
            nla(7, &u32le(0b110)),
            nla(8, &[]),
            stats(1, 0, 3, 1),
            stats(2, 1, 0, 0),
        ],
    );
    let d = Device::try_from(&decode(&reply)).expect("device");
    assert_eq!(
        d.reload_actions,
        [ReloadAction::DriverReinit, ReloadAction::FwActivate]
    );
    assert!(d.reload_failed);
    assert_eq!(
        d.reload_stats,
        [
            ReloadStat {
                action: ReloadAction::DriverReinit,
                limit: ReloadLimit::None,
                count: 3,
                remote_count: 1
            },
            ReloadStat {
                action: ReloadAction::FwActivate,
                limit: ReloadLimit::NoReset,
                count: 0,
                remote_count: 0
            },
        ]
    );
    // dev-change-ntf (19) carries the dev set.
    let ntf = message(0, 0, 19, &[handle(2, 1, "b", "d"), nla(3, &cstr("x"))]);
    assert!(Device::try_from(&decode(&ntf)).is_ok());
}

#[test]
fn flash_update_request() {
    let dev = DevHandle::Index(2);
    // flash-update (cmd 23): handle, file-name (2), component (3),
    // overwrite (4) settings = 1 | identifiers = 2.
    assert_eq!(
        to_bytes(&flash_update(FAMILY, 4, &dev, "fw.bin", Some("fw.mgmt"), 3)),
        message(
            REQ_ACK,
            4,
            23,
            &[
                nla(1 | NESTED, &nla(2, &u32le(2))),
                nla(2, &cstr("fw.bin")),
                nla(3, &cstr("fw.mgmt")),
                nla(4, &u32le(3)),
            ]
        )
    );
    // No component and no overwrite: not sent.
    assert_eq!(
        to_bytes(&flash_update(FAMILY, 5, &dev, "a", None, 0)),
        message(
            REQ_ACK,
            5,
            23,
            &[nla(1 | NESTED, &nla(2, &u32le(2))), nla(2, &cstr("a"))]
        )
    );
    assert_eq!(overwrite_bit("settings"), Some(1));
    assert_eq!(overwrite_bit("identifiers"), Some(2));
    assert_eq!(overwrite_bit("bogus"), None);
    assert_eq!(overwrite_names(0b111), ["settings", "identifiers", "0x4"]);
}

#[test]
fn flash_notifications_decode() {
    // flash-begin-ntf (24): handle, file-name, component, overwrite.
    let begin = message(
        0,
        0,
        24,
        &[
            handle(5, 0, "accel_sim", "accel_sim0"),
            nla(2, &cstr("img")),
            nla(3, &cstr("fw")),
            nla(4, &u32le(1)),
        ],
    );
    let ev = FlashEvent::try_from(&decode(&begin)).expect("begin");
    let FlashEvent::Begin(b) = &ev else {
        panic!("{ev:?}")
    };
    assert_eq!(
        (b.dev.id, b.file_name.as_deref(), b.component.as_deref()),
        (5, Some("img"), Some("fw"))
    );
    assert_eq!(b.overwrite, 1);
    assert_eq!(to_bytes(&flash_event_message(FAMILY, &ev)), begin);

    // flash-status-ntf (25): component, status-msg (5), done (6), total
    // (7), timeout (8), all uint (4 bytes when the value fits).
    let status = message(
        0,
        0,
        25,
        &[
            handle(5, 0, "accel_sim", "accel_sim0"),
            nla(3, &cstr("fw")),
            nla(5, &cstr("Writing")),
            nla(6, &u32le(4096)),
            nla(7, &u32le(65536)),
            nla(8, &u32le(30)),
        ],
    );
    let ev = FlashEvent::try_from(&decode(&status)).expect("status");
    assert_eq!(
        ev,
        FlashEvent::Status(FlashStatus {
            dev: ev.dev().clone(),
            component: Some("fw".into()),
            status_msg: Some("Writing".into()),
            done: Some(4096),
            total: Some(65536),
            timeout: Some(30),
        })
    );
    assert_eq!(to_bytes(&flash_event_message(FAMILY, &ev)), status);

    // flash-end-ntf (26): error (9) and error-msg (10).
    let end = message(
        0,
        0,
        26,
        &[
            handle(5, 0, "accel_sim", "accel_sim0"),
            nla(2, &cstr("img")),
            nla(9, &u32le(5)),
            nla(10, &cstr("accel_sim: simulated flash failure at 50%")),
        ],
    );
    let ev = FlashEvent::try_from(&decode(&end)).expect("end");
    let FlashEvent::End(e) = &ev else {
        panic!("{ev:?}")
    };
    assert_eq!(e.error, 5);
    assert_eq!(
        e.error_msg.as_deref(),
        Some("accel_sim: simulated flash failure at 50%")
    );
    assert_eq!(to_bytes(&flash_event_message(FAMILY, &ev)), end);

    // An end without its error is an error; so is a flash message of
    // another command.
    let no_error = message(0, 0, 26, &[handle(5, 0, "accel_sim", "accel_sim0")]);
    let err = FlashEvent::try_from(&decode(&no_error)).expect_err("no error");
    assert!(
        err.to_string().contains("lacks the error attribute"),
        "{err}"
    );
    let update = message(0, 0, 23, &[handle(5, 0, "accel_sim", "accel_sim0")]);
    assert!(FlashEvent::try_from(&decode(&update)).is_err());
}

#[test]
fn selftest_requests_and_replies() {
    let dev = DevHandle::Index(1);
    // selftests-get (27) do and dump.
    assert_eq!(
        to_bytes(&selftests_get_do(FAMILY, 1, &dev)),
        message(REQ_ACK, 1, 27, &[nla(1 | NESTED, &nla(2, &u32le(1)))])
    );
    assert_eq!(
        to_bytes(&selftests_get_dump(FAMILY, 2, None)),
        message(REQ_DUMP, 2, 27, &[])
    );
    // selftests-run (28): one id (3) attribute per test.
    assert_eq!(
        to_bytes(&selftests_run(FAMILY, 3, &dev, &[2, 1])),
        message(
            REQ_ACK,
            3,
            28,
            &[
                nla(1 | NESTED, &nla(2, &u32le(1))),
                nla(3, &u32le(2)),
                nla(3, &u32le(1)),
            ]
        )
    );
    // The reply: test (2) nests of id (1), name (2), result (3),
    // result-msg (4); results pass = 1, fail = 2, skip = 3.
    let test = |id: u32, name: &str, result: Option<u32>, msg: Option<&str>| {
        let mut inner = vec![nla(1, &u32le(id)), nla(2, &cstr(name))];
        inner.extend(result.map(|r| nla(3, &u32le(r))));
        inner.extend(msg.map(|m| nla(4, &cstr(m))));
        nla(2 | NESTED, &inner.concat())
    };
    let reply = message(
        0,
        3,
        28,
        &[
            handle(2, 1, "accel_sim", "accel_sim1"),
            test(
                2,
                "compute",
                Some(2),
                Some("accel_sim: simulated compute failure"),
            ),
            test(1, "memory", Some(1), None),
            test(3, "link", Some(9), None),
        ],
    );
    let run = Selftests::try_from(&decode(&reply)).expect("run");
    let results: Vec<(u32, &str, Option<SelftestResult>)> = run
        .tests
        .iter()
        .map(|t| (t.id, t.name.as_str(), t.result))
        .collect();
    assert_eq!(
        results,
        [
            (2, "compute", Some(SelftestResult::Fail)),
            (1, "memory", Some(SelftestResult::Pass)),
            (3, "link", Some(SelftestResult::Unknown(9))),
        ]
    );
    assert_eq!(
        to_bytes(&selftest_message(FAMILY, 3, AccelCmd::SelftestsRun, &run)),
        reply
    );
    // selftest-status-ntf (29) with progress: done (5), total (6), uint
    // here in 8 bytes.
    let ntf = message(
        0,
        0,
        29,
        &[
            handle(2, 1, "accel_sim", "accel_sim1"),
            nla(
                2 | NESTED,
                &[
                    nla(1, &u32le(1)),
                    nla(2, &cstr("memory")),
                    nla(5, &u64le(3)),
                    nla(6, &u64le(10)),
                ]
                .concat(),
            ),
        ],
    );
    let st = Selftests::try_from(&decode(&ntf)).expect("status");
    assert_eq!((st.tests[0].done, st.tests[0].total), (Some(3), Some(10)));
    // A test without its id is an error.
    let bad = message(
        0,
        0,
        29,
        &[
            handle(2, 1, "accel_sim", "accel_sim1"),
            nla(2 | NESTED, &nla(2, &cstr("memory"))),
        ],
    );
    assert!(Selftests::try_from(&decode(&bad)).is_err());
}
