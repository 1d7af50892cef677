//! Tamper evidence for invoices, as for credit notes (see [`super::seals`]): each invoice
//! issued here carries a seal, SHA-256 over the seal of the invoice numbered before it in its
//! year's series and over what it says and prints (number, dates, customer, currency, kind,
//! the invoice it corrects, lines, totals, and the SHA-256 of its frozen print). Editing,
//! deleting or re-sealing one behind the server's back breaks the chain at that invoice;
//! `creditdesk verify` walks every chain. Invoices issued by another system (imported) are
//! that system's, and change with its imports: they are not sealed here.
//!
//! What changes legitimately after issue (payments, credits, status) is not sealed.

use serde::Serialize;

use super::seals::{BrokenLink, ChainReport, ChainSummary, GENESIS, sha256_after};
use super::{ServiceError, Services};
use crate::storage::{InvoiceRecord, SalesDocumentId, Tx};

/// The backfill that seals invoices issued before invoices were sealed.
const LEGACY_SEALS: &str = "invoice_seals";

/// Invoices read per query while walking a chain.
const PAGE: i64 = 500;

/// The seal version new seals are made with.
const SEAL_VERSION: i64 = 1;

/// What an invoice's seal covers, in a fixed order.
#[derive(Serialize)]
struct SealedInvoice<'a> {
    number: &'a str,
    issue_date: String,
    due_date: Option<String>,
    customer_id: i64,
    currency: &'a str,
    kind: &'a str,
    related_invoice_id: Option<i64>,
    project: Option<&'a str>,
    lines: Vec<SealedLine<'a>>,
    subtotal_minor: i64,
    tax_total_minor: i64,
    total_minor: i64,
    /// What it prints, frozen when it was issued (none for invoices issued before).
    print_sha256: Option<&'a str>,
}

#[derive(Serialize)]
struct SealedLine<'a> {
    description: &'a str,
    quantity: String,
    unit_price_minor: i64,
    discount_percent: String,
    tax_rate: String,
    nature: &'a str,
    vat_category: &'a str,
    vat_exemption_reason: Option<&'a str>,
    ship_date: Option<String>,
    net_minor: i64,
    tax_minor: i64,
    total_minor: i64,
}

/// The seal of `invoice` after `previous`, as seal `version` covers it (an unknown version
/// never matches).
fn seal(previous: &str, invoice: &InvoiceRecord, version: i64, print: Option<&str>) -> String {
    if version != 1 {
        return String::new();
    }
    let sealed = SealedInvoice {
        number: &invoice.number,
        issue_date: invoice.issue_date.to_string(),
        due_date: invoice.due_date.map(|date| date.to_string()),
        customer_id: invoice.customer_id,
        currency: invoice.currency.code(),
        kind: invoice.kind.as_str(),
        related_invoice_id: invoice.related_invoice_id,
        project: invoice.project.as_deref(),
        lines: invoice
            .lines
            .iter()
            .map(|line| SealedLine {
                description: &line.description,
                quantity: line.quantity.normalize().to_string(),
                unit_price_minor: line.unit_price_minor,
                discount_percent: line.discount_percent.normalize().to_string(),
                tax_rate: line.tax_rate.normalize().to_string(),
                nature: line.nature.as_str(),
                vat_category: line.vat_category.as_str(),
                vat_exemption_reason: line.vat_exemption_reason.as_deref(),
                ship_date: line.ship_date.map(|date| date.to_string()),
                net_minor: line.net_minor,
                tax_minor: line.tax_minor,
                total_minor: line.total_minor,
            })
            .collect(),
        subtotal_minor: invoice.totals.subtotal_minor,
        tax_total_minor: invoice.totals.tax_total_minor,
        total_minor: invoice.totals.total_minor,
        print_sha256: print,
    };
    sha256_after(previous, &sealed)
}

/// The SHA-256 of the invoice's frozen print, if it has one.
async fn print_sha256(tx: &mut Box<dyn Tx>, id: i64) -> Result<Option<String>, ServiceError> {
    Ok(tx
        .issued_print(SalesDocumentId::Invoice(id))
        .await?
        .map(|print| print.sha256))
}

