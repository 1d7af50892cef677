//! creditdesk's server: storage, the service layer, the HTTP doors and demo data.

pub mod api;
pub mod content_disposition;
pub mod demo;
pub mod einvoice;
pub mod housekeeping;
pub mod mail;
pub mod net;
pub mod pdf;
pub mod services;
pub mod storage;
pub mod web;
