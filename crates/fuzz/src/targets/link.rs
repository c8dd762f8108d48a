//! The web page's share-link codec (`yibao_web::state`): random query pairs read without
//! panic into sane inputs; canonical inputs survive `to_query_pairs` → `from_query_pairs`
//! unchanged; whatever a link reads back is stable under another round trip; and the inputs
//! become a scenario or field messages, never a panic.

use super::{violation, Checked, Counts, Failure};
use crate::gen::link as gen;
use crate::rng::Rng;
use serde_json::{json, Value};
use yibao_engine::ids::Place;
use yibao_engine::{Identity, VisitKind};
use yibao_web::state::{from_query_pairs, to_query_pairs, CompareTarget, Inputs, VisitInput, MAX_VISITS};

pub fn input(rng: &mut Rng) -> Value {
    match rng.below(3) {
        0 => json!({ "pairs": gen::pairs(rng) }),
        1 => json!({ "canonical": to_json(&gen::canonical(rng)) }),
        _ => json!({ "typed": to_json(&gen::typed(rng)) }),
    }
}

/// Inputs as JSON, for saving a failing case (the web crate's types are not serde types).
pub fn to_json(i: &Inputs) -> Value {
    json!({
        "policy": i.policy, "tier": i.tier, "population": i.population,
        "identities": i.identities.iter().map(|x| x.id()).collect::<Vec<_>>(),
        "visits": i.visits.iter().map(|v| json!({
            "kind": v.kind.id(), "level": v.level, "total": v.total, "in_scope": v.in_scope,
            "estimate": v.estimate, "referred": v.referred, "place": v.place.id(), "partial": v.partial, "slip": v.slip, "paid": v.paid, "ci_paid": v.ci_paid,
        })).collect::<Vec<_>>(),
        "compare": i.compare.as_ref().map(|c| json!({ "policy": c.policy, "tier": c.tier })),
        "data_date": i.data_date,
    })
}

pub fn from_json(v: &Value) -> Option<Inputs> {
    let text = |v: &Value| v.as_str().map(String::from);
    let visits = v["visits"]
        .as_array()?
        .iter()
        .map(|x| {
            Some(VisitInput {
                kind: VisitKind::from_id(x["kind"].as_str()?)?,
                level: text(&x["level"])?,
                total: text(&x["total"])?,
                in_scope: text(&x["in_scope"])?,
                estimate: x["estimate"].as_bool()?,
                referred: x["referred"].as_bool()?,
                // Saved before format 2: absent.
                place: x["place"].as_str().and_then(Place::from_id).unwrap_or_default(),
                partial: text(&x["partial"]).unwrap_or_default(),
                slip: x["slip"].as_bool().unwrap_or_default(),
                paid: text(&x["paid"]).unwrap_or_default(),
                ci_paid: text(&x["ci_paid"]).unwrap_or_default(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Inputs {
        policy: text(&v["policy"]),
        tier: text(&v["tier"]),
        population: text(&v["population"]),
        identities: v["identities"].as_array()?.iter().map(|x| Identity::from_id(x.as_str()?)).collect::<Option<Vec<_>>>()?,
        visits,
        compare: v["compare"].as_object().map(|c| CompareTarget { policy: c["policy"].as_str().unwrap_or_default().to_string(), tier: c.get("tier").and_then(Value::as_str).map(String::from) }),
        data_date: text(&v["data_date"]),
    })
}

/// The first place two inputs differ, for the failure message.
fn difference(a: &Inputs, b: &Inputs) -> String {
    if a.visits.len() == b.visits.len() {
        if let Some((n, (x, y))) = a.visits.iter().zip(&b.visits).enumerate().find(|(_, (x, y))| x != y) {
            return format!("visit {n}: {x:?} became {y:?}");
        }
    }
    format!("{} became {}", to_json(a), to_json(b))
}

/// The link the page writes for `i`, read back; a link the page wrote must read without a notice.
fn round_trip(i: &Inputs) -> Result<Inputs, String> {
    let pairs = to_query_pairs(i, false);
    let (back, notices) = from_query_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    if notices.is_empty() {
        Ok(back)
    } else {
        Err(format!("a link the page wrote reads with notices {notices:?}: {pairs:?}"))
    }
}

/// What any link reads into: at most `MAX_VISITS` visits, no identity twice, and from the
/// link's free text only what the page recognises (`d` only as a date).
fn sane(i: &Inputs) -> Result<(), String> {
    if i.visits.len() > MAX_VISITS {
        return Err(format!("{} visits", i.visits.len()));
    }
    if let Some(d) = &i.data_date {
        if yibao_web::state::date_from_link(d).as_deref() != Some(d.as_str()) {
            return Err(format!("`d` reached the page as {d:?}, which is not a date"));
        }
    }
    if i.identities.iter().enumerate().any(|(n, id)| i.identities[..n].contains(id)) {
        return Err("an identity twice".into());
    }
    Ok(())
}

/// The inputs become a scenario, or one message per bad field; a scenario goes through the
/// engine (errors allowed, panics not).
fn compute(i: &Inputs) {
    if let Ok(s) = yibao_web::state::scenario(i, None) {
        crate::corpus::with_policy(0, |p| {
            let _ = yibao_engine::calculate(p, &s);
        });
    }
}

pub fn check(input: &Value, counts: &mut Counts) -> Checked {
    let fail = |invariant, detail: String| Err(Failure { violations: vec![violation(invariant, detail)], input: input.clone() });
    let read = if let Some(pairs) = input["pairs"].as_array() {
        counts.add("links read", 1);
        let pairs: Vec<(String, String)> = pairs.iter().filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string()))).collect();
        from_query_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).0
    } else if let Some(canonical) = input.get("canonical") {
        counts.add("link round trips", 1);
        let Some(x) = from_json(canonical) else { return fail("harness", "unreadable saved inputs".into()) };
        let back = match round_trip(&x) {
            Ok(back) => back,
            Err(m) => return fail("link_round_trip", m),
        };
        if back != x {
            return fail("link_round_trip", difference(&x, &back));
        }
        back
    } else {
        counts.add("typed links", 1);
        let Some(x) = from_json(&input["typed"]) else { return fail("harness", "unreadable saved inputs".into()) };
        compute(&x);
        match round_trip(&x) {
            Ok(back) => back,
            Err(m) => return fail("link_round_trip", m),
        }
    };
    if let Err(m) = sane(&read) {
        return fail("link_sane", m);
    }
    let again = match round_trip(&read) {
        Ok(again) => again,
        Err(m) => return fail("link_stable", m),
    };
    if again != read {
        return fail("link_stable", format!("a link read back changes on the next round trip: {}", difference(&read, &again)));
    }
    compute(&read);
    Ok(())
}
