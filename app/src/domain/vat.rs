//! VAT categories: why a line is taxed as it is. A 0 % line is not just "zero rated": French
//! invoices must say why no VAT is charged (CGI annexe II art. 242 nonies A, I-12°: the article
//! that exempts it; I-13°: "Autoliquidation" when the buyer owes the tax), and EN 16931 carries
//! the reason as a category (BT-118/BT-151, UNTDID 5305) with an exemption reason (BT-120 text,
//! BT-121 VATEX code).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::lines::{LineInput, totals_by};
use super::money::{Currency, MoneyError};
use super::violation::{RuleCode, Violation};

/// At most this many characters in an exemption reason.
pub const MAX_EXEMPTION_REASON: usize = 300;

/// The VAT category of a line, as EN 16931 codes it (UNTDID 5305).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VatCategory {
    /// S: taxed at a positive rate.
    Standard,
    /// Z: taxed at a rate of zero.
    ZeroRated,
    /// E: exempt (an article of the CGI or the VAT directive says so).
    Exempt,
    /// AE: the buyer accounts for the VAT ("Autoliquidation").
    ReverseCharge,
    /// K: a supply of goods to a business in another EU member state (CGI art. 262 ter I).
    IntraCommunity,
    /// G: an export outside the EU (CGI art. 262 I).
    Export,
}

impl VatCategory {
    pub const ALL: [VatCategory; 6] = [
        VatCategory::Standard,
        VatCategory::ZeroRated,
        VatCategory::Exempt,
        VatCategory::ReverseCharge,
        VatCategory::IntraCommunity,
        VatCategory::Export,
    ];

    /// The UNTDID 5305 code EN 16931 writes.
    pub fn code(self) -> &'static str {
        match self {
            VatCategory::Standard => "S",
            VatCategory::ZeroRated => "Z",
            VatCategory::Exempt => "E",
            VatCategory::ReverseCharge => "AE",
            VatCategory::IntraCommunity => "K",
            VatCategory::Export => "G",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VatCategory::Standard => "standard",
            VatCategory::ZeroRated => "zero_rated",
            VatCategory::Exempt => "exempt",
            VatCategory::ReverseCharge => "reverse_charge",
            VatCategory::IntraCommunity => "intra_community",
            VatCategory::Export => "export",
        }
    }

    /// How the screens name it.
    pub fn label(self) -> &'static str {
        match self {
            VatCategory::Standard => "Standard rated",
            VatCategory::ZeroRated => "Zero rated",
            VatCategory::Exempt => "Exempt",
            VatCategory::ReverseCharge => "Reverse charge",
            VatCategory::IntraCommunity => "Intra-EU supply",
            VatCategory::Export => "Export outside the EU",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|category| category.as_str() == text)
    }

    /// What a line's rate says when nothing else does: taxed above 0 %, zero rated at 0 %.
    pub fn of_rate(rate: Decimal) -> Self {
        if rate.is_zero() {
            VatCategory::ZeroRated
        } else {
            VatCategory::Standard
        }
    }

    /// The VATEX code (BT-121) of a category whose reason is fixed by law.
    pub fn vatex(self) -> Option<&'static str> {
        match self {
            VatCategory::ReverseCharge => Some("VATEX-EU-AE"),
            VatCategory::IntraCommunity => Some("VATEX-EU-IC"),
            VatCategory::Export => Some("VATEX-EU-G"),
            _ => None,
        }
    }

    /// The mention the invoice prints when the line gives none (CGI annexe II art. 242 nonies A,
    /// I-12° and 13°). An exemption has none: only the seller knows which article applies.
    pub fn default_reason(self) -> Option<&'static str> {
        match self {
            VatCategory::ReverseCharge => Some("Autoliquidation"),
            VatCategory::IntraCommunity => {
                Some("Exonération de TVA, article 262 ter I du CGI (livraison intracommunautaire)")
            }
            VatCategory::Export => Some("Exonération de TVA, article 262 I du CGI (exportation)"),
            _ => None,
        }
    }

    /// Whether the category says why no VAT is charged: an exemption reason belongs to it.
    pub fn is_untaxed(self) -> bool {
        !matches!(self, VatCategory::Standard | VatCategory::ZeroRated)
    }

    /// Whether a document of this category names the buyer's VAT number (EN 16931 BR-AE-02,
    /// BR-IC-02; CGI annexe II art. 242 nonies A, I-2° for intra-EU supplies).
    pub fn needs_buyer_vat_id(self) -> bool {
        matches!(
            self,
            VatCategory::ReverseCharge | VatCategory::IntraCommunity
        )
    }
}

