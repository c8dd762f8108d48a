//! yibao-wasm: the yibao engine for any web page, as a small WebAssembly package.
//!
//! A thin layer over [`yibao_engine`]: values cross the boundary as JavaScript objects
//! (serde-wasm-bindgen, no JSON strings and no serde_json in the wasm); results are the
//! engine's result contract, the same JSON as `yibao calc --json`. The TypeScript types are
//! in `types.d.ts` (included in the generated `.d.ts`). See README.md, "Embedding the engine
//! (JavaScript)".
//!
//! Errors are always JavaScript `Error` objects whose message names the problem; for a bad
//! scenario they carry `field`, for a bad policy `problems` (a `Problem[]`). The engine is
//! written not to panic; should it ever, the panic hook turns the panic into such an `Error`
//! (instead of an `unreachable` trap) and every later call reports that the module stopped.


// Size classes over a free list (yibao-js): dlmalloc is about 3.5 KB more of gzipped wasm.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: yibao_js::alloc::SizeClasses = unsafe { yibao_js::alloc::SizeClasses::new() };

use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use wasm_bindgen::prelude::*;
use yibao_engine::scenario::ScenarioErrorKind;
use yibao_engine::{Policy, PolicyError, Scenario, ScenarioError};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// The most points `curve` accepts.
pub const MAX_CURVE_POINTS: u32 = yibao_engine::curve::MAX_CURVE_POINTS;

// ---------------------------------------------------------------- errors and panics

/// Set by the panic hook: after a panic the module's memory may be inconsistent (its stack
/// pointer is not restored), so every later call refuses with a clear message.
static STOPPED: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Called first by every entry point: installs the panic hook (once) and refuses to run
/// after a panic.
fn enter() -> Result<(), JsValue> {
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            STOPPED.store(true, Ordering::Relaxed);
            // Throws a JS Error out of the wasm: the page gets a message, not `unreachable`.
            wasm_bindgen::throw_str(&format!("yibao-wasm 内部错误 (internal error): {info}"));
        }))
    });
    if STOPPED.load(Ordering::Relaxed) {
        return Err(js_error(
            "yibao-wasm 在一次内部错误后已停止，请重新加载页面 (stopped after an internal error; reload the page)",
        ));
    }
    Ok(())
}

fn js_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

fn with_property(error: js_sys::Error, key: &str, value: &JsValue) -> JsValue {
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), value);
    error.into()
}

/// `Error("visits[0].in_scope: …")` with `field`.
fn scenario_error(e: ScenarioError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    // `kind` lets a page decide what to do without reading the message's words.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("kind"), &to_js(&e.kind).unwrap_or(JsValue::NULL));
    with_property(error, "field", &JsValue::from_str(&e.field))
}

/// `Error("政策文件有 N 处问题 (policy is invalid):\n  path: message …")` with `problems`.
fn policy_error(e: PolicyError) -> JsValue {
    let problems = to_js(&e.problems()).unwrap_or(JsValue::NULL);
    with_property(js_sys::Error::new(&e.to_string()), "problems", &problems)
}

// ---------------------------------------------------------------- values across the boundary

/// Plain objects for maps, `null` for absent values: the same shape `JSON.parse` would give.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(&e.to_string()))
}

/// From the JS value (`yibao-js`), as `yibao_engine::policy::check_value`: every problem of
/// shape, of the figures, and of what a calculation relies on (table coverage, pools, bands).
/// The remaining structural checks of `yibao validate` are for publishing a file: their code
/// would put the package over its 100 KB budget (ARCHITECTURE.md, "Size").
fn load_policy(policy: JsValue) -> Result<Policy, PolicyError> {
    let value = yibao_js::to_value(&policy).map_err(|e| PolicyError::Parse { path: e.path(), message: e.message.into() })?;
    yibao_engine::policy::check_value(&value)
}

fn read_policy(policy: JsValue) -> Result<Policy, JsValue> {
    load_policy(policy).map_err(policy_error)
}

/// As `yibao_engine::scenario::read`: the JS value becomes the engine's JSON value, which the
/// engine reads with the same reader as the command line's.
fn read_scenario(scenario: JsValue) -> Result<Scenario, JsValue> {
    let value = yibao_js::to_value(&scenario).map_err(|e| scenario_error(ScenarioError::new(e.path(), ScenarioErrorKind::Shape, e.message)))?;
    yibao_engine::scenario::from_value(&value).map_err(scenario_error)
}

/// `points` arrives as a JS number: anything but an integer in 1..=200 is an error naming it
/// (a `u32` parameter would silently turn -1 into 4294967295 and 2.5 into 2).
fn read_points(points: f64) -> Result<u32, JsValue> {
    if points.fract() == 0.0 && (1.0..=f64::from(MAX_CURVE_POINTS)).contains(&points) {
        Ok(points as u32)
    } else {
        Err(scenario_error(ScenarioError::new(
            "points",
            ScenarioErrorKind::Argument,
            format!("曲线点数应为 1 到 {MAX_CURVE_POINTS} 之间的整数 (points must be an integer in 1..={MAX_CURVE_POINTS})"),
        )))
    }
}

