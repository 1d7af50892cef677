//! EN 16931 in the UN/CEFACT Cross Industry Invoice syntax (D16B), as Factur-X's EN 16931
//! profile embeds it: elements in the order its schema requires.

use chrono::NaiveDate;

use super::xml::Xml;
use super::{EDocument, EN16931, EParty, SIRENE_SCHEME, amount, plain};

const RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
const RAM: &str =
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
const QDT: &str = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
const UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";

/// The document as CII XML.
pub fn write(document: &EDocument) -> String {
    let currency = document.currency;
    let money = |value| amount(currency, value);
    let mut xml = Xml::new();
    xml.open(
        "rsm:CrossIndustryInvoice",
        &[
            ("xmlns:rsm", RSM),
            ("xmlns:ram", RAM),
            ("xmlns:qdt", QDT),
            ("xmlns:udt", UDT),
        ],
    );
    xml.open("rsm:ExchangedDocumentContext", &[]);
    if let Some(mode) = document.billing_mode {
        xml.open("ram:BusinessProcessSpecifiedDocumentContextParameter", &[]);
        xml.text("ram:ID", mode);
        xml.close("ram:BusinessProcessSpecifiedDocumentContextParameter");
    }
    xml.open("ram:GuidelineSpecifiedDocumentContextParameter", &[]);
    xml.text("ram:ID", EN16931);
    xml.close("ram:GuidelineSpecifiedDocumentContextParameter");
    xml.close("rsm:ExchangedDocumentContext");

    xml.open("rsm:ExchangedDocument", &[]);
    xml.text("ram:ID", &document.number);
    xml.text("ram:TypeCode", &document.type_code.to_string());
    date_time(&mut xml, "ram:IssueDateTime", "udt", document.issue_date);
    // BT-22: the credit note's reason, then what the law has every document state.
    let reason = document
        .note
        .as_deref()
        .filter(|note| !note.trim().is_empty());
    let notes = reason.map(|text| (text, None)).into_iter().chain(
        document
            .legal_notes
            .iter()
            .map(|note| (note.text.as_str(), note.subject)),
    );
    for (text, subject) in notes {
        xml.open("ram:IncludedNote", &[]);
        xml.text("ram:Content", text);
        xml.optional("ram:SubjectCode", subject);
        xml.close("ram:IncludedNote");
    }
    xml.close("rsm:ExchangedDocument");

    xml.open("rsm:SupplyChainTradeTransaction", &[]);
    for (index, line) in document.lines.iter().enumerate() {
        xml.open("ram:IncludedSupplyChainTradeLineItem", &[]);
        xml.open("ram:AssociatedDocumentLineDocument", &[]);
        xml.text("ram:LineID", &(index + 1).to_string());
        xml.close("ram:AssociatedDocumentLineDocument");
        xml.open("ram:SpecifiedTradeProduct", &[]);
        xml.text("ram:Name", &line.name);
        xml.close("ram:SpecifiedTradeProduct");
        xml.open("ram:SpecifiedLineTradeAgreement", &[]);
        xml.open("ram:NetPriceProductTradePrice", &[]);
        xml.text("ram:ChargeAmount", &plain(line.unit_price));
        xml.close("ram:NetPriceProductTradePrice");
        xml.close("ram:SpecifiedLineTradeAgreement");
        xml.open("ram:SpecifiedLineTradeDelivery", &[]);
        xml.text_with(
            "ram:BilledQuantity",
            &[("unitCode", super::ubl::UNIT)],
            &plain(line.quantity),
        );
        xml.close("ram:SpecifiedLineTradeDelivery");
        xml.open("ram:SpecifiedLineTradeSettlement", &[]);
        xml.open("ram:ApplicableTradeTax", &[]);
        xml.text("ram:TypeCode", "VAT");
        xml.text("ram:CategoryCode", line.vat_category.code());
        xml.text("ram:RateApplicablePercent", &plain(line.tax_rate));
        xml.close("ram:ApplicableTradeTax");
        if let Some(allowance) = line.allowance {
            xml.open("ram:SpecifiedTradeAllowanceCharge", &[]);
            xml.open("ram:ChargeIndicator", &[]);
            xml.text("udt:Indicator", "false");
            xml.close("ram:ChargeIndicator");
            xml.text("ram:CalculationPercent", &plain(allowance.percent));
            xml.text("ram:BasisAmount", &money(allowance.base));
            xml.text("ram:ActualAmount", &money(allowance.amount));
            xml.text("ram:ReasonCode", "95");
            xml.text("ram:Reason", "Discount");
            xml.close("ram:SpecifiedTradeAllowanceCharge");
        }
        xml.open("ram:SpecifiedTradeSettlementLineMonetarySummation", &[]);
        xml.text("ram:LineTotalAmount", &money(line.net));
        xml.close("ram:SpecifiedTradeSettlementLineMonetarySummation");
        xml.close("ram:SpecifiedLineTradeSettlement");
        xml.close("ram:IncludedSupplyChainTradeLineItem");
    }

    xml.open("ram:ApplicableHeaderTradeAgreement", &[]);
    party(&mut xml, "ram:SellerTradeParty", &document.seller);
    party(&mut xml, "ram:BuyerTradeParty", &document.buyer);
    if let Some(project) = document.project.as_deref() {
        xml.open("ram:SpecifiedProcuringProject", &[]);
        xml.text("ram:ID", project);
        xml.text("ram:Name", project);
        xml.close("ram:SpecifiedProcuringProject");
    }
    xml.close("ram:ApplicableHeaderTradeAgreement");

    xml.open("ram:ApplicableHeaderTradeDelivery", &[]);
    if let Some(delivered_to) = document.stated_delivery_address() {
        // BG-15: where the goods went.
        xml.open("ram:ShipToTradeParty", &[]);
        postal_address(&mut xml, delivered_to);
        xml.close("ram:ShipToTradeParty");
    }
    if let Some(shipped) = document.delivery_date {
        xml.open("ram:ActualDeliverySupplyChainEvent", &[]);
        date_time(&mut xml, "ram:OccurrenceDateTime", "udt", shipped);
        xml.close("ram:ActualDeliverySupplyChainEvent");
    }
    xml.close("ram:ApplicableHeaderTradeDelivery");

    xml.open("ram:ApplicableHeaderTradeSettlement", &[]);
    if let Some((accounting, _)) = document.tax_in_accounting_currency {
        xml.text("ram:TaxCurrencyCode", accounting.code());
    }
    xml.text("ram:InvoiceCurrencyCode", currency.code());
    if let Some(iban) = document.seller_iban.as_deref() {
        xml.open("ram:SpecifiedTradeSettlementPaymentMeans", &[]);
        // UNTDID 4461 58: SEPA credit transfer.
        xml.text("ram:TypeCode", "58");
        xml.open("ram:PayeePartyCreditorFinancialAccount", &[]);
        xml.text("ram:IBANID", &iban.replace(' ', ""));
        xml.close("ram:PayeePartyCreditorFinancialAccount");
        xml.close("ram:SpecifiedTradeSettlementPaymentMeans");
    }
    for rate in &document.taxes {
        xml.open("ram:ApplicableTradeTax", &[]);
        xml.text("ram:CalculatedAmount", &money(rate.tax));
        xml.text("ram:TypeCode", "VAT");
        // BT-120 and BT-121: why an untaxed category is not taxed.
        xml.optional("ram:ExemptionReason", rate.exemption_reason.as_deref());
        xml.text("ram:BasisAmount", &money(rate.taxable));
        xml.text("ram:CategoryCode", rate.category.code());
        if rate.exemption_reason.is_some() {
            xml.optional("ram:ExemptionReasonCode", rate.category.vatex());
        }
        xml.text("ram:RateApplicablePercent", &plain(rate.rate));
        xml.close("ram:ApplicableTradeTax");
    }
    if let Some(due) = document.due_date {
        xml.open("ram:SpecifiedTradePaymentTerms", &[]);
        date_time(&mut xml, "ram:DueDateDateTime", "udt", due);
        xml.close("ram:SpecifiedTradePaymentTerms");
    }
    xml.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation", &[]);
    xml.text("ram:LineTotalAmount", &money(document.line_total));
    xml.text("ram:TaxBasisTotalAmount", &money(document.line_total));
    xml.text_with(
        "ram:TaxTotalAmount",
        &[("currencyID", currency.code())],
        &money(document.tax_total),
    );
    if let Some((accounting, tax)) = document.tax_in_accounting_currency {
        xml.text_with(
            "ram:TaxTotalAmount",
            &[("currencyID", accounting.code())],
            &money(tax),
        );
    }
    xml.text("ram:GrandTotalAmount", &money(document.grand_total));
    xml.text("ram:DuePayableAmount", &money(document.grand_total));
    xml.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    if let Some((number, date)) = &document.preceding_invoice {
        xml.open("ram:InvoiceReferencedDocument", &[]);
        xml.text("ram:IssuerAssignedID", number);
        date_time(&mut xml, "ram:FormattedIssueDateTime", "qdt", *date);
        xml.close("ram:InvoiceReferencedDocument");
    }
    xml.close("ram:ApplicableHeaderTradeSettlement");
    xml.close("rsm:SupplyChainTradeTransaction");
    xml.close("rsm:CrossIndustryInvoice");
    xml.finish()
}

