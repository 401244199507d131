//! E-discovery export (IL 01.02.400 II.G.1.e): every record of a department in scope, as NDJSON
//! lines `{"type": …, "record": {…}}`, followed by a manifest with record counts, the SHA-256 of
//! everything before it and the audit-chain head. Rows are read in pages by id, so memory stays
//! constant whatever the size of the department.

use std::collections::BTreeMap;

use chrono::Utc;
use entity::{
    approval, audit_chain, audit_event, comment, moderation_decision, platform, platform_version, post,
    post_version, posting_authorization, violation,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QueryResult,
    QuerySelect, QueryTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::export_rows::Columns;
use super::export_scope as scope;
use super::holds::Scope;
use crate::error::AppResult;

/// Rows read per statement.
const PAGE: u64 = 500;

/// Record kinds, in the order they are written.
pub const KINDS: [&str; 10] = [
    "platform",
    "platform_version",
    "approval",
    "authorization",
    "post",
    "post_version",
    "comment",
    "moderation_decision",
    "violation",
    "audit_event",
];

/// What to export.
#[derive(Clone, Debug)]
pub struct Request {
    /// Department id.
    pub department_id: i64,
    /// Department code (the audit chain key).
    pub department_code: String,
    /// Platforms, people and period in scope (from the query and/or a hold).
    pub scope: Scope,
}

/// The export in progress: call [`Export::next_chunk`] until it returns `None`.
pub struct Export {
    db: DatabaseConnection,
    req: Request,
    kind: usize,
    last_id: i64,
    hasher: Sha256,
    counts: BTreeMap<&'static str, u64>,
    done: bool,
}

impl Export {
    /// Starts an export.
    pub fn new(db: DatabaseConnection, req: Request) -> Self {
        Self {
            db,
            req,
            kind: 0,
            last_id: 0,
            hasher: Sha256::new(),
            counts: BTreeMap::new(),
            done: false,
        }
    }

    /// Records written so far.
    pub fn written(&self) -> u64 {
        self.counts.values().sum()
    }

    /// The next chunk of NDJSON (a page of records, or the manifest), `None` at the end.
    pub async fn next_chunk(&mut self) -> AppResult<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        while self.kind < KINDS.len() {
            let kind = KINDS[self.kind];
            let (columns, rows) = self.page(kind).await?;
            if rows.is_empty() {
                self.kind += 1;
                self.last_id = 0;
                continue;
            }
            let mut out = Vec::with_capacity(rows.len() * 512);
            for r in &rows {
                if let Some(id) = columns.write_line(&mut out, kind, r)? {
                    self.last_id = id;
                }
            }
            *self.counts.entry(kind).or_default() += rows.len() as u64;
            self.hasher.update(&out);
            return Ok(Some(out));
        }
        self.done = true;
        let head = audit_chain::Entity::find_by_id(self.req.department_code.clone())
            .one(&self.db)
            .await?;
        let digest = hex::encode(std::mem::take(&mut self.hasher).finalize());
        let manifest = json!({
            "type": "manifest",
            "department": self.req.department_code,
            "generated_at": Utc::now(),
            "scope": {
                "platform_ids": self.req.scope.platform_ids,
                "user_ids": self.req.scope.user_ids,
                "from": self.req.scope.from,
                "to": self.req.scope.to,
            },
            "filters": scope::RULES.iter().map(|(k, r)| (*k, *r)).collect::<BTreeMap<_, _>>(),
            "counts": self.counts,
            "sha256": digest,
            "audit_head": head.map(|h| json!({ "seq": h.seq, "hash": h.head_hash })),
        });
        let mut out = serde_json::to_vec(&manifest).map_err(anyhow::Error::from)?;
        out.push(b'\n');
        Ok(Some(out))
    }

    async fn page(&self, kind: &str) -> AppResult<(Columns, Vec<QueryResult>)> {
        let (d, s, last, db) = (self.req.department_id, &self.req.scope, self.last_id, &self.db);
        let backend = db.get_database_backend();
        macro_rules! page {
            ($q:expr, $id:expr) => {{
                let q = $q.filter($id.gt(last)).order_by_asc($id).limit(PAGE);
                (
                    Columns::of_select(&q),
                    db.query_all_raw(q.build(backend)).await?,
                )
            }};
        }
        Ok(match kind {
            "platform" => page!(scope::platforms(d, s), platform::Column::Id),
            "platform_version" => page!(scope::platform_versions(d, s), platform_version::Column::Id),
            "approval" => page!(scope::approvals(d, s), approval::Column::Id),
            "authorization" => page!(scope::authorizations(d, s), posting_authorization::Column::Id),
            "post" => page!(scope::posts(d, s), post::Column::Id),
            "post_version" => page!(scope::post_versions(d, s), post_version::Column::Id),
            "comment" => page!(scope::comments(d, s), comment::Column::Id),
            "moderation_decision" => page!(scope::decisions(d, s), moderation_decision::Column::Id),
            "violation" => page!(scope::violations(d, s), violation::Column::Id),
            "audit_event" => page!(
                scope::audit_events(&self.req.department_code, s),
                audit_event::Column::Id
            ),
            _ => (Columns::of::<platform::Entity>(), Vec::new()),
        })
    }
}
