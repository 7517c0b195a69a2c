//! Text and JSON rendering of health reporters and diagnose/dump trees
//! decoded from netlink bytes.

mod common;

use accel_netlink::{AccelCmd, FmsgNode, FmsgValue, HealthState};
use accelctl::objects::health::HealthEventKind;
use accelctl::output::Output;
use serde_json::{json, Value};

const JSON: Output = Output {
    json: true,
    pretty: false,
};

#[test]
fn show_text_groups_reporters_by_device() {
    let text = Output::default().health_show(&common::decoded_reporters());
    print!("{text}");
    let expected = "\
accel0: accel_sim/accel_sim0
  reporter dummy
    state error
    error_count 2
    recover_count 1
    last_error_ts 2023-11-14T22:13:20.123456789Z
    last_error_msg firmware timeout
    grace_period 0
    auto_recover true
    auto_dump true
    dump_ts 2023-11-14T22:13:20.125000000Z
  reporter empty
    state healthy
    error_count 0
    recover_count 0
accel1: pci/0000:01:00.0
  reporter fw
    state healthy
    error_count 5
    recover_count 5
    last_error_ts 1970-01-01T00:00:00.000000000Z
    last_error_msg ecc
    grace_period 18446744073709551615
    auto_recover false
";
    assert_eq!(text, expected);
    assert_eq!(Output::default().health_show(&[]), "");
}

#[test]
fn show_json_exact_shape() {
    let reps = common::decoded_reporters();
    assert_eq!(
        JSON.health_show(&reps[..2]),
        concat!(
            r#"{"version":2,"reporters":[{"id":10,"index":0,"name":"accel0","#,
            r#""handle":"accel_sim/accel_sim0","bus_name":"accel_sim","dev_name":"accel_sim0","#,
            r#""reporter":"dummy","state":"error","error_count":2,"#,
            r#""recover_count":1,"last_error_time":"2023-11-14T22:13:20.123456789Z","#,
            r#""last_error_msg":"firmware timeout","grace_period_ms":0,"auto_recover":true,"#,
            r#""auto_dump":true,"dump_time":"2023-11-14T22:13:20.125000000Z"},"#,
            r#"{"id":10,"index":0,"name":"accel0","#,
            r#""handle":"accel_sim/accel_sim0","bus_name":"accel_sim","dev_name":"accel_sim0","#,
            r#""reporter":"empty","state":"healthy","error_count":0,"#,
            r#""recover_count":0,"last_error_time":null,"last_error_msg":null,"#,
            r#""grace_period_ms":null,"auto_recover":null,"auto_dump":null,"dump_time":null}]}"#,
            "\n"
        )
    );
    let doc: Value = serde_json::from_str(&JSON.health_show(&reps[2..])).expect("json");
    // Above 2^53 - 1: a string of digits, exact.
    assert_eq!(
        doc["reporters"][0]["grace_period_ms"],
        json!("18446744073709551615")
    );
}

/// The dummy tree split over messages of 3 items: every value type, nested
/// arrays and objects, empty ones, long binary.
#[test]
fn tree_text() {
    let (fmsg, messages) = common::fmsg_through_wire(common::dummy_tree(), 3);
    assert_eq!(messages, 10, "30 items, 3 per message");
    assert_eq!(fmsg.tree, common::dummy_tree());
    let text = Output::default().health_dump(&fmsg);
    print!("{text}");
    let expected = "\
accel0: accel_sim/accel_sim0 reporter dummy dump_ts 2023-11-14T22:13:20.125000000Z
  values:
    bool true
    u32 4294967295
    u64 18446744073709551615
    s64 -9223372036854775808
    string accel_sim
    empty_string \"\"
    binary 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
  recover_fails false
  array:
    [0] 1
    [1] 2
    [2] 3
  nested:
    [0]:
      name a
    [1]:
      [0] false
    [2] []
  long 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
    10 11 12 13
  nothing (empty)
  none {}
";
    assert_eq!(text, expected);
}

