//! The browser bundle: hydrates the server-rendered page. Nothing else lives here.

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the hydration script once the WASM module is loaded.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate();
}
