//! Fuzz the decoder with untrusted kernel bytes: whole netlink messages and
//! bare attribute payloads. Any panic is a bug.
#![no_main]

use accel_netlink::netlink_packet_core::{NetlinkMessage, NetlinkPayload, ParseableParametrized};
use accel_netlink::netlink_packet_generic::{GenlHeader, GenlMessage};
use accel_netlink::{
    AccelMessage, DevHealthReporter, Device, DeviceInfo, FlashEvent, HealthFmsg, Param,
    ReloadReply, Selftests,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(msg) = NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(data) {
        if let NetlinkPayload::InnerMessage(genl) = msg.payload {
            let _ = Device::try_from(&genl.payload);
            let _ = DeviceInfo::try_from(&genl.payload);
            let _ = DevHealthReporter::try_from(&genl.payload);
            let _ = HealthFmsg::from_messages([&genl.payload]);
            let _ = Param::try_from(&genl.payload);
            let _ = ReloadReply::try_from(&genl.payload);
            let _ = FlashEvent::try_from(&genl.payload);
            let _ = Selftests::try_from(&genl.payload);
        }
    }
    // Bare payloads: the first byte picks the command, hence the attribute
    // set (dev, info, health-reporter, tree items, param, reload, flash,
    // selftest) the rest is decoded as.
    let (cmd, rest) = match data.split_first() {
        Some((cmd, rest)) => (*cmd, rest),
        None => return,
    };
    if let Ok(m) = AccelMessage::parse_with_param(rest, GenlHeader { cmd, version: 1 }) {
        let _ = Device::try_from(&m);
        let _ = DeviceInfo::try_from(&m);
        let _ = DevHealthReporter::try_from(&m);
        let _ = HealthFmsg::from_messages([&m]);
        let _ = Param::try_from(&m);
        let _ = ReloadReply::try_from(&m);
        let _ = FlashEvent::try_from(&m);
        let _ = Selftests::try_from(&m);
    }
});
