//! The Rust form of the spec's enums (`health-state`, `param-type`,
//! `reload-action`, ...): one macro, so that every enum decodes, encodes and
//! names its entries the same way.

/// A spec enum kept as received: known entries by name, unknown values
/// kept (a newer kernel), never rejected.
macro_rules! spec_enum {
    ($(#[$m:meta])* $name:ident, $table:ident, { $($(#[$vm:meta])* $var:ident = $konst:ident,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* $var,)*
            /// A value this crate does not know (a newer kernel): kept, not rejected.
            Unknown(u32),
        }

        impl $name {
            /// Every known entry, in spec order.
            pub const ALL: &'static [$name] = &[$($name::$var,)*];

            /// From the wire value; unknown values are kept.
            pub fn from_u32(v: u32) -> Self {
                match v {
                    $($konst => Self::$var,)*
                    other => Self::Unknown(other),
                }
            }

            /// The wire value.
            pub fn to_u32(self) -> u32 {
                match self {
                    $(Self::$var => $konst,)*
                    Self::Unknown(v) => v,
                }
            }

            /// The spec's name (`driver-reinit`), `unknown` for an unknown value.
            pub fn as_str(self) -> &'static str {
                let v = self.to_u32();
                $table
                    .iter()
                    .find(|(k, _)| *k == v)
                    .map_or("unknown", |(_, name)| name)
            }

            /// The entry of a spec name (`driver-reinit`) or of the same
            /// name with underscores (`driver_reinit`, as accelctl spells
            /// keywords).
            pub fn from_name(name: &str) -> Option<Self> {
                $table
                    .iter()
                    .find(|(_, n)| *n == name || n.replace('-', "_") == name)
                    .map(|(v, _)| Self::from_u32(*v))
            }
        }
    };
}
pub(crate) use spec_enum;
