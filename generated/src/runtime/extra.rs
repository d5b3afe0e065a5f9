//! [`Extra`]: the keys of an object that its model does not list, kept as sent.
//!
//! A model keeps them so that nothing the API sends is lost, but most objects carry
//! none or one or two, so the map is a vector of pairs: an empty one allocates nothing
//! and one key costs one small allocation, where a `BTreeMap` (what `serde_json::Map` is)
//! allocates a node for eleven entries (over 600 bytes) for the first key. Lookups are
//! linear, which is the fastest there is for a handful of keys. Decoding goes through
//! [`ExtraBuilder`], which switches to a hash index when an object has many unknown
//! keys, so a hostile body of a million keys costs linear time, not quadratic.

use std::collections::HashMap;
use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// The keys of an object that its model does not list, in the order the API sent them,
/// each once; a key sent twice keeps its last value. Two are equal when they hold the
/// same keys with the same values, in any order, as two `serde_json::Map`s are.
///
/// ```
/// use pipedrive::Extra;
///
/// let mut extra = Extra::new();
/// extra.insert("org_id", 1);
/// extra.insert("org_id", 2);
/// assert_eq!(extra.get("org_id"), Some(&2.into()));
/// assert_eq!(extra.len(), 1);
/// for (key, value) in &extra {
///     println!("{key} = {value}");
/// }
/// ```
#[derive(Clone, Default)]
pub struct Extra {
    entries: Vec<(String, Value)>,
}

impl Extra {
    /// An empty map; allocates nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).map(|index| &self.entries[index].1)
    }

    /// The value of `key`, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.position(key).map(|index| &mut self.entries[index].1)
    }

    /// Whether `key` is here.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key` to `value`, returning the value it replaces; a new key goes last.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        let key = key.into();
        let value = value.into();
        match self.position(&key) {
            Some(index) => Some(std::mem::replace(&mut self.entries[index].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Takes `key` out, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.position(key).map(|index| self.entries.remove(index).1)
    }

    /// The keys and values, in order.
    pub fn iter(&self) -> ExtraIter<'_> {
        ExtraIter(self.entries.iter())
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|(key, _)| key.as_str())
    }

    /// The same keys and values as a `serde_json::Map`.
    pub fn into_map(self) -> Map<String, Value> {
        self.entries.into_iter().collect()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key)
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        if self.len() != other.len() {
            return false;
        }
        if self.len() <= LINEAR_KEYS {
            return self
                .iter()
                .all(|(key, value)| other.get(key) == Some(value));
        }
        // Sorted by key, so that comparing many keys is not quadratic; keys are unique.
        sorted(self) == sorted(other)
    }
}

fn sorted(extra: &Extra) -> Vec<&(String, Value)> {
    let mut entries: Vec<&(String, Value)> = extra.entries.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The keys and values of an [`Extra`], in order.
///
/// ```
/// use pipedrive::FromJson;
/// use pipedrive::organizations::Organization;
///
/// // Keys the model does not list, such as a webhook's own, come in the order sent.
/// let organization = Organization::from_json(br#"{"id": 7, "tier": "gold", "region": "emea"}"#)?;
/// let keys: Vec<&str> = organization.extra.iter().map(|(key, _)| key).collect();
/// assert_eq!(keys, ["tier", "region"]);
/// # Ok::<(), pipedrive::JsonError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ExtraIter<'a>(std::slice::Iter<'a, (String, Value)>);

impl<'a> Iterator for ExtraIter<'a> {
    type Item = (&'a str, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(key, value)| (key.as_str(), value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a str, &'a Value);
    type IntoIter = ExtraIter<'a>;

    fn into_iter(self) -> ExtraIter<'a> {
        self.iter()
    }
}

