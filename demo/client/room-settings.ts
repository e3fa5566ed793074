/** A room's settings in words, as the rooms list and the room page show them. */
import type { RoomSettings } from './api.ts';

/** "up to 4 people, records video and audio" */
export function describeSettings({ maxParticipants, recordingMode }: RoomSettings): string {
  return `up to ${maxParticipants} people, records ${recordingMode === 'audio' ? 'audio only' : 'video and audio'}`;
}
