//! An exercise's manifest, `solutions/NN-topic/exercise.toml`: its title, crate, steps with their
//! points and hints, the data files it reads with their visibility, and its bench's kernels. Every
//! other place that names these is generated from it (`mlings sync`) or checked against it
//! (`mlings verify`); docs/authoring.md describes the format.
//!
//! The learner's crate carries a generated copy, `exercises/NN-topic/exercise.toml`, without the
//! hidden data files and the kernels: `mlings hint`, `reset --step` and the home screen read that
//! one, since a student release has no `solutions/`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::kit::{Exercise, Kit};

/// The manifest's file name, in `solutions/NN-topic/` and (generated) in `exercises/NN-topic/`.
pub const MANIFEST_FILE: &str = "exercise.toml";

/// One exercise's manifest.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// One line, for lists and READMEs.
    pub title: String,
    /// The learner's crate; the solution's is `<package>-solution`.
    pub package: String,
    /// The crates' description, after "mlings exercise NN: ".
    pub summary: String,
    /// The workspace dependencies both crates use (default: ndarray and thiserror).
    #[serde(default = "default_dependencies")]
    pub dependencies: Vec<String>,
    /// The workspace dependencies both crates' suites and plots use besides mlings-grader
    /// (default: rand and rand_distr).
    #[serde(default = "default_dev_dependencies", rename = "dev-dependencies")]
    pub dev_dependencies: Vec<String>,
    /// The steps, numbered 1, 2, … in order.
    #[serde(default)]
    pub step: Vec<Step>,
    /// Every file under `data/` the exercise reads.
    #[serde(default)]
    pub data: Vec<DataFile>,
    /// The kernels the exercise's bench measures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kernel: Vec<Kernel>,
}

fn default_dependencies() -> Vec<String> {
    vec!["ndarray".to_owned(), "thiserror".to_owned()]
}

fn default_dev_dependencies() -> Vec<String> {
    vec!["rand".to_owned(), "rand_distr".to_owned()]
}

/// One step of an exercise: its identity, its points, its files and its three tiers of hints.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step's number, as in the suite's `STEPS`.
    pub number: u32,
    /// The step's name, kebab-case, as in the suite's `STEPS` and the `lib.rs` step table.
    pub name: String,
    /// The sum of the suite's checks of this step, public and hidden.
    pub points: u32,
    /// The source files of the step, relative to the crate (`src/dense.rs`): what
    /// `mlings reset EXERCISE --step N` restores.
    #[serde(default)]
    pub files: Vec<String>,
    /// The source file or files, relative to the crate, that `near_solution` is code for: its
    /// functions replace the stub's functions of the same names there, and `mlings verify`
    /// compiles and grades the result. Without it, the near-solution is prose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near_solution_file: Option<NearSolutionFiles>,
    /// Tier 1: where to look.
    pub nudge: String,
    /// Tier 2: how to do it.
    pub method: String,
    /// Tier 3: all but the code.
    pub near_solution: String,
}

/// The file or files a near-solution is code for: `"src/mdp.rs"`, or
/// `["src/mdp.rs", "src/gridworld.rs"]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum NearSolutionFiles {
    /// One file: the whole near-solution is code for it.
    One(String),
    /// Several files: the near-solution gives each its own part, headed by a line naming it.
    Several(Vec<String>),
}

impl NearSolutionFiles {
    /// The files, in the manifest's order.
    pub fn paths(&self) -> &[String] {
        match self {
            NearSolutionFiles::One(file) => std::slice::from_ref(file),
            NearSolutionFiles::Several(files) => files,
        }
    }
}

impl Step {
    /// The three tiers, in order.
    pub fn tiers(&self) -> [&str; 3] {
        [&self.nudge, &self.method, &self.near_solution]
    }

    /// The files `near_solution` is code for; none when it is prose.
    pub fn near_solution_files(&self) -> &[String] {
        self.near_solution_file
            .as_ref()
            .map_or(&[], NearSolutionFiles::paths)
    }

