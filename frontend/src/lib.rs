//! The browser entry point: hydrates the server-rendered page into the single-page app.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes: each page's code arrives as its own chunk before that page hydrates.
    leptos::mount::hydrate_lazy(app::App);
}
