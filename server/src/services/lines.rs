//! Document lines as requests give them, and the tax rates they take inside the transaction.

use app::domain::{
    CreditContent, Currency, LineInput, LineNature, RuleCode, VatCategory, Violation, line_vat,
};
use rust_decimal::Decimal;

use super::{ServiceError, minor};
use crate::storage::{ChargeRecord, ContentRecord, LineRecord, TotalsRecord, Tx};

/// A line as a request gives it: its own tax rate, or a tax category whose rate the tax table
/// gives for the customer's region.
#[derive(Clone, Debug)]
pub struct LineDraft {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_rate: Option<Decimal>,
    /// `standard` when absent.
    pub tax_category: Option<String>,
    pub ship_date: Option<chrono::NaiveDate>,
    /// Why the line is taxed as it is; absent: the tax table's rule says, else the rate.
    pub vat_category: Option<VatCategory>,
    /// An untaxed line's mention; absent: the rule's, else the category's own.
    pub vat_exemption_reason: Option<String>,
    /// What the line sells; absent: what the seller's operations say.
    pub nature: Option<LineNature>,
    /// The revenue account the line already has (a credited or corrected line's); absent:
    /// its tax rule's, if the rule has one.
    pub revenue_account: Option<app::domain::journal::Account>,
}

impl From<LineInput> for LineDraft {
    fn from(line: LineInput) -> Self {
        Self {
            description: line.description,
            quantity: line.quantity,
            unit_price: line.unit_price,
            discount_percent: line.discount_percent,
            tax_rate: Some(line.tax_rate),
            tax_category: None,
            ship_date: line.ship_date,
            vat_category: line.vat_category,
            vat_exemption_reason: line.vat_exemption_reason,
            nature: line.nature,
            revenue_account: line.revenue_account,
        }
    }
}

/// Drafts that name no revenue account take the one of the line they repeat in `sources` (the
/// same description and rate): an edited document's own lines, or those of the invoice a
/// correction or a credit note corrects. A browser form carries no account, so a line edited
/// or copied there keeps the account its sale was booked to.
pub(crate) fn inherit_revenue_accounts(drafts: &mut [LineDraft], sources: &[app::model::LineView]) {
    for draft in drafts
        .iter_mut()
        .filter(|draft| draft.revenue_account.is_none())
    {
        draft.revenue_account = sources
            .iter()
            .find(|source| {
                source.description == draft.description
                    && draft.tax_rate.is_none_or(|rate| rate == source.tax_rate)
            })
            .and_then(|source| source.revenue_account.clone());
    }
}

