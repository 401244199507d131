//! HR provisioning (IL 01.02.400 II.E and II.G.6): employees created, changed, separated and
//! deleted by the department's HR system through an integration token with the `scim` scope.
//!
//! HR owns who is employed and how; a director owns roles, so every account made here is
//! `STAFF` and nothing here changes a role. Separation (HR reports the employee inactive)
//! revokes their posting authorizations, the delegations they gave or hold, and their sign-in
//! sessions in the same transaction as the status change, with an audit event for each.

use chrono::{DateTime, Utc};
use entity::{delegation, posting_authorization, user};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::auth::integration::{Integration, TokenScope};
use crate::auth::session_cache::SessionCache;
use crate::auth::{EmploymentType, Role, UserStatus, require_scope};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::records::webhooks;
use crate::service::sessions;
use crate::service::users::Email;

/// Longest text HR may send for a name or identifier.
const MAX_TEXT: usize = 256;
/// Most e-mail addresses kept per employee.
const MAX_EMAILS: usize = 20;

/// One e-mail address HR reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HrEmail {
    /// The address as HR wrote it.
    pub value: String,
    /// `work`, `home`, `other`, or what HR uses.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The address to sign in with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
}

/// Everything HR asserts about an employee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HrRecord {
    /// HR user name, unique without regard to case.
    pub user_name: String,
    /// The HR system's identifier.
    pub external_id: Option<String>,
    /// Display name.
    pub display_name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Formatted full name.
    pub formatted_name: Option<String>,
    /// At least one address; the primary one (or the first) is the sign-in address.
    pub emails: Vec<HrEmail>,
    /// Enterprise employee number.
    pub employee_number: Option<String>,
    /// Organisational unit.
    pub org_unit: Option<String>,
    /// Employment type (IL 01.02.400 II.E).
    pub employment_type: EmploymentType,
    /// Employed (`false` separates).
    pub active: bool,
}

impl HrRecord {
    /// What HR last recorded for an employee (accounts made here: their e-mail and name).
    pub fn of(u: &user::Model) -> AppResult<Self> {
        let emails = match u.emails.as_deref() {
            Some(raw) => serde_json::from_str(raw)
                .map_err(|e| anyhow::anyhow!("user {} has unreadable e-mails: {e}", u.id))?,
            None => vec![HrEmail {
                value: u.email.clone(),
                kind: Some("work".into()),
                primary: Some(true),
            }],
        };
        Ok(Self {
            user_name: u.user_name.clone(),
            external_id: u.external_id.clone(),
            display_name: u.display_name.clone(),
            given_name: u.given_name.clone(),
            family_name: u.family_name.clone(),
            formatted_name: u.formatted_name.clone(),
            emails,
            employee_number: u.employee_number.clone(),
            org_unit: u.org_unit.clone(),
            employment_type: EmploymentType::parse(&u.employment_type)
                .ok_or_else(|| anyhow::anyhow!("user {} has an unknown employment type", u.id))?,
            active: u.status == UserStatus::Active.as_str(),
        })
    }

    /// Checks lengths and addresses; returns the sign-in address.
    fn validate(&self) -> AppResult<Email> {
        let user_name = self.user_name.trim();
        if user_name.is_empty() || user_name.chars().count() > MAX_TEXT {
            return Err(AppError::BadUserInput(format!(
                "userName must have 1 to {MAX_TEXT} characters"
            )));
        }
        let texts = [
            ("externalId", &self.external_id),
            ("displayName", &self.display_name),
            ("name.givenName", &self.given_name),
            ("name.familyName", &self.family_name),
            ("name.formatted", &self.formatted_name),
            ("employeeNumber", &self.employee_number),
            ("department", &self.org_unit),
        ];
        for (what, text) in texts {
            if text.as_ref().is_some_and(|t| t.chars().count() > MAX_TEXT) {
                return Err(AppError::BadUserInput(format!(
                    "{what} is longer than {MAX_TEXT} characters"
                )));
            }
        }
        if self.emails.is_empty() || self.emails.len() > MAX_EMAILS {
            return Err(AppError::BadUserInput(format!(
                "emails must list 1 to {MAX_EMAILS} addresses; the primary one is the sign-in address"
            )));
        }
        if self.emails.iter().filter(|e| e.primary == Some(true)).count() > 1 {
            return Err(AppError::BadUserInput(
                "only one e-mail address may be primary".into(),
            ));
        }
        for e in &self.emails {
            Email::parse(&e.value)?;
        }
        let sign_in = self
            .emails
            .iter()
            .find(|e| e.primary == Some(true))
            .or_else(|| self.emails.first())
            .ok_or_else(|| AppError::BadUserInput("emails must not be empty".into()))?;
        Email::parse(&sign_in.value)
    }

