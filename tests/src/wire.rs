//! A loopback HTTP/1.1 server whose every byte the test decides, for the attacks a
//! mock server cannot stage: bodies that never end, `Content-Length` lies, sockets that
//! hang, and an origin that must receive nothing.
//!
//! It runs on a thread and runtime of its own, so what it records (connections, bytes,
//! arrival times) does not depend on how busy the client's runtime is, and a client test
//! may pause its own clock.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
pub enum Reply {
    /// Writes these bytes and closes the connection.
    Bytes(Vec<u8>),
    /// Like `Bytes`, for a response built once and served without a copy (so that a
    /// test counting allocations counts the client's only).
    Shared(Arc<[u8]>),
    /// Writes `head`, then `chunk` `count` times (forever when `None`), until the client
    /// goes away.
    Stream {
        /// The status line and headers, ending in an empty line.
        head: String,
        /// The bytes repeated after it.
        chunk: Arc<[u8]>,
        /// How many times; `None` for a body that never ends.
        count: Option<u64>,
    },
    /// Never answers; keeps the connection open.
    Hang,
}

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The request line and headers, as sent.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
    /// When its head was complete.
    pub at: Instant,
}

impl Seen {
    /// The value of header `name` (case-insensitive), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The request target, for example `/api/v2/organizations/1?x=1`.
    pub fn target(&self) -> &str {
        self.head.split(' ').nth(1).unwrap_or_default()
    }
}

/// Everything the server saw and sent.
#[derive(Debug, Default)]
pub struct Log {
    /// Connections accepted.
    pub connections: usize,
    /// Bytes read from clients, requests or not.
    pub bytes_received: usize,
    /// Body bytes written.
    pub bytes_sent: u64,
    /// Complete requests, in order of arrival.
    pub requests: Vec<Seen>,
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct Wire {
    addr: SocketAddr,
    log: Arc<Mutex<Log>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Wire {
    /// Starts a server on `127.0.0.1` that answers request number `n` (from 0) with
    /// `handler(&request, n)`, one request per connection.
    pub fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind a loopback port");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("address");
        let log = Arc::new(Mutex::new(Log::default()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let handler: Arc<Handler> = Arc::new(handler);
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("listener");
                tokio::select! {
                    () = accept(listener, handler, shared) => {}
                    _ = stopped => {}
                }
            });
            runtime.shutdown_background();
        });
        Self {
            addr,
            log,
            _stop: stop,
        }
    }

    /// A server that answers everything with a 200 and an empty JSON object: an origin
    /// that, in a test, must receive nothing.
    pub fn bystander() -> Self {
        Self::start(|_, _| Reply::Bytes(response(200, &[], br#"{"success":true,"data":{}}"#)))
    }

    /// `http://127.0.0.1:{port}`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// What the server has seen so far.
    pub fn log(&self) -> MutexGuard<'_, Log> {
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits (for real, at most five seconds) until `done` holds for the log.
    pub fn wait_until(&self, done: impl Fn(&Log) -> bool) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if done(&self.log()) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        done(&self.log())
    }
}

/// An HTTP/1.1 response with a `Content-Length` and `Connection: close`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
    {
        head.push_str("content-type: application/json\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

async fn accept(listener: TcpListener, handler: Arc<Handler>, log: Arc<Mutex<Log>>) {
    let counter = Arc::new(Mutex::new(0usize));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        lock(&log).connections += 1;
        let (handler, log, counter) =
            (Arc::clone(&handler), Arc::clone(&log), Arc::clone(&counter));
        tokio::spawn(async move {
            let _ = serve(stream, &*handler, &log, &counter).await;
        });
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Serves the one request of a connection: every reply closes it (or never ends).
async fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    log: &Mutex<Log>,
    counter: &Mutex<usize>,
) -> io::Result<()> {
    let mut buffer = Vec::new();
    let Some(seen) = read_request(&mut stream, &mut buffer, log).await? else {
        return Ok(());
    };
    let number = {
        let mut counter = lock(counter);
        *counter += 1;
        *counter - 1
    };
    lock(log).requests.push(seen.clone());
    match handler(&seen, number) {
        Reply::Bytes(bytes) => stream.write_all(&bytes).await?,
        Reply::Shared(bytes) => stream.write_all(&bytes).await?,
        Reply::Stream { head, chunk, count } => {
            stream.write_all(head.as_bytes()).await?;
            let mut written = 0;
            while count.is_none_or(|count| written < count) {
                stream.write_all(&chunk).await?;
                lock(log).bytes_sent += chunk.len() as u64;
                written += 1;
            }
        }
        Reply::Hang => {
            // Hold the connection until the server stops; read and drop whatever comes.
            let mut sink = [0u8; 1024];
            while stream.read(&mut sink).await? > 0 {}
            return Ok(());
        }
    }
    stream.shutdown().await
}

/// Reads one request (head and `Content-Length` body); `None` when the client closed.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    log: &Mutex<Log>,
) -> io::Result<Option<Seen>> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        lock(log).bytes_received += read;
        buffer.extend_from_slice(&chunk[..read]);
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|line| {
            line.split_once(':')
                .filter(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        })
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        lock(log).bytes_received += read;
        buffer.extend_from_slice(&chunk[..read]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Ok(Some(Seen { head, body, at }))
}
