//! `GET /export/{departmentCode}`: the e-discovery export as streamed NDJSON (director or PIO).
//! Query parameters: `from`, `to` (RFC 3339), `platformId`, `userId`, or `holdId` (a hold's
//! scope) — filters and a hold are not combined.

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::ID;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::responses::error;
use crate::auth::{Principal, Role, permissions};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::graphql::ids::{self, Kind};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::records::export::{Export, Request};
use crate::records::holds::{self, Scope};
use crate::service::sessions;
use crate::state::AppState;

/// Query parameters.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    platform_id: Option<String>,
    user_id: Option<String>,
    hold_id: Option<String>,
}

/// Streams the export.
pub async fn export(
    req: HttpRequest,
    path: web::Path<String>,
    params: web::Query<Params>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let Ok(Some(token)) = super::graphql::bearer(&req) else {
        return error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "send a bearer access token",
        );
    };
    let p = match sessions::authenticate(&state, token).await {
        Ok(p) => p,
        Err(e) => return super::graphql::refused_plain(e),
    };
    let meta = RequestMeta {
        request_id: Some(super::request_id::of(&req)),
        client_addr: req.peer_addr().map(|a| a.ip().to_string()),
    };
    match prepare(&state, &p, &path.into_inner(), params.into_inner(), &meta).await {
        Ok(request) => stream(&state, request),
        Err(e) => {
            let status = match e {
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::BadUserInput(_) => StatusCode::BAD_REQUEST,
                AppError::Unavailable { .. } => return super::graphql::refused_plain(e),
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            if let AppError::Internal(inner) = &e {
                tracing::error!(error = format!("{inner:#}"), "export failed to start");
            }
            error(status, e.code(), &e.message())
        }
    }
}

async fn prepare(
    state: &AppState,
    p: &Principal,
    code: &str,
    q: Params,
    meta: &RequestMeta,
) -> AppResult<Request> {
    permissions::require_own_department(p, code)?;
    if p.role == Role::Staff {
        return Err(AppError::Forbidden(
            "exports are for the director and the PIO (IL 01.02.400 II.G.1.e)".into(),
        ));
    }
    let filtered = q.from.is_some() || q.to.is_some() || q.platform_id.is_some() || q.user_id.is_some();
    let scope = match q.hold_id {
        Some(_) if filtered => {
            return Err(AppError::BadUserInput(
                "use either holdId or the filters, not both".into(),
            ));
        }
        Some(h) => Scope::of(&holds::find(&state.db, p, ids::decode(&ID(h), Kind::LegalHold)?).await?),
        None => Scope {
            platform_ids: q
                .platform_id
                .map(|x| ids::decode(&ID(x), Kind::Platform))
                .transpose()?
                .into_iter()
                .collect(),
            user_ids: q
                .user_id
                .map(|x| ids::decode(&ID(x), Kind::User))
                .transpose()?
                .into_iter()
                .collect(),
            from: q.from,
            to: q.to,
        },
    };
    let txn = begin_write(&state.db).await?;
    let ev = NewEvent::department(&p.department_code, p.department_id, "records.exported", Outcome::Success)
        .actor(p.user_id)
        .detail(json!({ "platform_ids": scope.platform_ids, "user_ids": scope.user_ids, "from": scope.from, "to": scope.to }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(Request {
        department_id: p.department_id,
        department_code: p.department_code.clone(),
        scope,
    })
}

fn stream(state: &AppState, request: Request) -> HttpResponse {
    let export = Export::new(state.db.clone(), request);
    let body = futures_util::stream::unfold(Some(export), |state| async move {
        let mut export = state?;
        match export.next_chunk().await {
            Ok(Some(chunk)) => Some((Ok::<Bytes, actix_web::Error>(Bytes::from(chunk)), Some(export))),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = e.describe(), "export stopped");
                Some((
                    Err(actix_web::error::ErrorInternalServerError("export stopped")),
                    None,
                ))
            }
        }
    });
    HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .streaming(body)
}
