//! The streaming session against an injected transport (crafted datagrams,
//! no kernel needed), plus one run over a real NETLINK_GENERIC socket.

use std::collections::VecDeque;
use std::io;

use accelctl::extack::KernelError;
use accelctl::nl::NoFamily;
use accelctl::session::{
    DumpInterrupted, Event, Mode, Notification, Origin, Session, Transport, DUMP_RETRIES,
    GENL_ID_CTRL,
};
use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK,
    NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST,
};
use netlink_packet_generic::ctrl::nlas::{GenlCtrlAttrs, McastGrpAttrs};
use netlink_packet_generic::ctrl::{GenlCtrl, GenlCtrlCmd};
use netlink_packet_generic::GenlMessage;

/// A fake family id for "accel" in these tests.
const ACCEL: u16 = 0x20;
const MON_GROUP: u32 = 3;
/// Not re-exported by netlink-packet-core 0.9.
const NLM_F_MULTI: u16 = 2;

/// Hands out scripted datagrams and records what was sent. Runs dry with
/// an error, so a test that expects more than scripted fails, not hangs.
#[derive(Default)]
struct Fake {
    script: VecDeque<(Origin, Vec<u8>)>,
    sent: Vec<Vec<u8>>,
    joined: Vec<u32>,
}

impl Fake {
    fn datagram(&mut self, msgs: &[Vec<u8>]) {
        self.datagram_from(Origin::default(), msgs);
    }
    fn datagram_from(&mut self, origin: Origin, msgs: &[Vec<u8>]) {
        self.script.push_back((origin, msgs.concat()));
    }
}

impl Transport for Fake {
    fn send(&mut self, datagram: &[u8]) -> io::Result<()> {
        self.sent.push(datagram.to_vec());
        Ok(())
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Origin> {
        let (origin, d) = self
            .script
            .pop_front()
            .ok_or_else(|| io::Error::new(io::ErrorKind::WouldBlock, "script ran dry"))?;
        buf.clear();
        buf.extend_from_slice(&d);
        Ok(origin)
    }
    fn add_membership(&mut self, group: u32) -> io::Result<()> {
        self.joined.push(group);
        Ok(())
    }
}

fn ctrl(name: &str) -> GenlCtrl {
    GenlCtrl {
        cmd: GenlCtrlCmd::NewFamily,
        nlas: vec![GenlCtrlAttrs::FamilyName(name.to_string())],
    }
}

/// A genetlink message of family `family` built with netlink-packet-*.
fn genl(family: u16, seq: u32, flags: u16, payload: GenlCtrl) -> Vec<u8> {
    let mut g = GenlMessage::from_payload(payload);
    g.set_resolved_family_id(family);
    let mut h = NetlinkHeader::default();
    h.flags = flags;
    h.sequence_number = seq;
    let mut m = NetlinkMessage::new(h, NetlinkPayload::from(g));
    m.finalize();
    let mut b = vec![0u8; m.buffer_len()];
    m.serialize(&mut b);
    // GenlMessage prefers a payload's static family id (nlctrl's 0x10)
    // over the resolved one: the fake family needs its own type.
    b[4..6].copy_from_slice(&family.to_ne_bytes());
    b
}

fn reply(seq: u32, flags: u16, name: &str) -> Vec<u8> {
    genl(ACCEL, seq, flags, ctrl(name))
}

fn notif(name: &str) -> Vec<u8> {
    genl(ACCEL, 0, 0, ctrl(name))
}

fn nlmsg(msg_type: u16, flags: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
    let len = 16 + payload.len();
    let mut b = Vec::new();
    b.extend_from_slice(&(len as u32).to_ne_bytes());
    b.extend_from_slice(&msg_type.to_ne_bytes());
    b.extend_from_slice(&flags.to_ne_bytes());
    b.extend_from_slice(&seq.to_ne_bytes());
    b.extend_from_slice(&0u32.to_ne_bytes());
    b.extend_from_slice(payload);
    b.resize((len + 3) & !3, 0);
    b
}

/// An NLMSGERR_ATTR_MSG TLV (type 1), padded.
fn ext_msg(text: &str) -> Vec<u8> {
    let mut v = text.as_bytes().to_vec();
    v.push(0);
    let mut t = Vec::new();
    t.extend_from_slice(&((4 + v.len()) as u16).to_ne_bytes());
    t.extend_from_slice(&1u16.to_ne_bytes());
    t.extend_from_slice(&v);
    t.resize((t.len() + 3) & !3, 0);
    t
}

fn done(seq: u32, flags: u16, code: i32, msg: Option<&str>) -> Vec<u8> {
    let mut p = code.to_ne_bytes().to_vec();
    let mut f = NLM_F_MULTI | flags;
    if let Some(m) = msg {
        p.extend(ext_msg(m));
        f |= NLM_F_ACK_TLVS;
    }
    nlmsg(NLMSG_DONE, f, seq, &p)
}

/// NLMSG_ERROR with a capped echo of the request header (code 0: ACK).
fn error(seq: u32, code: i32, msg: Option<&str>) -> Vec<u8> {
    let mut p = code.to_ne_bytes().to_vec();
    p.extend(nlmsg(ACCEL, NLM_F_REQUEST, seq, &[]));
    let mut f = NLM_F_CAPPED;
    if let Some(m) = msg {
        p.extend(ext_msg(m));
        f |= NLM_F_ACK_TLVS;
    }
    nlmsg(NLMSG_ERROR, f, seq, &p)
}

fn ack(seq: u32) -> Vec<u8> {
    error(seq, 0, None)
}

fn header(sent: &[u8]) -> (u16, u32) {
    let flags = u16::from_ne_bytes([sent[6], sent[7]]);
    let seq = u32::from_ne_bytes([sent[8], sent[9], sent[10], sent[11]]);
    (flags, seq)
}

fn names(events: &[Event<GenlCtrl>]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Event::Reply(c) => format!("reply {}", first_name(c)),
            Event::Notification(Notification { group, payload }) => format!(
                "notification {} {}",
                group.as_deref().unwrap_or("?"),
                first_name(payload)
            ),
            Event::Done => "done".to_string(),
        })
        .collect()
}

