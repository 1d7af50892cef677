//! The accounting entries the desk writes: each is balanced (debits equal credits) and
//! append-only; a correction is a new entry that reverses an earlier one.
//!
//! The scheme, on the accounts of a [`ChartOfAccounts`] (PCG art. 944-70 and 944-44):
//! - an invoice is issued: debit receivable (total); credit revenue (net) per line nature and
//!   rate (goods 707, services 706), and the VAT of each rate to its own account (44571x);
//! - a payment is recorded: debit bank; credit receivable;
//! - a credit note is finalized: debit what the invoice credited (a return or a correction
//!   reverses the revenue account of the lines it credits; goodwill is a discount granted,
//!   709) and the VAT of each rate; credit customer credits (4197, the customer's credit
//!   balance, not yet applied to an invoice);
//! - a credit note is linked to an invoice: debit customer credits; credit receivable
//!   (unlinking writes the reverse);
//! - a credit note is refunded: debit customer credits; credit bank;
//! - what remains of a credit note is voided: debit customer credits; credit the write-off
//!   account (the credit balance nobody will claim becomes income, PCG 758).
//!
//! VAT on services is due when they are paid, unless the seller opted for debits (CGI art.
//! 269-2-c): a document's service VAT then waits on VAT awaiting payment (44574), and each
//! payment, credit applied, refund or void moves the part it settles to the rate's account
//! (44571x). See [`vat_on_payment_released`].
//!
//! A document in another currency than the books' is booked at the rate it was issued at:
//! every line keeps its own amount and carries its value in euros ([`BookAmounts`]); a
//! settlement values the document's side at the document's rate and the bank's at the day's,
//! and what the two differ by is a realised exchange difference (666 / 766), as is what
//! rounding each line to the cent leaves over ([`super::exchange`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::lines::{LineInput, totals_by};
use super::money::MoneyError;
use super::{Currency, LineNature, ReasonCategory};

/// The journals entries are kept in, by their usual French codes.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Journal {
    /// `VT`: invoices and credit notes.
    #[serde(rename = "VT")]
    Sales,
    /// `BQ`: payments and refunds.
    #[serde(rename = "BQ")]
    Bank,
    /// `OD`: credit notes applied to invoices.
    #[serde(rename = "OD")]
    Miscellaneous,
}

impl Journal {
    pub const ALL: [Journal; 3] = [Journal::Sales, Journal::Bank, Journal::Miscellaneous];

    pub fn code(self) -> &'static str {
        match self {
            Journal::Sales => "VT",
            Journal::Bank => "BQ",
            Journal::Miscellaneous => "OD",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Journal::Sales => "Ventes",
            Journal::Bank => "Banque",
            Journal::Miscellaneous => "Opérations diverses",
        }
    }

    pub fn parse(code: &str) -> Option<Journal> {
        Journal::ALL
            .into_iter()
            .find(|journal| journal.code() == code)
    }
}

/// An account of the general ledger: its number and its name.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    #[cfg_attr(feature = "ssr", schema(example = "411000"))]
    pub code: String,
    #[cfg_attr(feature = "ssr", schema(example = "Clients"))]
    pub label: String,
}

impl Account {
    pub fn new(code: &str, label: &str) -> Self {
        Account {
            code: code.into(),
            label: label.into(),
        }
    }
}

/// The accounts entries are written to; a setting (a French PCG chart by default).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartOfAccounts {
    pub receivable: Account,
    pub customer_credit: Account,
    /// Services sold (706), and lines of charts saved before goods had their own account.
    pub revenue: Account,
    /// Goods sold (707). Charts saved before it existed get the default.
    #[serde(default = "default_revenue_goods")]
    pub revenue_goods: Account,
    /// Discounts and goodwill granted after the sale (709).
    #[serde(default = "default_discounts")]
    pub discounts: Account,
    /// VAT of a rate without an account of its own in `vat_rates`.
    pub vat_payable: Account,
    /// Service VAT not yet due, until the document is paid (44574). Charts saved before it
    /// existed get the default.
    #[serde(default = "default_vat_pending")]
    pub vat_pending: Account,
    /// The VAT account of each rate (one sub-account per rate, 445711 for 20 %…).
    #[serde(default = "default_vat_rates")]
    pub vat_rates: Vec<RateAccount>,
    pub bank: Account,
    /// Where voided customer credit goes. Charts saved before it existed get the default.
    #[serde(default = "default_write_off")]
    pub write_off: Account,
    /// Exchange losses (666), and conversion roundings that fall short.
    #[serde(default = "default_exchange_loss")]
    pub exchange_loss: Account,
    /// Exchange gains (766), and conversion roundings left over.
    #[serde(default = "default_exchange_gain")]
    pub exchange_gain: Account,
}

/// The account a VAT rate's tax is written to.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateAccount {
    /// Percent, e.g. 20 or 5.5.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "20"))]
    pub rate: Decimal,
    pub account: Account,
    /// Where the rate's goods and services are booked, when not on the chart's account of
    /// their nature: German charts keep revenue by rate (SKR03: 7 % on 8300, 19 % on 8400),
    /// and the VAT return is read from those accounts. Charts saved before it existed have none.
    #[serde(default)]
    pub revenue: Option<Account>,
}

/// SKR03's receivable account, by which a chart is known as SKR03.
const SKR03_RECEIVABLE: &str = "1400";

/// SKR03's automatic revenue accounts (Automatikkonten) and the VAT rate each computes. DATEV
/// fills the VAT return from them, so a line taxed at another rate must never be booked there.
pub const SKR03_AUTOMATIC_REVENUE: [(&str, Decimal); 2] = [
    ("8400", Decimal::from_parts(19, 0, 0, false, 0)),
    ("8300", Decimal::from_parts(7, 0, 0, false, 0)),
];

fn default_write_off() -> Account {
    Account::new("758000", "Produits divers de gestion courante")
}

fn default_exchange_loss() -> Account {
    Account::new("666000", "Pertes de change")
}

fn default_exchange_gain() -> Account {
    Account::new("766000", "Gains de change")
}

fn default_vat_pending() -> Account {
    Account::new("445740", "TVA collectée sur encaissements")
}

fn default_revenue_goods() -> Account {
    Account::new("707000", "Ventes de marchandises")
}

fn default_discounts() -> Account {
    Account::new(
        "709000",
        "Rabais, remises et ristournes accordés par l'entreprise",
    )
}

/// France's rates (CGI art. 278 to 281 nonies), each on its own sub-account of 44571.
fn default_vat_rates() -> Vec<RateAccount> {
    [
        ("20", "445711"),
        ("10", "445712"),
        ("5.5", "445713"),
        ("2.1", "445714"),
    ]
    .into_iter()
    .map(|(rate, code)| RateAccount {
        rate: rate.parse().unwrap_or_default(),
        account: Account::new(code, &format!("TVA collectée {} %", rate.replace('.', ","))),
        revenue: None,
    })
    .collect()
}

impl Default for ChartOfAccounts {
    fn default() -> Self {
        ChartOfAccounts {
            receivable: Account::new("411000", "Clients"),
            customer_credit: Account::new("419700", "Clients - Autres avoirs"),
            revenue: Account::new("706000", "Prestations de services"),
            revenue_goods: default_revenue_goods(),
            discounts: default_discounts(),
            vat_payable: Account::new("445710", "TVA collectée"),
            vat_pending: default_vat_pending(),
            vat_rates: default_vat_rates(),
            bank: Account::new("512000", "Banque"),
            write_off: default_write_off(),
            exchange_loss: default_exchange_loss(),
            exchange_gain: default_exchange_gain(),
        }
    }
}

impl ChartOfAccounts {
    /// DATEV's SKR03, the chart most German tax advisers keep, for a seller whose books are
    /// German: 19 % and 7 % VAT and revenue on accounts of their own (8400 and 8300). Untaxed
    /// sales (exports 8120, intra-EU deliveries 8125, reverse charge 8337) take their tax
    /// rule's revenue account: booked on an automatic account they are refused
    /// ([`JournalError::RateOnAutomaticAccount`]). A starting point to agree with the tax
    /// adviser, like any chart.
    pub fn skr03() -> Self {
        ChartOfAccounts {
            receivable: Account::new(
                SKR03_RECEIVABLE,
                "Forderungen aus Lieferungen und Leistungen",
            ),
            customer_credit: Account::new("1700", "Sonstige Verbindlichkeiten"),
            revenue: Account::new("8400", "Erlöse 19 % USt"),
            revenue_goods: Account::new("8400", "Erlöse 19 % USt"),
            discounts: Account::new("8700", "Erlösschmälerungen"),
            vat_payable: Account::new("1770", "Umsatzsteuer"),
            vat_pending: Account::new("1766", "Umsatzsteuer nicht fällig 19 %"),
            vat_rates: vec![
                RateAccount {
                    rate: Decimal::from(19),
                    account: Account::new("1776", "Umsatzsteuer 19 %"),
                    revenue: Some(Account::new("8400", "Erlöse 19 % USt")),
                },
                RateAccount {
                    rate: Decimal::from(7),
                    account: Account::new("1771", "Umsatzsteuer 7 %"),
                    revenue: Some(Account::new("8300", "Erlöse 7 % USt")),
                },
            ],
            bank: Account::new("1200", "Bank"),
            write_off: Account::new("2700", "Sonstige Erträge"),
            exchange_loss: Account::new("2150", "Aufwendungen aus Kursdifferenzen"),
            exchange_gain: Account::new("2660", "Erträge aus Kursdifferenzen"),
        }
    }

