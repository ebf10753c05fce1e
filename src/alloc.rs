//! How the C library's allocator hands memory back, set once at start-up.
//!
//! A scan on two threads builds one set of tables per worker and frees one set when they
//! are merged: on a dictionary attack of 5 M recipients that is a few hundred megabytes
//! freed in big blocks. glibc serves big blocks with `mmap` and returns them to the system
//! when freed, but each such free also raises its threshold for `mmap`, so the next big
//! tables come from its heap and stay there after they are freed: the peak resident size
//! of a two-thread scan grew by a third (660 MB instead of 490 MB, see BENCHMARKS.md).
//! Fixing the threshold at glibc's own starting value keeps every big table in its own
//! mapping.
//!
//! The small blocks come from each thread's heap, which glibc grows a little at a time, one
//! `mprotect` call per step: an 18 MB log took 570 of them, each taking the process's
//! memory-map lock for writing, so that the other worker's page faults (and the mapping of
//! its next chunk) waited for it. Growing the heaps 16 MiB past what is asked makes that
//! about 15 calls. The pad is address space, not memory: pages are only made resident when
//! they are written.
//!
//! A value the user set (`GLIBC_TUNABLES=glibc.malloc.mmap_threshold=…` or `…top_pad=…`) is
//! left alone; other C libraries are not touched.

/// Sets glibc's `mmap` threshold and heap pad (see the module docs); does nothing
/// elsewhere.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let tuned = std::env::var_os("GLIBC_TUNABLES").map(|v| v.to_string_lossy().into_owned());
        let tuned = |name: &str| tuned.as_deref().is_some_and(|v| v.contains(name));
        if !tuned("mmap_threshold") {
            glibc::set(glibc::M_MMAP_THRESHOLD, 128 * 1024);
        }
        if !tuned("top_pad") {
            glibc::set(glibc::M_TOP_PAD, 16 << 20);
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::c_int;

    /// `M_MMAP_THRESHOLD` in glibc's `<malloc.h>`.
    pub const M_MMAP_THRESHOLD: c_int = -3;
    /// `M_TOP_PAD` in glibc's `<malloc.h>`.
    pub const M_TOP_PAD: c_int = -2;

    extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }

    pub fn set(param: c_int, bytes: c_int) {
        // SAFETY: `mallopt` only changes the allocator's tuning; it is called before any
        // thread of ours starts, and a value it refuses is ignored (it returns 0).
        #[allow(unsafe_code)]
        unsafe {
            mallopt(param, bytes);
        }
    }
}
