//! Introspection gets limits of its own.
//!
//! The standard introspection query (graphql-js `getIntrospectionQuery()`, sent by GraphiQL,
//! Apollo tooling, codegen and `graphql-inspector`) nests 13 levels deep, mostly through its
//! seven-fold `ofType` chain, which the ordinary depth limit ([`crate::graphql::MAX_DEPTH`])
//! refuses. An operation that selects only `__schema`, `__type` and `__typename` therefore runs
//! with [`crate::graphql::INTROSPECTION_MAX_DEPTH`] instead, provided it does not walk the one
//! cycle of the introspection schema (a type's fields' types' fields' …): along any path at most
//! [`MAX_TYPE_ENTRIES`] fields may lead into a `__Type`, `ofType` aside. The standard query
//! needs two (`types` → `fields` → `type`); a query that climbs further is refused before it
//! runs.

use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, Selection, SelectionSet};

/// Fields along one path that may lead into a `__Type` (other than `ofType`).
pub const MAX_TYPE_ENTRIES: usize = 2;

/// The refusal, worded as async-graphql words its own depth limit.
pub const TOO_DEEP: &str = "Query is nested too deep.";

/// Fields of the introspection schema whose value is a `__Type` or a list of them.
const TYPE_ENTRIES: &[&str] = &[
    "types",
    "__type",
    "queryType",
    "mutationType",
    "subscriptionType",
    "type",
    "interfaces",
    "possibleTypes",
];

/// Deepest fragment or selection nesting walked (the document limits have already refused
/// anything deeper, and cyclic fragments end here too).
const MAX_WALK: usize = 64;

/// Whether the operation selects nothing but introspection (`__schema`, `__type`,
/// `__typename`) at its root.
pub fn only_introspection(doc: &ExecutableDocument, op: &OperationDefinition) -> bool {
    roots_are_introspection(doc, &op.selection_set.node, 0)
}

fn roots_are_introspection(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> bool {
    depth <= MAX_WALK
        && set.items.iter().all(|sel| match &sel.node {
            Selection::Field(f) => f.node.name.node.starts_with("__"),
            Selection::InlineFragment(f) => {
                roots_are_introspection(doc, &f.node.selection_set.node, depth + 1)
            }
            Selection::FragmentSpread(s) => doc
                .fragments
                .get(&s.node.fragment_name.node)
                .is_some_and(|f| roots_are_introspection(doc, &f.node.selection_set.node, depth + 1)),
        })
}

/// `Err(TOO_DEEP)` when a path of the operation enters `__Type` more than
/// [`MAX_TYPE_ENTRIES`] times.
pub fn check_cycles(doc: &ExecutableDocument, op: &OperationDefinition) -> Result<(), &'static str> {
    walk(doc, &op.selection_set.node, 0, 0)
}

fn walk(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    entries: usize,
    depth: usize,
) -> Result<(), &'static str> {
    if depth > MAX_WALK {
        return Err(TOO_DEEP);
    }
    for sel in &set.items {
        match &sel.node {
            Selection::Field(f) => {
                let enters = TYPE_ENTRIES.contains(&f.node.name.node.as_str());
                let entries = entries + usize::from(enters);
                if entries > MAX_TYPE_ENTRIES {
                    return Err(TOO_DEEP);
                }
                walk(doc, &f.node.selection_set.node, entries, depth + 1)?;
            }
            Selection::InlineFragment(f) => walk(doc, &f.node.selection_set.node, entries, depth + 1)?,
            Selection::FragmentSpread(s) => {
                if let Some(f) = doc.fragments.get(&s.node.fragment_name.node) {
                    walk(doc, &f.node.selection_set.node, entries, depth + 1)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;
    use async_graphql::parser::types::DocumentOperations;

    use super::*;

    fn check(q: &str) -> (bool, Result<(), &'static str>) {
        let doc = parse_query(q).unwrap();
        let op = match &doc.operations {
            DocumentOperations::Single(op) => op.node.clone(),
            DocumentOperations::Multiple(ops) => ops.values().next().unwrap().node.clone(),
        };
        (only_introspection(&doc, &op), check_cycles(&doc, &op))
    }

    #[test]
    fn the_standard_query_passes() {
        let q = "query Q { __schema { types { ...T } } } fragment T on __Type { name fields { \
                 args { type { ...R } } type { ...R } } interfaces { ...R } } \
                 fragment R on __Type { kind ofType { kind ofType { name } } }";
        assert_eq!(check(q), (true, Ok(())));
    }

    #[test]
    fn climbing_the_type_cycle_is_refused() {
        let q = "{ __schema { types { fields { type { fields { type { name } } } } } } }";
        assert_eq!(check(q), (true, Err(TOO_DEEP)));
        let q = "{ __type(name: \"Query\") { fields { type { ofType { fields { type { name } } } } } } }";
        assert_eq!(check(q), (true, Err(TOO_DEEP)));
    }

    #[test]
    fn operations_with_other_fields_are_not_introspection() {
        assert!(!check("{ __typename me { id } }").0);
        assert!(check("{ __typename ... on Query { __schema { queryType { name } } } }").0);
    }
}
