//! The objects accelctl manages, one module each: its keywords (clap
//! arguments, whose doc comments are the help and man page text), how it
//! picks a do or a dump request, its text and JSON rendering (the JSON
//! document types the published schema is derived from) and its man page
//! prose (`<object>.roff` beside the module). Adding an object is its
//! module and one line in each registry: [`DevCommand`] for `accelctl dev`
//! commands (or `cli::Object` for a new top-level keyword), [`MAN_PAGES`]
//! for its prose, and `output::schema`'s `Document` for its JSON.

pub mod dev;
pub mod flash;
pub mod health;
pub mod info;
pub mod keywords;
pub mod monitor;
pub mod param;
pub mod progress;
pub mod reload;
pub mod selftest;

use anyhow::Result;

use crate::output::Output;
use crate::query::Nl;

/// What a command runs with: the output mode, the run's one netlink
/// session, and -s (statistics).
pub struct Cx {
    pub out: Output,
    pub nl: Nl,
    pub stats: bool,
}

/// A command of an object.
pub trait Run {
    /// Run it; the exit status of a command that did not fail (0, or 3
    /// from `health check`).
    fn run(&self, cx: &mut Cx) -> Result<u8>;
}

/// A clap subcommand enum whose every variant wraps a [`Run`] type, and
/// its dispatch: the registry line of an object is its variant.
macro_rules! registry {
    ($(#[$m:meta])* pub enum $name:ident { $($var:ident($ty:ty),)* }) => {
        $(#[$m])*
        #[derive(Debug, clap::Subcommand)]
        pub enum $name {
            $($var($ty),)*
        }

        impl $crate::objects::Run for $name {
            fn run(&self, cx: &mut $crate::objects::Cx) -> anyhow::Result<u8> {
                match self {
                    $(Self::$var(o) => o.run(cx),)*
                }
            }
        }
    };
}
pub(crate) use registry;

/// Accelerator devices
#[derive(Debug, clap::Args)]
#[command(subcommand_value_name = "COMMAND")]
pub struct Dev {
    #[command(subcommand)]
    pub command: Option<DevCommand>,
}

impl Run for Dev {
    /// `accelctl dev` alone is `accelctl dev show`.
    fn run(&self, cx: &mut Cx) -> Result<u8> {
        match &self.command {
            Some(c) => c.run(cx),
            None => dev::Show::default().run(cx),
        }
    }
}

registry! {
    /// `accelctl dev COMMAND`: the objects of a device.
    pub enum DevCommand {
        Show(dev::Show),
        Info(info::Info),
        Param(param::Param),
        Reload(reload::Reload),
        Flash(flash::Flash),
        Selftest(selftest::Selftest),
    }
}

/// The man prose of an object, in the parts a page orders: sections of
/// its own (after COMMANDS), notes, and examples (items under EXAMPLES).
#[derive(Debug, Clone, Copy)]
pub struct ManProse {
    pub sections: &'static str,
    pub notes: &'static str,
    pub examples: &'static str,
}

/// The man pages of the objects: (page, the objects on it).
pub const MAN_PAGES: &[(&str, &[ManProse])] = &[
    (
        "dev",
        &[
            dev::MAN,
            info::MAN,
            param::MAN,
            reload::MAN,
            flash::MAN,
            selftest::MAN,
        ],
    ),
    ("health", &[health::MAN]),
    ("monitor", &[monitor::MAN]),
];
