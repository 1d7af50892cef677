//! The journal of a fiscal year as a DATEV "Buchungsstapel" (EXTF, header version 700, data
//! category 21, format version 13): the file German tax advisers import into DATEV
//! Rechnungswesen. Written to DATEV's published format description (developer.datev.de,
//! "DATEV-Format", Header and Buchungsstapel): a 31-field header line, the 125 column names,
//! then one booking per line; `;`-separated, text in double quotes (inner quotes doubled),
//! amounts with a decimal comma and no sign (the side is the Soll/Haben flag), `Belegdatum`
//! as TTMM in the fiscal year the header opens, CRLF line ends, Windows-1252.
//!
//! Amounts are the books' euros. Each entry's lines become bookings against one line of the
//! same entry (its largest), so every account moves exactly as the journal says, separate VAT
//! lines included; where an account is one of SKR03's automatic revenue accounts, the booking
//! carries BU key 40 so DATEV does not compute that VAT a second time. Lines of a customer are
//! booked to its personal (debtor) account, numbered one digit longer than the ledger
//! accounts: 10000 + its id with four-digit accounts. The batch is written unlocked
//! (Festschreibung 0) for the tax adviser to review.

use app::domain::Permission;
use app::domain::journal::{SKR03_AUTOMATIC_REVENUE, customer_id_of};
use app::model::CurrentUser;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use rust_decimal::Decimal;

use super::{ServiceError, Services};
use crate::storage::{JournalEntryRecord, JournalFilter};

/// Entries read per query, and so held in memory at once.
const PAGE: i64 = 500;

/// Bookings one DATEV batch may hold (DATEV-Format, Formate: "max. 99.999 Buchungen").
pub const MAX_BOOKINGS: i64 = 99_999;

/// The shortest and longest ledger account numbers DATEV knows (header field 14).
const ACCOUNT_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;

