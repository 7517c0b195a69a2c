//! Devices that went through the wire: encoded with accel-netlink's encoder
//! as the kernel would send them, then decoded the way accelctl does.
#![allow(dead_code)]

use accel_netlink::*;
use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_generic::GenlMessage;

pub fn sample_devices() -> Vec<Device> {
    vec![
        Device {
            dev: DevIdent {
                id: 1,
                index: 0,
                name: "accel0".into(),
                bus_name: "pci".into(),
                dev_name: "0000:01:00.0".into(),
            },
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
            reload_actions: vec![ReloadAction::DriverReinit, ReloadAction::FwActivate],
            reload_failed: false,
            reload_stats: sample_stats(),
        },
        Device {
            dev: DevIdent {
                id: 7,
                index: 1,
                name: "accel1".into(),
                bus_name: "pci".into(),
                dev_name: "0000:02:00.0".into(),
            },
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
            reload_actions: vec![ReloadAction::DriverReinit],
            reload_failed: true,
            reload_stats: vec![ReloadStat {
                action: ReloadAction::DriverReinit,
                limit: ReloadLimit::None,
                count: 1,
                remote_count: 0,
            }],
        },
        Device {
            dev: DevIdent {
                id: 4,
                index: 2,
                name: "accel2".into(),
                bus_name: "platform".into(),
                dev_name: "accel_sim.2".into(),
            },
            driver_name: "accel_sim".into(),
            ..Default::default()
        },
    ]
}

