//! The FEC (fichier des écritures comptables, French tax procedure code art. A47 A-1): every
//! journal entry of a fiscal year, one line per debit or credit, 18 tab-separated columns,
//! dates as YYYYMMDD and amounts with a decimal comma, in ISO 8859-15 (A47 A-1, III-1°), and
//! the description of the file that must go with it (A47 A-1, II).
//!
//! Receivable lines of an invoice settled in full, and customer-credit lines of a note used in
//! full, are lettered together (`EcritureLet`: `F` or `A` and the document's id; `DateLet`: the
//! day of the last of them), as they stand when the file is written.
//!
//! A year of a busy ledger is millions of lines: the file is streamed, a page of entries per
//! read transaction, so the server holds one page at a time whatever the year's size. Entries
//! are sealed and never change, so reading them page by page (by id) gives the same file as
//! one snapshot, plus whatever is posted to the year while it downloads.

use std::collections::HashMap;

use app::domain::Permission;
use app::domain::journal::Subledger;
use app::model::CurrentUser;
use chrono::NaiveDate;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use rust_decimal::Decimal;

use super::{ServiceError, Services};
use crate::storage::{JournalEntryRecord, JournalFilter, JournalLineRecord};

/// The columns, in the order the format fixes.
pub const FEC_COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// The currency the books are kept in; other currencies also fill `Montantdevise`/`Idevise`.
const BOOK_CURRENCY: &str = app::domain::exchange::BOOK_CURRENCY;

/// Entries read per query, and so held in memory at once.
const PAGE: i64 = 500;

/// A FEC file: its name (`<SIREN>FEC<closing date>.txt`), and its text as it is read, the
/// header and a page of entries per chunk.
pub struct FecFile {
    pub file_name: String,
    pub chunks: BoxStream<'static, Result<Vec<u8>, ServiceError>>,
}

/// Where a FEC being streamed stands: the next page to read, and each journal's last
/// `EcritureNum` (entries are numbered within their journal, across pages).
struct FecCursor {
    services: Services,
    filter: JournalFilter,
    numbers: HashMap<&'static str, u64>,
    header_written: bool,
    done: bool,
}

fn date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

fn amount(amount: Decimal) -> String {
    format!("{:.2}", amount).replace('.', ",")
}

/// A text field: never the separator or a line break, and never read as a formula when the
/// file is opened in a spreadsheet (names, labels and numbers come from users): one that would
/// start with `=`, `+`, `-`, `@`, a tab or a line break starts with `'` instead. Amounts and
/// dates are written by the server and never pass here.
fn text(value: &str) -> String {
    let looks_like_formula = value.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']);
    let value = value.replace(['\t', '\r', '\n'], " ");
    if looks_like_formula {
        format!("'{value}")
    } else {
        value
    }
}

/// The documents settled on each customer ledger, with the day they were: what letters
/// their lines.
#[derive(Default)]
struct Lettering {
    invoices: HashMap<i64, NaiveDate>,
    credit_notes: HashMap<i64, NaiveDate>,
}

impl Lettering {
    /// The settlement of the documents `entries` name on the customer ledgers, read in `tx`.
    async fn of(
        tx: &mut Box<dyn crate::storage::Tx>,
        entries: &[JournalEntryRecord],
    ) -> Result<Self, ServiceError> {
        let mut invoices = Vec::new();
        let mut credit_notes = Vec::new();
        for entry in entries {
            for line in &entry.lines {
                match (line.auxiliary.as_ref().map(|aux| aux.ledger), entry) {
                    (
                        Some(Subledger::Receivable),
                        JournalEntryRecord {
                            invoice_id: Some(id),
                            ..
                        },
                    ) => invoices.push(*id),
                    (
                        Some(Subledger::CustomerCredit),
                        JournalEntryRecord {
                            credit_note_id: Some(id),
                            ..
                        },
                    ) => credit_notes.push(*id),
                    _ => {}
                }
            }
        }
        for ids in [&mut invoices, &mut credit_notes] {
            ids.sort_unstable();
            ids.dedup();
        }
        Ok(Lettering {
            invoices: tx
                .settled_on_ledger(Subledger::Receivable, &invoices)
                .await?,
            credit_notes: tx
                .settled_on_ledger(Subledger::CustomerCredit, &credit_notes)
                .await?,
        })
    }

