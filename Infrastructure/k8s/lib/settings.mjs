// Reads the GPU stack's WorkerSettings output (JSON) and checks every field the manifests need. `runtimes` names the
// runtimes the stack deploys; what each one is (type, model, GPU settings) comes from the runtime catalogue that
// `catalogue` names, a path relative to the settings file. queueLengthTarget, activationQueueLength and maxReplicas
// are the defaults of runtimes whose catalogue entry sets no gpu.scaling.
const RUNTIME_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const SETTING_FIELDS = ['partition', 'region', 'accountId', 'clusterName', 'serverlessStackName', 'namespace',
  'runtimes', 'catalogue', 'queueLengthTarget', 'activationQueueLength', 'maxReplicas', 'gpuLimit', 'outputPrefix', 'collectorLogGroup'];

export function readSettings(raw, source) {
  const fail = (field, why) => { throw new Error(`${source}: '${field}' ${why}`); };
  for (const key of Object.keys(raw)) if (!SETTING_FIELDS.includes(key)) fail(key, 'is not a known setting');
  const text = (field, pattern) => {
    const value = raw[field];
    if (typeof value !== 'string' || value === '') fail(field, 'must be a non-empty string');
    if (pattern && !pattern.test(value)) fail(field, `must match ${pattern}`);
    return value;
  };
  const whole = (field, min) => {
    const value = Number(raw[field]);
    if (raw[field] === undefined || raw[field] === '' || !Number.isInteger(value) || value < min) fail(field, `must be a whole number of at least ${min}`);
    return value;
  };
  const runtimes = typeof raw.runtimes === 'string' ? raw.runtimes.split(',').map((r) => r.trim()) : raw.runtimes;
  if (!Array.isArray(runtimes) || runtimes.length === 0) fail('runtimes', 'must be a non-empty list');
  for (const runtime of runtimes) {
    if (typeof runtime !== 'string' || !RUNTIME_NAME.test(runtime) || runtime.length > 40) {
      fail('runtimes', `holds '${runtime}', but runtime names are lowercase letters, digits and '-', at most 40 characters`);
    }
  }
  if (new Set(runtimes).size !== runtimes.length) fail('runtimes', 'lists a runtime twice');
  const settings = {
    partition: text('partition'),
    region: text('region', /^[a-z]{2}(-[a-z]+)+-\d$/),
    accountId: text('accountId', /^\d{12}$/),
    clusterName: text('clusterName'),
    serverlessStackName: text('serverlessStackName', /^[A-Za-z][A-Za-z0-9-]*$/),
    namespace: text('namespace', RUNTIME_NAME),
    runtimes,
    catalogue: text('catalogue'),
    queueLengthTarget: whole('queueLengthTarget', 1),
    activationQueueLength: whole('activationQueueLength', 0),
    maxReplicas: whole('maxReplicas', 1),
    gpuLimit: whole('gpuLimit', 1),
    outputPrefix: text('outputPrefix', /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/),
    collectorLogGroup: text('collectorLogGroup'),
  };
  return settings;
}

// Names of the serverless stack's resources (see serverless.template).
export function serverlessResources(s) {
  const stack = s.serverlessStackName;
  return {
    tasksTable: `${stack}-tasks`,
    outputBucket: `${stack}-outputs-${s.accountId}-${s.region}`,
    resultsTopicArn: `arn:${s.partition}:sns:${s.region}:${s.accountId}:${stack}-results`,
    queueUrl: (runtime) => `https://sqs.${s.region}.amazonaws.com/${s.accountId}/${stack}-${runtime}`,
  };
}
