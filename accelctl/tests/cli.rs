//! The built binary: exact keywords, exit codes, JSON on every path.
//!
//! These run on hosts without the accel family (the family lives in the
//! patched VM kernel), so `dev show` exercises the sysfs fallback.

use std::process::{Command, Output};

use accelctl::cli::{Cli, Object};
use accelctl::objects::dev::Show;
use accelctl::objects::info::Info;
use accelctl::objects::{Dev, DevCommand};

fn accelctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accelctl"))
        .args(args)
        .output()
        .expect("run accelctl")
}

fn json_stdout(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    accelctl::cli::parse(&args)
}

#[test]
fn parses_grammar_and_options_anywhere() {
    let cli = parse(&["accelctl", "-j", "-p", "dev", "show", "pci/0000:03:00.0"]).unwrap();
    assert!(cli.opts.json && cli.opts.pretty && !cli.opts.verbose);
    let cli = parse(&["accelctl", "dev", "show", "accel1", "-jv"]).unwrap();
    assert!(cli.opts.json && cli.opts.verbose && !cli.opts.pretty);
    let long = parse(&["accelctl", "dev", "--pretty", "show", "--json"]).unwrap();
    assert!(long.opts.json && long.opts.pretty);
    // After `--` nothing is an option: "-j" is the DEV argument (and bad).
    assert!(parse(&["accelctl", "dev", "show", "--", "-j"]).is_err());
    // A cluster with other letters is clap's, whole: -jx is unknown, and
    // -5j is no DEV (nor a -j).
    assert!(parse(&["accelctl", "-jx", "dev", "show"]).is_err());
    assert!(parse(&["accelctl", "dev", "show", "-5j"]).is_err());
    // -s (statistics) like the others, anywhere.
    let stats = parse(&["accelctl", "dev", "show", "-sj"]).unwrap();
    assert!(stats.opts.statistics && stats.opts.json);
    assert!(
        parse(&["accelctl", "--statistics", "dev", "show"])
            .unwrap()
            .opts
            .statistics
    );
    match cli.object {
        Object::Dev(Dev {
            command: Some(DevCommand::Show(Show { dev: Some(h) })),
        }) => assert_eq!(h.to_string(), "accel1"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse(&["accelctl", "dev"]).unwrap().object,
        Object::Dev(Dev { command: None })
    ));
    assert!(matches!(
        parse(&["accelctl", "monitor"]).unwrap().object,
        Object::Monitor(_)
    ));
}

#[test]
fn parses_dev_info() {
    use accel_netlink::DevHandle;
    let info = |args: &[&str]| match parse(args).map(|c| c.object) {
        Ok(Object::Dev(Dev {
            command: Some(DevCommand::Info(Info { dev })),
        })) => Ok(dev),
        other => Err(format!("{other:?}")),
    };
    assert_eq!(info(&["accelctl", "dev", "info"]), Ok(None));
    assert_eq!(
        info(&["accelctl", "-j", "dev", "info", "accel3"]),
        Ok(Some(DevHandle::Index(3)))
    );
    assert_eq!(
        info(&["accelctl", "dev", "info", "pci/0000:03:00.0", "-p"]),
        Ok(Some(DevHandle::BusDev {
            bus: "pci".into(),
            dev: "0000:03:00.0".into()
        }))
    );
    assert!(info(&["accelctl", "dev", "inf"]).is_err());
    assert!(info(&["accelctl", "dev", "info", "accel1", "accel2"]).is_err());
}

