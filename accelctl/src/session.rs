//! One netlink session per run, streaming: one socket whose requests
//! yield a *stream* of [`Event`]s: replies, notifications that arrive
//! meanwhile (with their multicast group when the kernel tells it), and
//! the end. Every command goes through it (`query::Nl` opens it at the
//! first request).
//!
//! # How the objects map onto it
//!
//! * `dev show`, `dev info`, `health show` (dumps or dos):
//!   [`Session::request`] with [`Mode::Dump`] / [`Mode::Do`], each
//!   [`Event::Reply`] turned into a view as it is handed out (a dump's
//!   once it completed; `query::Nl::fetch`), notifications ignored.
//! * `monitor`: [`Session::subscribe`] to the groups, then
//!   [`Session::notifications`], an endless stream of
//!   [`Event::Notification`].
//! * `dev flash` and `dev selftest run`: the kernel serves these requests
//!   inside the requester's sendmsg(), so they cannot share a thread with
//!   reading progress. The session joins the progress group and follows
//!   [`Session::notifications`] while another thread sends the request on
//!   a session of its own and, once answered, wakes this one
//!   ([`NetlinkTransport::set_wake`]; `objects::progress`).
//!
//! Families and groups are resolved once through nlctrl and cached
//! ([`Session::resolve`]).
//!
//! # Protocol handling
//!
//! Sequence numbers: replies to an older request are dropped; messages
//! with sequence 0 of the request's family are notifications. Multi-part
//! replies may span any number of datagrams. A do ends with the ACK
//! (NLM_F_ACK, NETLINK_CAP_ACK), a dump with NLMSG_DONE; NLMSG_ERROR and a
//! DONE carrying a negative code become [`KernelError`] with the extack
//! text. A dump whose replies carry NLM_F_DUMP_INTR (the kernel's data
//! changed under it) is drained, dropped and sent again, at most
//! [`DUMP_RETRIES`] times, then reported as [`DumpInterrupted`]; dump
//! replies are therefore handed out only once the dump completed
//! consistently, while notifications are never held back. The receive
//! buffer grows to the size of the datagram (peek with MSG_TRUNC).
//!
//! The socket is behind [`Transport`], so the protocol handling is tested
//! on the host with crafted datagrams (`tests/session.rs`).

use std::collections::{HashMap, VecDeque};
use std::fmt::Debug;
use std::io;

use anyhow::{anyhow, bail, Context, Result};
use netlink_packet_core::{
    Emitable, NetlinkHeader, NetlinkMessage, NetlinkPayload, ParseableParametrized, NLMSG_DONE,
    NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST,
};
use netlink_packet_generic::ctrl::nlas::GenlCtrlAttrs;
use netlink_packet_generic::ctrl::{GenlCtrl, GenlCtrlCmd};
use netlink_packet_generic::{GenlFamily, GenlHeader, GenlMessage};
use netlink_sys::{protocols::NETLINK_GENERIC, Socket};

use crate::extack::{attr_at_offset, parse_done_payload, parse_error_payload, KernelError};
use crate::nl::{family_from_ctrl, split_messages, Family, NoFamily};

/// nlctrl's fixed family id.
pub const GENL_ID_CTRL: u16 = 0x10;
/// How often a dump interrupted by NLM_F_DUMP_INTR is sent again.
pub const DUMP_RETRIES: u32 = 3;
const INITIAL_RECV_BUF: usize = 32 * 1024;

/// Where a datagram came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Origin {
    /// Sender's port id: 0 is the kernel.
    pub port: u32,
    /// `nl_groups` of the sender address: the multicast group bit of a
    /// notification (only for group ids 1..=32; 0 when unknown).
    pub groups: u32,
}

/// The socket under a [`Session`]: the real one is [`NetlinkTransport`],
/// tests inject crafted datagrams.
pub trait Transport {
    /// Send one datagram to the kernel.
    fn send(&mut self, datagram: &[u8]) -> io::Result<()>;
    /// Block for the next datagram and put all of it in `buf` (replacing
    /// its contents, growing it as needed).
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Origin>;
    /// Join a multicast group.
    fn add_membership(&mut self, group: u32) -> io::Result<()>;
}

/// A NETLINK_GENERIC socket with extended and capped ACKs.
pub struct NetlinkTransport {
    sock: Socket,
    /// See [`NetlinkTransport::set_wake`].
    wake: Option<std::os::fd::RawFd>,
}

/// What [`Transport::recv`] fails with when the wake descriptor of a
/// [`NetlinkTransport`] is readable and no datagram is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Woken;

