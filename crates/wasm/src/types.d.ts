
// ---------------------------------------------------------------------------------------
// yibao-wasm: the types of the values that cross the boundary. Every field is named.
// GENERATED from the engine's Rust types by crates/wasm/tests/typescript.rs (ts-rs): do not
// edit; change the Rust types (or the hand-written parts in that file) and run
// `cargo xtask bless`.
// ---------------------------------------------------------------------------------------

/** An amount in a result: a string with exactly two decimals, no separators, e.g. `"67125.00"`. */
export type Amount = string;

/**
 * A decimal in an input: a string (`"48976"`, `"0.65"`, `"65%"`) or a number. Strings are
 * exact and recommended; numbers are taken by their shortest text (`0.1` stays `0.1`).
 */
export type DecimalInput = string | number;

// ------------------------------------------------------------------ vocabulary

/**
 * 就诊类型.
 */
export type VisitKind = "inpatient" | "outpatient" | "chronic_outpatient";

/**
 * 医院等级.
 */
export type HospitalLevel = "grassroots" | "level1" | "level2" | "level3";

/**
 * 就医地: 本地, or 异地 with or without 备案 (registration of treatment elsewhere).
 */
export type Place = "local" | "elsewhere_registered" | "elsewhere_unregistered";

/**
 * 参保身份 (assistance categories and poverty statuses).
 */
export type Identity = "extreme_poverty" | "orphan" | "subsistence_allowance" | "low_income_margin" | "returned_to_poverty" | "at_risk_rural" | "illness_impoverished" | "lifted_out_of_poverty";

/**
 * The layers of protection, in the order they pay (先保险后救助).
 */
export type Layer = "basic" | "critical_illness" | "assistance" | "tilted_assistance";

/**
 * 参保类别. Only resident insurance is modelled today.
 */
export type Scheme = "resident";

/**
 * How far a figure can be trusted (domain.md section 3).
 */
export type Status = "stated" | "published" | "derived" | "assumed";

// ------------------------------------------------------------------ the scenario (input)

export interface Scenario {
  scheme?: Scheme;
  /**
   * 缴费档次; the policy's default tier when omitted.
   */
  contribution_tier?: string | null;
  /**
   * 参保身份 held; none means an ordinary resident.
   */
  identities?: Array<Identity>;
  /**
   * 人群 (a group of the policy's `populations`); the policy's default when omitted.
   */
  population?: string | null;
  /**
   * The year's visits, in the order they happen.
   */
  visits: Array<Visit>;
}

export interface Visit {
  kind: VisitKind;
  /**
   * 医疗机构类别: one of the policy's facility classes (by default the 医院等级
   * `grassroots`, `level1`, `level2`, `level3`).
   */
  level: string;
  /**
   * 医疗总费用.
   */
  total: DecimalInput;
  /**
   * 政策范围内费用, at most `total`.
   */
  in_scope: DecimalInput;
  /**
   * 乙类先行自付 / 部分政策自付: the part of `in_scope` the resident pays first (on the
   * 结算单); 0 when omitted.
   */
  partial_self_pay?: DecimalInput;
  /**
   * What basic insurance already paid, from the 结算单: the later layers are computed from
   * it and basic insurance is not recomputed.
   */
  basic_paid?: DecimalInput;
  /**
   * What 大病保险 already paid, from the same 结算单 (it requires `basic_paid`): the layer
   * is not recomputed for this visit, and its burden still counts toward the year's
   * cumulative base of later visits.
   */
  critical_illness_paid?: DecimalInput;
  /**
   * 规范转诊 and treated inside the region.
   */
  referred?: boolean;
  /**
   * 就医地; `local` when omitted.
   */
  place?: Place;
}

// ------------------------------------------------------------------ the policy (input)

