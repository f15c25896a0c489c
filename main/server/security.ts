/**
 * Security settings shared by serve mode and the Electron shell.
 *
 * Content-Security-Policy: scripts only from the app's own origin (no inline scripts, no eval),
 * network only to its own origin (the API), images also from data:/blob: (chart exports), workers
 * from the own origin or blob: (aggregation off the UI thread), no plugins, no framing, no <base>
 * or form posts. Inline *styles* are allowed: React and recharts set style attributes, and a style
 * cannot run code.
 */
import { timingSafeEqual } from "node:crypto";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers on every response of serve mode. */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  // The page's URL carries the access token: never send it to anyone in a Referer.
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** Compares a presented token with the real one in constant time. */
export function tokenMatches(presented: string | null | undefined, token: string): boolean {
  if (typeof presented !== "string") return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The Host header names this machine's loopback interface (any port: an SSH tunnel may map it).
 * Anything else is a DNS-rebinding attempt: a page on some domain that now resolves to 127.0.0.1.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
  return name === "127.0.0.1" || name === "localhost" || name === "[::1]";
}
