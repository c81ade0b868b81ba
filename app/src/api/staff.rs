//! The staff desk ("/intern"): client records, activation codes and their letters.
//! Every function needs a full sign-in by a staff member and reaches only the clients
//! of that staff member's job centre.

use crate::domain::ids::ClientId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::{
    client_record::{ClientField, ClientInput, ClientRecord},
    communication::CommunicationOption,
};

/// Default validity of a new activation code, in days.
pub const DEFAULT_VALID_DAYS: i64 = 30;

/// Who is at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    /// The staff member's name.
    pub staff_name: String,
    /// Their job centre.
    pub job_centre: String,
}

/// A client record as shown on the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientView {
    /// Id.
    pub id: ClientId,
    /// The data.
    pub record: ClientRecord,
    /// When the citizen unlocked the profile, if they did.
    pub profile_since: Option<i64>,
}

/// The state of the newest activation code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeView {
    /// Issued at.
    pub issued_at: i64,
    /// Valid until.
    pub valid_until: i64,
    /// Revoked at.
    pub revoked_at: Option<i64>,
    /// Redeemed at.
    pub redeemed_at: Option<i64>,
}

/// One change of a communication option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionChangeView {
    /// Which.
    pub option: CommunicationOption,
    /// On or off.
    pub enabled: bool,
    /// When.
    pub at: i64,
}

/// Everything the client page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetails {
    /// The record.
    pub client: ClientView,
    /// The newest code.
    pub code: Option<CodeView>,
    /// The communication options (if the profile is unlocked).
    pub options: Vec<(CommunicationOption, bool)>,
    /// Their history, newest first.
    pub history: Vec<OptionChangeView>,
}

/// The result of creating a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreateClientOutcome {
    /// Stored; open this page.
    Created {
        /// Its address on the desk.
        next: String,
    },
    /// Fields to correct (the input comes back).
    Invalid {
        /// The problems.
        problems: Vec<ClientField>,
        /// What was entered.
        input: ClientInput,
    },
    /// The customer number exists already in this job centre.
    Duplicate {
        /// What was entered.
        input: ClientInput,
    },
}

/// A letter with a new activation code (the only time the code is shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    /// The job centre's name and address lines.
    pub sender: Vec<String>,
    /// The job centre's telephone and e-mail.
    pub contact: String,
    /// Recipient address lines (salutation, name, street, postcode and city).
    pub recipient: Vec<String>,
    /// `frau`, `herr` or `keine` (for "Guten Tag, …").
    pub salutation: String,
    /// Full name.
    pub name: String,
    /// The code, `XXXX-XXXX-XXXX`.
    pub code: String,
    /// The link the QR code opens.
    pub link: String,
    /// The QR code as inline SVG.
    pub qr_svg: String,
    /// Valid until (Unix seconds).
    pub valid_until: i64,
    /// Date of the letter.
    pub issued_at: i64,
    /// The staff member who issued it.
    pub staff_name: String,
    /// The client page.
    pub client_page: String,
}

/// The result of issuing a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IssueOutcome {
    /// Issued: print the letter now.
    Issued(Box<Letter>),
    /// The validity must be 1 to 365 days.
    InvalidValidity,
}

/// The result of revoking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevokeOutcome {
    /// Revoked.
    Revoked,
    /// There was no active code.
    NothingActive,
}

#[cfg(feature = "ssr")]
pub(crate) mod support {
    use super::*;
    use crate::backend::{clients::Client, staff::StaffMember};

    /// The client `id` of the staff member's job centre.
    pub async fn own_client(staff: &StaffMember, id: ClientId) -> Result<Client, ApiError> {
        let state = super::super::state()?;
        crate::backend::clients::find(&state.db, staff.job_centre_id, id)
            .await
            .map_err(super::super::unavailable)?
            .ok_or(ApiError::NotFound)
    }

    /// The Freischaltcode letter of `issued` for `client`, from `staff` of `centre`.
    pub fn letter(
        public_url: &str,
        centre: &crate::backend::job_centres::JobCentre,
        client: &Client,
        staff: &StaffMember,
        issued: &crate::backend::activation_codes::Issued,
        now: i64,
    ) -> Letter {
        let link = format!("{public_url}{}?code={}", crate::domain::routes::ACTIVATION, issued.code.display());
        Letter {
            sender: vec![centre.contact.name.clone(), centre.contact.street.clone(), format!("{} {}", centre.contact.postcode, centre.contact.city)],
            contact: format!("{} · {}", centre.contact.phone, centre.contact.email),
            recipient: vec![
                client.record.full_name(),
                client.record.street.clone(),
                format!("{} {}", client.record.postcode, client.record.city),
            ],
            salutation: client.record.salutation.clone(),
            name: client.record.full_name(),
            code: issued.code.display(),
            qr_svg: crate::backend::qr::svg(&link).unwrap_or_default(),
            link,
            valid_until: issued.valid_until,
            issued_at: now,
            staff_name: staff.display_name.clone(),
            client_page: crate::domain::routes::client(client.id),
        }
    }

    /// The view of a record.
    pub async fn view(client: Client) -> Result<ClientView, ApiError> {
        let state = super::super::state()?;
        let profile = crate::backend::profiles::find_for_client(&state.db, client.id).await.map_err(super::super::unavailable)?;
        Ok(ClientView { id: client.id, record: client.record, profile_since: profile.map(|p| p.created_at) })
    }
}

