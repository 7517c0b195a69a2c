//! The netlink layer of accel-netlink, generated from
//! `netlink-family/accel.yaml` as the kernel's ynl-gen-c generates its C
//! side: `family.rs` writes the numbers and names (`generated.rs`),
//! `codec.rs` the attribute sets and operations (`attrs.rs`, `ops.rs`).
//! `cargo run -p accel-codegen` writes them; `cargo run -p xtask -- gen`
//! writes them and everything else generated.

pub mod codec;
pub mod family;
pub mod spec;

use std::io;
use std::path::{Path, PathBuf};

/// Every generated file of the family: (path relative to the repository
/// root, contents), from the spec below `root`.
pub fn render_all(root: &Path) -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let spec = spec::Spec::parse(&std::fs::read_to_string(root.join(spec::SPEC))?)?;
    Ok(vec![
        (PathBuf::from(family::OUT), family::render(&spec)?),
        (PathBuf::from(codec::ATTRS_OUT), codec::render_attrs(&spec)?),
        (PathBuf::from(codec::OPS_OUT), codec::render_ops(&spec)?),
    ])
}
