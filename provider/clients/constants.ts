/** Transport defaults shared by both clients. */

/**
 * Per-attempt timeout unless the caller passes `timeoutMs`. `EDGECONF_TIMEOUT_MS` (a positive integer, read once
 * when the provider loads) overrides it process-wide: the fault campaign uses it to make "latency past the
 * timeout" cheap; users behind a slow proxy may raise it.
 */
export const DEFAULT_TIMEOUT_MS = ((configured: number) => (Number.isInteger(configured) && configured > 0 ? configured : 30_000))(
  Number(process.env.EDGECONF_TIMEOUT_MS),
);
/** Connections per origin: 20 req/s per action with ~100 ms latency needs few; more only hurts the server. */
export const POOL_CONNECTIONS = 16;
/** Idle keep-alive sockets close after this, below common server idle timeouts, to avoid writing to a socket the server is closing. */
export const KEEP_ALIVE_TIMEOUT_MS = 4_000;
export const KEEP_ALIVE_MAX_TIMEOUT_MS = 30_000;
export const CONNECT_TIMEOUT_MS = 10_000;
/** Responses larger than this are a proxy error page or an attack, not an API answer. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
export const USER_AGENT = "pulumi-edgeconf";
