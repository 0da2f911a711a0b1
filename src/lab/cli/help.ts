export const HELP = `Usage: npm run lab -- <verb> [lab id] [options]

Verbs:
  list [--json]            the labs (JSON: id, title, chapter, backend, steps)
  doctor <id>              check prerequisites, with install hints
  up <id>                  create the lab's environment and run its setup
  verify <id>              run every check against the lab as it is now
  run <id> [--keep]        up, every step (exercises solved), summary, down (unless --keep)
  down <id>                teardown, then remove everything the lab created
  shell <id> [target]      an interactive shell in the lab (target: host, a node or a pod)
  step <id> <step>         run one step of a lab that is up
  solve <id> <step>        apply an exercise's hidden solution
  validate [id]            check lab definitions without running them
  prove <id>               each exercise's check fails, then passes after its solution
  schema                   write labs/schema.json from the engine's schema
  help                     this text

Options:
  --json                   events as JSON lines on stdout (for scripts)
  --record <file>          write an asciicast v2 recording of the run
  --verbose, -v            show every command's output as it arrives
  --keep                   run: leave the lab up at the end
  --labs-dir <dir>         read labs from another folder (tests, drafts)

Exit status: 0 when everything passed, 1 when a check or command failed, 2 for usage errors.
Lab format: labs/README.md`;
