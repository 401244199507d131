//! Webhooks reach https receivers (TLS with the system roots and `SSL_CERT_FILE`), and never
//! receivers on private, link-local or metadata addresses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::helpers::{LOGIN, PASSWORD, code, fresh_database, spawn_app};

/// A test CA (its PEM) and a certificate for `localhost` signed by it.
fn certificates() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "policy-admin test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca_cert, &ca_key)
        .unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    (ca_cert.pem(), leaf.der().clone(), key)
}

/// An https receiver on localhost: each request's head and body go to the channel; 200.
async fn https_receiver(
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> (u16, mpsc::Receiver<String>) {
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, tx) = (acceptor.clone(), tx.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = tls.read(&mut chunk).await else { return };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).into_owned();
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let length = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if body.len() >= length {
                            let _ = tls
                                .write_all(
                                    b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                                )
                                .await;
                            let _ = tls.shutdown().await;
                            let _ = tx.send(text).await;
                            return;
                        }
                    }
                }
            });
        }
    });
    (port, rx)
}

async fn gql(client: &reqwest::Client, addr: &str, q: &str, v: Value, token: Option<&str>) -> Value {
    let mut req = client
        .post(format!("{addr}/graphql"))
        .json(&json!({"query": q, "variables": v}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn deliveries_reach_an_https_receiver_trusted_through_ssl_cert_file() {
    let (ca_pem, cert, key) = certificates();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let (port, mut received) = https_receiver(cert, key).await;

    let (url, _db_dir) = fresh_database().await;
    let (mut child, addr) = crate::helpers::serve_process(
        &url,
        &[
            ("POLICY_ADMIN_WEBHOOK_ALLOW_HTTP_LOOPBACK", "true"),
            ("SSL_CERT_FILE", ca_file.to_str().unwrap()),
        ],
    );
    let client = reqwest::Client::new();
    let login = |email: &'static str| {
        let (client, addr) = (client.clone(), addr.clone());
        async move {
            let b = gql(
                &client,
                &addr,
                LOGIN,
                json!({"email": email, "password": PASSWORD}),
                None,
            )
            .await;
            b["data"]["login"]["accessToken"].as_str().unwrap().to_owned()
        }
    };
    let director = login("director@mt-doc.demo").await;
    let staff = login("staff@mt-doc.demo").await;
    let b = gql(&client, &addr, "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id } }",
        json!({"i": {"url": format!("https://localhost:{port}/hook"), "events": ["violation.recorded"], "secret": "0123456789abcdef"}}),
        Some(&director)).await;
    assert!(!b["data"]["createWebhook"]["id"].is_null(), "{b}");
    let me = gql(&client, &addr, "{ me { id } }", json!({}), Some(&staff)).await;
    let staff_id = me["data"]["me"]["id"].as_str().unwrap().to_owned();
    let b = gql(&client, &addr, "mutation($i: RecordViolationInput!) { recordViolation(input: $i) { id } }",
        json!({"i": {"userId": staff_id, "ruleCodes": ["OBSCENE"], "subject": "Post", "description": "Profanity in a post"}}),
        Some(&director)).await;
    assert!(b["data"]["recordViolation"]["id"].is_string(), "{b}");

    let request = tokio::time::timeout(Duration::from_secs(20), received.recv())
        .await
        .expect("delivered over https within 20 s")
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(request.starts_with("POST /hook "), "{request}");
    let lower = request.to_ascii_lowercase();
    assert!(lower.contains("x-signature: sha256="), "{request}");
    assert!(lower.contains("x-event: violation.recorded"), "{request}");
}

#[tokio::test]
async fn receivers_on_private_or_metadata_addresses_are_refused() {
    let app = spawn_app().await;
    let director = app.login("director@mt-doc.demo").await.access;
    let q = "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id } }";
    let long = format!("https://93.184.215.14/{}", "a".repeat(2_100));
    for url in [
        "https://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://[fd00:ec2::254]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "http://93.184.215.14/hook",
        long.as_str(),
    ] {
        let (_, b) = app
            .gql(
                q,
                json!({"i": {"url": url, "events": ["violation.recorded"], "secret": "0123456789abcdef"}}),
                Some(&director),
            )
            .await;
        assert_eq!(code(&b), "BAD_USER_INPUT", "{url}: {b}");
    }
}
