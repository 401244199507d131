//! `GET /graphql/ws`: subscriptions over `graphql-transport-ws`.
//!
//! A browser may open the socket only from an allowed origin (its own, or one named in
//! `POLICY_ADMIN_CORS_ORIGINS`). The access token comes in the `connection_init` payload
//! (`{"Authorization": "Bearer …"}`); a bad one closes the socket with 4401. The session is
//! checked again before every operation and before every event is delivered: once it has
//! ended (logout, separation, deletion) or the token has expired the socket closes with 4401,
//! at the token's expiry at the latest; when the user's role or department changed, with 4403.
//! Every operation passes the same guards as HTTP requests before the parser sees it.

use std::sync::{Arc, OnceLock};

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use chrono::Utc;
use futures_util::{FutureExt, StreamExt};

use super::cors::Origins;
use super::graphql::selected_operation;
use super::guards;
use super::responses::error;
use super::socket::{self, CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED, SocketControl};
use crate::auth::Principal;
use crate::error::AppError;
use crate::graphql::AppSchema;
use crate::graphql::context::RequestCtx;
use crate::graphql::loaders::new_loader;
use crate::records::RequestMeta;
use crate::service::sessions;
use crate::state::AppState;

/// RFC 6455 "try again later": the database could not be reached to check the session.
const CLOSE_TRY_AGAIN: u16 = 1013;

/// Who the socket was opened for, set once by `connection_init`.
struct Live {
    token: String,
    principal: Principal,
    expires_at: i64,
}

/// One socket's schema: the request guards and the session check in front of the schema.
#[derive(Clone)]
pub struct GuardedSchema {
    schema: AppSchema,
    state: AppState,
    live: Arc<OnceLock<Live>>,
    control: Arc<SocketControl>,
}

fn refused(code: &str, message: String) -> Response {
    let mut e = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", code);
    e.extensions = Some(ext);
    Response::from_errors(vec![e])
}

impl GuardedSchema {
    /// Whether the socket's session still stands as it was opened; closes the socket when not.
    async fn still_live(&self) -> bool {
        let Some(live) = self.live.get() else {
            self.control
                .close(CLOSE_UNAUTHORIZED, "send connection_init first");
            return false;
        };
        if Utc::now().timestamp() >= live.expires_at {
            self.control.close(CLOSE_UNAUTHORIZED, "the access token expired");
            return false;
        }
        match sessions::authenticate(&self.state, &live.token).await {
            Ok(p) if p.role == live.principal.role && p.department_id == live.principal.department_id => true,
            Ok(_) => {
                self.control
                    .close(CLOSE_FORBIDDEN, "the user's role changed; sign in again");
                false
            }
            Err(AppError::Unavailable { .. }) => {
                self.control
                    .close(CLOSE_TRY_AGAIN, "the database is unavailable; reconnect shortly");
                false
            }
            Err(e) => {
                self.control.close(CLOSE_UNAUTHORIZED, &e.message());
                false
            }
        }
    }
}

impl GuardedSchema {
    /// Persisted and trusted documents first, then the guards every request passes.
    fn admit(&self, request: &mut Request) -> Result<(), (&'static str, String)> {
        self.state.documents.resolve(request)?;
        guards::admit(request)
    }
}

impl Executor for GuardedSchema {
    async fn execute(&self, mut request: Request) -> Response {
        if let Err((code, msg)) = self.admit(&mut request) {
            return refused(code, msg);
        }
        if !self.still_live().await {
            return refused("UNAUTHENTICATED", "the session ended".into());
        }
        self.schema.execute(request).await
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        if let Err((code, msg)) = self.admit(&mut request) {
            return futures_util::stream::once(async move { refused(code, msg) }).boxed();
        }
        let name = request.operation_name.clone();
        let subscription = request
            .parsed_query()
            .ok()
            .and_then(|doc| selected_operation(doc, name.as_deref()))
            == Some(OperationType::Subscription);
        let this = self.clone();
        // When the session no longer stands nothing more is delivered: the stream waits while
        // the socket closes with the code `still_live` chose (a `complete` would come first).
        let start = async move {
            if !this.still_live().await {
                return futures_util::stream::pending().boxed();
            }
            let responses = Executor::execute_stream(&this.schema, request, session_data);
            if !subscription {
                return responses;
            }
            responses
                .then(move |r| {
                    let this = this.clone();
                    async move {
                        if this.still_live().await {
                            r
                        } else {
                            std::future::pending().await
                        }
                    }
                })
                .boxed()
        };
        start.into_stream().flatten().boxed()
    }
}

