//! Who is signed in.

use serde::{Deserialize, Serialize};

/// The signed-in user, as pages and services see it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub role: crate::domain::Role,
    pub customer_id: Option<i64>,
    /// An administrator reset the password: the user may do nothing but choose a new one.
    #[serde(default)]
    pub must_change_password: bool,
    /// The language the user chose for the desk; until then, the browser's.
    #[serde(default)]
    pub language: Option<crate::domain::Language>,
}

impl CurrentUser {
    pub fn may(&self, permission: crate::domain::Permission) -> bool {
        !self.must_change_password && crate::domain::allows(self.role, permission)
    }
}