/// Strings that would read as something else print in double quotes:
/// several words, other types' values, names ending in ':'.
#[test]
fn tree_text_quotes_ambiguous_strings() {
    let string = |name: Option<&str>, s: &str| FmsgNode::Value {
        name: name.map(String::from),
        value: FmsgValue::String(s.into()),
    };
    let (mut fmsg, _) = common::fmsg_through_wire(
        vec![
            string(Some("reason"), "report"),
            FmsgNode::Array {
                name: Some("log".into()),
                elements: vec![string(None, "entry 0"), string(None, "entry 1")],
            },
            string(Some("flag"), "true"),
            string(Some("count"), "42"),
            string(Some("nothing"), "(empty)"),
            string(Some("list"), "[]"),
            string(Some("path"), r#"C:\dir "x""#),
            string(Some("key:"), "v"),
            string(Some("two words"), ""),
        ],
        2,
    );
    fmsg.reporter.dump_ts_ns = None;
    let text = Output::default().health_dump(&fmsg);
    assert_eq!(
        text,
        r#"accel0: accel_sim/accel_sim0 reporter dummy
  reason report
  log:
    [0] "entry 0"
    [1] "entry 1"
  flag "true"
  count "42"
  nothing "(empty)"
  list "[]"
  path "C:\\dir \"x\""
  "key:" v
  "two words" ""
"#
    );
}

#[test]
fn diagnose_header_has_no_dump_time() {
    let (fmsg, _) = common::fmsg_through_wire(vec![], 1);
    assert!(fmsg.reporter.dump_ts_ns.is_some());
    assert_eq!(
        Output::default().health_diagnose(&fmsg),
        "accel0: accel_sim/accel_sim0 reporter dummy\n"
    );
}

#[test]
fn tree_text_without_dump_time_and_empty_tree() {
    let (mut fmsg, messages) = common::fmsg_through_wire(vec![], 1);
    assert_eq!(messages, 1);
    fmsg.reporter.dump_ts_ns = None;
    assert_eq!(
        Output::default().health_dump(&fmsg),
        "accel0: accel_sim/accel_sim0 reporter dummy\n"
    );
    let doc: Value = serde_json::from_str(&JSON.health_dump(&fmsg)).expect("json");
    assert_eq!(doc["tree"], json!([]));
}

#[test]
fn tree_json_every_type() {
    let (fmsg, _) = common::fmsg_through_wire(common::dummy_tree(), 2);
    let doc: Value = serde_json::from_str(&JSON.health_dump(&fmsg)).expect("json");
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["reporter"]["reporter"], "dummy");
    assert_eq!(doc["reporter"]["state"], "error");
    assert_eq!(
        doc["tree"][0],
        json!({"name": "values", "type": "object", "members": [
            {"name": "bool", "type": "bool", "value": true},
            {"name": "u32", "type": "uint", "value": 4294967295u32},
            {"name": "u64", "type": "uint", "value": "18446744073709551615"},
            {"name": "s64", "type": "sint", "value": "-9223372036854775808"},
            {"name": "string", "type": "string", "value": "accel_sim"},
            {"name": "empty_string", "type": "string", "value": ""},
            {"name": "binary", "type": "binary", "value": "000102030405060708090a0b0c0d0e0f"},
        ]})
    );
    assert_eq!(
        doc["tree"][3],
        json!({"name": "nested", "type": "array", "elements": [
            {"name": null, "type": "object", "members": [
                {"name": "name", "type": "string", "value": "a"}]},
            {"name": null, "type": "array", "elements": [
                {"name": null, "type": "bool", "value": false}]},
            {"name": null, "type": "array", "elements": []},
        ]})
    );
    assert_eq!(
        doc["tree"][5],
        json!({"name": "nothing", "type": "binary", "value": ""})
    );
    assert_eq!(
        doc["tree"][6],
        json!({"name": "none", "type": "object", "members": []})
    );
    // The exact serialization of one node: type first, then name, value.
    assert!(JSON
        .health_dump(&fmsg)
        .contains(r#"{"type":"uint","name":null,"value":1}"#));
}

/// Driver strings reach the terminal escaped; JSON keeps them verbatim.
#[test]
fn tree_and_reporter_strings_are_escaped_in_text() {
    let evil = "x\u{1b}[2J\ny\u{202e}";
    let (mut fmsg, _) = common::fmsg_through_wire(
        vec![
            FmsgNode::Value {
                name: Some(evil.into()),
                value: FmsgValue::String(evil.into()),
            },
            FmsgNode::Array {
                name: Some("a".into()),
                elements: vec![FmsgNode::Value {
                    name: Some(evil.into()),
                    value: FmsgValue::Uint(1),
                }],
            },
        ],
        1,
    );
    fmsg.reporter.name = evil.into();
    fmsg.reporter.dump_ts_ns = None;
    let text = Output::default().health_dump(&fmsg);
    let esc = "x\\x1b[2J\\x0ay\\u{202e}";
    // In the tree, the newline (whitespace) also puts the string in quotes.
    assert_eq!(
        text,
        format!(
            "accel0: accel_sim/accel_sim0 reporter {esc}\n  \"{esc}\" \"{esc}\"\n  \
             a:\n    [0] \"{esc}\" 1\n"
        )
    );
    let doc: Value = serde_json::from_str(&JSON.health_dump(&fmsg)).expect("json");
    assert_eq!(doc["tree"][0]["value"], evil);
    let mut reps = common::decoded_reporters();
    reps[0].reporter.last_error_msg = Some(evil.into());
    let text = Output::default().health_show(&reps[..1]);
    assert!(
        text.contains(&format!("    last_error_msg {esc}\n")),
        "{text}"
    );
    let text = Output::default().health_check(&reps[..1]);
    assert_eq!(
        text,
        format!("accel0 reporter dummy: error: {esc} (errors 2, recovered 1)\n")
    );
}

#[test]
fn check_text_lists_only_unhealthy_reporters() {
    let reps = common::decoded_reporters();
    assert_eq!(
        Output::default().health_check(&reps),
        "accel0 reporter dummy: error: firmware timeout (errors 2, recovered 1)\n"
    );
    assert_eq!(Output::default().health_check(&reps[1..]), "");
    assert_eq!(Output::default().health_check(&[]), "");
    // In error without a message (a driver may report none).
    let mut r = reps[1].clone();
    r.reporter.state = HealthState::Error;
    r.reporter.error_count = 1;
    assert_eq!(
        Output::default().health_check(&[r]),
        "accel0 reporter empty: error (errors 1, recovered 0)\n"
    );
}

#[test]
fn check_json() {
    let reps = common::decoded_reporters();
    let doc: Value = serde_json::from_str(&JSON.health_check(&reps)).expect("json");
    assert_eq!(doc["healthy"], false);
    assert_eq!(doc["unhealthy"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["unhealthy"][0]["reporter"], "dummy");
    assert_eq!(
        JSON.health_check(&reps[1..]),
        "{\"version\":2,\"healthy\":true,\"unhealthy\":[]}\n"
    );
}

#[test]
fn monitor_text_lines() {
    let out = Output::default();
    let reps = common::reporters_through_wire(
        &common::sample_reporters(),
        AccelCmd::HealthReporterErrorNtf,
    );
    assert_eq!(reps[0].0, AccelCmd::HealthReporterErrorNtf);
    assert_eq!(
        out.health_event(HealthEventKind::Error, &reps[0].1),
        "[health,error] accel0: accel_sim/accel_sim0 reporter dummy: error: firmware timeout \
         (errors 2, recovered 1)\n"
    );
    assert_eq!(
        out.health_event(HealthEventKind::Recover, &reps[2].1),
        "[health,recover] accel1: pci/0000:01:00.0 reporter fw: healthy (errors 5, recovered 5)\n"
    );
    assert_eq!(
        out.health_event(HealthEventKind::Change, &reps[1].1),
        "[health,change] accel0: accel_sim/accel_sim0 reporter empty: healthy \
         (errors 0, recovered 0)\n"
    );
}

#[test]
fn monitor_json_lines() {
    let out = Output {
        json: true,
        pretty: true,
    };
    for (kind, name) in [
        (HealthEventKind::Error, "health-error"),
        (HealthEventKind::Recover, "health-recover"),
        (HealthEventKind::Change, "health-change"),
    ] {
        let line = out.health_event(kind, &common::decoded_reporters()[0]);
        assert_eq!(line.lines().count(), 1, "{line}");
        let doc: Value = serde_json::from_str(&line).expect("json");
        assert_eq!(doc["event"], name);
        assert_eq!(doc["reporter"]["reporter"], "dummy");
        assert_eq!(doc["reporter"]["error_count"], 2);
    }
}
