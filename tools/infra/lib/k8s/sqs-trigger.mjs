// The aws-sqs-queue trigger's metadata keys (KEDA 2.19) and the ones that must hold whole numbers or booleans.
const KNOWN = new Set(['queueURL', 'queueURLFromEnv', 'queueLength', 'activationQueueLength', 'awsRegion', 'awsEndpoint',
  'identityOwner', 'scaleOnInFlight', 'scaleOnDelayed', 'awsRoleArn']);
const WHOLE_NUMBERS = ['queueLength', 'activationQueueLength'];
const BOOLEANS = ['scaleOnInFlight', 'scaleOnDelayed'];

export function checkSqsTrigger(metadata, path) {
  const errors = [];
  for (const key of Object.keys(metadata ?? {})) {
    if (!KNOWN.has(key)) errors.push(`${path}.${key}: not an aws-sqs-queue parameter`);
  }
  if (!metadata?.queueURL && !metadata?.queueURLFromEnv) errors.push(`${path}: queueURL is required`);
  if (!metadata?.awsRegion) errors.push(`${path}: awsRegion is required`);
  for (const key of WHOLE_NUMBERS) {
    if (metadata?.[key] !== undefined && !/^\d+$/.test(metadata[key])) errors.push(`${path}.${key}: must be a whole number in a string`);
  }
  if (metadata?.queueLength !== undefined && Number(metadata.queueLength) < 1) errors.push(`${path}.queueLength: must be at least 1`);
  for (const key of BOOLEANS) {
    if (metadata?.[key] !== undefined && !['true', 'false'].includes(metadata[key])) errors.push(`${path}.${key}: must be "true" or "false"`);
  }
  return errors;
}
