// The per-runtime worker objects: ServiceAccount, Deployment, TriggerAuthentication, ScaledObject, PodDisruptionBudget.
import { serverlessResources } from './settings.mjs';
import { COLLECTOR, GPU_NODE_POOL, MODEL_CACHE, OBSERVABILITY_NAMESPACE, WORKER_APP, WORKER_PORT, WORKER_USER, partOf, workerName } from './names.mjs';

export function workerObjects(settings, runtime, image) {
  const name = workerName(runtime);
  const namespace = settings.namespace;
  const selector = { 'app.kubernetes.io/name': WORKER_APP, 'sdserverless.io/runtime': runtime };
  const labels = { ...selector, 'app.kubernetes.io/instance': name, ...partOf };
  const metadata = { name, namespace, labels };
  const aws = serverlessResources(settings);
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
    deployment(settings, runtime, image, { metadata, selector, labels, aws }),
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
        maxReplicaCount: settings.maxReplicas,
        pollingInterval: 15,
        cooldownPeriod: 300,
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: {
              scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
            },
          },
        },
        triggers: [{
          type: 'aws-sqs-queue',
          authenticationRef: { name },
          metadata: {
            queueURL: aws.queueUrl(runtime),
            awsRegion: settings.region,
            queueLength: String(settings.queueLengthTarget),
            activationQueueLength: String(settings.activationQueueLength),
            scaleOnInFlight: 'true',
            scaleOnDelayed: 'false',
          },
        }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    },
  ];
}

function deployment(settings, runtime, image, { metadata, selector, labels, aws }) {
  const env = {
    AWS_REGION: settings.region,
    ASPNETCORE_HTTP_PORTS: String(WORKER_PORT),
    Resources__TasksTable: aws.tasksTable,
    Resources__OutputBucket: aws.outputBucket,
    Resources__ResultsTopicArn: aws.resultsTopicArn,
    Worker__Runtime: runtime,
    Worker__QueueUrl: aws.queueUrl(runtime),
    Worker__Concurrency: '1',
    Worker__ShutdownBudgetSeconds: '90',
    Worker__ModelUri: `s3://${aws.outputBucket}/models/${runtime}/`,
    Worker__ModelCacheDirectory: MODEL_CACHE,
    Diffusion__ExecutionProvider: 'cuda',
    Diffusion__DeviceId: '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${COLLECTOR}.${OBSERVABILITY_NAMESPACE}:4317`,
    OTEL_SERVICE_NAME: WORKER_APP,
    OTEL_RESOURCE_ATTRIBUTES: `sdserverless.runtime=${runtime}`,
  };
  const probe = (path, periodSeconds, failureThreshold) => ({
    httpGet: { path, port: 'http' }, periodSeconds, failureThreshold, timeoutSeconds: 2,
  });
  return {
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
          // Karpenter never consolidates, expires or replaces a node while a worker runs on it.
          annotations: { 'karpenter.sh/do-not-disrupt': 'true' },
        },
        spec: {
          serviceAccountName: metadata.name,
          // Spot gives a 2-minute notice; the worker drains within Worker__ShutdownBudgetSeconds (90 s).
          terminationGracePeriodSeconds: 120,
          nodeSelector: { 'karpenter.sh/nodepool': GPU_NODE_POOL },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          securityContext: {
            runAsNonRoot: true, runAsUser: WORKER_USER, runAsGroup: WORKER_USER, fsGroup: WORKER_USER,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [{
            name: WORKER_APP,
            image,
            ports: [{ name: 'http', containerPort: WORKER_PORT, protocol: 'TCP' }],
            env: Object.entries(env).map(([name, value]) => ({ name, value })),
            resources: {
              requests: { cpu: '2', memory: '10Gi', 'nvidia.com/gpu': '1', 'ephemeral-storage': '20Gi' },
              limits: { memory: '12Gi', 'nvidia.com/gpu': '1', 'ephemeral-storage': '60Gi' },
            },
            // Model download and ONNX Runtime inference-session creation can take minutes; liveness waits for the first success.
            startupProbe: probe('/healthz', 10, 30),
            livenessProbe: probe('/healthz', 10, 3),
            readinessProbe: probe('/readyz', 5, 2),
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [
              { name: 'model-cache', mountPath: MODEL_CACHE },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          }],
          // emptyDir lives on the node's ephemeral storage, which EKS Auto Mode puts on local NVMe instance store.
          volumes: [
            { name: 'model-cache', emptyDir: { sizeLimit: '50Gi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '2Gi' } },
          ],
        },
      },
    },
  };
}
