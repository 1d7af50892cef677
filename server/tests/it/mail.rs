//! E-mail through the outbox on SQLite and PostgreSQL, delivered to a real SMTP server
//! (Python's aiosmtpd, installed under target/tools by `scripts/lib.sh ensure_test_tools`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp, free_port, pdf_text, services_on};
use mail_parser::MimeHeaders;
use serde_json::{Value, json};
use server::services::{MAX_ATTEMPTS, MailPolicy, MailTransport, ManualClock, Services};
use server::storage::MessageRecord;

/// An SMTP server on loopback that keeps every message it receives in a maildir.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    maildir: tempfile::TempDir,
}

fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}

/// A password sent to an SMTP server over the network travels only inside TLS: in clear,
/// anyone on the path reads it, and STARTTLS can be stripped (`tls=opportunistic`).
#[test]
fn smtp_credentials_go_over_tls_unless_the_server_is_on_this_machine() {
    use server::mail::Smtp;
    for refused in [
        "smtp://user:secret@mail.example:587",
        "smtp://user:secret@mail.example:587?tls=opportunistic",
        "smtp://user@10.0.0.5:25",
    ] {
        let error = Smtp::from_url(refused)
            .err()
            .unwrap_or_else(|| panic!("{refused} accepted"));
        assert!(
            error.contains("without TLS") && !error.contains("secret"),
            "{error}"
        );
    }
    for accepted in [
        "smtp://user:secret@mail.example:587?tls=required",
        "smtps://user:secret@mail.example",
        "smtp://user:secret@localhost:2525",
        "smtp://user:secret@127.0.0.1:2525",
        "smtp://user:secret@[::1]:2525",
        "smtp://mail.example:25",
    ] {
        assert!(Smtp::from_url(accepted).is_ok(), "{accepted} refused");
    }
}

