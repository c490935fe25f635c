#!/usr/bin/env node
// Usage: node render.mjs --settings SETTINGS.json --image IMAGE --out DIR
// Writes the GPU tier's Kubernetes manifests: cluster.yaml, observability.yaml and worker-<runtime>.yaml per runtime.
// SETTINGS.json is the GPU stack's WorkerSettings output; its `catalogue` names the runtime catalogue (runtimes.json),
// relative to SETTINGS.json, and its `runtimes` the catalogue's runtimes to render. IMAGE is the GpuWorker image.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { readSettings, serverlessResources } from './lib/settings.mjs';
import { deployedRuntimes } from './lib/catalogue.mjs';
import { clusterObjects } from './lib/cluster.mjs';
import { collectorObjects } from './lib/collector.mjs';
import { workerObjects } from './lib/worker.mjs';

function option(name) {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : undefined;
  if (!value || value.startsWith('--')) {
    console.error(`usage: node render.mjs --settings SETTINGS.json --image IMAGE --out DIR (missing --${name})`);
    process.exit(2);
  }
  return value;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const settingsFile = option('settings');
const image = option('image');
const out = option('out');
let settings;
let runtimes;
try {
  settings = readSettings(readJson(settingsFile), settingsFile);
  const catalogueFile = resolve(dirname(settingsFile), settings.catalogue);
  if (!existsSync(catalogueFile)) throw new Error(`${settingsFile}: 'catalogue' names ${catalogueFile}, which does not exist (the path is relative to the settings file)`);
  runtimes = deployedRuntimes(readJson(catalogueFile), catalogueFile, settings, serverlessResources(settings).outputBucket);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (!/^[^\s:@]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/.test(image)) {
  console.error(`--image '${image}' must name a repository with a tag or digest`);
  process.exit(1);
}

const write = (file, objects) => {
  writeFileSync(join(out, file), objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n'));
  return file;
};
mkdirSync(out, { recursive: true });
const written = [write('cluster.yaml', clusterObjects(settings, runtimes)), write('observability.yaml', collectorObjects(settings))];
for (const runtime of runtimes) written.push(write(`worker-${runtime.name}.yaml`, workerObjects(settings, runtime, image)));
console.log(written.map((f) => join(out, f)).join('\n'));
