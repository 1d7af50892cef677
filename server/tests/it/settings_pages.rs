//! The settings screen through HTTP: only administrators open it, and the tax table is saved
//! whole from the form, with refusals on the row they concern, on SQLite and PostgreSQL.

use crate::common;

use app::domain::Role;
use common::{ApiClient as Api, TestApp};

fn rows<'a>(rules: &[(&'a str, &'a str, &'a str)]) -> Vec<(String, &'a str)> {
    rules
        .iter()
        .enumerate()
        .flat_map(|(i, (region, category, rate))| {
            [
                (format!("rules[{i}][region]"), *region),
                (format!("rules[{i}][category]"), *category),
                (format!("rules[{i}][rate]"), *rate),
            ]
        })
        .collect()
}

on_both_backends! {
    async fn administrators_edit_the_tax_table_row_by_row(db) {
        let app = TestApp::spawn(db).await;
        let api = Api::new(&app, Role::Administrator).await;

        let manager = app.session(Role::CreditManager).await;
        let (status, html) = manager.page("/settings").await;
        assert_eq!(status, 403);
        assert!(!html.contains(r#"href="/settings""#), "the bar offers only what the role may open");
        let form = rows(&[("FR", "standard", "20")]);
        let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let (status, _) = manager.rpc("save_tax_table", &borrowed).await;
        assert_eq!(status, 403);

        let admin = app.session(Role::Administrator).await;
        let (status, html) = admin.page("/settings").await;
        assert_eq!(status, 200);
        assert!(html.contains("Save tax table") && html.contains(r#"href="/settings""#));

        // A blank row is no rule; a duplicate and a rate that is not a number are refused on
        // the row they were typed in, and nothing is written.
        for (rules, field) in [
            (vec![("FR", "standard", "20"), ("", "", ""), ("FR", "standard", "7")], "rules[2].category"),
            (vec![("FR", "standard", "twenty")], "rules[0].rate"),
            (vec![("FR", "standard", "120")], "rules[0].rate"),
        ] {
            let form = rows(&rules);
            let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            let (status, body) = admin.rpc("save_tax_table", &borrowed).await;
            assert_eq!(status, 422, "{body}");
            assert_eq!(body["errors"][0]["field"], field, "{body}");
        }
        let (_, table) = api.get("/tax-rules").await;
        assert!(table["rules"].as_array().is_none_or(|rules| rules.is_empty()), "{table}");

        let form = rows(&[("FR", "standard", "20"), ("", "", ""), ("FR", "reduced", "5.5")]);
        let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let (status, body) = admin.rpc("save_tax_table", &borrowed).await;
        assert!(status < 400, "{status} {body}");
        let (_, table) = api.get("/tax-rules").await;
        assert_eq!(table["rules"].as_array().map(Vec::len), Some(2), "{table}");
        let (_, html) = admin.page("/settings").await;
        assert!(html.contains(r#"value="5.5""#) && html.contains(r#"value="reduced""#));
    }
}
