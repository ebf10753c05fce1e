//! An open-addressing hash table whose slot for a hash can be read ahead of time.
//!
//! The domain and relay tables are looked up for every event, in no order, and on a busy
//! server they outgrow the processor's caches: each lookup used to wait for memory on its
//! own. `crate::stats::Stats::add_batch` first reads the slot of every event of a batch
//! ([`Slots::touch`], a prefetch), so that their cache misses overlap, and then looks
//! them up for real. A general-purpose table does not say where a hash's slot is, so this
//! one is as plain as it can be: entries in one array, the slot of a hash its low bits,
//! linear probing, at most three quarters full. An entry's stored hash is never zero (zero
//! marks an empty slot; a hash of zero is stored as one).

/// An entry: `Copy`, with its hash inside and an empty value whose hash is zero.
pub trait Slot: Copy + Default {
    fn hash(&self) -> u64;
}

/// Asks the processor to load the cache line of `value`, without waiting for it: unlike a
/// read, a prefetch does not hold up the instructions after it, so the misses of a whole
/// batch overlap. Does nothing on processors without the instruction.
#[inline]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it never faults, and the address is a valid reference.
    #[allow(unsafe_code, unused_unsafe)]
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// The table (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Slots<T> {
    slots: Vec<T>,
    len: usize,
}

/// The hash an entry is stored under: never zero.
#[inline]
pub fn stored(hash: u64) -> u64 {
    hash.max(1)
}

impl<T: Slot> Slots<T> {
    /// Entries held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Slots allocated (a slot index stays valid until this changes).
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Bytes of its array.
    pub fn allocated(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<T>()
    }

    /// Asks the processor to bring the slot where `hash` would be found into the cache,
    /// without waiting for it, and the next cache line too: at three quarters full, an
    /// entry is often a slot or two past its own (linear probing).
    #[inline]
    pub fn touch(&self, hash: u64) {
        if !self.slots.is_empty() {
            let mask = self.slots.len() - 1;
            let i = stored(hash) as usize & mask;
            prefetch(&self.slots[i]);
            let next = (i + 64_usize.div_ceil(std::mem::size_of::<T>().max(1))) & mask;
            prefetch(&self.slots[next]);
        }
    }

    /// The entry in slot `i`, if it holds one.
    pub fn get(&self, i: usize) -> Option<&T> {
        self.slots.get(i).filter(|e| e.hash() != 0)
    }

