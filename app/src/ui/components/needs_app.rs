//! Controls that need the app (JavaScript) to work carry the class `with-js`: hidden when
//! JavaScript is off; with it, invisible but keeping their place until the page is
//! hydrated (`is-pending`), so nothing moves when they become usable.

use leptos::prelude::*;

/// `true` until the page is hydrated; bind it to `class:is-pending` of a `with-js` control.
pub fn app_pending() -> ReadSignal<bool> {
    let (pending, set_pending) = signal(true);
    Effect::new(move |_| set_pending.set(false));
    pending
}
