//! Devices that went through the wire: encoded with accel-netlink's encoder
//! as the kernel would send them, then decoded the way accelctl does.
#![allow(dead_code)]

use accel_netlink::*;
use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_generic::GenlMessage;

pub fn sample_devices() -> Vec<Device> {
    vec![
        Device {
            index: 0,
            name: "accel0".into(),
            bus_name: "pci".into(),
            dev_name: "0000:01:00.0".into(),
            driver_name: "accel_sim".into(),
            numa_node: Some(0),
            runtime_suspended: false,
            pci: Some(PciInfo {
                vendor_id: Some(0x1234),
                device_id: Some(0x10e8),
                subsystem_vendor_id: Some(0x1af4),
                subsystem_device_id: Some(0x1100),
                revision: Some(0x10),
                class: Some(0xff0000),
                link_speed: Some(8000),
                link_width: Some(4),
                link_max_speed: Some(16000),
                link_max_width: Some(8),
            }),
        },
        Device {
            index: 1,
            name: "accel1".into(),
            bus_name: "pci".into(),
            dev_name: "0000:02:00.0".into(),
            driver_name: "accel_sim".into(),
            numa_node: None,
            runtime_suspended: true,
            pci: Some(PciInfo {
                vendor_id: Some(0x1234),
                device_id: Some(0x10e8),
                subsystem_vendor_id: Some(0x1af4),
                subsystem_device_id: Some(0x1100),
                revision: Some(1),
                class: Some(0x120000),
                link_max_speed: Some(2500),
                link_max_width: Some(1),
                ..Default::default()
            }),
        },
        Device {
            index: 2,
            name: "accel2".into(),
            bus_name: "platform".into(),
            dev_name: "accel_sim.2".into(),
            driver_name: "accel_sim".into(),
            ..Default::default()
        },
    ]
}

/// Encode as kernel messages with `cmd`, decode back to Devices.
pub fn through_wire(devs: &[Device], cmd: AccelCmd) -> Vec<(AccelCmd, Device)> {
    devs.iter()
        .map(|d| {
            let bytes = to_bytes(&dev_message(0x1c, 0, cmd, d));
            let msg =
                NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(&bytes).expect("decode");
            let NetlinkPayload::InnerMessage(genl) = msg.payload else {
                panic!("not a genl message")
            };
            (
                genl.payload.cmd,
                Device::try_from(&genl.payload).expect("device"),
            )
        })
        .collect()
}

pub fn decoded_devices() -> Vec<Device> {
    through_wire(&sample_devices(), AccelCmd::DevGet)
        .into_iter()
        .map(|(_, d)| d)
        .collect()
}

fn v(name: &str, value: &str) -> Version {
    Version {
        name: name.into(),
        value: value.into(),
    }
}

/// Device information: everything reported with a pending activation; a
/// device whose driver reports nothing; a value with an escape character.
pub fn sample_infos() -> Vec<DeviceInfo> {
    vec![
        DeviceInfo {
            index: 1,
            name: "accel1".into(),
            bus_name: "accel_sim".into(),
            dev_name: "accel_sim1".into(),
            driver_name: "accel_sim".into(),
            serial_number: Some("SIM-accel_sim1".into()),
            fixed: vec![v("board.id", "ACCEL-SIM-1"), v("asic.id", "0xac01")],
            running: vec![v("fw", "1.0.0"), v("fw.mgmt", "1.0.0")],
            stored: vec![v("fw", "1.1.0"), v("fw.mgmt", "1.0.0"), v("fw.app", "2.0")],
        },
        DeviceInfo {
            index: 0,
            name: "accel0".into(),
            bus_name: "pci".into(),
            dev_name: "0000:01:00.0".into(),
            driver_name: "accel_sim".into(),
            ..Default::default()
        },
        DeviceInfo {
            index: 2,
            name: "accel2".into(),
            bus_name: "accel_sim".into(),
            dev_name: "accel_sim2".into(),
            driver_name: "accel_sim".into(),
            serial_number: None,
            running: vec![v("accel_sim.dsp", "7\u{1b}[31m red")],
            ..Default::default()
        },
    ]
}

/// Encode as kernel messages with `cmd`, decode back as accelctl does.
pub fn infos_through_wire(infos: &[DeviceInfo], cmd: AccelCmd) -> Vec<(AccelCmd, DeviceInfo)> {
    infos
        .iter()
        .map(|i| {
            let bytes = to_bytes(&info_message(0x1c, 0, cmd, i));
            let msg =
                NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(&bytes).expect("decode");
            let NetlinkPayload::InnerMessage(genl) = msg.payload else {
                panic!("not a genl message")
            };
            (
                genl.payload.cmd,
                DeviceInfo::try_from(&genl.payload).expect("info"),
            )
        })
        .collect()
}

pub fn decoded_infos() -> Vec<DeviceInfo> {
    infos_through_wire(&sample_infos(), AccelCmd::InfoGet)
        .into_iter()
        .map(|(_, i)| i)
        .collect()
}
