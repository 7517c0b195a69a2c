//! accelctl entry point: parse, run, map the outcome to an exit status.
//! 0 ok, 1 error, 2 usage, 3 `health check` found an unhealthy reporter;
//! with -j, stdout carries a JSON document even on error.
//!
//! `no_main`: std's runtime start-up reads /proc/self/maps to place a
//! stack guard for the main thread, a fifth of the instructions of
//! `accelctl --version`; a short-lived CLI does not need it. What it does
//! that we rely on is done here: SIGPIPE ignored (so that `| head` gives
//! EPIPE, handled below), and fds 0-2 opened on /dev/null when closed (or
//! the netlink socket would become stdout). The arguments come from
//! `std::env::args_os()`, which glibc fills before `main`.
#![no_main]

use std::ffi::OsString;
use std::io::Write;

use accelctl::cli::{parse, take_global_opts};
use accelctl::output::Output;
use accelctl::{emit, is_broken_pipe, run, EXIT_ERROR, EXIT_OK, EXIT_USAGE};

/// The C entry point (see the module comment).
#[no_mangle]
pub extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: setting a signal disposition and opening files before any
    // thread exists; the path is a valid C string.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        for fd in 0..=2 {
            if libc::fcntl(fd, libc::F_GETFD) == -1 {
                // open() returns the lowest free fd: this one.
                libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
            }
        }
    }
    // A panic aborts (release profile; and none may unwind out of a C
    // function): the process dies with SIGABRT.
    let code = run_main();
    // std's runtime flushes stdout at exit; without it, do it here.
    let _ = std::io::stdout().flush();
    libc::c_int::from(code)
}

fn run_main() -> u8 {
    // One getenv: a TAB in the shell, not a command (see complete.rs).
    if accelctl::complete::requested() {
        return accelctl::complete::run();
    }
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match parse(&args) {
        Ok(cli) => cli,
        Err(e) => return usage(e, take_global_opts(&args).0.json),
    };
    let out = Output {
        json: cli.opts.json,
        pretty: cli.opts.pretty,
    };
    match run(&cli) {
        Ok(code) => code,
        // A query's reader went away: it has what it wanted. `dev flash`
        // and `dev selftest run` never get here on EPIPE: their status is
        // their result (`accelctl::Sink`).
        Err(e) if is_broken_pipe(&e) => EXIT_OK,
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("accelctl: {msg}");
            if out.json {
                let _ = emit(&out.error_doc(&msg));
            }
            EXIT_ERROR
        }
    }
}

/// Help/version go to stdout with status 0; real usage errors exit 2 and,
/// when -j was given, also print the JSON error document.
fn usage(e: clap::Error, json: bool) -> u8 {
    let _ = e.print();
    let code = e.exit_code();
    if code == 0 {
        return EXIT_OK;
    }
    if json {
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
    EXIT_USAGE
}
