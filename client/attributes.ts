/**
 * Attribute and event names only the browser SDK records (names shared with the server live in
 * shared/attributes.ts). Our own names sit under `flowtrace.`; WebRTC and recording names are
 * prefixed so they can map onto an official convention once one exists.
 */

/** Why a flow ended as `error` or `cancelled`. */
export const ATTR_FLOW_REASON = 'flowtrace.flow.reason';
/** What started the flow: `code` (runFlow/startFlow) or `click` (an automatic click flow). */
export const ATTR_FLOW_TRIGGER = 'flowtrace.flow.trigger';
/** Accessible name of the element an automatic click flow started from. */
export const ATTR_CLICK_TARGET_NAME = 'flowtrace.click.target_name';
/** Set on a span that was still open when the page went away, and ended then. */
export const ATTR_UNLOADED = 'flowtrace.unloaded';

export const ATTR_MEDIA_AUDIO = 'webrtc.media.audio';
export const ATTR_MEDIA_VIDEO = 'webrtc.media.video';
export const ATTR_MEDIA_CONSTRAINTS = 'webrtc.media.constraints';
export const ATTR_MEDIA_PERMISSION = 'webrtc.media.permission';
export const ATTR_MEDIA_TRACKS = 'webrtc.media.track_count';
export const ATTR_PC_CONNECTED_MS = 'webrtc.connection.time_to_connected_ms';
export const ATTR_PC_STATE = 'webrtc.connection.state';
export const ATTR_PC_ICE_SERVERS = 'webrtc.ice.server_count';
/** Prefix of the per-type local candidate counts: `webrtc.ice.candidates.host`, `.srflx`, `.relay`, `.prflx`. */
export const ATTR_PC_CANDIDATES_PREFIX = 'webrtc.ice.candidates.';
export const ATTR_SDP_TYPE = 'webrtc.sdp.type';
export const EVENT_PC_STATE = 'webrtc.connection_state_change';
export const EVENT_ICE_STATE = 'webrtc.ice_connection_state_change';
export const EVENT_ICE_GATHERING = 'webrtc.ice_gathering_state_change';
export const EVENT_SIGNALING = 'webrtc.signaling_state_change';

export const ATTR_REC_MIME = 'recording.mime_type';
export const ATTR_REC_TIMESLICE = 'recording.timeslice_ms';
export const ATTR_REC_CHUNKS = 'recording.chunk_count';
export const ATTR_REC_BYTES = 'recording.bytes';
export const ATTR_REC_STATE = 'recording.state';
export const EVENT_REC_UPLOAD_FAILED = 'recording.upload_failed';
export const EVENT_REC_UPLOAD_RETRY = 'recording.upload_retry';

/** On a link from a span to the flow it would have been a child of, had the flow not ended (`flow_ended`). */
export const ATTR_LINK_REASON = 'flowtrace.link.reason';
