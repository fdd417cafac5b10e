//! `mlings new NN-topic`: scaffolds an exercise whose stub fails and whose solution passes
//! `mlings verify` at once: a manifest with one step, a solution with one marked function and a
//! typed error, a suite with one public and one hidden check, a hint, a plot, a bench and an empty
//! mistake corpus. Then `mlings sync` generates the learner's crate and the boilerplate, so the
//! exercise needs no edit outside its own folders.
//!
//! The templates are in `mlings/templates/new/`; `{{NAME}}` placeholders are filled in from the
//! exercise's directory name.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::kit::Kit;
use crate::manifest::{self, MANIFEST_FILE};
use crate::sync;

/// Crate names the kit itself uses: an exercise may not take them.
const RESERVED: &[&str] = &["mlings", "mlings-grader", "mlings-benches"];

/// Each template and where it goes, relative to the kit root (`{{DIR}}` and `{{LIB}}` filled in).
const TEMPLATES: &[(&str, &str)] = &[
    (
        "solutions/{{DIR}}/exercise.toml",
        include_str!("../templates/new/exercise.toml.in"),
    ),
    (
        "solutions/{{DIR}}/src/lib.rs",
        include_str!("../templates/new/lib.rs.in"),
    ),
    (
        "solutions/{{DIR}}/src/error.rs",
        include_str!("../templates/new/error.rs.in"),
    ),
    (
        "solutions/{{DIR}}/src/scale.rs",
        include_str!("../templates/new/scale.rs.in"),
    ),
    (
        "solutions/{{DIR}}/benches/{{LIB}}.rs",
        include_str!("../templates/new/bench.rs.in"),
    ),
    (
        "tests/{{DIR}}/mod.rs",
        include_str!("../templates/new/mod.rs.in"),
    ),
    (
        "tests/{{DIR}}/steps.rs",
        include_str!("../templates/new/steps.rs.in"),
    ),
    (
        "tests/{{DIR}}/public.rs",
        include_str!("../templates/new/public.rs.in"),
    ),
    (
        "tests/{{DIR}}/hidden.rs",
        include_str!("../templates/new/hidden.rs.in"),
    ),
    (
        "tests/{{DIR}}/plot.rs",
        include_str!("../templates/new/plot.rs.in"),
    ),
    (
        "corpus/{{DIR}}/corpus.toml",
        include_str!("../templates/new/corpus.toml.in"),
    ),
];

/// The names an exercise's directory gives everything else.
struct Names {
    /// `04-logistic-regression`.
    dir: String,
    /// `04`.
    number: String,
    /// `logistic-regression`: the learner's crate.
    package: String,
}

impl Names {
    /// Parses `NN-topic`, or says what a valid name looks like.
    fn parse(name: &str) -> Result<Names> {
        let valid = name.len() > 3
            && name.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && name.as_bytes()[2] == b'-'
            && manifest::is_kebab(&name[3..]);
        if !valid {
            bail!(
                "`{name}` is not an exercise name: two digits, a hyphen and a topic in lowercase \
                 kebab-case, such as `04-logistic-regression`"
            );
        }
        Ok(Names {
            dir: name.to_owned(),
            number: name[..2].to_owned(),
            package: name[3..].to_owned(),
        })
    }

    fn fill(&self, template: &str) -> String {
        let lib = self.package.replace('-', "_");
        let camel: String = self
            .package
            .split('-')
            .map(|word| {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            })
            .collect();
        let topic = self.package.replace('-', " ");
        let title = topic[..1].to_ascii_uppercase() + &topic[1..];
        template
            .replace("{{DIR}}", &self.dir)
            .replace("{{NN}}", &self.number)
            .replace("{{N}}", self.number.trim_start_matches('0'))
            .replace("{{PKG}}", &self.package)
            .replace("{{LIB}}", &lib)
            .replace("{{ERR}}", &format!("{camel}Error"))
            .replace("{{TITLE}}", &title)
            .replace("{{TOPIC}}", &topic)
    }
}

/// `mlings new NN-topic`: returns whether the exercise was created and synced.
pub fn run(kit: &Kit, name: &str) -> Result<bool> {
    let names = Names::parse(name)?;
    if !kit.root.join("solutions").is_dir() {
        bail!(
            "this kit has no solutions/ (a student release has none): `mlings new` is for authors"
        );
    }
    for top in ["solutions", "exercises", "tests", "corpus"] {
        let path = Path::new(top).join(&names.dir);
        if kit.root.join(&path).exists() {
            bail!(
                "{} already exists: exercise {} is there; choose another name",
                path.display(),
                names.dir
            );
        }
    }
    let mut existing = manifest::authored(kit)?
        .into_iter()
        .map(|(e, _)| e)
        .collect::<Vec<_>>();
    existing.extend(kit.exercises()?);
    if let Some(other) = existing
        .iter()
        .find(|e| e.dir.starts_with(&format!("{}-", names.number)))
    {
        bail!(
            "exercise number {} is taken by {}: choose another number",
            names.number,
            other.dir
        );
    }
    if RESERVED.contains(&names.package.as_str())
        || existing.iter().any(|e| e.package == names.package)
    {
        bail!(
            "the crate name `{}` is taken in this kit: choose another topic",
            names.package
        );
    }

    let mut written = Vec::new();
    for (path, template) in TEMPLATES {
        let path = names.fill(path);
        let target = kit.root.join(&path);
        std::fs::create_dir_all(target.parent().expect("a file in a folder"))?;
        std::fs::write(&target, names.fill(template))
            .with_context(|| format!("cannot write {}", target.display()))?;
        written.push(path);
    }
    for path in &written {
        println!("created {path}");
    }
    let synced = sync::run(
        kit,
        sync::Options {
            check: false,
            force: false,
        },
    )?;
    println!(
        "\nExercise {dir} is scaffolded: its stub scores 0 and its solution full marks.\n\
         Next: write the statement in solutions/{dir}/src/lib.rs, the steps in \
         solutions/{dir}/{MANIFEST_FILE}, the checks in tests/{dir}/, then `mlings sync` and \
         `mlings verify` (docs/authoring.md).",
        dir = names.dir
    );
    Ok(synced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_two_digits_and_a_kebab_topic() {
        let names = Names::parse("04-logistic-regression").unwrap();
        assert_eq!(names.package, "logistic-regression");
        assert_eq!(
            names.fill("{{N}} {{LIB}} {{ERR}} {{TITLE}}"),
            "4 logistic_regression LogisticRegressionError Logistic regression"
        );
        for bad in [
            "4-x", "04_x", "04-", "04-X", "04-a_b", "ab-cd", "004-x", "04-2d",
        ] {
            let message = Names::parse(bad).err().map(|e| e.to_string());
            assert!(message.is_some_and(|m| m.contains("two digits")), "{bad}");
        }
    }

    #[test]
    fn every_template_placeholder_is_filled() {
        let names = Names::parse("09-a-b").unwrap();
        for (path, template) in TEMPLATES {
            let text = names.fill(template) + &names.fill(path);
            assert!(!text.contains("{{"), "{path}: {text}");
        }
    }
}
