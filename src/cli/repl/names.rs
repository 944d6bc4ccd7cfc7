//! The topic and group names the REPL completes, fetched from the broker
//! by a background thread so that Tab never waits on the network: at
//! start, after every command (which may have created or deleted one),
//! after `connect`, on `refresh`, and every half minute.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, Consumer};

use super::complete::Names;
use crate::client::admin::is_internal;
use crate::client::ClientOptions;

const PERIOD: Duration = Duration::from_secs(30);

/// How long Tab waits for a refresh already under way, so that a topic
/// created by the previous command completes; a slow broker costs at most
/// this, and the old names are used.
const PATIENCE: Duration = Duration::from_secs(2);

enum Request {
    Refresh,
    Connect(ClientOptions),
}

#[derive(Default)]
struct Shared {
    names: Names,
    /// Refreshes asked for and refreshes finished: Tab waits while the
    /// first is ahead.
    asked: u64,
    done: u64,
}

pub struct NameCache {
    shared: Arc<(Mutex<Shared>, Condvar)>,
    requests: Sender<Request>,
}

impl NameCache {
    pub fn start(options: ClientOptions) -> NameCache {
        let shared = Arc::new((Mutex::new(Shared::default()), Condvar::new()));
        let (requests, inbox) = mpsc::channel();
        let worker = Arc::clone(&shared);
        thread::Builder::new()
            .name("dq-repl-names".into())
            .spawn(move || {
                let mut options = options;
                let mut client: Option<BaseConsumer> = None;
                loop {
                    let fetched = fetch(&options, &mut client);
                    let (lock, ready) = &*worker;
                    let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
                    // A broker that cannot be reached keeps the last names.
                    if let Some(names) = fetched {
                        state.names = names;
                    }
                    state.done = state.asked;
                    ready.notify_all();
                    drop(state);
                    match inbox.recv_timeout(PERIOD) {
                        Ok(Request::Refresh) | Err(RecvTimeoutError::Timeout) => {}
                        Ok(Request::Connect(next)) => {
                            client = None;
                            options = next;
                            let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
                            state.names = Names::default();
                        }
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            })
            .expect("spawning the REPL's name fetcher");
        let cache = NameCache { shared, requests };
        cache.ask(Request::Refresh);
        cache
    }

    pub fn refresh(&self) {
        self.ask(Request::Refresh);
    }

    pub fn connect(&self, options: ClientOptions) {
        self.ask(Request::Connect(options));
    }

    fn ask(&self, request: Request) {
        let (lock, _) = &*self.shared;
        lock.lock().unwrap_or_else(|e| e.into_inner()).asked += 1;
        // The thread only stops when this sender is dropped.
        let _ = self.requests.send(request);
    }

    /// The names, after waiting (briefly) for a refresh under way.
    pub fn names(&self) -> Names {
        let (lock, ready) = &*self.shared;
        let state = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (state, _) = ready
            .wait_timeout_while(state, PATIENCE, |s| s.done < s.asked)
            .unwrap_or_else(|e| e.into_inner());
        state.names.clone()
    }
}

/// One client per broker, without a group (so dropping it never waits on
/// a coordinator), kept between fetches so that Tab costs no reconnect.
fn fetch(options: &ClientOptions, client: &mut Option<BaseConsumer>) -> Option<Names> {
    if client.is_none() {
        *client = options.config(&[]).ok()?.create().ok();
    }
    let client = client.as_ref()?;
    let timeout = options.timeout.min(PATIENCE);
    let metadata = client.fetch_metadata(None, timeout).ok()?;
    let topics = metadata
        .topics()
        .iter()
        .filter(|t| t.error().is_none() && !is_internal(t.name()))
        .map(|t| t.name().to_string())
        .collect();
    let groups = client
        .fetch_group_list(None, timeout)
        .ok()?
        .groups()
        .iter()
        .map(|g| g.name().to_string())
        .collect();
    Some(Names { topics, groups })
}
