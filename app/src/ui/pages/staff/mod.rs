//! The staff desk (`/intern/…`): search and create client records, issue activation
//! codes and print their letters. Only for staff of a job centre, who see only their
//! own job centre's clients (the server functions enforce it).

pub mod client;
pub mod desk;
pub mod feedback;
pub mod messages;
pub mod new_client;
pub mod print_queue;
