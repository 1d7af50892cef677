//! Tamper evidence. Each finalized credit note carries a seal: SHA-256 over the seal of the
//! note numbered before it in the same year and over what the note says (number, date,
//! customer, currency, addresses, reason, lines, charge, totals, finalization time; from seal
//! version 2 also the project, the external reference and each line's ship date; from version
//! 3 also each line's VAT category and exemption mention: everything it prints or exports). Editing a sealed note behind the server's back, deleting one, or
//! re-sealing one to hide an edit breaks the chain at that note; `creditdesk verify` walks
//! every chain and names each broken link, recomputing each seal with the version it was made
//! with, so notes sealed before a version existed still verify.
//!
//! What changes legitimately after finalization (allocations, refunds, status, the customer's
//! current name) is not sealed.

use app::domain::CreditNoteNumber;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{ServiceError, Services};
use crate::storage::{CreditNoteRecord, IssuedPrintRecord, SalesDocumentId, Tx};

/// What is wrong with a kept print, if anything: its inputs no longer give its SHA-256 (the
/// seal covers that SHA-256), or its PDF no longer gives the SHA-256 kept with it.
pub(super) fn print_problem(print: &IssuedPrintRecord) -> Option<String> {
    if super::prints::print_sha256(print) != print.sha256 {
        return Some("what it prints was changed after it was finalized".into());
    }
    match (&print.pdf, &print.pdf_sha256) {
        (Some(pdf), Some(kept)) if sha256_hex(pdf) != *kept => {
            Some("its kept PDF was changed after it was rendered".into())
        }
        _ => None,
    }
}

/// What the first note (or invoice) of each year chains to.
pub(super) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The backfill that seals notes finalized before seals existed.
const LEGACY_SEALS: &str = "credit_note_seals";

/// Notes read per query while walking a chain.
const PAGE: i64 = 500;

/// The seal version new seals are made with.
const SEAL_VERSION: i64 = 4;

/// What a version 2 seal adds to version 1: what else the note prints or exports.
#[derive(Serialize)]
struct SealedParticulars<'a> {
    project: Option<&'a str>,
    external_reference: Option<&'a str>,
    ship_dates: Vec<Option<String>>,
}

/// What a version 2 seal covers: version 1's content, then the particulars.
#[derive(Serialize)]
struct SealedV2<'a> {
    version: i64,
    content: SealedContent<'a>,
    particulars: SealedParticulars<'a>,
}

/// What a version 3 seal covers: version 2's, then each line's VAT category and mention.
#[derive(Serialize)]
struct SealedV3<'a> {
    v2: SealedV2<'a>,
    line_vat: Vec<(&'a str, Option<&'a str>)>,
}

/// What a version 4 seal covers: version 3's, then the SHA-256 of what the note prints, as it
/// was frozen when finalized (see `services::prints`).
#[derive(Serialize)]
struct SealedV4<'a> {
    v3: SealedV3<'a>,
    print_sha256: Option<&'a str>,
}

/// What a seal covers, in a fixed order: the note as it was finalized.
#[derive(Serialize)]
struct SealedContent<'a> {
    number: &'a str,
    date: String,
    customer_id: i64,
    currency: &'a str,
    related_invoice_id: Option<i64>,
    reason: Option<&'a str>,
    reason_category: Option<&'a str>,
    billing_address: &'a app::model::Address,
    shipping_address: &'a app::model::Address,
    charge: Option<(&'a str, &'a str)>,
    lines: Vec<SealedLine<'a>>,
    subtotal_minor: i64,
    tax_total_minor: i64,
    total_minor: i64,
    /// Microseconds: what both databases keep.
    finalized_at_us: Option<i64>,
}

#[derive(Serialize)]
struct SealedLine<'a> {
    description: &'a str,
    quantity: String,
    unit_price_minor: i64,
    discount_percent: String,
    tax_rate: String,
    net_minor: i64,
    tax_minor: i64,
    total_minor: i64,
}

