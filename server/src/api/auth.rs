use app::domain::Role;
use app::model::CurrentUser;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

use super::{ApiError, ApiJson, ApiPath, ApiUser};
use crate::services::{Caller, NewUserInput, Services};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    email: String,
    password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    token: String,
    role: Role,
}

#[utoipa::path(
    post,
    operation_id = "create_token",
    path = "/auth/token",
    tag = "auth",
    request_body = TokenRequest,
    responses((status = 201, body = TokenResponse), crate::api::extract::Problems),
    security(())
)]
/// `POST /auth/token`: a bearer token for a valid email and password.
pub async fn create_token(
    State(services): State<Services>,
    client: Option<axum::Extension<crate::net::ClientIp>>,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let client = client.map(|axum::Extension(crate::net::ClientIp(ip))| ip);
    let user = services
        .authenticate(&request.email, &request.password, client)
        .await?;
    let token = services.issue_token(&user).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(TokenResponse {
            token,
            role: user.role,
        }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserRequest {
    email: String,
    password: String,
    role: Role,
    #[serde(default)]
    customer_id: Option<i64>,
}

#[utoipa::path(
    post,
    operation_id = "create_user",
    path = "/users",
    tag = "users",
    request_body = UserRequest,
    responses((status = 201, body = app::model::CurrentUser), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// `POST /users` (administrators): a new user.
pub async fn create_user(
    State(services): State<Services>,
    ApiUser(caller): ApiUser,
    ApiJson(request): ApiJson<UserRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let user: CurrentUser = services
        .create_user(
            Caller::User(&caller),
            NewUserInput {
                email: request.email,
                password: request.password,
                role: request.role,
                customer_id: request.customer_id,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(user)))
}

#[utoipa::path(
    delete,
    operation_id = "revoke_token",
    path = "/auth/token",
    tag = "auth",
    responses((status = 204, description = "Revoked"), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// `DELETE /auth/token`: revokes the token the request carries.
pub async fn revoke_token(
    State(services): State<Services>,
    ApiUser(_user): ApiUser,
    parts: axum::http::request::Parts,
) -> Result<StatusCode, ApiError> {
    if let Some(token) = super::extract::bearer_token(&parts) {
        services.revoke_token(token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    current_password: String,
    new_password: String,
}

#[utoipa::path(
    post,
    operation_id = "change_own_password",
    path = "/auth/password",
    tag = "auth",
    request_body = PasswordChangeRequest,
    responses((status = 204, description = "Changed; every API token of the user is revoked, this one too"), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// `POST /auth/password`: the caller's own new password, once the current one is right. The
/// user's API tokens are revoked (ask for a new one) and their browser sessions end.
pub async fn change_own_password(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<PasswordChangeRequest>,
) -> Result<StatusCode, ApiError> {
    services
        .change_own_password(&user, &request.current_password, &request.new_password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// A temporary password the user must replace at their next sign-in.
    password: String,
}

#[utoipa::path(
    post,
    operation_id = "reset_user_password",
    path = "/users/{id}/password",
    tag = "auth",
    params(("id" = i64, Path, description = "The user")),
    request_body = PasswordResetRequest,
    responses((status = 204, description = "Reset; the user's sessions and API tokens end"), crate::api::extract::Problems),
    security(("bearer" = []))
)]
/// `POST /users/{id}/password` (administrators): a temporary password; until the user chooses
/// a new one, every request of theirs but the change answers 403 `password_change_required`.
pub async fn reset_user_password(
    State(services): State<Services>,
    ApiUser(admin): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<PasswordResetRequest>,
) -> Result<StatusCode, ApiError> {
    services
        .reset_password(&admin, id, &request.password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
