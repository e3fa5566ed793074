import { expect, test } from '@playwright/test';
import { checkRoomInput } from './room-settings.ts';

test('a name alone gets the default settings: four people, video', () => {
  expect(checkRoomInput({ name: '  Weekly show ' })).toEqual({ name: 'Weekly show', maxParticipants: 4, recordingMode: 'video' });
});

test('settings within their bounds are kept', () => {
  expect(checkRoomInput({ name: 'Duo', maxParticipants: 2, recordingMode: 'audio' })).toEqual({ name: 'Duo', maxParticipants: 2, recordingMode: 'audio' });
  expect(checkRoomInput({ name: 'Panel', maxParticipants: 8 })).toMatchObject({ maxParticipants: 8 });
});

test('each bad field is refused with its name in the sentence and a reason code', () => {
  expect(checkRoomInput(undefined)).toMatchObject({ field: 'body', failure: 'body_not_json' });
  expect(checkRoomInput({ name: '   ' })).toMatchObject({ field: 'name', failure: 'name_missing', error: 'The room name needs 1 to 120 characters.' });
  expect(checkRoomInput({ name: 'x'.repeat(121) })).toMatchObject({ field: 'name', failure: 'name_too_long' });
  for (const maxParticipants of [1, 9, 99]) {
    expect(checkRoomInput({ name: 'Big', maxParticipants })).toEqual({
      field: 'maxParticipants',
      failure: 'max_participants_out_of_range',
      error: 'Max participants must be a whole number from 2 to 8.',
    });
  }
  for (const maxParticipants of [2.5, '4', null]) {
    expect(checkRoomInput({ name: 'Odd', maxParticipants })).toMatchObject({ field: 'maxParticipants', failure: 'max_participants_not_a_whole_number' });
  }
  expect(checkRoomInput({ name: 'Loud', recordingMode: 'screen' })).toMatchObject({ field: 'recordingMode', failure: 'recording_mode_unknown' });
});