export interface Policy {
  /**
   * Must equal the engine's `FORMAT_VERSION`.
   */
  format_version: number;
  /**
   * Stable id, e.g. `tianjin-2023`.
   */
  id: string;
  /**
   * 地区, e.g. `天津市`.
   */
  region: string;
  /**
   * The policy year.
   */
  year: number;
  /**
   * The title residents see, e.g. `天津市 2023 年城乡居民医保`.
   */
  title: string;
  scheme: Scheme;
  /**
   * The date (YYYY-MM-DD) the figures were last checked against their documents.
   */
  checked_on: string;
  /**
   * A short note to readers about what this file covers and what it does not.
   */
  summary?: string | null;
  /**
   * The documents that figures cite by `id`.
   */
  documents: Array<PolicyDocument>;
  /**
   * Named statistics (per-capita income …) that derived parameters use.
   */
  statistics?: { [key in string]: Statistic };
  /**
   * 缴费档次. A policy without tiers lists one.
   */
  tiers: Array<Tier>;
  /**
   * The tier used when a scenario names none.
   */
  default_tier: string;
  /**
   * 人群 the policy treats differently (成年居民, 学生儿童 …); none means one group.
   */
  populations?: Array<Tier>;
  /**
   * The group used when a scenario names none; required when `populations` is not empty.
   */
  default_population?: string | null;
  /**
   * 医疗机构类别 (乡镇卫生院, 县级 …); none means the four 医院等级
   * (`grassroots`, `level1`, `level2`, `level3`).
   */
  facility_classes?: Array<Tier>;
  /**
   * The identities this policy gives distinct treatment, in order of precedence for ties.
   */
  identities?: Array<Identity>;
  /**
   * Layers the documents do not define, with the reason (never shown as a plain 0).
   */
  not_covered?: { [key in Layer]?: string };
  basic?: Basic | null;
  critical_illness?: CriticalIllness | null;
  assistance?: Assistance | null;
  tilted_assistance?: TiltedAssistance | null;
  monitoring?: Monitoring | null;
  contribution?: Contribution | null;
  /**
   * What to do after the number: how the money is paid (一站式结算 at discharge) or where to
   * apply, each from its document. Only real clauses: a region without one has none.
   */
  next_steps?: Array<NextStep>;
}

export interface PolicyDocument {
  id: string;
  title: string;
  issuer: string;
  /**
   * Date of issue, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD).
   */
  date: string;
  /**
   * 文号, when it has one.
   */
  number?: string | null;
  url?: string | null;
  /**
   * The seed file name, for the project's seed documents.
   */
  seed?: string | null;
  /**
   * Grade of published material (A, A−, B, C) as in policy-research.md.
   */
  grade?: string | null;
}

export interface Statistic {
  /**
   * What it is, e.g. `2022 年天津市居民人均可支配收入`.
   */
  label: string;
  value: Param;
  /**
   * What the figure stands for in the norms that `yibao lint` checks; optional.
   */
  role?: StatisticRole | null;
}

/**
 * The meaning of a statistic for the higher-level norms (docs/policy-format.md, “统计数字的用途”).
 * At most one statistic of a policy has each role.
 */
export type StatisticRole = "disposable_income" | "rural_disposable_income";

export interface Tier {
  id: string;
  /**
   * e.g. `高档`.
   */
  name: string;
}

/**
 * A number of the policy (an amount in yuan, or a ratio as a fraction or `"65%"`).
 * Exactly one of `value` and `derived`. `source` is required unless the status is
 * `assumed`, which requires a `note` saying why.
 */
export interface Param {
  value?: DecimalInput | null;
  derived?: Derivation | null;
  status: Status;
  source?: Source | null;
  note?: string | null;
}

/**
 * A figure computed from a statistic: `statistic × factor`.
 */
export interface Derivation {
  /**
   * The key of an entry in the policy's `statistics`.
   */
  statistic: string;
  /**
   * The multiplier, e.g. `"50%"`.
   */
  factor: DecimalInput;
}

/**
 * Where a figure comes from: a document listed in the policy's `documents`, and the clause.
 */
export interface Source {
  /**
   * The `id` of an entry in the policy's `documents`.
   */
  document: string;
  /**
   * The clause, table row or passage, e.g. `二(二)4`.
   */
  clause: string;
}

/**
 * A choice of rule or shape (which visit kinds count, whether referral is needed …) with
 * its provenance, so that assumed interpretations are as visible as assumed numbers.
 */
export interface Sourced<T> {
  value: T;
  status: Status;
  source?: Source | null;
  note?: string | null;
}

/**
 * What a table may be keyed by.
 */
export type Dimension = "tier" | "population" | "facility" | "visit_kind" | "admission" | "referral" | "place" | "identity";

/**
 * A figure, or a choice by a dimension: `{ by: "facility", level3: {…}, "level1,grassroots": {…} }`.
 * A key may list several values separated by commas; every value of the dimension is covered once.
 */
