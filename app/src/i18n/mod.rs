//! What people read in their language: amounts and dates in its formats.

pub mod format;

pub use crate::domain::Language;
