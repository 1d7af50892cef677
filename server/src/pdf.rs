//! Credit notes as PDF: A4 pages with the standard Helvetica font (no font files to ship),
//! written with `pdf-writer`.

use app::model::{CreditNoteView, CustomerView};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 56.0;
const RIGHT: f32 = WIDTH - 56.0;
const BOTTOM: f32 = 90.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Text in WinAnsiEncoding, the encoding of the standard fonts: Latin-1 maps as is, the euro
/// sign has its own code, anything else becomes `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '–' => 0x96,
            '—' => 0x97,
            '’' => 0x92,
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => c as u8,
            _ => b'?',
        })
        .collect()
}

/// Helvetica advance widths (per 1000 em) for what amounts and numbers contain; an average
/// for the rest. Enough to right-align figures.
fn text_width(text: &str, size: f32) -> f32 {
    let units: f32 = text
        .chars()
        .map(|c| match c {
            '0'..='9' => 556.0,
            '.' | ',' | ' ' => 278.0,
            '-' => 333.0,
            '%' => 889.0,
            'A'..='Z' => 667.0,
            _ => 520.0,
        })
        .sum();
    units * size / 1000.0
}

/// Lays text out on pages, starting a new page when one is full.
struct Writer {
    pages: Vec<Content>,
    y: f32,
}

impl Writer {
    fn new() -> Self {
        Writer {
            pages: vec![Content::new()],
            y: HEIGHT - 64.0,
        }
    }

    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("there is always a page")
    }

    fn text(&mut self, x: f32, font: Name, size: f32, text: &str) {
        let y = self.y;
        let bytes = win_ansi(text);
        let page = self.page();
        page.begin_text();
        page.set_font(font, size);
        page.next_line(x, y);
        page.show(Str(&bytes));
        page.end_text();
    }

    fn right(&mut self, right_edge: f32, font: Name, size: f32, text: &str) {
        self.text(right_edge - text_width(text, size), font, size, text);
    }

    fn rule(&mut self) {
        let y = self.y + 4.0;
        let page = self.page();
        page.set_line_width(0.5);
        page.move_to(LEFT, y);
        page.line_to(RIGHT, y);
        page.stroke();
    }

    /// Moves down by `gap`, onto a new page when there is no room.
    fn down(&mut self, gap: f32) {
        self.y -= gap;
        if self.y < BOTTOM {
            self.pages.push(Content::new());
            self.y = HEIGHT - 64.0;
        }
    }

    fn finish(self, title: &str) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let mut next = 6;
        let mut page_ids = Vec::new();
        let count = self.pages.len();
        for (index, mut content) in self.pages.into_iter().enumerate() {
            let page_id = Ref::new(next);
            let content_id = Ref::new(next + 1);
            next += 2;
            // Page numbers at the foot of every page.
            let footer = win_ansi(&format!("{title} - page {} of {count}", index + 1));
            content.begin_text();
            content.set_font(REGULAR, 8.0);
            content.next_line(LEFT, 40.0);
            content.show(Str(&footer));
            content.end_text();
            pdf.stream(content_id, &content.finish());
            let mut page = pdf.page(page_id);
            page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
            page.parent(tree);
            page.contents(content_id);
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(REGULAR, regular);
            fonts.pair(BOLD, bold);
            fonts.finish();
            resources.finish();
            page.finish();
            page_ids.push(page_id);
        }
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_ids.iter().copied())
            .count(page_ids.len() as i32);
        for (id, name) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
            pdf.type1_font(id)
                .base_font(Name(name))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        pdf.document_info(info)
            .title(pdf_writer::TextStr(title))
            .producer(pdf_writer::TextStr("creditdesk"));
        pdf.finish()
    }
}