/// The seal of `note` after `previous`, as seal `version` covers it (an unknown version never
/// matches); `print` is the SHA-256 of what it prints, from version 4.
fn seal(previous: &str, note: &CreditNoteRecord, version: i64, print: Option<&str>) -> String {
    match version {
        1 => sha256_after(previous, &sealed_content(note)),
        2 => sha256_after(previous, &sealed_v2(note)),
        3 => sha256_after(previous, &sealed_v3(note)),
        4 => sha256_after(
            previous,
            &SealedV4 {
                v3: sealed_v3(note),
                print_sha256: print,
            },
        ),
        _ => String::new(),
    }
}

/// Version 3's content: version 2's and each line's VAT category and mention.
fn sealed_v3(note: &CreditNoteRecord) -> SealedV3<'_> {
    SealedV3 {
        v2: sealed_v2(note),
        line_vat: note
            .lines
            .iter()
            .map(|line| {
                (
                    line.vat_category.as_str(),
                    line.vat_exemption_reason.as_deref(),
                )
            })
            .collect(),
    }
}

/// Version 2's content: version 1's and the particulars.
fn sealed_v2(note: &CreditNoteRecord) -> SealedV2<'_> {
    SealedV2 {
        version: 2,
        content: sealed_content(note),
        particulars: SealedParticulars {
            project: note.project.as_deref(),
            external_reference: note.external_reference.as_deref(),
            ship_dates: note
                .lines
                .iter()
                .map(|line| line.ship_date.map(|date| date.to_string()))
                .collect(),
        },
    }
}

/// Version 1's content: what the note said when seals began.
fn sealed_content(note: &CreditNoteRecord) -> SealedContent<'_> {
    SealedContent {
        number: note.number.as_deref().unwrap_or_default(),
        date: note.date.to_string(),
        customer_id: note.customer_id,
        currency: note.currency.code(),
        related_invoice_id: note.related_invoice_id,
        reason: note.reason.as_deref(),
        reason_category: note.reason_category.map(|category| category.as_str()),
        billing_address: &note.billing_address,
        shipping_address: &note.shipping_address,
        charge: note
            .charge
            .as_ref()
            .map(|charge| (charge.code.as_str(), charge.description.as_str())),
        lines: note
            .lines
            .iter()
            .map(|line| SealedLine {
                description: &line.description,
                quantity: line.quantity.normalize().to_string(),
                unit_price_minor: line.unit_price_minor,
                discount_percent: line.discount_percent.normalize().to_string(),
                tax_rate: line.tax_rate.normalize().to_string(),
                net_minor: line.net_minor,
                tax_minor: line.tax_minor,
                total_minor: line.total_minor,
            })
            .collect(),
        subtotal_minor: note.totals.subtotal_minor,
        tax_total_minor: note.totals.tax_total_minor,
        total_minor: note.totals.total_minor,
        finalized_at_us: note.finalized_at.map(|at| at.timestamp_micros()),
    }
}

/// SHA-256, in hex, over the seal before and the JSON of `content`.
pub(super) fn sha256_after(previous: &str, content: &impl Serialize) -> String {
    // Serializing plain fields cannot fail; an empty text would only ever mismatch.
    let json = serde_json::to_string(content).unwrap_or_default();
    sha256_hex(&[previous.as_bytes(), b"\n", json.as_bytes()].concat())
}

/// SHA-256 of `bytes`, in hex.
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The number before `number` in its year's series, if there is one.
fn previous_number(number: &str) -> Result<Option<String>, ServiceError> {
    let parsed: CreditNoteNumber = number
        .parse()
        .map_err(|error| ServiceError::Internal(format!("credit note {number}: {error}")))?;
    Ok(
        CreditNoteNumber::new(parsed.year(), i64::from(parsed.sequence()) - 1)
            .ok()
            .map(|previous| previous.to_string()),
    )
}

