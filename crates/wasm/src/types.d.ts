
// ---------------------------------------------------------------------------------------
// yibao-wasm: the types of the values that cross the boundary. Every field is named; the
// Rust tests (crates/wasm/tests/typescript.rs) check these declarations against the
// engine's policy schema and against real results, so they cannot drift.
// ---------------------------------------------------------------------------------------

/** An amount in a result: a string with exactly two decimals, no separators, e.g. `"67125.00"`. */
export type Amount = string;

/**
 * A decimal in an input: a string (`"48976"`, `"0.65"`, `"65%"`) or a number. Strings are
 * exact and recommended; numbers are taken by their shortest text (`0.1` stays `0.1`).
 */
export type DecimalInput = string | number;

/** 就诊类型. */
export type VisitKind = "inpatient" | "outpatient" | "chronic_outpatient";

/** 医院等级. */
export type HospitalLevel = "grassroots" | "level1" | "level2" | "level3";

/** 参保身份. */
export type Identity =
  | "extreme_poverty"
  | "orphan"
  | "subsistence_allowance"
  | "low_income_margin"
  | "returned_to_poverty"
  | "at_risk_rural"
  | "illness_impoverished"
  | "lifted_out_of_poverty";

/** The layers of protection, in paying order (先保险后救助). */
export type Layer = "basic" | "critical_illness" | "assistance" | "tilted_assistance";

/** 参保类别. */
export type Scheme = "resident";

/** How far a figure can be trusted: `assumed` is shown to residents as 参考值. */
export type Status = "stated" | "published" | "derived" | "assumed";

// ------------------------------------------------------------------ the scenario (input)

/** What a resident enters. */
export interface Scenario {
  /** Defaults to `"resident"`. */
  scheme?: Scheme;
  /** 缴费档次 id; the policy's `default_tier` when omitted. */
  contribution_tier?: string | null;
  /** 参保身份 held; none means an ordinary resident. */
  identities?: Identity[];
  /** The year's visits, in the order they happen (1 to 400). */
  visits: Visit[];
}

/** One visit (one hospital stay or one outpatient bill). */
export interface Visit {
  kind: VisitKind;
  level: HospitalLevel;
  /** 医疗总费用, at most two decimals. */
  total: DecimalInput;
  /** 政策范围内费用, at most `total`. */
  in_scope: DecimalInput;
  /** 规范转诊 and treated inside the region. Defaults to `false`. */
  referred?: boolean;
}

// ------------------------------------------------------------------ the policy (input)

/** A policy file (policies/*.json; docs/policy-format.md), as parsed by `JSON.parse`. */
export interface Policy {
  format_version: number;
  id: string;
  region: string;
  year: number;
  title: string;
  scheme: Scheme;
  checked_on: string;
  summary?: string | null;
  documents: PolicyDocument[];
  statistics?: Record<string, Statistic>;
  tiers: Tier[];
  default_tier: string;
  identities?: Identity[];
  not_covered?: Partial<Record<Layer, string>>;
  basic?: Basic | null;
  critical_illness?: CriticalIllness | null;
  assistance?: Assistance | null;
  tilted_assistance?: TiltedAssistance | null;
  monitoring?: Monitoring | null;
  contribution?: Contribution | null;
  /** How the money is paid or where to apply, each from its document (optional). */
  next_steps?: NextStep[];
}

/** One line on how the money is actually paid or applied for. */
export interface NextStep {
  /** Who it is for (any identity held); null or absent means every resident. */
  identities?: Identity[] | null;
  text: Sourced<string>;
}

/** A document figures cite (named so as not to clash with the DOM's `Document`). */
export interface PolicyDocument {
  id: string;
  title: string;
  issuer: string;
  date: string;
  number?: string | null;
  url?: string | null;
  seed?: string | null;
  grade?: string | null;
}

export interface Statistic {
  label: string;
  value: Param;
  /** What the figure stands for in the norms `yibao lint` checks. */
  role?: StatisticRole | null;
}

export type StatisticRole = "disposable_income" | "rural_disposable_income";

export interface Tier {
  id: string;
  name: string;
}