    /// The entry in slot `i`, if it holds one.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.slots.get_mut(i).filter(|e| e.hash() != 0)
    }

    /// The entry with `hash` for which `eq` holds, and its slot; made with `make` (whose hash
    /// must be [`stored`]`(hash)`) when there is none.
    #[inline]
    pub fn find_or_insert(
        &mut self,
        hash: u64,
        eq: impl Fn(&T) -> bool,
        make: impl FnOnce() -> T,
    ) -> (usize, &mut T) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        // Probing starts where `grow` puts the entry: at its stored hash (a hash of zero is
        // stored as one).
        let want = stored(hash);
        let mask = self.slots.len() - 1;
        let mut i = want as usize & mask;
        loop {
            let h = self.slots[i].hash();
            if h == 0 {
                self.slots[i] = make();
                self.len += 1;
                return (i, &mut self.slots[i]);
            }
            if h == want && eq(&self.slots[i]) {
                return (i, &mut self.slots[i]);
            }
            i = (i + 1) & mask;
        }
    }

    /// The slot of the entry with `hash` for which `eq` holds.
    #[inline]
    pub fn find(&self, hash: u64, eq: impl Fn(&T) -> bool) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        // Probing starts where `grow` puts the entry: at its stored hash (a hash of zero is
        // stored as one).
        let want = stored(hash);
        let mask = self.slots.len() - 1;
        let mut i = want as usize & mask;
        loop {
            match self.slots[i].hash() {
                0 => return None,
                h if h == want && eq(&self.slots[i]) => return Some(i),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Puts `entry` (hash [`stored`]`(hash)`, not yet held) in and returns its slot.
    pub fn insert_new(&mut self, hash: u64, entry: T) -> usize {
        self.find_or_insert(hash, |_| false, || entry).0
    }

    /// Takes the entry out of slot `i` (which must hold one). The entries after it in the
    /// same run of full slots move back where that keeps them reachable from their stored
    /// hash (no tombstones: a table that loses entries stays as fast as one that never had
    /// them).
    pub fn remove(&mut self, i: usize) -> T {
        let mask = self.slots.len() - 1;
        let removed = std::mem::take(&mut self.slots[i]);
        self.len -= 1;
        let (mut hole, mut j) = (i, (i + 1) & mask);
        loop {
            let h = self.slots[j].hash();
            if h == 0 {
                return removed;
            }
            // The entry at `j` may fill the hole when the hole lies on its probe path, that
            // is between its home slot and `j` (going round the end).
            let home = h as usize & mask;
            if j.wrapping_sub(home) & mask >= j.wrapping_sub(hole) & mask {
                self.slots[hole] = std::mem::take(&mut self.slots[j]);
                hole = j;
            }
            j = (j + 1) & mask;
        }
    }

    /// Every entry, in no order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.iter_in(0..self.slots.len())
    }

    /// The entries in slots `slots` (of `0..`[`Slots::capacity`]), in no order.
    pub fn iter_in(&self, slots: std::ops::Range<usize>) -> impl Iterator<Item = &T> {
        self.slots[slots].iter().filter(|e| e.hash() != 0)
    }

    /// Makes room for `additional` more entries at once. Call it before adding the entries of
    /// another table: they come in the order of their slots, that is of their hashes' low
    /// bits, and a table smaller than theirs would pile them up in long runs (a merge of two
    /// tables of 5 million domains took minutes instead of a second).
    pub fn reserve(&mut self, additional: usize) {
        let need = self.len + additional;
        if need * 4 > self.slots.len() * 3 {
            let size = (need * 4 / 3 + 1).next_power_of_two().max(16);
            self.grow_to(size);
        }
    }

    /// Makes room before `other`'s entries are added to this table (in the order of its
    /// slots): at least an array as big as `other`'s (a smaller one would pile them up in
    /// long runs, see [`Slots::reserve`]), and room for the entries of `other` that are new
    /// here, estimated from a sample of them. Two workers' tables of relays or recipients
    /// may hold mostly the same keys (a normal server's mix: room for both of them whole
    /// doubled an array of a million relays for nothing) or mostly others (a dictionary
    /// attack: growing step by step while adding moved every entry several times).
    pub fn reserve_for_merge(&mut self, other: &Slots<T>) {
        if self.slots.len() < other.slots.len() {
            self.grow_to(other.slots.len());
        }
        const SAMPLE: usize = 1024;
        let step = (other.slots.len() / (4 * SAMPLE)).max(1);
        let (mut seen, mut new) = (0usize, 0usize);
        for e in other.slots.iter().step_by(step).filter(|e| e.hash() != 0) {
            seen += 1;
            new += usize::from(!self.holds_hash(e.hash()));
        }
        if let Some(estimate) = (other.len * new).checked_div(seen) {
            self.reserve(estimate);
        }
    }

    /// Whether an entry is stored under `hash` (which is [`stored`] already).
    fn holds_hash(&self, hash: u64) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i].hash() {
                0 => return false,
                h if h == hash => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Doubles the array (at least 16 slots) and puts every entry in its new slot.
    #[cold]
    fn grow(&mut self) {
        self.grow_to((self.slots.len() * 2).max(16));
    }

    /// Moves every entry into a new array of `size` slots (a power of two).
    fn grow_to(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![T::default(); size]);
        let mask = size - 1;
        for e in old.into_iter().filter(|e| e.hash() != 0) {
            let mut i = e.hash() as usize & mask;
            while self.slots[i].hash() != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = e;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, Default, PartialEq)]
    struct E {
        hash: u64,
        n: u32,
    }

    impl Slot for E {
        fn hash(&self) -> u64 {
            self.hash
        }
    }

    #[test]
    fn a_hash_of_zero_is_found_after_growth() {
        // Found by a real Exim log: the relay of local bounces ("") hashed to zero, was
        // stored as one, moved by `grow` to slot 1 and then looked for from slot 0.
        let mut t: Slots<E> = Slots::default();
        let first = |n| E { hash: stored(0), n };
        t.find_or_insert(0, |_| true, || first(0));
        for k in 2..200u64 {
            t.insert_new(k, E { hash: k, n: 1 });
        }
        let (_, e) = t.find_or_insert(0, |_| true, || first(7));
        assert_eq!(
            e.n, 0,
            "the entry of hash 0 was not found: a second one was made"
        );
        assert_eq!(t.len(), 199);
    }

    #[test]
    fn reserve_makes_room_for_a_whole_table_before_it_is_added() {
        // Another table's entries come in its slot order; a table that grew while taking
        // them would pile them up in long runs (minutes for two tables of 5 M domains).
        let theirs = random_table(50_000, 0x2545_f491_4f6c_dd1d);
        let mut mine: Slots<E> = Slots::default();
        mine.insert_new(
            1 << 40,
            E {
                hash: 1 << 40,
                n: 1,
            },
        );
        mine.reserve(theirs.len());
        let room = mine.capacity();
        assert!(room >= theirs.capacity(), "{room} < {}", theirs.capacity());
        for e in theirs.iter() {
            mine.insert_new(e.hash, *e);
        }
        assert_eq!(mine.capacity(), room, "the table grew during the merge");
        assert_eq!(mine.len(), 50_001);
    }

    /// A table of `n` pseudo-random hashes (xorshift from `x`).
    fn random_table(n: usize, mut x: u64) -> Slots<E> {
        let mut t: Slots<E> = Slots::default();
        for _ in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t.insert_new(
                x,
                E {
                    hash: stored(x),
                    n: 1,
                },
            );
        }
        t
    }

    #[test]
    fn room_for_a_merge_is_what_the_other_table_brings_anew() {
        let theirs = random_table(50_000, 0x2545_f491_4f6c_dd1d);
        let others = random_table(50_000, 0x9e37_79b9_7f4a_7c15);
        // (the same keys, other keys, half of each) and the entries after the merge
        for (mine, union) in [
            (theirs.clone(), 50_000),
            (others.clone(), 100_000),
            (random_table(25_000, 0x2545_f491_4f6c_dd1d), 50_000),
        ] {
            let mut mine = mine;
            mine.reserve_for_merge(&theirs);
            let room = mine.capacity();
            assert!(room >= theirs.capacity(), "{room} < {}", theirs.capacity());
            for e in theirs.iter() {
                mine.find_or_insert(e.hash, |_| true, || *e);
            }
            assert_eq!(mine.len(), union);
            // Room enough from the start, and not twice what the union needs.
            assert_eq!(mine.capacity(), room, "the table grew during the merge");
            assert!(
                room <= (union * 4 / 3 + 1).next_power_of_two(),
                "{room} for {union}"
            );
        }
    }

    #[test]
    fn removing_keeps_every_other_entry_reachable() {
        // 200 keys whose home slots (in a table of 256) crowd the last 32 slots and the
        // first 8, in long runs that wrap round the end, so that every case of moving back
        // is met; about 120 are held at a time.
        let mut t: Slots<E> = Slots::default();
        let mut held: Vec<u64> = Vec::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for step in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let k = 256 * ((x >> 32) % 5) + 224 + x % 40;
            match held.iter().position(|&h| h == k) {
                Some(p) if step % 3 != 0 => {
                    let i = t.find(k, |_| true).expect("a held key is found");
                    assert_eq!(t.remove(i).hash, stored(k));
                    held.swap_remove(p);
                }
                Some(_) => {}
                None => {
                    t.insert_new(
                        k,
                        E {
                            hash: stored(k),
                            n: 1,
                        },
                    );
                    held.push(k);
                }
            }
            assert_eq!(t.len(), held.len());
            if step % 97 == 0 {
                for &k in &held {
                    assert!(t.find(k, |_| true).is_some(), "{k} lost at step {step}");
                }
                assert_eq!(t.iter().count(), held.len());
            }
        }
    }

    #[test]
    fn finds_what_it_holds_through_growth_and_collisions() {
        let mut t: Slots<E> = Slots::default();
        // Hashes 0 and 1 share a stored hash; told apart by `eq`, as a caller would.
        let keys: Vec<u64> = (0..1000u64).map(|k| k * 64).chain([1]).collect();
        for (n, &k) in keys.iter().enumerate() {
            let n = n as u32;
            let (i, e) = t.find_or_insert(k, |e| e.n == n, || E { hash: stored(k), n });
            assert_eq!(e.n, n);
            assert_eq!(t.get_mut(i).map(|e| e.n), Some(n));
        }
        assert_eq!(t.len(), keys.len());
        for (n, &k) in keys.iter().enumerate() {
            let n = n as u32;
            let (i, _) = t.find_or_insert(k, |e| e.n == n, || unreachable!("{k} is held"));
            assert_eq!(t.get_mut(i).map(|e| e.n), Some(n));
            assert_eq!(t.find(k, |e| e.n == n), Some(i));
            t.touch(k);
        }
        assert_eq!(t.iter().count(), keys.len());
        assert!(t.capacity() * 3 >= t.len() * 4);
    }
}
