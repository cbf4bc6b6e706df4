// Lints the Dockerfile: node .ci/lint-dockerfile.cjs Dockerfile src/SocketHub.Server/appsettings.json
// (NODE_PATH points at the node_modules .ci/run installed dockerfile-utils into).
//
// 1. dockerfile-utils' validator (the one behind VS Code's Dockerfile support): unknown
//    instructions and flags, bad durations, JSON-form mistakes, relative WORKDIR, ...; every
//    finding, warnings included, fails.
// 2. What the container must keep doing for SocketHub, checked on the parsed final stage: it runs
//    as a non-root user, exposes every port appsettings.json configures, declares the /data
//    volume, has an exec-form HEALTHCHECK that needs no curl/wget, and an exec-form ENTRYPOINT
//    (a shell in front would swallow docker stop's SIGTERM).
'use strict';

const fs = require('node:fs');
const { validate, ValidationSeverity } = require('dockerfile-utils');
const { DockerfileParser } = require('dockerfile-ast');

const [dockerfilePath, appsettingsPath] = process.argv.slice(2);
if (!dockerfilePath || !appsettingsPath) {
  console.error('usage: node lint-dockerfile.cjs <Dockerfile> <appsettings.json>');
  process.exit(2);
}

const text = fs.readFileSync(dockerfilePath, 'utf8');
const problems = [];
const report = (line, message) => problems.push(`${dockerfilePath}:${line}: ${message}`);

const strict = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};
for (const d of validate(text, strict)) {
  report(d.range.start.line + 1, d.message);
}

const dockerfile = DockerfileParser.parse(text);
const froms = dockerfile.getFROMs();
if (froms.length < 2) {
  report(1, 'expected a multi-stage build (an SDK stage that builds, a runtime stage that runs)');
}

// The final stage: instructions after the last FROM.
const lastFrom = froms.length > 0 ? froms[froms.length - 1].getRange().start.line : -1;
const final = dockerfile.getInstructions().filter(i => i.getRange().start.line >= lastFrom);
const lineOf = i => i.getRange().start.line + 1;
const ofKind = keyword => final.filter(i => i.getKeyword() === keyword);
const isExecForm = i => (i.getArgumentsContent() ?? '').trim().startsWith('[');

const users = ofKind('USER');
const user = users.length > 0 ? users[users.length - 1].getArgumentsContent().trim() : null;
if (user === null) {
  report(lastFrom + 1, 'the final stage has no USER: the server would run as root');
} else if (/^(root|0)(:.*)?$/.test(user)) {
  report(lineOf(users[users.length - 1]), `the final stage runs as ${user}; use a non-root user`);
}

const exposed = new Set(
  ofKind('EXPOSE').flatMap(i => i.getArguments().map(a => a.getValue().replace(/\/tcp$/, ''))));
const settings = JSON.parse(fs.readFileSync(appsettingsPath, 'utf8'));
const ports = [];
(function collect(node, path) {
  for (const [key, value] of Object.entries(node ?? {})) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      collect(value, `${path}${key}:`);
    } else if (/Port$/.test(key) && typeof value === 'number') {
      ports.push([`${path}${key}`, String(value)]);
    }
  }
})(settings, '');
if (ports.length === 0) {
  report(1, `found no *Port settings in ${appsettingsPath}`);
}
// Each listener's TLS twin, as the server derives it (ListenSettings.EffectiveTls): its own
// *TlsPort when set (0: none), else 8443 for the ops port and the plain port + 10000 for the others.
const setting = key => key.split(':').reduce((node, part) => node?.[part], settings);
for (const [key, port] of ports.filter(([key]) => !/TlsPort$/.test(key))) {
  const tlsKey = key.replace(/Port$/, 'TlsPort');
  const configured = setting(tlsKey);
  if (configured === 0) {
    continue;
  }
  const tls = typeof configured === 'number' ? configured : key === 'Ops:Port' ? 8443 : Number(port) + 10000;
  if (!ports.some(([k]) => k === tlsKey)) {
    ports.push([`${tlsKey} (derived)`, String(tls)]);
  }
}
for (const [key, port] of ports) {
  if (!exposed.has(port)) {
    report(lastFrom + 1, `port ${port} (${key} in ${appsettingsPath}) is not in an EXPOSE line`);
  }
}

if (!ofKind('VOLUME').some(i => i.getArguments().some(a => a.getValue().replace(/[[\]",]/g, '') === '/data'))) {
  report(lastFrom + 1, 'the final stage declares no VOLUME /data');
}

const healthchecks = ofKind('HEALTHCHECK');
if (healthchecks.length === 0) {
  report(lastFrom + 1, 'the final stage has no HEALTHCHECK');
}
for (const h of healthchecks) {
  const sub = h.getSubcommand();
  const rest = h.getArgumentsContent() ?? '';
  if (!sub || sub.getValue().toUpperCase() !== 'CMD') {
    report(lineOf(h), 'HEALTHCHECK must run a command (HEALTHCHECK [flags] CMD [...])');
  } else if (!/CMD\s*\[/.test(rest)) {
    report(lineOf(h), 'HEALTHCHECK CMD must use the exec form (JSON array): the runtime image needs no shell for it');
  }
  if (/\b(curl|wget)\b/.test(rest)) {
    report(lineOf(h), 'HEALTHCHECK uses curl/wget, which the ASP.NET Core runtime image does not have');
  }
}

const entrypoints = ofKind('ENTRYPOINT');
if (entrypoints.length === 0) {
  report(lastFrom + 1, 'the final stage has no ENTRYPOINT');
} else if (!isExecForm(entrypoints[entrypoints.length - 1])) {
  report(lineOf(entrypoints[entrypoints.length - 1]),
    'ENTRYPOINT must use the exec form, so the server is PID 1 and receives SIGTERM');
}

const signals = ofKind('STOPSIGNAL');
if (signals.length > 0 && !/^(SIGTERM|TERM|15)$/.test(signals[signals.length - 1].getArgumentsContent().trim())) {
  report(lineOf(signals[signals.length - 1]), 'STOPSIGNAL must be SIGTERM: that is what the server handles');
}

if (problems.length > 0) {
  for (const p of problems) {
    console.error(p);
  }
  console.error(`${dockerfilePath}: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`${dockerfilePath}: ok (dockerfile-utils validation; non-root USER; EXPOSE ${ports.map(p => p[1]).join(' ')}; VOLUME /data; exec-form HEALTHCHECK and ENTRYPOINT)`);
