//! Decoded view of parameters: `param-get` replies and `param-change-ntf`
//! notifications, and the request builders of `param-get` and
//! `param-set`. Plain structs, no netlink types.

use netlink_packet_core::DecodeError;

use crate::attrs::{ParamAttr, ParamValueAttr};
use crate::generated::*;
use crate::ident::DevIdent;
use crate::message::AccelMessage;
use crate::ops::{Attrs, ParamGetDo, ParamGetDump, ParamSetDo};
use crate::reload::ReloadAction;
use crate::request::{request, DevHandle, Msg};
use crate::spec_enum::spec_enum;

spec_enum!(
    /// Type of a parameter's values (spec enum `param-type`).
    ParamType, PARAM_TYPE_NAMES, {
        Bool = ACCEL_PARAM_TYPE_BOOL,
        U32 = ACCEL_PARAM_TYPE_U32,
        U64 = ACCEL_PARAM_TYPE_U64,
        String = ACCEL_PARAM_TYPE_STRING,
    }
);

spec_enum!(
    /// Configuration mode of a parameter value (spec enum `param-cmode`):
    /// when a value that is set takes effect.
    ParamCmode, PARAM_CMODE_NAMES, {
        /// At once.
        Runtime = ACCEL_PARAM_CMODE_RUNTIME,
        /// At the next reload with action driver-reinit.
        Driverinit = ACCEL_PARAM_CMODE_DRIVERINIT,
        /// Stored in the device; at the next fw-activate.
        Permanent = ACCEL_PARAM_CMODE_PERMANENT,
    }
);

/// A parameter value, typed by the parameter's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamData {
    Bool(bool),
    U32(u32),
    U64(u64),
    String(String),
    /// A value-uint that does not fit the parameter's type (a bool above
    /// 1, a u32 above 2^32 - 1) or of an unknown type: kept as received.
    Uint(u64),
    /// The value attribute the type calls for is missing.
    Missing,
}

impl ParamData {
    /// Type the wire forms by `ty`: value-uint for bool, u32 and u64,
    /// value-string for string; for an unknown type whichever was sent.
    pub fn typed(ty: ParamType, uint: Option<u64>, string: Option<String>) -> Self {
        match (ty, uint, string) {
            (ParamType::Bool, Some(0), _) => ParamData::Bool(false),
            (ParamType::Bool, Some(1), _) => ParamData::Bool(true),
            (ParamType::U32, Some(v), _) => {
                u32::try_from(v).map_or(ParamData::Uint(v), ParamData::U32)
            }
            (ParamType::U64, Some(v), _) => ParamData::U64(v),
            (ParamType::String, _, Some(s)) => ParamData::String(s),
            (ParamType::String, _, None) => ParamData::Missing,
            (_, Some(v), _) => ParamData::Uint(v),
            (ParamType::Unknown(_), None, Some(s)) => ParamData::String(s),
            (_, None, _) => ParamData::Missing,
        }
    }

    /// The wire forms (value-uint, value-string).
    pub fn wire(&self) -> (Option<u64>, Option<String>) {
        match self {
            ParamData::Bool(b) => (Some(u64::from(*b)), None),
            ParamData::U32(v) => (Some(u64::from(*v)), None),
            ParamData::U64(v) | ParamData::Uint(v) => (Some(*v), None),
            ParamData::String(s) => (None, Some(s.clone())),
            ParamData::Missing => (None, None),
        }
    }
}

/// The value of a parameter in one configuration mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamValue {
    pub cmode: ParamCmode,
    pub value: ParamData,
    /// Not in effect yet: this reload action applies it.
    pub pending: Option<ReloadAction>,
}

/// A parameter of a device: one param-get reply or param-change-ntf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub dev: DevIdent,
    /// Generic (`job_timeout_ms`) or `<driver>.<name>`.
    pub name: String,
    pub generic: bool,
    pub ty: ParamType,
    /// One per mode the parameter supports, in the kernel's order.
    pub values: Vec<ParamValue>,
}

impl ParamValue {
    /// Decode one `param-value` nest; the cmode is mandatory.
    pub fn from_attrs(
        attrs: &[ParamValueAttr],
        ty: ParamType,
        param: &str,
    ) -> Result<Self, DecodeError> {
        let (mut cmode, mut uint, mut string, mut pending) = (None, None, None, None);
        for a in attrs {
            match a {
                ParamValueAttr::Cmode(v) => cmode = Some(*v),
                ParamValueAttr::ValueUint(v) => uint = Some(*v),
                ParamValueAttr::ValueString(s) => string = Some(s.clone()),
                ParamValueAttr::Pending(v) => pending = Some(ReloadAction::from_u32(*v)),
                ParamValueAttr::Unknown(_) => {}
            }
        }
        let cmode = cmode.ok_or_else(|| {
            DecodeError::from(format!(
                "param {param:?}: a value lacks the cmode attribute"
            ))
        })?;
        Ok(ParamValue {
            cmode: ParamCmode::from_u32(cmode),
            value: ParamData::typed(ty, uint, string),
            pending,
        })
    }

