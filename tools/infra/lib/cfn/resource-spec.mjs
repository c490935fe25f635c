// The CloudFormation resource specification, read from the pinned @aws-cdk/aws-service-spec database.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function loadResourceSpec() {
  const packageJson = require.resolve('@aws-cdk/aws-service-spec/package.json');
  const database = JSON.parse(gunzipSync(readFileSync(join(dirname(packageJson), 'db.json.gz'))).toString('utf8'));
  const resources = new Map();
  for (const entity of Object.values(database.schema.resource.entities)) {
    resources.set(entity.cloudFormationType, {
      properties: entity.properties ?? {},
      attributes: new Set(Object.keys(entity.attributes ?? {})),
    });
  }
  const types = new Map(Object.values(database.schema.typeDefinition.entities).map((t) => [t.$id, t]));
  return {
    resource: (type) => resources.get(type),
    typeDefinition: (id) => types.get(id),
  };
}
