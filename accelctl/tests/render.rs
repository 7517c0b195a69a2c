//! Text and JSON rendering of devices decoded from netlink bytes.

mod common;

use accelctl::objects::dev::{EventKind, Source};
use accelctl::output::Output;

#[test]
fn text_list() {
    let text = Output::default().dev_show(&common::decoded_devices(), Source::Netlink, false);
    print!("{text}");
    let expected = "\
DEV                     HANDLE                DRIVER     NUMA  PCI        LINK
accel0                  pci/0000:01:00.0      accel_sim  0     1234:10e8  8.0GT/s x4 / 16.0GT/s x8 (degraded)
accel1 (reload failed)  pci/0000:02:00.0      accel_sim  -     1234:10e8  - / 2.5GT/s x1 (suspended)
accel2                  platform/accel_sim.2  accel_sim  -     -          -
";
    assert_eq!(text, expected);
}

#[test]
fn text_detail() {
    let devs = common::decoded_devices();
    let text = Output::default().dev_show(&devs[..1], Source::Netlink, true);
    print!("{text}");
    let expected = "\
accel0: pci/0000:01:00.0
  id 1
  index 0
  driver accel_sim
  numa_node 0
  runtime_suspended false
  pci:
    vendor_id 0x1234
    device_id 0x10e8
    subsystem_vendor_id 0x1af4
    subsystem_device_id 0x1100
    revision 0x10
    class 0xff0000
    link 8.0GT/s x4
    link_max 16.0GT/s x8
    link_degraded true
  reload_actions driver_reinit fw_activate
";
    assert_eq!(text, expected);
}

#[test]
fn empty_list_prints_nothing() {
    assert_eq!(Output::default().dev_show(&[], Source::Sysfs, false), "");
}

#[test]
fn monitor_text_lines() {
    let devs = common::decoded_devices();
    let out = Output::default();
    assert_eq!(
        out.event(EventKind::DevAdd, &devs[0]),
        "[dev,add] accel0: pci/0000:01:00.0\n"
    );
    assert_eq!(
        out.event(EventKind::DevDel, &devs[2]),
        "[dev,del] accel2: platform/accel_sim.2\n"
    );
}

#[test]
fn json_exact_shape() {
    let devs = common::decoded_devices();
    let json = Output {
        json: true,
        pretty: false,
    }
    .dev_show(&devs[..1], Source::Netlink, true);
    assert_eq!(
        json,
        concat!(
            r#"{"version":2,"source":"netlink","devices":[{"id":1,"index":0,"name":"accel0","#,
            r#""handle":"pci/0000:01:00.0","bus_name":"pci","dev_name":"0000:01:00.0","#,
            r#""driver":"accel_sim","numa_node":0,"runtime_suspended":false,"pci":{"#,
            r#""vendor_id":4660,"device_id":4328,"subsystem_vendor_id":6900,"#,
            r#""subsystem_device_id":4352,"revision":16,"class":16711680,"link_speed":8000,"#,
            r#""link_width":4,"link_max_speed":16000,"link_max_width":8},"#,
            r#""reload":{"actions":["driver_reinit","fw_activate"],"failed":false,"stats":null}}]}"#,
            "\n"
        )
    );
}

