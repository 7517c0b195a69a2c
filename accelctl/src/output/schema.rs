//! The published JSON Schema, derived from the document types (with the
//! `schema` feature, which only xtask enables): the types' doc comments are
//! the descriptions; every member is required (accelctl prints null rather
//! than leave one out) and no other is allowed, so that the schema rejects
//! drift; the few types serde cannot describe say it here.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;

use super::json_int::{JsonI64, JsonU64, MAX_SAFE};
use super::{DocVersion, ErrorDoc, FORMAT_VERSION};
use crate::objects::dev::{DevShowDoc, EventDoc};
use crate::objects::flash::{FlashBeginDoc, FlashEndDoc, FlashResultDoc, FlashStatusDoc};
use crate::objects::health::{HealthCheckDoc, HealthEventDoc, HealthShowDoc, HealthTreeDoc};
use crate::objects::info::{DevInfoDoc, InfoEventDoc};
use crate::objects::param::{ParamEventDoc, ParamShowDoc};
use crate::objects::reload::ReloadDoc;
use crate::objects::selftest::{SelftestEventDoc, SelftestRunDoc, SelftestShowDoc};

/// Every document accelctl prints with -j.
#[allow(dead_code)] // only its schema is used
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
enum Document {
    DevShow(DevShowDoc<'static>),
    DevInfo(DevInfoDoc<'static>),
    Error(ErrorDoc),
    Event(EventDoc),
    InfoEvent(InfoEventDoc),
    HealthShow(HealthShowDoc<'static>),
    HealthTree(HealthTreeDoc),
    HealthCheck(HealthCheckDoc),
    HealthEvent(HealthEventDoc),
    ParamShow(ParamShowDoc<'static>),
    ParamEvent(ParamEventDoc),
    Reload(ReloadDoc),
    FlashBegin(FlashBeginDoc),
    FlashStatus(FlashStatusDoc),
    FlashEnd(FlashEndDoc),
    FlashResult(FlashResultDoc),
    SelftestShow(SelftestShowDoc),
    SelftestRun(SelftestRunDoc),
    SelftestEvent(SelftestEventDoc),
}

const DESCRIPTION: &str = "Every document accelctl prints with -j: the dev show, dev info, \
dev param show, dev reload, dev selftest and health documents, the error document, one monitor event per line (JSON Lines), and the lines of dev flash (JSON Lines: one flash event per line, then a flash-result). \
Numbers: a 64-bit value (device id, counters, tree integers) is a JSON number when its \
magnitude is at most 2^53 - 1 (exact in every JSON reader) and a string of decimal digits \
otherwise; timestamps are RFC 3339 strings in UTC with nanoseconds. Generated from \
accelctl's document types (accelctl/src/objects/, accelctl/src/output/) by `cargo run -p xtask -- gen`: edit \
those, not this file.";

/// The schema, as `accelctl/schema/accelctl.schema.json` publishes it.
pub fn schema() -> Schema {
    let settings = schemars::generate::SchemaSettings::draft2020_12()
        .with_transform(schemars::transform::RecursiveTransform(strict));
    let mut s = settings.into_generator().into_root_schema_for::<Document>();
    s.insert(
        "$id".into(),
        "https://accelctl.invalid/accelctl.schema.json".into(),
    );
    s.insert("title".into(), "accelctl JSON output".into());
    s.insert("description".into(), DESCRIPTION.into());
    s
}

/// Every property of an object type required, no other allowed (not in
/// fragments such as the `allOf` member of [`UnhealthyReporter`]).
fn strict(s: &mut Schema) {
    let Some(obj) = s.as_object_mut() else { return };
    if obj.get("type").and_then(|t| t.as_str()) != Some("object") {
        return;
    }
    let Some(props) = obj.get("properties").and_then(|p| p.as_object()) else {
        return;
    };
    let names: Vec<serde_json::Value> = props.keys().map(|k| k.as_str().into()).collect();
    obj.insert("required".into(), names.into());
    obj.insert("additionalProperties".into(), false.into());
}

impl JsonSchema for DocVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "version".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Version of the document format; bumped on incompatible changes.",
            "const": FORMAT_VERSION
        })
    }
}

