'use strict';
// The project's invariants must fail on manifests broken in one way each.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { checkInvariants, routes, REPO } = require('../lib/invariants');
const { manifests, find, container, env } = require('./helpers');

function rejects(name, breakIt, expected) {
  test(`invariant: rejects ${name}`, () => {
    const entries = manifests();
    breakIt(entries);
    const problems = checkInvariants(entries);
    assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in:\n${problems.join('\n')}`);
  });
}

test('routes are read from the HTTP servers\' sources', () => {
  const streams = routes(fs.readFileSync(path.join(REPO,
    'streams/src/main/java/org/communitypulse/streams/http/PulseHttpServer.java'), 'utf8'));
  // The probes and the scrape need these three; the server may serve more (the OpenAPI document, the dashboard).
  for (const route of ['/health', '/metrics', '/ready']) {
    assert.ok(streams.has(route), `${route} not found among ${[...streams]}`);
  }
  assert.deepStrictEqual([...routes('static final String X_PATH = "/x"; app.get(X_PATH, h); app.get("/y", h);')],
    ['/x', '/y']);
});

rejects('a liveness probe path the server does not have', (e) => {
  container(e, 'StatefulSet').livenessProbe.httpGet.path = '/healthz';
}, /livenessProbe must GET \/health, not \/healthz/);
rejects('readiness on /health (an instance that is rebalancing would get traffic)', (e) => {
  container(e, 'Deployment', 'pulse-alerts').readinessProbe.httpGet.path = '/health';
}, /readinessProbe must GET \/ready/);
rejects('a startup probe on /ready (an instance restoring state would be killed)', (e) => {
  container(e, 'StatefulSet').startupProbe.httpGet.path = '/ready';
}, /startupProbe must GET \/health, not \/ready/);
rejects('a metrics path the server does not serve', (e) => {
  find(e, 'ServiceMonitor', 'pulse-ingest').spec.endpoints[0].path = '/prometheus';
}, /endpoint path \/prometheus is not served/);
rejects('an app port different from the container port', (e) => {
  env(e, 'StatefulSet', 'pulse-streams', 'PULSE_HTTP_PORT').value = '8081';
}, /PULSE_HTTP_PORT \(8081\) must equal the http containerPort 7070/);
rejects('a probe on another port', (e) => {
  container(e, 'Deployment', 'pulse-ingest').readinessProbe.httpGet.port = 9999;
}, /readinessProbe must use the http port/);
rejects('a Service targeting a port no container has', (e) => {
  find(e, 'Service', 'pulse-dashboard').spec.ports[0].targetPort = 'web';
}, /targets web, which no container/);
rejects('an undocumented variable', (e) => {
  container(e, 'StatefulSet').env.push({ name: 'PULSE_HTTP_THREADS', value: '8' });
}, /PULSE_HTTP_THREADS is not a PULSE_\* variable documented/);
rejects('an undocumented variable in the ConfigMap', (e) => {
  find(e, 'ConfigMap').data.PULSE_REGISTRY = 'http://x';
}, /PULSE_REGISTRY is not a PULSE_\* variable documented/);
rejects('no standby replica', (e) => {
  env(e, 'StatefulSet', 'pulse-streams', 'PULSE_NUM_STANDBY_REPLICAS').value = '0';
}, /PULSE_NUM_STANDBY_REPLICAS must be at least 1/);
rejects('one instance with a standby replica', (e) => {
  find(e, 'StatefulSet').spec.replicas = 1;
}, /replicas \(1\) must be more than the standby replicas/);
rejects('an application.server not derived from the pod name', (e) => {
  env(e, 'StatefulSet', 'pulse-streams', 'PULSE_HTTP_ADVERTISED_HOST').value = 'pulse-streams';
}, /PULSE_HTTP_ADVERTISED_HOST must be \$\(POD_NAME\)\.pulse-streams\.\$\(POD_NAMESPACE\)\.svc\.cluster\.local/);
rejects('POD_NAME declared after the variable that refers to it', (e) => {
  const c = container(e, 'StatefulSet');
  c.env.push(c.env.shift());
}, /refers to \$\(POD_NAME\), which is not declared before it/);
rejects('POD_NAME not from the downward API', (e) => {
  env(e, 'StatefulSet', 'pulse-streams', 'POD_NAME').valueFrom.fieldRef.fieldPath = 'spec.nodeName';
}, /POD_NAME must come from the downward API/);
rejects('a governing Service that is not headless', (e) => {
  delete find(e, 'Service', 'pulse-streams').spec.clusterIP;
}, /serviceName pulse-streams must be a headless Service/);
rejects('state outside the per-pod volume', (e) => {
  env(e, 'StatefulSet', 'pulse-streams', 'PULSE_STATE_DIR').value = '/tmp/streams';
}, /PULSE_STATE_DIR \(\/tmp\/streams\) must lie on a volume of volumeClaimTemplates/);
rejects('a grace period shorter than the close timeout', (e) => {
  find(e, 'StatefulSet').spec.template.spec.terminationGracePeriodSeconds = 35;
}, /terminationGracePeriodSeconds \(35\) must exceed the close timeout \(30 s\) and the shutdown wait \(40 s\)/);
rejects('a webhook secret as a plain value', (e) => {
  const variable = env(e, 'Deployment', 'pulse-ingest', 'PULSE_GITHUB_SECRET');
  delete variable.valueFrom;
  variable.value = 'hunter2';
}, /PULSE_GITHUB_SECRET holds a secret: take it from a Secret/);
rejects('a token file outside the Secret volume', (e) => {
  env(e, 'StatefulSet', 'pulse-streams', 'PULSE_HTTP_ADMIN_TOKEN_FILE').value = '/var/lib/pulse/admin-token';
}, /PULSE_HTTP_ADMIN_TOKEN_FILE names \/var\/lib\/pulse\/admin-token, which is not in a volume mounted from a Secret/);
rejects('a Secret key that secret.example.yaml does not show', (e) => {
  env(e, 'Deployment', 'pulse-ingest', 'PULSE_SLACK_SECRET').valueFrom.secretKeyRef.key = 'slack-signing';
}, /reads Secret pulse-webhooks key slack-signing, which secret.example.yaml does not show/);
rejects('a bind address other than 0.0.0.0', (e) => {
  env(e, 'Deployment', 'pulse-alerts', 'PULSE_ALERTS_HTTP_HOST').value = '127.0.0.1';
}, /PULSE_ALERTS_HTTP_HOST must be 0\.0\.0\.0/);
rejects('a root user', (e) => {
  find(e, 'Deployment', 'pulse-ingest').spec.template.spec.securityContext.runAsUser = 0;
}, /runAsNonRoot: true and a numeric non-zero runAsUser/);
rejects('a writable root filesystem', (e) => {
  container(e, 'Deployment', 'pulse-alerts').securityContext.readOnlyRootFilesystem = false;
}, /readOnlyRootFilesystem: true/);
rejects('another image than docker-compose.yml\'s', (e) => {
  container(e, 'StatefulSet').image = 'pulse:latest';
}, /image pulse:latest is not docker-compose.yml's community-pulse:dev/);
rejects('a ServiceMonitor selecting two Services (double scrapes)', (e) => {
  find(e, 'Service', 'pulse-dashboard').metadata.labels['app.kubernetes.io/name'] = 'pulse-streams';
}, /must select exactly one Service .* selects pulse-streams, pulse-dashboard/);
rejects('a scraped Service whose name is not the alert rules\' job', (e) => {
  find(e, 'ServiceMonitor', 'pulse-ingest').spec.selector.matchLabels['app.kubernetes.io/name'] = 'pulse-dashboard';
}, /alerts.yml selects job="pulse-ingest", but no ServiceMonitor scrapes/);
rejects('a PodDisruptionBudget selecting nothing', (e) => {
  find(e, 'PodDisruptionBudget', 'pulse-streams').spec.selector.matchLabels['app.kubernetes.io/name'] = 'streams';
}, /selector must select exactly one workload's pods, selects 0/);
rejects('a Secret in the kustomization', (e) => {
  e.push({ file: 'secret.yaml', index: 0, doc: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } } });
}, /Secrets are not part of the kustomization/);
