#!/usr/bin/env node
'use strict';
// Validates deploy/kubernetes offline: `node check.js` (after `npm ci`). Exit 0 when valid, 1 with the
// problems listed otherwise. .ci/run runs it, then the tests that prove it rejects broken manifests.
const path = require('node:path');
const { loadKustomization } = require('./lib/manifests');
const { validateSchemas } = require('./lib/schema');
const { checkInvariants } = require('./lib/invariants');

const dir = path.resolve(__dirname, '..');
try {
  const entries = loadKustomization(dir);
  const problems = [...validateSchemas(entries), ...checkInvariants(entries)];
  if (problems.length > 0) {
    console.error(`deploy/kubernetes: ${problems.length} problem(s)`);
    problems.forEach((p) => console.error(`- ${p}`));
    process.exit(1);
  }
  console.log(`deploy/kubernetes: ${entries.length} objects valid (Kubernetes and Prometheus Operator schemas, `
    + 'strict fields, project invariants)');
} catch (e) {
  console.error(`deploy/kubernetes: ${e.message}`);
  process.exit(1);
}
