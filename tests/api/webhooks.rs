//! Signed webhooks through the outbox, against a real local receiver.

#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

use crate::fixtures::my_id;
use crate::helpers::{TestApp, code, spawn_app, spawn_app_with};

/// One received request: its `x-` headers and its body.
type Hit = (Vec<(String, String)>, String);

/// A receiver that records what it gets and fails while `failing` is above zero.
#[derive(Clone, Default)]
struct Receiver {
    hits: Arc<Mutex<Vec<Hit>>>,
    failing: Arc<AtomicUsize>,
}

async fn hook(req: HttpRequest, body: web::Bytes, r: web::Data<Receiver>) -> HttpResponse {
    if r.failing.load(Ordering::SeqCst) > 0 {
        r.failing.fetch_sub(1, Ordering::SeqCst);
        return HttpResponse::InternalServerError().finish();
    }
    let headers = req
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str().starts_with("x-"))
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    r.hits
        .lock()
        .unwrap()
        .push((headers, String::from_utf8_lossy(&body).into_owned()));
    HttpResponse::Ok().finish()
}

async fn start_receiver(failing: usize) -> (String, Receiver) {
    let r = Receiver::default();
    r.failing.store(failing, Ordering::SeqCst);
    let data = web::Data::new(r.clone());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/hook", web::post().to(hook))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (format!("http://127.0.0.1:{port}/hook"), r)
}

const SECRET: &str = "a-shared-secret-of-32-bytes-long";

async fn register(app: &TestApp, url: &str, events: &[&str]) -> Value {
    let director = app.login("director@mt-doc.demo").await.access;
    let q = "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id url events } }";
    app.gql(
        q,
        json!({"i": {"url": url, "events": events, "secret": SECRET}}),
        Some(&director),
    )
    .await
    .1
}

async fn record_violation(app: &TestApp) -> String {
    let pio = app.login("pio@mt-doc.demo").await.access;
    let staff = app.login("staff@mt-doc.demo").await.access;
    let q = "mutation($i: RecordViolationInput!) { recordViolation(input: $i) { id } }";
    let input = json!({"userId": my_id(app, &staff).await, "ruleCodes": ["OBSCENE"], "subject": "s", "description": "d"});
    let (_, b) = app.gql(q, json!({"i": input}), Some(&pio)).await;
    b["data"]["recordViolation"]["id"].as_str().unwrap().to_owned()
}

