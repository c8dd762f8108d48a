//! The web page's state as its share link carries it: canonical inputs (what a link read back
//! holds, which must survive another round trip unchanged), and random query pairs.

use super::json as random;
use crate::rng::Rng;
use yibao_engine::ids::Place;
use yibao_engine::{Identity, VisitKind};
use yibao_web::state::{CompareTarget, Inputs, VisitInput, MAX_VISITS};

/// Ids a link may carry: anything without surrounding white space.
fn id(rng: &mut Rng) -> String {
    let s = match rng.below(4) {
        0 => "tianjin-2023".to_string(),
        1 => "high".to_string(),
        2 => random::text(rng, 10),
        _ => random::string(rng),
    };
    let s = s.trim().to_string();
    if s.is_empty() {
        "x".into()
    } else {
        s
    }
}

/// An amount in the form the link writes: a normalised decimal, or nothing (text that is not
/// a number is left out of the link).
fn amount(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => rng.range(0, 100_000_000).to_string(),
        1 => format!("{}.{}", rng.range(0, 99_999), rng.range(1, 9)),
        2 => format!("{}.{:02}", rng.range(0, 99_999), rng.range(1, 99)).trim_end_matches('0').to_string(),
        _ => String::new(),
    }
}

fn visit(rng: &mut Rng) -> VisitInput {
    let estimate = rng.chance(40);
    let slip = rng.chance(20);
    VisitInput {
        kind: *rng.pick(VisitKind::ALL),
        // The four 医院等级 and a policy's own classes (ids without `~`; `_` is written as `,`).
        level: rng.pick(&["grassroots", "level1", "level2", "level3", "township", "county", "minor_class"]).to_string(),
        total: amount(rng),
        in_scope: if estimate { String::new() } else { amount(rng) },
        estimate,
        referred: rng.chance(30),
        place: *rng.pick(Place::ALL),
        partial: if rng.chance(20) { amount(rng) } else { String::new() },
        slip,
        paid: if slip { amount(rng) } else { String::new() },
        ci_paid: if slip && rng.chance(50) { amount(rng) } else { String::new() },
    }
}

/// Inputs as a link read back holds them.
pub fn canonical(rng: &mut Rng) -> Inputs {
    let opt = |rng: &mut Rng, percent| if rng.chance(percent) { Some(id(rng)) } else { None };
    Inputs {
        policy: opt(rng, 80),
        tier: opt(rng, 40),
        population: opt(rng, 30),
        identities: {
            let mut ids = rng.subset(Identity::ALL, 0);
            ids.truncate(rng.range(0, 4) as usize);
            ids
        },
        visits: (0..rng.range(1, MAX_VISITS as u64)).map(|_| visit(rng)).collect(),
        compare: if rng.chance(30) { Some(CompareTarget { policy: id(rng), tier: opt(rng, 50) }) } else { None },
        // The link carries `d` only as a date.
        data_date: rng.chance(30).then(|| format!("20{:02}-{:02}-{:02}", rng.range(0, 99), rng.range(1, 12), rng.range(1, 31))),
    }
}

/// Inputs as a person may have typed them: amounts with separators, spaces, full-width
/// digits; whatever the link then makes of them must be stable.
pub fn typed(rng: &mut Rng) -> Inputs {
    let mut inputs = canonical(rng);
    for v in &mut inputs.visits {
        for field in [&mut v.total, &mut v.in_scope, &mut v.partial, &mut v.paid, &mut v.ci_paid] {
            if rng.chance(40) {
                *field = format!("{}{}", random::text(rng, 4), field);
            }
        }
        if v.estimate && rng.chance(30) {
            v.in_scope = random::text(rng, 5);
        }
    }
    inputs
}

/// Random query pairs: known keys with random values, and unknown keys.
pub fn pairs(rng: &mut Rng) -> Vec<(String, String)> {
    const KEYS: &[&str] = &["r", "t", "p", "i", "v", "c", "ct", "d", "embed", "", "V", "x"];
    (0..rng.range(0, 8))
        .map(|_| {
            let key = rng.pick(KEYS).to_string();
            let value = match rng.below(4) {
                0 => random::text(rng, 40),
                1 => {
                    // Visits that are almost right.
                    let parts: Vec<String> = (0..rng.range(0, 40))
                        .map(|_| format!("{}{}_{}_{}", rng.pick(&["i", "o", "c", "x", ""]), rng.pick(&["g", "1", "2", "3", "4"]), random::string(rng), rng.pick(&["e", "r", "1", "", "e_y1", "e_b", "e_p5", "1_r_y2_b9", "e_q", "e_c7", "e_b3_c", "e_cx"])))
                        .collect();
                    parts.join(*rng.pick(&["~", "_", "~~"]))
                }
                2 => (0..rng.range(0, 10)).map(|_| *rng.pick(&["tk", "ge", "db", "by", "fp", "jc", "yb", "tp", "orphan", "xx", ""])).collect::<Vec<_>>().join(*rng.pick(&[".", ",", ".."])),
                _ => random::string(rng),
            };
            (key, value)
        })
        .collect()
}