export type Table = Param | ({ by: Dimension } & { [key: string]: Table | Dimension });

/** A cap: an amount table, or `{ value: "none", … }` where the documents state there is none. */
export type Cap = Table | Sourced<"none">;

/**
 * A yearly cap shared by the rules that name it.
 */
export interface CapPool {
  /**
   * e.g. `住院和门诊慢特病共用年度最高支付限额`.
   */
  label: string;
  /**
   * The yearly cap; left out when the documents do not state it.
   */
  amount?: Cap;
}

/**
 * 基本医保: benefits by visit kind, caps that benefits may share.
 */
export interface Basic {
  benefits: Array<Benefit>;
  /**
   * Yearly caps by pool id.
   */
  caps?: { [key in string]: CapPool };
  /**
   * Visit kinds the documents give no basic-insurance rule for, with the reason.
   */
  not_covered?: { [key in VisitKind]?: string };
}

/**
 * How the deductible (起付线) is charged over a year.
 */
export type DeductibleRule = "per_visit" | "first_visit_in_year" | "yearly_amount";

export interface Benefit {
  /**
   * e.g. `住院`, `普通门诊统筹`.
   */
  name: string;
  kinds: Array<VisitKind>;
  /**
   * 起付线, e.g. by facility class or by admission of the year.
   */
  deductible: Table;
  deductible_rule: Sourced<DeductibleRule>;
  /**
   * Benefits naming the same pool share one deductible (e.g. inpatient and 门特), and one
   * count of the year's cost for `segments` and `eligible_ceiling`.
   */
  deductible_pool: string;
  /**
   * A yearly ceiling on the sum of deductibles charged in the pool (起付线累计不超过).
   */
  deductible_ceiling?: Table;
  /**
   * 报销比例, e.g. by tier, then by facility class. Exactly one of `ratio` and `segments`.
   */
  ratio?: Table;
  /**
   * Or ratios in bands of the year's cumulative in-scope cost of the pool (分段报销).
   */
  segments?: Array<Segment>;
  /**
   * What the bands' bounds are measured on; `cumulative_burden` (the year's in-scope cost)
   * when absent.
   */
  segment_basis?: Sourced<SegmentBasis> | null;
  /**
   * 政策范围内费用封顶: basic insurance pays nothing on the pool's in-scope cost of the
   * year above this; that cost goes in full to the later layers.
   */
  eligible_ceiling?: Table;
  /**
   * Whether 乙类先行自付 (a visit's `partial_self_pay`) is in this layer's base; no when absent.
   */
  partial_self_pay_in_base?: Sourced<boolean> | null;
  /**
   * Extra percentage points for some identities (e.g. +5 points for 特困).
   */
  ratio_bonus?: Array<RatioBonus>;
  /**
   * The id of a cap in `basic.caps`; none means no yearly cap.
   */
  cap_pool?: string | null;
}

export interface RatioBonus {
  identities: Array<Identity>;
  /**
   * Added to the ratio, e.g. `"5%"`; the sum is limited to 100%.
   */
  points: Param;
}

/**
 * What segment bounds are measured on.
 */
export type SegmentBasis = "cumulative_burden" | "excess_over_threshold" | "admission";

/**
 * 大病保险.
 */
export interface CriticalIllness {
  /**
   * Visit kinds whose in-scope burden after basic insurance counts.
   */
  base_kinds: Sourced<Array<VisitKind>>;
  /**
   * Yearly threshold (起付线); by the resident's dimensions only.
   */
  threshold: Table;
  /**
   * What segment bounds are measured on. Required when it matters: with more than one
   * segment or a bounded last one; `cumulative_burden` otherwise.
   */
  segment_basis?: Sourced<SegmentBasis> | null;
  /**
   * In rising order; the last may have no upper bound.
   */
  segments: Array<Segment>;
  /**
   * Yearly cap; left out when the documents do not state it.
   */
  cap?: Cap;
  /**
   * Whether 乙类先行自付 is in this layer's base; no when absent.
   */
  partial_self_pay_in_base?: Sourced<boolean> | null;
  /**
   * What happens to burden above a bounded last segment (e.g. `不支付`), with provenance.
   */
  above_last_segment?: Sourced<string> | null;
  /**
   * 倾斜支付 for poor groups.
   */
  tilts?: Array<CriticalIllnessTilt>;
}

