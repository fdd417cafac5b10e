//! Public checks of exercise 07: the worked example of the crate docs, the exact counts and
//! losses of `names.txt` (curriculum anchors, makemore's figures recomputed in f64), the kit's
//! oracle (`oracle.rs`) and seeded statistical checks. Shipped to learners.

use mlings_grader::assert::{Tol, close, close_array, ensure, near};
use mlings_grader::guard::catch_panic;
use mlings_grader::{Check, OutcomeExt, expect_err, fail, ok};
use ndarray::{Array1, Array2, array};

use super::steps::{
    BIGRAM_MODEL, INITIALISATION, MLP, NEURAL_BIGRAM, SAMPLING, SMOOTHING_SPLIT, VOCABULARY,
};
use super::{BIGRAMS, NAMES, kit_order, kit_split, names, oracle};
use crate::sut;

/// Bigram negative log-likelihood of names.txt under its own counts (curriculum anchors).
pub const ML_NLL: f64 = 2.4540144891548743;
/// The same with add-one smoothing (curriculum anchors).
pub const ADD_ONE_NLL: f64 = 2.454576820115704;
/// ln 27: the loss of a uniform guess.
pub const LN_27: f64 = 3.295836866004329;
/// Sums of 228,146 logarithms in another order differ by a few 1e-13 relative.
const SUM_TOL: Tol = Tol::rel(1e-12);
/// Element-wise results computed with the same operations as the oracle's.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-14);

/// The bigrams of "emma", by hand from `.emma.`.
const EMMA: [(usize, usize); 5] = [(0, 5), (5, 13), (13, 13), (13, 1), (1, 0)];

/// Every public check.
pub fn checks() -> Vec<Check> {
    let mut checks = vocabulary();
    checks.extend(bigram_model());
    checks.extend(smoothing_split());
    checks.extend(neural_bigram());
    checks.extend(mlp());
    checks.extend(initialisation());
    checks.extend(sampling());
    checks
}

fn vocabulary() -> Vec<Check> {
    vec![
        Check::public(
            VOCABULARY,
            "encode_maps_the_boundary_and_letters",
            2,
            || {
                for (ch, want) in [('.', 0), ('a', 1), ('m', 13), ('z', 26)] {
                    let got = ok(sut::encode(ch))?;
                    ensure(got == want, || {
                        format!("encode({ch:?}) = {got}, expected {want}")
                    })
                    .hint_if(
                        got + 1 == want,
                        "'a' is token 1: token 0 is the boundary '.'",
                    )?;
                }
                expect_err("the uppercase 'E'", sut::encode('E'), |e| {
                    matches!(e, sut::LanguageModelError::InvalidCharacter { .. })
                })
            },
        ),
        Check::public(VOCABULARY, "bigrams_of_emma_frame_it_with_dots", 2, || {
            // `.emma.` by hand: (., e) (e, m) (m, m) (m, a) (a, .).
            let got = ok(sut::bigrams(&["emma"]))?;
            ensure(got == EMMA, || {
                format!("bigrams([\"emma\"]) = {got:?}, expected {EMMA:?}")
            })
            .hint_if(
                got == EMMA[1..],
                "the start token is missing: the first pair is (., e)",
            )
            .hint_if(
                got == EMMA[..4],
                "the end token is missing: the last pair is (a, .)",
            )
        }),
        Check::public(VOCABULARY, "counts_of_names_txt_sum_to_228146", 4, || {
            // 32,033 names of 196,113 letters: one more bigram per name, 228,146 (anchors).
            let names = names();
            let got = ok(sut::bigram_counts(&names))?;
            ensure(got.shape() == [27, 27], || {
                format!("bigram_counts: shape {:?}, expected [27, 27]", got.shape())
            })?;
            let total = got.sum();
            let no_start = got.row(0).sum() == 0;
            let no_end = got.column(0).sum() == 0;
            ensure(total == BIGRAMS, || {
                format!("the counts of names.txt sum to {total}, expected {BIGRAMS}")
            })
            .hint_if(
                no_start,
                "the start token is missing: row '.' counts each name's first letter",
            )
            .hint_if(
                no_end,
                "the end token is missing: column '.' counts each name's last letter",
            )?;
            let want = oracle::counts(&names);
            match got.indexed_iter().find(|&(i, v)| *v != want[i]) {
                Some(((a, b), v)) => fail(format!(
                    "N[{:?}, {:?}] = {v}, expected {}",
                    sut::decode(a),
                    sut::decode(b),
                    want[[a, b]]
                ))
                .hint_if(
                    got.t() == want,
                    "the table is transposed: N[a, b] counts b after a",
                ),
                None => Ok(()),
            }
        }),
    ]
}

