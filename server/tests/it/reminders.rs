//! Payment reminders on SQLite and PostgreSQL: "send reminder now" and each customer's
//! schedule, through the outbox to a recording transport; what the reminder says (outstanding
//! after credits, the credit notes applied), who may send one, and that a schedule sends one
//! per period even when two servers run it at once.

use std::sync::{Arc, Mutex};

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp, pdf_text};
use serde_json::{Value, json};
use server::services::{MailTransport, ManualClock, Services};
use server::storage::{MessageAbout, MessageRecord};

/// Keeps every message it is handed.
#[derive(Default)]
struct Outbox(Mutex<Vec<MessageRecord>>);

#[async_trait::async_trait]
impl MailTransport for Outbox {
    async fn send(&self, message: &MessageRecord) -> Result<(), String> {
        self.0.lock().unwrap().push(message.clone());
        Ok(())
    }
}

impl Outbox {
    fn taken(&self) -> Vec<MessageRecord> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// The seller (the sender), a customer with an e-mail address, and its invoice of 172.75 due
/// on 2026-04-01.
async fn overdue_invoice(admin: &Api<'_>) -> (i64, Value) {
    admin.save_seller().await;
    let (status, customer) = admin
        .post(
            "/customers",
            json!({"name": "Łódź Trading", "email": "ap@lodz.example", "currency": "EUR", "tax_region": "PL",
                   "billing_address": {"line1": "ul. Piotrkowska 1", "city": "Łódź", "postal_code": "90-001", "country": "PL"}}),
        )
        .await;
    assert_eq!(status, 201, "{customer}");
    let customer = customer["id"].as_i64().unwrap();
    (customer, admin.two_rate_invoice(customer).await)
}

async fn invoice_timeline(api: &Api<'_>, invoice: i64) -> Vec<Value> {
    let (status, body) = api.get(&format!("/invoices/{invoice}/timeline")).await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().clone()
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    format!("{text}T09:00:00Z").parse().unwrap()
}

on_both_backends! {
    async fn a_reminder_states_what_is_owed_after_credits_and_lists_the_notes_applied(db) {
        let clock = Arc::new(ManualClock::new(at("2026-04-20")));
        let services = Services::with_clock(db.storage.clone(), clock.clone()).with_printer(common::test_printer());
        let app = TestApp::spawn_with_clock(db, clock.clone()).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (customer, invoice) = overdue_invoice(&admin).await;
        let id = invoice["id"].as_i64().unwrap();
        let number = invoice["number"].as_str().unwrap();
        let note = admin.note(customer, "EUR", "50.00").await;
        let (status, body) = admin
            .post(&format!("/invoices/{id}/allocations"), json!({"allocations": [{"credit_note_id": note["id"]}]}))
            .await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = admin.post(&format!("/invoices/{id}/payments"), json!({"amount": "30.00", "date": "2026-04-05"})).await;
        assert_eq!(status, 201, "{body}");

        let (status, queued) = admin.post(&format!("/invoices/{id}/reminders"), json!({})).await;
        assert_eq!(status, 202, "{queued}");
        assert_eq!(queued["to"], json!(["ap@lodz.example"]));
        let outbox = Outbox::default();
        assert_eq!(services.deliver_due(&outbox).await.unwrap(), 1);
        let sent = outbox.taken();
        let message = &sent[0];
        assert_eq!(message.about, MessageAbout::Invoice(id));
        assert_eq!(message.content.to, ["ap@lodz.example"]);
        assert!(message.content.sender.contains("billing@nordlicht.example"), "{}", message.content.sender);
        assert!(message.content.subject.starts_with(&format!("Reminder: invoice {number}")), "{}", message.content.subject);
        let body = &message.content.body;
        let money = |amount: &str| format!("€{amount}");
        for expected in [
            format!("our invoice {number} of Mar 2, 2026, due on Apr 1, 2026, is not settled yet"),
            format!("Invoice total: {}", money("172.75")),
            format!("{}: -{}", note["number"].as_str().unwrap(), money("50.00")),
            format!("Payments received: -{}", money("30.00")),
            // 172.75 − 30.00 paid − 50.00 credited.
            format!("Outstanding: {}", money("92.75")),
        ] {
            assert!(body.contains(&expected), "{expected:?} in {body}");
        }
        assert_eq!(message.content.attachment_name, format!("{number}.pdf"));
        assert!(pdf_text(&message.content.attachment).contains(number));

        // The invoice's timeline: queued by hand, then sent.
        let timeline = invoice_timeline(&admin, id).await;
        let kinds: Vec<&str> = timeline.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(&kinds[kinds.len() - 2..], ["reminder_queued", "email_sent"], "{kinds:?}");
        let queued = &timeline[kinds.len() - 2];
        assert_eq!(queued["data"]["automatic"], false);
        assert_eq!(queued["data"]["outstanding"], "92.75", "an amount, as the API writes money");
    }

    async fn only_an_overdue_open_invoice_is_reminded_of_and_only_by_those_who_may(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (customer, invoice) = overdue_invoice(&admin).await;
        let id = invoice["id"].as_i64().unwrap();
        let problem = |body: &Value| body["code"].as_str().map(str::to_string);

        for role in [Role::Sales, Role::Viewer] {
            let api = Api::new(&app, role).await;
            assert_eq!(api.post(&format!("/invoices/{id}/reminders"), json!({})).await.0, 403, "{role:?}");
        }
        let (status, not_due) = admin
            .post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-03-02", "due_date": "2099-12-31",
                "lines": [{"description": "Cups", "quantity": "1", "unit_price": "5.00", "tax_rate": "20"}]}))
            .await;
        assert_eq!(status, 201, "{not_due}");
        let (status, body) = admin.post(&format!("/invoices/{}/reminders", not_due["id"]), json!({})).await;
        assert_eq!((status, problem(&body)), (422, Some("invoice_not_overdue".into())), "{body}");
        let (status, body) = admin.post(&format!("/invoices/{id}/mark-paid"), json!({})).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = admin.post(&format!("/invoices/{id}/reminders"), json!({})).await;
        assert_eq!((status, problem(&body)), (422, Some("invoice_not_open".into())), "{body}");
        assert_eq!(admin.post("/invoices/999999/reminders", json!({})).await.0, 404);

        // No e-mail address: said on `to`, and nothing is queued.
        let silent = admin.customer("Silent GmbH", "EUR").await;
        let unpaid = admin.two_rate_invoice(silent).await;
        let (status, body) = admin.post(&format!("/invoices/{}/reminders", unpaid["id"]), json!({})).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "to", "{body}");
        let kinds: Vec<Value> = invoice_timeline(&admin, unpaid["id"].as_i64().unwrap()).await.iter().map(|e| e["kind"].clone()).collect();
        assert!(!kinds.contains(&json!("reminder_queued")), "{kinds:?}");
    }

    async fn a_schedule_reminds_n_days_after_the_due_date_then_every_n_days_once(db) {
        let clock = Arc::new(ManualClock::new(at("2026-04-10")));
        let first = Services::with_clock(db.storage.clone(), clock.clone()).with_printer(common::test_printer());
        let second = Services::with_clock(server::storage::connect(&db.url).await.unwrap(), clock.clone()).with_printer(common::test_printer());
        let app = TestApp::spawn_with_clock(db, clock.clone()).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (customer, invoice) = overdue_invoice(&admin).await;
        let id = invoice["id"].as_i64().unwrap();

        // The schedule is the customer's: 1 to 365 days, or null for off.
        for days in [json!(0), json!(366), json!("two weeks")] {
            let (status, body) = admin.put(&format!("/customers/{customer}/reminders"), json!({"days_after_due": days})).await;
            assert_eq!(status, 422, "{days}: {body}");
        }
        let credit_manager = Api::new(&app, Role::CreditManager).await;
        let (status, body) = credit_manager.put(&format!("/customers/{customer}/reminders"), json!({"days_after_due": 14})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["reminder_days"], 14);
        assert_eq!(admin.get(&format!("/customers/{customer}")).await.1["reminder_days"], 14);
        assert_eq!(Api::new(&app, Role::Sales).await.put(&format!("/customers/{customer}/reminders"), json!({"days_after_due": 3})).await.0, 403);

        // Due 2026-04-01: nothing until the 15th, then one, even with two servers at once.
        assert_eq!(first.send_due_reminders().await.unwrap(), 0);
        clock.advance(chrono::Duration::days(5));
        let (a, b) = tokio::join!(first.send_due_reminders(), second.send_due_reminders());
        assert_eq!(a.unwrap() + b.unwrap(), 1, "one reminder for the period");
        assert_eq!(first.send_due_reminders().await.unwrap(), 0, "not twice in a period");
        clock.advance(chrono::Duration::days(13));
        assert_eq!(first.send_due_reminders().await.unwrap(), 0);
        clock.advance(chrono::Duration::days(1));
        assert_eq!(first.send_due_reminders().await.unwrap(), 1, "again 14 days later");
        let outbox = Outbox::default();
        // One message per claim: the worker goes on until nothing is due.
        let mut delivered = 0;
        while let n @ 1.. = first.deliver_due(&outbox).await.unwrap() {
            delivered += n;
        }
        assert_eq!(delivered, 2);
        assert!(outbox.taken().iter().all(|message| message.about == MessageAbout::Invoice(id)));
        let automatic = invoice_timeline(&admin, id).await.iter().filter(|e| e["kind"] == "reminder_queued" && e["data"]["automatic"] == true).count();
        assert_eq!(automatic, 2);

        // Paid, or the schedule off: no more. (A month on, the API token is renewed.)
        clock.advance(chrono::Duration::days(30));
        let admin = Api { app: &app, token: Some(app.token("administrator@api.example").await) };
        let (status, body) = admin.put(&format!("/customers/{customer}/reminders"), json!({"days_after_due": null})).await;
        assert_eq!((status, body["reminder_days"].clone()), (200, Value::Null));
        assert_eq!(first.send_due_reminders().await.unwrap(), 0);
        admin.put(&format!("/customers/{customer}/reminders"), json!({"days_after_due": 14})).await;
        assert_eq!(admin.post(&format!("/invoices/{id}/mark-paid"), json!({})).await.0, 200);
        assert_eq!(first.send_due_reminders().await.unwrap(), 0);
    }

    async fn the_invoice_page_sends_a_reminder_and_the_customer_page_keeps_the_schedule(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (customer, invoice) = overdue_invoice(&admin).await;
        let id = invoice["id"].as_i64().unwrap();
        let manager = app.session(Role::CreditManager).await;

        // Overdue: the button; it posts as a plain form and the timeline says so.
        let (_, page) = manager.page(&format!("/invoices/{id}")).await;
        assert!(page.contains("Send reminder now"), "{page}");
        assert!(page.contains("/rpc/send_invoice_reminder"), "a plain form post");
        let (status, body) = manager.rpc("send_invoice_reminder", &[("invoice_id", &id.to_string())]).await;
        assert!(status < 400, "{status} {body}");
        let (_, page) = manager.page(&format!("/invoices/{id}")).await;
        assert!(page.contains("Payment reminder to ap@lodz.example queued"), "{page}");
        // Not yet due: shown disabled, with why.
        let (_, later) = admin
            .post("/invoices", json!({"customer_id": customer, "currency": "EUR", "issue_date": "2026-03-02", "due_date": "2099-12-31",
                "lines": [{"description": "Cups", "quantity": "1", "unit_price": "5.00", "tax_rate": "20"}]}))
            .await;
        let (_, page) = manager.page(&format!("/invoices/{}", later["id"])).await;
        assert!(page.contains("The invoice is not overdue"), "{page}");
        // Sales see no button and may not post the form.
        let sales = app.session(Role::Sales).await;
        let (_, page) = sales.page(&format!("/invoices/{id}")).await;
        assert!(!page.contains("Send reminder now"));
        assert_eq!(sales.rpc("send_invoice_reminder", &[("invoice_id", &id.to_string())]).await.0, 403);

        // The customer page: the schedule, a refusal beside its field, then saved.
        let customer_id = customer.to_string();
        let (_, page) = manager.page(&format!("/customers/{customer}")).await;
        assert!(page.contains("Payment reminders") && page.contains("Off"), "{page}");
        let (status, body) = manager.rpc("set_customer_reminders", &[("customer_id", &customer_id), ("days_after_due", "400")]).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("days_after_due")), "{body}");
        let (status, body) = manager.rpc("set_customer_reminders", &[("customer_id", &customer_id), ("days_after_due", "21")]).await;
        assert!(status < 400, "{status} {body}");
        let (_, page) = manager.page(&format!("/customers/{customer}")).await;
        assert!(page.contains("21 days after the due date, then every 21 days"), "{page}");
        let (status, _) = manager.rpc("set_customer_reminders", &[("customer_id", &customer_id), ("days_after_due", "")]).await;
        assert!(status < 400);
        assert_eq!(admin.get(&format!("/customers/{customer}")).await.1["reminder_days"], Value::Null);
    }
}