impl std::fmt::Display for Woken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("woken up")
    }
}
impl std::error::Error for Woken {}

/// Whether `e` is a [`Woken`] receive.
pub fn is_woken(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .and_then(|io| io.get_ref())
            .is_some_and(|inner| inner.is::<Woken>())
    })
}

impl NetlinkTransport {
    pub fn open() -> Result<Self> {
        let mut sock =
            Socket::new(NETLINK_GENERIC).context("cannot open a generic netlink socket")?;
        sock.bind_auto()
            .context("cannot bind the generic netlink socket")?;
        // Best effort: kernels before 4.12 lack extended ACKs.
        let _ = sock.set_ext_ack(true);
        let _ = sock.set_cap_ack(true);
        Ok(NetlinkTransport { sock, wake: None })
    }

    /// While `wake` is set, [`Transport::recv`] also watches it: once it
    /// is readable, a receive with no datagram waiting fails with
    /// [`Woken`] instead of blocking (waiting datagrams come first, so
    /// that the queue drains). For following a request's progress on
    /// this socket while another thread waits for the request.
    pub fn set_wake(&mut self, wake: Option<std::os::fd::RawFd>) {
        self.wake = wake;
    }

    /// With a wake descriptor: wait until the socket or it is readable;
    /// `Err(Woken)` if only it is.
    fn wait_readable(&self) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        let Some(wake) = self.wake else {
            return Ok(());
        };
        loop {
            let mut fds = [
                libc::pollfd {
                    fd: self.sock.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: wake,
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            // SAFETY: fds is a valid array of two pollfd for the call.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            if fds[0].revents != 0 {
                return Ok(());
            }
            if fds[1].revents != 0 {
                return Err(io::Error::other(Woken));
            }
        }
    }
}

impl Transport for NetlinkTransport {
    fn send(&mut self, datagram: &[u8]) -> io::Result<()> {
        self.sock.send(datagram, 0).map(|_| ())
    }

    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Origin> {
        loop {
            self.wait_readable()?;
            // Peek with MSG_TRUNC for the real size, so nothing is cut.
            buf.clear();
            let res = self
                .sock
                .recv(buf, libc::MSG_PEEK | libc::MSG_TRUNC)
                .and_then(|len| {
                    buf.clear();
                    if len > buf.capacity() {
                        buf.reserve(len);
                    }
                    self.sock.recv_from(buf, 0)
                });
            match res {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
                Ok((_, addr)) => {
                    return Ok(Origin {
                        port: addr.port_number(),
                        groups: addr.multicast_groups(),
                    })
                }
            }
        }
    }

    fn add_membership(&mut self, group: u32) -> io::Result<()> {
        self.sock.add_membership(group)
    }
}

/// A notification: the family's payload and its multicast group, when the
/// kernel said which one (group ids above 32 are not reported by netlink).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification<F> {
    pub group: Option<String>,
    pub payload: F,
}

/// One item of a request's or a monitor's stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event<F> {
    Reply(F),
    Notification(Notification<F>),
    /// The request completed (ACK or NLMSG_DONE); the stream ends here.
    Done,
}

/// A dump stayed inconsistent after [`DUMP_RETRIES`] retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DumpInterrupted {
    pub attempts: u32,
}

impl std::fmt::Display for DumpInterrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the kernel's data kept changing during the dump (NLM_F_DUMP_INTR, {} attempts); \
             run the command again",
            self.attempts
        )
    }
}
impl std::error::Error for DumpInterrupted {}

/// An owned netlink message waiting to be handled.
#[derive(Debug)]
struct Msg {
    msg_type: u16,
    flags: u16,
    seq: u32,
    groups: u32,
    payload: Vec<u8>,
}

/// Names attribute types for extack offsets: `(command, outer nest, type)`.
pub type AttrNamer = fn(u8, Option<u16>, u16) -> Option<&'static str>;

/// How a request is sent: a `do` (ends with the ACK) or a dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Do,
    Dump,
}

/// One socket, its sequence counter, the resolved families and groups.
pub struct Session<T: Transport> {
    transport: T,
    seq: u32,
    buf: Vec<u8>,
    pending: VecDeque<Msg>,
    families: HashMap<String, Family>,
    /// Joined groups: id → name.
    joined: HashMap<u32, String>,
    verbose: bool,
}

impl Session<NetlinkTransport> {
    /// Open the run's generic netlink socket.
    pub fn open(verbose: bool) -> Result<Self> {
        Ok(Session::new(NetlinkTransport::open()?, verbose))
    }
}

