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
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

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
            let rows = self.page(kind).await?;
            if rows.is_empty() {
                self.kind += 1;
                self.last_id = 0;
                continue;
            }
            let mut out = Vec::with_capacity(rows.len() * 256);
            for r in &rows {
                self.last_id = r.get("id").and_then(Value::as_i64).unwrap_or(self.last_id);
                let line = json!({ "type": kind, "record": r });
                serde_json::to_writer(&mut out, &line).map_err(anyhow::Error::from)?;
                out.push(b'\n');
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
            "counts": self.counts,
            "sha256": digest,
            "audit_head": head.map(|h| json!({ "seq": h.seq, "hash": h.head_hash })),
        });
        let mut out = serde_json::to_vec(&manifest).map_err(anyhow::Error::from)?;
        out.push(b'\n');
        Ok(Some(out))
    }

    async fn page(&self, kind: &str) -> AppResult<Vec<Value>> {
        let (d, s, last, db) = (self.req.department_id, &self.req.scope, self.last_id, &self.db);
        macro_rules! page {
            ($q:expr, $id:expr) => {
                $q.filter($id.gt(last))
                    .order_by_asc($id)
                    .limit(PAGE)
                    .into_json()
                    .all(db)
                    .await?
            };
        }
        let rows = match kind {
            "platform" => {
                let mut q = platform::Entity::find().filter(platform::Column::DepartmentId.eq(d));
                if !s.platform_ids.is_empty() {
                    q = q.filter(platform::Column::Id.is_in(s.platform_ids.clone()));
                }
                page!(q, platform::Column::Id)
            }
            "platform_version" => {
                let mut owners = Query::select()
                    .column(platform::Column::Id)
                    .from(platform::Entity)
                    .and_where(Expr::col(platform::Column::DepartmentId).eq(d))
                    .to_owned();
                if !s.platform_ids.is_empty() {
                    owners.and_where(Expr::col(platform::Column::Id).is_in(s.platform_ids.clone()));
                }
                let q = platform_version::Entity::find()
                    .filter(platform_version::Column::PlatformId.in_subquery(owners));
                page!(q, platform_version::Column::Id)
            }
            "approval" => page!(
                approval::Entity::find().filter(approval::Column::DepartmentId.eq(d)),
                approval::Column::Id
            ),
            "authorization" => {
                let mut q = posting_authorization::Entity::find()
                    .filter(posting_authorization::Column::DepartmentId.eq(d));
                if !s.user_ids.is_empty() {
                    q = q.filter(posting_authorization::Column::UserId.is_in(s.user_ids.clone()));
                }
                page!(q, posting_authorization::Column::Id)
            }
            "post" => page!(posts(d, s), post::Column::Id),
            "post_version" => {
                let owners = posts(d, s).select_only().column(post::Column::Id).into_query();
                let q = post_version::Entity::find().filter(post_version::Column::PostId.in_subquery(owners));
                page!(q, post_version::Column::Id)
            }
            "comment" => page!(comments(d, s), comment::Column::Id),
            "moderation_decision" => {
                let owners = comments(d, s)
                    .select_only()
                    .column(comment::Column::Id)
                    .into_query();
                let q = moderation_decision::Entity::find()
                    .filter(moderation_decision::Column::CommentId.in_subquery(owners));
                page!(q, moderation_decision::Column::Id)
            }
            "violation" => {
                let mut q = violation::Entity::find().filter(violation::Column::DepartmentId.eq(d));
                if !s.user_ids.is_empty() {
                    q = q.filter(violation::Column::UserId.is_in(s.user_ids.clone()));
                }
                q = period(q, violation::Column::CreatedAt, s);
                page!(q, violation::Column::Id)
            }
            "audit_event" => {
                let q = audit_event::Entity::find()
                    .filter(audit_event::Column::ChainKey.eq(self.req.department_code.as_str()));
                page!(
                    period(q, audit_event::Column::OccurredAt, s),
                    audit_event::Column::Id
                )
            }
            _ => Vec::new(),
        };
        Ok(rows)
    }
}

fn period<E: EntityTrait, C: ColumnTrait>(
    mut q: sea_orm::Select<E>,
    col: C,
    s: &Scope,
) -> sea_orm::Select<E> {
    if let Some(f) = s.from {
        q = q.filter(col.gte(f));
    }
    if let Some(t) = s.to {
        q = q.filter(col.lt(t));
    }
    q
}

fn posts(d: i64, s: &Scope) -> sea_orm::Select<post::Entity> {
    let mut q = post::Entity::find().filter(post::Column::DepartmentId.eq(d));
    if !s.platform_ids.is_empty() {
        q = q.filter(post::Column::PlatformId.is_in(s.platform_ids.clone()));
    }
    if !s.user_ids.is_empty() {
        q = q.filter(post::Column::AuthorUserId.is_in(s.user_ids.clone()));
    }
    period(q, post::Column::CreatedAt, s)
}

fn comments(d: i64, s: &Scope) -> sea_orm::Select<comment::Entity> {
    let mut q = comment::Entity::find().filter(comment::Column::DepartmentId.eq(d));
    if !s.platform_ids.is_empty() {
        q = q.filter(comment::Column::PlatformId.is_in(s.platform_ids.clone()));
    }
    period(q, comment::Column::ReceivedAt, s)
}
