//! Step 1: the vocabulary and the bigram counts.

use ndarray::Array2;

use crate::error::LanguageModelError;

/// The number of symbols: `.` and the 26 letters.
pub const VOCAB: usize = 27;

/// The start and end token, index 0.
pub const BOUNDARY: char = '.';

/// The longest name the samplers write before they stop without an end token.
pub const MAX_NAME_LEN: usize = 50;

/// The character of token `token`: `0 → '.'`, `1 → 'a'`, …, `26 → 'z'`.
///
/// # Panics
///
/// When `token ≥ 27`.
#[track_caller]
pub fn decode(token: usize) -> char {
    assert!(token < VOCAB, "token {token} is outside 0..{VOCAB}");
    if token == 0 {
        BOUNDARY
    } else {
        char::from(b'a' + (token - 1) as u8)
    }
}

/// The token of character `ch`: `'.' → 0`, `'a' → 1`, …, `'z' → 26`.
///
/// ```text
/// encode('.') = 0,  encode('a') = 1,  encode('z') = 26
/// ```
///
/// # Errors
///
/// [`LanguageModelError::InvalidCharacter`] for any other character (`name` is the
/// character itself).
pub fn encode(ch: char) -> Result<usize, LanguageModelError> {
    // BEGIN SOLUTION
    match ch {
        BOUNDARY => Ok(0),
        'a'..='z' => Ok(ch as usize - 'a' as usize + 1),
        _ => Err(LanguageModelError::InvalidCharacter {
            name: ch.to_string(),
            ch,
        }),
    }
    // STUB
    // // TODO: Map '.' to 0 and 'a'..='z' to 1..=26; refuse anything else. 'c' -> 3
    // todo!("the token of {ch:?}")
    // END SOLUTION
}

/// The bigrams of `names`, each name framed by the boundary token on both sides, in order.
///
/// ```text
/// "emma" → .emma. → (., e) (e, m) (m, m) (m, a) (a, .)  = [(0, 5), (5, 13), (13, 13), (13, 1), (1, 0)]
/// ```
///
/// A name of L letters gives L + 1 bigrams; the 32,033 names of `names.txt` give 228,146.
///
/// # Errors
///
/// [`LanguageModelError::EmptyName`] for a name with no letter;
/// [`LanguageModelError::InvalidCharacter`] (naming the whole name) for a character outside
/// `a`–`z`.
pub fn bigrams(names: &[&str]) -> Result<Vec<(usize, usize)>, LanguageModelError> {
    // BEGIN SOLUTION
    let mut pairs = Vec::new();
    for (index, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(LanguageModelError::EmptyName { index });
        }
        let mut previous = 0;
        for ch in name.chars() {
            let token = match ch {
                'a'..='z' => encode(ch)?,
                _ => {
                    return Err(LanguageModelError::InvalidCharacter {
                        name: name.to_string(),
                        ch,
                    });
                }
            };
            pairs.push((previous, token));
            previous = token;
        }
        pairs.push((previous, 0));
    }
    Ok(pairs)
    // STUB
    // // TODO: Frame each name as '.' + name + '.', and list its consecutive pairs of tokens. "ab" -> [(0, 1), (1, 2), (2, 0)]
    // todo!("the bigrams of {} names", names.len())
    // END SOLUTION
}

/// The 27 × 27 table of bigram counts: `N[a, b]` is how often `b` follows `a` in `names`.
///
/// ```text
/// N: (27, 27),   ∑ₐ,ᵦ N[a, b] = the number of bigrams
/// ["ab"]: N[., a] = N[a, b] = N[b, .] = 1, every other count 0
/// ```
///
/// # Errors
///
/// As [`bigrams`].
pub fn bigram_counts(names: &[&str]) -> Result<Array2<u64>, LanguageModelError> {
    // BEGIN SOLUTION
    // Straight from the names' bytes into a flat table, without the list of pairs: a letter's
    // token is its byte − b'a' + 1, and the bigram (a, b) is cell a · 27 + b. A name with
    // anything but a–z goes through `bigrams`, which names the error.
    let mut counts = vec![0u64; VOCAB * VOCAB];
    for (index, name) in names.iter().enumerate() {
        let bytes = name.as_bytes();
        if bytes.is_empty() {
            return Err(LanguageModelError::EmptyName { index });
        }
        if !bytes.iter().all(u8::is_ascii_lowercase) {
            bigrams(&[name])?;
            continue;
        }
        let mut previous = 0;
        for &byte in bytes {
            let token = usize::from(byte - b'a' + 1);
            counts[previous * VOCAB + token] += 1;
            previous = token;
        }
        counts[previous * VOCAB] += 1;
    }
    Ok(Array2::from_shape_vec((VOCAB, VOCAB), counts).expect("27 × 27 counts"))
    // STUB
    // // TODO: Count every bigram of the names into a 27 × 27 table. ["ab"] -> N[0, 1] = N[1, 2] = N[2, 0] = 1
    // todo!("bigram counts of {} names", names.len())
    // END SOLUTION
}
