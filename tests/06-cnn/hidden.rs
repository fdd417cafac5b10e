//! Hidden checks of exercise 06: never shipped; instructors grade with them. CS231n's published
//! check values (recomputed in double precision; the numbers, not the course's text) and more
//! shapes against the suite's loops.

use mlings_grader::assert::{Tol, close_array};
use mlings_grader::{Check, expect_err, ok};
use ndarray::Array4;

use super::EXACT;
use super::oracle::{self, BackForm, randn4, rng};
use super::steps::{CNN, CONV_BACKWARD, CONV_FORWARD, IM2COL, MAX_POOL};
use crate::sut;

/// CS231n's expected output of the convolution check (`oracle::cs231n_conv`), (2, 3, 2, 2).
const CS231N_CONV_OUT: [f64; 24] = [
    -0.08759809,
    -0.10987781,
    -0.18387192,
    -0.2109216,
    0.21027089,
    0.21661097,
    0.22847626,
    0.23004637,
    0.50813986,
    0.54309974,
    0.64082444,
    0.67101435,
    -0.98053589,
    -1.03143541,
    -1.19128892,
    -1.24695841,
    0.69108355,
    0.66880383,
    0.59480972,
    0.56776003,
    2.36270298,
    2.36904306,
    2.38090835,
    2.38247847,
];

/// The published values have 8 decimals: they are exact to half a unit of the 8th.
const PRINTED: Tol = Tol::abs(5.1e-9);

fn cs231n_expected() -> Array4<f64> {
    Array4::from_shape_vec((2, 3, 2, 2), CS231N_CONV_OUT.to_vec()).expect("24 values")
}

/// Every hidden check.
pub fn checks() -> Vec<Check> {
    vec![
        Check::hidden(
            CONV_FORWARD,
            "conv_forward_matches_cs231n_check_values",
            2,
            || {
                let (x, w, b, conv) = oracle::cs231n_conv();
                let got = ok(sut::conv_forward(x.view(), w.view(), b.view(), conv))?;
                close_array("out", &got, &cs231n_expected(), PRINTED)
            },
        ),
        Check::hidden(
            CONV_BACKWARD,
            "conv_backward_matches_the_loops_on_cs231n_inputs",
            2,
            || {
                let (x, w, _, conv) = oracle::cs231n_conv();
                let dout = randn4(&mut rng(81), (2, 3, 2, 2), 1.0);
                let g = ok(sut::conv_backward(dout.view(), x.view(), w.view(), conv))?;
                let (dx, dw, db) =
                    oracle::conv_backward(dout.view(), x.view(), w.view(), 2, 1, BackForm::Correct);
                close_array("dx", &g.dx, &dx, EXACT)?;
                close_array("dw", &g.dw, &dw, EXACT)?;
                close_array("db", &g.db, &db, EXACT)
            },
        ),
        Check::hidden(
            CONV_BACKWARD,
            "conv_backward_matches_the_loops_without_padding",
            2,
            || {
                let mut rng = rng(82);
                let x = randn4(&mut rng, (3, 1, 6, 7), 1.0);
                let w = randn4(&mut rng, (2, 1, 3, 2), 1.0);
                let dout = randn4(&mut rng, (3, 2, 4, 6), 1.0);
                let conv = sut::Conv { stride: 1, pad: 0 };
                let g = ok(sut::conv_backward(dout.view(), x.view(), w.view(), conv))?;
                let (dx, dw, db) =
                    oracle::conv_backward(dout.view(), x.view(), w.view(), 1, 0, BackForm::Correct);
                close_array("dx", &g.dx, &dx, EXACT)?;
                close_array("dw", &g.dw, &dw, EXACT)?;
                close_array("db", &g.db, &db, EXACT)
            },
        ),
        Check::hidden(
            MAX_POOL,
            "max_pool_forward_matches_cs231n_values",
            1,
            || {
                // CS231n: the first window row [[−0.26315789, −0.24842105], [−0.20421053, −0.18947368]]
                // and the last value 0.4.
                let (x, pool) = oracle::cs231n_pool();
                let got = ok(sut::max_pool_forward(x.view(), pool))?;
                let first = got.slice(ndarray::s![0, 0, .., ..]).to_owned();
                close_array(
                    "out[0, 0]",
                    &first,
                    &ndarray::array![[-0.26315789, -0.24842105], [-0.20421053, -0.18947368]],
                    PRINTED,
                )?;
                close_array(
                    "out[1, 2, 1, 1]",
                    &ndarray::arr0(got[[1, 2, 1, 1]]),
                    &ndarray::arr0(0.4),
                    EXACT,
                )
            },
        ),
        Check::hidden(IM2COL, "conv_im2col_matches_cs231n_check_values", 2, || {
            let (x, w, b, conv) = oracle::cs231n_conv();
            let got = ok(sut::conv_forward_im2col(x.view(), w.view(), b.view(), conv))?;
            close_array("out", &got, &cs231n_expected(), PRINTED)?;
            let dout = randn4(&mut rng(83), (2, 3, 2, 2), 1.0);
            let g = ok(sut::conv_backward_im2col(
                dout.view(),
                x.view(),
                w.view(),
                conv,
            ))?;
            let (dx, dw, db) =
                oracle::conv_backward(dout.view(), x.view(), w.view(), 2, 1, BackForm::Correct);
            close_array("dx", &g.dx, &dx, EXACT)?;
            close_array("dw", &g.dw, &dw, EXACT)?;
            close_array("db", &g.db, &db, EXACT)
        }),
        Check::hidden(CNN, "cnn_refuses_images_of_the_wrong_size", 2, || {
            let net = ok(sut::Cnn::new((1, 8, 8), 4, 10, 1))?;
            let small = Array4::<f64>::ones((2, 1, 6, 6));
            expect_err(
                "6×6 images for a network of 8×8 ones",
                net.scores(small.view()),
                |e| matches!(e, sut::CnnError::ShapeMismatch(_)),
            )?;
            let x = Array4::<f64>::ones((2, 1, 8, 8));
            expect_err(
                "label 10 with 10 classes",
                net.loss_and_gradients(x.view(), &[3, 10]),
                |e| matches!(e, sut::CnnError::LabelOutOfRange { .. }),
            )?;
            Ok(())
        }),
    ]
}
