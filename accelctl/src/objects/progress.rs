//! Requests the kernel serves inside the requester's sendmsg() for as long
//! as they last (flash-update, selftests-run), followed on the progress
//! multicast group while they run.
//!
//! The run's session joins the progress group *before* the request is
//! sent (so that no notification is missed), then reads notifications
//! while a second thread sends the request on a session of its own. When
//! the request is answered, the thread wakes the reader through a pipe;
//! the reader first drains what is queued (the kernel sends a flash's end
//! notification before it answers the request), then returns the answer.
//! SIGINT (Ctrl-C) wakes the reader too, which then returns
//! [`Outcome::Interrupted`] without waiting: the request goes on in the
//! kernel (the kernel's contract for a flash: a requester that goes away
//! does not stop it), unless its answer is already there (then that).

use std::io;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc;

use accel_netlink::{AccelMessage, Request, ACCEL_FAMILY_NAME, ACCEL_MCGRP_PROGRESS};
use anyhow::{anyhow, Context, Result};

use crate::nl::debug;
use crate::query::Nl;
use crate::session::{is_woken, Event};

/// How a followed request ended.
pub enum Outcome {
    /// Answered: its replies, or the kernel's error.
    Done(Result<Vec<AccelMessage>>),
    /// SIGINT arrived first; the request still runs in the kernel.
    Interrupted,
}

/// Exit status after Ctrl-C (128 + SIGINT), as shells report it.
pub const EXIT_INTERRUPTED: u8 = 130;

static WAKE_WRITE: AtomicI32 = AtomicI32::new(-1);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let fd = WAKE_WRITE.load(Ordering::SeqCst);
    if fd >= 0 {
        // SAFETY: write(2) is async-signal-safe; one byte from a static.
        unsafe { libc::write(fd, b"i".as_ptr().cast(), 1) };
    }
}

/// A pipe: read end watched by the reader, write end written by the
/// request thread and the SIGINT handler. Closed on drop.
struct Pipe {
    read: RawFd,
    write: RawFd,
}

impl Pipe {
    fn new() -> io::Result<Pipe> {
        let mut fds = [-1; 2];
        // SAFETY: fds has room for the two descriptors pipe2 writes.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Pipe {
            read: fds[0],
            write: fds[1],
        })
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        // SAFETY: our own descriptors, closed once.
        unsafe {
            libc::close(self.read);
            libc::close(self.write);
        }
    }
}

/// SIGINT handled (waking the reader) while this lives; the disposition
/// it replaced again on drop (a library caller's handler, or SIG_IGN that
/// a shell gives background jobs, must survive a flash).
struct SigintGuard {
    old: libc::sigaction,
}

impl SigintGuard {
    fn install(wake: RawFd) -> io::Result<SigintGuard> {
        INTERRUPTED.store(false, Ordering::SeqCst);
        WAKE_WRITE.store(wake, Ordering::SeqCst);
        // SAFETY: installing a handler that only does async-signal-safe
        // work; no SA_RESTART, so that a blocking call returns EINTR. Both
        // structs are plain C data, zeroed is a valid value.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            let handler: extern "C" fn(libc::c_int) = on_sigint;
            sa.sa_sigaction = handler as libc::sighandler_t;
            libc::sigemptyset(&mut sa.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGINT, &sa, &mut old) < 0 {
                let e = io::Error::last_os_error();
                WAKE_WRITE.store(-1, Ordering::SeqCst);
                return Err(e);
            }
            Ok(SigintGuard { old })
        }
    }
}

impl Drop for SigintGuard {
    fn drop(&mut self) {
        // SAFETY: putting back the action sigaction() returned.
        unsafe { libc::sigaction(libc::SIGINT, &self.old, std::ptr::null_mut()) };
        WAKE_WRITE.store(-1, Ordering::SeqCst);
    }
}

/// Block (`how` SIG_BLOCK) or unblock SIGINT in the calling thread.
fn mask_sigint(how: libc::c_int) {
    // SAFETY: a signal set on the stack, this thread's own mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::pthread_sigmask(how, &set, std::ptr::null_mut());
    }
}