impl<T: Transport> Session<T> {
    pub fn new(transport: T, verbose: bool) -> Self {
        Session {
            transport,
            seq: 0,
            buf: Vec::with_capacity(INITIAL_RECV_BUF),
            pending: VecDeque::new(),
            families: HashMap::new(),
            joined: HashMap::new(),
            verbose,
        }
    }

    /// The transport, e.g. to inspect what a test transport was sent.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The transport, e.g. to set the wake descriptor of a
    /// [`NetlinkTransport`].
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Resolve a family through nlctrl once; later calls use the cache.
    pub fn resolve(&mut self, name: &str) -> Result<Family> {
        if let Some(f) = self.families.get(name) {
            return Ok(f.clone());
        }
        let req = GenlCtrl {
            cmd: GenlCtrlCmd::GetFamily,
            nlas: vec![GenlCtrlAttrs::FamilyName(name.to_string())],
        };
        let replies = match self
            .request(GENL_ID_CTRL, req, Mode::Do)
            .and_then(|r| r.replies())
        {
            Err(e)
                if e.downcast_ref::<KernelError>()
                    .is_some_and(|k| k.errno == libc::ENOENT) =>
            {
                return Err(NoFamily(name.to_string()).into())
            }
            r => r.with_context(|| format!("cannot resolve generic netlink family '{name}'"))?,
        };
        let fam = family_from_ctrl(name, &replies)?;
        self.debug(format_args!(
            "family {} id {} version {} groups {:?}",
            name, fam.id, fam.version, fam.groups
        ));
        self.families.insert(name.to_string(), fam.clone());
        Ok(fam)
    }

    /// Join multicast group `group` of family `family` (resolved if needed).
    pub fn subscribe(&mut self, family: &str, group: &str) -> Result<u32> {
        let fam = self.resolve(family)?;
        let id = fam
            .group(group)
            .ok_or_else(|| anyhow!("family '{family}' has no multicast group '{group}'"))?;
        self.transport
            .add_membership(id)
            .with_context(|| format!("cannot join multicast group '{group}' ({id})"))?;
        self.joined.insert(id, group.to_string());
        Ok(id)
    }

    /// Send a request; the returned stream yields its replies and the
    /// notifications of `family_id` that arrive meanwhile, then
    /// [`Event::Done`].
    pub fn request<F>(
        &mut self,
        family_id: u16,
        payload: F,
        mode: Mode,
    ) -> Result<Request<'_, T, F>>
    where
        F: GenlFamily + Emitable + ParseableParametrized<[u8], GenlHeader> + Debug + Clone,
    {
        let mut r = Request {
            session: self,
            family_id,
            payload,
            mode,
            seq: 0,
            sent: Vec::new(),
            attempts: 0,
            held: VecDeque::new(),
            interrupted: false,
            finished: false,
            namer: None,
        };
        r.send()?;
        Ok(r)
    }

    /// The endless stream of notifications of `family_id` (monitor).
    pub fn notifications<F>(&mut self, family_id: u16) -> Notifications<'_, T, F>
    where
        F: ParseableParametrized<[u8], GenlHeader> + Debug,
    {
        Notifications {
            session: self,
            family_id,
            _f: std::marker::PhantomData,
        }
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1).max(1);
        self.seq
    }

    /// The next message, receiving datagrams as needed.
    fn next_msg(&mut self) -> Result<Msg> {
        loop {
            if let Some(m) = self.pending.pop_front() {
                return Ok(m);
            }
            let origin = self
                .transport
                .recv(&mut self.buf)
                .context("netlink receive failed")?;
            self.debug(format_args!(
                "recv {} bytes from port {} groups {:#x}",
                self.buf.len(),
                origin.port,
                origin.groups
            ));
            if origin.port != 0 {
                self.debug(format_args!("drop datagram not from the kernel"));
                continue;
            }
            for m in split_messages(&self.buf)? {
                self.pending.push_back(Msg {
                    msg_type: m.msg_type,
                    flags: m.flags,
                    seq: m.seq,
                    groups: origin.groups,
                    payload: m.payload.to_vec(),
                });
            }
        }
    }

    fn group_name(&self, groups: u32) -> Option<String> {
        if groups == 0 {
            return None;
        }
        let id = groups.trailing_zeros() + 1;
        self.joined.get(&id).cloned()
    }

    fn notification<F>(&self, m: &Msg) -> Option<Notification<F>>
    where
        F: ParseableParametrized<[u8], GenlHeader> + Debug,
    {
        match GenlMessage::<F>::parse_with_param(&m.payload, m.msg_type) {
            Ok(g) => Some(Notification {
                group: self.group_name(m.groups),
                payload: g.payload,
            }),
            Err(e) => {
                self.debug(format_args!("undecodable notification: {e}"));
                None
            }
        }
    }

    fn debug(&self, args: std::fmt::Arguments<'_>) {
        crate::nl::debug(self.verbose, args)
    }
}

