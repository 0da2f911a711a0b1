/** Renders the short Markdown texts of lab.yaml (summary, explain, task, hint) to HTML at build time. */
import { createMarkdownProcessor } from '@astrojs/markdown-remark';

let processor: ReturnType<typeof createMarkdownProcessor> | undefined;

export async function markdownToHtml(text: string | undefined): Promise<string> {
  if (!text?.trim()) return '';
  processor ??= createMarkdownProcessor({ syntaxHighlight: false });
  return (await (await processor).render(text)).code;
}