fn first_name(c: &GenlCtrl) -> String {
    c.nlas
        .iter()
        .find_map(|a| match a {
            GenlCtrlAttrs::FamilyName(n) => Some(n.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

fn run(s: &mut Session<Fake>, mode: Mode) -> anyhow::Result<Vec<Event<GenlCtrl>>> {
    s.request(ACCEL, ctrl("req"), mode)?.collect()
}

#[test]
fn do_yields_reply_then_done_and_drops_stale_replies() {
    let mut f = Fake::default();
    // A late reply and a late ACK of an earlier request (seq 7), then ours.
    f.datagram(&[reply(7, 0, "stale"), ack(7)]);
    f.datagram(&[reply(1, 0, "dev0"), ack(1)]);
    let mut s = Session::new(f, false);
    let ev = run(&mut s, Mode::Do).expect("do");
    assert_eq!(names(&ev), ["reply dev0", "done"]);
    let sent = &s.transport().sent[0];
    assert_eq!(
        u16::from_ne_bytes([sent[4], sent[5]]),
        ACCEL,
        "message type"
    );
    assert_eq!(header(sent), (NLM_F_REQUEST | NLM_F_ACK, 1));
}

#[test]
fn dump_split_over_several_datagrams() {
    let mut f = Fake::default();
    f.datagram(&[reply(1, NLM_F_MULTI, "a"), reply(1, NLM_F_MULTI, "b")]);
    f.datagram(&[reply(1, NLM_F_MULTI, "c")]);
    f.datagram(&[reply(1, NLM_F_MULTI, "d"), done(1, 0, 0, None)]);
    let mut s = Session::new(f, false);
    let ev = run(&mut s, Mode::Dump).expect("dump");
    assert_eq!(
        names(&ev),
        ["reply a", "reply b", "reply c", "reply d", "done"]
    );
    let (flags, _) = header(&s.transport().sent[0]);
    assert_eq!(flags, NLM_F_REQUEST | NLM_F_DUMP);
}

#[test]
fn empty_dump_is_just_done() {
    let mut f = Fake::default();
    f.datagram(&[done(1, 0, 0, None)]);
    let mut s = Session::new(f, false);
    assert_eq!(names(&run(&mut s, Mode::Dump).expect("dump")), ["done"]);
}

#[test]
fn done_carrying_an_error_and_extack() {
    let mut f = Fake::default();
    f.datagram(&[reply(1, NLM_F_MULTI, "a")]);
    f.datagram(&[done(1, 0, -libc::EINVAL, Some("bad dev-name"))]);
    let mut s = Session::new(f, false);
    let err = run(&mut s, Mode::Dump).expect_err("DONE with -EINVAL");
    let k = err.downcast_ref::<KernelError>().expect("a KernelError");
    assert_eq!(k.errno, libc::EINVAL);
    assert_eq!(k.ext.msg.as_deref(), Some("bad dev-name"));
}

#[test]
fn error_reply_with_extack_ends_the_stream() {
    let mut f = Fake::default();
    f.datagram(&[error(1, -libc::EPERM, Some("admin only"))]);
    let mut s = Session::new(f, false);
    let mut r = s.request(ACCEL, ctrl("req"), Mode::Do).expect("send");
    let err = r.next().expect("an item").expect_err("EPERM");
    let k = err.downcast_ref::<KernelError>().expect("a KernelError");
    assert_eq!(
        (k.errno, k.ext.msg.as_deref()),
        (libc::EPERM, Some("admin only"))
    );
    assert!(r.next().is_none(), "nothing after an error");
}

#[test]
fn sequence_numbers_advance_per_request() {
    let mut f = Fake::default();
    f.datagram(&[ack(1)]);
    // The second request must ignore a duplicate ACK of the first.
    f.datagram(&[ack(1), reply(2, 0, "second"), ack(2)]);
    let mut s = Session::new(f, false);
    assert_eq!(names(&run(&mut s, Mode::Do).expect("1")), ["done"]);
    assert_eq!(
        names(&run(&mut s, Mode::Do).expect("2")),
        ["reply second", "done"]
    );
    assert_eq!(header(&s.transport().sent[1]).1, 2);
}

#[test]
fn dump_intr_is_retried_then_succeeds() {
    let mut f = Fake::default();
    let intr = NLM_F_MULTI | NLM_F_DUMP_INTR;
    f.datagram(&[reply(1, NLM_F_MULTI, "old0"), reply(1, intr, "old1")]);
    f.datagram(&[done(1, NLM_F_DUMP_INTR, 0, None)]);
    f.datagram(&[reply(2, NLM_F_MULTI, "new0"), reply(2, NLM_F_MULTI, "new1")]);
    f.datagram(&[done(2, 0, 0, None)]);
    let mut s = Session::new(f, false);
    let ev = run(&mut s, Mode::Dump).expect("retried dump");
    assert_eq!(names(&ev), ["reply new0", "reply new1", "done"]);
    let sent = &s.transport().sent;
    assert_eq!(sent.len(), 2, "one retry");
    assert_eq!(sent[0][16..], sent[1][16..], "same request again");
    assert_eq!(header(&sent[1]), (NLM_F_REQUEST | NLM_F_DUMP, 2));
}

#[test]
fn dump_intr_retries_are_bounded() {
    let mut f = Fake::default();
    let attempts = DUMP_RETRIES + 1;
    for seq in 1..=attempts {
        f.datagram(&[
            reply(seq, NLM_F_MULTI | NLM_F_DUMP_INTR, "x"),
            done(seq, NLM_F_DUMP_INTR, 0, None),
        ]);
    }
    // Would succeed on one more attempt: the session must not take it.
    f.datagram(&[
        reply(attempts + 1, NLM_F_MULTI, "y"),
        done(attempts + 1, 0, 0, None),
    ]);
    let mut s = Session::new(f, false);
    let err = run(&mut s, Mode::Dump).expect_err("still interrupted");
    let d = err
        .downcast_ref::<DumpInterrupted>()
        .expect("DumpInterrupted");
    assert_eq!(d.attempts, attempts);
    assert_eq!(s.transport().sent.len() as u32, attempts);
}

/// Resolve "accel" (id ACCEL, group "monitor" = MON_GROUP) from a scripted
/// nlctrl reply, and join the group.
fn session_with_monitor(mut f: Fake) -> Session<Fake> {
    let fam = GenlCtrl {
        cmd: GenlCtrlCmd::NewFamily,
        nlas: vec![
            GenlCtrlAttrs::FamilyName("accel".into()),
            GenlCtrlAttrs::FamilyId(ACCEL),
            GenlCtrlAttrs::Version(1),
            GenlCtrlAttrs::McastGroups(vec![vec![
                McastGrpAttrs::Name("monitor".into()),
                McastGrpAttrs::Id(MON_GROUP),
            ]]),
        ],
    };
    let mut script = std::mem::take(&mut f.script);
    f.datagram(&[genl(GENL_ID_CTRL, 1, 0, fam), ack(1)]);
    f.script.append(&mut script);
    let mut s = Session::new(f, false);
    assert_eq!(
        s.subscribe("accel", "monitor").expect("subscribe"),
        MON_GROUP
    );
    assert_eq!(s.transport().joined, [MON_GROUP]);
    s
}

fn from_group(g: u32) -> Origin {
    Origin {
        port: 0,
        groups: 1 << (g - 1),
    }
}

#[test]
fn notifications_interleave_with_a_do() {
    let mut f = Fake::default();
    // seq 1 is the nlctrl lookup; the request is seq 2 (flash-like progress).
    f.datagram_from(from_group(MON_GROUP), &[notif("10%")]);
    f.datagram_from(from_group(MON_GROUP), &[notif("50%")]);
    f.datagram(&[reply(2, 0, "flashed")]);
    f.datagram_from(from_group(MON_GROUP), &[notif("100%")]);
    f.datagram(&[ack(2)]);
    let mut s = session_with_monitor(f);
    let ev = run(&mut s, Mode::Do).expect("do");
    assert_eq!(
        names(&ev),
        [
            "notification monitor 10%",
            "notification monitor 50%",
            "reply flashed",
            "notification monitor 100%",
            "done"
        ]
    );
}

#[test]
fn notifications_during_a_dump_are_not_held_back() {
    let mut f = Fake::default();
    f.datagram_from(
        from_group(MON_GROUP),
        &[reply(2, NLM_F_MULTI, "a"), notif("dev-new")],
    );
    f.datagram(&[reply(2, NLM_F_MULTI, "b"), done(2, 0, 0, None)]);
    let mut s = session_with_monitor(f);
    let ev = run(&mut s, Mode::Dump).expect("dump");
    assert_eq!(
        names(&ev),
        ["notification monitor dev-new", "reply a", "reply b", "done"]
    );
}

#[test]
fn notification_without_group_bit_has_no_group() {
    let mut f = Fake::default();
    f.datagram(&[notif("no-group")]);
    f.datagram(&[ack(2)]);
    let mut s = session_with_monitor(f);
    let ev = run(&mut s, Mode::Do).expect("do");
    assert_eq!(names(&ev), ["notification ? no-group", "done"]);
}

#[test]
fn monitor_stream_skips_replies_and_foreign_senders() {
    let mut f = Fake::default();
    f.datagram_from(
        Origin {
            port: 4242,
            groups: 0,
        },
        &[notif("spoofed")],
    );
    f.datagram_from(
        from_group(MON_GROUP),
        &[reply(9, 0, "late"), notif("one"), notif("two")],
    );
    let mut s = session_with_monitor(f);
    let got: Vec<_> = s
        .notifications::<GenlCtrl>(ACCEL)
        .take(2)
        .collect::<anyhow::Result<_>>()
        .expect("two notifications");
    assert_eq!(
        names(&got),
        ["notification monitor one", "notification monitor two"]
    );
    // The script ran dry: the stream reports it rather than blocking.
    assert!(s
        .notifications::<GenlCtrl>(ACCEL)
        .next()
        .expect("item")
        .is_err());
}

#[test]
fn resolve_is_cached_and_enoent_is_no_family() {
    let mut f = Fake::default();
    f.datagram(&[error(2, -libc::ENOENT, None)]);
    let mut s = session_with_monitor(f);
    assert_eq!(s.resolve("accel").expect("cached").id, ACCEL);
    assert_eq!(s.transport().sent.len(), 1, "resolved once");
    let err = s.resolve("nosuch").expect_err("ENOENT");
    assert_eq!(
        err.downcast_ref::<NoFamily>(),
        Some(&NoFamily("nosuch".into()))
    );
}

#[test]
fn truncated_datagram_is_an_error_not_a_panic() {
    let mut f = Fake::default();
    let mut r = reply(1, 0, "x");
    r.truncate(20);
    f.datagram(&[r]);
    let mut s = Session::new(f, false);
    assert!(run(&mut s, Mode::Do).is_err());
}

/// A real NETLINK_GENERIC socket: nlctrl is always there.
#[test]
fn real_socket_resolves_nlctrl_and_dumps_families() {
    let mut s = Session::open(false).expect("open a generic netlink socket");
    let fam = s.resolve("nlctrl").expect("resolve nlctrl");
    assert_eq!(fam.id, GENL_ID_CTRL);
    assert!(fam.group("notify").is_some(), "groups: {:?}", fam.groups);
    let req = GenlCtrl {
        cmd: GenlCtrlCmd::GetFamily,
        nlas: vec![],
    };
    let ev: Vec<_> = s
        .request(GENL_ID_CTRL, req, Mode::Dump)
        .expect("send")
        .collect::<anyhow::Result<_>>()
        .expect("dump families");
    assert_eq!(ev.last(), Some(&Event::Done));
    let listed = names(&ev);
    assert!(listed.iter().any(|n| n == "reply nlctrl"), "{listed:?}");
    // The family cache answers without the kernel.
    assert_eq!(s.resolve("nlctrl").expect("cached"), fam);
}
