// Renders Vega-Lite specifications to SVG strings, off the service's event loop. An ES module of its
// own, run in a worker thread: vega 6 and vega-lite 6 are ES modules with a top-level await (vega-canvas
// looks for the optional `canvas` package), which neither the service's CommonJS build nor Jest's
// runtime can require(); a worker imports them natively. No canvas: the `none` renderer estimates
// text widths, and the SVG names a generic font family.
import { parentPort } from 'node:worker_threads';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';

parentPort.on('message', async ({ id, specs }) => {
  try {
    const svgs = [];
    for (const spec of specs) {
      const view = new View(parse(compile(spec).spec), { renderer: 'none', logLevel: 0 });
      svgs.push(await view.toSVG());
      view.finalize();
    }
    parentPort.postMessage({ id, svgs });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
