//! Linking credit notes to invoices through the service layer, on SQLite and PostgreSQL.

use crate::common;

use app::domain::Role;
use app::domain::{AllocationRequest, CreditNoteStatus, InvoiceStatus};
use app::problem::Problem;
use common::{amount, available_note, customer, invoice, staff};

fn whole(credit_note_id: i64) -> AllocationRequest {
    AllocationRequest {
        credit_note_id,
        amount: None,
    }
}

on_both_backends! {
    async fn linking_lowers_outstanding_and_pays_at_zero(db) {
        let services = db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let inv = invoice(&services, "INV-1", acme, "EUR", "100.00").await;
        let a = available_note(&services, acme, "EUR", "30.00").await;
        let b = available_note(&services, acme, "EUR", "70.00").await;

        let after = services.link_credit_notes(inv, vec![whole(a)], &staff(Role::CreditManager)).await.unwrap();
        assert_eq!(after.credited_amount, amount("30.00"));
        assert_eq!(after.outstanding(), amount("70.00"));
        assert_eq!(after.status, InvoiceStatus::Pending);
        assert_eq!(after.allocations.len(), 1);

        let after = services.link_credit_notes(inv, vec![whole(b)], &staff(Role::CreditManager)).await.unwrap();
        assert_eq!(after.outstanding().to_string(), "0.00");
        assert_eq!(after.status, InvoiceStatus::Paid);
        let page = services.invoice_page(&staff(Role::Viewer), inv, true).await.unwrap();
        assert!(page.candidates.is_empty(), "used notes are no longer offered");
    }

    async fn the_server_rechecks_every_rule_and_writes_nothing_on_failure(db) {
        let services = db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let other = customer(&services, "Other", "EUR").await;
        let inv = invoice(&services, "INV-1", acme, "EUR", "100.00").await;
        let good = available_note(&services, acme, "EUR", "10.00").await;
        let usd = available_note(&services, acme, "USD", "10.00").await;
        let foreign = available_note(&services, other, "EUR", "10.00").await;

        for (bad, code) in [(usd, "currency_mismatch"), (foreign, "customer_mismatch")] {
            let problem = Problem::from(
                services.link_credit_notes(inv, vec![whole(good), whole(bad)], &staff(Role::CreditManager)).await.unwrap_err(),
            );
            assert_eq!(problem.status, 422);
            assert_eq!(problem.code, code);
        }
        let problem = Problem::from(
            services.link_credit_notes(inv, vec![whole(good), whole(999)], &staff(Role::CreditManager)).await.unwrap_err(),
        );
        assert_eq!(problem.code, "not_found");
        let problem = Problem::from(services.link_credit_notes(404, vec![whole(good)], &staff(Role::CreditManager)).await.unwrap_err());
        assert_eq!((problem.status, problem.code.as_str()), (404, "not_found"));

        let unchanged = services.invoice(&staff(Role::Viewer), inv).await.unwrap();
        assert_eq!(unchanged.credited_amount, amount("0.00"));
        assert!(unchanged.allocations.is_empty());
        let page = services.invoice_page(&staff(Role::Viewer), inv, true).await.unwrap();
        let good_note = page.candidates.iter().find(|n| n.id == good).unwrap();
        assert_eq!(good_note.allocated_amount, amount("0.00"));
        // Without the dialog the page does not carry the customer's notes.
        let without = services.invoice_page(&staff(Role::Viewer), inv, false).await.unwrap();
        assert!(without.candidates.is_empty() && without.invoice.id == inv);
    }

    async fn a_partial_amount_keeps_the_note_available(db) {
        let services = db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let inv = invoice(&services, "INV-1", acme, "EUR", "100.00").await;
        let big = available_note(&services, acme, "EUR", "150.00").await;

        let problem = Problem::from(services.link_credit_notes(inv, vec![whole(big)], &staff(Role::CreditManager)).await.unwrap_err());
        assert_eq!(problem.code, "exceeds_outstanding");

        let request = AllocationRequest { credit_note_id: big, amount: Some(amount("100.00")) };
        let after = services.link_credit_notes(inv, vec![request], &staff(Role::CreditManager)).await.unwrap();
        assert_eq!(after.status, InvoiceStatus::Paid);
        let other = invoice(&services, "INV-2", acme, "EUR", "80.00").await;
        let page = services.invoice_page(&staff(Role::Viewer), other, true).await.unwrap();
        let note = page.candidates.iter().find(|n| n.id == big).unwrap();
        assert_eq!(note.remaining_amount(), amount("50.00"));
        assert_eq!(note.status, CreditNoteStatus::Available);
    }

    async fn an_unlinked_allocation_id_is_never_given_again(db) {
        let services = db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let inv = invoice(&services, "INV-1", acme, "EUR", "100.00").await;
        let note = available_note(&services, acme, "EUR", "30.00").await;
        let manager = staff(Role::CreditManager);

        let linked = services.link_credit_notes(inv, vec![whole(note)], &manager).await.unwrap();
        let first = linked.allocations[0].id;
        services.unlink_credit_note(&manager, inv, first).await.unwrap();
        let again = services.link_credit_notes(inv, vec![whole(note)], &manager).await.unwrap();
        assert!(again.allocations[0].id > first, "the newest allocation's id stays retired");
    }

    async fn finalizing_numbers_notes_gaplessly_per_year(db) {
        let services = db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let first = available_note(&services, acme, "EUR", "1.00").await;
        let second = available_note(&services, acme, "EUR", "2.00").await;
        let inv = invoice(&services, "INV-1", acme, "EUR", "100.00").await;
        let page = services.invoice_page(&staff(Role::Viewer), inv, true).await.unwrap();
        let numbers: Vec<_> = page
            .candidates
            .iter()
            .filter(|n| n.id == first || n.id == second)
            .map(|n| n.number.clone().unwrap())
            .collect();
        assert_eq!(numbers, ["CN-2026-00001", "CN-2026-00002"]);
    }

    async fn sixteen_clients_racing_for_one_note_link_it_once(db) {
        let services = db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let note = available_note(&services, acme, "EUR", "10.00").await;
        let mut invoices = Vec::new();
        for i in 0..16 {
            invoices.push(invoice(&services, &format!("INV-{i}"), acme, "EUR", "100.00").await);
        }
        let attempts = invoices.iter().map(|&inv| {
            let services = services.clone();
            tokio::spawn(async move { services.link_credit_notes(inv, vec![whole(note)], &staff(Role::CreditManager)).await })
        });
        let results = futures::future::join_all(attempts).await;
        let mut won = 0;
        for result in results {
            match result.unwrap() {
                Ok(_) => won += 1,
                Err(error) => assert_eq!(Problem::from(error).code, "credit_note_not_available"),
            }
        }
        assert_eq!(won, 1, "exactly one link of the note may succeed");
        let credited: rust_decimal::Decimal = {
            let mut sum = rust_decimal::Decimal::ZERO;
            for inv in &invoices {
                sum += services.invoice(&staff(Role::Viewer), *inv).await.unwrap().credited_amount;
            }
            sum
        };
        assert_eq!(credited, amount("10.00"));
    }

    async fn sixteen_notes_against_one_invoice_fill_it_exactly(db) {
        let services = db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let inv = invoice(&services, "INV-1", acme, "EUR", "100.00").await;
        let mut notes = Vec::new();
        for _ in 0..16 {
            notes.push(available_note(&services, acme, "EUR", "10.00").await);
        }
        let attempts = notes.iter().map(|&note| {
            let services = services.clone();
            tokio::spawn(async move { services.link_credit_notes(inv, vec![whole(note)], &staff(Role::CreditManager)).await })
        });
        let results = futures::future::join_all(attempts).await;
        let won = results.into_iter().filter(|r| matches!(r, Ok(Ok(_)))).count();
        assert_eq!(won, 10);
        let after = services.invoice(&staff(Role::Viewer), inv).await.unwrap();
        assert_eq!(after.credited_amount, amount("100.00"));
        assert_eq!(after.status, InvoiceStatus::Paid);
    }
}

