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
        let tunables = std::env::var_os("GLIBC_TUNABLES");
        let tunables = tunables.as_ref().map(|v| v.to_string_lossy());
        for (knob, value) in settings(tunables.as_deref()) {
            let param = match knob {
                Knob::MmapThreshold => glibc::M_MMAP_THRESHOLD,
                Knob::TopPad => glibc::M_TOP_PAD,
            };
            glibc::set(param, value);
        }
    }
}

/// A setting of glibc's allocator that [`tune`] makes.
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Knob {
    MmapThreshold,
    TopPad,
}

/// What [`tune`] sets, given `GLIBC_TUNABLES` (`name=value` pairs separated by `:`): each
/// knob the user did not set there.
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
fn settings(tunables: Option<&str>) -> Vec<(Knob, i32)> {
    let given = |name: &str| {
        tunables.is_some_and(|t| {
            t.split(':')
                .any(|pair| pair.split_once('=').is_some_and(|(n, _)| n == name))
        })
    };
    [
        (
            Knob::MmapThreshold,
            "glibc.malloc.mmap_threshold",
            128 << 10,
        ),
        (Knob::TopPad, "glibc.malloc.top_pad", 16 << 20),
    ]
    .into_iter()
    .filter(|(_, name, _)| !given(name))
    .map(|(knob, _, value)| (knob, value))
    .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_knob_the_user_tuned_is_left_alone() {
        let both = vec![(Knob::MmapThreshold, 128 << 10), (Knob::TopPad, 16 << 20)];
        assert_eq!(settings(None), both);
        assert_eq!(settings(Some("")), both);
        assert_eq!(
            settings(Some("glibc.malloc.top_pad=131072")),
            [(Knob::MmapThreshold, 128 << 10)]
        );
        assert_eq!(
            settings(Some(
                "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=65536"
            )),
            [(Knob::TopPad, 16 << 20)]
        );
        assert_eq!(
            settings(Some("glibc.malloc.mmap_threshold=1:glibc.malloc.top_pad=0")),
            []
        );
        // Only a whole name counts.
        assert_eq!(settings(Some("glibc.malloc.top_pad_x=1")), both);
    }
}
