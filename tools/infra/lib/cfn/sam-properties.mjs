// Checks AWS::Serverless::* resources against the SAM shapes in sam-shapes.json.
import { readFileSync } from 'node:fs';
import { isIntrinsic } from './references.mjs';

export function loadSamShapes() {
  return JSON.parse(readFileSync(new URL('./sam-shapes.json', import.meta.url), 'utf8'));
}

export class SamPropertyChecker {
  constructor(shapes, errors) {
    this.shapes = shapes;
    this.errors = errors;
  }

  checkResource(type, properties, globals, path) {
    const shape = this.shapes.resources[type];
    const own = properties ?? {};
    this.checkObject(own, shape, path, { requireAll: false });
    const merged = { ...(globals ?? {}), ...own };
    for (const key of shape.required ?? []) {
      if (!(key in merged)) this.errors.push(`${path}: required property '${key}' is missing`);
    }
    for (const group of shape.oneOf ?? []) {
      const present = group.filter((key) => key in merged);
      if (present.length !== 1) this.errors.push(`${path}: exactly one of ${group.join(', ')} is needed (found ${present.length})`);
    }
  }

  checkGlobals(type, properties, path) {
    this.checkObject(properties, this.shapes.resources[type], path, { requireAll: false });
  }

  checkObject(value, shape, path, { requireAll }) {
    if (isIntrinsic(value)) return;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.errors.push(`${path}: expected a mapping`);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const type = shape.properties[key];
      if (type === undefined) {
        this.errors.push(`${path}.${key}: unknown property (known: ${Object.keys(shape.properties).sort().join(', ')})`);
        continue;
      }
      this.checkValue(item, type, `${path}.${key}`);
    }
    if (requireAll) {
      for (const key of shape.required ?? []) {
        if (!(key in value)) this.errors.push(`${path}: required property '${key}' is missing`);
      }
    }
  }

  checkValue(value, type, path) {
    if (isIntrinsic(value) || type === 'any') return;
    if (type === 'string') {
      if (value === null || typeof value === 'object') this.errors.push(`${path}: expected a string`);
    } else if (type === 'integer') {
      if (!Number.isInteger(Number(value)) || typeof value === 'object' || value === '') this.errors.push(`${path}: expected an integer`);
    } else if (type === 'boolean') {
      if (!(typeof value === 'boolean' || value === 'true' || value === 'false')) this.errors.push(`${path}: expected a boolean`);
    } else if (type.list !== undefined) {
      if (!Array.isArray(value)) this.errors.push(`${path}: expected a list`);
      else value.forEach((item, i) => this.checkValue(item, type.list, `${path}[${i}]`));
    } else if (type.map !== undefined) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) this.errors.push(`${path}: expected a mapping`);
      else for (const [key, item] of Object.entries(value)) this.checkValue(item, type.map, `${path}.${key}`);
    } else if (type.shape !== undefined) {
      this.checkShape(value, this.shapes.shapes[type.shape], path);
    }
  }

  checkShape(value, shape, path) {
    if (!shape.discriminator) {
      this.checkObject(value, shape, path, { requireAll: true });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.errors.push(`${path}: expected a mapping`);
      return;
    }
    for (const key of Object.keys(value)) {
      if (key !== shape.discriminator && key !== shape.payload) this.errors.push(`${path}.${key}: unknown property`);
    }
    const variant = shape.variants[value[shape.discriminator]];
    if (variant === undefined) {
      this.errors.push(`${path}.${shape.discriminator}: '${value[shape.discriminator]}' is not one of ${Object.keys(shape.variants).join(', ')}`);
      return;
    }
    this.checkObject(value[shape.payload] ?? {}, this.shapes.shapes[variant], `${path}.${shape.payload}`, { requireAll: true });
  }

  // Resources SAM adds when it transforms a resource: logical id -> type.
  generatedResources(id, type, properties) {
    const shape = this.shapes.resources[type];
    const generated = new Map();
    const own = properties ?? {};
    for (const rule of shape.generated ?? []) {
      if (rule.unlessProperty && rule.unlessProperty in own) continue;
      if (rule.ifProperty && !(rule.ifProperty in own)) continue;
      if (rule.ifPath && rule.ifPath.split('.').reduce((node, key) => node?.[key], own) !== rule.equals) continue;
      generated.set(`${id}${rule.suffix}`, rule.type);
    }
    const events = own.Events && typeof own.Events === 'object' ? own.Events : {};
    for (const [name, event] of Object.entries(events)) {
      const variantName = this.shapes.shapes.Event.variants[event?.Type];
      const variant = variantName && this.shapes.shapes[variantName];
      if (!variant) continue;
      if (variant.generatedFromFunction) generated.set(`${id}${name}`, variant.generatedFromFunction.type);
      const implicit = variant.implicit;
      if (implicit && !(implicit.unlessProperty in (event.Properties ?? {}))) generated.set(implicit.logicalId, implicit.type);
    }
    return generated;
  }

  attributes(type) {
    return new Set(this.shapes.resources[type].attributes ?? []);
  }
}