/// The stream of one request. Iterating yields `Ok(Event)` items and ends
/// after [`Event::Done`] or the first `Err`.
pub struct Request<'s, T: Transport, F> {
    session: &'s mut Session<T>,
    family_id: u16,
    payload: F,
    mode: Mode,
    seq: u32,
    sent: Vec<u8>,
    attempts: u32,
    /// Dump replies held until the dump completes consistently, as the
    /// kernel sent them (genetlink payloads): decoded only when handed out,
    /// so that a caller turning each into a view never holds them all
    /// decoded (a quarter of `dev info`'s heap at 256 devices).
    held: VecDeque<Vec<u8>>,
    interrupted: bool,
    finished: bool,
    namer: Option<AttrNamer>,
}

impl<T: Transport, F> Request<'_, T, F>
where
    F: GenlFamily + Emitable + ParseableParametrized<[u8], GenlHeader> + Debug + Clone,
{
    /// Name attributes in extack offsets of errors with this function.
    pub fn attr_names(mut self, namer: AttrNamer) -> Self {
        self.namer = Some(namer);
        self
    }

    /// Collect the replies, dropping notifications.
    pub fn replies(self) -> Result<Vec<F>> {
        let mut out = Vec::new();
        for ev in self {
            if let Event::Reply(r) = ev? {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn send(&mut self) -> Result<()> {
        self.attempts += 1;
        self.seq = self.session.next_seq();
        let mut genl = GenlMessage::from_payload(self.payload.clone());
        genl.set_resolved_family_id(self.family_id);
        let mut header = NetlinkHeader::default();
        header.flags = NLM_F_REQUEST
            | match self.mode {
                Mode::Do => NLM_F_ACK,
                Mode::Dump => NLM_F_DUMP,
            };
        header.sequence_number = self.seq;
        let mut msg = NetlinkMessage::new(header, NetlinkPayload::from(genl));
        msg.finalize();
        self.sent = vec![0u8; msg.buffer_len()];
        msg.serialize(&mut self.sent);
        // GenlMessage prefers a payload's static family id to the resolved
        // one; `family_id` is what the caller asked for.
        if let Some(t) = self.sent.get_mut(4..6) {
            t.copy_from_slice(&self.family_id.to_ne_bytes());
        }
        self.session.debug(format_args!(
            "send family {} seq {} flags {:#x} {} bytes",
            self.family_id,
            self.seq,
            header.flags,
            self.sent.len()
        ));
        self.session
            .transport
            .send(&self.sent)
            .context("netlink send failed")
    }

    fn kernel_error(&self, code: i32, ext: crate::extack::ExtAck) -> anyhow::Error {
        let mut e = KernelError::new(code, ext);
        if let Some(namer) = self.namer {
            // The genetlink command follows the 16-byte nlmsghdr.
            let cmd = self.sent.get(16).copied().unwrap_or(0);
            if let Some(off) = e.ext.offset {
                e.attr_name = attr_at_offset(&self.sent, off, |o, k| namer(cmd, o, k));
            }
            // A missing attribute of the request's own set (not of a nest).
            if let (Some(t), None) = (e.ext.miss_type, e.ext.miss_nest) {
                e.miss_name = u16::try_from(t).ok().and_then(|k| namer(cmd, None, k));
            }
        }
        e.into()
    }

    /// Handle messages until one yields an event.
    fn step(&mut self) -> Result<Option<Event<F>>> {
        loop {
            if self.mode == Mode::Dump && self.finished {
                // Hand out the held replies of a consistent dump, then Done.
                return match self.held.pop_front() {
                    None => Ok(None),
                    Some(p) => self.decode(&p).map(|r| Some(Event::Reply(r))),
                };
            }
            let m = self.session.next_msg()?;
            if m.seq == 0 && m.msg_type == self.family_id {
                if let Some(n) = self.session.notification(&m) {
                    return Ok(Some(Event::Notification(n)));
                }
                continue;
            }
            if m.seq != self.seq {
                self.session.debug(format_args!(
                    "drop message type {} seq {} (want {})",
                    m.msg_type, m.seq, self.seq
                ));
                continue;
            }
            if m.flags & NLM_F_DUMP_INTR != 0 {
                self.interrupted = true;
            }
            match m.msg_type {
                NLMSG_ERROR => {
                    let (code, ext) = parse_error_payload(&m.payload, m.flags)
                        .context("truncated NLMSG_ERROR from the kernel")?;
                    if code != 0 {
                        return Err(self.kernel_error(code, ext));
                    }
                    // An ACK ending a dump is not expected; treat it as DONE.
                    if let Some(ev) = self.end()? {
                        return Ok(Some(ev));
                    }
                }
                NLMSG_DONE => {
                    let (code, ext) = parse_done_payload(&m.payload, m.flags);
                    if code < 0 {
                        return Err(self.kernel_error(code, ext));
                    }
                    if let Some(ev) = self.end()? {
                        return Ok(Some(ev));
                    }
                }
                NLMSG_NOOP => {}
                NLMSG_OVERRUN => bail!("netlink reported a data overrun"),
                t if t == self.family_id => match self.mode {
                    Mode::Do => return self.decode(&m.payload).map(|r| Some(Event::Reply(r))),
                    Mode::Dump => {
                        if !self.interrupted {
                            self.held.push_back(m.payload);
                        }
                    }
                },
                t => self
                    .session
                    .debug(format_args!("skip message type {t} in reply")),
            }
        }
    }

    /// The ACK of a do, or the end of a dump (see [`Self::dump_done`]).
    fn end(&mut self) -> Result<Option<Event<F>>> {
        if self.mode == Mode::Do {
            self.finished = true;
            return Ok(Some(Event::Done));
        }
        self.dump_done()
    }

    /// NLMSG_DONE of a dump: retry if it was interrupted, else release
    /// the held replies (or Done right away for an empty dump).
    fn dump_done(&mut self) -> Result<Option<Event<F>>> {
        if self.interrupted {
            if self.attempts > DUMP_RETRIES {
                return Err(DumpInterrupted {
                    attempts: self.attempts,
                }
                .into());
            }
            self.session.debug(format_args!(
                "dump interrupted (attempt {}), sending it again",
                self.attempts
            ));
            self.held.clear();
            self.interrupted = false;
            self.send()?;
            return Ok(None);
        }
        self.finished = true;
        match self.held.pop_front() {
            None => Ok(Some(Event::Done)),
            Some(p) => self.decode(&p).map(|r| Some(Event::Reply(r))),
        }
    }

    /// Decode a reply of the request's family.
    fn decode(&self, payload: &[u8]) -> Result<F> {
        GenlMessage::<F>::parse_with_param(payload, self.family_id)
            .map(|g| g.payload)
            .map_err(|e| anyhow!("cannot decode a kernel reply: {e}"))
    }
}

impl<T: Transport, F> Iterator for Request<'_, T, F>
where
    F: GenlFamily + Emitable + ParseableParametrized<[u8], GenlHeader> + Debug + Clone,
{
    type Item = Result<Event<F>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.seq == 0 {
            return None; // ended (error or Done already yielded)
        }
        let done_dump = self.mode == Mode::Dump && self.finished;
        match self.step() {
            Ok(Some(Event::Done)) => {
                self.seq = 0;
                Some(Ok(Event::Done))
            }
            Ok(Some(ev)) => Some(Ok(ev)),
            Ok(None) if done_dump => {
                self.seq = 0;
                Some(Ok(Event::Done))
            }
            Ok(None) => None,
            Err(e) => {
                self.seq = 0;
                Some(Err(e))
            }
        }
    }
}

/// The endless stream of notifications of one family (see
/// [`Session::notifications`]); replies to no request are dropped.
pub struct Notifications<'s, T: Transport, F> {
    session: &'s mut Session<T>,
    family_id: u16,
    _f: std::marker::PhantomData<F>,
}

impl<T: Transport, F> Iterator for Notifications<'_, T, F>
where
    F: ParseableParametrized<[u8], GenlHeader> + Debug,
{
    type Item = Result<Event<F>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let m = match self.session.next_msg() {
                Ok(m) => m,
                Err(e) => return Some(Err(e)),
            };
            if m.msg_type != self.family_id || m.seq != 0 {
                continue;
            }
            if let Some(n) = self.session.notification(&m) {
                return Some(Ok(Event::Notification(n)));
            }
        }
    }
}
