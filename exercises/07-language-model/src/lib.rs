//! # Exercise 07 — character-level language models, from counting bigrams to an MLP
//!
//! You build a model that writes names. First by counting: how often each letter follows each
//! other in 32,033 real names, normalised into probabilities — and you measure it by its
//! negative log-likelihood, reproducing the exact figures. Then you throw the counts away and
//! train a one-layer network by gradient descent until it finds the same probabilities: counting
//! *is* maximum likelihood. Last, the MLP of Bengio et al. (2003): each character gets a learned
//! embedding, three of them feed a tanh layer, and the model beats every count table you could
//! store, on names it never saw.
//!
//! Why: this is the smallest honest version of how every language model is built and judged —
//! a vocabulary, next-token probabilities, cross-entropy in nats, a held-out split, careful
//! initialisation, sampling with a temperature.
//!
//! ## Symbols and shapes
//!
//! ```text
//! V = 27 symbols: '.' (token 0, start and end of a name), 'a'…'z' (tokens 1…26)
//! N: (27, 27) bigram counts, N[a, b] = how often b follows a        M bigrams (228,146 in names.txt)
//! P: (27, 27) next-token probabilities, each row sums to 1         L = −(1/M) ∑ₘ ln P[aₘ, bₘ]
//! block = 3 context tokens   d = 10 embedding dims   H = 200 hidden units   B batch size
//! C: (27, d)   W₁: (block·d, H)   b₁: (H,)   W₂: (H, 27)   b₂: (27,)   X: (B, block)   y: (B,)
//! ```
//!
//! ## The math
//!
//! ```text
//! bigram:       P[a, b] = N[a, b] / ∑ᵦ' N[a, b']            add-k:  (N[a, b] + k) / (∑ᵦ' N[a, b'] + 27k)
//! neural:       P(· | a) = softmax(onehot(a) · W) = softmax(W[a, :])
//! MLP:          E = [C[x₁], C[x₂], C[x₃]],  h = tanh(E W₁ + b₁),  P(· | x) = softmax(h W₂ + b₂)
//! loss:         L = −(1/B) ∑ᵢ ln P(yᵢ | xᵢ)                 dlogits = (softmax − onehot(y)) / B
//! sampling:     t ~ softmax(logits / T)                      by inverting the cumulative sum at u ~ U[0, 1)
//! ```
//!
//! ## A worked example
//!
//! Two names, `["ab", "b"]`, framed as `.ab.` and `.b.`:
//!
//! ```text
//! bigrams  (., a) (a, b) (b, .) (., b) (b, .)          M = 5
//! counts   N[., a] = 1, N[., b] = 1, N[a, b] = 1, N[b, .] = 2
//! P        P[., a] = P[., b] = 1/2,  P[a, b] = 1,  P[b, .] = 1
//! L        (ln 2 + 0 + 0 + ln 2 + 0) / 5 = 0.277259 nats
//! add-one  P[., a] = (1 + 1)/(2 + 27) = 2/29,  …
//! ```
//!
//! On all of `names.txt` (`data/names/`): 228,146 bigrams, L = 2.4540144891548743 for the
//! counts' model and 2.454576820115704 with add-one smoothing; a unigram model gives 2.8227,
//! a uniform guess ln 27 = 3.2958. The MLP, trained with the defaults of [`TrainConfig`],
//! reaches a dev loss below 2.20 on the kit's split (the reference: 2.101–2.107 over seeds 1–3,
//! from a loss of 3.29–3.30 at step 0), and writes names like "kaylee", "azariah", "marian".
//!
//! ## Steps (92 points)
//!
//! | step | what you write | where | points |
//! |---|---|---|---|
//! | 1 vocabulary | [`encode`], [`bigrams`], [`bigram_counts`] | `vocab.rs` | 10 |
//! | 2 bigram-model | [`probabilities`], [`nll`], [`draw`], [`sample`] | `bigram.rs` | 16 |
//! | 3 smoothing-split | [`smoothed_probabilities`], [`split`] | `smoothing.rs` | 10 |
//! | 4 neural-bigram | [`cross_entropy`], [`NeuralBigram::loss_and_gradient`], [`NeuralBigram::fit`], [`NeuralBigram::probabilities`] | `neural_bigram.rs` | 14 |
//! | 5 mlp | [`contexts`], [`Mlp::forward`], [`Mlp::loss`], [`Mlp::gradients`], [`Mlp::update`], [`learning_rate`], [`train`] | `mlp.rs`, `train.rs` | 24 |
//! | 6 initialisation | [`Mlp::init`], [`saturation`] | `init.rs` | 10 |
//! | 7 sampling | [`sample_names`] | `sample.rs` | 8 |
//!
//! Run `cargo test -p language-model` to grade your work. Later steps are graded with the
//! kit's own trusted counts, models and initial weights where possible, so one early bug does
//! not hide the rest. `mlings plot 7` draws your count table, your embeddings and your loss
//! curves.
//!
//! Bad input gets a typed [`LanguageModelError`] (an uppercase letter, an empty name, a split
//! that is not a permutation, a temperature of 0), never a panic.
//!
//! ## Constraints
//!
//! - Do not use a machine-learning or linear-algebra crate: ndarray's `dot` is all you need,
//!   and `rand`'s `StdRng` for every random draw, seeded as each function says.
//! - Work in f64 throughout. The exact figures above are reproduced to 12 digits.
//! - For an extra challenge: write [`Mlp::gradients`] without looking at the formulas in its
//!   docs, then check them against centred finite differences yourself.
//!
//! ## Why counting is maximum likelihood
//!
//! The bigram model has one free distribution per previous token a: `P[a, ·]`, 27 numbers
//! that sum to 1. The log-likelihood of the data is `∑ₐ ∑ᵦ N[a, b] ln P[a, b]`, and each row is
//! a separate problem: maximise `∑ᵦ Nᵦ ln pᵦ` subject to `∑ᵦ pᵦ = 1`. With a Lagrange multiplier
//! λ, `Nᵦ / pᵦ = λ` for every b, so `pᵦ ∝ Nᵦ`: the normalised counts. The neural bigram
//! reaches the same place: its gradient with respect to row a of W is
//! `(1/M)(nₐ softmax(W[a, :]) − N[a, :])` — zero exactly when the softmax equals the counts'
//! row. Gradient descent only approaches it (a pair never seen needs W → −∞), which is why its
//! loss settles just above the counts'.
//!
//! The counts' model cannot generalise beyond pairs: a table of contexts of three characters
//! would have 27³ = 19,683 rows, most of them never seen. The MLP shares statistical strength
//! instead: characters used alike get nearby embeddings (the vowels cluster), so a context it
//! never saw still gets sensible predictions. Its dev loss, measured on names held out of
//! training, is the honest score; the training loss alone would reward memorising.
//!
//! Initialisation matters because cross-entropy punishes confidence: with W₂ ~ N(0, 1) the
//! first logits have a spread of about 10, the model is confidently wrong and the loss starts
//! near 27 instead of ln 27, wasting the first thousands of steps undoing it. A tanh unit whose
//! pre-activation is large outputs ±1 and passes back `1 − h² ≈ 0` of the gradient: scaling W₁
//! by 5/3 over √fan_in keeps most units in the slope.
//!
//! ## Data
//!
//! `data/names/names.txt`: the 32,033 names of makemore (Andrej Karpathy, MIT licence), the US
//! Social Security Administration's most common names of 2018. `data/names/split.txt`: the
//! kit's own fixed shuffle of them for the train/dev/test split.

mod bigram;
mod error;
mod init;
mod mlp;
mod neural_bigram;
mod sample;
mod smoothing;
mod train;
mod vocab;

pub use bigram::{draw, nll, probabilities, sample};
pub use error::LanguageModelError;
pub use init::saturation;
pub use mlp::{Dataset, Forward, Gradients, Mlp, contexts};
pub use neural_bigram::{NeuralBigram, cross_entropy};
pub use sample::sample_names;
pub use smoothing::{Split, read_order, smoothed_probabilities, split};
pub use train::{TrainConfig, Trained, learning_rate, train};
pub use vocab::{BOUNDARY, MAX_NAME_LEN, VOCAB, bigram_counts, bigrams, decode, encode};
