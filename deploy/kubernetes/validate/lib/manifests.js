'use strict';
// Reads deploy/kubernetes as `kubectl apply -k` would: the resources its kustomization.yaml lists.
// The kustomization may only list resources (no patches, generators or transformers), so the files as
// they are are what is applied, and what the other checks look at.
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const KUSTOMIZATION_KEYS = new Set(['apiVersion', 'kind', 'resources']);

/** Every YAML document of a file, each as {file, index, doc}; a YAML syntax error throws with the file name. */
function loadFile(file) {
  const documents = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { prettyErrors: true });
  return documents
    .map((document, index) => {
      if (document.errors.length > 0) {
        throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
      }
      return { file, index, doc: document.toJS() };
    })
    .filter((entry) => entry.doc !== null && entry.doc !== undefined);
}

/** The resources of the kustomization in {@code dir}; throws when it uses anything but `resources`. */
function loadKustomization(dir) {
  const file = path.join(dir, 'kustomization.yaml');
  const kustomization = YAML.parse(fs.readFileSync(file, 'utf8'));
  const extra = Object.keys(kustomization).filter((key) => !KUSTOMIZATION_KEYS.has(key));
  if (extra.length > 0) {
    throw new Error(`${file}: only ${[...KUSTOMIZATION_KEYS].join(', ')} are allowed here (the checks read the `
      + `files as they are); found ${extra.join(', ')}: put them in an overlay`);
  }
  if (kustomization.kind !== 'Kustomization') {
    throw new Error(`${file}: kind must be Kustomization`);
  }
  return kustomization.resources.flatMap((resource) => loadFile(path.join(dir, resource)));
}

/** "Kind/name (file#index)" for messages. */
function describe(entry) {
  const name = entry.doc && entry.doc.metadata ? entry.doc.metadata.name : '?';
  return `${entry.doc && entry.doc.kind}/${name} (${path.basename(entry.file)}#${entry.index})`;
}

module.exports = { loadFile, loadKustomization, describe };
