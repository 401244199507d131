//! `GET /graphql/ws`: subscriptions over `graphql-transport-ws`.
//!
//! The access token comes in the `connection_init` payload (`{"Authorization": "Bearer …"}`)
//! and is checked like a bearer token. Every operation on the socket passes the same guards as
//! HTTP requests before the parser sees it.

use std::future::Future;
use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use async_graphql_actix_web::GraphQLSubscription;
use futures_util::StreamExt;

use super::guards;
use crate::graphql::AppSchema;
use crate::graphql::context::RequestCtx;
use crate::graphql::loaders::new_loader;
use crate::records::RequestMeta;
use crate::service::sessions;
use crate::state::AppState;

/// The schema behind the request guards.
#[derive(Clone)]
pub struct GuardedSchema(pub AppSchema);

fn refused(code: &str, message: String) -> Response {
    let mut e = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", code);
    e.extensions = Some(ext);
    Response::from_errors(vec![e])
}

impl Executor for GuardedSchema {
    fn execute(&self, mut request: Request) -> impl Future<Output = Response> + Send {
        let schema = self.0.clone();
        async move {
            match guards::admit(&mut request) {
                Ok(()) => schema.execute(request).await,
                Err((code, msg)) => refused(code, msg),
            }
        }
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        match guards::admit(&mut request) {
            Ok(()) => Executor::execute_stream(&self.0, request, session_data),
            Err((code, msg)) => futures_util::stream::once(async move { refused(code, msg) }).boxed(),
        }
    }
}

/// Upgrades to a subscription socket.
pub async fn ws(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    schema: web::Data<AppSchema>,
) -> actix_web::Result<HttpResponse> {
    let st = state.get_ref().clone();
    let client_addr = req.peer_addr().map(|a| a.ip().to_string());
    GraphQLSubscription::new(GuardedSchema(schema.get_ref().clone()))
        .on_connection_init(move |value| async move { connect(&st, value, client_addr).await })
        .start(&req, payload)
}

async fn connect(
    state: &AppState,
    value: serde_json::Value,
    client_addr: Option<String>,
) -> async_graphql::Result<Data> {
    let raw = ["Authorization", "authorization", "token"]
        .iter()
        .find_map(|k| value.get(*k).and_then(|v| v.as_str()))
        .ok_or_else(|| async_graphql::Error::new("send the access token in the connection_init payload"))?;
    let token = raw
        .strip_prefix("Bearer ")
        .or_else(|| raw.strip_prefix("bearer "))
        .unwrap_or(raw);
    let principal = sessions::authenticate(state, token.trim()).await?;
    let mut data = Data::default();
    data.insert(RequestCtx {
        principal: Some(principal),
        integration: None,
        meta: RequestMeta {
            request_id: Some(format!("ws-{}", uuid::Uuid::new_v4())),
            client_addr,
        },
    });
    data.insert(new_loader(state.db.clone()));
    Ok(data)
}
