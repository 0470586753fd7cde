'use strict';
// Resident memory (RSS) of service processes while a scenario runs (Linux /proc; "n/a" elsewhere):
// VmRSS read every 100 ms, and the kernel's own high-water mark VmHWM, reset when a process starts
// being watched (writing 5 to /proc/<pid>/clear_refs), so that a peak between two samples is not
// missed. Sizes are in bytes; reported in MB (10^6 bytes, as the targets are written).
const { readFileSync, writeFileSync } = require('node:fs');

const SAMPLE_MS = 100;

/** {rss, hwm} in bytes from /proc/<pid>/status, or null (the process exited, or not Linux). */
function readMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => {
      const m = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) * 1024 : null;
    };
    const rss = kib('VmRSS');
    return rss === null ? null : { rss, hwm: kib('VmHWM') };
  } catch {
    return null;
  }
}

/** Resets the process's VmHWM to its current RSS; false when the kernel does not let us. */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts sampling. watch(label, pid) adds a process (from now on); mark() returns a function that
 * gives, per label, the sampled peak and last value since the mark (for one phase of a scenario);
 * stop() takes a last sample and returns, per process watched, {label, pid, samples, peak, last,
 * sampledPeak, hwm}: peak is the larger of the sampled peak and the high-water mark since watch()
 * (when it could be reset), last the RSS at the end (for a process stopped before, its last sample).
 */
function startRssSampler({ intervalMs = SAMPLE_MS } = {}) {
  const watched = [];
  const sampleOne = (w) => {
    const m = readMemory(w.pid);
    if (!m) {
      w.exited = true;
      return;
    }
    w.samples.push(m.rss);
    w.last = m.rss;
    if (w.peakResettable && m.hwm !== null) w.hwm = m.hwm;
  };
  const sampleAll = () => watched.filter((w) => !w.exited).forEach((w) => sampleOne(w));
  const highest = (samples) => (samples.length ? samples.reduce((a, b) => Math.max(a, b), 0) : null);
  const timer = setInterval(sampleAll, intervalMs);
  timer.unref();
  return {
    watch(label, pid) {
      const w = { label, pid, samples: [], last: null, hwm: null, exited: false, peakResettable: resetPeak(pid) };
      watched.push(w);
      sampleOne(w);
    },
    /** A sample now (e.g. just before a process is stopped, so that its value at the end is taken). */
    sample: sampleAll,
    mark() {
      const from = new Map(watched.map((w) => [w, w.samples.length]));
      return () =>
        Object.fromEntries(
          watched.map((w) => {
            const samples = w.samples.slice(from.get(w) ?? 0);
            return [w.label, { samples: samples.length, peak: highest(samples), last: samples.length ? samples[samples.length - 1] : null }];
          }),
        );
    },
    stop() {
      clearInterval(timer);
      sampleAll();
      return watched.map((w) => {
        const sampledPeak = highest(w.samples);
        const peak = sampledPeak === null ? null : Math.max(sampledPeak, w.hwm ?? 0);
        return { label: w.label, pid: w.pid, samples: w.samples.length, peak, last: w.last, sampledPeak, hwm: w.hwm };
      });
    },
  };
}

/** Bytes as "123.4 MB" (10^6 bytes), or "n/a". */
function mb(bytes) {
  return bytes === null || bytes === undefined ? 'n/a' : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** One process's figures for a report line: peak, how it was measured, and the value at the end. */
function describeMemory(m) {
  if (m.peak === null) return 'n/a (no /proc/<pid>/status)';
  const how = m.hwm !== null ? `kernel high-water mark; sampled peak ${mb(m.sampledPeak)}` : 'sampled peak';
  return `peak ${mb(m.peak)} (${how}, ${m.samples} samples every ${SAMPLE_MS} ms), at the end ${mb(m.last)}`;
}

/** A target "peak RSS < limit" for one process watched over a scenario. */
function rssTarget(m, limitBytes) {
  return {
    name: `peak RSS (${m.label})`,
    value: mb(m.peak),
    target: `< ${mb(limitBytes).replace('.0 ', ' ')}`,
    pass: m.peak !== null && m.peak < limitBytes,
  };
}

module.exports = { readMemory, startRssSampler, mb, describeMemory, rssTarget, SAMPLE_MS };
