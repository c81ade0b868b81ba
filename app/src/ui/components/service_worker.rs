//! The installable app in the browser: registers the service worker (`/sw.js`, written
//! by the server with the current bundle names) and, when a new version is waiting,
//! offers "Neue Version verfügbar – Neu laden". Nothing of this runs on the server.

use leptos::prelude::*;

use crate::ui::translate::*;

/// Registers the service worker once the page is interactive and shows the update
/// prompt when a new version has been installed and waits.
#[component]
pub fn AppUpdatePrompt() -> impl IntoView {
    let i18n = use_i18n();
    let (waiting, set_waiting) = signal(false);
    Effect::new(move |_| browser::register(move || set_waiting.set(true)));
    view! {
        <div class="update-prompt" aria-live="polite">
            <Show when=move || waiting.get()>
                <div class="update-prompt__box">
                    <p>{t!(i18n, pwa.update_available)}</p>
                    <button type="button" class="button" on:click=move |_| browser::activate_waiting()>
                        {t!(i18n, pwa.reload)}
                    </button>
                </div>
            </Show>
        </div>
    }
}

#[cfg(feature = "hydrate")]
pub(crate) mod browser {
    use leptos::{
        prelude::window,
        task::spawn_local,
        wasm_bindgen::{closure::Closure, JsCast, JsValue},
    };
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

    /// The page's service-worker container, if the browser offers one here (secure
    /// context, support).
    fn container() -> Option<ServiceWorkerContainer> {
        let window = window();
        let navigator = window.navigator();
        let supported = window.is_secure_context()
            && js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
        supported.then(|| navigator.service_worker())
    }

    /// Registers `/sw.js`; calls `on_waiting` when a new version waits to take over a
    /// page that an older version controls.
    pub fn register(on_waiting: impl Fn() + Clone + 'static) {
        let Some(container) = container() else { return };
        let registering = container.register(crate::domain::routes::SERVICE_WORKER);
        spawn_local(async move {
            let Ok(value) = JsFuture::from(registering).await else { return };
            let Ok(registration) = value.dyn_into::<ServiceWorkerRegistration>() else { return };
            let controlled = move || container.controller().is_some();
            if registration.waiting().is_some() && controlled() {
                on_waiting();
            }
            // A new version may already be installing (found during this page load).
            if let Some(worker) = registration.installing() {
                watch(worker, on_waiting.clone(), controlled.clone());
            }
            let watched = registration.clone();
            let update_found = Closure::<dyn FnMut()>::new(move || {
                if let Some(worker) = watched.installing() {
                    watch(worker, on_waiting.clone(), controlled.clone());
                }
            });
            registration.set_onupdatefound(Some(update_found.as_ref().unchecked_ref()));
            update_found.forget();
        });
    }

    /// Calls `on_waiting` once `worker` is installed while an older version controls the page.
    fn watch(worker: ServiceWorker, on_waiting: impl Fn() + 'static, controlled: impl Fn() -> bool + 'static) {
        let state_of = worker.clone();
        let state_changed = Closure::<dyn FnMut()>::new(move || {
            if state_of.state() == ServiceWorkerState::Installed && controlled() {
                on_waiting();
            }
        });
        worker.set_onstatechange(Some(state_changed.as_ref().unchecked_ref()));
        // Lives as long as the worker it listens to.
        state_changed.forget();
    }

    /// Lets the waiting version take over and reloads the page once it controls it.
    pub fn activate_waiting() {
        let Some(container) = container() else { return };
        let reload = Closure::<dyn FnMut()>::new(|| {
            let _ = window().location().reload();
        });
        container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
        spawn_local(async move {
            let Ok(value) = JsFuture::from(container.get_registration()).await else { return };
            let Ok(registration) = value.dyn_into::<ServiceWorkerRegistration>() else { return };
            if let Some(worker) = registration.waiting() {
                let _ = worker.post_message(&JsValue::from_str("skip-waiting"));
            }
        });
    }
}

#[cfg(not(feature = "hydrate"))]
pub(crate) mod browser {
    /// Only the browser registers service workers.
    pub fn register(_on_waiting: impl Fn() + Clone + 'static) {}
    /// Only the browser has a waiting service worker.
    pub fn activate_waiting() {}
}
