//! The netlink layer of accel-netlink, generated from
//! `netlink-family/accel.yaml` as the kernel's ynl-gen-c generates its C
//! side: `family.rs` writes the numbers and names (`generated.rs`),
//! `codec.rs` the attribute sets and operations (`attrs.rs`, `ops.rs`).
//! `cargo run -p accel-codegen` writes them; `cargo run -p xtask -- gen`
//! writes them and everything else generated.

pub mod codec;
pub mod family;

use std::io;
use std::path::{Path, PathBuf};

/// Every generated file of the family: (path relative to the repository
/// root, contents), from the spec below `root`.
pub fn render_all(root: &Path) -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = vec![(PathBuf::from(family::OUT), family::render_from(root)?)];
    for (rel, data) in codec::render_from(root)? {
        files.push((PathBuf::from(rel), data));
    }
    Ok(files)
}
