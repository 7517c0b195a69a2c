//! accelctl entry point: parse, run, map the outcome to an exit status.
//! 0 ok, 1 error, 2 usage, 3 `health check` found an unhealthy reporter;
//! with -j, stdout carries a JSON document even on error.

use std::ffi::OsString;
use std::process::ExitCode;

use accelctl::cli::Cli;
use accelctl::output::Output;
use accelctl::{emit, is_broken_pipe, run, EXIT_ERROR, EXIT_OK, EXIT_USAGE};
use clap::Parser;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage(e, &args),
    };
    let out = Output {
        json: cli.opts.json,
        pretty: cli.opts.pretty,
    };
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("accelctl: {msg}");
            if out.json {
                let _ = emit(&out.error_doc(&msg));
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Help/version go to stdout with status 0; real usage errors exit 2 and,
/// when -j was given, also print the JSON error document.
fn usage(e: clap::Error, args: &[OsString]) -> ExitCode {
    let _ = e.print();
    let code = e.exit_code();
    if code == 0 {
        return ExitCode::from(EXIT_OK);
    }
    if wants_json(args) {
        let out = Output {
            json: true,
            pretty: false,
        };
        // The message is clap's first paragraph (before the usage): for
        // missing arguments it spans lines that name them.
        let text = e.render().to_string();
        let first = text.split("\n\n").next().unwrap_or("usage error");
        let first = first.strip_prefix("error: ").unwrap_or(first);
        let msg: Vec<&str> = first.split_whitespace().collect();
        let _ = emit(&out.error_doc(&msg.join(" ")));
    }
    ExitCode::from(EXIT_USAGE)
}

/// Was -j/--json among the options (also in a cluster like -jp)?
fn wants_json(args: &[OsString]) -> bool {
    args.iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .take_while(|a| *a != "--")
        .any(|a| a == "--json" || (a.starts_with('-') && !a.starts_with("--") && a.contains('j')))
}