/// Whether a browser page from `origin` may open a socket: its own origin, or a listed one.
/// Clients that send no `Origin` (not browsers) are not limited by it.
fn origin_allowed(req: &HttpRequest, allowed: &Origins) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    origin
        .to_str()
        .is_ok_and(|o| allowed.allows(o, Some(req.connection_info().host())))
}

/// Upgrades to a subscription socket.
pub async fn ws(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    schema: web::Data<AppSchema>,
) -> actix_web::Result<HttpResponse> {
    if !origin_allowed(&req, &state.config.cors_origins) {
        return Ok(error(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "this origin may not open a socket (POLICY_ADMIN_CORS_ORIGINS)",
        ));
    }
    let st = state.get_ref().clone();
    let control = Arc::new(SocketControl::default());
    let guarded = GuardedSchema {
        schema: schema.get_ref().clone(),
        state: st.clone(),
        live: Arc::default(),
        control: control.clone(),
    };
    let client_addr = req.peer_addr().map(|a| a.ip().to_string());
    let (live, init_control) = (guarded.live.clone(), control.clone());
    let on_init: socket::OnInit = Box::new(move |value| {
        async move {
            let r = connect(&st, value, client_addr, &live, &init_control).await;
            if let Err(e) = &r {
                init_control.close(CLOSE_UNAUTHORIZED, &e.message);
            }
            r
        }
        .boxed()
    });
    socket::start(&req, payload, guarded, on_init, control, &state.sockets)
}

async fn connect(
    state: &AppState,
    value: serde_json::Value,
    client_addr: Option<String>,
    live: &OnceLock<Live>,
    control: &Arc<SocketControl>,
) -> async_graphql::Result<Data> {
    let raw = ["Authorization", "authorization", "token"]
        .iter()
        .find_map(|k| value.get(*k).and_then(|v| v.as_str()))
        .ok_or_else(|| async_graphql::Error::new("send the access token in the connection_init payload"))?;
    let token = raw
        .strip_prefix("Bearer ")
        .or_else(|| raw.strip_prefix("bearer "))
        .unwrap_or(raw)
        .trim();
    let principal = sessions::authenticate(state, token).await?;
    let expires_at = state
        .jwt
        .verify(token)
        .map(|c| c.exp)
        .ok_or_else(|| async_graphql::Error::new("invalid or expired access token"))?;
    let mut data = Data::default();
    data.insert(RequestCtx {
        principal: Some(principal.clone()),
        integration: None,
        meta: RequestMeta {
            request_id: Some(format!("ws-{}", uuid::Uuid::new_v4())),
            client_addr,
        },
    });
    // One loader serves the whole connection: it batches, but must not cache, or a later
    // event or operation on the socket would see what an earlier one loaded.
    let loader = new_loader(state.db.clone());
    loader.enable_all_cache(false);
    data.insert(loader);
    let _ = live.set(Live {
        token: token.to_owned(),
        principal,
        expires_at,
    });
    // Closed at the token's expiry at the latest, even when nothing else happens.
    let control = control.clone();
    let left = (expires_at - Utc::now().timestamp()).max(0) as u64;
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(left)).await;
        control.close(CLOSE_UNAUTHORIZED, "the access token expired");
    });
    Ok(data)
}