    /// Whether this is SKR03, as a DATEV file declares it: SKR03's receivable account, and
    /// sales on one of its automatic revenue accounts (by nature or by rate), which must then
    /// never compute their VAT a second time.
    pub fn is_skr03(&self) -> bool {
        let automatic = |account: &Account| {
            SKR03_AUTOMATIC_REVENUE
                .iter()
                .any(|(code, _)| *code == account.code)
        };
        self.receivable.code == SKR03_RECEIVABLE
            && ([&self.revenue, &self.revenue_goods]
                .into_iter()
                .any(automatic)
                || self
                    .vat_rates
                    .iter()
                    .filter_map(|row| row.revenue.as_ref())
                    .any(automatic))
    }
}

/// At most this many VAT rates have an account of their own.
pub const MAX_VAT_RATES: usize = 50;

/// Where a line's net amount is booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RevenueKind {
    Goods,
    Services,
    /// Granted after the sale: goodwill, discounts (709).
    Discounts,
}

impl RevenueKind {
    /// An invoice line's: what it sells.
    pub fn of_sale(nature: LineNature) -> Self {
        match nature {
            LineNature::Goods => RevenueKind::Goods,
            LineNature::Services => RevenueKind::Services,
        }
    }

    /// A credit note line's: a gesture is a discount granted (709); a return or a correction
    /// reverses the sale of the line it credits.
    pub fn of_credit(nature: LineNature, reason: Option<ReasonCategory>) -> Self {
        match reason {
            Some(ReasonCategory::Goodwill) => RevenueKind::Discounts,
            _ => Self::of_sale(nature),
        }
    }
}

impl ChartOfAccounts {
    /// Each account with the name of its field, in a fixed order (the rates' aside).
    pub fn accounts(&self) -> [(&'static str, &Account); 11] {
        [
            ("receivable", &self.receivable),
            ("customer_credit", &self.customer_credit),
            ("revenue", &self.revenue),
            ("revenue_goods", &self.revenue_goods),
            ("discounts", &self.discounts),
            ("vat_payable", &self.vat_payable),
            ("vat_pending", &self.vat_pending),
            ("bank", &self.bank),
            ("write_off", &self.write_off),
            ("exchange_loss", &self.exchange_loss),
            ("exchange_gain", &self.exchange_gain),
        ]
    }

    /// The account a line's net at `rate` goes to: the rate's revenue account when it has one
    /// (a discount granted aside), else the account of the line's nature.
    pub fn revenue_account(&self, kind: RevenueKind, rate: Decimal) -> &Account {
        let by_rate = || {
            self.vat_rates
                .iter()
                .find(|row| row.rate == rate)
                .and_then(|row| row.revenue.as_ref())
        };
        match kind {
            RevenueKind::Discounts => &self.discounts,
            RevenueKind::Goods => by_rate().unwrap_or(&self.revenue_goods),
            RevenueKind::Services => by_rate().unwrap_or(&self.revenue),
        }
    }

    /// The account the VAT of `rate` goes to: the rate's own, else VAT payable.
    pub fn vat_account(&self, rate: Decimal) -> &Account {
        self.vat_rates
            .iter()
            .find(|row| row.rate == rate)
            .map_or(&self.vat_payable, |row| &row.account)
    }

    /// What is wrong with each account, by field (`revenue.code`, `vat_rates[1].rate`): FEC
    /// account numbers are digits (at least 3), every account has a name, and a rate is a
    /// percentage given once.
    pub fn violations(&self) -> Vec<(String, String)> {
        let mut found = Vec::new();
        // A chart lists a country's few rates; a list past this is refused before it is read.
        if self.vat_rates.len() > MAX_VAT_RATES {
            found.push((
                "vat_rates".to_string(),
                format!("At most {MAX_VAT_RATES} rates have an account of their own"),
            ));
            return found;
        }
        let rates = self.vat_rates.iter().enumerate().flat_map(|(i, row)| {
            let revenue = row
                .revenue
                .as_ref()
                .map(|account| (format!("vat_rates[{i}].revenue"), account));
            std::iter::once((format!("vat_rates[{i}].account"), &row.account)).chain(revenue)
        });
        let named = self
            .accounts()
            .into_iter()
            .map(|(field, account)| (field.to_string(), account));
        for (i, row) in self.vat_rates.iter().enumerate() {
            if !super::lines::is_percentage(row.rate) {
                found.push((
                    format!("vat_rates[{i}].rate"),
                    "A tax rate is a percentage between 0 and 100".to_string(),
                ));
            } else if self.vat_rates[..i]
                .iter()
                .any(|other| other.rate == row.rate)
            {
                found.push((
                    format!("vat_rates[{i}].rate"),
                    "This rate already has its account".to_string(),
                ));
            }
        }
        for (field, account) in named.chain(rates) {
            found.extend(account.violations(&field));
        }
        found
    }
}

impl Account {
    /// What is wrong with the account, under `field` (`revenue.code`): a FEC account number is
    /// 3 to 20 digits, and every account has a name.
    pub fn violations(&self, field: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        let code = self.code.trim();
        if code.len() < 3 || code.len() > 20 || !code.chars().all(|c| c.is_ascii_digit()) {
            found.push((
                format!("{field}.code"),
                "An account number is 3 to 20 digits".to_string(),
            ));
        }
        let label = self.label.trim();
        if label.is_empty() || label.chars().count() > 100 || super::text::holds_nul(label) {
            found.push((
                format!("{field}.label"),
                "Name the account (at most 100 characters)".to_string(),
            ));
        }
        found
    }
}

/// A customer's own account under receivable and customer credits (FEC `CompAuxNum` and
/// `CompAuxLib`). Its code comes from the customer's id, which never changes, so every entry
/// of one customer carries the same code; its name is the customer's when the entry was written.
pub fn customer_account(customer_id: i64, name: &str) -> Account {
    Account::new(&format!("C{customer_id:06}"), name)
}

/// The customer whose own account [`customer_account`] numbered `code`.
pub fn customer_id_of(code: &str) -> Option<i64> {
    let digits = code.strip_prefix('C')?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Which customer ledger a line is kept in: what the customer owes, or what it is owed.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subledger {
    Receivable,
    CustomerCredit,
}

impl Subledger {
    pub fn as_str(self) -> &'static str {
        match self {
            Subledger::Receivable => "receivable",
            Subledger::CustomerCredit => "customer_credit",
        }
    }

    pub fn parse(name: &str) -> Option<Subledger> {
        [Subledger::Receivable, Subledger::CustomerCredit]
            .into_iter()
            .find(|ledger| ledger.as_str() == name)
    }
}

/// The customer a receivable or customer-credit line belongs to.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Auxiliary {
    pub ledger: Subledger,
    #[cfg_attr(feature = "ssr", schema(example = json!({"code": "C000042", "label": "Acme SAS"})))]
    pub account: Account,
}

/// One side of an entry: an amount debited or credited to an account.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalLine {
    pub account: Account,
    pub label: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "120.00"))]
    pub debit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "0.00"))]
    pub credit: Decimal,
    /// The customer, on receivable and customer-credit lines (entries written before the
    /// journal named customers have none).
    #[serde(default)]
    pub auxiliary: Option<Auxiliary>,
    /// The line in the books' currency (EUR), when its entry is in another: `debit` and
    /// `credit` are then the foreign amounts (the FEC's `Montantdevise`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<BookAmounts>,
}

/// A line's amounts in the books' currency.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookAmounts {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "100.00"))]
    pub debit: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "0.00"))]
    pub credit: Decimal,
}

impl JournalLine {
    /// This line, kept in `ledger` under `customer`'s own account.
    fn for_customer(self, ledger: Subledger, customer: &Account) -> Self {
        JournalLine {
            auxiliary: Some(Auxiliary {
                ledger,
                account: customer.clone(),
            }),
            ..self
        }
    }
}

