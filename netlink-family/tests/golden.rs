//! Golden bytes: messages written by hand from the netlink wire format
//! (host = little endian), checked against encoder and decoder.
#![cfg(target_endian = "little")]

use accel_netlink::*;
use netlink_packet_core::{NetlinkMessage, NetlinkPayload, NLM_F_MULTIPART as NLM_F_MULTI};
use netlink_packet_generic::GenlMessage;

type Msg = NetlinkMessage<GenlMessage<AccelMessage>>;

const FAMILY: u16 = 0x1c;

fn decode(bytes: &[u8]) -> AccelMessage {
    match Msg::deserialize(bytes).expect("decode").payload {
        NetlinkPayload::InnerMessage(genl) => genl.payload,
        other => panic!("unexpected payload {other:?}"),
    }
}

#[rustfmt::skip]
const DO_BY_INDEX: &[u8] = &[
    28, 0, 0, 0,        // nlmsg_len
    0x1c, 0,            // nlmsg_type = family id
    0x05, 0,            // NLM_F_REQUEST | NLM_F_ACK
    1, 0, 0, 0,         // seq
    0, 0, 0, 0,         // pid
    1, 1, 0, 0,         // genl: cmd dev-get, version 1, reserved
    8, 0, 1, 0,  7, 0, 0, 0, // ACCEL_A_DEV_INDEX = 7
];

#[test]
fn dev_get_do_by_index() {
    let bytes = to_bytes(&dev_get_do(FAMILY, 1, &DevHandle::Index(7)));
    assert_eq!(bytes, DO_BY_INDEX);
    let msg = decode(DO_BY_INDEX);
    assert_eq!(msg.cmd, AccelCmd::DevGet);
    assert_eq!(msg.nlas, vec![DevAttr::Index(7)]);
}

#[rustfmt::skip]
const DUMP_BY_BUSDEV: &[u8] = &[
    40, 0, 0, 0,
    0x1c, 0,
    0x01, 0x03,         // NLM_F_REQUEST | NLM_F_DUMP (ROOT|MATCH)
    9, 0, 0, 0,
    0, 0, 0, 0,
    1, 1, 0, 0,
    8, 0, 3, 0,  b'p', b'c', b'i', 0,               // BUS_NAME "pci"
    9, 0, 4, 0,  b'a', b'b', b'c', b'd', 0, 0, 0, 0,// DEV_NAME "abcd" + pad
];

#[test]
fn dev_get_dump_filtered() {
    let h = DevHandle::BusDev {
        bus: "pci".into(),
        dev: "abcd".into(),
    };
    assert_eq!(to_bytes(&dev_get_dump(FAMILY, 9, Some(&h))), DUMP_BY_BUSDEV);
    assert_eq!(decode(DUMP_BY_BUSDEV).nlas, h.to_nlas());
}

#[rustfmt::skip]
const REPLY: &[u8] = &[
    156, 0, 0, 0,
    0x1c, 0,
    0x02, 0,            // NLM_F_MULTI (dump part)
    3, 0, 0, 0,
    0x39, 0x30, 0, 0,   // pid 12345
    1, 1, 0, 0,
    8, 0, 1, 0,  2, 0, 0, 0,                                   // index 2
    11, 0, 2, 0,  b'a', b'c', b'c', b'e', b'l', b'2', 0, 0,      // name
    8, 0, 3, 0,  b'p', b'c', b'i', 0,                          // bus-name
    17, 0, 4, 0,  b'0', b'0', b'0', b'0', b':', b'0', b'3', b':',
                  b'0', b'0', b'.', b'0', 0, 0, 0, 0,          // dev-name
    14, 0, 5, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', 0, 0, 0, // driver
    8, 0, 6, 0,  1, 0, 0, 0,                                   // numa-node 1
    4, 0, 7, 0,                                                // runtime-suspended
    8, 0, 99, 0,  0xaa, 0xbb, 0xcc, 0xdd,                      // unknown attr 99
    52, 0, 8, 0x80,                                            // pci | NLA_F_NESTED
      6, 0, 1, 0,  0x34, 0x12, 0, 0,                           // vendor 0x1234
      6, 0, 2, 0,  0xe8, 0x10, 0, 0,                           // device 0x10e8
      5, 0, 5, 0,  0x10, 0, 0, 0,                              // revision 0x10
      8, 0, 6, 0,  0, 0, 0xff, 0,                              // class 0xff0000
      8, 0, 9, 0,  0x80, 0x3e, 0, 0,                           // max speed 16000
      8, 0, 10, 0, 8, 0, 0, 0,                                 // max width 8
];