/// A date as CII writes it: format 102, `YYYYMMDD`, in the `udt` or `qdt` namespace.
fn date_time(xml: &mut Xml, element: &str, prefix: &str, day: NaiveDate) {
    xml.open(element, &[]);
    xml.text_with(
        &format!("{prefix}:DateTimeString"),
        &[("format", "102")],
        &day.format("%Y%m%d").to_string(),
    );
    xml.close(element);
}

/// An address (BG-5, BG-8, BG-15) in the CII order.
fn postal_address(xml: &mut Xml, address: &app::model::Address) {
    xml.open("ram:PostalTradeAddress", &[]);
    xml.optional("ram:PostcodeCode", Some(&address.postal_code));
    xml.optional("ram:LineOne", Some(&address.line1));
    xml.optional("ram:LineTwo", address.line2.as_deref());
    xml.optional("ram:CityName", Some(&address.city));
    xml.text("ram:CountryID", &address.country);
    xml.close("ram:PostalTradeAddress");
}

fn party(xml: &mut Xml, role: &str, party: &EParty) {
    xml.open(role, &[]);
    xml.text("ram:Name", &party.name);
    xml.optional("ram:Description", party.legal_information.as_deref());
    if let Some(siren) = party.siren.as_deref() {
        xml.open("ram:SpecifiedLegalOrganization", &[]);
        xml.text_with("ram:ID", &[("schemeID", SIRENE_SCHEME)], siren);
        xml.close("ram:SpecifiedLegalOrganization");
    }
    postal_address(xml, &party.address);
    if let Some((scheme, endpoint)) = party.endpoint() {
        xml.open("ram:URIUniversalCommunication", &[]);
        xml.text_with("ram:URIID", &[("schemeID", scheme)], endpoint);
        xml.close("ram:URIUniversalCommunication");
    }
    if let Some(vat_id) = party.vat_id.as_deref() {
        xml.open("ram:SpecifiedTaxRegistration", &[]);
        xml.text_with("ram:ID", &[("schemeID", "VA")], vat_id);
        xml.close("ram:SpecifiedTaxRegistration");
    }
    xml.close(role);
}
