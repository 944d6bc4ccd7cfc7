//! A global allocator that counts, per thread, the Rust heap a piece of code
//! holds at its peak: the fuzz test's measure of "no allocation sized by what
//! a client claims". Untracked threads pay one thread-local read per
//! allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct Counting;

#[derive(Clone, Copy)]
struct Track {
    on: bool,
    live: isize,
    peak: isize,
}

thread_local! {
    static TRACK: Cell<Track> = const { Cell::new(Track { on: false, live: 0, peak: 0 }) };
}

fn note(delta: isize) {
    let _ = TRACK.try_with(|t| {
        let mut v = t.get();
        if v.on {
            v.live += delta;
            v.peak = v.peak.max(v.live);
            t.set(v);
        }
    });
}

/// Starts counting this thread's allocations from zero.
pub fn start() {
    TRACK.with(|t| {
        t.set(Track {
            on: true,
            live: 0,
            peak: 0,
        })
    });
}

/// Stops counting and returns the peak bytes held since `start`.
pub fn stop() -> usize {
    TRACK.with(|t| {
        let v = t.get();
        t.set(Track { on: false, ..v });
        v.peak.max(0) as usize
    })
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-(layout.size() as isize));
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size as isize - layout.size() as isize);
        System.realloc(ptr, layout, new_size)
    }
}
