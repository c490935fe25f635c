// Validates a set of Kubernetes manifests: each document against its kind's schema (unknown fields included),
// then the checks across documents in consistency.mjs.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { schemaFor } from './schemas.mjs';
import { trackFields } from './field-tracker.mjs';
import { checkConsistency } from './consistency.mjs';

export async function validateManifestFiles(files) {
  const errors = [];
  const items = [];
  for (const file of files) {
    const documents = parseAllDocuments(readFileSync(file, 'utf8'));
    for (const [index, document] of documents.entries()) {
      if (document.errors.length > 0) {
        errors.push(`${file}#${index}: ${document.errors.map((e) => e.message).join('; ')}`);
        continue;
      }
      const doc = document.toJS();
      if (doc === null) continue;
      const where = `${file}#${index} ${doc.kind}/${doc.metadata?.name}`;
      const schema = await schemaFor(doc.apiVersion, doc.kind);
      if (!schema) {
        errors.push(`${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
        continue;
      }
      const tracked = trackFields(doc);
      errors.push(...schema.validate(tracked.proxy).map((e) => `${where}: ${e}`));
      errors.push(...tracked.unknownFields().map((f) => `${where}: ${f}: unknown field`));
      items.push({ doc, where, namespaced: schema.namespaced });
    }
  }
  errors.push(...checkConsistency(items));
  return { documents: items.length, errors, objects: items.map((i) => ({ apiVersion: i.doc.apiVersion, kind: i.doc.kind, namespace: i.doc.metadata?.namespace ?? null, name: i.doc.metadata?.name })) };
}
