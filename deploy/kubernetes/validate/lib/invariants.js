'use strict';
// The project's own rules for deploy/kubernetes, checked against the sources and docs they depend on, so
// that a change on either side that breaks the other fails CI: probe and metrics paths are routes of the
// service's HTTP server, ports agree, every variable is a documented setting, Streams keeps standby replicas
// and advertises its pod's DNS name, shutdown fits in the grace period, pods run locked down, and no
// secret value is committed.
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { describe } = require('./manifests');

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** The three roles of the image, by their `pulse` arguments. */
const ROLES = [
  {
    name: 'streams',
    args: ['streams'],
    http: 'streams/src/main/java/org/communitypulse/streams/http/PulseHttpServer.java',
    portVariable: 'PULSE_HTTP_PORT',
    hostVariables: [],
  },
  {
    name: 'webhooks',
    args: ['webhooks'],
    http: 'ingest/src/main/java/org/communitypulse/ingest/http/WebhookServer.java',
    portVariable: 'PULSE_WEBHOOKS_PORT',
    hostVariables: ['PULSE_WEBHOOKS_HOST'],
  },
  {
    name: 'alerts',
    args: ['alerts', 'deliver'],
    http: 'alerting/src/main/java/org/communitypulse/alerting/internals/StatusServer.java',
    portVariable: 'PULSE_ALERTS_HTTP_PORT',
    hostVariables: ['PULSE_ALERTS_HTTP_HOST'],
  },
];

/** Docs whose settings tables and examples name the variables the services read. */
const SETTING_DOCS = ['docs/configuration.md', 'docs/webhooks.md', 'docs/alerts.md'];
/** Variables that only carry downward-API values into other variables' $(...) references. */
const POD_FIELDS = { POD_NAME: 'metadata.name', POD_NAMESPACE: 'metadata.namespace' };
const SECRET_LIKE = /SECRET|PSEUDONYM_KEY|WEBHOOK_URL|PASSWORD|TOKEN/;

function read(repo, file) {
  return fs.readFileSync(path.join(repo, file), 'utf8');
}

/** GET routes of a Javalin server's source: literal paths and paths held by string constants. */
function routes(source) {
  const constants = {};
  for (const m of source.matchAll(/static final String (\w+)\s*=\s*"(\/[^"]*)"/g)) {
    constants[m[1]] = m[2];
  }
  const found = new Set();
  for (const m of source.matchAll(/\.get\(\s*(?:"(\/[^"]*)"|([A-Z_][A-Z0-9_]*))/g)) {
    const route = m[1] !== undefined ? m[1] : constants[m[2]];
    if (route) {
      found.add(route);
    }
  }
  return found;
}

/** Seconds of `NAME = Duration.ofSeconds(N)` in a Java source, or null. */
function durationSeconds(source, name) {
  const m = source.match(new RegExp(`${name}\\s*=\\s*Duration\\.ofSeconds\\((\\d+)\\)`));
  return m ? Number(m[1]) : null;
}

function matches(selector, labels) {
  return !!selector && Object.keys(selector).length > 0
    && Object.entries(selector).every(([key, value]) => labels && labels[key] === value);
}

function podTemplate(doc) {
  return ['Deployment', 'StatefulSet'].includes(doc.kind) ? doc.spec.template : null;
}

/** Whether {@code file} lies in one of {@code container}'s mounts whose pod volume is a Secret. */
function secretMounted(template, container, file) {
  const volumes = (template.spec && template.spec.volumes) || [];
  return (container.volumeMounts || []).some((mount) => {
    const volume = volumes.find((v) => v.name === mount.name);
    return volume && volume.secret && file.startsWith(mount.mountPath.replace(/\/?$/, '/'));
  });
}

