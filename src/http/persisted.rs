//! Persisted operations: Apollo's automatic persisted queries, and a production mode that runs
//! only trusted documents.
//!
//! - **Automatic persisted queries** (default): a client sends
//!   `extensions.persistedQuery = {version: 1, sha256Hash}` without the query; an unknown hash
//!   is answered `PERSISTED_QUERY_NOT_FOUND`, and the client retries with the query text, which
//!   registers it (the hash must be the SHA-256 of exactly that text). Registered documents
//!   live in a bounded in-process cache.
//! - **Trusted documents** (`POLICY_ADMIN_TRUSTED_DOCUMENTS=FILE`, as the OWASP GraphQL cheat
//!   sheet recommends for production): only the documents in the file run, by hash or by their
//!   exact text; any other query is refused with `TRUSTED_DOCUMENT_REQUIRED`, and nothing
//!   registers. `policy-admin trusted-documents DIR` writes the file for a folder of
//!   `.graphql` files.
//!
//! Both apply over HTTP and WebSocket alike, before any other check.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Mutex;

use async_graphql::Value;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Documents the automatic cache keeps (the oldest go first).
const CACHE_ENTRIES: usize = 2_000;
/// Bytes of query text the automatic cache keeps at most.
const CACHE_BYTES: usize = 16 * 1024 * 1024;

/// The code of a hash the server does not know (clients then resend the query).
pub const NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
/// The code of a query refused in trusted-documents mode.
pub const NOT_TRUSTED: &str = "TRUSTED_DOCUMENT_REQUIRED";

/// The lower-case hex SHA-256 of a document's text.
pub fn hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// One operation of a manifest (Apollo's persisted query manifest format).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManifestOperation {
    /// SHA-256 of `body`.
    pub id: String,
    /// The operation's name, for people.
    pub name: String,
    /// `query`, `mutation` or `subscription`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The document text.
    pub body: String,
}

/// A trusted-documents file: `{"format": "apollo-persisted-query-manifest", "version": 1,
/// "operations": [...]}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `apollo-persisted-query-manifest`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The documents.
    pub operations: Vec<ManifestOperation>,
}

/// The automatic cache: hash → text, oldest first out.
#[derive(Default)]
pub struct Cache {
    docs: HashMap<String, String>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Cache {
    fn insert(&mut self, hash: String, text: String) {
        if self.docs.contains_key(&hash) || text.len() > CACHE_BYTES {
            return;
        }
        while self.docs.len() >= CACHE_ENTRIES || self.bytes + text.len() > CACHE_BYTES {
            let Some(old) = self.order.pop_front() else { break };
            if let Some(t) = self.docs.remove(&old) {
                self.bytes -= t.len();
            }
        }
        self.bytes += text.len();
        self.order.push_back(hash.clone());
        self.docs.insert(hash, text);
    }
}

/// Where documents come from.
pub enum Documents {
    /// Any query runs; hashes resolve through the automatic cache.
    Automatic(Mutex<Cache>),
    /// Only these documents run (hash → text).
    Trusted(HashMap<String, String>),
}

impl Default for Documents {
    fn default() -> Self {
        Self::Automatic(Mutex::default())
    }
}

impl Documents {
    /// Trusted-documents mode from a manifest file; every id must be its body's SHA-256.
    pub fn trusted_from_file(path: &Path) -> Result<Self, String> {
        let at = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{at}: {e}"))?;
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
            format!("{at}: not a persisted query manifest (write one with `policy-admin trusted-documents DIR`): {e}")
        })?;
        if manifest.format != "apollo-persisted-query-manifest" || manifest.version != 1 {
            return Err(format!(
                "{at}: expected format apollo-persisted-query-manifest, version 1"
            ));
        }
        let mut docs = HashMap::new();
        for op in manifest.operations {
            if hash(&op.body) != op.id.to_ascii_lowercase() {
                return Err(format!(
                    "{at}: operation {}: id is not the SHA-256 of its body",
                    op.name
                ));
            }
            docs.insert(op.id.to_ascii_lowercase(), op.body);
        }
        if docs.is_empty() {
            return Err(format!("{at}: no operations"));
        }
        Ok(Self::Trusted(docs))
    }

    /// Number of trusted documents (`None` in automatic mode).
    pub fn trusted_count(&self) -> Option<usize> {
        match self {
            Self::Trusted(docs) => Some(docs.len()),
            Self::Automatic(_) => None,
        }
    }

    /// Fills in the query of a request that names a persisted document, registers a new one
    /// (automatic mode), or refuses: `Err` carries the code and message.
    pub fn resolve(&self, request: &mut async_graphql::Request) -> Result<(), (&'static str, String)> {
        let wanted = persisted_hash(request)?;
        match (self, wanted) {
            (Self::Automatic(_), None) => Ok(()),
            (Self::Automatic(cache), Some(h)) => {
                let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
                if request.query.is_empty() {
                    match cache.docs.get(&h) {
                        Some(text) => request.query = text.clone(),
                        None => return Err((NOT_FOUND, "PersistedQueryNotFound".into())),
                    }
                } else if hash(&request.query) == h {
                    cache.insert(h, request.query.clone());
                } else {
                    return Err((
                        "BAD_REQUEST",
                        "provided sha256Hash does not match the query".into(),
                    ));
                }
                Ok(())
            }
            (Self::Trusted(docs), wanted) => {
                let h = match wanted {
                    Some(h) => h,
                    None => hash(&request.query),
                };
                match docs.get(&h) {
                    Some(text) if request.query.is_empty() || *text == request.query => {
                        request.query = text.clone();
                        Ok(())
                    }
                    Some(_) => Err((
                        "BAD_REQUEST",
                        "provided sha256Hash does not match the query".into(),
                    )),
                    None if request.query.is_empty() => Err((NOT_FOUND, "PersistedQueryNotFound".into())),
                    None => Err((
                        NOT_TRUSTED,
                        "this server runs only trusted documents (POLICY_ADMIN_TRUSTED_DOCUMENTS)".into(),
                    )),
                }
            }
        }
    }
}

