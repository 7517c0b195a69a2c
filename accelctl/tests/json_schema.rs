//! Every JSON document the output layer renders validates against the
//! published schema (and the schema is strict enough to reject drift).

mod common;

use accel_netlink::AccelCmd;
use accelctl::objects::dev::{EventKind, Source};
use accelctl::objects::health::HealthEventKind;
use accelctl::output::Output;
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/accelctl.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
    jsonschema::draft202012::new(&schema).expect("valid draft 2020-12 schema")
}

fn assert_valid(v: &jsonschema::Validator, text: &str) {
    for line in text.lines().filter(|l| !l.is_empty()) {
        let doc: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{line}\n{errors:#?}");
    }
}

#[test]
fn dev_show_documents_validate() {
    let v = validator();
    let devs = common::decoded_devices();
    let out = Output {
        json: true,
        pretty: false,
    };
    for source in [Source::Netlink, Source::Sysfs] {
        assert_valid(&v, &out.dev_show(&devs, source, false));
        assert_valid(&v, &out.dev_show(&devs[..1], source, true));
        assert_valid(&v, &out.dev_show(&[], source, false));
    }
    // Pretty output is one document over many lines.
    let pretty = Output {
        json: true,
        pretty: true,
    }
    .dev_show(&devs, Source::Netlink, false);
    let doc: Value = serde_json::from_str(&pretty).expect("pretty json");
    assert!(v.is_valid(&doc));
    assert_eq!(doc["devices"][0]["pci"]["link_speed"], 8000);
    assert_eq!(doc["devices"][1]["pci"]["link_speed"], Value::Null);
    assert_eq!(doc["devices"][2]["pci"], Value::Null);
}

#[test]
fn monitor_lines_validate() {
    let v = validator();
    let out = Output {
        json: true,
        pretty: true,
    }; // events stay one per line anyway
    for cmd in [AccelCmd::DevAddNtf, AccelCmd::DevDelNtf] {
        for (c, d) in common::through_wire(&common::sample_devices(), cmd) {
            let kind = if c == AccelCmd::DevAddNtf {
                EventKind::DevAdd
            } else {
                EventKind::DevDel
            };
            let line = out.event(kind, &d);
            assert_eq!(line.lines().count(), 1, "{line}");
            assert_valid(&v, &line);
        }
    }
}

#[test]
fn dev_info_documents_validate() {
    let v = validator();
    let infos = common::decoded_infos();
    for pretty in [false, true] {
        let out = Output { json: true, pretty };
        let text = out.dev_info(&infos);
        let doc: Value = serde_json::from_str(&text).expect("json");
        assert!(v.is_valid(&doc), "{text}");
        let empty: Value = serde_json::from_str(&out.dev_info(&[])).expect("json");
        assert!(v.is_valid(&empty));
    }
}

#[test]
fn info_change_lines_validate() {
    let v = validator();
    let out = Output {
        json: true,
        pretty: true,
    };
    for (cmd, info) in common::infos_through_wire(&common::sample_infos(), AccelCmd::InfoChangeNtf)
    {
        assert_eq!(cmd, AccelCmd::InfoChangeNtf);
        let line = out.info_event(&info);
        assert_eq!(line.lines().count(), 1, "{line}");
        assert_valid(&v, &line);
        let doc: Value = serde_json::from_str(&line).expect("json");
        assert_eq!(doc["event"], "info-change");
        assert_eq!(doc["info"]["index"], info.dev.index);
    }
}

#[test]
fn error_document_validates() {
    let v = validator();
    assert_valid(
        &v,
        &Output {
            json: true,
            pretty: false,
        }
        .error_doc("device accel7: No such device"),
    );
}

#[test]
fn health_documents_validate() {
    let v = validator();
    let reps = common::decoded_reporters();
    let (tree, _) = common::fmsg_through_wire(common::dummy_tree(), 4);
    let (empty, _) = common::fmsg_through_wire(vec![], 4);
    for pretty in [false, true] {
        let out = Output { json: true, pretty };
        for text in [
            out.health_show(&reps),
            out.health_show(&reps[..1]),
            out.health_show(&[]),
            out.health_dump(&tree),
            out.health_dump(&empty),
            out.health_check(&reps),
            out.health_check(&reps[1..]),
            out.health_check(&[]),
        ] {
            let doc: Value = serde_json::from_str(&text).expect("json");
            let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{text}\n{errors:#?}");
        }
    }
}

#[test]
fn health_monitor_lines_validate() {
    let v = validator();
    let out = Output {
        json: true,
        pretty: true,
    };
    for (cmd, kind) in [
        (AccelCmd::HealthReporterErrorNtf, HealthEventKind::Error),
        (AccelCmd::HealthReporterRecoverNtf, HealthEventKind::Recover),
        (AccelCmd::HealthReporterChangeNtf, HealthEventKind::Change),
    ] {
        for (c, r) in common::reporters_through_wire(&common::sample_reporters(), cmd) {
            assert_eq!(c, cmd);
            let line = out.health_event(kind, &r);
            assert_eq!(line.lines().count(), 1, "{line}");
            assert_valid(&v, &line);
        }
    }
}

/// A reporter object as accelctl prints it, for the drift cases below.
const REPORTER: &str = concat!(
    r#"{"id":3,"index":0,"name":"accel0","handle":"b/d","bus_name":"b","dev_name":"d","#,
    r#""reporter":"fw","state":"error","error_count":1,"recover_count":0,"#,
    r#""last_error_time":null,"last_error_msg":null,"grace_period_ms":null,"#,
    r#""auto_recover":null,"auto_dump":null,"dump_time":null}"#
);

#[test]
fn schema_rejects_health_drift() {
    let v = validator();
    let ok = |doc: String| {
        assert!(
            v.is_valid(&serde_json::from_str(&doc).expect("json")),
            "{doc}"
        );
    };
    let bad = |doc: String| {
        assert!(
            !v.is_valid(&serde_json::from_str(&doc).expect("json")),
            "{doc}"
        );
    };
    let tree = |node: &str| format!(r#"{{"version":2,"reporter":{REPORTER},"tree":[{node}]}}"#);
    // The reference documents are valid, so each case fails for its drift.
    ok(format!(r#"{{"version":2,"reporters":[{REPORTER}]}}"#));
    ok(format!(
        r#"{{"version":2,"healthy":false,"unhealthy":[{REPORTER}]}}"#
    ));
    ok(format!(
        r#"{{"version":2,"event":"health-error","reporter":{REPORTER}}}"#
    ));
    ok(tree(r#"{"name":"b","type":"binary","value":"00ff"}"#));
    ok(tree(
        r#"{"name":null,"type":"array","elements":[{"name":null,"type":"sint","value":-1}]}"#,
    ));
    // 64-bit values: numbers up to 2^53 - 1, digit strings beyond.
    ok(tree(
        r#"{"name":"n","type":"uint","value":9007199254740991}"#,
    ));
    ok(tree(
        r#"{"name":"n","type":"uint","value":"18446744073709551615"}"#,
    ));
    ok(tree(
        r#"{"name":"n","type":"sint","value":"-9223372036854775808"}"#,
    ));
    ok(format!(
        r#"{{"version":2,"reporters":[{}]}}"#,
        REPORTER.replace(
            "\"last_error_time\":null",
            "\"last_error_time\":\"2026-11-28T06:30:23.123456789Z\""
        )
    ));
    bad(format!(
        r#"{{"version":2,"reporters":[{}]}}"#,
        REPORTER.replace("\"last_error_time\":null", "\"last_error_time\":1764311423")
    ));
    bad(format!(
        r#"{{"version":2,"reporters":[{}]}}"#,
        REPORTER.replace("\"id\":3", "\"id\":9007199254740993")
    ));

    bad(format!(
        r#"{{"version":2,"reporters":[{}]}}"#,
        REPORTER.replace("\"error\"", "\"degraded\"")
    ));
    bad(format!(
        r#"{{"version":2,"reporters":[{}]}}"#,
        REPORTER.replace(",\"dump_time\":null", "")
    ));
    bad(format!(
        r#"{{"version":2,"reporters":[{}]}}"#,
        REPORTER.replace("\"error_count\":1", "\"error_count\":-1")
    ));
    bad(format!(
        r#"{{"version":2,"reporters":[{}]}}"#,
        REPORTER.replace("\"auto_dump\":null", "\"auto_dump\":1")
    ));
    // A healthy reporter among the unhealthy ones.
    bad(format!(
        r#"{{"version":2,"healthy":false,"unhealthy":[{}]}}"#,
        REPORTER.replace("\"error\"", "\"healthy\"")
    ));
    bad(format!(
        r#"{{"version":2,"event":"health-dump","reporter":{REPORTER}}}"#
    ));
    bad(format!(
        r#"{{"version":2,"event":"health-error","device":{REPORTER}}}"#
    ));
    bad(tree(r#"{"name":"b","type":"binary","value":"00 ff"}"#));
    bad(tree(r#"{"name":"b","type":"binary","value":"0F"}"#));
    bad(tree(r#"{"name":"n","type":"u8","value":25}"#));
    bad(tree(r#"{"name":"n","type":"uint","value":true}"#));
    bad(tree(r#"{"name":"n","type":"uint","value":"12"}"#));
    bad(tree(
        r#"{"name":"n","type":"sint","value":9223372036854775808}"#,
    ));
    bad(tree(r#"{"name":"n","type":"uint","value":-1}"#));
    bad(tree(r#"{"name":"n","type":"string","value":1}"#));
    bad(tree(r#"{"name":"n","type":"float","value":1.5}"#));
    bad(tree(r#"{"name":"o","type":"object","elements":[]}"#));
    bad(tree(
        r#"{"name":"a","type":"array","elements":[{"name":null,"type":"bool"}]}"#,
    ));
    bad(tree(r#"{"type":"bool","value":true}"#));
}

#[test]
fn schema_rejects_drift() {
    let v = validator();
    for bad in [
        r#"{"version":2,"source":"netlink","devices":[],"extra":1}"#,
        r#"{"version":1,"source":"netlink","devices":[]}"#,
        r#"{"version":2,"source":"proc","devices":[]}"#,
        r#"{"version":2,"error":{}}"#,
        r#"{"version":2,"event":"dev-new","device":null}"#,
        r#"{"version":2,"devices":[{"index":0}]}"#,
        r#"{"version":2,"event":"info-change","device":null}"#,
        r#"{"version":2,"event":"dev-add","info":null}"#,
        concat!(
            r#"{"version":2,"devices":[{"id":1,"index":0,"name":"a","handle":"b/c","#,
            r#""bus_name":"b","dev_name":"c","error":null,"serial_number":null,"versions":{"fixed":[],"#,
            r#""running":[{"name":"fw"}],"stored":[]},"pending_activation":[]}]}"#
        ),
    ] {
        assert!(
            !v.is_valid(&serde_json::from_str(bad).expect("json")),
            "{bad}"
        );
    }
}

#[test]
fn param_reload_and_statistics_documents_validate() {
    use accel_netlink::{ReloadAction, ReloadReply};
    let v = validator();
    let params = common::decoded_params();
    for pretty in [false, true] {
        let out = Output { json: true, pretty };
        let doc: Value = serde_json::from_str(&out.param_show(&params)).expect("json");
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_valid(
            &v,
            &Output {
                json: true,
                pretty: false,
            }
            .param_show(&[]),
        );
    }
    let out = Output {
        json: true,
        pretty: false,
    };
    for p in &params {
        assert_valid(&v, &out.param_event(p));
    }
    let r = ReloadReply {
        dev: params[0].dev.clone(),
        actions_performed: vec![ReloadAction::FwActivate, ReloadAction::DriverReinit],
    };
    assert_valid(&v, &out.reload_done(&r));
    let devs = common::decoded_devices();
    for source in [Source::Netlink, Source::Sysfs] {
        for stats in [false, true] {
            assert_valid(&v, &out.dev_show_stats(&devs, source, false, stats));
            assert_valid(&v, &out.dev_show_stats(&devs[..1], source, true, stats));
        }
    }
    for d in &devs {
        assert_valid(&v, &out.event(EventKind::DevChange, d));
    }
    // Strict: a param value of another shape, or an unknown pending word, fails.
    let mut doc: Value = serde_json::from_str(&out.param_show(&params)).expect("json");
    doc["params"][0]["values"][0]["value"] = serde_json::json!([1]);
    assert!(!v.is_valid(&doc));
    let mut doc: Value = serde_json::from_str(&out.param_show(&params)).expect("json");
    doc["params"][0]["values"][1]["pending"] = "driver-reinit".into();
    assert!(!v.is_valid(&doc));
}
