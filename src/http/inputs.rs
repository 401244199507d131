//! Limits every string input meets before anything runs, in one place per protocol.
//!
//! - **No U+0000.** PostgreSQL cannot store it in text columns (SQLite can), so accepting it
//!   would make the two databases differ and turn a bad input into an INTERNAL error.
//! - **A maximum length** per argument or input field name ([`LIMITS`], else
//!   [`DEFAULT_MAX_CHARS`]), counted in characters.
//!
//! GraphQL (HTTP and WebSocket alike) is checked by the [`InputLimits`] extension as the
//! document is parsed: every argument of every field and directive with its variables filled
//! in, input objects field by field, and any variable no argument uses. SCIM bodies and
//! queries are checked by [`json_has_nul`] and the SCIM request reader.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{Directive, ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, Name, Positioned, ServerError, ServerResult, Value, Variables};

use crate::policy::screening::MAX_TEXT_BYTES;

/// The message of the NUL refusal.
pub const MESSAGE: &str = "text inputs must not contain the NUL character (U+0000)";

/// Longest value, in characters, of a string argument or input field not named in [`LIMITS`]
/// (names, handles, references, e-mail addresses, codes, ids, cursors).
pub const DEFAULT_MAX_CHARS: usize = 500;

/// Longest value, in characters, per argument or input field name. Screened texts are further
/// limited to [`MAX_TEXT_BYTES`] bytes by the screening engine.
pub const LIMITS: &[(&str, usize)] = &[
    ("body", MAX_TEXT_BYTES),
    ("text", MAX_TEXT_BYTES),
    ("description", 10_000),
    ("findings", 10_000),
    ("purposeStatement", 4_000),
    ("scopeStatement", 4_000),
    ("note", 4_000),
    ("reason", 2_000),
    ("matter", 2_000),
    ("summary", 2_000),
    ("maintainedByStatement", 2_000),
    ("contactInfo", 1_000),
    ("publicReason", 1_000),
    ("password", 1_024),
    ("refreshToken", 1_024),
    ("url", 2_048),
    ("termsUrl", 2_048),
    ("externalUrl", 2_048),
    ("logoUrl", 2_048),
    ("websiteLink", 2_048),
];

/// The limit for a name.
pub fn max_chars(name: &str) -> usize {
    LIMITS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(DEFAULT_MAX_CHARS, |(_, max)| *max)
}

/// Whether any string (or object key) in a JSON value holds U+0000.
pub fn json_has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(json_has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || json_has_nul(v)),
        _ => false,
    }
}

/// The first problem of a value given as `name`: a NUL anywhere, or a string over the limit.
fn check(name: &str, v: &Value) -> Result<(), String> {
    match v {
        Value::String(s) => {
            if s.contains('\0') {
                return Err(MESSAGE.to_owned());
            }
            let max = max_chars(name);
            // Bytes bound characters from above: count only when it can matter.
            if s.len() > max && s.chars().count() > max {
                return Err(format!("`{name}` is limited to {max} characters"));
            }
            Ok(())
        }
        Value::List(items) => items.iter().try_for_each(|x| check(name, x)),
        Value::Object(map) => map.iter().try_for_each(|(k, x)| check(k, x)),
        _ => Ok(()),
    }
}

/// Checks arguments with their variables filled in by `fill` (a missing variable counts as
/// null; the validator reports it).
fn check_arguments<V: Clone>(
    args: &[(Positioned<Name>, Positioned<V>)],
    fill: &impl Fn(V) -> Value,
) -> Result<(), String> {
    args.iter()
        .try_for_each(|(name, v)| check(name.node.as_str(), &fill(v.node.clone())))
}

fn check_directives(directives: &[Positioned<Directive>], variables: &Variables) -> Result<(), String> {
    directives.iter().try_for_each(|d| {
        check_arguments(&d.node.arguments, &|v| {
            v.into_const_with(|n| Ok::<_, ()>(variables.get(&n).cloned().unwrap_or(Value::Null)))
                .unwrap_or(Value::Null)
        })
    })
}

