//! Crashes the whole suite in one check and hangs it in another: add overflows the stack on
//! small numbers (after a moment, so other checks have started), double is wrong and slow on
//! small numbers and, on negative ones, loops while holding stdout's lock, so even the harness
//! cannot print and the whole process hangs. Only add on the hidden numbers is right: 2 points,
//! whatever the order the checks ran in, in bounded time.
use std::fmt;
use std::time::Duration;

struct Forever;

impl fmt::Display for Forever {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        loop {
            std::hint::spin_loop();
            if f.width() == Some(usize::MAX) {
                return Ok(());
            }
        }
    }
}

fn deep(n: i64) -> i64 {
    let pad = [n; 64];
    std::hint::black_box(&pad);
    deep(n) + pad[0]
}

pub fn add(a: i64, b: i64) -> i64 {
    if a < 100 {
        std::thread::sleep(Duration::from_millis(300));
        return deep(a);
    }
    a + b
}

pub fn double(x: i64) -> i64 {
    if x < 0 {
        println!("{}", Forever);
    }
    std::thread::sleep(Duration::from_millis(600));
    3 * x
}
