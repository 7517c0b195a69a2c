//! One request of the accel family: open, resolve, send, collect replies,
//! and name what the request was about when it fails.

use accel_netlink::{attr_name, AccelCmd, AccelMessage, DevHandle, Request, ACCEL_FAMILY_NAME};
use anyhow::{anyhow, Context, Result};

use crate::extack::KernelError;
use crate::nl::{Family, NoFamily};
use crate::session::{Event, Mode, NetlinkTransport, Session};

/// What a request is about, for its error messages.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub dev: &'a DevHandle,
    pub reporter: Option<&'a str>,
}

/// The run's one netlink session, opened and the family resolved at the
/// first request (so `--version`, usage errors and the sysfs fallback
/// never open a socket).
pub struct Nl {
    verbose: bool,
    session: Option<(Session<NetlinkTransport>, Family)>,
}

impl Nl {
    pub fn new(verbose: bool) -> Self {
        Nl {
            verbose,
            session: None,
        }
    }

    pub fn verbose(&self) -> bool {
        self.verbose
    }

    /// The session and the resolved accel family.
    pub fn accel(&mut self) -> Result<(&mut Session<NetlinkTransport>, &Family)> {
        if self.session.is_none() {
            let mut s = Session::open(self.verbose)?;
            let fam = s.resolve(ACCEL_FAMILY_NAME)?;
            self.session = Some((s, fam));
        }
        match &mut self.session {
            Some((s, fam)) => Ok((s, fam)),
            None => Err(anyhow!("netlink session not open")),
        }
    }

    /// Send `request` and turn each of its replies into a view with
    /// `view` as it is handed out (the message is dropped right after, so
    /// a large dump is never held decoded). Errors name `subject` (with
    /// `what` when it is a reporter) or, without one, say what failed.
    pub fn fetch<R: Request, V>(
        &mut self,
        request: R,
        subject: Option<Subject<'_>>,
        what: &str,
        view: impl FnMut(&AccelMessage) -> Result<V>,
    ) -> Result<Vec<V>> {
        // A missing family or socket error is reported as it is (dev show
        // falls back to sysfs on NoFamily).
        self.accel()?;
        let res = self.send(request, view);
        match subject {
            Some(s) => res.map_err(|e| with_hint(e, s, what)),
            None => res.with_context(|| format!("cannot {what}")),
        }
    }

    /// [`Nl::fetch`] without naming the subject: the error is the
    /// kernel's (or the socket's) as it is, for the caller to word.
    pub fn fetch_raw<R: Request, V>(
        &mut self,
        request: R,
        view: impl FnMut(&AccelMessage) -> Result<V>,
    ) -> Result<Vec<V>> {
        self.accel()?;
        self.send(request, view)
    }

    /// [`Nl::fetch`] for a request whose replies are not needed.
    pub fn exchange<R: Request>(
        &mut self,
        request: R,
        subject: Option<Subject<'_>>,
        what: &str,
    ) -> Result<()> {
        self.fetch(request, subject, what, |_| Ok(())).map(drop)
    }

    fn send<R: Request, V>(
        &mut self,
        request: R,
        mut view: impl FnMut(&AccelMessage) -> Result<V>,
    ) -> Result<Vec<V>> {
        let mode = if R::DUMP { Mode::Dump } else { Mode::Do };
        let msg = AccelMessage {
            cmd: R::CMD,
            attrs: request.into_attrs(),
        };
        let (session, fam) = self.accel()?;
        let id = fam.id;
        let events = session
            .request(id, msg, mode)?
            .attr_names(|cmd, outer, kind| attr_name(AccelCmd::from(cmd), outer, kind));
        let mut out = Vec::new();
        for ev in events {
            // Other commands' messages (none are expected) are not replies.
            if let Event::Reply(m) = ev? {
                if m.cmd == R::CMD {
                    out.push(view(&m)?);
                }
            }
        }
        Ok(out)
    }
}

