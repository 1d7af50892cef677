//! What pages and API answers show, built from the records storage reads: amounts back in
//! currency units, lines with the amounts stored for them.

use app::domain::{Charge, Currency};
use app::model::{
    AllocationView, CommentView, CreditNoteView, CustomerView, InvoiceView, LineView, LinkCandidate,
};

use crate::storage::{
    AllocationRecord, CreditNoteBalanceRecord, CreditNoteRecord, CustomerRecord, InvoiceRecord,
    LineRecord,
};

pub(crate) fn line(record: &LineRecord, currency: Currency) -> LineView {
    LineView {
        description: record.description.clone(),
        quantity: record.quantity.normalize(),
        unit_price: currency.from_minor(record.unit_price_minor),
        discount_percent: record.discount_percent.normalize(),
        tax_rate: record.tax_rate.normalize(),
        net: currency.from_minor(record.net_minor),
        tax: currency.from_minor(record.tax_minor),
        total: currency.from_minor(record.total_minor),
        ship_date: record.ship_date,
        vat_category: record.vat_category,
        vat_exemption_reason: record.vat_exemption_reason.clone(),
        nature: record.nature,
        revenue_account: record.revenue_account.clone(),
    }
}

pub(crate) fn allocation(record: AllocationRecord) -> AllocationView {
    AllocationView {
        id: record.id,
        credit_note_id: record.credit_note_id,
        credit_note_number: record.credit_note_number,
        invoice_id: record.invoice_id,
        invoice_number: record.invoice_number,
        amount: record.currency.from_minor(record.amount_minor),
        created_at: record.created_at,
    }
}

pub(crate) fn invoice(record: InvoiceRecord) -> InvoiceView {
    let currency = record.currency;
    let amount = |minor| currency.from_minor(minor);
    InvoiceView {
        id: record.id,
        number: record.number,
        customer_id: record.customer_id,
        customer_name: record.customer_name,
        currency,
        issue_date: record.issue_date,
        due_date: record.due_date,
        kind: record.kind,
        status: record.status,
        lines: record.lines.iter().map(|l| line(l, currency)).collect(),
        subtotal: amount(record.totals.subtotal_minor),
        tax_total: amount(record.totals.tax_total_minor),
        total: amount(record.totals.total_minor),
        paid_amount: amount(record.paid_minor),
        credited_amount: amount(record.credited_minor),
        related_invoice_id: record.related_invoice_id,
        project: record.project,
        imported: record.imported,
        allocations: record.allocations.into_iter().map(allocation).collect(),
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// A row of the link dialog, from a note's amounts alone.
pub(crate) fn link_candidate(record: CreditNoteBalanceRecord) -> LinkCandidate {
    let balance = record.balance;
    LinkCandidate {
        id: balance.id,
        number: record.number,
        customer_id: balance.customer_id,
        currency: balance.currency,
        date: record.date,
        status: balance.status,
        total: balance.total,
        allocated_amount: balance.allocated,
        refunded_amount: balance.refunded,
        voided_amount: balance.voided,
    }
}

pub(crate) fn credit_note(record: CreditNoteRecord) -> CreditNoteView {
    let currency = record.currency;
    let amount = |minor| currency.from_minor(minor);
    let total = amount(record.totals.total_minor);
    CreditNoteView {
        id: record.id,
        number: record.number,
        customer_id: record.customer_id,
        customer_name: record.customer_name,
        currency,
        date: record.date,
        status: record.status,
        reason: record.reason,
        reason_category: record.reason_category,
        billing_address: record.billing_address,
        shipping_address: record.shipping_address,
        related_invoice_id: record.related_invoice_id,
        related_invoice_number: record.related_invoice_number,
        project: record.project,
        external_reference: record.external_reference,
        imported: record.imported,
        ship_date: app::domain::latest_ship_date(
            &record.lines.iter().map(|l| l.ship_date).collect::<Vec<_>>(),
        ),
        lines: record.lines.iter().map(|l| line(l, currency)).collect(),
        // A charge is the note's whole (untaxed) amount.
        charge: record.charge.map(|charge| Charge {
            code: charge.code,
            description: charge.description,
            amount: total,
        }),
        subtotal: amount(record.totals.subtotal_minor),
        tax_total: amount(record.totals.tax_total_minor),
        total,
        allocated_amount: amount(record.allocated_minor),
        refunded_amount: amount(record.refunded_minor),
        voided_amount: amount(record.voided_minor),
        void_reason: record.void_reason,
        allocations: record.allocations.into_iter().map(allocation).collect(),
        comments: record
            .comments
            .into_iter()
            .map(|c| CommentView {
                id: c.id,
                author: c.author,
                text: c.text,
                created_at: c.created_at,
            })
            .collect(),
        created_at: record.created_at,
        finalized_at: record.finalized_at,
    }
}

pub(crate) fn customer(record: CustomerRecord) -> CustomerView {
    CustomerView {
        id: record.id,
        name: record.name,
        email: record.email,
        currency: record.currency,
        tax_region: record.tax_region,
        siren: record.siren.or_else(|| {
            record
                .vat_id
                .as_deref()
                .and_then(app::domain::siren_of_french_vat_id)
        }),
        vat_id: record.vat_id,
        consumer: record.consumer,
        billing_address: record.billing_address,
        shipping_address: record.shipping_address,
        portal_enabled: record.portal_enabled,
        reminder_days: record.reminder_days,
        document_language: record.document_language,
        created_at: record.created_at,
    }
}
