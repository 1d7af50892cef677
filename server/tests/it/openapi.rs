//! The OpenAPI document is generated from the code and must describe the contract's API.

use crate::common;

use common::TestApp;
use serde_json::Value;

/// Every endpoint the contract names, as `METHOD /path`.
const CONTRACT: &[&str] = &[
    "POST /auth/token",
    "POST /users",
    "POST /customers",
    "GET /customers",
    "GET /customers/{id}",
    "GET /customers/{id}/credit-notes",
    "POST /invoices",
    "GET /invoices",
    "GET /invoices/{id}",
    "PATCH /invoices/{id}",
    "POST /invoices/{id}/payments",
    "POST /invoices/{id}/mark-paid",
    "POST /invoices/{id}/mark-pending",
    "POST /invoices/{id}/cancel",
    "DELETE /invoices/{id}",
    "GET /invoices/{id}/timeline",
    "GET /invoices/{id}/linkable-credit-notes",
    "POST /invoices/{id}/allocations",
    "DELETE /invoices/{id}/allocations/{allocation_id}",
    "POST /credit-notes",
    "GET /credit-notes",
    "GET /credit-notes/{id}",
    "PATCH /credit-notes/{id}",
    "POST /credit-notes/{id}/submit",
    "POST /credit-notes/{id}/finalize",
    "POST /credit-notes/{id}/comments",
    "POST /credit-notes/{id}/cancel",
    "DELETE /credit-notes/{id}",
    "POST /credit-notes/{id}/refunds",
];

fn operations(doc: &Value) -> Vec<String> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            operations.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    operations.sort();
    operations
}

on_both_backends! {
    async fn the_served_document_covers_the_contract(db) {
        let app = TestApp::spawn(db).await;
        let response = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let doc: Value = response.json().await.unwrap();
        let operations = operations(&doc);
        for endpoint in CONTRACT {
            assert!(operations.iter().any(|op| op == endpoint), "{endpoint} is missing from the OpenAPI document");
        }
        let money = &doc["components"]["schemas"]["InvoiceResource"];
        assert!(money.to_string().contains("outstanding"), "{money}");
        let docs = app.client.get(app.url("/api/v1/docs/")).send().await.unwrap();
        assert_eq!(docs.status(), 200);
        assert!(docs.text().await.unwrap().contains("swagger"), "the docs page is served");
    }
}

#[test]
fn the_document_is_stable() {
    let doc =
        serde_json::to_value(<server::api::openapi::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    insta::assert_json_snapshot!("operations", operations(&doc));
    insta::assert_json_snapshot!("schemas", doc["components"]["schemas"]);
}

#[test]
fn every_rule_code_is_documented() {
    let doc =
        serde_json::to_value(<server::api::openapi::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    let codes: Vec<&str> = doc["components"]["schemas"]["ProblemCode"]["enum"]
        .as_array()
        .expect("ProblemCode lists the codes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for rule in app::domain::RuleCode::ALL {
        assert!(
            codes.contains(&rule.as_str()),
            "{} is not documented",
            rule.as_str()
        );
    }
    assert_eq!(
        doc["components"]["schemas"]["ProblemDetails"]["properties"]["code"]["$ref"],
        "#/components/schemas/ProblemCode"
    );
}
