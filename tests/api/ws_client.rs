//! A minimal `graphql-transport-ws` client for tests.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A connected, acknowledged subscription socket.
pub struct Subscriber {
    socket: Socket,
}

impl Subscriber {
    /// Connects to `http://…` base address with a token; `Err` with the close reason if refused.
    pub async fn connect(base: &str, token: &str) -> Result<Self, String> {
        Self::connect_from(base, token, None).await
    }

    /// Connects as a browser page of `origin` would.
    pub async fn connect_from(base: &str, token: &str, origin: Option<&str>) -> Result<Self, String> {
        let url = format!("{}/graphql/ws", base.replacen("http", "ws", 1));
        let mut req = url.into_client_request().unwrap();
        req.headers_mut()
            .insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
        if let Some(o) = origin {
            req.headers_mut().insert("origin", o.parse().unwrap());
        }
        let (mut socket, _) = tokio_tungstenite::connect_async(req)
            .await
            .map_err(|e| e.to_string())?;
        let init =
            json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
        socket.send(Message::text(init.to_string())).await.unwrap();
        match next_json(&mut socket, Duration::from_secs(10)).await {
            Some(v) if v["type"] == "connection_ack" => Ok(Self { socket }),
            other => Err(format!("not acknowledged: {other:?}")),
        }
    }

    /// Starts a subscription.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let msg = json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}});
        self.socket.send(Message::text(msg.to_string())).await.unwrap();
    }

    /// Sends a raw protocol message.
    pub async fn send(&mut self, msg: Value) {
        self.socket.send(Message::text(msg.to_string())).await.unwrap();
    }

    /// Waits up to `wait` for the socket to close; its close code, skipping other messages.
    pub async fn close_code(&mut self, wait: Duration) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.checked_duration_since(tokio::time::Instant::now())?;
            let v = next_json(&mut self.socket, left).await?;
            if v["type"] == "close" {
                return v["code"].as_u64().map(|c| c as u16);
            }
        }
    }

    /// The next message, or `None` after `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<Value> {
        next_json(&mut self.socket, wait).await
    }
}

async fn next_json(socket: &mut Socket, wait: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.checked_duration_since(tokio::time::Instant::now())?;
        match tokio::time::timeout(left, socket.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["type"] == "ping" {
                    continue;
                }
                return Some(v);
            }
            Ok(Some(Ok(Message::Close(frame)))) => {
                let code = frame.as_ref().map(|f| u16::from(f.code));
                return Some(
                    json!({"type": "close", "code": code, "reason": frame.map(|f| f.reason.to_string())}),
                );
            }
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}
