//! Compact keys for the tables that grow with the input (recipients, domains, reply texts):
//! a seeded hash that folds ASCII case as it reads, an arena that stores keys back to back
//! instead of one heap allocation each, and an interner for texts that repeat.
//!
//! A leaf module: the tracker and the statistics both build on it.

use hashbrown::HashTable;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

/// The process's hash seed: random per run, so that crafted addresses cannot be chosen to
/// collide; or, for runs whose summaries are merged, derived from a secret key file shared
/// by the fleet ([`install_seed`], see `crate::mergeable::key`).
///
/// Zero until set; seeds are odd, so never zero. A relaxed load is a plain read: this is
/// read for every hash.
static SEED: AtomicU64 = AtomicU64::new(0);

#[inline]
fn seed() -> u64 {
    match SEED.load(Ordering::Relaxed) {
        0 => first_seed(),
        s => s,
    }
}

/// The seed on first use: a random one, unless another thread set one first.
#[cold]
#[inline(never)]
fn first_seed() -> u64 {
    let random = foldhash::fast::RandomState::default().hash_one(0x6d61_696c_u64) | 1;
    match SEED.compare_exchange(0, random, Ordering::Relaxed, Ordering::Relaxed) {
        Ok(_) => random,
        Err(set) => set,
    }
}

/// Makes `seed` the process's hash seed. Must come before anything is hashed: returns
/// false when another seed is already in use.
pub fn install_seed(seed: u64) -> bool {
    let seed = seed | 1;
    match SEED.compare_exchange(0, seed, Ordering::Relaxed, Ordering::Relaxed) {
        Ok(_) => true,
        Err(set) => set == seed,
    }
}

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// The high and low halves of a 128-bit product, folded: the mixing step of foldhash.
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// Eight bytes with `A`–`Z` made lower case, all at once: a byte is upper case when its low
/// seven bits are at least 0x41 and below 0x5b and its high bit is clear.
#[inline]
fn lower8(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = w & (0x7f * ONES);
    let ge_a = low7 + (0x80 - 0x41) * ONES;
    let ge_z1 = low7 + (0x80 - 0x5b) * ONES;
    let upper = ge_a & !ge_z1 & !w & (0x80 * ONES);
    w | (upper >> 2)
}

/// A 64-bit hash of `bytes` as ASCII lower case, without copying them: the same for
/// `Bob@X.org` and `bob@x.org`. Seeded per process.
#[inline]
pub fn folded_hash(bytes: &[u8]) -> u64 {
    let seed = seed();
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K1);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h = fold_mul(h ^ lower8(u64::from_le_bytes(b)), K2);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = fold_mul(h ^ lower8(u64::from_le_bytes(b)), K2);
    }
    fold_mul(h ^ seed, K1)
}

/// `bytes` in ASCII lower case in 16 zero-padded bytes, when they fit: keys this short are
/// compared as two words instead of byte by byte.
#[inline]
pub fn folded16(bytes: &[u8]) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    out.get_mut(..bytes.len())?.copy_from_slice(bytes);
    let (lo, hi) = out.split_at_mut(8);
    for half in [lo, hi] {
        let mut w = [0u8; 8];
        w.copy_from_slice(half);
        half.copy_from_slice(&lower8(u64::from_le_bytes(w)).to_le_bytes());
    }
    Some(out)
}

/// Whether `stored` is `bytes` in any ASCII case: compared as they are first, which is the
/// common case and a plain memory compare.
#[inline]
pub fn same_key(stored: &[u8], bytes: &[u8]) -> bool {
    stored == bytes || stored.eq_ignore_ascii_case(bytes)
}

/// Where a key lives in an [`Arena`] (its length is kept by the owner, beside its flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRef {
    chunk: u32,
    start: u32,
}

impl KeyRef {
    /// As 40 bits: the chunk (24 bits, 2^24 chunks of 64 KiB is a terabyte of keys) and the
    /// start in it (16 bits).
    pub fn bits(self) -> u64 {
        (u64::from(self.chunk) & 0xff_ffff) << 16 | u64::from(self.start) & 0xffff
    }

    /// Back from [`KeyRef::bits`].
    pub fn from_bits(bits: u64) -> KeyRef {
        KeyRef {
            chunk: (bits >> 16) as u32 & 0xff_ffff,
            start: bits as u32 & 0xffff,
        }
    }
}

/// Keys stored back to back in chunks of 64 KiB (less one byte, so that every start fits in
/// 16 bits; a longer key gets a chunk of its own): a key costs its bytes, not a heap
/// allocation (16 bytes of header and rounding) plus a 16-byte boxed-slice pointer. Chunks
/// never move, so growing the arena never copies it.
#[derive(Debug, Clone, Default)]
pub struct Arena {
    chunks: Vec<Vec<u8>>,
}

impl Arena {
    const CHUNK: usize = (64 << 10) - 1;

    /// Stores `bytes` in ASCII lower case.
    pub fn push_lowercase(&mut self, bytes: &[u8]) -> KeyRef {
        let at = self.push(bytes);
        if let Some(stored) = self.get_mut(at, bytes.len()) {
            stored.make_ascii_lowercase();
        }
        at
    }