#[test]
fn reply_decodes_to_device() {
    let msg = decode(REPLY);
    assert!(msg
        .nlas
        .contains(&DevAttr::Other(netlink_packet_core::DefaultNla::new(
            99,
            vec![0xaa, 0xbb, 0xcc, 0xdd]
        ))));
    let dev = Device::try_from(&msg).expect("device");
    assert_eq!(
        dev,
        Device {
            index: 2,
            name: "accel2".into(),
            bus_name: "pci".into(),
            dev_name: "0000:03:00.0".into(),
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
        }
    );
    assert_eq!(dev.handle(), "pci/0000:03:00.0");

    // Re-encoding the decoded attributes gives the same bytes back.
    let mut again = dev_message(FAMILY, 3, AccelCmd::DevGet, &dev);
    if let NetlinkPayload::InnerMessage(genl) = &mut again.payload {
        genl.payload = msg.clone();
    }
    again.header.flags = NLM_F_MULTI;
    again.header.port_number = 12345;
    again.finalize();
    let mut buf = vec![0; again.buffer_len()];
    again.serialize(&mut buf);
    assert_eq!(buf, REPLY);
}

#[test]
fn reply_without_mandatory_attribute_is_an_error() {
    let msg = AccelMessage {
        cmd: AccelCmd::DevGet,
        nlas: vec![DevAttr::Index(1)],
    };
    let err = Device::try_from(&msg).unwrap_err().to_string();
    assert!(err.contains("name"), "{err}");
}

#[test]
fn truncated_and_bad_length_attributes_are_errors() {
    // u32 index with a 2-byte payload.
    let mut bad = DO_BY_INDEX.to_vec();
    bad[20] = 6;
    assert!(Msg::deserialize(&bad).is_err() || Msg::deserialize(&bad[..26]).is_err());
    // Length field larger than the buffer.
    assert!(Msg::deserialize(&DO_BY_INDEX[..24]).is_err());
}

/// An info-get reply in the kernel's attribute order (accel_nl_handle_put()
/// puts driver-name before bus-name and dev-name).
#[rustfmt::skip]
const INFO_REPLY: &[u8] = &[
    116, 0, 0, 0,
    0x1c, 0,
    0, 0,
    5, 0, 0, 0,
    0, 0, 0, 0,
    4, 1, 0, 0,                                                // info-get
    8, 0, 1, 0,  0, 0, 0, 0,                                   // index 0
    11, 0, 2, 0,  b'a', b'c', b'c', b'e', b'l', b'0', 0, 0,    // name
    14, 0, 5, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', 0, 0, 0, // driver
    14, 0, 3, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', 0, 0, 0, // bus
    15, 0, 4, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', b'1', 0, 0, // dev
    8, 0, 9, 0,  b'S', b'N', b'1', 0,                          // serial number
    20, 0, 11, 0x80,                                           // running | NLA_F_NESTED
      7, 0, 1, 0,  b'f', b'w', 0, 0,                           // name "fw"
      8, 0, 2, 0,  b'1', b'.', b'0', 0,                        // value "1.0"
];