/// The 125 column names of format version 13, as DATEV's sample file writes them.
pub const COLUMNS: [&str; 125] = [
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "WKZ Umsatz",
    "Kurs",
    "Basis-Umsatz",
    "WKZ Basis-Umsatz",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "BU-Schlüssel",
    "Belegdatum",
    "Belegfeld 1",
    "Belegfeld 2",
    "Skonto",
    "Buchungstext",
    "Postensperre",
    "Diverse Adressnummer",
    "Geschäftspartnerbank",
    "Sachverhalt",
    "Zinssperre",
    "Beleglink",
    "Beleginfo - Art 1",
    "Beleginfo - Inhalt 1",
    "Beleginfo - Art 2",
    "Beleginfo - Inhalt 2",
    "Beleginfo - Art 3",
    "Beleginfo - Inhalt 3",
    "Beleginfo - Art 4",
    "Beleginfo - Inhalt 4",
    "Beleginfo - Art 5",
    "Beleginfo - Inhalt 5",
    "Beleginfo - Art 6",
    "Beleginfo - Inhalt 6",
    "Beleginfo - Art 7",
    "Beleginfo - Inhalt 7",
    "Beleginfo - Art 8",
    "Beleginfo - Inhalt 8",
    "KOST1 - Kostenstelle",
    "KOST2 - Kostenstelle",
    "Kost-Menge",
    "EU-Land u. UStID (Bestimmung)",
    "EU-Steuersatz (Bestimmung)",
    "Abw. Versteuerungsart",
    "Sachverhalt L+L",
    "Funktionsergänzung L+L",
    "BU 49 Hauptfunktionstyp",
    "BU 49 Hauptfunktionsnummer",
    "BU 49 Funktionsergänzung",
    "Zusatzinformation - Art 1",
    "Zusatzinformation- Inhalt 1",
    "Zusatzinformation - Art 2",
    "Zusatzinformation- Inhalt 2",
    "Zusatzinformation - Art 3",
    "Zusatzinformation- Inhalt 3",
    "Zusatzinformation - Art 4",
    "Zusatzinformation- Inhalt 4",
    "Zusatzinformation - Art 5",
    "Zusatzinformation- Inhalt 5",
    "Zusatzinformation - Art 6",
    "Zusatzinformation- Inhalt 6",
    "Zusatzinformation - Art 7",
    "Zusatzinformation- Inhalt 7",
    "Zusatzinformation - Art 8",
    "Zusatzinformation- Inhalt 8",
    "Zusatzinformation - Art 9",
    "Zusatzinformation- Inhalt 9",
    "Zusatzinformation - Art 10",
    "Zusatzinformation- Inhalt 10",
    "Zusatzinformation - Art 11",
    "Zusatzinformation- Inhalt 11",
    "Zusatzinformation - Art 12",
    "Zusatzinformation- Inhalt 12",
    "Zusatzinformation - Art 13",
    "Zusatzinformation- Inhalt 13",
    "Zusatzinformation - Art 14",
    "Zusatzinformation- Inhalt 14",
    "Zusatzinformation - Art 15",
    "Zusatzinformation- Inhalt 15",
    "Zusatzinformation - Art 16",
    "Zusatzinformation- Inhalt 16",
    "Zusatzinformation - Art 17",
    "Zusatzinformation- Inhalt 17",
    "Zusatzinformation - Art 18",
    "Zusatzinformation- Inhalt 18",
    "Zusatzinformation - Art 19",
    "Zusatzinformation- Inhalt 19",
    "Zusatzinformation - Art 20",
    "Zusatzinformation- Inhalt 20",
    "Stück",
    "Gewicht",
    "Zahlweise",
    "Forderungsart",
    "Veranlagungsjahr",
    "Zugeordnete Fälligkeit",
    "Skontotyp",
    "Auftragsnummer",
    "Buchungstyp",
    "USt-Schlüssel (Anzahlungen)",
    "EU-Land (Anzahlungen)",
    "Sachverhalt L+L (Anzahlungen)",
    "EU-Steuersatz (Anzahlungen)",
    "Erlöskonto (Anzahlungen)",
    "Herkunft-Kz",
    "Buchungs GUID",
    "KOST-Datum",
    "SEPA-Mandatsreferenz",
    "Skontosperre",
    "Gesellschaftername",
    "Beteiligtennummer",
    "Identifikationsnummer",
    "Zeichnernummer",
    "Postensperre bis",
    "Bezeichnung SoBil-Sachverhalt",
    "Kennzeichen SoBil-Buchung",
    "Festschreibung",
    "Leistungsdatum",
    "Datum Zuord. Steuerperiode",
    "Fälligkeit",
    "Generalumkehr (GU)",
    "Steuersatz",
    "Land",
    "Abrechnungsreferenz",
    "BVV-Position",
    "EU-Land u. UStID (Ursprung)",
    "EU-Steuersatz (Ursprung)",
    "Abw. Skontokonto",
];

/// Which columns are text (`q`, written in quotes, `""` when empty) and which numbers (`n`,
/// bare), in [`COLUMNS`] order, as DATEV's sample bookings write them.
const QUOTED: &[u8; 125] = b"nqqnnqnnqnqqnqnqnnnqqqqqqqqqqqqqqqqqqqnqnqnnnnnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnnnqnnnqqnqnnnqqnqnqnqqnqnnnnnqnqqnqnn";

/// Who the batch is for: the tax adviser's number at DATEV and the client's number there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatevClient {
    /// Beraternummer, 1001–9999999.
    pub consultant: u32,
    /// Mandantennummer, 1–99999.
    pub client: u32,
}

impl DatevClient {
    pub const CONSULTANTS: std::ops::RangeInclusive<u32> = 1001..=9_999_999;
    pub const CLIENTS: std::ops::RangeInclusive<u32> = 1..=99_999;
}

/// One booking: an amount moved on `account` (Soll or Haben), the other side on `against`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    pub amount: Decimal,
    /// `S` (debit) or `H` (credit), of `account`.
    pub side: char,
    pub account: u64,
    pub against: u64,
    /// `40` where an automatic account would compute VAT again; empty otherwise.
    pub key: &'static str,
    pub date: NaiveDate,
    pub reference: String,
    pub text: String,
}

/// How ledger and customer accounts are numbered in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Numbering {
    /// Digits of a ledger account (Sachkontenlänge).
    pub digits: usize,
    /// Whether the accounts are SKR03's (its automatic accounts then get BU key 40).
    pub skr03: bool,
}

