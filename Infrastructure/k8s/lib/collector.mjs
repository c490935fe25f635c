// The ADOT collector: receives OTLP from the workers, sends traces to X-Ray and logs to CloudWatch Logs.
import { stringify } from 'yaml';
import { COLLECTOR, COLLECTOR_IMAGE, OBSERVABILITY_NAMESPACE, partOf } from './names.mjs';

export function collectorConfig(settings) {
  return {
    extensions: { health_check: { endpoint: '0.0.0.0:13133' } },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      batch: { timeout: '5s' },
    },
    exporters: {
      awsxray: { region: settings.region },
      awscloudwatchlogs: { region: settings.region, log_group_name: settings.collectorLogGroup, log_stream_name: 'gpu-worker' },
    },
    service: {
      extensions: ['health_check'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['awsxray'] },
        logs: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['awscloudwatchlogs'] },
      },
    },
  };
}

export function collectorObjects(settings) {
  const selector = { 'app.kubernetes.io/name': COLLECTOR };
  const metadata = { name: COLLECTOR, namespace: OBSERVABILITY_NAMESPACE, labels: { ...selector, ...partOf } };
  const probe = { httpGet: { path: '/', port: 'health' }, periodSeconds: 10, timeoutSeconds: 2 };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { 'config.yaml': stringify(collectorConfig(settings)) } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: metadata.labels },
          spec: {
            serviceAccountName: COLLECTOR,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: COLLECTOR,
              image: COLLECTOR_IMAGE,
              args: ['--config=/conf/config.yaml'],
              ports: [
                { name: 'otlp-grpc', containerPort: 4317, protocol: 'TCP' },
                { name: 'otlp-http', containerPort: 4318, protocol: 'TCP' },
                { name: 'health', containerPort: 13133, protocol: 'TCP' },
              ],
              resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { memory: '400Mi' } },
              livenessProbe: probe,
              readinessProbe: probe,
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'config', mountPath: '/conf' }],
            }],
            volumes: [{ name: 'config', configMap: { name: COLLECTOR } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        selector,
        ports: [
          { name: 'otlp-grpc', port: 4317, targetPort: 'otlp-grpc', protocol: 'TCP' },
          { name: 'otlp-http', port: 4318, targetPort: 'otlp-http', protocol: 'TCP' },
        ],
      },
    },
  ];
}
