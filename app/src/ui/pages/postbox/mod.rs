//! The citizen's Leistungspostfach: `/postfach` (inbox with filter and pages),
//! `/postfach/{id}` (one item with its files and conversation) and
//! `/postfach/schreiben` (message or evidence to the job centre).

pub mod inbox;
pub mod item;
pub mod write;