/// Seals the note `id`, just finalized in `tx`, after the note numbered before it. Finalizing
/// holds the year's counter, so no other note of the year is sealed meanwhile.
pub(super) async fn seal_credit_note(tx: &mut Box<dyn Tx>, id: i64) -> Result<(), ServiceError> {
    let note = tx
        .credit_notes(&[id])
        .await?
        .pop()
        .ok_or(ServiceError::NotFound("The credit note"))?;
    let number = note.number.as_deref().unwrap_or_default();
    let previous = match previous_number(number)? {
        // An unsealed predecessor is reported by `verify`; the chain goes on from the start.
        Some(previous) => tx
            .credit_note_seal(&previous)
            .await?
            .unwrap_or_else(|| GENESIS.to_string()),
        None => GENESIS.to_string(),
    };
    let print = tx
        .issued_print(SalesDocumentId::CreditNote(id))
        .await?
        .map(|print| print.sha256);
    let sealed = seal(&previous, &note, SEAL_VERSION, print.as_deref());
    tx.set_credit_note_seal(id, &sealed, SEAL_VERSION).await?;
    Ok(())
}

/// A broken link: the note where a chain stops holding, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    pub number: String,
    pub problem: String,
}

/// One chain: a year's credit notes, or a journal's entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainSummary {
    /// "Credit notes 2026", "Journal VT".
    pub name: String,
    /// The credit notes' year (0 for a journal).
    pub year: i32,
    /// Credit notes: the last number's sequence; journals: the entries.
    pub links: u64,
    /// The last seal: kept outside the database, it shows later that nothing was rewritten.
    pub head: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainReport {
    pub chains: Vec<ChainSummary>,
    pub broken: Vec<BrokenLink>,
}

impl Services {
    /// Walks every year's chain of credit notes in number order, re-computing each seal from
    /// the note and the stored seal before it. An operator's tool (`creditdesk verify`).
    pub async fn verify_seals(&self) -> Result<ChainReport, ServiceError> {
        let mut tx = self.storage.read().await?;
        let mut report = ChainReport::default();
        let mut after: Option<String> = None;
        loop {
            let page = tx.sealed_credit_notes(after.as_deref(), PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.number.clone());
            let ids: Vec<i64> = page.iter().map(|row| row.id).collect();
            let notes = tx.credit_notes(&ids).await?;
            for row in page {
                let broken = |problem: String| BrokenLink {
                    number: row.number.clone(),
                    problem,
                };
                let Ok(number) = row.number.parse::<CreditNoteNumber>() else {
                    report
                        .broken
                        .push(broken("not a credit-note number".into()));
                    continue;
                };
                let chain = match report.chains.last_mut() {
                    Some(chain) if chain.year == number.year() => chain,
                    _ => {
                        report.chains.push(ChainSummary {
                            name: format!("Credit notes {}", number.year()),
                            year: number.year(),
                            links: 0,
                            head: GENESIS.to_string(),
                        });
                        report
                            .chains
                            .last_mut()
                            .ok_or(ServiceError::Internal("a chain was just added".into()))?
                    }
                };
                let expected = chain.links + 1;
                if u64::from(number.sequence()) != expected {
                    let name = |sequence: u64| {
                        CreditNoteNumber::new(chain.year, sequence as i64)
                            .map(|number| number.to_string())
                            .unwrap_or_default()
                    };
                    let last = u64::from(number.sequence()) - 1;
                    report.broken.push(broken(if last == expected {
                        format!("{} before it is missing", name(expected))
                    } else {
                        format!("{} to {} before it are missing", name(expected), name(last))
                    }));
                }
                chain.links = u64::from(number.sequence());
                let Some(note) = notes.iter().find(|note| note.id == row.id) else {
                    continue;
                };
                match &row.seal {
                    None => {
                        report.broken.push(broken("it has no seal".into()));
                        chain.head = GENESIS.to_string();
                    }
                    Some(stored) => {
                        let print = tx
                            .issued_print(SalesDocumentId::CreditNote(note.id))
                            .await?;
                        if let Some(problem) = print.as_ref().and_then(print_problem) {
                            report.broken.push(broken(problem));
                        }
                        let print = print.map(|print| print.sha256);
                        if *stored != seal(&chain.head, note, row.version, print.as_deref()) {
                            report.broken.push(broken(
                                "its seal does not match what it says or the seal before it: \
                                 it was changed after it was finalized"
                                    .into(),
                            ));
                        }
                        chain.head = stored.clone();
                    }
                }
            }
        }
        self.verify_invoices(&mut tx, &mut report).await?;
        self.verify_journal(&mut tx, &mut report).await?;
        Ok(report)
    }

