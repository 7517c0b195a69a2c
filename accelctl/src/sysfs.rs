//! Fallback for kernels without the `accel` family: read /sys/class/accel.
//!
//! Only what sysfs already shows: index, name, parent bus/device, bound
//! driver, NUMA node, runtime-PM state and, for PCI parents, ids and link.

use std::fs;
use std::path::Path;

use accel_netlink::{DevHandle, DevIdent, Device, PciInfo};

pub const SYSFS_ACCEL: &str = "/sys/class/accel";

/// All accel devices under `root` (normally [`SYSFS_ACCEL`]), by index.
/// A missing class directory means no devices, not an error.
pub fn list_devices(root: &Path) -> std::io::Result<Vec<Device>> {
    let entries = match fs::read_dir(root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut devs: Vec<Device> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let index = name.strip_prefix("accel")?.parse().ok()?;
            Some(read_device(&e.path(), index, name))
        })
        .collect();
    devs.sort_by_key(|d| d.dev.index);
    Ok(devs)
}

/// Does `dev` match the user's handle?
pub fn matches(dev: &Device, h: &DevHandle) -> bool {
    match h {
        DevHandle::Index(i) => dev.dev.index == *i,
        DevHandle::BusDev { bus, dev: name } => {
            dev.dev.bus_name == *bus && dev.dev.dev_name == *name
        }
    }
}

fn link_name(p: &Path) -> Option<String> {
    fs::canonicalize(p)
        .ok()?
        .file_name()?
        .to_str()
        .map(str::to_string)
}

fn read_str(p: &Path) -> Option<String> {
    fs::read_to_string(p).ok().map(|s| s.trim().to_string())
}

fn read_hex(p: &Path) -> Option<u32> {
    let s = read_str(p)?;
    u32::from_str_radix(s.strip_prefix("0x").unwrap_or(&s), 16).ok()
}

/// "8.0 GT/s PCIe" → 8000 MT/s; "Unknown" → None.
pub fn parse_link_speed(s: &str) -> Option<u32> {
    let gts: f64 = s.split_whitespace().next()?.parse().ok()?;
    (gts > 0.0).then(|| (gts * 1000.0).round() as u32)
}

fn read_device(path: &Path, index: u32, name: String) -> Device {
    let parent = path.join("device");
    let numa = read_str(&parent.join("numa_node")).and_then(|s| s.parse::<i64>().ok());
    let bus_name = link_name(&parent.join("subsystem")).unwrap_or_default();
    let pci = (bus_name == "pci").then(|| read_pci(&parent));
    Device {
        dev: DevIdent {
            // Only the kernel family knows the per-boot id (0: unknown).
            id: 0,
            index,
            name,
            dev_name: link_name(&parent).unwrap_or_default(),
            bus_name,
        },
        driver_name: link_name(&parent.join("driver")).unwrap_or_default(),
        numa_node: numa.and_then(|n| u32::try_from(n).ok()),
        runtime_suspended: read_str(&parent.join("power/runtime_status")).as_deref()
            == Some("suspended"),
        pci,
        // Reload state is the family's only (the JSON says null).
        ..Default::default()
    }
}

fn read_pci(dev: &Path) -> PciInfo {
    let h16 = |f: &str| read_hex(&dev.join(f)).filter(|v| *v <= 0xffff);
    let dec = |f: &str| read_str(&dev.join(f)).and_then(|s| s.parse().ok());
    let speed = |f: &str| read_str(&dev.join(f)).and_then(|s| parse_link_speed(&s));
    PciInfo {
        vendor_id: h16("vendor"),
        device_id: h16("device"),
        subsystem_vendor_id: h16("subsystem_vendor"),
        subsystem_device_id: h16("subsystem_device"),
        revision: read_hex(&dev.join("revision")).filter(|v| *v <= 0xff),
        class: read_hex(&dev.join("class")),
        link_speed: speed("current_link_speed"),
        link_width: dec("current_link_width").filter(|w| *w != 0),
        link_max_speed: speed("max_link_speed"),
        link_max_width: dec("max_link_width"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn link_speeds() {
        assert_eq!(parse_link_speed("2.5 GT/s PCIe"), Some(2500));
        assert_eq!(parse_link_speed("16.0 GT/s PCIe"), Some(16000));
        assert_eq!(parse_link_speed("Unknown"), None);
    }

    #[test]
    fn reads_a_fake_tree() {
        let tmp = std::env::temp_dir().join(format!("accelctl-sysfs-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        let pdev = tmp.join("devices/pci0000:00/0000:03:00.0");
        fs::create_dir_all(pdev.join("power")).unwrap();
        fs::create_dir_all(tmp.join("bus/pci")).unwrap();
        fs::create_dir_all(tmp.join("drivers/accel_sim")).unwrap();
        symlink(tmp.join("bus/pci"), pdev.join("subsystem")).unwrap();
        symlink(tmp.join("drivers/accel_sim"), pdev.join("driver")).unwrap();
        for (f, v) in [
            ("numa_node", "-1"),
            ("vendor", "0x1234"),
            ("device", "0x10e8"),
            ("subsystem_vendor", "0x1af4"),
            ("subsystem_device", "0x1100"),
            ("revision", "0x10"),
            ("class", "0xff0000"),
            ("current_link_speed", "8.0 GT/s PCIe"),
            ("current_link_width", "4"),
            ("max_link_speed", "16.0 GT/s PCIe"),
            ("max_link_width", "8"),
            ("power/runtime_status", "active"),
        ] {
            fs::write(pdev.join(f), format!("{v}\n")).unwrap();
        }
        let class = tmp.join("class/accel");
        fs::create_dir_all(class.join("accel1")).unwrap();
        fs::create_dir_all(class.join("other")).unwrap();
        symlink(&pdev, class.join("accel1/device")).unwrap();

        let devs = list_devices(&class).unwrap();
        assert_eq!(devs.len(), 1);
        let d = &devs[0];
        assert_eq!(
            (d.dev.index, d.dev.name.as_str(), d.dev.handle().as_str()),
            (1, "accel1", "pci/0000:03:00.0")
        );
        assert_eq!(
            (d.driver_name.as_str(), d.numa_node, d.runtime_suspended),
            ("accel_sim", None, false)
        );
        let p = d.pci.as_ref().unwrap();
        assert_eq!(
            (p.vendor_id, p.class, p.link_speed, p.link_max_width),
            (Some(0x1234), Some(0xff0000), Some(8000), Some(8))
        );
        assert!(matches(d, &DevHandle::Index(1)));
        assert!(!matches(
            d,
            &DevHandle::BusDev {
                bus: "pci".into(),
                dev: "x".into()
            }
        ));
        assert!(list_devices(&tmp.join("nonexistent")).unwrap().is_empty());
        let _ = fs::remove_dir_all(&tmp);
    }
}
