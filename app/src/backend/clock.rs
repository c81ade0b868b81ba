//! The time every service uses. Production reads the system clock; tests (and the
//! development time-travel control) move it forward to test expiry rules.

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

/// Unix seconds, with a shared adjustable offset. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock (offset 0).
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Current time in Unix seconds.
    pub fn now(&self) -> i64 {
        system_now() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves this clock (and every clone) forward by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn clones_share_the_offset() {
        let clock = Clock::system();
        let other = clock.clone();
        let before = other.now();
        clock.advance(3600);
        assert!(other.now() >= before + 3600);
    }
}
