//! The WebSocket actor behind `/graphql/ws`: carries `graphql-transport-ws` messages between
//! the socket and async-graphql, and closes the socket with the code a [`SocketControl`] was
//! given (4401 when the session ended, 4403 when the user may no longer act, 1001 when the
//! server shuts down), which async-graphql's own actor cannot do.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix::{
    Actor, ActorContext, ActorFutureExt, ActorStreamExt, AsyncContext, ContextFutureSpawner, StreamHandler,
    WrapFuture, WrapStream,
};
use actix_http::ws::Item;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use actix_web_actors::ws::{self, CloseReason, Message, ProtocolError, WebsocketContext};
use async_graphql::futures_util::future::BoxFuture;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocket, WebSocketProtocols, WsMessage};
use async_graphql::{Data, Executor};
use futures_util::Stream;
use tokio::sync::{Notify, watch};

/// How often the server pings, and how long a silent client is kept.
const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(5);
const CLIENT_TIMEOUT: Duration = Duration::from_secs(15);

/// The close code for an ended or expired session (graphql-transport-ws: Unauthorized).
pub const CLOSE_UNAUTHORIZED: u16 = 4401;
/// The close code for a user who may no longer act on the socket (Forbidden).
pub const CLOSE_FORBIDDEN: u16 = 4403;
/// The close code when the server goes away (RFC 6455: going away).
pub const CLOSE_GOING_AWAY: u16 = 1001;

/// Lets any part of the server close one socket with a code and reason.
#[derive(Default)]
pub struct SocketControl {
    reason: Mutex<Option<(u16, String)>>,
    notify: Notify,
}

impl SocketControl {
    /// Asks the socket to close; the first reason given wins.
    pub fn close(&self, code: u16, reason: &str) {
        if let Ok(mut r) = self.reason.lock() {
            r.get_or_insert_with(|| (code, reason.to_owned()));
        }
        self.notify.notify_one();
    }

    /// The reason given, if any.
    pub fn reason(&self) -> Option<(u16, String)> {
        self.reason.lock().ok().and_then(|r| r.clone())
    }

    /// Whether the socket was asked to close.
    pub fn is_closing(&self) -> bool {
        self.reason().is_some()
    }

    async fn closed(self: Arc<Self>) -> (u16, String) {
        loop {
            if let Some(r) = self.reason() {
                return r;
            }
            self.notify.notified().await;
        }
    }
}

/// Tells every open socket that the server is shutting down.
#[derive(Clone)]
pub struct Shutdown(Arc<watch::Sender<bool>>);

impl Default for Shutdown {
    fn default() -> Self {
        Self(Arc::new(watch::channel(false).0))
    }
}

impl Shutdown {
    /// Closes every open socket with 1001.
    pub fn begin(&self) {
        self.0.send_replace(true);
    }

    async fn wait(mut rx: watch::Receiver<bool>) {
        // An error means the sender is gone: the server is going away too.
        let _ = rx.wait_for(|down| *down).await;
    }
}

/// The connection-init callback: the `connection_init` payload to the socket's data.
pub type OnInit =
    Box<dyn FnOnce(serde_json::Value) -> BoxFuture<'static, async_graphql::Result<Data>> + Send + Unpin>;

/// Starts the socket: negotiates the subprotocol and runs the actor.
pub fn start<E, S>(
    req: &HttpRequest,
    payload: S,
    executor: E,
    on_init: OnInit,
    control: Arc<SocketControl>,
    shutdown: &Shutdown,
) -> actix_web::Result<HttpResponse>
where
    E: Executor,
    S: Stream<Item = Result<Bytes, actix_web::error::PayloadError>> + 'static,
{
    let protocol = req
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|list| {
            list.split(',')
                .find_map(|p| p.trim().parse::<WebSocketProtocols>().ok())
        })
        .ok_or_else(|| actix_web::error::ErrorBadRequest("use the graphql-transport-ws subprotocol"))?;
    let actor = SocketActor {
        executor: Some(executor),
        on_init: Some(on_init),
        protocol,
        control,
        shutdown: shutdown.0.subscribe(),
        last_heartbeat: Instant::now(),
        messages: None,
        continuation: Vec::new(),
    };
    ws::WsResponseBuilder::new(actor, req, payload)
        .protocols(&ALL_WEBSOCKET_PROTOCOLS)
        .start()
}