/// The credit note as a PDF document; drafts say so in their title.
pub fn credit_note_pdf(
    note: &CreditNoteView,
    customer: &CustomerView,
    invoice_number: Option<&str>,
) -> Vec<u8> {
    let currency = note.currency;
    let money = |amount| currency.format(amount);
    let title = match &note.number {
        Some(number) => format!("Credit note {number}"),
        None => format!("Draft credit note #{}", note.id),
    };
    let mut w = Writer::new();
    w.text(LEFT, BOLD, 20.0, &title);
    w.down(30.0);
    w.text(LEFT, REGULAR, 10.0, &format!("Date: {}", note.date));
    w.right(
        RIGHT,
        REGULAR,
        10.0,
        &format!("Status: {}", note.status.label()),
    );
    if let Some(number) = invoice_number {
        w.down(14.0);
        w.text(LEFT, REGULAR, 10.0, &format!("For invoice: {number}"));
    }
    w.down(28.0);
    w.text(LEFT, BOLD, 11.0, &customer.name);
    // The note's own billing address: what it was made out to, even if the customer moved.
    let address = &note.billing_address;
    for line in [
        Some(address.line1.clone()),
        address.line2.clone(),
        Some(format!("{} {}", address.postal_code, address.city)),
        Some(address.country.clone()),
    ]
    .into_iter()
    .flatten()
    .filter(|line| !line.trim().is_empty())
    {
        w.down(13.0);
        w.text(LEFT, REGULAR, 10.0, &line);
    }
    if let Some(reason) = &note.reason {
        w.down(24.0);
        w.text(LEFT, REGULAR, 10.0, &format!("Reason: {reason}"));
    }

    w.down(32.0);
    let columns = [
        (LEFT, "Description"),
        (300.0, "Qty"),
        (370.0, "Unit price"),
        (430.0, "Tax"),
        (RIGHT, "Total"),
    ];
    for (x, header) in columns {
        if x == LEFT {
            w.text(x, BOLD, 9.0, header)
        } else {
            w.right(x + if x == RIGHT { 0.0 } else { 40.0 }, BOLD, 9.0, header)
        }
    }
    w.down(6.0);
    w.rule();
    match &note.charge {
        Some(charge) => {
            w.down(16.0);
            w.text(
                LEFT,
                REGULAR,
                9.0,
                &format!("{} ({})", charge.description, charge.code),
            );
            w.right(RIGHT, REGULAR, 9.0, &money(charge.amount));
        }
        None => {
            for line in &note.lines {
                w.down(16.0);
                let description: String = line.description.chars().take(48).collect();
                w.text(LEFT, REGULAR, 9.0, &description);
                w.right(340.0, REGULAR, 9.0, &line.quantity.to_string());
                w.right(410.0, REGULAR, 9.0, &money(line.unit_price));
                w.right(470.0, REGULAR, 9.0, &format!("{}%", line.tax_rate));
                w.right(RIGHT, REGULAR, 9.0, &money(line.total));
            }
        }
    }
    w.down(10.0);
    w.rule();
    for (label, amount, font) in [
        ("Subtotal", note.subtotal, REGULAR),
        ("Tax", note.tax_total, REGULAR),
        ("Total credited", note.total, BOLD),
        ("Allocated to invoices", note.allocated_amount, REGULAR),
        ("Refunded", note.refunded_amount, REGULAR),
        ("Remaining", note.remaining_amount(), BOLD),
    ] {
        w.down(16.0);
        w.right(430.0, font, 10.0, label);
        w.right(RIGHT, font, 10.0, &money(amount));
    }
    w.finish(&title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_encoded_for_the_standard_fonts() {
        assert_eq!(win_ansi("Zürich 5 €"), b"Z\xfcrich 5 \x80");
        assert_eq!(win_ansi("日本"), b"??");
    }

    #[test]
    fn figures_are_measured_for_right_alignment() {
        assert!(text_width("1,000.00", 10.0) > text_width("100.00", 10.0));
        assert_eq!(text_width("", 10.0), 0.0);
    }
}
