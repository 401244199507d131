//! Public comments and moderation: ingest, queue, decisions with reasons, reversals, bulk,
//! appeals, the log, statistics, isolation, and live events over a real WebSocket.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use serde_json::{Value, json};

use crate::fixtures::{active, outcome};
use crate::helpers::{TestApp, code, spawn_app};
use crate::ws_client::Subscriber;

const INGEST: &str = "mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id status verdict findings { rule clause start end } } }";
const MODERATE: &str = "mutation($id: ID!, $a: ModerationAction!, $r: [String!], $n: String, $p: String) { moderateComment(id: $id, action: $a, rules: $r, note: $n, publicReason: $p) { id action rules clauses publicReason note reversesDecisionId moderator { email } } }";

pub(crate) async fn ingest(
    app: &TestApp,
    token: &str,
    platform: &str,
    external: &str,
    handle: &str,
    body: &str,
) -> Value {
    let input = json!({"platformId": platform, "externalId": external, "authorHandle": handle, "body": body});
    app.gql(INGEST, json!({"i": input}), Some(token)).await.1
}

pub(crate) fn id(b: &Value, field: &str) -> String {
    b["data"][field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{field}: {b}"))
        .to_owned()
}

pub(crate) async fn decide(app: &TestApp, token: &str, comment: &str, action: &str, rules: Value) -> Value {
    app.gql(
        MODERATE,
        json!({"id": comment, "a": action, "r": rules, "n": "staff only", "p": null}),
        Some(token),
    )
    .await
    .1
}

#[tokio::test]
async fn ingest_is_idempotent_screened_and_follows_the_profile_on_clean_comments() {
    let app = spawn_app().await;
    let mt = active(&app, "MT-DOC").await;
    let il = active(&app, "IL-DOC").await;
    let mt_pio = app.login("pio@mt-doc.demo").await.access;
    let il_pio = app.login("pio@il-doc.demo").await.access;

    let first = ingest(
        &app,
        &mt_pio,
        &mt,
        "fb-1",
        "@angry",
        "This warden is a f*cking idiot",
    )
    .await;
    let again = ingest(
        &app,
        &mt_pio,
        &mt,
        "fb-1",
        "@angry",
        "a different body the second time",
    )
    .await;
    assert_eq!(
        id(&first, "ingestComment"),
        id(&again, "ingestComment"),
        "idempotent on (platform, externalId)"
    );
    let c = &first["data"]["ingestComment"];
    assert_eq!(c["status"], "PENDING");
    assert_eq!(c["verdict"], "BLOCK");
    let rules: Vec<&str> = c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"OBSCENE"), "{first}");

    let clean_mt = ingest(
        &app,
        &mt_pio,
        &mt,
        "fb-2",
        "@fan",
        "Thank you for the visiting update!",
    )
    .await;
    assert_eq!(
        clean_mt["data"]["ingestComment"]["status"], "PENDING",
        "MT holds everything (MT IV.A.2.c)"
    );
    let clean_il = ingest(
        &app,
        &il_pio,
        &il,
        "fb-2",
        "@fan",
        "Thank you for the family day!",
    )
    .await;
    assert_eq!(
        clean_il["data"]["ingestComment"]["status"], "PUBLISHED",
        "IL monitors after publication"
    );

    let staff = app.login("staff@mt-doc.demo").await.access;
    assert_eq!(
        code(&ingest(&app, &staff, &mt, "fb-3", "@x", "hi").await),
        "FORBIDDEN"
    );
    assert_eq!(
        code(&ingest(&app, &il_pio, &mt, "fb-4", "@x", "hi").await),
        "NOT_FOUND",
        "another department's platform"
    );
}

