'use strict';
// A closed-loop load generator: `concurrency` clients, each sending its next request as soon as the
// previous one answered, over keep-alive HTTP/1.1 connections, until `total` requests were sent.
// The clients are undici's (Node's own fetch is built on it): one connection each, about 1.5 times
// the requests per core of node:http's client — CPU the service shares with the generator here (at
// 20,000 requests a second, node:http's client took a whole core of this two-core machine).
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { Client, Pool } = require('undici');

/**
 * Each URL parsed once: http.request parses a URL string on every call, about a fifth of the load
 * generator's CPU per request at ten thousand requests a second — CPU the service shares here.
 */
const targets = new Map();
function target(url) {
  let parsed = targets.get(url);
  if (!parsed) {
    const { hostname, port, pathname, search, origin } = new URL(url);
    parsed = { hostname, port: Number(port) || 80, path: pathname + search, origin };
    targets.set(url, parsed);
  }
  return parsed;
}

/**
 * One HTTP request; resolves to {status, headers, body} (body as text, or as a Buffer with `raw`).
 * Never rejects on an HTTP status.
 */
function request(agent, url, { method = 'GET', headers = {}, body, raw = false } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(
      {
        ...target(url),
        method,
        agent,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length, ...headers } : headers,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode, headers: res.headers, body: raw ? bytes : bytes.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Runs `total` requests with `concurrency` clients. `make(i)` returns {url, method, headers, body,
 * expect, raw} for the i-th request (0-based, each index used once); `onResponse(i, {status, headers,
 * body})`, if given, sees every answer (after its latency was taken). Returns the latencies (ms) and errors.
 */
async function runLoad({ concurrency, total, make, onResponse }) {
  const clients = new Map();
  const clientOf = (origin) => {
    let list = clients.get(origin);
    if (!list) clients.set(origin, (list = []));
    return list;
  };
  const latencies = new Float64Array(total);
  const errors = [];
  let next = 0;
  const outcome = recorder(latencies, errors, onResponse);
  const started = performance.now();
  async function loop(slot) {
    for (let i = next++; i < total; i = next++) {
      const { url, expect = 200, ...options } = make(i);
      const { origin, path } = target(url);
      const own = clientOf(origin);
      own[slot] ??= new Client(origin, { pipelining: 1, keepAliveTimeout: 60_000 });
      const t0 = performance.now();
      await send(own[slot], path, options).then(...outcome(i, t0, expect));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, slot) => loop(slot)));
  const elapsedMs = performance.now() - started;
  await Promise.all([...clients.values()].flat().map((client) => client && client.destroy()));
  return { total, elapsedMs, rate: (total * 1000) / elapsedMs, latencies, latency: summarise(latencies), errors };
}

/**
 * What becomes of request i timed from `since`: the two callbacks of its promise, taking its latency
 * and, for an unexpected status or a network error, an error; `onResponse` sees every answer.
 */
function recorder(latencies, errors, onResponse) {
  return (i, since, expect) => [
    (res) => {
      latencies[i] = performance.now() - since;
      if (res.status !== expect) errors.push({ i, status: res.status, body: String(res.body.slice(0, 300)) });
      if (onResponse) onResponse(i, res);
    },
    (error) => {
      latencies[i] = performance.now() - since;
      errors.push({ i, status: 'network', body: String(error && error.message) });
    },
  ];
}

/**
 * An open-loop load: request i is due at `i / rate` seconds from the start (evenly spaced), and is
 * sent when due whether or not earlier ones were answered, each on a connection of its own while
 * others are busy (`Pool`, up to `connections`). Its latency runs from when it was due, not from
 * when it left: a late send (the generator or the machine falling behind) counts as waiting, as it
 * does for the person asking (no coordinated omission). The first `lead` requests (indexes 0 to
 * lead − 1) are the lead-in at the same rate, checked but not timed, so that the measure starts at
 * that rate's steady state and not in the wake of whatever ran before; `latencies[k]` is request
 * lead + k. Same result as runLoad, plus `lateMs`, the largest delay between due and sent.
 */
async function runOpenLoop({ rate, total, lead = 0, make, onResponse, connections = 64 }) {
  const count = lead + total;
  const pools = new Map();
  const poolOf = (origin) => {
    let pool = pools.get(origin);
    if (!pool) pools.set(origin, (pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 })));
    return pool;
  };
  const latencies = new Float64Array(count);
  const errors = [];
  const outcome = recorder(latencies, errors, onResponse);
  const pending = [];
  let lateMs = 0;
  const started = performance.now();
  const fire = (i, due) => {
    const { url, expect = 200, ...options } = make(i);
    const { origin, path } = target(url);
    lateMs = Math.max(lateMs, performance.now() - due);
    return send(poolOf(origin), path, options).then(...outcome(i, due, expect));
  };
  for (let i = 0; i < count;) {
    const now = performance.now();
    // Every request due by now leaves now; then sleep until the next one is due.
    for (; i < count && started + (i * 1000) / rate <= now; i++) pending.push(fire(i, started + (i * 1000) / rate));
    if (i < count) await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (i * 1000) / rate - performance.now())));
  }
  await Promise.all(pending);
  const elapsedMs = performance.now() - started;
  await Promise.all([...pools.values()].map((pool) => pool.destroy()));
  const measured = latencies.subarray(lead);
  return { total, elapsedMs, rate: (count * 1000) / elapsedMs, latencies: measured, latency: summarise(measured), errors, lateMs };
}

/**
 * One request on an undici client; the same {status, headers, body} as request(). Through undici's
 * dispatch API (callbacks, no body stream per answer): about a fifth less of the generator's CPU
 * per request than `client.request`.
 */
function send(client, path, { method = 'GET', headers = {}, body, raw = false }) {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    let status;
    let responseHeaders;
    const chunks = [];
    client.dispatch(
      {
        path,
        method,
        headers: payload ? { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers } : headers,
        body: payload,
      },
      {
        onConnect() {},
        onHeaders(statusCode, rawHeaders) {
          status = statusCode;
          responseHeaders = headersOf(rawHeaders);
          return true;
        },
        onData(chunk) {
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          resolve({ status, headers: responseHeaders, body: raw ? bytes : bytes.toString('utf8') });
        },
        onError: reject,
      },
    );
  });
}

/** undici's raw headers ([name, value, name, value…] as Buffers) as node:http gives them: lower-case names, repeated set-cookie in an array. */
function headersOf(raw) {
  const headers = {};
  for (let k = 0; k < raw.length; k += 2) {
    const name = raw[k].toString('latin1').toLowerCase();
    const value = raw[k + 1].toString('latin1');
    if (name === 'set-cookie') (headers[name] ??= []).push(value);
    else headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

/** Nearest-rank percentile of an ascending-sorted array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function summarise(values) {
  const sorted = Float64Array.from(values).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

module.exports = { request, runLoad, runOpenLoop, percentile, summarise };