#[derive(Serialize)]
struct TotalsResult {
    identity: Option<yibao_engine::Identity>,
    totals: yibao_engine::result::Totals,
}

// ---------------------------------------------------------------- the API: functions

/// Calculates a scenario under a policy: the result contract (`yibao calc --json`).
///
/// Parses and validates the policy on every call; a page that calculates often (on every
/// keystroke) should make one `Calculator` instead. Throws an `Error` naming the bad field.
#[wasm_bindgen(unchecked_return_type = "CalcResult")]
pub fn calculate(
    #[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
) -> Result<JsValue, JsValue> {
    Calculator::new(policy)?.calculate(scenario)
}

/// Every problem of a policy that the calculation would be misled by (shape, figures, tables,
/// pools, bands), each with its JSON path; an empty array when there is none. Publish a file
/// only after `yibao validate`, which checks the rest of the format too.
#[wasm_bindgen(js_name = validatePolicy, unchecked_return_type = "Problem[]")]
pub fn validate_policy(#[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue) -> Result<JsValue, JsValue> {
    enter()?;
    match load_policy(policy) {
        Ok(_) => to_js(&[] as &[yibao_engine::Problem]),
        Err(e) => to_js(&e.problems()),
    }
}

/// Out of pocket and each layer's payout as every visit's bill (`total` and `in_scope`) is
/// scaled from 0 to 2×: `points + 1` points, point `k` at factor `2k / points`, amounts
/// rounded to the fen. `points` is an integer from 1 to 200.
#[wasm_bindgen(unchecked_return_type = "CurvePoint[]")]
pub fn curve(
    #[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
    points: f64,
) -> Result<JsValue, JsValue> {
    Calculator::new(policy)?.curve(scenario, points)
}

#[derive(Serialize)]
struct Version {
    package: &'static str,
    engine: &'static str,
    policy_format: u32,
}

/// The package version, the engine version and the policy format version it reads.
#[wasm_bindgen(unchecked_return_type = "Version")]
pub fn version() -> Result<JsValue, JsValue> {
    enter()?;
    to_js(&Version {
        package: env!("CARGO_PKG_VERSION"),
        engine: yibao_engine::ENGINE_VERSION,
        policy_format: yibao_engine::policy::FORMAT_VERSION,
    })
}

/// Tests only (feature `panic-probe`, never in the published package): panics, so that the
/// tests can check a panic reaches the page as an `Error`, not as an `unreachable` trap.
#[cfg(feature = "panic-probe")]
#[wasm_bindgen(js_name = panicProbe)]
pub fn panic_probe(message: &str) -> Result<(), JsValue> {
    enter()?;
    panic!("{message}")
}

// ---------------------------------------------------------------- the API: Calculator

/// A policy parsed and validated once, for pages that calculate on every keystroke.
///
/// `new Calculator(policy)` throws on a bad policy (the `Error` has `problems`). Free it with
/// `calculator.free()` when done (or let the garbage collector do it).
#[wasm_bindgen]
pub struct Calculator {
    policy: Policy,
}

#[wasm_bindgen]
impl Calculator {
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue) -> Result<Calculator, JsValue> {
        enter()?;
        Ok(Calculator { policy: read_policy(policy)? })
    }

    /// The result contract, as the function `calculate`.
    #[wasm_bindgen(unchecked_return_type = "CalcResult")]
    pub fn calculate(&self, #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue) -> Result<JsValue, JsValue> {
        enter()?;
        let scenario = read_scenario(scenario)?;
        let result = yibao_engine::calculate(&self.policy, &scenario).map_err(scenario_error)?;
        to_js(&result)
    }

    /// The totals and the identity applied only, without the explanation (faster).
    #[wasm_bindgen(unchecked_return_type = "TotalsResult")]
    pub fn totals(&self, #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue) -> Result<JsValue, JsValue> {
        enter()?;
        let scenario = read_scenario(scenario)?;
        let (identity, totals) = yibao_engine::totals_only(&self.policy, &scenario).map_err(scenario_error)?;
        to_js(&TotalsResult { identity, totals })
    }

    /// As the function `curve`.
    #[wasm_bindgen(unchecked_return_type = "CurvePoint[]")]
    pub fn curve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
        points: f64,
    ) -> Result<JsValue, JsValue> {
        enter()?;
        let points = read_points(points)?;
        let scenario = read_scenario(scenario)?;
        let curve = yibao_engine::curve(&self.policy, &scenario, points).map_err(scenario_error)?;
        to_js(&curve)
    }
}