    /// Stores `bytes` as they are.
    pub fn push(&mut self, bytes: &[u8]) -> KeyRef {
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.capacity() - c.len() >= bytes.len());
        if !fits {
            self.chunks
                .push(Vec::with_capacity(Self::CHUNK.max(bytes.len())));
        }
        let chunk = self.chunks.len() - 1;
        let c = &mut self.chunks[chunk];
        let start = c.len();
        c.extend_from_slice(bytes);
        KeyRef {
            chunk: chunk as u32,
            start: start as u32,
        }
    }

    /// Replaces the key stored at `at` by `bytes`, of the same length (another spelling of
    /// it): no new bytes are taken. Does nothing when `at` holds fewer bytes.
    pub fn overwrite(&mut self, at: KeyRef, bytes: &[u8]) {
        if let Some(stored) = self.get_mut(at, bytes.len()) {
            stored.copy_from_slice(bytes);
        }
    }

    fn get_mut(&mut self, at: KeyRef, len: usize) -> Option<&mut [u8]> {
        let start = at.start as usize;
        self.chunks
            .get_mut(at.chunk as usize)
            .and_then(|c| c.get_mut(start..start + len))
    }

    /// The `len` bytes stored at `at`.
    pub fn get(&self, at: KeyRef, len: u32) -> &[u8] {
        let start = at.start as usize;
        self.chunks
            .get(at.chunk as usize)
            .and_then(|c| c.get(start..start + len as usize))
            .unwrap_or_default()
    }

    /// Bytes held, including the unused ends of chunks.
    pub fn allocated(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum()
    }
}

/// Texts stored once each and named by a number: many recipients share a reply.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    texts: Vec<Box<str>>,
    index: HashTable<u32>,
}

fn text_hash(text: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(seed()).hash_one(text)
}

impl Interner {
    /// The number of `text`, storing it if it is new.
    pub fn intern(&mut self, text: &str) -> u32 {
        let texts = &mut self.texts;
        let hash = text_hash(text);
        let entry = self.index.entry(
            hash,
            |&i| &*texts[i as usize] == text,
            |&i| text_hash(&texts[i as usize]),
        );
        *entry
            .or_insert_with(|| {
                texts.push(text.into());
                (texts.len() - 1) as u32
            })
            .get()
    }

    /// Texts stored.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Whether no text was stored.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Heap bytes held: the texts and their index.
    pub fn allocated(&self) -> usize {
        self.texts.capacity() * std::mem::size_of::<Box<str>>()
            + self.texts.iter().map(|t| t.len()).sum::<usize>()
            + self.index.allocation_size()
    }

    /// The text numbered `id` (empty for a number never given out).
    pub fn get(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", |t| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_matches_to_ascii_lowercase() {
        for b in 0..=255u8 {
            let w = u64::from_le_bytes([b, b'A', b'z', b'@', 0x80 | b'A', b'Z', b'[', b]);
            let want: Vec<u8> = w.to_le_bytes().iter().map(u8::to_ascii_lowercase).collect();
            assert_eq!(lower8(w).to_le_bytes().to_vec(), want, "{b:#x}");
        }
    }

    #[test]
    fn short_keys_fold_into_sixteen_bytes() {
        assert_eq!(folded16(b"Ab@X.org"), Some(*b"ab@x.org\0\0\0\0\0\0\0\0"));
        assert_eq!(folded16(b"sixteen-bytes-OK"), Some(*b"sixteen-bytes-ok"));
        assert_eq!(folded16(b"seventeen-bytes-x"), None);
        assert!(same_key(b"ab@x", b"aB@X") && !same_key(b"ab@x", b"ab@y"));
    }

    #[test]
    fn the_hash_ignores_ascii_case_only() {
        let pairs: &[(&[u8], &[u8], bool)] = &[
            (b"Bob@Example.ORG", b"bob@example.org", true),
            (b"a", b"A", true),
            (b"", b"", true),
            (b"a", b"b", false),
            (b"ab", b"ab\0", false),
            (b"longer address@x.org", b"longer address@x.orh", false),
            ("\u{c9}@x".as_bytes(), "\u{e9}@x".as_bytes(), false),
        ];
        for (a, b, same) in pairs {
            assert_eq!(folded_hash(a) == folded_hash(b), *same, "{a:?} {b:?}");
        }
    }

    #[test]
    fn arena_and_interner_give_back_what_they_stored() {
        let mut a = Arena::default();
        let big = vec![b'Q'; Arena::CHUNK + 3];
        let keys: Vec<(KeyRef, &[u8])> = [&b"One@X"[..], b"", &big, b"two"]
            .into_iter()
            .map(|k| (a.push_lowercase(k), k))
            .collect();
        for (at, k) in keys {
            assert_eq!(a.get(at, k.len() as u32), k.to_ascii_lowercase());
            assert_eq!(KeyRef::from_bits(at.bits()), at);
        }
        let (seen, next) = (a.push(b"Bob@X.org"), a.push(b"next"));
        assert_eq!(a.get(seen, 9), b"Bob@X.org");
        a.overwrite(seen, b"BOB@x.org");
        assert_eq!(
            (a.get(seen, 9), a.get(next, 4)),
            (&b"BOB@x.org"[..], &b"next"[..])
        );
        let mut i = Interner::default();
        let (x, y) = (i.intern("450 full"), i.intern("450 other"));
        assert_eq!(
            (i.intern("450 full"), i.get(x), i.get(y)),
            (x, "450 full", "450 other")
        );
        assert_ne!(x, y);
        assert_eq!(i.get(99), "");
    }
}
