//! Pure rules shared by browser and server. No I/O, no framework types.

pub mod language;
