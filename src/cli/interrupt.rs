//! Signals for the client subcommands. The first SIGINT, SIGTERM or SIGHUP
//! (Ctrl-C; `timeout`, systemd and docker stop; a closed terminal) asks the
//! command to stop: it flushes, commits and reports what it did, and exits
//! 128 + the signal, as shells do (130, 143, 129). The request also cancels
//! any wait on the network ([`crate::client::cancel`]) and interrupts a
//! blocking read of stdin. A second signal exits at once, for when stopping
//! itself hangs, after saying how many records `dq produce` read but could
//! not confirm.

use std::sync::atomic::{AtomicI32, Ordering};

use crate::client::{cancel, producer};

/// The first signal received, 0 for none.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

extern "C" fn on_signal(signal: libc::c_int) {
    if SIGNAL
        .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
        .is_ok()
    {
        cancel::request();
        return;
    }
    if let Some(unconfirmed) = producer::unconfirmed() {
        write_unconfirmed(unconfirmed);
    }
    // SAFETY: _exit is async-signal-safe.
    unsafe { libc::_exit(128 + signal) };
}

/// "dq: stopped at once: N record(s) read but not confirmed by the broker…"
/// on stderr, built without allocating (this runs in a signal handler).
fn write_unconfirmed(count: u64) {
    let mut buf = [0u8; 160];
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        let n = bytes.len().min(buf.len() - len);
        buf[len..len + n].copy_from_slice(&bytes[..n]);
        len += n;
    };
    put(b"dq: stopped at once: ");
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = count;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    put(&digits[at..]);
    put(
        b" record(s) read but not confirmed by the broker; they may or may not have been written\n",
    );
    // SAFETY: write is async-signal-safe; the buffer lives for the call.
    unsafe { libc::write(libc::STDERR_FILENO, buf.as_ptr().cast(), len) };
}

/// Installs the handler for SIGINT, SIGTERM and SIGHUP without SA_RESTART,
/// so a read blocked on a terminal or pipe returns `Interrupted` instead of
/// waiting for more input.
pub fn install() {
    // SAFETY: a zeroed sigaction with a valid handler and an empty mask is a
    // valid argument; the handler touches atomics and calls only
    // async-signal-safe functions (write, _exit).
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        action.sa_flags = 0;
        for signal in SIGNALS {
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

pub fn interrupted() -> bool {
    SIGNAL.load(Ordering::SeqCst) != 0
}

/// The exit code of a command stopped by a signal: 128 + its number (130
/// for Ctrl-C), as shells report it.
pub fn exit_code() -> u8 {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => 128 + libc::SIGINT as u8,
        signal => 128 + signal as u8,
    }
}

/// The REPL's dispositions: Ctrl-C stops the command that runs (or, at the
/// prompt, drops the line), while SIGTERM and SIGHUP end the REPL as they
/// end any program.
pub fn install_for_repl() {
    install();
    reset();
}

/// The signal that stopped the command, as people know it.
pub fn signal_name() -> &'static str {
    match SIGNAL.load(Ordering::SeqCst) {
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "Ctrl-C",
    }
}

/// Forgets an earlier signal, so the REPL's next command starts afresh (and
/// its first Ctrl-C stops it rather than ending the process); SIGTERM and
/// SIGHUP go back to ending the process until a command installs
/// [`install`] again.
pub fn reset() {
    SIGNAL.store(0, Ordering::SeqCst);
    cancel::clear();
    // SAFETY: restoring the default disposition of two signals.
    unsafe {
        libc::signal(libc::SIGTERM, libc::SIG_DFL);
        libc::signal(libc::SIGHUP, libc::SIG_DFL);
    }
}