#[tokio::test]
async fn hiding_needs_a_rule_decisions_reverse_and_nothing_is_erased() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let c = id(
        &ingest(&app, &pio, &platform, "c-1", "@a", "You are a moron, warden").await,
        "ingestComment",
    );

    let b = decide(&app, &pio, &c, "HIDE", json!([])).await;
    assert_eq!(code(&b), "BAD_USER_INPUT");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("MT IV.A.2.c")
    );
    let b = decide(&app, &pio, &c, "HIDE", json!(["PERSONAL_ATTACK"])).await;
    let hide = &b["data"]["moderateComment"];
    assert_eq!(hide["clauses"], json!(["MT IV.A.2.c(1)"]), "{b}");
    assert!(
        hide["publicReason"]
            .as_str()
            .unwrap()
            .contains("personal attack (MT IV.A.2.c(1))")
    );
    let hide_id = hide["id"].as_str().unwrap().to_owned();

    let b = decide(&app, &pio, &c, "PUBLISH", json!([])).await;
    assert_eq!(
        b["data"]["moderateComment"]["reversesDecisionId"],
        hide_id.as_str()
    );
    let q = "query($id: ID!) { node(id: $id) { ... on Comment { status decisions { action note } } } }";
    let (_, v) = app.gql(q, json!({"id": c}), Some(&pio)).await;
    assert_eq!(v["data"]["node"]["status"], "PUBLISHED");
    let actions: Vec<&str> = v["data"]["node"]["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["HIDE", "PUBLISH"], "the full history stays");
    let staff = app.login("staff@mt-doc.demo").await.access;
    assert!(
        app.gql(q, json!({"id": c}), Some(&staff)).await.1["data"]["node"].is_null(),
        "staff notes stay with moderators"
    );
}

#[tokio::test]
async fn one_justification_can_cover_many_comments_each_audited() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(id(
            &ingest(
                &app,
                &pio,
                &platform,
                &format!("spam-{i}"),
                "@spammer",
                "Buy cheap watches at my store",
            )
            .await,
            "ingestComment",
        ));
    }
    let bulk = "mutation($ids: [ID!]!) { moderateComments(ids: $ids, action: REMOVE, rules: [\"ADVERTISING\"]) { id commentId } }";
    let b = app.gql(bulk, json!({"ids": ids}), Some(&pio)).await.1;
    assert_eq!(b["data"]["moderateComments"].as_array().unwrap().len(), 3, "{b}");
    let (_, log) = app
        .gql(
            "{ auditLog(departmentCode: \"MT-DOC\", first: 10) { edges { node { action subjectId } } } }",
            json!({}),
            Some(&pio),
        )
        .await;
    let decided = log["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["action"] == "comment.decided")
        .count();
    assert_eq!(decided, 3);
    let (_, q) = app
        .gql("{ moderationQueue(departmentCode: \"MT-DOC\", status: REMOVED) { edges { node { id priorDecisions { action } } } } }", json!({}), Some(&pio))
        .await;
    let first = &q["data"]["moderationQueue"]["edges"][0]["node"];
    assert_eq!(
        first["priorDecisions"].as_array().unwrap().len(),
        2,
        "the commenter's other decisions on this platform: {q}"
    );
}

#[tokio::test]
async fn an_appeal_is_decided_by_someone_other_than_the_original_moderator() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let director = app.login("director@mt-doc.demo").await.access;
    let c = id(
        &ingest(
            &app,
            &pio,
            &platform,
            "c-9",
            "@b",
            "The warden stole money from the canteen",
        )
        .await,
        "ingestComment",
    );
    decide(&app, &pio, &c, "HIDE", json!(["UNSUPPORTED_ACCUSATION"])).await;
    let file =
        "mutation($c: ID!) { appealDecision(commentId: $c, text: \"I have court records.\") { id status } }";
    let appeal = id(
        &app.gql(file, json!({"c": c}), Some(&pio)).await.1,
        "appealDecision",
    );
    assert_eq!(
        code(&app.gql(file, json!({"c": c}), Some(&pio)).await.1),
        "CONFLICT",
        "one open appeal at a time"
    );
    let decide_q = "mutation($id: ID!, $o: AppealOutcome!) { decideAppeal(id: $id, outcome: $o, note: \"Reviewed\") { status decidedBy { email } } }";
    let b = app
        .gql(decide_q, json!({"id": appeal, "o": "OVERTURN"}), Some(&pio))
        .await
        .1;
    assert_eq!(code(&b), "FORBIDDEN", "not by the original moderator");
    let b = app
        .gql(decide_q, json!({"id": appeal, "o": "OVERTURN"}), Some(&director))
        .await
        .1;
    assert_eq!(b["data"]["decideAppeal"]["status"], "OVERTURNED", "{b}");
    let q = "query($id: ID!) { node(id: $id) { ... on Comment { status decisions { action appealId } appeals { status } } } }";
    let (_, v) = app.gql(q, json!({"id": c}), Some(&director)).await;
    assert_eq!(v["data"]["node"]["status"], "PUBLISHED");
    assert_eq!(v["data"]["node"]["decisions"][1]["appealId"], appeal.as_str());

    let now = chrono::Utc::now();
    let stats = "query($f: DateTime!, $t: DateTime!) { moderationStats(departmentCode: \"MT-DOC\", from: $f, to: $t) { byRule { key count } byAction { key count } byClause { key count } reversals decidedComments medianSecondsToFirstDecision appeals { key count } } }";
    let vars = json!({"f": (now - chrono::Duration::hours(1)).to_rfc3339(), "t": (now + chrono::Duration::hours(1)).to_rfc3339()});
    let (_, s) = app.gql(stats, vars, Some(&pio)).await;
    let s = &s["data"]["moderationStats"];
    assert_eq!(s["reversals"], 1, "{s}");
    assert_eq!(s["decidedComments"], 1);
    assert!(s["medianSecondsToFirstDecision"].as_f64().unwrap() >= 0.0);
    assert_eq!(s["appeals"], json!([{"key": "OVERTURNED", "count": 1}]));
    assert!(
        s["byAction"]
            .as_array()
            .unwrap()
            .contains(&json!({"key": "HIDE", "count": 1}))
    );
    assert!(
        s["byClause"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["key"] == "MT IV.A.2.c(2)")
    );
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("policy_admin_moderation_decisions_total{action=\"HIDE\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("policy_admin_appeals_total 1"));
}

