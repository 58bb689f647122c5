'use strict';
// The schema validation must fail on broken manifests, each broken in one way on purpose.
const test = require('node:test');
const assert = require('node:assert');
const { validateSchemas } = require('../lib/schema');
const { manifests, find, container } = require('./helpers');

function rejects(name, breakIt, expected) {
  test(`schema: rejects ${name}`, () => {
    const entries = manifests();
    breakIt(entries);
    const problems = validateSchemas(entries);
    assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in:\n${problems.join('\n')}`);
  });
}

rejects('an unknown container field (misspelt livenessProbe)', (e) => {
  const c = container(e, 'StatefulSet');
  c.livenessprobe = c.livenessProbe;
  delete c.livenessProbe;
}, /'"livenessprobe"' does not exist in type 'IContainer'/);
rejects('a field at the wrong level (volumeClaimTemplates in the pod spec)', (e) => {
  const s = find(e, 'StatefulSet').spec;
  s.template.spec.volumeClaimTemplates = s.volumeClaimTemplates;
}, /'"volumeClaimTemplates"' does not exist in type 'IPodSpec'/);
rejects('an unknown top-level field', (e) => {
  find(e, 'ConfigMap').spec = {};
}, /'"spec"' does not exist in type 'IConfigMap'/);
rejects('an unknown ServiceMonitor endpoint field', (e) => {
  find(e, 'ServiceMonitor', 'pulse-streams').spec.endpoints[0].paht = '/metrics';
}, /ServiceMonitor\/pulse-streams.*\n.*'"paht"' does not exist/);
rejects('a string where the API wants an integer', (e) => {
  find(e, 'StatefulSet').spec.replicas = '3';
}, /spec\/replicas must be integer/);
rejects('a number where the API wants a string (unquoted env value)', (e) => {
  container(e, 'Deployment', 'pulse-ingest').env.find((v) => v.name === 'PULSE_WEBHOOKS_PORT').value = 8080;
}, /env\/\d+\/value must be string/);
rejects('a missing required field', (e) => {
  delete find(e, 'StatefulSet').spec.selector;
}, /must have required property selector/);
rejects('a value outside an enum', (e) => {
  find(e, 'StatefulSet').spec.podManagementPolicy = 'Sometimes';
}, /podManagementPolicy must be equal to one of the allowed values/);
rejects('a malformed quantity', (e) => {
  container(e, 'StatefulSet').resources.limits.memory = '2 gigs';
}, /limits\/memory must match format "quantity"/);
rejects('a ServiceMonitor whose endpoints are not a list', (e) => {
  find(e, 'ServiceMonitor', 'pulse-alerts').spec.endpoints = { port: 'http' };
}, /spec\/endpoints must be array/);
rejects('an unknown kind', (e) => {
  find(e, 'Service', 'pulse-ingest').kind = 'Servise';
}, /no schema for apiVersion v1 kind Servise/);
