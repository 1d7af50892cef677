//! creditdesk's server: storage, the service layer, the HTTP doors and demo data.

pub mod api;
pub mod content_disposition;
pub mod csrf;
pub mod demo;
pub mod einvoice;
pub mod housekeeping;
pub mod invoice_form;
pub mod mail;
pub mod net;
pub mod note_form;
pub mod nul_guard;
pub mod pdf;
pub mod security_headers;
pub mod services;
pub mod storage;
pub mod web;
