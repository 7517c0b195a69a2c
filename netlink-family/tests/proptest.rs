//! Decoding arbitrary bytes never panics; encode→decode round-trips.

use accel_netlink::*;
use netlink_packet_core::{Emitable, NetlinkMessage, NetlinkPayload, ParseableParametrized};
use netlink_packet_generic::{GenlHeader, GenlMessage};
use proptest::prelude::*;

type Msg = NetlinkMessage<GenlMessage<AccelMessage>>;

fn name() -> impl Strategy<Value = String> {
    // Netlink strings are NUL-terminated, so a NUL inside cannot round-trip.
    "[^\u{0}]{0,40}"
}

prop_compose! {
    fn pci()(ids in proptest::array::uniform4(any::<Option<u16>>()),
             revision in any::<Option<u8>>(),
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
    fn device()(index in any::<u32>(), name in name(), bus_name in name(), dev_name in name(),
                driver_name in name(), numa_node in any::<Option<u32>>(),
                runtime_suspended in any::<bool>(), pci in proptest::option::of(pci())) -> Device {
        Device { index, name, bus_name, dev_name, driver_name, numa_node, runtime_suspended, pci }
    }
}

fn versions() -> impl Strategy<Value = Vec<Version>> {
    proptest::collection::vec(
        (name(), name()).prop_map(|(name, value)| Version { name, value }),
        0..6,
    )
}

prop_compose! {
    fn device_info()(index in any::<u32>(), name in name(), bus_name in name(), dev_name in name(),
                     driver_name in name(), serial_number in proptest::option::of(name()),
                     fixed in versions(), running in versions(), stored in versions()) -> DeviceInfo {
        DeviceInfo { index, name, bus_name, dev_name, driver_name, serial_number, fixed, running, stored }
    }
}

/// Append one attribute (header, payload, padding to 4 bytes).
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
        }
    }

    #[test]
    fn attribute_soup_never_panics(
        attrs in proptest::collection::vec((0u16..14, proptest::collection::vec(any::<u8>(), 0..24)), 0..12),
        nested in any::<bool>(),
    ) {
        // Well-formed TLV framing with arbitrary types and payloads reaches
        // the per-attribute parsers (random bytes rarely get that far).
        let mut body = Vec::new();
        for (kind, val) in &attrs {
            let nest = matches!(*kind, ACCEL_A_DEV_PCI | ACCEL_A_DEV_INFO_VERSION_FIXED
                | ACCEL_A_DEV_INFO_VERSION_RUNNING | ACCEL_A_DEV_INFO_VERSION_STORED);
            let k = if nested && nest { kind | 0x8000 } else { *kind };
            tlv(&mut body, k, val);
        }
        if let Ok(m) = AccelMessage::parse_with_param(&body, GenlHeader { cmd: 1, version: 1 }) {
            let _ = Device::try_from(&m);
            let _ = DeviceInfo::try_from(&m);
        }
    }

    #[test]
    fn version_nest_soup_never_panics(
        group in ACCEL_A_DEV_INFO_VERSION_FIXED..=ACCEL_A_DEV_INFO_VERSION_STORED,
        inner in proptest::collection::vec((0u16..4, proptest::collection::vec(any::<u8>(), 0..12)), 0..5),
    ) {
        // Well-formed nests of version attributes with arbitrary kinds and
        // payloads: reaches Version::from_nlas, including its error paths.
        let identity = DeviceInfo { name: "a".into(), ..Default::default() }.to_nlas();
        let mut body = vec![0u8; identity.as_slice().buffer_len()];
        identity.as_slice().emit(&mut body);
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
