//! Storage keeps what the services computed, field for field: it stores and reads records and
//! never recomputes an amount. Runs on SQLite and PostgreSQL.

use crate::common;

use app::domain::{CreditNoteStatus, InvoiceKind, InvoiceStatus};
use rust_decimal::Decimal;
use server::storage::{
    ChargeRecord, ContentRecord, LineRecord, NewCreditNote, NewCustomer, NewInvoice, TotalsRecord,
};

fn line(description: &str, quantity: &str, price: i64, net: i64, tax: i64) -> LineRecord {
    LineRecord {
        description: description.into(),
        quantity: quantity.parse::<Decimal>().unwrap(),
        unit_price_minor: price,
        discount_percent: "12.5".parse().unwrap(),
        tax_rate: "20".parse().unwrap(),
        net_minor: net,
        tax_minor: tax,
        total_minor: net + tax,
        ship_date: None,
        vat_category: app::domain::VatCategory::Standard,
        vat_exemption_reason: None,
        nature: app::domain::LineNature::Services,
        revenue_account: None,
    }
}

/// A EUR customer in France, without addresses.
fn new_customer(name: &str) -> NewCustomer {
    NewCustomer {
        name: name.into(),
        email: None,
        currency: common::currency("EUR"),
        tax_region: "FR".into(),
        vat_id: None,
        siren: None,
        consumer: false,
        billing_address: Default::default(),
        shipping_address: Default::default(),
        document_language: app::domain::Language::Fr,
        created_at: chrono::Utc::now(),
    }
}

on_both_backends! {
    async fn records_read_back_exactly_as_written(db) {
        let now = chrono::Utc::now();
        let mut tx = db.storage.write().await.unwrap();
        let customer_id = tx
            .insert_customer(&new_customer("Łódź Trading"))
            .await
            .unwrap();
        // Amounts that the lines alone would not give (storage must not recompute them), and
        // quantities with more decimals than money has.
        let content = ContentRecord {
            lines: vec![
                line("Pallet", "1.125", 1999, 1968, 394),
                line("Freight", "3", 1, 2, 0),
            ],
            totals: TotalsRecord { subtotal_minor: 1970, tax_total_minor: 394, total_minor: 2364 },
        };
        let invoice_id = tx
            .insert_invoice(&NewInvoice {
                number: "INV-STORE-1".into(),
                customer_id,
                currency: common::currency("EUR"),
                issue_date: now.date_naive(),
                due_date: None,
                kind: InvoiceKind::Standard,
                status: InvoiceStatus::Pending,
                related_invoice_id: None,
                project: Some("Depot".into()),
                imported: false,
                content: content.clone(),
                created_at: now,
            })
            .await
            .unwrap();
        let note_id = tx
            .insert_credit_note(&NewCreditNote {
                project: None,
                customer_id,
                currency: common::currency("EUR"),
                date: now.date_naive(),
                status: CreditNoteStatus::Draft,
                reason: None,
                reason_category: Some(app::domain::ReasonCategory::InvoicingError),
                billing_address: app::model::Address::typed("ul. Piotrkowska 1", "", "Łódź", "90-001", "PL"),
                shipping_address: app::model::Address::default(),
                related_invoice_id: Some(invoice_id),
                external_reference: Some("AV-2026-17".into()),
                content: ContentRecord {
                    lines: Vec::new(),
                    totals: TotalsRecord { subtotal_minor: 500, tax_total_minor: 0, total_minor: 500 },
                },
                charge: Some(ChargeRecord { code: "GOODWILL".into(), description: "Late delivery".into() }),
                created_at: now,
            })
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut tx = db.storage.read().await.unwrap();
        let invoice = tx.invoice(invoice_id).await.unwrap().expect("the invoice");
        assert_eq!(invoice.lines, content.lines);
        assert_eq!(invoice.totals, content.totals);
        assert_eq!((invoice.paid_minor, invoice.credited_minor), (0, 0));
        assert_eq!(invoice.customer_name, "Łódź Trading");
        let note = tx.credit_notes(&[note_id]).await.unwrap().pop().expect("the note");
        assert!(note.lines.is_empty());
        assert_eq!(note.totals.total_minor, 500);
        assert_eq!(note.charge, Some(ChargeRecord { code: "GOODWILL".into(), description: "Late delivery".into() }));
        assert_eq!(note.reason_category, Some(app::domain::ReasonCategory::InvoicingError));
        assert_eq!((note.billing_address.city.as_str(), note.billing_address.line2.as_deref()), ("Łódź", None));
        assert_eq!(note.shipping_address, app::model::Address::default());
        assert_eq!(note.external_reference.as_deref(), Some("AV-2026-17"));
    }

    async fn a_text_postgresql_cannot_hold_is_a_422_not_a_database_failure(db) {
        // The doors refuse NUL before storage sees it; this is the net under a door that forgot.
        let mut tx = db.storage.write().await.unwrap();
        let written = tx
            .insert_customer(&new_customer("Acme\0"))
            .await;
        if db.storage.backend() == "postgres" {
            let error = written.expect_err("PostgreSQL cannot store NUL");
            assert!(matches!(error, server::storage::StorageError::UnstorableText(_)), "{error:?}");
            let problem = app::problem::Problem::from(server::services::ServiceError::from(error));
            assert_eq!((problem.status, problem.code.as_str()), (422, "validation_error"));
        } else {
            written.expect("SQLite stores any text, which is why the doors refuse NUL");
        }
    }

    async fn writers_at_once_keep_their_own_work_and_only_theirs(db) {
        // 24 writers at once: a third commit, a third give up, a third fail on a constraint
        // and give up. On SQLite they share transactions (group commit): what one writer
        // rolls back must not take the others' work with it, and every commit that returned
        // must be there.
        let writers: Vec<_> = (0..24)
            .map(|i| tokio::spawn(one_writer(db.storage.clone(), i)))
            .collect();
        let mut committed = Vec::new();
        for writer in writers {
            committed.extend(writer.await.unwrap().unwrap());
        }
        let mut tx = db.storage.read().await.unwrap();
        let mut stored: Vec<String> = tx
            .find_customers(server::storage::Page::ALL)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        stored.sort();
        committed.sort();
        assert_eq!(committed.len(), 8);
        assert_eq!(stored, committed);
    }
}

/// One writer of the test above: adds a customer, then commits (its name), gives up, or fails
/// on a foreign key and gives up (nothing).
async fn one_writer(
    storage: std::sync::Arc<dyn server::storage::Storage>,
    i: usize,
) -> Result<Option<String>, server::storage::StorageError> {
    let name = format!("Writer {i:02}");
    let mut tx = storage.write().await?;
    let customer_id = tx.insert_customer(&new_customer(&name)).await?;
    match i % 3 {
        0 => tx.commit().await.map(|()| Some(name)),
        1 => Ok(None),
        _ => {
            let orphan = tx
                .insert_invoice(&NewInvoice {
                    number: format!("ORPHAN-{i}"),
                    customer_id: customer_id + 1_000_000,
                    currency: common::currency("EUR"),
                    issue_date: chrono::Utc::now().date_naive(),
                    due_date: None,
                    kind: InvoiceKind::Standard,
                    status: InvoiceStatus::Pending,
                    related_invoice_id: None,
                    project: None,
                    imported: false,
                    content: ContentRecord::default(),
                    created_at: chrono::Utc::now(),
                })
                .await;
            assert!(orphan.is_err(), "an invoice of no customer is refused");
            Ok(None)
        }
    }
}
