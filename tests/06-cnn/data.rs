//! The 8×8 digits shipped with the kit (`data/digits/`), one loader for the suite and the plots,
//! read by the crate under test (`crate::sut`).

/// The file, compiled in: a batch-graded suite may open no file once the student's code can run.
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../data/digits/digits.csv.gz");

/// The 1,797 digits as `(N, 1, 8, 8)` images, as the crate under test's `read_digits` reads them.
pub fn digits() -> Result<crate::sut::Images, String> {
    crate::sut::read_digits(DIGITS_CSV_GZ)
        .map_err(|e| format!("cannot read the kit's digits (data/digits/digits.csv.gz): {e}"))
}
