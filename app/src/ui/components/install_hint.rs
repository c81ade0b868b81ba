//! "Ihr Jobcenter auf dem Handy": how to install the portal as an app. Browsers that
//! offer an install prompt get a button (the page's head script keeps the prompt event
//! until the app is interactive); iOS and Android users get the steps in words.

use leptos::prelude::*;

use crate::ui::translate::*;

/// The install section: a button where the browser can install, and the manual steps.
#[component]
pub fn InstallHint() -> impl IntoView {
    let i18n = use_i18n();
    let (available, set_available) = signal(false);
    let (installed, set_installed) = signal(false);
    Effect::new(move |_| prompt::watch(move || set_available.set(true), move || set_installed.set(true)));
    view! {
        <section class="card section" aria-labelledby="app-installieren">
            <h2 id="app-installieren">{t!(i18n, pwa.install_heading)}</h2>
            <p>{t!(i18n, pwa.install_text)}</p>
            <Show when=move || available.get() && !installed.get()>
                <p>
                    <button type="button" class="button" on:click=move |_| {
                        set_available.set(false);
                        prompt::show();
                    }>{t!(i18n, pwa.install_button)}</button>
                </p>
            </Show>
            <div aria-live="polite">
                {move || installed.get().then(|| view! { <p class="notice notice--success">{t!(i18n, pwa.installed)}</p> })}
            </div>
            <h3>{t!(i18n, pwa.install_ios_title)}</h3>
            <p>{t!(i18n, pwa.install_ios)}</p>
            <h3>{t!(i18n, pwa.install_android_title)}</h3>
            <p>{t!(i18n, pwa.install_android)}</p>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod prompt {
    use leptos::{
        prelude::window,
        wasm_bindgen::{closure::Closure, JsCast, JsValue},
    };

    /// Where the head script keeps the `beforeinstallprompt` event.
    const KEPT: &str = "portalInstallPrompt";

    fn kept() -> Option<JsValue> {
        js_sys::Reflect::get(&window(), &JsValue::from_str(KEPT)).ok().filter(|v| v.is_object())
    }

    /// Calls `on_available` when the browser offers installing (now or later) and
    /// `on_installed` once the app has been installed.
    pub fn watch(on_available: impl Fn() + Clone + 'static, on_installed: impl Fn() + 'static) {
        if kept().is_some() {
            on_available();
        }
        let available = Closure::<dyn FnMut()>::new(move || on_available());
        let installed = Closure::<dyn FnMut()>::new(move || on_installed());
        let window = window();
        let _ = window.add_event_listener_with_callback("portalinstallable", available.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("appinstalled", installed.as_ref().unchecked_ref());
        // Both listen for the rest of the page's life.
        available.forget();
        installed.forget();
    }

    /// Shows the browser's install dialog (the kept event can be used once).
    pub fn show() {
        let Some(event) = kept() else { return };
        if let Ok(prompt) = js_sys::Reflect::get(&event, &JsValue::from_str("prompt")) {
            if let Some(prompt) = prompt.dyn_ref::<js_sys::Function>() {
                let _ = prompt.call0(&event);
            }
        }
        let _ = js_sys::Reflect::delete_property(&window(), &JsValue::from_str(KEPT));
    }
}

#[cfg(not(feature = "hydrate"))]
mod prompt {
    /// Only browsers install apps.
    pub fn watch(_on_available: impl Fn() + Clone + 'static, _on_installed: impl Fn() + 'static) {}
    /// Only browsers install apps.
    pub fn show() {}
}
