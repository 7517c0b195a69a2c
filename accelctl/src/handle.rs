//! DEV arguments: `accel0`, `0`, `/dev/accel/accel0`, `pci/0000:03:00.0`.
//!
//! A malformed DEV is a usage error (exit 2, reported by clap with the bad
//! input); a well-formed DEV that names no device is a runtime error (exit 1).

use accel_netlink::DevHandle;

/// Longest accepted BUS/NAME: far above real names, far below the 64 KiB
/// netlink attribute limit.
const MAX_HANDLE_LEN: usize = 256;

/// Parse a DEV argument (used as clap value_parser).
pub fn parse_handle(s: &str) -> Result<DevHandle, String> {
    let bad = |why: &str| {
        Err(format!(
            "invalid device '{}': {why}; expected accelN, N, /dev/accel/accelN or BUS/NAME \
             (e.g. pci/0000:03:00.0)",
            s.escape_debug()
        ))
    };
    if let Some(n) = s.strip_prefix("/dev/accel/accel") {
        return index(n).map(DevHandle::Index).or_else(&bad);
    }
    // Without a '/', it is a minor; with one, BUS/NAME (bus names such as
    // "accel_sim" may start with "accel").
    if let Some(n) = s.strip_prefix("accel").filter(|_| !s.contains('/')) {
        return index(n).map(DevHandle::Index).or_else(&bad);
    }
    if s.bytes().next().is_some_and(|b| b.is_ascii_digit()) && !s.contains('/') {
        return index(s).map(DevHandle::Index).or_else(&bad);
    }
    if s.len() > MAX_HANDLE_LEN {
        return bad("too long");
    }
    match s.split_once('/') {
        Some((bus, dev)) if valid_part(bus) && valid_part(dev) && !dev.contains('/') => {
            Ok(DevHandle::BusDev {
                bus: bus.to_string(),
                dev: dev.to_string(),
            })
        }
        Some(_) => bad("BUS and NAME must be non-empty, printable, without spaces or more '/'"),
        None => bad("not a device name"),
    }
}

/// Decimal minor number, no sign, no leading zeros (`accel01` is not a name).
fn index(n: &str) -> Result<u32, &'static str> {
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the index must be a decimal number");
    }
    if n.len() > 1 && n.starts_with('0') {
        return Err("the index has leading zeros");
    }
    n.parse().map_err(|_| "the index is out of range")
}

fn valid_part(p: &str) -> bool {
    !p.is_empty() && p.chars().all(|c| c.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bd(bus: &str, dev: &str) -> DevHandle {
        DevHandle::BusDev {
            bus: bus.into(),
            dev: dev.into(),
        }
    }

    #[test]
    fn every_form() {
        assert_eq!(parse_handle("accel0"), Ok(DevHandle::Index(0)));
        assert_eq!(parse_handle("accel12"), Ok(DevHandle::Index(12)));
        assert_eq!(parse_handle("0"), Ok(DevHandle::Index(0)));
        assert_eq!(parse_handle("4294967295"), Ok(DevHandle::Index(u32::MAX)));
        assert_eq!(parse_handle("/dev/accel/accel3"), Ok(DevHandle::Index(3)));
        assert_eq!(
            parse_handle("accel_sim/accel_sim5"),
            Ok(bd("accel_sim", "accel_sim5"))
        );
        assert_eq!(parse_handle("accel/x"), Ok(bd("accel", "x")));
        assert_eq!(parse_handle("0bus/dev"), Ok(bd("0bus", "dev")));
        assert_eq!(
            parse_handle("pci/0000:03:00.0"),
            Ok(bd("pci", "0000:03:00.0"))
        );
        assert_eq!(parse_handle("platform/foo.0"), Ok(bd("platform", "foo.0")));
    }

    #[test]
    fn bad_input_is_named() {
        for bad in [
            "",
            "accel",
            "accelx",
            "accel-1",
            "accel01",
            "00",
            "-1",
            "4294967296",
            "/dev/accel/",
            "/dev/accel/card0",
            "/dev/dri/card0",
            "pci/",
            "/0000:03:00.0",
            "pci/a/b",
            "pci/a b",
            "foo",
            "accel0 ",
            " 0",
            "1x",
        ] {
            let err = parse_handle(bad).expect_err(bad);
            assert!(
                err.contains(&format!("'{}'", bad.escape_debug())),
                "{bad}: {err}"
            );
        }
        assert!(parse_handle(&format!("pci/{}", "a".repeat(300))).is_err());
    }

    #[test]
    fn display_round_trips() {
        for s in ["accel7", "pci/0000:03:00.0"] {
            assert_eq!(parse_handle(s).map(|h| h.to_string()).as_deref(), Ok(s));
        }
    }
}