export interface Segment {
  /**
   * Upper bound of the segment (inclusive); `null` for an open last segment.
   */
  up_to?: Param | null;
  ratio: Table;
}

export interface CriticalIllnessTilt {
  identities: Array<Identity>;
  /**
   * An own threshold, replacing the ordinary one.
   */
  threshold?: Param | null;
  /**
   * Or the ordinary threshold times this factor (e.g. `"50%"` for 降低50%).
   */
  threshold_factor?: Param | null;
  /**
   * Points added to every segment's ratio (e.g. `"5%"`).
   */
  ratio_points?: Param | null;
  /**
   * Whether the yearly cap is removed (取消封顶线).
   */
  cap_removed: Sourced<boolean>;
  /**
   * Whether the last segment's upper bound is dropped too. Only meaningful when the last
   * segment is bounded; absent means no.
   */
  last_segment_unbounded?: Sourced<boolean> | null;
}

/**
 * 医疗救助, by category of identities.
 */
export interface Assistance {
  categories: Array<AssistanceCategory>;
}

export interface AssistanceCategory {
  identities: Array<Identity>;
  rules: Array<AssistanceRule>;
  /**
   * Yearly caps by pool id, shared by the rules that name them.
   */
  caps?: { [key in string]: CapPool };
}

export interface AssistanceRule {
  /**
   * e.g. `住院救助`.
   */
  name: string;
  kinds: Sourced<Array<VisitKind>>;
  /**
   * Yearly threshold on the burden left after insurance; `null` means none (不设起付线).
   */
  threshold?: Table;
  /**
   * A threshold for each visit (每次住院起付线), in addition to or instead of the yearly one.
   */
  admission_threshold?: Table;
  /**
   * 救助比例. Exactly one of `ratio` and `segments`.
   */
  ratio?: Table;
  /**
   * Or ratios in bands of the year's cumulative burden of this rule (分段救助).
   */
  segments?: Array<Segment>;
  /**
   * What the bands' bounds are measured on; required with bands.
   */
  segment_basis?: Sourced<SegmentBasis> | null;
  /**
   * A cap for each visit (每次最高救助), in addition to yearly caps.
   */
  admission_cap?: Table;
  cap_pool?: string | null;
  /**
   * Whether 乙类先行自付 is in this rule's base; no when absent.
   */
  partial_self_pay_in_base?: Sourced<boolean> | null;
}

/**
 * 倾斜救助 / 重特大疾病医疗救助: after the three layers, above a yearly threshold.
 */
export interface TiltedAssistance {
  /**
   * e.g. `重特大疾病医疗救助`.
   */
  name: string;
  identities: Array<Identity>;
  kinds: Sourced<Array<VisitKind>>;
  /**
   * Only visits marked `referred` (规范转诊, treated inside the region) count.
   */
  requires_referral: Sourced<boolean>;
  /**
   * Yearly threshold on the year's burden; may be keyed by the resident's dimensions
   * (e.g. by identity). `null` or absent: none, and then `admission_threshold` is required.
   */
  threshold?: Table;
  /**
   * A threshold on each visit's burden (单次住院…个人自付超过 X 元的部分): only the part of
   * a visit's burden above it counts towards the year.
   */
  admission_threshold?: Table;
  ratio: Table;
  /**
   * Yearly cap; left out when the documents do not state it.
   */
  cap?: Cap;
  /**
   * Whether 乙类先行自付 is in this layer's base; no when absent.
   */
  partial_self_pay_in_base?: Sourced<boolean> | null;
}

/**
 * 因病致贫/返贫 monitoring lines.
 */
export interface Monitoring {
  /**
   * The reference income (e.g. last year's rural per-capita disposable income).
   */
  income: Param;
  lines: Array<MonitoringLine>;
  /**
   * Where to apply, e.g. `户籍所在地乡镇（街道）社会救助服务窗口`.
   */
  where_to_apply: string;
}

export interface MonitoringLine {
  /**
   * e.g. `因病致贫监测`.
   */
  name: string;
  factor: Param;
  /**
   * Who the line is for; `null` means every resident.
   */
  identities?: Array<Identity> | null;
}

/**
 * One line on how the money is actually paid or applied for, with its source.
 */
export interface NextStep {
  /**
   * Who it is for (one of these identities held); `null` means every resident.
   */
  identities?: Array<Identity> | null;
  /**
   * What to do, in the document's words as far as possible.
   */
  text: Sourced<string>;
}

