//! A credit note's Documents and Activities tabs on SQLite and PostgreSQL: supporting files
//! recognised by their content, kept with a checksum, removable only before finalization; and
//! tasks with a due date, an assignee and a done mark.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp, user};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// A minimal PDF: what the file starts with is what makes it one.
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn upload(
    api: &Api<'_>,
    note: i64,
    name: &str,
    declared: &str,
    content: Vec<u8>,
) -> (u16, Value) {
    let url = api
        .app
        .url(&format!("/api/v1/credit-notes/{note}/attachments"));
    api.upload(api.app.client.post(url), name, declared, content)
        .await
}

async fn draft(admin: &Api<'_>) -> i64 {
    let customer = admin.customer("Acme", "EUR").await;
    let (status, draft) = admin
        .post(
            "/credit-notes",
            json!({"customer_id": customer, "currency": "EUR", "date": "2026-11-05",
            "charge": {"code": "GW", "description": "Goodwill", "amount": "5.00"}}),
        )
        .await;
    assert_eq!(status, 201, "{draft}");
    draft["id"].as_i64().unwrap()
}

on_both_backends! {
    async fn a_note_keeps_twenty_files_and_a_user_uploads_200_mib_a_day(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let note = draft(&admin).await;
        for i in 0..20 {
            let (status, body) = upload(&admin, note, &format!("slip-{i}.pdf"), "application/pdf", PDF.to_vec()).await;
            assert_eq!(status, 201, "{body}");
        }
        let (status, body) = upload(&admin, note, "slip-20.pdf", "application/pdf", PDF.to_vec()).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("attachment_limit")), "{body}");
        let (_, list) = admin.get(&format!("/credit-notes/{note}/attachments")).await;
        assert_eq!(list.as_array().unwrap().len(), 20, "nothing stored");

        // Another note of the same user: its own twenty files, but the user's day counts all
        // of them. The database says the user already sent 199 MiB today.
        let other = draft(&admin).await;
        app.db.behind_the_back(&format!(
            "UPDATE attachments SET size_bytes = {} WHERE credit_note_id = {note} AND file_name = 'slip-0.pdf'",
            199 * 1024 * 1024
        )).await;
        let mut two_mib = PDF.to_vec();
        two_mib.resize(2 * 1024 * 1024, b' ');
        let (status, body) = upload(&admin, other, "scan.pdf", "application/pdf", two_mib.clone()).await;
        assert_eq!((status, body["code"].as_str()), (429, Some("too_many_requests")), "{body}");
        assert!(body["detail"].as_str().unwrap().contains("200 MiB"), "{body}");
        // Another user is not held by it.
        let manager = Api::new(&app, Role::CreditManager).await;
        let (status, body) = upload(&manager, other, "scan.pdf", "application/pdf", two_mib).await;
        assert_eq!(status, 201, "{body}");
    }

    async fn supporting_files_are_known_by_content_and_stay_once_the_note_is_final(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let note = draft(&admin).await;

        let (status, file) = upload(&admin, note, "C:\\scans\\receipt.pdf", "application/pdf", PDF.to_vec()).await;
        assert_eq!(status, 201, "{file}");
        assert_eq!(file["file_name"], "receipt.pdf");
        assert_eq!(file["media_type"], "application/pdf");
        assert_eq!(file["size_bytes"], PDF.len());
        let checksum: String = Sha256::digest(PDF).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(file["sha256"], checksum);
        assert_eq!(file["uploaded_by"], "administrator@api.example");

        // A PNG named .pdf is a PNG; HTML or a program is refused whatever its name and type.
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
        let (status, body) = upload(&admin, note, "photo.pdf", "application/pdf", png).await;
        assert_eq!((status, body["media_type"].as_str()), (201, Some("image/png")), "{body}");
        let (status, body) = upload(&admin, note, "invoice.pdf", "application/pdf", b"<html><script>alert(1)</script></html>".to_vec()).await;
        assert_eq!((status, body["code"].as_str()), (415, Some("unsupported_media_type")), "{body}");
        let (status, _) = upload(&admin, note, "setup.jpg", "image/jpeg", b"MZ\x90\0\x03\0\0\0\x04\0".to_vec()).await;
        assert_eq!(status, 415);
        let (status, body) = upload(&admin, note, "empty.pdf", "application/pdf", Vec::new()).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("file")), "{body}");
        let mut large = PDF.to_vec();
        large.resize(10 * 1024 * 1024 + 1, b' ');
        let (status, body) = upload(&admin, note, "large.pdf", "application/pdf", large).await;
        assert_eq!((status, body["code"].as_str()), (413, Some("payload_too_large")), "{body}");
        let (_, list) = admin.get(&format!("/credit-notes/{note}/attachments")).await;
        assert_eq!(list.as_array().unwrap().len(), 2, "refused files left nothing: {list}");

        // Downloaded as uploaded, as a download.
        let response = app.client.get(app.url(&format!("/api/v1/credit-notes/{note}/attachments/{}", file["id"])))
            .bearer_auth(admin.token.as_deref().unwrap()).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        assert_eq!(response.headers()["content-disposition"], "attachment; filename=\"receipt.pdf\"");
        assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);

        // Viewers read, never write; customers see nothing of it.
        let viewer = Api::new(&app, Role::Viewer).await;
        assert_eq!(upload(&viewer, note, "x.pdf", "application/pdf", PDF.to_vec()).await.0, 403);
        assert_eq!(viewer.get(&format!("/credit-notes/{note}/attachments")).await.0, 200);
        let customer = admin.customer("Portal Co", "EUR").await;
        user(&app.db.services(), "portal@files.example", Role::Customer, Some(customer)).await;
        let portal = Api { app: &app, token: Some(app.token("portal@files.example").await) };
        assert_eq!(portal.get(&format!("/credit-notes/{note}/attachments")).await.0, 403);

        // Removable while a draft; kept once finalized.
        let second = list[1]["id"].as_i64().unwrap();
        assert_eq!(admin.delete(&format!("/credit-notes/{note}/attachments/{second}")).await.0, 204);
        assert_eq!(admin.delete(&format!("/credit-notes/{note}/attachments/{second}")).await.0, 404);
        assert_eq!(admin.post(&format!("/credit-notes/{note}/finalize"), json!({})).await.0, 200);
        let (status, body) = admin.delete(&format!("/credit-notes/{note}/attachments/{}", file["id"])).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("credit_note_finalized")), "{body}");
        let (status, _) = upload(&admin, note, "late.pdf", "application/pdf", PDF.to_vec()).await;
        assert_eq!(status, 201, "evidence may still come after finalization");
        let (_, timeline) = admin.get(&format!("/credit-notes/{note}/timeline")).await;
        let kinds: Vec<&str> = timeline["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "attachment_added").count(), 3, "{kinds:?}");
        assert_eq!(kinds.iter().filter(|k| **k == "attachment_removed").count(), 1, "{kinds:?}");
    }

    async fn the_documents_tab_uploads_without_javascript(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let note = draft(&admin).await;
        let browser = app.session(Role::CreditManager).await;
        let post = |name: &str, content: &'static [u8]| {
            let part = reqwest::multipart::Part::bytes(content).file_name(name.to_string());
            browser.browser.post(app.url(&format!("/credit-notes/{note}/attachments")))
                .header("origin", app.url(""))
                .multipart(reqwest::multipart::Form::new().part("file", part))
                .send()
        };
        let response = post("Lieferschein Łódź.pdf", PDF).await.unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], format!("/credit-notes/{note}?tab=documents"));
        let (status, page) = browser.page(&format!("/credit-notes/{note}?tab=documents")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Lieferschein Łódź.pdf"), "{page}");
        let response = post("notes.pdf", b"just text").await.unwrap();
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(location.contains("upload_error="), "{location}");
        let (_, page) = browser.page(&location).await;
        assert!(page.contains("PDF, PNG or JPEG"), "the refusal shows by the field: {page}");
    }

    async fn tasks_have_a_due_date_an_assignee_and_a_done_mark(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let note = draft(&admin).await;
        let manager = user(&app.db.services(), "manager@tasks.example", Role::CreditManager, None).await;
        let customer = admin.customer("Portal Co", "EUR").await;
        let outsider = user(&app.db.services(), "portal@tasks.example", Role::Customer, Some(customer)).await;

        let (status, task) = admin
            .post(&format!("/credit-notes/{note}/tasks"), json!({"title": "Check the returned machine", "due_date": "2026-12-01", "assignee_id": manager.id}))
            .await;
        assert_eq!(status, 201, "{task}");
        assert_eq!((task["assignee"].as_str(), task["due_date"].as_str()), (Some("manager@tasks.example"), Some("2026-12-01")));
        assert!(task["done_at"].is_null());
        let (status, body) = admin.post(&format!("/credit-notes/{note}/tasks"), json!({"title": "x", "assignee_id": outsider.id})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("assignee_id")), "{body}");
        let (status, body) = admin.post(&format!("/credit-notes/{note}/tasks"), json!({"title": "  "})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("title")), "{body}");
        let (status, body) = admin.post(&format!("/credit-notes/{note}/tasks"), json!({"title": "x", "due_date": "soon"})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("due_date")), "{body}");

        let (status, done) = admin.patch(&format!("/credit-notes/{note}/tasks/{}", task["id"]), json!({"done": true})).await;
        assert_eq!(status, 200, "{done}");
        assert!(done["done_at"].is_string());
        assert_eq!(admin.patch(&format!("/credit-notes/{note}/tasks/999999"), json!({"done": true})).await.0, 404);
        let (_, tasks) = admin.get(&format!("/credit-notes/{note}/tasks")).await;
        assert_eq!(tasks.as_array().unwrap().len(), 1, "refused tasks left nothing: {tasks}");

        let browser = app.session(Role::Viewer).await;
        let (status, page) = browser.page(&format!("/credit-notes/{note}?tab=activities")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Check the returned machine") && page.contains("manager@tasks.example"), "{page}");
        let (_, timeline) = admin.get(&format!("/credit-notes/{note}/timeline")).await;
        let kinds: Vec<&str> = timeline["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert!(kinds.ends_with(&["task_added", "task_done"]), "{kinds:?}");
    }

    async fn the_related_invoice_tab_links_back_to_the_invoice(db) {
        let app = TestApp::spawn(db).await;
        let admin = Api::new(&app, Role::Administrator).await;
        let customer = admin.customer("Acme", "EUR").await;
        let invoice = admin.invoice(customer, "EUR", "100.00").await;
        let (status, note) = admin
            .post("/credit-notes", json!({"customer_id": customer, "currency": "EUR", "date": "2026-11-05",
                "related_invoice_id": invoice["id"], "lines": [{"description": "Return", "quantity": "1", "unit_price": "10.00", "tax_rate": "0"}]}))
            .await;
        assert_eq!(status, 201, "{note}");
        let browser = app.session(Role::Viewer).await;
        let (status, page) = browser.page(&format!("/credit-notes/{}?tab=invoice", note["id"])).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("href=\"/invoices/{}\"", invoice["id"])), "{page}");
        assert!(page.contains(invoice["number"].as_str().unwrap()), "{page}");
    }
}
