// Reads the runtime catalogue (runtimes.json, the file the API and the worker read too) and resolves what the GPU tier
// needs of each deployed runtime: its type, its model prefix in S3 and the optional `gpu` settings, with defaults.
// Keys the catalogue's C# reader (Shared/Contracts/Runtimes) does not know are refused here as they are there.
import { RUNTIME_TYPES, TYPE_NAMES } from './runtime-types.mjs';

const RUNTIME_KEYS = ['name', 'type', 'model', 'dynamicModel', 'taskTypes', 'size', 'maxSteps', 'maxBatchSize', 'maxCfgScale', 'samplers',
  'queueTtlSeconds', 'maxExecutionSeconds', 'maxInputBytes', 'maxInputMegapixels', 'price', 'workflows', 'gpu'];
// Read by the API and the worker (Shared/Contracts/Runtimes/RuntimeWorkflows.cs); only their keys are checked here.
const WORKFLOW_KEYS = ['nodeClasses', 'maxOutputs', 'maxOutputBytes'];
const GPU_KEYS = ['image', 'modelDirectory', 'resources', 'nodeRequirements', 'scaling'];
const RESOURCE_KEYS = ['cpu', 'memory', 'gpus'];
const NODE_KEYS = ['instanceFamilies', 'capacityTypes'];
const SCALING_KEYS = ['maxReplicas', 'queueLengthTarget', 'activationQueueLength', 'wakeOnLow'];
const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const IMAGE = /^[^\s:@]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/;
const CPU = /^(\d+(\.\d+)?|\d+m)$/;
const MEMORY = /^\d+(Mi|Gi)$/;
const INSTANCE_FAMILY = /^[a-z][a-z0-9-]*$/;
const CAPACITY_TYPES = ['spot', 'on-demand'];
export const DEFAULT_INSTANCE_FAMILIES = ['g5', 'g6', 'g6e'];

// Returns the deployed runtimes, resolved, in the catalogue's order; throws one Error naming every fault.
export function deployedRuntimes(raw, source, settings, bucket) {
  const faults = [];
  const runtimes = Array.isArray(raw?.runtimes) ? raw.runtimes : null;
  if (!runtimes || runtimes.length === 0) throw new Error(`${source}: runtimes must list at least one runtime`);
  if (typeof raw === 'object') for (const key of Object.keys(raw)) if (key !== 'runtimes') faults.push(`'${key}' is not a catalogue key`);
  const names = runtimes.map((r) => r?.name);
  for (const name of settings.runtimes) {
    if (!names.includes(name)) faults.push(`runtime '${name}' is deployed by the settings but not defined (it defines ${names.join(', ')})`);
  }
  // Every runtime is checked, deployed or not, so a catalogue that one deployment accepts no other refuses.
  const resolved = runtimes.map((r) => resolve(r ?? {}, settings, bucket, faults));
  if (faults.length > 0) throw new Error(`${source}: ${faults.join('; ')}`);
  return resolved.filter((r) => settings.runtimes.includes(r.name));
}

