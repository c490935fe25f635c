// The per-runtime worker objects: ServiceAccount, Deployment, TriggerAuthentication, ScaledObject, PodDisruptionBudget,
// NetworkPolicy.
import { serverlessResources } from './settings.mjs';
import { podSpec } from './pod.mjs';
import { RUNTIME_TYPES } from './runtime-types.mjs';
import { WORKER_APP, partOf, workerName } from './names.mjs';

// One trigger per priority queue (docs/decisions/0336), each visible plus in-flight messages; the ScaledObject scales
// on their sum. Without wakeOnLow, a fourth trigger counts low tasks waiting alone, and low counts only while some are
// in flight: a worker already runs them, so low tasks never start a runtime scaled to zero.
function priorityTriggers(settings, runtime, aws, name) {
  const trigger = (triggerName, queue, scaleOnInFlight) => ({
    type: 'aws-sqs-queue',
    name: triggerName,
    authenticationRef: { name },
    metadata: {
      queueURL: aws.queueUrl(queue),
      awsRegion: settings.region,
      queueLength: String(runtime.scaling.queueLengthTarget),
      scaleOnInFlight: String(scaleOnInFlight),
      scaleOnDelayed: 'false',
    },
  });
  const triggers = [
    trigger('high', `${runtime.name}-high`, true),
    trigger('normal', runtime.name, true),
    trigger('low', `${runtime.name}-low`, true),
  ];
  return runtime.scaling.wakeOnLow ? triggers : [...triggers, trigger('lowwaiting', `${runtime.name}-low`, false)];
}

function priorityFormula(runtime) {
  return runtime.scaling.wakeOnLow ? 'high + normal + low' : 'high + normal + (low > lowwaiting ? low : 0)';
}

export function workerObjects(settings, runtime, image) {
  const name = workerName(runtime.name);
  const namespace = settings.namespace;
  const selector = { 'app.kubernetes.io/name': WORKER_APP, 'sdserverless.io/runtime': runtime.name };
  const labels = { ...selector, 'app.kubernetes.io/instance': name, 'sdserverless.io/runtime-type': runtime.type, ...partOf };
  const metadata = { name, namespace, labels };
  const aws = serverlessResources(settings);
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        // KEDA owns the replica count; 0 keeps a fresh apply from starting a GPU node before there is work.
        replicas: 0,
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: {
            labels,
            annotations: {
              // Karpenter never consolidates, expires or replaces a node while a worker runs on it.
              'karpenter.sh/do-not-disrupt': 'true',
              // EKS Pod Identity injects the role's credentials into every container not named here: the runtime's
              // server (and any extension or custom node it runs) gets none (decision 0530).
              ...(RUNTIME_TYPES[runtime.type].sidecar ? { 'eks.amazonaws.com/skip-containers': runtime.type } : {}),
            },
          },
          spec: podSpec(settings, runtime, image, name),
        },
      },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata,
      // The KEDA operator's own EKS Pod Identity role reads the queue depth (sqs:GetQueueAttributes only).
      spec: { podIdentity: { provider: 'aws', identityOwner: 'keda' } },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata,
      spec: {
        scaleTargetRef: { name },
        minReplicaCount: 0,
        maxReplicaCount: runtime.scaling.maxReplicas,
        pollingInterval: 15,
        cooldownPeriod: 300,
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: {
              scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
            },
          },
          scalingModifiers: {
            formula: priorityFormula(runtime),
            target: String(runtime.scaling.queueLengthTarget),
            activationTarget: String(runtime.scaling.activationQueueLength),
            metricType: 'AverageValue',
          },
        },
        triggers: priorityTriggers(settings, runtime, aws, name),
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata,
      // Admits no connection into the worker's pods: the agent takes work from SQS and the runtime listens on
      // 127.0.0.1; the kubelet's probes come from the node, which EKS's network policy agent always allows.
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress'], ingress: [] },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    },
  ];
}
