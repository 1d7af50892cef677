//! Signing in: sessions in the browser, bearer tokens on the API, and what failures reveal.

use crate::common;

use app::domain::Role;
use common::{PASSWORD, TestApp, browser, user};

on_both_backends! {
    async fn signing_in_sets_a_strict_http_only_cookie_and_rotates_it(db) {
        let app = TestApp::spawn(db).await;
        user(&app.db.services(), "ann@test.example", Role::Viewer, None).await;
        let client = browser();
        // A session that exists before sign-in (fixation attempt) must not survive it.
        let before = client.get(app.url("/login")).send().await.unwrap();
        let before_cookie = before.headers().get("set-cookie").map(|v| v.to_str().unwrap().to_string());
        let response = client
            .post(app.url("/rpc/login"))
            .header("accept", "text/html")
            .header("referer", app.url("/login"))
            .form(&[("email", "ANN@test.example "), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], "/invoices");
        // The session cookie (the device cookie beside it is the security tests' subject).
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|value| value.to_str().unwrap().to_string())
            .find(|cookie| cookie.starts_with("creditdesk_session="))
            .expect("a session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Strict"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain HTTP in tests: {cookie}");
        assert_ne!(Some(cookie.clone()), before_cookie);

        let html = client.get(app.url("/invoices")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("ann@test.example"));

        client.post(app.url("/rpc/logout")).send().await.unwrap();
        let response = client.get(app.url("/invoices")).header("accept", "text/html").send().await.unwrap();
        assert_eq!(response.status(), 302, "signed out");
    }

    async fn wrong_credentials_say_nothing_about_the_email(db) {
        let app = TestApp::spawn(db).await;
        user(&app.db.services(), "ann@test.example", Role::Viewer, None).await;
        let attempt = |email: &'static str| {
            let request = app
                .client
                .post(app.url("/api/v1/auth/token"))
                .json(&serde_json::json!({ "email": email, "password": "wrong password!" }));
            async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
                let body: serde_json::Value = response.json().await.unwrap();
                (status, content_type, body["code"].clone(), body["detail"].clone())
            }
        };
        let known = attempt("ann@test.example").await;
        let unknown = attempt("nobody@test.example").await;
        assert_eq!(known.0, 401);
        assert_eq!(known.1, "application/problem+json");
        assert_eq!(known.2, "unauthorized");
        assert_eq!(known, unknown);
    }

    async fn repeated_failures_for_one_email_are_throttled(db) {
        let app = TestApp::spawn(db).await;
        user(&app.db.services(), "ann@test.example", Role::Viewer, None).await;
        let mut statuses = Vec::new();
        for _ in 0..7 {
            let response = app
                .client
                .post(app.url("/api/v1/auth/token"))
                .json(&serde_json::json!({ "email": "ann@test.example", "password": "guess guess guess" }))
                .send()
                .await
                .unwrap();
            statuses.push(response.status().as_u16());
        }
        assert_eq!(statuses, [401, 401, 401, 401, 401, 401, 429]);
        // Even the right password waits until the lock ends.
        let response = app
            .client
            .post(app.url("/api/v1/auth/token"))
            .json(&serde_json::json!({ "email": "ann@test.example", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429);
    }

    async fn api_tokens_authenticate_and_bad_ones_do_not(db) {
        let app = TestApp::spawn(db).await;
        user(&app.db.services(), "root@test.example", Role::Administrator, None).await;
        let token = app.token("root@test.example").await;
        let create = |auth: Option<String>, body: serde_json::Value| {
            let mut request = app.client.post(app.url("/api/v1/users")).json(&body);
            if let Some(token) = auth {
                request = request.bearer_auth(token);
            }
            request.send()
        };
        let body = serde_json::json!({ "email": "Bob@Test.example", "password": "a long password", "role": "sales" });
        let response = create(Some(token.clone()), body.clone()).await.unwrap();
        assert_eq!(response.status(), 201);
        let created: serde_json::Value = response.json().await.unwrap();
        assert_eq!(created["email"], "bob@test.example");
        assert_eq!(created["role"], "sales");
        assert!(created.get("password_hash").is_none());

        assert_eq!(create(Some(token.clone()), body).await.unwrap().status(), 409, "email taken");
        assert_eq!(create(Some("not-a-token".into()), serde_json::json!({})).await.unwrap().status(), 401);
        let response = create(Some(token.clone()), serde_json::json!({ "email": "x@test.example", "password": "short", "role": "customer" }))
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let problem: serde_json::Value = response.json().await.unwrap();
        let fields: Vec<_> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        assert_eq!(fields, ["password", "customer_id"]);
        let response = create(Some(token.clone()), serde_json::json!({ "email": "x@test.example", "password": "a long password", "role": "viewer", "admin": true }))
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "unknown fields are refused");
        let response = app
            .client
            .post(app.url("/api/v1/users"))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        assert_eq!(response.headers()["content-type"], "application/problem+json");
    }

    async fn one_address_guessing_many_emails_is_slowed(db) {
        let app = TestApp::spawn(db).await;
        let mut statuses = Vec::new();
        for i in 0..25 {
            let response = app
                .client
                .post(app.url("/api/v1/auth/token"))
                .json(&serde_json::json!({ "email": format!("guess{i}@test.example"), "password": "guess guess guess" }))
                .send()
                .await
                .unwrap();
            statuses.push(response.status().as_u16());
            if response.status() == 429 {
                assert_eq!(response.headers()["content-type"], "application/problem+json");
                break;
            }
        }
        assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 20, "a burst of 20, then slowed: {statuses:?}");
        assert_eq!(statuses.last(), Some(&429));
    }

    async fn a_revoked_token_stops_working(db) {
        let app = TestApp::spawn(db).await;
        user(&app.db.services(), "root@test.example", Role::Administrator, None).await;
        let token = app.token("root@test.example").await;
        let revoke = app.client.delete(app.url("/api/v1/auth/token")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(revoke.status(), 204);
        let again = app.client.delete(app.url("/api/v1/auth/token")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(again.status(), 401);
    }

    async fn users_change_their_password_and_an_administrator_resets_one_to_change_at_next_sign_in(db) {
        use serde_json::json;
        let app = TestApp::spawn(db).await;
        let ann = user(&app.db.services(), "ann@test.example", Role::CreditManager, None).await;
        let admin = common::ApiClient::new(&app, Role::Administrator).await;
        let token = app.token("ann@test.example").await;
        let as_ann = |token: &str| common::ApiClient::with_token(&app, token);
        let browser = app.signed_in("ann@test.example").await;
        let page = |client: reqwest::Client, path: &'static str| {
            let url = app.url(path);
            async move {
                // Where the page sends the browser, if it does, then what it says.
                let response = client.get(url).send().await.unwrap();
                let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_string());
                format!("{} {}", location.unwrap_or_default(), response.text().await.unwrap())
            }
        };
        assert!(page(browser.clone(), "/invoices").await.contains("ann@test.example"));

        // Wrong current password, too short a new one, the same one: refused on their fields.
        let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
        let (status, body) = as_ann(&token).post("/auth/password", change("not the password", "a new long password")).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("current_password")), "{body}");
        let (status, body) = as_ann(&token).post("/auth/password", change(PASSWORD, "short")).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("new_password")), "{body}");
        let (status, body) = as_ann(&token).post("/auth/password", change(PASSWORD, PASSWORD)).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("new_password")), "{body}");

        // Changed: the token and the other session end; the old password no longer signs in.
        let (status, body) = as_ann(&token).post("/auth/password", change(PASSWORD, "a new long password")).await;
        assert_eq!(status, 204, "{body}");
        assert_eq!(as_ann(&token).get("/invoices").await.0, 401, "the token was revoked");
        assert!(!page(browser.clone(), "/invoices").await.contains("ann@test.example"), "the session ended");
        let sign_in = |password: &'static str| {
            app.client.post(app.url("/api/v1/auth/token")).json(&json!({"email": "ann@test.example", "password": password})).send()
        };
        assert_eq!(sign_in(PASSWORD).await.unwrap().status(), 401);
        assert_eq!(sign_in("a new long password").await.unwrap().status(), 201);

        // Only an administrator resets, and not their own.
        let manager = common::ApiClient::new(&app, Role::CreditManager).await;
        let reset = json!({"password": "temporary password 1"});
        assert_eq!(manager.post(&format!("/users/{}/password", ann.id), reset.clone()).await.0, 403);
        let (status, body) = admin.post(&format!("/users/{}/password", ann.id), json!({"password": "short"})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("password")), "{body}");
        assert_eq!(admin.post("/users/999999/password", reset.clone()).await.0, 404);
        let (status, body) = admin.post(&format!("/users/{}/password", ann.id), reset.clone()).await;
        assert_eq!(status, 204, "{body}");

        // With the temporary password Ann signs in, but may do nothing until she changes it.
        let response = sign_in("temporary password 1").await.unwrap();
        assert_eq!(response.status(), 201);
        let token: serde_json::Value = response.json().await.unwrap();
        let token = token["token"].as_str().unwrap().to_string();
        let (status, body) = as_ann(&token).get("/invoices").await;
        assert_eq!((status, body["code"].as_str()), (403, Some("password_change_required")), "{body}");
        // In the browser, sign-in leads to the password page, and any page back to it.
        let reset_browser = browser_after_sign_in(&app, "temporary password 1").await;
        assert_eq!(reset_browser.0, "/account/password");
        let html = page(reset_browser.1.clone(), "/invoices").await;
        assert!(html.contains("/account/password"), "{html}");
        let (status, body) = as_ann(&token).post("/auth/password", change("temporary password 1", "my own password 2")).await;
        assert_eq!(status, 204, "{body}");
        let response = sign_in("my own password 2").await.unwrap();
        let token: serde_json::Value = response.json().await.unwrap();
        assert_eq!(as_ann(token["token"].as_str().unwrap()).get("/invoices").await.0, 200);

        // The password page's form, posted without JavaScript: the browser that changed it
        // stays signed in, another one of hers does not.
        let (_, here) = browser_after_sign_in(&app, "my own password 2").await;
        let (_, elsewhere) = browser_after_sign_in(&app, "my own password 2").await;
        let response = here
            .post(app.url("/rpc/change_password"))
            .header("accept", "text/html")
            .header("referer", app.url("/account/password"))
            .form(&[("current_password", "my own password 2"), ("new_password", "third password 3"), ("repeat_password", "third password 3")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], "/invoices");
        assert!(page(here.clone(), "/invoices").await.contains("ann@test.example"), "this browser goes on");
        assert!(!page(elsewhere.clone(), "/invoices").await.contains("ann@test.example"), "the other one ended");
        assert_eq!(sign_in("third password 3").await.unwrap().status(), 201);
    }
}

/// Signs Ann in through the browser's sign-in form: where it sends her, and the browser.
async fn browser_after_sign_in(app: &TestApp, password: &str) -> (String, reqwest::Client) {
    let client = browser();
    let response = client
        .post(app.url("/rpc/login"))
        .header("accept", "text/html")
        .header("referer", app.url("/login"))
        .form(&[("email", "ann@test.example"), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    (location, client)
}
