#!/usr/bin/env node
// Usage: node validate-templates.mjs [--json] [--expanded DIR] TEMPLATE...
// Validates CloudFormation/SAM templates offline. Exit code 0 when all are valid, 1 when any has errors, 2 on bad usage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readTemplate } from './lib/cfn/yaml.mjs';
import { loadResourceSpec } from './lib/cfn/resource-spec.mjs';
import { loadSamShapes } from './lib/cfn/sam-properties.mjs';
import { validateTemplate } from './lib/cfn/validate-template.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const expandedAt = args.indexOf('--expanded');
const expandedDir = expandedAt >= 0 ? args[expandedAt + 1] : null;
const files = args.filter((a, i) => !a.startsWith('--') && (expandedAt < 0 || i !== expandedAt + 1));
if (files.length === 0 || (expandedAt >= 0 && !expandedDir)) {
  console.error('usage: node validate-templates.mjs [--json] [--expanded DIR] TEMPLATE...');
  process.exit(2);
}

const spec = loadResourceSpec();
const samShapes = loadSamShapes();
const reports = files.map((file) => {
  try {
    const { errors, expanded } = validateTemplate(readTemplate(file), { spec, samShapes });
    if (expandedDir) {
      mkdirSync(expandedDir, { recursive: true });
      writeFileSync(join(expandedDir, `${basename(file)}.json`), JSON.stringify(expanded, null, 2));
    }
    return { file, resources: Object.keys(expanded.Resources ?? {}).length, errors };
  } catch (error) {
    return { file, resources: 0, errors: [error.message] };
  }
});

if (json) {
  console.log(JSON.stringify(reports, null, 2));
} else {
  for (const report of reports) {
    console.log(`${report.file}: ${report.errors.length === 0 ? 'valid' : `${report.errors.length} error(s)`} (${report.resources} resources)`);
    for (const error of report.errors) console.log(`  ${error}`);
  }
}
process.exit(reports.some((r) => r.errors.length > 0) ? 1 : 0);