function resolve(runtime, settings, bucket, faults) {
  const at = `runtime '${runtime.name}'`;
  const fail = (why) => faults.push(`${at}: ${why}`);
  unknownKeys(runtime, RUNTIME_KEYS, at, faults);
  if (!NAME.test(runtime.name)) fail('name must be 1 to 40 lowercase letters, digits or \'-\'');
  const type = runtime.type ?? 'onnx';
  if (!TYPE_NAMES.includes(type)) {
    fail(`type must be one of ${TYPE_NAMES.join(', ')}; got '${type}'`);
    return null;
  }
  const kind = RUNTIME_TYPES[type];
  object(runtime.workflows, `${at}: workflows`, WORKFLOW_KEYS, faults);
  if (runtime.workflows !== undefined && type !== 'comfyui') fail('workflows applies to comfyui runtimes only');
  const gpu = object(runtime.gpu, `${at}: gpu`, GPU_KEYS, faults);
  const resources = object(gpu.resources, `${at}: gpu.resources`, RESOURCE_KEYS, faults);
  const nodes = object(gpu.nodeRequirements, `${at}: gpu.nodeRequirements`, NODE_KEYS, faults);
  const scaling = object(gpu.scaling, `${at}: gpu.scaling`, SCALING_KEYS, faults);

  if (kind.sidecar && !(typeof gpu.image === 'string' && IMAGE.test(gpu.image) && !gpu.image.endsWith(':latest'))) {
    fail(`a ${type} runtime needs gpu.image, its server's image pinned by tag or digest${gpu.image === undefined ? '' : `; got '${gpu.image}'`}`);
  }
  if (!kind.sidecar && gpu.image !== undefined) fail('gpu.image applies to a1111 and comfyui runtimes; onnx runs in the GpuWorker image');
  if (!kind.sidecar && gpu.modelDirectory !== undefined) fail('gpu.modelDirectory applies to a1111 and comfyui runtimes');
  if (gpu.modelDirectory !== undefined && !/^\/[\w./-]*$/.test(gpu.modelDirectory)) fail(`gpu.modelDirectory must be an absolute path; got '${gpu.modelDirectory}'`);

  const cpu = resources.cpu ?? kind.defaults.cpu;
  if (typeof cpu !== 'string' || !CPU.test(cpu)) fail(`gpu.resources.cpu must be cores ('4', '0.5') or millicores ('500m'); got '${cpu}'`);
  const memory = resources.memory ?? kind.defaults.memory;
  if (typeof memory !== 'string' || !MEMORY.test(memory)) fail(`gpu.resources.memory must be Mi or Gi ('16Gi'); got '${memory}'`);
  const gpus = whole(resources.gpus ?? 1, 1, 8, `${at}: gpu.resources.gpus`, faults);

  const instanceFamilies = list(nodes.instanceFamilies ?? DEFAULT_INSTANCE_FAMILIES, `${at}: gpu.nodeRequirements.instanceFamilies`, faults);
  for (const family of instanceFamilies) if (!INSTANCE_FAMILY.test(family)) fail(`gpu.nodeRequirements.instanceFamilies holds '${family}', which is not an EC2 instance family`);
  const capacityTypes = list(nodes.capacityTypes ?? CAPACITY_TYPES, `${at}: gpu.nodeRequirements.capacityTypes`, faults);
  for (const capacity of capacityTypes) if (!CAPACITY_TYPES.includes(capacity)) fail(`gpu.nodeRequirements.capacityTypes holds '${capacity}'; it takes ${CAPACITY_TYPES.join(', ')}`);

  return {
    name: runtime.name,
    type,
    modelUri: modelUri(runtime, bucket, fail),
    image: gpu.image,
    modelDirectory: gpu.modelDirectory ?? kind.sidecar?.modelDirectory,
    resources: { cpu, memory, gpus },
    nodeRequirements: { instanceFamilies, capacityTypes },
    scaling: {
      maxReplicas: whole(scaling.maxReplicas ?? settings.maxReplicas, 1, 1000, `${at}: gpu.scaling.maxReplicas`, faults),
      queueLengthTarget: whole(scaling.queueLengthTarget ?? settings.queueLengthTarget, 1, 10000, `${at}: gpu.scaling.queueLengthTarget`, faults),
      activationQueueLength: whole(scaling.activationQueueLength ?? settings.activationQueueLength, 0, 10000, `${at}: gpu.scaling.activationQueueLength`, faults),
      wakeOnLow: flag(scaling.wakeOnLow ?? true, `${at}: gpu.scaling.wakeOnLow`, faults),
    },
  };
}

// Empty: the runtime's default prefix. Otherwise an s3:// prefix inside it, the only place its worker role may read.
function modelUri(runtime, bucket, fail) {
  const prefix = `s3://${bucket}/models/${runtime.name}/`;
  const model = runtime.model ?? '';
  if (model === '') return prefix;
  if (typeof model !== 'string' || !`${model.replace(/\/?$/, '/')}`.startsWith(prefix)) {
    fail(`model '${model}' cannot reach a pod: give an s3:// prefix under ${prefix} (the worker role reads only there) or leave it empty`);
  }
  return model.replace(/\/?$/, '/');
}

function flag(value, at, faults) {
  if (typeof value !== 'boolean') faults.push(`${at} must be true or false; got '${value}'`);
  return value === true;
}

function unknownKeys(value, known, at, faults) {
  for (const key of Object.keys(value ?? {})) if (!known.includes(key)) faults.push(`${at}: '${key}' is not a known key (known: ${known.join(', ')})`);
}

function object(value, at, known, faults) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    faults.push(`${at} must be an object`);
    return {};
  }
  unknownKeys(value, known, at, faults);
  return value;
}

// A JSON number, as the C# reader wants it ("3" in quotes is refused there too).
function whole(value, min, max, at, faults) {
  if (!Number.isInteger(value) || value < min || value > max) faults.push(`${at} must be a whole number from ${min} to ${max}; got '${value}'`);
  return value;
}

function list(value, at, faults) {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
    faults.push(`${at} must be a non-empty list of strings`);
    return [];
  }
  return value;
}
