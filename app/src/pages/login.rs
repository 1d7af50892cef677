use leptos::prelude::*;

use crate::rpc::Login;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let problem = move || login.value().get().and_then(Result::err);
    view! {
        <h1>"Sign in"</h1>
        <ActionForm action=login attr:class="login">
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