    /// Encode as a `param-value` nest (spec order).
    pub fn to_attrs(&self) -> Vec<ParamValueAttr> {
        let mut v = vec![ParamValueAttr::Cmode(self.cmode.to_u32())];
        let (uint, string) = self.value.wire();
        v.extend(uint.map(ParamValueAttr::ValueUint));
        v.extend(string.map(ParamValueAttr::ValueString));
        v.extend(self.pending.map(|p| ParamValueAttr::Pending(p.to_u32())));
        v
    }
}

impl Param {
    /// Decode from the attributes of a param-get reply or notification:
    /// handle, name and type are mandatory; later duplicates override;
    /// unknown attributes are ignored.
    pub fn from_attrs(attrs: &[ParamAttr]) -> Result<Self, DecodeError> {
        let (mut handle, mut name, mut ty, mut generic) = (None, None, None, false);
        for a in attrs {
            match a {
                ParamAttr::Handle(h) => handle = Some(h.as_slice()),
                ParamAttr::Name(s) => name = Some(s.clone()),
                ParamAttr::Generic => generic = true,
                ParamAttr::Type(v) => ty = Some(ParamType::from_u32(*v)),
                _ => {}
            }
        }
        let dev = DevIdent::from_handle(handle, None, "param")?;
        let name = name.ok_or("param reply lacks the name attribute")?;
        let ty = ty
            .ok_or_else(|| DecodeError::from(format!("param {name:?} lacks the type attribute")))?;
        let mut values = Vec::new();
        for a in attrs {
            if let ParamAttr::Value(v) = a {
                values.push(ParamValue::from_attrs(v, ty, &name)?);
            }
        }
        Ok(Param {
            dev,
            name,
            generic,
            ty,
            values,
        })
    }

    /// Encode as the attributes a kernel reply would carry (spec order).
    pub fn to_attrs(&self) -> Vec<ParamAttr> {
        let mut v = vec![
            ParamAttr::Handle(self.dev.to_handle()),
            ParamAttr::Name(self.name.clone()),
        ];
        if self.generic {
            v.push(ParamAttr::Generic);
        }
        v.push(ParamAttr::Type(self.ty.to_u32()));
        v.extend(self.values.iter().map(|x| ParamAttr::Value(x.to_attrs())));
        v
    }

    /// The value in mode `cmode`, if the parameter has that mode.
    pub fn value(&self, cmode: ParamCmode) -> Option<&ParamValue> {
        self.values.iter().find(|v| v.cmode == cmode)
    }
}

impl TryFrom<&AccelMessage> for Param {
    type Error = DecodeError;
    fn try_from(msg: &AccelMessage) -> Result<Self, DecodeError> {
        match &msg.attrs {
            Attrs::Param(a) => Param::from_attrs(a),
            _ => Err(msg.wrong_set("param")),
        }
    }
}

/// The value of a param-set request, in the forms to send: a client that
/// does not know the parameter's type sends both (value-uint only when the
/// text is a number or a bool word), and the kernel uses the one of the
/// parameter's type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParamSetValue {
    pub uint: Option<u64>,
    pub string: Option<String>,
}

impl ParamSetValue {
    /// Both forms of a value typed by a user: value-string always (the
    /// caller checks its length), value-uint when the text is an unsigned
    /// decimal or `0x` hexadecimal number, or a bool word
    /// (true/false/yes/no/on/off: 1/0).
    pub fn from_text(text: &str) -> Self {
        ParamSetValue {
            uint: parse_uint_word(text),
            string: Some(text.to_string()),
        }
    }
}

/// `42`, `0x2a`, `true`/`yes`/`on` (1), `false`/`no`/`off` (0); anything
/// else (signs, blanks, overflow) is not a number.
pub fn parse_uint_word(text: &str) -> Option<u64> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" => return Some(1),
        "false" | "no" | "off" => return Some(0),
        _ => {}
    }
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u64::from_str_radix(hex, 16).ok();
        }
        return None;
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    None
}

/// param-get *do*: one parameter of one device.
pub fn param_get_do(family_id: u16, seq: u32, dev: &DevHandle, name: &str) -> Msg {
    let r = ParamGetDo {
        handle: Some(dev.to_handle()),
        name: Some(name.to_string()),
    };
    request(family_id, seq, r)
}

/// param-get *dump*: every parameter of every device, or of one.
pub fn param_get_dump(family_id: u16, seq: u32, filter: Option<&DevHandle>) -> Msg {
    let handle = filter.map(DevHandle::to_handle);
    request(family_id, seq, ParamGetDump { handle })
}

/// The param-set request (do, acknowledged) as a request type.
pub fn param_set_request(
    dev: &DevHandle,
    name: &str,
    cmode: ParamCmode,
    value: &ParamSetValue,
) -> ParamSetDo {
    ParamSetDo {
        handle: Some(dev.to_handle()),
        name: Some(name.to_string()),
        cmode: Some(cmode.to_u32()),
        value_uint: value.uint,
        value_string: value.string.clone(),
    }
}

/// param-set (do, acknowledged): one request, whatever the type.
pub fn param_set(
    family_id: u16,
    seq: u32,
    dev: &DevHandle,
    name: &str,
    cmode: ParamCmode,
    value: &ParamSetValue,
) -> Msg {
    request(family_id, seq, param_set_request(dev, name, cmode, value))
}
