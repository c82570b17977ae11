// Child process for the crash-safety test: appends a known sequence to a run store and reports on
// stdout, after each append returns, how many lines it has written. The parent SIGKILLs it.
import { openStore } from '../../src/io/store.js';
import { expectedPoint } from './append-sequence.js';

const [dir, id] = process.argv.slice(2) as [string, string];
const writer = openStore(dir).begin({ id, family: 'crash-test', N: 1000 });
for (let i = 0; ; i++) {
  writer.append(expectedPoint(i));
  process.stdout.write(`${i + 1}\n`);
}