/// The `sha256Hash` of `extensions.persistedQuery`, lower case, if the request has one.
fn persisted_hash(request: &async_graphql::Request) -> Result<Option<String>, (&'static str, String)> {
    let Some(pq) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let bad = || {
        (
            "BAD_REQUEST",
            "extensions.persistedQuery must be {version: 1, sha256Hash}".to_owned(),
        )
    };
    let Value::Object(pq) = pq else { return Err(bad()) };
    if pq.get("version") != Some(&Value::from(1)) {
        return Err((
            "PERSISTED_QUERY_NOT_SUPPORTED",
            "only persisted query version 1 is supported".into(),
        ));
    }
    match pq.get("sha256Hash") {
        Some(Value::String(h)) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(Some(h.to_ascii_lowercase()))
        }
        _ => Err(bad()),
    }
}

/// The manifest of every `.graphql` file under `dir` (sorted by path), one document per file,
/// hashed byte for byte as a client sends it.
pub fn manifest_of(dir: &Path) -> Result<Manifest, String> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    let mut operations = Vec::new();
    for file in files {
        let at = file.display();
        let body = std::fs::read_to_string(&file).map_err(|e| format!("{at}: {e}"))?;
        let doc = async_graphql::parser::parse_query(&body).map_err(|e| format!("{at}: {e}"))?;
        let mut ops = doc.operations.iter();
        let (Some((name, op)), None) = (ops.next(), ops.next()) else {
            return Err(format!("{at}: a trusted document holds exactly one operation"));
        };
        let name = name
            .map(|n| n.to_string())
            .ok_or_else(|| format!("{at}: name the operation"))?;
        let kind = op.node.ty.to_string();
        operations.push(ManifestOperation {
            id: hash(&body),
            name,
            kind,
            body,
        });
    }
    if operations.is_empty() {
        return Err(format!("{}: no .graphql files", dir.display()));
    }
    Ok(Manifest {
        format: "apollo-persisted-query-manifest".into(),
        version: 1,
        operations,
    })
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "graphql" || e == "gql") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(query: &str, hash: Option<&str>) -> async_graphql::Request {
        let mut r = async_graphql::Request::new(query);
        if let Some(h) = hash {
            let v = serde_json::json!({"version": 1, "sha256Hash": h});
            r.extensions
                .insert("persistedQuery".into(), Value::from_json(v).unwrap());
        }
        r
    }

    #[test]
    fn automatic_round_trip() {
        let docs = Documents::default();
        let q = "query Me { me { id } }";
        let h = hash(q);
        let mut first = req("", Some(&h));
        assert_eq!(docs.resolve(&mut first).unwrap_err().0, NOT_FOUND);
        assert!(docs.resolve(&mut req(q, Some(&h))).is_ok(), "registers");
        let mut again = req("", Some(&h));
        docs.resolve(&mut again).unwrap();
        assert_eq!(again.query, q);
        assert_eq!(
            docs.resolve(&mut req("{ x }", Some(&h))).unwrap_err().0,
            "BAD_REQUEST"
        );
        assert!(docs.resolve(&mut req("{ anything }", None)).is_ok());
    }

    #[test]
    fn the_cache_is_bounded() {
        let mut c = Cache::default();
        for i in 0..CACHE_ENTRIES + 10 {
            c.insert(format!("{i}"), "x".into());
        }
        assert_eq!(c.docs.len(), CACHE_ENTRIES);
        assert!(!c.docs.contains_key("0"), "the oldest went first");
        assert!(c.docs.contains_key(&format!("{}", CACHE_ENTRIES + 9)));
    }

    #[test]
    fn trusted_mode_runs_only_listed_documents() {
        let q = "query Me { me { id } }";
        let docs = Documents::Trusted(HashMap::from([(hash(q), q.to_owned())]));
        let mut by_hash = req("", Some(&hash(q)));
        docs.resolve(&mut by_hash).unwrap();
        assert_eq!(by_hash.query, q);
        assert!(docs.resolve(&mut req(q, None)).is_ok(), "the exact text runs too");
        assert_eq!(
            docs.resolve(&mut req("{ __typename }", None)).unwrap_err().0,
            NOT_TRUSTED
        );
        let other = "{ __typename }";
        assert_eq!(
            docs.resolve(&mut req(other, Some(&hash(other)))).unwrap_err().0,
            NOT_TRUSTED
        );
    }

    #[test]
    fn a_manifest_is_written_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("me.graphql"), "query Me { me { id } }\n").unwrap();
        std::fs::write(
            dir.path().join("sub/out.graphql"),
            "mutation Out($t: String!) { logout(refreshToken: $t) }",
        )
        .unwrap();
        let m = manifest_of(dir.path()).unwrap();
        assert_eq!(m.operations.len(), 2);
        assert_eq!(m.operations[0].name, "Me");
        assert_eq!(m.operations[1].kind, "mutation");
        let file = dir.path().join("trusted.json");
        std::fs::write(&file, serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(
            Documents::trusted_from_file(&file).unwrap().trusted_count(),
            Some(2)
        );
        std::fs::write(dir.path().join("anon.graphql"), "{ me { id } }").unwrap();
        assert!(
            manifest_of(dir.path())
                .unwrap_err()
                .contains("name the operation")
        );
    }
}
