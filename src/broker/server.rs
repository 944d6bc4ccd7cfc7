//! The listener: binds every address the listen host resolves to (so
//! `localhost` works over IPv4 and IPv6 alike), accepts connections up to
//! `--max-connections`, and on shutdown stops accepting, lets connections
//! finish, and syncs every log.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, Semaphore};
use tokio::task::JoinSet;

use super::connection::{self, RequestBudget};
use super::state::{advertised_address, BrokerConfig, State};

/// How long shutdown waits for in-flight requests.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Server {
    listeners: Vec<TcpListener>,
    state: Arc<State>,
    /// One permit per open connection (`--max-connections`), so clients
    /// cannot use up the broker's file handles and memory. A connection
    /// over the limit is accepted and closed at once, not left in the
    /// listen backlog: the client sees the refusal and backs off, rather
    /// than waiting on a connection nobody reads. The permit moves into the
    /// connection's task and returns when the task ends.
    limit_connections: Arc<Semaphore>,
    /// Bytes of requests in flight over all connections (`--queued-max-request-bytes`).
    request_budget: Arc<RequestBudget>,
}

impl Server {
    /// Binds the listener(s) and opens the data directory (running recovery).
    pub async fn bind(config: BrokerConfig) -> anyhow::Result<Server> {
        let listeners = bind_all(&config.listen).await?;
        let first = listeners[0].local_addr()?;
        let advertised = advertised_address(&config, first);
        let data_dir = config.data_dir.clone();
        let state = tokio::task::spawn_blocking(move || State::open(config, advertised))
            .await?
            .with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
        // Transactions the coordinator had prepared before a crash are
        // finished (markers, then complete) before any client is served.
        state
            .transactions
            .tick(&state.internal(), &state.groups)
            .await;
        let max_connections = state.config.max_connections.min(Semaphore::MAX_PERMITS);
        let request_budget = Arc::new(RequestBudget::new(state.config.queued_max_request_bytes));
        Ok(Server {
            listeners,
            state: Arc::new(state),
            limit_connections: Arc::new(Semaphore::new(max_connections)),
            request_budget,
        })
    }

    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect()
    }

    pub fn state(&self) -> &Arc<State> {
        &self.state
    }

    /// Serves until `shutdown` resolves.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        let (notify, _) = broadcast::channel::<()>(1);
        let mut connections = JoinSet::new();
        let mut acceptors = JoinSet::new();
        let (conn_tx, mut conn_rx) = tokio::sync::mpsc::unbounded_channel();
        for listener in self.listeners {
            let conn_tx = conn_tx.clone();
            acceptors.spawn(async move {
                loop {
                    match listener.accept().await {
                        Ok(conn) => {
                            if conn_tx.send(conn).is_err() {
                                return;
                            }
                        }
                        Err(e) => {
                            // Out of file descriptors and the like: back off, keep serving.
                            tracing::error!("accept failed: {e}");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    }
                }
            });
        }
        drop(conn_tx);
        // Session and rebalance timeouts are checked ten times a second.
        let ticker_state = self.state.clone();
        let ticker = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(100));
            loop {
                every.tick().await;
                let now = std::time::Instant::now();
                ticker_state.groups.tick(now);
                for (group, member) in ticker_state.share_groups.tick(now) {
                    ticker_state
                        .share_partitions
                        .release_member(&group, &member);
                }
            }
        });
        // Retention, segment.ms and compaction, once a second, off the async
        // workers (a pass only rewrites segments sealed since the last one).
        let retention_state = self.state.clone();
        let retention = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(1));
            loop {
                every.tick().await;
                let state = retention_state.clone();
                let _ = tokio::task::spawn_blocking(move || {
                    state.logs.enforce_retention();
                    state.logs.compact_all();
                })
                .await;
            }
        });
        // Transactions, once a second: prepared ones finished, those past
        // their timeout aborted, idle transactional ids expired.
        let txn_state = self.state.clone();
        let transactions = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(1));
            loop {
                every.tick().await;
                txn_state
                    .transactions
                    .tick(&txn_state.internal(), &txn_state.groups)
                    .await;
            }
        });
        // Share groups' acquisition locks, ten times a second: expired ones
        // released (or archived at the delivery limit), durably.
        let share_state = self.state.clone();
        let share_locks = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(100));
            loop {
                every.tick().await;
                share_state
                    .share_partitions
                    .expire_locks(&share_state)
                    .await;
            }
        });
        tokio::pin!(shutdown);
        // True while connections are being refused: logged once per episode.
        let mut refusing = false;
        loop {
            tokio::select! {
                Some((stream, peer)) = conn_rx.recv() => {
                    let Ok(permit) = self.limit_connections.clone().try_acquire_owned() else {
                        if !refusing {
                            refusing = true;
                            tracing::warn!(
                                %peer,
                                limit = self.state.config.max_connections,
                                "connection limit reached (--max-connections): new connections are closed at once until one ends"
                            );
                        }
                        drop(stream);
                        continue;
                    };
                    if refusing {
                        refusing = false;
                        tracing::info!("accepting connections again");
                    }
                    tracing::debug!(%peer, "connection opened");
                    let serving = connection::serve(
                        self.state.clone(),
                        self.request_budget.clone(),
                        stream,
                        peer,
                        notify.subscribe(),
                    );
                    connections.spawn(async move {
                        serving.await;
                        drop(permit);
                    });
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
                _ = &mut shutdown => break,
            }
        }
        tracing::info!("shutting down");
        acceptors.abort_all();
        ticker.abort();
        retention.abort();
        transactions.abort();
        share_locks.abort();
        let _ = notify.send(());
        let drained = tokio::time::timeout(DRAIN_TIMEOUT, async {
            while connections.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            connections.abort_all();
        }
        let state = self.state.clone();
        tokio::task::spawn_blocking(move || state.logs.sync_all()).await?;
        tracing::info!("all logs flushed; stopped");
        Ok(())
    }
}

/// Binds every address `listen` resolves to. With port 0 the first bind picks
/// the port and the others reuse it.
async fn bind_all(listen: &str) -> anyhow::Result<Vec<TcpListener>> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host(listen)
        .await
        .with_context(|| format!("cannot resolve listen address '{listen}' (expected HOST:PORT)"))?
        .collect();
    let mut addrs = dedup(addrs);
    if addrs.is_empty() {
        anyhow::bail!("listen address '{listen}' resolves to no address");
    }
    let mut listeners = Vec::new();
    let first = TcpListener::bind(addrs[0])
        .await
        .with_context(|| format!("cannot listen on {} ({listen})", addrs[0]))?;
    let port = first.local_addr()?.port();
    listeners.push(first);
    for addr in addrs.iter_mut().skip(1) {
        addr.set_port(port);
        match TcpListener::bind(*addr).await {
            Ok(l) => listeners.push(l),
            // A host without IPv6 (or with the port taken on one family) still
            // serves on the addresses that work.
            Err(e) => tracing::warn!("not listening on {addr}: {e}"),
        }
    }
    Ok(listeners)
}

fn dedup(addrs: Vec<SocketAddr>) -> Vec<SocketAddr> {
    let mut out: Vec<SocketAddr> = Vec::new();
    for a in addrs {
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}