/// How one line is taxed: its category and, for an untaxed one, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineVat {
    pub category: VatCategory,
    /// What the document prints (BT-120): the line's own reason, else the category's default.
    pub exemption_reason: Option<String>,
}

/// The category and reason of a line of rate `rate`, checked against EN 16931: a standard line
/// is taxed above 0 % (BR-S-05), every other category at 0 % (BR-Z-05, BR-E-05, BR-AE-05,
/// BR-IC-05, BR-G-05); an exempt line names its exemption (BR-E-10; CGI annexe II art. 242
/// nonies A, I-12°), and a taxed or zero-rated one has no exemption reason (BR-S-10, BR-Z-10).
/// No category: the rate's.
pub fn line_vat(
    rate: Decimal,
    category: Option<VatCategory>,
    reason: Option<&str>,
    field_prefix: &str,
    rate_field: &str,
) -> Result<LineVat, Violation> {
    let category = category.unwrap_or(VatCategory::of_rate(rate));
    let field = |name: &str| Some(format!("{field_prefix}{name}").as_str().into());
    let reason = reason.map(str::trim).filter(|reason| !reason.is_empty());
    match category {
        VatCategory::Standard if rate.is_zero() => {
            return Err(Violation::new(
                RuleCode::ValidationError,
                field("vat_category"),
                "A standard-rated line is taxed above 0 %: choose why this line has no VAT",
            ));
        }
        VatCategory::Standard => {}
        _ if !rate.is_zero() => {
            return Err(Violation::new(
                RuleCode::ValidationError,
                field(rate_field),
                format!(
                    "A line of VAT category {} is taxed at 0 %",
                    category.as_str()
                ),
            ));
        }
        _ => {}
    }
    if !category.is_untaxed() {
        if reason.is_some() {
            return Err(Violation::new(
                RuleCode::ValidationError,
                field("vat_exemption_reason"),
                "Only an untaxed line (exempt, reverse charge, intra-EU supply, export) has an exemption reason",
            ));
        }
        return Ok(LineVat {
            category,
            exemption_reason: None,
        });
    }
    if reason.is_some_and(|reason| reason.chars().count() > MAX_EXEMPTION_REASON) {
        return Err(Violation::new(
            RuleCode::ValidationError,
            field("vat_exemption_reason"),
            format!("An exemption reason has at most {MAX_EXEMPTION_REASON} characters"),
        ));
    }
    match reason.or(category.default_reason()) {
        Some(reason) => Ok(LineVat {
            category,
            exemption_reason: Some(reason.to_owned()),
        }),
        None => Err(Violation::new(
            RuleCode::ValidationError,
            field("vat_exemption_reason"),
            "Name the article that exempts this line from VAT (for example: Exonération de TVA, article 261-4-4° du CGI)",
        )),
    }
}

/// A document with an intra-EU supply or under reverse charge names the buyer's VAT number
/// (CGI annexe II art. 242 nonies A, I-2°; EN 16931 BR-IC-02, BR-AE-02): without it, nothing
/// is issued.
pub fn check_buyer_identified(
    lines: &[LineInput],
    buyer_vat_id: Option<&str>,
) -> Result<(), Violation> {
    if buyer_vat_id.is_some_and(|id| !id.trim().is_empty()) {
        return Ok(());
    }
    match lines
        .iter()
        .map(LineInput::vat_category)
        .find(|category| category.needs_buyer_vat_id())
    {
        Some(category) => Err(Violation::new(
            RuleCode::BuyerVatIdRequired,
            Some("customer.vat_id".into()),
            format!(
                "A document with lines of VAT category {} states the customer's VAT number: add it to the customer first",
                category.as_str()
            ),
        )),
        None => Ok(()),
    }
}

/// One row of a document's VAT breakdown (EN 16931 BG-23): the lines of one category, rate and
/// exemption reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VatBreakdown {
    pub category: VatCategory,
    pub rate: Decimal,
    pub exemption_reason: Option<String>,
    pub net: Decimal,
    pub tax: Decimal,
}

