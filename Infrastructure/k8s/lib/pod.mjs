// The pod of one runtime, by its type (lib/runtime-types.mjs):
// onnx: the GpuWorker alone; it syncs its model from S3 into an emptyDir and runs the engine on the GPU.
// a1111, comfyui: three containers, in start order (decision 0501):
//   1. model-sync (init container): copies the runtime's S3 model prefix into the `models` emptyDir;
//   2. the runtime's server (native sidecar, restartPolicy Always) with the GPU and the models mounted; the kubelet
//      starts the next container only once its startupProbe answers, so the agent never takes a task before it can run it;
//   3. the GpuWorker as queue agent, calling the server on 127.0.0.1. On shutdown the sidecar stops after the agent.
// The server holds no AWS credentials (the pod's annotation skips it, decision 0530) and listens on 127.0.0.1 only.
import { serverlessResources } from './settings.mjs';
import { RUNTIME_TYPES } from './runtime-types.mjs';
import { COLLECTOR, GPU_NODE_POOL, MODEL_CACHE, MODEL_SYNC, MODEL_SYNC_IMAGE, OBSERVABILITY_NAMESPACE, WORKER_APP, WORKER_PORT, WORKER_USER } from './names.mjs';

const SYNC_MOUNT = '/models';
const nonRoot = { runAsNonRoot: true, runAsUser: WORKER_USER, runAsGroup: WORKER_USER };
const locked = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
const env = (values) => Object.entries(values).map(([name, value]) => ({ name, value }));

export function podSpec(settings, runtime, image, serviceAccount) {
  const sidecar = RUNTIME_TYPES[runtime.type].sidecar;
  const shared = {
    serviceAccountName: serviceAccount,
    // Nothing in the pod calls the Kubernetes API; a runtime's custom code gets no API token either.
    automountServiceAccountToken: false,
    // Spot gives a 2-minute notice; the worker drains within Worker__ShutdownBudgetSeconds (90 s).
    terminationGracePeriodSeconds: 120,
    nodeSelector: { 'karpenter.sh/nodepool': GPU_NODE_POOL },
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: nodeExpressions(runtime) }] } } },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  };
  if (!sidecar) {
    return {
      ...shared,
      securityContext: { ...nonRoot, fsGroup: WORKER_USER, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [agent(settings, runtime, image, {
        Worker__Model: runtime.modelUri,
        Worker__ModelCacheDirectory: MODEL_CACHE,
        Diffusion__ExecutionProvider: 'cuda',
        Diffusion__DeviceId: '0',
      }, gpuResources(runtime), [{ name: 'model-cache', mountPath: MODEL_CACHE }])],
      // emptyDir lives on the node's ephemeral storage, which EKS Auto Mode puts on local NVMe instance store.
      volumes: [
        { name: 'model-cache', emptyDir: { sizeLimit: '50Gi' } },
        { name: 'tmp', emptyDir: { sizeLimit: '2Gi' } },
      ],
    };
  }
  return {
    ...shared,
    // Third-party runtime images choose their own user; the agent and the sync run as the GpuWorker's non-root user.
    securityContext: { fsGroup: WORKER_USER, seccompProfile: { type: 'RuntimeDefault' } },
    initContainers: [modelSync(settings, runtime), server(runtime, sidecar)],
    containers: [agent(settings, runtime, image, {
      Worker__Backend: runtime.type,
      [sidecar.baseUrlSetting]: `http://127.0.0.1:${sidecar.port}`,
      ...(sidecar.workspace ? { [sidecar.workspace.setting]: sidecar.workspace.path } : {}),
    }, { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '2Gi' } }, workspaceMounts(sidecar))],
    volumes: [
      { name: 'models', emptyDir: { sizeLimit: '80Gi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '2Gi' } },
      // One emptyDir per folder: kubelet creates each root writable by any user, so the agent can make each task's
      // folder there whichever user the runtime's image runs as.
      ...(sidecar.workspace ? WORKSPACE_FOLDERS.map((folder) => ({ name: `comfy-${folder}`, emptyDir: { sizeLimit: '10Gi' } })) : []),
    ],
  };
}

const WORKSPACE_FOLDERS = ['input', 'output'];

function workspaceMounts(sidecar) {
  return sidecar.workspace
    ? WORKSPACE_FOLDERS.map((folder) => ({ name: `comfy-${folder}`, mountPath: `${sidecar.workspace.path}/${folder}` }))
    : [];
}

function nodeExpressions(runtime) {
  return [
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: runtime.nodeRequirements.capacityTypes },
    { key: 'eks.amazonaws.com/instance-family', operator: 'In', values: runtime.nodeRequirements.instanceFamilies },
    { key: 'eks.amazonaws.com/instance-gpu-count', operator: 'In', values: [String(runtime.resources.gpus)] },
  ];
}

