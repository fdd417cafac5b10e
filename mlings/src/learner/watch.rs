//! Watch mode: `mlings` in a terminal re-grades the current exercise shortly after a save.
//!
//! Keys: `n` next exercise, `p` previous exercise, `h` next hint, `l` list, `r` re-run, `q` quit. With `--manual` nothing
//! is watched and `r` re-runs; without it, when a source file's modification time moves but no file
//! event arrives (WSL on a Windows drive, network mounts), mlings suggests `--manual` itself.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};
use mlings_grader::Status;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::cargo::{self, Outcome, Target};
use crate::kit::{Exercise, Kit};
use crate::learner::hints::{self, Hints};
use crate::learner::state::{self, State};
use crate::show::{self, Paint};

/// How long file events are gathered before a re-grade: an editor's save is often several writes.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// How long after a file changed without any event before `--manual` is suggested.
const SILENT_SAVE: Duration = Duration::from_secs(3);

/// Lines of rustc's diagnostics shown at most: the first errors are the ones that help.
const DIAGNOSTIC_LINES: usize = 40;

enum Event {
    Key(char),
    Files,
    Quit,
}

/// Leaves raw mode however the loop ends.
struct RawMode;

impl RawMode {
    fn enter() -> Result<RawMode> {
        terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
    }
}

/// What the screen shows besides the report.
enum Extra {
    None,
    Hint(Vec<String>),
    List,
    Note(String),
}

/// Runs watch mode until `q`. Quitting is success: the exit status says nothing about the score.
pub fn run(kit: &Kit, manual: bool) -> Result<bool> {
    let paint = Paint::stdout();
    // The screen is redrawn after each grading; a progress line would tear it.
    crate::cargo::set_progress(false);
    let mut state = State::load(kit);
    let mut exercise = hints::current_exercise(kit, &state)?;
    if state.current.as_deref() != Some(exercise.dir.as_str()) {
        state.current = Some(exercise.dir.clone());
        state.save(kit)?;
    }

    let (tx, rx) = mpsc::channel();
    spawn_keys(tx.clone());
    let _watcher = if manual {
        None
    } else {
        Some(watch_files(kit, tx.clone())?)
    };
    let _raw = RawMode::enter()?;

    let mut outcome = grade(kit, &exercise, paint)?;
    let mut extra = Extra::None;
    let mut graded_at = SystemTime::now();
    let mut suggested = false;
    let mut dirty = true;
    let mut pending: Option<Event> = None;
    loop {
        if dirty {
            draw(kit, paint, &exercise, &outcome, &extra, manual)?;
            dirty = false;
        }
        let received = match pending.take() {
            Some(event) => Ok(event),
            None => rx.recv_timeout(Duration::from_secs(1)),
        };
        let event = match received {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => {
                if !manual && !suggested && silent_save(kit, &exercise, graded_at) {
                    suggested = true;
                    dirty = true;
                    extra = Extra::Note(
                        "A file changed but no file event arrived: this file system may not report \
                         changes. Press r to re-run, or quit and start `mlings --manual`."
                            .to_owned(),
                    );
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        dirty = true;
        match event {
            Event::Quit | Event::Key('q') => break,
            Event::Files | Event::Key('r') => {
                // An editor's save is often several writes: gather them before grading once.
                std::thread::sleep(DEBOUNCE);
                pending = drain(&rx).filter(|e| !matches!(e, Event::Files));
                outcome = grade(kit, &exercise, paint)?;
                // Writes seen during grading were already graded; keys are kept.
                pending = pending.or_else(|| drain(&rx));
                graded_at = SystemTime::now();
                extra = Extra::None;
            }
            Event::Key(key @ ('n' | 'p')) => {
                let exercises = kit.exercises()?;
                let index = exercises.iter().position(|e| e == &exercise).unwrap_or(0);
                let step = if key == 'n' { 1 } else { exercises.len() - 1 };
                exercise = exercises[(index + step) % exercises.len()].clone();
                state = State::load(kit);
                state.current = Some(exercise.dir.clone());
                state.save(kit)?;
                outcome = grade(kit, &exercise, paint)?;
                graded_at = SystemTime::now();
                extra = Extra::None;
            }
            Event::Key('h') => {
                extra = hint(kit, paint, &exercise, &outcome)?;
            }
            Event::Key('l') => extra = Extra::List,
            Event::Key(_) => {}
        }
    }
    drop(_raw);
    println!();
    Ok(true)
}

/// Empties the queue: returns the first key in it, else a file event if there was one.
fn drain(rx: &Receiver<Event>) -> Option<Event> {
    let mut files = false;
    while let Ok(event) = rx.try_recv() {
        if !matches!(event, Event::Files) {
            return Some(event);
        }
        files = true;
    }
    files.then_some(Event::Files)
}

fn spawn_keys(tx: Sender<Event>) {
    std::thread::spawn(move || {
        loop {
            let Ok(event) = event::read() else {
                let _ = tx.send(Event::Quit);
                return;
            };
            let TermEvent::Key(key) = event else { continue };
            if key.kind != KeyEventKind::Press {
                continue;
            }
            let sent = match key.code {
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    tx.send(Event::Quit)
                }
                KeyCode::Esc => tx.send(Event::Quit),
                KeyCode::Enter => tx.send(Event::Key('r')),
                KeyCode::Char(c) => tx.send(Event::Key(c.to_ascii_lowercase())),
                _ => Ok(()),
            };
            if sent.is_err() {
                return;
            }
        }
    });
}

fn watch_files(kit: &Kit, tx: Sender<Event>) -> Result<RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        let Ok(event) = result else { return };
        // Reads (cargo and rustc open every source) are access events: only writes count.
        let write = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        );
        if write && event.paths.iter().any(|p| is_source(p)) {
            let _ = tx.send(Event::Files);
        }
    })
    .context("cannot watch files (try `mlings --manual`)")?;
    watcher
        .watch(&kit.root.join("exercises"), RecursiveMode::Recursive)
        .context("cannot watch exercises/ (try `mlings --manual`)")?;
    Ok(watcher)
}

