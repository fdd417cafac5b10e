//! The worker pool of a batch: one worker per job slot, each grading submissions from one queue
//! in its own scratch kit until the queue is empty.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Result, bail};
use indicatif::ProgressBar;

use super::scratch::{lock_slot, slot_dir};
use super::{Job, not_graded, student_name};
use crate::classroom::{escape, sandbox};
use crate::outcome::StudentResult;

/// Grades every submission of `entries` with `jobs` workers, slots under `target`; each result
/// comes with whether it was reused unchanged from the last run.
pub fn grade_all(
    entries: Vec<PathBuf>,
    jobs: usize,
    target: &Path,
    bar: &ProgressBar,
    job: &Job<'_>,
) -> Result<Vec<(StudentResult, bool)>> {
    let queue = Mutex::new(entries.into_iter().collect::<VecDeque<_>>());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| -> Result<()> {
        let mut workers = Vec::new();
        for slot in 0..jobs {
            let (queue, results) = (&queue, &results);
            workers.push(scope.spawn(move || -> Result<()> {
                // Each slot is a copy of the kit at a fixed path with its own target directory,
                // shared by every submission the slot grades: cargo's fingerprints stay right and
                // only the student's crate recompiles. A lock keeps two batches apart.
                let scratch = slot_dir(target, slot);
                let _lock = lock_slot(&scratch, |m| bar.println(m))?;
                // Its own users while it grades, apart from every other slot on this machine.
                let lease = sandbox::lease_user(slot)?;
                let user = lease.as_ref().map(|l| l.uid);
                loop {
                    let Some(entry) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
                    else {
                        return Ok(());
                    };
                    let name = student_name(&entry);
                    bar.set_message(name.clone());
                    // One submission, however hostile, never stops the batch: whatever goes
                    // wrong becomes its row.
                    let graded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        job.grade(&entry, &scratch, user)
                    }))
                    .map_err(|_| anyhow::anyhow!("the grader panicked"))
                    .and_then(|r| r);
                    let result = graded.unwrap_or_else(|err| {
                        bar.println(format!("mlings: {}: {err:#}", escape::one_line(&name)));
                        (not_graded(&name, job.exercises, &err), false)
                    });
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(result);
                    bar.inc(1);
                }
            }));
        }
        for worker in workers {
            match worker.join() {
                Ok(result) => result?,
                Err(_) => bail!("a grading worker panicked"),
            }
        }
        Ok(())
    })?;
    Ok(results.into_inner().unwrap_or_else(|e| e.into_inner()))
}
