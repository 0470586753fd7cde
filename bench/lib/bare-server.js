'use strict';
// The floor of an HTTP answer on this machine: a bare node:http server, in a process of its own like
// the service, answering every request with recorded bytes (status, headers, body) and nothing else —
// no routing, no middleware, no database. Driven by the same load generator as the service, it shows
// how much of a scenario's latency the machine, Node's HTTP stack and the generator take by
// themselves. `node bare-server.js <answers.json>`: {"<If-None-Match or empty>": {status, headers,
// bodyFile}}; prints the port once listening.
const { spawn } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const path = require('node:path');

if (require.main === module) {
  const answers = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  for (const answer of Object.values(answers)) answer.body = answer.bodyFile ? readFileSync(answer.bodyFile) : undefined;
  const server = http.createServer((req, res) => {
    const answer = answers[req.headers['if-none-match'] ?? ''] ?? answers[''];
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
}

/**
 * Starts a bare server answering `answers` ({key: {status, headers, body: Buffer}}, key = the
 * request's If-None-Match or '' for any other); resolves to {baseUrl, pid, stop()}.
 */
async function startBareServer(tmpDir, answers) {
  const recorded = {};
  for (const [key, { status, headers, body }] of Object.entries(answers)) {
    const bodyFile = body ? path.join(tmpDir, `bare-${Object.keys(recorded).length}.bin`) : undefined;
    if (body) writeFileSync(bodyFile, body);
    recorded[key] = { status, headers, bodyFile };
  }
  const file = path.join(tmpDir, 'bare-answers.json');
  writeFileSync(file, JSON.stringify(recorded));
  const child = spawn(process.execPath, [__filename, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** The headers of a node:http answer worth replaying (not those the server sets itself). */
function replayable(headers) {
  const skip = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !skip.has(name)));
}

module.exports = { startBareServer, replayable };
