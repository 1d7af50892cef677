"""One integrator's flow through the Python client openapi-python-client generates from the
served OpenAPI document (scripts/api-client.sh): sign in as the demo administrator, create a
customer and an invoice, credit part of it with a note that is finalized and linked to the
invoice, download the note's PDF and UBL, and check a CSV import (a dry run).

Usage: flow.py BASE_URL (e.g. http://127.0.0.1:3000/api/v1), with the client on PYTHONPATH.
"""

import io
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

from creditdesk_client import AuthenticatedClient, Client
from creditdesk_client.api.allocations import link_credit_note
from creditdesk_client.api.auth import create_token
from creditdesk_client.api.credit_notes import (
    create_credit_note,
    download_credit_note_pdf,
    download_credit_note_ubl,
    finalize_credit_note,
)
from creditdesk_client.api.customers import create_customer
from creditdesk_client.api.invoices import create_invoice, import_documents, read_invoice
from creditdesk_client.models import (
    Address,
    AllocationItem,
    AllocationsRequest,
    CreditNoteRequest,
    CustomerRequest,
    InvoiceRequest,
    LineRequest,
    TokenRequest,
)
from creditdesk_client.types import File


def expect(response, status):
    """The answer's status, or a failure that shows what the server said."""
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {response.content[:500]!r}"
    )
    return response.parsed


def main(base_url):
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    token = expect(
        create_token.sync_detailed(
            client=anonymous,
            body=TokenRequest(email="admin@creditdesk.example", password="creditdesk-demo"),
        ),
        201,
    )
    assert token.role == "administrator", token.role
    client = AuthenticatedClient(
        base_url=base_url, token=token.token, raise_on_unexpected_status=True
    )

    address = Address(line1="1 Main St", city="Berlin", postal_code="10115", country="DE")
    customer = expect(
        create_customer.sync_detailed(
            client=client,
            body=CustomerRequest(
                name="Python Client GmbH", currency="EUR", tax_region="DE", billing_address=address
            ),
        ),
        201,
    )

    line = LineRequest(description="Consulting", quantity="2", unit_price="50.00", tax_rate="20")
    invoice = expect(
        create_invoice.sync_detailed(
            client=client,
            body=InvoiceRequest(
                customer_id=customer.id, currency="EUR", issue_date="2026-11-20", lines=[line]
            ),
        ),
        201,
    )
    assert invoice.status == "pending", invoice.status
    assert Decimal(invoice.total) == Decimal("120.00"), invoice.total
    assert Decimal(invoice.outstanding) == Decimal("120.00"), invoice.outstanding

    credit = LineRequest(description="Consulting", quantity="1", unit_price="50.00", tax_rate="20")
    note = expect(
        create_credit_note.sync_detailed(
            client=client,
            body=CreditNoteRequest(
                customer_id=customer.id,
                currency="EUR",
                date="2026-11-25",
                related_invoice_id=invoice.id,
                reason="Half a day not worked",
                lines=[credit],
            ),
        ),
        201,
    )
    assert note.status == "draft", note.status
    note = expect(finalize_credit_note.sync_detailed(note.id, client=client), 200)
    assert note.status == "available", note.status
    assert note.number, "a finalized note has its number"

    linked = expect(
        link_credit_note.sync_detailed(
            invoice.id,
            client=client,
            body=AllocationsRequest(allocations=[AllocationItem(credit_note_id=note.id)]),
        ),
        201,
    )
    assert Decimal(linked.outstanding) == Decimal("60.00"), linked.outstanding
    invoice = expect(read_invoice.sync_detailed(invoice.id, client=client), 200)
    assert Decimal(invoice.outstanding) == Decimal("60.00"), invoice.outstanding

    pdf = expect(download_credit_note_pdf.sync_detailed(note.id, client=client), 200)
    assert pdf.payload.read(5) == b"%PDF-", "the note's PDF"

    ubl = expect(download_credit_note_ubl.sync_detailed(note.id, client=client), 200)
    root = ET.fromstring(ubl.payload.read())
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote", (
        root.tag
    )
    cbc = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
    assert root.findtext(f"{cbc}ID") == note.number, root.findtext(f"{cbc}ID")

    # A CSV body goes through the client too: a dry run writes nothing.
    csv = (
        "number,customer,currency,issue_date,due_date,description,quantity,unit_price,"
        "discount_percent,tax_rate\n"
        "PY-1,Python Client GmbH,EUR,2026-03-05,,Training,1,80.00,,20\n"
    )
    report = expect(
        import_documents.sync_detailed(
            client=client,
            body=File(payload=io.BytesIO(csv.encode()), mime_type="text/csv"),
            dry_run=True,
        ),
        200,
    )
    assert report.dry_run and report.created == 1, report

    print(
        f"credit note {note.number}: finalized, linked to invoice {invoice.number}, PDF and UBL read"
    )


if __name__ == "__main__":
    main(sys.argv[1])
