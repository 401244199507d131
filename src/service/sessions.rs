//! Sign-in sessions: login, refresh-token rotation with reuse detection, logout, and turning an
//! access token into a [`Principal`] on every request.

use chrono::{DateTime, Utc};
use entity::{department, refresh_session, user};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter};
use serde_json::json;

use crate::auth::tokens::{random_token, token_hash};
use crate::auth::{Principal, Role, UserStatus};
use crate::config::Secret;
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::state::AppState;

/// The one message every failed login gets, whatever the reason.
pub const LOGIN_FAILED: &str = "invalid e-mail or password";
/// The one message every refused refresh token gets.
const REFRESH_FAILED: &str = "invalid or expired refresh token";

/// Tokens handed out by login and refresh.
pub struct Issued {
    /// JWT access token.
    pub access_token: String,
    /// Opaque refresh token (shown once).
    pub refresh_token: String,
    /// Expiry of the access token.
    pub expires_at: DateTime<Utc>,
    /// The user.
    pub user: user::Model,
}

/// Checks e-mail and password and opens a session.
pub async fn login(
    state: &AppState,
    email: &str,
    password: &Secret,
    meta: &RequestMeta,
) -> AppResult<Issued> {
    let account = email.trim().to_lowercase();
    let attempt = match state
        .throttle
        .begin(&state.db, &account, meta.client_addr.as_deref())
        .await?
    {
        Ok(a) => a,
        Err(retry_after_secs) => {
            let ev = NewEvent::system("auth.login", Outcome::Denied).detail(json!({ "reason": "throttled" }));
            record_alone(state, meta, ev).await?;
            return Err(AppError::RateLimited { retry_after_secs });
        }
    };
    let found = if password.expose().len() > crate::auth::password::MAX_PASSWORD_BYTES {
        None
    } else {
        crate::service::users::find_by_email(&state.db, &account).await?
    };
    let matches = state
        .hasher
        .verify(password, found.as_ref().and_then(|u| u.password_hash.as_deref()))
        .await?;
    let Some(u) = found else {
        let ev =
            NewEvent::system("auth.login", Outcome::Failure).detail(json!({ "reason": "unknown_account" }));
        record_alone(state, meta, ev).await?;
        return Err(AppError::Unauthenticated(LOGIN_FAILED.into()));
    };
    let dept = department_of(state, &u).await?;
    let reason = if !matches {
        Some("bad_password")
    } else if u.status != UserStatus::Active.as_str() {
        Some("not_active")
    } else {
        None
    };
    if let Some(reason) = reason {
        let ev = NewEvent::department(&dept.code, dept.id, "auth.login", Outcome::Failure)
            .subject("User", u.id)
            .detail(json!({ "reason": reason }));
        record_alone(state, meta, ev).await?;
        return Err(AppError::Unauthenticated(LOGIN_FAILED.into()));
    }
    state.throttle.succeeded(&state.db, attempt).await?;

    let family = uuid::Uuid::new_v4().to_string();
    let refresh = random_token(32);
    let txn = begin_write(&state.db).await?;
    insert_session(&txn, state, u.id, &family, &refresh).await?;
    let ev = NewEvent::department(&dept.code, dept.id, "auth.login", Outcome::Success)
        .actor(u.id)
        .subject("User", u.id);
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    issue(state, u, &dept.code, &family, refresh)
}