impl Numbering {
    /// A customer's personal account: `1` then its id on as many digits as ledger accounts
    /// have (10042 for customer 42 with four-digit accounts); `None` past the debtor range
    /// (DATEV keeps 1…–6… for debtors).
    pub fn debtor(self, customer_id: i64) -> Option<u64> {
        let base = 10u64.checked_pow(u32::try_from(self.digits).ok()?)?;
        let id = u64::try_from(customer_id).ok()?;
        let account = base.checked_add(id)?;
        (account < 7 * base).then_some(account)
    }
}

/// Why an entry cannot be written as DATEV bookings.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DatevError {
    #[error("account {0} is not a number DATEV can book")]
    Account(String),
    #[error("customer {0} has no debtor account under DATEV's numbering")]
    Debtor(i64),
}

/// The entry's lines as bookings against its largest line, in euros; lines of no amount and
/// lines on the same account as that line give none.
pub fn bookings(
    entry: &JournalEntryRecord,
    numbering: Numbering,
) -> Result<Vec<Booking>, DatevError> {
    let book = app::domain::exchange::book_currency();
    // Each line's account and signed amount in euros (debit positive).
    let mut moves = Vec::with_capacity(entry.lines.len());
    for line in &entry.lines {
        let (debit, credit) = match line.booked_minor {
            Some((debit, credit)) => (book.from_minor(debit), book.from_minor(credit)),
            None => (
                entry.currency.from_minor(line.debit_minor),
                entry.currency.from_minor(line.credit_minor),
            ),
        };
        let account = match &line.auxiliary {
            Some(aux) => {
                let id = customer_id_of(&aux.account.code)
                    .ok_or_else(|| DatevError::Account(aux.account.code.clone()))?;
                numbering.debtor(id).ok_or(DatevError::Debtor(id))?
            }
            None => ledger_account(&line.account, numbering)?,
        };
        moves.push((account, debit - credit, line.label.as_str()));
    }
    let Some(pivot) = moves
        .iter()
        .enumerate()
        .max_by_key(|(position, (_, amount, _))| (amount.abs(), std::cmp::Reverse(*position)))
        .map(|(position, _)| position)
    else {
        return Ok(Vec::new());
    };
    let against = moves[pivot].0;
    // SKR03's automatic revenue accounts compute their VAT themselves; our entries book that
    // VAT on its own line, so bookings on them switch the automatic off.
    let automatic = |account: u64| {
        numbering.skr03
            && SKR03_AUTOMATIC_REVENUE
                .iter()
                .any(|(code, _)| code.parse() == Ok(account))
    };
    Ok(moves
        .iter()
        .enumerate()
        .filter(|(position, (account, amount, _))| {
            *position != pivot && !amount.is_zero() && *account != against
        })
        .map(|(_, (account, amount, label))| Booking {
            amount: amount.abs(),
            side: if amount.is_sign_positive() { 'S' } else { 'H' },
            account: *account,
            against,
            key: if automatic(*account) || automatic(against) {
                "40"
            } else {
                ""
            },
            date: entry.date,
            reference: entry.reference.clone(),
            text: if label.trim().is_empty() {
                entry.label.clone()
            } else {
                label.to_string()
            },
        })
        .collect())
}

/// A ledger account as DATEV numbers it: its digits, at most as many as the batch's.
fn ledger_account(code: &str, numbering: Numbering) -> Result<u64, DatevError> {
    let code = code.trim();
    if code.is_empty() || code.len() > numbering.digits || !code.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(DatevError::Account(code.to_string()));
    }
    code.parse()
        .map_err(|_| DatevError::Account(code.to_string()))
}

/// A text field: in double quotes, inner quotes doubled, on one line, at most `max`
/// characters, and never read as a formula when the file is opened in a spreadsheet.
fn quoted(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = if flat.starts_with(['=', '+', '-', '@']) {
        format!("'{flat}")
    } else {
        flat
    };
    let cut: String = flat.chars().take(max).collect();
    format!("\"{}\"", cut.replace('"', "\"\""))
}

/// `Belegfeld 1`: the document number in the characters DATEV allows there (letters, digits
/// and `$ % & * + - /`; others become `-`), at most 36.
fn document_field(reference: &str) -> String {
    let allowed: String = reference
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "$%&*+-/".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(36)
        .collect();
    format!("\"{allowed}\"")
}

fn amount(amount: Decimal) -> String {
    format!("{:.2}", amount.round_dp(2)).replace('.', ",")
}