/// Reload statistics of a device that supports both actions: fw-activate
/// also with limit no-reset; one remote driver-reinit.
pub fn sample_stats() -> Vec<ReloadStat> {
    let st = |action, limit, count, remote_count| ReloadStat {
        action,
        limit,
        count,
        remote_count,
    };
    vec![
        st(ReloadAction::DriverReinit, ReloadLimit::None, 3, 1),
        st(ReloadAction::FwActivate, ReloadLimit::None, 1, 0),
        st(ReloadAction::FwActivate, ReloadLimit::NoReset, 0, 0),
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
            dev: DevIdent {
                id: 2,
                index: 1,
                name: "accel1".into(),
                bus_name: "accel_sim".into(),
                dev_name: "accel_sim1".into(),
            },
            error: None,
            serial_number: Some("SIM-accel_sim1".into()),
            fixed: vec![v("board.id", "ACCEL-SIM-1"), v("asic.id", "0xac01")],
            running: vec![v("fw", "1.0.0"), v("fw.mgmt", "1.0.0")],
            stored: vec![v("fw", "1.1.0"), v("fw.mgmt", "1.0.0"), v("fw.app", "2.0")],
        },
        DeviceInfo {
            dev: DevIdent {
                id: 1,
                index: 0,
                name: "accel0".into(),
                bus_name: "pci".into(),
                dev_name: "0000:01:00.0".into(),
            },
            ..Default::default()
        },
        DeviceInfo {
            dev: DevIdent {
                id: 3,
                index: 2,
                name: "accel2".into(),
                bus_name: "accel_sim".into(),
                dev_name: "accel_sim2".into(),
            },
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

fn ident(index: u32, bus: &str, dev: &str) -> DevIdent {
    DevIdent {
        // Ids differ from indexes, as after a device was re-created.
        id: u64::from(index) + 10,
        index,
        name: format!("accel{index}"),
        bus_name: bus.into(),
        dev_name: dev.into(),
    }
}

/// accel_sim's two reporters on accel0 (dummy in error with every
/// attribute, empty without ops) and one healthy reporter on accel1.
pub fn sample_reporters() -> Vec<DevHealthReporter> {
    let dev0 = ident(0, "accel_sim", "accel_sim0");
    vec![
        DevHealthReporter {
            dev: dev0.clone(),
            reporter: HealthReporter {
                name: "dummy".into(),
                state: HealthState::Error,
                error_count: 2,
                recover_count: 1,
                last_error_ts_ns: Some(1_700_000_000_123_456_789),
                last_error_msg: Some("firmware timeout".into()),
                grace_period_ms: Some(0),
                auto_recover: Some(true),
                auto_dump: Some(true),
                dump_ts_ns: Some(1_700_000_000_125_000_000),
            },
        },
        DevHealthReporter {
            dev: dev0,
            reporter: HealthReporter {
                name: "empty".into(),
                ..Default::default()
            },
        },
        DevHealthReporter {
            dev: ident(1, "pci", "0000:01:00.0"),
            reporter: HealthReporter {
                name: "fw".into(),
                error_count: 5,
                recover_count: 5,
                last_error_ts_ns: Some(0),
                last_error_msg: Some("ecc".into()),
                grace_period_ms: Some(u64::MAX),
                auto_recover: Some(false),
                ..Default::default()
            },
        },
    ]
}

/// Encode as kernel messages with `cmd`, decode back as accelctl does.
pub fn reporters_through_wire(
    reps: &[DevHealthReporter],
    cmd: AccelCmd,
) -> Vec<(AccelCmd, DevHealthReporter)> {
    reps.iter()
        .map(|r| {
            let genl = genl_payload(&to_bytes(&health_reporter_message(0x1c, 0, cmd, r)));
            (
                genl.cmd,
                DevHealthReporter::try_from(&genl).expect("reporter"),
            )
        })
        .collect()
}

pub fn decoded_reporters() -> Vec<DevHealthReporter> {
    reporters_through_wire(&sample_reporters(), AccelCmd::HealthReporterGet)
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

fn genl_payload(bytes: &[u8]) -> AccelMessage {
    let msg = NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(bytes).expect("decode");
    let NetlinkPayload::InnerMessage(genl) = msg.payload else {
        panic!("not a genl message")
    };
    genl.payload
}

fn val(name: Option<&str>, value: FmsgValue) -> FmsgNode {
    FmsgNode::Value {
        name: name.map(String::from),
        value,
    }
}

/// accel_sim's dummy diagnose tree as the contract lists it, plus a
/// binary value longer than a text line and an empty object.
pub fn dummy_tree() -> Vec<FmsgNode> {
    let values = FmsgNode::Object {
        name: Some("values".into()),
        members: vec![
            val(Some("bool"), FmsgValue::Bool(true)),
            val(Some("u32"), FmsgValue::Uint(u64::from(u32::MAX))),
            val(Some("u64"), FmsgValue::Uint(u64::MAX)),
            val(Some("s64"), FmsgValue::Sint(i64::MIN)),
            val(Some("string"), FmsgValue::String("accel_sim".into())),
            val(Some("empty_string"), FmsgValue::String(String::new())),
            val(Some("binary"), FmsgValue::Binary((0..16).collect())),
        ],
    };
    vec![
        values,
        val(Some("recover_fails"), FmsgValue::Bool(false)),
        FmsgNode::Array {
            name: Some("array".into()),
            elements: (1..=3).map(|i| val(None, FmsgValue::Uint(i))).collect(),
        },
        FmsgNode::Array {
            name: Some("nested".into()),
            elements: vec![
                FmsgNode::Object {
                    name: None,
                    members: vec![val(Some("name"), FmsgValue::String("a".into()))],
                },
                FmsgNode::Array {
                    name: None,
                    elements: vec![val(None, FmsgValue::Bool(false))],
                },
                FmsgNode::Array {
                    name: None,
                    elements: vec![],
                },
            ],
        },
        val(Some("long"), FmsgValue::Binary((0..20).collect())),
        val(Some("nothing"), FmsgValue::Binary(vec![])),
        FmsgNode::Object {
            name: Some("none".into()),
            members: vec![],
        },
    ]
}

/// `tree` of dummy on accel0 as diagnose replies of `per_message` items
/// each, decoded and assembled as accelctl does; with the message count.
pub fn fmsg_through_wire(tree: Vec<FmsgNode>, per_message: usize) -> (HealthFmsg, usize) {
    let fmsg = HealthFmsg {
        dev: sample_reporters()[0].dev.clone(),
        reporter: sample_reporters()[0].reporter.clone(),
        tree,
    };
    let msgs = health_fmsg_messages(
        0x1c,
        1,
        AccelCmd::HealthReporterDiagnose,
        &fmsg,
        per_message,
    );
    let mut asm = FmsgAssembler::new();
    for m in &msgs {
        asm.push(&genl_payload(&to_bytes(m))).expect("push");
    }
    (asm.finish().expect("assemble"), msgs.len())
}

fn sim_ident(id: u64, index: u32) -> DevIdent {
    DevIdent {
        id,
        index,
        name: format!("accel{index}"),
        bus_name: "accel_sim".into(),
        dev_name: format!("accel_sim{index}"),
    }
}

fn pv(cmode: ParamCmode, value: ParamData, pending: Option<ReloadAction>) -> ParamValue {
    ParamValue {
        cmode,
        value,
        pending,
    }
}

/// accel_sim's parameters: the generic job_timeout_ms with a pending
/// driverinit value, and one driver parameter of every type in all three
/// modes, some pending; then one of another device.
pub fn sample_params() -> Vec<Param> {
    use ParamCmode::*;
    let all = |name: &str, ty, run: ParamData, init: ParamData, perm: ParamData, pending| Param {
        dev: sim_ident(2, 1),
        name: name.into(),
        generic: false,
        ty,
        values: vec![
            pv(Runtime, run, None),
            pv(Driverinit, init, None),
            pv(Permanent, perm, pending),
        ],
    };
    vec![
        Param {
            dev: sim_ident(2, 1),
            name: "job_timeout_ms".into(),
            generic: true,
            ty: ParamType::U32,
            values: vec![
                pv(Runtime, ParamData::U32(10000), None),
                pv(
                    Driverinit,
                    ParamData::U32(20000),
                    Some(ReloadAction::DriverReinit),
                ),
            ],
        },
        all(
            "accel_sim.test_bool",
            ParamType::Bool,
            ParamData::Bool(false),
            ParamData::Bool(false),
            ParamData::Bool(true),
            Some(ReloadAction::FwActivate),
        ),
        all(
            "accel_sim.test_u32",
            ParamType::U32,
            ParamData::U32(32),
            ParamData::U32(32),
            ParamData::U32(32),
            None,
        ),
        all(
            "accel_sim.test_u64",
            ParamType::U64,
            ParamData::U64(u64::MAX),
            ParamData::U64(64),
            ParamData::U64(1 << 53),
            Some(ReloadAction::FwActivate),
        ),
        all(
            "accel_sim.test_string",
            ParamType::String,
            ParamData::String("sim".into()),
            ParamData::String(String::new()),
            ParamData::String("a\u{1b}[2Jb".into()),
            None,
        ),
        Param {
            dev: sim_ident(3, 2),
            name: "job_timeout_ms".into(),
            generic: true,
            ty: ParamType::U32,
            values: vec![pv(Runtime, ParamData::U32(10000), None)],
        },
    ]
}

/// [`sample_params`] through the wire as param-get replies.
pub fn decoded_params() -> Vec<Param> {
    sample_params()
        .iter()
        .map(|p| {
            let bytes = to_bytes(&param_message(0x1c, 0, AccelCmd::ParamGet, p));
            let msg =
                NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(&bytes).expect("decode");
            let NetlinkPayload::InnerMessage(genl) = msg.payload else {
                panic!("not a genl message")
            };
            Param::try_from(&genl.payload).expect("param")
        })
        .collect()
}
