//! Checks that run before (and right after) the GraphQL parser, because the parser and the
//! executor cannot be trusted with hostile input: 2,000 nested `[` overflow the parser's stack,
//! and `__typename` fields and aliases escape async-graphql's complexity limit.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use super::reply::{PARSE_FAILED, VALIDATION_FAILED};

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Largest accepted query document.
pub const MAX_QUERY_BYTES: usize = 64 * 1024;
/// Deepest accepted bracket nesting (`{`, `[`, `(`) in the query text.
pub const MAX_NESTING: usize = 48;
/// Most fields, `__typename` included, after expanding fragments.
pub const MAX_FIELDS: usize = 1_000;
/// Most aliases after expanding fragments.
pub const MAX_ALIASES: usize = 32;
/// Most root fields of one operation.
pub const MAX_ROOT_FIELDS: usize = 16;

/// Rejects query text whose brackets nest deeper than `max`, without parsing it. Strings,
/// block strings and comments are skipped.
pub fn check_nesting(query: &str, max: usize) -> Result<(), String> {
    let b = query.as_bytes();
    let (mut i, mut depth) = (0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < b.len() && !b[i..].starts_with(b"\"\"\"") {
                    i += if b[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > max {
                    return Err(format!("query nests deeper than {max} levels"));
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Every check that must pass before a request reaches the executor: size, bracket nesting
/// (before parsing), then field, alias and root-field limits on the parsed document. Shared by
/// HTTP and WebSocket requests. `Err` carries the code and message of the refusal.
pub fn admit(request: &mut async_graphql::Request) -> Result<(), (&'static str, String)> {
    if request.query.len() > MAX_QUERY_BYTES {
        return Err(("BAD_REQUEST", "the query document is too large".into()));
    }
    check_nesting(&request.query, MAX_NESTING).map_err(|m| (VALIDATION_FAILED, m))?;
    let doc = request.parsed_query().map_err(|e| (PARSE_FAILED, e.message))?;
    check_document(doc).map_err(|m| (VALIDATION_FAILED, m))
}

/// Counts of one document after expanding fragments.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Fields, `__typename` included.
    pub fields: usize,
    /// Aliased fields.
    pub aliases: usize,
}

/// Rejects documents over the field, alias or root-field limits.
pub fn check_document(doc: &ExecutableDocument) -> Result<(), String> {
    let mut memo = HashMap::new();
    let mut total = Counts::default();
    for (_, op) in doc.operations.iter() {
        let roots = count_roots(doc, &op.node.selection_set.node, 0)?;
        if roots > MAX_ROOT_FIELDS {
            return Err(format!(
                "an operation may select at most {MAX_ROOT_FIELDS} root fields"
            ));
        }
        let c = count(doc, &op.node.selection_set.node, &mut memo, 0)?;
        total.fields = total.fields.saturating_add(c.fields);
        total.aliases = total.aliases.saturating_add(c.aliases);
    }
    if total.fields > MAX_FIELDS {
        return Err(format!("the query selects more than {MAX_FIELDS} fields"));
    }
    if total.aliases > MAX_ALIASES {
        return Err(format!("the query uses more than {MAX_ALIASES} aliases"));
    }
    Ok(())
}

const MAX_FRAGMENT_DEPTH: usize = 16;

fn count_roots(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> Result<usize, String> {
    if depth > MAX_FRAGMENT_DEPTH {
        return Err("fragments nest too deeply".into());
    }
    let mut n = 0usize;
    for sel in &set.items {
        n = n.saturating_add(match &sel.node {
            Selection::Field(_) => 1,
            Selection::InlineFragment(f) => count_roots(doc, &f.node.selection_set.node, depth + 1)?,
            Selection::FragmentSpread(s) => match doc.fragments.get(&s.node.fragment_name.node) {
                Some(f) => count_roots(doc, &f.node.selection_set.node, depth + 1)?,
                None => 0,
            },
        });
    }
    Ok(n)
}

fn count(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    memo: &mut HashMap<String, Counts>,
    depth: usize,
) -> Result<Counts, String> {
    if depth > MAX_FRAGMENT_DEPTH * 4 {
        return Err("selections nest too deeply".into());
    }
    let mut c = Counts::default();
    for sel in &set.items {
        let inner = match &sel.node {
            Selection::Field(f) => {
                let sub = count(doc, &f.node.selection_set.node, memo, depth + 1)?;
                Counts {
                    fields: sub.fields.saturating_add(1),
                    aliases: sub.aliases + usize::from(f.node.alias.is_some()),
                }
            }
            Selection::InlineFragment(f) => count(doc, &f.node.selection_set.node, memo, depth + 1)?,
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                match memo.get(name) {
                    Some(c) => *c,
                    None => match doc.fragments.get(&s.node.fragment_name.node) {
                        Some(f) => {
                            let sub = count(doc, &f.node.selection_set.node, memo, depth + 1)?;
                            memo.insert(name.to_owned(), sub);
                            sub
                        }
                        None => Counts::default(),
                    },
                }
            }
        };
        c.fields = c.fields.saturating_add(inner.fields);
        c.aliases = c.aliases.saturating_add(inner.aliases);
        if c.fields > MAX_FIELDS {
            return Err(format!("the query selects more than {MAX_FIELDS} fields"));
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(q: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(q).unwrap()
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let q = format!("query {{ f(a: {}1{}) }}", "[".repeat(2000), "]".repeat(2000));
        assert!(check_nesting(&q, MAX_NESTING).is_err());
        assert!(check_nesting("query { me { id } }", MAX_NESTING).is_ok());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let q = format!(
            "# {}\nquery {{ f(a: \"{}\", b: \"\"\"{}\"\"\") }}",
            "[".repeat(100),
            "[".repeat(100),
            "{".repeat(100)
        );
        assert!(check_nesting(&q, 8).is_ok());
    }

    #[test]
    fn typename_aliases_count() {
        let many: String = (0..40).map(|i| format!("a{i}: __typename ")).collect();
        assert!(check_document(&doc(&format!("{{ {many} }}"))).is_err());
        assert!(check_document(&doc("{ me { id } }")).is_ok());
    }

    #[test]
    fn fragments_are_expanded_when_counting() {
        let mut q = String::from("query { ...F0 }\n");
        for i in 0..12 {
            q.push_str(&format!(
                "fragment F{i} on Query {{ __typename ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        q.push_str("fragment F12 on Query { __typename }\n");
        assert!(check_document(&doc(&q)).is_err());
    }

    #[test]
    fn too_many_root_fields_are_refused() {
        let many: String = (0..20).map(|_| "__typename ").collect();
        assert!(check_document(&doc(&format!("{{ {many} }}"))).is_err());
    }
}