/// One booking as a line of the batch (CRLF included).
pub fn booking_line(booking: &Booking) -> String {
    let mut fields: Vec<String> = QUOTED
        .iter()
        .map(|kind| {
            if *kind == b'q' {
                "\"\"".to_string()
            } else {
                String::new()
            }
        })
        .collect();
    fields[0] = amount(booking.amount);
    fields[1] = format!("\"{}\"", booking.side);
    fields[6] = booking.account.to_string();
    fields[7] = booking.against.to_string();
    fields[8] = format!("\"{}\"", booking.key);
    fields[9] = booking.date.format("%d%m").to_string();
    fields[10] = document_field(&booking.reference);
    fields[13] = quoted(&booking.text, 60);
    let mut line = fields.join(";");
    line.push_str("\r\n");
    line
}

/// What the header says of the batch.
pub struct BatchHeader {
    pub created_at: DateTime<Utc>,
    pub who: DatevClient,
    pub fiscal_year_start: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub numbering: Numbering,
}

/// The header line (31 fields) and the column names, CRLF after each.
pub fn header_lines(header: &BatchHeader) -> String {
    let day = |date: NaiveDate| date.format("%Y%m%d").to_string();
    let fields: [String; 31] = [
        "\"EXTF\"".into(),
        "700".into(),
        "21".into(),
        "\"Buchungsstapel\"".into(),
        "13".into(),
        header.created_at.format("%Y%m%d%H%M%S%3f").to_string(),
        String::new(),
        // Herkunft: two letters of the application writing the file.
        "\"CD\"".into(),
        "\"\"".into(),
        "\"\"".into(),
        header.who.consultant.to_string(),
        header.who.client.to_string(),
        day(header.fiscal_year_start),
        header.numbering.digits.to_string(),
        day(header.from),
        day(header.to),
        format!("\"creditdesk {}\"", header.to.year()),
        "\"\"".into(),
        // Buchungstyp 1: Finanzbuchführung; Rechnungslegungszweck 0: unabhängig.
        "1".into(),
        "0".into(),
        // Festschreibung 0: the adviser reviews the batch before it is locked.
        "0".into(),
        "\"EUR\"".into(),
        String::new(),
        "\"\"".into(),
        String::new(),
        String::new(),
        if header.numbering.skr03 {
            "\"03\"".into()
        } else {
            "\"\"".into()
        },
        String::new(),
        String::new(),
        "\"\"".into(),
        "\"\"".into(),
    ];
    format!("{}\r\n{}\r\n", fields.join(";"), COLUMNS.join(";"))
}

/// A DATEV batch: its file name and its bytes as they are read, page by page.
pub struct DatevFile {
    pub file_name: String,
    pub chunks: BoxStream<'static, Result<Vec<u8>, ServiceError>>,
}

/// Where a batch being streamed stands.
struct DatevCursor {
    services: Services,
    filter: JournalFilter,
    numbering: Numbering,
    head: Option<String>,
    done: bool,
}

impl DatevCursor {
    async fn next_chunk(mut self) -> Result<Option<(Vec<u8>, Self)>, ServiceError> {
        if self.done {
            return Ok(None);
        }
        let page = {
            let mut tx = self.services.storage.read().await?;
            tx.journal_entries(&self.filter).await?
        };
        match page.last() {
            Some(last) if page.len() as i64 == self.filter.limit => self.filter.after = last.id,
            _ => self.done = true,
        }
        let mut text = self.head.take().unwrap_or_default();
        for entry in &page {
            // The checks before the first byte rule these out; were one to slip through, the
            // first page answers 409 and a later one ends the download rather than write a
            // wrong booking.
            let bookings = bookings(entry, self.numbering).map_err(|error| {
                ServiceError::Invalid(app::problem::Problem::new(
                    409,
                    "datev_account_unusable",
                    error.to_string(),
                ))
            })?;
            for booking in &bookings {
                text.push_str(&booking_line(booking));
            }
        }
        Ok(Some((
            super::fec::encoded(&text, encoding_rs::WINDOWS_1252),
            self,
        )))
    }
}

