/**
 * The data-* attributes of the lab components: what Lab.astro, LabStep.astro and Replay.astro
 * render, what the live client (src/components/lab/client/) and the replay script look for, and
 * what the lab server's injector (src/server/inject.ts) recognises a lab page by. One list, so the
 * page, its client and the server never disagree about a name. lab.css and guide.css select on
 * the same names literally (CSS cannot import); tests/unit/contract checks they are in this list.
 */
export const klab = {
  /** On a lab card (`lab`) or a step (`step`) section: what the component is. */
  component: 'data-klab',
  /** The lab's id, on cards and steps. */
  lab: 'data-klab-lab',
  /** The step's id, on steps. */
  step: 'data-klab-step',
  /** The step's type: demo, check or exercise. */
  type: 'data-klab-type',
  /** On a card: the places a shell can open (`host node1 pod-a`), space-separated. */
  targets: 'data-klab-targets',
  /** On a card's step list item: the step's id. */
  item: 'data-klab-item',
  /** Inside a step list item: where its pass/fail mark goes. */
  mark: 'data-klab-mark',
  /** On a step list item's link to the step. */
  link: 'data-klab-link',
  /** In a step: the box the live client fills with Run/Cancel and output. On <html>: the page is live. */
  live: 'data-klab-live',
  /** A step's or card's status line (a live region). */
  status: 'data-klab-status',
  /** A step's hint (a <details>; opened on failure). */
  hint: 'data-klab-hint',
  /** On a card: the box the live client fills with Start/Tear down/Shell. */
  controls: 'data-klab-controls',
  /** On a card: the "how to run it locally" note, hidden when the page is live. */
  offline: 'data-klab-offline',
  /** Set by the live client on a step: its last outcome (passed, failed…), for styles. */
  state: 'data-klab-state',
  /** On a recorded run's box: the recording's URL. */
  replay: 'data-klab-replay',
  /** The button that plays a recording. */
  play: 'data-klab-play',
} as const;

export type KlabAttribute = keyof typeof klab;

/** The attributes for a component's element, e.g. `{...klabData({ component: 'step', lab, step })}`. */
export function klabData(values: Partial<Record<KlabAttribute, string | number | boolean>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values) as [KlabAttribute, string | number | boolean | undefined][]) {
    if (value === undefined || value === false) continue;
    out[klab[name]] = value === true ? '' : String(value);
  }
  return out;
}

/** A CSS attribute selector: `[data-klab-lab]`, or `[data-klab-lab="id"]` with a value. */
export function klabSelector(name: KlabAttribute, value?: string): string {
  return value === undefined ? `[${klab[name]}]` : `[${klab[name]}="${escapeValue(value)}"]`;
}

function escapeValue(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

/**
 * How the server recognises a page that holds a lab component: `data-klab="` appears only in the
 * components' markup (with the `="`, selectors in inlined CSS such as `[data-klab-state=…]` do not match).
 */
export const LAB_MARKER = `${klab.component}="`;
