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
  /** trace: where the probe starts, where it goes, how, and a file for the raw trace. */
  from?: string;
  to?: string;
  proto?: string;
  raw?: string;
}

/** Options that take a value (`--from pod-a` or `--from=pod-a`), and what the value is for. */
const VALUED: Record<string, { key: 'record' | 'labsDir' | 'from' | 'to' | 'proto' | 'raw'; what: string }> = {
  '--record': { key: 'record', what: 'a file name, e.g. --record run.cast' },
  '--labs-dir': { key: 'labsDir', what: 'a folder' },
  '--from': { key: 'from', what: 'a namespace of the lab, e.g. --from pod-a' },
  '--to': { key: 'to', what: 'an address[:port], e.g. --to 10.96.0.10:80' },
  '--proto': { key: 'proto', what: 'tcp, udp or icmp' },
  '--raw': { key: 'raw', what: 'a file name for the raw trace' },
};

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
    else if (VALUED[arg.split('=')[0]!]) {
      const name = arg.split('=')[0]!;
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!value || value.startsWith('--')) throw new UsageError(`${name} needs ${VALUED[name]!.what}`);
      args[VALUED[name]!.key] = value;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (args.verb === undefined) args.verb = arg;
    else args.positionals.push(arg);
  }
  return args;
}
