//! PATCH (RFC 7644 §3.5.2) applied to a User document: `add`, `replace` and `remove`, with or
//! without a path, value filters on multi-valued attributes, sub-attributes and extension
//! attributes. Operations apply in order and all or none take effect (the caller stores the
//! result only when every operation succeeded and the document still reads as a User).

use serde_json::{Map, Value};

use super::error::{ScimError, ScimResult};
use super::filter::{self, AttrPath, PatchPath};
use super::schema::{self, Attr, Kind, Mutability, Target};
use super::user_doc::{get_ci, require_schema};

mod multi;
use multi::multi_valued;

/// The PatchOp message schema.
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// Most operations in one request.
const MAX_OPERATIONS: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// Applies a PatchOp message to a document.
pub fn apply(doc: &mut Map<String, Value>, message: &Value) -> ScimResult<()> {
    let Value::Object(msg) = message else {
        return Err(ScimError::invalid_syntax("the body must be a PatchOp object"));
    };
    require_schema(msg, PATCH_OP)?;
    let Some(Value::Array(ops)) = get_ci(msg, "Operations") else {
        return Err(ScimError::invalid_syntax("Operations must be a list"));
    };
    if ops.is_empty() || ops.len() > MAX_OPERATIONS {
        return Err(ScimError::invalid_syntax(format!(
            "Operations must have 1 to {MAX_OPERATIONS} entries"
        )));
    }
    for op in ops {
        let Value::Object(op) = op else {
            return Err(ScimError::invalid_syntax("each operation must be an object"));
        };
        let kind = match get_ci(op, "op")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("add") => Op::Add,
            Some("replace") => Op::Replace,
            Some("remove") => Op::Remove,
            _ => return Err(ScimError::invalid_syntax("op must be add, replace or remove")),
        };
        let path = match get_ci(op, "path") {
            None => None,
            Some(Value::String(p)) => Some(filter::parse_path(p)?),
            Some(_) => return Err(ScimError::bad("invalidPath", "path must be a string")),
        };
        let value = get_ci(op, "value").cloned();
        match (kind, path, value) {
            (Op::Remove, None, _) => return Err(ScimError::bad("noTarget", "remove needs a path")),
            (Op::Remove, Some(p), _) => at_path(doc, Op::Remove, &p, None)?,
            (_, Some(p), Some(v)) => at_path(doc, kind, &p, Some(v))?,
            (Op::Replace, Some(p), None) => at_path(doc, Op::Remove, &p, None)?,
            (_, Some(_), None) => return Err(ScimError::invalid_value("add needs a value")),
            (_, None, Some(Value::Object(values))) => without_path(doc, kind, values)?,
            (_, None, _) => {
                return Err(ScimError::invalid_value(
                    "an operation without a path needs an object of attributes as its value",
                ));
            }
        }
    }
    Ok(())
}

/// `add`/`replace` without a path: each attribute of the value object is a target.
fn without_path(doc: &mut Map<String, Value>, kind: Op, values: Map<String, Value>) -> ScimResult<()> {
    for (key, value) in values {
        // `urn:…:User:employeeNumber` keys name extension attributes; known read-only or
        // unknown attributes are skipped, as in a PUT.
        let Ok(path) = filter::parse_path(&key) else {
            continue;
        };
        match schema::resolve(&path.attr) {
            None | Some(Target::ServerOwned) => continue,
            Some(Target::Attribute(_, a)) if a.mutability == Mutability::ReadOnly => continue,
            Some(_) => {}
        }
        if value.is_null() {
            at_path(doc, Op::Remove, &path, None)?;
        } else {
            at_path(doc, kind, &path, Some(value))?;
        }
    }
    Ok(())
}

/// The object that holds an attribute: the document, or an extension object in it.
fn container<'a>(
    doc: &'a mut Map<String, Value>,
    urn: Option<&str>,
    create: bool,
) -> Option<&'a mut Map<String, Value>> {
    let Some(urn) = urn.filter(|u| !u.eq_ignore_ascii_case(schema::CORE_USER)) else {
        return Some(doc);
    };
    let key = canonical_key(doc, urn);
    if create && !matches!(doc.get(&key), Some(Value::Object(_))) {
        doc.insert(key.clone(), Value::Object(Map::new()));
    }
    match doc.get_mut(&key) {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    }
}

