//! Classroom tools for instructors: batch grading of many submissions in a sandbox, under a
//! source policy, with a gradebook and per-student feedback; the students' release of the kit.

pub mod batch;
pub mod escape;
pub mod gradebook;
pub mod gradescope;
pub mod policy;
pub mod release;
pub mod sandbox;
pub mod submission;
pub mod verdict;