    /// Walks each journal's entries in the order they were written: each balances, and each
    /// seal follows from the one before.
    async fn verify_journal(
        &self,
        tx: &mut Box<dyn Tx>,
        report: &mut ChainReport,
    ) -> Result<(), ServiceError> {
        let mut chains: Vec<ChainSummary> = app::domain::journal::Journal::ALL
            .iter()
            .map(|journal| ChainSummary {
                name: format!("Journal {}", journal.code()),
                year: 0,
                links: 0,
                head: GENESIS.to_string(),
            })
            .collect();
        let mut filter = crate::storage::JournalFilter {
            limit: PAGE,
            ..Default::default()
        };
        loop {
            let page = tx.journal_entries(&filter).await?;
            let Some(last) = page.last() else { break };
            filter.after = last.id;
            for entry in &page {
                let name = format!(
                    "journal {} entry {} ({})",
                    entry.journal.code(),
                    entry.id,
                    entry.reference
                );
                let broken = |problem: &str| BrokenLink {
                    number: name.clone(),
                    problem: problem.to_string(),
                };
                let Some(chain) = chains
                    .iter_mut()
                    .find(|chain| chain.name.ends_with(entry.journal.code()))
                else {
                    continue;
                };
                let debit: i128 = entry
                    .lines
                    .iter()
                    .map(|line| i128::from(line.debit_minor))
                    .sum();
                let credit: i128 = entry
                    .lines
                    .iter()
                    .map(|line| i128::from(line.credit_minor))
                    .sum();
                if debit != credit || entry.lines.is_empty() {
                    report
                        .broken
                        .push(broken("its debits and credits do not balance"));
                }
                if entry.seal != super::journal::entry_seal(&chain.head, entry) {
                    report.broken.push(broken(
                        "its seal does not match what it says or the seal before it: it was \
                         changed or an entry before it was removed",
                    ));
                }
                chain.head = entry.seal.clone();
                chain.links += 1;
            }
        }
        report
            .chains
            .extend(chains.into_iter().filter(|chain| chain.links > 0));
        Ok(())
    }

