//! What pages and API answers show of invoices, credit notes and links, by concept. Shared by
//! server and browser; the balance conversions feed the domain's link rules.

mod customers;
mod documents;
mod imports;
mod journal;
mod pages;
mod portal;
mod settings;
mod users;

pub use customers::*;
pub use documents::*;
pub use imports::*;
pub use journal::*;
pub use pages::*;
pub use portal::*;
pub use settings::*;
pub use users::*;