/**
 * 筹资: the yearly contribution and its subsidies.
 */
export interface Contribution {
  /**
   * 个人缴费 by tier id.
   */
  individual: { [key in string]: Param };
  /**
   * 财政补助 per person per year.
   */
  government_subsidy?: Param | null;
  /**
   * 资助参保 by identity: the share of the individual contribution paid for them.
   */
  subsidised_enrolment?: Array<EnrolmentSubsidy>;
  /**
   * Who pays the government subsidy, in variants (e.g. by area class).
   */
  fiscal_split?: Array<FiscalSplit>;
}

export interface EnrolmentSubsidy {
  identities: Array<Identity>;
  /**
   * Share of the individual contribution paid by assistance (`"100%"` = 全额资助).
   */
  share: Param;
  /**
   * Whether the share is a minimum (不低于).
   */
  at_least?: boolean;
}

export interface FiscalSplit {
  /**
   * e.g. `一类地区`, `享受均衡性转移支付市县`.
   */
  name: string;
  parts: Array<FiscalPart>;
}

/**
 * One payer's part: exactly one of `amount`, `share` (of the subsidy), `share_of_rest`
 * (of what the parts before it leave), or `rest: true` (whatever is left).
 */
export interface FiscalPart {
  payer: string;
  amount?: Param | null;
  share?: Param | null;
  share_of_rest?: Param | null;
  rest?: boolean;
}

// ------------------------------------------------------------------ results (output)

export interface CalcResult {
  policy: PolicyRef;
  tier: TierRef;
  /**
   * The identity applied (就高不就低), or null for an ordinary resident.
   */
  identity: Identity | null;
  identity_name: string | null;
  /**
   * Each identity tried, with the out-of-pocket it would give, in the policy's order.
   */
  identities_considered: Array<IdentityOutcome>;
  totals: Totals;
  /**
   * One entry per layer, in paying order, with whether the documents cover it.
   */
  layers: Array<LayerSummary>;
  visits: Array<VisitResult>;
  /**
   * The explanation: how each amount was reached.
   */
  steps: Array<Step>;
  alerts: Array<Alert>;
  contribution: ContributionResult | null;
  /**
   * Every assumed (参考值) parameter this result relied on.
   */
  assumptions: Array<ParamUse>;
  /**
   * What to do after the number (how it is paid, where to apply), for the identities
   * held: `display` is the text, `source` its document and clause.
   */
  next_steps: Array<ParamUse>;
}

export interface PolicyRef {
  id: string;
  title: string;
  region: string;
  year: number;
  format_version: number;
  checked_on: string;
}

export interface TierRef {
  id: string;
  name: string;
}

export interface IdentityOutcome {
  identity: Identity;
  name: string;
  out_of_pocket: Amount;
}

export interface Totals {
  total: Amount;
  in_scope: Amount;
  out_of_scope: Amount;
  basic: Amount;
  critical_illness: Amount;
  assistance: Amount;
  tilted_assistance: Amount;
  /**
   * 个人自付: out_of_pocket_in_scope + out_of_scope.
   */
  out_of_pocket: Amount;
  /**
   * The in-scope part of what the resident pays.
   */
  out_of_pocket_in_scope: Amount;
  /**
   * Everything the layers pay together (预计可报销).
   */
  reimbursed: Amount;
}

export type Coverage = "covered" | "partly_covered" | "not_covered" | "not_applicable";

export interface LayerSummary {
  layer: Layer;
  name: string;
  /**
   * The rule's own name where the policy gives one (e.g. 重特大疾病医疗救助).
   */
  title: string;
  amount: Amount;
  coverage: Coverage;
  /**
   * Why a layer is not (fully) covered or not applicable.
   */
  reason: string | null;
}

export interface VisitResult {
  index: number;
  kind: VisitKind;
  /**
   * The facility class id, and its name.
   */
  level: string;
  level_name: string;
  total: Amount;
  in_scope: Amount;
  out_of_scope: Amount;
  basic: Amount;
  critical_illness: Amount;
  assistance: Amount;
  tilted_assistance: Amount;
  out_of_pocket: Amount;
  /**
   * Layers the documents do not define for this visit (their 0.00 only keeps sums whole).
   */
  not_covered: Array<Layer>;
}