struct SocketActor<E> {
    executor: Option<E>,
    on_init: Option<OnInit>,
    protocol: WebSocketProtocols,
    control: Arc<SocketControl>,
    shutdown: watch::Receiver<bool>,
    last_heartbeat: Instant,
    messages: Option<async_channel::Sender<Vec<u8>>>,
    continuation: Vec<u8>,
}

impl<E> SocketActor<E> {
    fn close(ctx: &mut WebsocketContext<Self>, code: u16, reason: String)
    where
        E: Executor,
    {
        ctx.close(Some(CloseReason {
            code: code.into(),
            description: Some(reason),
        }));
        ctx.stop();
    }
}

impl<E: Executor> Actor for SocketActor<E> {
    type Context = WebsocketContext<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(HEARTBEAT_INTERVAL, |act, ctx| {
            if act.last_heartbeat.elapsed() > CLIENT_TIMEOUT {
                ctx.stop();
            }
            ctx.ping(b"");
        });
        let (tx, rx) = async_channel::unbounded();
        self.messages = Some(tx);
        let (Some(executor), Some(on_init)) = (self.executor.take(), self.on_init.take()) else {
            ctx.stop();
            return;
        };
        let control = self.control.clone();
        WebSocket::new(executor, rx, self.protocol)
            .on_connection_init(on_init)
            .into_actor(self)
            .map(move |message, _act, ctx| match message {
                WsMessage::Text(text) => ctx.text(text),
                // A refused `connection_init` closes with the code the refusal chose.
                WsMessage::Close(code, msg) => {
                    let (code, msg) = control.reason().unwrap_or((code, msg));
                    Self::close(ctx, code, msg);
                }
            })
            .finish()
            .spawn(ctx);
        self.control
            .clone()
            .closed()
            .into_actor(self)
            .map(|(code, reason), _act, ctx| Self::close(ctx, code, reason))
            .spawn(ctx);
        Shutdown::wait(self.shutdown.clone())
            .into_actor(self)
            .map(|(), _act, ctx| {
                Self::close(ctx, CLOSE_GOING_AWAY, "server shutting down".into());
            })
            .spawn(ctx);
    }
}

impl<E: Executor> StreamHandler<Result<Message, ProtocolError>> for SocketActor<E> {
    fn handle(&mut self, msg: Result<Message, ProtocolError>, ctx: &mut Self::Context) {
        let Ok(msg) = msg else {
            ctx.stop();
            return;
        };
        let message = match msg {
            Message::Ping(m) => {
                self.last_heartbeat = Instant::now();
                ctx.pong(&m);
                None
            }
            Message::Pong(_) => {
                self.last_heartbeat = Instant::now();
                None
            }
            Message::Continuation(item) => match item {
                Item::FirstText(b) | Item::FirstBinary(b) => {
                    self.continuation = b.to_vec();
                    None
                }
                Item::Continue(b) => {
                    self.continuation.extend_from_slice(&b);
                    None
                }
                Item::Last(b) => {
                    self.continuation.extend_from_slice(&b);
                    Some(std::mem::take(&mut self.continuation))
                }
            },
            Message::Text(s) => Some(s.into_bytes().to_vec()),
            Message::Binary(b) => Some(b.to_vec()),
            Message::Close(_) => {
                ctx.stop();
                None
            }
            Message::Nop => None,
        };
        if self.control.is_closing() {
            return;
        }
        if let (Some(message), Some(sender)) = (message, self.messages.clone()) {
            async move { sender.send(message).await }
                .into_actor(self)
                .map(|res, _act, ctx| {
                    if res.is_err() {
                        ctx.stop();
                    }
                })
                .spawn(ctx);
        }
    }
}
