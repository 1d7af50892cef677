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
    }
}

on_both_backends! {
    async fn records_read_back_exactly_as_written(db) {
        let now = chrono::Utc::now();
        let mut tx = db.storage.write().await.unwrap();
        let customer_id = tx
            .insert_customer(&NewCustomer {
                name: "Łódź Trading".into(),
                email: None,
                currency: common::currency("EUR"),
                tax_region: "FR".into(),
                billing_address: Default::default(),
                shipping_address: Default::default(),
                created_at: now,
            })
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
                content: content.clone(),
                created_at: now,
            })
            .await
            .unwrap();
        let note_id = tx
            .insert_credit_note(&NewCreditNote {
                customer_id,
                currency: common::currency("EUR"),
                date: now.date_naive(),
                status: CreditNoteStatus::Draft,
                reason: None,
                reason_category: Some(app::domain::ReasonCategory::InvoicingError),
                billing_address: app::model::Address::typed("ul. Piotrkowska 1", "", "Łódź", "90-001", "PL"),
                shipping_address: app::model::Address::default(),
                related_invoice_id: Some(invoice_id),
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
    }

    async fn a_text_postgresql_cannot_hold_is_a_422_not_a_database_failure(db) {
        // The doors refuse NUL before storage sees it; this is the net under a door that forgot.
        let mut tx = db.storage.write().await.unwrap();
        let written = tx
            .insert_customer(&NewCustomer {
                name: "Acme\0".into(),
                email: None,
                currency: common::currency("EUR"),
                tax_region: "FR".into(),
                billing_address: Default::default(),
                shipping_address: Default::default(),
                created_at: chrono::Utc::now(),
            })
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
}
