//! Every door × every role, against the real app: allowed, or 401 / 403 / 404 as the API
//! contract says. Server functions carry the problem's status in their JSON body.

use crate::common;

use app::domain::{InvoiceStatus, Role};
use common::{TestApp, available_note, browser, currency, customer, date, invoice, priced, user};
use server::services::NewInvoiceInput;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Staff(Role),
    /// The portal user of the invoice's customer.
    Customer,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::Staff(Role::Administrator),
    Who::Staff(Role::CreditManager),
    Who::Staff(Role::SalesManager),
    Who::Staff(Role::Sales),
    Who::Staff(Role::Viewer),
    Who::Customer,
];

fn email(who: Who) -> Option<String> {
    match who {
        Who::Anonymous => None,
        Who::Staff(role) => Some(format!("{}@test.example", role.as_str())),
        Who::Customer => Some("portal@acme.example".to_string()),
    }
}

/// The status a server function answered: 200, or the status of its problem.
async fn rpc_status(client: &reqwest::Client, app: &TestApp, name: &str, form: &str) -> u16 {
    let response = client
        .post(app.url(&format!("/rpc/{name}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_string())
        .send()
        .await
        .unwrap();
    if response.status().is_success() {
        return 200;
    }
    let problem: app::problem::Problem = response.json().await.expect("a problem body");
    problem.status
}

on_both_backends! {
    async fn every_door_checks_the_role_of_every_caller(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let globex = customer(&services, "Globex", "EUR").await;
        let acme_invoice = invoice(&services, "INV-A", acme, "EUR", "1000.00").await;
        let globex_invoice = invoice(&services, "INV-G", globex, "EUR", "1000.00").await;
        let acme_draft = services
            .create_invoice(server::services::Caller::CommandLine, NewInvoiceInput {
                number: Some("INV-DRAFT".into()),
                customer_id: acme,
                currency: currency("EUR"),
                issue_date: date("2026-11-01"),
                due_date: None,
                kind: app::domain::InvoiceKind::Standard,
                status: InvoiceStatus::Draft,
                related_invoice_id: None,
                project: None,
                lines: priced("10.00"),
            })
            .await
            .unwrap()
            .id;
        let note = available_note(&services, acme, "EUR", "100.00").await;
        for role in Role::ALL.iter().filter(|role| role.is_internal()) {
            user(&services, &email(Who::Staff(*role)).unwrap(), *role, None).await;
        }
        user(&services, "portal@acme.example", Role::Customer, Some(acme)).await;

        let link_form = format!(
            "invoice_id={acme_invoice}&currency=EUR&rows[0][credit_note_id]={note}&rows[0][selected]=on&rows[0][amount]=1.00"
        );
        for who in EVERYONE {
            let client = match email(who) {
                Some(email) => app.signed_in(&email).await,
                None => browser(),
            };
            let staff = matches!(who, Who::Staff(_));
            let signed_in = who != Who::Anonymous;
            let or_401 = |status: u16| if signed_in { status } else { 401 };
            let linker = matches!(who, Who::Staff(Role::Administrator | Role::CreditManager));

            let cases: [(&str, String, u16); 8] = [
                // The staff lists; customers have the portal.
                ("load_invoice_list", String::new(), or_401(if staff { 200 } else { 403 })),
                ("load_credit_note_list", String::new(), or_401(if staff { 200 } else { 403 })),
                ("load_credit_note_page", format!("credit_note_id={note}"), or_401(if staff { 200 } else { 403 })),
                ("load_invoice_page", format!("invoice_id={acme_invoice}"), or_401(200)),
                ("load_invoice_page", format!("invoice_id={globex_invoice}"), or_401(if staff { 200 } else { 404 })),
                ("load_invoice_page", format!("invoice_id={acme_draft}"), or_401(if staff { 200 } else { 404 })),
                ("link_credit_notes", link_form.clone(), or_401(if linker { 200 } else { 403 })),
                ("portal_overview", String::new(), or_401(if staff { 403 } else { 200 })),
            ];
            for (name, form, expected) in cases {
                let status = rpc_status(&client, &app, name, &form).await;
                assert_eq!(status, expected, "{who:?} calling {name}({form})");
            }

            // The REST API: only administrators create users.
            let mut request = app.client.post(app.url("/api/v1/users")).json(&serde_json::json!({
                "email": format!("new-{}@test.example", format!("{who:?}").to_lowercase().replace(['(', ')'], "")),
                "password": "a long enough password",
                "role": "viewer",
            }));
            if let Some(email) = email(who) {
                request = request.bearer_auth(app.token(&email).await);
            }
            let status = request.send().await.unwrap().status().as_u16();
            let expected = match who {
                Who::Anonymous => 401,
                Who::Staff(Role::Administrator) => 201,
                _ => 403,
            };
            assert_eq!(status, expected, "{who:?} creating a user");
        }
    }

    async fn the_portal_shows_only_the_customers_finalized_documents(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let globex = customer(&services, "Globex", "EUR").await;
        invoice(&services, "INV-ACME", acme, "EUR", "100.00").await;
        invoice(&services, "INV-GLOBEX", globex, "EUR", "100.00").await;
        available_note(&services, acme, "EUR", "10.00").await;
        available_note(&services, globex, "EUR", "20.00").await;
        services
            .create_credit_note(server::services::Caller::CommandLine, server::services::NewCreditNoteInput {
                customer_id: acme,
                currency: currency("EUR"),
                date: date("2026-11-03"),
                reason: Some("still a draft".into()),
                related_invoice_id: None,
                lines: priced("5.00"),
                charge: None,
                particulars: Default::default(),
            })
            .await
            .unwrap();
        user(&services, "portal@acme.example", Role::Customer, Some(acme)).await;
        let browser = app.signed_in("portal@acme.example").await;
        let html = common::shown(&browser.get(app.url("/portal")).send().await.unwrap().text().await.unwrap());
        assert!(html.contains("INV-ACME"));
        assert!(html.contains("CN-2026-00001"), "its finalized note");
        assert!(!html.contains("INV-GLOBEX"));
        assert!(!html.contains("CN-2026-00002"), "another customer's note");
        assert!(!html.contains("Draft #"), "drafts stay internal");
    }
}
