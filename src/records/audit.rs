//! Appending audit events inside the caller's transaction.
//!
//! Every mutation ends its transaction with [`append`], so a change and its audit row commit or
//! roll back together. The chain head row is updated first, which takes the row lock (PostgreSQL)
//! or runs under the already held write lock (SQLite, `BEGIN IMMEDIATE`), so events of one chain
//! are strictly sequential; the unique (chain, seq) index backs that up.

use anyhow::Context as _;
use chrono::{SubsecRound, Utc};
use entity::{audit_chain, audit_event};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
};

use super::chain::{EventFields, GENESIS, link_hash};
use crate::error::AppResult;

/// Chain of events that concern no department (e.g. a login attempt for an unknown address).
pub const SYSTEM_CHAIN: &str = "_SYSTEM";

/// How an audited attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Success,
    /// Tried and failed (bad credentials, invalid input).
    Failure,
    /// Refused by a rule or a throttle.
    Denied,
}

impl Outcome {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "SUCCESS",
            Self::Failure => "FAILURE",
            Self::Denied => "DENIED",
        }
    }
}

/// Where a request came from, for the audit row.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    /// Correlation id.
    pub request_id: Option<String>,
    /// Client address.
    pub client_addr: Option<String>,
}

impl RequestMeta {
    /// Metadata of a command-line action.
    pub fn cli() -> Self {
        Self {
            request_id: Some(format!("cli-{}", uuid::Uuid::new_v4())),
            client_addr: None,
        }
    }
}

/// An event to append.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// Department code, or [`SYSTEM_CHAIN`].
    pub chain_key: String,
    /// Department id, if any.
    pub department_id: Option<i64>,
    /// Actor.
    pub actor_user_id: Option<i64>,
    /// Designee-of.
    pub on_behalf_of_user_id: Option<i64>,
    /// Action name, e.g. `auth.login`.
    pub action: &'static str,
    /// Outcome.
    pub outcome: Outcome,
    /// Subject type.
    pub subject_type: Option<&'static str>,
    /// Subject id.
    pub subject_id: Option<String>,
    /// Extra facts (never secrets or PPI).
    pub detail: serde_json::Value,
}

impl NewEvent {
    /// An event of a department's chain.
    pub fn department(code: &str, department_id: i64, action: &'static str, outcome: Outcome) -> Self {
        Self {
            chain_key: code.to_owned(),
            department_id: Some(department_id),
            actor_user_id: None,
            on_behalf_of_user_id: None,
            action,
            outcome,
            subject_type: None,
            subject_id: None,
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    /// An event of the system chain.
    pub fn system(action: &'static str, outcome: Outcome) -> Self {
        Self {
            chain_key: SYSTEM_CHAIN.to_owned(),
            department_id: None,
            ..Self::department("", 0, action, outcome)
        }
    }

    /// Sets the actor.
    pub fn actor(mut self, user_id: i64) -> Self {
        self.actor_user_id = Some(user_id);
        self
    }

    /// Sets the subject.
    pub fn subject(mut self, kind: &'static str, id: impl ToString) -> Self {
        self.subject_type = Some(kind);
        self.subject_id = Some(id.to_string());
        self
    }

    /// Sets the detail object.
    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// Creates the head row of a chain if it does not exist yet.
pub async fn ensure_chain<C: ConnectionTrait>(db: &C, chain_key: &str) -> AppResult<()> {
    let exists = audit_chain::Entity::find_by_id(chain_key.to_owned())
        .one(db)
        .await?;
    if exists.is_none() {
        audit_chain::ActiveModel {
            chain_key: Set(chain_key.to_owned()),
            seq: Set(0),
            head_hash: Set(GENESIS.to_owned()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Appends an event to its chain inside the caller's transaction.
pub async fn append<C: ConnectionTrait>(
    db: &C,
    meta: &RequestMeta,
    ev: NewEvent,
) -> AppResult<audit_event::Model> {
    let bump = Query::update()
        .table(audit_chain::Entity)
        .value(
            audit_chain::Column::Seq,
            Expr::col(audit_chain::Column::Seq).add(1),
        )
        .and_where(Expr::col(audit_chain::Column::ChainKey).eq(ev.chain_key.as_str()))
        .returning(Query::returning().columns([audit_chain::Column::Seq, audit_chain::Column::HeadHash]))
        .to_owned();
    let row = db
        .query_one(&bump)
        .await?
        .with_context(|| format!("audit chain {} does not exist", ev.chain_key))?;
    let seq: i64 = row.try_get("", "seq")?;
    let prev_hash: String = row.try_get("", "head_hash")?;

    let occurred_at = Utc::now().trunc_subsecs(6);
    let detail = ev.detail.to_string();
    let fields = EventFields {
        chain_key: &ev.chain_key,
        seq,
        department_id: ev.department_id,
        actor_user_id: ev.actor_user_id,
        on_behalf_of_user_id: ev.on_behalf_of_user_id,
        action: ev.action,
        outcome: ev.outcome.as_str(),
        subject_type: ev.subject_type,
        subject_id: ev.subject_id.as_deref(),
        occurred_at,
        request_id: meta.request_id.as_deref(),
        client_addr: meta.client_addr.as_deref(),
        detail: &detail,
    };
    let hash = link_hash(&prev_hash, &fields);
    let model = audit_event::ActiveModel {
        chain_key: Set(ev.chain_key.clone()),
        seq: Set(seq),
        department_id: Set(ev.department_id),
        actor_user_id: Set(ev.actor_user_id),
        on_behalf_of_user_id: Set(ev.on_behalf_of_user_id),
        action: Set(ev.action.to_owned()),
        outcome: Set(ev.outcome.as_str().to_owned()),
        subject_type: Set(ev.subject_type.map(str::to_owned)),
        subject_id: Set(ev.subject_id.clone()),
        occurred_at: Set(occurred_at),
        request_id: Set(meta.request_id.clone()),
        client_addr: Set(meta.client_addr.clone()),
        detail: Set(detail.clone()),
        prev_hash: Set(prev_hash),
        hash: Set(hash.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit_chain::Entity::update_many()
        .col_expr(audit_chain::Column::HeadHash, Expr::value(hash))
        .filter(audit_chain::Column::ChainKey.eq(ev.chain_key.as_str()))
        .exec(db)
        .await?;
    Ok(model)
}
