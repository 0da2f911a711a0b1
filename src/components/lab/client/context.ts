/** What the step controls and the lab controls share: the connection and who owns each lab's running operation. */
import type { ServerMessage } from '../../../contract/protocol.ts';
import type { LabEvent } from '../../../lab/events.ts';
import type { Connection } from './connection.ts';

/** What receives a lab's events while an operation this page started runs. */
export interface OpOwner {
  onEvent(event: LabEvent): void;
  onOp(message: Extract<ServerMessage, { type: 'op' }>): void;
  onError(message: string): void;
}

export interface LiveContext {
  conn: Connection;
  /** Lab id -> the control that started what runs in it now (one operation per lab). */
  owners: Map<string, OpOwner>;
}