    /// Seals the notes finalized before seals existed, once (the migration that added seals
    /// asks for it; run at start-up, before any request). A seal already there is never
    /// rewritten.
    pub async fn seal_legacy_credit_notes(&self) -> Result<u64, ServiceError> {
        let mut tx = self.storage.write().await?;
        if !tx.take_pending_backfill(LEGACY_SEALS).await? {
            return Ok(0);
        }
        let mut sealed = 0;
        let mut after: Option<String> = None;
        loop {
            let page = tx.sealed_credit_notes(after.as_deref(), PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.number.clone());
            for row in page.iter().filter(|row| row.seal.is_none()) {
                seal_credit_note(&mut tx, row.id).await?;
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
    use crate::storage::{LineRecord, TotalsRecord};

    fn note() -> CreditNoteRecord {
        CreditNoteRecord {
            id: 1,
            number: Some("CN-2026-00001".into()),
            customer_id: 7,
            customer_name: "Acme".into(),
            currency: app::domain::Currency::parse("EUR").unwrap(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            status: app::domain::CreditNoteStatus::Available,
            reason: Some("Return".into()),
            reason_category: None,
            billing_address: Default::default(),
            shipping_address: Default::default(),
            related_invoice_id: None,
            related_invoice_number: None,
            project: Some("P-7".into()),
            external_reference: Some("SRC-1".into()),
            imported: false,
            charge: None,
            totals: TotalsRecord {
                subtotal_minor: 1000,
                tax_total_minor: 0,
                total_minor: 1000,
            },
            allocated_minor: 0,
            refunded_minor: 0,
            voided_minor: 0,
            void_reason: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            finalized_at: None,
            lines: vec![LineRecord {
                description: "Kettle".into(),
                quantity: 1.into(),
                unit_price_minor: 1000,
                discount_percent: 0.into(),
                tax_rate: 0.into(),
                net_minor: 1000,
                tax_minor: 0,
                total_minor: 1000,
                ship_date: chrono::NaiveDate::from_ymd_opt(2026, 2, 20),
                vat_category: app::domain::VatCategory::Export,
                vat_exemption_reason: Some("Exonération de TVA, article 262 I du CGI".into()),
                nature: app::domain::LineNature::Goods,
                revenue_account: None,
            }],
            allocations: Vec::new(),
            comments: Vec::new(),
        }
    }

    /// Version 2 covers what the note prints beyond version 1 (the project, the external
    /// reference, ship dates); version 1 never looked at them, so seals made before they were
    /// covered keep verifying.
    #[test]
    fn version_two_covers_what_version_one_did_not() {
        let original = note();
        let changes: [fn(&mut CreditNoteRecord); 3] = [
            |note| note.project = Some("P-8".into()),
            |note| note.external_reference = None,
            |note| note.lines[0].ship_date = None,
        ];
        for change in changes {
            let mut changed = note();
            change(&mut changed);
            assert_eq!(
                seal(GENESIS, &changed, 1, None),
                seal(GENESIS, &original, 1, None)
            );
            assert_ne!(
                seal(GENESIS, &changed, 2, None),
                seal(GENESIS, &original, 2, None)
            );
        }
        assert_ne!(
            seal(GENESIS, &original, 1, None),
            seal(GENESIS, &original, 2, None)
        );
        assert_eq!(
            seal(GENESIS, &original, 5, None),
            "",
            "an unknown version never matches"
        );
    }

    /// Version 3 covers why each line is taxed as it is (CGI annexe II art. 242 nonies A,
    /// I-12°: the exemption a line prints is part of the document); version 2 never looked.
    #[test]
    fn version_three_covers_each_lines_vat_category_and_mention() {
        let original = note();
        let changes: [fn(&mut CreditNoteRecord); 2] = [
            |note| note.lines[0].vat_category = app::domain::VatCategory::ZeroRated,
            |note| note.lines[0].vat_exemption_reason = Some("Exonéré".into()),
        ];
        for change in changes {
            let mut changed = note();
            change(&mut changed);
            assert_eq!(
                seal(GENESIS, &changed, 2, None),
                seal(GENESIS, &original, 2, None)
            );
            assert_ne!(
                seal(GENESIS, &changed, 3, None),
                seal(GENESIS, &original, 3, None)
            );
        }
    }

    /// Version 4 covers what the note prints as it was frozen at finalization (CGI art. 289:
    /// the document issued is the one kept): another print, or none, is another seal.
    #[test]
    fn version_four_covers_the_print() {
        let original = note();
        let printed = seal(GENESIS, &original, 4, Some("ab12"));
        assert_ne!(printed, seal(GENESIS, &original, 4, Some("ab13")));
        assert_ne!(printed, seal(GENESIS, &original, 4, None));
        assert_eq!(
            seal(GENESIS, &original, 3, Some("ab12")),
            seal(GENESIS, &original, 3, None)
        );
    }
}
