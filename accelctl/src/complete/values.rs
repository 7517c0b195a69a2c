//! The live values completion offers: device names (sysfs, no netlink, so
//! they complete on a kernel without the family), reporter and parameter
//! names (netlink), and which of them the words before the cursor call for.

use std::fs;
use std::path::Path;

use accel_netlink::{
    DevHandle, DevHealthReporter, DeviceInfo, HealthReporterGetDump, InfoGetDo, Param,
    ParamGetDump, Selftests, SelftestsGetDo,
};
use anyhow::{anyhow, Result};

use super::engine::{Candidate, Sources};
use crate::handle::parse_handle;
use crate::objects::health::{AUTO_DUMP, AUTO_RECOVER, REPORTER};
use crate::objects::{flash, param, reload, selftest};
use crate::query::Nl;
use crate::sysfs::SYSFS_ACCEL;

/// The running system: devices from sysfs, reporters from the kernel.
pub struct Live;

impl Sources for Live {
    fn devices(&self, current: &str) -> Vec<Candidate> {
        let devs = devices(Path::new(SYSFS_ACCEL));
        dev_candidates(&devs, current)
            .into_iter()
            .map(|(v, help)| Candidate::new(v, help))
            .collect()
    }

    fn reporters(&self, dev: &str) -> Vec<Candidate> {
        live(dev, reporter_names)
    }

    fn params(&self, dev: &str) -> Vec<Candidate> {
        live(dev, param_names)
    }

    fn components(&self, dev: &str) -> Vec<Candidate> {
        live(dev, component_names)
    }

    fn selftests(&self, dev: &str) -> Vec<Candidate> {
        live(dev, selftest_ids)
    }
}

/// The names of one accel device: `accelN` and, when sysfs shows its
/// parent, `BUS/NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevNames {
    pub index: u32,
    pub name: String,
    pub handle: Option<String>,
}

/// The devices under `root` (normally /sys/class/accel), by index; none
/// when it cannot be read. Two readlinks per device, nothing else.
pub fn devices(root: &Path) -> Vec<DevNames> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    let mut devs: Vec<DevNames> = entries
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let index = match parse_handle(&name) {
                Ok(DevHandle::Index(i)) if name.starts_with("accel") => i,
                _ => return None,
            };
            let handle = handle_of(&root.join(&name));
            Some(DevNames {
                index,
                name,
                handle,
            })
        })
        .collect();
    devs.sort_by_key(|d| d.index);
    devs
}

/// `BUS/NAME` of the parent device: the names the `device` and
/// `device/subsystem` links point to. Only a handle accelctl would accept.
fn handle_of(class_dev: &Path) -> Option<String> {
    let link_name = |p: &Path| -> Option<String> {
        fs::read_link(p)
            .ok()?
            .file_name()?
            .to_str()
            .map(String::from)
    };
    let parent = class_dev.join("device");
    let h = format!(
        "{}/{}",
        link_name(&parent.join("subsystem"))?,
        link_name(&parent)?
    );
    matches!(parse_handle(&h), Ok(DevHandle::BusDev { .. })).then_some(h)
}

/// The DEV candidates for the word `current`: `accelN` and `BUS/NAME`,
/// or `/dev/accel/accelN` once the word starts with '/'. Each carries the
/// device's other name as its description (zsh and fish show it).
pub fn dev_candidates(devs: &[DevNames], current: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for d in devs {
        let other = d.handle.clone().unwrap_or_default();
        if current.starts_with('/') {
            out.push((format!("/dev/accel/{}", d.name), other));
            continue;
        }
        out.push((d.name.clone(), other));
        if let Some(h) = &d.handle {
            out.push((h.clone(), d.name.clone()));
        }
    }
    out.retain(|(v, _)| v.starts_with(current));
    out
}