export type Flag = "deductible_applied" | "below_threshold" | "cap_reached" | "tilt_applied" | "identity_applied" | "not_covered" | "not_applicable" | "referral_required" | "beyond_last_segment";

/**
 * One step of the explanation.
 */
export interface Step {
  /**
   * Null for steps about the whole result (identity, contribution).
   */
  layer: Layer | null;
  /**
   * The visit (0-based), or null for yearly steps.
   */
  visit: number | null;
  title: string;
  /**
   * The formula lines with the actual numbers, in Chinese.
   */
  lines: Array<string>;
  amount: Amount | null;
  params: Array<ParamUse>;
  flags: Array<Flag>;
}

/**
 * A parameter as used in a step: value, where it comes from, how far to trust it.
 */
export interface ParamUse {
  /**
   * JSON path in the policy file.
   */
  path: string;
  /**
   * What it is, in Chinese.
   */
  label: string;
  /**
   * The value as shown, e.g. `65%` or `24,488.00 = 48,976.00 × 50%`.
   */
  display: string;
  status: Status;
  status_name: string;
  source: SourceRef | null;
  note: string | null;
}

export interface SourceRef {
  document: string;
  title: string;
  issuer: string;
  date: string;
  clause: string;
  url: string | null;
  seed: string | null;
  grade: string | null;
}

export type AlertKind = "monitoring" | "not_covered" | "assumed_parameters" | "identity_without_treatment" | "referral_required" | "cap_reached" | "cap_unstated";

export interface Alert {
  kind: AlertKind;
  title: string;
  message: string;
}

export interface ContributionResult {
  /**
   * 个人缴费 of the tier, or null when the documents give none.
   */
  individual: Amount | null;
  /**
   * 财政补助 per person.
   */
  government_subsidy: Amount | null;
  /**
   * Paid for the resident by 资助参保, by the identity that gives the most.
   */
  enrolment_subsidy: Amount | null;
  enrolment_identity: Identity | null;
  /**
   * Whether the subsidy share is a minimum (不低于).
   */
  enrolment_at_least: boolean;
  /**
   * What the resident pays after 资助参保 (at most this much when the share is a minimum).
   */
  resident_pays: Amount | null;
  fiscal_split: Array<FiscalSplitResult>;
  params: Array<ParamUse>;
}

export interface FiscalSplitResult {
  name: string;
  parts: Array<FiscalPartResult>;
}

export interface FiscalPartResult {
  payer: string;
  amount: Amount;
  formula: string;
}

/**
 * One point of a curve.
 */
export interface CurvePoint {
  /**
   * The point's number, 0 to `points`.
   */
  k: number;
  /**
   * The scale factor `2k / points` as a decimal string with at most 4 decimals
   * (`"0"`, `"0.6667"`, `"1"`, `"2"`); the bill actually used is `totals.total`.
   */
  factor: string;
  /**
   * The identity applied at this point (就高不就低 may choose another one as bills grow).
   */
  identity: Identity | null;
  totals: Totals;
}

/**
 * One problem in a policy file.
 */
export interface Problem {
  /**
   * JSON path, e.g. `basic.benefits[0].ratio.high.level3`.
   */
  path: string;
  message: string;
}

/**
 * What kind of problem a scenario has.
 */
export type ScenarioErrorKind = "not_json" | "shape" | "amount" | "in_scope_above_total" | "unknown_tier" | "duplicate_identity" | "visit_count" | "wrong_scheme" | "encoding" | "unknown_population" | "unknown_facility" | "above_in_scope" | "argument";

// ------------------------------------------------------------------ the package's own values

/** What `Calculator.totals` returns: the totals alone, without the explanation. */
export interface TotalsResult {
  identity: Identity | null;
  totals: Totals;
}

export interface Version {
  /** This package's version. */
  package: string;
  /** The engine's version. */
  engine: string;
  /** The policy format version this engine reads (`Policy.format_version`). */
  policy_format: number;
}

/**
 * What every function throws on bad input: a plain `Error` whose message names the problem,
 * e.g. `visits[0].in_scope: 政策范围内费用不能大于医疗总费用…`. `field` is set for a bad
 * scenario (or `points`); `problems` for a bad policy, each with its JSON path.
 */
export interface YibaoError extends Error {
  field?: string;
  /** What kind of problem a bad scenario has (set with `field`): decide by this, never by the message's words. */
  kind?: ScenarioErrorKind;
  problems?: Problem[];
}
