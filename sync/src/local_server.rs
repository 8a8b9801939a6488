//! A real `nats-server` with JetStream on loopback, for tests, benchmarks
//! and trials: started on a free port with its own store directory, able
//! to restart on the same port and store (what a server restart does to a
//! follower), stopped when dropped.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server.
#[derive(Debug)]
pub struct LocalServer {
    child: Option<Child>,
    port: u16,
    store: PathBuf,
}

/// Why a server did not start.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

impl LocalServer {
    /// Starts `nats-server` (found on `PATH`, or `NATS_SERVER`) with
    /// JetStream on a free loopback port, storing under a new directory of
    /// the system's temporary directory.
    pub fn start() -> Result<LocalServer, StartError> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| StartError(format!("no free loopback port: {error}")))?
            .port();
        let store =
            std::env::temp_dir().join(format!("dnc-sync-nats-{}-{port}", std::process::id()));
        let mut server = LocalServer {
            child: None,
            port,
            store,
        };
        server.launch()?;
        Ok(server)
    }

    /// The client URL.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kills the server (as a crash would: no clean shutdown).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the server and starts it again on the same port and store.
    pub fn restart(&mut self) -> Result<(), StartError> {
        self.kill();
        self.launch()
    }

    fn launch(&mut self) -> Result<(), StartError> {
        let program = std::env::var("NATS_SERVER").unwrap_or_else(|_| "nats-server".to_owned());
        let child = Command::new(&program)
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(&self.store)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| {
                StartError(format!(
                    "cannot start {program} ({error}): install the Debian package nats-server \
                     or set NATS_SERVER"
                ))
            })?;
        self.child = Some(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if started.elapsed() > Duration::from_secs(10) {
                self.kill();
                return Err(StartError(format!(
                    "{program} did not listen on port {} within 10 s",
                    self.port
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.store);
    }
}