/// Seals the invoice `id`, just issued in `tx`, after the sealed invoice numbered before it.
/// Issuing holds the year's counter, so no other invoice of the series is sealed meanwhile.
pub(super) async fn seal_invoice(tx: &mut Box<dyn Tx>, id: i64) -> Result<(), ServiceError> {
    let invoice = tx
        .invoice(id)
        .await?
        .ok_or(ServiceError::NotFound("The invoice"))?;
    let previous = tx
        .invoice_seal_before(&invoice.number)
        .await?
        .unwrap_or_else(|| GENESIS.to_string());
    let print = print_sha256(tx, id).await?;
    let sealed = seal(&previous, &invoice, SEAL_VERSION, print.as_deref());
    tx.set_invoice_seal(id, &sealed, SEAL_VERSION).await?;
    Ok(())
}

/// The year of an invoice number of the series (`INV-2026-00042`).
fn series_year(number: &str) -> Option<i32> {
    number.strip_prefix("INV-")?.get(..4)?.parse().ok()
}

impl Services {
    /// Walks every year's chain of invoices in number order, re-computing each seal from the
    /// invoice and the seal before it.
    pub(super) async fn verify_invoices(
        &self,
        tx: &mut Box<dyn Tx>,
        report: &mut ChainReport,
    ) -> Result<(), ServiceError> {
        let mut after: Option<String> = None;
        let mut chains: Vec<ChainSummary> = Vec::new();
        loop {
            let page = tx.sealed_invoices(after.as_deref(), PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.number.clone());
            for row in page {
                let broken = |problem: String| BrokenLink {
                    number: row.number.clone(),
                    problem,
                };
                let year = series_year(&row.number).unwrap_or(0);
                let chain = match chains.last_mut() {
                    Some(chain) if chain.year == year => chain,
                    _ => {
                        chains.push(ChainSummary {
                            name: format!("Invoices {year}"),
                            year,
                            links: 0,
                            head: GENESIS.to_string(),
                        });
                        chains
                            .last_mut()
                            .ok_or(ServiceError::Internal("a chain was just added".into()))?
                    }
                };
                chain.links += 1;
                let Some(stored) = &row.seal else {
                    report.broken.push(broken("it has no seal".into()));
                    continue;
                };
                let Some(invoice) = tx.invoice(row.id).await? else {
                    continue;
                };
                let print = tx.issued_print(SalesDocumentId::Invoice(row.id)).await?;
                if let Some(problem) = print.as_ref().and_then(super::seals::print_problem) {
                    report.broken.push(broken(problem));
                }
                let print = print.map(|print| print.sha256);
                if *stored != seal(&chain.head, &invoice, row.version, print.as_deref()) {
                    report.broken.push(broken(
                        "its seal does not match what it says or the seal before it: it was \
                         changed after it was issued"
                            .into(),
                    ));
                }
                chain.head = stored.clone();
            }
        }
        report.chains.extend(chains);
        Ok(())
    }

    /// Seals, once, the invoices issued before invoices were sealed (when the migration that
    /// added seals asks for it; run at start-up, before any request), in number order.
    pub async fn seal_legacy_invoices(&self) -> Result<u64, ServiceError> {
        let mut tx = self.storage.write().await?;
        if !tx.take_pending_backfill(LEGACY_SEALS).await? {
            return Ok(0);
        }
        let mut sealed = 0;
        let mut after: Option<String> = None;
        loop {
            let page = tx.sealed_invoices(after.as_deref(), PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.number.clone());
            for row in page.iter().filter(|row| row.seal.is_none()) {
                seal_invoice(&mut tx, row.id).await?;
                sealed += 1;
            }
        }
        tx.commit().await?;
        Ok(sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_series_year_is_read_from_the_number() {
        assert_eq!(series_year("INV-2026-00042"), Some(2026));
        assert_eq!(series_year("ERP-77"), None);
    }
}
