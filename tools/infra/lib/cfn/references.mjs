// Checks every Ref, Fn::GetAtt, Fn::Sub, Fn::If, Fn::FindInMap and Condition target in a value.
import { INTRINSICS, PSEUDO_PARAMETERS } from './names.mjs';

export function isIntrinsic(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  if (keys[0] === 'Condition') return typeof value.Condition === 'string';
  return keys[0] === 'Ref' || keys[0].startsWith('Fn::');
}

export class ReferenceChecker {
  // context: { parameters: Set, resources: Map<id, type>, conditions: Set, mappings: Set, attributesOf(type, id) }
  constructor(context, errors) {
    this.context = context;
    this.errors = errors;
  }

  check(node, path, variables = new Set()) {
    if (Array.isArray(node)) {
      node.forEach((item, i) => this.check(item, `${path}[${i}]`, variables));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (isIntrinsic(node)) {
      this.checkIntrinsic(node, path, variables);
      return;
    }
    for (const [key, value] of Object.entries(node)) this.check(value, `${path}.${key}`, variables);
  }

  checkIntrinsic(node, path, variables) {
    const [name] = Object.keys(node);
    const args = node[name];
    const here = `${path}.${name}`;
    if (!INTRINSICS.has(name)) {
      this.errors.push(`${path}: unknown intrinsic function '${name}'`);
      return;
    }
    switch (name) {
      case 'Ref':
        if (typeof args !== 'string') this.errors.push(`${here}: Ref takes a name`);
        else this.checkRefName(args, here, variables);
        return;
      case 'Condition':
        this.checkCondition(args, here);
        return;
      case 'Fn::GetAtt':
        this.checkGetAtt(args, here);
        return;
      case 'Fn::Sub':
        this.checkSub(args, here, variables);
        return;
      case 'Fn::If':
        if (!Array.isArray(args) || args.length !== 3) {
          this.errors.push(`${here}: Fn::If takes [Condition, ValueIfTrue, ValueIfFalse]`);
          return;
        }
        this.checkCondition(args[0], `${here}[0]`);
        this.check(args[1], `${here}[1]`, variables);
        this.check(args[2], `${here}[2]`, variables);
        return;
      case 'Fn::FindInMap':
        if (!Array.isArray(args) || args.length < 3 || args.length > 4) {
          this.errors.push(`${here}: Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]`);
          return;
        }
        if (typeof args[0] === 'string' && !this.context.mappings.has(args[0])) {
          this.errors.push(`${here}: mapping '${args[0]}' does not exist`);
        }
        this.check(args, here, variables);
        return;
      case 'Fn::Join':
        if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') {
          this.errors.push(`${here}: Fn::Join takes [Delimiter, ListOfValues]`);
          return;
        }
        this.check(args[1], `${here}[1]`, variables);
        return;
      case 'Fn::Select':
      case 'Fn::Split':
        if (!Array.isArray(args) || args.length !== 2) {
          this.errors.push(`${here}: ${name} takes two arguments`);
          return;
        }
        this.check(args, here, variables);
        return;
      default:
        this.check(args, here, variables);
    }
  }

  checkRefName(target, path, variables) {
    if (variables.has(target) || PSEUDO_PARAMETERS.has(target)) return;
    if (this.context.parameters.has(target) || this.context.resources.has(target)) return;
    this.errors.push(`${path}: '${target}' is not a parameter, resource or pseudo parameter`);
  }

  checkCondition(target, path) {
    if (typeof target !== 'string') {
      this.errors.push(`${path}: a condition is named by a string`);
    } else if (!this.context.conditions.has(target)) {
      this.errors.push(`${path}: condition '${target}' does not exist`);
    }
  }

  checkGetAtt(args, path) {
    let resource;
    let attribute;
    if (typeof args === 'string') {
      const dot = args.indexOf('.');
      [resource, attribute] = dot < 0 ? [args, undefined] : [args.slice(0, dot), args.slice(dot + 1)];
    } else if (Array.isArray(args) && args.length === 2) {
      [resource, attribute] = args;
    }
    if (typeof resource !== 'string' || attribute === undefined) {
      this.errors.push(`${path}: Fn::GetAtt takes [LogicalId, AttributeName]`);
      return;
    }
    this.checkAttribute(resource, attribute, path);
  }

  checkAttribute(resource, attribute, path) {
    const type = this.context.resources.get(resource);
    if (type === undefined) {
      this.errors.push(`${path}: resource '${resource}' does not exist`);
      return;
    }
    if (typeof attribute !== 'string') {
      this.check(attribute, path);
      return;
    }
    const known = this.context.attributesOf(type);
    if (known !== null && !known.has(attribute)) {
      this.errors.push(`${path}: ${type} '${resource}' has no attribute '${attribute}'`);
    }
  }

  checkSub(args, path, variables) {
    let text = args;
    let inner = variables;
    if (Array.isArray(args)) {
      if (args.length !== 2 || typeof args[1] !== 'object' || args[1] === null || Array.isArray(args[1])) {
        this.errors.push(`${path}: Fn::Sub takes a string or [String, {Variables}]`);
        return;
      }
      [text] = args;
      inner = new Set([...variables, ...Object.keys(args[1])]);
      this.check(args[1], `${path}[1]`, variables);
    }
    if (typeof text !== 'string') {
      this.errors.push(`${path}: Fn::Sub needs a string`);
      return;
    }
    for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
      const name = match[1].trim();
      if (name.startsWith('!')) continue;
      if (inner.has(name) || PSEUDO_PARAMETERS.has(name) || this.context.parameters.has(name) || this.context.resources.has(name)) continue;
      const dot = name.indexOf('.');
      if (dot > 0) {
        this.checkAttribute(name.slice(0, dot), name.slice(dot + 1), `${path} \${${name}}`);
        continue;
      }
      this.errors.push(`${path}: \${${name}} is not a parameter, resource, variable or pseudo parameter`);
    }
  }
}
