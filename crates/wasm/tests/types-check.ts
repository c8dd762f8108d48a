// Compiled with `tsc --strict` (never run): the generated definitions must type real uses of
// the API, and must reject wrong ones (`@ts-expect-error` fails the build if nothing is wrong).
import init, {
  calculate, curve, validatePolicy, version, Calculator,
  type Policy, type Scenario, type CalcResult, type CurvePoint, type Problem, type Totals,
  type YibaoError, type Version, type TotalsResult, type Step, type ParamUse, type Alert,
} from '../pkg/yibao_wasm.js';

declare const policy: Policy;

export async function use(): Promise<string> {
  await init();
  const scenario: Scenario = {
    identities: ['subsistence_allowance'],
    visits: [{ kind: 'inpatient', level: 'level3', total: '100000', in_scope: 90000, referred: true }],
  };
  const r: CalcResult = calculate(policy, scenario);
  const totals: Totals = r.totals;
  const firstStep: Step | undefined = r.steps[0];
  const used: ParamUse[] = firstStep?.params ?? [];
  const alerts: Alert[] = r.alerts;
  const problems: Problem[] = validatePolicy(policy);
  const points: CurvePoint[] = curve(policy, scenario, 20);
  const v: Version = version();
  const calc = new Calculator(policy);
  const t: TotalsResult = calc.totals(scenario);
  calc.free();
  try {
    calculate(policy, scenario);
  } catch (e) {
    const err = e as YibaoError;
    return `${err.field ?? ''} ${err.problems?.map((p) => p.path).join(',') ?? ''}`;
  }
  // @ts-expect-error: an unknown visit kind is a type error
  calculate(policy, { visits: [{ kind: 'dental', level: 'level3', total: '1', in_scope: '1' }] });
  // @ts-expect-error: amounts in results are strings
  const n: number = totals.out_of_pocket;
  return [totals.out_of_pocket, used.length, alerts.length, problems.length, points.length, v.policy_format, t.identity, n].join();
}
