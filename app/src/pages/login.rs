use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::{Msg, t};
use crate::rpc::Login;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let problem =
        move || {
            login.value().get().and_then(Result::err).map(|problem| {
                crate::i18n::refusals::localize(problem, crate::i18n::use_language())
            })
        };
    // The page the user was sent away from: sign-in comes back to it.
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    // A user who chose another language than this page's: the page they go to is loaded
    // whole, so it comes with its texts (the browser holds one language at a time).
    let destination = next.clone();
    Effect::new(move |_| {
        if let Some(Ok(user)) = login.value().get()
            && user
                .language
                .is_some_and(|language| language != crate::i18n::use_language())
        {
            let path = crate::rpc::after_sign_in(&user, Some(&destination));
            let _ = window().location().set_href(&path);
        }
    });
    view! {
        <h1>{t(Msg::NavSignIn)}</h1>
        <ActionForm action=login attr:class="login">
            <input type="hidden" name="next" value=next/>
            <p>
                <label for="email">{t(Msg::AccountEmail)}</label>
                <input id="email" type="email" name="email" autocomplete="username" required/>
            </p>
            <p>
                <label for="password">{t(Msg::NavPassword)}</label>
                <input id="password" type="password" name="password" autocomplete="current-password" required/>
            </p>
            {move || problem().map(|problem| view! { <div class="problem" role="alert">{problem.detail}</div> })}
            <button type="submit" class="primary">{t(Msg::NavSignIn)}</button>
        </ActionForm>
    }
}
