'use strict';
// Schema validation of Kubernetes objects, offline, two ways that complement each other:
// 1. kubernetes-models' validate(): JSON schemas generated from Kubernetes' OpenAPI spec (and from the
//    Prometheus Operator CRDs): types, required fields, enums, formats (int32, quantities...). Those schemas
//    do not forbid unknown fields, so
// 2. the same models' TypeScript declarations: every object is type-checked by the TypeScript compiler as
//    an object literal of its kind's interface, where any property the API does not define is an error
//    (excess property check), at any depth. A misspelt field (`livenessprobe`) or one at the wrong level
//    would otherwise be dropped silently by the API server.
const path = require('node:path');
const ts = require('typescript');
const { describe } = require('./manifests');

/** The module of the model for an apiVersion and kind, e.g. kubernetes-models/apps/v1/StatefulSet. */
function modelModule(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9.\/]+$/.test(apiVersion)
      || !/^[A-Za-z0-9]+$/.test(kind)) {
    return null;
  }
  const root = apiVersion.startsWith('monitoring.coreos.com/')
    ? '@kubernetes-models/prometheus-operator' : 'kubernetes-models';
  const name = `${root}/${apiVersion}/${kind}`;
  try {
    const model = require(name)[kind];
    return typeof model === 'function' ? { name, model } : null;
  } catch (e) {
    return null;
  }
}

/** Problems found by the JSON schemas, one string each. */
function validateJsonSchemas(entries) {
  const problems = [];
  for (const entry of entries) {
    const { apiVersion, kind } = entry.doc;
    const found = modelModule(apiVersion, kind);
    if (!found) {
      problems.push(`${describe(entry)}: no schema for apiVersion ${apiVersion} kind ${kind}`);
      continue;
    }
    try {
      new found.model(entry.doc).validate();
    } catch (e) {
      problems.push(`${describe(entry)}: ${e.message}`);
    }
  }
  return problems;
}

const VIRTUAL_FILE = path.join(__dirname, '..', '__manifests__.ts');

/** Problems found by type-checking every object against its kind's interface, one string each. */
function validateTypes(entries) {
  const problems = [];
  const lines = [];
  const owners = []; // line number (0-based) -> entry
  entries.forEach((entry, i) => {
    const found = modelModule(entry.doc.apiVersion, entry.doc.kind);
    if (!found) {
      return; // reported by validateJsonSchemas
    }
    const header = `import type { I${entry.doc.kind} as T${i} } from ${JSON.stringify(found.name)};`;
    const body = `export const m${i}: T${i} = ${JSON.stringify(entry.doc, null, 2)};`;
    for (const line of [header, ...body.split('\n')]) {
      owners.push(entry);
      lines.push(line);
    }
  });
  const source = lines.join('\n');
  const options = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (fileName, languageVersion, ...rest) => (path.resolve(fileName) === VIRTUAL_FILE
    ? ts.createSourceFile(fileName, source, languageVersion, true)
    : getSourceFile.call(host, fileName, languageVersion, ...rest));
  const fileExists = host.fileExists;
  host.fileExists = (fileName) => path.resolve(fileName) === VIRTUAL_FILE || fileExists.call(host, fileName);
  const program = ts.createProgram([VIRTUAL_FILE], options, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
    if (diagnostic.file && path.resolve(diagnostic.file.fileName) === VIRTUAL_FILE) {
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      problems.push(`${describe(owners[line])}: ${lines[line].trim()}\n  ${message}`);
    } else {
      problems.push(`type check: ${message}`);
    }
  }
  return problems;
}

/** Every schema problem of the entries; empty when all are valid. */
function validateSchemas(entries) {
  return [...validateJsonSchemas(entries), ...validateTypes(entries)];
}

module.exports = { validateSchemas, validateJsonSchemas, validateTypes, modelModule };