function gpuResources(runtime) {
  const { cpu, memory, gpus } = runtime.resources;
  return {
    requests: { cpu, memory, 'nvidia.com/gpu': String(gpus), 'ephemeral-storage': '20Gi' },
    limits: { memory, 'nvidia.com/gpu': String(gpus), 'ephemeral-storage': '100Gi' },
  };
}

function agent(settings, runtime, image, backend, resources, mounts) {
  const aws = serverlessResources(settings);
  const probe = (path, periodSeconds, failureThreshold) => ({
    httpGet: { path, port: 'http' }, periodSeconds, failureThreshold, timeoutSeconds: 2,
  });
  return {
    name: WORKER_APP,
    image,
    ports: [{ name: 'http', containerPort: WORKER_PORT, protocol: 'TCP' }],
    env: env({
      AWS_REGION: settings.region,
      ASPNETCORE_HTTP_PORTS: String(WORKER_PORT),
      Resources__TasksTable: aws.tasksTable,
      Resources__OutputBucket: aws.outputBucket,
      Resources__ResultsTopicArn: aws.resultsTopicArn,
      Worker__Runtime: runtime.name,
      Worker__QueueUrl: aws.queueUrl(runtime.name),
      Worker__HighQueueUrl: aws.queueUrl(`${runtime.name}-high`),
      Worker__LowQueueUrl: aws.queueUrl(`${runtime.name}-low`),
      Worker__Concurrency: '1',
      Worker__ShutdownBudgetSeconds: '90',
      ...backend,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://${COLLECTOR}.${OBSERVABILITY_NAMESPACE}:4317`,
      OTEL_SERVICE_NAME: WORKER_APP,
      OTEL_RESOURCE_ATTRIBUTES: `sdserverless.runtime=${runtime.name}`,
    }),
    resources,
    // Model download and ONNX Runtime inference-session creation can take minutes; liveness waits for the first success.
    startupProbe: probe('/healthz', 10, 30),
    livenessProbe: probe('/healthz', 10, 3),
    readinessProbe: probe('/readyz', 5, 2),
    securityContext: { ...nonRoot, ...locked, readOnlyRootFilesystem: true },
    volumeMounts: [...mounts, { name: 'tmp', mountPath: '/tmp' }],
  };
}

function modelSync(settings, runtime) {
  return {
    name: MODEL_SYNC,
    image: MODEL_SYNC_IMAGE,
    command: ['aws', 's3', 'sync', runtime.modelUri, SYNC_MOUNT, '--no-progress', '--only-show-errors'],
    // The pod's EKS Pod Identity credentials reach init containers too; HOME is the writable /tmp.
    env: env({ AWS_REGION: settings.region, HOME: '/tmp' }),
    resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } },
    securityContext: { ...nonRoot, ...locked, readOnlyRootFilesystem: true },
    volumeMounts: [{ name: 'models', mountPath: SYNC_MOUNT }, { name: 'tmp', mountPath: '/tmp' }],
  };
}

function server(runtime, sidecar) {
  // The server answers on 127.0.0.1 only, which the kubelet cannot reach: the probe runs in the server's own
  // container, with the Python interpreter both runtimes are written in.
  const check = `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${sidecar.port}${sidecar.probePath}', timeout=4)`;
  const probe = (periodSeconds, failureThreshold, timeoutSeconds) => ({
    exec: { command: ['python3', '-c', check] }, periodSeconds, failureThreshold, timeoutSeconds,
  });
  return {
    name: runtime.type,
    image: runtime.image,
    restartPolicy: 'Always',
    // Appended to the image's entrypoint (the server's launcher): listen on 127.0.0.1 only, on the agent's port.
    args: sidecar.args,
    resources: gpuResources(runtime),
    // Loading a checkpoint onto the GPU takes minutes: up to 15 before the kubelet gives up and restarts it.
    startupProbe: probe(10, 90, 5),
    // A busy server may answer slowly; only two minutes of silence count as hung.
    livenessProbe: probe(20, 6, 10),
    readinessProbe: probe(10, 3, 5),
    securityContext: locked,
    volumeMounts: [{ name: 'models', mountPath: runtime.modelDirectory }, ...workspaceMounts(sidecar)],
  };
}