fn bigram_model() -> Vec<Check> {
    vec![
        Check::public(BIGRAM_MODEL, "probabilities_rows_sum_to_one", 3, || {
            // The loss cannot tell the axis on names.txt (each letter has as many successors as
            // predecessors): the rows can.
            let counts = oracle::counts(&names());
            let got = ok(sut::probabilities(counts.view()))?;
            let want = oracle::probabilities(&counts, 0.0);
            let columns = got.sum_axis(ndarray::Axis(0));
            let by_columns = columns.iter().all(|&s| near(s, 1.0, 1e-9));
            close_array("P (names.txt)", &got, &want, EXACT).hint_if(
                by_columns,
                "normalised along the wrong axis: your columns sum to 1; each row a must (P[a, :] is what follows a)",
            )
        }),
        Check::public(
            BIGRAM_MODEL,
            "nll_of_names_txt_is_2_4540144891548743",
            4,
            || {
                let names = names();
                let p = oracle::probabilities(&oracle::counts(&names), 0.0);
                let got = ok(sut::nll(p.view(), &names))?;
                close("bigram NLL of names.txt", got, ML_NLL, SUM_TOL)
                    .hint_if(
                        near(got, ML_NLL * BIGRAMS as f64, 1e-6),
                        "summed, not averaged: divide by the 228,146 bigrams",
                    )
                    .hint_if(
                        near(got, ML_NLL * BIGRAMS as f64 / NAMES as f64, 1e-6),
                        "averaged per name: divide by the number of bigrams, 228,146, not of names",
                    )
                    .hint_if(
                        near(got, ML_NLL / std::f64::consts::LN_10, 1e-6),
                        "log base 10: use the natural log, ln",
                    )
                    .hint_if(
                        near(got, -ML_NLL, 1e-9),
                        "the sign: the loss is −ln P, positive",
                    )
            },
        ),
        Check::public(
            BIGRAM_MODEL,
            "nll_of_the_worked_example_and_of_a_uniform_model",
            1,
            || {
                // ["ab", "b"]: (ln 2 + 0 + 0 + ln 2 + 0) / 5 (crate docs); uniform: ln 27.
                let example = ["ab", "b"];
                let p = oracle::probabilities(&oracle::counts(&example), 1e-300);
                let got = ok(sut::nll(p.view(), &example))?;
                close(
                    "NLL of [\"ab\", \"b\"]",
                    got,
                    2.0 * 2f64.ln() / 5.0,
                    Tol::rel(1e-12),
                )?;
                let uniform = Array2::from_elem((27, 27), 1.0 / 27.0);
                close(
                    "NLL of a uniform model",
                    ok(sut::nll(uniform.view(), &example))?,
                    LN_27,
                    Tol::rel(1e-12),
                )
            },
        ),
        Check::public(BIGRAM_MODEL, "draw_inverts_the_cumulative_sum", 2, || {
            let p = array![0.2, 0.5, 0.3];
            for (u, want) in [
                (0.0, 0),
                (0.1, 0),
                (0.2, 1),
                (0.69, 1),
                (0.71, 2),
                (0.999, 2),
            ] {
                let got = sut::draw(p.view(), u);
                ensure(got == want, || format!("draw([0.2, 0.5, 0.3], {u}) = {got}, expected {want}"))
                    .hint_if(u == 0.2 && got == 0, "compare u < the cumulative sum, strictly: with ≤ a token of probability 0 can be drawn")?;
            }
            // A token of probability 0 is never drawn, even at the edge or past a short sum.
            for (q, u, want) in [(array![0.0, 1.0], 0.0, 1), (array![0.3, 0.3, 0.0], 0.99, 1)] {
                let got = sut::draw(q.view(), u);
                ensure(got == want, || {
                    format!("draw({q}, {u}) = {got}, expected {want}")
                })?;
            }
            Ok(())
        }),
        Check::public(
            BIGRAM_MODEL,
            "sampled_names_stop_after_max_name_len_letters",
            1,
            || {
                // A model that never ends a name: '.' → 'a', then 'a' → 'a' for ever. Every name
                // is cut at MAX_NAME_LEN letters, no more.
                let mut p = Array2::from_elem((27, 27), 1.0 / 27.0);
                p.row_mut(0).fill(0.0);
                p[[0, 1]] = 1.0;
                p.row_mut(1).fill(0.0);
                p[[1, 1]] = 1.0;
                let sampled = ok(sut::sample(p.view(), 3, 5))?;
                let want = "a".repeat(sut::MAX_NAME_LEN);
                let longest = sampled.iter().map(String::len).max().unwrap_or(0);
                ensure(sampled.len() == 3 && sampled.iter().all(|n| *n == want), || {
                    format!(
                        "names from a model that never draws '.' are {sampled:?}, expected 3 × {want:?} ({} letters)",
                        sut::MAX_NAME_LEN
                    )
                })
                .hint_if(
                    longest == sut::MAX_NAME_LEN + 1,
                    "a name ran one letter past MAX_NAME_LEN: stop once it has MAX_NAME_LEN letters (len < MAX_NAME_LEN to go on)",
                )
            },
        ),
        Check::public(
            BIGRAM_MODEL,
            "sampled_first_letters_follow_the_start_row",
            2,
            || {
                // 4,000 names: the total-variation distance of 26 frequencies to the truth is about
                // 0.03; the wrong axis (the column of '.') is 0.2 or more away.
                let counts = oracle::counts(&names());
                let p = oracle::probabilities(&counts, 0.0);
                let sampled = ok(sut::sample(p.view(), 4000, 7))?;
                ensure(sampled.len() == 4000, || {
                    format!("{} names sampled, expected 4000", sampled.len())
                })?;
                let freq = oracle::first_letters(&sampled);
                let start = p.row(0).to_vec();
                // Drawing from the column P[:, '.'] by the same inverse CDF: its masses, cut at 1.
                let mut column = vec![0.0; 27];
                let mut cumulative: f64 = 0.0;
                for (j, mass) in column.iter_mut().enumerate() {
                    let next = cumulative + p[[j, 0]];
                    *mass = next.min(1.0) - cumulative.min(1.0);
                    cumulative = next;
                }
                // Taking the arg-max instead of drawing: every name starts with the likeliest letter.
                let likeliest = (0..start.len())
                    .fold(0, |best, j| if start[j] > start[best] { j } else { best });
                let tv = oracle::total_variation(&freq, &start);
                ensure(tv < 0.06, || {
                format!("first letters of 4,000 sampled names are {tv:.3} (total variation) from P['.', :], expected < 0.06")
            })
            .hint_if(
                oracle::total_variation(&freq, &column) < 0.06,
                "sampled from a column: the next token is drawn from the row P[a, :] of the current token",
            )
            .hint_if(
                freq[likeliest] == 1.0,
                "every name starts with the likeliest first letter: that is the arg-max, not a sample; draw each token at random from P[a, :] with draw(row, u)",
            )
            },
        ),
    ]
}