impl JsonSchema for JsonU64 {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "u64".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A 64-bit unsigned value: a number up to 2^53 - 1, a string of decimal digits above.",
            "oneOf": [
                { "type": "integer", "minimum": 0, "maximum": MAX_SAFE },
                { "type": "string", "pattern": "^[1-9][0-9]{15,19}$" }
            ]
        })
    }
}

impl JsonSchema for JsonI64 {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "s64".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let max = i64::try_from(MAX_SAFE).unwrap_or(i64::MAX);
        json_schema!({
            "description": "A 64-bit signed value: a number of magnitude up to 2^53 - 1, a string of decimal digits (with a leading - if negative) beyond.",
            "oneOf": [
                { "type": "integer", "minimum": -max, "maximum": max },
                { "type": "string", "pattern": "^-?[1-9][0-9]{15,18}$" }
            ]
        })
    }
}

/// A timestamp as `rfc3339_ns` prints it (schema only).
pub struct Rfc3339;

impl JsonSchema for Rfc3339 {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "timestamp".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "RFC 3339, UTC, nanoseconds.",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z$"
        })
    }
}

/// A health state name (schema only): the spec's, or "unknown" for a value
/// this accelctl does not know.
pub struct StateName;

impl JsonSchema for StateName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "healthState".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut names: Vec<&str> = accel_netlink::HEALTH_STATE_NAMES
            .iter()
            .map(|(_, n)| *n)
            .collect();
        names.push("unknown");
        json_schema!({ "type": "string", "enum": names })
    }
}

/// A reporter in `health check`'s list of unhealthy ones (schema only).
pub struct UnhealthyReporter;

impl JsonSchema for UnhealthyReporter {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "unhealthyReporter".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let reporter = g.subschema_for::<crate::objects::health::ReporterJson>();
        // Every state but healthy, and "unknown" for a state this accelctl
        // does not know (health check does not count it as healthy).
        let mut not_healthy: Vec<&str> = accel_netlink::HEALTH_STATE_NAMES
            .iter()
            .map(|(_, n)| *n)
            .filter(|n| *n != "healthy")
            .collect();
        not_healthy.push("unknown");
        json_schema!({
            "description": "A reporter not in the healthy state.",
            "allOf": [reporter, { "properties": { "state": { "enum": not_healthy } } }]
        })
    }
}

/// The names of a spec enum as accelctl spells them (`driver-reinit` →
/// `driver_reinit`), and "unknown" for a value this accelctl does not know.
fn enum_names(table: &[(u32, &str)]) -> Vec<String> {
    let mut names: Vec<String> = table.iter().map(|(_, n)| n.replace('-', "_")).collect();
    names.push("unknown".into());
    names
}

macro_rules! name_schema {
    ($(#[$m:meta])* $ty:ident, $name:literal, $table:path) => {
        $(#[$m])*
        pub struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "enum": enum_names($table) })
            }
        }
    };
}

name_schema!(
    /// A parameter type name (schema only).
    ParamTypeName, "paramType", accel_netlink::PARAM_TYPE_NAMES
);
name_schema!(
    /// A configuration mode name (schema only).
    CmodeName, "paramCmode", accel_netlink::PARAM_CMODE_NAMES
);
name_schema!(
    /// A reload action name (schema only).
    ActionName, "reloadAction", accel_netlink::RELOAD_ACTION_NAMES
);
name_schema!(
    /// A self-test result name (schema only).
    SelftestResultName, "selftestResult", accel_netlink::SELFTEST_RESULT_NAMES
);
name_schema!(
    /// A reload limit name (schema only).
    LimitName, "reloadLimit", accel_netlink::RELOAD_LIMIT_NAMES
);

/// A parameter value (schema only).
pub struct ParamValueSchema;

impl JsonSchema for ParamValueSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "paramValue".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let u64_schema = g.subschema_for::<JsonU64>();
        json_schema!({
            "description": "The value, by the parameter's type: a boolean (bool), a number (u32; u64 as a number up to 2^53 - 1 and a string of decimal digits above), a string (string); null if the kernel sent none.",
            "anyOf": [
                { "type": "boolean" },
                u64_schema,
                { "type": "string" },
                { "type": "null" }
            ]
        })
    }
}
