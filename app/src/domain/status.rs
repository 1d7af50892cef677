//! Document statuses and what each one allows.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    Pending,
    Paid,
    Cancelled,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditNoteStatus {
    Draft,
    PendingApproval,
    Available,
    Used,
    Cancelled,
}

/// Statuses are stored and sent as their snake_case names.
macro_rules! status_names {
    ($ty:ident { $($variant:ident => $name:literal, $label:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }

            /// A label for people ("Pending approval").
            pub fn label(self) -> &'static str {
                match self { $($ty::$variant => $label),+ }
            }

            pub fn parse(name: &str) -> Option<Self> {
                match name { $($name => Some($ty::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

status_names!(InvoiceStatus {
    Draft => "draft", "Draft",
    Pending => "pending", "Pending",
    Paid => "paid", "Paid",
    Cancelled => "cancelled", "Cancelled",
});

status_names!(CreditNoteStatus {
    Draft => "draft", "Draft",
    PendingApproval => "pending_approval", "Pending approval",
    Available => "available", "Available",
    Used => "used", "Used",
    Cancelled => "cancelled", "Cancelled",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::parse(status.as_str()), Some(*status));
        }
        for status in CreditNoteStatus::ALL {
            assert_eq!(CreditNoteStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(CreditNoteStatus::parse("Available"), None);
        assert_eq!(
            CreditNoteStatus::PendingApproval.as_str(),
            "pending_approval"
        );
    }
}