/** Every problem found; empty when the manifests keep every rule. */
function checkInvariants(entries, { repo = REPO } = {}) {
  const problems = [];
  const problem = (entry, message) => problems.push(`${describe(entry)}: ${message}`);
  const docsText = SETTING_DOCS.map((file) => read(repo, file)).join('\n');
  const configurationDoc = read(repo, 'docs/configuration.md');
  const documented = (name) => new RegExp(`\\b${name}\\b`).test(docsText)
    || (name.startsWith('PULSE_STREAMS_') && docsText.includes('`PULSE_STREAMS_*`'));
  const configMaps = new Map(entries.filter((e) => e.doc.kind === 'ConfigMap').map((e) => [e.doc.metadata.name, e]));
  const services = entries.filter((e) => e.doc.kind === 'Service');
  const workloads = entries.filter((e) => podTemplate(e.doc));
  const composeImage = composeDefaultImage(read(repo, 'docker-compose.yml'));
  const example = YAML.parseAllDocuments(read(repo, 'deploy/kubernetes/secret.example.yaml')).map((d) => d.toJS());

  for (const entry of entries) {
    if (entry.doc.kind === 'Secret') {
      problem(entry, 'Secrets are not part of the kustomization: create them (see secret.example.yaml)');
    }
  }
  for (const secret of example) {
    for (const [key, value] of Object.entries(secret.stringData || {})) {
      if (!/REPLACE/.test(String(value))) {
        problems.push(`secret.example.yaml: ${secret.metadata.name}.${key} must be a REPLACE placeholder`);
      }
    }
    if (secret.data) {
      problems.push(`secret.example.yaml: ${secret.metadata.name} must use stringData placeholders, not data`);
    }
  }

  const servedPaths = new Map(); // workload entry -> routes of its server
  for (const entry of workloads) {
    const template = podTemplate(entry.doc);
    const pod = template.spec;
    const podLabels = template.metadata.labels || {};
    if (!matches(entry.doc.spec.selector.matchLabels, podLabels)) {
      problem(entry, 'spec.selector.matchLabels must match the pod template labels');
    }
    if (!(pod.securityContext && pod.securityContext.runAsNonRoot === true
        && Number.isInteger(pod.securityContext.runAsUser) && pod.securityContext.runAsUser > 0)) {
      problem(entry, 'pod securityContext needs runAsNonRoot: true and a numeric non-zero runAsUser '
        + '(the image names its user, which the kubelet cannot check)');
    }
    if (!Number.isInteger(pod.terminationGracePeriodSeconds) || pod.terminationGracePeriodSeconds < 30) {
      problem(entry, 'terminationGracePeriodSeconds must be set, at least 30');
    }
    const containers = pod.containers || [];
    for (const container of containers) {
      const where = `container ${container.name}`;
      const role = ROLES.find((r) => JSON.stringify(r.args) === JSON.stringify(container.args));
      if (!role) {
        problem(entry, `${where}: args ${JSON.stringify(container.args)} are not a known role `
          + `(${ROLES.map((r) => r.args.join(' ')).join(', ')})`);
        continue;
      }
      if (container.image !== composeImage) {
        problem(entry, `${where}: image ${container.image} is not docker-compose.yml's ${composeImage}`);
      }
      const sc = container.securityContext || {};
      if (sc.allowPrivilegeEscalation !== false || sc.readOnlyRootFilesystem !== true
          || !(sc.capabilities && (sc.capabilities.drop || []).includes('ALL'))) {
        problem(entry, `${where}: securityContext needs allowPrivilegeEscalation: false, `
          + 'readOnlyRootFilesystem: true, capabilities.drop: [ALL]');
      }
      const mounts = container.volumeMounts || [];
      if (!mounts.some((m) => m.mountPath === '/tmp')) {
        problem(entry, `${where}: needs a writable /tmp (read-only root filesystem; RocksDB and the JVM write there)`);
      }
      const resources = container.resources || {};
      if (!(resources.requests && resources.requests.cpu && resources.requests.memory
          && resources.limits && resources.limits.memory)) {
        problem(entry, `${where}: needs cpu and memory requests and a memory limit`);
      }

      // Environment: explicit variables in order, then the ConfigMaps it takes whole.
      const env = container.env || [];
      const values = new Map();
      env.forEach((variable, index) => {
        const name = variable.name;
        if (POD_FIELDS[name]) {
          const fieldPath = variable.valueFrom && variable.valueFrom.fieldRef && variable.valueFrom.fieldRef.fieldPath;
          if (fieldPath !== POD_FIELDS[name]) {
            problem(entry, `${where}: ${name} must come from the downward API (fieldRef ${POD_FIELDS[name]})`);
          }
        } else if (!name.startsWith('PULSE_') || !documented(name)) {
          problem(entry, `${where}: ${name} is not a PULSE_* variable documented in ${SETTING_DOCS.join(', ')}`);
        }
        if (SECRET_LIKE.test(name) && /_FILE$/.test(name) && typeof variable.value === 'string') {
          // A *_FILE variable holds a path, not the secret: the file must come from a Secret volume.
          if (!secretMounted(template, container, variable.value)) {
            problem(entry, `${where}: ${name} names ${variable.value}, which is not in a volume mounted from a Secret`);
          }
        } else if (SECRET_LIKE.test(name) && !(variable.valueFrom && variable.valueFrom.secretKeyRef)) {
          problem(entry, `${where}: ${name} holds a secret: take it from a Secret (secretKeyRef), never a value`);
        }
        if (variable.valueFrom && variable.valueFrom.secretKeyRef) {
          const ref = variable.valueFrom.secretKeyRef;
          const documentedSecret = example.find((s) => s.metadata.name === ref.name);
          if (!documentedSecret || !(ref.key in (documentedSecret.stringData || {}))) {
            problem(entry, `${where}: ${name} reads Secret ${ref.name} key ${ref.key}, which secret.example.yaml `
              + 'does not show');
          }
        }
        if (typeof variable.value === 'string') {
          for (const ref of variable.value.matchAll(/\$\((\w+)\)/g)) {
            if (!env.slice(0, index).some((earlier) => earlier.name === ref[1])) {
              problem(entry, `${where}: ${name} refers to $(${ref[1]}), which is not declared before it`);
            }
          }
          values.set(name, variable.value);
        }
      });
      for (const source of container.envFrom || []) {
        const ref = source.configMapRef;
        const configMap = ref && configMaps.get(ref.name);
        if (!configMap) {
          problem(entry, `${where}: envFrom must name a ConfigMap of this kustomization`);
          continue;
        }
        for (const [name, value] of Object.entries(configMap.doc.data || {})) {
          if (!name.startsWith('PULSE_') || !documented(name)) {
            problem(configMap, `${name} is not a PULSE_* variable documented in ${SETTING_DOCS.join(', ')}`);
          }
          if (!values.has(name)) {
            values.set(name, value);
          }
        }
      }

      // Ports: the one the app is told to use is the container's http port, which the probes use.
      const httpPort = (container.ports || []).find((p) => p.name === 'http');
      if (!httpPort) {
        problem(entry, `${where}: needs a container port named http`);
      } else if (values.get(role.portVariable) !== String(httpPort.containerPort)) {
        problem(entry, `${where}: ${role.portVariable} (${values.get(role.portVariable)}) must equal the http `
          + `containerPort ${httpPort.containerPort}`);
      }
      const hostVariables = [...role.hostVariables];
      if (role.name === 'streams') {
        // Should the Streams server gain a bind address setting, it must be opened up here too.
        for (const m of configurationDoc.matchAll(/`(PULSE_HTTP_(?:BIND_)?(?:HOST|ADDRESS|INTERFACE))`/g)) {
          hostVariables.push(m[1]);
        }
      }
      for (const variable of hostVariables) {
        if (values.get(variable) !== '0.0.0.0') {
          problem(entry, `${where}: ${variable} must be 0.0.0.0 (Services reach the pod's address, not localhost)`);
        }
      }
      const served = routes(read(repo, role.http));
      servedPaths.set(entry, served);
      const probes = [['livenessProbe', '/health'], ['readinessProbe', '/ready']];
      if (container.startupProbe) {
        probes.push(['startupProbe', '/health']);
      }
      for (const [probeName, expected] of probes) {
        const probe = container[probeName];
        const get = probe && probe.httpGet;
        if (!get) {
          problem(entry, `${where}: needs an HTTP ${probeName}`);
          continue;
        }
        if (get.path !== expected) {
          problem(entry, `${where}: ${probeName} must GET ${expected}, not ${get.path}`);
        }
        if (!served.has(get.path)) {
          problem(entry, `${where}: ${probeName} path ${get.path} is not a route of ${role.http} `
            + `(${[...served].join(', ')})`);
        }
        if (get.port !== 'http' && (!httpPort || get.port !== httpPort.containerPort)) {
          problem(entry, `${where}: ${probeName} must use the http port, not ${get.port}`);
        }
      }

      if (role.name === 'streams') {
        checkStreams(entry, container, values, services, problem, repo);
      }
    }
  }

  for (const entry of services) {
    const selected = workloads.filter((w) => matches(entry.doc.spec.selector, podTemplate(w.doc).metadata.labels));
    if (selected.length !== 1) {
      problem(entry, `selector must select exactly one workload's pods, selects ${selected.length}`);
      continue;
    }
    const ports = podTemplate(selected[0].doc).spec.containers.flatMap((c) => c.ports || []);
    for (const port of entry.doc.spec.ports || []) {
      const target = port.targetPort === undefined ? port.port : port.targetPort;
      if (!ports.some((p) => p.name === target || p.containerPort === target)) {
        problem(entry, `port ${port.name} targets ${target}, which no container of ${describe(selected[0])} has`);
      }
    }
  }

  for (const entry of entries.filter((e) => e.doc.kind === 'PodDisruptionBudget')) {
    const selected = workloads.filter((w) => matches(entry.doc.spec.selector.matchLabels,
      podTemplate(w.doc).metadata.labels));
    if (selected.length !== 1) {
      problem(entry, `selector must select exactly one workload's pods, selects ${selected.length}`);
    } else if ((selected[0].doc.spec.replicas || 1) < 2) {
      problem(entry, `${describe(selected[0])} needs at least 2 replicas for this budget to let a drain proceed`);
    }
  }

  // Scrape targets: the job label is the Service's name, which the alert rules select on.
  const scraped = new Set();
  for (const entry of entries.filter((e) => e.doc.kind === 'ServiceMonitor')) {
    const selected = services.filter((s) => matches(entry.doc.spec.selector.matchLabels, s.doc.metadata.labels));
    if (selected.length !== 1) {
      problem(entry, `selector must select exactly one Service (a second would scrape every pod twice), `
        + `selects ${selected.map((s) => s.doc.metadata.name).join(', ') || 'none'}`);
      continue;
    }
    const service = selected[0];
    scraped.add(service.doc.metadata.name);
    const workload = workloads.find((w) => matches(service.doc.spec.selector, podTemplate(w.doc).metadata.labels));
    for (const endpoint of entry.doc.spec.endpoints) {
      if (!(service.doc.spec.ports || []).some((p) => p.name === endpoint.port)) {
        problem(entry, `endpoint port ${endpoint.port} is not a named port of Service ${service.doc.metadata.name}`);
      }
      const served = workload && servedPaths.get(workload);
      if (served && !served.has(endpoint.path || '/metrics')) {
        problem(entry, `endpoint path ${endpoint.path} is not served by ${describe(workload)}`);
      }
    }
  }
  const alertRules = read(repo, 'deploy/prometheus/alerts.yml');
  for (const job of new Set([...alertRules.matchAll(/job="([^"]+)"/g)].map((m) => m[1]))) {
    if (!scraped.has(job)) {
      problems.push(`deploy/prometheus/alerts.yml selects job="${job}", but no ServiceMonitor scrapes a Service `
        + `of that name`);
    }
  }
  return problems;
}

/** The Streams-specific rules: standby replicas, state on per-pod volumes, application.server, shutdown. */
function checkStreams(entry, container, values, services, problem, repo) {
  const where = `container ${container.name}`;
  const spec = entry.doc.spec;
  if (entry.doc.kind !== 'StatefulSet') {
    problem(entry, 'the Streams application must be a StatefulSet (stable names and per-pod state volumes)');
    return;
  }
  const standby = Number(values.get('PULSE_NUM_STANDBY_REPLICAS'));
  if (!(standby >= 1)) {
    problem(entry, `${where}: PULSE_NUM_STANDBY_REPLICAS must be at least 1, is ${values.get('PULSE_NUM_STANDBY_REPLICAS')}`);
  } else if ((spec.replicas || 1) < standby + 1) {
    problem(entry, `replicas (${spec.replicas}) must be more than the standby replicas (${standby})`);
  }
  const stateDir = values.get('PULSE_STATE_DIR');
  const claims = (spec.volumeClaimTemplates || []).map((c) => c.metadata.name);
  const stateMount = (container.volumeMounts || []).find((m) => stateDir
    && (stateDir === m.mountPath || stateDir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)));
  if (!stateDir || !stateMount || !claims.includes(stateMount.name)) {
    problem(entry, `${where}: PULSE_STATE_DIR (${stateDir}) must lie on a volume of volumeClaimTemplates`);
  }

  // application.server: this pod's stable DNS name under the StatefulSet's headless Service, and the HTTP port.
  const headless = services.find((s) => s.doc.metadata.name === spec.serviceName);
  if (!headless || headless.doc.spec.clusterIP !== 'None'
      || !matches(headless.doc.spec.selector, spec.template.metadata.labels)) {
    problem(entry, `serviceName ${spec.serviceName} must be a headless Service (clusterIP: None) selecting these pods`);
  } else if (headless.doc.spec.publishNotReadyAddresses !== true) {
    problem(headless, 'publishNotReadyAddresses must be true: rebalancing instances stay reachable and scraped');
  }
  const podHost = `$(POD_NAME).${spec.serviceName}.$(POD_NAMESPACE).svc.cluster.local`;
  const advertisedHost = values.get('PULSE_HTTP_ADVERTISED_HOST');
  const applicationServer = values.get('PULSE_STREAMS_APPLICATION_SERVER');
  if (applicationServer !== undefined) {
    if (applicationServer !== `${podHost}:${values.get('PULSE_HTTP_PORT')}`) {
      problem(entry, `${where}: PULSE_STREAMS_APPLICATION_SERVER must be ${podHost}:<PULSE_HTTP_PORT>`);
    }
  } else if (advertisedHost !== podHost) {
    problem(entry, `${where}: PULSE_HTTP_ADVERTISED_HOST must be ${podHost} (application.server is it and `
      + `the HTTP port), is ${advertisedHost}`);
  }

  // Shutdown: Kafka Streams' close, and `pulse streams` waiting for it, must end before the kill.
  const closeTimeout = durationSeconds(read(repo,
    'streams/src/main/java/org/communitypulse/streams/PulseStreamsApp.java'), 'CLOSE_TIMEOUT');
  const shutdownWait = durationSeconds(read(repo, 'cli/src/main/java/org/communitypulse/cli/StreamsCommand.java'),
    'SHUTDOWN_WAIT');
  if (closeTimeout === null || shutdownWait === null) {
    problem(entry, 'cannot find CLOSE_TIMEOUT in PulseStreamsApp or SHUTDOWN_WAIT in StreamsCommand');
  } else if (!(spec.template.spec.terminationGracePeriodSeconds > Math.max(closeTimeout, shutdownWait))) {
    problem(entry, `terminationGracePeriodSeconds (${spec.template.spec.terminationGracePeriodSeconds}) must exceed `
      + `the close timeout (${closeTimeout} s) and the shutdown wait (${shutdownWait} s)`);
  }
}

/** The image docker-compose.yml gives `pulse` services, with its default tag: community-pulse:dev. */
function composeDefaultImage(compose) {
  const m = compose.match(/image:\s*(community-pulse):\$\{PULSE_IMAGE_TAG:-([^}]+)\}/);
  return m ? `${m[1]}:${m[2]}` : null;
}

module.exports = { checkInvariants, routes, REPO };