/// The desk's header: staff member and job centre.
#[server(endpoint = "staff/desk")]
pub async fn desk_overview() -> Result<Desk, ApiError> {
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let centre = crate::backend::job_centres::find_by_id(&state.db, staff.job_centre_id)
        .await
        .map_err(super::unavailable)?
        .ok_or(ApiError::Unavailable)?;
    Ok(Desk { staff_name: staff.display_name, job_centre: centre.contact.name })
}

/// Client records of the desk's job centre matching `query` (name or customer number).
#[server(endpoint = "staff/search")]
pub async fn search_clients(query: String) -> Result<Vec<ClientView>, ApiError> {
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let clients = crate::backend::clients::search(&state.db, staff.job_centre_id, &query).await.map_err(super::unavailable)?;
    let ids: Vec<ClientId> = clients.iter().map(|client| client.id).collect();
    let since = crate::backend::profiles::unlocked_since(&state.db, &ids).await.map_err(super::unavailable)?;
    Ok(clients
        .into_iter()
        .map(|client| ClientView { id: client.id, profile_since: since.get(&client.id).copied(), record: client.record })
        .collect())
}

/// Creates a client record in the desk's job centre.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "staff/create-client")]
pub async fn create_client(
    customer_number: String,
    salutation: String,
    given_name: String,
    family_name: String,
    birth_date: String,
    street: String,
    postcode: String,
    city: String,
    mobile: String,
) -> Result<CreateClientOutcome, ApiError> {
    use crate::backend::clients::{self, CreateError};
    use crate::domain::datetime::iso_date;
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let input = ClientInput { customer_number, salutation, given_name, family_name, birth_date, street, postcode, city, mobile };
    let now = state.clock.now();
    let outcome = match ClientRecord::from_input(&input, &iso_date(now)) {
        Err(problems) => CreateClientOutcome::Invalid { problems, input },
        Ok(record) => match clients::create(&state.db, staff.job_centre_id, &record, now).await {
            Ok(id) => CreateClientOutcome::Created { next: crate::domain::routes::client(id) },
            Err(CreateError::DuplicateCustomerNumber) => CreateClientOutcome::Duplicate { input },
            Err(CreateError::Store(error)) => return Err(super::unavailable(error)),
        },
    };
    super::flash::remember(super::flash_form::FlashForm::StaffCreateClient, &outcome).await;
    Ok(outcome)
}

/// A client record with its code and communication options.
#[server(endpoint = "staff/client")]
pub async fn load_client(id: ClientId) -> Result<ClientDetails, ApiError> {
    use crate::backend::{activation_codes, profiles};
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let client = support::own_client(&staff, id).await?;
    let code = activation_codes::latest(&state.db, client.id).await.map_err(super::unavailable)?.map(|c| CodeView {
        issued_at: c.issued_at,
        valid_until: c.valid_until,
        revoked_at: c.revoked_at,
        redeemed_at: c.redeemed_at,
    });
    let (options, history) = match profiles::find_for_client(&state.db, client.id).await.map_err(super::unavailable)? {
        Some(profile) => (
            profiles::options(&state.db, profile.id).await.map_err(super::unavailable)?,
            profiles::history(&state.db, profile.id)
                .await
                .map_err(super::unavailable)?
                .into_iter()
                .map(|c| OptionChangeView { option: c.option, enabled: c.enabled, at: c.at })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    Ok(ClientDetails { client: support::view(client).await?, code, options, history })
}

/// Issues a new activation code for a client (revoking any active one) and returns the
/// letter. The code is shown only now.
#[server(endpoint = "staff/issue-code")]
pub async fn issue_code(client_id: ClientId, valid_days: i64) -> Result<IssueOutcome, ApiError> {
    use crate::backend::{activation_codes, job_centres};
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let client = support::own_client(&staff, client_id).await?;
    let outcome = if !(1..=365).contains(&valid_days) {
        IssueOutcome::InvalidValidity
    } else {
        let now = state.clock.now();
        // Valid to the end of the day printed on the letter.
        let valid_until = crate::domain::datetime::end_of_german_day(now + valid_days * 86_400);
        let issued = activation_codes::issue(&state.db, &state.secret, client.id, staff.account_id, valid_until, now, &super::request().requester)
            .await
            .map_err(super::unavailable)?;
        let centre = job_centres::find_by_id(&state.db, staff.job_centre_id).await.map_err(super::unavailable)?.ok_or(ApiError::Unavailable)?;
        IssueOutcome::Issued(Box::new(support::letter(&state.settings.public_url, &centre, &client, &staff, &issued, now)))
    };
    super::flash::remember(super::flash_form::FlashForm::StaffIssueCode, &outcome).await;
    Ok(outcome)
}

/// Revokes the client's active activation code.
#[server(endpoint = "staff/revoke-code")]
pub async fn revoke_code(client_id: ClientId) -> Result<RevokeOutcome, ApiError> {
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let client = support::own_client(&staff, client_id).await?;
    let revoked = crate::backend::activation_codes::revoke(&state.db, client.id, staff.account_id, state.clock.now(), &super::request().requester)
        .await
        .map_err(super::unavailable)?;
    let outcome = if revoked { RevokeOutcome::Revoked } else { RevokeOutcome::NothingActive };
    super::flash::remember(super::flash_form::FlashForm::StaffRevokeCode, &outcome).await;
    Ok(outcome)
}