/// The VAT breakdown of `lines`, taxed rows first, by rate. Its nets and taxes add up to the
/// document's subtotal and tax total.
pub fn vat_breakdown(
    lines: &[LineInput],
    currency: Currency,
) -> Result<Vec<VatBreakdown>, MoneyError> {
    let key = |line: &LineInput| {
        (
            line.vat_category(),
            line.tax_rate.normalize(),
            line.exemption_reason(),
        )
    };
    let mut rows: Vec<VatBreakdown> = totals_by(lines, currency, key)?
        .into_iter()
        .map(
            |((category, rate, exemption_reason), net, tax)| VatBreakdown {
                category,
                rate,
                exemption_reason,
                net,
                tax,
            },
        )
        .collect();
    rows.sort_by(|a, b| {
        (a.category, a.rate, &a.exemption_reason).cmp(&(b.category, b.rate, &b.exemption_reason))
    });
    Ok(rows)
}

/// What a seller's invoices are (the 2026 e-invoicing reform's mention, CGI annexe II art. 242
/// nonies A as amended by décret n° 2022-1299): goods only, services only, or both.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationNature {
    Goods,
    Services,
    Mixed,
}

impl OperationNature {
    pub const ALL: [OperationNature; 3] = [
        OperationNature::Goods,
        OperationNature::Services,
        OperationNature::Mixed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OperationNature::Goods => "goods",
            OperationNature::Services => "services",
            OperationNature::Mixed => "mixed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|nature| nature.as_str() == text)
    }

    /// How the screens name it.
    pub fn label(self) -> &'static str {
        match self {
            OperationNature::Goods => "Supplies of goods only",
            OperationNature::Services => "Supplies of services only",
            OperationNature::Mixed => "Goods and services",
        }
    }

    /// The billing mode of the French e-invoicing reform (BT-23, rule BR-FR-08): a document of
    /// goods, of services, or of both, deposited as an ordinary invoice.
    pub fn billing_mode(self) -> &'static str {
        match self {
            OperationNature::Goods => "B1",
            OperationNature::Services => "S1",
            OperationNature::Mixed => "M1",
        }
    }

    /// The mention documents print.
    pub fn mention(self) -> &'static str {
        match self {
            OperationNature::Goods => "Opérations : exclusivement des livraisons de biens",
            OperationNature::Services => "Opérations : exclusivement des prestations de services",
            OperationNature::Mixed => "Opérations : livraisons de biens et prestations de services",
        }
    }

    /// What one document's operations are, from what its lines sell: none for a document
    /// without lines (a standalone credit's charge).
    pub fn of_lines(natures: impl IntoIterator<Item = LineNature>) -> Option<Self> {
        let (mut goods, mut services) = (false, false);
        for nature in natures {
            match nature {
                LineNature::Goods => goods = true,
                LineNature::Services => services = true,
            }
        }
        match (goods, services) {
            (true, true) => Some(OperationNature::Mixed),
            (true, false) => Some(OperationNature::Goods),
            (false, true) => Some(OperationNature::Services),
            (false, false) => None,
        }
    }

    /// What a line sells when it does not say: goods for a seller of goods only, else
    /// services.
    pub fn default_line_nature(self) -> LineNature {
        match self {
            OperationNature::Goods => LineNature::Goods,
            OperationNature::Services | OperationNature::Mixed => LineNature::Services,
        }
    }
}

/// What one line sells: a supply of goods or of services. It chooses the line's revenue
/// account (PCG 707 or 706) and, for services, when its VAT is due (CGI art. 269-2-c: on
/// payment, unless the seller opted for debits).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineNature {
    Goods,
    #[default]
    Services,
}

impl LineNature {
    pub const ALL: [LineNature; 2] = [LineNature::Goods, LineNature::Services];

    pub fn as_str(self) -> &'static str {
        match self {
            LineNature::Goods => "goods",
            LineNature::Services => "services",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|nature| nature.as_str() == text)
    }

    /// How the screens name it.
    pub fn label(self) -> &'static str {
        match self {
            LineNature::Goods => "Goods",
            LineNature::Services => "Services",
        }
    }
}

/// The mention of a seller that opted to pay VAT on its services when invoiced rather than when
/// paid (CGI art. 269-2-c; printed since décret n° 2022-1299).
pub const VAT_ON_DEBITS_MENTION: &str = "Option pour le paiement de la taxe d'après les débits";

/// How the seller accounts for VAT, as its documents state it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatRegime {
    /// What the seller's documents are: goods, services or both.
    #[serde(default)]
    pub operations: Option<OperationNature>,
    /// Whether the seller opted to pay VAT on debits.
    #[serde(default)]
    pub on_debits: bool,
}

