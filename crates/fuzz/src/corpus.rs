//! The real policies, compiled in so the harness runs from any directory: good input to
//! mutate, and a policy to read scenarios against.

use yibao_engine::Policy;

pub const POLICIES: &[(&str, &str)] = &[
    ("tianjin-2023", include_str!("../../../policies/tianjin-2023.json")),
    ("hohhot-2023", include_str!("../../../policies/hohhot-2023.json")),
    ("hohhot-2024", include_str!("../../../policies/hohhot-2024.json")),
    ("jiamusi-2021", include_str!("../../../policies/jiamusi-2021.json")),
    ("jiamusi-2022", include_str!("../../../policies/jiamusi-2022.json")),
];

/// A real policy's JSON by position.
pub fn json(i: usize) -> serde_json::Value {
    serde_json::from_str(POLICIES[i % POLICIES.len()].1).expect("the real policies are JSON")
}

/// Runs `f` on a real policy, read and validated once per thread (they are valid: the policy
/// tests check it).
pub fn with_policy<R>(i: usize, f: impl FnOnce(&Policy) -> R) -> R {
    thread_local! {
        static PARSED: Vec<Policy> = POLICIES
            .iter()
            .map(|(id, text)| yibao_engine::policy::load(&mut serde_json::Deserializer::from_str(text)).unwrap_or_else(|e| panic!("{id}: {e}")))
            .collect();
    }
    PARSED.with(|p| f(&p[i % p.len()]))
}
