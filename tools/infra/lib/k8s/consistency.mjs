// Checks that hold across the whole set of manifests: names, namespaces, duplicates, and references between objects.
import { checkSqsTrigger } from './sqs-trigger.mjs';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const matches = (selector, labels) => selector && Object.keys(selector).length > 0
  && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

export function checkConsistency(items) {
  const errors = [];
  const seen = new Map();
  const byKind = (kind, namespace) => items.filter((i) => i.doc.kind === kind && (namespace === undefined || i.doc.metadata?.namespace === namespace));
  // kube-system exists in every cluster (EKS Auto Mode reads its amazon-vpc-cni ConfigMap).
  const namespaces = new Set(['kube-system', ...byKind('Namespace').map((i) => i.doc.metadata.name)]);

  for (const item of items) {
    const { doc, where, namespaced } = item;
    const name = doc.metadata?.name;
    if (typeof name !== 'string' || !DNS_LABEL.test(name) || name.length > 63) {
      errors.push(`${where}: metadata.name '${name}' must be lowercase kebab case of at most 63 characters`);
    }
    if (namespaced && !doc.metadata?.namespace) errors.push(`${where}: metadata.namespace is required for ${doc.kind}`);
    if (!namespaced && doc.metadata?.namespace) errors.push(`${where}: ${doc.kind} is cluster-scoped and takes no namespace`);
    if (namespaced && doc.metadata?.namespace && !namespaces.has(doc.metadata.namespace)) {
      errors.push(`${where}: namespace '${doc.metadata.namespace}' is not created by these manifests`);
    }
    const group = doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : '';
    const key = `${group}/${doc.kind}/${doc.metadata?.namespace ?? ''}/${name}`;
    if (seen.has(key)) errors.push(`${where}: ${doc.kind} '${name}' conflicts with ${seen.get(key)}`);
    else seen.set(key, where);
  }

  const deployments = byKind('Deployment');
  for (const { doc, where } of deployments) {
    const ns = doc.metadata.namespace;
    const podLabels = doc.spec?.template?.metadata?.labels;
    if (!matches(doc.spec?.selector?.matchLabels, podLabels)) errors.push(`${where}: spec.selector does not match the pod template labels`);
    for (const other of deployments) {
      if (other.doc !== doc && other.doc.metadata.namespace === ns && matches(doc.spec?.selector?.matchLabels, other.doc.spec?.template?.metadata?.labels)) {
        errors.push(`${where}: its selector also matches the pods of ${other.where}`);
      }
    }
    const account = doc.spec?.template?.spec?.serviceAccountName;
    if (account && !byKind('ServiceAccount', ns).some((i) => i.doc.metadata.name === account)) {
      errors.push(`${where}: service account '${account}' does not exist in namespace '${ns}'`);
    }
    for (const volume of doc.spec?.template?.spec?.volumes ?? []) {
      if (volume.configMap && !byKind('ConfigMap', ns).some((i) => i.doc.metadata.name === volume.configMap.name)) {
        errors.push(`${where}: config map '${volume.configMap.name}' does not exist in namespace '${ns}'`);
      }
    }
    const pod = doc.spec?.template?.spec;
    for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      if (!container.image || /:latest$/.test(container.image) || !/[:@]/.test(container.image)) {
        errors.push(`${where}: container '${container.name}' needs an image pinned by tag or digest`);
      }
      if (!container.resources?.limits?.memory) errors.push(`${where}: container '${container.name}' needs a memory limit`);
    }
  }

  const scaledTargets = new Map();
  for (const { doc, where } of byKind('ScaledObject')) {
    const ns = doc.metadata.namespace;
    const target = doc.spec?.scaleTargetRef?.name;
    if (!deployments.some((d) => d.doc.metadata.namespace === ns && d.doc.metadata.name === target)) {
      errors.push(`${where}: scaleTargetRef '${target}' is not a Deployment in namespace '${ns}'`);
    }
    if (scaledTargets.has(`${ns}/${target}`)) errors.push(`${where}: Deployment '${target}' is already scaled by ${scaledTargets.get(`${ns}/${target}`)}`);
    scaledTargets.set(`${ns}/${target}`, where);
    (doc.spec?.triggers ?? []).forEach((trigger, i) => {
      const auth = trigger.authenticationRef?.name;
      if (auth && !byKind('TriggerAuthentication', ns).some((t) => t.doc.metadata.name === auth)) {
        errors.push(`${where}: trigger ${i} refers to TriggerAuthentication '${auth}', which does not exist in namespace '${ns}'`);
      }
      if (trigger.type === 'aws-sqs-queue') errors.push(...checkSqsTrigger(trigger.metadata, `${where}: spec.triggers[${i}].metadata`));
    });
  }

  const budgets = new Map();
  for (const { doc, where } of byKind('PodDisruptionBudget')) {
    const covered = deployments.filter((d) => d.doc.metadata.namespace === doc.metadata.namespace
      && matches(doc.spec?.selector?.matchLabels, d.doc.spec?.template?.metadata?.labels));
    if (covered.length === 0) errors.push(`${where}: its selector matches no Deployment's pods`);
    for (const d of covered) {
      if (budgets.has(d.where)) errors.push(`${where}: ${d.where} is already covered by ${budgets.get(d.where)}`);
      budgets.set(d.where, where);
    }
  }

  for (const { doc, where } of byKind('Service')) {
    const backends = deployments.filter((d) => d.doc.metadata.namespace === doc.metadata.namespace
      && matches(doc.spec?.selector, d.doc.spec?.template?.metadata?.labels));
    if (backends.length === 0) {
      errors.push(`${where}: its selector matches no Deployment's pods`);
      continue;
    }
    const ports = backends.flatMap((d) => d.doc.spec.template.spec.containers.flatMap((c) => c.ports ?? []));
    for (const port of doc.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      if (!ports.some((p) => p.containerPort === target || p.name === target)) {
        errors.push(`${where}: port '${port.name ?? port.port}' targets ${target}, which no backend container exposes`);
      }
    }
  }
  return errors;
}
