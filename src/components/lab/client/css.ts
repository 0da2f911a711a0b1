/** Adds a stylesheet once. CSS is imported with `?url` (see shared/facts/stack.md: a plain CSS import from a dynamic chunk is never written to dist). */
const added = new Set<string>();

export function addStylesheet(href: string): Promise<void> {
  if (added.has(href)) return Promise.resolve();
  added.add(href);
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = link.onerror = () => resolve();
    document.head.append(link);
  });
}
