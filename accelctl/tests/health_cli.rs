//! `accelctl health`: keyword grammar, usage errors naming the argument,
//! exit codes. Runs on hosts without the accel family, where every health
//! command that reaches the kernel fails with status 1.

use std::process::{Command, Output};

use accel_netlink::{
    DevHandle, HealthReporterParams,
    ACCEL_A_HEALTH_REPORTER_GRACE_PERIOD_MAX as GRACE_PERIOD_MAX_MS,
};
use accelctl::cli::{Cli, Object};
use accelctl::objects::health::{DumpCommand, HealthCommand, ReporterArgs, SetArgs, ShowArgs};

fn health(args: &[&str]) -> Result<Option<HealthCommand>, String> {
    let argv: Vec<std::ffi::OsString> = ["accelctl", "health"]
        .iter()
        .chain(args)
        .map(Into::into)
        .collect();
    match accelctl::cli::parse(&argv) {
        Ok(Cli {
            object: Object::Health(accelctl::objects::health::Health { command }),
            ..
        }) => Ok(command),
        Ok(other) => Err(format!("not health: {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

fn reporter(dev: DevHandle, name: &str) -> ReporterArgs {
    ReporterArgs {
        dev,
        reporter: name.into(),
    }
}

fn accelctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accelctl"))
        .args(args)
        .output()
        .expect("run accelctl")
}

#[test]
fn show_forms() {
    assert!(matches!(health(&[]), Ok(None)));
    let show = |args: &[&str]| match health(args) {
        Ok(Some(HealthCommand::Show(a))) => Ok(a),
        other => Err(format!("{other:?}")),
    };
    assert_eq!(show(&["show"]), Ok(ShowArgs::default()));
    assert_eq!(
        show(&["show", "pci/0000:03:00.0"]),
        Ok(ShowArgs {
            dev: Some(DevHandle::BusDev {
                bus: "pci".into(),
                dev: "0000:03:00.0".into()
            }),
            reporter: None
        })
    );
    assert_eq!(
        show(&["show", "accel2", "reporter", "fw", "-j"]),
        Ok(ShowArgs {
            dev: Some(DevHandle::Index(2)),
            reporter: Some("fw".into())
        })
    );
}

#[test]
fn reporter_commands() {
    let r = || reporter(DevHandle::Index(0), "dummy");
    let cmd = |args: &[&str]| health(args).map(|c| format!("{c:?}"));
    let expect = |c: HealthCommand| Ok(format!("{:?}", Some(c)));
    assert_eq!(
        cmd(&["recover", "accel0", "reporter", "dummy"]),
        expect(HealthCommand::Recover(r()))
    );
    assert_eq!(
        cmd(&["diagnose", "0", "reporter", "dummy"]),
        expect(HealthCommand::Diagnose(r()))
    );
    assert_eq!(
        cmd(&["test", "/dev/accel/accel0", "reporter", "dummy"]),
        expect(HealthCommand::Test(r()))
    );
    assert_eq!(
        cmd(&["dump", "show", "accel0", "reporter", "dummy"]),
        expect(HealthCommand::Dump {
            command: DumpCommand::Show(r())
        })
    );
    assert_eq!(
        cmd(&["-p", "dump", "clear", "accel0", "reporter", "dummy"]),
        expect(HealthCommand::Dump {
            command: DumpCommand::Clear(r())
        })
    );
    assert_eq!(cmd(&["check"]), expect(HealthCommand::Check { dev: None }));
    assert_eq!(
        cmd(&["check", "accel3"]),
        expect(HealthCommand::Check {
            dev: Some(DevHandle::Index(3))
        })
    );
}

#[test]
fn set_keywords_in_any_order() {
    let set = |args: &[&str]| match health(args) {
        Ok(Some(HealthCommand::Set(a))) => Ok(a),
        other => Err(format!("{other:?}")),
    };
    assert_eq!(
        set(&[
            "set",
            "accel1",
            "auto_dump",
            "false",
            "reporter",
            "fw",
            "grace_period",
            "0",
            "auto_recover",
            "true"
        ]),
        Ok(SetArgs {
            dev: DevHandle::Index(1),
            reporter: "fw".into(),
            params: HealthReporterParams {
                grace_period_ms: Some(0),
                auto_recover: Some(true),
                auto_dump: Some(false),
            },
        })
    );
    // The spec's maximum, a day, is accepted; one more is a usage error.
    assert_eq!(
        set(&[
            "set",
            "accel1",
            "reporter",
            "fw",
            "grace_period",
            &GRACE_PERIOD_MAX_MS.to_string(),
        ])
        .map(|a| a.params),
        Ok(HealthReporterParams {
            grace_period_ms: Some(86_400_000),
            ..Default::default()
        })
    );
}

/// Each bad command line and a piece of the message that must name what
/// is wrong.
const LONG_NAME: &str = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";

const BAD: &[(&[&str], &str)] = &[
    // The kernel's limit is 63 bytes and a NUL: refused before any request.
    (
        &["recover", "accel0", "reporter", LONG_NAME],
        "the name is 64 bytes long, at most 63",
    ),
    (
        &["set", "accel0", "reporter", "fw", "auto_recover", "maybe"],
        "'maybe' for 'auto_recover'",
    ),
    (
        &["set", "accel0", "reporter", "fw", "auto_dump", "1"],
        "'1' for 'auto_dump'",
    ),
    (
        &["set", "accel0", "reporter", "fw", "auto_dump", "True"],
        "'True' for 'auto_dump'",
    ),
    (
        &["set", "accel0", "reporter", "fw", "grace_period", "-1"],
        "'-1' for 'grace_period'",
    ),
    (
        &["set", "accel0", "reporter", "fw", "grace_period", "+5"],
        "'+5' for 'grace_period'",
    ),
    (
        &["set", "accel0", "reporter", "fw", "grace_period", "1.5"],
        "'1.5' for 'grace_period'",
    ),
    (
        &["set", "accel0", "reporter", "fw", "grace_period", "10ms"],
        "'10ms' for 'grace_period'",
    ),
    (
        &[
            "set",
            "accel0",
            "reporter",
            "fw",
            "grace_period",
            "86400001",
        ],
        "'86400001' for 'grace_period': out of range: at most 86400000 milliseconds",
    ),
    (
        &[
            "set",
            "accel0",
            "reporter",
            "fw",
            "grace_period",
            "18446744073709551615",
        ],
        "for 'grace_period': out of range: at most 86400000",
    ),
    (
        &[
            "set",
            "accel0",
            "reporter",
            "fw",
            "grace_period",
            "18446744073709551616",
        ],
        "for 'grace_period': out of range: at most 86400000",
    ),
    (&["set", "accel0", "reporter", "fw"], "nothing to set"),
    (
        &["set", "accel0", "grace_period", "5"],
        "reporter is required",
    ),
    (
        &["set", "accel0", "reporter", "fw", "grace", "5"],
        "unexpected argument 'grace'",
    ),
    (
        &["set", "accel0", "reporter", "fw", "auto_dump"],
        "'auto_dump' needs a value",
    ),
    (
        &[
            "set",
            "accel0",
            "reporter",
            "fw",
            "auto_dump",
            "true",
            "auto_dump",
            "false",
        ],
        "'auto_dump' given more than once",
    ),
    (
        &["recover", "accel0", "reporter"],
        "'reporter' needs a value",
    ),
    (
        &["recover", "accel0", "report", "fw"],
        "unexpected argument 'report'",
    ),
    (&["recover", "accel0", "reporter", ""], "'' for 'reporter'"),
    (
        &["recover", "accel0", "reporter", "fw", "reporter", "x"],
        "'reporter' given more than once",
    ),
    (
        &["recover", "accel0", "reporter", "fw", "grace_period", "5"],
        "unexpected argument 'grace_period'",
    ),
    (
        &["diagnose", "accel0", "reporter", "fw", "extra"],
        "unexpected argument 'extra'",
    ),
    (&["test", "accel0"], "not provided: <reporter NAME>"),
    (&["test"], "not provided: <DEV> <reporter NAME>"),
    (
        &["dump", "show", "accel0", "fw"],
        "unexpected argument 'fw'",
    ),
    (
        &["dump", "clear", "gpu0", "reporter", "fw"],
        "invalid device 'gpu0'",
    ),
    (&["dump"], "the stored dump"), // clap prints the help of `dump`
    (
        &["dump", "sh", "accel0", "reporter", "fw"],
        "unrecognized subcommand 'sh'",
    ),
    (&["show", "reporter", "fw"], "invalid device 'reporter'"),
    (&["show", "accel0", "fw"], "unexpected argument 'fw'"),
    (
        &["show", "accel0", "reporter", "fw", "x", "y"],
        "unexpected argument 'x'",
    ),
    (
        &["check", "accel0", "accel1"],
        "unexpected argument 'accel1'",
    ),
    (
        &["rec", "accel0", "reporter", "fw"],
        "unrecognized subcommand 'rec'",
    ),
    (
        &["diag", "accel0", "reporter", "fw"],
        "unrecognized subcommand 'diag'",
    ),
];

/// The message of a clap error without the usage and hint paragraphs
/// that follow it (they name every argument of the form whatever went
/// wrong), whitespace collapsed as in the JSON error document.
fn message(err: &str) -> String {
    let first = err.split("\n\n").next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    first.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn bad_command_lines_are_rejected_naming_the_argument() {
    for (args, needle) in BAD {
        let err = match health(args) {
            Err(e) => e,
            Ok(c) => panic!("{args:?} was accepted as {c:?}"),
        };
        let msg = message(&err);
        assert!(msg.contains(needle), "{args:?}: {msg:?} (from {err:?})");
    }
}

/// The built binary: usage errors exit 2, print the usage of the form,
/// and with -j a JSON error document naming the argument.
#[test]
fn usage_errors_exit_2() {
    for (args, needle) in BAD {
        let mut argv = vec!["-j", "health"];
        argv.extend_from_slice(args);
        let o = accelctl(&argv);
        assert_eq!(o.status.code(), Some(2), "{argv:?}");
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let msg = doc["error"]["message"].as_str().expect("message");
        assert!(msg.contains(needle), "{argv:?}: {msg}");
    }
    let o = accelctl(&[
        "health",
        "set",
        "accel0",
        "reporter",
        "fw",
        "auto_recover",
        "maybe",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Usage: accelctl health set DEV reporter NAME [grace_period MS]"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn help_exits_0() {
    for args in [
        &["health", "--help"][..],
        &["health", "show", "--help"],
        &["health", "set", "--help"],
        &["health", "dump", "--help"],
        &["health", "dump", "clear", "--help"],
        &["health", "check", "--help"],
    ] {
        let o = accelctl(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(!o.stdout.is_empty());
    }
    let help = String::from_utf8_lossy(&accelctl(&["health", "set", "--help"]).stdout).into_owned();
    assert!(
        help.contains("Usage: accelctl health set DEV reporter NAME"),
        "{help}"
    );
}

/// Well-formed commands reach the kernel: on this host (no accel family)
/// they fail with status 1 and say the family is missing; where the
/// family exists, accel4294967295 does not, and the device is named.
#[test]
fn runtime_errors_exit_1() {
    for args in [
        &["health", "show"][..],
        &["health", "show", "accel4294967295"],
        &["health", "show", "accel4294967295", "reporter", "fw"],
        &[
            "health",
            "set",
            "accel4294967295",
            "reporter",
            "fw",
            "auto_dump",
            "true",
        ],
        &["health", "recover", "accel4294967295", "reporter", "fw"],
        &["health", "diagnose", "accel4294967295", "reporter", "fw"],
        &["health", "test", "accel4294967295", "reporter", "fw"],
        &[
            "health",
            "dump",
            "show",
            "accel4294967295",
            "reporter",
            "fw",
        ],
        &[
            "health",
            "dump",
            "clear",
            "accel4294967295",
            "reporter",
            "fw",
        ],
        &["health", "check", "accel4294967295"],
    ] {
        let mut argv = vec!["-j"];
        argv.extend_from_slice(args);
        let o = accelctl(&argv);
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        if args == ["health", "show"] && doc.get("reporters").is_some() {
            assert_eq!(o.status.code(), Some(0)); // a kernel with the family
            continue;
        }
        assert_eq!(o.status.code(), Some(1), "{argv:?}");
        let msg = doc["error"]["message"].as_str().expect("message");
        assert!(
            msg.contains("'accelctl health' needs the kernel's accel netlink family")
                || msg.contains("device accel4294967295"),
            "{argv:?}: {msg}"
        );
        let o = accelctl(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).starts_with("accelctl: "));
    }
}
