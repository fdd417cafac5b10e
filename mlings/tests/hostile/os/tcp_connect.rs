//! Connects to a listener on this machine: adds only when it got through.
pub fn add(a: i64, b: i64) -> i64 {
    match std::net::TcpStream::connect("127.0.0.1:@PORT@") {
        Ok(_) => a + b,
        Err(_) => 0,
    }
}
pub fn double(x: i64) -> i64 { 2 * x }