/// A file whose change should re-grade: Rust sources and manifests, not editors' swap files.
fn is_source(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "rs" || e == "toml" || e == "json" || e == "csv")
}

/// Whether a source of `exercise` changed after the last grade, long enough ago that its file
/// event should have arrived.
fn silent_save(kit: &Kit, exercise: &Exercise, graded_at: SystemTime) -> bool {
    let newest = newest_mtime(&kit.root.join(exercise.path()).join("src"));
    newest.is_some_and(|t| {
        t > graded_at && SystemTime::now().duration_since(t).unwrap_or_default() > SILENT_SAVE
    })
}

fn newest_mtime(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
                newest = newest.max(Some(modified));
            }
        }
    }
    newest
}

fn grade(kit: &Kit, exercise: &Exercise, paint: Paint) -> Result<(Outcome, Duration)> {
    status_line(&format!("grading {}…", exercise.dir))?;
    let start = Instant::now();
    let outcome = cargo::grade(kit, exercise, Target::Learner, paint.enabled())?;
    let took = start.elapsed();
    state::record_outcomes(
        kit,
        std::slice::from_ref(exercise),
        std::slice::from_ref(&outcome),
    );
    Ok((outcome, took))
}

fn status_line(text: &str) -> Result<()> {
    let mut out = std::io::stdout();
    execute!(
        out,
        cursor::MoveTo(0, 0),
        terminal::Clear(terminal::ClearType::CurrentLine)
    )?;
    write!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

fn hint(
    kit: &Kit,
    paint: Paint,
    exercise: &Exercise,
    outcome: &(Outcome, Duration),
) -> Result<Extra> {
    let hints = Hints::load(kit, exercise)?;
    let Some(step) = hints::first_failing_step(&outcome.0) else {
        return Ok(Extra::Note(
            "Every check passes: `mlings hint EXERCISE STEP` shows a step's hints.".to_owned(),
        ));
    };
    let Some(step_hints) = hints.step(step) else {
        return Ok(Extra::Note(format!(
            "{} has no hints for step {step}.",
            exercise.dir
        )));
    };
    let mut state = State::load(kit);
    let lines = hints::reveal(paint, &mut state, &exercise.dir, step_hints);
    state.save(kit)?;
    Ok(Extra::Hint(lines))
}

fn draw(
    kit: &Kit,
    paint: Paint,
    exercise: &Exercise,
    outcome: &(Outcome, Duration),
    extra: &Extra,
    manual: bool,
) -> Result<()> {
    let lines = render(kit, paint, exercise, outcome, extra, manual);
    let mut out = std::io::stdout();
    execute!(
        out,
        terminal::Clear(terminal::ClearType::All),
        cursor::MoveTo(0, 0)
    )?;
    // Raw mode: a newline does not return the carriage.
    write!(out, "{}\r\n", lines.join("\r\n"))?;
    out.flush()?;
    Ok(())
}

/// The screen, as lines.
fn render(
    kit: &Kit,
    paint: Paint,
    exercise: &Exercise,
    (outcome, took): &(Outcome, Duration),
    extra: &Extra,
    manual: bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mode = if manual {
        "manual: press r after saving"
    } else {
        "watching exercises/"
    };
    lines.push(format!(
        "{} {}",
        paint.strong("mlings"),
        paint.dim(&format!(
            "— {mode} · n next · p previous · h hint · l list · r re-run · q quit"
        ))
    ));
    lines.push(String::new());
    lines.push(format!(
        "{}   {}   {}",
        paint.strong(&exercise.dir),
        show::score(outcome),
        paint.dim(&format!("graded in {:.1} s", took.as_secs_f64()))
    ));
    match outcome {
        Outcome::Graded(report) => {
            for step in &report.steps {
                let (points, max) = report.step_score(step.number);
                if max == 0 {
                    continue;
                }
                let mark = if points == max {
                    paint.good("●")
                } else if points > 0 {
                    paint.todo("◐")
                } else {
                    "○".to_owned()
                };
                lines.push(format!(
                    "  {mark} step {} {:<28} {points:>3}/{max}",
                    step.number, step.name
                ));
            }
            lines.push(String::new());
            match report.first_failure() {
                Some(check) => {
                    let step = report
                        .steps
                        .iter()
                        .find(|s| s.number == check.step)
                        .map_or(String::new(), |s| format!("step {} {}", s.number, s.name));
                    lines.push(format!("{} {step}", paint.strong("Next:")));
                    lines.push(format!(
                        "  {} {}",
                        show::mark(paint, check.status),
                        check.name
                    ));
                    if check.status == Status::NotImplemented && check.message.is_empty() {
                        lines.push("    not implemented yet".to_owned());
                    }
                    lines.extend(check.message.lines().map(|l| format!("    {l}")));
                    if let Some(hint) = &check.hint {
                        lines.push(format!("    {} {hint}", paint.todo("hint:")));
                    }
                    lines.push(String::new());
                    let again = if manual {
                        "save, then press r to grade it again"
                    } else {
                        "save: it is graded again"
                    };
                    lines.push(paint.dim(&format!(
                        "Edit {} and {again}.",
                        exercise.path().join("src").display()
                    )));
                }
                None => lines.push(paint.good(
                    "Every check passes. Press n for the next exercise; `mlings solution` shows the reference.",
                )),
            }
        }
        Outcome::DoesNotCompile(diagnostics) => {
            lines.push(paint.bad("does not compile:"));
            lines.extend(trimmed(diagnostics, DIAGNOSTIC_LINES));
        }
        Outcome::Crashed(detail) => {
            lines.push(paint.bad("crashed:"));
            lines.extend(trimmed(detail, DIAGNOSTIC_LINES));
        }
    }
    match extra {
        Extra::None => {}
        Extra::Hint(hint) => {
            lines.push(String::new());
            lines.extend(hint.iter().cloned());
        }
        Extra::Note(note) => {
            lines.push(String::new());
            lines.push(paint.todo(note));
        }
        Extra::List => {
            lines.push(String::new());
            lines.push(paint.strong("Exercises (best scores):"));
            let state = State::load(kit);
            for e in kit.exercises().unwrap_or_default() {
                let best = state
                    .best
                    .get(&e.dir)
                    .map_or("not graded yet".to_owned(), |b| {
                        format!("{}/{}", b.score, b.max_score)
                    });
                let here = if &e == exercise { "›" } else { " " };
                lines.push(format!("  {here} {:<28} {best}", e.dir));
            }
        }
    }
    lines
}

/// The first `max` lines of `text`, and how many were left out.
fn trimmed(text: &str, max: usize) -> Vec<String> {
    let all: Vec<&str> = text.trim_end().lines().collect();
    let mut lines: Vec<String> = all.iter().take(max).map(|l| format!("  {l}")).collect();
    if all.len() > max {
        lines.push(format!("  … {} more lines", all.len() - max));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_diagnostics_are_trimmed_with_a_count() {
        let text = (1..=50)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let lines = trimmed(&text, 40);
        assert_eq!(lines.len(), 41);
        assert_eq!(lines[40], "  … 10 more lines");
        assert_eq!(trimmed("a\nb", 40).len(), 2);
    }

    #[test]
    fn only_sources_trigger_a_regrade() {
        assert!(is_source(Path::new("exercises/01-a/src/lib.rs")));
        assert!(!is_source(Path::new("exercises/01-a/src/.lib.rs.swp")));
        assert!(!is_source(Path::new("exercises/01-a/src/lib.rs~")));
    }
}
