// Reads a PDF on standard input and writes, as JSON, its page size and text, page by page, as
// pdfjs-dist (Mozilla's parser, independent of the library that wrote it) extracts them. A script of
// its own because pdfjs-dist is an ES module that Jest's CommonJS runtime cannot load.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pdf = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), useSystemFonts: false, verbosity: 0 }).promise;
const pages = [];
for (let number = 1; number <= pdf.numPages; number++) {
  const page = await pdf.getPage(number);
  const [, , width, height] = page.view;
  const content = await page.getTextContent();
  // One entry per text run: each cell of the sheet is written as one run.
  const lines = content.items.filter((item) => 'str' in item && item.str.trim() !== '').map((item) => item.str);
  pages.push({ width, height, lines });
}
const { info } = await pdf.getMetadata();
process.stdout.write(
  JSON.stringify({ pages, title: info?.Title ?? null, author: info?.Author ?? null, subject: info?.Subject ?? null, language: info?.Language ?? null }),
);