    /// The near-solution's code for each of its files, in the order `near_solution_file` lists
    /// them; none when it is prose.
    ///
    /// A line `// src/gridworld.rs`, alone, starts the part of that file. With one file the
    /// heading is optional; with several, every part has one, and every file listed has a part.
    pub fn near_solution_parts(&self) -> Result<Vec<(&str, String)>> {
        let files = self.near_solution_files();
        let Some(first) = files.first() else {
            return Ok(Vec::new());
        };
        let mut parts: Vec<(&str, String)> = Vec::new();
        let mut current: Option<&str> = (files.len() == 1).then_some(first.as_str());
        for line in self.near_solution.lines() {
            if let Some(heading) = file_heading(line) {
                let Some(file) = files.iter().find(|f| *f == heading) else {
                    bail!(
                        "its near-solution has a part for {heading}, which near_solution_file \
                         does not list ({files:?})"
                    );
                };
                if parts.iter().any(|(f, _)| f == file) {
                    bail!("its near-solution has two parts for {file}");
                }
                current = Some(file);
                continue;
            }
            match current {
                Some(file) => match parts.iter_mut().find(|(f, _)| *f == file) {
                    Some((_, code)) => {
                        code.push_str(line);
                        code.push('\n');
                    }
                    None => parts.push((file, format!("{line}\n"))),
                },
                None if line.trim().is_empty() => {}
                None => bail!(
                    "its near-solution is code for several files ({files:?}): start each \
                     file's part with a line `// {first}`"
                ),
            }
        }
        for file in files {
            if !parts
                .iter()
                .any(|(f, code)| f == file && !code.trim().is_empty())
            {
                bail!("its near-solution has no code for {file}, which near_solution_file lists");
            }
        }
        parts.sort_by_key(|(f, _)| files.iter().position(|g| g == f));
        Ok(parts)
    }
}

/// The file a near-solution's line `// src/name.rs` heads the part of, if it is such a line.
fn file_heading(line: &str) -> Option<&str> {
    let path = line.trim().strip_prefix("//")?.trim();
    (path.starts_with("src/") && path.ends_with(".rs") && !path.contains(char::is_whitespace))
        .then_some(path)
}

/// A file under `data/` that an exercise reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    /// Relative to the kit root (`data/glm/challenger.tsv`).
    pub path: String,
    /// Whether it ships in the student release.
    pub visibility: Visibility,
}

/// Whether a data file ships in the student release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Ships: a public check, the plot or the learner's crate reads it.
    Public,
    /// Never ships: only hidden checks read it.
    Hidden,
}

/// A kernel of the exercise's bench: one criterion group.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Kernel {
    /// The criterion group name used in the bench.
    pub group: String,
    /// What limits it, and so which peak its rate is compared with.
    pub bound: Bound,
    /// Per criterion parameter, the work of one iteration.
    #[serde(default)]
    pub work: Vec<Work>,
}

/// What limits a kernel's speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// Arithmetic: rated in GFLOP/s against the core's peak.
    Compute,
    /// Memory traffic: rated in GB/s against the bandwidth.
    Memory,
}

/// The work of one iteration of a kernel at one size.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Work {
    /// The criterion parameter (`100000x32`).
    pub size: String,
    /// Floating-point operations.
    pub flops: f64,
    /// Bytes moved to and from memory.
    pub bytes: f64,
}

