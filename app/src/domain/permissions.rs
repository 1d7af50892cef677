//! Who may do what: the permission matrix of the API contract, in one pure function that the
//! service layer asks for every operation and the UI asks to show or hide actions.

use serde::{Deserialize, Serialize};

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
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::ReadCustomers,
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
    ];
}

/// The matrix. Customers get read access here; the service layer then limits them to their
/// own customer's finalized documents.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission as P;
    use Role as R;
    match permission {
        P::ReadCustomers => role.is_internal(),
        P::ReadInvoices | P::ReadCreditNotes | P::DownloadCreditNotePdf => true,
        P::CreateCustomer
        | P::WriteInvoices
        | P::LinkCreditNotes
        | P::FinalizeCreditNotes
        | P::CancelOrDeleteCreditNote
        | P::RefundCreditNotes => matches!(role, R::Administrator | R::CreditManager),
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
