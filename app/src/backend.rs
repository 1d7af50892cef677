//! The port through which server functions reach the server's service layer. The server
//! crate implements it and provides it as Leptos context; this keeps storage and transactions
//! on the server while the `#[server]` functions live beside the components that call them.

use std::sync::Arc;

use leptos::prelude::use_context;

use crate::domain::AllocationRequest;
use crate::model::{InvoicePage, InvoiceView};
use crate::problem::Problem;

#[async_trait::async_trait]
pub trait Desk: Send + Sync + 'static {
    async fn list_invoices(&self) -> Result<Vec<InvoiceView>, Problem>;
    async fn invoice_page(&self, invoice_id: i64) -> Result<InvoicePage, Problem>;
    async fn link_credit_notes(
        &self,
        invoice_id: i64,
        requests: Vec<AllocationRequest>,
    ) -> Result<InvoiceView, Problem>;
}

pub type DeskHandle = Arc<dyn Desk>;

/// The service layer of the running server.
pub fn desk() -> Result<DeskHandle, Problem> {
    use_context::<DeskHandle>().ok_or_else(Problem::internal)
}