async fn wait_for(r: &Receiver, n: usize) -> bool {
    for _ in 0..60 {
        if r.hits.lock().unwrap().len() >= n {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}

#[tokio::test]
async fn deliveries_are_signed_and_retried_after_a_failure() {
    let app = spawn_app().await;
    let (url, receiver) = start_receiver(1).await;
    let b = register(&app, &url, &["violation.recorded"]).await;
    assert_eq!(b["data"]["createWebhook"]["url"], url.as_str(), "{b}");
    record_violation(&app).await;
    assert!(wait_for(&receiver, 1).await, "delivered after a retry");
    let (headers, body) = receiver.hits.lock().unwrap()[0].clone();
    let h = |k: &str| {
        headers
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    let ts: i64 = h("x-timestamp").parse().unwrap();
    assert_eq!(
        h("x-signature"),
        policy_admin::records::webhooks::sign(SECRET, ts, body.as_bytes()),
        "signature"
    );
    let payload: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(payload["event"], "violation.recorded");
    assert!(payload["data"]["violation_id"].is_number());

    let director = app.login("director@mt-doc.demo").await.access;
    let (_, w) = app
        .gql(
            "{ webhooks(departmentCode: \"MT-DOC\") { deliveries { event status attempts lastStatus } } }",
            json!({}),
            Some(&director),
        )
        .await;
    let d = &w["data"]["webhooks"][0]["deliveries"][0];
    assert_eq!(d["status"], "DELIVERED", "{w}");
    assert_eq!(d["attempts"], 2, "one failure, then success");
}

#[tokio::test]
async fn only_https_receivers_and_only_directors() {
    let app = spawn_app_with(|c| c.webhook_allow_http_loopback = false).await;
    let b = register(&app, "http://127.0.0.1:9/hook", &["post.published"]).await;
    assert_eq!(code(&b), "BAD_USER_INPUT");
    let b = register(&app, "https://hr.example.org/hook", &["no.such.event"]).await;
    assert_eq!(code(&b), "BAD_USER_INPUT");
    let pio = app.login("pio@mt-doc.demo").await.access;
    let q = "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id } }";
    let (_, b) = app.gql(q, json!({"i": {"url": "https://hr.example.org/hook", "events": ["post.published"], "secret": SECRET}}), Some(&pio)).await;
    assert_eq!(code(&b), "FORBIDDEN");
}

#[tokio::test]
async fn a_pending_delivery_survives_and_another_instance_delivers_it() {
    let app = spawn_app().await;
    let (url, receiver) = start_receiver(usize::MAX).await;
    register(&app, &url, &["violation.recorded"]).await;
    record_violation(&app).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(receiver.hits.lock().unwrap().is_empty(), "the receiver is down");
    let url_db = app.database_url.clone();
    let _second = spawn_app_with(|c| {
        c.database_url = url_db.clone();
        c.demo = false;
    })
    .await;
    receiver.failing.store(0, Ordering::SeqCst);
    assert!(
        wait_for(&receiver, 1).await,
        "the stored delivery goes out once the receiver is back"
    );
    let ids: Vec<String> = receiver
        .hits
        .lock()
        .unwrap()
        .iter()
        .map(|(h, _)| h.iter().find(|(k, _)| k == "x-delivery-id").unwrap().1.clone())
        .collect();
    assert!(
        ids.iter().all(|i| i == &ids[0]),
        "repeats carry the same idempotency key"
    );
}

#[tokio::test]
async fn webhooks_and_deliveries_are_nodes_for_the_director_only() {
    let app = spawn_app().await;
    let (url, receiver) = start_receiver(0).await;
    let b = register(&app, &url, &["violation.recorded"]).await;
    let hook = b["data"]["createWebhook"]["id"].as_str().unwrap().to_owned();
    record_violation(&app).await;
    assert!(wait_for(&receiver, 1).await);
    let director = app.login("director@mt-doc.demo").await.access;
    let q = "{ webhooks(departmentCode: \"MT-DOC\") { id webhookId deliveries { id deliveryId status } } }";
    let (_, b) = app.gql(q, json!({}), Some(&director)).await;
    let w = &b["data"]["webhooks"][0];
    assert_eq!(w["id"], hook.as_str(), "{b}");
    assert!(w["webhookId"].is_i64(), "the old number stays one version: {b}");
    let delivery = w["deliveries"][0]["id"].as_str().unwrap().to_owned();
    let node = "query($id: ID!) { node(id: $id) { __typename id ... on Webhook { url } ... on WebhookDelivery { status } } }";
    let (_, b) = app.gql(node, json!({"id": hook}), Some(&director)).await;
    assert_eq!(b["data"]["node"]["__typename"], "Webhook", "{b}");
    assert_eq!(b["data"]["node"]["url"], url.as_str());
    let (_, b) = app.gql(node, json!({"id": delivery}), Some(&director)).await;
    assert_eq!(b["data"]["node"]["__typename"], "WebhookDelivery", "{b}");
    let pio = app.login("pio@mt-doc.demo").await.access;
    let (_, b) = app.gql(node, json!({"id": hook}), Some(&pio)).await;
    assert!(b["data"]["node"].is_null(), "webhooks are the director's: {b}");
    let il = app.login("director@il-doc.demo").await.access;
    let (_, b) = app.gql(node, json!({"id": delivery}), Some(&il)).await;
    assert!(b["data"]["node"].is_null(), "another department's: {b}");
}
