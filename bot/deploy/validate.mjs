// Validates the Kubernetes manifests: each document against the Kubernetes API's JSON schema (the
// kubernetes-models package, generated from the API's OpenAPI spec), then the references between them that a
// schema cannot see (selectors, ports, Secret keys, probes, the kustomization's list). Exit 1 on any finding.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const dir = join(dirname(fileURLToPath(import.meta.url)), "kubernetes");
const findings = [];
const problem = (file, msg) => findings.push(`${file}: ${msg}`);

const docs = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"), { uniqueKeys: true })) {
    if (doc.errors.length) {
      doc.errors.forEach((e) => problem(file, e.message));
      continue;
    }
    const obj = doc.toJS();
    if (obj) docs.push({ file, obj });
  }
}

async function modelOf(apiVersion, kind) {
  // core/v1 lives at kubernetes-models/v1, groups at kubernetes-models/<group>/<version>.
  const path = apiVersion.includes("/") ? apiVersion : apiVersion;
  try {
    return (await import(`kubernetes-models/${path}/${kind}`))[kind];
  } catch {
    return undefined;
  }
}

for (const { file, obj } of docs) {
  if (obj.kind === "Kustomization") continue; // not an API object; checked below
  const Model = await modelOf(obj.apiVersion, obj.kind);
  if (!Model) {
    problem(file, `unknown kind ${obj.apiVersion}/${obj.kind}`);
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`  schema ok ${file} (${obj.apiVersion} ${obj.kind} ${obj.metadata?.name})`);
  } catch (e) {
    problem(file, `${obj.kind} ${obj.metadata?.name}: ${e.message}`);
  }
}

const one = (kind) => docs.filter((d) => d.obj.kind === kind);
const subset = (sel = {}, labels = {}) => Object.entries(sel).every(([k, v]) => labels[k] === v);

const [deployment] = one("Deployment");
const [secret] = one("Secret");
const [configMap] = one("ConfigMap");
const [kustomization] = one("Kustomization");
if (!deployment || !secret || !configMap || !kustomization) {
  problem("kubernetes/", "expected a Deployment, a ConfigMap, an example Secret and a kustomization");
} else {
  const d = deployment.obj;
  const f = deployment.file;
  const podLabels = d.spec.template.metadata?.labels ?? {};
  if ((d.spec.replicas ?? 1) < 2) problem(f, "fewer than 2 replicas: one pod is a single point of failure");
  if (!subset(d.spec.selector.matchLabels, podLabels)) problem(f, "selector does not match the pod labels");
  const containers = d.spec.template.spec.containers;
  const ports = new Map(containers.flatMap((c) => (c.ports ?? []).map((p) => [p.name, p.containerPort])));
  const secretKeys = new Set(Object.keys(secret.obj.stringData ?? secret.obj.data ?? {}));
  for (const c of containers) {
    for (const [probe, path] of [["livenessProbe", "/healthz"], ["readinessProbe", "/readyz"], ["startupProbe", "/healthz"]]) {
      const p = c[probe];
      if (!p) problem(f, `${c.name}: no ${probe}`);
      else if (p.httpGet?.path !== path) problem(f, `${c.name}: ${probe} must GET ${path}`);
      else if (typeof p.httpGet.port === "string" && !ports.has(p.httpGet.port))
        problem(f, `${c.name}: ${probe} names port ${p.httpGet.port}, which the container does not have`);
    }
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref && (ref.name !== secret.obj.metadata.name || !secretKeys.has(ref.key)))
        problem(f, `${c.name}: env ${e.name} reads Secret ${ref.name} key ${ref.key}, not in the example Secret`);
      if (e.value && /PASSWORD|SECRET|TOKEN|KEY$/.test(e.name)) problem(f, `${c.name}: ${e.name} is a literal value; use a Secret`);
    }
    for (const src of c.envFrom ?? []) {
      if (src.configMapRef && src.configMapRef.name !== configMap.obj.metadata.name)
        problem(f, `${c.name}: envFrom names ConfigMap ${src.configMapRef.name}, which is not defined`);
    }
    if (c.securityContext?.allowPrivilegeEscalation !== false) problem(f, `${c.name}: allowPrivilegeEscalation must be false`);
    if (!c.resources?.requests) problem(f, `${c.name}: no resource requests`);
  }
  for (const v of d.spec.template.spec.volumes ?? []) {
    if (v.secret) {
      if (v.secret.secretName !== secret.obj.metadata.name) problem(f, `volume ${v.name} names Secret ${v.secret.secretName}`);
      for (const item of v.secret.items ?? [])
        if (!secretKeys.has(item.key)) problem(f, `volume ${v.name} reads key ${item.key}, not in the example Secret`);
    }
  }
  for (const kind of ["Service", "PodDisruptionBudget"]) {
    const found = one(kind);
    if (!found.length) problem("kubernetes/", `no ${kind}`);
    for (const { file, obj } of found) {
      const sel = kind === "Service" ? obj.spec.selector : obj.spec.selector.matchLabels;
      if (!subset(sel, podLabels)) problem(file, `${kind} ${obj.metadata.name} selects no Hallpass pod`);
      if (kind === "Service")
        for (const p of obj.spec.ports)
          if (typeof p.targetPort === "string" && !ports.has(p.targetPort))
            problem(file, `Service port ${p.name} targets ${p.targetPort}, which the pods do not have`);
    }
  }
  for (const { file, obj } of one("NetworkPolicy"))
    if (!subset(obj.spec.podSelector.matchLabels, podLabels)) problem(file, `NetworkPolicy ${obj.metadata.name} selects no Hallpass pod`);
  const listed = new Set(kustomization.obj.resources);
  for (const { file, obj } of docs) {
    if (obj.kind === "Kustomization" || obj.kind === "Secret") continue;
    if (!listed.has(file)) problem(kustomization.file, `does not list ${file}`);
  }
  for (const r of listed) if (!docs.some((d) => d.file === r)) problem(kustomization.file, `lists ${r}, which does not exist`);
  if (listed.has(secret.file)) problem(kustomization.file, "must not apply the example Secret");
}

if (findings.length) {
  findings.forEach((x) => console.log(`  FAILED ${x}`));
  process.exit(1);
}
console.log(`  ok ${docs.length} document(s), references consistent`);
