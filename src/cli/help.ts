export const HELP = `Usage: npm run lab -- <verb> [lab id] [options]

Verbs:
  list [--json]            the labs (JSON: id, title, chapter, backend, steps)
  status [id…]             what is up in this checkout, with its daemons
  doctor <id>              check prerequisites, with install hints for this system
  up <id> [--force]        create the lab's environment, run its setup, start its daemons
                           (a lab that is up is kept; --force rebuilds it, losing your changes)
  verify <id>              run every check against the lab as it is now
  run <id> [--keep]        up, every step (exercises solved), summary, down (unless --keep)
  down <id>                stop daemons, teardown, then remove everything the lab created
  shell <id> [target]      an interactive shell in the lab (target: host, a node or a pod)
  step <id> <step>         run one step of a lab that is up
  solve <id> <step>        apply an exercise's hidden solution
  logs <id> [daemon]       the end of each daemon's log
  trace <id> <walk>        follow one of the lab's walks through a sandbox lab that is up
  trace <id> --from <ns> --to <address[:port]> [--proto tcp|udp|icmp]
                           follow any packet and its reply: every hop, chain, rule, rewrite and
                           route, from the kernel's own trace (nft monitor trace)
  validate [id…]           check lab definitions and labs/versions.yaml without running them
  prove <id>               show every check can fail: each break makes it fail, each exercise
                           fails before its solution; then it passes again
  schema                   write labs/schema.json from the engine's schema
  help                     this text

Options:
  --json                   events as JSON lines on stdout (for scripts)
  --record <file>          write an asciicast v2 recording of the run
  --verbose, -v            show every command's output as it arrives
  --keep                   run: leave the lab up at the end
  --force                  up/run/prove: rebuild a lab that is already up
  --labs-dir <dir>         read labs from another folder (tests, drafts)
  --raw <file>             trace: also save the raw trace (the walk is rebuilt from it)

Exit status: 0 when everything passed, 1 when a check or command failed, 2 for usage errors,
130 when interrupted. Lab format: labs/README.md`;