impl Manifest {
    /// Reads and validates a manifest; errors name the file and the key.
    pub fn load(path: &Path) -> Result<Manifest> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Self::parse(&text, path)
    }

    /// Parses and validates the text of the manifest at `path` (named in errors).
    pub fn parse(text: &str, path: &Path) -> Result<Manifest> {
        let manifest: Manifest = toml::from_str(text)
            .with_context(|| format!("{} is not a valid exercise manifest", path.display()))?;
        manifest
            .validate()
            .with_context(|| format!("{} is not a valid exercise manifest", path.display()))?;
        Ok(manifest)
    }

    /// The solution's manifest of the exercise in `solutions/<dir>/`.
    pub fn of_solution(kit: &Kit, dir: &str) -> Result<Manifest> {
        Self::load(&solution_manifest_path(kit, dir))
    }

    /// The learner's copy of `exercise`'s manifest, or `None` when the exercise has none.
    pub fn of_learner(kit: &Kit, exercise: &Exercise) -> Result<Option<Manifest>> {
        let path = kit.root.join(exercise.path()).join(MANIFEST_FILE);
        if !path.is_file() {
            return Ok(None);
        }
        Self::load(&path).map(Some)
    }

    fn validate(&self) -> Result<()> {
        if !is_kebab(&self.package) {
            bail!(
                "package = {:?}: a crate name in kebab-case (`logistic-regression`)",
                self.package
            );
        }
        for (key, text) in [("title", &self.title), ("summary", &self.summary)] {
            if text.trim().is_empty() || text.contains('\n') {
                bail!("{key} must be one non-empty line");
            }
        }
        for (index, step) in self.step.iter().enumerate() {
            let expected = index as u32 + 1;
            if step.number != expected {
                bail!(
                    "step[{index}].number is {}, expected {expected}: steps are numbered 1, 2, … \
                     in order",
                    step.number
                );
            }
            if !is_kebab(&step.name) {
                bail!(
                    "step[{index}].name = {:?}: a name in kebab-case (`stable-functions`)",
                    step.name
                );
            }
            let near = step.near_solution_files();
            for file in step.files.iter().chain(near) {
                if !file.starts_with("src/") || !file.ends_with(".rs") || file.contains("..") {
                    bail!(
                        "step[{index}] (`{}`) names {file:?}: a Rust file of the crate, as \
                         `src/name.rs`",
                        step.name
                    );
                }
            }
            if step.near_solution_file.is_some() && near.is_empty() {
                bail!(
                    "step[{index}] (`{}`): near_solution_file lists no file",
                    step.name
                );
            }
            if let Some(twice) = near
                .iter()
                .enumerate()
                .find_map(|(i, f)| near[..i].contains(f).then_some(f))
            {
                bail!(
                    "step[{index}] (`{}`): near_solution_file lists {twice:?} twice",
                    step.name
                );
            }
            step.near_solution_parts()
                .with_context(|| format!("step[{index}] (`{}`)", step.name))?;
        }
        for (index, data) in self.data.iter().enumerate() {
            if !data.path.starts_with("data/") || data.path.contains("..") {
                bail!(
                    "data[{index}].path = {:?}: a file under data/, relative to the kit root",
                    data.path
                );
            }
            if self.data[..index].iter().any(|d| d.path == data.path) {
                bail!("data[{index}].path = {:?} is declared twice", data.path);
            }
        }
        for (index, kernel) in self.kernel.iter().enumerate() {
            if kernel.group.trim().is_empty() {
                bail!("kernel[{index}].group is empty");
            }
            for (w, work) in kernel.work.iter().enumerate() {
                if !(work.flops >= 0.0 && work.bytes >= 0.0) {
                    bail!(
                        "kernel[{index}].work[{w}] (`{}`): flops and bytes must be counts, \
                         not negative",
                        work.size
                    );
                }
            }
        }
        Ok(())
    }

    /// The total of the steps' points.
    pub fn points(&self) -> u32 {
        self.step.iter().map(|s| s.points).sum()
    }

    /// The learner's copy: the same manifest without hidden data files and kernels.
    pub fn learner_copy(&self) -> Manifest {
        let mut copy = self.clone();
        copy.data.retain(|d| d.visibility == Visibility::Public);
        copy.kernel.clear();
        copy
    }
}

/// Where the solution's manifest of the exercise in `solutions/<dir>/` is.
pub fn solution_manifest_path(kit: &Kit, dir: &str) -> PathBuf {
    kit.root.join("solutions").join(dir).join(MANIFEST_FILE)
}

/// Every exercise with a manifest in `solutions/`, in order of its directory name.
pub fn authored(kit: &Kit) -> Result<Vec<(Exercise, Manifest)>> {
    let solutions = kit.root.join("solutions");
    if !solutions.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&solutions)
        .with_context(|| format!("cannot read {}", solutions.display()))?
    {
        let entry = entry?;
        let dir = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().join(MANIFEST_FILE).is_file() {
            continue;
        }
        let manifest = Manifest::of_solution(kit, &dir)?;
        found.push((
            Exercise {
                dir,
                package: manifest.package.clone(),
            },
            manifest,
        ));
    }
    found.sort_by(|a, b| a.0.dir.cmp(&b.0.dir));
    Ok(found)
}

/// Whether `name` is lowercase ASCII words joined by single hyphens (`neural-network`, `qr`).
pub fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
title = "Tiny"
package = "tiny"
summary = "adding numbers."

[[step]]
number = 1
name = "add"
points = 3
files = ["src/lib.rs"]
nudge = "look"
method = "do"
near_solution = "almost"

[[data]]
path = "data/tiny/public.txt"
visibility = "public"

[[data]]
path = "data/tiny/secret.txt"
visibility = "hidden"

