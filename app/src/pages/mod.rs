/// A one-button form that posts a document's id (`$field`, e.g. `"invoice_id"`) to a server
/// action, with the action's refusal beside it: the shape of every simple action on the
/// invoice and credit-note pages. A macro, since `ActionForm`'s bounds do not fit a generic
/// component.
macro_rules! id_action_form {
    ($action:expr, $field:literal, $id:expr, $label:expr, $class:literal) => {{
        let action = $action;
        view! {
            <ActionForm action=action attr:class="action">
                <input type="hidden" name=$field value=$id/>
                <button type="submit" class=$class>{$label}</button>
                {move || $crate::pages::problem_view($crate::pages::refusal(action), "")}
            </ActionForm>
        }
        .into_any()
    }};
}

pub mod account;
pub mod credit_from_invoice;
pub mod credit_note_detail;
pub mod credit_notes;
pub mod customer_choice;
pub mod customers;
pub mod imports;
pub mod invoice_detail;
pub mod invoice_editor;
pub mod invoices;
pub mod journal;
pub mod line_table;
pub mod link_dialog;
pub mod login;
pub mod new_credit_note;
pub mod portal;
pub mod settings;

use leptos::prelude::*;

use crate::domain::{CreditNoteStatus, InvoiceStatus};
use crate::model::TimelineEvent;
use crate::problem::Problem;

/// A status shown as a labelled badge.
#[component]
pub fn InvoiceStatusBadge(status: InvoiceStatus) -> impl IntoView {
    let label = crate::i18n::t(crate::i18n::status::invoice(status));
    view! { <span class=format!("badge badge-{}", status.as_str())>{label}</span> }
}

#[component]
pub fn CreditNoteStatusBadge(status: CreditNoteStatus) -> impl IntoView {
    let label = crate::i18n::t(crate::i18n::status::credit_note(status));
    view! { <span class=format!("badge badge-{}", status.as_str())>{label}</span> }
}

/// Where sign-in may send a user back to: a page of this site only (a path, never another
/// host or scheme), and never the sign-in page itself.
pub fn return_path(next: &str) -> Option<&str> {
    local_path(next).filter(|next| !next.starts_with("/login"))
}

/// A path of this site: never another host or scheme.
pub fn local_path(path: &str) -> Option<&str> {
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    local.then_some(path)
}

/// The sign-in page, asked to come back to `path` afterwards.
pub fn login_href(path: &str) -> String {
    match serde_urlencoded::to_string([("next", path)]) {
        Ok(query) if return_path(path).is_some() => format!("/login?{query}"),
        _ => "/login".to_string(),
    }
}

/// A failed load, said plainly; without a session (or once it has expired), the way to the
/// sign-in page, which then comes back here.
#[component]
pub fn ProblemMessage(problem: Problem) -> impl IntoView {
    if problem.status == 401 {
        let location = leptos_router::hooks::use_location();
        let search = location.search.get_untracked();
        let search = search.trim_start_matches('?');
        let mut here = location.pathname.get_untracked();
        if !search.is_empty() {
            here = format!("{here}?{search}");
        }
        return view! { <leptos_router::components::Redirect path=login_href(&here)/> }.into_any();
    }
    if problem.code == "password_change_required" {
        return view! { <leptos_router::components::Redirect path="/account/password"/> }
            .into_any();
    }
    // The page says what went wrong, and so does its HTTP status.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(problem.status)
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    let problem = crate::i18n::refusals::localize(problem, crate::i18n::use_language());
    view! {
        <div class="problem" role="alert">
            <strong>{problem.title.clone()}</strong>
            <p>{problem.detail.clone()}</p>
        </div>
    }
    .into_any()
}

/// A list's address: its filters (`keys` with their `values`, blank ones left out) and the
/// keyset cursor `after` of the page to show, so links keep what the user chose.
pub fn list_href(
    path: &str,
    keys: &[&str],
    values: &[&Option<String>],
    after: Option<i64>,
) -> String {
    let after = after.map(|after| after.to_string());
    let pairs: Vec<(&str, &str)> = keys
        .iter()
        .zip(values)
        .filter_map(|(key, value)| Some((*key, value.as_deref().filter(|v| !v.is_empty())?)))
        .chain(after.as_deref().map(|after| ("after", after)))
        .collect();
    match serde_urlencoded::to_string(&pairs) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_string(),
    }
}

/// The id the page's path names (`/invoices/:id`): `None` when it is no number, which the
/// pages answer as "not found".
pub fn path_id() -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    }
}

/// The refusal a form got back, if any (with or without JavaScript).
pub fn refusal<A>(action: ServerAction<A>) -> Option<Problem>
where
    A: leptos::server_fn::ServerFn<Output = (), Error = Problem> + Clone + Send + Sync + 'static,
{
    action
        .value()
        .get()
        .and_then(Result::err)
        .map(|problem| crate::i18n::refusals::localize(problem, crate::i18n::use_language()))
}

