use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::rpc::Login;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let problem = move || login.value().get().and_then(Result::err);
    // The page the user was sent away from: sign-in comes back to it.
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    view! {
        <h1>"Sign in"</h1>
        <ActionForm action=login attr:class="login">
            <input type="hidden" name="next" value=next/>
            <p>
                <label for="email">"Email"</label>
                <input id="email" type="email" name="email" autocomplete="username" required/>
            </p>
            <p>
                <label for="password">"Password"</label>
                <input id="password" type="password" name="password" autocomplete="current-password" required/>
            </p>
            {move || problem().map(|problem| view! { <div class="problem" role="alert">{problem.detail}</div> })}
            <button type="submit" class="primary">"Sign in"</button>
        </ActionForm>
    }
}
