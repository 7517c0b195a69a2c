//! dev flash and dev selftest on the host: the command line, the progress
//! rendering with a fake clock (terminal line, plain-line throttling, JSON
//! lines valid against the schema), the self-test results and exit
//! status, and the monitor lines.

use std::process::Command;
use std::time::Duration;

use accel_netlink::{
    AccelMessage, DevHandle, DevIdent, FlashBegin, FlashEnd, FlashEvent, FlashStatus,
    SelftestResult, SelftestTest, Selftests, ACCEL_FLASH_FILE_NAME_LEN,
};
use accelctl::cli::{Cli, Object};
use accelctl::extack::{ExtAck, KernelError};
use accelctl::objects::flash::{clock, flash_error, human_rate, same_device, Flash, Progress};
use accelctl::objects::selftest::{any_failed, RunArgs, Running, SelftestCommand};
use accelctl::objects::{Dev, DevCommand};
use accelctl::output::Output;
use serde_json::Value;

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    accelctl::cli::parse(&args)
}

fn flash(args: &[&str]) -> Result<Flash, String> {
    let mut all = vec!["accelctl", "dev", "flash"];
    all.extend(args);
    match parse(&all).map(|c| c.object) {
        Ok(Object::Dev(Dev {
            command: Some(DevCommand::Flash(f)),
        })) => Ok(f),
        Ok(other) => Err(format!("{other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

fn selftest_run(args: &[&str]) -> Result<RunArgs, String> {
    let mut all = vec!["accelctl", "dev", "selftest", "run"];
    all.extend(args);
    match parse(&all).map(|c| c.object) {
        Ok(Object::Dev(Dev {
            command: Some(DevCommand::Selftest(s)),
        })) => match s.command {
            Some(SelftestCommand::Run(r)) => Ok(r),
            other => Err(format!("{other:?}")),
        },
        Ok(other) => Err(format!("{other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn flash_command_line() {
    assert_eq!(
        flash(&["accel0", "file", "fw.bin"]),
        Ok(Flash {
            dev: DevHandle::Index(0),
            file: "fw.bin".into(),
            component: None,
            overwrite: 0,
        })
    );
    // overwrite repeats, like devlink's; keywords in any order.
    assert_eq!(
        flash(&[
            "pci/0000:03:00.0",
            "overwrite",
            "identifiers",
            "component",
            "fw.mgmt",
            "file",
            "a/b.bin",
            "overwrite",
            "settings",
        ]),
        Ok(Flash {
            dev: DevHandle::BusDev {
                bus: "pci".into(),
                dev: "0000:03:00.0".into()
            },
            file: "a/b.bin".into(),
            component: Some("fw.mgmt".into()),
            overwrite: 3,
        })
    );
    let long = "x".repeat(ACCEL_FLASH_FILE_NAME_LEN as usize + 1);
    let ok_len = "x".repeat(ACCEL_FLASH_FILE_NAME_LEN as usize);
    assert!(flash(&["accel0", "file", &ok_len]).is_ok());
    for (args, says) in [
        (&["accel0"][..], "'file' is required"),
        (&["accel0", "component", "fw"], "'file' is required"),
        (&["accel0", "file"], "'file' needs a value"),
        (
            &["accel0", "file", "a", "overwrite", "everything"],
            "invalid value 'everything' for 'overwrite': expected settings, identifiers",
        ),
        (
            &["accel0", "file", "a", "file", "b"],
            "'file' given more than once",
        ),
        (
            &["accel0", "file", &long],
            "the name is 257 bytes long, at most 256 are allowed",
        ),
        (
            &["accel0", "file", "a", "bogus", "1"],
            "unexpected argument 'bogus'",
        ),
    ] {
        let err = flash(args).expect_err("accepted");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(flash(&[]).is_err());
}

#[test]
fn flash_usage_errors_exit_2() {
    for args in [
        &["dev", "flash", "accel0", "file", "a", "overwrite", "x"][..],
        &["-j", "dev", "flash", "accel0"],
        &["dev", "selftest", "run", "accel0", "id", "memory"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_accelctl"))
            .args(args)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn selftest_command_line() {
    assert_eq!(
        selftest_run(&["accel1"]),
        Ok(RunArgs {
            dev: DevHandle::Index(1),
            ids: vec![]
        })
    );
    assert_eq!(
        selftest_run(&["accel1", "id", "3", "id", "1"]),
        Ok(RunArgs {
            dev: DevHandle::Index(1),
            ids: vec![3, 1]
        })
    );
    let err = selftest_run(&["accel1", "id", "-1"]).expect_err("negative");
    assert!(err.contains("invalid value '-1' for 'id'"), "{err}");
    assert!(selftest_run(&["accel1", "name", "memory"]).is_err());
    assert!(selftest_run(&[]).is_err());
}

fn ident() -> DevIdent {
    DevIdent {
        id: 3,
        index: 0,
        name: "accel0".into(),
        bus_name: "accel_sim".into(),
        dev_name: "accel_sim0".into(),
    }
}

fn begin() -> FlashEvent {
    FlashEvent::Begin(FlashBegin {
        dev: ident(),
        file_name: Some("fw.bin".into()),
        component: None,
        overwrite: 0,
    })
}

fn status(msg: &str, done: Option<u64>, total: Option<u64>, timeout: Option<u64>) -> FlashEvent {
    FlashEvent::Status(FlashStatus {
        dev: ident(),
        component: Some("fw".into()),
        status_msg: Some(msg.into()),
        done,
        total,
        timeout,
    })
}

fn end(error: u32, msg: Option<&str>) -> FlashEvent {
    FlashEvent::End(FlashEnd {
        dev: ident(),
        file_name: Some("fw.bin".into()),
        component: None,
        error,
        error_msg: msg.map(str::to_string),
    })
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

const TEXT: Output = Output {
    json: false,
    pretty: false,
};
const JSON: Output = Output {
    json: true,
    pretty: true, // lines stay one object each
};
const JSON1: Output = Output {
    json: true,
    pretty: false,
};

#[test]
fn terminal_line_is_redrawn_with_percent_rate_elapsed_and_timeout() {
    let mut p = Progress::new(TEXT, true);
    assert_eq!(
        p.event(&begin(), ms(0)),
        "accel0: flashing fw.bin\n".to_string()
    );
    assert_eq!(
        p.event(&status("Erasing", None, None, Some(30)), ms(100)),
        "\r\x1b[Kaccel0: fw: Erasing elapsed 0:00 timeout 0:00/0:30"
    );
    // A new step: the open line ends first.
    let w = p.event(&status("Writing", Some(0), Some(65536), None), ms(1000));
    assert_eq!(
        w,
        "\n\r\x1b[Kaccel0: fw: Writing [>                   ] 0% elapsed 0:01"
    );
    // 16 KiB in 0.5 s of the step: 32 KiB/s; a quarter done.
    let w = p.event(&status("Writing", Some(16384), Some(65536), None), ms(1500));
    assert_eq!(
        w,
        "\r\x1b[Kaccel0: fw: Writing [=====>              ] 25% 32.0 KiB/s elapsed 0:01"
    );
    let w = p.event(&status("Writing", Some(65536), Some(65536), None), ms(3000));
    assert!(
        w.ends_with("Writing [====================] 100% 32.0 KiB/s elapsed 0:03"),
        "{w:?}"
    );
    // The end closes the line; the result hints at the activation.
    assert_eq!(p.event(&end(0, None), ms(3100)), "\n");
    assert_eq!(p.finish(), "");
    assert_eq!(
        p.result(&DevHandle::Index(0), None),
        "accel0: flash done: the new firmware is stored; activate it with \
         'accelctl dev reload accel0 action fw_activate'\n"
    );
}

#[test]
fn plain_lines_one_per_step_and_per_ten_percent() {
    let mut p = Progress::new(TEXT, false);
    let mut out = p.event(&begin(), ms(0));
    out += &p.event(&status("Erasing", None, None, None), ms(10));
    out += &p.event(&status("Erasing", None, None, None), ms(20));
    // 100 status events of 1 % each: 11 lines (0 %, then every 10 %).
    for i in 0..=100u64 {
        out += &p.event(
            &status("Writing", Some(i * 1000), Some(100_000), None),
            ms(100 + i * 10),
        );
    }
    out += &p.event(&status("Verifying", None, None, None), ms(2000));
    out += &p.event(&end(0, None), ms(2100));
    out += &p.finish();
    let lines: Vec<&str> = out.lines().collect();
    assert!(!out.contains('\r'), "{out}");
    assert_eq!(lines[0], "accel0: flashing fw.bin");
    assert_eq!(lines[1], "accel0: fw: Erasing elapsed 0:00");
    let writing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("Writing"))
        .collect();
    assert_eq!(writing.len(), 11, "{writing:#?}");
    assert!(writing[0].contains(" 0% "), "{}", writing[0]);
    assert!(writing[5].contains(" 50% "), "{}", writing[5]);
    assert!(writing[10].contains(" 100% "), "{}", writing[10]);
    // 1000 bytes per 10 ms: 97.7 KiB/s.
    assert!(writing[10].contains("97.7 KiB/s"), "{}", writing[10]);
    assert_eq!(lines.last(), Some(&"accel0: fw: Verifying elapsed 0:02"));
    assert_eq!(lines.len(), 1 + 1 + 11 + 1);
}

#[test]
fn events_before_this_flash_began_are_not_shown() {
    // A refused second flash sees the statuses of the running one.
    let mut p = Progress::new(TEXT, false);
    assert_eq!(
        p.event(&status("Writing", Some(5), Some(10), None), ms(0)),
        ""
    );
    assert_eq!(p.event(&end(0, None), ms(1)), "");
    let mut j = Progress::new(JSON, false);
    assert_eq!(j.event(&end(0, None), ms(1)), "");
    // After its own end, nothing either.
    assert!(!p.event(&begin(), ms(2)).is_empty());
    assert_eq!(p.event(&end(5, Some("x")), ms(3)), "");
    assert_eq!(
        p.event(&status("Writing", Some(5), Some(10), None), ms(4)),
        ""
    );
}

fn validator() -> jsonschema::Validator {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/accelctl.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
    jsonschema::draft202012::new(&schema).expect("valid schema")
}

fn valid_lines(v: &jsonschema::Validator, text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| {
            let doc: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{line}\n{errors:#?}");
            doc
        })
        .collect()
}

#[test]
fn json_lines_validate_and_end_with_a_result() {
    let v = validator();
    let mut p = Progress::new(JSON, true); // a terminal changes nothing
    let mut out = p.event(&begin(), ms(0));
    out += &p.event(&status("Erasing", None, None, Some(30)), ms(1));
    for i in 0..=4u64 {
        out += &p.event(
            &status("Writing", Some(i * 16384), Some(65536), None),
            ms(2 + i),
        );
    }
    out += &p.event(&end(0, None), ms(10));
    out += &p.finish();
    out += &p.result(&DevHandle::Index(0), None);
    let docs = valid_lines(&v, &out);
    let events: Vec<&str> = docs
        .iter()
        .map(|d| d["event"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        events,
        [
            "flash-begin",
            "flash-status",
            "flash-status",
            "flash-status",
            "flash-status",
            "flash-status",
            "flash-status",
            "flash-end",
            "flash-result"
        ]
    );
    assert_eq!(docs[1]["timeout"], 30);
    assert_eq!(docs[1]["total"], Value::Null);
    assert_eq!(docs[6]["done"], 65536);
    assert_eq!(docs[7]["error"], 0);
    assert_eq!(docs[8]["ok"], true);
    assert_eq!(docs[8]["dev"]["name"], "accel0");

    // A failure: errno and both messages.
    let mut p = Progress::new(JSON, false);
    let mut out = p.event(&begin(), ms(0));
    out += &p.event(
        &end(5, Some("accel_sim: simulated flash failure at 50%")),
        ms(1),
    );
    let e: anyhow::Error = KernelError::new(
        -5,
        ExtAck {
            msg: Some("accel_sim: simulated flash failure at 50%".into()),
            ..Default::default()
        },
    )
    .into();
    let msg = flash_error(&e, &DevHandle::Index(0));
    assert_eq!(
        msg,
        "device accel0: cannot flash: Input/output error \
         (kernel: \"accel_sim: simulated flash failure at 50%\")"
    );
    out += &p.result(&DevHandle::Index(0), Some((&e, &msg)));
    let docs = valid_lines(&v, &out);
    assert_eq!(docs[1]["error"], 5);
    assert_eq!(docs[2]["ok"], false);
    assert_eq!(docs[2]["errno"], 5);
    assert_eq!(docs[2]["message"], msg.as_str());
    assert_eq!(
        docs[2]["kernel_message"],
        "accel_sim: simulated flash failure at 50%"
    );
    // A flash that never began: dev null.
    let p = Progress::new(JSON, false);
    let e: anyhow::Error = KernelError::new(-2, ExtAck::default()).into();
    let msg = flash_error(&e, &DevHandle::Index(0));
    assert!(msg.contains("firmware search path"), "{msg}");
    let docs = valid_lines(&v, &p.result(&DevHandle::Index(0), Some((&e, &msg))));
    assert_eq!(docs[0]["dev"], Value::Null);
    assert_eq!(docs[0]["errno"], 2);
    // Text mode prints nothing for a failure (stderr has the message).
    assert_eq!(
        Progress::new(TEXT, false).result(&DevHandle::Index(0), Some((&e, &msg))),
        ""
    );
}

#[test]
fn flash_errors_are_escaped() {
    let e: anyhow::Error = KernelError::new(
        -22,
        ExtAck {
            msg: Some("bad image magic\x1b[31m".into()),
            ..Default::default()
        },
    )
    .into();
    let msg = flash_error(&e, &DevHandle::Index(0));
    assert!(msg.contains("bad image magic\\x1b[31m"), "{msg}");
}

#[test]
fn units_and_clock() {
    assert_eq!(human_rate(512.0), "512 B/s");
    assert_eq!(human_rate(28_160.0), "27.5 KiB/s");
    assert_eq!(human_rate(1.5 * 1024.0 * 1024.0), "1.5 MiB/s");
    assert_eq!(clock(Duration::from_secs(5)), "0:05");
    assert_eq!(clock(Duration::from_secs(75)), "1:15");
    assert_eq!(clock(Duration::from_secs(3725)), "1:02:05");
}

#[test]
fn events_match_the_device_named() {
    let d = ident();
    assert!(same_device(&DevHandle::Index(0), &d));
    assert!(!same_device(&DevHandle::Index(1), &d));
    let by_name = DevHandle::BusDev {
        bus: "accel_sim".into(),
        dev: "accel_sim0".into(),
    };
    assert!(same_device(&by_name, &d));
}

#[test]
fn monitor_flash_lines() {
    let v = validator();
    for ev in [
        begin(),
        status("Writing", Some(4096), Some(65536), Some(10)),
        end(0, None),
        end(5, Some("boom\n")),
    ] {
        let j = JSON.flash_event(&ev);
        assert_eq!(j.lines().count(), 1);
        valid_lines(&v, &j);
    }
    assert_eq!(
        TEXT.flash_event(&begin()),
        "[flash,begin] accel0: accel_sim/accel_sim0 file fw.bin\n"
    );
    assert_eq!(
        TEXT.flash_event(&status("Writing", Some(4096), Some(65536), Some(10))),
        "[flash,status] accel0: accel_sim/accel_sim0 component fw msg Writing 4096/65536 \
         timeout 10s\n"
    );
    assert_eq!(
        TEXT.flash_event(&end(0, None)),
        "[flash,end] accel0: accel_sim/accel_sim0 file fw.bin ok\n"
    );
    assert_eq!(
        TEXT.flash_event(&end(5, Some("boom\n"))),
        "[flash,end] accel0: accel_sim/accel_sim0 file fw.bin error Input/output error: \
         boom\\x0a\n"
    );
}

fn test(id: u32, name: &str, r: Option<SelftestResult>, msg: Option<&str>) -> SelftestTest {
    SelftestTest {
        id,
        name: name.into(),
        result: r,
        result_msg: msg.map(str::to_string),
        ..Default::default()
    }
}

#[test]
fn selftest_results_text_json_and_failure() {
    let v = validator();
    let run = Selftests {
        dev: ident(),
        tests: vec![
            test(1, "memory", Some(SelftestResult::Pass), None),
            test(
                2,
                "compute",
                Some(SelftestResult::Fail),
                Some("accel_sim: simulated compute failure"),
            ),
            test(
                3,
                "link",
                Some(SelftestResult::Skip),
                Some("accel_sim: link test skipped"),
            ),
        ],
    };
    assert_eq!(
        TEXT.selftest_run(&run),
        "accel0: memory (1): pass\n\
         accel0: compute (2): fail: accel_sim: simulated compute failure\n\
         accel0: link (3): skip: accel_sim: link test skipped\n"
    );
    assert!(any_failed(&run));
    let doc = &valid_lines(&v, &JSON1.selftest_run(&run))[0];
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["results"][1]["result"], "fail");
    assert_eq!(doc["results"][2]["message"], "accel_sim: link test skipped");

    // Skip is not a failure; an unknown result is.
    let mut fine = run.clone();
    fine.tests.remove(1);
    assert!(!any_failed(&fine));
    let doc = &valid_lines(&v, &JSON1.selftest_run(&fine))[0];
    assert_eq!(doc["ok"], true);
    let mut odd = fine.clone();
    odd.tests[0].result = Some(SelftestResult::Unknown(7));
    assert!(any_failed(&odd));
    valid_lines(&v, &JSON1.selftest_run(&odd));
    odd.tests[0].result = None;
    assert!(any_failed(&odd));

    // show: ids and names; a device without tests.
    let list = vec![
        Selftests {
            dev: ident(),
            tests: vec![
                test(1, "memory", None, None),
                test(2, "compute", None, None),
            ],
        },
        Selftests {
            dev: DevIdent {
                index: 1,
                name: "accel1".into(),
                ..ident()
            },
            tests: vec![],
        },
    ];
    assert_eq!(
        TEXT.selftest_show(&list),
        "accel0: accel_sim/accel_sim0\n  id 1 name memory\n  id 2 name compute\n\
         accel1: accel_sim/accel_sim0\n  no self-tests\n"
    );
    let doc = &valid_lines(&v, &JSON1.selftest_show(&list))[0];
    assert_eq!(doc["devices"][0]["tests"][1]["name"], "compute");
    assert_eq!(doc["devices"][1]["tests"], serde_json::json!([]));
}

#[test]
fn selftest_status_events() {
    let v = validator();
    let mut running = test(1, "memory", None, None);
    let started = Selftests {
        dev: ident(),
        tests: vec![running.clone()],
    };
    running.done = Some(3);
    running.total = Some(10);
    let progress = Selftests {
        dev: ident(),
        tests: vec![running],
    };
    let ended = Selftests {
        dev: ident(),
        tests: vec![test(
            1,
            "memory",
            Some(SelftestResult::Fail),
            Some("accel_sim: simulated memory failure"),
        )],
    };
    assert_eq!(
        TEXT.selftest_event(&started),
        "[selftest,status] accel0: accel_sim/accel_sim0 test 1 memory running\n"
    );
    assert_eq!(
        TEXT.selftest_event(&progress),
        "[selftest,status] accel0: accel_sim/accel_sim0 test 1 memory running 3/10\n"
    );
    assert_eq!(
        TEXT.selftest_event(&ended),
        "[selftest,status] accel0: accel_sim/accel_sim0 test 1 memory fail: \
         accel_sim: simulated memory failure\n"
    );
    for st in [&started, &progress, &ended] {
        let docs = valid_lines(&v, &JSON.selftest_event(st));
        assert_eq!(docs[0]["event"], "selftest-status");
    }
    // The terminal line of a run: redrawn while a test runs, cleared at its end.
    let mut r = Running::default();
    assert_eq!(r.status(&started), "\r\x1b[Kaccel0: running memory (1)");
    assert_eq!(
        r.status(&progress),
        "\r\x1b[Kaccel0: running memory (1) 3/10"
    );
    assert_eq!(r.status(&ended), "\r\x1b[K");
    assert_eq!(r.finish(), "");
}

#[test]
fn flash_events_survive_the_wire() {
    use accel_netlink::{flash_event_message, to_bytes};
    use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
    use netlink_packet_generic::GenlMessage;
    for ev in [
        begin(),
        status("Writing", Some(1), Some(2), Some(3)),
        end(5, Some("x")),
    ] {
        let bytes = to_bytes(&flash_event_message(0x1c, &ev));
        let msg = NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(&bytes).expect("decode");
        let NetlinkPayload::InnerMessage(genl) = msg.payload else {
            panic!("not a genl message")
        };
        assert_eq!(FlashEvent::try_from(&genl.payload).expect("event"), ev);
    }
}

/// The reader of a followed request blocks in recv on a real socket until
/// the wake descriptor (here a socket pair) becomes readable.
#[test]
fn a_wake_descriptor_ends_a_blocking_receive() {
    use accelctl::session::{NetlinkTransport, Transport, Woken};
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;

    let Ok(mut t) = NetlinkTransport::open() else {
        eprintln!("no generic netlink socket here: not run");
        return;
    };
    let (mut tx, rx) = UnixStream::pair().expect("socket pair");
    t.set_wake(Some(rx.as_raw_fd()));
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        tx.write_all(b"d").expect("wake");
        tx
    });
    let mut buf = Vec::new();
    let err = t.recv(&mut buf).expect_err("woken, not a datagram");
    assert!(err.get_ref().is_some_and(|e| e.is::<Woken>()), "{err:?}");
    drop(writer.join());
}