impl SmtpServer {
    async fn start_on(port: u16) -> SmtpServer {
        let python = std::env::var("CREDITDESK_TEST_SMTPD_PYTHON").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/tools/smtpd/bin/python"
            )
            .to_string()
        });
        let maildir = tempfile::tempdir().unwrap();
        let child = std::process::Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("mail"))
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{python} runs aiosmtpd (scripts/lib.sh ensure_test_tools installs it): {e}")
            });
        let server = SmtpServer {
            child,
            port,
            maildir,
        };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not listen on {port}");
    }

    async fn start() -> SmtpServer {
        SmtpServer::start_on(free_port()).await
    }

    fn url(&self) -> String {
        smtp_url(self.port)
    }

    /// The messages received so far, raw.
    fn received(&self) -> Vec<Vec<u8>> {
        let new = self.maildir.path().join("mail").join("new");
        let mut paths: Vec<_> = std::fs::read_dir(&new)
            .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.sort();
        paths
            .iter()
            .map(|path| std::fs::read(path).unwrap())
            .collect()
    }

    async fn wait_for(&self, count: usize) -> Vec<Vec<u8>> {
        for _ in 0..200 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{count} message(s) expected, {} received",
            self.received().len()
        );
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Seller (the sender) and a customer with an e-mail address; a finalized note of theirs.
async fn finalized_note(admin: &Api<'_>) -> (i64, Value) {
    let (status, body) = admin
        .put(
            "/settings/seller",
            json!({"name": "Nordlicht Handel GmbH", "email": "billing@nordlicht.example", "vat_id": "DE811907980",
                   "address": {"line1": "Hafenstraße 5", "city": "Hamburg", "postal_code": "20457", "country": "DE"},
                   "legal_identity": {"legal_form": "GmbH", "share_capital": "25.000,00 EUR"}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, customer) = admin
        .post(
            "/customers",
            json!({"name": "Łódź Trading", "email": "ap@lodz.example", "currency": "EUR", "tax_region": "PL",
                   "billing_address": {"line1": "ul. Piotrkowska 1", "city": "Łódź", "postal_code": "90-001", "country": "PL"}}),
        )
        .await;
    assert_eq!(status, 201, "{customer}");
    let customer = customer["id"].as_i64().unwrap();
    (customer, admin.note(customer, "EUR", "80.00").await)
}

async fn timeline_kinds(api: &Api<'_>, note: i64) -> Vec<String> {
    let (status, body) = api.get(&format!("/credit-notes/{note}/timeline")).await;
    assert_eq!(status, 200, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Records what it is asked to send; fails while `down`.
#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<i64>>,
    down: std::sync::atomic::AtomicBool,
    delay: Duration,
}

#[async_trait::async_trait]
impl MailTransport for Recorder {
    async fn send(&self, message: &MessageRecord) -> Result<(), String> {
        tokio::time::sleep(self.delay).await;
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            return Err("connection refused".into());
        }
        self.sent.lock().unwrap().push(message.id);
        Ok(())
    }
}

on_both_backends! {
    async fn a_finalized_note_is_mailed_with_its_pdf_through_the_outbox(db) {
        let smtp = SmtpServer::start().await;
        let app = TestApp::spawn(db).await;
        let worker = server::mail::spawn_worker(
            app.db.services(),
            Arc::new(server::mail::Smtp::from_url(&smtp.url()).unwrap()),
        );
        let admin = Api::new(&app, Role::Administrator).await;
        let (customer, note) = finalized_note(&admin).await;
        let id = note["id"].as_i64().unwrap();

        let (status, queued) = admin
            .post(&format!("/credit-notes/{id}/send"), json!({"cc": ["controller@nordlicht.example"], "message": "Your credit for the returned goods."}))
            .await;
        assert_eq!(status, 202, "{queued}");
        assert_eq!(queued["status"], "pending");
        assert_eq!(queued["to"], json!(["ap@lodz.example"]), "the customer's address by default");

        let raw = smtp.wait_for(1).await;
        let message = mail_parser::MessageParser::default().parse(&raw[0]).unwrap();
        let address = |list: Option<&mail_parser::Address>| -> Vec<String> {
            list.map(|a| a.iter().filter_map(|addr| addr.address().map(str::to_string)).collect()).unwrap_or_default()
        };
        assert_eq!(address(message.from()), ["billing@nordlicht.example"]);
        assert_eq!(address(message.to()), ["ap@lodz.example"]);
        assert_eq!(address(message.cc()), ["controller@nordlicht.example"]);
        assert_eq!(message.subject(), Some("Credit note CN-2026-00001 from Nordlicht Handel GmbH"));
        assert_eq!(message.body_text(0).as_deref().map(str::trim), Some("Your credit for the returned goods."));
        // The envelope reached both recipients.
        let envelope = message.header_raw("X-RcptTo").unwrap_or_default().to_string();
        assert!(envelope.contains("ap@lodz.example") && envelope.contains("controller@nordlicht.example"), "{envelope}");
        let attachment = message.attachment(0).expect("the PDF is attached");
        assert_eq!(attachment.attachment_name(), Some("CN-2026-00001.pdf"));
        let text = pdf_text(attachment.contents());
        assert!(text.contains("CN-2026-00001") && text.contains("Łódź Trading"), "{text}");

        // The timeline says it was queued, then sent.
        let mut kinds = Vec::new();
        for _ in 0..100 {
            kinds = timeline_kinds(&admin, id).await;
            if kinds.contains(&"email_sent".to_string()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let tail: Vec<_> = kinds.iter().rev().take(2).rev().cloned().collect();
        assert_eq!(tail, ["email_queued", "email_sent"]);

        // Refusals write nothing: a draft, a bad address, a customer without an address, a viewer.
        let (_, draft) = admin
            .post("/credit-notes", json!({"customer_id": customer, "currency": "EUR", "date": "2026-11-05",
                "charge": {"code": "GW", "description": "Goodwill", "amount": "5.00"}}))
            .await;
        let (status, body) = admin.post(&format!("/credit-notes/{}/send", draft["id"]), json!({})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("invalid_status")), "{body}");
        let (status, body) = admin.post(&format!("/credit-notes/{id}/send"), json!({"to": ["ap@lodz.example"], "cc": ["not an address"]})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("cc[0]")), "{body}");
        let silent = admin.customer("No Mail Ltd", "EUR").await;
        let other = admin.note(silent, "EUR", "1.00").await;
        let (status, body) = admin.post(&format!("/credit-notes/{}/send", other["id"]), json!({})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("to")), "{body}");
        let viewer = Api::new(&app, Role::Viewer).await;
        assert_eq!(viewer.post(&format!("/credit-notes/{id}/send"), json!({})).await.0, 403);
        assert_eq!(timeline_kinds(&admin, id).await.iter().filter(|k| *k == "email_queued").count(), 1);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(smtp.received().len(), 1, "nothing else was sent");
        worker.abort();
    }

    async fn a_message_waits_while_the_mail_server_is_down_and_leaves_when_it_is_back(db) {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let services = Services::with_clock(db.storage.clone(), clock.clone()).with_printer(common::test_printer());
        let app = TestApp::spawn_with_clock(db, clock.clone()).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (_, note) = finalized_note(&admin).await;
        let id = note["id"].as_i64().unwrap();
        let port = free_port();
        let smtp = server::mail::Smtp::from_url(&smtp_url(port)).unwrap();

        // Queuing does not need the mail server.
        let (status, body) = admin.post(&format!("/credit-notes/{id}/send"), json!({})).await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(services.deliver_due(&smtp).await.unwrap(), 1);
        let (_, timeline) = admin.get(&format!("/credit-notes/{id}/timeline")).await;
        let delayed = timeline["items"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(delayed["kind"], "email_delayed", "{timeline}");
        assert!(!delayed["data"]["error"].as_str().unwrap().is_empty(), "{delayed}");

        // Back up: the message leaves at its next attempt, not before.
        let server = SmtpServer::start_on(port).await;
        assert_eq!(services.deliver_due(&smtp).await.unwrap(), 0, "not due yet");
        clock.advance(chrono::Duration::seconds(31));
        assert_eq!(services.deliver_due(&smtp).await.unwrap(), 1);
        assert_eq!(server.wait_for(1).await.len(), 1);
        let kinds = timeline_kinds(&admin, id).await;
        assert_eq!(kinds.iter().rev().take(3).rev().collect::<Vec<_>>(), ["email_queued", "email_delayed", "email_sent"]);
        clock.advance(chrono::Duration::hours(1));
        assert_eq!(services.deliver_due(&smtp).await.unwrap(), 0, "a sent message is not sent again");
    }

    async fn a_message_that_keeps_failing_is_given_up_with_its_error(db) {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let services = Services::with_clock(db.storage.clone(), clock.clone()).with_printer(common::test_printer());
        let app = TestApp::spawn_with_clock(db, clock.clone()).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (_, note) = finalized_note(&admin).await;
        let id = note["id"].as_i64().unwrap();
        assert_eq!(admin.post(&format!("/credit-notes/{id}/send"), json!({})).await.0, 202);
        let transport = Recorder { down: true.into(), ..Recorder::default() };
        for _ in 0..MAX_ATTEMPTS {
            assert_eq!(services.deliver_due(&transport).await.unwrap(), 1);
            clock.advance(chrono::Duration::hours(5));
        }
        assert_eq!(services.deliver_due(&transport).await.unwrap(), 0, "given up");
        let (_, timeline) = admin.get(&format!("/credit-notes/{id}/timeline")).await;
        let last = timeline["items"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["kind"].as_str(), last["data"]["error"].as_str()), (Some("email_failed"), Some("connection refused")));
        let delayed = timeline["items"].as_array().unwrap().iter().filter(|e| e["kind"] == "email_delayed").count();
        assert_eq!(delayed, MAX_ATTEMPTS as usize - 1);
    }

    async fn workers_on_two_servers_send_each_message_once(db) {
        let first = db.services();
        let second = services_on(server::storage::connect(&db.url).await.unwrap());
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (_, note) = finalized_note(&admin).await;
        let id = note["id"].as_i64().unwrap();
        let queued = 24;
        for _ in 0..queued {
            assert_eq!(admin.post(&format!("/credit-notes/{id}/send"), json!({})).await.0, 202);
        }
        // Slow sends keep both workers' claims open at once.
        let transport = Arc::new(Recorder { delay: Duration::from_millis(20), ..Recorder::default() });
        let run = |services: Services, transport: Arc<Recorder>| tokio::spawn(async move {
            while services.deliver_due(transport.as_ref()).await.unwrap() > 0 {}
        });
        let (a, b) = (run(first, transport.clone()), run(second, transport.clone()));
        a.await.unwrap();
        b.await.unwrap();
        let mut sent = transport.sent.lock().unwrap().clone();
        sent.sort();
        let before = sent.len();
        sent.dedup();
        assert_eq!((before, sent.len()), (queued, queued), "every message once");
        let kinds = timeline_kinds(&admin, id).await;
        assert_eq!(kinds.iter().filter(|k| *k == "email_sent").count(), queued);
    }

    // The desk is not a relay: without an elevated role a note goes to the customer's own
    // address with the standard text; other addresses and free text need a credit manager.
    // Each user has a daily quota, and a sent message keeps its PDF for the retention period,
    // then only its record.
    async fn mail_goes_to_the_customers_own_address_within_a_daily_quota(db) {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let policy = MailPolicy { daily_quota: 2, retention_days: 30 };
        let services = Services::with_clock(db.storage.clone(), clock.clone()).with_printer(common::test_printer()).with_mail_policy(policy);
        let app = TestApp::spawn_configured(db, services.clone(), server::web::WebConfig::default()).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let (_, note) = finalized_note(&admin).await;
        let send = format!("/credit-notes/{}/send", note["id"]);

        let sales = Api::new(&app, Role::Sales).await;
        for refused in [
            json!({"to": ["someone@elsewhere.example"]}),
            json!({"cc": ["someone@elsewhere.example"]}),
            json!({"message": "Click this link"}),
        ] {
            let (status, body) = sales.post(&send, refused.clone()).await;
            assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{refused}: {body}");
        }
        assert_eq!(sales.post(&send, json!({})).await.0, 202);
        assert_eq!(sales.post(&send, json!({"to": ["ap@lodz.example"]})).await.0, 202, "its own address, named");
        let (status, body) = sales.post(&send, json!({})).await;
        assert_eq!((status, body["code"].as_str()), (429, Some("too_many_requests")), "{body}");
        let manager = Api::new(&app, Role::CreditManager).await;
        let (status, body) = manager.post(&send, json!({"to": ["controller@nordlicht.example"], "message": "For your files."})).await;
        assert_eq!(status, 202, "a credit manager may, on a quota of its own: {body}");

        // Sent, then kept for 30 days with their PDF; after that only their record.
        let recorder = Recorder::default();
        while services.deliver_due(&recorder).await.unwrap() > 0 {}
        assert_eq!(recorder.sent.lock().unwrap().len(), 3);
        clock.advance(chrono::Duration::days(29));
        assert_eq!(services.purge_expired().await.unwrap().mail_attachments, 0);
        clock.advance(chrono::Duration::days(2));
        assert_eq!(services.purge_expired().await.unwrap().mail_attachments, 3);
        assert_eq!(app.db.count("SELECT COUNT(*) FROM outbox").await, 3, "the records stay");
        assert_eq!(app.db.count("SELECT COUNT(*) FROM outbox WHERE length(attachment) = 0").await, 3);
        // Another day, another quota (a month on, the API token is renewed).
        let sales = Api { app: &app, token: Some(app.token("sales@api.example").await) };
        assert_eq!(sales.post(&send, json!({})).await.0, 202);
    }
}
