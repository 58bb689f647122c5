'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const YAML = require('yaml');
const { loadKustomization, loadFile } = require('../lib/manifests');
const { validateSchemas } = require('../lib/schema');
const { checkInvariants } = require('../lib/invariants');
const { DIR, manifests } = require('./helpers');

test('the manifests are valid against the schemas and keep every invariant', () => {
  const entries = manifests();
  assert.deepStrictEqual(entries.map((e) => e.doc.kind).sort(), ['ConfigMap', 'Deployment', 'Deployment',
    'PodDisruptionBudget', 'PodDisruptionBudget', 'Service', 'Service', 'Service', 'Service', 'ServiceMonitor',
    'ServiceMonitor', 'ServiceMonitor', 'StatefulSet']);
  assert.deepStrictEqual(validateSchemas(entries), []);
  assert.deepStrictEqual(checkInvariants(entries), []);
});

test('secret.example.yaml is valid too, though not applied', () => {
  const entries = loadFile(path.join(DIR, 'secret.example.yaml'));
  assert.strictEqual(entries.length, 3);
  assert.deepStrictEqual(validateSchemas(entries), []);
});

test('a kustomization with more than resources is refused: the checks would not see what is applied', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-kustomize-'));
  try {
    fs.copyFileSync(path.join(DIR, 'configmap.yaml'), path.join(dir, 'configmap.yaml'));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), YAML.stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: 'pulse',
      resources: ['configmap.yaml'],
    }));
    assert.throws(() => loadKustomization(dir), /found namespace/);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

function kubectl() {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return false;
  }
}

test('kustomize renders exactly the files (where kubectl is installed)', { skip: !kubectl() && 'no kubectl' }, () => {
  const rendered = YAML.parseAllDocuments(execFileSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' }))
    .map((d) => d.toJS());
  const key = (doc) => `${doc.kind}/${doc.metadata.name}`;
  const byKey = (docs) => Object.fromEntries(docs.map((doc) => [key(doc), doc]));
  assert.deepStrictEqual(byKey(rendered), byKey(loadKustomization(DIR).map((e) => e.doc)));
});
