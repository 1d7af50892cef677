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

/// A list query being built: the page's ids are chosen by a narrow inner query (the filters,
/// the order, the limit), and only those rows get their columns: the customer's name and the
/// related invoice's number are looked up 50 times, not once per row the filter matched.
struct ListBuilder {
    columns: &'static str,
    table: &'static str,
    /// The inner query's conditions.
    sql: String,
    args: Vec<Arg>,
}

impl ListBuilder {
    fn select(columns: &'static str, table: &'static str) -> Self {
        ListBuilder {
            columns,
            table,
            sql: String::from("TRUE"),
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

    /// Keyset paging: the rows after the cursor (the last id of the previous page) in
    /// `order`, the first `page.limit` of them.
    fn page(mut self, id: &str, page: Page, order: Order) -> ListQuery {
        let order_by = match order {
            Order::Id => {
                self.and(&format!("{id} > ?"), Arg::Int(page.after));
                id.to_string()
            }
            Order::DateThenId => {
                if page.after > 0 {
                    // The cursor stays an id: the page goes on after that note's (date, id).
                    // Were the note deleted meanwhile (a draft), the list starts again from
                    // the earliest date rather than hide the rest.
                    self.and(
                        &format!(
                            "(date, {id}) > (COALESCE((SELECT anchor.date FROM {table} anchor \
                             WHERE anchor.{id} = ?), (SELECT MIN(date) FROM {table})), ?)",
                            table = self.table
                        ),
                        Arg::Int(page.after),
                    );
                }
                format!("date, {id}")
            }
        };
        self.args.push(Arg::Int(page.limit));
        ListQuery {
            sql: format!(
                "{columns} WHERE {id} IN (SELECT {id} FROM {table} WHERE {conditions} \
                 ORDER BY {order_by} LIMIT ${limit}) ORDER BY {order_by}",
                columns = self.columns,
                table = self.table,
                conditions = self.sql,
                limit = self.args.len(),
            ),
            args: self.args,
        }
    }
}

/// The order of a list's rows, which its keyset paging follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    /// Creation order: every list without a date range.
    Id,
    /// A list filtered by a date range comes by date, then id: the order a person filtering by
    /// month expects, and the date index's own, so a page reads 50 index entries. In id order
    /// the database would read the whole range to find its 50 smallest ids (a month of a
    /// million notes: 7,700 ids, 2 ms on PostgreSQL; before the index was used at all, it
    /// walked the primary key: 134 ms; BENCHMARKS.md, "Scale").
    DateThenId,
}

/// `LIKE` prefix patterns escape `%`, `_` and `\` (`ESCAPE '\'`): indexes serve them on both
/// databases (see the number indexes of migration 0011).
const NUMBER_PREFIX: &str = "number LIKE ? ESCAPE '\\'";

pub fn credit_notes(filter: &CreditNoteFilter, page: Page) -> ListQuery {
    let mut query = ListBuilder::select(super::CREDIT_NOTE_COLUMNS, "credit_notes");
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
    let order = if filter.date_from.is_some() || filter.date_to.is_some() {
        Order::DateThenId
    } else {
        Order::Id
    };
    query.page("id", page, order)
}

pub fn invoices(filter: &InvoiceFilter, page: Page) -> ListQuery {
    let mut query = ListBuilder::select(super::INVOICE_COLUMNS, "invoices i");
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
    query.page("i.id", page, Order::Id)
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
        let page = query.sql.split(" WHERE id IN ").nth(1).unwrap();
        assert_eq!(
            page,
            "(SELECT id FROM credit_notes WHERE TRUE AND customer_id = $1 \
             AND number LIKE $2 ESCAPE '\\' AND id > $3 ORDER BY id LIMIT $4) ORDER BY id"
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
        assert!(unfiltered.sql.ends_with(
            "(SELECT id FROM credit_notes WHERE TRUE AND id > $1 ORDER BY id LIMIT $2) ORDER BY id"
        ));
        // A date range comes by date, then id; the next page goes on after the cursor's
        // (date, id).
        let dated = CreditNoteFilter {
            date_from: NaiveDate::from_ymd_opt(2026, 1, 1),
            ..Default::default()
        };
        let first = credit_notes(&dated, Page { after: 0, limit: 5 });
        assert!(
            first
                .sql
                .ends_with("AND date >= $1 ORDER BY date, id LIMIT $2) ORDER BY date, id"),
            "{}",
            first.sql
        );
        let next = credit_notes(&dated, Page { after: 9, limit: 5 });
        assert!(
            next.sql.ends_with(
                "AND date >= $1 AND (date, id) > (COALESCE((SELECT anchor.date FROM credit_notes \
                 anchor WHERE anchor.id = $2), (SELECT MIN(date) FROM credit_notes)), $2) \
                 ORDER BY date, id LIMIT $3) ORDER BY date, id"
            ),
            "{}",
            next.sql
        );
        assert_eq!(next.args.len(), 3);
    }
}
