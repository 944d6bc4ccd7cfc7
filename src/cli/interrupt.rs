//! Ctrl-C for the client subcommands: the first SIGINT sets a flag (and
//! interrupts a blocking read of stdin) so the command can flush, report and
//! exit 130; a second one exits at once, for when flushing itself hangs.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The exit code of a command stopped by Ctrl-C (128 + SIGINT).
pub const EXIT_CODE: u8 = 130;

extern "C" fn on_sigint(_: libc::c_int) {
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(EXIT_CODE as libc::c_int) };
    }
}

/// Installs the handler without SA_RESTART, so a read blocked on a terminal
/// or pipe returns `Interrupted` instead of waiting for more input.
pub fn install() {
    // SAFETY: a zeroed sigaction with a valid handler and an empty mask is a
    // valid argument; the handler only touches an atomic and calls _exit.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as *const () as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        action.sa_flags = 0;
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Forgets an earlier Ctrl-C, so the REPL's next command starts afresh (and
/// its first Ctrl-C stops it rather than ending the process).
pub fn reset() {
    INTERRUPTED.store(false, Ordering::SeqCst);
}