impl Services {
    /// Every journal entry dated in the fiscal year closing in `year`, as a DATEV batch for
    /// the tax adviser `who` (staff). Refused (409) when the year holds more bookings than a
    /// batch may, accounts DATEV cannot number or customers past its debtor range, before a byte
    /// is written.
    pub async fn datev(
        &self,
        user: &CurrentUser,
        year: i32,
        who: DatevClient,
    ) -> Result<DatevFile, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        self.render_limiter.take(user.id)?;
        let year = self.fec_year(year).await?;
        let fiscal = (year.from, year.to);
        let (extent, chart) = {
            let mut tx = self.storage.read().await?;
            let extent = tx.journal_extent(fiscal.0, fiscal.1).await?;
            (extent, tx.chart_of_accounts().await?.unwrap_or_default())
        };
        let refuse = |code: &str, detail: String| {
            ServiceError::Invalid(app::problem::Problem::new(409, code, detail))
        };
        // Each entry books all its lines but one.
        let most_bookings = extent.lines - extent.entries;
        if most_bookings > MAX_BOOKINGS {
            return Err(refuse(
                "datev_batch_too_large",
                format!(
                    "The fiscal year holds up to {most_bookings} bookings; a DATEV batch holds at most {MAX_BOOKINGS}"
                ),
            ));
        }
        let digits = usize::try_from(extent.longest_account)
            .unwrap_or_default()
            .max(*ACCOUNT_DIGITS.start());
        if !ACCOUNT_DIGITS.contains(&digits) {
            return Err(refuse(
                "datev_account_too_long",
                format!(
                    "The journal books accounts of {digits} digits; DATEV numbers ledger accounts with 4 to 8"
                ),
            ));
        }
        let numbering = Numbering {
            digits,
            skr03: chart.is_skr03(),
        };
        if numbering.debtor(extent.highest_customer).is_none() {
            return Err(refuse(
                "datev_customer_number_too_high",
                format!(
                    "Customer {} has no debtor account among {}-digit ledger accounts (DATEV numbers debtors 1… to 6… on one digit more)",
                    extent.highest_customer, digits
                ),
            ));
        }
        let head = header_lines(&BatchHeader {
            created_at: self.now(),
            who,
            fiscal_year_start: fiscal.0,
            from: fiscal.0,
            to: fiscal.1,
            numbering,
        });
        let cursor = DatevCursor {
            services: self.clone(),
            filter: JournalFilter {
                from: Some(fiscal.0),
                to: Some(fiscal.1),
                after: 0,
                limit: PAGE,
            },
            numbering,
            head: Some(head),
            done: false,
        };
        // The first page is read before answering: a failure then is an error status, not a
        // file cut short.
        let (first, cursor) = cursor
            .next_chunk()
            .await?
            .ok_or_else(|| ServiceError::Internal("DATEV: no header".into()))?;
        let rest = futures_util::stream::try_unfold(cursor, DatevCursor::next_chunk);
        Ok(DatevFile {
            file_name: format!(
                "EXTF_Buchungsstapel_{}_{}.csv",
                fiscal.0.format("%Y%m%d"),
                fiscal.1.format("%Y%m%d")
            ),
            chunks: futures_util::stream::iter([Ok(first)]).chain(rest).boxed(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::JournalLineRecord;
    use app::domain::journal::{Auxiliary, Journal, Subledger};

    fn line(account: &str, debit: i64, credit: i64, customer: Option<i64>) -> JournalLineRecord {
        JournalLineRecord {
            account: account.into(),
            account_label: String::new(),
            label: "Rechnung RE-1".into(),
            debit_minor: debit,
            credit_minor: credit,
            auxiliary: customer.map(|id| Auxiliary {
                ledger: Subledger::Receivable,
                account: app::domain::journal::customer_account(id, "Acme"),
            }),
            booked_minor: None,
        }
    }

    fn entry(lines: Vec<JournalLineRecord>) -> JournalEntryRecord {
        JournalEntryRecord {
            id: 1,
            journal: Journal::Sales,
            date: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            reference: "INV-2026-00001".into(),
            label: "Rechnung".into(),
            currency: app::domain::Currency::parse("EUR").unwrap(),
            source: "invoice_issued".into(),
            invoice_id: Some(1),
            credit_note_id: None,
            created_at: Utc::now(),
            seal: String::new(),
            number: Some(1),
            lines,
        }
    }

    const SKR03: Numbering = Numbering {
        digits: 4,
        skr03: true,
    };

    #[test]
    fn an_invoice_books_revenue_and_vat_against_the_customer_and_switches_the_automatic_off() {
        // 1,190.00 to customer 42: 1,000.00 revenue on 8400, 190.00 VAT on 1776.
        let invoice = entry(vec![
            line("1400", 119_000, 0, Some(42)),
            line("8400", 0, 100_000, None),
            line("1776", 0, 19_000, None),
        ]);
        let bookings = bookings(&invoice, SKR03).unwrap();
        let rows: Vec<_> = bookings
            .iter()
            .map(|b| (b.amount.to_string(), b.side, b.account, b.against, b.key))
            .collect();
        assert_eq!(
            rows,
            [
                ("1000.00".to_string(), 'H', 8400, 10042, "40"),
                ("190.00".to_string(), 'H', 1776, 10042, ""),
            ]
        );
        let text = booking_line(&bookings[0]);
        assert!(text.starts_with("1000,00;\"H\";\"\";;;\"\";8400;10042;\"40\";0105;\"INV-2026-00001\";\"\";;\"Rechnung RE-1\";"), "{text}");
        assert!(text.ends_with("\r\n"));
        assert_eq!(text.trim_end().split(';').count(), 125);
    }

    #[test]
    fn a_foreign_entry_books_its_euros() {
        // 100.00 USD at 1.25 to the euro: 80.00 EUR.
        let mut invoice = entry(vec![
            line("1400", 10_000, 0, Some(3)),
            line("8400", 0, 10_000, None),
        ]);
        invoice.currency = app::domain::Currency::parse("USD").unwrap();
        invoice.lines[0].booked_minor = Some((8_000, 0));
        invoice.lines[1].booked_minor = Some((0, 8_000));
        let bookings = bookings(&invoice, SKR03).unwrap();
        assert_eq!(bookings.len(), 1);
        assert_eq!(booking_line(&bookings[0]).split(';').next(), Some("80,00"));
    }

    #[test]
    fn lines_on_the_pivots_account_and_empty_lines_give_no_booking() {
        // A credit note applied: customer credit and receivable are one debtor in DATEV.
        let applied = entry(vec![
            line("1700", 5_000, 0, Some(7)),
            line("1400", 0, 5_000, Some(7)),
            line("2660", 0, 0, None),
        ]);
        assert_eq!(bookings(&applied, SKR03).unwrap(), Vec::new());
    }

    #[test]
    fn accounts_datev_cannot_number_are_refused() {
        let long = entry(vec![
            line("445711", 100, 0, None),
            line("1200", 0, 100, None),
        ]);
        assert_eq!(
            bookings(&long, SKR03),
            Err(DatevError::Account("445711".into()))
        );
        assert_eq!(SKR03.debtor(59_999), Some(69_999));
        assert_eq!(SKR03.debtor(60_000), None, "past the debtor range");
    }

    #[test]
    fn texts_are_quoted_cut_and_kept_from_formulas() {
        assert_eq!(quoted("Say \"hi\"", 60), "\"Say \"\"hi\"\"\"");
        assert_eq!(quoted(&"x".repeat(70), 60).len(), 62);
        assert_eq!(quoted("=1+1", 60), "\"'=1+1\"");
        assert_eq!(quoted("a\r\nb", 60), "\"a  b\"");
        assert_eq!(document_field("CN 2026.00001é"), "\"CN-2026-00001-\"");
    }

    #[test]
    fn the_header_has_31_fields_and_the_columns_125() {
        let head = header_lines(&BatchHeader {
            created_at: DateTime::parse_from_rfc3339("2026-12-06T10:11:12.345Z")
                .unwrap()
                .with_timezone(&Utc),
            who: DatevClient {
                consultant: 29098,
                client: 55003,
            },
            fiscal_year_start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            numbering: SKR03,
        });
        let lines: Vec<&str> = head.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "\"EXTF\";700;21;\"Buchungsstapel\";13;20261206101112345;;\"CD\";\"\";\"\";29098;55003;20260101;4;20260101;20261231;\"creditdesk 2026\";\"\";1;0;0;\"EUR\";;\"\";;;\"03\";;;\"\";\"\""
        );
        assert_eq!(lines[0].split(';').count(), 31);
        assert_eq!(lines[1].split(';').count(), 125);
    }
}
