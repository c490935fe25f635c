// Cluster-wide objects: the namespaces, network policy enforcement and the GPU NodePool (EKS Auto Mode's Karpenter). The NodePool allows what any
// runtime asks for (instance families, capacity types, GPU counts); each runtime's pods narrow it with node affinity.
import { GPU_NODE_POOL, OBSERVABILITY_NAMESPACE, partOf } from './names.mjs';

const union = (runtimes, pick) => [...new Set(runtimes.flatMap(pick))].sort();

export function clusterObjects(settings, runtimes) {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: settings.namespace, labels: partOf } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: OBSERVABILITY_NAMESPACE, labels: partOf } },
    {
      // EKS Auto Mode enforces NetworkPolicies (the workers' ingress policy, decision 0530) once this is set; its
      // default NodeClass allows by default what no policy selects.
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system', labels: partOf },
      data: { 'enable-network-policy-controller': 'true' },
    },
    {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: GPU_NODE_POOL, labels: partOf },
      spec: {
        template: {
          metadata: { labels: { 'sdserverless.io/pool': GPU_NODE_POOL } },
          spec: {
            // EKS Auto Mode's built-in NodeClass: Bottlerocket with the NVIDIA driver and device plugin.
            nodeClassRef: { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'default' },
            requirements: [
              // With both allowed, Karpenter takes Spot whenever it is offered and falls back to on-demand when it is not.
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: union(runtimes, (r) => r.nodeRequirements.capacityTypes).reverse() },
              { key: 'eks.amazonaws.com/instance-family', operator: 'In', values: union(runtimes, (r) => r.nodeRequirements.instanceFamilies) },
              { key: 'eks.amazonaws.com/instance-gpu-count', operator: 'In', values: union(runtimes, (r) => [String(r.resources.gpus)]) },
              // While every runtime takes one GPU, only sizes up to 16 vCPUs: bigger ones add vCPUs nothing uses.
              ...(runtimes.every((r) => r.resources.gpus === 1) ? [{ key: 'eks.amazonaws.com/instance-cpu', operator: 'Lt', values: ['17'] }] : []),
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            ],
            taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
            expireAfter: '336h',
            // A node that expires is drained for at most this long, even past do-not-disrupt pods.
            terminationGracePeriod: '30m',
          },
        },
        limits: { 'nvidia.com/gpu': String(settings.gpuLimit) },
        disruption: {
          // Only empty nodes are consolidated, so a busy worker is never moved to save money.
          consolidationPolicy: 'WhenEmpty',
          consolidateAfter: '2m',
          budgets: [{ nodes: '20%' }],
        },
      },
    },
  ];
}
