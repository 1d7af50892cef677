//! Settings: the tax table.

use super::StorageError;

/// Settings: the tax table.
#[async_trait::async_trait]
pub trait SettingsTx: Send {
    async fn tax_table(&mut self) -> Result<app::domain::TaxTable, StorageError>;
    async fn replace_tax_table(
        &mut self,
        table: &app::domain::TaxTable,
    ) -> Result<(), StorageError>;
}