#[test]
fn info_reply_decodes() {
    let msg = decode(INFO_REPLY);
    assert_eq!(msg.cmd, AccelCmd::InfoGet);
    let info = DeviceInfo::try_from(&msg).expect("info");
    assert_eq!(
        info,
        DeviceInfo {
            index: 0,
            name: "accel0".into(),
            bus_name: "accel_sim".into(),
            dev_name: "accel_sim1".into(),
            driver_name: "accel_sim".into(),
            serial_number: Some("SN1".into()),
            running: vec![Version {
                name: "fw".into(),
                value: "1.0".into()
            }],
            ..Default::default()
        }
    );
    assert_eq!(info.handle(), "accel_sim/accel_sim1");
    assert!(info.pending_activation().is_empty());

    let mut again = info_get_reply(FAMILY, 5, &info);
    if let NetlinkPayload::InnerMessage(genl) = &mut again.payload {
        genl.payload = msg.clone();
    }
    again.finalize();
    let mut buf = vec![0; again.buffer_len()];
    again.serialize(&mut buf);
    assert_eq!(buf, INFO_REPLY);
}

#[test]
fn info_get_requests() {
    let do_req = to_bytes(&info_get_do(FAMILY, 1, &DevHandle::Index(7)));
    let mut expected = DO_BY_INDEX.to_vec();
    expected[16] = 4; // the same request as dev-get, with command info-get
    assert_eq!(do_req, expected);
    let dump = decode(&to_bytes(&info_get_dump(FAMILY, 2, None)));
    assert_eq!(dump.cmd, AccelCmd::InfoGet);
    assert!(dump.nlas.is_empty());
}

#[test]
fn version_nest_without_value_is_an_error() {
    let msg = AccelMessage {
        cmd: AccelCmd::InfoGet,
        nlas: vec![
            DevAttr::Index(0),
            DevAttr::Name("accel0".into()),
            DevAttr::BusName("b".into()),
            DevAttr::DevName("d".into()),
            DevAttr::DriverName("x".into()),
            DevAttr::InfoVersionStored(vec![InfoVersionAttr::Name("fw".into())]),
        ],
    };
    let err = DeviceInfo::try_from(&msg).unwrap_err().to_string();
    assert!(
        err.contains("info-version-stored \"fw\" lacks the value"),
        "{err}"
    );
}

#[test]
fn pending_activation_names_changed_and_new_stored_versions() {
    let v = |name: &str, value: &str| Version {
        name: name.into(),
        value: value.into(),
    };
    let info = DeviceInfo {
        running: vec![v("fw", "1.0"), v("fw.mgmt", "2")],
        stored: vec![v("fw", "1.1"), v("fw.mgmt", "2"), v("fw.app", "3")],
        ..Default::default()
    };
    assert_eq!(info.pending_activation(), ["fw", "fw.app"]);
    // Each stored entry is judged on its own, even if a name repeats.
    let info = DeviceInfo {
        running: vec![v("fw", "1.0")],
        stored: vec![v("fw", "1.0"), v("fw", "1.1")],
        ..Default::default()
    };
    assert!(!info.is_pending_activation(&info.stored[0]));
    assert!(info.is_pending_activation(&info.stored[1]));
    assert_eq!(info.pending_activation(), ["fw"]);
    assert!(DeviceInfo::default().pending_activation().is_empty());
}

/// An info-change-ntf as the kernel multicasts it (seq 0, pid 0): two
/// running versions in the driver's order, the second carrying an inner
/// attribute this crate does not know (ignored), then one stored version.
#[rustfmt::skip]
const INFO_CHANGE_NTF: &[u8] = &[
    140, 0, 0, 0,
    0x1c, 0,
    0, 0,
    0, 0, 0, 0,
    0, 0, 0, 0,
    5, 1, 0, 0,                                                // info-change-ntf
    8, 0, 1, 0,  3, 0, 0, 0,                                   // index 3
    11, 0, 2, 0,  b'a', b'c', b'c', b'e', b'l', b'3', 0, 0,    // name
    8, 0, 3, 0,  b'p', b'c', b'i', 0,                          // bus
    9, 0, 4, 0,  b'0', b'3', b'.', b'0', 0, 0, 0, 0,           // dev
    7, 0, 5, 0,  b's', b'i', b'm', 0,                          // driver
    24, 0, 11, 0x80,                                           // running
      12, 0, 1, 0,  b'f', b'w', b'.', b'm', b'g', b'm', b't', 0, // name "fw.mgmt"
      6, 0, 2, 0,  b'9', 0, 0, 0,                              // value "9"
    28, 0, 11, 0x80,                                           // running
      7, 0, 1, 0,  b'f', b'w', 0, 0,                           // name "fw"
      8, 0, 2, 0,  b'1', b'.', b'0', 0,                        // value "1.0"
      8, 0, 7, 0,  1, 2, 3, 4,                                 // unknown 7
    20, 0, 12, 0x80,                                           // stored
      7, 0, 1, 0,  b'f', b'w', 0, 0,                           // name "fw"
      8, 0, 2, 0,  b'1', b'.', b'1', 0,                        // value "1.1"
];

