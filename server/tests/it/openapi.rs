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
    // Generated clients name their functions after these: a rename breaks them.
    let ids: std::collections::BTreeMap<_, _> = each_operation(&doc)
        .into_iter()
        .map(|(endpoint, operation)| (endpoint, &operation["operationId"]))
        .collect();
    insta::assert_json_snapshot!("operation_ids", ids);
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

/// Every operation as `METHOD /path` and its object.
fn each_operation(doc: &Value) -> Vec<(String, &Value)> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            operations.push((format!("{} {path}", method.to_uppercase()), operation));
        }
    }
    operations
}

/// Client generators name their functions after operationIds: a clash drops or renames
/// operations.
#[test]
fn every_operation_has_its_own_operation_id() {
    let doc =
        serde_json::to_value(<server::api::openapi::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    let mut ids = std::collections::BTreeMap::new();
    for (endpoint, operation) in each_operation(&doc) {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{endpoint} has no operationId"));
        assert!(
            id.contains('_') && id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{endpoint}: {id} is not verb_noun in snake_case"
        );
        if let Some(other) = ids.insert(id, endpoint.clone()) {
            panic!("{id} names both {other} and {endpoint}");
        }
    }
}

/// Media types whose bodies are files: a client reads or sends them as bytes.
const FILE_TYPES: &[&str] = &[
    "application/pdf",
    "application/xml",
    "application/octet-stream",
    "multipart/form-data",
    "text/csv",
];

/// The schema a `$ref` points to, or the schema itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

fn is_binary(schema: &Value) -> bool {
    schema["type"] == "string" && schema["format"] == "binary"
}

/// Files are `type: string, format: binary`, which generators turn into files or bytes; an
/// array of integers, or no schema at all, makes them leave the operation out.
#[test]
fn every_file_is_a_binary_string() {
    let doc =
        serde_json::to_value(<server::api::openapi::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    let mut files = 0;
    for (endpoint, operation) in each_operation(&doc) {
        let request = operation["requestBody"]["content"].as_object();
        let responses = operation["responses"].as_object().expect("responses");
        let answers = responses
            .values()
            .filter_map(|response| response["content"].as_object());
        for content in request.into_iter().chain(answers) {
            for (media_type, body) in content {
                if !FILE_TYPES.contains(&media_type.as_str()) && !media_type.starts_with("image/") {
                    continue;
                }
                files += 1;
                let schema = resolve(&doc, &body["schema"]);
                if media_type == "multipart/form-data" {
                    let file = &schema["properties"]["file"];
                    assert!(
                        is_binary(file),
                        "{endpoint} {media_type}: the field `file` is {file}"
                    );
                } else {
                    assert!(is_binary(schema), "{endpoint} {media_type}: {schema}");
                }
            }
        }
    }
    // PDF, UBL and Factur-X of notes and invoices, attachments and the logo both ways, the CSV
    // import: the check sees them all.
    assert!(
        files >= 14,
        "only {files} file bodies: are they still described?"
    );
}
