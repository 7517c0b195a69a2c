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