#[tokio::test]
async fn the_queue_is_oldest_first_filtered_and_department_scoped() {
    let app = spawn_app().await;
    let a = active(&app, "MT-DOC").await;
    let b = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    ingest(&app, &pio, &a, "1", "@x", "Nice work").await;
    ingest(&app, &pio, &b, "2", "@y", "Go to hell, you idiot warden").await;
    ingest(&app, &pio, &a, "3", "@z", "Call my cell, my SSN is 219-09-6789").await;
    let q = "query($p: ID, $r: String) { moderationQueue(departmentCode: \"MT-DOC\", platformId: $p, rule: $r) { edges { node { externalId findings { rule } } } } }";
    let (_, all) = app.gql(q, json!({}), Some(&pio)).await;
    let order: Vec<&str> = all["data"]["moderationQueue"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["externalId"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["1", "2", "3"], "oldest first");
    let (_, by_platform) = app.gql(q, json!({"p": a}), Some(&pio)).await;
    assert_eq!(
        by_platform["data"]["moderationQueue"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (_, by_rule) = app.gql(q, json!({"r": "PPI_SSN"}), Some(&pio)).await;
    assert_eq!(
        by_rule["data"]["moderationQueue"]["edges"][0]["node"]["externalId"],
        "3"
    );
    assert!(
        !by_rule.to_string().contains("219-09"),
        "queue findings are masked"
    );

    let il = app.login("pio@il-doc.demo").await.access;
    let (_, other) = app.gql(q, json!({}), Some(&il)).await;
    assert_eq!(code(&other), "NOT_FOUND");
    let staff = app.login("staff@mt-doc.demo").await.access;
    assert_eq!(code(&app.gql(q, json!({}), Some(&staff)).await.1), "FORBIDDEN");
}

const EVENTS: &str = "subscription($d: String!) { moderationEvents(departmentCode: $d) { kind commentId status comment { id status decisions { action } } } }";

#[tokio::test]
async fn moderators_receive_live_events_over_a_websocket() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let il = app.login("pio@il-doc.demo").await.access;
    let mut sub = Subscriber::connect(&app.addr, &pio).await.unwrap();
    sub.subscribe("1", EVENTS, json!({"d": "MT-DOC"})).await;
    let mut other = Subscriber::connect(&app.addr, &il).await.unwrap();
    other.subscribe("1", EVENTS, json!({"d": "IL-DOC"})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let c = id(
        &ingest(&app, &pio, &platform, "live-1", "@l", "Hello there").await,
        "ingestComment",
    );
    let ev = sub.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(ev["type"], "next", "{ev}");
    assert_eq!(
        ev["payload"]["data"]["moderationEvents"]["kind"],
        "COMMENT_INGESTED"
    );
    assert_eq!(ev["payload"]["data"]["moderationEvents"]["commentId"], c.as_str());
    decide(&app, &pio, &c, "PUBLISH", json!([])).await;
    let ev = sub.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(
        ev["payload"]["data"]["moderationEvents"]["kind"],
        "COMMENT_DECIDED"
    );
    assert_eq!(ev["payload"]["data"]["moderationEvents"]["status"], "PUBLISHED");
    let comment = &ev["payload"]["data"]["moderationEvents"]["comment"];
    assert_eq!(
        comment["id"],
        c.as_str(),
        "the comment itself, for a normalised cache: {ev}"
    );
    assert_eq!(comment["status"], "PUBLISHED");
    assert_eq!(comment["decisions"][0]["action"], "PUBLISH", "{ev}");
    assert!(
        other.next(Duration::from_millis(300)).await.is_none(),
        "another department hears nothing"
    );

    assert!(
        Subscriber::connect(&app.addr, "not-a-token").await.is_err(),
        "a bad token is refused"
    );
    let staff = app.login("staff@mt-doc.demo").await.access;
    let mut s = Subscriber::connect(&app.addr, &staff).await.unwrap();
    s.subscribe("1", EVENTS, json!({"d": "MT-DOC"})).await;
    let refused = s.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "staff without a delegation do not moderate: {refused}"
    );

    let mut hostile = Subscriber::connect(&app.addr, &pio).await.unwrap();
    let deep = format!(
        "subscription {{ moderationEvents(departmentCode: {}\"x\"{}) {{ kind }} }}",
        "[".repeat(3000),
        "]".repeat(3000)
    );
    hostile.subscribe("2", &deep, json!({})).await;
    let r = hostile.next(Duration::from_secs(5)).await.unwrap();
    assert!(
        r.to_string().contains("nests deeper"),
        "guards apply on the socket too: {r}"
    );
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn on_postgres_a_decision_on_one_instance_reaches_a_subscriber_on_another() {
    if !std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        eprintln!("skipped: needs TEST_DATABASE_URL=postgres://…");
        return;
    }
    let first = spawn_app().await;
    let second = first.another_instance().await;
    let platform = active(&first, "IL-DOC").await;
    let on_first = first.login("pio@il-doc.demo").await.access;
    let on_second = second.login("pio@il-doc.demo").await.access;
    let mut sub = Subscriber::connect(&first.addr, &on_first).await.unwrap();
    sub.subscribe("1", EVENTS, json!({"d": "IL-DOC"})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let c = ingest(
        &second,
        &on_second,
        &platform,
        "x-1",
        "@m",
        "Go to hell, you idiot",
    )
    .await;
    let c = id(&c, "ingestComment");
    decide(&second, &on_second, &c, "REMOVE", json!(["PERSONAL_ATTACK"])).await;
    let mut kinds = Vec::new();
    while let Some(ev) = sub.next(Duration::from_secs(10)).await {
        kinds.push(
            ev["payload"]["data"]["moderationEvents"]["kind"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
        if kinds.len() == 2 {
            break;
        }
    }
    assert_eq!(kinds, ["COMMENT_INGESTED", "COMMENT_DECIDED"]);
    let _ = outcome;
}

#[tokio::test]
async fn references_come_as_objects_beside_their_ids() {
    let app = spawn_app().await;
    let platform = active(&app, "MT-DOC").await;
    let pio = app.login("pio@mt-doc.demo").await.access;
    let c = id(
        &ingest(
            &app,
            &pio,
            &platform,
            "ref-1",
            "@r",
            "The warden lies about everything",
        )
        .await,
        "ingestComment",
    );
    let d = decide(&app, &pio, &c, "HIDE", json!(["UNSUPPORTED_ACCUSATION"])).await;
    let decision = id(&d, "moderateComment");
    let file = "mutation($c: ID!) { appealDecision(commentId: $c, text: \"Please look again.\") { id decisionId decision { id action comment { id } } comment { id status } } }";
    let b = app.gql(file, json!({"c": c}), Some(&pio)).await.1;
    let appeal = &b["data"]["appealDecision"];
    assert_eq!(appeal["decision"]["id"], appeal["decisionId"], "{b}");
    assert_eq!(appeal["decision"]["id"], decision.as_str());
    assert_eq!(appeal["decision"]["action"], "HIDE");
    assert_eq!(appeal["decision"]["comment"]["id"], c.as_str());
    assert_eq!(appeal["comment"]["status"], "HIDDEN", "{b}");
}