/** A figure with its provenance: exactly one of `value` and `derived`. */
export interface Param {
  value?: DecimalInput | null;
  derived?: Derivation | null;
  status: Status;
  source?: Source | null;
  note?: string | null;
}

export interface Derivation {
  statistic: string;
  factor: DecimalInput;
}

export interface Source {
  document: string;
  clause: string;
}

/** A choice of rule with its provenance. */
export interface Sourced<T> {
  value: T;
  status: Status;
  source?: Source | null;
  note?: string | null;
}

export interface LevelTable {
  grassroots: Param;
  level1: Param;
  level2: Param;
  level3: Param;
}

export interface CapPool {
  label: string;
  amount?: Param | null;
}

export interface Basic {
  benefits: Benefit[];
  caps?: Record<string, CapPool>;
  not_covered?: Partial<Record<VisitKind, string>>;
}

export type DeductibleRule = "per_visit" | "first_visit_in_year" | "yearly_amount";

export interface Benefit {
  name: string;
  kinds: VisitKind[];
  deductible: LevelTable;
  deductible_rule: Sourced<DeductibleRule>;
  deductible_pool: string;
  /** By tier id. */
  ratio: Record<string, LevelTable>;
  ratio_bonus?: RatioBonus[];
  cap_pool?: string | null;
}

export interface RatioBonus {
  identities: Identity[];
  points: Param;
}

export type SegmentBasis = "cumulative_burden" | "excess_over_threshold";

export interface CriticalIllness {
  base_kinds: Sourced<VisitKind[]>;
  threshold: Param;
  /** Required with more than one segment or a bounded last one; `cumulative_burden` otherwise. */
  segment_basis?: Sourced<SegmentBasis> | null;
  segments: Segment[];
  cap?: Param | null;
  above_last_segment?: Sourced<string> | null;
  tilts?: CriticalIllnessTilt[];
}

export interface Segment {
  up_to?: Param | null;
  ratio: Param;
}

export interface CriticalIllnessTilt {
  identities: Identity[];
  threshold?: Param | null;
  threshold_factor?: Param | null;
  ratio_points?: Param | null;
  cap_removed: Sourced<boolean>;
  /** Absent means no. */
  last_segment_unbounded?: Sourced<boolean> | null;
}

export interface Assistance {
  categories: AssistanceCategory[];
}

export interface AssistanceCategory {
  identities: Identity[];
  rules: AssistanceRule[];
  caps?: Record<string, CapPool>;
}

export interface AssistanceRule {
  name: string;
  kinds: Sourced<VisitKind[]>;
  threshold?: Param | null;
  ratio: Param;
  cap_pool?: string | null;
}

export interface TiltedAssistance {
  name: string;
  identities: Identity[];
  kinds: Sourced<VisitKind[]>;
  requires_referral: Sourced<boolean>;
  threshold: Param;
  ratio: Param;
  cap?: Param | null;
}

export interface Monitoring {
  income: Param;
  lines: MonitoringLine[];
  where_to_apply: string;
}

export interface MonitoringLine {
  name: string;
  factor: Param;
  identities?: Identity[] | null;
}

export interface Contribution {
  /** By tier id. */
  individual: Record<string, Param>;
  government_subsidy?: Param | null;
  subsidised_enrolment?: EnrolmentSubsidy[];
  fiscal_split?: FiscalSplit[];
}

export interface EnrolmentSubsidy {
  identities: Identity[];
  share: Param;
  at_least?: boolean;
}

export interface FiscalSplit {
  name: string;
  parts: FiscalPart[];
}

export interface FiscalPart {
  payer: string;
  amount?: Param | null;
  share?: Param | null;
  share_of_rest?: Param | null;
  rest?: boolean;
}

// ------------------------------------------------------------------ results (output)

