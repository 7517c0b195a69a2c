use accel_netlink::*;
use accelctl::output::Output;
use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_generic::GenlMessage;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

struct Count;
static CUR: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Count {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let c = CUR.fetch_add(l.size(), SeqCst) + l.size();
        PEAK.fetch_max(c, SeqCst);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        CUR.fetch_sub(l.size(), SeqCst);
        System.dealloc(p, l)
    }
}
#[global_allocator]
static A: Count = Count;
fn mark(what: &str, base: usize) {
    eprintln!(
        "{what}: cur {} KB peak {} KB",
        (CUR.load(SeqCst) - base) / 1024,
        (PEAK.load(SeqCst) - base) / 1024
    );
}

#[test]
fn scratch() {
    let v = |n: &str, val: &str| Version {
        name: n.into(),
        value: val.into(),
    };
    let infos: Vec<DeviceInfo> = (0..256u32)
        .map(|i| DeviceInfo {
            id: i as u64 + 1,
            index: i,
            name: format!("accel{i}"),
            bus_name: "accel_sim".into(),
            dev_name: format!("accel_sim{i}"),
            serial_number: Some(format!("SIM{i:08}")),
            fixed: vec![v("board.id", "accel_sim"), v("asic.id", "0")],
            running: vec![v("fw", "1.0.0"), v("fw.mgmt", "1.0")],
            stored: vec![v("fw", "1.0.0"), v("fw.mgmt", "1.0")],
            ..Default::default()
        })
        .collect();
    let bytes: Vec<Vec<u8>> = infos
        .iter()
        .map(|d| to_bytes(&info_get_reply(0x20, 1, d)))
        .collect();
    drop(infos);
    let base = CUR.load(SeqCst);
    PEAK.store(base, SeqCst);
    let mut msgs = Vec::new();
    for b in &bytes {
        let m = NetlinkMessage::<GenlMessage<AccelMessage>>::deserialize(b).unwrap();
        if let NetlinkPayload::InnerMessage(g) = m.payload {
            msgs.push(g.payload);
        }
    }
    mark("messages", base);
    let got: Vec<DeviceInfo> = msgs
        .iter()
        .map(|m| DeviceInfo::try_from(m).unwrap())
        .collect();
    mark("+views", base);
    drop(msgs);
    let out = Output {
        json: true,
        pretty: false,
    };
    let s = out.dev_info(&got);
    mark("+json", base);
    eprintln!("json {} KB", s.len() / 1024);
}
