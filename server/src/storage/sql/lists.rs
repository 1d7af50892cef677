//! The list queries, built from the filters a request really has. Only the predicates it
//! needs go into the SQL, so each database plans the query with its indexes: a
//! `($2 IS NULL OR customer_id = $2)` predicate keeps SQLite off every index and gives
//! PostgreSQL's cached generic plans the same blind spot. `creditdesk explain` prints the
//! plan of the same text.

use chrono::NaiveDate;

use crate::storage::{CreditNoteFilter, InvoiceFilter, Page};

/// A value bound to one `$n` of a list query.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Int(i64),
    Text(String),
    Date(NaiveDate),
}

/// SQL with `$1 …` parameters and the values they take, in order.
#[derive(Clone, Debug)]
pub struct ListQuery {
    pub sql: String,
    pub args: Vec<Arg>,
}

impl ListQuery {
    fn select(columns: &str) -> Self {
        ListQuery {
            sql: format!("{columns} WHERE TRUE"),
            args: Vec::new(),
        }
    }

    /// `AND condition`, its `?` replaced by the next parameter bound to `arg`.
    fn and(&mut self, condition: &str, arg: Arg) {
        self.args.push(arg);
        let parameter = format!("${}", self.args.len());
        self.sql.push_str(" AND ");
        self.sql.push_str(&condition.replace('?', &parameter));
    }

    fn and_if(&mut self, condition: &str, arg: Option<Arg>) {
        if let Some(arg) = arg {
            self.and(condition, arg);
        }
    }

    /// Keyset paging in id order.
    fn page(mut self, id: &str, page: Page) -> Self {
        self.and(&format!("{id} > ?"), Arg::Int(page.after));
        self.args.push(Arg::Int(page.limit));
        self.sql
            .push_str(&format!(" ORDER BY {id} LIMIT ${}", self.args.len()));
        self
    }
}

/// `LIKE` prefix patterns escape `%`, `_` and `\` (`ESCAPE '\'`): indexes serve them on both
/// databases (see the number indexes of migration 0011).
const NUMBER_PREFIX: &str = "number LIKE ? ESCAPE '\\'";

pub fn credit_notes(filter: &CreditNoteFilter, page: Page) -> ListQuery {
    let mut query = ListQuery::select(super::CREDIT_NOTE_COLUMNS);
    query.and_if("customer_id = ?", filter.customer_id.map(Arg::Int));
    query.and_if(
        "status = ?",
        filter.status.map(|s| Arg::Text(s.as_str().to_string())),
    );
    query.and_if(
        "currency = ?",
        filter.currency.map(|c| Arg::Text(c.code().to_string())),
    );
    query.and_if("number = ?", filter.number.clone().map(Arg::Text));
    query.and_if(
        NUMBER_PREFIX,
        filter
            .number_prefix
            .as_deref()
            .map(|prefix| Arg::Text(super::like_prefix(prefix))),
    );
    query.and_if("date >= ?", filter.date_from.map(Arg::Date));
    query.and_if("date <= ?", filter.date_to.map(Arg::Date));
    query.and_if(
        "related_invoice_id = ?",
        filter.related_invoice_id.map(Arg::Int),
    );
    query.and_if(
        "related_invoice_id IN (SELECT id FROM invoices WHERE number = ?)",
        filter.related_invoice_number.clone().map(Arg::Text),
    );
    if filter.finalized_only {
        query.sql.push_str(" AND number IS NOT NULL");
    }
    query.page("id", page)
}

pub fn invoices(filter: &InvoiceFilter, page: Page) -> ListQuery {
    let mut query = ListQuery::select(super::INVOICE_COLUMNS);
    query.and_if("i.customer_id = ?", filter.customer_id.map(Arg::Int));
    query.and_if(
        "i.status = ?",
        filter.status.map(|s| Arg::Text(s.as_str().to_string())),
    );
    query.and_if(
        "i.currency = ?",
        filter.currency.map(|c| Arg::Text(c.code().to_string())),
    );
    query.and_if("i.number = ?", filter.number.clone().map(Arg::Text));
    query.and_if(
        &format!("i.{NUMBER_PREFIX}"),
        filter
            .number_prefix
            .as_deref()
            .map(|prefix| Arg::Text(super::like_prefix(prefix))),
    );
    if filter.exclude_drafts {
        query.sql.push_str(" AND i.status <> 'draft'");
    }
    query.page("i.id", page)
}

/// Binds a [`ListQuery`]'s values to `$query` (a `sqlx::query…` of either backend).
macro_rules! bind_list_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                $crate::storage::sql::lists::Arg::Int(value) => query.bind(value),
                $crate::storage::sql::lists::Arg::Text(value) => query.bind(value),
                $crate::storage::sql::lists::Arg::Date(value) => query.bind(value),
            };
        }
        query
    }};
}
pub(crate) use bind_list_args;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_filters_given_reach_the_sql() {
        let filter = CreditNoteFilter {
            customer_id: Some(7),
            number_prefix: Some("CN-2026_1".into()),
            ..Default::default()
        };
        let query = credit_notes(
            &filter,
            Page {
                after: 10,
                limit: 50,
            },
        );
        let conditions = query.sql.split(" WHERE TRUE").nth(1).unwrap();
        assert_eq!(
            conditions,
            " AND customer_id = $1 AND number LIKE $2 ESCAPE '\\' AND id > $3 ORDER BY id LIMIT $4"
        );
        assert_eq!(
            query.args,
            [
                Arg::Int(7),
                Arg::Text("CN-2026\\_1%".into()),
                Arg::Int(10),
                Arg::Int(50)
            ]
        );
        let unfiltered = credit_notes(&CreditNoteFilter::default(), Page { after: 0, limit: 5 });
        assert!(
            unfiltered
                .sql
                .ends_with(" WHERE TRUE AND id > $1 ORDER BY id LIMIT $2")
        );
    }
}