/// The key an object already uses for a name (any case), else the name.
fn canonical_key(obj: &Map<String, Value>, name: &str) -> String {
    obj.keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

/// Sets `name` in an object, replacing a key spelled in another case.
fn set(obj: &mut Map<String, Value>, name: &str, value: Value) {
    let existing = canonical_key(obj, name);
    obj.remove(&existing);
    if !value.is_null() {
        obj.insert(name.to_owned(), value);
    }
}

fn unset(obj: &mut Map<String, Value>, name: &str) {
    let existing = canonical_key(obj, name);
    obj.remove(&existing);
}

/// Merges an object's members into another (sub-attributes of a complex value).
fn merge(into: &mut Map<String, Value>, from: Map<String, Value>, attr: Option<&Attr>) {
    for (k, v) in from {
        let name = attr
            .and_then(|a| a.sub_attr(&k))
            .map_or(k.clone(), |s| s.name.to_owned());
        set(into, &name, v);
    }
}

/// Attributes of the RFC 7643 core User that this server does not keep. Identity providers
/// send them in PATCH paths (Entra ID: `title`, `phoneNumbers[type eq "work"].value`,
/// `addresses[type eq "work"].formatted`, `preferredLanguage`); like POST and PUT, PATCH
/// accepts and ignores them. (`userType` is read on POST and PUT only.)
const CORE_NOT_KEPT: &[&str] = &[
    "title",
    "phoneNumbers",
    "addresses",
    "preferredLanguage",
    "locale",
    "timezone",
    "nickName",
    "profileUrl",
    "userType",
    "ims",
    "photos",
    "entitlements",
    "roles",
    "x509Certificates",
];

/// Whether `path` names a core attribute in [`CORE_NOT_KEPT`].
fn not_kept(path: &AttrPath) -> bool {
    path.urn
        .as_deref()
        .is_none_or(|u| u.eq_ignore_ascii_case(schema::CORE_USER))
        && CORE_NOT_KEPT.iter().any(|n| n.eq_ignore_ascii_case(&path.attr))
}

fn at_path(doc: &mut Map<String, Value>, kind: Op, path: &PatchPath, value: Option<Value>) -> ScimResult<()> {
    let invalid_path =
        |what: &str| ScimError::bad("invalidPath", format!("{what}: {}", describe(&path.attr)));
    match schema::resolve(&path.attr) {
        None if not_kept(&path.attr) => Ok(()),
        None => Err(invalid_path("no such attribute")),
        Some(Target::ServerOwned) => Err(ScimError::mutability(format!(
            "{} is set by the server",
            path.attr.attr
        ))),
        Some(Target::ExternalId) => {
            if path.attr.sub_attr.is_some() || path.value_filter.is_some() {
                return Err(invalid_path("externalId has no sub-attributes"));
            }
            simple(doc, kind, "externalId", value)
        }
        Some(Target::Extension(ext)) => {
            if path.value_filter.is_some() || path.attr.sub_attr.is_some() {
                return Err(invalid_path("an extension is not multi-valued"));
            }
            match (kind, value) {
                (Op::Remove, _) => {
                    unset(doc, ext.id);
                    Ok(())
                }
                (_, Some(Value::Object(values))) => {
                    let target = container(doc, Some(ext.id), true)
                        .ok_or_else(|| ScimError::invalid_value("the extension must be an object"))?;
                    for (k, v) in values {
                        let Some(a) = ext.attrs.iter().find(|a| a.name.eq_ignore_ascii_case(&k)) else {
                            continue;
                        };
                        if a.mutability == Mutability::ReadWrite {
                            set(target, a.name, v);
                        }
                    }
                    Ok(())
                }
                _ => Err(ScimError::invalid_value("an extension's value must be an object")),
            }
        }
        Some(Target::Attribute(s, a)) => {
            if a.mutability == Mutability::ReadOnly {
                return Err(ScimError::mutability(format!("{} is read-only", a.name)));
            }
            let sub = match path.attr.sub_attr.as_deref().or(path.sub_attr.as_deref()) {
                Some(name) => Some(
                    a.sub_attr(name)
                        .ok_or_else(|| invalid_path("no such sub-attribute"))?,
                ),
                None => None,
            };
            let create = kind != Op::Remove;
            let Some(obj) = container(doc, Some(s.id), create) else {
                return Ok(()); // removing from an extension that is not there
            };
            let result = attribute(obj, kind, a, path, sub, value);
            if s.id != schema::CORE_USER && obj.is_empty() {
                unset(doc, s.id);
            }
            result
        }
    }
}

fn describe(p: &AttrPath) -> String {
    let mut s = p.urn.as_ref().map_or(String::new(), |u| format!("{u}:"));
    s.push_str(&p.attr);
    if let Some(sub) = &p.sub_attr {
        s.push('.');
        s.push_str(sub);
    }
    s
}

fn simple(obj: &mut Map<String, Value>, kind: Op, name: &str, value: Option<Value>) -> ScimResult<()> {
    match (kind, value) {
        (Op::Remove, _) | (_, None) => unset(obj, name),
        (_, Some(v)) => set(obj, name, v),
    }
    Ok(())
}

fn attribute(
    obj: &mut Map<String, Value>,
    kind: Op,
    a: &'static Attr,
    path: &PatchPath,
    sub: Option<&'static Attr>,
    value: Option<Value>,
) -> ScimResult<()> {
    if a.multi {
        return multi_valued(obj, kind, a, path, sub, value);
    }
    if path.value_filter.is_some() {
        return Err(ScimError::bad(
            "invalidFilter",
            format!("{} is not multi-valued", a.name),
        ));
    }
    match (a.kind, sub) {
        (Kind::Complex, Some(sub)) => {
            let key = canonical_key(obj, a.name);
            if kind == Op::Remove {
                if let Some(Value::Object(inner)) = obj.get_mut(&key) {
                    unset(inner, sub.name);
                    if inner.is_empty() {
                        obj.remove(&key);
                    }
                }
                return Ok(());
            }
            if !matches!(obj.get(&key), Some(Value::Object(_))) {
                set(obj, a.name, Value::Object(Map::new()));
            }
            if let Some(Value::Object(inner)) = obj.get_mut(a.name) {
                simple(inner, kind, sub.name, value)?;
            }
            Ok(())
        }
        (Kind::Complex, None) => match (kind, value) {
            (Op::Remove, _) | (_, None) => {
                unset(obj, a.name);
                Ok(())
            }
            (_, Some(Value::Object(values))) => {
                let key = canonical_key(obj, a.name);
                let mut inner = match obj.remove(&key) {
                    Some(Value::Object(o)) => o,
                    _ => Map::new(),
                };
                merge(&mut inner, values, Some(a));
                if !inner.is_empty() {
                    obj.insert(a.name.to_owned(), Value::Object(inner));
                }
                Ok(())
            }
            _ => Err(ScimError::invalid_value(format!("{} must be an object", a.name))),
        },
        (_, Some(_)) => Err(ScimError::bad(
            "invalidPath",
            format!("{} has no sub-attributes", a.name),
        )),
        (_, None) => simple(obj, kind, a.name, value),
    }
}

#[cfg(test)]
mod tests;
