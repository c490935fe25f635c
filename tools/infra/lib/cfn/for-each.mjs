// Expands AWS::LanguageExtensions Fn::ForEach loops the way CloudFormation does before it creates resources:
//   Fn::ForEach::LoopName: [Identifier, Collection, { OutputKey: OutputValue }]
// In keys and values, ${Identifier} becomes the item and &{Identifier} the item without non-alphanumeric
// characters; { Ref: Identifier } becomes the item. A collection is a list or a Ref to a list parameter,
// whose Default is used to validate offline.

const LOOP_PREFIX = 'Fn::ForEach::';

export function expandForEach(template, errors) {
  const expanded = expandNode(template, template, '', errors);
  return expanded;
}

function expandNode(node, template, path, errors) {
  if (Array.isArray(node)) return node.map((item, i) => expandNode(item, template, `${path}[${i}]`, errors));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    const here = path ? `${path}.${key}` : key;
    if (!key.startsWith(LOOP_PREFIX)) {
      addKey(out, key, expandNode(value, template, here, errors), here, errors);
      continue;
    }
    const loop = readLoop(value, template, here, errors);
    if (!loop) continue;
    for (const item of loop.items) {
      for (const [outputKey, outputValue] of Object.entries(loop.fragment)) {
        const key2 = substituteString(outputKey, loop.identifier, item);
        if (outputKey.startsWith(LOOP_PREFIX)) {
          // A nested loop: bind this item, then expand the inner loop.
          const inner = expandNode({ [outputKey]: substitute(outputValue, loop.identifier, item) }, template, here, errors);
          for (const [k, v] of Object.entries(inner)) addKey(out, k, v, `${here}(${item})`, errors);
          continue;
        }
        if (key2 === outputKey && !outputKey.includes('{')) {
          errors.push(`${here}: output key '${outputKey}' does not use \${${loop.identifier}} or &{${loop.identifier}}, so every item would produce the same key`);
        }
        const value2 = expandNode(substitute(outputValue, loop.identifier, item), template, `${here}(${item}).${key2}`, errors);
        addKey(out, key2, value2, `${here}(${item})`, errors);
      }
    }
  }
  return out;
}

function addKey(out, key, value, path, errors) {
  if (Object.hasOwn(out, key)) errors.push(`${path}: '${key}' is produced twice`);
  out[key] = value;
}

function readLoop(value, template, path, errors) {
  if (!Array.isArray(value) || value.length !== 3) {
    errors.push(`${path}: Fn::ForEach takes [Identifier, Collection, OutputFragment]`);
    return null;
  }
  const [identifier, collection, fragment] = value;
  if (typeof identifier !== 'string' || !/^[A-Za-z0-9]+$/.test(identifier)) {
    errors.push(`${path}: the loop identifier must be an alphanumeric string`);
    return null;
  }
  if (fragment === null || typeof fragment !== 'object' || Array.isArray(fragment)) {
    errors.push(`${path}: the output fragment must be a mapping`);
    return null;
  }
  const items = readCollection(collection, template, path, errors);
  return items ? { identifier, items, fragment } : null;
}

function readCollection(collection, template, path, errors) {
  if (Array.isArray(collection)) {
    if (collection.every((c) => typeof c === 'string' || typeof c === 'number')) return collection.map(String);
    errors.push(`${path}: a literal collection must hold only strings`);
    return null;
  }
  if (collection && typeof collection === 'object' && typeof collection.Ref === 'string') {
    const parameter = template.Parameters?.[collection.Ref];
    if (!parameter) {
      errors.push(`${path}: the collection refers to '${collection.Ref}', which is not a parameter`);
      return null;
    }
    if (!/^(CommaDelimitedList|List<.+>)$/.test(parameter.Type ?? '')) {
      errors.push(`${path}: the collection parameter '${collection.Ref}' must be a list type, not ${parameter.Type}`);
      return null;
    }
    if (parameter.Default === undefined) {
      errors.push(`${path}: the collection parameter '${collection.Ref}' needs a Default to be expanded offline`);
      return null;
    }
    const items = Array.isArray(parameter.Default)
      ? parameter.Default.map(String)
      : String(parameter.Default).split(',').map((s) => s.trim());
    return items;
  }
  errors.push(`${path}: the collection must be a list or a Ref to a list parameter`);
  return null;
}

function substitute(node, identifier, item) {
  if (typeof node === 'string') return substituteString(node, identifier, item);
  if (Array.isArray(node)) return node.map((n) => substitute(n, identifier, item));
  if (node === null || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'Ref' && node.Ref === identifier) return item;
  const out = {};
  for (const [key, value] of Object.entries(node)) out[substituteString(key, identifier, item)] = substitute(value, identifier, item);
  return out;
}

function substituteString(text, identifier, item) {
  return text
    .split(`\${${identifier}}`).join(item)
    .split(`&{${identifier}}`).join(item.replace(/[^A-Za-z0-9]/g, ''));
}