/// A balanced entry, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    pub journal: Journal,
    pub date: NaiveDate,
    /// The document the entry comes from (FEC `PieceRef`).
    pub reference: String,
    pub label: String,
    pub currency: Currency,
    pub lines: Vec<JournalLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum JournalError {
    #[error("the entry for {reference} does not balance: debits {debit}, credits {credit}")]
    Unbalanced {
        reference: String,
        debit: Decimal,
        credit: Decimal,
    },
    #[error("the entry for {0} is too large to add up")]
    TooLarge(String),
    #[error("the entry for {0} moves no money")]
    Empty(String),
    #[error(
        "{reference} books sales at {rate} % on {account}, the chart's automatic account for {automatic_rate} % VAT: give the rate, or the lines' tax rule, a revenue account of its own"
    )]
    RateOnAutomaticAccount {
        reference: String,
        account: String,
        rate: Decimal,
        automatic_rate: Decimal,
    },
}

impl JournalEntry {
    /// The entry, if its debits equal its credits and no line is negative or both.
    fn balanced(
        journal: Journal,
        date: NaiveDate,
        reference: &str,
        label: String,
        currency: Currency,
        lines: Vec<JournalLine>,
    ) -> Result<JournalEntry, JournalError> {
        let moves = |line: &JournalLine| {
            let booked = line.booked.unwrap_or(BookAmounts {
                debit: Decimal::ZERO,
                credit: Decimal::ZERO,
            });
            [line.debit, line.credit, booked.debit, booked.credit]
                .iter()
                .any(|amount| !amount.is_zero())
        };
        let lines: Vec<JournalLine> = lines.into_iter().filter(moves).collect();
        if lines.is_empty() {
            return Err(JournalError::Empty(reference.to_string()));
        }
        let unbalanced = |(debit, credit)| JournalError::Unbalanced {
            reference: reference.to_string(),
            debit,
            credit,
        };
        let own = side_totals(
            reference,
            lines.iter().map(|line| (line.debit, line.credit)),
        )?;
        if own.0 != own.1 {
            return Err(unbalanced(own));
        }
        // A foreign entry balances in euros too, every line valued.
        let valued: Vec<BookAmounts> = lines.iter().filter_map(|line| line.booked).collect();
        if !valued.is_empty() {
            let booked = side_totals(
                reference,
                valued.iter().map(|booked| (booked.debit, booked.credit)),
            )?;
            if valued.len() != lines.len() || booked.0 != booked.1 {
                return Err(unbalanced(booked));
            }
        }
        Ok(JournalEntry {
            journal,
            date,
            reference: reference.to_string(),
            label,
            currency,
            lines,
        })
    }

    /// The entry that cancels this one: same accounts, sides swapped.
    pub fn reversal(&self, date: NaiveDate, label: String) -> JournalEntry {
        JournalEntry {
            journal: self.journal,
            date,
            reference: self.reference.clone(),
            label,
            currency: self.currency,
            lines: self
                .lines
                .iter()
                .map(|line| JournalLine {
                    account: line.account.clone(),
                    label: line.label.clone(),
                    debit: line.credit,
                    credit: line.debit,
                    auxiliary: line.auxiliary.clone(),
                    booked: line.booked.map(|booked| BookAmounts {
                        debit: booked.credit,
                        credit: booked.debit,
                    }),
                })
                .collect(),
        }
    }
}

/// The debits and the credits of `amounts` (debit, credit per line), each line on one side
/// and not negative.
fn side_totals(
    reference: &str,
    amounts: impl Iterator<Item = (Decimal, Decimal)>,
) -> Result<(Decimal, Decimal), JournalError> {
    let mut totals = (Decimal::ZERO, Decimal::ZERO);
    for (debit, credit) in amounts {
        let one_sided = debit >= Decimal::ZERO
            && credit >= Decimal::ZERO
            && (debit.is_zero() || credit.is_zero());
        if !one_sided {
            return Err(JournalError::Unbalanced {
                reference: reference.to_string(),
                debit,
                credit,
            });
        }
        totals = match (totals.0.checked_add(debit), totals.1.checked_add(credit)) {
            (Some(debits), Some(credits)) => (debits, credits),
            _ => return Err(JournalError::TooLarge(reference.to_string())),
        };
    }
    Ok(totals)
}

/// `amount` (worth `value` in the books, for a foreign entry) on the debit side of `account`,
/// or the credit side when `on_debit` is false; a negative amount (a correction invoice's)
/// goes to the other side, so no line is ever negative.
fn posted(
    account: &Account,
    label: &str,
    amount: Decimal,
    value: Option<Decimal>,
    on_debit: bool,
) -> JournalLine {
    let negative = |amount: Decimal| amount.is_sign_negative() && !amount.is_zero();
    let flipped = negative(amount) || (amount.is_zero() && value.is_some_and(negative));
    let debit_side = on_debit != flipped;
    let sides = |amount: Decimal| {
        if debit_side {
            (amount.abs(), Decimal::ZERO)
        } else {
            (Decimal::ZERO, amount.abs())
        }
    };
    let (debit, credit) = sides(amount);
    JournalLine {
        account: account.clone(),
        label: label.to_string(),
        debit,
        credit,
        auxiliary: None,
        booked: value.map(|value| {
            let (debit, credit) = sides(value);
            BookAmounts { debit, credit }
        }),
    }
}

/// Balances a foreign entry in the books: what its debits in euros exceed its credits by is a
/// gain, what they fall short by a loss (PCG art. 420-7), on a line of no foreign amount. A
/// settlement at another rate than its document's makes a realised difference; converting
/// each line of one document to the cent leaves a rounding.
fn exchange_difference(
    chart: &ChartOfAccounts,
    label: &str,
    mut lines: Vec<JournalLine>,
    reference: &str,
) -> Result<Vec<JournalLine>, JournalError> {
    let too_large = || JournalError::TooLarge(reference.to_string());
    let mut difference = Decimal::ZERO;
    for booked in lines.iter().filter_map(|line| line.booked) {
        difference = difference
            .checked_add(booked.debit)
            .and_then(|sum| sum.checked_sub(booked.credit))
            .ok_or_else(too_large)?;
    }
    if difference > Decimal::ZERO {
        lines.push(posted(
            &chart.exchange_gain,
            label,
            Decimal::ZERO,
            Some(difference),
            false,
        ));
    } else if difference < Decimal::ZERO {
        lines.push(posted(
            &chart.exchange_loss,
            label,
            Decimal::ZERO,
            Some(-difference),
            true,
        ));
    }
    Ok(lines)
}

/// The net and tax a sales document books on one revenue account at one VAT rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevenueRow {
    pub kind: RevenueKind,
    /// The account of the lines' tax category, when it has its own; else the chart's account
    /// of `kind`.
    pub account: Option<Account>,
    pub rate: Decimal,
    pub net: Decimal,
    pub tax: Decimal,
}

/// The lines' net and tax per revenue account (`kind_of` says each line's; a line's own
/// account, from its tax category, stands for goods and services but not for a discount
/// granted) and rate, in a fixed order: sums of the lines' own rounded values, so they add up
/// to the document.
pub fn revenue_rows(
    lines: &[LineInput],
    currency: Currency,
    kind_of: impl Fn(&LineInput) -> RevenueKind,
) -> Result<Vec<RevenueRow>, MoneyError> {
    let mut rows: Vec<RevenueRow> = totals_by(lines, currency, |line| {
        let kind = kind_of(line);
        let account = match kind {
            RevenueKind::Discounts => None,
            _ => line.revenue_account.clone(),
        };
        (kind, account, line.tax_rate.normalize())
    })?
    .into_iter()
    .map(|((kind, account, rate), net, tax)| RevenueRow {
        kind,
        account,
        rate,
        net,
        tax,
    })
    .collect();
    rows.sort_by(|a, b| {
        let code = |row: &RevenueRow| row.account.as_ref().map(|account| account.code.clone());
        (a.kind, code(a), a.rate).cmp(&(b.kind, code(b), b.rate))
    });
    Ok(rows)
}

/// What a sales document (an invoice or a credit note) moves: its total and, per revenue
/// account and tax rate, its net amount and tax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesDocument<'a> {
    pub number: &'a str,
    pub date: NaiveDate,
    pub currency: Currency,
    /// The customer's own account ([`customer_account`]).
    pub customer: &'a Account,
    pub revenue: &'a [RevenueRow],
    /// Of the VAT in `revenue`, what is due only once paid (services, CGI art. 269-2-c).
    pub vat_on_payment: &'a [RateTax],
    pub total: Decimal,
    /// The rate it is booked at, when its currency is not the books' (none for documents
    /// booked before the books were kept in euros).
    pub rate: Option<Decimal>,
}

