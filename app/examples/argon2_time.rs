//! Prints the time of one Argon2id hash with the portal's parameters (used by
//! `bench/signin-storm.sh`): the median of 15 hashes on one thread.

#[cfg(feature = "ssr")]
fn main() {
    use app::backend::passwords::PasswordHasher;
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start a runtime: {error}");
            std::process::exit(1);
        }
    };
    runtime.block_on(async {
        let Ok(hasher) = PasswordHasher::new(1) else {
            eprintln!("hashing failed");
            std::process::exit(1);
        };
        let mut times = Vec::new();
        for _ in 0..15 {
            let start = std::time::Instant::now();
            if hasher.hash("Kx9!vTq2#mLpW").await.is_err() {
                eprintln!("hashing failed");
                std::process::exit(1);
            }
            times.push(start.elapsed());
        }
        times.sort();
        println!("{:.1} ms (median of 15)", times[7].as_secs_f64() * 1000.0);
    });
}

#[cfg(not(feature = "ssr"))]
fn main() {
    eprintln!("build with --features ssr");
}