on_both_backends! {
    async fn two_hundred_concurrent_finalizations_number_without_gaps(db) {
        let services = db.services();
        let acme = customer(&services, "Acme", "EUR").await;
        let mut drafts = Vec::new();
        for _ in 0..200 {
            let draft = services
                .create_credit_note(
                    server::services::Caller::CommandLine,
                    server::services::NewCreditNoteInput {
                        customer_id: acme,
                        currency: common::currency("EUR"),
                        date: common::date("2026-11-02"),
                        reason: None,
                        related_invoice_id: None,
                        lines: common::priced("1.00"),
                        charge: None,
                        particulars: Default::default(),
                    },
                )
                .await
                .unwrap();
            drafts.push(draft.note.id);
        }
        let started = std::time::Instant::now();
        let finalizations = drafts.into_iter().map(|id| {
            let services = services.clone();
            tokio::spawn(async move {
                services.finalize_credit_note(server::services::Caller::CommandLine, id).await
            })
        });
        let mut numbers: Vec<String> = futures::future::join_all(finalizations)
            .await
            .into_iter()
            .map(|joined| joined.unwrap().unwrap().number.unwrap())
            .collect();
        println!("200 concurrent finalizations took {:?}", started.elapsed());
        numbers.sort();
        let expected: Vec<String> = (1..=200).map(|n| format!("CN-2026-{n:05}")).collect();
        assert_eq!(numbers, expected);
    }
}