    /// `EcritureLet` and `DateLet` of `line` of `entry`: blank unless its document is settled.
    fn of_line(&self, entry: &JournalEntryRecord, line: &JournalLineRecord) -> (String, String) {
        let letter = match line.auxiliary.as_ref().map(|aux| aux.ledger) {
            Some(Subledger::Receivable) => entry
                .invoice_id
                .and_then(|id| Some((format!("F{id}"), *self.invoices.get(&id)?))),
            Some(Subledger::CustomerCredit) => entry
                .credit_note_id
                .and_then(|id| Some((format!("A{id}"), *self.credit_notes.get(&id)?))),
            None => None,
        };
        letter.map_or_else(Default::default, |(code, day)| (code, date(day)))
    }
}

/// `text` in ISO 8859-15, the character set A47 A-1 (III-1°) allows that holds French: a
/// character it lacks becomes `?`.
fn latin9(text: &str) -> Vec<u8> {
    encoded(text, encoding_rs::ISO_8859_15)
}

/// `text` in a single-byte `encoding`; a character it lacks becomes `?`.
pub(super) fn encoded(text: &str, encoding: &'static encoding_rs::Encoding) -> Vec<u8> {
    let mut encoder = encoding.new_encoder();
    let mut out = Vec::with_capacity(text.len() + 8);
    let mut rest = text;
    loop {
        // At most as many bytes as the UTF-8 input, plus room for the `?` of a gap.
        let mut buffer = vec![0u8; rest.len() + 8];
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut buffer, true);
        out.extend_from_slice(&buffer[..written]);
        rest = &rest[read..];
        match result {
            encoding_rs::EncoderResult::Unmappable(_) => out.push(b'?'),
            encoding_rs::EncoderResult::InputEmpty | encoding_rs::EncoderResult::OutputFull => {
                if rest.is_empty() {
                    return out;
                }
            }
        }
    }
}

/// Writes the entries as FEC lines (after the header, when `header`); entries are numbered
/// within their journal, in order, following `numbers`.
fn write_fec(
    entries: &[JournalEntryRecord],
    lettering: &Lettering,
    numbers: &mut HashMap<&'static str, u64>,
    header: bool,
) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Never)
        .from_writer(Vec::new());
    if header {
        writer.write_record(FEC_COLUMNS)?;
    }
    for entry in entries {
        let code = entry.journal.code();
        // Its stored number; an entry written before numbers were stored takes the next in the
        // order written, which the stored ones continue.
        let number = numbers.entry(code).or_default();
        *number = match entry.number {
            Some(stored) => u64::try_from(stored).unwrap_or_default(),
            None => *number + 1,
        };
        let foreign = entry.currency.code() != BOOK_CURRENCY;
        for line in &entry.lines {
            let own_debit = entry.currency.from_minor(line.debit_minor);
            let own_credit = entry.currency.from_minor(line.credit_minor);
            // Debit and credit in euros; an entry written before the books were kept in euros
            // has its own amounts only.
            let (debit, credit) = match line.booked_minor {
                Some((debit, credit)) => {
                    let book = app::domain::exchange::book_currency();
                    (book.from_minor(debit), book.from_minor(credit))
                }
                None => (own_debit, own_credit),
            };
            let (foreign_amount, foreign_code) = if foreign {
                (
                    amount(own_debit.max(own_credit)),
                    entry.currency.code().to_string(),
                )
            } else {
                (String::new(), String::new())
            };
            let (letter, lettered_on) = lettering.of_line(entry, line);
            writer.write_record([
                code.to_string(),
                text(entry.journal.label()),
                format!("{code}{number:06}"),
                date(entry.date),
                text(&line.account),
                text(&line.account_label),
                // The customer's own account, on receivable and customer-credit lines.
                line.auxiliary
                    .as_ref()
                    .map_or_else(String::new, |aux| text(&aux.account.code)),
                line.auxiliary
                    .as_ref()
                    .map_or_else(String::new, |aux| text(&aux.account.label)),
                text(&entry.reference),
                date(entry.date),
                text(&line.label),
                amount(debit),
                amount(credit),
                letter,
                lettered_on,
                date(entry.created_at.date_naive()),
                foreign_amount,
                foreign_code,
            ])?;
        }
    }
    let utf8 = writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))?;
    Ok(latin9(&String::from_utf8_lossy(&utf8)))
}