#[test]
fn info_change_ntf_keeps_order_and_ignores_unknown_inner_attributes() {
    let msg = decode(INFO_CHANGE_NTF);
    assert_eq!(msg.cmd, AccelCmd::InfoChangeNtf);
    let info = DeviceInfo::try_from(&msg).expect("info");
    let v = |name: &str, value: &str| Version {
        name: name.into(),
        value: value.into(),
    };
    assert_eq!(info.running, [v("fw.mgmt", "9"), v("fw", "1.0")]);
    assert_eq!(info.stored, [v("fw", "1.1")]);
    assert!(info.fixed.is_empty());
    assert_eq!(info.serial_number, None);
    assert_eq!(info.pending_activation(), ["fw"]);
}

#[test]
fn version_nest_without_name_is_an_error() {
    let mut bytes = INFO_CHANGE_NTF.to_vec();
    // Turn the stored version's name (the first attribute of the last
    // nest, at offset 124) into an unknown attribute 3.
    assert_eq!(bytes[124..128], [7, 0, 1, 0]);
    bytes[126] = 3;
    let err = DeviceInfo::try_from(&decode(&bytes))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("info-version-stored nest lacks the name"),
        "{err}"
    );
}

#[rustfmt::skip]
const HEALTH_GET_DO: &[u8] = &[
    40, 0, 0, 0,
    0x1c, 0,
    0x05, 0,            // NLM_F_REQUEST | NLM_F_ACK
    1, 0, 0, 0,
    0, 0, 0, 0,
    6, 1, 0, 0,         // health-reporter-get
    8, 0, 1, 0,  7, 0, 0, 0,                // index 7
    12, 0, 13, 0x80,                        // health-reporter | NLA_F_NESTED
      7, 0, 1, 0,  b'f', b'w', 0, 0,        // name "fw"
];

#[test]
fn health_reporter_get_requests() {
    let h = DevHandle::Index(7);
    assert_eq!(
        to_bytes(&health_reporter_get_do(FAMILY, 1, &h, "fw")),
        HEALTH_GET_DO
    );
    let msg = decode(HEALTH_GET_DO);
    assert_eq!(msg.cmd, AccelCmd::HealthReporterGet);
    assert_eq!(
        msg.nlas,
        [
            DevAttr::Index(7),
            DevAttr::HealthReporter(vec![HealthReporterAttr::Name("fw".into())])
        ]
    );
    // The other requests about one reporter differ in the command only.
    for (bytes, cmd) in [
        (to_bytes(&health_reporter_recover(FAMILY, 1, &h, "fw")), 8),
        (
            to_bytes(&health_reporter_dump_clear(FAMILY, 1, &h, "fw")),
            11,
        ),
        (to_bytes(&health_reporter_test(FAMILY, 1, &h, "fw")), 12),
    ] {
        let mut expected = HEALTH_GET_DO.to_vec();
        expected[16] = cmd;
        assert_eq!(bytes, expected, "cmd {cmd}");
    }
    // Diagnose and dump-get exist as dumps only.
    for (bytes, cmd) in [
        (to_bytes(&health_reporter_diagnose(FAMILY, 1, &h, "fw")), 9),
        (to_bytes(&health_reporter_dump_get(FAMILY, 1, &h, "fw")), 10),
    ] {
        let mut expected = HEALTH_GET_DO.to_vec();
        expected[6..8].copy_from_slice(&[0x01, 0x03]); // NLM_F_REQUEST | NLM_F_DUMP
        expected[16] = cmd;
        assert_eq!(bytes, expected, "cmd {cmd}");
    }
    // An unfiltered dump carries no attribute at all.
    let dump = decode(&to_bytes(&health_reporter_get_dump(FAMILY, 2, None)));
    assert_eq!(dump.cmd, AccelCmd::HealthReporterGet);
    assert!(dump.nlas.is_empty());
}

