// Validates one CloudFormation/SAM template offline: structure, resource types and properties against the
// resource specification (SAM resources against sam-shapes.json), required properties, and every reference.
import { expandForEach } from './for-each.mjs';
import { LOGICAL_ID, PARAMETER_TYPE, RESOURCE_ATTRIBUTES, TOP_LEVEL_SECTIONS } from './names.mjs';
import { ReferenceChecker } from './references.mjs';
import { SpecPropertyChecker } from './spec-properties.mjs';
import { SamPropertyChecker } from './sam-properties.mjs';

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';
const DELETION_POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);

export function validateTemplate(template, { spec, samShapes }) {
  const errors = [];
  const transforms = [template.Transform ?? []].flat();
  const usesLoops = JSON.stringify(template).includes('"Fn::ForEach::');
  if (usesLoops && !transforms.includes(LANGUAGE_EXTENSIONS)) {
    errors.push(`Transform: Fn::ForEach needs the ${LANGUAGE_EXTENSIONS} transform`);
  }
  if (transforms.includes(LANGUAGE_EXTENSIONS) && transforms.includes(SAM_TRANSFORM)
    && transforms.indexOf(LANGUAGE_EXTENSIONS) > transforms.indexOf(SAM_TRANSFORM)) {
    errors.push(`Transform: ${LANGUAGE_EXTENSIONS} must come before ${SAM_TRANSFORM}`);
  }
  const expanded = usesLoops ? expandForEach(template, errors) : template;
  const sam = transforms.includes(SAM_TRANSFORM);

  for (const key of Object.keys(expanded)) {
    if (!TOP_LEVEL_SECTIONS.has(key)) errors.push(`${key}: not a template section`);
  }
  if (expanded.Globals !== undefined && !sam) errors.push(`Globals: only allowed with the ${SAM_TRANSFORM} transform`);
  const resources = sectionOf(expanded, 'Resources', errors);
  if (Object.keys(resources).length === 0) errors.push('Resources: a template needs at least one resource');

  checkParameters(sectionOf(expanded, 'Parameters', errors), errors);
  const samChecker = new SamPropertyChecker(samShapes, errors);
  const specChecker = new SpecPropertyChecker(spec, errors);
  const context = buildContext(expanded, resources, spec, samChecker, sam);
  const references = new ReferenceChecker(context, errors);

  for (const [name, body] of Object.entries(sectionOf(expanded, 'Conditions', errors))) {
    references.check(body, `Conditions.${name}`);
  }
  const globals = checkGlobals(sectionOf(expanded, 'Globals', errors), samShapes, samChecker, references);
  for (const [id, resource] of Object.entries(resources)) {
    checkResource(id, resource, { spec, sam, samShapes, samChecker, specChecker, references, context, globals, errors });
  }
  for (const [name, output] of Object.entries(sectionOf(expanded, 'Outputs', errors))) {
    const path = `Outputs.${name}`;
    if (!LOGICAL_ID.test(name)) errors.push(`${path}: output names must be alphanumeric`);
    if (output?.Value === undefined) errors.push(`${path}: Value is missing`);
    if (output?.Condition !== undefined) references.checkCondition(output.Condition, `${path}.Condition`);
    references.check(output, path);
  }
  return { errors, expanded };
}

function sectionOf(template, name, errors) {
  const section = template[name];
  if (section === undefined) return {};
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    errors.push(`${name}: must be a mapping`);
    return {};
  }
  return section;
}

function checkParameters(parameters, errors) {
  for (const [name, parameter] of Object.entries(parameters)) {
    const path = `Parameters.${name}`;
    if (!LOGICAL_ID.test(name)) errors.push(`${path}: parameter names must be alphanumeric`);
    if (!PARAMETER_TYPE.test(parameter?.Type ?? '')) {
      errors.push(`${path}.Type: '${parameter?.Type}' is not a CloudFormation parameter type`);
      continue;
    }
    if (parameter.Default === undefined) continue;
    const values = parameter.Type === 'CommaDelimitedList' ? String(parameter.Default).split(',').map((v) => v.trim()) : [String(parameter.Default)];
    for (const value of values) {
      if (parameter.AllowedValues && !parameter.AllowedValues.map(String).includes(value)) {
        errors.push(`${path}.Default: '${value}' is not in AllowedValues`);
      }
      if (parameter.AllowedPattern && !new RegExp(`^(?:${parameter.AllowedPattern})$`).test(value)) {
        errors.push(`${path}.Default: '${value}' does not match AllowedPattern`);
      }
    }
  }
}

