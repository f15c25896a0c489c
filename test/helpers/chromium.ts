import { existsSync } from "node:fs";

/**
 * The Chromium the browser tests drive: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. Null (and
 * a plain message on stderr, once per file) when neither exists: the tests then skip, saying why.
 */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    process.stderr.write(`CHROMIUM_PATH=${fromEnv} does not exist\n`);
  }
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  return null;
}

export function chromiumOrSkipMessage(what: string): string | null {
  const path = findChromium();
  if (path === null) {
    process.stderr.write(`SKIPPED ${what}: no Chromium found (set CHROMIUM_PATH, or install Debian's chromium: apt-get install chromium)\n`);
  }
  return path;
}

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"];
