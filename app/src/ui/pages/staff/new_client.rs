//! `/intern/kunden/neu`: a new client record.

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;

use crate::ui::components::staff_only::StaffOnly;
use crate::{
    api::staff::{CreateClient, CreateClientOutcome},
    domain::client_record::{ClientField, ClientInput},
    ui::{
        components::{
            error::ErrorNotice,
            form::{hard_navigate, latest, use_flash, ErrorSummary, FieldError, TextField},
            page::PageHeading,
        },
        translate::*,
    },
};

fn field_id(field: ClientField) -> &'static str {
    match field {
        ClientField::CustomerNumber => "customer_number",
        ClientField::Salutation => "salutation",
        ClientField::GivenName => "given_name",
        ClientField::FamilyName => "family_name",
        ClientField::BirthDate => "birth_date",
        ClientField::Street => "street",
        ClientField::Postcode => "postcode",
        ClientField::City => "city",
        ClientField::Mobile => "mobile",
    }
}

fn field_message(i18n: I18n, field: ClientField) -> String {
    match field {
        ClientField::CustomerNumber => t_string!(i18n, staff.error_customer_number),
        ClientField::Salutation => t_string!(i18n, staff.error_salutation),
        ClientField::GivenName => t_string!(i18n, staff.error_given_name),
        ClientField::FamilyName => t_string!(i18n, staff.error_family_name),
        ClientField::BirthDate => t_string!(i18n, staff.error_birth_date),
        ClientField::Street => t_string!(i18n, staff.error_street),
        ClientField::Postcode => t_string!(i18n, staff.error_postcode),
        ClientField::City => t_string!(i18n, staff.error_city),
        ClientField::Mobile => t_string!(i18n, staff.error_mobile),
    }
    .to_string()
}

/// `/intern/kunden/neu`
#[component]
pub fn NewClientPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateClient>::new();
    let outcome = latest(action, use_flash::<CreateClientOutcome>(FlashForm::StaffCreateClient));
    Effect::new(move |_| {
        if let Some(Ok(CreateClientOutcome::Created { next })) = outcome.get() {
            hard_navigate(&next);
        }
    });
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, staff.new_client).to_string()) />
        <StaffOnly content=move |_| view! {
            {move || {
                let (problems, duplicate, input, error, created) = match outcome.get() {
                    Some(Ok(CreateClientOutcome::Invalid { problems, input })) => (problems, false, input, None, None),
                    Some(Ok(CreateClientOutcome::Duplicate { input })) => (vec![], true, input, None, None),
                    Some(Ok(CreateClientOutcome::Created { next })) => (vec![], false, ClientInput::default(), None, Some(next)),
                    Some(Err(error)) => (vec![], false, ClientInput::default(), Some(error), None),
                    None => (vec![], false, ClientInput { salutation: "keine".into(), ..ClientInput::default() }, None, None),
                };
                let mut errors: Vec<FieldError> = problems
                    .iter()
                    .map(|f| FieldError { field: field_id(*f), message: field_message(i18n, *f) })
                    .collect();
                if duplicate {
                    errors.push(FieldError { field: "customer_number", message: t_string!(i18n, staff.error_duplicate).to_string() });
                }
                let error_for = {
                    let errors = errors.clone();
                    move |id: &str| errors.iter().find(|e| e.field == id).map(|e| e.message.clone())
                };
                let salutation_error = error_for("salutation");
                let field = move |id: &'static str, label: String, value: String, input_type: &'static str, autocomplete: &'static str, required: bool| {
                    let message = error_for(id);
                    view! {
                        <TextField name=id
                            id
                            label=label
                            error=Signal::stored(message)
                            value=Signal::stored(value)
                            input_type autocomplete=autocomplete required
                        />
                    }
                };
                view! {
                    {error.map(|error| view! { <ErrorNotice error /> })}
                    {created.map(|next| view! {
                        <div class="notice notice--success" role="status">
                            <p>{t!(i18n, staff.created)}" "<a href=next>{t!(i18n, staff.open_client)}</a></p>
                        </div>
                    })}
                    <ActionForm action attr:class="form" attr:novalidate=true>
                        <ErrorSummary errors=Signal::stored(errors.clone()) />
                        {field("customer_number", t_string!(i18n, staff.customer_number_label).to_string(), input.customer_number.clone(), "text", "off", true)}
                        <div class="field" class:field--error=salutation_error.is_some()>
                            <label class="field__label" for="salutation">{t!(i18n, staff.salutation_label)}</label>
                            <select class="field__input" id="salutation" name="salutation">
                                <option value="keine" selected=input.salutation == "keine">{t!(i18n, staff.salutation_none)}</option>
                                <option value="frau" selected=input.salutation == "frau">{t!(i18n, staff.salutation_frau)}</option>
                                <option value="herr" selected=input.salutation == "herr">{t!(i18n, staff.salutation_herr)}</option>
                            </select>
                        </div>
                        {field("given_name", t_string!(i18n, staff.given_name_label).to_string(), input.given_name.clone(), "text", "off", true)}
                        {field("family_name", t_string!(i18n, staff.family_name_label).to_string(), input.family_name.clone(), "text", "off", true)}
                        {field("birth_date", t_string!(i18n, staff.birth_date_label).to_string(), input.birth_date.clone(), "date", "off", true)}
                        {field("street", t_string!(i18n, staff.street_label).to_string(), input.street.clone(), "text", "off", true)}
                        {field("postcode", t_string!(i18n, staff.postcode_label).to_string(), input.postcode.clone(), "text", "off", true)}
                        {field("city", t_string!(i18n, staff.city_label).to_string(), input.city.clone(), "text", "off", true)}
                        {field("mobile", t_string!(i18n, staff.mobile_label).to_string(), input.mobile.clone(), "tel", "off", false)}
                        <div class="button-row">
                            <a class="button button--secondary" href=routes::DESK>{t!(i18n, staff.back_to_desk)}</a>
                            <button type="submit" class="button" disabled=move || action.pending().get()>{t!(i18n, staff.create)}</button>
                        </div>
                    </ActionForm>
                }
            }}
        } />
    }
}
