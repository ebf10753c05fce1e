//! How many distinct recipients a diagnosis hit, in bounded memory and exactly mergeable.
//!
//! Up to [`EXACT`] recipients the set of their hashes is kept and the count is exact; past
//! that the set becomes a HyperLogLog sketch of 4,096 one-byte registers (4 KiB, a standard
//! error of about 1.6 %). Both forms merge exactly: the union of two sets, the register-wise
//! maximum of two sketches, a set folded into a sketch by inserting it. The form and the
//! count depend only on which recipients were seen, never on the order they came in or how
//! the input was split, so a merged report is byte-identical to one pass.

use std::collections::HashSet;

/// Recipients counted exactly before the set becomes a sketch.
pub const EXACT: usize = 2048;
/// Bits of the hash that choose a register.
const P: u32 = 12;
/// Registers of a sketch.
pub const REGISTERS: usize = 1 << P;

type Set = HashSet<u64, foldhash::fast::FixedState>;

/// Distinct recipient hashes: exact while few, a sketch beyond.
#[derive(Debug, Clone)]
pub enum Distinct {
    Exact(Set),
    Sketch(Box<[u8; REGISTERS]>),
}

impl Default for Distinct {
    fn default() -> Self {
        Distinct::Exact(Set::default())
    }
}

impl Distinct {
    /// Adds a recipient's hash.
    pub fn insert(&mut self, hash: u64) {
        match self {
            Distinct::Exact(set) => {
                set.insert(hash);
                if set.len() > EXACT {
                    *self = Distinct::Sketch(sketch_of(set.iter().copied()));
                }
            }
            Distinct::Sketch(regs) => add(regs, hash),
        }
    }

    /// Folds `other` in.
    pub fn merge(&mut self, other: Distinct) {
        match other {
            Distinct::Exact(set) => set.into_iter().for_each(|h| self.insert(h)),
            Distinct::Sketch(theirs) => {
                if let Distinct::Exact(set) = self {
                    *self = Distinct::Sketch(sketch_of(set.iter().copied()));
                }
                if let Distinct::Sketch(mine) = self {
                    for (a, b) in mine.iter_mut().zip(theirs.iter()) {
                        *a = (*a).max(*b);
                    }
                }
            }
        }
    }

    /// The count: exact for a set, the HyperLogLog estimate for a sketch.
    pub fn count(&self) -> u64 {
        match self {
            Distinct::Exact(set) => set.len() as u64,
            Distinct::Sketch(regs) => estimate(regs),
        }
    }

    /// The exact hashes, sorted, or `None` for a sketch.
    pub fn hashes(&self) -> Option<Vec<u64>> {
        match self {
            Distinct::Exact(set) => {
                let mut v: Vec<u64> = set.iter().copied().collect();
                v.sort_unstable();
                Some(v)
            }
            Distinct::Sketch(_) => None,
        }
    }

    /// The sketch's registers, or `None` for a set.
    pub fn registers(&self) -> Option<&[u8]> {
        match self {
            Distinct::Sketch(regs) => Some(&regs[..]),
            Distinct::Exact(_) => None,
        }
    }

    /// A sketch from its registers (`None` when their number is wrong).
    pub fn from_registers(regs: &[u8]) -> Option<Distinct> {
        let regs: [u8; REGISTERS] = regs.try_into().ok()?;
        Some(Distinct::Sketch(Box::new(regs)))
    }
}

fn sketch_of(hashes: impl Iterator<Item = u64>) -> Box<[u8; REGISTERS]> {
    let mut regs = Box::new([0u8; REGISTERS]);
    hashes.for_each(|h| add(&mut regs, h));
    regs
}

fn add(regs: &mut [u8; REGISTERS], hash: u64) {
    // Mixed again (MurmurHash3's finaliser), so that every bit depends on every bit of the
    // input hash, whatever hash function made it.
    let mut hash = hash;
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^= hash >> 33;
    let index = (hash >> (64 - P)) as usize;
    // The rank of the first 1 bit in the rest (a guard bit keeps it at most 64 - P + 1).
    let rest = (hash << P) | (1 << (P - 1));
    let rank = rest.leading_zeros() as u8 + 1;
    regs[index] = regs[index].max(rank);
}

fn estimate(regs: &[u8; REGISTERS]) -> u64 {
    let m = REGISTERS as f64;
    let alpha = 0.7213 / (1.0 + 1.079 / m);
    let sum: f64 = regs.iter().map(|r| 2f64.powi(-i32::from(*r))).sum();
    let raw = alpha * m * m / sum;
    let zeros = regs.iter().filter(|r| **r == 0).count();
    let e = if raw <= 2.5 * m && zeros > 0 {
        m * (m / zeros as f64).ln() // linear counting for small numbers
    } else {
        raw
    };
    e.round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hasher};

    fn h(i: u64) -> u64 {
        let mut s = foldhash::fast::FixedState::with_seed(7).build_hasher();
        s.write_u64(i);
        s.finish()
    }

    #[test]
    fn exact_while_few_close_when_many() {
        let mut d = Distinct::default();
        (0..2000).for_each(|i| d.insert(h(i % 1500)));
        assert_eq!(d.count(), 1500);
        let mut big = Distinct::default();
        (0..200_000).for_each(|i| big.insert(h(i)));
        let n = big.count() as f64;
        assert!((n - 200_000.0).abs() / 200_000.0 < 0.05, "{n}");
    }

    #[test]
    fn merging_in_any_split_gives_the_same_form_and_count() {
        for total in [100u64, 2048, 2049, 5000, 50_000] {
            let mut one = Distinct::default();
            (0..total).for_each(|i| one.insert(h(i)));
            for cut in [0, 1, total / 3, total - 1] {
                let (mut a, mut b) = (Distinct::default(), Distinct::default());
                (0..cut).for_each(|i| a.insert(h(i)));
                (cut..total).for_each(|i| b.insert(h(i)));
                // Overlap too: the same recipients on both sides.
                (0..cut.min(10)).for_each(|i| b.insert(h(i)));
                b.merge(a);
                assert_eq!(b.count(), one.count(), "{total} cut {cut}");
                assert_eq!(b.hashes(), one.hashes());
                assert_eq!(b.registers(), one.registers());
            }
        }
    }
}
