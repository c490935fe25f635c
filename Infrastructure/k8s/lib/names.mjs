// Kubernetes names shared by the manifests and the CloudFormation pod identity associations.
export const WORKER_APP = 'gpu-worker';
export const workerName = (runtime) => `${WORKER_APP}-${runtime}`;
export const GPU_NODE_POOL = 'gpu';
export const OBSERVABILITY_NAMESPACE = 'observability';
export const COLLECTOR = 'adot-collector';
export const COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.47.0';
// Copies a runtime's model prefix from S3 into the pod before its runtime container starts (decision 0501).
export const MODEL_SYNC = 'model-sync';
export const MODEL_SYNC_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.27.0';
export const WORKER_PORT = 8080;
export const WORKER_USER = 1654;
export const MODEL_CACHE = '/models-cache';
export const partOf = { 'app.kubernetes.io/part-of': 'sdserverless' };
