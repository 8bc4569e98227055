// Sums the outcomes of every .trx file under a folder and prints one line: "N passed, N failed[, N skipped]".
// Exits 1 when anything failed or when no test ran at all, so a broken run can never look green.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2] ?? "TestResults";
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".trx")) files.push(path);
  }
};
try { walk(root); } catch { /* no results folder: counted as nothing ran */ }

let passed = 0, failed = 0, skipped = 0;
for (const file of files) {
  const xml = readFileSync(file, "utf8");
  const counters = xml.match(/<Counters\b[^>]*>/);
  if (!counters) { failed++; continue; }
  const count = (name) => Number((counters[0].match(new RegExp(`\\b${name}="(\\d+)"`)) ?? [0, 0])[1]);
  passed += count("passed");
  failed += count("failed") + count("error") + count("timeout") + count("aborted");
  skipped += count("notExecuted");
}
console.log(`${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : ""));
process.exit(failed > 0 || passed === 0 ? 1 : 0);