function buildContext(template, resources, spec, samChecker, sam) {
  const types = new Map();
  for (const [id, resource] of Object.entries(resources)) {
    types.set(id, resource?.Type);
    if (sam && typeof resource?.Type === 'string' && samChecker.shapes.resources[resource.Type]) {
      for (const [generatedId, type] of samChecker.generatedResources(id, resource.Type, resource.Properties)) {
        if (!types.has(generatedId)) types.set(generatedId, type);
      }
    }
  }
  return {
    parameters: new Set(Object.keys(template.Parameters ?? {})),
    resources: types,
    conditions: new Set(Object.keys(template.Conditions ?? {})),
    mappings: new Set(Object.keys(template.Mappings ?? {})),
    attributesOf(type) {
      if (typeof type !== 'string') return null;
      if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return null;
      if (samChecker.shapes.resources[type]) return samChecker.attributes(type);
      if (type === 'AWS::CloudFormation::Stack') return null;
      return spec.resource(type)?.attributes ?? new Set();
    },
  };
}

function checkGlobals(globals, samShapes, samChecker, references) {
  const byType = {};
  for (const [section, properties] of Object.entries(globals)) {
    const type = samShapes.globals[section];
    if (!type) {
      samChecker.errors.push(`Globals.${section}: not a Globals section (known: ${Object.keys(samShapes.globals).join(', ')})`);
      continue;
    }
    samChecker.checkGlobals(type, properties, `Globals.${section}`);
    references.check(properties, `Globals.${section}`);
    byType[type] = properties;
  }
  return byType;
}

function checkResource(id, resource, c) {
  const path = `Resources.${id}`;
  const { errors } = c;
  if (!LOGICAL_ID.test(id)) errors.push(`${path}: logical ids must be alphanumeric`);
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) {
    errors.push(`${path}: must be a mapping`);
    return;
  }
  for (const key of Object.keys(resource)) {
    if (!RESOURCE_ATTRIBUTES.has(key)) errors.push(`${path}.${key}: not a resource attribute`);
  }
  const { Type: type } = resource;
  if (typeof type !== 'string') {
    errors.push(`${path}.Type: missing`);
    return;
  }
  for (const dependency of [resource.DependsOn ?? []].flat()) {
    if (!c.context.resources.has(dependency)) errors.push(`${path}.DependsOn: resource '${dependency}' does not exist`);
  }
  if (resource.Condition !== undefined) c.references.checkCondition(resource.Condition, `${path}.Condition`);
  for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy']) {
    if (typeof resource[policy] === 'string' && !DELETION_POLICIES.has(resource[policy])) {
      errors.push(`${path}.${policy}: '${resource[policy]}' is not a deletion policy`);
    }
  }
  c.references.check(resource.Properties ?? {}, `${path}.Properties`);

  if (type.startsWith('AWS::Serverless::')) {
    if (!c.sam) errors.push(`${path}.Type: ${type} needs the AWS::Serverless-2016-10-31 transform`);
    else if (!c.samShapes.resources[type]) errors.push(`${path}.Type: ${type} is not one of the SAM resource shapes we use (${Object.keys(c.samShapes.resources).join(', ')})`);
    else c.samChecker.checkResource(type, resource.Properties, c.globals[type], `${path}.Properties`);
    return;
  }
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
    if (resource.Properties?.ServiceToken === undefined) errors.push(`${path}.Properties: required property 'ServiceToken' is missing`);
    return;
  }
  const definition = c.spec.resource(type);
  if (!definition) {
    errors.push(`${path}.Type: '${type}' is not a resource type in the CloudFormation specification`);
    return;
  }
  c.specChecker.checkProperties(resource.Properties, definition.properties, `${path}.Properties`);
}