#[rustfmt::skip]
const HEALTH_SET: &[u8] = &[
    76, 0, 0, 0,
    0x1c, 0,
    0x05, 0,
    2, 0, 0, 0,
    0, 0, 0, 0,
    7, 1, 0, 0,         // health-reporter-set
    8, 0, 3, 0,  b'p', b'c', b'i', 0,                   // bus-name "pci"
    9, 0, 4, 0,  b'a', b'b', b'c', b'd', 0, 0, 0, 0,    // dev-name "abcd"
    36, 0, 13, 0x80,                                    // health-reporter
      7, 0, 1, 0,  b'f', b'w', 0, 0,                    // name "fw"
      8, 0, 7, 0,  0xf4, 0x01, 0, 0,                    // grace-period 500 (uint, 4 bytes)
      5, 0, 8, 0,  0, 0, 0, 0,                          // auto-recover 0
      5, 0, 9, 0,  1, 0, 0, 0,                          // auto-dump 1
];

#[test]
fn health_reporter_set_request() {
    let h = DevHandle::BusDev {
        bus: "pci".into(),
        dev: "abcd".into(),
    };
    let params = HealthReporterParams {
        grace_period_ms: Some(500),
        auto_recover: Some(false),
        auto_dump: Some(true),
    };
    assert_eq!(
        to_bytes(&health_reporter_set(FAMILY, 2, &h, "fw", &params)),
        HEALTH_SET
    );
    // Parameters left out are not sent; a grace period beyond u32 takes 8 bytes.
    let only_grace = HealthReporterParams {
        grace_period_ms: Some(1 << 32),
        ..Default::default()
    };
    let msg = decode(&to_bytes(&health_reporter_set(
        FAMILY,
        2,
        &h,
        "fw",
        &only_grace,
    )));
    assert_eq!(
        msg.nlas[2],
        DevAttr::HealthReporter(vec![
            HealthReporterAttr::Name("fw".into()),
            HealthReporterAttr::GracePeriod(1 << 32)
        ])
    );
    assert!(HealthReporterParams::default().is_empty());
    assert!(!only_grace.is_empty());
}

/// A health-reporter-get reply in the kernel's attribute order (driver-name
/// before bus-name and dev-name), a timestamp too big for 4 bytes, no dump.
#[rustfmt::skip]
const HEALTH_GET_REPLY: &[u8] = &[
    176, 0, 0, 0,
    0x1c, 0,
    0, 0,
    5, 0, 0, 0,
    0, 0, 0, 0,
    6, 1, 0, 0,
    8, 0, 1, 0,  0, 0, 0, 0,                                   // index 0
    11, 0, 2, 0,  b'a', b'c', b'c', b'e', b'l', b'0', 0, 0,    // name
    14, 0, 5, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', 0, 0, 0, // driver
    14, 0, 3, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', 0, 0, 0, // bus
    15, 0, 4, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', b'0', 0, 0, // dev
    88, 0, 13, 0x80,                                           // health-reporter
      10, 0, 1, 0,  b'd', b'u', b'm', b'm', b'y', 0, 0, 0,     // name "dummy"
      5, 0, 2, 0,  1, 0, 0, 0,                                 // state error
      8, 0, 3, 0,  2, 0, 0, 0,                                 // error-count 2
      8, 0, 4, 0,  1, 0, 0, 0,                                 // recover-count 1
      12, 0, 5, 0,  21, 205, 133, 61, 254, 156, 151, 23,       // last-error-ts-ns (8 bytes)
      9, 0, 6, 0,  b'o', b'o', b'p', b's', 0, 0, 0, 0,         // last-error-msg "oops"
      8, 0, 7, 0,  0, 0, 0, 0,                                 // grace-period 0
      5, 0, 8, 0,  1, 0, 0, 0,                                 // auto-recover 1
      5, 0, 9, 0,  1, 0, 0, 0,                                 // auto-dump 1
];

