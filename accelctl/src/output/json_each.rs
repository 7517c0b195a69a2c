//! A JSON array serialized from views one element at a time: each view
//! becomes its JSON struct only while it is written, so a list of 256
//! devices is never held twice (views and JSON structs) in memory.

use std::marker::PhantomData;

use serde::{Serialize, Serializer};

/// The array of `J`s made from `views`.
pub struct Each<'a, V, J> {
    views: &'a [V],
    _json: PhantomData<J>,
}

impl<'a, V, J> Each<'a, V, J> {
    pub fn new(views: &'a [V]) -> Self {
        Each {
            views,
            _json: PhantomData,
        }
    }
}

impl<'a, V, J> Serialize for Each<'a, V, J>
where
    J: From<&'a V> + Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.views.iter().map(J::from))
    }
}

impl<V, J> std::fmt::Debug for Each<'_, V, J> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Each({} views)", self.views.len())
    }
}

#[cfg(feature = "schema")]
impl<V, J: schemars::JsonSchema> schemars::JsonSchema for Each<'_, V, J> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Vec<J>>::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<J>>::json_schema(g)
    }
}