/// What a form's refusal says about `field`, to show beside that field.
pub fn field_error<A>(
    action: ServerAction<A>,
    field: impl Into<String>,
) -> impl Fn() -> Option<AnyView>
where
    A: leptos::server_fn::ServerFn<Output = (), Error = Problem> + Clone + Send + Sync + 'static,
{
    let field = field.into();
    move || {
        refusal(action)
            .and_then(|p| p.field_message(&field).map(str::to_string))
            .map(|message| {
                view! { <span class="field-error" role="alert">{message}</span> }.into_any()
            })
    }
}

/// A form's refusal that names no field, shown under the form's fields.
pub fn form_error<A>(action: ServerAction<A>) -> impl Fn() -> Option<AnyView>
where
    A: leptos::server_fn::ServerFn<Output = (), Error = Problem> + Clone + Send + Sync + 'static,
{
    move || {
        refusal(action)
            .filter(|p| p.errors.is_empty())
            .map(|p| view! { <p class="problem" role="alert">{p.detail}</p> }.into_any())
    }
}

/// A refusal said next to the form: on its field when it names one, else as a whole.
pub fn problem_view(problem: Option<Problem>, field: &str) -> impl IntoView + use<> {
    problem.map(|problem| {
        let message = problem
            .field_message(field)
            .map(str::to_string)
            .unwrap_or(problem.detail.clone());
        view! { <p class="field-error" role="alert">{message}</p> }
    })
}

/// A document's latest events, oldest first; nothing when there are none. A long history is
/// not read whole for a page: `total` says how many there are.
#[component]
pub fn Timeline(
    events: Vec<TimelineEvent>,
    total: i64,
    label: &'static str,
    currency: crate::domain::Currency,
) -> impl IntoView {
    use crate::i18n::{Msg, format, t, tf, use_language};
    let shown = events.len() as i64;
    let language = use_language();
    (!events.is_empty()).then(|| {
        view! {
            <h2>{t(Msg::TimelineTitle)}</h2>
            {(total > shown).then(|| view! {
                <p class="hint">{tf(Msg::TimelineMore, &[("shown", &shown.to_string()), ("total", &total.to_string())])}</p>
            })}
            <ol class="timeline" aria-label=label>
                {events.into_iter().map(|event| view! {
                    <li>
                        <time datetime=event.at.to_rfc3339()>{format::moment(language, event.at)}</time>
                        " · " {event.describe(language, currency)}
                        {event.actor.clone().map(|actor| view! { <span class="hint">" · " {actor}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        }
    })
}

/// An action the page shows but blocks, with the reason beside it.
#[component]
pub fn DisabledAction(label: &'static str, reason: crate::domain::Violation) -> impl IntoView {
    let why = format!("why-{}", label.to_lowercase().replace(' ', "-"));
    let reason = crate::i18n::refusals::violation_text(crate::i18n::use_language(), &reason);
    view! {
        <div class="action">
            <button type="button" disabled aria-describedby=why.clone()>{label}</button>
            <span class="hint" id=why>{reason}</span>
        </div>
    }
}

/// The fields of a payment or a refund (`noun`: `"Payment"` or `"Refund"`, which picks the
/// labels): amount, date, method and, for payments, a reference; a refusal shows on the field
/// it names, else under the fields.
#[component]
pub fn MoneyFields(
    noun: &'static str,
    today: String,
    #[prop(into)] problem: Signal<Option<Problem>>,
    #[prop(optional)] with_reference: bool,
) -> impl IntoView {
    use crate::i18n::{Msg, t};
    let (amount_label, date_label) = match noun {
        "Refund" => (Msg::CommonRefundAmount, Msg::CommonRefundDate),
        _ => (Msg::CommonPaymentAmount, Msg::CommonPaymentDate),
    };
    let on = move |field: &'static str| {
        move || {
            problem
                .get()
                .and_then(|p| p.field_message(field).map(str::to_string))
                .map(|message| view! { <span class="field-error" role="alert">{message}</span> })
        }
    };
    let general = move || {
        problem
            .get()
            .filter(|p| p.field_message("amount").is_none() && p.field_message("date").is_none())
            .map(|p| view! { <p class="problem" role="alert">{p.detail}</p> })
    };
    view! {
        <label>{t(amount_label)} <input type="text" inputmode="decimal" name="amount" required/></label>
        {on("amount")}
        <label>{t(date_label)} <input type="date" name="date" value=today required/></label>
        {on("date")}
        <label>{t(Msg::CommonMethod)} <input type="text" name="method" placeholder=t(Msg::CommonMethodPlaceholder)/></label>
        {with_reference.then(|| view! { <label>{t(Msg::CommonReference)} <input type="text" name="reference"/></label> })}
        {general}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_only_returns_to_pages_of_this_site() {
        assert_eq!(
            return_path("/invoices/7?link=open"),
            Some("/invoices/7?link=open")
        );
        for foreign in [
            "//evil.example/x",
            "https://evil.example",
            "/\\evil.example",
            "invoices",
            "/login?next=/x",
            "/a\nb",
        ] {
            assert_eq!(return_path(foreign), None, "{foreign}");
        }
        assert_eq!(
            login_href("/credit-notes?status=all"),
            "/login?next=%2Fcredit-notes%3Fstatus%3Dall"
        );
        assert_eq!(login_href("//evil.example"), "/login");
    }
}