[[kernel]]
group = "add"
bound = "memory"
work = [{ size = "1000", flops = 1e3, bytes = 2.4e4 }]
"#;

    fn parse(text: &str) -> Result<Manifest> {
        Manifest::parse(text, Path::new("solutions/01-tiny/exercise.toml"))
    }

    #[test]
    fn parses_every_part_of_the_schema() {
        let manifest = parse(SAMPLE).unwrap();
        assert_eq!(manifest.points(), 3);
        assert_eq!(manifest.dependencies, ["ndarray", "thiserror"]);
        assert_eq!(manifest.kernel[0].bound, Bound::Memory);
        assert_eq!(manifest.kernel[0].work[0].bytes, 2.4e4);
        assert_eq!(manifest.data[1].visibility, Visibility::Hidden);
    }

    #[test]
    fn the_learner_copy_round_trips_without_hidden_data_or_kernels() {
        let copy = parse(SAMPLE).unwrap().learner_copy();
        let text = toml::to_string(&copy).unwrap();
        assert!(
            !text.contains("secret") && !text.contains("kernel"),
            "{text}"
        );
        assert_eq!(parse(&text).unwrap(), copy);
    }

    #[test]
    fn errors_name_the_file_and_the_key() {
        let message = |text: &str| format!("{:#}", parse(text).unwrap_err());
        let unknown = message(&SAMPLE.replace("points = 3", "points = 3\npionts = 4"));
        assert!(
            unknown.contains("exercise.toml") && unknown.contains("pionts"),
            "{unknown}"
        );
        let missing = message(&SAMPLE.replace("points = 3\n", ""));
        assert!(missing.contains("points"), "{missing}");
        let visibility = message(&SAMPLE.replace("\"hidden\"", "\"secret\""));
        assert!(visibility.contains("secret"), "{visibility}");
        let numbered = message(&SAMPLE.replace("number = 1", "number = 2"));
        assert!(numbered.contains("step[0].number"), "{numbered}");
        let data = message(&SAMPLE.replace("data/tiny/public.txt", "/etc/passwd"));
        assert!(data.contains("data[0].path"), "{data}");
    }

    #[test]
    fn a_near_solution_for_several_files_gives_each_its_part() {
        let one = SAMPLE.replace(
            "near_solution = \"almost\"",
            "near_solution_file = \"src/lib.rs\"\nnear_solution = \"fn add() {}\"",
        );
        let step = &parse(&one).unwrap().step[0];
        assert_eq!(
            step.near_solution_parts().unwrap(),
            [("src/lib.rs", "fn add() {}\n".to_owned())]
        );
        // Listed first, written second: the parts come in the list's order.
        let several = SAMPLE.replace(
            "near_solution = \"almost\"",
            "near_solution_file = [\"src/a.rs\", \"src/b.rs\"]\n\
             near_solution = \"\"\"\n// src/b.rs\nfn b() {}\n\n// src/a.rs\nfn a() {}\"\"\"",
        );
        let manifest = parse(&several).unwrap();
        assert_eq!(
            manifest.step[0].near_solution_parts().unwrap(),
            [
                ("src/a.rs", "fn a() {}\n".to_owned()),
                ("src/b.rs", "fn b() {}\n\n".to_owned())
            ]
        );
        let text = toml::to_string(&manifest).unwrap();
        assert_eq!(parse(&text).unwrap(), manifest);
        let message = |text: &str| format!("{:#}", parse(text).unwrap_err());
        let unheaded = message(&several.replace("// src/b.rs\n", ""));
        assert!(unheaded.contains("// src/a.rs"), "{unheaded}");
        let missing = message(&several.replace("// src/a.rs\nfn a() {}", ""));
        assert!(missing.contains("no code for src/a.rs"), "{missing}");
        let unlisted = message(&several.replace("// src/a.rs", "// src/c.rs"));
        assert!(unlisted.contains("src/c.rs"), "{unlisted}");
        let twice = message(&several.replace("\"src/b.rs\"]", "\"src/a.rs\"]"));
        assert!(twice.contains("twice"), "{twice}");
    }

    #[test]
    fn kebab_case_is_lowercase_words_and_single_hyphens() {
        for good in ["qr", "neural-network", "q-value-iteration", "l2-penalty"] {
            assert!(is_kebab(good), "{good}");
        }
        for bad in ["", "Qr", "a--b", "-a", "a-", "a_b", "2d", "a b"] {
            assert!(!is_kebab(bad), "{bad}");
        }
    }
}
