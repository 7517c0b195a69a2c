//! What every object's output shares: the output mode, the JSON document
//! frame (format version, error document, device identity, 64-bit
//! integers, timestamps, lazily serialized lists) and escaping of kernel
//! strings for a terminal. Each object renders itself (`objects/`); the
//! published schema (`schema/accelctl.schema.json`) is derived from its
//! document types.

pub mod json_each;
pub mod json_int;
#[cfg(feature = "schema")]
pub mod schema;
mod time;

pub use time::rfc3339_ns;

use std::borrow::Cow;
use std::fmt::Write as _;

use accel_netlink::DevIdent;
use serde::Serialize;

use json_int::JsonU64;

/// Version of the JSON documents; bump on incompatible changes.
pub const FORMAT_VERSION: u32 = 2;

/// The `version` member of every document: [`FORMAT_VERSION`].
#[derive(Debug, Clone, Copy, Default)]
pub struct DocVersion;

impl Serialize for DocVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(FORMAT_VERSION)
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
/// Printed on stdout when a command fails with -j (exit status 1, or 2 for
/// usage errors).
pub struct ErrorDoc {
    pub version: DocVersion,
    pub error: ErrorBody,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    pub message: String,
}

/// The fields naming a device, first in every per-device JSON object.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IdentJson {
    /// Per-boot id of the device, never reused (unlike the index); null
    /// from the sysfs fallback.
    pub id: Option<JsonU64>,
    /// N of /dev/accel/accelN.
    pub index: u32,
    /// Name of the device, e.g. accel0.
    pub name: String,
    /// bus_name/dev_name, e.g. pci/0000:03:00.0.
    pub handle: String,
    /// Bus of the parent device, e.g. pci.
    pub bus_name: String,
    /// Name of the parent device on its bus, e.g. 0000:03:00.0.
    pub dev_name: String,
}

impl IdentJson {
    /// `id` 0 means unknown: the kernel numbers devices from 1, and the
    /// sysfs fallback has no id.
    pub fn new(d: &DevIdent) -> Self {
        IdentJson {
            id: (d.id != 0).then_some(JsonU64(d.id)),
            index: d.index,
            name: d.name.clone(),
            handle: d.handle(),
            bus_name: d.bus_name.clone(),
            dev_name: d.dev_name.clone(),
        }
    }
}

/// Text or JSON, chosen once from the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Output {
    pub json: bool,
    pub pretty: bool,
}

impl Output {
    /// Serialize a document, one per line (pretty: multi-line) with a final newline.
    pub fn json<T: Serialize>(&self, doc: &T) -> String {
        // Measured first, then written once into a buffer of that size: a
        // document of 256 devices grown by doubling left its smaller
        // copies in the heap, a sixth of `dev info`'s peak RSS.
        let mut size = ByteCount(0);
        let mut buf = Vec::new();
        let res = self.write_json(&mut size, doc).and_then(|()| {
            buf.reserve_exact(size.0 + 1);
            self.write_json(&mut buf, doc)
        });
        // Our structs have string keys and no maps: serialization cannot fail.
        if let Err(e) = res {
            let msg = serde_json::to_string(&e.to_string()).unwrap_or_default();
            return format!("{{\"version\":{FORMAT_VERSION},\"error\":{{\"message\":{msg}}}}}\n");
        }
        buf.push(b'\n');
        // serde_json writes UTF-8.
        String::from_utf8(buf)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    fn write_json<W: std::io::Write, T: Serialize>(&self, w: W, doc: &T) -> serde_json::Result<()> {
        if self.pretty {
            serde_json::to_writer_pretty(w, doc)
        } else {
            serde_json::to_writer(w, doc)
        }
    }

    /// For monitor events: JSON Lines, one object per line even with -p.
    pub(crate) fn one_line(&self) -> Output {
        Output {
            pretty: false,
            ..*self
        }
    }

    /// The error document (JSON mode only; text errors go to stderr).
    pub fn error_doc(&self, message: &str) -> String {
        self.json(&ErrorDoc {
            version: DocVersion,
            error: ErrorBody {
                message: message.to_string(),
            },
        })
    }
}

/// A writer that only counts bytes.
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Kernel strings for a terminal: control characters (ESC, CR, ...; all of
/// Unicode's Cc are below U+0100) are escaped as `\xNN`, and the invisible
/// format characters that can reorder or hide text (bidi overrides, zero
/// widths, line separators) as `\u{NNNN}`, so that a
/// driver-supplied value can neither drive the terminal nor disguise itself.
/// Other characters, including non-ASCII text, are kept.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else if is_invisible(c) {
            let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// Unicode's format characters (category Cf) and the line/paragraph
/// separators (Zl, Zp): not control characters, but they print nothing or
/// change how the rest of the line is shown (U+202E reverses it). The
/// standard library has no category lookup; this is the Cf list of
/// Unicode 15.1, which changes rarely.
fn is_invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        0xad | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x890..=0x891
            | 0x8e2
            | 0x180e
            | 0x200b..=0x200f
            | 0x2028..=0x202e
            | 0x2060..=0x2064
            | 0x2066..=0x206f
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0x110bd
            | 0x110cd
            | 0x13430..=0x1343f
            | 0x1bca0..=0x1bca3
            | 0x1d173..=0x1d17a
            | 0xe0001
            | 0xe0020..=0xe007f
    )
}
