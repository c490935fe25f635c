// Reads CloudFormation YAML (with the short-form intrinsic tags) or JSON into plain objects.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const FUNCTIONS = ['And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length',
  'Not', 'Or', 'Select', 'Split', 'Sub', 'ToJsonString', 'Transform'];

function shortForm(tag, toObject) {
  return [
    { tag, resolve: (value) => toObject(value) },
    { tag, collection: 'seq', resolve: (seq) => toObject(seq.toJSON()) },
    { tag, collection: 'map', resolve: (map) => toObject(map.toJSON()) },
  ];
}

function getAtt(value) {
  if (typeof value !== 'string') return { 'Fn::GetAtt': value };
  const dot = value.indexOf('.');
  return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
}

const customTags = [
  ...shortForm('!Ref', (v) => ({ Ref: v })),
  ...shortForm('!Condition', (v) => ({ Condition: v })),
  ...shortForm('!GetAtt', getAtt),
  ...FUNCTIONS.flatMap((name) => shortForm(`!${name}`, (v) => ({ [`Fn::${name}`]: v }))),
];

export function parseTemplateText(text, fileName) {
  try {
    const value = parse(text, { customTags, uniqueKeys: true, maxAliasCount: -1 });
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('the document is not a mapping');
    }
    return value;
  } catch (error) {
    throw new Error(`${fileName}: cannot be read as a CloudFormation template: ${error.message}`);
  }
}

export function readTemplate(path) {
  return parseTemplateText(readFileSync(path, 'utf8'), path);
}
