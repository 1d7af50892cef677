//! `Idempotency-Key` on SQLite and PostgreSQL: a key is bound to the whole request (method,
//! path, query, content type and body), an answer too large to keep is never replayed empty,
//! and a claim passes to another request only once its holder is gone.

use std::sync::Arc;

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};
use serde_json::{Value, json};
use server::services::{IDEMPOTENCY_CLAIM_RENEWAL, KeyClaim, ManualClock, Services};

fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or("<none>")
}

const CSV: &str = "number,customer,currency,issue_date,due_date,description,quantity,unit_price,discount_percent,tax_rate\n\
                   INV-KEY-1,Acme,EUR,2026-03-01,,Chairs,1,100.00,,20\n";

/// Posts `body` to `path` with the key `key`, declared as `content_type`.
async fn post_keyed(
    api: &Api<'_>,
    key: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, Value) {
    let app = api.app;
    api.send(
        app.client
            .post(app.url(&format!("/api/v1{path}")))
            .header("idempotency-key", key)
            .header("content-type", content_type)
            .body(body.to_string()),
    )
    .await
}

on_both_backends! {
    async fn a_key_is_bound_to_the_query_path_and_content_type_too(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        api.customer("Acme", "EUR").await;

        let (status, preview) = post_keyed(&api, "import-1", "/imports?dry_run=true", "text/csv", CSV).await;
        assert_eq!(status, 200, "{preview}");
        assert_eq!(preview["dry_run"], true, "{preview}");
        let (status, replay) = post_keyed(&api, "import-1", "/imports?dry_run=true", "text/csv", CSV).await;
        assert_eq!((status, &replay), (200, &preview), "the same request: the first answer again");

        // The same key and body, but the import for real: never the preview's answer.
        let (status, body) = post_keyed(&api, "import-1", "/imports?dry_run=false", "text/csv", CSV).await;
        assert_eq!((status, code(&body)), (422, "idempotency_key_reused"), "{body}");
        let (_, list) = api.get("/invoices?number=INV-KEY-1").await;
        assert_eq!(list["items"], json!([]), "nothing was imported");

        let (status, body) = post_keyed(&api, "import-1", "/imports?dry_run=true", "text/plain", CSV).await;
        assert_eq!((status, code(&body)), (422, "idempotency_key_reused"), "another content type: {body}");

        let customer = json!({"name": "Globex", "currency": "EUR", "tax_region": "DE",
            "billing_address": {"line1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country": "DE"}}).to_string();
        let (status, body) = post_keyed(&api, "customer-1", "/customers", "application/json", &customer).await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = post_keyed(&api, "customer-1", "/invoices", "application/json", &customer).await;
        assert_eq!((status, code(&body)), (422, "idempotency_key_reused"), "another path: {body}");
    }

    async fn an_answer_too_large_to_keep_is_given_once_and_never_replayed_empty(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;
        let acme = api.customer("Acme", "EUR").await;
        // Just under the 2 MiB request limit; the answer repeats each line with its amounts,
        // which takes it over the 2 MiB an answer may be kept at.
        let line = json!({"description": "x".repeat(1990), "quantity": "1", "unit_price": "1.00", "tax_rate": "0"});
        let invoice = json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01",
            "lines": vec![line; 1000]})
        .to_string();

        let response = app.client.post(app.url("/api/v1/invoices"))
            .bearer_auth(api.token.as_deref().unwrap())
            .header("idempotency-key", "big-1")
            .header("content-type", "application/json")
            .body(invoice.clone())
            .send().await.unwrap();
        assert_eq!(response.status(), 201);
        let text = response.text().await.unwrap();
        assert!(text.len() > 2 * 1024 * 1024, "the answer is larger than what is kept: {} bytes", text.len());
        let first: Value = serde_json::from_str(&text).expect("the first caller gets the whole answer");
        assert_eq!(first["lines"].as_array().unwrap().len(), 1000);

        let (status, retry) = post_keyed(&api, "big-1", "/invoices", "application/json", &invoice).await;
        assert_eq!((status, code(&retry)), (409, "idempotency_answer_too_large"), "{retry}");
        let (_, list) = api.get("/invoices").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "created once");
    }

    async fn a_claim_passes_on_only_once_its_holder_is_gone(db) {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let services = Services::with_clock(db.storage.clone(), clock.clone()).with_printer(common::test_printer());
        let user = common::user(&services, "ann@keys.example", Role::Administrator, None).await;
        let claim = || services.claim_idempotency_key(user.id, "slow-1", "hash");
        let KeyClaim::Run(lease) = claim().await.unwrap() else {
            panic!("a new key is claimed");
        };

        // The holder still runs, however long: it keeps renewing its claim.
        clock.advance(chrono::Duration::minutes(10));
        tokio::time::sleep(IDEMPOTENCY_CLAIM_RENEWAL * 2 + std::time::Duration::from_millis(500)).await;
        let retry = claim().await.unwrap();
        assert!(matches!(retry, KeyClaim::InProgress), "a live holder keeps its key: {retry:?}");

        // The holder is gone (its request dropped, its server stopped): the claim lapses.
        drop(lease);
        clock.advance(chrono::Duration::minutes(2));
        let retry = claim().await.unwrap();
        assert!(matches!(retry, KeyClaim::Run(_)), "an abandoned key is taken over: {retry:?}");
    }
}
