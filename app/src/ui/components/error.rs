//! Translated messages for failed server calls.

use leptos::prelude::*;

use crate::{api::ApiError, ui::translate::*};

/// A clear message for an [`ApiError`], announced to screen readers.
#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match &error {
        ApiError::Unavailable => t_string!(i18n, site.service_unavailable),
        ApiError::Transport(_) => t_string!(i18n, site.request_failed),
        ApiError::NotSignedIn => t_string!(i18n, site.not_signed_in),
        ApiError::NotFound => t_string!(i18n, site.not_found),
        ApiError::SecondFactorRequired => t_string!(i18n, site.second_factor_required),
        ApiError::ReauthenticationRequired => t_string!(i18n, site.reauthentication_required),
        ApiError::StaffOnly => t_string!(i18n, site.staff_only),
        ApiError::ProfileRequired => t_string!(i18n, site.profile_required),
    };
    view! {
        <div class="notice notice--error" role="alert">
            <p>{text}</p>
        </div>
    }
}
