//! The pages and server functions through HTTP, against the spawned app.

use crate::common;

use app::domain::Role;
use common::{PASSWORD, TestApp, available_note, browser, customer, invoice, staff, user};

on_both_backends! {
    async fn the_invoice_page_renders_the_dialog_on_the_server(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let inv = invoice(&services, "INV-7", acme, "EUR", "100.00").await;
        available_note(&services, acme, "EUR", "25.00").await;
        available_note(&services, acme, "USD", "5.00").await;

        user(&services, "cm@test.example", Role::CreditManager, None).await;
        let browser = app.signed_in("cm@test.example").await;
        let html = browser.get(app.url(&format!("/invoices/{inv}?link=open"))).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("INV-7"));
        assert!(html.contains("role=\"dialog\""));
        assert!(html.contains("Different currency: the credit note is in USD, the invoice in EUR"));
        assert!(html.contains("<tbody>"));

        // A viewer sees the invoice but is offered neither the button nor the dialog.
        user(&services, "viewer@test.example", Role::Viewer, None).await;
        let viewer = app.signed_in("viewer@test.example").await;
        let html = common::shown(&viewer.get(app.url(&format!("/invoices/{inv}?link=open"))).send().await.unwrap().text().await.unwrap());
        assert!(html.contains("INV-7"));
        assert!(!html.contains("Link credit notes"));
        assert!(!html.contains("role=\"dialog\""));
    }

    async fn pages_without_a_session_send_people_to_sign_in(db) {
        let app = TestApp::spawn(db).await;
        let response = app.client.get(app.url("/invoices?status=paid")).header("accept", "text/html").send().await.unwrap();
        assert_eq!(response.status(), 302);
        let login_page = response.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(login_page, "/login?next=%2Finvoices%3Fstatus%3Dpaid");
        let login = app.client.get(app.url(&login_page)).send().await.unwrap().text().await.unwrap();
        assert!(login.contains("Sign in"));
        assert!(login.contains(r#"name="next" value="/invoices?status=paid""#), "the form carries the way back");

        // Signing in comes back to that page; never to another site, and customers only to
        // the portal.
        let services = app.db.services();
        user(&services, "cm@test.example", Role::CreditManager, None).await;
        let acme = customer(&services, "Acme", "EUR").await;
        user(&services, "ap@acme.example", Role::Customer, Some(acme)).await;
        for (email, next, lands) in [
            ("cm@test.example", "/invoices?status=paid", "/invoices?status=paid"),
            ("cm@test.example", "//evil.example/login", "/invoices"),
            ("cm@test.example", "https://evil.example", "/invoices"),
            ("ap@acme.example", "/invoices", "/portal"),
        ] {
            let response = browser()
                .post(app.url("/rpc/login"))
                .header("accept", "text/html")
                .header("referer", app.url(&login_page))
                .form(&[("email", email), ("password", PASSWORD), ("next", next)])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 302, "{email} {next}");
            assert_eq!(response.headers()["location"], lands, "{email} {next}");
        }
    }

    async fn a_plain_form_post_links_and_redirects_back(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let inv = invoice(&services, "INV-7", acme, "EUR", "100.00").await;
        let note = available_note(&services, acme, "EUR", "25.00").await;
        user(&services, "cm@test.example", Role::CreditManager, None).await;
        let browser = app.signed_in("cm@test.example").await;

        let response = browser
            .post(app.url("/rpc/link_credit_notes"))
            .header("accept", "text/html")
            .header("referer", app.url(&format!("/invoices/{inv}?link=open")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("invoice_id={inv}&currency=EUR&rows[0][credit_note_id]={note}&rows[0][selected]=on&rows[0][amount]="))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], format!("/invoices/{inv}"));
        assert_eq!(services.invoice(&staff(Role::Viewer), inv).await.unwrap().outstanding().to_string(), "75.00");
    }

    async fn a_forged_post_for_another_currency_is_refused(db) {
        let app = TestApp::spawn(db).await;
        let services = app.db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let inv = invoice(&services, "INV-7", acme, "EUR", "100.00").await;
        let usd = available_note(&services, acme, "USD", "25.00").await;
        user(&services, "cm@test.example", Role::CreditManager, None).await;
        let browser = app.signed_in("cm@test.example").await;

        // The browser disables this row; a hand-made request must still be refused.
        let response = browser
            .post(app.url("/rpc/link_credit_notes"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("invoice_id={inv}&currency=EUR&rows[0][credit_note_id]={usd}&rows[0][selected]=on"))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_server_error() || response.status().is_client_error());
        let problem: app::problem::Problem = response.json().await.unwrap();
        assert_eq!(problem.code, "currency_mismatch");
        assert!(services.invoice(&staff(Role::Viewer), inv).await.unwrap().allocations.is_empty());
    }
}
