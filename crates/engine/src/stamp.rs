//! The validation stamp: a checksum of a policy file's exact bytes, written next to the file's
//! entry in the deployed `policies/index.json` by `cargo xtask dist` after the file passed
//! full validation (`policy::load`). The web app reads policies without the structural checks
//! (their code costs about 11 KB of gzipped wasm), so it computes the same checksum and refuses
//! a file whose stamp is missing or differs: a file edited by hand after validation.
//!
//! FNV-1a 64 is an integrity check against such edits, not a security measure: anyone who can
//! change a file can change the index too. It is a few lines of code in the page's wasm, and
//! needs no SubtleCrypto, which browsers withhold from pages served over plain HTTP.

/// What the stamp starts with: names the checksum, so that another can replace it later.
pub const PREFIX: &str = "fnv1a64:";

/// The FNV-1a 64-bit hash of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The stamp of a file's bytes: `fnv1a64:` and 16 lowercase hex digits.
pub fn checksum(bytes: &[u8]) -> String {
    let hash = fnv1a64(bytes);
    let mut out = String::with_capacity(PREFIX.len() + 16);
    out.push_str(PREFIX);
    // Digits by hand: `{:016x}` would bring integer formatting code into the page's wasm.
    for shift in (0..16).rev() {
        let digit = ((hash >> (shift * 4)) & 0xf) as u8;
        out.push(char::from(if digit < 10 { b'0' + digit } else { b'a' + digit - 10 }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        // From the FNV reference (Fowler, Noll, Vo; draft-eastlake-fnv), 64-bit FNV-1a.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_stamp_is_the_prefix_and_sixteen_hex_digits() {
        assert_eq!(checksum(b"a"), "fnv1a64:af63dc4c8601ec8c");
        assert_eq!(checksum(b"foobar"), format!("fnv1a64:{:016x}", fnv1a64(b"foobar")));
        // Leading zeros are kept: a hash below 2^60 still has 16 digits.
        for n in 0..2000u32 {
            let bytes = n.to_le_bytes();
            assert_eq!(checksum(&bytes), format!("fnv1a64:{:016x}", fnv1a64(&bytes)));
        }
    }

    #[test]
    fn any_change_of_a_byte_changes_the_stamp() {
        let file = br#"{"segments": [{"up_to": null, "ratio": "60%"}]}"#;
        let stamp = checksum(file);
        for i in 0..file.len() {
            let mut edited = file.to_vec();
            edited[i] ^= 1;
            assert_ne!(checksum(&edited), stamp, "byte {i}");
        }
        assert_ne!(checksum(&file[..file.len() - 1]), stamp);
        assert_ne!(checksum(&[&file[..], b"\n"].concat()), stamp);
    }
}
