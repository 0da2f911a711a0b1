/** Small DOM helpers and the pass/fail marks the live client shows. */
import type { StepStatus } from '../../../lab/events.ts';

/** The mark and word for each final status a step can end in. */
export const MARKS: Partial<Record<StepStatus, [string, string]>> = {
  passed: ['✓', 'passed'],
  done: ['✓', 'done'],
  failed: ['✗', 'failed'],
  'timed-out': ['✗', 'timed out'],
  error: ['✗', 'error'],
  canceled: ['–', 'canceled'],
};

export function button(text: string, action: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'klab-btn';
  b.dataset.action = action;
  b.textContent = text;
  return b;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}