#[test]
fn health_reporter_reply_decodes() {
    let msg = decode(HEALTH_GET_REPLY);
    assert_eq!(msg.cmd, AccelCmd::HealthReporterGet);
    let r = DevHealthReporter::try_from(&msg).expect("reporter");
    assert_eq!(
        r,
        DevHealthReporter {
            dev: DevIdent {
                index: 0,
                name: "accel0".into(),
                bus_name: "accel_sim".into(),
                dev_name: "accel_sim0".into(),
                driver_name: "accel_sim".into(),
            },
            reporter: HealthReporter {
                name: "dummy".into(),
                state: HealthState::Error,
                error_count: 2,
                recover_count: 1,
                last_error_ts_ns: Some(1_700_000_000_123_456_789),
                last_error_msg: Some("oops".into()),
                grace_period_ms: Some(0),
                auto_recover: Some(true),
                auto_dump: Some(true),
                dump_ts_ns: None,
            },
        }
    );
    assert_eq!(r.dev.handle(), "accel_sim/accel_sim0");
    assert!(!r.reporter.is_healthy());

    // Re-encoding the decoded attributes gives the same bytes back.
    let mut again = health_reporter_message(FAMILY, 5, AccelCmd::HealthReporterGet, &r);
    if let NetlinkPayload::InnerMessage(genl) = &mut again.payload {
        genl.payload = msg.clone();
    }
    again.finalize();
    assert_eq!(to_bytes(&again), HEALTH_GET_REPLY);
}

#[test]
fn health_reporter_reply_errors() {
    let mut msg = decode(HEALTH_GET_REPLY);
    let DevAttr::HealthReporter(nest) = &mut msg.nlas[5] else {
        panic!("no nest in {:?}", msg.nlas);
    };
    nest[1] = HealthReporterAttr::State(2);
    let err = DevHealthReporter::try_from(&msg).unwrap_err().to_string();
    assert!(err.contains("\"dummy\" has unknown state 2"), "{err}");
    let DevAttr::HealthReporter(nest) = &mut msg.nlas[5] else {
        unreachable!()
    };
    nest.remove(1);
    let err = DevHealthReporter::try_from(&msg).unwrap_err().to_string();
    assert!(err.contains("\"dummy\" lacks the state attribute"), "{err}");
    msg.nlas.truncate(5);
    let err = DevHealthReporter::try_from(&msg).unwrap_err().to_string();
    assert!(err.contains("lacks the health-reporter attribute"), "{err}");
    // A count of 2 bytes is neither a 4- nor an 8-byte uint.
    let mut bytes = HEALTH_GET_REPLY.to_vec();
    assert_eq!(bytes[112..116], [8, 0, 3, 0]);
    bytes[112] = 6;
    assert!(Msg::deserialize(&bytes).is_err());
}

