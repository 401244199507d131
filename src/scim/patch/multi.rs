//! Operations on multi-valued attributes (`emails`): value filters, `primary` kept unique.

use serde_json::{Map, Value};

use super::{Op, canonical_key, merge, set, unset};
use crate::scim::error::{ScimError, ScimResult};
use crate::scim::filter::{self, AttrPath, PatchPath};
use crate::scim::schema::{Attr, UserCaseRules};
use crate::scim::user_doc::get_ci;

pub(super) fn multi_valued(
    obj: &mut Map<String, Value>,
    kind: Op,
    a: &'static Attr,
    path: &PatchPath,
    sub: Option<&'static Attr>,
    value: Option<Value>,
) -> ScimResult<()> {
    let key = canonical_key(obj, a.name);
    let mut items = match obj.remove(&key) {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    };
    let matching: Vec<usize> = match &path.value_filter {
        Some(f) => {
            let scoped = ScopedRules(a.name);
            items
                .iter()
                .enumerate()
                .filter(|(_, item)| filter::matches(f, item, &scoped))
                .map(|(i, _)| i)
                .collect()
        }
        None => (0..items.len()).collect(),
    };
    let result = (|| {
        match (kind, sub, &path.value_filter) {
            (Op::Remove, None, None) => items.clear(),
            (Op::Remove, None, Some(_)) => {
                let mut i = 0;
                items.retain(|_| {
                    i += 1;
                    !matching.contains(&(i - 1))
                });
            }
            (Op::Remove, Some(sub), _) => {
                for &i in &matching {
                    if let Some(Value::Object(item)) = items.get_mut(i) {
                        unset(item, sub.name);
                    }
                }
            }
            (_, Some(sub), _) => {
                if matching.is_empty() {
                    return Err(ScimError::bad(
                        "noTarget",
                        format!("no {} value matches the filter", a.name),
                    ));
                }
                let v = value.clone().unwrap_or(Value::Null);
                for &i in &matching {
                    if let Some(Value::Object(item)) = items.get_mut(i) {
                        set(item, sub.name, v.clone());
                    }
                }
            }
            (_, None, Some(_)) => {
                let Some(Value::Object(values)) = value.clone() else {
                    return Err(ScimError::invalid_value(format!(
                        "each of {} must be an object",
                        a.name
                    )));
                };
                if matching.is_empty() {
                    return Err(ScimError::bad(
                        "noTarget",
                        format!("no {} value matches the filter", a.name),
                    ));
                }
                for &i in &matching {
                    if let Some(Value::Object(item)) = items.get_mut(i) {
                        merge(item, values.clone(), Some(a));
                    }
                }
            }
            (_, None, None) => {
                let new_items = match value.clone() {
                    Some(Value::Array(v)) => v,
                    Some(Value::Null) | None => Vec::new(),
                    Some(one) => vec![one],
                };
                if kind == Op::Replace {
                    items.clear();
                }
                for item in new_items {
                    if !items.contains(&item) {
                        items.push(item);
                    }
                }
            }
        }
        Ok(())
    })();
    keep_one_primary(&mut items);
    if !items.is_empty() {
        obj.insert(a.name.to_owned(), Value::Array(items));
    }
    result
}

/// The last value marked primary wins (RFC 7643 §2.4: at most one primary value).
fn keep_one_primary(items: &mut [Value]) {
    let is_primary = |v: &Value| matches!(v, Value::Object(o) if get_ci(o, "primary").is_some_and(|p| p == &Value::Bool(true)));
    let Some(last) = items.iter().rposition(is_primary) else {
        return;
    };
    for (i, item) in items.iter_mut().enumerate() {
        if i != last
            && is_primary(item)
            && let Value::Object(o) = item
        {
            set(o, "primary", Value::Bool(false));
        }
    }
}

/// Case rules inside a value filter: paths are relative to one value of `attr`.
struct ScopedRules(&'static str);

impl filter::Schema for ScopedRules {
    fn case_exact(&self, path: &AttrPath) -> bool {
        let outer = AttrPath {
            urn: None,
            attr: self.0.to_owned(),
            sub_attr: Some(path.attr.clone()),
        };
        filter::Schema::case_exact(&UserCaseRules, &outer)
    }
}
