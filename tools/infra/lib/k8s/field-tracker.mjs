// Finds fields that a compiled schema validator never looked at: those are fields the schema does not know.
// The validators from @kubernetes-models read every property their schema declares (and enumerate the keys of
// free-form maps), so a key of a declared object that was never read is a typo or a field of another version.
export function trackFields(root) {
  const reads = new WeakMap();
  const enumerated = new WeakSet();
  const proxies = new WeakMap();
  const note = (target, key) => {
    if (typeof key !== 'string') return;
    if (!reads.has(target)) reads.set(target, new Set());
    reads.get(target).add(key);
  };
  const wrap = (value) => {
    if (value === null || typeof value !== 'object') return value;
    if (proxies.has(value)) return proxies.get(value);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        note(target, key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        note(target, key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  const unknownFields = () => {
    const found = [];
    const walk = (value, path) => {
      if (value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => walk(item, `${path}[${i}]`));
        return;
      }
      const seen = reads.get(value);
      const declared = seen !== undefined && !enumerated.has(value);
      for (const [key, item] of Object.entries(value)) {
        if (declared && !seen.has(key)) found.push(`${path}.${key}`);
        else walk(item, `${path}.${key}`);
      }
    };
    walk(root, '');
    return found.map((p) => p.slice(1));
  };

  return { proxy: wrap(root), unknownFields };
}