/// A diagnose reply split over two dump messages (as one datagram): the
/// object "values" opens in the first and closes in the second (5 items,
/// then 4); values of
/// every width the kernel picks (4-byte sint -1 and uint 5, 8-byte sint).
#[rustfmt::skip]
const DIAGNOSE_SPLIT: &[u8] = &[
    // message 1
    20, 1, 0, 0,  0x1c, 0,  0x02, 0,  9, 0, 0, 0,  0, 0, 0, 0,   // 276 bytes
    9, 1, 0, 0,                                                // health-reporter-diagnose
    8, 0, 1, 0,  0, 0, 0, 0,                                   // index 0
    11, 0, 2, 0,  b'a', b'c', b'c', b'e', b'l', b'0', 0, 0,    // name
    14, 0, 3, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', 0, 0, 0, // bus
    15, 0, 4, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', b'0', 0, 0, // dev
    14, 0, 5, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', 0, 0, 0, // driver
    40, 0, 13, 0x80,                                           // health-reporter
      10, 0, 1, 0,  b'd', b'u', b'm', b'm', b'y', 0, 0, 0,     // name
      5, 0, 2, 0,  0, 0, 0, 0,                                 // state healthy
      8, 0, 3, 0,  0, 0, 0, 0,                                 // error-count 0
      8, 0, 4, 0,  0, 0, 0, 0,                                 // recover-count 0
    24, 0, 14, 0x80,                                           // fmsg: object start
      5, 0, 1, 0,  0, 0, 0, 0,                                 //   kind object
      11, 0, 2, 0,  b'v', b'a', b'l', b'u', b'e', b's', 0, 0,  //   name "values"
    32, 0, 14, 0x80,                                           // fmsg: value
      5, 0, 1, 0,  3, 0, 0, 0,                                 //   kind value
      9, 0, 2, 0,  b'b', b'o', b'o', b'l', 0, 0, 0, 0,         //   name "bool"
      5, 0, 3, 0,  1, 0, 0, 0,                                 //   value-bool 1
    28, 0, 14, 0x80,                                           // fmsg: value
      5, 0, 1, 0,  3, 0, 0, 0,
      8, 0, 2, 0,  b's', b'6', b'4', 0,                        //   name "s64"
      8, 0, 7, 0,  0xff, 0xff, 0xff, 0xff,                     //   value-s64 -1 (4 bytes)
    36, 0, 14, 0x80,                                           // fmsg: value
      5, 0, 1, 0,  3, 0, 0, 0,
      11, 0, 2, 0,  b's', b'6', b'4', b'm', b'i', b'n', 0, 0,  //   name "s64min"
      12, 0, 7, 0,  0, 0, 0, 0, 0, 0, 0, 0x80,                 //   value-s64 i64::MIN
    28, 0, 14, 0x80,                                           // fmsg: value
      5, 0, 1, 0,  3, 0, 0, 0,
      8, 0, 2, 0,  b'u', b'6', b'4', 0,                        //   name "u64"
      8, 0, 6, 0,  5, 0, 0, 0,                                 //   value-u64 5 (4 bytes)
    // message 2
    180, 0, 0, 0,  0x1c, 0,  0x02, 0,  9, 0, 0, 0,  0, 0, 0, 0,
    9, 1, 0, 0,
    8, 0, 1, 0,  0, 0, 0, 0,
    11, 0, 2, 0,  b'a', b'c', b'c', b'e', b'l', b'0', 0, 0,
    14, 0, 3, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', 0, 0, 0,
    15, 0, 4, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', b'0', 0, 0,
    14, 0, 5, 0,  b'a', b'c', b'c', b'e', b'l', b'_', b's', b'i', b'm', 0, 0, 0,
    16, 0, 13, 0x80,                                           // health-reporter: name only
      10, 0, 1, 0,  b'd', b'u', b'm', b'm', b'y', 0, 0, 0,
    28, 0, 14, 0x80,                                           // fmsg: value
      5, 0, 1, 0,  3, 0, 0, 0,
      8, 0, 2, 0,  b'b', b'i', b'n', 0,                        //   name "bin"
      7, 0, 9, 0,  0xde, 0xad, 0xbe, 0,                        //   value-binary de ad be
    12, 0, 14, 0x80,                                           // fmsg: end (of "values")
      5, 0, 1, 0,  2, 0, 0, 0,
    24, 0, 14, 0x80,                                           // fmsg: array start
      5, 0, 1, 0,  1, 0, 0, 0,
      10, 0, 2, 0,  b'e', b'm', b'p', b't', b'y', 0, 0, 0,     //   name "empty"
    12, 0, 14, 0x80,                                           // fmsg: end
      5, 0, 1, 0,  2, 0, 0, 0,
];

