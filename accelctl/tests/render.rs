//! Text and JSON rendering of devices decoded from netlink bytes.

mod common;

use accelctl::output::{EventKind, Output, Source};

#[test]
fn text_list() {
    let text = Output::default().dev_show(&common::decoded_devices(), Source::Netlink, false);
    print!("{text}");
    let expected = "\
DEV     HANDLE                DRIVER     NUMA  PCI        LINK
accel0  pci/0000:01:00.0      accel_sim  0     1234:10e8  8.0GT/s x4 / 16.0GT/s x8 (degraded)
accel1  pci/0000:02:00.0      accel_sim  -     1234:10e8  - / 2.5GT/s x1 (suspended)
accel2  platform/accel_sim.2  accel_sim  -     -          -
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
            r#"{"version":1,"source":"netlink","devices":[{"index":0,"name":"accel0","#,
            r#""handle":"pci/0000:01:00.0","bus_name":"pci","dev_name":"0000:01:00.0","#,
            r#""driver":"accel_sim","numa_node":0,"runtime_suspended":false,"pci":{"#,
            r#""vendor_id":4660,"device_id":4328,"subsystem_vendor_id":6900,"#,
            r#""subsystem_device_id":4352,"revision":16,"class":16711680,"link_speed":8000,"#,
            r#""link_width":4,"link_max_speed":16000,"link_max_width":8}}]}"#,
            "\n"
        )
    );
}
