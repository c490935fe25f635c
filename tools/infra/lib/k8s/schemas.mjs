// The schema of each kind the manifests use, from the pinned @kubernetes-models packages (built-in kinds,
// KEDA and Karpenter CRDs). Each model class carries its compiled schema validator.
const KINDS = {
  'v1/Namespace': { load: async () => (await import('kubernetes-models/v1')).Namespace, namespaced: false },
  'v1/ServiceAccount': { load: async () => (await import('kubernetes-models/v1')).ServiceAccount, namespaced: true },
  'v1/ConfigMap': { load: async () => (await import('kubernetes-models/v1')).ConfigMap, namespaced: true },
  'v1/Service': { load: async () => (await import('kubernetes-models/v1')).Service, namespaced: true },
  'apps/v1/Deployment': { load: async () => (await import('kubernetes-models/apps/v1')).Deployment, namespaced: true },
  'networking.k8s.io/v1/NetworkPolicy': { load: async () => (await import('kubernetes-models/networking.k8s.io/v1')).NetworkPolicy, namespaced: true },
  'policy/v1/PodDisruptionBudget': { load: async () => (await import('kubernetes-models/policy/v1')).PodDisruptionBudget, namespaced: true },
  'karpenter.sh/v1/NodePool': { load: async () => (await import('@kubernetes-models/karpenter/karpenter.sh/v1')).NodePool, namespaced: false },
  'keda.sh/v1alpha1/ScaledObject': { load: async () => (await import('@kubernetes-models/keda/keda.sh/v1alpha1')).ScaledObject, namespaced: true },
  'keda.sh/v1alpha1/TriggerAuthentication': { load: async () => (await import('@kubernetes-models/keda/keda.sh/v1alpha1')).TriggerAuthentication, namespaced: true },
};

// Returns { validate(document) -> string[] of schema errors, namespaced } or null for a kind we have no schema for.
export async function schemaFor(apiVersion, kind) {
  const entry = KINDS[`${apiVersion}/${kind}`];
  if (!entry) return null;
  const model = await entry.load();
  return {
    namespaced: entry.namespaced,
    validate(document) {
      try {
        model.prototype.validate.call(document);
        return [];
      } catch (error) {
        if (!Array.isArray(error.errors)) throw error;
        return error.errors.map((e) => `${e.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(document)'}: ${e.message}`);
      }
    },
  };
}

export const KNOWN_KINDS = Object.keys(KINDS);
