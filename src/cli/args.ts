/** Parsed command line: `lab <verb> [positionals] [--json] [--record <file>] [--keep] [--force]`. */
export interface CliArgs {
  verb: string | undefined;
  positionals: string[];
  json: boolean;
  record?: string;
  /** Folder holding the labs; default the repository's labs/. */
  labsDir?: string;
  keep: boolean;
  /** up/run/prove: rebuild a lab that is already up. */
  force: boolean;
  verbose: boolean;
  help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { verb: undefined, positionals: [], json: false, keep: false, force: false, verbose: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') args.json = true;
    else if (arg === '--keep') args.keep = true;
    else if (arg === '--force') args.force = true;
    else if (arg === '--verbose' || arg === '-v') args.verbose = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--record' || arg.startsWith('--record=')) {
      const file = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!file) throw new UsageError('--record needs a file name, e.g. --record run.cast');
      args.record = file;
    } else if (arg === '--labs-dir' || arg.startsWith('--labs-dir=')) {
      const dir = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!dir) throw new UsageError('--labs-dir needs a folder');
      args.labsDir = dir;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (args.verb === undefined) args.verb = arg;
    else args.positionals.push(arg);
  }
  return args;
}