fn check_selection(set: &SelectionSet, variables: &Variables) -> Result<(), String> {
    set.items.iter().try_for_each(|item| match &item.node {
        Selection::Field(f) => {
            check_arguments(&f.node.arguments, &|v| {
                v.into_const_with(|n| Ok::<_, ()>(variables.get(&n).cloned().unwrap_or(Value::Null)))
                    .unwrap_or(Value::Null)
            })?;
            check_directives(&f.node.directives, variables)?;
            check_selection(&f.node.selection_set.node, variables)
        }
        Selection::FragmentSpread(s) => check_directives(&s.node.directives, variables),
        Selection::InlineFragment(i) => {
            check_directives(&i.node.directives, variables)?;
            check_selection(&i.node.selection_set.node, variables)
        }
    })
}

/// The first problem of a parsed document and its variables.
pub fn check_document(doc: &ExecutableDocument, variables: &Variables) -> Result<(), String> {
    // Variables no argument uses still must not carry a NUL.
    if variables.values().any(has_nul) {
        return Err(MESSAGE.to_owned());
    }
    for (_, op) in doc.operations.iter() {
        for d in &op.node.variable_definitions {
            if let Some(v) = &d.node.default_value {
                check(d.node.name.node.as_str(), &v.node)?;
            }
        }
        check_directives(&op.node.directives, variables)?;
        check_selection(&op.node.selection_set.node, variables)?;
    }
    doc.fragments.values().try_for_each(|f| {
        check_directives(&f.node.directives, variables)?;
        check_selection(&f.node.selection_set.node, variables)
    })
}

fn has_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::List(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, x)| k.contains('\0') || has_nul(x)),
        _ => false,
    }
}

/// A refusal as a GraphQL error with code `BAD_USER_INPUT`.
pub fn refusal(message: String) -> ServerError {
    let mut err = ServerError::new(message, None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", "BAD_USER_INPUT");
    err.extensions = Some(ext);
    err
}

/// Schema extension applying these limits to every request before it is validated or run.
pub struct InputLimits;

impl ExtensionFactory for InputLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(InputLimitsExtension)
    }
}

struct InputLimitsExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for InputLimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        check_document(&doc, variables).map_err(refusal)?;
        Ok(doc)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn run(query: &str, variables: serde_json::Value) -> Result<(), String> {
        let doc = async_graphql::parser::parse_query(query).unwrap();
        check_document(&doc, &Variables::from_json(variables))
    }

    #[test]
    fn nul_is_refused_in_literals_variables_and_unused_variables() {
        let q = r#"mutation { login(email: "a\u0000b", password: "x") { accessToken } }"#;
        assert_eq!(run(q, serde_json::json!({})), Err(MESSAGE.to_owned()));
        let q = "mutation($i: In!) { ingestComment(input: $i) { id } }";
        let nested = serde_json::json!({"i": {"externalId": "c\u{0}"}});
        assert_eq!(run(q, nested), Err(MESSAGE.to_owned()));
        let unused = serde_json::json!({"i": {}, "other": ["\u{0}"]});
        assert_eq!(run(q, unused), Err(MESSAGE.to_owned()));
        let q = "{ me { email @include(if: $x) } ...F } fragment F on Query { a(b: \"\\u0000\") }";
        assert_eq!(run(q, serde_json::json!({})), Err(MESSAGE.to_owned()));
    }

    #[test]
    fn lengths_are_limited_by_name_in_characters() {
        let q = "mutation($i: DelegateInput!, $r: String!) { delegate(input: $i) { id } revoke(reason: $r) }";
        let ok = serde_json::json!({"i": {"reason": "é".repeat(2_000)}, "r": "x"});
        assert_eq!(run(q, ok), Ok(()));
        let long = serde_json::json!({"i": {"reason": "x".repeat(2_001)}, "r": "x"});
        assert_eq!(
            run(q, long),
            Err("`reason` is limited to 2000 characters".to_owned())
        );
        let q = format!("{{ department(code: \"{}\") {{ id }} }}", "A".repeat(501));
        assert!(run(&q, serde_json::json!({})).unwrap_err().contains("`code`"));
        assert_eq!(max_chars("body"), MAX_TEXT_BYTES);
        assert_eq!(max_chars("anything"), DEFAULT_MAX_CHARS);
    }
}