/// Send `request` and hand every notification of the accel family that
/// arrives on the progress group to `on_event` (the caller filters by
/// device and command) until the request is answered or SIGINT arrives.
pub fn follow<R>(
    nl: &mut Nl,
    request: R,
    mut on_event: impl FnMut(&AccelMessage) -> Result<()>,
) -> Result<Outcome>
where
    R: Request + Send + 'static,
{
    let verbose = nl.verbose();
    let (session, fam) = nl.accel()?;
    let family_id = fam.id;
    let group = session.subscribe(ACCEL_FAMILY_NAME, ACCEL_MCGRP_PROGRESS)?;
    debug(
        verbose,
        format_args!("joined group {ACCEL_MCGRP_PROGRESS} ({group})"),
    );
    let pipe = Pipe::new().context("cannot create a pipe")?;
    let _sigint = SigintGuard::install(pipe.write).context("cannot handle SIGINT")?;
    session.transport_mut().set_wake(Some(pipe.read));

    let (tx, rx) = mpsc::channel();
    let wake = pipe.write;
    // The thread is blocked in sendmsg() in the kernel for as long as the
    // request lasts: SIGINT must go to this thread, which can act on it.
    mask_sigint(libc::SIG_BLOCK);
    let spawned = std::thread::Builder::new()
        .name("request".into())
        .spawn(move || {
            let mut nl = Nl::new(verbose);
            let res = nl.fetch_raw(request, |m| Ok(m.clone()));
            let _ = tx.send(res);
            // SAFETY: one byte to our pipe, which outlives this thread
            // unless the process is exiting (then the write fails).
            unsafe { libc::write(wake, b"d".as_ptr().cast(), 1) };
        });
    mask_sigint(libc::SIG_UNBLOCK);
    spawned.context("cannot start the request thread")?;

    let mut failure = None;
    for ev in session.notifications::<AccelMessage>(family_id) {
        match ev {
            Ok(Event::Notification(n)) => {
                if let Err(e) = on_event(&n.payload) {
                    failure = Some(e);
                    break;
                }
            }
            Ok(_) => {}
            Err(e) if is_woken(&e) => break,
            Err(e) if is_enobufs(&e) => {
                eprintln!(
                    "accelctl: warning: progress events were lost (socket receive buffer overrun)"
                );
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    session.transport_mut().set_wake(None);
    if let Some(e) = failure {
        return Err(e);
    }
    let answer = rx.try_recv().ok();
    let res = match settle(INTERRUPTED.load(Ordering::SeqCst), answer) {
        Settle::Answer(res) => res,
        Settle::Interrupted => return Ok(Outcome::Interrupted),
        Settle::Wait => rx
            .recv()
            .map_err(|_| anyhow!("the request thread ended without an answer"))?,
    };
    Ok(Outcome::Done(res))
}

/// What the woken reader does.
#[derive(Debug, PartialEq, Eq)]
enum Settle<T> {
    /// Report the answer.
    Answer(T),
    /// Report the interruption; the request goes on in the kernel.
    Interrupted,
    /// Wait for the answer (woken by the request thread, which sends it
    /// before waking).
    Wait,
}

/// An answer already there wins over a Ctrl-C that raced it: the request
/// is over, so its result is known and is what the exit status says.
fn settle<T>(interrupted: bool, answer: Option<T>) -> Settle<T> {
    match (answer, interrupted) {
        (Some(a), _) => Settle::Answer(a),
        (None, true) => Settle::Interrupted,
        (None, false) => Settle::Wait,
    }
}

fn is_enobufs(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.raw_os_error() == Some(libc::ENOBUFS))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_wins_over_a_racing_ctrl_c() {
        assert_eq!(settle(true, Some(7)), Settle::Answer(7));
        assert_eq!(settle(false, Some(7)), Settle::Answer(7));
    }

    #[test]
    fn ctrl_c_without_an_answer_interrupts_else_wait() {
        assert_eq!(settle::<u8>(true, None), Settle::Interrupted);
        assert_eq!(settle::<u8>(false, None), Settle::Wait);
    }

    /// The only test of this crate that touches SIGINT's disposition.
    #[test]
    fn the_previous_sigint_action_is_restored() {
        let disposition = || {
            // SAFETY: reading the current action into a zeroed struct.
            unsafe {
                let mut cur: libc::sigaction = std::mem::zeroed();
                libc::sigaction(libc::SIGINT, std::ptr::null(), &mut cur);
                cur.sa_sigaction
            }
        };
        // SAFETY: setting SIGINT's disposition (no handler code).
        let before = unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) };
        let pipe = Pipe::new().expect("pipe");
        {
            let _guard = SigintGuard::install(pipe.write).expect("sigaction");
            let handler: extern "C" fn(libc::c_int) = on_sigint;
            assert_eq!(disposition(), handler as libc::sighandler_t);
        }
        assert_eq!(disposition(), libc::SIG_IGN);
        assert_eq!(WAKE_WRITE.load(Ordering::SeqCst), -1);
        // SAFETY: as above.
        unsafe { libc::signal(libc::SIGINT, before) };
    }
}
