//! Pure rules shared by browser and server. No I/O, no framework types.

pub mod access;
pub mod activation_code;
pub mod application;
pub mod appointment;
pub mod audit_event;
pub mod client_record;
pub mod communication;
pub mod datetime;
pub mod device;
pub mod email;
pub mod feedback;
pub mod ids;
pub mod job_centre;
pub mod language;
pub mod mobile_number;
pub mod money;
pub mod navigation;
pub mod password;
pub mod postbox;
pub mod routes;
pub mod registration;
pub mod security;
pub mod text;
pub mod upload;