/// Gives every line its tax rate, read in the caller's transaction: its own (0–100 %), else
/// the table's for the customer's region and the line's category; and its VAT category and
/// exemption mention, checked against the rate (EN 16931): the line's own, else those of the
/// table's rule it took its rate from, else the rate's; and what it sells: its own nature, else
/// the seller's operations'. Every line at fault is named.
pub(crate) async fn resolve_lines(
    tx: &mut Box<dyn Tx>,
    customer_id: i64,
    drafts: Vec<LineDraft>,
) -> Result<Vec<LineInput>, ServiceError> {
    let needs_table = drafts.iter().any(|line| line.tax_rate.is_none());
    let context = if needs_table {
        let region = tx.customer(customer_id).await?.map(|c| c.tax_region);
        Some((tx.tax_table().await?, region))
    } else {
        None
    };
    let default_nature = if drafts.iter().any(|line| line.nature.is_none()) {
        let seller = tx.seller().await?;
        seller.map(|seller| seller.vat_regime.default_line_nature())
    } else {
        None
    }
    .unwrap_or_default();
    let mut violations = Vec::new();
    let mut lines = Vec::with_capacity(drafts.len());
    for (i, draft) in drafts.into_iter().enumerate() {
        let field = format!("lines[{i}].tax_rate");
        // The rule the rate comes from, when it comes from the table.
        let mut rule = None;
        let rate = match (&context, draft.tax_rate) {
            (Some((table, Some(region))), rate) => {
                let category = draft.tax_category.as_deref().unwrap_or("standard");
                if rate.is_none() {
                    rule = table.rule(region, category);
                }
                table.line_rate(region, category, rate, &field)
            }
            (_, Some(rate)) => {
                app::domain::TaxTable::default().line_rate("", "", Some(rate), &field)
            }
            // The customer is unknown: the customer check names that.
            (_, None) => Err(Violation::new(
                RuleCode::ValidationError,
                Some(field.as_str().into()),
                "Give a tax_rate, or a customer whose region has rates",
            )),
        };
        let vat = rate.and_then(|rate| {
            let category = draft
                .vat_category
                .or(rule.and_then(|rule| rule.vat_category));
            let reason = draft
                .vat_exemption_reason
                .as_deref()
                .or(rule.and_then(|rule| rule.vat_exemption_reason.as_deref()));
            line_vat(rate, category, reason, &format!("lines[{i}]."), "tax_rate")
                .map(|vat| (rate, vat))
        });
        match vat {
            Ok((tax_rate, vat)) => lines.push(LineInput {
                description: draft.description,
                quantity: draft.quantity,
                unit_price: draft.unit_price,
                discount_percent: draft.discount_percent,
                tax_rate,
                ship_date: draft.ship_date,
                vat_category: Some(vat.category),
                vat_exemption_reason: vat.exemption_reason,
                nature: Some(draft.nature.unwrap_or(default_nature)),
                revenue_account: draft
                    .revenue_account
                    .or_else(|| rule.and_then(|rule| rule.revenue_account.clone())),
            }),
            Err(violation) => violations.push(violation),
        }
    }
    if violations.is_empty() {
        Ok(lines)
    } else {
        Err(violations.into())
    }
}

/// What checked lines store: each line with its amounts, and the document's totals, all in
/// minor units. Computed here, once, so storage keeps exactly what the domain says.
pub(crate) fn content_record(
    lines: &[LineInput],
    currency: Currency,
) -> Result<ContentRecord, ServiceError> {
    let overflow = |e: app::domain::MoneyError| ServiceError::Internal(e.to_string());
    let records = lines
        .iter()
        .map(|line| {
            let amounts = line.checked_amounts(currency).map_err(overflow)?;
            Ok(LineRecord {
                description: line.description.clone(),
                quantity: line.quantity.normalize(),
                unit_price_minor: minor(currency, line.unit_price)?,
                discount_percent: line.discount_percent.normalize(),
                tax_rate: line.tax_rate.normalize(),
                net_minor: minor(currency, amounts.net)?,
                tax_minor: minor(currency, amounts.tax)?,
                total_minor: minor(currency, amounts.total)?,
                ship_date: line.ship_date,
                vat_category: line.vat_category(),
                vat_exemption_reason: line.exemption_reason(),
                nature: line.nature.unwrap_or_default(),
                revenue_account: line.revenue_account.clone(),
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    let totals = app::domain::checked_document_totals(lines, currency).map_err(overflow)?;
    Ok(ContentRecord {
        lines: records,
        totals: TotalsRecord {
            subtotal_minor: minor(currency, totals.subtotal)?,
            tax_total_minor: minor(currency, totals.tax_total)?,
            total_minor: minor(currency, totals.total)?,
        },
    })
}

/// What a credit note's content stores: its lines and totals, or its charge.
pub(crate) fn credit_content_record(
    content: &CreditContent,
    currency: Currency,
) -> Result<(ContentRecord, Option<ChargeRecord>), ServiceError> {
    match content {
        CreditContent::Lines(lines) => Ok((content_record(lines, currency)?, None)),
        CreditContent::Charge(charge) => {
            let totals = content.totals(currency);
            let record = ContentRecord {
                lines: Vec::new(),
                totals: TotalsRecord {
                    subtotal_minor: minor(currency, totals.subtotal)?,
                    tax_total_minor: minor(currency, totals.tax_total)?,
                    total_minor: minor(currency, totals.total)?,
                },
            };
            let charge = ChargeRecord {
                code: charge.code.clone(),
                description: charge.description.clone(),
            };
            Ok((record, Some(charge)))
        }
    }
}
