//! Integration tokens: created on the command line (shown once, stored as a hash), limited to a
//! department and a scope, revocable; every use is audited.

use chrono::Utc;
use entity::{department, integration_token};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::auth::integration::{Integration, TOKEN_PREFIX, TokenScope};
use crate::auth::tokens::{random_token, token_hash};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::departments;

/// Creates a token; returns the row and the token itself (shown once, never stored).
pub async fn create(
    db: &DatabaseConnection,
    department_code: &str,
    scope: TokenScope,
    name: &str,
    meta: &RequestMeta,
) -> AppResult<(integration_token::Model, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::BadUserInput("name must have 1-200 characters".into()));
    }
    let dept = departments::find_by_code(db, department_code)
        .await?
        .ok_or(AppError::NotFound("department"))?;
    let token = format!(
        "{TOKEN_PREFIX}{}_{}",
        scope.as_str().to_lowercase(),
        random_token(32)
    );
    let txn = begin_write(db).await?;
    let row = integration_token::ActiveModel {
        department_id: Set(dept.id),
        name: Set(name.to_owned()),
        scope: Set(scope.as_str().to_owned()),
        token_hash: Set(token_hash(&token)),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ev = NewEvent::department(&dept.code, dept.id, "integration.token_created", Outcome::Success)
        .subject("IntegrationToken", row.id)
        .detail(json!({ "name": name, "scope": scope.as_str() }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok((row, token))
}

/// Every token (of one department when given), with its department code.
pub async fn list(
    db: &DatabaseConnection,
    department_code: Option<&str>,
) -> AppResult<Vec<(integration_token::Model, String)>> {
    let mut q = integration_token::Entity::find()
        .find_also_related(department::Entity)
        .order_by_asc(integration_token::Column::Id);
    if let Some(code) = department_code {
        q = q.filter(department::Column::Code.eq(code));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|(t, d)| (t, d.map(|d| d.code).unwrap_or_default()))
        .collect())
}

/// Revokes a token at once; idempotent.
pub async fn revoke(
    db: &DatabaseConnection,
    id: i64,
    meta: &RequestMeta,
) -> AppResult<integration_token::Model> {
    let (row, dept) = integration_token::Entity::find_by_id(id)
        .find_also_related(department::Entity)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("integration token"))?;
    let dept = dept.ok_or_else(|| AppError::from(anyhow::anyhow!("token {id} without department")))?;
    if row.revoked_at.is_some() {
        return Ok(row);
    }
    let txn = begin_write(db).await?;
    integration_token::Entity::update_many()
        .col_expr(integration_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(integration_token::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let ev = NewEvent::department(&dept.code, dept.id, "integration.token_revoked", Outcome::Success)
        .subject("IntegrationToken", id);
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    integration_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("integration token"))
}

/// Resolves a token presented as a bearer token; records the use.
pub async fn authenticate(
    db: &DatabaseConnection,
    token: &str,
    meta: &RequestMeta,
) -> AppResult<Integration> {
    let unauth = || AppError::Unauthenticated("invalid or revoked integration token".into());
    let (row, dept) = integration_token::Entity::find()
        .filter(integration_token::Column::TokenHash.eq(token_hash(token)))
        .filter(integration_token::Column::RevokedAt.is_null())
        .find_also_related(department::Entity)
        .one(db)
        .await?
        .ok_or_else(unauth)?;
    let dept = dept.ok_or_else(unauth)?;
    let scope = TokenScope::parse(&row.scope).ok_or_else(unauth)?;
    let txn = begin_write(db).await?;
    integration_token::Entity::update_many()
        .col_expr(integration_token::Column::LastUsedAt, Expr::value(Utc::now()))
        .filter(integration_token::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    let ev = NewEvent::department(&dept.code, dept.id, "integration.token_used", Outcome::Success)
        .subject("IntegrationToken", row.id)
        .detail(json!({ "scope": row.scope }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(Integration {
        token_id: row.id,
        name: row.name,
        department_id: dept.id,
        department_code: dept.code,
        scope,
    })
}