impl SalesDocument<'_> {
    /// What `amount` of the document is worth in the books, when it is booked in euros.
    fn value(&self, amount: Decimal) -> Result<Option<Decimal>, JournalError> {
        self.rate
            .map(|rate| super::exchange::book_value(amount, rate))
            .transpose()
            .map_err(|_| JournalError::TooLarge(self.number.to_string()))
    }

    /// `lines` balanced in euros by a rounding, when the document is booked in euros.
    fn balanced_in_books(
        &self,
        chart: &ChartOfAccounts,
        lines: Vec<JournalLine>,
    ) -> Result<Vec<JournalLine>, JournalError> {
        let label = format!("Écart de conversion {}", self.number);
        exchange_difference(chart, &label, lines, self.number)
    }
}

/// Refuses sales at one rate that the chart would book on an automatic account of another
/// (SKR03's 8400 computes 19 %, 8300 7 %): the VAT return read from it would be wrong. Checked
/// when a document is posted, not when its posting is reversed: a reversal undoes what was
/// booked, under whatever chart it was booked.
pub fn check_automatic_accounts(
    chart: &ChartOfAccounts,
    reference: &str,
    revenue: &[RevenueRow],
) -> Result<(), JournalError> {
    if !chart.is_skr03() {
        return Ok(());
    }
    for row in revenue.iter().filter(|row| !row.net.is_zero()) {
        let account = row
            .account
            .as_ref()
            .unwrap_or_else(|| chart.revenue_account(row.kind, row.rate));
        let automatic = SKR03_AUTOMATIC_REVENUE
            .iter()
            .find(|(code, _)| *code == account.code);
        if let Some(&(_, automatic_rate)) = automatic
            && automatic_rate != row.rate
        {
            return Err(JournalError::RateOnAutomaticAccount {
                reference: reference.to_string(),
                account: account.code.clone(),
                rate: row.rate.normalize(),
                automatic_rate,
            });
        }
    }
    Ok(())
}

/// Revenue lines, one per account and rate, then VAT lines, one per rate on the rate's own
/// account, on the debit side when `on_debit`, else the credit side. In euros, each rate's VAT
/// is the value of its total ([`super::exchange::vat_in_books`], what the document prints),
/// of which what waits for payment is its own value.
fn revenue_lines(
    chart: &ChartOfAccounts,
    document: &SalesDocument<'_>,
    on_debit: bool,
) -> Result<Vec<JournalLine>, JournalError> {
    let rate_label = |rate: Decimal| format!("{} {} %", document.number, rate.normalize());
    let mut lines: Vec<JournalLine> = Vec::new();
    for row in document.revenue {
        let account = row
            .account
            .as_ref()
            .unwrap_or_else(|| chart.revenue_account(row.kind, row.rate));
        let value = document.value(row.net)?;
        lines.push(posted(
            account,
            &rate_label(row.rate),
            row.net,
            value,
            on_debit,
        ));
    }
    let mut rates: Vec<(Decimal, Decimal)> = Vec::new();
    for row in document.revenue {
        match rates.iter_mut().find(|(rate, _)| *rate == row.rate) {
            Some((_, tax)) => {
                *tax = tax
                    .checked_add(row.tax)
                    .ok_or_else(|| JournalError::TooLarge(document.number.to_string()))?
            }
            None => rates.push((row.rate, row.tax)),
        }
    }
    rates.sort_by_key(|(rate, _)| *rate);
    let too_large = || JournalError::TooLarge(document.number.to_string());
    for (rate, tax) in rates {
        let waiting = RateTax::of(document.vat_on_payment, rate);
        let due = tax.checked_sub(waiting).ok_or_else(too_large)?;
        let waiting_value = document.value(waiting)?;
        let due_value = match (document.value(tax)?, waiting_value) {
            (Some(tax), Some(waiting)) => Some(tax.checked_sub(waiting).ok_or_else(too_large)?),
            _ => None,
        };
        let label = format!("TVA {}", rate_label(rate));
        lines.push(posted(
            chart.vat_account(rate),
            &label,
            due,
            due_value,
            on_debit,
        ));
        lines.push(posted(
            &chart.vat_pending,
            &format!("{label} sur encaissements"),
            waiting,
            waiting_value,
            on_debit,
        ));
    }
    Ok(lines)
}

/// A tax amount at one VAT rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateTax {
    pub rate: Decimal,
    pub tax: Decimal,
}

impl RateTax {
    /// The tax `rows` hold at `rate` (zero when none does).
    fn of(rows: &[RateTax], rate: Decimal) -> Decimal {
        rows.iter()
            .filter(|row| row.rate == rate)
            .map(|row| row.tax)
            .sum()
    }
}

/// The VAT of `lines` that is due only once paid, per rate: a service's, when the seller has
/// not opted to pay VAT on debits (CGI art. 269-2-c); goods' VAT is due on delivery (art.
/// 269-2-a). A document of zero or negative total (a correction) reduces VAT at once.
pub fn vat_due_on_payment(
    lines: &[LineInput],
    currency: Currency,
    on_debits: bool,
) -> Result<Vec<RateTax>, MoneyError> {
    let services: Vec<LineInput> = lines
        .iter()
        .filter(|line| line.nature.unwrap_or_default() == LineNature::Services)
        .cloned()
        .collect();
    let total = super::lines::checked_document_totals(lines, currency)?.total;
    if on_debits || total <= Decimal::ZERO {
        return Ok(Vec::new());
    }
    let mut rows: Vec<RateTax> = super::lines::totals_by_rate(&services, currency)?
        .into_iter()
        .filter(|row| !row.tax.is_zero())
        .map(|row| RateTax {
            rate: row.rate,
            tax: row.tax,
        })
        .collect();
    rows.sort_by_key(|row| row.rate);
    Ok(rows)
}

/// Of the VAT `waiting` on a document of `total`, what is due once `settled` of it is paid
/// or otherwise settled: each rate's share in proportion, rounded; all of it once settled in
/// full (BOI-TVA-BASE-20-20: the tax is due on each payment, as it is received).
pub fn vat_released(
    waiting: &[RateTax],
    total: Decimal,
    settled: Decimal,
    currency: Currency,
) -> Result<Vec<RateTax>, MoneyError> {
    if total <= Decimal::ZERO {
        return Ok(Vec::new());
    }
    let settled = settled.clamp(Decimal::ZERO, total);
    let share = settled.checked_div(total).ok_or(MoneyError::TooLarge)?;
    waiting
        .iter()
        .map(|row| {
            let tax = if settled == total {
                row.tax
            } else {
                currency.round(row.tax.checked_mul(share).ok_or(MoneyError::TooLarge)?)
            };
            Ok(RateTax {
                rate: row.rate,
                tax,
            })
        })
        .collect()
}

/// Which document VAT awaiting payment was booked for: an invoice's VAT is credited, a
/// credit note's debited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VatDocument {
    Invoice,
    CreditNote,
}

/// What of a document's VAT waits for payment, its total, and how much of it is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettledShare<'a> {
    pub waiting: &'a [RateTax],
    pub total: Decimal,
    pub settled: Decimal,
}

impl SettledShare<'_> {
    /// The VAT this much settlement makes due, per rate.
    fn due(&self, currency: Currency) -> Result<Vec<RateTax>, MoneyError> {
        vat_released(self.waiting, self.total, self.settled, currency)
    }
}

/// A document whose VAT awaits payment, before and after a change: a payment, a credit
/// applied or unapplied, a refund, a void, or an import that changes an invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VatSettlement<'a> {
    pub document: VatDocument,
    pub number: &'a str,
    pub date: NaiveDate,
    pub currency: Currency,
    pub before: SettledShare<'a>,
    pub after: SettledShare<'a>,
    /// The rate the document is booked at, when its currency is not the books'.
    pub rate: Option<Decimal>,
}

