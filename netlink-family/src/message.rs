//! The generic netlink payload of the family: command + attributes.

use netlink_packet_core::{DecodeError, Emitable, ParseableParametrized};
use netlink_packet_generic::{GenlFamily, GenlHeader};

use crate::generated::*;
use crate::ops::{AccelCmd, Attrs};

/// Payload of a `GenlMessage<AccelMessage>`: a command and its attributes,
/// in the attribute set the spec gives that command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccelMessage {
    pub cmd: AccelCmd,
    pub attrs: Attrs,
}

impl AccelMessage {
    /// The error a view reports when handed a message of another set.
    pub(crate) fn wrong_set(&self, want: &str) -> DecodeError {
        let cmd = self
            .cmd
            .name()
            .map_or_else(|| format!("command {}", u8::from(self.cmd)), str::to_string);
        format!("expected a {want} message, got {cmd}").into()
    }
}

impl GenlFamily for AccelMessage {
    fn family_name() -> &'static str {
        ACCEL_FAMILY_NAME
    }

    fn command(&self) -> u8 {
        self.cmd.into()
    }

    fn version(&self) -> u8 {
        ACCEL_FAMILY_VERSION
    }
}

impl Emitable for AccelMessage {
    fn buffer_len(&self) -> usize {
        self.attrs.buffer_len()
    }

    fn emit(&self, buffer: &mut [u8]) {
        self.attrs.emit(buffer)
    }
}

impl ParseableParametrized<[u8], GenlHeader> for AccelMessage {
    fn parse_with_param(buf: &[u8], header: GenlHeader) -> Result<Self, DecodeError> {
        let cmd = AccelCmd::from(header.cmd);
        Ok(AccelMessage {
            cmd,
            attrs: Attrs::parse(cmd, buf)?,
        })
    }
}

/// Spec name of attribute `kind` in a `cmd` message, at the top level
/// (`outer` `None`) or nested in the top-level attribute `outer`: extack
/// offsets may point into a nest (the handle, for one).
pub fn attr_name(cmd: AccelCmd, outer: Option<u16>, kind: u16) -> Option<&'static str> {
    let top = cmd.attr_set()?;
    let set = match outer {
        None => top,
        Some(o) => crate::ops::nested_set(top, o)?,
    };
    crate::ops::set_attrs(set)?
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, n, _)| *n)
}