#[test]
fn info_text() {
    let text = Output::default().dev_info(&common::decoded_infos());
    print!("{text}");
    let expected = "\
accel1: accel_sim/accel_sim1
  serial_number SIM-accel_sim1
  versions:
    fixed:
      board.id ACCEL-SIM-1
      asic.id 0xac01
    running:
      fw 1.0.0
      fw.mgmt 1.0.0
    stored:
      fw 1.1.0 (pending activation)
      fw.mgmt 1.0.0
      fw.app 2.0 (pending activation)
accel0: pci/0000:01:00.0
  versions: none reported by the driver
accel2: accel_sim/accel_sim2
  versions:
    running:
      accel_sim.dsp 7\\x1b[31m red
";
    assert_eq!(text, expected);
}

#[test]
fn info_json_exact_shape() {
    let infos = common::decoded_infos();
    let out = Output {
        json: true,
        pretty: false,
    };
    assert_eq!(
        out.dev_info(&infos[1..]),
        concat!(
            r#"{"version":2,"devices":[{"id":1,"index":0,"name":"accel0","#,
            r#""handle":"pci/0000:01:00.0","bus_name":"pci","dev_name":"0000:01:00.0","#,
            r#""error":null,"serial_number":null,"versions":{"fixed":[],"running":[],"stored":[]},"#,
            r#""pending_activation":[]},{"id":3,"index":2,"name":"accel2","#,
            r#""handle":"accel_sim/accel_sim2","bus_name":"accel_sim","dev_name":"accel_sim2","#,
            r#""error":null,"serial_number":null,"versions":{"fixed":[],"running":"#,
            r#"[{"name":"accel_sim.dsp","value":"7\u001b[31m red"}],"stored":[]},"#,
            r#""pending_activation":[]}]}"#,
            "\n"
        )
    );
    let doc: serde_json::Value = serde_json::from_str(&out.dev_info(&infos[..1])).expect("json");
    assert_eq!(
        doc["devices"][0]["pending_activation"],
        serde_json::json!(["fw", "fw.app"])
    );
    assert_eq!(doc["devices"][0]["serial_number"], "SIM-accel_sim1");
}

#[test]
fn info_monitor_text_line() {
    let infos = common::decoded_infos();
    assert_eq!(
        Output::default().info_event(&infos[0]),
        "[info,change] accel1: accel_sim/accel_sim1\n"
    );
}

#[test]
fn printable_escapes_control_and_invisible_characters_only() {
    use accelctl::output::printable;
    assert_eq!(printable("fw 1.0 é ✓ 固件 \\x1b"), "fw 1.0 é ✓ 固件 \\x1b");
    assert_eq!(
        printable("a\u{1b}[2Jb\r\n\t\u{7f}\u{85}"),
        "a\\x1b[2Jb\\x0d\\x0a\\x09\\x7f\\x85"
    );
    // Bidi override, zero-width space, BOM, line separator, tag character.
    assert_eq!(
        printable("1.0\u{202e}0.2\u{200b}\u{feff}\u{2028}\u{e0041}"),
        "1.0\\u{202e}0.2\\u{200b}\\u{feff}\\u{2028}\\u{e0041}"
    );
}

/// The block as documented: one device with every group and one pending
/// activation, escapes in every kernel string that reaches the terminal.
#[test]
fn info_text_documented_shape() {
    use accel_netlink::{DevIdent, DeviceInfo, Version};
    let v = |name: &str, value: &str| Version {
        name: name.into(),
        value: value.into(),
    };
    let info = DeviceInfo {
        dev: DevIdent {
            id: 1,
            index: 0,
            name: "accel0".into(),
            bus_name: "accel_sim".into(),
            dev_name: "accel_sim0".into(),
        },
        error: None,
        serial_number: Some("SN-accel_sim0".into()),
        fixed: vec![v("board.id", "ACCEL-SIM-B1"), v("asic.id", "0xac01")],
        running: vec![v("fw", "1.0.0"), v("fw.mgmt", "1.0.0")],
        stored: vec![v("fw", "1.1.0"), v("fw.mgmt", "1.0.0")],
    };
    let infos = common::infos_through_wire(&[info], accel_netlink::AccelCmd::InfoGet);
    let info = &infos[0].1;
    assert_eq!(
        Output::default().dev_info(std::slice::from_ref(info)),
        "\
accel0: accel_sim/accel_sim0
  serial_number SN-accel_sim0
  versions:
    fixed:
      board.id ACCEL-SIM-B1
      asic.id 0xac01
    running:
      fw 1.0.0
      fw.mgmt 1.0.0
    stored:
      fw 1.1.0 (pending activation)
      fw.mgmt 1.0.0
"
    );
    let evil = DeviceInfo {
        serial_number: Some("SN\u{1b}]0;owned\u{7}".into()),
        stored: vec![v("fw\n  injected", "1")],
        ..info.clone()
    };
    let text = Output::default().dev_info(&[evil]);
    assert!(
        text.contains("  serial_number SN\\x1b]0;owned\\x07\n"),
        "{text}"
    );
    assert!(
        text.contains("      fw\\x0a  injected 1 (pending activation)\n"),
        "{text}"
    );
}

#[test]
fn info_stored_duplicates_are_marked_one_by_one() {
    use accel_netlink::{DevIdent, DeviceInfo, Version};
    let v = |value: &str| Version {
        name: "fw".into(),
        value: value.into(),
    };
    let info = DeviceInfo {
        dev: DevIdent {
            name: "accel0".into(),
            bus_name: "b".into(),
            dev_name: "d".into(),
            ..Default::default()
        },
        running: vec![v("1")],
        stored: vec![v("1"), v("2")],
        ..Default::default()
    };
    let text = Output::default().dev_info(&[info]);
    assert!(
        text.ends_with("    stored:\n      fw 1\n      fw 2 (pending activation)\n"),
        "{text}"
    );
}

/// Monitor lines carry driver- and bus-supplied names: escaped like the
/// rest of the text output.
#[test]
fn monitor_dev_lines_are_escaped() {
    use accel_netlink::{DevIdent, Device};
    let dev = Device {
        dev: DevIdent {
            id: 1,
            index: 0,
            name: "accel0".into(),
            bus_name: "b\u{1b}[2J".into(),
            dev_name: "d\r".into(),
        },
        ..Default::default()
    };
    let line = Output::default().event(EventKind::DevAdd, &dev);
    assert_eq!(line, "[dev,add] accel0: b\\x1b[2J/d\\x0d\n");
}