#[test]
fn keywords_are_exact() {
    for args in [
        &["accelctl", "d", "show"][..],
        &["accelctl", "de", "show"],
        &["accelctl", "dev", "sh"],
        &["accelctl", "dev", "list"],
        &["accelctl", "mon"],
        &["accelctl", "dev", "show", "accel0", "extra"],
        &["accelctl", "--jso", "dev"],
    ] {
        assert!(parse(args).is_err(), "{args:?} was accepted");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["dev", "sh"][..],
        &["bogus"],
        &["dev", "show", "accelX"],
        &["dev", "info", "gpu0"],
        &["dev", "info", "accel0", "extra"],
        &["--nope"],
        &[],
    ] {
        let o = accelctl(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn usage_error_with_json_prints_error_document() {
    let o = accelctl(&["-j", "dev", "show", "pci/"]);
    assert_eq!(o.status.code(), Some(2));
    let doc = json_stdout(&o);
    let msg = doc["error"]["message"].as_str().expect("message");
    assert!(msg.contains("'pci/'"), "{msg}");
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        &["--help"][..],
        &["-V"],
        &["dev", "--help"],
        &["dev", "show", "--help"],
        &["dev", "info", "--help"],
    ] {
        let o = accelctl(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(!o.stdout.is_empty());
    }
    assert!(String::from_utf8_lossy(&accelctl(&["-V"]).stdout).starts_with("accelctl "));
}

/// Without the family (this host): clear message, sysfs listing, exit 0.
#[test]
fn dev_show_without_family_falls_back() {
    let o = accelctl(&["-j", "dev", "show"]);
    let doc = json_stdout(&o);
    if doc["source"] == "sysfs" {
        assert_eq!(o.status.code(), Some(0));
        assert!(doc["devices"].is_array());
        let o = accelctl(&["dev", "show"]);
        assert_eq!(o.status.code(), Some(0));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("no 'accel' generic netlink family"), "{err}");
    } else {
        assert_eq!(doc["source"], "netlink", "{doc}");
    }
}

/// Without the family there is nothing to fall back to: exit 1, say why.
#[test]
fn dev_info_without_family_is_a_clear_error() {
    let o = accelctl(&["-j", "dev", "info"]);
    let doc = json_stdout(&o);
    if doc.get("error").is_some() {
        assert_eq!(o.status.code(), Some(1));
        let msg = doc["error"]["message"].as_str().expect("message");
        assert!(
            msg.contains("needs the kernel's accel netlink family"),
            "{msg}"
        );
    } else {
        assert_eq!(o.status.code(), Some(0), "{doc}");
        assert!(doc["devices"].is_array());
    }
}

/// A DEV that exists nowhere: exit 1 whether or not the family is there,
/// with the device named (family present) or the family named (absent).
#[test]
fn dev_info_of_a_missing_device_exits_1() {
    let o = accelctl(&["-j", "dev", "info", "accel4294967295"]);
    assert_eq!(o.status.code(), Some(1));
    let doc = json_stdout(&o);
    let msg = doc["error"]["message"].as_str().expect("message");
    assert!(
        msg.contains("needs the kernel's accel netlink family")
            || (msg.contains("accel4294967295") && msg.contains("accelctl dev show")),
        "{msg}"
    );
    let o = accelctl(&["dev", "info", "accel4294967295"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("accelctl: "));
}

#[test]
fn runtime_error_with_json_exits_1_with_document() {
    // accel4294967295 exists nowhere: an error from netlink or sysfs alike.
    let o = accelctl(&["-j", "dev", "show", "4294967295"]);
    assert_eq!(o.status.code(), Some(1));
    let doc = json_stdout(&o);
    let msg = doc["error"]["message"].as_str().expect("message");
    assert!(msg.contains("accel4294967295"), "{msg}");
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("accelctl: "));
}

/// Help of every command lists the options valid there, -j/-p/-v included.
#[test]
fn command_help_lists_global_options() {
    for args in [&["dev", "show", "--help"][..], &["health", "recover", "-h"]] {
        let o = accelctl(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let help = String::from_utf8_lossy(&o.stdout);
        for opt in ["--json", "--pretty", "--verbose"] {
            assert!(help.contains(opt), "{args:?}: {help}");
        }
    }
}

#[test]
fn closed_stdout_is_not_a_crash() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_accelctl"))
        .args(["-jp", "dev", "show"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // reader gone before the first write
    let o = child.wait_with_output().expect("wait");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
}

#[test]
fn parses_param_and_reload() {
    use accel_netlink::{DevHandle, ParamCmode, ReloadAction, ReloadLimit};
    use accelctl::objects::param::{self, ParamCommand};
    use accelctl::objects::reload::Reload;

    let set = |args: &[&str]| match parse(args).map(|c| c.object) {
        Ok(Object::Dev(Dev {
            command:
                Some(DevCommand::Param(param::Param {
                    command: Some(ParamCommand::Set(a)),
                })),
        })) => Ok(a),
        other => Err(format!("{other:?}")),
    };
    let a = set(&[
        "accelctl",
        "dev",
        "param",
        "set",
        "accel1",
        "value",
        "20000",
        "name",
        "job_timeout_ms",
        "cmode",
        "driverinit",
    ])
    .unwrap();
    assert_eq!(a.dev, DevHandle::Index(1));
    assert_eq!(a.name, "job_timeout_ms");
    assert_eq!(a.cmode, ParamCmode::Driverinit);
    assert_eq!(a.value.uint, Some(20000));
    assert_eq!(a.value.string.as_deref(), Some("20000"));
    // Bool words and hex are numbers too; text only a string; a negative
    // number is a value (the kernel refuses it by type), not an option.
    for (v, uint) in [
        ("true", Some(1)),
        ("off", Some(0)),
        ("0x10", Some(16)),
        ("sim", None),
        ("-1", None),
    ] {
        let a = set(&[
            "accelctl", "dev", "param", "set", "accel1", "name", "x", "value", v, "cmode",
            "runtime",
        ])
        .unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(a.value.uint, uint, "{v}");
        assert_eq!(a.value.string.as_deref(), Some(v));
    }
    // Only what no type accepts is refused here: a missing keyword, a bad
    // cmode word, a value longer than a string parameter's, a name too long.
    let long = "x".repeat(129);
    let long_name = "n".repeat(65);
    for args in [
        &[
            "accelctl", "dev", "param", "set", "accel1", "name", "x", "value", "1",
        ][..],
        &[
            "accelctl", "dev", "param", "set", "accel1", "name", "x", "cmode", "runtime",
        ],
        &[
            "accelctl", "dev", "param", "set", "accel1", "value", "1", "cmode", "runtime",
        ],
        &[
            "accelctl", "dev", "param", "set", "accel1", "name", "x", "value", "1", "cmode",
            "Runtime",
        ],
        &[
            "accelctl", "dev", "param", "set", "accel1", "name", "x", "value", &long, "cmode",
            "runtime",
        ],
        &[
            "accelctl", "dev", "param", "set", "accel1", "name", &long_name, "value", "1", "cmode",
            "runtime",
        ],
        &[
            "accelctl", "dev", "param", "set", "accel1", "name", "x", "value", "1", "cmode",
            "runtime", "name", "y",
        ],
        &[
            "accelctl", "dev", "param", "set", "accel1", "name", "x", "value",
        ],
        &["accelctl", "dev", "param", "set"],
        &[
            "accelctl", "dev", "param", "show", "accel1", "reporter", "x",
        ],
        &["accelctl", "dev", "param", "sh"],
    ] {
        assert!(parse(args).is_err(), "{args:?} was accepted");
    }
    let x128 = "x".repeat(128);
    assert!(set(&[
        "accelctl",
        "dev",
        "param",
        "set",
        "accel1",
        "name",
        "x",
        "value",
        &x128,
        "cmode",
        "permanent"
    ])
    .is_ok());

    let show = |args: &[&str]| match parse(args).map(|c| c.object) {
        Ok(Object::Dev(Dev {
            command: Some(DevCommand::Param(param::Param { command })),
        })) => Ok(command),
        other => Err(format!("{other:?}")),
    };
    assert!(matches!(show(&["accelctl", "dev", "param"]), Ok(None)));
    match show(&[
        "accelctl",
        "dev",
        "param",
        "show",
        "accel_sim/accel_sim1",
        "name",
        "job_timeout_ms",
    ]) {
        Ok(Some(ParamCommand::Show(a))) => {
            assert_eq!(a.name.as_deref(), Some("job_timeout_ms"));
            assert_eq!(
                a.dev.map(|d| d.to_string()).as_deref(),
                Some("accel_sim/accel_sim1")
            );
        }
        other => panic!("{other:?}"),
    }

    let reload = |args: &[&str]| match parse(args).map(|c| c.object) {
        Ok(Object::Dev(Dev {
            command: Some(DevCommand::Reload(r)),
        })) => Ok(r),
        other => Err(format!("{other:?}")),
    };
    assert_eq!(
        reload(&["accelctl", "dev", "reload", "accel0"]),
        Ok(Reload {
            dev: DevHandle::Index(0),
            action: None,
            limit: None
        })
    );
    assert_eq!(
        reload(&[
            "accelctl",
            "dev",
            "reload",
            "0",
            "limit",
            "no_reset",
            "action",
            "fw_activate"
        ]),
        Ok(Reload {
            dev: DevHandle::Index(0),
            action: Some(ReloadAction::FwActivate),
            limit: Some(ReloadLimit::NoReset)
        })
    );
    for args in [
        &["accelctl", "dev", "reload"][..],
        &["accelctl", "dev", "reload", "accel0", "action"],
        &[
            "accelctl",
            "dev",
            "reload",
            "accel0",
            "action",
            "driver-reinit",
        ],
        &["accelctl", "dev", "reload", "accel0", "action", "reset"],
        &["accelctl", "dev", "reload", "accel0", "limit", "fast"],
        &["accelctl", "dev", "reload", "accel0", "cmode", "runtime"],
    ] {
        assert!(reload(args).is_err(), "{args:?} was accepted");
    }
}

#[test]
fn param_and_reload_usage_errors_exit_2_with_json() {
    for args in [
        &[
            "-j", "dev", "param", "set", "accel0", "name", "x", "value", "1", "cmode", "now",
        ][..],
        &["-j", "dev", "reload", "accel0", "action", "bogus"],
        &["-j", "dev", "param", "set", "accel0", "name", "x"],
    ] {
        let o = accelctl(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let doc = json_stdout(&o);
        assert!(doc["error"]["message"].is_string(), "{args:?}: {doc}");
    }
    let o = accelctl(&[
        "dev", "param", "set", "accel0", "name", "x", "value", "1", "cmode", "now",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("invalid value 'now' for 'cmode': expected runtime, driverinit, permanent"),
        "{err}"
    );
}
