/**
 * Half-closed clients are answered.
 *
 * Policy: a client that sends its request and then shuts down its write side (a TCP FIN:
 * `socat -t`, `nc -q`, HTTP/1.0 tools, some health checkers) has not gone away; RFC 9112 §9.6
 * lets it wait for the response. Node's http server treats that FIN as an abort unless its
 * `httpAllowHalfOpen` property is set (the net server underneath is already half-open). With it
 * set, the response is written and the connection is closed after it. Only a real close shows
 * as an abort: a reset at once, a closed peer when the response is written.
 * `httpAllowHalfOpen` is an undocumented but long-standing property of http.Server (Node's own
 * tests use it); a reliability test (half-closed-client) catches it if a Node release drops it.
 */
import type { Server } from 'node:http';

/** Makes `server` answer clients that half-closed after their request. */
export function allowHalfOpenClients(server: Server): void {
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
}