impl FecCursor {
    /// The next chunk: the header with the first page, then a page per call; `None` after the
    /// last page.
    async fn next_chunk(mut self) -> Result<Option<(Vec<u8>, Self)>, ServiceError> {
        if self.done {
            return Ok(None);
        }
        let (page, lettering) = {
            let mut tx = self.services.storage.read().await?;
            let page = tx.journal_entries(&self.filter).await?;
            let lettering = Lettering::of(&mut tx, &page).await?;
            (page, lettering)
        };
        match page.last() {
            Some(last) if page.len() as i64 == self.filter.limit => self.filter.after = last.id,
            _ => self.done = true,
        }
        let chunk = write_fec(&page, &lettering, &mut self.numbers, !self.header_written)
            .map_err(|error| ServiceError::Internal(format!("FEC: {error}")))?;
        self.header_written = true;
        Ok(Some((chunk, self)))
    }
}

/// The fiscal year a FEC covers and what names it.
pub(super) struct FecYear {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `<SIREN>FEC<closing date>.txt`.
    file_name: String,
    seller: Option<app::model::SellerProfile>,
}

/// What each column of [`FEC_COLUMNS`] holds, in the same order (A47 A-1, II-1°): its nature
/// and meaning.
const COLUMN_MEANINGS: [&str; 18] = [
    "Texte. Code du journal (voir les codes)",
    "Texte. Libellé du journal",
    "Texte. Numéro de l'écriture, continu par journal sur l'exercice",
    "Date AAAAMMJJ. Date de comptabilisation de l'écriture",
    "Texte. Numéro de compte (plan comptable général)",
    "Texte. Libellé du compte",
    "Texte. Compte auxiliaire du client (C et son identifiant sur six chiffres), sur les comptes clients et clients créditeurs",
    "Texte. Nom du client lors de l'écriture",
    "Texte. Numéro de la facture ou de l'avoir",
    "Date AAAAMMJJ. Date de la pièce",
    "Texte. Libellé de l'écriture",
    "Montant au débit, virgule décimale, sans séparateur de milliers",
    "Montant au crédit, virgule décimale, sans séparateur de milliers",
    "Texte. Lettrage : F et l'identifiant de la facture soldée, A et l'identifiant de l'avoir entièrement utilisé",
    "Date AAAAMMJJ. Date du lettrage : la dernière écriture qui solde la pièce",
    "Date AAAAMMJJ. Date de validation de l'écriture (son enregistrement, irréversible)",
    "Montant en devise des écritures tenues dans une autre monnaie que l'euro",
    "Texte. Code ISO 4217 de cette devise",
];

impl Services {
    /// The fiscal year that closes in `year` (Settings; the calendar year by default) and the
    /// name of its FEC.
    pub(super) async fn fec_year(&self, year: i32) -> Result<FecYear, ServiceError> {
        let seller = {
            let mut tx = self.storage.read().await?;
            tx.seller().await?
        };
        let end = seller
            .as_ref()
            .and_then(|seller| seller.fiscal_year_end.as_deref())
            .and_then(|end| app::domain::FiscalYearEnd::parse(end).ok())
            .unwrap_or_default();
        let Some((from, to)) = end.year_closing_in(year) else {
            return Err(super::rule(
                app::domain::RuleCode::ValidationError,
                "year",
                "Use a year like 2026",
            ));
        };
        // The SIREN of Settings; a seller that gave none yet is named by its French VAT id.
        let siren = seller.as_ref().and_then(|seller| {
            seller.legal_identity.siren.clone().or_else(|| {
                seller
                    .vat_id
                    .as_deref()
                    .and_then(app::domain::siren_of_french_vat_id)
            })
        });
        Ok(FecYear {
            from,
            to,
            file_name: format!("{}FEC{}.txt", siren.unwrap_or_default(), date(to)),
            seller,
        })
    }

