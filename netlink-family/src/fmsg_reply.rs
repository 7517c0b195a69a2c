//! Replies of health-reporter-diagnose and health-reporter-dump-get: a
//! device, its reporter and a tree, delivered as a netlink dump whose
//! messages each repeat the device handle and the reporter's name and
//! carry the next run of `fmsg` items.

use netlink_packet_core::DecodeError;

use crate::attrs::HealthReporterAttr;
use crate::fmsg::{FmsgItem, FmsgNode, FmsgTreeBuilder};
use crate::health::HealthReporter;
use crate::ident::DevIdent;
use crate::message::AccelMessage;
use crate::ops::Attrs;

/// A whole diagnose or dump message of one reporter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HealthFmsg {
    pub dev: DevIdent,
    /// The reporter as the first message described it.
    pub reporter: HealthReporter,
    /// Members of the implicit top-level object.
    pub tree: Vec<FmsgNode>,
}

impl HealthFmsg {
    /// Assemble the replies of one diagnose or dump-get request, in order.
    pub fn from_messages<'a>(
        msgs: impl IntoIterator<Item = &'a AccelMessage>,
    ) -> Result<Self, DecodeError> {
        let mut asm = FmsgAssembler::new();
        for m in msgs {
            asm.push(m)?;
        }
        asm.finish()
    }

    /// Encode as the kernel would: `items_per_message` items per message
    /// (at least 1), the first message with all reporter attributes, the
    /// others with its name only. Always at least one message.
    pub fn to_messages_attrs(&self, items_per_message: usize) -> Vec<Vec<HealthReporterAttr>> {
        let items = FmsgNode::to_items(&self.tree);
        let mut chunks: Vec<&[FmsgItem]> = items.chunks(items_per_message.max(1)).collect();
        if chunks.is_empty() {
            chunks.push(&[]);
        }
        chunks
            .into_iter()
            .enumerate()
            .map(|(i, chunk)| {
                let mut v = vec![HealthReporterAttr::Handle(self.dev.to_handle())];
                if i == 0 {
                    v.extend(self.reporter.to_attrs());
                } else {
                    v.push(HealthReporterAttr::Name(self.reporter.name.clone()));
                }
                v.extend(
                    chunk
                        .iter()
                        .map(|it| HealthReporterAttr::TreeItem(it.to_attrs())),
                );
                v
            })
            .collect()
    }
}

/// Assembles a [`HealthFmsg`] from the messages of one dump as they arrive.
///
/// Every message must name the same device and reporter as the first;
/// the reporter's attributes are taken from the first message, which must
/// carry its state (as the kernel sends it: all reporter attributes first, the name
/// only in continuation messages).
#[derive(Debug, Default)]
pub struct FmsgAssembler {
    dev: Option<DevIdent>,
    name: Option<String>,
    reporter: Option<HealthReporter>,
    tree: FmsgTreeBuilder,
    messages: usize,
    items: usize,
}

impl FmsgAssembler {
    pub fn new() -> Self {
        Self::default()
    }

    /// Take the next message of the dump.
    pub fn push(&mut self, msg: &AccelMessage) -> Result<(), DecodeError> {
        self.messages += 1;
        let n = self.messages;
        let Attrs::HealthReporter(attrs) = &msg.attrs else {
            return Err(msg.wrong_set("health-reporter"));
        };
        let handle = attrs.iter().rev().find_map(|a| match a {
            HealthReporterAttr::Handle(h) => Some(h.as_slice()),
            _ => None,
        });
        let items = attrs.iter().filter_map(|a| match a {
            HealthReporterAttr::TreeItem(item) => Some(item),
            _ => None,
        });
        let dev = DevIdent::from_handle(handle, None, "health fmsg")?;
        match &self.dev {
            None => self.dev = Some(dev),
            Some(first) if *first == dev => {}
            Some(first) => {
                return Err(format!(
                    "fmsg message {n} is about device {} ({}), not {} ({})",
                    dev.name,
                    dev.handle(),
                    first.name,
                    first.handle()
                )
                .into())
            }
        }
        let name = HealthReporter::name_of(attrs).ok_or_else(|| {
            DecodeError::from(format!("fmsg message {n} lacks the reporter name"))
        })?;
        match &self.name {
            None => self.name = Some(name.to_string()),
            Some(first) if first == name => {}
            Some(first) => {
                return Err(
                    format!("fmsg message {n} is about reporter {name:?}, not {first:?}").into(),
                )
            }
        }
        // The kernel puts all reporter attributes in the first message and
        // only the name in the others; later messages' others are ignored.
        if self.reporter.is_none() {
            let has_state = attrs
                .iter()
                .any(|a| matches!(a, HealthReporterAttr::State(_)));
            if !has_state {
                return Err(
                    format!("first message carries no reporter state (reporter {name:?})").into(),
                );
            }
            self.reporter = Some(HealthReporter::from_attrs(attrs)?);
        }
        for item in items {
            self.items += 1;
            let item = FmsgItem::from_attrs(item).map_err(|e| {
                DecodeError::from(format!("tree item {} (message {n}): {e}", self.items))
            })?;
            self.tree.push(item)?;
        }
        Ok(())
    }

    /// The assembled message; errors if no message came or an object or
    /// array is still open.
    pub fn finish(self) -> Result<HealthFmsg, DecodeError> {
        let (Some(dev), Some(reporter)) = (self.dev, self.reporter) else {
            return Err("no fmsg message received".into());
        };
        Ok(HealthFmsg {
            dev,
            reporter,
            tree: self.tree.finish()?,
        })
    }
}
