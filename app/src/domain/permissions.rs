//! Who may do what: the permission matrix of the API contract, in one pure function that the
//! service layer asks for every operation and the UI asks to show or hide actions.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    CreditManager,
    SalesManager,
    Sales,
    Viewer,
    /// A portal user bound to one customer.
    Customer,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Administrator,
        Role::CreditManager,
        Role::SalesManager,
        Role::Sales,
        Role::Viewer,
        Role::Customer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::CreditManager => "credit_manager",
            Role::SalesManager => "sales_manager",
            Role::Sales => "sales",
            Role::Viewer => "viewer",
            Role::Customer => "customer",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|role| role.as_str() == name)
    }

    /// Staff of the company, as opposed to customers on the portal.
    pub fn is_internal(self) -> bool {
        self != Role::Customer
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every operation a door (page, server function, REST endpoint, CLI) can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ReadCustomers,
    /// Timelines and the link dialog's candidates: staff only.
    ReadInternalDetails,
    CreateCustomer,
    ReadInvoices,
    WriteInvoices,
    CancelOrDeleteInvoice,
    LinkCreditNotes,
    ReadCreditNotes,
    WriteCreditNotes,
    FinalizeCreditNotes,
    CancelOrDeleteCreditNote,
    RefundCreditNotes,
    DownloadCreditNotePdf,
    ManageUsers,
    /// E-mail documents to addresses other than the customer's own, with a message of one's
    /// own: otherwise the desk would relay whatever anyone types to anyone.
    EmailAnyRecipient,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::ReadCustomers,
        Permission::ReadInternalDetails,
        Permission::CreateCustomer,
        Permission::ReadInvoices,
        Permission::WriteInvoices,
        Permission::CancelOrDeleteInvoice,
        Permission::LinkCreditNotes,
        Permission::ReadCreditNotes,
        Permission::WriteCreditNotes,
        Permission::FinalizeCreditNotes,
        Permission::CancelOrDeleteCreditNote,
        Permission::RefundCreditNotes,
        Permission::DownloadCreditNotePdf,
        Permission::ManageUsers,
        Permission::EmailAnyRecipient,
    ];
}

/// The matrix. Customers get read access here; the service layer then limits them to their
/// own customer's finalized documents.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission as P;
    use Role as R;
    match permission {
        P::ReadCustomers | P::ReadInternalDetails => role.is_internal(),
        P::ReadInvoices | P::ReadCreditNotes | P::DownloadCreditNotePdf => true,
        P::CreateCustomer
        | P::WriteInvoices
        | P::LinkCreditNotes
        | P::FinalizeCreditNotes
        | P::CancelOrDeleteCreditNote
        | P::RefundCreditNotes
        | P::EmailAnyRecipient => matches!(role, R::Administrator | R::CreditManager),
        P::CancelOrDeleteInvoice | P::ManageUsers => role == R::Administrator,
        P::WriteCreditNotes => {
            matches!(
                role,
                R::Administrator | R::CreditManager | R::SalesManager | R::Sales
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_administrators_and_credit_managers_finalize() {
        let finalizers: Vec<_> = Role::ALL
            .iter()
            .filter(|r| allows(**r, Permission::FinalizeCreditNotes))
            .collect();
        assert_eq!(finalizers, [&Role::Administrator, &Role::CreditManager]);
    }

    #[test]
    fn sales_create_credit_notes_but_viewers_and_customers_do_not() {
        assert!(allows(Role::Sales, Permission::WriteCreditNotes));
        assert!(allows(Role::SalesManager, Permission::WriteCreditNotes));
        assert!(!allows(Role::Viewer, Permission::WriteCreditNotes));
        assert!(!allows(Role::Customer, Permission::WriteCreditNotes));
    }

    #[test]
    fn administrators_alone_manage_users_and_delete_invoices() {
        for role in Role::ALL {
            assert_eq!(
                allows(*role, Permission::ManageUsers),
                *role == Role::Administrator
            );
            assert_eq!(
                allows(*role, Permission::CancelOrDeleteInvoice),
                *role == Role::Administrator
            );
        }
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(*role));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}

/// An email address as users type it, checked and lower-cased, so `Ann@Example.com` and
/// `ann@example.com` are one account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, super::Violation> {
        let email = text.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if valid {
            Ok(Email(email))
        } else {
            Err(super::Violation::new(
                super::RuleCode::ValidationError,
                Some("email".into()),
                "Enter an email address like name@example.com",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Passwords are at least this long; there is no other composition rule.
pub const MIN_PASSWORD_LENGTH: usize = 10;
/// And at most this long: hashing is deliberately slow, and a request body could carry
/// megabytes.
pub const MAX_PASSWORD_LENGTH: usize = 1024;

pub fn check_password(password: &str) -> Result<(), super::Violation> {
    check_password_field(password, "password")
}

/// [`check_password`], naming `field` (a form with several passwords says which one).
pub fn check_password_field(password: &str, field: &str) -> Result<(), super::Violation> {
    let length = password.chars().count();
    let message = if length < MIN_PASSWORD_LENGTH {
        format!("Use at least {MIN_PASSWORD_LENGTH} characters")
    } else if length > MAX_PASSWORD_LENGTH {
        format!("Use at most {MAX_PASSWORD_LENGTH} characters")
    } else {
        return Ok(());
    };
    Err(super::Violation::new(
        super::RuleCode::ValidationError,
        Some(field.into()),
        message,
    ))
}

/// A customer user must name its customer; staff must not.
pub fn check_role_customer(role: Role, customer_id: Option<i64>) -> Result<(), super::Violation> {
    match (role, customer_id) {
        (Role::Customer, None) => Err(super::Violation::new(
            super::RuleCode::ValidationError,
            Some("customer_id".into()),
            "A customer user needs the customer it belongs to",
        )),
        (role, Some(_)) if role.is_internal() => Err(super::Violation::new(
            super::RuleCode::ValidationError,
            Some("customer_id".into()),
            "Only customer users belong to a customer",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod user_tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a nn@example.com",
            "ann@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_and_customers_are_checked() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough!").is_ok());
        assert!(check_role_customer(Role::Customer, None).is_err());
        assert!(check_role_customer(Role::Viewer, Some(1)).is_err());
        assert!(check_role_customer(Role::Customer, Some(1)).is_ok());
    }
}
