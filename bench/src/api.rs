//! A small client of creditdesk's REST API for the load, stress and crash drivers: one
//! keep-alive connection pool per client, a bearer token, JSON in and out.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

/// What came back: the status and the JSON body (`Null` when there was none).
pub type Answer = (u16, Value);

#[derive(Clone)]
pub struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    /// `base` is the server's root (`http://127.0.0.1:3000`); the token is an API token.
    pub fn new(base: &str, token: &str) -> Api {
        let client = reqwest::Client::builder()
            // A request that never answers is an error of its own, not a hung run.
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(4)
            .build()
            .expect("an HTTP client with default TLS-less settings builds");
        Api {
            client,
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
        }
    }

    /// Signs in with `POST /api/v1/auth/token` and returns a client holding the token.
    pub async fn sign_in(base: &str, email: &str, password: &str) -> Result<Api, String> {
        let anonymous = Api::new(base, "");
        let (status, body) = anonymous
            .send(
                Method::POST,
                "/auth/token",
                Some(json!({"email": email, "password": password})),
            )
            .await
            .map_err(|e| format!("cannot reach {base}: {e}"))?;
        match body["token"].as_str() {
            Some(token) if status == 201 => Ok(Api::new(base, token)),
            _ => Err(format!("sign-in as {email} answered {status}: {body}")),
        }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Another client with the same token and its own connections.
    pub fn fresh(&self) -> Api {
        Api::new(&self.base, &self.token)
    }

    /// One request to `/api/v1{path}`. A transport error (refused, reset, timed out) is `Err`.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Answer, reqwest::Error> {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.base));
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok((status, body))
    }

    /// A GET of `/api/v1{path}` read to the end: its status and size in bytes.
    pub async fn download(&self, path: &str) -> Result<(u16, usize), String> {
        let response = self
            .client
            .get(format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| format!("GET {path}: {e}"))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| format!("GET {path}: {e}"))?;
        Ok((status, bytes.len()))
    }

    /// A request that must succeed (fixtures): any other answer is an error naming it.
    pub async fn expect(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let what = format!("{method} {path}");
        match self.send(method, path, body).await {
            Ok((status, body)) if (200..300).contains(&status) => Ok(body),
            Ok((status, body)) => Err(format!("{what} answered {status}: {body}")),
            Err(error) => Err(format!("{what} failed: {error}")),
        }
    }
}

/// The `id` of a created resource.
pub fn id_of(body: &Value) -> Result<i64, String> {
    body["id"]
        .as_i64()
        .ok_or_else(|| format!("no id in {body}"))
}