/// Add to a missing-family error which command needed the family (there
/// is no fallback but for `dev show`); other errors pass unchanged.
pub fn needs_family(e: anyhow::Error, command: &str) -> anyhow::Error {
    if e.downcast_ref::<NoFamily>().is_some() {
        anyhow!("{e}; '{command}' needs the kernel's accel netlink family")
    } else {
        e
    }
}

/// Name the device (and reporter), and say what to do about the common errors.
pub fn with_hint(e: anyhow::Error, s: Subject<'_>, what: &str) -> anyhow::Error {
    let h = s.dev;
    let hint = match (e.downcast_ref::<KernelError>().map(|k| k.errno), s.reporter) {
        // The kernel answers ENODEV for a missing device, ENOENT for a
        // missing reporter of an existing one.
        (Some(libc::ENOENT), Some(_)) => {
            format!("; run 'accelctl health show {h}' to list its reporters")
        }
        (Some(libc::ENODEV) | Some(libc::ENOENT), _) => {
            "; run 'accelctl dev show' to list devices".to_string()
        }
        (Some(libc::EPERM) | Some(libc::EACCES), _) => "; this needs CAP_NET_ADMIN".to_string(),
        _ => String::new(),
    };
    match s.reporter {
        Some(r) => anyhow!("device {h} reporter {r}: cannot {what}: {e:#}{hint}"),
        None => anyhow!("device {h}: {e:#}{hint}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extack::ExtAck;

    fn kernel(errno: i32, msg: &str) -> anyhow::Error {
        let ext = ExtAck {
            msg: Some(msg.into()),
            ..Default::default()
        };
        KernelError::new(errno, ext).into()
    }

    #[test]
    fn hints_name_device_reporter_and_remedy() {
        let dev = DevHandle::Index(3);
        let reporter = |r| Subject {
            dev: &dev,
            reporter: Some(r),
        };
        let e = with_hint(kernel(libc::EPERM, "x"), reporter("fw"), "recover");
        let msg = e.to_string();
        assert!(
            msg.starts_with("device accel3 reporter fw: cannot recover: Operation not permitted"),
            "{msg}"
        );
        assert!(msg.ends_with("; this needs CAP_NET_ADMIN"), "{msg}");
        let e = with_hint(
            kernel(
                libc::ENOENT,
                "no health reporter with this name on the device",
            ),
            reporter("fw"),
            "diagnose",
        );
        assert!(
            e.to_string()
                .ends_with("; run 'accelctl health show accel3' to list its reporters"),
            "{e}"
        );
        let e = with_hint(kernel(libc::ENODEV, "gone"), reporter("fw"), "test");
        assert!(
            e.to_string()
                .ends_with("; run 'accelctl dev show' to list devices"),
            "{e}"
        );
        // Without a reporter, as dev show and dev info always were.
        let e = with_hint(
            kernel(libc::ENOENT, "x"),
            Subject {
                dev: &dev,
                reporter: None,
            },
            "unused",
        );
        assert_eq!(
            e.to_string(),
            "device accel3: No such file or directory (kernel: \"x\"); \
             run 'accelctl dev show' to list devices"
        );
        // Other errors pass through with the kernel's text and no hint.
        let e = with_hint(
            kernel(
                libc::EBUSY,
                "recovered 5 ms ago, within the grace period of 500 ms",
            ),
            reporter("fw"),
            "recover",
        );
        assert!(
            e.to_string()
                .ends_with("(kernel: \"recovered 5 ms ago, within the grace period of 500 ms\")"),
            "{e}"
        );
    }

    #[test]
    fn missing_family_names_the_command() {
        let e = needs_family(NoFamily("accel".into()).into(), "accelctl health");
        assert!(
            e.to_string()
                .ends_with("; 'accelctl health' needs the kernel's accel netlink family"),
            "{e}"
        );
        let other = needs_family(anyhow!("boom"), "accelctl health");
        assert_eq!(other.to_string(), "boom");
    }
}