/** The result contract: the same JSON as `yibao calc --json`. */
export interface CalcResult {
  policy: PolicyRef;
  tier: TierRef;
  /** The identity applied (就高不就低), or null for an ordinary resident. */
  identity: Identity | null;
  identity_name: string | null;
  /** Each identity tried, with the out-of-pocket it would give. */
  identities_considered: IdentityOutcome[];
  /** `basic + critical_illness + assistance + tilted_assistance + out_of_pocket == total`. */
  totals: Totals;
  /** One per layer, in paying order. */
  layers: LayerSummary[];
  visits: VisitResult[];
  /** The explanation: how each amount was reached. */
  steps: Step[];
  alerts: Alert[];
  contribution: ContributionResult | null;
  /** Every assumed (参考值) parameter the result relied on. */
  assumptions: ParamUse[];
  /** What to do after the number for the identities held: `display` is the text, `source` its clause. */
  next_steps: ParamUse[];
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
  /** 个人自付: `out_of_pocket_in_scope + out_of_scope`. */
  out_of_pocket: Amount;
  out_of_pocket_in_scope: Amount;
  /** Everything the layers pay together (预计可报销). */
  reimbursed: Amount;
}

export type Coverage = "covered" | "partly_covered" | "not_covered" | "not_applicable";

export interface LayerSummary {
  layer: Layer;
  name: string;
  title: string;
  amount: Amount;
  /** `not_covered`: the documents do not define it; show that, never a plain 0. */
  coverage: Coverage;
  reason: string | null;
}

export interface VisitResult {
  index: number;
  kind: VisitKind;
  level: HospitalLevel;
  total: Amount;
  in_scope: Amount;
  out_of_scope: Amount;
  basic: Amount;
  critical_illness: Amount;
  assistance: Amount;
  tilted_assistance: Amount;
  out_of_pocket: Amount;
  not_covered: Layer[];
}

export type Flag =
  | "deductible_applied"
  | "below_threshold"
  | "cap_reached"
  | "tilt_applied"
  | "identity_applied"
  | "not_covered"
  | "not_applicable"
  | "referral_required"
  | "beyond_last_segment";

/** One step of the explanation. */
export interface Step {
  layer: Layer | null;
  /** The visit (0-based), or null for yearly steps. */
  visit: number | null;
  title: string;
  /** The formula lines with the actual numbers, in Chinese. */
  lines: string[];
  amount: Amount | null;
  params: ParamUse[];
  flags: Flag[];
}

/** A parameter as used in a step: value, source, and how far to trust it. */
export interface ParamUse {
  /** JSON path in the policy file. */
  path: string;
  label: string;
  /** The value as shown, e.g. `65%`. */
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

export type AlertKind =
  | "monitoring"
  | "not_covered"
  | "assumed_parameters"
  | "identity_without_treatment"
  | "referral_required"
  | "cap_reached";

export interface Alert {
  kind: AlertKind;
  title: string;
  message: string;
}

export interface ContributionResult {
  individual: Amount | null;
  government_subsidy: Amount | null;
  enrolment_subsidy: Amount | null;
  enrolment_identity: Identity | null;
  enrolment_at_least: boolean;
  resident_pays: Amount | null;
  fiscal_split: FiscalSplitResult[];
  params: ParamUse[];
}

export interface FiscalSplitResult {
  name: string;
  parts: FiscalPartResult[];
}

export interface FiscalPartResult {
  payer: string;
  amount: Amount;
  formula: string;
}

/** What `Calculator.totals` returns: the totals alone, without the explanation. */
export interface TotalsResult {
  identity: Identity | null;
  totals: Totals;
}

/** One point of `curve`: the bills of every visit scaled by `factor`. */
export interface CurvePoint {
  /** 0 to `points`. */
  k: number;
  /** `2k / points` as a decimal string, at most 4 decimals: `"0"`, `"0.6667"`, `"2"`. */
  factor: string;
  identity: Identity | null;
  /** `totals.total` is the scaled bill: use it for the x axis. */
  totals: Totals;
}

/** One problem of a policy: its JSON path and what is wrong. */
export interface Problem {
  path: string;
  message: string;
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

/** What kind of problem a scenario has. */
export type ScenarioErrorKind =
  | "not_json"
  | "shape"
  | "amount"
  | "in_scope_above_total"
  | "unknown_tier"
  | "duplicate_identity"
  | "visit_count"
  | "wrong_scheme"
  | "encoding"
  | "argument";
