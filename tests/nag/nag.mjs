// nag.mjs - cdk-nag's AwsSolutions rules over generated templates, each
// loaded with aws-cdk-lib's CfnInclude (tests/nag/README.md).
//
//   node nag.mjs ALLOWED.json TAP_START NAME=OUT_DIR...
//
// Every finding is reduced to (rule, resource): the rule id with the
// cluster's name written <cluster>, the resource "TEMPLATE:LogicalId".  A
// finding is ok when ALLOWED.json lists it (resource may hold * for any
// run of characters: fleet and group ids follow infra.yml's names); a
// finding it does not list fails, and so does an entry that no example
// produces any more, so the list cannot go stale.  An entry marked "todo"
// is a fault another change fixes: reported as TAP TODO while it occurs.  Prints TAP from
// TAP_START + 1, plan included.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'npm', 'package.json'));
const cdk = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks } = require('cdk-nag');

const [allowedFile, start, ...runs] = process.argv.slice(2);
const allowed = JSON.parse(readFileSync(allowedFile, 'utf8')).allowed;
let count = Number(start) || 0;
let failed = 0;
const ok = (cond, name, why = []) => {
  count++;
  console.log(`${cond ? 'ok' : 'not ok'} ${count} - ${name}`);
  if (!cond) { failed++; for (const line of why) console.log(`# ${line}`); }
};

const glob = (pattern) => new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
for (const entry of allowed) {
  entry.resourceRe = glob(entry.resource);
  entry.seen = 0;
  if (!entry.rule || !entry.resource || !entry.reason)
    ok(false, `allowed entry ${JSON.stringify(entry)} has a rule, a resource and a reason`);
}
const match = (rule, resource) => allowed.find((e) => e.rule === rule && e.resourceRe.test(resource));

for (const run of runs) {
  const [name, dir] = run.split('=');
  const cluster = JSON.parse(readFileSync(join(dir, 'cloudformation', 'cluster.json'), 'utf8'))
    .Resources.Cluster.Properties.ClusterName;
  const app = new cdk.App();
  const files = readdirSync(join(dir, 'cloudformation')).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const stack = new cdk.Stack(app, file.replace(/\.json$/, ''));
    new CfnInclude(stack, 'Template', { templateFile: join(dir, 'cloudformation', file) });
  }
  const report = new AwsSolutionsChecks(app).validateScope(app);
  const unexplained = [];
  const seen = new Set();
  for (const v of report.violations) {
    const rule = v.ruleName.split(cluster).join('<cluster>');
    for (const r of v.violatingResources) {
      const [stack, , id] = r.constructPath.split('/');
      const resource = `${stack}.json:${id}`;
      const key = `${rule} ${resource}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = match(rule, resource);
      if (entry) entry.seen++;
      else unexplained.push(`${rule} on ${resource}: ${v.description.split('\n')[0]}`);
    }
  }
  ok(files.length >= 4, `${name}: cdk-nag read ${files.length} templates`);
  ok(unexplained.length === 0, `${name}: every AwsSolutions finding is listed in ${allowedFile.replace(/.*\//, '')}`,
     unexplained);
}
for (const entry of allowed) {
  if (entry.todo && entry.seen) {
    count++;
    console.log(`not ok ${count} - ${entry.rule} on ${entry.resource} # TODO ${entry.reason}`);
    continue;
  }
  ok(entry.seen > 0, `allowed: ${entry.rule} on ${entry.resource} still occurs`,
     [entry.todo ? 'fixed: delete the entry' : 'no example produces it any more: delete the entry']);
}
console.log(`1..${count}`);
process.exit(failed ? 1 : 0);