fn smoothing_split() -> Vec<Check> {
    vec![
        Check::public(
            SMOOTHING_SPLIT,
            "add_one_nll_of_names_txt_is_2_454576820115704",
            3,
            || {
                let names = names();
                let counts = oracle::counts(&names);
                let got = ok(sut::smoothed_probabilities(counts.view(), 1.0))?;
                let sums = got.sum_axis(ndarray::Axis(1));
                // k given to the unseen pairs only: their counts become 1, the others stay.
                let unseen_only = got
                    .iter()
                    .zip(oracle::probabilities(&counts.mapv(|c| c.max(1)), 0.0).iter())
                    .all(|(a, b)| near(*a, *b, 1e-12));
                let unnormalised = sums.iter().any(|&s| !near(s, 1.0, 1e-9));
                let unsmoothed = got
                    .iter()
                    .zip(oracle::probabilities(&counts, 0.0).iter())
                    .all(|(a, b)| near(*a, *b, 1e-12));
                close_array("add-one P (names.txt)", &got, &oracle::probabilities(&counts, 1.0), EXACT)
                .hint_if(unnormalised, "rows do not sum to 1: divide by the row sum plus 27k (k for each of the 27 next tokens)")
                .hint_if(unsmoothed, "no smoothing: add k to every count before normalising")
                .hint_if(unseen_only, "k was added to the unseen pairs only: add-k smoothing adds k to every count, seen or not")?;
                close(
                    "add-one NLL of names.txt",
                    oracle::nll(&got, &names),
                    ADD_ONE_NLL,
                    SUM_TOL,
                )
            },
        ),
        Check::public(
            SMOOTHING_SPLIT,
            "smoothed_model_has_a_finite_dev_loss",
            3,
            || {
                // 4 bigrams of the dev split never occur in training: without smoothing the dev
                // loss is infinite. Add-one: 2.4482258682 (the reference, calibrate example).
                let (train, dev, _) = kit_split();
                let got = ok(sut::smoothed_probabilities(
                    oracle::counts(&train).view(),
                    1.0,
                ))?;
                let loss = oracle::nll(&got, &dev);
                close("dev NLL of the add-one model trained on the train split", loss, 2.4482258682398137, Tol::rel(1e-9))
                .hint_if(loss.is_infinite(), "no smoothing: a pair of the dev split never seen in training has P = 0 and an infinite loss; add k")
            },
        ),
        Check::public(
            SMOOTHING_SPLIT,
            "shipped_split_has_25626_3203_3204_names",
            2,
            || {
                let small = ok(sut::split(&[3, 0, 4, 1, 2, 9, 5, 8, 6, 7]))?;
                ensure(
                    small.train == [3, 0, 4, 1, 2, 9, 5, 8]
                        && small.dev == [6]
                        && small.test == [7],
                    || {
                        format!(
                            "split of the crate docs' order of 10: {small:?}, expected train [3, 0, 4, 1, 2, 9, 5, 8], dev [6], test [7]"
                        )
                    },
                )
                .hint_if(
                    small.dev.iter().any(|i| small.train.contains(i)),
                    "the dev names are in the training split too: train is order[..⌊8n/10⌋], and dev and test follow it without overlap",
                )?;
                let order = kit_order();
                let got = ok(sut::split(&order))?;
                let sizes = (got.train.len(), got.dev.len(), got.test.len());
                ensure(sizes == (25_626, 3_203, 3_204), || {
                    format!(
                        "the kit's split has {sizes:?} names, expected (25626, 3203, 3204): cut at ⌊8n/10⌋ and ⌊9n/10⌋"
                    )
                })?;
                ensure(
                    got.train == order[..25_626] && got.dev == order[25_626..28_829],
                    || "the split must keep the order's indices, in order".to_string(),
                )
            },
        ),
    ]
}

