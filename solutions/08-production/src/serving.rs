//! Step 3: batched serving: a bounded request queue, dynamic batching, a latency per request.

use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ndarray::{Array1, Array2, ArrayView2};

use crate::error::ServeError;

/// The model behind the server: `x: (B, D)` → outputs `(B, K)`, one row per input row.
pub type Predict = Box<dyn Fn(ArrayView2<'_, f64>) -> Array2<f64> + Send>;

/// How the server batches.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchConfig {
    /// The most requests in one batch (≥ 1).
    pub max_batch: usize,
    /// How long the first request of a batch waits for others to join it.
    pub max_wait: Duration,
    /// The most requests waiting in the queue (≥ 1); one more is refused with
    /// [`ServeError::QueueFull`].
    pub queue_capacity: usize,
}

/// One queued request: an input row, when it was enqueued, and where its answer goes.
#[derive(Debug)]
pub struct Request {
    /// The input row, `(D,)`.
    pub row: Array1<f64>,
    /// When [`Server::submit`] accepted it.
    pub enqueued: Instant,
    /// The channel its [`Response`] is sent on.
    pub reply: Sender<Response>,
}

/// The answer to one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The model's output row for this request, `(K,)`.
    pub output: Array1<f64>,
    /// From enqueueing to the answer being sent: queueing, batching and inference.
    pub latency: Duration,
    /// How many requests were served in the same batch.
    pub batch_size: usize,
}

/// A submitted request's answer, to come.
#[derive(Debug)]
pub struct Ticket {
    answer: Receiver<Response>,
}

impl Ticket {
    /// A ticket whose answer arrives on `answer`.
    pub fn new(answer: Receiver<Response>) -> Ticket {
        Ticket { answer }
    }

    /// Blocks until the answer arrives.
    ///
    /// # Errors
    ///
    /// [`ServeError::Stopped`] when the server dropped the request without answering.
    pub fn wait(self) -> Result<Response, ServeError> {
        self.answer.recv().map_err(|_| ServeError::Stopped)
    }
}

/// A model server: one worker thread takes batches off a bounded queue with [`next_batch`],
/// runs them with [`serve_batch`], and answers each request on its own channel.
pub struct Server {
    queue: SyncSender<Request>,
    worker: JoinHandle<Vec<usize>>,
    width: usize,
    capacity: usize,
}

impl Server {
    /// Starts the worker thread for a model of input width `width`.
    ///
    /// # Errors
    ///
    /// [`ServeError::InvalidConfig`] when `max_batch` or `queue_capacity` is 0.
    pub fn start(
        predict: Predict,
        width: usize,
        config: BatchConfig,
    ) -> Result<Server, ServeError> {
        if config.max_batch == 0 || config.queue_capacity == 0 {
            return Err(ServeError::InvalidConfig(format!(
                "max_batch {} and queue_capacity {} must be at least 1",
                config.max_batch, config.queue_capacity
            )));
        }
        let (queue, requests) = mpsc::sync_channel(config.queue_capacity);
        let capacity = config.queue_capacity;
        let worker = std::thread::spawn(move || {
            let mut sizes = Vec::new();
            while let Some(batch) = next_batch(&requests, &config) {
                sizes.push(serve_batch(&predict, batch));
            }
            sizes
        });
        Ok(Server {
            queue,
            worker,
            width,
            capacity,
        })
    }

    /// Enqueues `row` without blocking, stamped with the time it was accepted.
    ///
    /// # Errors
    ///
    /// [`ServeError::WrongWidth`] when `row` is not the model's width;
    /// [`ServeError::QueueFull`] when `queue_capacity` requests are already waiting
    /// (back-pressure: the caller retries or sheds load, the server never buffers without
    /// bound); [`ServeError::Stopped`] when the worker has stopped.
    pub fn submit(&self, row: Vec<f64>) -> Result<Ticket, ServeError> {
        // BEGIN SOLUTION
        if row.len() != self.width {
            return Err(ServeError::WrongWidth {
                expected: self.width,
                got: row.len(),
            });
        }
        let (reply, answer) = mpsc::channel();
        let request = Request {
            row: Array1::from(row),
            enqueued: Instant::now(),
            reply,
        };
        match self.queue.try_send(request) {
            Ok(()) => Ok(Ticket::new(answer)),
            Err(mpsc::TrySendError::Full(_)) => Err(ServeError::QueueFull {
                capacity: self.capacity,
            }),
            Err(mpsc::TrySendError::Disconnected(_)) => Err(ServeError::Stopped),
        }
        // STUB
        // // TODO: Check the width, then try_send a stamped Request; a full queue is ServeError::QueueFull.
        // todo!("submit a row of {} features to a server of width {} and capacity {}", row.len(), self.width, self.capacity)
        // END SOLUTION
    }

    /// Stops accepting requests, lets the worker answer what is queued, and returns the size
    /// of every batch it served, in order.
    pub fn shutdown(self) -> Vec<usize> {
        drop(self.queue);
        self.worker.join().unwrap_or_default()
    }
}

/// The next batch from `requests`: blocks for the first request, then takes more until the
/// batch holds `max_batch` requests or `max_wait` has passed since the first arrived, whichever
/// comes first. `None` once every sender is gone and the queue is empty.
///
/// ```text
/// 20 requests queued, max_batch 8  →  8, then 8, then 4 (after max_wait), then None
/// ```
pub fn next_batch(requests: &Receiver<Request>, config: &BatchConfig) -> Option<Vec<Request>> {
    // BEGIN SOLUTION
    let first = requests.recv().ok()?;
    let deadline = Instant::now() + config.max_wait;
    let mut batch = vec![first];
    while batch.len() < config.max_batch {
        let left = deadline.saturating_duration_since(Instant::now());
        match requests.recv_timeout(left) {
            Ok(r) => batch.push(r),
            Err(_) => break,
        }
    }
    Some(batch)
    // STUB
    // // TODO: recv the first request, then recv_timeout until max_batch or the deadline. 20 queued, max 8 -> 8
    // todo!("next batch of at most {} requests within {:?} from {requests:?}", config.max_batch, config.max_wait)
    // END SOLUTION
}

/// Serves one batch: stacks the rows into `x: (B, D)`, calls `predict` once, and sends row i
/// of the output to request i with its latency (from its `enqueued` to now) and the batch
/// size. A request whose caller went away is skipped. Returns B.
///
/// # Panics
///
/// When the rows differ in width or `predict` returns other than B rows.
#[track_caller]
pub fn serve_batch(predict: &Predict, batch: Vec<Request>) -> usize {
    // BEGIN SOLUTION
    let b = batch.len();
    let d = batch.first().map_or(0, |r| r.row.len());
    let mut x = Array2::zeros((b, d));
    for (mut row, r) in x.rows_mut().into_iter().zip(&batch) {
        row.assign(&r.row);
    }
    let out = predict(x.view());
    assert_eq!(
        out.nrows(),
        b,
        "the model returned {} rows for {b}",
        out.nrows()
    );
    for (r, output) in batch.into_iter().zip(out.rows()) {
        let response = Response {
            output: output.to_owned(),
            latency: r.enqueued.elapsed(),
            batch_size: b,
        };
        let _ = r.reply.send(response);
    }
    b
    // STUB
    // // TODO: Stack the rows, predict once, send row i of the output to request i with its latency.
    // todo!("serve a batch of {} requests with {}", batch.len(), std::any::type_name_of_val(predict))
    // END SOLUTION
}
