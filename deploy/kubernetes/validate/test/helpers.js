'use strict';
const path = require('node:path');
const { loadKustomization } = require('../lib/manifests');

const DIR = path.resolve(__dirname, '..', '..');
const ORIGINAL = loadKustomization(DIR);

/** A deep copy of the real manifests, to break on purpose. */
function manifests() {
  return ORIGINAL.map((entry) => ({ ...entry, doc: structuredClone(entry.doc) }));
}

function find(entries, kind, name) {
  const entry = entries.find((e) => e.doc.kind === kind && (!name || e.doc.metadata.name === name));
  if (!entry) {
    throw new Error(`no ${kind} ${name || ''}`);
  }
  return entry.doc;
}

function container(entries, kind, name) {
  return find(entries, kind, name).spec.template.spec.containers[0];
}

function env(entries, kind, name, variable) {
  return container(entries, kind, name).env.find((v) => v.name === variable);
}

module.exports = { DIR, manifests, find, container, env };
