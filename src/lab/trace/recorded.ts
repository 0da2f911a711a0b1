import type { LabWalk } from '../schema/walk.ts';
import type { Topology } from './topology.ts';
import type { Walk } from './types.ts';

/**
 * What a page needs of a walk, as committed in labs/<lab>/walks/<walk>.json: the walk's hops (no
 * timings: they change at every recording) and the part of the lab's topology it crosses, for
 * the diagram. Written by `npm run lab:record`, read at build time by <PacketWalk>.
 */
export interface RecordedWalk {
  lab: string;
  id: string;
  title: string;
  from: string;
  to: string;
  proto: Walk['proto'];
  request: Walk['request'];
  reply?: Walk['reply'];
  topology: Topology;
}

export function recordedWalk(walk: LabWalk, result: Walk, topology: Topology): RecordedWalk {
  return {
    lab: result.lab,
    id: walk.id,
    title: walk.title,
    from: walk.from,
    to: walk.to,
    proto: result.proto,
    request: result.request,
    reply: result.reply,
    // The whole lab, so the map shows where the packet did not go as well; interfaces keep only
    // what the map uses.
    topology: {
      namespaces: topology.namespaces.map((ns) => ({
        name: ns.name,
        interfaces: ns.interfaces.map((i) => ({ name: i.name, ...(i.kind ? { kind: i.kind } : {}), ...(i.master ? { master: i.master } : {}), ...(i.peer ? { peer: i.peer } : {}), addresses: i.addresses })),
      })),
    },
  };
}
