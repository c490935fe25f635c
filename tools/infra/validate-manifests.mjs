#!/usr/bin/env node
// Usage: node validate-manifests.mjs [--json] MANIFEST...
// Validates Kubernetes manifests as one set. Exit code 0 when valid, 1 when there are errors, 2 on bad usage.
import { validateManifestFiles } from './lib/k8s/validate-manifests.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  console.error('usage: node validate-manifests.mjs [--json] MANIFEST...');
  process.exit(2);
}
const report = await validateManifestFiles(files);
if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`${report.documents} documents: ${report.errors.length === 0 ? 'valid' : `${report.errors.length} error(s)`}`);
  for (const error of report.errors) console.log(`  ${error}`);
}
process.exit(report.errors.length > 0 ? 1 : 0);
