// Checks resource properties against the CloudFormation resource specification's property types.
import { isIntrinsic } from './references.mjs';

export class SpecPropertyChecker {
  constructor(spec, errors) {
    this.spec = spec;
    this.errors = errors;
  }

  checkProperties(value, properties, path) {
    if (value === undefined) value = {};
    if (isIntrinsic(value)) return;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.errors.push(`${path}: expected a mapping`);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const property = properties[key];
      if (!property) {
        this.errors.push(`${path}.${key}: unknown property (known: ${Object.keys(properties).sort().join(', ')})`);
        continue;
      }
      this.checkValue(item, property.type, `${path}.${key}`);
    }
    for (const [key, property] of Object.entries(properties)) {
      if (property.required && !(key in value)) this.errors.push(`${path}: required property '${key}' is missing`);
    }
  }

  checkValue(value, type, path) {
    if (isIntrinsic(value)) return;
    switch (type.type) {
      case 'string':
      case 'date-time':
        if (value === null || typeof value === 'object') this.errors.push(`${path}: expected a string`);
        return;
      case 'integer':
      case 'number':
        if (!(typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))))) {
          this.errors.push(`${path}: expected a number`);
        } else if (type.type === 'integer' && !Number.isInteger(Number(value))) {
          this.errors.push(`${path}: expected an integer`);
        }
        return;
      case 'boolean':
        if (!(typeof value === 'boolean' || value === 'true' || value === 'false')) this.errors.push(`${path}: expected a boolean`);
        return;
      case 'json':
        return;
      case 'tag':
        this.checkProperties(value, { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } }, path);
        return;
      case 'array':
        if (!Array.isArray(value)) {
          this.errors.push(`${path}: expected a list`);
          return;
        }
        value.forEach((item, i) => this.checkValue(item, type.element, `${path}[${i}]`));
        return;
      case 'map':
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          this.errors.push(`${path}: expected a mapping`);
          return;
        }
        for (const [key, item] of Object.entries(value)) this.checkValue(item, type.element, `${path}.${key}`);
        return;
      case 'ref': {
        const definition = this.spec.typeDefinition(type.reference.$ref);
        this.checkProperties(value, definition.properties ?? {}, path);
        return;
      }
      case 'union':
        this.checkUnion(value, type.types, path);
        return;
      default:
        this.errors.push(`${path}: the specification uses type '${type.type}', which this checker does not know`);
    }
  }

  checkUnion(value, types, path) {
    let best = null;
    for (const candidate of types) {
      const trial = new SpecPropertyChecker(this.spec, []);
      trial.checkValue(value, candidate, path);
      if (trial.errors.length === 0) return;
      if (best === null || trial.errors.length < best.length) best = trial.errors;
    }
    this.errors.push(...best);
  }
}
