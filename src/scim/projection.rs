//! `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes a
//! response carries. `id` and `schemas` are always returned.

use serde_json::{Map, Value};

use super::error::ScimResult;
use super::filter::{self, PatchPath};

const ALWAYS: [&str; 2] = ["id", "schemas"];

/// The attributes a request asked for or excluded.
#[derive(Clone, Debug, Default)]
pub struct Projection {
    include: Vec<PatchPath>,
    exclude: Vec<PatchPath>,
}

fn parse_list(raw: Option<&str>) -> ScimResult<Vec<PatchPath>> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| filter::parse_path(s).map_err(Into::into))
        .collect()
}

impl Projection {
    /// Parses the comma-separated lists.
    pub fn parse(attributes: Option<&str>, excluded: Option<&str>) -> ScimResult<Self> {
        Ok(Self {
            include: parse_list(attributes)?,
            exclude: parse_list(excluded)?,
        })
    }

    /// Applies the projection to a rendered resource.
    pub fn apply(&self, resource: Value) -> Value {
        let Value::Object(mut obj) = resource else {
            return resource;
        };
        if !self.include.is_empty() {
            let mut kept = Map::new();
            for (k, v) in &obj {
                if ALWAYS.iter().any(|a| k.eq_ignore_ascii_case(a)) {
                    kept.insert(k.clone(), v.clone());
                }
            }
            for p in &self.include {
                copy(&obj, &mut kept, p);
            }
            obj = kept;
        }
        for p in &self.exclude {
            remove(&mut obj, p);
        }
        Value::Object(obj)
    }
}

/// The key and, when the path names one, the sub-attribute: `urn:…:User:employeeNumber` is key
/// `urn:…:User` with sub-attribute `employeeNumber`.
fn key_and_sub(p: &PatchPath) -> (String, Option<String>) {
    match &p.attr.urn {
        Some(urn) if !urn.eq_ignore_ascii_case(super::schema::CORE_USER) => {
            (urn.clone(), Some(p.attr.attr.clone()))
        }
        _ => (p.attr.attr.clone(), p.attr.sub_attr.clone()),
    }
}

fn find_key(obj: &Map<String, Value>, name: &str) -> Option<String> {
    obj.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

fn copy(from: &Map<String, Value>, to: &mut Map<String, Value>, p: &PatchPath) {
    let (key, sub) = key_and_sub(p);
    let Some(key) = find_key(from, &key) else { return };
    let Some(value) = from.get(&key) else { return };
    match (sub, value) {
        (None, v) => {
            to.insert(key, v.clone());
        }
        (Some(sub), Value::Object(inner)) => {
            if let Some(sk) = find_key(inner, &sub) {
                let slot = to.entry(key).or_insert_with(|| Value::Object(Map::new()));
                if let (Value::Object(slot), Some(v)) = (slot, inner.get(&sk)) {
                    slot.insert(sk, v.clone());
                }
            }
        }
        (Some(sub), Value::Array(items)) => {
            let picked: Vec<Value> = items
                .iter()
                .filter_map(|item| match item {
                    Value::Object(o) => find_key(o, &sub).map(|sk| {
                        let mut one = Map::new();
                        if let Some(v) = o.get(&sk) {
                            one.insert(sk, v.clone());
                        }
                        Value::Object(one)
                    }),
                    _ => None,
                })
                .collect();
            if !picked.is_empty() {
                to.insert(key, Value::Array(picked));
            }
        }
        _ => {}
    }
}

fn remove(obj: &mut Map<String, Value>, p: &PatchPath) {
    let (key, sub) = key_and_sub(p);
    if ALWAYS.iter().any(|a| key.eq_ignore_ascii_case(a)) {
        return;
    }
    let Some(key) = find_key(obj, &key) else { return };
    match sub {
        None => {
            obj.remove(&key);
        }
        Some(sub) => {
            let now_empty = match obj.get_mut(&key) {
                Some(Value::Object(inner)) => {
                    if let Some(sk) = find_key(inner, &sub) {
                        inner.remove(&sk);
                    }
                    inner.is_empty()
                }
                Some(Value::Array(items)) => {
                    for item in items.iter_mut() {
                        if let Value::Object(o) = item
                            && let Some(sk) = find_key(o, &sub)
                        {
                            o.remove(&sk);
                        }
                    }
                    false
                }
                _ => false,
            };
            if now_empty {
                obj.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const EXT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn user() -> Value {
        json!({
            "schemas": ["s"], "id": "1", "userName": "b", "active": true,
            "name": { "givenName": "B", "familyName": "J" },
            "emails": [{ "value": "b@x.example", "type": "work" }],
            EXT: { "employeeNumber": "7", "department": "D" },
        })
    }

    #[test]
    fn attributes_keep_only_what_was_asked_and_the_always_returned() {
        let p = Projection::parse(
            Some(&format!(
                "USERNAME,name.givenName,emails.value,{EXT}:employeeNumber"
            )),
            None,
        )
        .unwrap();
        assert_eq!(
            p.apply(user()),
            json!({
                "schemas": ["s"], "id": "1", "userName": "b", "name": { "givenName": "B" },
                "emails": [{ "value": "b@x.example" }], EXT: { "employeeNumber": "7" },
            })
        );
    }

    #[test]
    fn excluded_attributes_go_but_never_id() {
        let p = Projection::parse(None, Some(&format!("active, id, name.familyName, {EXT}"))).unwrap();
        let out = p.apply(user());
        assert!(out.get("active").is_none());
        assert!(out.get(EXT).is_none());
        assert_eq!(out["id"], json!("1"));
        assert_eq!(out["name"], json!({ "givenName": "B" }));
    }

    #[test]
    fn malformed_lists_are_refused() {
        assert!(Projection::parse(Some("emails["), None).is_err());
    }
}
