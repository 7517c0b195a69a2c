//! Rendering of parameters, reload replies, reload state in dev show and
//! the param-change/dev-change monitor lines.

mod common;

use accel_netlink::{ReloadAction, ReloadReply};
use accelctl::objects::dev::{EventKind, Source};
use accelctl::output::Output;

const TEXT: Output = Output {
    json: false,
    pretty: false,
};
const JSON: Output = Output {
    json: true,
    pretty: false,
};

#[test]
fn param_show_text_one_line_per_cmode_with_pending() {
    let params = common::decoded_params();
    let text = TEXT.param_show(&params);
    let expected = "\
accel1: accel_sim/accel_sim1
  name job_timeout_ms type generic u32
    cmode runtime value 10000
    cmode driverinit value 20000 pending: reload driver_reinit
  name accel_sim.test_bool type driver-specific bool
    cmode runtime value false
    cmode driverinit value false
    cmode permanent value true pending: reload fw_activate
  name accel_sim.test_u32 type driver-specific u32
    cmode runtime value 32
    cmode driverinit value 32
    cmode permanent value 32
  name accel_sim.test_u64 type driver-specific u64
    cmode runtime value 18446744073709551615
    cmode driverinit value 64
    cmode permanent value 9007199254740992 pending: reload fw_activate
  name accel_sim.test_string type driver-specific string
    cmode runtime value sim
    cmode driverinit value \"\"
    cmode permanent value a\\x1b[2Jb
accel2: accel_sim/accel_sim2
  name job_timeout_ms type generic u32
    cmode runtime value 10000
";
    assert_eq!(text, expected);
    assert_eq!(TEXT.param_show(&[]), "");
}

#[test]
fn param_show_json_typed_values() {
    let params = common::decoded_params();
    let doc: serde_json::Value = serde_json::from_str(&JSON.param_show(&params)).expect("json");
    assert_eq!(doc["version"], 2);
    let p = &doc["params"];
    assert_eq!(p[0]["dev"]["name"], "accel1");
    assert_eq!(p[0]["dev"]["handle"], "accel_sim/accel_sim1");
    assert_eq!(p[0]["name"], "job_timeout_ms");
    assert_eq!(p[0]["generic"], true);
    assert_eq!(p[0]["type"], "u32");
    assert_eq!(
        p[0]["values"],
        serde_json::json!([
            {"cmode": "runtime", "value": 10000, "pending": null},
            {"cmode": "driverinit", "value": 20000, "pending": "driver_reinit"},
        ])
    );
    assert_eq!(p[1]["generic"], false);
    assert_eq!(p[1]["values"][2]["value"], true);
    assert_eq!(p[1]["values"][2]["pending"], "fw_activate");
    // u64: a number up to 2^53 - 1, a string of digits above.
    assert_eq!(p[3]["values"][0]["value"], "18446744073709551615");
    assert_eq!(p[3]["values"][1]["value"], 64);
    assert_eq!(p[3]["values"][2]["value"], "9007199254740992");
    // Strings verbatim (JSON escapes them).
    assert_eq!(p[4]["values"][1]["value"], "");
    assert_eq!(p[4]["values"][2]["value"], "a\u{1b}[2Jb");
}

#[test]
fn param_change_event_lines() {
    let params = common::decoded_params();
    assert_eq!(
        TEXT.param_event(&params[0]),
        "[param,change] accel1: accel_sim/accel_sim1 name job_timeout_ms type generic u32: \
         cmode runtime value 10000, cmode driverinit value 20000 pending: reload driver_reinit\n"
    );
    let line = JSON.param_event(&params[0]);
    assert_eq!(line.lines().count(), 1);
    let doc: serde_json::Value = serde_json::from_str(&line).expect("json");
    assert_eq!(doc["event"], "param-change");
    assert_eq!(doc["param"]["name"], "job_timeout_ms");
}

#[test]
fn reload_done() {
    let r = ReloadReply {
        dev: common::decoded_params()[0].dev.clone(),
        actions_performed: vec![ReloadAction::DriverReinit, ReloadAction::FwActivate],
    };
    assert_eq!(
        TEXT.reload_done(&r),
        "accel1: reload done: driver_reinit, fw_activate\n"
    );
    let doc: serde_json::Value = serde_json::from_str(&JSON.reload_done(&r)).expect("json");
    assert_eq!(
        doc["actions_performed"],
        serde_json::json!(["driver_reinit", "fw_activate"])
    );
    assert_eq!(doc["dev"]["name"], "accel1");
}

#[test]
fn dev_show_reload_state_and_statistics() {
    let devs = common::decoded_devices();
    // The table marks a device whose reload failed.
    let table = TEXT.dev_show(&devs, Source::Netlink, false);
    assert!(table.contains("accel1 (reload failed)"), "{table}");
    assert!(!table.contains("accel0 (reload failed)"), "{table}");
    // Detail: reload_failed first, then the actions; statistics with -s.
    let detail = TEXT.dev_show(&devs[1..2], Source::Netlink, true);
    let lines: Vec<&str> = detail.lines().collect();
    assert_eq!(
        lines[1],
        "  reload_failed true (the last reload failed; 'accelctl dev reload accel1' recovers it)"
    );
    assert!(
        detail.contains("\n  reload_actions driver_reinit\n"),
        "{detail}"
    );
    assert!(!detail.contains("reload_stats"), "{detail}");
    let stats = TEXT.dev_show_stats(&devs[..1], Source::Netlink, true, true);
    assert!(
        stats.ends_with(
            "  reload_actions driver_reinit fw_activate\n  reload_stats:\n    \
             action driver_reinit limit none count 3 remote_count 1\n    \
             action fw_activate limit none count 1 remote_count 0\n    \
             action fw_activate limit no_reset count 0 remote_count 0\n"
        ),
        "{stats}"
    );
    // -s without DEV: detail views of every device (no room in the table).
    let all = TEXT.dev_show_stats(&devs, Source::Netlink, false, true);
    assert_eq!(all.matches("reload_stats:").count(), 2, "{all}");

    // JSON: reload always there (null from sysfs), stats only with -s.
    let doc: serde_json::Value =
        serde_json::from_str(&JSON.dev_show(&devs, Source::Netlink, false)).expect("json");
    assert_eq!(
        doc["devices"][0]["reload"],
        serde_json::json!({"actions": ["driver_reinit", "fw_activate"], "failed": false, "stats": null})
    );
    assert_eq!(doc["devices"][1]["reload"]["failed"], true);
    assert_eq!(
        doc["devices"][2]["reload"]["actions"],
        serde_json::json!([])
    );
    let doc: serde_json::Value =
        serde_json::from_str(&JSON.dev_show_stats(&devs, Source::Netlink, false, true))
            .expect("json");
    assert_eq!(
        doc["devices"][0]["reload"]["stats"][0],
        serde_json::json!({"action": "driver_reinit", "limit": "none", "count": 3, "remote_count": 1})
    );
    let doc: serde_json::Value =
        serde_json::from_str(&JSON.dev_show(&devs, Source::Sysfs, false)).expect("json");
    assert_eq!(doc["devices"][0]["reload"], serde_json::Value::Null);
}

#[test]
fn dev_change_event_lines() {
    let devs = common::decoded_devices();
    assert_eq!(
        TEXT.event(EventKind::DevChange, &devs[0]),
        "[dev,change] accel0: pci/0000:01:00.0 reload_failed false reloads driver_reinit 4 \
         fw_activate 1\n"
    );
    assert_eq!(
        TEXT.event(EventKind::DevChange, &devs[1]),
        "[dev,change] accel1: pci/0000:02:00.0 reload_failed true reloads driver_reinit 1\n"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&JSON.event(EventKind::DevChange, &devs[1])).expect("json");
    assert_eq!(doc["event"], "dev-change");
    assert_eq!(doc["device"]["reload"]["failed"], true);
    assert_eq!(doc["device"]["reload"]["stats"][0]["count"], 1);
}
