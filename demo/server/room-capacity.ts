/**
 * A room's `maxParticipants`, enforced: someone who is not in the room yet is refused once it holds
 * that many people. Who is in a room is the signalling relay's to know (its open connections).
 */

/** Who is in each room right now. */
export interface RoomPresence {
  /** The ids of the users connected to `roomId`. */
  occupants(roomId: string): ReadonlySet<string>;
}

/** A full room's refusal, for the API, the socket's close reason and the trace. */
export interface RoomFull {
  refused: 'room_full';
  participants: number;
  maxParticipants: number;
  error: string;
}

/**
 * `undefined` when `userId` may be in `roomId` (there is room, or they are in it already, from
 * another page); otherwise why not.
 */
export function checkCapacity(presence: RoomPresence, roomId: string, userId: string, maxParticipants: number): RoomFull | undefined {
  const occupants = presence.occupants(roomId);
  if (occupants.has(userId) || occupants.size < maxParticipants) return undefined;
  return {
    refused: 'room_full',
    participants: occupants.size,
    maxParticipants,
    error: `This room is full: ${occupants.size} of ${maxParticipants} people are in it. Try again when someone leaves.`,
  };
}
