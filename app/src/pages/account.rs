//! The signed-in user's own account: the language of the desk, and changing their password (also where a user whose password
//! an administrator reset is sent, and all they may do until they choose a new one).

use leptos::prelude::*;

use crate::i18n::{Msg, t};
use crate::pages::{field_error, form_error};
use crate::rpc::ChangePassword;

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <h1>{t(Msg::AccountChangeTitle)}</h1>
        <p class="hint">{t(Msg::AccountChangeHint)}</p>
        <ActionForm action=change attr:class="login">
            <p>
                <label for="current_password">{t(Msg::AccountCurrentPassword)}</label>
                <input id="current_password" type="password" name="current_password" autocomplete="current-password" required/>
                {field_error(change, "current_password")}
            </p>
            <p>
                <label for="new_password">{t(Msg::AccountNewPassword)}</label>
                <input id="new_password" type="password" name="new_password" autocomplete="new-password" minlength="10" required/>
                {field_error(change, "new_password")}
            </p>
            <p>
                <label for="repeat_password">{t(Msg::AccountRepeatPassword)}</label>
                <input id="repeat_password" type="password" name="repeat_password" autocomplete="new-password" minlength="10" required/>
                {field_error(change, "repeat_password")}
            </p>
            {form_error(change)}
            <button type="submit" class="primary">{t(Msg::AccountChangeSubmit)}</button>
        </ActionForm>
        <h2>{t(Msg::AccountLanguageTitle)}</h2>
        <p class="hint">{t(Msg::AccountLanguageHint)}</p>
        <crate::LanguageSwitch/>
    }
}