    /// The name people see: the display name, else the formatted name, else given and family
    /// name, else the user name.
    fn shown_name(&self) -> String {
        let parts = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        [
            self.display_name.as_deref(),
            self.formatted_name.as_deref(),
            Some(parts.as_str()),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or(self.user_name.trim())
        .to_owned()
    }

    /// Names of the attributes that differ (for the audit record: names, never values).
    fn changed_fields(&self, other: &Self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut check = |name, differs: bool| {
            if differs {
                out.push(name);
            }
        };
        check("userName", self.user_name != other.user_name);
        check("externalId", self.external_id != other.external_id);
        check("displayName", self.display_name != other.display_name);
        check(
            "name",
            (&self.given_name, &self.family_name, &self.formatted_name)
                != (&other.given_name, &other.family_name, &other.formatted_name),
        );
        check("emails", self.emails != other.emails);
        check("employeeNumber", self.employee_number != other.employee_number);
        check("department", self.org_unit != other.org_unit);
        check("employmentType", self.employment_type != other.employment_type);
        check("active", self.active != other.active);
        out
    }
}

/// A narrowing of the department's employees that SQL can apply before the full filter runs.
#[derive(Clone, Debug, Default)]
pub struct Narrowing {
    /// User name, compared without case.
    pub user_name: Option<String>,
    /// External id, compared exactly.
    pub external_id: Option<String>,
    /// Row id.
    pub id: Option<i64>,
    /// Text some e-mail contains (matched without case, then checked exactly by the caller).
    pub email_contains: Option<String>,
}

fn scope(i: &Integration) -> AppResult<()> {
    require_scope(i, TokenScope::Scim)
}

fn provisioned(i: &Integration) -> sea_orm::Select<user::Entity> {
    user::Entity::find()
        .filter(user::Column::DepartmentId.eq(i.department_id))
        .filter(user::Column::DeprovisionedAt.is_null())
}

/// An employee of the integration's department that HR has not deleted.
pub async fn find<C: ConnectionTrait>(db: &C, i: &Integration, id: i64) -> AppResult<user::Model> {
    scope(i)?;
    provisioned(i)
        .filter(user::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("user"))
}

/// The department's employees in id order, `offset`/`limit` paged, with their total.
pub async fn page(
    db: &DatabaseConnection,
    i: &Integration,
    offset: u64,
    limit: u64,
) -> AppResult<(u64, Vec<user::Model>)> {
    scope(i)?;
    let total = provisioned(i).count(db).await?;
    let rows = if limit == 0 {
        Vec::new()
    } else {
        provisioned(i)
            .order_by_asc(user::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(db)
            .await?
    };
    Ok((total, rows))
}

/// The department's employees that may match a filter, in id order (the caller applies the
/// filter itself; this only narrows what is read).
pub async fn candidates(
    db: &DatabaseConnection,
    i: &Integration,
    n: &Narrowing,
) -> AppResult<Vec<user::Model>> {
    scope(i)?;
    let mut q = provisioned(i).order_by_asc(user::Column::Id);
    if let Some(name) = &n.user_name {
        q = q.filter(user::Column::UserNameKey.eq(name.to_lowercase()));
    }
    if let Some(ext) = &n.external_id {
        q = q.filter(user::Column::ExternalId.eq(ext.as_str()));
    }
    if let Some(id) = n.id {
        q = q.filter(user::Column::Id.eq(id));
    }
    if let Some(text) = &n.email_contains {
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        let lowered = |c: user::Column| Expr::expr(Func::lower(Expr::col(c)));
        q = q.filter(
            Condition::any()
                .add(lowered(user::Column::Email).like(LikeExpr::new(pattern.as_str()).escape('\\')))
                .add(lowered(user::Column::Emails).like(LikeExpr::new(pattern.as_str()).escape('\\'))),
        );
    }
    Ok(q.all(db).await?)
}

fn escape_like(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// Creates an employee (role `STAFF`); `CONFLICT` when the user name or sign-in address is
/// taken.
pub async fn create(
    db: &DatabaseConnection,
    i: &Integration,
    hr: HrRecord,
    meta: &RequestMeta,
) -> AppResult<user::Model> {
    scope(i)?;
    let email = hr.validate()?;
    let txn = begin_write(db).await?;
    ensure_unique(&txn, &hr, &email, None).await?;
    let now = Utc::now();
    let status = if hr.active {
        UserStatus::Active
    } else {
        UserStatus::Separated
    };
    let row = user::ActiveModel {
        department_id: Set(i.department_id),
        email: Set(email.as_str().to_owned()),
        name: Set(hr.shown_name()),
        role: Set(Role::Staff.as_str().to_owned()),
        employment_type: Set(hr.employment_type.as_str().to_owned()),
        status: Set(status.as_str().to_owned()),
        password_hash: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        deprovisioned_at: Set(None),
        ..hr_columns(&hr)?
    }
    .insert(&txn)
    .await?;
    let ev = event(i, "user.provisioned", row.id).detail(json!({
        "integration_token_id": i.token_id,
        "employment_type": row.employment_type,
        "status": row.status,
    }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// What [`update`] did.
#[derive(Debug)]
pub enum Updated {
    /// The employee as now recorded.
    Done(Box<user::Model>),
    /// The row changed since `based_on` was read; nothing was written (read again and retry).
    Stale,
}

/// Replaces what HR records about an employee. Setting `active` to false separates them;
/// setting it back to true reinstates them (revoked authorizations stay revoked). With
/// `based_on` (the `updated_at` the new record was derived from), nothing is written when the
/// row changed since.
pub async fn update(
    db: &DatabaseConnection,
    sessions: &SessionCache,
    i: &Integration,
    id: i64,
    hr: HrRecord,
    based_on: Option<DateTime<Utc>>,
    meta: &RequestMeta,
) -> AppResult<Updated> {
    scope(i)?;
    let email = hr.validate()?;
    let txn = begin_write(db).await?;
    let current = find(&txn, i, id).await?;
    if based_on.is_some_and(|t| t != current.updated_at) {
        return Ok(Updated::Stale);
    }
    let before = HrRecord::of(&current)?;
    let changed = hr.changed_fields(&before);
    if changed.is_empty() {
        txn.commit().await?;
        return Ok(Updated::Done(Box::new(current)));
    }
    ensure_unique(&txn, &hr, &email, Some(id)).await?;
    let now = Utc::now();
    let was_active = current.status == UserStatus::Active.as_str();
    let mut row = user::ActiveModel {
        id: Set(id),
        email: Set(email.as_str().to_owned()),
        name: Set(hr.shown_name()),
        employment_type: Set(hr.employment_type.as_str().to_owned()),
        updated_at: Set(now),
        ..hr_columns(&hr)?
    };
    if hr.active != was_active {
        let status = if hr.active {
            UserStatus::Active
        } else {
            UserStatus::Separated
        };
        row.status = Set(status.as_str().to_owned());
    }
    let row = row.update(&txn).await?;
    let ev = event(i, "user.updated", id).detail(json!({
        "integration_token_id": i.token_id,
        "changed": changed,
    }));
    audit::append(&txn, meta, ev).await?;
    if was_active && !hr.active {
        separate(&txn, i, id, now, meta).await?;
    } else if !was_active && hr.active {
        let ev = event(i, "user.reinstated", id).detail(json!({ "integration_token_id": i.token_id }));
        audit::append(&txn, meta, ev).await?;
    }
    txn.commit().await?;
    sessions.forget_user(id);
    Ok(Updated::Done(Box::new(row)))
}

/// HR deleted the employee: they are separated (if not already) and leave SCIM, while the
/// account and everything it did stay on record (IL 01.02.400 II.G.1.e).
pub async fn deprovision(
    db: &DatabaseConnection,
    sessions: &SessionCache,
    i: &Integration,
    id: i64,
    meta: &RequestMeta,
) -> AppResult<()> {
    scope(i)?;
    let txn = begin_write(db).await?;
    let current = find(&txn, i, id).await?;
    let now = Utc::now();
    let done = user::Entity::update_many()
        .col_expr(user::Column::DeprovisionedAt, Expr::value(now))
        .col_expr(user::Column::Status, Expr::value(UserStatus::Separated.as_str()))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::DeprovisionedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::NotFound("user"));
    }
    let ev = event(i, "user.deprovisioned", id).detail(json!({ "integration_token_id": i.token_id }));
    audit::append(&txn, meta, ev).await?;
    if current.status == UserStatus::Active.as_str() {
        separate(&txn, i, id, now, meta).await?;
    }
    txn.commit().await?;
    sessions.forget_user(id);
    Ok(())
}

/// The columns HR owns, from a validated record.
fn hr_columns(hr: &HrRecord) -> AppResult<user::ActiveModel> {
    let trimmed = |o: &Option<String>| o.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let emails = serde_json::to_string(&hr.emails).map_err(anyhow::Error::from)?;
    Ok(user::ActiveModel {
        user_name: Set(hr.user_name.trim().to_owned()),
        user_name_key: Set(Some(hr.user_name.trim().to_lowercase())),
        external_id: Set(hr.external_id.clone().filter(|s| !s.is_empty())),
        display_name: Set(trimmed(&hr.display_name)),
        given_name: Set(trimmed(&hr.given_name)),
        family_name: Set(trimmed(&hr.family_name)),
        formatted_name: Set(trimmed(&hr.formatted_name)),
        emails: Set(Some(emails)),
        employee_number: Set(trimmed(&hr.employee_number)),
        org_unit: Set(trimmed(&hr.org_unit)),
        ..Default::default()
    })
}

async fn ensure_unique(
    txn: &DatabaseTransaction,
    hr: &HrRecord,
    email: &Email,
    except: Option<i64>,
) -> AppResult<()> {
    let other = |q: sea_orm::Select<user::Entity>| match except {
        Some(id) => q.filter(user::Column::Id.ne(id)),
        None => q,
    };
    let name_taken = other(user::Entity::find())
        .filter(user::Column::UserNameKey.eq(hr.user_name.trim().to_lowercase()))
        .count(txn)
        .await?
        > 0;
    if name_taken {
        return Err(AppError::Conflict("userName is already in use".into()));
    }
    let email_taken = other(user::Entity::find())
        .filter(user::Column::Email.eq(email.as_str()))
        .count(txn)
        .await?
        > 0;
    if email_taken {
        return Err(AppError::Conflict(
            "the primary e-mail address is another employee's sign-in address".into(),
        ));
    }
    Ok(())
}

fn event(i: &Integration, action: &'static str, user_id: i64) -> NewEvent {
    NewEvent::department(&i.department_code, i.department_id, action, Outcome::Success)
        .subject("User", user_id)
}

/// The audit event of one revocation made by separation.
fn revocation(
    i: &Integration,
    action: &'static str,
    kind: &'static str,
    id: i64,
    user_id: i64,
    reason: &str,
) -> NewEvent {
    NewEvent::department(&i.department_code, i.department_id, action, Outcome::Success)
        .subject(kind, id)
        .detail(json!({ "user_id": user_id, "reason": reason, "integration_token_id": i.token_id }))
}

/// Separation: revokes what lets the employee act, inside the caller's transaction.
async fn separate(
    txn: &DatabaseTransaction,
    i: &Integration,
    user_id: i64,
    now: DateTime<Utc>,
    meta: &RequestMeta,
) -> AppResult<()> {
    const REASON: &str = "separated from employment (reported by HR)";
    let authorizations: Vec<i64> = posting_authorization::Entity::find()
        .select_only()
        .column(posting_authorization::Column::Id)
        .filter(posting_authorization::Column::UserId.eq(user_id))
        .filter(posting_authorization::Column::RevokedAt.is_null())
        .filter(posting_authorization::Column::ValidUntil.gt(now))
        .into_tuple()
        .all(txn)
        .await?;
    let mut revoked = (0, 0);
    for id in &authorizations {
        let done = posting_authorization::Entity::update_many()
            .col_expr(posting_authorization::Column::RevokedAt, Expr::value(now))
            .col_expr(posting_authorization::Column::RevokeReason, Expr::value(REASON))
            .filter(posting_authorization::Column::Id.eq(*id))
            .filter(posting_authorization::Column::RevokedAt.is_null())
            .exec(txn)
            .await?;
        if done.rows_affected != 1 {
            continue;
        }
        revoked.0 += 1;
        let hook = json!({ "authorization_id": id, "user_id": user_id, "reason": REASON });
        let key = format!("authorization.revoked:{id}");
        webhooks::enqueue(txn, i.department_id, "authorization.revoked", &key, hook).await?;
        let ev = revocation(i, "authorization.revoked", "Authorization", *id, user_id, REASON);
        audit::append(txn, meta, ev).await?;
    }
    let delegations: Vec<i64> = delegation::Entity::find()
        .select_only()
        .column(delegation::Column::Id)
        .filter(
            Condition::any()
                .add(delegation::Column::FromUserId.eq(user_id))
                .add(delegation::Column::ToUserId.eq(user_id)),
        )
        .filter(delegation::Column::RevokedAt.is_null())
        .filter(delegation::Column::ValidUntil.gt(now))
        .into_tuple()
        .all(txn)
        .await?;
    for id in &delegations {
        let done = delegation::Entity::update_many()
            .col_expr(delegation::Column::RevokedAt, Expr::value(now))
            .filter(delegation::Column::Id.eq(*id))
            .filter(delegation::Column::RevokedAt.is_null())
            .exec(txn)
            .await?;
        if done.rows_affected == 1 {
            revoked.1 += 1;
            let ev = revocation(i, "delegation.revoked", "Delegation", *id, user_id, REASON);
            audit::append(txn, meta, ev).await?;
        }
    }
    let sessions = sessions::end_all(txn, user_id, now).await?;
    let ev = event(i, "user.separated", user_id).detail(json!({
        "integration_token_id": i.token_id,
        "authorizations_revoked": revoked.0,
        "delegations_revoked": revoked.1,
        "sessions_revoked": sessions,
    }));
    audit::append(txn, meta, ev).await?;
    Ok(())
}