/// What the word after DEV in a `health` command line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want<'a> {
    /// A keyword not given yet.
    Keyword(Vec<&'static str>),
    /// A reporter name of DEV.
    Reporter(&'a str),
    /// A parameter name of DEV.
    Param(&'a str),
    /// A firmware component of DEV.
    Component(&'a str),
    /// A self-test id of DEV.
    Selftest(&'a str),
    /// One of these words (cmode, action, limit).
    Words(Vec<&'static str>),
    /// `true` or `false`.
    Bool,
    /// Something not to complete (a number).
    Nothing,
}

/// Decide from the positional words of a `health` command before the
/// cursor (DEV, then keyword–value pairs) what the next one is; `keywords`
/// are those of the command. None before DEV.
pub fn keyword_want<'a>(positionals: &[&'a str], keywords: &[&'static str]) -> Option<Want<'a>> {
    let (dev, pairs) = positionals.split_first()?;
    if let [.., keyword] = pairs {
        if pairs.len() % 2 == 1 {
            return Some(match *keyword {
                REPORTER => Want::Reporter(dev),
                AUTO_RECOVER | AUTO_DUMP => Want::Bool,
                k if k == param::NAME.0 => Want::Param(dev),
                k if k == param::CMODE.0 => {
                    Want::Words(param::CMODE_WORDS.iter().map(|(w, _)| *w).collect())
                }
                k if k == reload::ACTION.0 => {
                    Want::Words(reload::ACTION_WORDS.iter().map(|(w, _)| *w).collect())
                }
                // `none` is the default: accepted, not offered.
                k if k == reload::LIMIT.0 => Want::Words(vec!["no_reset"]),
                k if k == flash::COMPONENT.0 => Want::Component(dev),
                k if k == flash::OVERWRITE.0 => Want::Words(flash::overwrite_words()),
                k if k == selftest::ID.0 => Want::Selftest(dev),
                _ => Want::Nothing,
            });
        }
    }
    let given: Vec<&str> = pairs.iter().step_by(2).copied().collect();
    // Keywords that may repeat are always offered again.
    let repeating = [flash::OVERWRITE.0, selftest::ID.0];
    let left = keywords
        .iter()
        .copied()
        .filter(|k| repeating.contains(k) || !given.contains(k));
    Some(Want::Keyword(left.collect()))
}

/// Live values with their help text.
type Values<V> = Vec<(V, String)>;

/// The candidates `fetch` reads from the kernel for device word `dev`
/// (value and its help); none if the word is no device or the kernel
/// does not answer.
fn live<V: ToString>(dev: &str, fetch: impl Fn(&DevHandle) -> Result<Values<V>>) -> Vec<Candidate> {
    let Ok(handle) = parse_handle(dev) else {
        return Vec::new();
    };
    fetch(&handle)
        .unwrap_or_default()
        .into_iter()
        .map(|(v, help)| Candidate::new(v.to_string(), help))
        .collect()
}

/// The reporters of `dev` (name, state) from the kernel, in its order.
/// Only names every shell takes as one plain word are offered: a driver's
/// name with white space, quotes or `$` would be inserted unquoted.
pub fn reporter_names(dev: &DevHandle) -> Result<Vec<(String, String)>> {
    let req = HealthReporterGetDump {
        handle: Some(dev.to_handle()),
    };
    let reporters = Nl::new(false).fetch(req, None, "list health reporters", |m| {
        DevHealthReporter::try_from(m).map_err(|e| anyhow!("malformed reply: {e}"))
    })?;
    Ok(reporters
        .into_iter()
        .map(|r| (r.reporter.name, r.reporter.state.as_str().to_string()))
        .filter(|(n, _)| plain_word(n))
        .collect())
}

/// The parameters of `dev` (name, `generic u32` or `driver-specific
/// bool`) from the kernel, in its order; plain words only, as for
/// reporters.
pub fn param_names(dev: &DevHandle) -> Result<Vec<(String, String)>> {
    let req = ParamGetDump {
        handle: Some(dev.to_handle()),
    };
    let params = Nl::new(false).fetch(req, None, "list parameters", |m| {
        Param::try_from(m).map_err(|e| anyhow!("malformed reply: {e}"))
    })?;
    Ok(params
        .into_iter()
        .map(|p| {
            let kind = if p.generic {
                "generic"
            } else {
                "driver-specific"
            };
            let help = format!("{kind} {}", param::word(p.ty.as_str()));
            (p.name, help)
        })
        .filter(|(n, _)| plain_word(n))
        .collect())
}

/// The firmware components of `dev` (name, `stored VERSION`): its stored
/// versions, which are what a flash can write; plain words only.
pub fn component_names(dev: &DevHandle) -> Result<Vec<(String, String)>> {
    let req = InfoGetDo {
        handle: Some(dev.to_handle()),
    };
    let infos = Nl::new(false).fetch(req, None, "read device information", |m| {
        DeviceInfo::try_from(m).map_err(|e| anyhow!("malformed reply: {e}"))
    })?;
    Ok(infos
        .into_iter()
        .flat_map(|i| i.stored)
        .map(|v| (v.name, format!("stored {}", v.value)))
        .filter(|(n, _)| plain_word(n))
        .collect())
}

/// The self-tests of `dev` (id, name), in the kernel's order.
pub fn selftest_ids(dev: &DevHandle) -> Result<Vec<(u32, String)>> {
    let req = SelftestsGetDo {
        handle: Some(dev.to_handle()),
    };
    let lists = Nl::new(false).fetch(req, None, "list self-tests", |m| {
        Selftests::try_from(m).map_err(|e| anyhow!("malformed reply: {e}"))
    })?;
    Ok(lists
        .into_iter()
        .flat_map(|l| l.tests)
        .map(|t| (t.id, t.name))
        .collect())
}

fn plain_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.+,@%=:/".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// class/accel/accelN/device -> devices/NAME, NAME/subsystem -> bus/BUS.
    fn fake_tree(tmp: &Path, devs: &[(&str, &str, &str)]) -> std::path::PathBuf {
        let class = tmp.join("class/accel");
        for (minor, bus, name) in devs {
            let parent = tmp.join("devices").join(name);
            fs::create_dir_all(&parent).unwrap();
            fs::create_dir_all(tmp.join("bus").join(bus)).unwrap();
            symlink(tmp.join("bus").join(bus), parent.join("subsystem")).unwrap();
            fs::create_dir_all(class.join(minor)).unwrap();
            symlink(&parent, class.join(minor).join("device")).unwrap();
        }
        class
    }

    #[test]
    fn devices_from_a_fake_sysfs() {
        let tmp = std::env::temp_dir().join(format!("accelctl-compl-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        let class = fake_tree(
            &tmp,
            &[
                ("accel10", "accel_sim", "accel_sim3"),
                ("accel2", "pci", "0000:03:00.0"),
                ("accel3", "bad bus", "x"),
            ],
        );
        // Not devices: other names, and a minor without a parent.
        fs::create_dir_all(class.join("card0")).unwrap();
        fs::create_dir_all(class.join("accel01")).unwrap();
        fs::create_dir_all(class.join("accel4")).unwrap();

        let devs = devices(&class);
        let names: Vec<(u32, &str, Option<&str>)> = devs
            .iter()
            .map(|d| (d.index, d.name.as_str(), d.handle.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                (2, "accel2", Some("pci/0000:03:00.0")),
                (3, "accel3", None),
                (4, "accel4", None),
                (10, "accel10", Some("accel_sim/accel_sim3")),
            ]
        );

        let values = |cur: &str| -> Vec<String> {
            dev_candidates(&devs, cur)
                .into_iter()
                .map(|(v, _)| v)
                .collect()
        };
        assert_eq!(
            values(""),
            [
                "accel2",
                "pci/0000:03:00.0",
                "accel3",
                "accel4",
                "accel10",
                "accel_sim/accel_sim3"
            ]
        );
        assert_eq!(values("accel1"), ["accel10"]);
        assert_eq!(values("pci/0000:0"), ["pci/0000:03:00.0"]);
        assert_eq!(values("/dev/accel/accel1"), ["/dev/accel/accel10"]);
        assert!(values("x").is_empty());
        // Each name's description is the other name.
        assert_eq!(
            dev_candidates(&devs, "accel2"),
            [("accel2".to_string(), "pci/0000:03:00.0".to_string())]
        );
        assert!(devices(&tmp.join("nonexistent")).is_empty());
        let _ = fs::remove_dir_all(&tmp);
    }

    fn want<'a>(line: &'a str, keywords: &[&'static str]) -> Option<Want<'a>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        keyword_want(&words, keywords)
    }

    #[test]
    fn keyword_positions() {
        let set = crate::objects::health::SET_KEYWORDS;
        let one = &[REPORTER];
        assert_eq!(want("accel1", one), Some(Want::Keyword(vec![REPORTER])));
        assert_eq!(
            want("pci/0000:03:00.0 reporter", one),
            Some(Want::Reporter("pci/0000:03:00.0"))
        );
        assert_eq!(want("accel0 reporter fw", one), Some(Want::Keyword(vec![])));
        assert_eq!(
            want("accel0 reporter fw", set),
            Some(Want::Keyword(vec![
                "grace_period",
                "auto_recover",
                "auto_dump"
            ]))
        );
        assert_eq!(
            want("accel0 auto_dump true reporter fw", set),
            Some(Want::Keyword(vec!["grace_period", "auto_recover"]))
        );
        assert_eq!(
            want("accel0 reporter fw auto_recover", set),
            Some(Want::Bool)
        );
        assert_eq!(
            want("accel0 grace_period -1 reporter", set),
            Some(Want::Reporter("accel0"))
        );
        assert_eq!(want("accel0 grace_period", set), Some(Want::Nothing));
        assert_eq!(want("", one), None);
    }

    #[test]
    fn only_plain_reporter_names() {
        for ok in ["fw", "fw_fatal", "rx-0", "a.b"] {
            assert!(plain_word(ok), "{ok}");
        }
        for bad in ["", "a b", "x$y", "it's", "a\x1b[31m", "*", "ü"] {
            assert!(!plain_word(bad), "{bad}");
        }
    }
}