impl IntoIterator for Extra {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Into<String>, V: Into<Value>> Extend<(K, V)> for Extra {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, pairs: I) {
        let mut builder = ExtraBuilder::from(std::mem::take(self));
        for (key, value) in pairs {
            builder.insert(key.into(), value.into());
        }
        *self = builder.finish();
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Extra {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut extra = Self::new();
        extra.extend(pairs);
        extra
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        // A map's keys are unique already.
        Self {
            entries: map.into_iter().collect(),
        }
    }
}

impl From<Extra> for Map<String, Value> {
    fn from(extra: Extra) -> Self {
        extra.into_map()
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Up to this many keys, a new key is looked for by a linear scan; past it, by a hash
/// index.
const LINEAR_KEYS: usize = 16;

/// An [`Extra`] being filled while an object decodes: each key once, the last value
/// kept, in linear time however many keys come.
#[derive(Debug, Default)]
pub(crate) struct ExtraBuilder {
    extra: Extra,
    index: Option<HashMap<String, usize>>,
}

impl From<Extra> for ExtraBuilder {
    fn from(extra: Extra) -> Self {
        Self { extra, index: None }
    }
}

impl ExtraBuilder {
    pub(crate) fn insert(&mut self, key: String, value: Value) {
        let entries = &mut self.extra.entries;
        if let Some(index) = &mut self.index {
            match index.get(&key) {
                Some(&at) => entries[at].1 = value,
                None => {
                    index.insert(key.clone(), entries.len());
                    entries.push((key, value));
                }
            }
            return;
        }
        if let Some(at) = entries.iter().position(|(k, _)| *k == key) {
            entries[at].1 = value;
            return;
        }
        if entries.is_empty() {
            // Most objects with an unknown key have just one: room for exactly that.
            entries.reserve_exact(1);
        }
        entries.push((key, value));
        if entries.len() > LINEAR_KEYS {
            let index = entries
                .iter()
                .enumerate()
                .map(|(at, (key, _))| (key.clone(), at))
                .collect();
            self.index = Some(index);
        }
    }

    pub(crate) fn finish(self) -> Extra {
        let mut extra = self.extra;
        if extra.entries.capacity() > extra.entries.len() {
            extra.entries.shrink_to_fit();
        }
        extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_sent_twice_keeps_its_place_and_its_last_value() {
        let mut builder = ExtraBuilder::default();
        builder.insert("a".into(), Value::from(1));
        builder.insert("b".into(), Value::from(2));
        builder.insert("a".into(), Value::from(3));
        let extra = builder.finish();
        assert_eq!(extra.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(extra.get("a"), Some(&Value::from(3)));
    }

    #[test]
    fn the_index_is_built_past_sixteen_keys_and_the_result_holds_no_spare_room() {
        let mut builder = ExtraBuilder::default();
        for key in 0..LINEAR_KEYS {
            builder.insert(format!("k{key}"), Value::Null);
        }
        assert!(builder.index.is_none(), "{LINEAR_KEYS} keys are scanned");
        builder.insert("one more".into(), Value::Null);
        assert!(builder.index.is_some(), "past {LINEAR_KEYS}, indexed");

        let mut builder = ExtraBuilder::default();
        for key in 0..5 {
            builder.insert(format!("k{key}"), Value::Null);
        }
        let extra = builder.finish();
        assert_eq!(extra.entries.capacity(), 5);
    }

    #[test]
    fn the_accessors_see_what_is_there() {
        let mut extra = Extra::new();
        assert!(extra.is_empty());
        extra.insert("a", 1);
        extra.insert("b", 2);
        assert!(!extra.is_empty());
        *extra.get_mut("a").expect("there") = Value::from(5);
        assert_eq!(extra.get("a"), Some(&Value::from(5)));
        assert!(extra.get_mut("c").is_none());
        assert_eq!(extra.iter().size_hint(), (2, Some(2)));
    }

    #[test]
    fn extending_keeps_what_was_there() {
        let mut extra = Extra::new();
        extra.insert("a", 1);
        extra.extend([("b", 2), ("a", 3)]);
        assert_eq!(extra.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(extra.get("a"), Some(&Value::from(3)));
    }

    #[test]
    fn many_keys_switch_to_the_index_and_stay_unique() {
        let mut builder = ExtraBuilder::default();
        for round in 0..2 {
            for key in 0..100 {
                builder.insert(format!("k{key}"), Value::from(round));
            }
        }
        assert!(builder.index.is_some());
        let extra = builder.finish();
        assert_eq!(extra.len(), 100);
        assert!(extra.iter().all(|(_, value)| value.as_i64() == Some(1)));
        assert_eq!(extra.keys().next(), Some("k0"));
    }

    #[test]
    fn equality_ignores_order_and_sees_every_value() {
        let pairs = |n: usize, changed: Option<usize>| -> Extra {
            (0..n)
                .map(|i| (format!("k{i}"), Value::from(i64::from(Some(i) == changed))))
                .collect()
        };
        for n in [3, 40] {
            let forward = pairs(n, None);
            let backward: Extra = forward.clone().into_iter().rev().collect();
            assert_eq!(forward, backward, "{n} keys in reverse order");
            assert_ne!(
                forward,
                pairs(n, Some(n - 1)),
                "{n} keys, the last value differs"
            );
            assert_ne!(forward, pairs(n + 1, None), "one key more");
        }
        let mut renamed = pairs(40, None);
        renamed.remove("k7");
        renamed.insert("other", 0);
        assert_ne!(pairs(40, None), renamed, "same length, another key");
    }

    #[test]
    fn maps_convert_both_ways_and_insert_remove_work() {
        let mut extra: Extra = [("x", 1), ("y", 2)].into_iter().collect();
        assert_eq!(extra.insert("x", 5), Some(Value::from(1)));
        assert_eq!(extra.remove("y"), Some(Value::from(2)));
        assert!(!extra.contains_key("y"));
        let map: Map<String, Value> = extra.clone().into();
        assert_eq!(Extra::from(map), extra);
        assert_eq!(serde_json::to_string(&extra).unwrap(), r#"{"x":5}"#);
        assert_eq!(format!("{extra:?}"), r#"{"x": Number(5)}"#);
    }
}