/// The entry that moves the VAT a settlement makes due from VAT awaiting payment (44574) to
/// each rate's account (44571x), or back when a settlement is taken back; none when it moves
/// nothing. Each change posts the difference of what is due after and before it, so a
/// document's entries add up to what its settled amount makes due, whatever the order.
pub fn vat_on_payment_released(
    chart: &ChartOfAccounts,
    settlement: &VatSettlement<'_>,
) -> Result<Option<JournalEntry>, JournalError> {
    let number = settlement.number;
    let too_large = || JournalError::TooLarge(number.to_string());
    let due = |share: &SettledShare<'_>| share.due(settlement.currency).map_err(|_| too_large());
    let (before, after) = (due(&settlement.before)?, due(&settlement.after)?);
    let mut rates: Vec<Decimal> = before.iter().chain(&after).map(|row| row.rate).collect();
    rates.sort();
    rates.dedup();
    let label = format!("TVA exigible {number}");
    let mut lines = Vec::new();
    for rate in rates {
        let delta = RateTax::of(&after, rate)
            .checked_sub(RateTax::of(&before, rate))
            .ok_or_else(too_large)?;
        let rate_account = chart.vat_account(rate);
        let rate_label = format!("{label} {} %", rate.normalize());
        // In euros, what is due after less what was due before, at the document's rate.
        let value = match settlement.rate {
            None => None,
            Some(book_rate) => Some(
                super::exchange::settled_value(
                    book_rate,
                    RateTax::of(&before, rate),
                    RateTax::of(&after, rate),
                )
                .map_err(|_| too_large())?,
            ),
        };
        let (debited, credited) = match settlement.document {
            VatDocument::Invoice => (&chart.vat_pending, rate_account),
            VatDocument::CreditNote => (rate_account, &chart.vat_pending),
        };
        lines.push(posted(debited, &rate_label, delta, value, true));
        lines.push(posted(credited, &rate_label, delta, value, false));
    }
    match JournalEntry::balanced(
        Journal::Miscellaneous,
        settlement.date,
        number,
        label,
        settlement.currency,
        lines,
    ) {
        Ok(entry) => Ok(Some(entry)),
        Err(JournalError::Empty(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

pub fn invoice_issued(
    chart: &ChartOfAccounts,
    invoice: &SalesDocument<'_>,
) -> Result<JournalEntry, JournalError> {
    let label = format!("Facture {} {}", invoice.number, invoice.customer.label);
    let total = invoice.value(invoice.total)?;
    let mut lines = vec![
        posted(&chart.receivable, &label, invoice.total, total, true)
            .for_customer(Subledger::Receivable, invoice.customer),
    ];
    lines.extend(revenue_lines(chart, invoice, false)?);
    let lines = invoice.balanced_in_books(chart, lines)?;
    JournalEntry::balanced(
        Journal::Sales,
        invoice.date,
        invoice.number,
        label,
        invoice.currency,
        lines,
    )
}

pub fn credit_note_finalized(
    chart: &ChartOfAccounts,
    note: &SalesDocument<'_>,
) -> Result<JournalEntry, JournalError> {
    let label = format!("Avoir {} {}", note.number, note.customer.label);
    let mut lines = revenue_lines(chart, note, true)?;
    let total = note.value(note.total)?;
    lines.push(
        posted(&chart.customer_credit, &label, note.total, total, false)
            .for_customer(Subledger::CustomerCredit, note.customer),
    );
    let lines = note.balanced_in_books(chart, lines)?;
    JournalEntry::balanced(
        Journal::Sales,
        note.date,
        note.number,
        label,
        note.currency,
        lines,
    )
}

/// One side of a two-line entry: an account, and the customer ledger it is kept in, if any.
struct Leg<'a> {
    account: &'a Account,
    customer: Option<(Subledger, &'a Account)>,
}

impl<'a> Leg<'a> {
    fn plain(account: &'a Account) -> Self {
        Leg {
            account,
            customer: None,
        }
    }

    fn customer(account: &'a Account, ledger: Subledger, customer: &'a Account) -> Self {
        Leg {
            account,
            customer: Some((ledger, customer)),
        }
    }

    fn line(
        &self,
        on_debit: bool,
        label: &str,
        amount: Decimal,
        value: Option<Decimal>,
    ) -> JournalLine {
        let line = posted(self.account, label, amount, value, on_debit);
        match self.customer {
            Some((ledger, customer)) => line.for_customer(ledger, customer),
            None => line,
        }
    }
}

/// An amount moved from one account to another and, when its currency is not the books', what
/// it is worth in them on each side: the side debited and the side credited may be valued at
/// different rates (the bank at the day's, a document at the rate it was booked at).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved {
    pub amount: Decimal,
    /// (debited side, credited side), in the books' currency.
    pub booked: Option<(Decimal, Decimal)>,
}

impl Moved {
    /// An amount in the books' currency, or of a document booked before they were in euros.
    pub fn unvalued(amount: Decimal) -> Self {
        Moved {
            amount,
            booked: None,
        }
    }
}

/// A two-line entry: `moved` debited to `to`, credited to `from`; in a foreign entry, what the
/// two sides are worth apart is an exchange difference.
#[allow(clippy::too_many_arguments)]
fn transfer(
    chart: &ChartOfAccounts,
    journal: Journal,
    date: NaiveDate,
    reference: &str,
    label: String,
    currency: Currency,
    to: Leg<'_>,
    from: Leg<'_>,
    moved: Moved,
) -> Result<JournalEntry, JournalError> {
    let (to_value, from_value) = match moved.booked {
        Some((to, from)) => (Some(to), Some(from)),
        None => (None, None),
    };
    let lines = vec![
        to.line(true, &label, moved.amount, to_value),
        from.line(false, &label, moved.amount, from_value),
    ];
    let difference = format!("Différence de change {reference}");
    let lines = exchange_difference(chart, &difference, lines, reference)?;
    JournalEntry::balanced(journal, date, reference, label, currency, lines)
}

/// A payment of `amount` on invoice `invoice` of `customer`: the bank receives, the
/// receivable falls.
pub fn payment(
    chart: &ChartOfAccounts,
    customer: &Account,
    invoice: &str,
    date: NaiveDate,
    currency: Currency,
    amount: Moved,
) -> Result<JournalEntry, JournalError> {
    let label = format!("Règlement {invoice}");
    let to = Leg::plain(&chart.bank);
    let from = Leg::customer(&chart.receivable, Subledger::Receivable, customer);
    transfer(
        chart,
        Journal::Bank,
        date,
        invoice,
        label,
        currency,
        to,
        from,
        amount,
    )
}

/// Credit note `note` applied to invoice `invoice` for `amount`: the customer's credit pays
/// part of the receivable.
pub fn credit_applied(
    chart: &ChartOfAccounts,
    customer: &Account,
    note: &str,
    invoice: &str,
    date: NaiveDate,
    currency: Currency,
    amount: Moved,
) -> Result<JournalEntry, JournalError> {
    let label = format!("Imputation {note} sur {invoice}");
    let to = Leg::customer(&chart.customer_credit, Subledger::CustomerCredit, customer);
    let from = Leg::customer(&chart.receivable, Subledger::Receivable, customer);
    transfer(
        chart,
        Journal::Miscellaneous,
        date,
        note,
        label,
        currency,
        to,
        from,
        amount,
    )
}

/// How a customer's credit leaves a note other than onto an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreditRelease {
    /// Paid out of the bank.
    Refund,
    /// What remained, written off to income.
    Void,
}

impl CreditRelease {
    /// What wrote the entry (its `source`).
    pub fn source(self) -> &'static str {
        match self {
            CreditRelease::Refund => "refund",
            CreditRelease::Void => "void",
        }
    }
}

/// `amount` of credit note `note` released as `release` says: the customer's credit falls,
/// the bank (a refund) or the write-off account (a void) takes the other side.
#[allow(clippy::too_many_arguments)]
pub fn credit_released(
    chart: &ChartOfAccounts,
    customer: &Account,
    note: &str,
    release: CreditRelease,
    date: NaiveDate,
    currency: Currency,
    amount: Moved,
) -> Result<JournalEntry, JournalError> {
    let (journal, label, other) = match release {
        CreditRelease::Refund => (Journal::Bank, format!("Remboursement {note}"), &chart.bank),
        CreditRelease::Void => (
            Journal::Miscellaneous,
            format!("Extinction du solde de l'avoir {note}"),
            &chart.write_off,
        ),
    };
    let to = Leg::customer(&chart.customer_credit, Subledger::CustomerCredit, customer);
    transfer(
        chart,
        journal,
        date,
        note,
        label,
        currency,
        to,
        Leg::plain(other),
        amount,
    )
}

/// The account history carried over from before the books opens against (PCG 890).
fn opening_account() -> Account {
    Account::new("890000", "Bilan d'ouverture")
}

/// History carried over into the books: `amount` (debit − credit) on `customer`'s `ledger`,
/// against the opening-balance account.
pub fn opening_balance(
    chart: &ChartOfAccounts,
    customer: &Account,
    ledger: Subledger,
    date: NaiveDate,
    currency: Currency,
    amount: Moved,
) -> Result<JournalEntry, JournalError> {
    let label = format!("Reprise de solde {}", customer.label);
    let account = match ledger {
        Subledger::Receivable => &chart.receivable,
        Subledger::CustomerCredit => &chart.customer_credit,
    };
    let opening = opening_account();
    transfer(
        chart,
        Journal::Miscellaneous,
        date,
        "REPRISE",
        label,
        currency,
        Leg::customer(account, ledger, customer),
        Leg::plain(&opening),
        amount,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn amount(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn acme() -> Account {
        customer_account(42, "Acme")
    }

    static ACME: std::sync::LazyLock<Account> = std::sync::LazyLock::new(acme);

    /// A document of Acme's in euros, dated [`date`], nothing waiting for payment.
    fn document<'a>(number: &'a str, revenue: &'a [RevenueRow], total: &str) -> SalesDocument<'a> {
        SalesDocument {
            number,
            date: date(),
            currency: eur(),
            customer: &ACME,
            revenue,
            vat_on_payment: &[],
            total: amount(total),
            rate: None,
        }
    }

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn sides(entry: &JournalEntry) -> Vec<(String, String, String)> {
        entry
            .lines
            .iter()
            .map(|line| {
                (
                    line.account.code.clone(),
                    line.debit.to_string(),
                    line.credit.to_string(),
                )
            })
            .collect()
    }

    fn row(kind: RevenueKind, rate: &str, net: &str, tax: &str) -> RevenueRow {
        RevenueRow {
            kind,
            account: None,
            rate: amount(rate),
            net: amount(net),
            tax: amount(tax),
        }
    }

    fn two_rates() -> Vec<RevenueRow> {
        vec![
            row(RevenueKind::Services, "5.5", "50.00", "2.75"),
            row(RevenueKind::Services, "20", "100.00", "20.00"),
        ]
    }

    fn expected(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(a, d, c)| (a.to_string(), d.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn a_credit_note_reverses_revenue_and_vat_per_rate_into_customer_credit() {
        let rates = two_rates();
        let note = document("CN-2026-00001", &rates, "172.75");
        let entry = credit_note_finalized(&ChartOfAccounts::default(), &note).unwrap();
        assert_eq!(entry.journal, Journal::Sales);
        assert_eq!(
            sides(&entry),
            expected(&[
                ("706000", "50.00", "0"),
                ("706000", "100.00", "0"),
                ("445713", "2.75", "0"),
                ("445711", "20.00", "0"),
                ("419700", "0", "172.75"),
            ])
        );
        // The customer credit is kept under the customer's own account (FEC CompAuxNum).
        let customer_line = entry.lines.last().unwrap().auxiliary.clone().unwrap();
        assert_eq!(
            (customer_line.ledger, customer_line.account.code.as_str()),
            (Subledger::CustomerCredit, "C000042")
        );
        assert!(entry.lines[..4].iter().all(|line| line.auxiliary.is_none()));
        // An invoice is the mirror image, on the receivable.
        let invoice = invoice_issued(&ChartOfAccounts::default(), &note).unwrap();
        assert_eq!(invoice.lines[0].account.code, "411000");
        assert_eq!(invoice.lines[0].debit, amount("172.75"));
        assert_eq!(
            invoice.lines[0].auxiliary.as_ref().map(|aux| aux.ledger),
            Some(Subledger::Receivable)
        );
    }

    /// PCG art. 411-1/419 and the FEC's CompAuxNum: every receivable and customer-credit line
    /// names its customer, reversals included; bank and write-off lines name none.
    #[test]
    fn customer_lines_carry_the_customer_and_others_do_not() {
        let chart = ChartOfAccounts::default();
        let customer = acme();
        let entries = [
            payment(
                &chart,
                &customer,
                "INV-1",
                date(),
                eur(),
                Moved::unvalued(amount("5")),
            )
            .unwrap(),
            credit_released(
                &chart,
                &customer,
                "CN-1",
                CreditRelease::Refund,
                date(),
                eur(),
                Moved::unvalued(amount("5")),
            )
            .unwrap(),
            credit_released(
                &chart,
                &customer,
                "CN-1",
                CreditRelease::Void,
                date(),
                eur(),
                Moved::unvalued(amount("5")),
            )
            .unwrap(),
            credit_applied(
                &chart,
                &customer,
                "CN-1",
                "INV-1",
                date(),
                eur(),
                Moved::unvalued(amount("5")),
            )
            .unwrap()
            .reversal(date(), "Annulation".into()),
        ];
        for entry in &entries {
            for line in &entry.lines {
                let expected = if line.account == chart.receivable {
                    Some(Subledger::Receivable)
                } else if line.account == chart.customer_credit {
                    Some(Subledger::CustomerCredit)
                } else {
                    None
                };
                assert_eq!(
                    line.auxiliary.as_ref().map(|aux| aux.ledger),
                    expected,
                    "{line:?}"
                );
                if expected.is_some() {
                    assert_eq!(line.auxiliary.as_ref().unwrap().account.code, "C000042");
                }
            }
        }
        let voided = &entries[2];
        assert_eq!(
            sides(voided),
            [("419700", "5", "0"), ("758000", "0", "5")].map(|(a, d, c)| (
                a.to_string(),
                d.to_string(),
                c.to_string()
            ))
        );
    }

    #[test]
    fn an_entry_that_does_not_balance_is_refused() {
        let rates = two_rates();
        let note = document("CN-2026-00001", &rates, "172.74");
        assert!(matches!(
            credit_note_finalized(&ChartOfAccounts::default(), &note),
            Err(JournalError::Unbalanced { .. })
        ));
        let chart = ChartOfAccounts::default();
        assert!(matches!(
            payment(
                &chart,
                &acme(),
                "INV-1",
                date(),
                eur(),
                Moved::unvalued(Decimal::ZERO)
            ),
            Err(JournalError::Empty(_))
        ));
    }

    #[test]
    fn a_negative_amount_goes_to_the_other_side() {
        let rates = [row(RevenueKind::Services, "20", "-10.00", "-2.00")];
        let correction = document("INV-2026-0009", &rates, "-12.00");
        let entry = invoice_issued(&ChartOfAccounts::default(), &correction).unwrap();
        assert_eq!(
            sides(&entry),
            expected(&[
                ("411000", "0", "12.00"),
                ("706000", "10.00", "0"),
                ("445711", "2.00", "0")
            ])
        );
    }

    fn sold(description: &str, price: &str, rate: &str, nature: LineNature) -> LineInput {
        LineInput {
            description: description.into(),
            quantity: Decimal::ONE,
            unit_price: amount(price),
            discount_percent: Decimal::ZERO,
            tax_rate: amount(rate),
            ship_date: None,
            vat_category: None,
            vat_exemption_reason: None,
            nature: Some(nature),
            revenue_account: None,
        }
    }

    /// PCG art. 944-70: goods sold go to 707, services to 706; each VAT rate has its own
    /// sub-account of 44571 (PCG art. 944-44), and a rate without one falls back to 44571.
    #[test]
    fn an_invoice_books_goods_and_services_apart_and_each_rate_on_its_own_vat_account() {
        let lines = [
            sold("Chair", "100.00", "20", LineNature::Goods),
            sold("Fitting", "50.00", "20", LineNature::Services),
            sold("Book", "10.00", "5.5", LineNature::Goods),
            sold("Local tax", "10.00", "8.875", LineNature::Goods),
        ];
        let rows = revenue_rows(&lines, eur(), |line| {
            RevenueKind::of_sale(line.nature.unwrap_or_default())
        })
        .unwrap();
        let invoice = document("INV-2026-0001", &rows, "201.44");
        let entry = invoice_issued(&ChartOfAccounts::default(), &invoice).unwrap();
        assert_eq!(
            sides(&entry),
            expected(&[
                ("411000", "201.44", "0"),
                ("707000", "0", "10.00"),
                ("707000", "0", "10.00"),
                ("707000", "0", "100.00"),
                ("706000", "0", "50.00"),
                ("445713", "0", "0.55"),
                ("445710", "0", "0.89"),
                ("445711", "0", "30.00"),
            ])
        );
    }

    /// DATEV SKR03 (Kontenrahmen, class 8): 8400 "Erlöse 19 % USt" and 8300 "Erlöse 7 % USt"
    /// are automatic accounts from which the VAT return (§ 18 UStG, UStVA Kz 81 and 86) is
    /// read; untaxed sales have accounts of their own (8120 exports, § 4 Nr. 1a UStG). Each
    /// rate's sales go to its account, and a 0 % sale that would land on 8400 is refused
    /// rather than declared as taxed at 19 %.
    #[test]
    fn skr03_books_each_rate_on_its_revenue_account_and_never_untaxed_sales_on_an_automatic_one() {
        let skr03 = ChartOfAccounts::skr03();
        let lines = [
            sold("Beratung", "100.00", "19", LineNature::Services),
            sold("Buch", "10.00", "7", LineNature::Goods),
        ];
        let of_sale = |line: &LineInput| RevenueKind::of_sale(line.nature.unwrap_or_default());
        let rows = revenue_rows(&lines, eur(), of_sale).unwrap();
        let invoice = document("INV-2026-0001", &rows, "129.70");
        let entry = invoice_issued(&skr03, &invoice).unwrap();
        assert_eq!(
            sides(&entry),
            expected(&[
                ("1400", "129.70", "0"),
                ("8300", "0", "10.00"),
                ("8400", "0", "100.00"),
                ("1771", "0", "0.70"),
                ("1776", "0", "19.00"),
            ])
        );

        let mut export = sold("Maschine", "500.00", "0", LineNature::Goods);
        let untaxed = revenue_rows(std::slice::from_ref(&export), eur(), of_sale).unwrap();
        assert_eq!(
            check_automatic_accounts(&skr03, "INV-2026-0001", &untaxed).unwrap_err(),
            JournalError::RateOnAutomaticAccount {
                reference: "INV-2026-0001".into(),
                account: "8400".into(),
                rate: Decimal::ZERO,
                automatic_rate: Decimal::from(19),
            }
        );
        // A line of nothing books nothing there.
        let free = [sold("Muster", "0.00", "0", LineNature::Goods)];
        let free = revenue_rows(&free, eur(), of_sale).unwrap();
        assert_eq!(
            check_automatic_accounts(&skr03, "INV-2026-0002", &free),
            Ok(())
        );
        assert_eq!(
            check_automatic_accounts(&skr03, "INV-2026-0001", invoice.revenue),
            Ok(())
        );
        // The tax rule of exports names 8120: booked there.
        export.revenue_account = Some(Account::new("8120", "Steuerfreie Umsätze § 4 Nr. 1a UStG"));
        let rows = revenue_rows(std::slice::from_ref(&export), eur(), of_sale).unwrap();
        assert_eq!(
            check_automatic_accounts(&skr03, "INV-2026-0001", &rows),
            Ok(())
        );
        let exported = document("INV-2026-0001", &rows, "500.00");
        let entry = invoice_issued(&skr03, &exported).unwrap();
        assert_eq!(entry.lines[1].account.code, "8120");
        // A French chart has no automatic accounts: its 0 % sales stay on 707.
        let pcg = invoice_issued(
            &ChartOfAccounts::default(),
            &document("INV-2026-0001", &untaxed, "500.00"),
        )
        .unwrap();
        assert_eq!(
            check_automatic_accounts(&ChartOfAccounts::default(), "INV-2026-0001", &untaxed),
            Ok(())
        );
        assert_eq!(pcg.lines[1].account.code, "707000");
    }

    /// PCG art. 944-70: a return cancels the sale on the account it was booked to; a gesture
    /// granted after the sale is a discount (709, "rabais, remises et ristournes accordés").
    #[test]
    fn a_credit_reverses_the_sale_it_credits_and_a_gesture_is_a_discount_granted() {
        let chair = sold("Chair", "100.00", "20", LineNature::Goods);
        let kind = |reason| RevenueKind::of_credit(LineNature::Goods, reason);
        assert_eq!(kind(Some(ReasonCategory::Return)), RevenueKind::Goods);
        assert_eq!(
            kind(Some(ReasonCategory::InvoicingError)),
            RevenueKind::Goods
        );
        assert_eq!(kind(None), RevenueKind::Goods);
        assert_eq!(kind(Some(ReasonCategory::Goodwill)), RevenueKind::Discounts);
        let rows = revenue_rows(std::slice::from_ref(&chair), eur(), |line| {
            RevenueKind::of_credit(
                line.nature.unwrap_or_default(),
                Some(ReasonCategory::Goodwill),
            )
        })
        .unwrap();
        let note = document("CN-2026-00001", &rows, "120.00");
        let entry = credit_note_finalized(&ChartOfAccounts::default(), &note).unwrap();
        assert_eq!(
            sides(&entry),
            expected(&[
                ("709000", "100.00", "0"),
                ("445711", "20.00", "0"),
                ("419700", "0", "120.00"),
            ])
        );
    }

    #[test]
    fn a_chart_lists_a_bounded_number_of_rates() {
        let mut chart = ChartOfAccounts::default();
        let row = chart.vat_rates[0].clone();
        chart.vat_rates = vec![row; MAX_VAT_RATES + 1];
        let fields: Vec<String> = chart.violations().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["vat_rates"],
            "refused whole, before each row is compared"
        );
    }

    #[test]
    fn a_rate_given_twice_or_out_of_range_is_refused_on_its_row() {
        let mut chart = ChartOfAccounts::default();
        chart.vat_rates[1].rate = amount("20");
        chart.vat_rates[2].rate = amount("101");
        let fields: Vec<String> = chart.violations().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["vat_rates[1].rate", "vat_rates[2].rate"]);
    }

    #[test]
    fn a_reversal_swaps_every_side_and_still_balances() {
        let chart = ChartOfAccounts::default();
        let applied = credit_applied(
            &chart,
            &acme(),
            "CN-2026-00001",
            "INV-2026-0001",
            date(),
            eur(),
            Moved::unvalued(amount("40.00")),
        )
        .unwrap();
        let reversed = applied.reversal(date(), "Annulation".into());
        assert_eq!(
            sides(&reversed),
            [("419700", "0", "40.00"), ("411000", "40.00", "0")].map(|(a, d, c)| (
                a.to_string(),
                d.to_string(),
                c.to_string()
            ))
        );
    }

    #[test]
    fn account_numbers_are_digits_and_accounts_are_named() {
        let mut chart = ChartOfAccounts::default();
        assert!(chart.violations().is_empty());
        chart.bank.code = "51A".into();
        chart.revenue.label = " ".into();
        let fields: Vec<String> = chart.violations().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["revenue.label", "bank.code"]);
    }

    fn release(
        document: VatDocument,
        waiting: &[RateTax],
        total: &str,
        settled: (&str, &str),
    ) -> Option<JournalEntry> {
        let share = |settled| SettledShare {
            waiting,
            total: amount(total),
            settled: amount(settled),
        };
        vat_on_payment_released(
            &ChartOfAccounts::default(),
            &VatSettlement {
                document,
                number: "INV-2026-0001",
                date: date(),
                currency: eur(),
                before: share(settled.0),
                after: share(settled.1),
                rate: None,
            },
        )
        .unwrap()
    }

    /// CGI art. 269-2-c: the VAT on services is due when the price is received, unless the
    /// seller opted for debits; on goods it is due on delivery (art. 269-2-a). Services' VAT
    /// waits on 44574, goods' goes to its rate's account at once.
    #[test]
    fn service_vat_waits_for_payment_unless_the_seller_opted_for_debits() {
        let lines = [
            sold("Item", "100.00", "20", LineNature::Services),
            sold("Item", "50.00", "20", LineNature::Goods),
            sold("Item", "10.00", "5.5", LineNature::Services),
        ];
        let waiting = vat_due_on_payment(&lines, eur(), false).unwrap();
        assert_eq!(
            waiting,
            [
                RateTax {
                    rate: amount("5.5"),
                    tax: amount("0.55")
                },
                RateTax {
                    rate: amount("20"),
                    tax: amount("20.00")
                },
            ]
        );
        assert!(vat_due_on_payment(&lines, eur(), true).unwrap().is_empty());
        // A correction (negative) reduces the VAT at once.
        let correction = [sold("Item", "-100.00", "20", LineNature::Services)];
        assert!(
            vat_due_on_payment(&correction, eur(), false)
                .unwrap()
                .is_empty()
        );

        let rows = vec![
            row(RevenueKind::Goods, "20", "50.00", "10.00"),
            row(RevenueKind::Services, "5.5", "10.00", "0.55"),
            row(RevenueKind::Services, "20", "100.00", "20.00"),
        ];
        let invoice = SalesDocument {
            vat_on_payment: &waiting,
            ..document("INV-2026-0001", &rows, "190.55")
        };
        let entry = invoice_issued(&ChartOfAccounts::default(), &invoice).unwrap();
        assert_eq!(
            sides(&entry),
            expected(&[
                ("411000", "190.55", "0"),
                ("707000", "0", "50.00"),
                ("706000", "0", "10.00"),
                ("706000", "0", "100.00"),
                ("445740", "0", "0.55"),
                ("445711", "0", "10.00"),
                ("445740", "0", "20.00"),
            ])
        );
    }

    /// BOI-TVA-BASE-20-20: the tax falls due with each payment, in proportion to it; a
    /// payment taken back takes its VAT back; settled in full, all of it is due.
    #[test]
    fn each_settlement_moves_its_share_of_the_waiting_vat_to_the_rate_account() {
        let waiting = [RateTax {
            rate: amount("20"),
            tax: amount("20.00"),
        }];
        let half = release(VatDocument::Invoice, &waiting, "120.00", ("0", "60.00")).unwrap();
        assert_eq!(half.journal, Journal::Miscellaneous);
        assert_eq!(
            sides(&half),
            expected(&[("445740", "10.00", "0"), ("445711", "0", "10.00")])
        );
        // A third, then the rest: rounded shares add up to the whole tax.
        let third = release(VatDocument::Invoice, &waiting, "120.00", ("0", "40.00")).unwrap();
        let rest = release(
            VatDocument::Invoice,
            &waiting,
            "120.00",
            ("40.00", "120.00"),
        )
        .unwrap();
        assert_eq!(third.lines[0].debit + rest.lines[0].debit, amount("20.00"));
        assert_eq!(third.lines[0].debit, amount("6.67"));
        // Taken back: the VAT goes back to waiting.
        let back = release(VatDocument::Invoice, &waiting, "120.00", ("60.00", "0")).unwrap();
        assert_eq!(
            sides(&back),
            expected(&[("445740", "0", "10.00"), ("445711", "10.00", "0")])
        );
        // A credit note's VAT is debited: its settlement moves it the other way.
        let note = release(VatDocument::CreditNote, &waiting, "120.00", ("0", "120.00")).unwrap();
        assert_eq!(
            sides(&note),
            expected(&[("445711", "20.00", "0"), ("445740", "0", "20.00")])
        );
        // Nothing waits, or nothing changes: no entry.
        assert_eq!(
            release(VatDocument::Invoice, &[], "120.00", ("0", "60.00")),
            None
        );
        assert_eq!(
            release(VatDocument::Invoice, &waiting, "120.00", ("60.00", "60.00")),
            None
        );
        // Settled beyond the total (never stored) counts as settled in full.
        let over = release(VatDocument::Invoice, &waiting, "120.00", ("0", "500.00")).unwrap();
        assert_eq!(over.lines[0].debit, amount("20.00"));
    }

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn books(entry: &JournalEntry) -> Vec<(String, String, String)> {
        entry
            .lines
            .iter()
            .map(|line| {
                let booked = line
                    .booked
                    .expect("every line of a foreign entry is valued");
                (
                    line.account.code.clone(),
                    booked.debit.normalize().to_string(),
                    booked.credit.normalize().to_string(),
                )
            })
            .collect()
    }

    /// Code de commerce L123-22 and PCG art. 420-5: a USD invoice is booked in euros at the
    /// rate of its date, each line keeping its dollars (FEC `Montantdevise`); converting each
    /// line to the cent leaves a rounding, booked so the entry balances in both currencies.
    #[test]
    fn a_foreign_invoice_is_booked_in_euros_at_its_rate_with_a_rounding_line() {
        let rows = vec![
            row(RevenueKind::Services, "20", "10.00", "2.00"),
            row(RevenueKind::Goods, "20", "10.00", "2.00"),
        ];
        let invoice = SalesDocument {
            currency: usd(),
            rate: Some(amount("3")),
            ..document("INV-2026-0001", &rows, "24.00")
        };
        let entry = invoice_issued(&ChartOfAccounts::default(), &invoice).unwrap();
        // 24.00 USD is 8.00 EUR; 10.00 is 3.33 twice and 4.00 of VAT is 1.33: 7.99 credited,
        // a cent short, credited to 766 with no dollars.
        assert_eq!(
            books(&entry),
            expected(&[
                ("411000", "8", "0"),
                ("706000", "0", "3.33"),
                ("707000", "0", "3.33"),
                ("445711", "0", "1.33"),
                ("766000", "0", "0.01"),
            ])
        );
        assert_eq!(entry.lines[0].debit, amount("24.00"));
        assert_eq!(entry.lines[4].credit, Decimal::ZERO);
        // Cancelled, it comes back to the cent on every account.
        let reversed = entry.reversal(date(), "Annulation".into());
        let back = books(&reversed);
        assert_eq!(back[0], ("411000".into(), "0".into(), "8".into()));
        assert_eq!(back[4], ("766000".into(), "0.01".into(), "0".into()));
    }

    /// PCG art. 420-7: a USD invoice booked at 1.10 and paid when the euro buys 1.25 dollars
    /// brings fewer euros than were booked: the receivable clears at its booked value and the
    /// difference is a realised exchange loss (666); at a lower rate, a gain (766).
    #[test]
    fn a_payment_at_another_rate_books_a_realised_exchange_difference() {
        let chart = ChartOfAccounts::default();
        // 110.00 USD booked at 1.10 is 100.00 EUR; received at 1.25 it is 88.00 EUR.
        let moved = Moved {
            amount: amount("110.00"),
            booked: Some((amount("88.00"), amount("100.00"))),
        };
        let paid = payment(&chart, &acme(), "INV-1", date(), usd(), moved).unwrap();
        assert_eq!(
            books(&paid),
            expected(&[
                ("512000", "88", "0"),
                ("411000", "0", "100"),
                ("666000", "12", "0"),
            ])
        );
        assert_eq!(paid.lines[2].debit + paid.lines[2].credit, Decimal::ZERO);
        let moved = Moved {
            amount: amount("110.00"),
            booked: Some((amount("110.00"), amount("100.00"))),
        };
        let gained = payment(&chart, &acme(), "INV-1", date(), usd(), moved).unwrap();
        assert_eq!(
            books(&gained)[2],
            ("766000".into(), "0".into(), "10".into())
        );
        // The same rate on both sides makes no difference line.
        let moved = Moved {
            amount: amount("110.00"),
            booked: Some((amount("100.00"), amount("100.00"))),
        };
        let even = payment(&chart, &acme(), "INV-1", date(), usd(), moved).unwrap();
        assert_eq!(even.lines.len(), 2);
    }

    #[test]
    fn a_foreign_entry_with_an_unvalued_line_does_not_balance() {
        let mut lines = vec![
            posted(&acme(), "x", amount("10"), Some(amount("5")), true),
            posted(&acme(), "x", amount("10"), None, false),
        ];
        let result = JournalEntry::balanced(
            Journal::Sales,
            date(),
            "X",
            "x".into(),
            usd(),
            lines.clone(),
        );
        assert!(matches!(result, Err(JournalError::Unbalanced { .. })));
        lines[1].booked = Some(BookAmounts {
            debit: Decimal::ZERO,
            credit: amount("5"),
        });
        assert!(
            JournalEntry::balanced(Journal::Sales, date(), "X", "x".into(), usd(), lines).is_ok()
        );
    }

    /// PCG art. 944-70: a line's own account (its tax category's) takes its net; a gesture is
    /// a discount granted whatever the line's account.
    #[test]
    fn a_line_of_its_own_account_is_booked_apart_but_a_gesture_stays_on_709() {
        let export = Account::new("706100", "Prestations export");
        let mut own = sold("Audit", "100.00", "0", LineNature::Services);
        own.revenue_account = Some(export.clone());
        let plain = sold("Travel", "30.00", "0", LineNature::Services);
        let lines = [own.clone(), plain, own];
        let rows = revenue_rows(&lines, eur(), |line| {
            RevenueKind::of_sale(line.nature.unwrap_or_default())
        })
        .unwrap();
        let booked: Vec<(Option<&str>, String)> = rows
            .iter()
            .map(|row| {
                (
                    row.account.as_ref().map(|a| a.code.as_str()),
                    row.net.to_string(),
                )
            })
            .collect();
        assert_eq!(
            booked,
            [
                (None, "30.00".to_string()),
                (Some("706100"), "200.00".to_string())
            ]
        );
        let gesture = revenue_rows(&lines, eur(), |_| RevenueKind::Discounts).unwrap();
        assert_eq!(gesture.len(), 1);
        assert_eq!(
            (gesture[0].account.clone(), gesture[0].net.to_string()),
            (None, "230.00".to_string())
        );
    }

    /// VAT Directive art. 230: the VAT in euros the entry books is the sum of each rate's VAT
    /// converted, the figure the document prints, even when part of it waits for payment.
    #[test]
    fn the_vat_booked_in_euros_is_the_vat_the_document_prints() {
        let lines = [
            sold("Kettle", "5.00", "20", LineNature::Goods),
            sold("Fitting", "5.00", "20", LineNature::Services),
            sold("Manual", "10.00", "10", LineNature::Services),
        ];
        let rows = revenue_rows(&lines, usd(), |line| {
            RevenueKind::of_sale(line.nature.unwrap_or_default())
        })
        .unwrap();
        let waiting = vat_due_on_payment(&lines, usd(), false).unwrap();
        let invoice = SalesDocument {
            currency: usd(),
            vat_on_payment: &waiting,
            rate: Some(amount("3")),
            ..document("INV-2026-0002", &rows, "23.00")
        };
        let entry = invoice_issued(&ChartOfAccounts::default(), &invoice).unwrap();
        let vat: Decimal = entry
            .lines
            .iter()
            .filter(|line| line.account.code.starts_with("4457"))
            .map(|line| line.booked.unwrap().credit - line.booked.unwrap().debit)
            .sum();
        let printed = super::super::exchange::vat_in_books(&lines, usd(), amount("3")).unwrap();
        // 2.00 at 20 % is 0.67, 1.00 at 10 % is 0.33; line by line it would be 0.33 thrice.
        assert_eq!((vat, printed), (amount("1.00"), amount("1.00")));
    }
}