/// Exchanges a refresh token for a new pair; a token used twice revokes its whole family.
pub async fn refresh(state: &AppState, token: &str, meta: &RequestMeta) -> AppResult<Issued> {
    let unauth = || AppError::Unauthenticated(REFRESH_FAILED.into());
    let Some(session) = refresh_session::Entity::find()
        .filter(refresh_session::Column::TokenHash.eq(token_hash(token)))
        .one(&state.db)
        .await?
    else {
        let ev =
            NewEvent::system("auth.refresh", Outcome::Failure).detail(json!({ "reason": "unknown_token" }));
        record_alone(state, meta, ev).await?;
        return Err(unauth());
    };
    let u = user::Entity::find_by_id(session.user_id)
        .one(&state.db)
        .await?
        .ok_or_else(unauth)?;
    let dept = department_of(state, &u).await?;
    let now = Utc::now();

    if session.rotated_at.is_some() || session.revoked_at.is_some() {
        revoke_family_audited(state, &session, &u, &dept, "auth.refresh_reuse", meta).await?;
        return Err(unauth());
    }
    if session.expires_at <= now || u.status != UserStatus::Active.as_str() {
        let reason = if session.expires_at <= now {
            "expired"
        } else {
            "not_active"
        };
        let ev = NewEvent::department(&dept.code, dept.id, "auth.refresh", Outcome::Failure)
            .subject("User", u.id)
            .detail(json!({ "reason": reason }));
        record_alone(state, meta, ev).await?;
        return Err(unauth());
    }

    let txn = begin_write(&state.db).await?;
    // Conditional update: of two concurrent exchanges of one token, exactly one wins.
    let won = refresh_session::Entity::update_many()
        .col_expr(refresh_session::Column::RotatedAt, Expr::value(now))
        .filter(refresh_session::Column::Id.eq(session.id))
        .filter(refresh_session::Column::RotatedAt.is_null())
        .filter(refresh_session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if !won {
        txn.rollback().await?;
        revoke_family_audited(state, &session, &u, &dept, "auth.refresh_reuse", meta).await?;
        return Err(unauth());
    }
    let next = random_token(32);
    insert_session(&txn, state, u.id, &session.family_id, &next).await?;
    let ev = NewEvent::department(&dept.code, dept.id, "auth.refresh", Outcome::Success)
        .actor(u.id)
        .subject("User", u.id);
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    issue(state, u, &dept.code, &session.family_id, next)
}

/// Revokes the session family of a refresh token. `false` when the token was unknown or the
/// session had already ended.
pub async fn logout(state: &AppState, token: &str, meta: &RequestMeta) -> AppResult<bool> {
    let Some(session) = refresh_session::Entity::find()
        .filter(refresh_session::Column::TokenHash.eq(token_hash(token)))
        .one(&state.db)
        .await?
    else {
        let ev =
            NewEvent::system("auth.logout", Outcome::Failure).detail(json!({ "reason": "unknown_token" }));
        record_alone(state, meta, ev).await?;
        return Ok(false);
    };
    if session.revoked_at.is_some() || session.rotated_at.is_some() {
        let ev = NewEvent::system("auth.logout", Outcome::Failure)
            .subject("User", session.user_id)
            .detail(json!({ "reason": "session_already_ended" }));
        record_alone(state, meta, ev).await?;
        return Ok(false);
    }
    let u = user::Entity::find_by_id(session.user_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("session {} has no user", session.id))?;
    let dept = department_of(state, &u).await?;
    revoke_family_audited(state, &session, &u, &dept, "auth.logout", meta).await?;
    Ok(true)
}

/// Resolves a bearer token: a valid signature and claims, a user who is still active, and a
/// session that was not revoked (logout ends access tokens too). One SQL statement, or none
/// when the session cache remembers the session (see [`crate::auth::session_cache`]).
pub async fn authenticate(state: &AppState, bearer: &str) -> AppResult<Principal> {
    let unauth = || AppError::Unauthenticated("invalid or expired access token".into());
    let claims = state.jwt.verify(bearer).ok_or_else(unauth)?;
    let user_id: i64 = claims.sub.parse().map_err(|_| unauth())?;
    if let Some(p) = state.sessions.get(&claims.sid, user_id) {
        return Ok(p);
    }
    let epoch = state.sessions.epoch();
    let live_session = Query::select()
        .expr(Expr::val(1))
        .from(refresh_session::Entity)
        .and_where(Expr::col(refresh_session::Column::FamilyId).eq(claims.sid.as_str()))
        .and_where(Expr::col(refresh_session::Column::RevokedAt).is_null())
        .to_owned();
    let (u, dept) = user::Entity::find_by_id(user_id)
        .filter(user::Column::Status.eq(UserStatus::Active.as_str()))
        .filter(Expr::exists(live_session))
        .find_also_related(department::Entity)
        .one(&state.db)
        .await?
        .ok_or_else(unauth)?;
    let dept = dept.ok_or_else(unauth)?;
    let p = Principal {
        user_id: u.id,
        role: Role::parse(&u.role).ok_or_else(|| anyhow::anyhow!("user {} has unknown role", u.id))?,
        department_id: dept.id,
        department_code: dept.code,
        session_id: claims.sid,
    };
    state.sessions.remember(epoch, &p);
    Ok(p)
}

async fn insert_session(
    txn: &sea_orm::DatabaseTransaction,
    state: &AppState,
    user_id: i64,
    family: &str,
    token: &str,
) -> AppResult<()> {
    let now = Utc::now();
    refresh_session::ActiveModel {
        user_id: Set(user_id),
        family_id: Set(family.to_owned()),
        token_hash: Set(token_hash(token)),
        created_at: Set(now),
        expires_at: Set(now + state.config.refresh_token_ttl),
        rotated_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

async fn revoke_family_audited(
    state: &AppState,
    session: &refresh_session::Model,
    u: &user::Model,
    dept: &department::Model,
    action: &'static str,
    meta: &RequestMeta,
) -> AppResult<()> {
    let txn = begin_write(&state.db).await?;
    let revoked = refresh_session::Entity::update_many()
        .col_expr(refresh_session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_session::Column::FamilyId.eq(session.family_id.as_str()))
        .filter(refresh_session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    let outcome = if action == "auth.logout" {
        Outcome::Success
    } else {
        Outcome::Denied
    };
    let ev = NewEvent::department(&dept.code, dept.id, action, outcome)
        .subject("User", u.id)
        .detail(json!({ "revoked_tokens": revoked }));
    let ev = if action == "auth.logout" {
        ev.actor(u.id)
    } else {
        ev
    };
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    state.sessions.forget_user(u.id);
    Ok(())
}

/// Writes one audit event in a transaction of its own (for refusals, which change nothing else).
async fn record_alone(state: &AppState, meta: &RequestMeta, ev: NewEvent) -> AppResult<()> {
    let txn = begin_write(&state.db).await?;
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(())
}

async fn department_of(state: &AppState, u: &user::Model) -> AppResult<department::Model> {
    Ok(department::Entity::find_by_id(u.department_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user {} has no department", u.id))?)
}

fn issue(
    state: &AppState,
    u: user::Model,
    dept_code: &str,
    family: &str,
    refresh: String,
) -> AppResult<Issued> {
    let role = Role::parse(&u.role).ok_or_else(|| anyhow::anyhow!("user {} has unknown role", u.id))?;
    let token = state.jwt.issue(u.id, role, dept_code, family)?;
    Ok(Issued {
        access_token: token.token,
        refresh_token: refresh,
        expires_at: token.expires_at,
        user: u,
    })
}

/// Ends every live session of an employee inside the caller's transaction (their access tokens
/// stop working too); returns how many ended.
pub async fn end_all<C: sea_orm::ConnectionTrait>(
    txn: &C,
    user_id: i64,
    now: chrono::DateTime<Utc>,
) -> AppResult<u64> {
    Ok(refresh_session::Entity::update_many()
        .col_expr(refresh_session::Column::RevokedAt, Expr::value(now))
        .filter(refresh_session::Column::UserId.eq(user_id))
        .filter(refresh_session::Column::RevokedAt.is_null())
        .exec(txn)
        .await?
        .rows_affected)
}
