//! The server's integration tests, in one binary so the server is linked once: services,
//! REST API, server functions, pages and the CLI, each service test on SQLite and PostgreSQL.

#[macro_use]
mod common;

mod activities;
mod api;
mod api_permissions;
mod auth;
mod books;
mod bounds;
mod cli;
mod crash;
mod credit_context;
mod credit_note_pages;
mod customer_pages;
mod datev;
mod documents;
mod einvoices;
mod exchange;
mod idempotency;
mod imports;
mod invoice_editor;
mod invoice_pages;
mod journal;
mod languages;
mod ledger;
mod linking;
mod mail;
mod openapi;
mod permissions;
mod reminders;
mod scale;
mod seals;
mod security;
mod settings_pages;
mod storage;
mod stress;
mod web;
