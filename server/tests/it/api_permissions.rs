//! Every REST endpoint × every role: the permission matrix as integrators meet it. A role that
//! may act gets past the check (any answer but 401/403, and never a server error); one that
//! may not gets 403; without a token, 401; a portal user asking for another customer's
//! document, 404.

use crate::common;

use app::domain::Role;
use common::{TestApp, user};
use reqwest::Method;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Allowed,
    Forbidden,
    NotFound,
}

use Expect::{Allowed, Forbidden, NotFound};

const ROLES: [Role; 6] = [
    Role::Administrator,
    Role::CreditManager,
    Role::SalesManager,
    Role::Sales,
    Role::Viewer,
    Role::Customer,
];

/// Who may: administrator, credit manager, sales manager, sales, viewer, customer.
type Row = (Method, String, Value, [Expect; 6]);

on_both_backends! {
    async fn every_endpoint_answers_each_role_as_the_matrix_says(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let acme = common::customer(&services, "Acme", "EUR").await;
        let globex = common::customer(&services, "Globex", "EUR").await;
        let invoice = common::invoice(&services, "INV-A", acme, "EUR", "1000.00").await;
        let globex_invoice = common::invoice(&services, "INV-G", globex, "EUR", "1000.00").await;
        let note = common::available_note(&services, acme, "EUR", "100.00").await;
        let globex_note = common::available_note(&services, globex, "EUR", "100.00").await;
        let mut tokens = Vec::new();
        for role in ROLES {
            let email = format!("{}@matrix.example", role.as_str());
            let customer = (role == Role::Customer).then_some(acme);
            user(&services, &email, role, customer).await;
            tokens.push(app.token(&email).await);
        }

        const A: Expect = Allowed;
        const F: Expect = Forbidden;
        const N: Expect = NotFound;
        let write = [A, A, F, F, F, F];
        let notes = [A, A, A, A, F, F];
        let internal = [A, A, A, A, A, F];
        let admin = [A, F, F, F, F, F];
        let line = json!([{"description": "x", "quantity": "1", "unit_price": "1.00", "tax_rate": "0"}]);
        let rows: Vec<Row> = vec![
            (Method::GET, "/customers".into(), Value::Null, internal),
            (Method::POST, "/customers".into(), json!({"name": "New", "currency": "EUR", "tax_region": "DE",
                "billing_address": {"line1": "1", "city": "B", "postal_code": "1", "country": "DE"}}), write),
            (Method::GET, format!("/customers/{acme}"), Value::Null, internal),
            (Method::GET, format!("/customers/{acme}/credit-notes"), Value::Null, internal),
            (Method::PUT, format!("/customers/{globex}/portal"), json!({"enabled": true}), write),
            (Method::GET, "/tax-rules".into(), Value::Null, internal),
            (Method::PUT, "/tax-rules".into(), json!({"rules": []}), admin),
            (Method::POST, "/users".into(), json!({"email": "u@matrix.example", "password": "long enough pw", "role": "viewer"}), admin),
            (Method::GET, "/invoices".into(), Value::Null, [A, A, A, A, A, A]),
            (Method::POST, "/invoices".into(), json!({"customer_id": acme, "currency": "EUR", "issue_date": "2026-11-01", "lines": line}), write),
            (Method::GET, format!("/invoices/{invoice}"), Value::Null, [A, A, A, A, A, A]),
            (Method::GET, format!("/invoices/{globex_invoice}"), Value::Null, [A, A, A, A, A, N]),
            (Method::PATCH, format!("/invoices/{invoice}"), json!({"due_date": "2026-12-31"}), write),
            (Method::POST, format!("/invoices/{invoice}/payments"), json!({"amount": "1.00", "date": "2026-11-02"}), write),
            (Method::POST, format!("/invoices/{globex_invoice}/mark-paid"), json!({}), write),
            (Method::POST, format!("/invoices/{globex_invoice}/mark-pending"), json!({}), write),
            (Method::GET, format!("/invoices/{invoice}/timeline"), Value::Null, internal),
            (Method::GET, format!("/invoices/{invoice}/linkable-credit-notes"), Value::Null, internal),
            (Method::POST, format!("/invoices/{invoice}/allocations"), json!({"allocations": [{"credit_note_id": note, "amount": "1.00"}]}), write),
            (Method::DELETE, format!("/invoices/{invoice}/allocations/999999"), Value::Null, write),
            (Method::POST, format!("/invoices/{invoice}/credit-notes"), json!({"date": "2026-11-05"}), notes),
            (Method::POST, format!("/invoices/{globex_invoice}/cancel"), json!({}), admin),
            (Method::DELETE, format!("/invoices/{globex_invoice}"), Value::Null, admin),
            (Method::GET, "/credit-notes".into(), Value::Null, [A, A, A, A, A, A]),
            (Method::POST, "/credit-notes".into(), json!({"customer_id": acme, "currency": "EUR", "date": "2026-11-05", "lines": line}), notes),
            (Method::GET, format!("/credit-notes/{note}"), Value::Null, [A, A, A, A, A, A]),
            (Method::GET, format!("/credit-notes/{globex_note}"), Value::Null, [A, A, A, A, A, N]),
            (Method::PATCH, format!("/credit-notes/{note}"), json!({"reason": "x"}), [A, A, A, A, F, F]),
            (Method::POST, format!("/credit-notes/{note}/submit"), json!({}), notes),
            (Method::POST, format!("/credit-notes/{note}/finalize"), json!({}), write),
            (Method::POST, format!("/credit-notes/{note}/comments"), json!({"text": "hello"}), notes),
            (Method::POST, format!("/credit-notes/{note}/refunds"), json!({"amount": "1.00", "date": "2026-11-06"}), write),
            (Method::GET, format!("/credit-notes/{note}/timeline"), Value::Null, internal),
            (Method::POST, format!("/credit-notes/{globex_note}/cancel"), json!({}), write),
            (Method::DELETE, format!("/credit-notes/{globex_note}"), Value::Null, write),
        ];

        for (method, path, body, expected) in &rows {
            let url = app.url(&format!("/api/v1{path}"));
            let request = |token: Option<&String>| {
                let mut request = app.client.request(method.clone(), &url);
                if !body.is_null() {
                    request = request.json(body);
                }
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                request.send()
            };
            let anonymous = request(None).await.unwrap().status().as_u16();
            assert_eq!(anonymous, 401, "{method} {path} without a token");
            for (i, role) in ROLES.iter().enumerate() {
                let response = request(Some(&tokens[i])).await.unwrap();
                let status = response.status().as_u16();
                let problem: Value = response.json().await.unwrap_or(Value::Null);
                let context = format!("{role} on {method} {path}: {status} {problem}");
                assert!(status < 500, "{context}");
                match expected[i] {
                    Allowed => assert!(status != 401 && status != 403, "{context}"),
                    Forbidden => assert_eq!((status, problem["code"].as_str()), (403, Some("forbidden")), "{context}"),
                    NotFound => assert_eq!((status, problem["code"].as_str()), (404, Some("not_found")), "{context}"),
                }
            }
        }
    }
}