fn neural_bigram() -> Vec<Check> {
    vec![
        Check::public(NEURAL_BIGRAM, "cross_entropy_by_hand", 2, || {
            // [[0, 0]], target 1: ln 2 and [[½, −½]] (crate docs).
            let (loss, grad) = ok(sut::cross_entropy(array![[0.0, 0.0]].view(), &[1]))?;
            close("cross-entropy of [[0, 0]] at 1", loss, 2f64.ln(), Tol::rel(1e-12))?;
            close_array("dlogits", &grad, &array![[0.5, -0.5]], Tol::abs(1e-15))?;
            let logits = array![[1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [0.5, -1.0, 2.0]];
            let targets = [2, 0, 1];
            let (loss, grad) = ok(sut::cross_entropy(logits.view(), &targets))?;
            close("cross-entropy of three rows", loss, oracle::cross_entropy(logits.view(), &targets), EXACT)?;
            let mut want = Array2::zeros((3, 3));
            for (i, &y) in targets.iter().enumerate() {
                let p = oracle::softmax(&logits.row(i).to_vec());
                for j in 0..3 {
                    want[[i, j]] = (p[j] - if j == y { 1.0 } else { 0.0 }) / 3.0;
                }
            }
            let summed = grad.iter().zip(want.iter()).all(|(g, w)| near(*g, 3.0 * w, 1e-9));
            close_array("dlogits of three rows", &grad, &want, EXACT)
                .hint_if(summed, "the gradient is not divided by B: the loss is a mean, so is its gradient")
        }),
        Check::public(NEURAL_BIGRAM, "cross_entropy_is_finite_for_logits_near_1000", 2, || {
            // −ln softmax([1000, 1001])₀ = ln(1 + e).
            let (loss, grad) = ok(sut::cross_entropy(array![[1000.0, 1001.0]].view(), &[0]))?;
            let want = (1.0 + 1f64.exp()).ln();
            let overflow = !loss.is_finite() || grad.iter().any(|g| !g.is_finite());
            close("cross-entropy of [[1000, 1001]] at 0", loss, want, Tol::rel(1e-12))
                .hint_if(overflow, "exp(1000) overflows: subtract each row's max before exponentiating")
        }),
        Check::public(NEURAL_BIGRAM, "neural_bigram_gradient_matches_finite_differences", 3, || {
            let first = &names()[..20];
            let (xs, ys): (Vec<usize>, Vec<usize>) = oracle::bigrams(first).into_iter().unzip();
            let model = sut::NeuralBigram::new(3);
            let (loss, grad) = ok(model.loss_and_gradient(&xs, &ys))?;
            let logits = model.w.select(ndarray::Axis(0), &xs);
            close("neural bigram loss", loss, oracle::cross_entropy(logits.view(), &ys), EXACT)?;
            let eps = 1e-5;
            let mut want = Array2::zeros((27, 27));
            let mut probe = model.clone();
            for a in 0..27 {
                for b in 0..27 {
                    let old = probe.w[[a, b]];
                    probe.w[[a, b]] = old + eps;
                    let up = oracle::cross_entropy(probe.w.select(ndarray::Axis(0), &xs).view(), &ys);
                    probe.w[[a, b]] = old - eps;
                    let down = oracle::cross_entropy(probe.w.select(ndarray::Axis(0), &xs).view(), &ys);
                    probe.w[[a, b]] = old;
                    want[[a, b]] = (up - down) / (2.0 * eps);
                }
            }
            let summed = grad.iter().zip(want.iter()).all(|(g, w)| (g - xs.len() as f64 * w).abs() < 1e-5);
            close_array("dW (centred differences, ε = 1e-5)", &grad, &want, Tol::rel_floor(1e-6, 1e-3))
                .hint_if(summed, "the gradient is not divided by the number of pairs")
        }),
        Check::public(NEURAL_BIGRAM, "neural_bigram_descends_to_the_count_model", 4, || {
            // The first 1,000 names, W ~ N(0, 1), lr 50, 300 steps: the reference ends 0.0099–
            // 0.0101 above the counts' NLL 2.23964 over seeds 1–3 (calibrate example); it
            // can only approach it, never pass it (the counts are the maximum likelihood).
            let small = &names()[..1000];
            let (xs, ys): (Vec<usize>, Vec<usize>) = oracle::bigrams(small).into_iter().unzip();
            let counts_nll = oracle::nll(&oracle::probabilities(&oracle::counts(small), 0.0), small);
            let mut model = sut::NeuralBigram::new(1);
            let losses = ok(model.fit(&xs, &ys, 50.0, 300))?;
            ensure(losses.len() == 300, || format!("fit returned {} losses, expected one per step, 300", losses.len()))?;
            let last = oracle::cross_entropy(model.w.select(ndarray::Axis(0), &xs).view(), &ys);
            ensure(last >= counts_nll - 1e-9 && last < counts_nll + 0.02, || {
                format!("after 300 steps the loss is {last:.5}, expected within 0.02 above the counts' {counts_nll:.5}")
            })?;
            let probs = model.probabilities();
            let mut want = model.w.clone();
            for (mut row, w) in want.rows_mut().into_iter().zip(model.w.rows()) {
                row.assign(&Array1::from(oracle::softmax(&w.to_vec())));
            }
            close_array("softmax of the trained W's rows", &probs, &want, EXACT)
        })
        .timeout(std::time::Duration::from_secs(30)),
    ]
}

fn mlp() -> Vec<Check> {
    vec![
        Check::public(MLP, "contexts_of_emma_by_hand", 2, || {
            // Crate docs: ... → e, ..e → m, .em → m, emm → a, mma → .
            let got = ok(sut::contexts(&["emma"], 3))?;
            let x = array![[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]];
            let y = vec![5, 13, 13, 1, 0];
            ensure(got.x == x && got.y == y, || {
                format!("contexts([\"emma\"], 3): X = {}, y = {:?}; expected X = {x}, y = {y:?}", got.x, got.y)
            })
            .hint_if(got.y.len() == 4, "the end token is missing: the last example is mma → '.'")
        }),
        Check::public(MLP, "contexts_of_names_txt_number_228146", 2, || {
            let names = names();
            let got = ok(sut::contexts(&names, 3))?;
            let (x, y) = oracle::contexts(&names, 3);
            ensure(got.y.len() == y.len() && got.x.dim() == x.dim(), || {
                format!("contexts of names.txt: X {:?}, y {}; expected ({}, 3), {}", got.x.dim(), got.y.len(), y.len(), y.len())
            })?;
            let unreset = x
                .rows()
                .into_iter()
                .zip(got.x.rows())
                .any(|(want, got)| want.iter().all(|&t| t == 0) && got.iter().any(|&t| t != 0));
            ensure(got.x == x && got.y == y, || "the contexts of names.txt differ from the kit's".to_string())
                .hint_if(unreset, "a new name starts with a context of '.' only: reset the window at each name")
        }),
        Check::public(MLP, "forward_and_loss_match_the_kit", 3, || {
            let mlp = oracle::random_mlp(3, 4, 16, 0.5, 1);
            let (x, y) = oracle::contexts(&["emma", "olivia", "ava"], 3);
            let got = ok(mlp.forward(x.view()))?;
            let (emb, h, logits) = oracle::forward(&mlp, x.view());
            close_array("E (concatenated embeddings)", &got.emb, &emb, EXACT)?;
            close_array("h", &got.h, &h, EXACT)?;
            close_array("logits", &got.logits, &logits, EXACT)?;
            close("loss", ok(mlp.loss(x.view(), &y))?, oracle::cross_entropy(logits.view(), &y), EXACT)
        }),
        Check::public(MLP, "mlp_lm_gradients_match_finite_differences", 5, || {
            // Centred differences with ε = 1e-5 in f64 agree to about 1e-9; a token seen
            // twice ("emma" has two m's in one context) must collect both gradients.
            let mlp = oracle::random_mlp(3, 2, 8, 0.5, 2);
            let (x, y) = oracle::contexts(&["emma", "ava"], 3);
            let (loss, got) = ok(mlp.gradients(x.view(), &y))?;
            close("loss", loss, oracle::loss(&mlp, x.view(), &y), EXACT)?;
            let want = oracle::numeric_gradients(&mlp, x.view(), &y);
            let tol = Tol::rel_floor(1e-6, 1e-8);
            close_array("dW₂", &got.w2, &want.w2, tol)?;
            close_array("db₂", &got.b2, &want.b2, tol)?;
            // Signatures: db₁ with tanh′ taken as 1 − h; dC with `=` in place of `+=`.
            let (h, dh, demb) = oracle::backward_pieces(&mlp, x.view(), &y);
            let one_minus_h = (&dh * &h.mapv(|v| 1.0 - v)).sum_axis(ndarray::Axis(0));
            close_array("db₁", &got.b1, &want.b1, tol).hint_if(
                got.b1.iter().zip(&one_minus_h).all(|(g, w)| near(*g, *w, 1e-9)),
                "tanh′ is 1 − h², with h the tanh's output, not 1 − h",
            )?;
            close_array("dW₁", &got.w1, &want.w1, tol)?;
            let d = mlp.c.ncols();
            let mut assigned = Array2::<f64>::zeros(mlp.c.raw_dim());
            for ((i, t), &token) in x.indexed_iter() {
                for j in 0..d {
                    assigned[[token, j]] = demb[[i, t * d + j]];
                }
            }
            let zero = got.c.iter().all(|&g| g == 0.0);
            let overwritten = got.c.iter().zip(assigned.iter()).all(|(g, a)| near(*g, *a, 1e-9));
            close_array("dC", &got.c, &want.c, tol)
                .hint_if(zero, "the embeddings get no gradient: backpropagate dE into the rows of C")
                .hint_if(overwritten, "a token used at several places collects every gradient: dC[X[i, t]] += dE[i, t·d..(t+1)·d], not =")
        }),
        Check::public(MLP, "update_moves_every_parameter", 2, || {
            let mut mlp = oracle::random_mlp(3, 2, 4, 0.5, 3);
            let before = mlp.clone();
            let grads = sut::Gradients {
                c: Array2::ones(before.c.raw_dim()),
                w1: Array2::ones(before.w1.raw_dim()),
                b1: Array1::ones(before.b1.len()),
                w2: Array2::ones(before.w2.raw_dim()),
                b2: Array1::ones(before.b2.len()),
            };
            mlp.update(&grads, 0.1);
            let c_still = mlp.c == before.c;
            close_array("C after update(1, lr 0.1)", &mlp.c, &(&before.c - 0.1), EXACT)
                .hint_if(c_still, "the embeddings are not updated: C is a parameter like W₁")?;
            close_array("W₁ after update", &mlp.w1, &(&before.w1 - 0.1), EXACT)?;
            close_array("b₁ after update", &mlp.b1, &(&before.b1 - 0.1), EXACT)?;
            close_array("W₂ after update", &mlp.w2, &(&before.w2 - 0.1), EXACT)?;
            close_array("b₂ after update", &mlp.b2, &(&before.b2 - 0.1), EXACT)
        }),
        Check::public(MLP, "learning_rate_drops_at_decay_at", 1, || {
            let config = sut::TrainConfig::default();
            for (step, want) in [(0, 0.1), (99_999, 0.1), (100_000, 0.01), (199_999, 0.01)] {
                let got = sut::learning_rate(&config, step);
                ensure(got == want, || format!("learning_rate(defaults, {step}) = {got}, expected {want}"))
                    .hint_if(step == 100_000 && got == 0.1, "steps count from 0: step decay_at already takes decayed_lr")?;
            }
            Ok(())
        }),
        Check::public(MLP, "training_measures_the_dev_loss_after_the_last_step_too", 1, || {
            // 5 steps with eval_every 3: after step 3, and after the last, step 5.
            let (train, dev, _) = kit_split();
            let (tx, ty) = oracle::contexts(&train[..200], 3);
            let (dx, dy) = oracle::contexts(&dev[..50], 3);
            let config = sut::TrainConfig { steps: 5, eval_every: 3, decay_at: 5, ..sut::TrainConfig::default() };
            let trained = ok(sut::train(
                oracle::random_mlp(3, 10, 16, 0.01, 8),
                &sut::Dataset { x: tx, y: ty },
                &sut::Dataset { x: dx, y: dy },
                &config,
            ))?;
            let steps: Vec<usize> = trained.dev_losses.iter().map(|&(s, _)| s).collect();
            ensure(steps == [3, 5], || {
                format!("5 steps with eval_every 3 measured the dev loss after steps {steps:?}, expected [3, 5]")
            })
            .hint_if(steps == [3], "the dev loss is measured after the last step too, not only every eval_every steps")
        }),
        Check::public(MLP, "training_reports_the_dev_loss_of_the_dev_split", 2, || {
            // 200 steps on 2,000 training names; the dev loss is the kit's loss of the returned
            // model on the 300 dev names given.
            let (train, dev, _) = kit_split();
            let (tx, ty) = oracle::contexts(&train[..2000], 3);
            let (dx, dy) = oracle::contexts(&dev[..300], 3);
            let init = oracle::random_mlp(3, 10, 32, 0.01, 4);
            let config = sut::TrainConfig { steps: 200, eval_every: 100, decay_at: 150, ..sut::TrainConfig::default() };
            let trained = ok(sut::train(
                init.clone(),
                &sut::Dataset { x: tx.clone(), y: ty.clone() },
                &sut::Dataset { x: dx.clone(), y: dy.clone() },
                &config,
            ))?;
            ensure(trained.train_losses.len() == 200, || {
                format!("{} training losses, expected one per step, 200", trained.train_losses.len())
            })?;
            let steps: Vec<usize> = trained.dev_losses.iter().map(|&(s, _)| s).collect();
            ensure(steps == [100, 200], || format!("dev losses measured after steps {steps:?}, expected [100, 200]"))?;
            ensure(trained.mlp.c != init.c, || "training left C as it was".to_string())
                .hint("the embeddings are not updated: C is a parameter like W₁")?;
            let dev_loss = oracle::fast_loss(&trained.mlp, dx.view(), &dy);
            let train_loss = oracle::fast_loss(&trained.mlp, tx.view(), &ty);
            close("the dev loss after 200 steps", trained.dev_loss(), dev_loss, Tol::rel(1e-9))
                .hint_if(near(trained.dev_loss(), train_loss, 1e-9), "measured on the training split: the dev loss is the model's loss on the dev set")?;
            ensure(dev_loss < 3.0, || format!("the dev loss after 200 steps is {dev_loss:.3}, expected below 3.0 (ln 27 = 3.30 at the start)"))
        })
        .timeout(std::time::Duration::from_secs(30)),
    ]
}

fn initialisation() -> Vec<Check> {
    vec![
        Check::public(INITIALISATION, "initial_loss_is_near_ln_27", 4, || {
            // Logits of order 0.01 · √200 ≈ 0.1 cost ≈ 0.005 nats over ln 27 (calibrate example:
            // 3.29–3.30 over seeds 1–3); W₂ ~ N(0, 1) starts near 20.
            let mlp = ok(sut::Mlp::init(3, 10, 200, 5))?;
            let (x, y) = oracle::contexts(&names()[..200], 3);
            ensure(
                mlp.c.dim() == (27, 10) && mlp.w1.dim() == (30, 200) && mlp.w2.dim() == (200, 27),
                || {
                    format!(
                        "init(3, 10, 200): C {:?}, W₁ {:?}, W₂ {:?}; expected (27, 10), (30, 200), (200, 27)",
                        mlp.c.dim(),
                        mlp.w1.dim(),
                        mlp.w2.dim()
                    )
                },
            )?;
            let loss = oracle::fast_loss(&mlp, x.view(), &y);
            ensure((loss - LN_27).abs() < 0.05, || {
                format!("the loss at step 0 is {loss:.4}, expected within 0.05 of ln 27 = {LN_27:.4}")
            })
            .hint_if(loss > 2.0 * LN_27, "badly scaled initialisation: the loss at step 0 is ≫ ln 27; scale W₂ by 0.01 so the first logits are near 0")
        }),
        Check::public(INITIALISATION, "init_scales_match_the_contract", 2, || {
            // Standard deviations of 270 to 6,000 draws: within 15% (b₁'s 200 within 25%).
            let mlp = ok(sut::Mlp::init(3, 10, 200, 6))?;
            let std = |v: &[f64]| (v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64).sqrt();
            let w1_scale = (5.0 / 3.0) / 30f64.sqrt();
            for (what, got, want, tol) in [
                (
                    "C",
                    std(&mlp.c.iter().copied().collect::<Vec<_>>()),
                    1.0,
                    0.15,
                ),
                (
                    "W₁",
                    std(&mlp.w1.iter().copied().collect::<Vec<_>>()),
                    w1_scale,
                    0.15,
                ),
                ("b₁", std(&mlp.b1.to_vec()), 0.01, 0.25),
                (
                    "W₂",
                    std(&mlp.w2.iter().copied().collect::<Vec<_>>()),
                    0.01,
                    0.15,
                ),
            ] {
                close(
                    &format!("the spread (rms) of {what}"),
                    got,
                    want,
                    Tol::rel(tol),
                )
                .hint_if(
                    what == "W₁" && near(got, 1.0, 0.15),
                    "W₁ is not scaled: multiply it by (5/3)/√fan_in, or most tanh units saturate",
                )
                .hint_if(
                    what == "W₂" && near(got, 1.0, 0.15),
                    "W₂ is not scaled: multiply it by 0.01 so the first logits are near 0",
                )?;
            }
            ensure(
                mlp.b2.iter().all(|&b| b == 0.0) && mlp.b2.len() == 27,
                || format!("b₂ = {}, expected 27 zeros", mlp.b2),
            )
        }),
        Check::public(INITIALISATION, "saturation_by_hand", 2, || {
            let h = array![[0.1, -0.99], [0.995, 0.5]];
            close(
                "saturation([[0.1, −0.99], [0.995, 0.5]], 0.97)",
                sut::saturation(h.view(), 0.97),
                0.5,
                Tol::abs(1e-15),
            )?;
            // Beyond is strictly beyond: ±threshold itself is not saturated.
            let edge = sut::saturation(array![[0.5, -0.5, 0.2]].view(), 0.5);
            close(
                "saturation([[0.5, −0.5, 0.2]], 0.5)",
                edge,
                0.0,
                Tol::abs(1e-15),
            )
            .hint_if(
                near(edge, 2.0 / 3.0, 1e-12),
                "a value equal to the threshold is not beyond it: count |h| > threshold, strictly",
            )?;
            let (_, h, _) = oracle::forward(
                &oracle::random_mlp(3, 4, 16, 0.5, 7),
                oracle::contexts(&["sophia"], 3).0.view(),
            );
            let want = h.iter().filter(|v| v.abs() > 0.9).count() as f64 / h.len() as f64;
            close(
                "saturation of a hidden layer at 0.9",
                sut::saturation(h.view(), 0.9),
                want,
                Tol::abs(1e-15),
            )
        }),
    ]
}

/// What a softmax without its max shift gives at temperature `t`, named by the numbers.
fn overflow_hint(mlp: &sut::Mlp, t: f64) -> String {
    let (_, first_max) = oracle::greedy_name(mlp);
    format!(
        "the probabilities overflowed: the largest logit / T is {:.0}, and e^{:.0} is inf (e^x \
         overflows past x ≈ 709), so inf / inf = NaN; subtract the max of logits / T before exp, \
         so that the largest term is e⁰ = 1",
        first_max / t,
        first_max / t
    )
}

/// Whether a panic's text names NaN, or is rand's weighted draw refusing NaN or infinite weights.
fn nan_weight_panic(text: &str) -> bool {
    [
        "NaN",
        "InvalidWeight",
        "not a valid number",
        "InsufficientNonZero",
        "Overflow",
    ]
    .iter()
    .any(|signature| text.contains(signature))
}

fn sampling() -> Vec<Check> {
    vec![
        Check::public(SAMPLING, "sampled_names_slide_the_context", 1, || {
            // A hand-built model that reads only the oldest context slot: while it holds '.', it
            // writes 'a' (logit 50 against 0); once it holds 'a', it ends the name (100 against
            // −150). Sliding the context puts 'a' there after three letters: every name is "aaa".
            let mut c = Array2::zeros((27, 1));
            c[[1, 0]] = 1.0;
            let mut w1 = Array2::zeros((3, 1));
            w1[[0, 0]] = 10.0;
            let mut w2 = Array2::zeros((1, 27));
            w2[[0, 0]] = 100.0;
            w2[[0, 1]] = -100.0;
            let mut b2 = Array1::from_elem(27, -100.0);
            b2[0] = 0.0;
            b2[1] = 50.0;
            let mlp = sut::Mlp {
                c,
                w1,
                b1: Array1::zeros(1),
                w2,
                b2,
            };
            let sampled = ok(sut::sample_names(&mlp, 3, 1.0, 1))?;
            ensure(sampled.len() == 3 && sampled.iter().all(|n| n == "aaa"), || {
                format!("names from a model that ends a name once 'a' is three letters back are {sampled:?}, expected [\"aaa\", \"aaa\", \"aaa\"]")
            })
            .hint_if(
                sampled.iter().all(|n| n.len() == sut::MAX_NAME_LEN),
                "the context never lets its oldest token go: after each letter drop context[0], shift the rest left and put the new token last",
            )
        }),
        Check::public(
            SAMPLING,
            "sampling_at_temperature_0_001_takes_the_arg_max_without_overflow",
            2,
            || {
                // At T = 0.001 this model's logits / T reach 7124 at the first step, far past 709,
                // where e^x overflows; at every step of its greedy name "cema" the best logit
                // leads the next by ≥ 0.604, 604 once divided by T, so softmax(logits / T) is one
                // 1 and zeros to 1e-262, and every draw is the arg-max.
                const T: f64 = 0.001;
                let mlp = oracle::random_mlp(3, 4, 16, 1.0, 51);
                let sampled = catch_panic("sample_names", || sut::sample_names(&mlp, 5, T, 12));
                let (greedy, first_max) = oracle::greedy_name(&mlp);
                let overflows = (first_max / T).exp().is_infinite();
                let on_nan = sampled
                    .as_ref()
                    .is_err_and(|f| overflows && nan_weight_panic(&f.message));
                let sampled = ok(sampled.hint_if(on_nan, &overflow_hint(&mlp, T))?)?;
                ensure(sampled.len() == 5 && sampled.iter().all(|n| *n == greedy), || {
                    format!("names sampled at T = {T} are {sampled:?}, expected 5 × {greedy:?}, the likeliest letter at every step")
                })
                // The contract's draw finds no u < NaN and no p > 0 in probabilities that
                // overflowed to NaN, and gives the end token: every name comes out empty.
                .hint_if(
                    overflows && sampled.iter().all(String::is_empty),
                    &overflow_hint(&mlp, T),
                )
            },
        ),
        Check::public(
            SAMPLING,
            "sampled_first_letters_follow_the_model_at_temperature",
            2,
            || {
                // A model with spread logits; 3,000 names at T = 0.5 and T = 2 against
                // softmax(logits / T): total variation about 0.03 (threshold 0.07).
                let mlp = oracle::random_mlp(3, 4, 16, 1.0, 8);
                let (_, _, logits) = oracle::forward(&mlp, array![[0, 0, 0]].view());
                let logits = logits.row(0).to_vec();
                for t in [0.5, 2.0] {
                    let sampled = ok(sut::sample_names(&mlp, 3000, t, 9))?;
                    let freq = oracle::first_letters(&sampled);
                    let want = oracle::softmax(&logits.iter().map(|l| l / t).collect::<Vec<_>>());
                    let times = oracle::softmax(&logits.iter().map(|l| l * t).collect::<Vec<_>>());
                    let tv = oracle::total_variation(&freq, &want);
                    ensure(tv < 0.07, || {
                    format!("at T = {t} the first letters are {tv:.3} (total variation) from softmax(logits / T), expected < 0.07")
                })
                .hint_if(oracle::total_variation(&freq, &times) < 0.07, "the logits are multiplied by T: divide them by it")?;
                }
                Ok(())
            },
        ),
        Check::public(
            SAMPLING,
            "sampled_names_are_letters_and_reproducible",
            2,
            || {
                let mlp = oracle::random_mlp(3, 4, 16, 1.0, 10);
                let a = ok(sut::sample_names(&mlp, 50, 1.0, 11))?;
                let b = ok(sut::sample_names(&mlp, 50, 1.0, 11))?;
                ensure(a.len() == 50 && a == b, || {
                    "the same seed must give the same 50 names".to_string()
                })?;
                ensure(
                    a.iter().all(|n| {
                        n.len() <= sut::MAX_NAME_LEN && n.chars().all(|c| c.is_ascii_lowercase())
                    }),
                    || {
                        format!(
                            "sampled names must be letters a-z only, at most {} of them: {a:?}",
                            sut::MAX_NAME_LEN
                        )
                    },
                )
                .hint_if(
                    a.iter().any(|n| n.contains('.')),
                    "the end token '.' stops a name and is not written",
                )
            },
        ),
    ]
}
