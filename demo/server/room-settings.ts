/**
 * What a new room may be: its name and its settings, checked before anything is stored. A refusal
 * names the field in a sentence for the page, and says why in a short code for the trace.
 */

export type RecordingMode = 'audio' | 'video';

/** A room as its creator asked for it, checked. */
export interface RoomInput {
  name: string;
  /** How many people may be in the room at once. */
  maxParticipants: number;
  /** What each participant's recorder records: `audio` only, or `video` with audio. */
  recordingMode: RecordingMode;
}

/** Why a room was refused: the field, a code for the trace, and a sentence for the user. */
export interface RoomInputProblem {
  field: 'body' | 'name' | 'maxParticipants' | 'recordingMode';
  failure: string;
  error: string;
}

export const MAX_PARTICIPANTS = { min: 2, max: 8, default: 4 } as const;
export const RECORDING_MODES: readonly RecordingMode[] = ['audio', 'video'];
export const DEFAULT_RECORDING_MODE: RecordingMode = 'video';
const NAME_LENGTH = { min: 1, max: 120 } as const;

/**
 * Checks a create-room body: `name` (1 to 120 characters once trimmed), `maxParticipants` (a whole
 * number from 2 to 8, default 4) and `recordingMode` (`audio` or `video`, default `video`).
 */
export function checkRoomInput(body: Record<string, unknown> | undefined): RoomInput | RoomInputProblem {
  if (!body) return { field: 'body', failure: 'body_not_json', error: 'Send the room as a JSON object.' };
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (name.length < NAME_LENGTH.min || name.length > NAME_LENGTH.max) {
    return {
      field: 'name',
      failure: name.length === 0 ? 'name_missing' : 'name_too_long',
      error: `The room name needs ${NAME_LENGTH.min} to ${NAME_LENGTH.max} characters.`,
    };
  }
  // Only an absent setting takes the default: `null` is a value, and a wrong one.
  const maxParticipants = body.maxParticipants === undefined ? MAX_PARTICIPANTS.default : body.maxParticipants;
  if (typeof maxParticipants !== 'number' || !Number.isInteger(maxParticipants) || maxParticipants < MAX_PARTICIPANTS.min || maxParticipants > MAX_PARTICIPANTS.max) {
    return {
      field: 'maxParticipants',
      failure: typeof maxParticipants === 'number' && Number.isInteger(maxParticipants) ? 'max_participants_out_of_range' : 'max_participants_not_a_whole_number',
      error: `Max participants must be a whole number from ${MAX_PARTICIPANTS.min} to ${MAX_PARTICIPANTS.max}.`,
    };
  }
  const recordingMode = body.recordingMode === undefined ? DEFAULT_RECORDING_MODE : body.recordingMode;
  if (!RECORDING_MODES.includes(recordingMode as RecordingMode)) {
    return { field: 'recordingMode', failure: 'recording_mode_unknown', error: 'Recording must be "audio" or "video".' };
  }
  return { name, maxParticipants, recordingMode: recordingMode as RecordingMode };
}

/** Whether `checked` is a refusal. */
export function isProblem(checked: RoomInput | RoomInputProblem): checked is RoomInputProblem {
  return 'failure' in checked;
}
