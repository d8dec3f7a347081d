// Command-line options shared by the scripts: --name value pairs and bare --flags.
export function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const name = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) options[name] = true;
    else { options[name] = next; i++; }
  }
  return options;
}
