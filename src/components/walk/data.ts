/**
 * Build-time access to a recorded packet walk (labs/<lab>/walks/<walk>.json, written by
 * `npm run lab:record`) and its definition in lab.yaml. Errors name the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { labForPage } from '../lab/data.ts';
import type { RecordedWalk } from '../../lab/trace/recorded.ts';
import type { LabWalk } from '../../lab/schema/walk.ts';

export type { RecordedWalk };

export async function walkForPage(labId: string | undefined, walkId: string | undefined, page: string): Promise<{ walk: LabWalk; recorded: RecordedWalk; labTitle: string }> {
  const component = `<PacketWalk lab="${labId ?? ''}" walk="${walkId ?? ''}">`;
  const lab = await labForPage(labId, page, component);
  const walk = lab.walks.find((w) => w.id === walkId);
  if (!walk) {
    throw new Error(`${page}: ${component}: lab "${lab.id}" has no walk "${walkId ?? ''}" (its walks: ${lab.walks.map((w) => w.id).join(', ') || 'none'}). Add it under walks: in ${lab.file}.`);
  }
  const file = path.join(lab.dir, 'walks', `${walk.id}.json`);
  if (!existsSync(file)) {
    throw new Error(`${page}: ${component}: no recording of the walk (${path.relative(process.cwd(), file)}). Record it on Linux with: npm run lab:record -- ${lab.id} --walks`);
  }
  return { walk, recorded: JSON.parse(readFileSync(file, 'utf8')) as RecordedWalk, labTitle: lab.title };
}
