/**
 * The studio's ICE configuration, for every RTCPeerConnection the app makes. No STUN or TURN
 * server: the demo's calls run between browsers that reach each other directly (host candidates);
 * a deployment across networks lists its servers here.
 */
export const ICE_CONFIGURATION: RTCConfiguration = { iceServers: [] };
