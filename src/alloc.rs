//! How the C library's allocator hands memory back, set once at start-up.
//!
//! A scan on two threads builds one set of tables per worker and frees one set when they
//! are merged: on a dictionary attack of 5 M recipients that is a few hundred megabytes
//! freed in big blocks. glibc serves big blocks with `mmap` and returns them to the system
//! when freed, but each such free also raises its threshold for `mmap`, so the next big
//! tables come from its heap and stay there after they are freed: the peak resident size
//! of a two-thread scan grew by a third (660 MB instead of 490 MB, see BENCHMARKS.md).
//! Fixing the threshold at glibc's own starting value keeps every big table in its own
//! mapping. A threshold the user set (`GLIBC_TUNABLES=glibc.malloc.mmap_threshold=…`) is
//! left alone; other C libraries are not touched.

/// Fixes glibc's `mmap` threshold (see the module docs); does nothing elsewhere.
pub fn return_big_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let tuned = std::env::var_os("GLIBC_TUNABLES")
            .is_some_and(|v| v.to_string_lossy().contains("mmap_threshold"));
        if !tuned {
            glibc::set_mmap_threshold(128 * 1024);
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::c_int;

    /// `M_MMAP_THRESHOLD` in glibc's `<malloc.h>`.
    const M_MMAP_THRESHOLD: c_int = -3;

    extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }

    pub fn set_mmap_threshold(bytes: c_int) {
        // SAFETY: `mallopt` only changes the allocator's tuning; it is called before any
        // thread of ours starts, and a value it refuses is ignored (it returns 0).
        #[allow(unsafe_code)]
        unsafe {
            mallopt(M_MMAP_THRESHOLD, bytes);
        }
    }
}