impl VatRegime {
    /// The nature of a document's operations (décret n° 2022-1299): what its lines sell, or,
    /// for a document without lines, what the seller's operations are.
    pub fn operations_of(&self, document: Option<OperationNature>) -> Option<OperationNature> {
        document.or(self.operations)
    }

    /// What a line sells when it does not say: the seller's operations tell; a seller that
    /// has not said sells services.
    pub fn default_line_nature(&self) -> LineNature {
        self.operations
            .map(OperationNature::default_line_nature)
            .unwrap_or_default()
    }

    /// What a document of the seller prints about its VAT regime: the nature of its own
    /// operations (`document`, from its lines; the seller's when it has none), and the option
    /// for debits.
    pub fn mentions(&self, document: Option<OperationNature>) -> Vec<String> {
        let mut mentions: Vec<String> = self
            .operations_of(document)
            .map(|nature| nature.mention().to_string())
            .into_iter()
            .collect();
        if self.on_debits {
            mentions.push(VAT_ON_DEBITS_MENTION.to_string());
        }
        mentions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn line(rate: Decimal, category: Option<VatCategory>, reason: Option<&str>) -> LineInput {
        LineInput {
            description: "Item".into(),
            quantity: dec!(1),
            unit_price: dec!(100.00),
            discount_percent: dec!(0),
            tax_rate: rate,
            ship_date: None,
            vat_category: category,
            vat_exemption_reason: reason.map(str::to_owned),
            nature: None,
            revenue_account: None,
        }
    }

    #[test]
    fn a_rate_alone_says_standard_or_zero_rated() {
        assert_eq!(
            line_vat(dec!(20), None, None, "", "tax_rate")
                .unwrap()
                .category,
            VatCategory::Standard
        );
        assert_eq!(
            line_vat(dec!(0), None, None, "", "tax_rate")
                .unwrap()
                .category,
            VatCategory::ZeroRated
        );
    }

    /// EN 16931 BR-S-05 and BR-AE-05/BR-IC-05/BR-G-05/BR-E-05: standard lines are taxed, the
    /// untaxed categories are at 0 %.
    #[test]
    fn the_category_and_the_rate_agree() {
        let error = line_vat(
            dec!(0),
            Some(VatCategory::Standard),
            None,
            "lines[2].",
            "tax_rate",
        )
        .unwrap_err();
        assert_eq!(error.field, Some("lines[2].vat_category".into()));
        let error =
            line_vat(dec!(20), Some(VatCategory::Export), None, "", "tax_rate").unwrap_err();
        assert_eq!(error.field, Some("tax_rate".into()));
    }

    /// CGI annexe II art. 242 nonies A, I-12°, and EN 16931 BR-E-10: an exemption names its
    /// article; reverse charge prints "Autoliquidation" (I-13°); intra-EU supplies and exports
    /// name CGI art. 262 ter I and 262 I unless the seller words it otherwise.
    #[test]
    fn an_untaxed_line_says_why() {
        let error = line_vat(
            dec!(0),
            Some(VatCategory::Exempt),
            Some("  "),
            "",
            "tax_rate",
        )
        .unwrap_err();
        assert_eq!(error.field, Some("vat_exemption_reason".into()));
        let exempt = line_vat(
            dec!(0),
            Some(VatCategory::Exempt),
            Some("Exonération de TVA, article 261-4-4° du CGI"),
            "",
            "tax_rate",
        )
        .unwrap();
        assert_eq!(
            exempt.exemption_reason.as_deref(),
            Some("Exonération de TVA, article 261-4-4° du CGI")
        );
        let reverse = line_vat(
            dec!(0),
            Some(VatCategory::ReverseCharge),
            None,
            "",
            "tax_rate",
        )
        .unwrap();
        assert_eq!(reverse.exemption_reason.as_deref(), Some("Autoliquidation"));
        let export = line_vat(dec!(0), Some(VatCategory::Export), None, "", "tax_rate").unwrap();
        assert!(export.exemption_reason.unwrap().contains("262 I du CGI"));
        let supply = line_vat(
            dec!(0),
            Some(VatCategory::IntraCommunity),
            None,
            "",
            "tax_rate",
        )
        .unwrap();
        assert!(supply.exemption_reason.unwrap().contains("262 ter I"));
    }

    /// EN 16931 BR-S-10 and BR-Z-10: a taxed or zero-rated line has no exemption reason.
    #[test]
    fn a_taxed_line_has_no_exemption_reason() {
        let error = line_vat(dec!(20), None, Some("Exonéré"), "", "tax_rate").unwrap_err();
        assert_eq!(error.field, Some("vat_exemption_reason".into()));
    }

    /// EN 16931 BG-23: one breakdown row per category, rate and reason, adding up to the
    /// document.
    #[test]
    fn the_breakdown_keeps_categories_apart_and_adds_up() {
        let lines = [
            line(dec!(20), None, None),
            line(dec!(0), Some(VatCategory::Export), Some("Export")),
            line(dec!(0), None, None),
            line(dec!(20.0), None, None),
            line(dec!(0), Some(VatCategory::Export), Some("Export")),
        ];
        let rows = vat_breakdown(&lines, Currency::parse("EUR").unwrap()).unwrap();
        let summary: Vec<_> = rows
            .iter()
            .map(|row| (row.category, row.rate, row.net, row.tax))
            .collect();
        assert_eq!(
            summary,
            vec![
                (VatCategory::Standard, dec!(20), dec!(200.00), dec!(40.00)),
                (VatCategory::ZeroRated, dec!(0), dec!(100.00), dec!(0.00)),
                (VatCategory::Export, dec!(0), dec!(200.00), dec!(0.00)),
            ]
        );
        assert_eq!(rows[2].exemption_reason.as_deref(), Some("Export"));
    }

    /// CGI annexe II art. 242 nonies A, I-2°: an intra-EU supply and a reverse-charge
    /// document carry the buyer's VAT number; an export does not need one.
    #[test]
    fn an_intra_eu_or_reverse_charge_document_needs_the_buyers_vat_number() {
        let supply = [line(dec!(0), Some(VatCategory::IntraCommunity), None)];
        let error = check_buyer_identified(&supply, Some(" ")).unwrap_err();
        assert_eq!(error.code, RuleCode::BuyerVatIdRequired);
        assert_eq!(error.field, Some("customer.vat_id".into()));
        assert!(check_buyer_identified(&supply, Some("DE811907980")).is_ok());
        let reverse = [line(dec!(0), Some(VatCategory::ReverseCharge), None)];
        assert!(check_buyer_identified(&reverse, None).is_err());
        let export = [line(dec!(0), Some(VatCategory::Export), None)];
        assert!(check_buyer_identified(&export, None).is_ok());
    }

    /// Décret n° 2022-1299: documents say whether they are goods, services or both, and carry
    /// "Option pour le paiement de la taxe d'après les débits" when the seller opted.
    #[test]
    fn the_regime_prints_the_reforms_mentions() {
        assert!(VatRegime::default().mentions(None).is_empty());
        let regime = VatRegime {
            operations: Some(OperationNature::Services),
            on_debits: true,
        };
        assert_eq!(
            regime.mentions(None),
            [
                "Opérations : exclusivement des prestations de services",
                "Option pour le paiement de la taxe d'après les débits"
            ]
        );
        for nature in OperationNature::ALL {
            assert_eq!(OperationNature::parse(nature.as_str()), Some(nature));
        }
    }

    /// Décret n° 2022-1299 (CGI annexe II art. 242 nonies A): each document states the nature
    /// of its own operations; a goods-only invoice of a seller of both says goods, and a
    /// document without lines says what the seller's operations are.
    #[test]
    fn a_document_states_the_nature_of_its_own_operations() {
        use LineNature::{Goods, Services};
        assert_eq!(
            OperationNature::of_lines([Goods, Goods]),
            Some(OperationNature::Goods)
        );
        assert_eq!(
            OperationNature::of_lines([Services]),
            Some(OperationNature::Services)
        );
        assert_eq!(
            OperationNature::of_lines([Goods, Services]),
            Some(OperationNature::Mixed)
        );
        assert_eq!(OperationNature::of_lines([]), None);
        let regime = VatRegime {
            operations: Some(OperationNature::Mixed),
            on_debits: false,
        };
        assert_eq!(
            regime.mentions(Some(OperationNature::Goods)),
            ["Opérations : exclusivement des livraisons de biens"]
        );
        assert_eq!(
            regime.mentions(None),
            ["Opérations : livraisons de biens et prestations de services"]
        );
    }

    #[test]
    fn categories_read_back_what_they_write() {
        for category in VatCategory::ALL {
            assert_eq!(VatCategory::parse(category.as_str()), Some(category));
        }
        assert_eq!(VatCategory::parse("Z"), None);
    }
}
