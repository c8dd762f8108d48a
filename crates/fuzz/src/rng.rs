//! A small seeded PRNG (xorshift64*), so that every case is a pure function of
//! `(seed, target, case index)` and can be regenerated from those three numbers alone.

/// xorshift64* (Vigna): fast, good enough for choosing inputs, never zero.
#[derive(Clone, Debug)]
pub struct Rng(u64);

/// splitmix64's mixer: spreads nearby numbers (seeds, indices) far apart.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(mix(seed) | 1)
    }

    /// The generator of one case: independent streams per target and per index.
    pub fn for_case(seed: u64, target: &str, index: u64) -> Rng {
        let tag = target.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3));
        Rng::new(mix(seed) ^ mix(tag) ^ mix(index.wrapping_mul(0x2545_F491_4F6C_DD1D)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        self.next_u64() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// A random subset, in random order.
    pub fn subset<T: Clone>(&mut self, items: &[T], min: usize) -> Vec<T> {
        let mut pool: Vec<T> = items.to_vec();
        self.shuffle(&mut pool);
        let n = if pool.len() <= min { pool.len() } else { min + self.index(pool.len() - min + 1) };
        pool.truncate(n);
        pool
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    /// An index by weight.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::for_case(7, "calc", 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::for_case(7, "calc", 3).next_u64(), Rng::for_case(7, "calc", 4).next_u64());
        assert_ne!(Rng::for_case(7, "calc", 3).next_u64(), Rng::for_case(7, "link", 3).next_u64());
        assert_ne!(Rng::for_case(7, "calc", 3).next_u64(), Rng::for_case(8, "calc", 3).next_u64());
    }

    #[test]
    fn subsets_respect_the_minimum() {
        let mut r = Rng::new(1);
        for _ in 0..100 {
            let s = r.subset(&[1, 2, 3], 1);
            assert!(!s.is_empty() && s.len() <= 3);
        }
        assert!(r.subset::<u8>(&[], 1).is_empty());
    }
}
