// The umap benchmark's reference: umap-js (npm) on the same unit-normalised vectors as ours.
// usage: node umap-js-run.cjs UMAP_JS_DIR INPUT OUTPUT EPOCHS NEIGHBOURS MIN_DIST SEED
//   UMAP_JS_DIR: a folder whose node_modules holds umap-js (the benchmark installs it there on demand)
//   INPUT:  int32 n, int32 d, then n*d float32, little-endian, row-major
//   OUTPUT: n*2 float32, little-endian, row-major
// Prints one JSON line: umap-js version and the seconds spent in initializeFit (kNN, fuzzy set, random init) and
// in the epochs, measured inside this process (reading the input and starting node are not counted).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [umapDir, input, output, epochs, neighbours, minDist, seed] = process.argv.slice(2);
const requireThere = createRequire(path.join(path.resolve(umapDir), 'package.json'));
const { UMAP } = requireThere('umap-js');
const version = requireThere('umap-js/package.json').version;

const bytes = fs.readFileSync(input);
const header = new Int32Array(bytes.buffer, bytes.byteOffset, 2);
const n = header[0];
const d = header[1];
const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 8, bytes.byteOffset + 8 + (n * d * 4)));
// umap-js takes plain arrays of numbers, as its README shows.
const data = new Array(n);
for (let i = 0; i < n; i++) {
  data[i] = Array.from(flat.subarray(i * d, (i + 1) * d));
}

// mulberry32: a seeded uniform [0, 1) stream, so a seed gives the same umap-js run.
let state = Number(seed) >>> 0;
function random() {
  state = (state + 0x6D2B79F5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const umap = new UMAP({ nComponents: 2, nEpochs: Number(epochs), nNeighbors: Number(neighbours), minDist: Number(minDist), random });
const start = process.hrtime.bigint();
const total = umap.initializeFit(data);
const fitted = process.hrtime.bigint();
for (let epoch = 0; epoch < total; epoch++) {
  umap.step();
}
const done = process.hrtime.bigint();
const embedding = umap.getEmbedding();
const result = new Float32Array(n * 2);
for (let i = 0; i < n; i++) {
  result[2 * i] = embedding[i][0];
  result[(2 * i) + 1] = embedding[i][1];
}
fs.writeFileSync(output, Buffer.from(result.buffer));
const seconds = (from, to) => Number(to - from) / 1e9;
console.log(JSON.stringify({ version, epochs: total, initializeFit: seconds(start, fitted), layout: seconds(fitted, done), total: seconds(start, done) }));
