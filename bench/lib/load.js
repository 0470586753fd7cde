'use strict';
// A closed-loop load generator: `concurrency` clients, each sending its next request as soon as the
// previous one answered, over keep-alive HTTP/1.1 connections, until `total` requests were sent.
const http = require('node:http');
const { performance } = require('node:perf_hooks');

/**
 * Each URL parsed once: http.request parses a URL string on every call, about a fifth of the load
 * generator's CPU per request at ten thousand requests a second — CPU the service shares here.
 */
const targets = new Map();
function target(url) {
  let parsed = targets.get(url);
  if (!parsed) {
    const { hostname, port, pathname, search } = new URL(url);
    parsed = { hostname, port: Number(port) || 80, path: pathname + search };
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
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(total);
  const errors = [];
  let next = 0;
  const started = performance.now();
  async function client() {
    for (let i = next++; i < total; i = next++) {
      const { url, expect = 200, ...options } = make(i);
      const t0 = performance.now();
      try {
        const res = await request(agent, url, options);
        latencies[i] = performance.now() - t0;
        if (res.status !== expect) errors.push({ i, status: res.status, body: String(res.body.slice(0, 300)) });
        if (onResponse) onResponse(i, res);
      } catch (error) {
        latencies[i] = performance.now() - t0;
        errors.push({ i, status: 'network', body: String(error && error.message) });
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { total, elapsedMs, rate: (total * 1000) / elapsedMs, latencies, latency: summarise(latencies), errors };
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

module.exports = { request, runLoad, percentile, summarise };
