/**
 * Events the lab engine emits while it works. Every front end (CLI, lab server, recorder) renders
 * these and nothing else, so the engine never needs to know who is watching.
 * Plain data, JSON-serialisable: the lab server forwards them over its WebSocket as they are.
 */

export type StepStatus = 'running' | 'passed' | 'failed' | 'done' | 'canceled' | 'timed-out' | 'error';

export type LabPhase = 'prerequisites' | 'setup' | 'steps' | 'solution' | 'teardown';

export type LabEvent =
  /** A phase of a lab run begins (up = prerequisites + setup, run = up + steps, down = teardown). */
  | { type: 'phase'; lab: string; phase: LabPhase }
  /** A command starts; `step` is the step id, or e.g. `setup.0` / `teardown.1` for lab commands. */
  | { type: 'start'; lab: string; step: string; title: string; command: string; target: string; attempt: number }
  /** A chunk of a command's output, in order, as it arrives. */
  | { type: 'output'; lab: string; step: string; stream: 'stdout' | 'stderr'; data: string }
  /** A command or step finished. `hint` is set when a check failed; `reason` says why in one line. */
  | {
      type: 'end';
      lab: string;
      step: string;
      status: StepStatus;
      exitCode: number | null;
      durationMs: number;
      reason?: string;
      hint?: string;
    }
  /** A whole lab operation finished: counts of checks that passed and failed. */
  | { type: 'summary'; lab: string; passed: number; failed: number; durationMs: number };

export type LabEventListener = (event: LabEvent) => void;