fn diagnose_split_fmsg() -> HealthFmsg {
    let value = |name: &str, value| FmsgNode::Value {
        name: Some(name.into()),
        value,
    };
    HealthFmsg {
        dev: DevIdent {
            index: 0,
            name: "accel0".into(),
            bus_name: "accel_sim".into(),
            dev_name: "accel_sim0".into(),
            driver_name: "accel_sim".into(),
        },
        reporter: HealthReporter {
            name: "dummy".into(),
            ..Default::default()
        },
        tree: vec![
            FmsgNode::Object {
                name: Some("values".into()),
                members: vec![
                    value("bool", FmsgValue::Bool(true)),
                    value("s64", FmsgValue::S64(-1)),
                    value("s64min", FmsgValue::S64(i64::MIN)),
                    value("u64", FmsgValue::U64(5)),
                    value("bin", FmsgValue::Binary(vec![0xde, 0xad, 0xbe])),
                ],
            },
            FmsgNode::Array {
                name: Some("empty".into()),
                elements: vec![],
            },
        ],
    }
}

#[test]
fn diagnose_split_over_two_messages() {
    let (first, second) = DIAGNOSE_SPLIT.split_at(276);
    let msgs = [decode(first), decode(second)];
    assert!(msgs
        .iter()
        .all(|m| m.cmd == AccelCmd::HealthReporterDiagnose));
    let fmsg = HealthFmsg::from_messages(&msgs).expect("assemble");
    assert_eq!(fmsg, diagnose_split_fmsg());

    // The encoder splits the same way when told 5 items per message.
    let encoded: Vec<u8> = health_fmsg_messages(
        FAMILY,
        9,
        AccelCmd::HealthReporterDiagnose,
        &diagnose_split_fmsg(),
        5,
    )
    .iter()
    .flat_map(to_bytes)
    .collect();
    assert_eq!(encoded, DIAGNOSE_SPLIT);
}

#[test]
fn diagnose_split_needs_every_message() {
    let (first, second) = DIAGNOSE_SPLIT.split_at(276);
    // Without the second message "values" is left open.
    let err = HealthFmsg::from_messages(&[decode(first)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("1 object(s)/array(s) open"), "{err}");
    // The second alone has no reporter state (and an unbalanced end).
    let err = HealthFmsg::from_messages(&[decode(second)])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("first message carries no reporter state"),
        "{err}"
    );
    // Messages about another device do not mix.
    let mut other = decode(second);
    other.nlas[0] = DevAttr::Index(1);
    let err = HealthFmsg::from_messages(&[decode(first), other])
        .unwrap_err()
        .to_string();
    assert!(err.contains("fmsg message 2 is about device"), "{err}");
}

/// The kernel truncates last-error-msg to 255 bytes, possibly in the middle
/// of a UTF-8 character, and a driver may put any bytes in a name: such
/// strings decode lossily (U+FFFD) instead of failing the reply.
#[test]
fn invalid_utf8_strings_decode_lossily() {
    let at = |bytes: &[u8], pat: &[u8]| {
        bytes
            .windows(pat.len())
            .position(|w| w == pat)
            .expect("pattern")
    };
    let mut bytes = HEALTH_GET_REPLY.to_vec();
    // "café" cut after the first byte of "é" (c3 a9): same length as "oops".
    let i = at(&bytes, b"oops\0");
    bytes[i..i + 5].copy_from_slice(b"caf\xc3\0");
    // A reporter name with a byte that is never UTF-8.
    let i = at(&bytes, b"dummy\0");
    bytes[i..i + 6].copy_from_slice(b"dumm\xff\0");
    let r = DevHealthReporter::try_from(&decode(&bytes)).expect("lossy decode");
    assert_eq!(r.reporter.last_error_msg.as_deref(), Some("caf\u{fffd}"));
    assert_eq!(r.reporter.name, "dumm\u{fffd}");

    // fmsg names (and, see health_attr's unit test, string values) too.
    let (first, second) = DIAGNOSE_SPLIT.split_at(276);
    let mut first = first.to_vec();
    let i = at(&first, b"s64min\0");
    first[i + 3] = 0xc3; // "s64" + a lone lead byte + "in"
    let fmsg = HealthFmsg::from_messages(&[decode(&first), decode(second)]).expect("assemble");
    let FmsgNode::Object { members, .. } = &fmsg.tree[0] else {
        panic!("{:?}", fmsg.tree);
    };
    assert_eq!(members[2].name(), Some("s64\u{fffd}in"));
}