    /// Every journal entry dated in the fiscal year closing in `year`, as a FEC file (staff).
    pub async fn fec(&self, user: &CurrentUser, year: i32) -> Result<FecFile, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        self.render_limiter.take(user.id)?;
        let fiscal = self.fec_year(year).await?;
        let cursor = FecCursor {
            services: self.clone(),
            filter: JournalFilter {
                from: Some(fiscal.from),
                to: Some(fiscal.to),
                after: 0,
                limit: PAGE,
            },
            numbers: HashMap::new(),
            header_written: false,
            done: false,
        };
        // The first page is read before answering: a database that fails then is an error
        // status, not a file cut short.
        let (first, cursor) = cursor
            .next_chunk()
            .await?
            .ok_or_else(|| ServiceError::Internal("FEC: no header".into()))?;
        let rest = futures_util::stream::try_unfold(cursor, FecCursor::next_chunk);
        let chunks = futures_util::stream::iter([Ok(first)]).chain(rest).boxed();
        Ok(FecFile {
            file_name: fiscal.file_name,
            chunks,
        })
    }

    /// The description that goes with the FEC of `year` (A47 A-1, II: each column's name,
    /// nature and meaning, the codes its values use, and how the file is written), in the
    /// FEC's own character set (staff).
    pub async fn fec_description(
        &self,
        user: &CurrentUser,
        year: i32,
    ) -> Result<(String, Vec<u8>), ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let fiscal = self.fec_year(year).await?;
        let chart = {
            let mut tx = self.storage.read().await?;
            tx.chart_of_accounts().await?.unwrap_or_default()
        };
        let day = |day: NaiveDate| day.format("%d/%m/%Y").to_string();
        let seller = fiscal.seller.as_ref();
        let mut text = format!(
            "Description du fichier des écritures comptables {}\n\
             (article A47 A-1 du livre des procédures fiscales)\n\n\
             Entreprise : {}\nSIREN : {}\nExercice : du {} au {}\n\
             Monnaie de tenue de la comptabilité : EUR\n\n\
             Caractéristiques techniques\n\
             - Jeu de caractères : ISO 8859-15\n\
             - Structure : fichier à plat, à organisation séquentielle, mono-structure, \
             enregistrements de longueur variable\n\
             - Séparateur de zone : tabulation (code 09) ; séparateur d'enregistrement : \
             fin de ligne (code 0A)\n\
             - La première ligne donne le nom des 18 zones ; une ligne par débit ou crédit \
             d'écriture, dans l'ordre de leur enregistrement\n\
             - Dates : AAAAMMJJ ; montants : virgule décimale, deux décimales, sans séparateur \
             de milliers ni signe\n\n\
             Zones\n",
            fiscal.file_name,
            seller.map_or("", |seller| seller.name.as_str()),
            seller
                .and_then(|seller| seller.legal_identity.siren.as_deref())
                .unwrap_or(""),
            day(fiscal.from),
            day(fiscal.to),
        );
        for (position, (name, meaning)) in FEC_COLUMNS.iter().zip(COLUMN_MEANINGS).enumerate() {
            text.push_str(&format!("{:>2}. {name} : {meaning}\n", position + 1));
        }
        text.push_str("\nCodes des journaux\n");
        for journal in app::domain::journal::Journal::ALL {
            text.push_str(&format!("- {} : {}\n", journal.code(), journal.label()));
        }
        text.push_str("\nComptes utilisés par les écritures (plan de comptes en vigueur)\n");
        let rates = chart.vat_rates.iter().map(|row| &row.account);
        for account in chart
            .accounts()
            .into_iter()
            .map(|(_, account)| account)
            .chain(rates)
        {
            text.push_str(&format!("- {} : {}\n", account.code, account.label));
        }
        Ok((
            fiscal.file_name.replace(".txt", "_description.txt"),
            latin9(&text),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_a_decimal_comma_and_texts_stay_on_their_line() {
        assert_eq!(amount("1410.5".parse().unwrap()), "1410,50");
        assert_eq!(amount(Decimal::ZERO), "0,00");
        assert_eq!(text("a\tb\nc"), "a b c");
        assert_eq!(text("=1+1"), "'=1+1");
        assert_eq!(text("\t@SUM(1)"), "' @SUM(1)");
        assert_eq!(text("Facture =1"), "Facture =1");
    }
}
