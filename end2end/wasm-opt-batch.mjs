// Optimises wasm files in place as `wasm-opt -Oz --enable-bulk-memory
// --enable-nontrapping-float-to-int` does (what cargo-leptos runs on each file of a release
// build), with Binaryen's library loaded once for all of them. A split bundle has hundreds of
// small files, and Binaryen's JavaScript build pays about a second to start each time it runs.
//
//   node wasm-opt-batch.mjs FILE...
import binaryen from 'binaryen';
import { readFileSync, writeFileSync } from 'node:fs';

// -Oz: the default optimisation passes, optimising for size.
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);
// As wasm-opt does when it optimises: the binary is written through an optimised Stack IR.
binaryen.setGenerateStackIR(true);
binaryen.setOptimizeStackIR(true);
// The features wasm-opt enables by default, with the two cargo-leptos adds; like wasm-opt, the
// features a file's target_features section names are kept too.
const features = binaryen.Features.MutableGlobals | binaryen.Features.SignExt
  | binaryen.Features.BulkMemory | binaryen.Features.NontrappingFPToInt;

for (const file of process.argv.slice(2)) {
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(module.getFeatures() | features);
  module.optimize();
  if (!module.validate()) throw new Error(`${file}: the optimised module does not validate`);
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
