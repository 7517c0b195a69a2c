//! accelctl: manage compute accelerators through the `accel` generic
//! netlink family. The binary is `main.rs`; this library holds everything
//! else so that tests and the man page generator (xtask) can use it.

pub mod cli;
pub mod complete;
pub mod extack;
pub mod handle;
pub mod man;
pub mod nl;
pub mod objects;
pub mod output;
pub mod query;
pub mod session;
pub mod sysfs;

use std::io::{self, Write};

use anyhow::Result;

use cli::Cli;
use objects::{Cx, Run};
use output::Output;

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: the command failed.
pub const EXIT_ERROR: u8 = 1;
/// Exit status: bad command line (clap's usage error code).
pub const EXIT_USAGE: u8 = 2;
/// Exit status: `health check` found a reporter in error.
pub const EXIT_UNHEALTHY: u8 = 3;

/// Run a parsed command line; returns the exit status of a command that
/// did not fail (0, or [`EXIT_UNHEALTHY`] from `health check`).
pub fn run(cli: &Cli) -> Result<u8> {
    let mut cx = Cx {
        out: Output {
            json: cli.opts.json,
            pretty: cli.opts.pretty,
        },
        nl: query::Nl::new(cli.opts.verbose),
        stats: cli.opts.statistics,
    };
    cli.object.run(&mut cx)
}

/// Write to stdout and flush (monitor output must not sit in a buffer).
/// Errors, including EPIPE, are returned for main to judge.
pub fn emit(s: &str) -> Result<()> {
    write_flush(&mut io::stdout().lock(), s)
}

fn write_flush(w: &mut impl Write, s: &str) -> Result<()> {
    w.write_all(s.as_bytes())?;
    w.flush()?;
    Ok(())
}

/// Stdout of the long-running operations (`dev flash`, `dev selftest
/// run`): once its reader goes away (EPIPE), output is dropped but the
/// operation is still followed to its answer, which sets the exit status.
///
/// Queries keep main's rule (EPIPE: exit 0 quietly): they change nothing
/// and the reader has what it wanted. A flash or a self-test run goes on
/// in the kernel whatever happens to stdout, and its exit status is its
/// result, not known yet when stdout closes: `accelctl -j dev flash ... |
/// head -1` must not exit 0 for a flash that then fails.
pub struct Sink<W: Write = io::Stdout> {
    w: W,
    broken: bool,
}

impl Sink {
    pub fn stdout() -> Self {
        Sink::new(io::stdout())
    }
}

impl<W: Write> Sink<W> {
    pub fn new(w: W) -> Self {
        Sink { w, broken: false }
    }

    /// Write and flush like [`emit`]; EPIPE is not an error, it stops the
    /// output for good. Other output errors are returned.
    pub fn emit(&mut self, s: &str) -> Result<()> {
        if self.broken {
            return Ok(());
        }
        match write_flush(&mut self.w, s) {
            Err(e) if is_broken_pipe(&e) => {
                self.broken = true;
                Ok(())
            }
            r => r,
        }
    }
}

/// The reader of our stdout went away (`accelctl ... | head`).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` writes, then fails every write with `kind`.
    struct Closing {
        room: usize,
        kind: io::ErrorKind,
        got: String,
    }

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from(self.kind));
            }
            self.room -= 1;
            self.got.push_str(&String::from_utf8_lossy(buf));
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn closing(room: usize, kind: io::ErrorKind) -> Sink<Closing> {
        Sink::new(Closing {
            room,
            kind,
            got: String::new(),
        })
    }

    #[test]
    fn sink_drops_output_after_epipe_without_an_error() {
        let mut sink = closing(1, io::ErrorKind::BrokenPipe);
        assert!(sink.emit("one\n").is_ok());
        assert!(!sink.broken);
        assert!(sink.emit("two\n").is_ok());
        assert!(sink.broken);
        // Later output is not even tried.
        sink.w.room = 5;
        assert!(sink.emit("three\n").is_ok());
        assert_eq!(sink.w.got, "one\n");
    }

    #[test]
    fn sink_returns_other_output_errors() {
        let mut sink = closing(0, io::ErrorKind::Other);
        let e = sink.emit("x").unwrap_err();
        assert!(!is_broken_pipe(&e));
        assert!(!sink.broken);
    }
}
