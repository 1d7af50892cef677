//! The browser entry point: hydrates the server-rendered page into the single-page app.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The page's language first, so the app says what the server rendered; without it the
    // page stays as rendered (it works without JavaScript).
    if !app::i18n::client::load_from_document() {
        return;
    }
    // Lazy routes: each page's code arrives as its own chunk before that page hydrates.
    leptos::mount::hydrate_lazy(app::App);
}
