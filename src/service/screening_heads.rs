//! A department's own screening heads, trained on its moderators' decisions: the decisions as
//! labels, storing heads, selecting them (audited), and what the server loads.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use entity::{comment, department, moderation_decision, screening_heads};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::screening::eval::CorpusItem;
use crate::policy::screening::model::{Heads, MODEL_RULES};
use crate::policy::screening::{Context, RuleCode, Verdict};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};

/// The department's moderation decisions as labelled items, the latest decision of each
/// comment counting: HIDE or REMOVE with content rules labels the comment with those rules;
/// PUBLISH of a comment the engine had flagged labels it clean. Escalations teach nothing.
pub async fn decisions_as_items<C: ConnectionTrait>(
    db: &C,
    dept: &department::Model,
) -> AppResult<Vec<CorpusItem>> {
    let decisions = moderation_decision::Entity::find()
        .filter(moderation_decision::Column::DepartmentId.eq(dept.id))
        .order_by_asc(moderation_decision::Column::Id)
        .all(db)
        .await?;
    let mut latest: BTreeMap<i64, moderation_decision::Model> = BTreeMap::new();
    for d in decisions {
        latest.insert(d.comment_id, d);
    }
    let ids: Vec<i64> = latest.keys().copied().collect();
    let mut comments: HashMap<i64, comment::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        for c in comment::Entity::find()
            .filter(comment::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            comments.insert(c.id, c);
        }
    }
    let mut items = Vec::new();
    for (comment_id, d) in latest {
        let Some(c) = comments.get(&comment_id) else {
            continue; // purged under retention
        };
        let expected: Vec<RuleCode> = match d.action.as_str() {
            "HIDE" | "REMOVE" => serde_json::from_str::<Vec<String>>(&d.rules)
                .unwrap_or_default()
                .iter()
                .filter_map(|r| r.parse::<RuleCode>().ok())
                .filter(|r| MODEL_RULES.contains(r))
                .collect(),
            "PUBLISH" if c.verdict != Verdict::Clear.as_str() => Vec::new(),
            _ => continue,
        };
        if matches!(d.action.as_str(), "HIDE" | "REMOVE") && expected.is_empty() {
            continue; // hidden for a PPI or other non-content reason
        }
        items.push(CorpusItem {
            department: dept.code.clone(),
            context: Context::PublicComment,
            text: c.body.clone(),
            expected,
        });
    }
    Ok(items)
}

/// Stores trained heads for a department (once per hash) and audits it.
pub async fn store<C: ConnectionTrait>(
    db: &C,
    dept: &department::Model,
    heads: &Heads,
    bytes: &[u8],
    hash: &str,
    summary: serde_json::Value,
    meta: &RequestMeta,
) -> AppResult<screening_heads::Model> {
    if let Some(existing) = screening_heads::Entity::find()
        .filter(screening_heads::Column::DepartmentId.eq(dept.id))
        .filter(screening_heads::Column::HeadsHash.eq(hash))
        .one(db)
        .await?
    {
        return Ok(existing);
    }
    let text =
        String::from_utf8(bytes.to_vec()).map_err(|e| anyhow::anyhow!("heads file is not UTF-8: {e}"))?;
    let row = screening_heads::ActiveModel {
        department_id: Set(dept.id),
        heads_hash: Set(hash.to_owned()),
        model_hash: Set(heads.model.clone()),
        heads: Set(text),
        items: Set(i64::try_from(heads.items).unwrap_or(i64::MAX)),
        summary: Set(summary.to_string()),
        selected: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let ev = NewEvent::department(&dept.code, dept.id, "screening.heads_trained", Outcome::Success)
        .subject("ScreeningHeads", row.id)
        .detail(json!({ "heads": hash, "model": heads.model, "items": heads.items, "summary": summary }));
    audit::append(db, meta, ev).await?;
    Ok(row)
}

/// Makes the heads with `hash` the department's (or, with `None`, returns it to the shipped
/// heads), in one audited transaction.
pub async fn select(
    db: &sea_orm::DatabaseConnection,
    dept: &department::Model,
    hash: Option<&str>,
    meta: &RequestMeta,
) -> AppResult<()> {
    let txn = begin_write(db).await?;
    let previous = screening_heads::Entity::find()
        .filter(screening_heads::Column::DepartmentId.eq(dept.id))
        .filter(screening_heads::Column::Selected.eq(true))
        .one(&txn)
        .await?
        .map(|r| r.heads_hash);
    screening_heads::Entity::update_many()
        .col_expr(screening_heads::Column::Selected, Expr::value(false))
        .filter(screening_heads::Column::DepartmentId.eq(dept.id))
        .exec(&txn)
        .await?;
    if let Some(hash) = hash {
        let done = screening_heads::Entity::update_many()
            .col_expr(screening_heads::Column::Selected, Expr::value(true))
            .filter(screening_heads::Column::DepartmentId.eq(dept.id))
            .filter(screening_heads::Column::HeadsHash.eq(hash))
            .exec(&txn)
            .await?;
        if done.rows_affected != 1 {
            return Err(AppError::NotFound("screening heads"));
        }
    }
    let ev = NewEvent::department(&dept.code, dept.id, "screening.heads_selected", Outcome::Success)
        .detail(json!({ "previous": previous, "selected": hash.unwrap_or("shipped") }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(())
}

/// Every department's selected heads.
pub async fn selected<C: ConnectionTrait>(db: &C) -> AppResult<Vec<screening_heads::Model>> {
    Ok(screening_heads::Entity::find()
        .filter(screening_heads::Column::Selected.eq(true))
        .all(db)
        .await?)
}

/// A department's stored heads, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    dept: &department::Model,
) -> AppResult<Vec<screening_heads::Model>> {
    Ok(screening_heads::Entity::find()
        .filter(screening_heads::Column::DepartmentId.eq(dept.id))
        .order_by_desc(screening_heads::Column::Id)
        .all(db)
        .await?)
}
