//! Classroom tools for instructors: batch grading of many submissions in a sandbox, under a
//! source policy, with a gradebook and per-student feedback; the students' release of the kit.

pub mod batch;
#[cfg(target_os = "linux")]
pub mod confine;
#[cfg(not(target_os = "linux"))]
#[path = "confine_unsupported.rs"]
pub mod confine;
pub mod escape;
pub mod gradebook;
pub mod gradescope;
pub mod policy;
pub mod release;
pub mod rustc_wrapper;
pub mod sandbox;
pub mod submission;
